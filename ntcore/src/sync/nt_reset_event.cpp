#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/event_object.h"
#include "sync/event_access.h"

namespace ireactor {

nt::NTSTATUS NtResetEvent(nt::HANDLE EventHandle, UserPtr<nt::LONG> PreviousState) {
  // Same probing rules as NtSetEvent.
  if (PreviousState && !probe_user(PreviousState.addr(), sizeof(nt::LONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  std::shared_ptr<EventObject> event;
  if (nt::NTSTATUS s = current_process().handles.reference(EventHandle, EVENT_MODIFY_STATE, event);
      !nt::nt_success(s))
    return s;
  bool previous = event->reset();
  if (PreviousState) PreviousState.write(previous ? 1 : 0);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
