#include "sync/wait_arguments.h"

#include "ireactor/process.h"

namespace ireactor {

nt::NTSTATUS capture_timeout(UserPtr<int64_t> timeout, WaitDeadline& out) {
  if (timeout.null()) {
    out = WaitDeadline::infinite();
    return nt::STATUS_SUCCESS;
  }
  int64_t value;
  if (!timeout.read(value)) return nt::STATUS_ACCESS_VIOLATION;
  out = WaitDeadline::from_nt_timeout(value);
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS reference_waitable(nt::HANDLE handle, std::shared_ptr<Object>& out) {
  HandleEntry e;
  if (nt::NTSTATUS s = current_process().handles.get(handle, e); !nt::nt_success(s)) return s;
  if ((e.access & nt::SYNCHRONIZE) == 0) return nt::STATUS_ACCESS_DENIED;
  if (!e.object->waitable()) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  out = std::move(e.object);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
