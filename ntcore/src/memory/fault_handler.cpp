// The handler of the signals hardware faults raise (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP).
// Three kinds of fault reach it:
//  - inside ir_safe_memcpy (the executive touching Windows memory): resume at the routine's
//    fixup label, which returns nonzero, so the caller reports STATUS_ACCESS_VIOLATION;
//  - in Windows code: a Windows exception; handed to the hook a later SEH dispatcher sets, else
//    reported as unhandled and the process exits with the exception code, as Windows does;
//  - in runtime code: a real bug; the default action is restored and the instruction re-faults.
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>

#include "ireactor/address_space.h"
#include "ireactor/entry.h"
#include "ireactor/process.h"
#include "ireactor/user_memory.h"
#include "memory/fault_handler_state.h"

extern "C" void ir_safe_memcpy_fault();  // user_copy.S: the fixup label

namespace ireactor {

std::atomic<bool> g_user_fault_handler_installed{false};

namespace {

constexpr nt::NTSTATUS kStatusGuardPageViolation = nt::status(0x80000001);

constexpr uint64_t kPfErrWrite = 0x2;  // x86 page-fault error code bits
constexpr uint64_t kPfErrFetch = 0x10;
constexpr greg_t kTrapPageFault = 14;
constexpr greg_t kTrapBreakpoint = 3;  // int3

constexpr nt::NTSTATUS kStatusIllegalInstruction = nt::status(0xC000001D);
constexpr nt::NTSTATUS kStatusSingleStep = nt::status(0x80000004);

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};

// The exception Windows raises for an x87/SSE or integer arithmetic fault.
nt::NTSTATUS arithmetic_status(int si_code) {
  switch (si_code) {
    case FPE_INTDIV:
      return nt::STATUS_INTEGER_DIVIDE_BY_ZERO;
    case FPE_INTOVF:
      return nt::status(0xC0000095);  // STATUS_INTEGER_OVERFLOW
    case FPE_FLTDIV:
      return nt::status(0xC000008E);  // STATUS_FLOAT_DIVIDE_BY_ZERO
    case FPE_FLTOVF:
      return nt::status(0xC0000091);  // STATUS_FLOAT_OVERFLOW
    case FPE_FLTUND:
      return nt::status(0xC0000093);  // STATUS_FLOAT_UNDERFLOW
    case FPE_FLTRES:
      return nt::status(0xC000008F);  // STATUS_FLOAT_INEXACT_RESULT
    case FPE_FLTSUB:
      return nt::status(0xC000008C);  // STATUS_ARRAY_BOUNDS_EXCEEDED
    default:
      return nt::status(0xC0000090);  // STATUS_FLOAT_INVALID_OPERATION
  }
}

std::atomic<WindowsExceptionHandler> g_windows_handler{nullptr};

struct AltStack {
  bool checked = false;
  void* mem = nullptr;
  size_t size = 0;
  ~AltStack() {
    if (!mem) return;
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    munmap(mem, size);
  }
};
thread_local AltStack t_altstack;

uint64_t reg(const ucontext_t* uc, int r) {
  return static_cast<uint64_t>(uc->uc_mcontext.gregs[r]);
}

bool in_safe_copy(uint64_t pc) {
  return pc >= reinterpret_cast<uint64_t>(&ir_safe_memcpy) &&
         pc < reinterpret_cast<uint64_t>(&ir_safe_memcpy_fault);
}

WindowsFault describe(int sig, const siginfo_t* si, const ucontext_t* uc) {
  WindowsFault f;
  f.pc = reg(uc, REG_RIP);
  f.address = reinterpret_cast<uint64_t>(si->si_addr);
  if (sig == SIGFPE) {
    f.code = arithmetic_status(si->si_code);
    return f;
  }
  if (sig == SIGILL) {
    f.code =
        si->si_code == ILL_PRVOPC ? nt::STATUS_PRIVILEGED_INSTRUCTION : kStatusIllegalInstruction;
    return f;
  }
  if (sig == SIGTRAP) {
    // int3 traps with rip past it; Windows reports the int3's own address.
    const bool breakpoint = reg(uc, REG_TRAPNO) == kTrapBreakpoint;
    f.code = breakpoint ? nt::STATUS_BREAKPOINT : kStatusSingleStep;
    if (breakpoint) f.pc -= 1;
    return f;
  }
  if (sig == SIGBUS) {
    f.code =
        si->si_code == BUS_ADRALN ? nt::STATUS_DATATYPE_MISALIGNMENT : nt::STATUS_IN_PAGE_ERROR;
    return f;
  }
  f.code = nt::STATUS_ACCESS_VIOLATION;
  if (reg(uc, REG_TRAPNO) == kTrapPageFault) {
    const uint64_t err = reg(uc, REG_ERR);
    f.access = (err & kPfErrFetch) ? 8 : (err & kPfErrWrite) ? 1 : 0;
  } else {
    // A general-protection fault (non-canonical address): Windows reports reading address -1.
    f.address = ~0ull;
  }
  return f;
}

// Whether the fault belongs to Windows code: its instruction is in Windows memory, or it is a
// jump to a bad address (execute fault) made by a call from Windows memory.
bool from_windows_code(const AddressSpace& as, const WindowsFault& f, const ucontext_t* uc) {
  if (as.find(f.pc)) return true;
  if (f.access != 8) return false;
  const uint64_t rsp = reg(uc, REG_RSP);
  uint64_t ret = 0;
  // Fault-safe even if rsp is wild (the handler runs with SA_NODEFER).
  if (ir_safe_memcpy(&ret, reinterpret_cast<const void*>(rsp), sizeof(ret)) != 0) return false;
  return as.find(ret).has_value();
}

// A touch of the reserved pages at the bottom of the stack the thread is running on is a stack
// overflow, which Windows raises as STATUS_STACK_OVERFLOW rather than an access violation.
void classify_stack_overflow(const AddressSpace& as, WindowsFault& f, const ucontext_t* uc) {
  if (f.code != nt::STATUS_ACCESS_VIOLATION || f.access == 8 || f.address == ~0ull) return;
  auto hit = as.find(f.address);
  if (!hit || hit->state != MEM_RESERVE) return;
  auto stack = as.find(reg(uc, REG_RSP));
  if (stack && stack->allocation_base == hit->allocation_base && hit->base < stack->base)
    f.code = nt::STATUS_STACK_OVERFLOW;
}

// PAGE_GUARD is one-shot: the first touch lifts it from the page and raises
// STATUS_GUARD_PAGE_VIOLATION (guard pages are mapped PROT_NONE until then).
void lift_guard(AddressSpace& as, WindowsFault& f) {
  if (f.code != nt::STATUS_ACCESS_VIOLATION || f.address == ~0ull) return;
  auto r = as.find(f.address);
  if (!r || r->state != MEM_COMMIT || !(r->protect & PAGE_GUARD)) return;
  const uint64_t page = f.address & ~(kPageSize - 1);
  const uint32_t protect = r->protect & ~PAGE_GUARD;
  if (mprotect(reinterpret_cast<void*>(page), kPageSize, linux_prot_from_page(protect)) != 0)
    return;
  as.set_protect(page, kPageSize, protect);
  f.code = kStatusGuardPageViolation;
}

// Async-signal-safe formatting for the unhandled-exception line.
class Line {
 public:
  Line& str(const char* s) {
    while (*s && len_ < sizeof(buf_)) buf_[len_++] = *s++;
    return *this;
  }
  Line& hex(uint64_t v, int min_digits = 1) {
    char tmp[16];
    int n = 0;
    do {
      tmp[n++] = "0123456789abcdef"[v & 0xf];
      v >>= 4;
    } while (v || n < min_digits);
    str("0x");
    while (n && len_ < sizeof(buf_)) buf_[len_++] = tmp[--n];
    return *this;
  }
  void write_stderr() const { (void)!::write(STDERR_FILENO, buf_, len_); }

