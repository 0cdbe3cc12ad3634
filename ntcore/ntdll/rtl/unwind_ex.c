/* RtlUnwindEx (and RtlUnwind, _local_unwind over it): unwinds the stack from the caller up to
 * a target frame, calling the termination (unwind) handler of every frame on the way, then
 * resumes at the target IP in the target frame with rax = the return value. */
#include "exception_private.h"

#define STATUS_INVALID_UNWIND_TARGET_ ((NTSTATUS)0xC0000029L)
#define STATUS_BAD_STACK_ ((NTSTATUS)0xC0000028L)

static __attribute__((noreturn)) void unwind_failed(EXCEPTION_RECORD* rec, NTSTATUS status) {
  EXCEPTION_RECORD about = {0};
  about.ExceptionCode = (DWORD)status;
  about.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
  about.ExceptionRecord = rec;
  for (;;) RtlRaiseException(&about);
}

/* The walk uses contexts of its own: `context` is written only at the end. A handler may start
 * a new unwind with the context it was given as that unwind's buffer (libgcc's
 * _GCC_specific_handler does, at the target frame), and this unwind's state must survive it
 * for the collided unwind to carry on from. */
NTDLL_EXPORT VOID NTAPI RtlUnwindEx(PVOID target_frame, PVOID target_ip, PEXCEPTION_RECORD rec,
                                    PVOID return_value, PCONTEXT context,
                                    PUNWIND_HISTORY_TABLE table) {
  EXCEPTION_RECORD own_rec;
  CONTEXT cur, next;
  if (!rec) {
    own_rec = (EXCEPTION_RECORD){0};
    own_rec.ExceptionCode = (DWORD)STATUS_UNWIND;
    own_rec.ExceptionAddress = __builtin_return_address(0);
    rec = &own_rec;
  }
  rec->ExceptionFlags |= EXCEPTION_UNWINDING;
  if (!target_frame) rec->ExceptionFlags |= EXCEPTION_EXIT_UNWIND;

  RtlCaptureContext(&cur); /* this function's own frame is the first one unwound */
  DISPATCHER_CONTEXT dispatch = {0};
  for (unsigned depth = 0;; depth++) {
    next = cur;
    ULONG_PTR frame;
    PVOID data;
    PEXCEPTION_ROUTINE handler =
        exceptions_unwind_frame(UNW_FLAG_UHANDLER, &next, &frame, &data, &dispatch, table);
    dispatch.ContextRecord = &cur;
    dispatch.HistoryTable = table;
    dispatch.TargetIp = (ULONG64)target_ip;
    dispatch.ScopeIndex = 0;
    if (depth && !dispatch.FunctionEntry && !exceptions_image_of(dispatch.ControlPc, NULL)) {
      /* walked off the Windows frames without meeting the target */
      if (!target_frame) NtTerminateThread((HANDLE)(LONG_PTR)-2, (NTSTATUS)rec->ExceptionCode);
      unwind_failed(rec, STATUS_INVALID_UNWIND_TARGET_);
    }
  frame_found:
    if (!exceptions_on_stack(frame) || (frame & 7)) unwind_failed(rec, STATUS_BAD_STACK_);
    if (target_frame && frame > (ULONG_PTR)target_frame)
      unwind_failed(rec, STATUS_INVALID_UNWIND_TARGET_);
    if (handler) {
      if (frame == (ULONG_PTR)target_frame) rec->ExceptionFlags |= EXCEPTION_TARGET_UNWIND;
      EXCEPTION_DISPOSITION result =
          exceptions_call_unwind_handler(rec, (PVOID)frame, &cur, &dispatch);
      rec->ExceptionFlags &= ~(EXCEPTION_TARGET_UNWIND | EXCEPTION_COLLIDED_UNWIND);
      if (result == ExceptionCollidedUnwind) {
        /* A handler of an earlier unwind started this one: carry on from the frame that unwind
         * had reached (dispatch is now a copy of its dispatcher context), calling that frame's
         * handler again, flagged as collided. */
        cur = *dispatch.ContextRecord;
        dispatch.ContextRecord = &cur;
        dispatch.TargetIp = (ULONG64)target_ip;
        next = cur;
        if (dispatch.FunctionEntry) {
          ULONG64 ignored;
          RtlVirtualUnwind(UNW_FLAG_NHANDLER, dispatch.ImageBase, dispatch.ControlPc,
                           dispatch.FunctionEntry, &next, &data, &ignored, NULL);
        } else {
          next.Rip = *(ULONG64*)next.Rsp;
          next.Rsp += 8;
        }
        frame = dispatch.EstablisherFrame;
        handler = dispatch.LanguageHandler;
        rec->ExceptionFlags |= EXCEPTION_COLLIDED_UNWIND;
        goto frame_found;
      }
      if (result != ExceptionContinueSearch) unwind_failed(rec, STATUS_INVALID_DISPOSITION);
    }
    if (frame == (ULONG_PTR)target_frame) break;
    cur = next;
  }
  /* cur is the target function's context, as it was when it made the call being unwound */
  if (rec->ExceptionCode != (DWORD)STATUS_UNWIND_CONSOLIDATE) cur.Rip = (ULONG64)target_ip;
  cur.Rax = (ULONG64)return_value;
  if (context) *context = cur;
  RtlRestoreContext(context ? context : &cur, rec);
}

NTDLL_EXPORT VOID NTAPI RtlUnwind(PVOID target_frame, PVOID target_ip, PEXCEPTION_RECORD rec,
                                  PVOID return_value) {
  CONTEXT context;
  RtlUnwindEx(target_frame, target_ip, rec, return_value, &context, NULL);
}

/* What MSVC-compiled code calls to run the __finally blocks of its own frame up to a point. */
NTDLL_EXPORT void __cdecl _local_unwind(void* frame, void* target_ip) {
  CONTEXT context;
  RtlUnwindEx(frame, target_ip, NULL, NULL, &context, NULL);
}
