#include "ireactor/process.h"
#include "sync/event_access.h"

namespace ireactor {

nt::NTSTATUS change_event_state(nt::HANDLE handle, UserPtr<nt::LONG> previous_state,
                                bool (EventObject::*change)()) {
  if (previous_state && !probe_user(previous_state.addr(), sizeof(nt::LONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  std::shared_ptr<EventObject> event;
  if (nt::NTSTATUS s = current_process().handles.reference(handle, EVENT_MODIFY_STATE, event);
      !nt::nt_success(s))
    return s;
  const bool previous = ((*event).*change)();
  if (previous_state) previous_state.write(previous ? 1 : 0);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
