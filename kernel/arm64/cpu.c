// SPDX-License-Identifier: BSD-2-Clause
/*
 * AArch64 CPU features, read from the ID registers once and never assumed
 * (kernel/arm64/cpu.h); the summary line keeps the x86 line's keys where
 * they mean the same (nx, unenforced).
 */
#include "kernel/arm64/cpu.h"
#include "kernel/arm64/serial.h"
#include "kernel/arm64/sysreg.h"
#include "kernel/kernel.h"
#include "kernel/handoff.h"
#include "memmap/layout.h"
#include "memmap/memmap.h"

#define PA_BITS_4K_MAX 48 /* 4 KiB granule without FEAT_LPA2: 48-bit output addresses */

u8 cpu_parange_bits(u64 parange)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 0;
}

u8 cpu_pa_bits(void)
{
	u8 bits = cpu_parange_bits(MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1)));

	/* A reserved PARange: the smallest the architecture has, never a guess upwards. */
	if (!bits)
		bits = 32;
	return bits > PA_BITS_4K_MAX ? PA_BITS_4K_MAX : bits;
}

u8 cpu_va_bits(void)
{
	return (u8)(64 - TCR_T0SZ(read_sysreg(tcr_el1)));
}

void arch_va_window(const struct handoff *h, const struct memmap *map, u64 *base, u64 *size)
{
	*size = ARM64_VA_WINDOW_SIZE;
	*base = memmap_layout_window_lower(map, cpu_pa_bits(), h->fb_base, h->fb_size, *size);
	if (!*base)
		*size = 0; /* nothing fits below 2^48: the layout is refused, runtime services off */
}

bool cpu_nx(void)
{
	return true;
}

void cpu_features_report(const struct handoff *h)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1), pfr0 = read_sysreg(id_aa64pfr0_el1);
	u64 el = CURRENTEL_EL(read_sysreg(CurrentEL));
	bool gran4 = MMFR0_TGRAN4(mmfr0) != 0xf;
	static bool reported;
	u32 unenforced = 0;

	(void)h;
	if (reported)
		return;
	reported = true;
	/* TGran4: 0 and 1 mean the 4 KiB granule is there (1: with 52-bit addresses). */
	unenforced += !gran4;
	printk("efimap: cpu: arch=aarch64 nx=1 pa_bits=%u parange=%llu va_bits=%u el=%llu "
	       "tgran4=%u tgran16=%u tgran64=%u el2=%u el3=%u wxn=%u unenforced=%u",
	       cpu_pa_bits(), (unsigned long long)MMFR0_PARANGE(mmfr0), cpu_va_bits(),
	       (unsigned long long)el, gran4, MMFR0_TGRAN16(mmfr0) != 0,
	       MMFR0_TGRAN64(mmfr0) != 0xf, PFR0_EL2(pfr0) != 0, PFR0_EL3(pfr0) != 0,
	       !!(read_sysreg(sctlr_el1) & SCTLR_WXN), unenforced);
	if (!gran4)
		printk("efimap: cpu: cannot enforce: anything (no 4 KiB translation granule: "
		       "efimap's tables cannot be used)");
	if (el != 1)
		printk("efimap: cpu: running at EL%llu; efimap's vectors and tables are EL1's",
		       (unsigned long long)el);
	/*
	 * No serial console: said here, where the screen (fbcon_init ran by now)
	 * and the report can carry it; serial_init() ran before either existed.
	 */
	if (!serial_mmio_base())
		printk("efimap: serial: none (%s): the kernel is silent on serial",
		       serial_absent_reason());
	/* Addresses beyond PARange do not exist (Arm ARM, "Address size faults"). */
	mm_lower_phys_limit(1ULL << cpu_pa_bits());
}
