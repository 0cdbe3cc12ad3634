#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/event_object.h"
#include "sync/event_access.h"

namespace ireactor {

nt::NTSTATUS NtSetEvent(nt::HANDLE EventHandle, UserPtr<nt::LONG> PreviousState) {
  // PreviousState is probed before the handle is looked at; writing it later may still fail
  // (another thread unmapped it), which Windows ignores, and so do we.
  if (PreviousState && !probe_user(PreviousState.addr(), sizeof(nt::LONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  std::shared_ptr<EventObject> event;
  if (nt::NTSTATUS s = current_process().handles.reference(EventHandle, EVENT_MODIFY_STATE, event);
      !nt::nt_success(s))
    return s;
  bool previous = event->set();
  if (PreviousState) PreviousState.write(previous ? 1 : 0);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
