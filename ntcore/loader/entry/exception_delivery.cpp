// Windows exceptions on the executive's side:
//  - a fault of Windows code (the SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP handler's hook) becomes
//    an EXCEPTION_RECORD and a CONTEXT written to the thread's Windows stack at Windows' layout,
//    and the thread resumes in ntdll's KiUserExceptionDispatcher, which runs the handlers;
//  - NtContinue resumes a thread at a CONTEXT;
//  - NtRaiseException delivers an exception the same way, or ends the process (second chance).
//
// Resuming at a CONTEXT is an rt_sigreturn with a signal frame built from it: that restores every
// register, EFlags and the FXSAVE state at once, whichever way the thread entered the runtime
// (fast gate, or inside the SIGSYS handler of Syscall User Dispatch, whose frame it abandons).
// The rt_sigreturn is issued by glibc's signal restorer, which lies in libc's text where SUD
// never diverts a syscall, so the selector can be set to block (Windows code) before it.
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstring>

#include "ireactor/entry.h"
#include "ireactor/process/terminate.h"
#include "ireactor/services/exception_services.h"
#include "ireactor/user_memory.h"
#include "module_list.h"
#include "windows_context.h"

namespace ireactor {

namespace entry {

namespace {

// The frame KiUserExceptionDispatcher is entered with (its rsp): CONTEXT, CONTEXT_EX,
// EXCEPTION_RECORD, then the machine frame of the interrupted code, as Windows lays it out.
struct ContextEx {
  int32_t all_offset;
  uint32_t all_length;
  int32_t legacy_offset;
  uint32_t legacy_length;
  int32_t xstate_offset;
  uint32_t xstate_length;
  uint64_t pad;
};
constexpr uint32_t kContextExSize = 0x18;  // All, Legacy, XState
struct MachineFrame {
  uint64_t rip, cs, eflags, rsp, ss;
};
struct alignas(16) DispatcherFrame {
  WinContext context;          // 0x000
  ContextEx context_ex;        // 0x4D0
  WinExceptionRecord record;   // 0x4F0
  uint64_t align;              // 0x588
  MachineFrame machine_frame;  // 0x590
};
static_assert(offsetof(DispatcherFrame, context_ex) == 0x4D0);
static_assert(offsetof(DispatcherFrame, record) == 0x4F0);
static_assert(offsetof(DispatcherFrame, machine_frame) == 0x590);

constexpr uint16_t kUserCs = 0x33, kUserDs = 0x2B, kUserFs = 0x53;
constexpr uint32_t kEflagsTrap = 0x100;
constexpr size_t kFxMxcsrOffset = 24;
constexpr size_t kFxSwReservedOffset = 464;  // where the kernel looks for its xstate magic

constexpr nt::NTSTATUS kStatusSingleStep = nt::status(0x80000004);

// ntdll's KiUserExceptionDispatcher; 0 while ntdll is not loaded (or lacks it).
uint64_t dispatcher_address() {
  static std::atomic<uint64_t> cached{0};
  uint64_t address = cached.load(std::memory_order_acquire);
  if (address) return address;
  loader::LoadedModule* ntdll = loader::loaded_modules().find("ntdll.dll");
  loader::ExportTarget target;
  if (!ntdll || !ntdll->exports.find_name("KiUserExceptionDispatcher", 0, target) ||
      !target.forwarder.empty())
    return 0;
  cached.store(target.address, std::memory_order_release);
  return target.address;
}

void fill_dispatcher_frame(const WinExceptionRecord& record, const WinContext& context,
                           DispatcherFrame& frame) {
  frame = DispatcherFrame{};
  frame.context = context;
  frame.context_ex.all_offset = -static_cast<int32_t>(sizeof(WinContext));
  frame.context_ex.all_length = sizeof(WinContext) + kContextExSize;
  frame.context_ex.legacy_offset = -static_cast<int32_t>(sizeof(WinContext));
  frame.context_ex.legacy_length = sizeof(WinContext);
  frame.context_ex.xstate_offset = kContextExSize + 1;  // no XSTATE area, as Windows marks it
  frame.record = record;
  frame.machine_frame = {context.Rip, kUserCs, context.EFlags, context.Rsp, kUserDs};
}

// Where the dispatcher frame goes: below the interrupted code's stack pointer, 16-aligned.
uint64_t dispatcher_rsp(const WinContext& context) {
  return (context.Rsp - sizeof(DispatcherFrame)) & ~uint64_t{15};
}

// Writes the dispatcher frame (from a signal handler, on its own stack); the rsp to enter the
// dispatcher with, or 0 when the stack cannot take it (an overflowed or wild stack: the
// exception is then unhandled).
uint64_t push_dispatcher_frame(const WinExceptionRecord& record, const WinContext& context) {
  DispatcherFrame frame;
  fill_dispatcher_frame(record, context, frame);
  const uint64_t rsp = dispatcher_rsp(context);
  if (!copy_to_user(rsp, &frame, sizeof(frame))) return 0;
  return rsp;
}

// glibc's signal restorer (`mov $15, %eax; syscall`): the fault handler was installed with it.
uint64_t signal_restorer() {
  struct sigaction sa {};
  sigaction(SIGSEGV, nullptr, &sa);
  return reinterpret_cast<uint64_t>(sa.sa_restorer);
}

// What resume() builds, per thread and off the stack: entered through the fast gate, the runtime
// runs on the Windows stack, right where a dispatcher frame may have to go.
struct alignas(64) ResumeScratch {
  ucontext_t uc;
  alignas(64) uint8_t fx[512];
  uint8_t siginfo_room[128];  // rt_sigreturn's frame covers a siginfo after the ucontext
  DispatcherFrame staged;     // written to the Windows stack once off it
};
thread_local ResumeScratch t_resume;

// Resumes at `c`; with `push`, first writes *push at push_at (checked writable by the caller),
// after leaving the current stack.
[[noreturn]] void resume(const WinContext& c, const DispatcherFrame* push = nullptr,
                         uint64_t push_at = 0) {
  ResumeScratch& f = t_resume;
  std::memset(&f.uc, 0, sizeof(f.uc));
  greg_t* g = f.uc.uc_mcontext.gregs;
  g[REG_R8] = static_cast<greg_t>(c.R8);
  g[REG_R9] = static_cast<greg_t>(c.R9);
  g[REG_R10] = static_cast<greg_t>(c.R10);
  g[REG_R11] = static_cast<greg_t>(c.R11);
  g[REG_R12] = static_cast<greg_t>(c.R12);
  g[REG_R13] = static_cast<greg_t>(c.R13);
  g[REG_R14] = static_cast<greg_t>(c.R14);
  g[REG_R15] = static_cast<greg_t>(c.R15);
  g[REG_RDI] = static_cast<greg_t>(c.Rdi);
  g[REG_RSI] = static_cast<greg_t>(c.Rsi);
  g[REG_RBP] = static_cast<greg_t>(c.Rbp);
  g[REG_RBX] = static_cast<greg_t>(c.Rbx);
  g[REG_RDX] = static_cast<greg_t>(c.Rdx);
  g[REG_RAX] = static_cast<greg_t>(c.Rax);
  g[REG_RCX] = static_cast<greg_t>(c.Rcx);
  g[REG_RSP] = static_cast<greg_t>(c.Rsp);
  g[REG_RIP] = static_cast<greg_t>(c.Rip);
  g[REG_EFL] = static_cast<greg_t>(c.EFlags);  // the kernel keeps only the user-settable flags
  g[REG_CSGSFS] = static_cast<greg_t>(uint64_t{kUserCs} | (uint64_t{kUserDs} << 48));
  if ((c.ContextFlags & kContextFloatingPoint) == kContextFloatingPoint) {
    std::memcpy(f.fx, c.FltSave, sizeof(f.fx));
  } else {
    __builtin_ia32_fxsave64(f.fx);
  }
  // Legacy FXSAVE format for the kernel (no xstate magic); reserved MXCSR bits would fault.
  std::memset(f.fx + kFxSwReservedOffset, 0, sizeof(f.fx) - kFxSwReservedOffset);
  uint32_t mxcsr;
  std::memcpy(&mxcsr, f.fx + kFxMxcsrOffset, sizeof(mxcsr));
  mxcsr &= 0xFFFF;
  std::memcpy(f.fx + kFxMxcsrOffset, &mxcsr, sizeof(mxcsr));
  f.uc.uc_mcontext.fpregs = reinterpret_cast<fpregset_t>(f.fx);
  f.uc.uc_flags = 0x2;  // UC_SIGCONTEXT_SS: ss is in the frame

  // The signals of faults must reach Windows code; if this runs inside the SIGSYS handler,
  // SIGSYS is blocked now and must not stay so.
  sigset_t mask;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) sigdelset(&mask, sig);
  f.uc.uc_sigmask = mask;
  stack_t ss{};
  sigaltstack(nullptr, &ss);
  ss.ss_flags &= ~SS_ONSTACK;
  f.uc.uc_stack = ss;

