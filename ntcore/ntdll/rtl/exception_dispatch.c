/* Exception dispatch: KiUserExceptionDispatcher (where the runtime resumes a thread that
 * faulted, with the record and context on its stack), RtlDispatchException (vectored handlers,
 * then each frame's language handler found by unwinding), RtlRaiseException/RtlRaiseStatus
 * (software exceptions) and the unhandled-exception filter. */
#include "exception_private.h"

/* The frames from which handlers are called. Each has a handler of its own that recognises
 * what the called handler starts: an exception raised inside it during dispatch is reported as
 * nested (ExceptionNestedException, with the establisher frame of the frame being dispatched),
 * an unwind started inside it while this unwind runs as collided (ExceptionCollidedUnwind, with
 * a copy of this unwind's dispatcher context, so the new unwind carries on from where this one
 * is). The DISPATCHER_CONTEXT pointer is kept at establisher frame + 0x20; the nop keeps the
 * return address out of the epilogue. */
#define CALL_HANDLER_FRAME(name, guard)                               \
  __asm__(                                                            \
      ".text\n"                                                       \
      ".globl " #name                                                 \
      "\n"                                                            \
      ".def " #name                                                   \
      "; .scl 2; .type 32; .endef\n"                                  \
      ".seh_proc " #name "\n" #name                                   \
      ":\n\t"                                                         \
      "subq $0x28, %rsp\n\t"                                          \
      ".seh_stackalloc 0x28\n\t"                                      \
      ".seh_endprologue\n\t"                                          \
      ".seh_handler " #guard                                          \
      ", @except, @unwind\n\t"                                        \
      "movq %r9, 0x20(%rsp)\n\t"                                      \
      "callq *0x30(%r9)\n\t" /* DISPATCHER_CONTEXT.LanguageHandler */ \
      "nop\n\t"                                                       \
      "addq $0x28, %rsp\n\t"                                          \
      "ret\n\t"                                                       \
      ".seh_endproc")

_Static_assert(offsetof(DISPATCHER_CONTEXT, LanguageHandler) == 0x30, "layout");

#define UNWINDING (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)

static DISPATCHER_CONTEXT* outer_dispatch(PVOID frame) {
  return *(DISPATCHER_CONTEXT**)((BYTE*)frame + 0x20);
}

EXCEPTION_DISPOSITION exceptions_nested_guard(EXCEPTION_RECORD* rec, PVOID frame, CONTEXT* context,
                                              DISPATCHER_CONTEXT* dispatch) {
  if (rec->ExceptionFlags & UNWINDING) return ExceptionContinueSearch;
  dispatch->EstablisherFrame = outer_dispatch(frame)->EstablisherFrame;
  return ExceptionNestedException;
}

EXCEPTION_DISPOSITION exceptions_collided_guard(EXCEPTION_RECORD* rec, PVOID frame,
                                                CONTEXT* context, DISPATCHER_CONTEXT* dispatch) {
  if (!(rec->ExceptionFlags & UNWINDING)) return ExceptionContinueSearch;
  *dispatch = *outer_dispatch(frame);
  return ExceptionCollidedUnwind;
}

CALL_HANDLER_FRAME(exceptions_call_exception_handler, exceptions_nested_guard);
CALL_HANDLER_FRAME(exceptions_call_unwind_handler, exceptions_collided_guard);

/* An exception about the dispatch itself (a bad disposition, continuing a noncontinuable
 * exception), chained to the one being dispatched. */
static __attribute__((noreturn)) void raise_about(EXCEPTION_RECORD* rec, NTSTATUS status) {
  EXCEPTION_RECORD about = {0};
  about.ExceptionCode = (DWORD)status;
  about.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
  about.ExceptionRecord = rec;
  for (;;) RtlRaiseException(&about);
}

BOOLEAN exceptions_dispatch(EXCEPTION_RECORD* rec, CONTEXT* context) {
  if (exceptions_call_vectored(rec, context, FALSE) == EXCEPTION_CONTINUE_EXECUTION) goto handled;

  CONTEXT walk = *context;
  DISPATCHER_CONTEXT dispatch = {0};
  UNWIND_HISTORY_TABLE table = {0};
  ULONG_PTR nested_frame = 0;
  for (unsigned depth = 0;; depth++) {
    ULONG_PTR frame;
    PVOID data;
    PEXCEPTION_ROUTINE handler =
        exceptions_unwind_frame(UNW_FLAG_EHANDLER, &walk, &frame, &data, &dispatch, &table);
    /* A return address in no module nor dynamic table is where Windows code was entered
     * from (the runtime): the end of the walk. */
    if (depth && !dispatch.FunctionEntry && !exceptions_image_of(dispatch.ControlPc, NULL)) break;
    if (!exceptions_on_stack(frame) || (frame & 7)) {
      rec->ExceptionFlags |= EXCEPTION_STACK_INVALID;
      break;
    }
    if (handler) {
      dispatch.ContextRecord = &walk;
      dispatch.HistoryTable = &table;
      dispatch.ScopeIndex = 0;
      dispatch.TargetIp = 0;
      EXCEPTION_DISPOSITION result =
          exceptions_call_exception_handler(rec, (PVOID)frame, context, &dispatch);
      if (nested_frame == frame) { /* back at the frame whose handler raised: no longer nested */
        rec->ExceptionFlags &= ~EXCEPTION_NESTED_CALL;
        nested_frame = 0;
      }
      switch (result) {
        case ExceptionContinueExecution:
          if (rec->ExceptionFlags & EXCEPTION_NONCONTINUABLE)
            raise_about(rec, STATUS_NONCONTINUABLE_EXCEPTION);
          goto handled;
        case ExceptionContinueSearch:
          break;
        case ExceptionNestedException:
          rec->ExceptionFlags |= EXCEPTION_NESTED_CALL;
          if (dispatch.EstablisherFrame > nested_frame) nested_frame = dispatch.EstablisherFrame;
          break;
        default:
          raise_about(rec, STATUS_INVALID_DISPOSITION);
      }
    }
    if (!walk.Rip || !exceptions_on_stack(walk.Rsp)) break;
  }
  return FALSE;

handled:
  exceptions_call_vectored(rec, context, TRUE);
  return TRUE;
}

