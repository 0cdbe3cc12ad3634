// The Windows x64 CONTEXT and EXCEPTION_RECORD as the executive reads and writes them in Windows
// memory, and moving a thread between a Linux signal context and a CONTEXT.
#pragma once

#include <ucontext.h>

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor::entry {

struct alignas(16) WinContext {
  uint64_t P1Home, P2Home, P3Home, P4Home, P5Home, P6Home;
  uint32_t ContextFlags;
  uint32_t MxCsr;
  uint16_t SegCs, SegDs, SegEs, SegFs, SegGs, SegSs;
  uint32_t EFlags;
  uint64_t Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
  uint64_t Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8, R9, R10, R11, R12, R13, R14, R15;
  uint64_t Rip;
  uint8_t FltSave[512];  // XMM_SAVE_AREA32: the FXSAVE layout
  uint8_t VectorRegister[26 * 16];
  uint64_t VectorControl, DebugControl, LastBranchToRip, LastBranchFromRip, LastExceptionToRip,
      LastExceptionFromRip;
};
static_assert(sizeof(WinContext) == 0x4D0);
static_assert(offsetof(WinContext, ContextFlags) == 0x30);
static_assert(offsetof(WinContext, EFlags) == 0x44);
static_assert(offsetof(WinContext, Rax) == 0x78);
static_assert(offsetof(WinContext, Rip) == 0xF8);
static_assert(offsetof(WinContext, FltSave) == 0x100);

inline constexpr uint32_t kContextAmd64 = 0x00100000;
inline constexpr uint32_t kContextFloatingPoint = kContextAmd64 | 0x8;
// CONTROL | INTEGER | SEGMENTS | FLOATING_POINT, what a fault's context holds
inline constexpr uint32_t kContextFaultFlags = kContextAmd64 | 0xF;

inline constexpr uint32_t kExceptionMaximumParameters = 15;
inline constexpr uint32_t kExceptionNoncontinuable = 1;

struct WinExceptionRecord {
  uint32_t ExceptionCode;
  uint32_t ExceptionFlags;
  uint64_t ExceptionRecord;
  uint64_t ExceptionAddress;
  uint32_t NumberParameters;
  uint32_t pad;
  uint64_t ExceptionInformation[kExceptionMaximumParameters];
};
static_assert(sizeof(WinExceptionRecord) == 0x98);

// The thread's registers at a signal, as a CONTEXT.
void context_from_signal(const ucontext_t& uc, WinContext& out);

}  // namespace ireactor::entry