  const uint64_t restorer = signal_restorer();
  if (!restorer) {
    static const char msg[] = "ireactor: no signal restorer to resume Windows code with\n";
    [[maybe_unused]] auto r = write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
  }
  const void* src = push ? static_cast<const void*>(push) : nullptr;
  const size_t n = push ? sizeof(DispatcherFrame) : 0;
  // From here to the rt_sigreturn, rsp points into this thread's scratch: no signal may be
  // delivered on it (rt_sigreturn installs the mask above).
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, nullptr);
  // rt_sigreturn reads the ucontext at rsp (its frame is rsp - 8: the popped return address).
  *static_cast<volatile uint8_t*>(&ir_sud_selector) = kSelectorBlock;
  __asm__ volatile(
      "movq %0, %%rsp\n\t"
      "cld\n\t"
      "rep movsb\n\t"
      "jmpq *%1"
      :
      : "r"(&f.uc), "r"(restorer), "S"(src), "D"(push_at), "c"(n)
      : "memory");
  __builtin_unreachable();
}

void put_hex(char*& p, uint64_t v, int width) {
  *p++ = '0';
  *p++ = 'x';
  char digits[17];
  auto [end, ec] = std::to_chars(digits, digits + 16, v, 16);
  for (int pad = width - static_cast<int>(end - digits); pad > 0; --pad) *p++ = '0';
  for (char* d = digits; d != end; ++d) *p++ = *d >= 'a' ? static_cast<char>(*d - 32) : *d;
}

[[noreturn]] void die_unhandled(const WinExceptionRecord& record) {
  char line[128];
  char* p = line;
  const char prefix[] = "ireactor: unhandled exception ";
  std::memcpy(p, prefix, sizeof prefix - 1);
  p += sizeof prefix - 1;
  put_hex(p, record.ExceptionCode, 8);
  const char at[] = " at ";
  std::memcpy(p, at, sizeof at - 1);
  p += sizeof at - 1;
  put_hex(p, record.ExceptionAddress, 1);
  *p++ = '\n';
  [[maybe_unused]] auto r = write(STDERR_FILENO, line, static_cast<size_t>(p - line));
  terminate_current_process(static_cast<nt::NTSTATUS>(record.ExceptionCode));
}

// The fault hook: the exception is dispatched in the thread by ntdll, on its Windows stack.
bool deliver_fault(const WindowsFault& fault, void* ucontext) {
  const uint64_t dispatcher = dispatcher_address();
  if (!dispatcher) return false;
  auto* uc = static_cast<ucontext_t*>(ucontext);
  WinExceptionRecord record{};
  record.ExceptionCode = static_cast<uint32_t>(fault.code);
  record.ExceptionAddress = fault.pc;
  WinContext context{};
  context_from_signal(*uc, context);
  if (fault.code == nt::STATUS_ACCESS_VIOLATION || fault.code == nt::STATUS_IN_PAGE_ERROR ||
      fault.code == nt::status(0x80000001) /* guard page */) {
    record.NumberParameters = 2;
    record.ExceptionInformation[0] = fault.access;
    record.ExceptionInformation[1] = fault.address;
  } else if (fault.code == nt::STATUS_BREAKPOINT) {
    record.NumberParameters = 1;  // BREAKPOINT_BREAK
    context.Rip = fault.pc;       // Windows reports the int3 itself, not the next instruction
  } else if (fault.code == kStatusSingleStep) {
    context.EFlags &= ~kEflagsTrap;
  }
  const uint64_t rsp = push_dispatcher_frame(record, context);
  if (!rsp) return false;
  uc->uc_mcontext.gregs[REG_RSP] = static_cast<greg_t>(rsp);
  uc->uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(dispatcher);
  uc->uc_mcontext.gregs[REG_EFL] &= ~static_cast<greg_t>(kEflagsTrap);
  return true;
}

// Linked in with the services (the service table refers to them), so the hook is in place
// before any Windows code runs.
[[maybe_unused]] const bool g_fault_hook_installed =
    (set_windows_exception_handler(&deliver_fault), true);

}  // namespace

