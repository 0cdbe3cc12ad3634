// Syscall User Dispatch: per thread, every `syscall` outside libc's text raises SIGSYS while the
// thread's selector says block (Windows code runs); on_sigsys serves it as an NT call.
#include <sys/mman.h>
#include <sys/prctl.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "ireactor/entry.h"
#include "libc_text_range.h"
#include "sigsys_handler.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON \
  1  // exclusive: syscalls from inside [start, start+len) are never diverted
#endif
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

namespace ireactor::entry {

namespace {

// The SIGSYS handler runs on its own stack: Windows code's rsp may be anything when it executes
// `syscall`, and the dispatcher needs room.
constexpr size_t kAltStackSize = 256 * 1024;
constexpr size_t kGuardSize = 0x1000;

struct AltStack {
  void* mapping = nullptr;

  ~AltStack() {
    if (mapping == nullptr) return;
    stack_t current;
    // A thread that ends inside the handler (NtTerminateThread) is still standing on it.
    if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_ONSTACK)) return;
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    munmap(mapping, kAltStackSize + kGuardSize);
  }
};

thread_local AltStack t_alt_stack;

// A smaller alternate stack installed earlier (another handler's) is replaced, not freed: its
// owner still unmaps it, and the SIGSYS handler needs the room.
void ensure_alt_stack() {
  if (t_alt_stack.mapping != nullptr) return;
  stack_t current;
  if (sigaltstack(nullptr, &current) != 0)
    throw std::system_error(errno, std::generic_category(), "sigaltstack");
  if (current.ss_flags & SS_ONSTACK) return;  // cannot switch while standing on it
  if (!(current.ss_flags & SS_DISABLE) && current.ss_size >= kAltStackSize) return;
  void* p = mmap(nullptr, kAltStackSize + kGuardSize, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (p == MAP_FAILED)
    throw std::system_error(errno, std::generic_category(), "mapping the SIGSYS stack");
  mprotect(p, kGuardSize, PROT_NONE);  // overflow faults instead of running into other memory
  stack_t alt{};
  alt.ss_sp = static_cast<char*>(p) + kGuardSize;
  alt.ss_size = kAltStackSize;
  if (sigaltstack(&alt, nullptr) != 0) {
    const int err = errno;
    munmap(p, kAltStackSize + kGuardSize);
    throw std::system_error(err, std::generic_category(), "sigaltstack");
  }
  t_alt_stack.mapping = p;
}

// Installs on_sigsys and works out the range SUD must leave alone; once per process.
CodeRange install_sigsys_handler() {
  struct sigaction act {};
  act.sa_sigaction = on_sigsys;
  act.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&act.sa_mask);  // SIGSEGV/SIGBUS from fault-safe user copies must get through
  if (sigaction(SIGSYS, &act, nullptr) != 0)
    throw std::system_error(errno, std::generic_category(), "installing the SIGSYS handler");

  CodeRange libc = libc_text_range();
  // Every handler returns through glibc's restorer, which issues rt_sigreturn; diverted, it
  // would loop on SIGSYS. Check that it really lies in the exempt range.
  struct sigaction installed {};
  sigaction(SIGSYS, nullptr, &installed);
  if ((installed.sa_flags & SA_RESTORER) &&
      !libc.contains(reinterpret_cast<uint64_t>(installed.sa_restorer)))
    throw std::runtime_error("glibc's signal restorer lies outside libc's text segment");
  return libc;
}

std::atomic<bool> g_enabled{false};

}  // namespace

bool syscall_user_dispatch_enabled() {
  return g_enabled.load(std::memory_order_acquire);
}

void enable_syscall_user_dispatch() {
  static std::once_flag once;
  static CodeRange libc;
  std::call_once(once, [] { libc = install_sigsys_handler(); });

  ensure_alt_stack();
  if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, libc.start, libc.len,
            &ir_sud_selector) != 0)
    throw std::system_error(errno, std::generic_category(),
                            "enabling Syscall User Dispatch (needs Linux 5.11 or later)");
  g_enabled.store(true, std::memory_order_release);
}

}  // namespace ireactor::entry
