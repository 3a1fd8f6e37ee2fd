/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86-64's side of the arch seam (kernel/arch.h): the small inlines generic
 * code needs, and the x86 headers whose declarations both arches share by
 * name (kernel/arm64/arch.h is the twin).
 */
#ifndef EFIMAP_KERNEL_X86_ARCH_H
#define EFIMAP_KERNEL_X86_ARCH_H
#include "kernel/efi_pt.h"
#include "kernel/pgtable_size.h"
#include "kernel/x86/cpu.h"
#include "kernel/x86/cpu_features.h"
#include "kernel/x86/efi_call.h"
#include "kernel/x86/paging.h"
#include "kernel/x86/qemu.h"
#include "kernel/x86/trap.h"
#include "memmap/layout.h"
#include "memmap/validate.h"

#define ARCH_NAME "x86_64"
/* The memory map rules of this arch (memmap/validate.h): the 64 KiB rule is info here. */
#define ARCH_MEMMAP_RULES MM_ARCH_X86

/* The TSC: monotonic on every CPU efimap runs on (invariant TSC is not assumed for rates). */
static inline u64 arch_counter(void)
{
	return rdtsc();
}

/* x86 has no architectural TSC rate: 0, and the stub calibrates it against Stall(). */
static inline u64 arch_counter_hz(void)
{
	return 0;
}

static inline void cpu_relax(void)
{
	pause();
}

static inline void arch_irq_off(void)
{
	cli();
}

/* The translation root in force: CR3. */
static inline u64 arch_page_root(void)
{
	return read_cr3();
}

/* Whether page-table NX bits are honoured now (EFER.NXE); they fault as reserved otherwise. */
static inline bool arch_nx_enabled(void)
{
	return !!(rdmsr(MSR_EFER) & EFER_NXE);
}

/* The console is port I/O (kernel/x86/serial.c): no MMIO for any page table to map. */
static inline u64 serial_mmio_base(void)
{
	return 0;
}

static inline u64 serial_mmio_size(void)
{
	return 0;
}

/*
 * The window runtime regions get their virtual addresses in when
 * efimap.va= names none: on x86 the upper half, which no physical address
 * reaches (memmap/layout.h), whatever the map.
 */
static inline void arch_va_window(const struct handoff *h, const struct memmap *map, u64 *base,
				  u64 *size)
{
	(void)h;
	(void)map;
	*base = MM_VA_WINDOW_BASE;
	*size = MM_VA_WINDOW_SIZE;
}

/* The stub's early console (kernel/arch.h): COM1 is at a fixed port, h is not needed. */
void serial_init(void);
static inline void serial_init_from(struct handoff *h)
{
	(void)h;
	serial_init();
}

/*
 * The arch's own way to end a run when ResetSystem did not (kernel_end):
 * none on x86 (ACPI sleep states need AML); arm64 has PSCI.
 */
static inline void arch_power_off(bool reboot)
{
	(void)reboot;
}

/*
 * Whether the firmware left paging in a shape efimap's 4-level tables
 * cannot be loaded into (CR4.LA57: CR3 would be read as a PML5).
 */
static inline bool arch_paging_unsupported(void)
{
	return !!(read_cr4() & CR4_LA57);
}
#endif
