/* The exception family: contexts
 * (RtlCaptureContext/RtlRestoreContext/RtlCopyContext), unwind data
 * (RtlLookupFunctionEntry, RtlVirtualUnwind over hand-written prologues and
 * hand-made dynamic tables), dispatch (vectored handlers, frame handlers
 * declared with .seh_handler, hardware faults), RtlUnwindEx with its
 * termination handlers, __C_specific_handler, and, with the argument
 * `unhandled`, an access violation no handler takes (the process must end with
 * STATUS_ACCESS_VIOLATION: a ctest of its own). */
#include "nttest.h"

typedef UCHAR BYTE;

/* ---- Windows types (x64), as winnt.h lays them out
 * ---------------------------------------- */

typedef struct __attribute__((aligned(16))) M128A {
  ULONGLONG Low;
  LONGLONG High;
} M128A;

typedef struct __attribute__((aligned(16))) CONTEXT {
  ULONGLONG P1Home, P2Home, P3Home, P4Home, P5Home, P6Home;
  ULONG ContextFlags;
  ULONG MxCsr;
  USHORT SegCs, SegDs, SegEs, SegFs, SegGs, SegSs;
  ULONG EFlags;
  ULONGLONG Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
  ULONGLONG Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8, R9, R10, R11, R12, R13, R14, R15;
  ULONGLONG Rip;
  struct {
    USHORT ControlWord, StatusWord;
    UCHAR TagWord, Reserved1;
    USHORT ErrorOpcode;
    ULONG ErrorOffset;
    USHORT ErrorSelector, Reserved2;
    ULONG DataOffset;
    USHORT DataSelector, Reserved3;
    ULONG MxCsr, MxCsr_Mask;
    M128A FloatRegisters[8];
    M128A XmmRegisters[16];
    UCHAR Reserved4[96];
  } FltSave;
  M128A VectorRegister[26];
  ULONGLONG VectorControl, DebugControl, LastBranchToRip, LastBranchFromRip, LastExceptionToRip,
      LastExceptionFromRip;
} CONTEXT;
_Static_assert(sizeof(CONTEXT) == 0x4D0, "CONTEXT layout");

#define CONTEXT_AMD64 0x00100000
#define CONTEXT_CONTROL (CONTEXT_AMD64 | 0x1)
#define CONTEXT_INTEGER (CONTEXT_AMD64 | 0x2)
#define CONTEXT_SEGMENTS (CONTEXT_AMD64 | 0x4)
#define CONTEXT_FLOATING_POINT (CONTEXT_AMD64 | 0x8)
#define CONTEXT_FULL (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_FLOATING_POINT)

typedef struct EXCEPTION_RECORD {
  ULONG ExceptionCode;
  ULONG ExceptionFlags;
  struct EXCEPTION_RECORD* ExceptionRecord;
  PVOID ExceptionAddress;
  ULONG NumberParameters;
  ULONG_PTR ExceptionInformation[15];
} EXCEPTION_RECORD;

typedef struct EXCEPTION_POINTERS {
  EXCEPTION_RECORD* ExceptionRecord;
  CONTEXT* ContextRecord;
} EXCEPTION_POINTERS;

typedef struct RUNTIME_FUNCTION {
  ULONG BeginAddress, EndAddress, UnwindData;
} RUNTIME_FUNCTION;

typedef struct DISPATCHER_CONTEXT {
  ULONG_PTR ControlPc, ImageBase;
  RUNTIME_FUNCTION* FunctionEntry;
  ULONG_PTR EstablisherFrame, TargetIp;
  CONTEXT* ContextRecord;
  PVOID LanguageHandler, HandlerData, HistoryTable;
  ULONG ScopeIndex, Fill0;
} DISPATCHER_CONTEXT;

typedef enum {
  ExceptionContinueExecution,
  ExceptionContinueSearch,
  ExceptionNestedException,
  ExceptionCollidedUnwind
} EXCEPTION_DISPOSITION;

#define EXCEPTION_NONCONTINUABLE 0x1
#define EXCEPTION_UNWINDING 0x2
#define EXCEPTION_EXIT_UNWIND 0x4
#define EXCEPTION_NESTED_CALL 0x10
#define EXCEPTION_TARGET_UNWIND 0x20
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_EXECUTE_HANDLER 1
#define UNW_FLAG_NHANDLER 0
#define UNW_FLAG_EHANDLER 1

#define STATUS_ACCESS_VIOLATION_ ((NTSTATUS)0xC0000005)
#define STATUS_INTEGER_DIVIDE_BY_ZERO_ ((NTSTATUS)0xC0000094)
#define STATUS_BREAKPOINT_ ((NTSTATUS)0x80000003)

typedef LONG(NTAPI* PVECTORED_EXCEPTION_HANDLER)(EXCEPTION_POINTERS*);
typedef PVOID(NTAPI* GET_RUNTIME_FUNCTION_CALLBACK)(ULONG_PTR pc, PVOID context);

void NTAPI RtlCaptureContext(CONTEXT* c);
void NTAPI RtlRestoreContext(CONTEXT* c, EXCEPTION_RECORD* rec);
NTSTATUS NTAPI RtlCopyContext(CONTEXT* dst, ULONG flags, CONTEXT* src);
RUNTIME_FUNCTION* NTAPI RtlLookupFunctionEntry(ULONG_PTR pc, ULONG_PTR* base, PVOID table);
PVOID NTAPI RtlVirtualUnwind(ULONG type, ULONG_PTR base, ULONG_PTR pc, RUNTIME_FUNCTION* fe,
                             CONTEXT* c, PVOID* data, ULONG_PTR* frame, PVOID ptrs);
void NTAPI RtlUnwindEx(PVOID frame, PVOID ip, EXCEPTION_RECORD* rec, PVOID retval, CONTEXT* c,
                       PVOID table);
void NTAPI RtlRaiseException(EXCEPTION_RECORD* rec);
UCHAR __cdecl RtlAddFunctionTable(RUNTIME_FUNCTION* table, ULONG count, ULONG_PTR base);
UCHAR __cdecl RtlDeleteFunctionTable(RUNTIME_FUNCTION* table);
UCHAR __cdecl RtlInstallFunctionTableCallback(ULONG_PTR id, ULONG_PTR base, ULONG length,
                                              GET_RUNTIME_FUNCTION_CALLBACK cb, PVOID ctx,
                                              const WCHAR* dll);
PVOID NTAPI RtlPcToFileHeader(PVOID pc, PVOID* base);
PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG first, PVECTORED_EXCEPTION_HANDLER h);
ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID handle);
PVOID NTAPI RtlAddVectoredContinueHandler(ULONG first, PVECTORED_EXCEPTION_HANDLER h);
ULONG NTAPI RtlRemoveVectoredContinueHandler(PVOID handle);
USHORT NTAPI RtlCaptureStackBackTrace(ULONG skip, ULONG count, PVOID* frames, ULONG* hash);
EXCEPTION_DISPOSITION __cdecl __C_specific_handler(EXCEPTION_RECORD* rec, void* frame, CONTEXT* c,
                                                   DISPATCHER_CONTEXT* d);

/* ---- Hand-written functions with known prologues and frames
 * ------------------------------- */

