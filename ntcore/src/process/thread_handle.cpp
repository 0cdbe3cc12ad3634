#include "process/thread_handle.h"

#include "ireactor/process.h"
#include "ireactor/process/thread_information.h"

namespace ireactor {

nt::NTSTATUS reference_thread(nt::HANDLE handle, nt::ACCESS_MASK any_of,
                              std::shared_ptr<ThreadObject>& out) {
  HandleEntry e;
  if (nt::NTSTATUS s = current_process().handles.get(handle, e); !nt::nt_success(s)) return s;
  if (e.object->type() != ObjectType::Thread) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if ((e.access & any_of) == 0) return nt::STATUS_ACCESS_DENIED;
  out = std::static_pointer_cast<ThreadObject>(std::move(e.object));
  return nt::STATUS_SUCCESS;
}

nt::ACCESS_MASK granted_thread_access(nt::ACCESS_MASK desired) {
  using namespace nt;
  // The thread object type's generic mapping.
  constexpr ACCESS_MASK kRead = READ_CONTROL | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION;
  constexpr ACCESS_MASK kWrite = READ_CONTROL | THREAD_TERMINATE | THREAD_SUSPEND_RESUME |
                                 THREAD_SET_INFORMATION | THREAD_SET_CONTEXT;
  constexpr ACCESS_MASK kExecute = READ_CONTROL | SYNCHRONIZE;
  if (desired & (MAXIMUM_ALLOWED | GENERIC_ALL)) return THREAD_ALL_ACCESS;
  ACCESS_MASK a = desired & THREAD_ALL_ACCESS;
  if (desired & GENERIC_READ) a |= kRead;
  if (desired & GENERIC_WRITE) a |= kWrite;
  if (desired & GENERIC_EXECUTE) a |= kExecute;
  if (a & THREAD_QUERY_INFORMATION) a |= THREAD_QUERY_LIMITED_INFORMATION;
  if (a & THREAD_SET_INFORMATION) a |= THREAD_SET_LIMITED_INFORMATION;
  return a;
}

}  // namespace ireactor
