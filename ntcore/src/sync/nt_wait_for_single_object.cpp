#include "ireactor/services/sync_services.h"
#include "sync/wait_arguments.h"

namespace ireactor {

// Alertable is accepted but has no effect yet: there are no APCs or alerts to deliver.
nt::NTSTATUS NtWaitForSingleObject(nt::HANDLE Handle, nt::BOOLEAN Alertable,
                                   UserPtr<int64_t> Timeout) {
  // As on Windows, the timeout is captured before the handle is referenced.
  WaitDeadline deadline;
  if (nt::NTSTATUS s = capture_timeout(Timeout, deadline); !nt::nt_success(s)) return s;
  std::shared_ptr<Object> object;  // keeps the object alive if the handle is closed meanwhile
  if (nt::NTSTATUS s = reference_waitable(Handle, object); !nt::nt_success(s)) return s;
  Object* const objects[] = {object.get()};
  return wait_for_objects(objects, false, deadline);
}

}  // namespace ireactor
