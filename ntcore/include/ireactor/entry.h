// The entry paths from Windows code into the dispatcher (loader/entry/): the fast gate, a
// pointer the ntdll stubs call through, and Syscall User Dispatch, which turns a raw `syscall`
// instruction in Windows code into SIGSYS.
#pragma once

#include <cstdint>

// SUD's selector byte of the calling thread (initial-exec TLS defined in the executable, so asm
// can store to it with `movb $v, %fs:ir_sud_selector@tpoff`). The kernel reads it on every
// `syscall` outside libc's text: kSelectorAllow lets the syscall through, kSelectorBlock turns it
// into SIGSYS. Runtime code runs with Allow (the initial value), Windows code with Block.
extern "C" __thread uint8_t ir_sud_selector;

namespace ireactor::entry {

inline constexpr uint8_t kSelectorAllow = 0;  // SYSCALL_DISPATCH_FILTER_ALLOW
inline constexpr uint8_t kSelectorBlock = 1;  // SYSCALL_DISPATCH_FILTER_BLOCK

enum class Mode : uint8_t { Gate, Sud };

// The page after KUSER_SHARED_DATA that every ntdll stub reads (Windows address space, read-only
// to Windows code). Stubs do `test byte [kGateFlagAddress], 1; jnz gate; syscall; ret;
// gate: call [kGatePointerAddress]; ret`.
inline constexpr uint64_t kGatePageAddress = 0x7ffe1000;
inline constexpr uint64_t kGatePointerAddress = 0x7ffe1000;  // address of the gate thunk
inline constexpr uint64_t kGateFlagAddress = 0x7ffe1008;     // bit 0: 1 = call the gate
// The NT numbers the gate hands to its lanes before anything else, under the selected build
// (0xFFFFFFFF while a lane is off), in the same cache line as the pointer every stub reads:
// NtReadFile and NtWriteFile to the file lane (io/fast_file_io.cpp), NtQueryPerformanceCounter
// to the counter lane (system/fast_performance_counter.cpp).
inline constexpr uint64_t kGateFastReadAddress = 0x7ffe1010;
inline constexpr uint64_t kGateFastWriteAddress = 0x7ffe1014;
inline constexpr uint64_t kGateFastCounterAddress = 0x7ffe1018;
// What a lane returns when the call must take the full path (the dispatcher) instead.
inline constexpr uint64_t kLaneDeclined = ~0ull;

// Maps the gate page and records it in the address space; mode picks what the stubs do, and
// fast_lanes turns on the gate's lanes (not with the kmod entry, which serves these calls in
// the kernel). Once per process, after the Windows build is selected and before any Windows
// code runs.
void install_gate_page(Mode mode, bool fast_lanes = false);

// Turns on Syscall User Dispatch for the calling thread: from now on a `syscall` instruction
// outside libc's text traps into the dispatcher while the thread runs Windows code. Per thread,
// just before it first enters Windows code.
void enable_syscall_user_dispatch();
// Whether some thread enabled it: the process diverts raw syscalls, so every new thread must too.
bool syscall_user_dispatch_enabled();

// SUD's per-thread selector byte. Runtime code (signal handlers, the gate) must run with it set
// to allow, so a syscall from the runtime (vDSO fallbacks included) is never diverted; the guard
// sets it for its scope and puts back what was there.
class RuntimeScope {
 public:
  RuntimeScope();
  ~RuntimeScope();
  RuntimeScope(const RuntimeScope&) = delete;
  RuntimeScope& operator=(const RuntimeScope&) = delete;

 private:
  uint8_t saved_;
};

// The other direction: sets the selector to block for its scope, around a transfer into Windows
// code made from C++ (entry point, TLS callbacks, an ms_abi call in a test), and puts back what
// was there. Nothing between the constructor and the call may issue a syscall outside libc.
class WindowsCodeScope {
 public:
  WindowsCodeScope();
  ~WindowsCodeScope();
  WindowsCodeScope(const WindowsCodeScope&) = delete;
  WindowsCodeScope& operator=(const WindowsCodeScope&) = delete;

 private:
  uint8_t saved_;
};

}  // namespace ireactor::entry