/* Labels the tests unwind from or resume at. */
extern char helper_a[], helper_a_prolog1[], helper_a_body[], helper_a_epilog[], helper_a_pop[];
extern char helper_b[], helper_b_body[], helper_b_epilog[];
extern char helper_c[], helper_c_body[];
extern char helper_d[], helper_d_body[];
extern char fault_write_insn[], fault_write_after[];
extern char divide_insn[], divide_after[];
extern char breakpoint_insn[], breakpoint_after[];
extern char guard_outer_resume[];
ULONG_PTR helper_a_run(void);
ULONG fault_write_null(void);
ULONG_PTR fault_write_null_leaf(void); /* the same function, typed for guard_outer */
ULONG divide_by_zero(void);
ULONG breakpoint(void);
/* Calls fn inside a frame whose language handler is outer_handler /
 * inner_handler. */
ULONG_PTR guard_outer(ULONG_PTR (*fn)(void));
ULONG_PTR guard_inner(ULONG_PTR (*fn)(void));
ULONG_PTR chkstk_probe(PVOID chkstk); /* 0x5000 + 0x1234 when __chkstk kept rax and rcx */
extern PVOID __imp_RtlCaptureContext; /* ntdll's own address, not the import thunk */
/* Like guard_inner, with nested_raiser. */
ULONG_PTR guard_nested(ULONG_PTR (*fn)(void));
/* Like guard_outer, with gcc_like_handler; the landing pad stores rax and rdx. */
ULONG_PTR guard_gcc(ULONG_PTR (*fn)(void));
extern char guard_gcc_landing[];
ULONG_PTR landed_rax, landed_rdx;
/* Puts markers in rbx and r12, captures into c, puts them back. */
void capture_marked(CONTEXT* c);
extern char capture_marked_ret[];

__asm__(
    ".text\n"
    /* A: pushes, small allocation, a register and an xmm saved with mov */
    ".globl helper_a\n.def helper_a; .scl 2; .type 32; .endef\n"
    ".seh_proc helper_a\nhelper_a:\n\t"
    "pushq %rbx\n\t.seh_pushreg %rbx\n"
    ".globl helper_a_prolog1\nhelper_a_prolog1:\n\t"
    "pushq %rsi\n\t.seh_pushreg %rsi\n\t"
    "subq $0x48, %rsp\n\t.seh_stackalloc 0x48\n\t"
    "movq %rdi, 0x30(%rsp)\n\t.seh_savereg %rdi, 0x30\n\t"
    "movaps %xmm6, 0x10(%rsp)\n\t.seh_savexmm %xmm6, 0x10\n\t"
    ".seh_endprologue\n"
    ".globl helper_a_body\nhelper_a_body:\n\t"
    "nop\n\t"
    "movaps 0x10(%rsp), %xmm6\n\t"
    "movq 0x30(%rsp), %rdi\n"
    ".globl helper_a_epilog\nhelper_a_epilog:\n\t"
    "addq $0x48, %rsp\n\t"
    "popq %rsi\n"
    ".globl helper_a_pop\nhelper_a_pop:\n\t"
    "popq %rbx\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    /* B: frame pointer and a large allocation */
    ".globl helper_b\n.def helper_b; .scl 2; .type 32; .endef\n"
    ".seh_proc helper_b\nhelper_b:\n\t"
    "pushq %rbp\n\t.seh_pushreg %rbp\n\t"
    "subq $0x200, %rsp\n\t.seh_stackalloc 0x200\n\t"
    "leaq 0x80(%rsp), %rbp\n\t.seh_setframe %rbp, 0x80\n\t"
    ".seh_endprologue\n"
    ".globl helper_b_body\nhelper_b_body:\n\t"
    "nop\n"
    ".globl helper_b_epilog\nhelper_b_epilog:\n\t"
    "leaq 0x180(%rbp), %rsp\n\t"
    "popq %rbp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    /* C: allocation and saves too far for the short codes */
    ".globl helper_c\n.def helper_c; .scl 2; .type 32; .endef\n"
    ".seh_proc helper_c\nhelper_c:\n\t"
    "subq $0x200000, %rsp\n\t.seh_stackalloc 0x200000\n\t"
    "movq %rbx, 0x80000(%rsp)\n\t.seh_savereg %rbx, 0x80000\n\t"
    "movaps %xmm7, 0x100000(%rsp)\n\t.seh_savexmm %xmm7, 0x100000\n\t"
    ".seh_endprologue\n"
    ".globl helper_c_body\nhelper_c_body:\n\t"
    "nop\n\t"
    "addq $0x200000, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    /* D: an interrupt-style machine frame with an error code, then an
       allocation */
    ".globl helper_d\n.def helper_d; .scl 2; .type 32; .endef\n"
    ".seh_proc helper_d\nhelper_d:\n\t"
    ".seh_pushframe code\n\t"
    "subq $0x20, %rsp\n\t.seh_stackalloc 0x20\n\t"
    ".seh_endprologue\n"
    ".globl helper_d_body\nhelper_d_body:\n\t"
    "nop\n\t"
    "int3\n\t"
    ".seh_endproc\n"
    /* faults at known instructions */
    ".globl fault_write_null\n.def fault_write_null; .scl 2; .type 32; .endef\n"
    ".globl fault_write_null_leaf\n"
    ".set fault_write_null_leaf, fault_write_null\n"
    "fault_write_null:\n\t"
    "xorl %eax, %eax\n"
    ".globl fault_write_insn\nfault_write_insn:\n\t"
    "movl $0x5a, (%rax)\n"
    ".globl fault_write_after\nfault_write_after:\n\t"
    "ret\n"
    ".globl divide_by_zero\n.def divide_by_zero; .scl 2; .type 32; .endef\n"
    "divide_by_zero:\n\t"
    "xorl %ecx, %ecx\n\t"
    "movl $1, %eax\n\t"
    "xorl %edx, %edx\n"
    ".globl divide_insn\ndivide_insn:\n\t"
    "divl %ecx\n"
    ".globl divide_after\ndivide_after:\n\t"
    "ret\n"
    ".globl breakpoint\n.def breakpoint; .scl 2; .type 32; .endef\n"
    "breakpoint:\n\t"
    "xorl %eax, %eax\n"
    ".globl breakpoint_insn\nbreakpoint_insn:\n\t"
    "int3\n"
    ".globl breakpoint_after\nbreakpoint_after:\n\t"
    "ret\n"
    /* frames with language handlers */
    ".globl guard_outer\n.def guard_outer; .scl 2; .type 32; .endef\n"
    ".seh_proc guard_outer\nguard_outer:\n\t"
    "subq $0x28, %rsp\n\t.seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    ".seh_handler outer_handler, @except, @unwind\n\t"
    "callq *%rcx\n\t"
    "nop\n"
    ".globl guard_outer_resume\nguard_outer_resume:\n\t"
    "addq $0x28, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    ".globl guard_inner\n.def guard_inner; .scl 2; .type 32; .endef\n"
    ".seh_proc guard_inner\nguard_inner:\n\t"
    "subq $0x28, %rsp\n\t.seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    ".seh_handler inner_handler, @except, @unwind\n\t"
    "callq *%rcx\n\t"
    "nop\n\t"
    "addq $0x28, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    ".globl guard_gcc\n.def guard_gcc; .scl 2; .type 32; .endef\n"
    ".seh_proc guard_gcc\nguard_gcc:\n\t"
    "subq $0x28, %rsp\n\t.seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    ".seh_handler gcc_like_handler, @except, @unwind\n\t"
    "callq *%rcx\n\t"
    "nop\n"
    ".globl guard_gcc_landing\nguard_gcc_landing:\n\t"
    "movq %rax, landed_rax(%rip)\n\t"
    "movq %rdx, landed_rdx(%rip)\n\t"
    "addq $0x28, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    ".globl guard_nested\n.def guard_nested; .scl 2; .type 32; .endef\n"
    ".seh_proc guard_nested\nguard_nested:\n\t"
    "subq $0x28, %rsp\n\t.seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    ".seh_handler nested_raiser, @except, @unwind\n\t"
    "callq *%rcx\n\t"
    "nop\n\t"
    "addq $0x28, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    /* __chkstk (its address in rcx) for a 0x5000-byte frame: touches the pages below rsp and
     * keeps rax and rcx, which the frame then uses */
    ".globl chkstk_probe\n.def chkstk_probe; .scl 2; .type 32; .endef\n"
    ".seh_proc chkstk_probe\nchkstk_probe:\n\t"
    "movq %rcx, %r8\n\t"
    "movl $0x5000, %eax\n\t"
    "movl $0x1234, %ecx\n\t"
    "callq *%r8\n\t"
    "subq %rax, %rsp\n\t"
    ".seh_stackalloc 0x5000\n\t"
    ".seh_endprologue\n\t"
    "addq %rcx, %rax\n\t"
    "addq $0x5000, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    /* capture with known non-volatile registers */
    ".globl capture_marked\n.def capture_marked; .scl 2; .type 32; .endef\n"
    ".seh_proc capture_marked\ncapture_marked:\n\t"
    "pushq %rbx\n\t.seh_pushreg %rbx\n\t"
    "pushq %r12\n\t.seh_pushreg %r12\n\t"
    "subq $0x28, %rsp\n\t.seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    "movabsq $0x1122334455667788, %rbx\n\t"
    "movabsq $0x0badc0ffee0ddf00, %r12\n\t"
    "callq RtlCaptureContext\n"
    ".globl capture_marked_ret\ncapture_marked_ret:\n\t"
    "nop\n\t"
    "addq $0x28, %rsp\n\t"
    "popq %r12\n\t"
    "popq %rbx\n\t"
    "ret\n\t"
    ".seh_endproc\n");

