// Checked, fault-safe access to Windows memory (user_memory.h): the range must be recorded in
// the process's address space with the needed access, and the copy itself survives faults
// (the page may be unmapped or reprotected between the check and the copy).
#include "ireactor/user_memory.h"

#include "ireactor/process.h"
#include "memory/fault_handler_state.h"

namespace ireactor {

namespace {

inline bool windows_range(uint64_t addr, size_t n, bool for_write) {
  return current_process().address_space.accessible(addr, n, for_write);
}

inline void ensure_fault_handler() {
  if (!fault_handler_installed()) [[unlikely]]
    install_user_fault_handler();
}

}  // namespace

bool copy_from_user(void* dst, uint64_t user_src, size_t n) noexcept {
  if (n == 0) return true;
  if (!windows_range(user_src, n, false)) return false;
  ensure_fault_handler();
  return ir_safe_memcpy(dst, reinterpret_cast<const void*>(user_src), n) == 0;
}

bool copy_to_user(uint64_t user_dst, const void* src, size_t n) noexcept {
  if (n == 0) return true;
  if (!windows_range(user_dst, n, true)) return false;
  ensure_fault_handler();
  return ir_safe_memcpy(reinterpret_cast<void*>(user_dst), src, n) == 0;
}

bool probe_user(uint64_t addr, size_t n, bool for_write) noexcept {
  if (n == 0) return true;
  return windows_range(addr, n, for_write);
}

nt::NTSTATUS read_user_unicode_string(UserPtr<nt::UNICODE_STRING> us, std::u16string& out) {
  nt::UNICODE_STRING s;
  if (!us.read(s)) return nt::STATUS_ACCESS_VIOLATION;
  // The object manager refuses odd byte counts and names that leave no room for a terminator
  // in a USHORT (Windows: Length 65534 is invalid, 65532 is not).
  if ((s.Length & 1) || s.Length > 0xFFFC) return nt::STATUS_OBJECT_NAME_INVALID;
  out.resize(s.Length / sizeof(char16_t));
  if (s.Length == 0) return nt::STATUS_SUCCESS;
  if (!copy_from_user(out.data(), s.Buffer, s.Length)) {
    out.clear();
    return nt::STATUS_ACCESS_VIOLATION;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
