#include <array>

#include "ireactor/services/sync_services.h"
#include "sync/wait_arguments.h"

namespace ireactor {

// Checks in Windows' order: count, wait type, timeout and handle array capture, then each
// handle in array order, then (wait-all only) duplicates. Alertable has no effect yet (no APCs).
nt::NTSTATUS NtWaitForMultipleObjects(nt::ULONG Count, UserPtr<nt::HANDLE> Handles,
                                      nt::ULONG WaitType, nt::BOOLEAN Alertable,
                                      UserPtr<int64_t> Timeout) {
  if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS) return nt::STATUS_INVALID_PARAMETER_1;
  if (WaitType != WaitAll && WaitType != WaitAny) return nt::STATUS_INVALID_PARAMETER_3;
  WaitDeadline deadline;
  if (nt::NTSTATUS s = capture_timeout(Timeout, deadline); !nt::nt_success(s)) return s;
  // ProbeForRead with HANDLE alignment.
  if (Handles.addr() % alignof(nt::HANDLE) != 0) return nt::STATUS_DATATYPE_MISALIGNMENT;
  std::array<nt::HANDLE, MAXIMUM_WAIT_OBJECTS> handles;
  if (!copy_from_user(handles.data(), Handles.addr(), Count * sizeof(nt::HANDLE)))
    return nt::STATUS_ACCESS_VIOLATION;

  std::array<std::shared_ptr<Object>, MAXIMUM_WAIT_OBJECTS> refs;
  std::array<Object*, MAXIMUM_WAIT_OBJECTS> objects;
  for (uint32_t i = 0; i < Count; ++i) {
    if (nt::NTSTATUS s = reference_waitable(handles[i], refs[i]); !nt::nt_success(s)) return s;
    objects[i] = refs[i].get();
  }
  // Waiting for all of one object twice could never be satisfied atomically; Windows refuses it.
  // A wait-any may name an object several times.
  if (WaitType == WaitAll) {
    for (uint32_t i = 0; i < Count; ++i)
      for (uint32_t j = i + 1; j < Count; ++j)
        if (objects[i] == objects[j]) return nt::STATUS_INVALID_PARAMETER_MIX;
  }
  return wait_for_objects(std::span<Object* const>(objects.data(), Count), WaitType == WaitAll,
                          deadline);
}

}  // namespace ireactor