static ULONG_PTR image_base(void) {
  return (ULONG_PTR)nt_peb()->ImageBaseAddress;
}

/* ---- Contexts
 * ------------------------------------------------------------------------------
 */

static volatile int restore_pass;

static void test_capture_restore(void) {
  CONTEXT c;
  __builtin_memset(&c, 0xCC, sizeof c);
  capture_marked(&c);
  CHECK_EQ(c.ContextFlags, CONTEXT_FULL | CONTEXT_SEGMENTS);
  CHECK_EQ(c.Rbx, 0x1122334455667788ull);
  CHECK_EQ(c.R12, 0x0badc0ffee0ddf00ull);
  CHECK_EQ(c.Rip, (ULONG_PTR)capture_marked_ret);
  CHECK_EQ(c.Rcx, (ULONG_PTR)&c); /* the argument register holds the context pointer */
  CHECK_EQ(c.SegCs, 0x33);
  CHECK(c.MxCsr == c.FltSave.MxCsr);

  /* Restoring resumes right after the capture, with the stack as it was. */
  CONTEXT r;
  volatile int local = 7;
  restore_pass = 0;
  RtlCaptureContext(&r);
  restore_pass++;
  if (restore_pass == 1) {
    local = 8;
    RtlRestoreContext(&r, NULL);
    CHECK(!"RtlRestoreContext returned");
  }
  CHECK_EQ(restore_pass, 2);
  CHECK_EQ(local, 8);
  /* the caller's own stack pointer: its locals lie just above */
  CHECK(r.Rsp < (ULONG_PTR)&r && (ULONG_PTR)&r - r.Rsp < 0x1000);
}

/* RtlCopyContext works on contexts followed by their CONTEXT_EX (the layout
 * RtlInitializeExtendedContext makes); here, legacy contexts with no extended state. */
typedef struct CONTEXT_EX {
  LONG AllOffset;
  ULONG AllLength;
  LONG LegacyOffset;
  ULONG LegacyLength;
  LONG XStateOffset;
  ULONG XStateLength;
} CONTEXT_EX;
typedef struct CONTEXT_WITH_EX {
  CONTEXT c;
  CONTEXT_EX ex;
} CONTEXT_WITH_EX;

static void init_context_ex(CONTEXT_WITH_EX* x) {
  x->ex.AllOffset = x->ex.LegacyOffset = -(LONG)sizeof(CONTEXT);
  x->ex.AllLength = sizeof(CONTEXT) + sizeof(CONTEXT_EX);
  x->ex.LegacyLength = sizeof(CONTEXT);
  x->ex.XStateOffset = sizeof(CONTEXT_EX);
  x->ex.XStateLength = 0;
}

static void test_copy_context(void) {
  static CONTEXT_WITH_EX src, dst;
  __builtin_memset(&src, 0x11, sizeof src);
  __builtin_memset(&dst, 0, sizeof dst);
  init_context_ex(&src);
  init_context_ex(&dst);
  src.c.ContextFlags = dst.c.ContextFlags = CONTEXT_FULL;
  CHECK_OK(RtlCopyContext(&dst.c, CONTEXT_CONTROL, &src.c));
  CHECK_EQ(dst.c.Rip, src.c.Rip);
  CHECK_EQ(dst.c.Rsp, src.c.Rsp);
  CHECK_EQ(dst.c.EFlags, src.c.EFlags);
  CHECK_EQ(dst.c.Rax, 0); /* not a CONTROL register */
  CHECK_OK(RtlCopyContext(&dst.c, CONTEXT_INTEGER, &src.c));
  CHECK_EQ(dst.c.Rax, src.c.Rax);
  CHECK_EQ(dst.c.R15, src.c.R15);
  CHECK_STATUS(RtlCopyContext(&dst.c, 0x2, &src.c), STATUS_INVALID_PARAMETER); /* no AMD64 */
}

/* Extended contexts: the legacy layout always; XSTATE only where the system publishes an
 * XState configuration with features beyond x87/SSE. */
ULONGLONG NTAPI RtlGetEnabledExtendedFeatures(ULONGLONG mask);
NTSTATUS NTAPI RtlGetExtendedContextLength2(ULONG flags, ULONG* length, ULONGLONG mask);
NTSTATUS NTAPI RtlInitializeExtendedContext2(PVOID buffer, ULONG flags, CONTEXT_EX** ex,
                                             ULONGLONG mask);
PVOID NTAPI RtlLocateExtendedFeature(CONTEXT_EX* ex, ULONG id, ULONG* length);
ULONGLONG NTAPI RtlGetExtendedFeaturesMask(CONTEXT_EX* ex);
void NTAPI RtlSetExtendedFeaturesMask(CONTEXT_EX* ex, ULONGLONG mask);

#define CONTEXT_XSTATE (CONTEXT_AMD64 | 0x40)

