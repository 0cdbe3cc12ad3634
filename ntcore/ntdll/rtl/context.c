/* RtlCaptureContext, RtlRestoreContext and RtlCopyContext: the thread's registers to and from a
 * CONTEXT in user mode, as Windows' ntdll does (no system call). */
#include "exception_private.h"

/* CONTEXT offsets used by the assembly below (winnt.h, AMD64). */
_Static_assert(offsetof(CONTEXT, ContextFlags) == 0x30, "layout");
_Static_assert(offsetof(CONTEXT, MxCsr) == 0x34, "layout");
_Static_assert(offsetof(CONTEXT, SegCs) == 0x38, "layout");
_Static_assert(offsetof(CONTEXT, EFlags) == 0x44, "layout");
_Static_assert(offsetof(CONTEXT, Rax) == 0x78, "layout");
_Static_assert(offsetof(CONTEXT, Rsp) == 0x98, "layout");
_Static_assert(offsetof(CONTEXT, Rip) == 0xF8, "layout");
_Static_assert(offsetof(CONTEXT, FltSave) == 0x100, "layout");
_Static_assert(sizeof(CONTEXT) == 0x4D0, "layout");

#define CONTEXT_ARCH 0x00100000 /* CONTEXT_AMD64 */

/* The caller's registers as they are at its call: Rip is the return address, Rsp the stack
 * pointer after the return; Rcx holds the context pointer, as on Windows. */
__asm__(
    ".globl RtlCaptureContext\n"
    ".def RtlCaptureContext; .scl 2; .type 32; .endef\n"
    ".seh_proc RtlCaptureContext\n"
    "RtlCaptureContext:\n\t"
    "pushfq\n\t"
    ".seh_stackalloc 8\n\t"
    ".seh_endprologue\n\t"
    "movl $0x10000f, 0x30(%rcx)\n\t" /* CONTROL | INTEGER | SEGMENTS | FLOATING_POINT */
    "stmxcsr 0x34(%rcx)\n\t"
    "movw %cs, 0x38(%rcx)\n\t"
    "movw %ds, 0x3a(%rcx)\n\t"
    "movw %es, 0x3c(%rcx)\n\t"
    "movw %fs, 0x3e(%rcx)\n\t"
    "movw %gs, 0x40(%rcx)\n\t"
    "movw %ss, 0x42(%rcx)\n\t"
    "movq %rax, 0x78(%rcx)\n\t"
    "movq %rcx, 0x80(%rcx)\n\t"
    "movq %rdx, 0x88(%rcx)\n\t"
    "movq %rbx, 0x90(%rcx)\n\t"
    "movq %rbp, 0xa0(%rcx)\n\t"
    "movq %rsi, 0xa8(%rcx)\n\t"
    "movq %rdi, 0xb0(%rcx)\n\t"
    "movq %r8, 0xb8(%rcx)\n\t"
    "movq %r9, 0xc0(%rcx)\n\t"
    "movq %r10, 0xc8(%rcx)\n\t"
    "movq %r11, 0xd0(%rcx)\n\t"
    "movq %r12, 0xd8(%rcx)\n\t"
    "movq %r13, 0xe0(%rcx)\n\t"
    "movq %r14, 0xe8(%rcx)\n\t"
    "movq %r15, 0xf0(%rcx)\n\t"
    "fxsave 0x100(%rcx)\n\t"
    "movl (%rsp), %eax\n\t"
    "movl %eax, 0x44(%rcx)\n\t" /* EFlags */
    "leaq 0x10(%rsp), %rax\n\t"
    "movq %rax, 0x98(%rcx)\n\t" /* Rsp after the return */
    "movq 0x8(%rsp), %rax\n\t"
    "movq %rax, 0xf8(%rcx)\n\t" /* Rip: the return address */
    "movq 0x78(%rcx), %rax\n\t"
    "addq $8, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    ".section .drectve\n\t"
    ".ascii \" -export:RtlCaptureContext\"\n"
    ".text");

/* Loads every register from the CONTEXT in rcx and resumes there. iretq sets Rip, Rsp and
 * EFlags at once without writing to the target stack; the code and stack selectors are the
 * current ones (a CONTEXT's may be garbage), EFlags keeps only the user-settable flags. */
