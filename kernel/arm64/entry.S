/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AArch64 kernel entry from the stub, the exception vector table, and the
 * fault-probing helpers the self-tests use. x86 twin: kernel/x86/entry.S.
 *
 * Stacks: the kernel runs on SP_EL1 (PSTATE.SP = 1). Every exception
 * switches to a dedicated exception stack (trap_stack, TRAP_STACK_SIZE)
 * before it stores anything, so a kernel stack that ran into its guard
 * page (efimap.inject=stack-overflow) is reported like any other fault,
 * where storing the frame on the broken stack would fault again, forever.
 * Only if SP already lies inside trap_stack (an exception inside the
 * handler) does the new frame go below the current one. The switch needs
 * one scratch register before anything can be stored: TPIDR_EL1, which
 * nothing else in efimap uses (the firmware has no claim on it after
 * ExitBootServices; during a firmware call an exception is a firmware bug
 * already).
 */
#include "kernel/arm64/trap.h"

	.text

/*
 * void kernel_start(struct handoff *h, u64 stack_top): no return.
 * Everything masked, SP_EL1 selected and set to stack_top & ~15, FP and LR
 * zero (the end of any frame-pointer walk), then kernel_main(h). The
 * handoff pointer is kept in arm64_boot_handoff for serial_init(), which
 * runs before kernel_main has looked at the block.
 */
	.globl kernel_start
	.type	kernel_start, %function
kernel_start:
	msr	daifset, #0xf
	msr	spsel, #1
	isb
	and	x1, x1, #~15
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	adrp	x2, arm64_boot_handoff
	str	x0, [x2, :lo12:arm64_boot_handoff]
	bl	kernel_main
1:	msr	daifset, #0xf
	wfi
	b	1b
	.size	kernel_start, . - kernel_start

