#include "ireactor/services/sync_services.h"
#include "sync/event_access.h"

namespace ireactor {

nt::NTSTATUS NtResetEvent(nt::HANDLE EventHandle, UserPtr<nt::LONG> PreviousState) {
  return change_event_state(EventHandle, PreviousState, &EventObject::reset);
}

}  // namespace ireactor