void context_from_signal(const ucontext_t& uc, WinContext& c) {
  const greg_t* g = uc.uc_mcontext.gregs;
  auto u = [g](int r) { return static_cast<uint64_t>(g[r]); };
  c.ContextFlags = kContextFaultFlags;
  c.SegCs = kUserCs;
  c.SegDs = c.SegEs = c.SegGs = c.SegSs = kUserDs;
  c.SegFs = kUserFs;
  c.EFlags = static_cast<uint32_t>(u(REG_EFL));
  c.Rax = u(REG_RAX);
  c.Rcx = u(REG_RCX);
  c.Rdx = u(REG_RDX);
  c.Rbx = u(REG_RBX);
  c.Rsp = u(REG_RSP);
  c.Rbp = u(REG_RBP);
  c.Rsi = u(REG_RSI);
  c.Rdi = u(REG_RDI);
  c.R8 = u(REG_R8);
  c.R9 = u(REG_R9);
  c.R10 = u(REG_R10);
  c.R11 = u(REG_R11);
  c.R12 = u(REG_R12);
  c.R13 = u(REG_R13);
  c.R14 = u(REG_R14);
  c.R15 = u(REG_R15);
  c.Rip = u(REG_RIP);
  if (uc.uc_mcontext.fpregs) {
    std::memcpy(c.FltSave, uc.uc_mcontext.fpregs, sizeof(c.FltSave));
    std::memcpy(&c.MxCsr, c.FltSave + kFxMxcsrOffset, sizeof(c.MxCsr));
  }
}

}  // namespace entry

