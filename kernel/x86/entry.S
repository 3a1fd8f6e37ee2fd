/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel entry from the stub, the exception vector stubs, and the
 * fault-probing helper the self-tests use.
 */
	.text

/* void kernel_start(struct handoff *h, u64 stack_top): no return. */
	.globl kernel_start
kernel_start:
	cli
	mov	%rsi, %rsp
	and	$-16, %rsp
	xor	%ebp, %ebp
	call	kernel_main
1:	cli
	hlt
	jmp	1b

/* Reload CS and the data segments after lgdt: void gdt_reload(u16 cs, u16 ds). */
	.globl gdt_reload
gdt_reload:
	push	%rdi
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	%si, %ds
	mov	%si, %es
	mov	%si, %ss
	mov	%si, %fs
	mov	%si, %gs
	ret

/*
 * One 16-byte stub per exception vector 0-31, so that the IDT can compute
 * addresses (isr_stubs + 16 * n) without relocations. Vectors without a
 * CPU error code push a zero to keep one frame layout.
 */
	.macro	ISR vec, has_error
	.balign	16
	.if	\has_error == 0
	push	$0
	.endif
	push	$\vec
	jmp	isr_common
	.endm

	.balign	16
	.globl isr_stubs
isr_stubs:
	ISR 0, 0
	ISR 1, 0
	ISR 2, 0
	ISR 3, 0
	ISR 4, 0
	ISR 5, 0
	ISR 6, 0
	ISR 7, 0
	ISR 8, 1
	ISR 9, 0
	ISR 10, 1
	ISR 11, 1
	ISR 12, 1
	ISR 13, 1
	ISR 14, 1
	ISR 15, 0
	ISR 16, 0
	ISR 17, 1
	ISR 18, 0
	ISR 19, 0
	ISR 20, 0
	ISR 21, 1
	ISR 22, 0
	ISR 23, 0
	ISR 24, 0
	ISR 25, 0
	ISR 26, 0
	ISR 27, 0
	ISR 28, 0
	ISR 29, 1
	ISR 30, 1
	ISR 31, 0

/* Builds struct trap_frame (kernel/x86/trap.h) and calls trap_handler(). */
isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	call	trap_handler
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp
	iretq

/*
 * int probe_read(u64 addr, u8 *out): 0 and *out set if addr is readable,
 * 1 if reading it faulted. trap_handler() resumes a fault at probe_insn
 * at probe_fault.
 */
	.globl probe_read, probe_insn, probe_fault
probe_read:
probe_insn:
	movb	(%rdi), %al
	movb	%al, (%rsi)
	xor	%eax, %eax
	ret
probe_fault:
	mov	$1, %eax
	ret

/*
 * int probe_write(u64 addr, u8 val): 0 if storing val at addr worked, 1 if
 * it faulted (a read-only or unmapped page). Resumed at probe_fault too.
 */
	.globl probe_write, probe_write_insn
probe_write:
probe_write_insn:
	movb	%sil, (%rdi)
	xor	%eax, %eax
	ret

	.section .note.GNU-stack, "", @progbits
