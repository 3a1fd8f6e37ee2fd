/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AArch64 exceptions: the frame the vector table (kernel/arm64/entry.S)
 * saves, and the handler's helpers. x86 twin: kernel/x86/trap.h.
 */
#ifndef EFIMAP_KERNEL_ARM64_TRAP_H
#define EFIMAP_KERNEL_ARM64_TRAP_H

/* Offsets entry.S uses; _Static_asserts in trap.c keep them equal to the struct. */
#define TRAP_FRAME_X0	    0
#define TRAP_FRAME_SP	    248
#define TRAP_FRAME_ELR	    256
#define TRAP_FRAME_ESR	    272
#define TRAP_FRAME_SLOT	    288
#define TRAP_FRAME_ENTRY_SP 296
#define TRAP_FRAME_SIZE	    304 /* a multiple of 16: AAPCS64 wants SP 16-aligned at calls */

/* The dedicated exception stack (entry.S): a kernel stack overflow is still reported. */
#define TRAP_STACK_SIZE 16384

#ifndef __ASSEMBLER__
#include "lib/types.h"

/*
 * What entry.S saves on the exception stack, lowest address first. The
 * handler may change x[], sp, elr and spsr: the return path restores them
 * (sp included), which is how efi_call_fault() resumes the caller of a
 * faulting firmware call and the probe fixup skips a faulting load.
 */
struct trap_frame {
	u64 x[31];    /* x0-x30 as they were when the exception was taken */
	u64 sp;	      /* the interrupted stack pointer (SP_EL1, or SP_EL0 for slots 0-3, 8-15) */
	u64 elr;      /* ELR_EL1: where the exception was taken, where eret returns */
	u64 spsr;     /* SPSR_EL1: PSTATE at that point */
	u64 esr;      /* ESR_EL1: syndrome; meaningful for synchronous exceptions and SError */
	u64 far;      /* FAR_EL1: faulting virtual address (valid for aborts, ESR ISS.FnV clear) */
	u64 slot;     /* vector table slot 0-15: (group << 2) | (0 sync, 1 IRQ, 2 FIQ, 3 SError) */
	u64 entry_sp; /* private to entry.S: SP_EL1 on entry, put back for slots 0-3, 8-15 */
};

/* Vector table groups (Arm ARM D1.3.1 "Exception vectors", table D1-7): slot >> 2. */
#define TRAP_GROUP_CUR_SP0   0 /* current EL, SP_EL0 in use */
#define TRAP_GROUP_CUR_SPX   1 /* current EL, SP_ELx in use: the kernel's own */
#define TRAP_GROUP_LOWER_A64 2 /* from a lower EL in AArch64 */
#define TRAP_GROUP_LOWER_A32 3 /* from a lower EL in AArch32 */
#define TRAP_KIND_SYNC	     0
#define TRAP_KIND_IRQ	     1
#define TRAP_KIND_FIQ	     2
#define TRAP_KIND_SERROR     3

/* Point VBAR_EL1 at efimap's vector table (x86: gdt_init + idt_init). */
void arch_traps_init(void);

/*
 * Fault injection (efimap.inject=triple-fault): switch to a vector table in
 * which every exception ends the run at once, without a verdict, the way a
 * triple fault resets an x86 CPU (PSCI SYSTEM_RESET, else the QEMU "no
 * verdict" exit, else a halt), then take an exception (brk). No return.
 */
__noreturn void arch_traps_break(void);

/* Read one byte; 1 if that faulted (page not mapped), 0 otherwise. */
int probe_read(u64 addr, u8 *out);

/*
 * Write one byte; 1 if that faulted (read-only or not mapped), 0 otherwise.
 * Callers write back the byte already there, so a wrong mapping changes nothing.
 */
int probe_write(u64 addr, u8 val);

/* Faults taken by probe_read() and probe_write() so far. */
u64 trap_probe_faults(void);

/*
 * Implemented by the MMU side (kernel/arm64/efi_call.c), called first for
 * every exception: when it was taken inside a guarded firmware call,
 * record or report it and rewrite *f so that the call returns EFI_ABORTED
 * to its caller. True when handled (the vector code then returns to *f).
 */
struct trap_frame;
bool efi_call_fault(struct trap_frame *f);

/* The C side of the vector table (entry.S calls it with the saved frame). */
void trap_handler(struct trap_frame *f);
/* The broken table's C side (arch_traps_break): ends the run, no return. */
__noreturn void trap_break_taken(struct trap_frame *f);

#endif /* __ASSEMBLER__ */
#endif
