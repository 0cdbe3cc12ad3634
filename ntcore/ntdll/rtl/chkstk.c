/* __chkstk: called by functions whose frame is larger than a page, with the size in rax, before
 * they subtract it from rsp. It touches each page of the new frame in order, so a stack that
 * grows through guard pages gets them committed one after the other. Preserves every
 * register. */
#include "ntdll_base.h"

__asm__(
    ".text\n"
    ".globl __chkstk\n"
    ".def __chkstk; .scl 2; .type 32; .endef\n"
    ".seh_proc __chkstk\n"
    "__chkstk:\n\t"
    "pushq %rcx\n\t"
    ".seh_pushreg %rcx\n\t"
    "pushq %rax\n\t"
    ".seh_pushreg %rax\n\t"
    ".seh_endprologue\n\t"
    "leaq 0x18(%rsp), %rcx\n\t" /* rsp of the caller, before its call */
    "cmpq $0x1000, %rax\n\t"
    "jb 2f\n"
    "1:\n\t"
    "subq $0x1000, %rcx\n\t"
    "testq %rcx, (%rcx)\n\t"
    "subq $0x1000, %rax\n\t"
    "cmpq $0x1000, %rax\n\t"
    "jae 1b\n"
    "2:\n\t"
    "subq %rax, %rcx\n\t"
    "testq %rcx, (%rcx)\n\t"
    "popq %rax\n\t"
    "popq %rcx\n\t"
    "ret\n\t"
    ".seh_endproc\n"
    ".section .drectve\n\t"
    ".ascii \" -export:__chkstk\"\n"
    ".text");
