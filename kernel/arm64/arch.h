/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The small AArch64 primitives generic code calls through kernel/arch.h
 * (the contract: kernel/arch.h). x86 twin: kernel/x86/arch.h.
 */
#ifndef EFIMAP_KERNEL_ARM64_ARCH_H
#define EFIMAP_KERNEL_ARM64_ARCH_H

#include "kernel/efi_pt.h"
#include "kernel/pgtable_size.h"
#include "kernel/arm64/cpu.h"
#include "kernel/arm64/efi_call.h"
#include "kernel/arm64/paging.h"
#include "kernel/arm64/psci.h"
#include "kernel/arm64/qemu.h"
#include "kernel/arm64/serial.h"
#include "kernel/arm64/sysreg.h"
#include "kernel/arm64/trap.h"
#include "lib/types.h"
#include "memmap/validate.h"

#define ARCH_NAME "aarch64"
/* The memory map rules of this arch (memmap/validate.h): the 64 KiB rule is an error here. */
#define ARCH_MEMMAP_RULES MM_ARCH_ARM64

/*
 * The generic timer's virtual count (Arm ARM, "The Generic Timer in AArch64 state", CNTVCT_EL0). The isb
 * keeps the read from being taken early, out of program order (the same chapter,
 * "Reading the counter"); Linux does the same (arch_timer_read_cntvct_el0).
 */
static inline u64 arch_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

/* CNTFRQ_EL0 (Arm ARM, CNTFRQ_EL0: bits [31:0]): the rate the firmware programmed, 0 if it did not. */
static inline u64 arch_counter_hz(void)
{
	return read_sysreg(cntfrq_el0) & 0xffffffffULL;
}

/* Mask debug, SError, IRQ and FIQ (PSTATE.DAIF; Arm ARM, DAIFSet). */
static inline void arch_irq_off(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
}

/* Everything masked, then wait forever: wfi only wakes on what is masked, so loop. */
static inline __noreturn void halt_forever(void)
{
	arch_irq_off();
	for (;;)
		__asm__ volatile("wfi" : : : "memory");
}

/* A spin-wait hint (Arm ARM, YIELD). */
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/*
 * Zero [addr, addr + bytes), bytes a multiple of 8 (addr 8-aligned), with
 * pairs of stores: no DC ZVA, whose block size (DCZID_EL0) and permission
 * (SCTLR_EL1.DZE) are not ours to rely on.
 */
static inline void zero_qwords(u64 addr, u64 bytes)
{
	u64 end = addr + bytes;

	for (; addr + 16 <= end; addr += 16)
		__asm__ volatile("stp xzr, xzr, [%0]" : : "r"(addr) : "memory");
	if (addr < end)
		__asm__ volatile("str xzr, [%0]" : : "r"(addr) : "memory");
}

/* The translation root of the lower half (Arm ARM, TTBR0_EL1: BADDR [47:1]), address bits only. */
static inline u64 arch_page_root(void)
{
	return read_sysreg(ttbr0_el1) & 0x0000fffffffffffeULL;
}

/*
 * Whether translation-table XN bits are honoured now: always on AArch64
 * (UXN/PXN are part of every stage 1 descriptor, Arm ARM "Memory access
 * control"); nothing to switch on, unlike x86's EFER.NXE.
 */
static inline bool arch_nx_enabled(void)
{
	return true;
}

/*
 * Whether efimap's tables (4 KiB granule) cannot be used on this CPU:
 * ID_AA64MMFR0_EL1.TGran4 = 0xf says the 4 KiB granule is not implemented.
 */
static inline bool arch_paging_unsupported(void)
{
	return MMFR0_TGRAN4(read_sysreg(id_aa64mmfr0_el1)) == 0xf;
}

#endif
