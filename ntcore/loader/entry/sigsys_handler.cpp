// Serves an NT system call that Windows code issued with a raw `syscall` instruction.
#include "sigsys_handler.h"

#include <ucontext.h>
#include <unistd.h>

#include <cstdint>

#include "ireactor/dispatcher.h"
#include "ireactor/entry.h"

namespace ireactor::entry {

namespace {

constexpr int kSysUserDispatch = 2;  // si_code, asm-generic/siginfo.h

// Async-signal-safe formatting for the fatal report: no stdio, no allocation.
struct Message {
  char buf[256];
  size_t len = 0;
  void put(const char* s) {
    while (*s && len < sizeof buf) buf[len++] = *s++;
  }
  void put_dec(int64_t v) {
    if (v < 0) {
      put("-");
      v = -v;
    }
    put_unsigned(static_cast<uint64_t>(v), 10);
  }
  void put_hex(uint64_t v) {
    put("0x");
    put_unsigned(v, 16);
  }
  void put_unsigned(uint64_t v, unsigned base) {
    char digits[24];
    int n = 0;
    do {
      digits[n++] = "0123456789abcdef"[v % base];
      v /= base;
    } while (v);
    while (n && len < sizeof buf) buf[len++] = digits[--n];
  }
};

[[noreturn]] void die_of_foreign_sigsys(const siginfo_t* info) {
  Message m;
  m.put("ireactor: fatal SIGSYS not raised by Syscall User Dispatch (si_code ");
  m.put_dec(info->si_code);
  m.put(", syscall ");
  m.put_dec(info->si_syscall);
  m.put(", at ");
  m.put_hex(reinterpret_cast<uint64_t>(info->si_call_addr));
  m.put("); a seccomp filter or another process sent it\n");
  [[maybe_unused]] auto r = write(STDERR_FILENO, m.buf, m.len);
  // Die of the signal itself, so the parent sees what happened.
  signal(SIGSYS, SIG_DFL);
  sigset_t sigsys;
  sigemptyset(&sigsys);
  sigaddset(&sigsys, SIGSYS);
  pthread_sigmask(SIG_UNBLOCK, &sigsys, nullptr);
  raise(SIGSYS);
  _exit(128 + SIGSYS);
}

}  // namespace

// Kept lean: the SUD path is measured against a bare SIGSYS round trip. `syscall` pushed no
// return address, so the fifth argument is at rsp + 0x28 (past the caller's return address and
// home area). rcx and r11 already hold what the `syscall` instruction put there.
void on_sigsys(int, siginfo_t* info, void* context) {
  if (__builtin_expect(info->si_code != kSysUserDispatch, 0)) die_of_foreign_sigsys(info);
  RuntimeScope runtime;
  greg_t* regs = static_cast<ucontext_t*>(context)->uc_mcontext.gregs;
  const SyscallFrame frame{
      {static_cast<uint64_t>(regs[REG_R10]), static_cast<uint64_t>(regs[REG_RDX]),
       static_cast<uint64_t>(regs[REG_R8]), static_cast<uint64_t>(regs[REG_R9])},
      static_cast<uint64_t>(regs[REG_RSP]) + 0x28};
  const nt::NTSTATUS status = ir_dispatch(static_cast<uint32_t>(info->si_syscall), &frame);
  regs[REG_RAX] = static_cast<greg_t>(static_cast<uint32_t>(status));
}

}  // namespace ireactor::entry
