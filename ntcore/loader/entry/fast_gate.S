// The fast gate: the ntdll stubs `call qword [0x7ffe1000]` here instead of executing `syscall`.
//
// On entry (Windows code, MS x64 ABI):
//   eax = NT system call number, r10 = arg 1 (the stub copied rcx), rdx, r8, r9 = args 2-4,
//   [rsp] = return into the stub, [rsp + 8] = return into the stub's caller,
//   [rsp + 0x30] = arg 5 (the caller's rsp at the stub + 0x28: return address + home area).
// We build a SyscallFrame, call the SysV `ir_dispatch(number, &frame)` and return its NTSTATUS
// in rax. Windows code may rely on everything the MS ABI calls non-volatile, so rdi, rsi and
// xmm6-xmm15 (which SysV code may clobber) are saved here; rbx, rbp, r12-r15 are callee-saved in
// both ABIs. rcx and r11 are clobbered as a real `syscall` clobbers them.
//
// While the runtime runs, the thread's Syscall User Dispatch selector must say ALLOW (a vDSO
// fallback or any syscall outside libc would otherwise be turned into SIGSYS); the previous value
// (BLOCK, as Windows code runs with it) is put back just before returning to Windows code.
// ir_sud_selector is initial-exec TLS in the executable, so %fs:sym@tpoff addresses it directly.
//
// NtReadFile and NtWriteFile (their numbers are in the gate page, next to the pointer the stub
// just read) first go to the file lane, ir_fast_file_io (io/fast_file_io.cpp), and
// NtQueryPerformanceCounter to the counter lane, ir_fast_performance_counter
// (system/fast_performance_counter.cpp): compiled to use general registers only, so the vector
// registers need no saving there. When a lane declines (returns -1) the registers are put back
// as they came and the call takes the full path.

#define SELECTOR_ALLOW 0

#define FRAME_SIZE 0x30   // SyscallFrame (0x28) rounded up to 16
#define XMM_SAVE   FRAME_SIZE
#define LOCALS     (FRAME_SIZE + 10 * 16)
#define FAST_READ  0x7ffe1010             // entry.h: kGateFastReadAddress
#define FAST_WRITE 0x7ffe1014             // entry.h: kGateFastWriteAddress
#define FAST_COUNTER 0x7ffe1018           // entry.h: kGateFastCounterAddress

// rbp frame; rdi and rsi (MS non-volatile) and r11 (the selector to put back) saved below it.
.macro GATE_ENTER
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	pushq	%rdi
	.cfi_offset %rdi, -24
	pushq	%rsi
	.cfi_offset %rsi, -32
	pushq	%r11
.endm

// The SyscallFrame at rsp (16-byte aligned) and the SysV arguments (number, &frame).
.macro GATE_FRAME
	movq	%r10, 0x00(%rsp)              // frame.arg[0]
	movq	%rdx, 0x08(%rsp)              // frame.arg[1]
	movq	%r8,  0x10(%rsp)              // frame.arg[2]
	movq	%r9,  0x18(%rsp)              // frame.arg[3]
	leaq	0x38(%rbp), %rdi              // entry rsp + 0x30: arg 5
	movq	%rdi, 0x20(%rsp)              // frame.user_stack_args
	movl	%eax, %edi
	movq	%rsp, %rsi
	cld                                   // both ABIs want DF clear at a call
.endm

// What GATE_ENTER saved back in place, the frame gone; r11 = the selector to put back.
.macro GATE_RESTORE
	movq	-8(%rbp), %rdi
	movq	-16(%rbp), %rsi
	movq	-24(%rbp), %r11
	leave
	.cfi_def_cfa %rsp, 8
.endm

// A lane declined: the stub's registers as they came (the caller restored the arguments), then
// the full path.
.macro GATE_DECLINED
	GATE_RESTORE
	.cfi_restore %rbp
	.cfi_restore %rdi
	.cfi_restore %rsi
	jmp	.Lfull_path
.endm

// Back to Windows code with the NTSTATUS in rax.
.macro GATE_LEAVE
	GATE_RESTORE
	movb	%r11b, %fs:ir_sud_selector@tpoff
	ret