__asm__(
    ".globl exceptions_restore_context\n"
    ".def exceptions_restore_context; .scl 2; .type 32; .endef\n"
    "exceptions_restore_context:\n\t"
    "fxrstor 0x100(%rcx)\n\t"
    "ldmxcsr 0x34(%rcx)\n\t"
    "movq %ss, %rax\n\t"
    "pushq %rax\n\t"
    "pushq 0x98(%rcx)\n\t" /* Rsp */
    "movl 0x44(%rcx), %eax\n\t"
    "andl $0x250fd5, %eax\n\t" /* CF PF AF ZF SF TF DF OF AC ID */
    "orl $0x202, %eax\n\t"     /* IF, reserved bit 1 */
    "pushq %rax\n\t"
    "movq %cs, %rax\n\t"
    "pushq %rax\n\t"
    "pushq 0xf8(%rcx)\n\t" /* Rip */
    "movq 0x78(%rcx), %rax\n\t"
    "movq 0x88(%rcx), %rdx\n\t"
    "movq 0x90(%rcx), %rbx\n\t"
    "movq 0xa0(%rcx), %rbp\n\t"
    "movq 0xa8(%rcx), %rsi\n\t"
    "movq 0xb0(%rcx), %rdi\n\t"
    "movq 0xb8(%rcx), %r8\n\t"
    "movq 0xc0(%rcx), %r9\n\t"
    "movq 0xc8(%rcx), %r10\n\t"
    "movq 0xd0(%rcx), %r11\n\t"
    "movq 0xd8(%rcx), %r12\n\t"
    "movq 0xe0(%rcx), %r13\n\t"
    "movq 0xe8(%rcx), %r14\n\t"
    "movq 0xf0(%rcx), %r15\n\t"
    "movq 0x80(%rcx), %rcx\n\t"
    "iretq");
__attribute__((noreturn)) void exceptions_restore_context(const CONTEXT* context);

/* STATUS_UNWIND_CONSOLIDATE: the callback (a C++ catch block, for __CxxFrameHandler) runs below
 * the current frames, in a frame whose unwind data (a machine frame) leads straight to the
 * target context: an exception it raises unwinds into the target function, not through the
 * frames already unwound. The callback returns where execution continues. */
__asm__(
    ".globl exceptions_consolidate\n"
    ".def exceptions_consolidate; .scl 2; .type 32; .endef\n"
    "exceptions_consolidate:\n\t" /* rcx = context, rdx = record, r8 = callback */
    "andq $-16, %rsp\n\t"
    "movq %ss, %rax\n\t"
    "pushq %rax\n\t"
    "pushq 0x98(%rcx)\n\t"
    "pushq $0x202\n\t"
    "movq %cs, %rax\n\t"
    "pushq %rax\n\t"
    "pushq 0xf8(%rcx)\n\t"
    "jmp exceptions_consolidate_frame\n\t"
    ".def exceptions_consolidate_frame; .scl 3; .type 32; .endef\n"
    ".seh_proc exceptions_consolidate_frame\n"
    "exceptions_consolidate_frame:\n\t"
    ".seh_pushframe\n\t"
    "subq $0x28, %rsp\n\t"
    ".seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    "movq %rcx, 0x20(%rsp)\n\t"
    "movq 0x90(%rcx), %rbx\n\t"
    "movq 0xa0(%rcx), %rbp\n\t"
    "movq 0xa8(%rcx), %rsi\n\t"
    "movq 0xb0(%rcx), %rdi\n\t"
    "movq 0xd8(%rcx), %r12\n\t"
    "movq 0xe0(%rcx), %r13\n\t"
    "movq 0xe8(%rcx), %r14\n\t"
    "movq 0xf0(%rcx), %r15\n\t"
    "movq %rdx, %rcx\n\t"
    "callq *%r8\n\t"
    "movq 0x20(%rsp), %rcx\n\t"
    "movq %rax, 0xf8(%rcx)\n\t"
    "jmp exceptions_restore_context\n\t"
    ".seh_endproc");
__attribute__((noreturn)) void exceptions_consolidate(CONTEXT* context, EXCEPTION_RECORD* rec,
                                                      PVOID callback);

/* _JUMP_BUFFER of the x64 setjmp (setjmp.h), what STATUS_LONGJUMP carries. */
typedef struct EXCEPTIONS_JUMP_BUFFER {
  ULONG64 Frame, Rbx, Rsp, Rbp, Rsi, Rdi, R12, R13, R14, R15, Rip;
  ULONG MxCsr;
  USHORT FpCsr;
  USHORT Spare;
  M128A Xmm[10]; /* xmm6-xmm15 */
} EXCEPTIONS_JUMP_BUFFER;