nt::NTSTATUS NtContinue(UserPtr<void> context, nt::BOOLEAN) {
  entry::WinContext c;
  if (!copy_from_user(&c, context.addr(), sizeof(c))) return nt::STATUS_ACCESS_VIOLATION;
  entry::resume(c);
}

nt::NTSTATUS NtRaiseException(UserPtr<void> record, UserPtr<void> context,
                              nt::BOOLEAN first_chance) {
  entry::WinExceptionRecord r;
  entry::WinContext c;
  // Only the parameters the record says it has need to be readable.
  constexpr size_t kHeader = offsetof(entry::WinExceptionRecord, ExceptionInformation);
  if (!copy_from_user(&r, record.addr(), kHeader)) return nt::STATUS_ACCESS_VIOLATION;
  if (r.NumberParameters > entry::kExceptionMaximumParameters) return nt::STATUS_INVALID_PARAMETER;
  std::memset(r.ExceptionInformation, 0, sizeof(r.ExceptionInformation));
  if (!copy_from_user(r.ExceptionInformation, record.addr() + kHeader,
                      r.NumberParameters * sizeof(uint64_t)) ||
      !copy_from_user(&c, context.addr(), sizeof(c)))
    return nt::STATUS_ACCESS_VIOLATION;
  if (!first_chance) entry::die_unhandled(r);
  const uint64_t dispatcher = entry::dispatcher_address();
  const uint64_t rsp = entry::dispatcher_rsp(c);
  if (!dispatcher || !probe_user(rsp, sizeof(entry::DispatcherFrame), true))
    entry::die_unhandled(r);
  entry::DispatcherFrame& staged = entry::t_resume.staged;
  entry::fill_dispatcher_frame(r, c, staged);
  entry::WinContext at_dispatcher = c;
  at_dispatcher.Rsp = rsp;
  at_dispatcher.Rip = dispatcher;
  at_dispatcher.EFlags &= ~entry::kEflagsTrap;
  entry::resume(at_dispatcher, &staged, rsp);
}

}  // namespace ireactor