static void test_extended_context(void) {
  static BYTE buf[0x4000];
  ULONG len = 0;
  CHECK_OK(RtlGetExtendedContextLength2(CONTEXT_FULL, &len, 0));
  CHECK_EQ(len, sizeof(CONTEXT) + sizeof(CONTEXT_EX) + 15); /* + room to align to 16 */
  CHECK_STATUS(RtlGetExtendedContextLength2(0x2, &len, 0), STATUS_INVALID_PARAMETER);
  CONTEXT_EX* ex = NULL;
  CHECK_OK(RtlInitializeExtendedContext2(buf + 8, CONTEXT_FULL, &ex, 0));
  CONTEXT* c = (CONTEXT*)(((ULONG_PTR)buf + 8 + 15) & ~(ULONG_PTR)15);
  CHECK(ex == (CONTEXT_EX*)(c + 1));
  CHECK_EQ(c->ContextFlags, CONTEXT_FULL);
  CHECK_EQ(ex->LegacyOffset, -(LONG)sizeof(CONTEXT));
  CHECK_EQ(ex->LegacyLength, sizeof(CONTEXT));
  CHECK_EQ(ex->AllOffset, -(LONG)sizeof(CONTEXT));
  CHECK_EQ(ex->AllLength, sizeof(CONTEXT) + sizeof(CONTEXT_EX));
  CHECK_EQ(ex->XStateOffset, sizeof(CONTEXT_EX) + 1); /* no XSTATE area */
  CHECK_EQ(ex->XStateLength, 0);
  CHECK_STATUS(RtlInitializeExtendedContext2(buf, 0x2, &ex, 0), STATUS_INVALID_PARAMETER);

  CHECK_EQ(RtlGetEnabledExtendedFeatures(0), 0);
  const ULONGLONG enabled = RtlGetEnabledExtendedFeatures(~0ull);
  nt_note("enabled XState features %llx", enabled);
  if (!enabled) {
    CHECK_STATUS(RtlGetExtendedContextLength2(CONTEXT_XSTATE, &len, ~0ull), STATUS_NOT_SUPPORTED);
    CHECK_STATUS(RtlInitializeExtendedContext2(buf, CONTEXT_XSTATE, &ex, ~0ull),
                 STATUS_NOT_SUPPORTED);
    return;
  }
  CHECK_EQ(enabled & 3, 3); /* x87 and SSE are always there */
  ULONG xlen = 0;
  CHECK_OK(RtlGetExtendedContextLength2(CONTEXT_FULL | CONTEXT_XSTATE, &xlen, ~0ull));
  CHECK(xlen > len && xlen <= sizeof buf);
  CHECK_OK(RtlInitializeExtendedContext2(buf, CONTEXT_FULL | CONTEXT_XSTATE, &ex, ~0ull));
  CHECK(((ULONG_PTR)ex + ex->XStateOffset) % 64 == 0);
  CHECK(RtlLocateExtendedFeature(ex, 1, NULL) == NULL); /* SSE: in the legacy area */
  if (enabled & 4) {
    ULONG flen = 0;
    BYTE* avx = RtlLocateExtendedFeature(ex, 2, &flen);
    CHECK(avx != NULL);
    CHECK_EQ(flen, 256); /* the upper halves of ymm0-15 */
  }
  RtlSetExtendedFeaturesMask(ex, ~0ull);
  CHECK_EQ(RtlGetExtendedFeaturesMask(ex), enabled & ~3ull);
  RtlSetExtendedFeaturesMask(ex, 0);
  CHECK_EQ(RtlGetExtendedFeaturesMask(ex), 0);
}

/* ---- Unwinding over known prologues
 * ---------------------------------------------------------- */

static ULONG_PTR stack_buf[0x200] __attribute__((aligned(16)));

static void unwind_at(ULONG_PTR pc, CONTEXT* c, ULONG_PTR* frame, PVOID* handler) {
  ULONG_PTR base = 0;
  PVOID data = NULL;
  RUNTIME_FUNCTION* fe = RtlLookupFunctionEntry(pc, &base, NULL);
  CHECK(fe != NULL);
  CHECK_EQ(base, image_base());
  if (!fe) return;
  c->Rip = pc;
  *handler = RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, pc, fe, c, &data, frame, NULL);
}

static void test_unwind_pushes_and_saves(void) {
  /* helper_a's frame at its body: xmm6 at +0x10, rdi at +0x30, rsi at +0x48,
   * rbx at +0x50, return address at +0x58 */
  ULONG_PTR* s = stack_buf;
  for (int i = 0; i < 0x20; i++) s[i] = 0x1000 + i;
  s[0x30 / 8] = 0xD1;
  s[0x48 / 8] = 0x51;
  s[0x50 / 8] = 0xB1;
  s[0x58 / 8] = 0xA0A0;
  s[2] = 0x66;
  s[3] = 0x67;
  CONTEXT c;
  ULONG_PTR frame;
  PVOID handler;
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s;
  unwind_at((ULONG_PTR)helper_a_body, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xA0A0);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x60);
  CHECK_EQ(c.Rbx, 0xB1);
  CHECK_EQ(c.Rsi, 0x51);
  CHECK_EQ(c.Rdi, 0xD1);
  CHECK_EQ(c.FltSave.XmmRegisters[6].Low, 0x66);
  CHECK_EQ((ULONGLONG)c.FltSave.XmmRegisters[6].High, 0x67);
  CHECK_EQ(frame, (ULONG_PTR)s);
  CHECK(handler == NULL);

  /* In the epilogue: the rest of it is emulated (no xmm restore, rdi not
   * reloaded). */
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s;
  unwind_at((ULONG_PTR)helper_a_epilog, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xA0A0);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x60);
  CHECK_EQ(c.Rbx, 0xB1);
  CHECK_EQ(c.Rsi, 0x51);
  CHECK_EQ(c.Rdi, 0); /* an epilogue restores only what it pops */
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s + 0x50;
  unwind_at((ULONG_PTR)helper_a_pop, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xA0A0);
  CHECK_EQ(c.Rbx, 0xB1);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x60);

  /* In the prologue, after the first push only. */
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s + 0x50;
  unwind_at((ULONG_PTR)helper_a_prolog1, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xA0A0);
  CHECK_EQ(c.Rbx, 0xB1);
  CHECK_EQ(c.Rsi, 0);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x60);
}

static void test_unwind_frame_pointer(void) {
  /* helper_b: rbp = rsp after the allocation + 0x80; saved rbp at +0x200,
   * return at +0x208 */
  ULONG_PTR* s = stack_buf;
  s[0x200 / 8] = 0xBBBB;
  s[0x208 / 8] = 0xB0B0;
  CONTEXT c;
  ULONG_PTR frame;
  PVOID handler;
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s - 0x40; /* below: the frame register, not rsp, locates the frame */
  c.Rbp = (ULONG_PTR)s + 0x80;
  unwind_at((ULONG_PTR)helper_b_body, &c, &frame, &handler);
  CHECK_EQ(frame, (ULONG_PTR)s);
  CHECK_EQ(c.Rip, 0xB0B0);
  CHECK_EQ(c.Rbp, 0xBBBB);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x210);
  /* in its epilogue (lea rsp, [rbp + 0x180]; pop rbp; ret) */
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s;
  c.Rbp = (ULONG_PTR)s + 0x80;
  unwind_at((ULONG_PTR)helper_b_epilog, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xB0B0);
  CHECK_EQ(c.Rbp, 0xBBBB);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x210);
}

static void test_unwind_far_and_machine_frame(void) {
  /* helper_c needs 2 MB of stack: a region of its own */
  PVOID region = NULL;
  SIZE_T size = 0x300000;
  CHECK_OK(NtAllocateVirtualMemory(NtCurrentProcess(), &region, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                   PAGE_READWRITE));
  if (!region) return;
  BYTE* s = region;
  *(ULONG_PTR*)(s + 0x80000) = 0xCBCB;
  ((ULONGLONG*)(s + 0x100000))[0] = 0x77;
  ((ULONGLONG*)(s + 0x100000))[1] = 0x78;
  *(ULONG_PTR*)(s + 0x200000) = 0xC0C0;
  CONTEXT c;
  ULONG_PTR frame;
  PVOID handler;
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s;
  unwind_at((ULONG_PTR)helper_c_body, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xC0C0);
  CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x200008);
  CHECK_EQ(c.Rbx, 0xCBCB);
  CHECK_EQ(c.FltSave.XmmRegisters[7].Low, 0x77);

  /* helper_d: 0x20 of locals, the error code, then Rip, Cs, EFlags, Rsp, Ss */
  ULONG_PTR* m = (ULONG_PTR*)s;
  m[4] = 0xE0; /* error code */
  m[5] = 0xD0D0;
  m[6] = 0x33;
  m[7] = 0x246;
  m[8] = 0x12345670;
  m[9] = 0x2b;
  __builtin_memset(&c, 0, sizeof c);
  c.Rsp = (ULONG_PTR)s;
  unwind_at((ULONG_PTR)helper_d_body, &c, &frame, &handler);
  CHECK_EQ(c.Rip, 0xD0D0);
  CHECK_EQ(c.Rsp, 0x12345670);
  /* The machine frame's EFlags too, as the x64 unwind format says (Wine leaves them). */
  if (!nt_is_wine()) CHECK_EQ(c.EFlags, 0x246);
  SIZE_T zero = 0;
  NtFreeVirtualMemory(NtCurrentProcess(), &region, &zero, MEM_RELEASE);
}