 private:
  char buf_[256];
  size_t len_ = 0;
};

[[noreturn]] void unhandled(const WindowsFault& f) {
  Line line;
  line.str("ireactor: unhandled exception ");
  char code[11] = "0x";
  for (int i = 0; i < 8; ++i) {
    code[2 + i] = "0123456789ABCDEF"[(static_cast<uint32_t>(f.code) >> (28 - 4 * i)) & 0xf];
  }
  code[10] = '\0';
  line.str(code);
  if (f.code == nt::STATUS_ACCESS_VIOLATION || f.code == kStatusGuardPageViolation) {
    line.str(f.code == nt::STATUS_ACCESS_VIOLATION ? " (access violation " : " (guard page ");
    line.str(f.access == 8 ? "executing " : f.access == 1 ? "writing " : "reading ");
    line.hex(f.address).str(")");
  }
  line.str(" at ").hex(f.pc).str("\n");
  line.write_stderr();
  // Windows ends the process with the exception code as its exit status (a child's parent reads
  // all 32 bits of it from the status pipe).
  if (const int fd = current_process().exit_status_fd; fd >= 0)
    (void)!write(fd, &f.code, sizeof f.code);
  syscall(SYS_exit_group, static_cast<int>(f.code));
  __builtin_unreachable();
}

void crash_as_default(int sig, const siginfo_t* si) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  // A fault re-faults when we return; a signal sent by kill() would not, so send it again.
  if (si->si_code <= 0) raise(sig);
}

