// The output side of the NtQuery*Information services (system and process information): Windows'
// probing, length and ReturnLength rules in one place.
#pragma once

#include <cstdint>

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

// MmUserProbeAddress on x64: the first address a user buffer may not reach.
inline constexpr uint64_t kUserProbeAddress = 0x7FFFFFFF0000ull;

// What ProbeForWrite of the buffer and ProbeForWriteUlong of ReturnLength do on entry: a
// misaligned buffer is STATUS_DATATYPE_MISALIGNMENT and one reaching past the user range is
// STATUS_ACCESS_VIOLATION (a zero length skips both); ReturnLength, when given, must be
// writable. The buffer itself is not touched yet: a NULL one fails only when written.
inline nt::NTSTATUS probe_info_output(uint64_t buffer, uint64_t length, uint64_t alignment,
                                      UserPtr<nt::ULONG> return_length) {
  if (length != 0) {
    if (buffer % alignment != 0) return nt::STATUS_DATATYPE_MISALIGNMENT;
    if (buffer + length < buffer || buffer + length > kUserProbeAddress)
      return nt::STATUS_ACCESS_VIOLATION;
  }
  if (return_length && !probe_user(return_length.addr(), sizeof(nt::ULONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

// ReturnLength = n when the caller asked for it.
inline nt::NTSTATUS set_return_length(UserPtr<nt::ULONG> return_length, nt::ULONG n) {
  if (return_length && !return_length.write(n)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

// The buffer is too small (or of the wrong size): STATUS_INFO_LENGTH_MISMATCH, with ReturnLength
// set to the size that would have worked, as Windows Vista and later do.
inline nt::NTSTATUS info_length_mismatch(UserPtr<nt::ULONG> return_length, nt::ULONG needed) {
  if (nt::NTSTATUS s = set_return_length(return_length, needed); !nt::nt_success(s)) return s;
  return nt::STATUS_INFO_LENGTH_MISMATCH;
}

// Copies n bytes of the answer out and sets ReturnLength = n.
inline nt::NTSTATUS return_info(UserPtr<void> buffer, const void* data, nt::ULONG n,
                                UserPtr<nt::ULONG> return_length) {
  if (!copy_to_user(buffer.addr(), data, n)) return nt::STATUS_ACCESS_VIOLATION;
  return set_return_length(return_length, n);
}

// The three length rules Windows applies, per information class.
template <class T>
nt::NTSTATUS return_exact(const T& info, UserPtr<void> buffer, nt::ULONG length,
                          UserPtr<nt::ULONG> return_length) {
  if (length != sizeof(T)) return info_length_mismatch(return_length, sizeof(T));
  return return_info(buffer, &info, sizeof(T), return_length);
}
template <class T>
nt::NTSTATUS return_at_least(const T& info, UserPtr<void> buffer, nt::ULONG length,
                             UserPtr<nt::ULONG> return_length) {
  if (length < sizeof(T)) return info_length_mismatch(return_length, sizeof(T));
  return return_info(buffer, &info, sizeof(T), return_length);
}
// Any length up to sizeof(T) gets that many bytes (older, shorter versions of the structure).
template <class T>
nt::NTSTATUS return_prefix(const T& info, UserPtr<void> buffer, nt::ULONG length,
                           UserPtr<nt::ULONG> return_length) {
  if (length > sizeof(T)) return info_length_mismatch(return_length, sizeof(T));
  return return_info(buffer, &info, length, return_length);
}

}  // namespace ireactor