/* A dynamic table over "code" that is never run (nops the epilogue check
 * reads): a function fragment whose unwind info is chained to its parent's. */
static RUNTIME_FUNCTION* callback_entry;
static PVOID callback_context;
static PVOID NTAPI table_callback(ULONG_PTR pc, PVOID context) {
  callback_context = context;
  return callback_entry;
}

static void test_dynamic_tables(void) {
  PVOID region = NULL;
  SIZE_T size = 0x10000;
  CHECK_OK(NtAllocateVirtualMemory(NtCurrentProcess(), &region, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                   PAGE_READWRITE));
  if (!region) return;
  BYTE* r = region;
  __builtin_memset(r + 0x1000, 0x90, 0x100);
  /* fragment: ALLOC_SMALL 0x18 at offset 0, chained to the parent */
  BYTE* u1 = r + 0x100;
  u1[0] = 1 | (4 << 3); /* version 1, UNW_FLAG_CHAININFO */
  u1[1] = 0;
  u1[2] = 1;
  u1[3] = 0;
  u1[4] = 0;
  u1[5] = 2 | (2 << 4); /* UWOP_ALLOC_SMALL, (2 + 1) * 8 */
  RUNTIME_FUNCTION* chained = (RUNTIME_FUNCTION*)(u1 + 8);
  chained->BeginAddress = 0x1000;
  chained->EndAddress = 0x1050;
  chained->UnwindData = 0x200;
  /* parent: push rbx at offset 1 */
  BYTE* u2 = r + 0x200;
  u2[0] = 1;
  u2[1] = 1;
  u2[2] = 1;
  u2[3] = 0;
  u2[4] = 1;
  u2[5] = 0 | (3 << 4); /* UWOP_PUSH_NONVOL rbx */
  RUNTIME_FUNCTION* table = (RUNTIME_FUNCTION*)(r + 0x300);
  table[0] = *chained; /* sorted by address, as the lookup may binary-search */
  table[1].BeginAddress = 0x1050;
  table[1].EndAddress = 0x1080;
  table[1].UnwindData = 0x100;

  const ULONG_PTR pc = (ULONG_PTR)r + 0x1060;
  ULONG_PTR base = 0;
  CHECK(RtlLookupFunctionEntry(pc, &base, NULL) == NULL);
  CHECK(RtlAddFunctionTable(table, 2, (ULONG_PTR)r));
  RUNTIME_FUNCTION* fe = RtlLookupFunctionEntry(pc, &base, NULL);
  CHECK(fe == &table[1]);
  CHECK_EQ(base, (ULONG_PTR)r);
  CHECK(RtlLookupFunctionEntry((ULONG_PTR)r + 0x1010, &base, NULL) == &table[0]);
  if (fe == &table[1]) {
    ULONG_PTR* s = stack_buf;
    s[3] = 0xB3;
    s[4] = 0xF00D;
    CONTEXT c;
    __builtin_memset(&c, 0, sizeof c);
    c.Rsp = (ULONG_PTR)s;
    c.Rip = pc;
    PVOID data;
    ULONG_PTR frame;
    CHECK(RtlVirtualUnwind(UNW_FLAG_EHANDLER, base, pc, fe, &c, &data, &frame, NULL) == NULL);
    CHECK_EQ(c.Rbx, 0xB3);
    CHECK_EQ(c.Rip, 0xF00D);
    CHECK_EQ(c.Rsp, (ULONG_PTR)s + 0x28);
  }
  CHECK(RtlDeleteFunctionTable(table));
  CHECK(!RtlDeleteFunctionTable(table));
  CHECK(RtlLookupFunctionEntry(pc, &base, NULL) == NULL);

  /* a callback table: the identifier's two low bits must be set */
  CHECK(!RtlInstallFunctionTableCallback((ULONG_PTR)r | 1, (ULONG_PTR)r, 0x2000, table_callback,
                                         (PVOID)0x5151, NULL));
  CHECK(RtlInstallFunctionTableCallback((ULONG_PTR)r | 3, (ULONG_PTR)r, 0x2000, table_callback,
                                        (PVOID)0x5151, NULL));
  callback_entry = &table[1];
  base = 0;
  CHECK(RtlLookupFunctionEntry(pc, &base, NULL) == &table[1]);
  CHECK_EQ(base, (ULONG_PTR)r);
  CHECK(callback_context == (PVOID)0x5151);
  CHECK(RtlDeleteFunctionTable((RUNTIME_FUNCTION*)((ULONG_PTR)r | 3)));
  CHECK(RtlLookupFunctionEntry(pc, &base, NULL) == NULL);
  SIZE_T zero = 0;
  NtFreeVirtualMemory(NtCurrentProcess(), &region, &zero, MEM_RELEASE);
}

/* An export of ntdll the import library lacks, found in its export directory. */
static PVOID ntdll_export(const char* name) {
  BYTE* base = NULL;
  RtlPcToFileHeader(__imp_RtlCaptureContext, (PVOID*)&base);
  if (!base) return NULL;
  const BYTE* nt = base + *(const LONG*)(base + 0x3C);
  const ULONG dir_rva = *(const ULONG*)(nt + 0x18 + 0x70); /* DataDirectory[EXPORT] */
  const ULONG* dir = (const ULONG*)(base + dir_rva);
  const ULONG count = dir[6], *names = (const ULONG*)(base + dir[8]);
  const ULONG* functions = (const ULONG*)(base + dir[7]);
  const USHORT* ordinals = (const USHORT*)(base + dir[9]);
  for (ULONG i = 0; i < count; i++) {
    const char* n = (const char*)(base + names[i]);
    const char* q = name;
    while (*n && *n == *q) n++, q++;
    if (*n == *q) return base + functions[ordinals[i]];
  }
  return NULL;
}

static void test_chkstk(void) {
  PVOID chkstk = ntdll_export("__chkstk");
  CHECK(chkstk != NULL);
  if (chkstk) CHECK_EQ(chkstk_probe(chkstk), 0x5000 + 0x1234);
}

static void test_pc_to_file_header(void) {
  PVOID base = (PVOID)1;
  CHECK(RtlPcToFileHeader((PVOID)helper_a_body, &base) == (PVOID)image_base());
  CHECK(base == (PVOID)image_base());
  CHECK(RtlPcToFileHeader((PVOID)0x1000, &base) == NULL);
  CHECK(base == NULL);
}