void on_fault(int sig, siginfo_t* si, void* context) {
  entry::RuntimeScope runtime;  // keep SUD from diverting the syscalls made here
  auto* uc = static_cast<ucontext_t*>(context);
  const uint64_t pc = reg(uc, REG_RIP);

  if (in_safe_copy(pc)) {
    uc->uc_mcontext.gregs[REG_RIP] = reinterpret_cast<greg_t>(&ir_safe_memcpy_fault);
    return;
  }

  // A thread inside an AddressSpace locked section is running runtime code; taking the lock
  // again could deadlock, and the fault is a runtime bug anyway.
  if (si->si_code > 0 && !AddressSpace::lock_held_by_this_thread()) {
    AddressSpace& as = current_process().address_space;
    WindowsFault f = describe(sig, si, uc);
    if (from_windows_code(as, f, uc)) {
      classify_stack_overflow(as, f, uc);
      lift_guard(as, f);
      WindowsExceptionHandler handler = g_windows_handler.load(std::memory_order_acquire);
      if (handler && handler(f, uc)) return;
      unhandled(f);
    }
  }
  crash_as_default(sig, si);
}

}  // namespace

void ensure_signal_stack() {
  AltStack& alt = t_altstack;
  if (alt.checked) return;
  alt.checked = true;
  stack_t cur{};
  if (sigaltstack(nullptr, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) return;  // already has one
  const long min = sysconf(_SC_MINSIGSTKSZ);
  const size_t usable = std::max<size_t>(64 * 1024, min > 0 ? 4 * static_cast<size_t>(min) : 0);
  const size_t total = ((usable + kPageSize - 1) & ~(kPageSize - 1)) + kPageSize;  // + guard
  void* mem =
      mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (mem == MAP_FAILED) return;
  mprotect(mem, kPageSize, PROT_NONE);  // an overflow faults instead of corrupting memory
  stack_t ss{};
  ss.ss_sp = static_cast<char*>(mem) + kPageSize;
  ss.ss_size = total - kPageSize;
  if (sigaltstack(&ss, nullptr) != 0) {
    munmap(mem, total);
    return;
  }
  alt.mem = mem;
  alt.size = total;
}

void install_user_fault_handler() {
  // Install unless already ours: something else (a test harness, a library) may have put its
  // own handler in since.
  static std::mutex m;
  {
    std::lock_guard lock(m);
    for (int sig : kFaultSignals) {
      struct sigaction cur {};
      sigaction(sig, nullptr, &cur);
      if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_fault) continue;
      struct sigaction sa {};
      sa.sa_sigaction = on_fault;
      // SA_NODEFER: a fault inside ir_safe_memcpy while a handler runs (an SEH dispatcher
      // writing to the Windows stack) is still recovered; any other nested fault crashes.
      sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
      sigemptyset(&sa.sa_mask);
      sigaction(sig, &sa, nullptr);
    }
  }
  ensure_signal_stack();
  g_user_fault_handler_installed.store(true, std::memory_order_release);
}

void set_windows_exception_handler(WindowsExceptionHandler fn) {
  g_windows_handler.store(fn, std::memory_order_release);
}

}  // namespace ireactor
