// Buffer handling shared by NtQueryMutant and NtQuerySemaphore, whose classes have fixed sizes.
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

// Windows checks, before looking at the handle: the length must be the class's exact size
// (STATUS_INFO_LENGTH_MISMATCH), then both buffers must be writable (STATUS_ACCESS_VIOLATION).
inline nt::NTSTATUS check_query_buffers(UserPtr<void> buffer, nt::ULONG length, size_t size,
                                        UserPtr<nt::ULONG> return_length) {
  if (length != size) return nt::STATUS_INFO_LENGTH_MISMATCH;
  if (!probe_user(buffer.addr(), size, true)) return nt::STATUS_ACCESS_VIOLATION;
  if (return_length && !probe_user(return_length.addr(), sizeof(nt::ULONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

template <class T>
nt::NTSTATUS write_query_result(UserPtr<void> buffer, const T& info,
                                UserPtr<nt::ULONG> return_length) {
  if (!copy_to_user(buffer.addr(), &info, sizeof(T))) return nt::STATUS_ACCESS_VIOLATION;
  if (return_length) return_length.write(static_cast<nt::ULONG>(sizeof(T)));
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