static void __attribute__((noinline)) test_back_trace(void) {
  PVOID frames[8];
  ULONG hash = 0;
  USHORT n = RtlCaptureStackBackTrace(0, 8, frames, &hash);
  CHECK(n >= 1);
  ULONG sum = 0;
  for (USHORT i = 0; i < n; i++) sum += (ULONG)(ULONG_PTR)frames[i];
  /* Windows leaves the hash's formula open; ours is the sum of the addresses (not Wine's) */
  if (!nt_is_wine()) CHECK_EQ(hash, sum);
  PVOID base = NULL;
  /* frames[0] is where this function called it: in the test program */
  CHECK(n >= 1 && RtlPcToFileHeader(frames[0], &base) == (PVOID)image_base());
  PVOID skipped[8];
  USHORT m = RtlCaptureStackBackTrace(1, 8, skipped, NULL);
  CHECK(m >= 1 && n >= 2 && skipped[0] == frames[1]);
  CHECK_EQ(RtlCaptureStackBackTrace(0, 0, frames, NULL), 0);
}

/* ---- Dispatch
 * --------------------------------------------------------------------------------
 */

static int veh_calls, continue_calls, second_calls;
static EXCEPTION_RECORD last_rec;
static ULONG_PTR last_rip;

static LONG NTAPI veh_continue(EXCEPTION_POINTERS* p) {
  veh_calls++;
  last_rec = *p->ExceptionRecord;
  last_rip = p->ContextRecord->Rip;
  if (p->ExceptionRecord->ExceptionCode == 0xE0000001) return EXCEPTION_CONTINUE_EXECUTION;
  return EXCEPTION_CONTINUE_SEARCH;
}

static LONG NTAPI veh_second(EXCEPTION_POINTERS* p) {
  second_calls++;
  return EXCEPTION_CONTINUE_SEARCH;
}

static LONG NTAPI vch_count(EXCEPTION_POINTERS* p) {
  continue_calls++;
  return EXCEPTION_CONTINUE_SEARCH;
}

static void test_vectored(void) {
  PVOID h = RtlAddVectoredExceptionHandler(1, veh_continue);
  PVOID h2 = RtlAddVectoredExceptionHandler(0, veh_second); /* last: not reached */
  PVOID c = RtlAddVectoredContinueHandler(0, vch_count);
  CHECK(h != NULL && h2 != NULL && c != NULL);
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000001;
  rec.NumberParameters = 2;
  rec.ExceptionInformation[0] = 11;
  rec.ExceptionInformation[1] = 22;
  veh_calls = continue_calls = second_calls = 0;
  RtlRaiseException(&rec); /* returns: the handler continued execution */
  CHECK_EQ(veh_calls, 1);
  CHECK_EQ(second_calls, 0);
  /* A vectored handler continuing execution is followed by the continue handlers on Windows
   * (Wine calls them only after a frame handler continued). */
  if (!nt_is_wine()) CHECK_EQ(continue_calls, 1);
  CHECK_EQ(last_rec.ExceptionCode, 0xE0000001);
  CHECK_EQ(last_rec.NumberParameters, 2);
  CHECK_EQ(last_rec.ExceptionInformation[1], 22);
  CHECK(last_rec.ExceptionAddress == (PVOID)last_rip); /* the return address in this function */
  CHECK(rec.ExceptionAddress == (PVOID)last_rip);
  CHECK_EQ(RtlRemoveVectoredExceptionHandler(h), 1);
  CHECK_EQ(RtlRemoveVectoredExceptionHandler(h), 0);
  CHECK_EQ(RtlRemoveVectoredExceptionHandler(h2), 1);
  CHECK_EQ(RtlRemoveVectoredContinueHandler(c), 1);
  CHECK_EQ(RtlRemoveVectoredContinueHandler(c), 0);
}

/* NtRaiseException, first chance: the exception is dispatched in this thread from the given
 * context (KiUserExceptionDispatcher), and continuing resumes that context. */
NTSTATUS NTAPI NtRaiseException(EXCEPTION_RECORD* rec, CONTEXT* c, BOOLEAN first_chance);
NTSTATUS NTAPI NtContinue(CONTEXT* c, BOOLEAN test_alert);
static volatile int raise_pass;

static void test_nt_raise_exception(void) {
  PVOID h = RtlAddVectoredExceptionHandler(1, veh_continue);
  static CONTEXT c;
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000001;
  rec.ExceptionAddress = (PVOID)0x1234;
  veh_calls = 0;
  raise_pass = 0;
  RtlCaptureContext(&c);
  if (++raise_pass == 1) {
    NtRaiseException(&rec, &c, TRUE);
    CHECK(!"NtRaiseException returned");
  }
  CHECK_EQ(raise_pass, 2);
  CHECK_EQ(veh_calls, 1);
  CHECK(last_rec.ExceptionAddress == (PVOID)0x1234);
  CHECK_EQ(last_rip, c.Rip);

  /* NtContinue alone: back to the captured context */
  raise_pass = 0;
  RtlCaptureContext(&c);
  if (++raise_pass == 1) {
    NtContinue(&c, FALSE);
    CHECK(!"NtContinue returned");
  }
  CHECK_EQ(raise_pass, 2);
  CHECK_STATUS(NtContinue((CONTEXT*)0x10, FALSE), STATUS_ACCESS_VIOLATION);
  CHECK_EQ(RtlRemoveVectoredExceptionHandler(h), 1);
}

/* Hardware faults: the handler moves Rip past the faulting instruction. */
static ULONG_PTR resume_at;
static LONG NTAPI veh_fix(EXCEPTION_POINTERS* p) {
  veh_calls++;
  last_rec = *p->ExceptionRecord;
  last_rip = p->ContextRecord->Rip;
  p->ContextRecord->Rip = resume_at;
  p->ContextRecord->Rax = 0x99;
  return EXCEPTION_CONTINUE_EXECUTION;
}

static void test_hardware_faults(void) {
  PVOID h = RtlAddVectoredExceptionHandler(1, veh_fix);
  veh_calls = 0;
  resume_at = (ULONG_PTR)fault_write_after;
  CHECK_EQ(fault_write_null(), 0x99);
  CHECK_EQ(veh_calls, 1);
  CHECK_EQ(last_rec.ExceptionCode, (ULONG)STATUS_ACCESS_VIOLATION_);
  CHECK(last_rec.ExceptionAddress == (PVOID)fault_write_insn);
  CHECK_EQ(last_rip, (ULONG_PTR)fault_write_insn);
  CHECK_EQ(last_rec.NumberParameters, 2);
  CHECK_EQ(last_rec.ExceptionInformation[0], 1); /* a write */
  CHECK_EQ(last_rec.ExceptionInformation[1], 0); /* to NULL */

  resume_at = (ULONG_PTR)divide_after;
  CHECK_EQ(divide_by_zero(), 0x99);
  CHECK_EQ(last_rec.ExceptionCode, (ULONG)STATUS_INTEGER_DIVIDE_BY_ZERO_);
  CHECK(last_rec.ExceptionAddress == (PVOID)divide_insn);
  CHECK_EQ(last_rip, (ULONG_PTR)divide_insn);

  resume_at = (ULONG_PTR)breakpoint_after;
  CHECK_EQ(breakpoint(), 0x99);
  CHECK_EQ(last_rec.ExceptionCode, (ULONG)STATUS_BREAKPOINT_);
  CHECK(last_rec.ExceptionAddress == (PVOID)breakpoint_insn);
  CHECK_EQ(last_rip, (ULONG_PTR)breakpoint_insn);
  CHECK_EQ(last_rec.NumberParameters, 1);
  CHECK_EQ(veh_calls, 3);
  CHECK_EQ(RtlRemoveVectoredExceptionHandler(h), 1);
}

