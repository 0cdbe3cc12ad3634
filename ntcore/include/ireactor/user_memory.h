// Access to Windows-side ("user") memory from the executive. Windows code passes pointers that
// may be wild; every read or write of them goes through these functions, which refuse addresses
// outside the Windows address space (see address_space.h) and survive faults, so a bad pointer
// becomes STATUS_ACCESS_VIOLATION instead of a crash or a write into the runtime's own state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ireactor/nt/status.h"
#include "ireactor/nt/types.h"

namespace ireactor {

// Both return false when [addr, addr+n) is not Windows memory with the needed access, or the
// copy faulted. n == 0 always succeeds.
bool copy_from_user(void* dst, uint64_t user_src, size_t n) noexcept;
bool copy_to_user(uint64_t user_dst, const void* src, size_t n) noexcept;

// Whether [addr, addr+n) lies in Windows memory that is committed with read (or write) access.
// For buffers handed straight to a Linux call (read(2) into a user buffer): the kernel then
// reports EFAULT for the parts that fault.
bool probe_user(uint64_t addr, size_t n, bool for_write) noexcept;

// Fault-safe copy primitives (user_copy.S): 0 on success, nonzero when a fault interrupted
// the copy. They do no range check; the fault handler recognises their instructions.
extern "C" int ir_safe_memcpy(void* dst, const void* src, size_t n) noexcept;
// Installs the SIGSEGV/SIGBUS handler that turns faults inside ir_safe_memcpy into a return of
// nonzero, and gives the calling thread its signal stack. Idempotent; installs itself again if
// another handler replaced it. Faults in Windows code go to the Windows exception handler
// (below); faults in runtime code crash as they would without it. Process start calls it.
void install_user_fault_handler();
// Gives the calling thread an alternate signal stack (so faults on a Windows stack can be
// handled); call on every new thread before it runs Windows code. Idempotent per thread.
void ensure_signal_stack();

// A fault raised by Windows code, in the terms of EXCEPTION_RECORD.
struct WindowsFault {
  nt::NTSTATUS code = 0;  // STATUS_ACCESS_VIOLATION, STATUS_STACK_OVERFLOW...
  uint64_t pc = 0;        // ExceptionAddress: the faulting instruction
  uint64_t access = 0;    // ExceptionInformation[0]: 0 read, 1 write, 8 execute
  uint64_t address = 0;   // ExceptionInformation[1]: the inaccessible address
};
// Dispatches a fault in Windows code (SEH); `ucontext` is the signal's ucontext_t, to be edited
// so the thread resumes in the dispatcher. Returns false to fall back to the default: print
// "ireactor: unhandled exception ..." and exit the process with the exception code as status.
using WindowsExceptionHandler = bool (*)(const WindowsFault& fault, void* ucontext);
void set_windows_exception_handler(WindowsExceptionHandler fn);

// A typed Windows-side pointer. Services take these instead of raw pointers so that every
// dereference is explicit and checked.
template <class T>
class UserPtr {
 public:
  UserPtr() = default;
  explicit UserPtr(uint64_t addr) : addr_(addr) {}
  uint64_t addr() const { return addr_; }
  bool null() const { return addr_ == 0; }
  explicit operator bool() const { return addr_ != 0; }

  bool read(T& out) const noexcept { return copy_from_user(&out, addr_, sizeof(T)); }
  bool write(const T& v) const noexcept { return copy_to_user(addr_, &v, sizeof(T)); }
  // Pointer to the n-th element (as T* + n in Windows code).
  UserPtr<T> at(size_t n) const { return UserPtr<T>(addr_ + n * sizeof(T)); }
  template <class U>
  UserPtr<U> as() const {
    return UserPtr<U>(addr_);
  }

 private:
  uint64_t addr_ = 0;
};

template <>
class UserPtr<void> {
 public:
  UserPtr() = default;
  explicit UserPtr(uint64_t addr) : addr_(addr) {}
  uint64_t addr() const { return addr_; }
  bool null() const { return addr_ == 0; }
  explicit operator bool() const { return addr_ != 0; }
  template <class U>
  UserPtr<U> as() const {
    return UserPtr<U>(addr_);
  }

 private:
  uint64_t addr_ = 0;
};

// Reads a UNICODE_STRING and its characters, with the object manager's capture rules (what
// Windows applies to ObjectName): STATUS_ACCESS_VIOLATION for bad pointers (a NULL Buffer with
// Length > 0 included), STATUS_OBJECT_NAME_INVALID for an odd Length or one above 0xFFFC.
// MaximumLength is not looked at, as the Windows capture does not.
nt::NTSTATUS read_user_unicode_string(UserPtr<nt::UNICODE_STRING> us, std::u16string& out);

}  // namespace ireactor