.endm

	.text
	.globl	ir_fast_gate
	.type	ir_fast_gate, @function
	.p2align 4
ir_fast_gate:
	.cfi_startproc
	endbr64
	movzbl	%fs:ir_sud_selector@tpoff, %r11d
	movb	$SELECTOR_ALLOW, %fs:ir_sud_selector@tpoff
	cmpl	FAST_READ, %eax
	je	.Lfile_lane
	cmpl	FAST_WRITE, %eax
	je	.Lfile_lane
	cmpl	FAST_COUNTER, %eax
	je	.Lcounter_lane
.Lfull_path:                              // r11 = the selector to put back
	GATE_ENTER
	subq	$LOCALS, %rsp
	andq	$-16, %rsp                    // SysV: 16-byte aligned at the call
	movaps	%xmm6,  XMM_SAVE + 0x00(%rsp)
	movaps	%xmm7,  XMM_SAVE + 0x10(%rsp)
	movaps	%xmm8,  XMM_SAVE + 0x20(%rsp)
	movaps	%xmm9,  XMM_SAVE + 0x30(%rsp)
	movaps	%xmm10, XMM_SAVE + 0x40(%rsp)
	movaps	%xmm11, XMM_SAVE + 0x50(%rsp)
	movaps	%xmm12, XMM_SAVE + 0x60(%rsp)
	movaps	%xmm13, XMM_SAVE + 0x70(%rsp)
	movaps	%xmm14, XMM_SAVE + 0x80(%rsp)
	movaps	%xmm15, XMM_SAVE + 0x90(%rsp)
	GATE_FRAME
	call	ir_dispatch
	movl	%eax, %eax                    // NTSTATUS, zero-extended as `mov eax, status` leaves it
	movaps	XMM_SAVE + 0x00(%rsp), %xmm6
	movaps	XMM_SAVE + 0x10(%rsp), %xmm7
	movaps	XMM_SAVE + 0x20(%rsp), %xmm8
	movaps	XMM_SAVE + 0x30(%rsp), %xmm9
	movaps	XMM_SAVE + 0x40(%rsp), %xmm10
	movaps	XMM_SAVE + 0x50(%rsp), %xmm11
	movaps	XMM_SAVE + 0x60(%rsp), %xmm12
	movaps	XMM_SAVE + 0x70(%rsp), %xmm13
	movaps	XMM_SAVE + 0x80(%rsp), %xmm14
	movaps	XMM_SAVE + 0x90(%rsp), %xmm15
	GATE_LEAVE
	.cfi_restore %rbp
	.cfi_restore %rdi
	.cfi_restore %rsi

.Lfile_lane:                              // the same frame, without the vector registers
	GATE_ENTER
	pushq	%rax                          // the number, for the full path
	subq	$FRAME_SIZE, %rsp
	andq	$-16, %rsp
	GATE_FRAME
	call	ir_fast_file_io
	cmpq	$-1, %rax
	je	.Lfile_lane_declined
	movl	%eax, %eax
	.cfi_remember_state
	GATE_LEAVE
	.cfi_restore_state
.Lfile_lane_declined:                     // back as the stub called us, then the full path
	movq	0x00(%rsp), %r10
	movq	0x08(%rsp), %rdx
	movq	0x10(%rsp), %r8
	movq	0x18(%rsp), %r9
	movl	-32(%rbp), %eax
	GATE_DECLINED

.Lcounter_lane:                           // NtQueryPerformanceCounter: two register arguments
	GATE_ENTER
	pushq	%rax                          // the number, for the full path
	pushq	%r10
	pushq	%rdx                          // rsp is 16-byte aligned again
	movq	%r10, %rdi
	movq	%rdx, %rsi
	cld
	call	ir_fast_performance_counter
	cmpq	$-1, %rax
	je	.Lcounter_lane_declined
	movl	%eax, %eax
	.cfi_remember_state
	GATE_LEAVE
	.cfi_restore_state
.Lcounter_lane_declined:
	popq	%rdx
	popq	%r10
	popq	%rax
	GATE_DECLINED
	.cfi_endproc
	.size	ir_fast_gate, .-ir_fast_gate

	.section .note.GNU-stack, "", @progbits
