/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one way into firmware: a call in the Microsoft x64 convention (UEFI
 * 2.10 section 2.3.4.2: arguments in RCX, RDX, R8, R9, then on the stack
 * above 32 bytes of shadow space; RSP 16-byte aligned at the call) that the
 * exception handler can abandon. While guard->active is set, a fault inside
 * the firmware makes trap_handler() (via efi_call_fault()) resume at
 * efi_guarded_resume with RSP = guard->rsp and RAX = EFI_ABORTED: the frame
 * below holds every callee-saved register of our caller, so the caller
 * goes on as if the firmware had returned that status.
 */
	.text

/*
 * u64 efi_guarded_call(struct efi_guard *g, u64 fn, const u64 args[6])
 * struct efi_guard: u64 rsp at 0, u64 active at 8 (kernel/x86/efi_call.h).
 */
	.globl efi_guarded_call, efi_guarded_resume
efi_guarded_call:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* 32 shadow bytes, arguments 5 and 6, 8 to align: RSP % 16 == 0 at the call. */
	sub	$56, %rsp
	mov	%rdi, %r12
	mov	%rsi, %rax
	mov	32(%rdx), %r10
	mov	%r10, 32(%rsp)
	mov	40(%rdx), %r10
	mov	%r10, 40(%rsp)
	mov	(%rdx), %rcx
	mov	16(%rdx), %r8
	mov	24(%rdx), %r9
	mov	8(%rdx), %rdx
	mov	%rsp, (%r12)
	movq	$1, 8(%r12)
	cld
	call	*%rax
	/* R12 is callee-saved in the MS convention too: still the guard. */
	movq	$0, 8(%r12)
efi_guarded_resume:
	add	$56, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

	.section .note.GNU-stack, "", @progbits
