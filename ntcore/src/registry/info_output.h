// Building the variable-length information records of the registry services and returning them
// with Windows' buffer rules.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "ireactor/user_memory.h"

namespace ireactor::registry {

// A record under construction: fixed fields at set offsets, variable parts appended.
struct InfoRecord {
  std::vector<uint8_t> bytes;
  size_t fixed = 0;  // the part a buffer must hold for anything to be returned

  explicit InfoRecord(size_t fixed_size) : bytes(fixed_size), fixed(fixed_size) {}
  template <class T>
  void put(size_t offset, T v) {
    std::memcpy(bytes.data() + offset, &v, sizeof v);
  }
  void append(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    bytes.insert(bytes.end(), b, b + n);
  }
  void append(const std::u16string& s) { append(s.data(), s.size() * sizeof(char16_t)); }
  void align(size_t a) { bytes.resize((bytes.size() + a - 1) / a * a); }
};

// Windows' rules: ResultLength always gets the full size; a buffer smaller than the fixed part
// gets nothing (STATUS_BUFFER_TOO_SMALL), one that holds the fixed part but not all gets what
// fits (STATUS_BUFFER_OVERFLOW).
inline nt::NTSTATUS return_info(const InfoRecord& r, UserPtr<void> buffer, nt::ULONG length,
                                UserPtr<nt::ULONG> result_length) {
  if (!result_length.write(static_cast<nt::ULONG>(r.bytes.size())))
    return nt::STATUS_ACCESS_VIOLATION;
  if (length < r.fixed) return nt::STATUS_BUFFER_TOO_SMALL;
  const size_t n = std::min<size_t>(length, r.bytes.size());
  if (!copy_to_user(buffer.addr(), r.bytes.data(), n)) return nt::STATUS_ACCESS_VIOLATION;
  return n < r.bytes.size() ? nt::STATUS_BUFFER_OVERFLOW : nt::STATUS_SUCCESS;
}

}  // namespace ireactor::registry
