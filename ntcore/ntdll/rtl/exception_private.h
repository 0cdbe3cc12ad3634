/* Shared by the exception family's sources (exception_*.c, unwind*.c, context*.c,
 * function_table.c, vectored_handlers.c, c_specific_handler.c): the x64 unwind data formats,
 * the loader structures ntdll walks to find a module, and the family's internal entry points.
 * Everything non-static is prefixed exceptions_. */
#ifndef EXCEPTION_PRIVATE_H
#define EXCEPTION_PRIVATE_H

#include "ntdll_base.h"

/* ---- x64 unwind data (PE/COFF "x64 exception handling") ------------------------------- */

#define UWOP_PUSH_NONVOL 0
#define UWOP_ALLOC_LARGE 1
#define UWOP_ALLOC_SMALL 2
#define UWOP_SET_FPREG 3
#define UWOP_SAVE_NONVOL 4
#define UWOP_SAVE_NONVOL_FAR 5
#define UWOP_EPILOG 6 /* version 2; version 1 used 6 and 7 for the old SAVE_XMM(_FAR) */
#define UWOP_SPARE_CODE 7
#define UWOP_SAVE_XMM128 8
#define UWOP_SAVE_XMM128_FAR 9
#define UWOP_PUSH_MACHFRAME 10

typedef union EXCEPTIONS_UNWIND_CODE {
  struct {
    BYTE CodeOffset;
    BYTE UnwindOp : 4;
    BYTE OpInfo : 4;
  };
  USHORT FrameOffset;
} EXCEPTIONS_UNWIND_CODE;

typedef struct EXCEPTIONS_UNWIND_INFO {
  BYTE Version : 3;
  BYTE Flags : 5;
  BYTE SizeOfProlog;
  BYTE CountOfCodes;
  BYTE FrameRegister : 4;
  BYTE FrameOffset : 4;
  EXCEPTIONS_UNWIND_CODE UnwindCode[]; /* CountOfCodes, padded to even; then handler or chain */
} EXCEPTIONS_UNWIND_INFO;

/* What follows the codes: the handler's RVA and its data, or the chained RUNTIME_FUNCTION. */
static inline void* exceptions_unwind_tail(EXCEPTIONS_UNWIND_INFO* info) {
  return &info->UnwindCode[(info->CountOfCodes + 1) & ~1];
}

/* ---- Loader structures (Windows x64 layouts; mingw's winternl.h only has partial ones) --- */

/* The frame KiUserExceptionDispatcher finds on the stack (Windows' layout). */
#define EXCEPTIONS_FRAME_RECORD 0x4F0  /* EXCEPTION_RECORD, after CONTEXT and CONTEXT_EX */
#define EXCEPTIONS_FRAME_MACHINE 0x590 /* Rip, SegCs, EFlags, Rsp, SegSs of the faulting code */

/* Exports of the family that mingw-w64's headers do not declare. */
VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD rec);
__attribute__((noreturn)) VOID NTAPI RtlRaiseStatus(NTSTATUS status);
typedef LONG(NTAPI* EXCEPTIONS_UNHANDLED_FILTER)(EXCEPTION_POINTERS* ptrs);

/* ---- The family's internal entry points --------------------------------------------------- */

/* RtlDispatchException: vectored handlers, then the frame-based handlers found by unwinding
 * from `context`. TRUE when a handler asked to continue execution (with `context` as edited). */
BOOLEAN exceptions_dispatch(EXCEPTION_RECORD* rec, CONTEXT* context);
/* After a failed dispatch: the unhandled-exception filter, then the end of the process. */
__attribute__((noreturn)) void exceptions_unhandled(EXCEPTION_RECORD* rec, CONTEXT* context);

/* Vectored handlers: EXCEPTION_CONTINUE_EXECUTION when one of them asked for it. */
LONG exceptions_call_vectored(EXCEPTION_RECORD* rec, CONTEXT* context, BOOLEAN continue_list);

/* Calls dispatch->LanguageHandler(rec, frame, context, dispatch) inside a frame whose own
 * handler reports an exception raised by the handler as nested (dispatch) or a new unwind
 * started by it as collided (unwind). */
EXCEPTION_DISPOSITION exceptions_call_exception_handler(EXCEPTION_RECORD* rec, PVOID frame,
                                                        CONTEXT* context,
                                                        DISPATCHER_CONTEXT* dispatch);
EXCEPTION_DISPOSITION exceptions_call_unwind_handler(EXCEPTION_RECORD* rec, PVOID frame,
                                                     CONTEXT* context,
                                                     DISPATCHER_CONTEXT* dispatch);

/* The image containing `pc` (base and size) from PEB.Ldr; NULL when none. */
PVOID exceptions_image_of(ULONG_PTR pc, ULONG* size);
/* The function entry covering `pc` among the dynamic tables (RtlAddFunctionTable and
 * callbacks); NULL when none covers it. */
PRUNTIME_FUNCTION exceptions_dynamic_lookup(ULONG_PTR pc, ULONG_PTR* base);

/* Unwinds one frame of `context` (the function at context->Rip), whether it has a function
 * entry or is a leaf. Returns the frame's handler of `type` as RtlVirtualUnwind does. */
PEXCEPTION_ROUTINE exceptions_unwind_frame(DWORD type, CONTEXT* context, ULONG_PTR* frame,
                                           PVOID* handler_data, DISPATCHER_CONTEXT* dispatch,
                                           PUNWIND_HISTORY_TABLE table);

/* Whether [rsp, rsp+8) lies on the current thread's stack. */
static inline BOOLEAN exceptions_on_stack(ULONG_PTR rsp) {
  NT_TIB* tib = &ir_teb()->NtTib;
  return rsp >= (ULONG_PTR)tib->StackLimit && rsp + 8 <= (ULONG_PTR)tib->StackBase;
}

#define EXCEPTIONS_CURRENT_PROCESS ((HANDLE)(LONG_PTR)-1)

/* A tiny spin lock (the family's tables are short and rarely changed). */
void exceptions_lock(volatile LONG* lock);
void exceptions_unlock(volatile LONG* lock);
/* Fixed-size (64-byte) blocks for the family's list nodes, never returned to the system. */
void* exceptions_alloc_node(void);
void exceptions_free_node(void* node);

#endif