/*
 * One vector slot (Arm ARM, "Exception vectors": 16 slots of 0x80 bytes,
 * the table aligned to 2 KiB by VBAR_EL1's bits [10:0] being RES0).
 * x0 parks in TPIDR_EL1; x0 = SP - trap_stack decides whether SP is on the
 * exception stack already; if not, SP = trap_stack + TRAP_STACK_SIZE
 * (computed from SP and x0, so no second register is needed). Then the
 * frame: x1, x2 and SP_EL1 as it was on entry go in, x1 = slot number,
 * and trap_common does the rest.
 */
	.macro	VECTOR slot
	.balign	0x80
	msr	tpidr_el1, x0
	adrp	x0, trap_stack
	add	x0, x0, :lo12:trap_stack
	sub	x0, sp, x0
	cmp	x0, #(TRAP_STACK_SIZE >> 12), lsl #12
	b.lo	1f
	sub	sp, sp, x0			/* sp = trap_stack */
	add	sp, sp, #(TRAP_STACK_SIZE >> 12), lsl #12
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x1, x2, [sp, #8]
	add	x1, sp, #TRAP_FRAME_SIZE
	sub	x1, x1, #(TRAP_STACK_SIZE >> 12), lsl #12
	add	x1, x1, x0			/* SP_EL1 on entry */
	b	2f
1:	sub	sp, sp, #TRAP_FRAME_SIZE	/* nested: below the frame in use */
	stp	x1, x2, [sp, #8]
	add	x1, sp, #TRAP_FRAME_SIZE
2:	str	x1, [sp, #TRAP_FRAME_ENTRY_SP]
	mov	x1, #\slot
	b	trap_common
	.endm

	.balign	2048
	.globl	vectors
vectors:
	VECTOR	0	/* current EL, SP_EL0: synchronous */
	VECTOR	1	/* IRQ */
	VECTOR	2	/* FIQ */
	VECTOR	3	/* SError */
	VECTOR	4	/* current EL, SP_ELx: synchronous (the kernel's faults) */
	VECTOR	5
	VECTOR	6
	VECTOR	7
	VECTOR	8	/* lower EL, AArch64 */
	VECTOR	9
	VECTOR	10
	VECTOR	11
	VECTOR	12	/* lower EL, AArch32 */
	VECTOR	13
	VECTOR	14
	VECTOR	15

/*
 * The rest of struct trap_frame (kernel/arm64/trap.h), trap_handler(frame),
 * then back to what the frame says: ELR, SPSR, x0-x30 and the interrupted
 * stack pointer, which for slots 4-7 is SP_EL1 itself and for the others
 * SP_EL0 (SP_EL1 then goes back to its value on entry).
 */
trap_common:
	str	x1, [sp, #TRAP_FRAME_SLOT]
	stp	x3, x4, [sp, #24]
	stp	x5, x6, [sp, #40]
	stp	x7, x8, [sp, #56]
	stp	x9, x10, [sp, #72]
	stp	x11, x12, [sp, #88]
	stp	x13, x14, [sp, #104]
	stp	x15, x16, [sp, #120]
	stp	x17, x18, [sp, #136]
	stp	x19, x20, [sp, #152]
	stp	x21, x22, [sp, #168]
	stp	x23, x24, [sp, #184]
	stp	x25, x26, [sp, #200]
	stp	x27, x28, [sp, #216]
	stp	x29, x30, [sp, #232]
	mrs	x0, tpidr_el1
	str	x0, [sp, #TRAP_FRAME_X0]
	ldr	x2, [sp, #TRAP_FRAME_ENTRY_SP]
	and	x3, x1, #0xc
	cmp	x3, #4
	b.eq	1f
	mrs	x2, sp_el0
1:	str	x2, [sp, #TRAP_FRAME_SP]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TRAP_FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #TRAP_FRAME_ESR]
	mov	x29, xzr		/* the handler's frame chain starts here */
	mov	x0, sp
	bl	trap_handler

	ldp	x2, x3, [sp, #TRAP_FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldr	x1, [sp, #TRAP_FRAME_SLOT]
	ldr	x2, [sp, #TRAP_FRAME_SP]
	and	x3, x1, #0xc
	cmp	x3, #4
	b.eq	2f
	msr	sp_el0, x2		/* slots 0-3, 8-15: the interrupted SP is SP_EL0 */
	ldr	x2, [sp, #TRAP_FRAME_ENTRY_SP]
2:	str	x2, [sp, #TRAP_FRAME_ENTRY_SP]	/* now: SP_EL1 to return with */
	ldp	x1, x2, [sp, #8]
	ldp	x3, x4, [sp, #24]
	ldp	x5, x6, [sp, #40]
	ldp	x7, x8, [sp, #56]
	ldp	x9, x10, [sp, #72]
	ldp	x11, x12, [sp, #88]
	ldp	x13, x14, [sp, #104]
	ldp	x15, x16, [sp, #120]
	ldp	x17, x18, [sp, #136]
	ldp	x19, x20, [sp, #152]
	ldp	x21, x22, [sp, #168]
	ldp	x23, x24, [sp, #184]
	ldp	x25, x26, [sp, #200]
	ldp	x27, x28, [sp, #216]
	ldp	x29, x30, [sp, #232]
	ldr	x0, [sp, #TRAP_FRAME_X0]
	msr	tpidr_el1, x0
	ldr	x0, [sp, #TRAP_FRAME_ENTRY_SP]
	mov	sp, x0
	mrs	x0, tpidr_el1
	eret

/*
 * The table arch_traps_break() installs: whatever is taken, straight to
 * trap_break_taken() on a fresh exception stack, never back. It saves
 * only ESR/ELR/FAR in a frame, which is all that function prints.
 */
	.macro	BROKEN
	.balign	0x80
	b	trap_broken_common
	.endm

	.balign	2048
	.globl	vectors_broken
vectors_broken:
	.rept	16
	BROKEN
	.endr

trap_broken_common:
	adrp	x0, trap_stack
	add	x0, x0, :lo12:trap_stack
	add	x0, x0, #(TRAP_STACK_SIZE >> 12), lsl #12
	sub	x0, x0, #TRAP_FRAME_SIZE
	mov	sp, x0
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #TRAP_FRAME_ELR]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	stp	x1, x2, [sp, #TRAP_FRAME_ESR]
	mov	x29, xzr
	bl	trap_break_taken
1:	msr	daifset, #0xf
	wfi
	b	1b

/*
 * int probe_read(u64 addr, u8 *out): 0 and *out set if addr is readable,
 * 1 if reading it faulted. trap_handler() resumes an abort at probe_insn
 * at probe_fault.
 */
	.globl	probe_read, probe_insn, probe_fault
	.type	probe_read, %function
probe_read:
probe_insn:
	ldrb	w2, [x0]
	strb	w2, [x1]
	mov	w0, #0
	ret
probe_fault:
	mov	w0, #1
	ret
	.size	probe_read, . - probe_read

/*
 * int probe_write(u64 addr, u8 val): 0 if storing val at addr worked, 1 if
 * it faulted (a read-only or unmapped page). Resumed at probe_fault too.
 */
	.globl	probe_write, probe_write_insn
	.type	probe_write, %function
probe_write:
probe_write_insn:
	strb	w1, [x0]
	mov	w0, #0
	ret
	.size	probe_write, . - probe_write

	.bss
	.balign	16
	.globl	trap_stack
trap_stack:
	.skip	TRAP_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
