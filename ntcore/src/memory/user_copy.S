/*
 * Fault-safe copy between the runtime and Windows memory (user_memory.h).
 *
 * int ir_safe_memcpy(void* dst, const void* src, size_t n): 0 when all n bytes were copied,
 * 1 when a fault interrupted the copy. Every instruction that touches memory lies between
 * ir_safe_memcpy and ir_safe_memcpy_fault; the SIGSEGV/SIGBUS handler (fault_handler.cpp) moves
 * a faulting RIP in that range to ir_safe_memcpy_fault, which returns 1 (an exception table of
 * one entry, as kernels do for copy_from_user). No stack is used, so nothing needs unwinding.
 */
    .text
    .p2align 4
    .globl  ir_safe_memcpy
    .type   ir_safe_memcpy, @function
    .globl  ir_safe_memcpy_fault
    .hidden ir_safe_memcpy_fault
ir_safe_memcpy:
    .cfi_startproc
    cmpq    $8, %rdx
    jb      .Lsmall
    cmpq    $256, %rdx
    jae     .Lbulk
    /* 8..255 bytes: whole qwords, then the last qword again (overlapping) for the tail. */
    leaq    -8(%rsi,%rdx), %r8
    leaq    -8(%rdi,%rdx), %r9
.Lqwords:
    movq    (%rsi), %rax
    movq    %rax, (%rdi)
    addq    $8, %rsi
    addq    $8, %rdi
    subq    $8, %rdx
    cmpq    $8, %rdx
    jae     .Lqwords
    testq   %rdx, %rdx
    jz      .Ldone
    movq    (%r8), %rax
    movq    %rax, (%r9)
    jmp     .Ldone
.Lsmall:
    /* 0..7 bytes, one at a time. */
    testq   %rdx, %rdx
    jz      .Ldone
.Lbytes:
    movzbl  (%rsi), %eax
    movb    %al, (%rdi)
    incq    %rsi
    incq    %rdi
    decq    %rdx
    jnz     .Lbytes
    jmp     .Ldone
.Lbulk:
    /* Large copies: the CPU's fast string move (ERMS). */
    movq    %rdx, %rcx
    rep movsb
.Ldone:
    xorl    %eax, %eax
    ret
ir_safe_memcpy_fault:
    movl    $1, %eax
    ret
    .cfi_endproc
    .size   ir_safe_memcpy, . - ir_safe_memcpy

    .section .note.GNU-stack, "", @progbits