NTDLL_EXPORT VOID NTAPI RtlRestoreContext(PCONTEXT context, struct _EXCEPTION_RECORD* rec) {
  if (rec && rec->ExceptionCode == (DWORD)STATUS_LONGJUMP && rec->NumberParameters >= 1) {
    const EXCEPTIONS_JUMP_BUFFER* jb = (const EXCEPTIONS_JUMP_BUFFER*)rec->ExceptionInformation[0];
    context->Rbx = jb->Rbx;
    context->Rsp = jb->Rsp;
    context->Rbp = jb->Rbp;
    context->Rsi = jb->Rsi;
    context->Rdi = jb->Rdi;
    context->R12 = jb->R12;
    context->R13 = jb->R13;
    context->R14 = jb->R14;
    context->R15 = jb->R15;
    context->Rip = jb->Rip;
    context->MxCsr = jb->MxCsr;
    context->FltSave.MxCsr = jb->MxCsr;
    context->FltSave.ControlWord = jb->FpCsr;
    for (int i = 0; i < 10; i++) context->FltSave.XmmRegisters[6 + i] = jb->Xmm[i];
  } else if (rec && rec->ExceptionCode == (DWORD)STATUS_UNWIND_CONSOLIDATE &&
             rec->NumberParameters >= 1) {
    exceptions_consolidate(context, rec, (PVOID)rec->ExceptionInformation[0]);
  }
  exceptions_restore_context(context);
}

#define CONTEXT_PART(x) (CONTEXT_ARCH | (x))

/* Copies the parts `flags` names that the source holds; both must be AMD64 contexts. Only the
 * legacy CONTEXT is copied: extended (XSTATE) parts are not supported yet, so a request for
 * them is refused. */
NTDLL_EXPORT NTSTATUS NTAPI RtlCopyContext(PCONTEXT dst, DWORD flags, PCONTEXT src) {
  if ((flags & CONTEXT_ARCH) != CONTEXT_ARCH ||
      (dst->ContextFlags & CONTEXT_ARCH) != CONTEXT_ARCH ||
      (src->ContextFlags & CONTEXT_ARCH) != CONTEXT_ARCH)
    return STATUS_INVALID_PARAMETER;
  flags &= src->ContextFlags & ~CONTEXT_ARCH;    /* only what the source holds */
  if (flags & 0x40) return STATUS_NOT_SUPPORTED; /* CONTEXT_XSTATE */
  if (flags & 0x1) {                             /* CONTROL */
    dst->SegCs = src->SegCs;
    dst->SegSs = src->SegSs;
    dst->EFlags = src->EFlags;
    dst->Rsp = src->Rsp;
    dst->Rip = src->Rip;
  }
  if (flags & 0x2) { /* INTEGER */
    dst->Rax = src->Rax;
    dst->Rcx = src->Rcx;
    dst->Rdx = src->Rdx;
    dst->Rbx = src->Rbx;
    dst->Rbp = src->Rbp;
    dst->Rsi = src->Rsi;
    dst->Rdi = src->Rdi;
    dst->R8 = src->R8;
    dst->R9 = src->R9;
    dst->R10 = src->R10;
    dst->R11 = src->R11;
    dst->R12 = src->R12;
    dst->R13 = src->R13;
    dst->R14 = src->R14;
    dst->R15 = src->R15;
  }
  if (flags & 0x4) { /* SEGMENTS */
    dst->SegDs = src->SegDs;
    dst->SegEs = src->SegEs;
    dst->SegFs = src->SegFs;
    dst->SegGs = src->SegGs;
  }
  if (flags & 0x8) { /* FLOATING_POINT */
    dst->MxCsr = src->MxCsr;
    dst->FltSave = src->FltSave;
  }
  if (flags & 0x10) { /* DEBUG_REGISTERS */
    dst->Dr0 = src->Dr0;
    dst->Dr1 = src->Dr1;
    dst->Dr2 = src->Dr2;
    dst->Dr3 = src->Dr3;
    dst->Dr6 = src->Dr6;
    dst->Dr7 = src->Dr7;
  }
  dst->ContextFlags |= CONTEXT_ARCH | flags;
  return STATUS_SUCCESS;
}
