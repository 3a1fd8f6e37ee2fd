/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * void kexec_jump(const struct kexec_jump_args *a): no return.
 *
 * AArch64's twin of kernel/x86/kexec_jump.S. Runs from the image's code,
 * which the copy leaves alone (its bytes are the pristine ones already: the
 * caller checked), and keeps everything in registers: the image's data,
 * where any variable would live, is being overwritten. The arguments sit on
 * the old stack, which nothing copies over. Offsets follow struct
 * kexec_jump_args (kernel/kexec_pt.h).
 *
 * The code is not rewritten, so no instruction-cache maintenance is due
 * (Arm ARM D7.5.9 concerns modified instructions); the data copy is
 * coherent through the data cache. The transition tables use the same
 * MAIR and TCR as the old instance's own (its paging_init set them).
 */
	.text
	.globl	kexec_jump
	.type	kexec_jump, %function
kexec_jump:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x0, [x19, #0]		/* root */
	dsb	ish			/* the tables' stores before the walker reads them */
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1			/* no entry of the old tables survives */
	dsb	ish
	isb
	/* [dst, skip_start) from src */
	ldr	x1, [x19, #8]		/* dst */
	ldr	x2, [x19, #16]		/* src */
	ldr	x3, [x19, #32]		/* skip_start */
1:	cmp	x1, x3
	b.hs	2f
	ldrb	w4, [x2], #1
	strb	w4, [x1], #1
	b	1b
	/* [skip_end, dst + bytes) from src + (skip_end - dst) */
2:	ldr	x5, [x19, #8]		/* dst */
	ldr	x1, [x19, #40]		/* skip_end */
	ldr	x2, [x19, #16]		/* src */
	sub	x6, x1, x5
	add	x2, x2, x6
	ldr	x3, [x19, #24]		/* bytes */
	add	x3, x5, x3
3:	cmp	x1, x3
	b.hs	4f
	ldrb	w4, [x2], #1
	strb	w4, [x1], #1
	b	3b
4:	dsb	ish
	ldr	x0, [x19, #48]		/* handoff */
	ldr	x1, [x19, #56]		/* stack_top */
	b	kernel_start
	.size	kexec_jump, . - kexec_jump

	.section .note.GNU-stack, "", %progbits
