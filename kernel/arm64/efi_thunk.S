/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one way into firmware on AArch64: a plain AAPCS64 call (arguments in
 * x0-x5, the result in x0; UEFI 2.10 section 2.3.6) that the exception
 * handler can abandon. While guard->active is set, a synchronous exception
 * inside the firmware makes trap_handler() (via efi_call_fault()) resume
 * at efi_guarded_resume with SP = guard->sp and x0 = EFI_ABORTED: the
 * frame below holds every callee-saved register of our caller (x19-x28,
 * the frame pointer and the link register), so the caller goes on as if
 * the firmware had returned that status. x86 twin: kernel/x86/efi_thunk.S.
 */
#include "kernel/arm64/efi_call.h"

	.text

/* u64 efi_guarded_call(struct efi_guard *g, u64 fn, const u64 args[6]) */
	.globl	efi_guarded_call, efi_guarded_resume
	.type	efi_guarded_call, %function
	.balign	4
efi_guarded_call:
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x19, x0			/* the guard: x19 survives the call */
	mov	x16, x1
	mov	x17, x2
	ldp	x0, x1, [x17]
	ldp	x2, x3, [x17, #16]
	ldp	x4, x5, [x17, #32]
	mov	x9, sp
	str	x9, [x19, #EFI_GUARD_SP]
	mov	x9, #1
	str	x9, [x19, #EFI_GUARD_ACTIVE]
	blr	x16
	str	xzr, [x19, #EFI_GUARD_ACTIVE]
efi_guarded_resume:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
	.size	efi_guarded_call, . - efi_guarded_call

	.section .note.GNU-stack, "", %progbits