/* ---- Unhandled exceptions ----------------------------------------------------------------- */

static EXCEPTIONS_UNHANDLED_FILTER unhandled_filter;

NTDLL_EXPORT VOID NTAPI RtlSetUnhandledExceptionFilter(EXCEPTIONS_UNHANDLED_FILTER filter) {
  InterlockedExchangePointer((PVOID*)&unhandled_filter, (PVOID)filter);
}

/* What the __except of Windows' thread start does: ask the filter (kernelbase installs
 * UnhandledExceptionFilter, which runs the program's SetUnhandledExceptionFilter), then end the
 * process with the exception code. Without a filter, or when it keeps searching, the second
 * chance goes to the executive, which reports the exception and ends the process. */
void exceptions_unhandled(EXCEPTION_RECORD* rec, CONTEXT* context) {
  EXCEPTIONS_UNHANDLED_FILTER filter = unhandled_filter;
  if (filter) {
    EXCEPTION_POINTERS ptrs = {rec, context};
    const LONG result = filter(&ptrs);
    if (result == EXCEPTION_CONTINUE_EXECUTION) NtContinue(context, FALSE);
    if (result == EXCEPTION_EXECUTE_HANDLER)
      NtTerminateProcess(EXCEPTIONS_CURRENT_PROCESS, (NTSTATUS)rec->ExceptionCode);
  }
  NtRaiseException(rec, context, FALSE);
  for (;;) NtTerminateProcess(EXCEPTIONS_CURRENT_PROCESS, (NTSTATUS)rec->ExceptionCode);
}

/* ---- Entry points ------------------------------------------------------------------------- */

void exceptions_user_dispatch(EXCEPTION_RECORD* rec, CONTEXT* context) {
  if (exceptions_dispatch(rec, context)) {
    const NTSTATUS status = NtContinue(context, FALSE);
    RtlRaiseStatus(status);
  }
  exceptions_unhandled(rec, context);
}

/* Entered (not called) with the CONTEXT at rsp, the EXCEPTION_RECORD at rsp + 0x4F0 and the
 * interrupted code's machine frame at rsp + 0x590: the unwind data says so, so a backtrace or
 * a nested exception walks from here into the code that faulted. */
__asm__(
    ".text\n"
    ".globl KiUserExceptionDispatcher\n"
    ".def KiUserExceptionDispatcher; .scl 2; .type 32; .endef\n"
    ".seh_proc KiUserExceptionDispatcher\n"
    "KiUserExceptionDispatcher:\n\t"
    ".seh_pushframe\n\t"
    ".seh_stackalloc 0x590\n\t"
    ".seh_endprologue\n\t"
    "cld\n\t"
    "movq %rsp, %rdx\n\t"
    "leaq 0x4f0(%rsp), %rcx\n\t"
    "callq exceptions_user_dispatch\n\t"
    "int3\n\t"
    ".seh_endproc\n"
    ".section .drectve\n\t"
    ".ascii \" -export:KiUserExceptionDispatcher\"\n"
    ".text");

/* The context is the caller's at the return address: captured here, then this function's own
 * frame unwound. */
NTDLL_EXPORT VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD rec) {
  CONTEXT context;
  RtlCaptureContext(&context);
  ULONG64 base = 0, frame = 0;
  PVOID data;
  PRUNTIME_FUNCTION fe = RtlLookupFunctionEntry(context.Rip, &base, NULL);
  if (fe) RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, context.Rip, fe, &context, &data, &frame, NULL);
  rec->ExceptionAddress = (PVOID)context.Rip;
  if (exceptions_dispatch(rec, &context)) {
    const NTSTATUS status = NtContinue(&context, FALSE);
    RtlRaiseStatus(status);
  }
  exceptions_unhandled(rec, &context);
}

NTDLL_EXPORT VOID NTAPI RtlRaiseStatus(NTSTATUS status) {
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = (DWORD)status;
  rec.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
  for (;;) RtlRaiseException(&rec); /* noncontinuable: never returns */
}
