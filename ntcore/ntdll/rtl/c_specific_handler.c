/* __C_specific_handler: the language handler of MSVC's __try/__except/__finally, driven by the
 * SCOPE_TABLE in the function's unwind handler data. During dispatch it runs the filters of the
 * scopes containing the PC and, when one accepts, unwinds to its __except block; during unwind
 * it runs the __finally blocks of the scopes being left. */
#include "exception_private.h"

typedef struct C_SCOPE_TABLE {
  ULONG Count;
  struct {
    ULONG BeginAddress;
    ULONG EndAddress;
    ULONG HandlerAddress; /* filter (or 1: EXCEPTION_EXECUTE_HANDLER), or the __finally */
    ULONG JumpTarget;     /* the __except block; 0 for a __finally */
  } ScopeRecord[];
} C_SCOPE_TABLE;

/* mingw-w64 declares it dllimport (a CRT function there); ntdll is where it lives. */
#pragma GCC diagnostic ignored "-Wattributes"

typedef LONG(__cdecl* C_FILTER)(EXCEPTION_POINTERS* ptrs, PVOID frame);
typedef void(__cdecl* C_TERMINATION)(BOOLEAN abnormal, PVOID frame);

NTDLL_EXPORT EXCEPTION_DISPOSITION __cdecl __C_specific_handler(EXCEPTION_RECORD* rec, void* frame,
                                                                CONTEXT* context,
                                                                DISPATCHER_CONTEXT* dispatch) {
  const C_SCOPE_TABLE* table = dispatch->HandlerData;
  const ULONG64 base = dispatch->ImageBase;
  const ULONG pc = (ULONG)(dispatch->ControlPc - base);

  if (!(rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND))) {
    EXCEPTION_POINTERS ptrs = {rec, context};
    for (ULONG i = dispatch->ScopeIndex; i < table->Count; i++) {
      if (pc < table->ScopeRecord[i].BeginAddress || pc >= table->ScopeRecord[i].EndAddress)
        continue;
      if (!table->ScopeRecord[i].JumpTarget) continue; /* a __finally: no filter */
      LONG result = EXCEPTION_EXECUTE_HANDLER;
      if (table->ScopeRecord[i].HandlerAddress != EXCEPTION_EXECUTE_HANDLER)
        result = ((C_FILTER)(base + table->ScopeRecord[i].HandlerAddress))(&ptrs, frame);
      if (result < 0) return ExceptionContinueExecution;
      if (result > 0) {
        RtlUnwindEx(frame, (PVOID)(base + table->ScopeRecord[i].JumpTarget), rec,
                    (PVOID)(ULONG_PTR)rec->ExceptionCode, dispatch->ContextRecord,
                    dispatch->HistoryTable);
      }
    }
    return ExceptionContinueSearch;
  }

  const ULONG target = (ULONG)(dispatch->TargetIp - base);
  for (ULONG i = dispatch->ScopeIndex; i < table->Count; i++) {
    if (pc < table->ScopeRecord[i].BeginAddress || pc >= table->ScopeRecord[i].EndAddress) continue;
    if (rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) {
      /* In the target frame, stop at the scope whose __except is the target, or that
       * encloses the target: those scopes are not being left. */
      if (target >= table->ScopeRecord[i].BeginAddress && target < table->ScopeRecord[i].EndAddress)
        break;
      if (table->ScopeRecord[i].JumpTarget == target) break;
    }
    if (table->ScopeRecord[i].JumpTarget) continue;
    /* Past this scope if the __finally starts an unwind of its own (a collided unwind). */
    dispatch->ScopeIndex = i + 1;
    ((C_TERMINATION)(base + table->ScopeRecord[i].HandlerAddress))(TRUE, frame);
  }
  return ExceptionContinueSearch;
}
