/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * void kexec_jump(const struct kexec_jump_args *a): no return.
 *
 * Runs from the image's code, which the copy leaves alone (its bytes are
 * the pristine ones already: the caller checked), and keeps everything in
 * registers: the image's data, where any variable would live, is being
 * overwritten. The arguments sit on the old stack, which nothing copies
 * over. Offsets follow struct kexec_jump_args (kernel/kexec_pt.h).
 */
	.text
	.globl kexec_jump
kexec_jump:
	cli
	mov	%rdi, %r15
	mov	0(%r15), %rax
	mov	%rax, %cr3
	/* A CR3 load keeps global TLB entries (read-only ones of the old tables): toggle PGE. */
	mov	%cr4, %rax
	mov	%rax, %rcx
	and	$~0x80, %rcx
	mov	%rcx, %cr4
	mov	%rax, %cr4
	cld
	/* [dst, skip_start) from src */
	mov	8(%r15), %rdi
	mov	16(%r15), %rsi
	mov	32(%r15), %rcx
	sub	%rdi, %rcx
	rep movsb
	/* [skip_end, dst + bytes) from src + (skip_end - dst) */
	mov	40(%r15), %rdi
	mov	%rdi, %rcx
	sub	8(%r15), %rcx
	mov	16(%r15), %rsi
	add	%rcx, %rsi
	mov	8(%r15), %rcx
	add	24(%r15), %rcx
	sub	%rdi, %rcx
	rep movsb
	mov	48(%r15), %rdi
	mov	56(%r15), %rsi
	jmp	kernel_start

	.section .note.GNU-stack, "", @progbits