/* Frame handlers: outer_handler continues 0xE0000002 and unwinds to
 * guard_outer_resume for 0xE0000003, running inner_handler's termination part
 * on the way. */
static ULONG status_flags;
static BOOLEAN status_chained;
static int outer_saw_nested_flag, raiser_calls, raiser_saw_nested_flag;
static int outer_dispatch_calls, outer_unwind_calls, inner_dispatch_calls, inner_unwind_calls;
static ULONG outer_unwind_flags;
static ULONG_PTR outer_frame;

EXCEPTION_DISPOSITION __cdecl outer_handler(EXCEPTION_RECORD* rec, void* frame, CONTEXT* c,
                                            DISPATCHER_CONTEXT* d) {
  if (rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) {
    outer_unwind_calls++;
    outer_unwind_flags = rec->ExceptionFlags;
    return ExceptionContinueSearch;
  }
  outer_dispatch_calls++;
  outer_frame = (ULONG_PTR)frame;
  CHECK_EQ(d->EstablisherFrame, (ULONG_PTR)frame);
  CHECK_EQ(d->ImageBase, image_base());
  CHECK(d->FunctionEntry != NULL);
  if (rec->ExceptionCode == 0xE0000002) return ExceptionContinueExecution;
  if (rec->ExceptionCode == 0xE0000008) return ExceptionContinueExecution;
  if (rec->ExceptionCode == 0xE000000A) { /* from RtlRaiseStatus: noncontinuable */
    status_flags = rec->ExceptionFlags;
    return ExceptionContinueExecution; /* refused: STATUS_NONCONTINUABLE_EXCEPTION follows */
  }
  if (rec->ExceptionCode == 0xC0000025 && status_flags) {
    status_chained = rec->ExceptionRecord && rec->ExceptionRecord->ExceptionCode == 0xE000000A;
    RtlUnwindEx(frame, guard_outer_resume, rec, (PVOID)0x25, d->ContextRecord, d->HistoryTable);
  }
  if (rec->ExceptionCode == 0xE0000009) {
    outer_saw_nested_flag = (rec->ExceptionFlags & EXCEPTION_NESTED_CALL) != 0;
    return ExceptionContinueExecution;
  }
  if (rec->ExceptionCode == 0xE0000003)
    RtlUnwindEx(frame, guard_outer_resume, rec, (PVOID)0x77, d->ContextRecord, d->HistoryTable);
  if (rec->ExceptionCode == (ULONG)STATUS_ACCESS_VIOLATION_)
    RtlUnwindEx(frame, guard_outer_resume, rec, (PVOID)0x55, d->ContextRecord, d->HistoryTable);
  return ExceptionContinueSearch;
}

EXCEPTION_DISPOSITION __cdecl inner_handler(EXCEPTION_RECORD* rec, void* frame, CONTEXT* c,
                                            DISPATCHER_CONTEXT* d) {
  if (rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) {
    inner_unwind_calls++;
    CHECK(!(rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND));
  } else {
    inner_dispatch_calls++;
  }
  return ExceptionContinueSearch;
}

void NTAPI RtlRaiseStatus(NTSTATUS status);
static ULONG_PTR raise_status(void) {
  RtlRaiseStatus((NTSTATUS)0xE000000A);
  return 1;
}

static ULONG_PTR raise_continue(void) {
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000002;
  RtlRaiseException(&rec);
  return 5;
}

static ULONG_PTR raise_unwind(void) {
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000003;
  RtlRaiseException(&rec);
  return 6; /* not reached: unwound */
}

static ULONG_PTR call_inner(void) {
  return guard_inner(raise_unwind) + 100; /* the +100 is skipped by the unwind */
}

static void test_frame_handlers(void) {
  outer_dispatch_calls = outer_unwind_calls = inner_dispatch_calls = inner_unwind_calls = 0;
  CHECK_EQ(guard_outer(raise_continue), 5);
  CHECK_EQ(outer_dispatch_calls, 1);
  CHECK_EQ(outer_unwind_calls, 0);

  outer_dispatch_calls = 0;
  CHECK_EQ(guard_outer(call_inner), 0x77);
  CHECK_EQ(inner_dispatch_calls, 1);
  CHECK_EQ(outer_dispatch_calls, 1);
  CHECK_EQ(inner_unwind_calls, 1);
  CHECK_EQ(outer_unwind_calls, 1);
  CHECK(outer_unwind_flags & EXCEPTION_TARGET_UNWIND);
  CHECK(outer_unwind_flags & EXCEPTION_UNWINDING);

  /* RtlRaiseStatus raises a noncontinuable exception: continuing it raises
   * STATUS_NONCONTINUABLE_EXCEPTION, chained to it */
  status_flags = 0;
  CHECK_EQ(guard_outer(raise_status), 0x25);
  CHECK(status_flags & EXCEPTION_NONCONTINUABLE);
  /* Windows chains the refused exception's record to it; Wine raises it bare. */
  if (!nt_is_wine()) CHECK(status_chained);

  /* A hardware fault in a leaf function, taken by a frame handler: the unwind goes back through
   * KiUserExceptionDispatcher's machine frame into the faulting code and its caller. */
  outer_dispatch_calls = outer_unwind_calls = 0;
  CHECK_EQ(guard_outer(fault_write_null_leaf), 0x55);
  CHECK_EQ(outer_dispatch_calls, 1);
  CHECK_EQ(outer_unwind_calls, 1);
}

/* A handler that raises an exception of its own while dispatching 0xE0000008: that one is
 * nested; its dispatch walks back through the frame whose handler raised it, flagged
 * EXCEPTION_NESTED_CALL until that frame. */
EXCEPTION_DISPOSITION __cdecl nested_raiser(EXCEPTION_RECORD* rec, void* frame, CONTEXT* c,
                                            DISPATCHER_CONTEXT* d) {
  if (rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND))
    return ExceptionContinueSearch;
  raiser_calls++;
  if (rec->ExceptionCode == 0xE0000009) {
    raiser_saw_nested_flag = (rec->ExceptionFlags & EXCEPTION_NESTED_CALL) != 0;
    return ExceptionContinueSearch;
  }
  if (rec->ExceptionCode == 0xE0000008) {
    EXCEPTION_RECORD nested = {0};
    nested.ExceptionCode = 0xE0000009;
    RtlRaiseException(&nested); /* continued by outer_handler */
  }
  return ExceptionContinueSearch;
}

static ULONG_PTR raise_for_nested(void) {
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000008;
  RtlRaiseException(&rec);
  return 9;
}

static ULONG_PTR call_nested(void) {
  return guard_nested(raise_for_nested);
}

static void test_nested_exception(void) {
  raiser_calls = outer_dispatch_calls = 0;
  CHECK_EQ(guard_outer(call_nested), 9);
  CHECK_EQ(raiser_calls, 2);         /* 0xE0000008, then the nested one on its way out */
  CHECK_EQ(outer_dispatch_calls, 2); /* the nested one, then 0xE0000008 */
  CHECK(raiser_saw_nested_flag);
  CHECK(!outer_saw_nested_flag);
}

/* What libgcc's _GCC_specific_handler does for a C++ catch: in the search phase it starts the
 * unwind; at the target frame it starts a second unwind from inside the first, passing the
 * context it was given (a collided unwind), and when that one reaches the frame again it sets
 * rdx (the selector) in the dispatcher context's CONTEXT; rax is the unwind's return value. */
static int gcc_search_calls, gcc_target_calls, gcc_collided_calls;

