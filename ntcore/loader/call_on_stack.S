// uint64_t ir_call_on_stack(uint64_t stack_top, uint64_t fn,
//                           uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
//
// Calls fn(a0, a1, a2, a3) as an MS x64 ABI function on another stack (a Windows thread's),
// then comes back to the caller's stack and returns fn's rax. Called with the SysV ABI:
// rdi = stack_top, rsi = fn, rdx = a0, rcx = a1, r8 = a2, r9 = a3.
//
// MS ABI at the call: rcx, rdx, r8, r9 = arguments, rsp 16-byte aligned, and 32 bytes of home
// area above the return address reserved for the callee. rbp is non-volatile in both ABIs, so
// it carries the caller's stack pointer across the call.

	.text
	.globl	ir_call_on_stack
	.type	ir_call_on_stack, @function
	.p2align 4
ir_call_on_stack:
	.cfi_startproc
	endbr64
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	movq	%rsi, %rax             // fn
	andq	$-16, %rdi
	leaq	-32(%rdi), %rsp        // the home area; rsp stays 16-byte aligned
	movq	%rcx, %r10             // a1
	movq	%rdx, %rcx             // a0 -> rcx
	movq	%r10, %rdx             // a1 -> rdx (r8, r9 are already a2, a3)
	cld
	call	*%rax
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	ir_call_on_stack, .-ir_call_on_stack

	.section .note.GNU-stack,"",@progbits