EXCEPTION_DISPOSITION __cdecl gcc_like_handler(EXCEPTION_RECORD* rec, void* frame, CONTEXT* c,
                                               DISPATCHER_CONTEXT* d) {
  if (rec->ExceptionCode == 0xE0000006) { /* "STATUS_GCC_UNWIND" */
    if (rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) {
      gcc_collided_calls++;
      d->ContextRecord->Rdx = rec->ExceptionInformation[3];
    }
    return ExceptionContinueSearch;
  }
  if (rec->ExceptionCode != 0xE0000005) return ExceptionContinueSearch; /* "STATUS_GCC_THROW" */
  if (!(rec->ExceptionFlags & EXCEPTION_UNWINDING)) {
    gcc_search_calls++;
    RtlUnwindEx(frame, guard_gcc_landing, rec, NULL, c, d->HistoryTable);
    return ExceptionContinueSearch; /* not reached */
  }
  if (rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) {
    gcc_target_calls++;
    rec->ExceptionCode = 0xE0000006;
    rec->NumberParameters = 4;
    rec->ExceptionInformation[3] = 0x5678;
    RtlUnwindEx(frame, guard_gcc_landing, rec, (PVOID)0x1234, c, d->HistoryTable);
  }
  return ExceptionContinueSearch;
}

static ULONG_PTR raise_gcc(void) {
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000005;
  RtlRaiseException(&rec);
  return 1;
}

static ULONG_PTR call_inner_gcc(void) {
  return guard_inner(raise_gcc) + 100;
}

static void test_collided_unwind(void) {
  /* Wine's RtlUnwindEx walks in the CONTEXT it was given, so the nested unwind, handed that same
   * buffer, overwrites the state the collided unwind resumes from and lands with a stale stack
   * pointer (it crashes). Ours keeps its walk apart and writes the buffer only at the end. */
  if (nt_is_wine()) {
    nt_note("collided unwind reusing the handler's CONTEXT: skipped under Wine");
    return;
  }
  inner_dispatch_calls = inner_unwind_calls = 0;
  landed_rax = landed_rdx = 0;
  guard_gcc(call_inner_gcc);
  CHECK_EQ(gcc_search_calls, 1);
  CHECK_EQ(gcc_target_calls, 1);
  CHECK_EQ(gcc_collided_calls, 1);
  CHECK_EQ(inner_dispatch_calls, 1);
  CHECK_EQ(inner_unwind_calls, 1); /* the frames between ran their unwind handlers once */
  CHECK_EQ(landed_rax, 0x1234);
  CHECK_EQ(landed_rdx, 0x5678);
}

/* ---- __C_specific_handler, driven with a hand-made scope table
 * ----------------------------- */

typedef struct SCOPE_TABLE_4 {
  ULONG Count;
  struct {
    ULONG BeginAddress, EndAddress, HandlerAddress, JumpTarget;
  } ScopeRecord[4];
} SCOPE_TABLE_4;

static int filter_calls, finally_calls;
static BOOLEAN finally_abnormal;
static PVOID finally_frame;
static LONG filter_result;

LONG __cdecl scope_filter(EXCEPTION_POINTERS* p, PVOID frame) {
  filter_calls++;
  return filter_result;
}

void __cdecl scope_finally(BOOLEAN abnormal, PVOID frame) {
  finally_calls++;
  finally_abnormal = abnormal;
  finally_frame = frame;
}

static ULONG rva(void* p) {
  return (ULONG)((ULONG_PTR)p - image_base());
}

static void test_c_specific_handler(void) {
  SCOPE_TABLE_4 scopes = {0};
  scopes.Count = 3;
  /* [0x100, 0x200): __finally; [0x80, 0x300): __except (filter) to 0x400;
   * [0x10, 0x500): a
   * __finally outside it */
  scopes.ScopeRecord[0].BeginAddress = 0x100;
  scopes.ScopeRecord[0].EndAddress = 0x200;
  scopes.ScopeRecord[0].HandlerAddress = rva(scope_finally);
  scopes.ScopeRecord[1].BeginAddress = 0x80;
  scopes.ScopeRecord[1].EndAddress = 0x300;
  scopes.ScopeRecord[1].HandlerAddress = rva(scope_filter);
  scopes.ScopeRecord[1].JumpTarget = 0x400;
  scopes.ScopeRecord[2].BeginAddress = 0x10;
  scopes.ScopeRecord[2].EndAddress = 0x500;
  scopes.ScopeRecord[2].HandlerAddress = rva(scope_finally);
  EXCEPTION_RECORD rec = {0};
  rec.ExceptionCode = 0xE0000004;
  CONTEXT c;
  __builtin_memset(&c, 0, sizeof c);
  DISPATCHER_CONTEXT d = {0};
  d.ImageBase = image_base();
  d.ControlPc = image_base() + 0x150;
  d.HandlerData = &scopes;
  d.ContextRecord = &c;
  PVOID frame = (PVOID)0x5000;

  /* dispatch: the filter decides; __finally scopes have none */
  filter_calls = 0;
  filter_result = EXCEPTION_CONTINUE_SEARCH;
  CHECK_EQ(__C_specific_handler(&rec, frame, &c, &d), ExceptionContinueSearch);
  CHECK_EQ(filter_calls, 1);
  filter_result = EXCEPTION_CONTINUE_EXECUTION;
  CHECK_EQ(__C_specific_handler(&rec, frame, &c, &d), ExceptionContinueExecution);
  CHECK_EQ(filter_calls, 2);

  /* unwind through the frame: every __finally the PC is in runs, abnormally */
  rec.ExceptionFlags = EXCEPTION_UNWINDING;
  d.TargetIp = 0x7777;
  finally_calls = 0;
  CHECK_EQ(__C_specific_handler(&rec, frame, &c, &d), ExceptionContinueSearch);
  CHECK_EQ(finally_calls, 2);
  CHECK_EQ(finally_abnormal, 1);
  CHECK(finally_frame == frame);
  CHECK_EQ(d.ScopeIndex, 3);

  /* the target frame: only the scopes inside the one whose __except is the
   * target */
  rec.ExceptionFlags = EXCEPTION_UNWINDING | EXCEPTION_TARGET_UNWIND;
  d.TargetIp = image_base() + 0x400;
  d.ScopeIndex = 0;
  finally_calls = 0;
  CHECK_EQ(__C_specific_handler(&rec, frame, &c, &d), ExceptionContinueSearch);
  CHECK_EQ(finally_calls, 1);
  CHECK_EQ(d.ScopeIndex, 1);

  /* a PC outside every scope: nothing runs */
  d.ControlPc = image_base() + 0x600;
  d.ScopeIndex = 0;
  rec.ExceptionFlags = 0;
  filter_calls = 0;
  CHECK_EQ(__C_specific_handler(&rec, frame, &c, &d), ExceptionContinueSearch);
  CHECK_EQ(filter_calls, 0);
}

/* ---- Unhandled
 * ---------------------------------------------------------------------------
 */

static void die_unhandled(void) {
  nt_printf("writing to NULL with no handler\n");
  *(volatile int*)0 = 1;
  nt_printf("FAIL: still running\n");
}

void test_main(void) {
  if (nt_has_arg("unhandled")) die_unhandled();
  test_capture_restore();
  test_copy_context();
  test_extended_context();
  test_unwind_pushes_and_saves();
  test_unwind_frame_pointer();
  test_unwind_far_and_machine_frame();
  test_dynamic_tables();
  test_pc_to_file_header();
  test_chkstk();
  test_back_trace();
  test_vectored();
  test_nt_raise_exception();
  test_hardware_faults();
  test_frame_handlers();
  test_collided_unwind();
  test_nested_exception();
  test_c_specific_handler();
}
