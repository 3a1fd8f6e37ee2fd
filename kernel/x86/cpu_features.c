// SPDX-License-Identifier: BSD-2-Clause
/*
 * Decoding the CPU features paging depends on. Pure code over register
 * values, so the host tests feed it values written from the manuals; the
 * kernel feeds it what the CPU says (kernel/x86/cpu_probe.c).
 */
#include "kernel/x86/cpu_features.h"
#include "kernel/x86/cpu.h"
#include "lib/printf.h"

bool cpu_ext_leaf_valid(u32 max_ext, u32 leaf)
{
	/*
	 * A CPU without extended leaves answers 0x80000000 with whatever its
	 * highest basic leaf holds (SDM vol. 2A, CPUID: "If a value entered for
	 * CPUID.EAX is higher than the maximum input value..."), so a maximum
	 * outside 0x8000xxxx means there are none.
	 */
	return (max_ext & 0xffff0000u) == CPUID_LEAF_EXT_MAX && max_ext >= leaf;
}

void cpu_features_decode(const struct cpu_raw *raw, struct cpu_features *f)
{
	bool pae = raw->max_basic >= 1 && (raw->leaf1_edx & CPUID1_EDX_PAE);
	u32 ext1 = cpu_ext_leaf_valid(raw->max_ext, CPUID_LEAF_EXT_FEAT) ? raw->ext1_edx : 0;
	u32 width =
		cpu_ext_leaf_valid(raw->max_ext, CPUID_LEAF_EXT_ADDR) ? raw->ext8_eax & 0xff : 0;

	*f = (struct cpu_features){ 0 };
	/* Leaf 0x80000001 exists only if CPUID 0x80000000 EAX reaches it (SDM vol. 2A, CPUID). */
	f->nx = ext1 & CPUIDX1_EDX_NX;
	f->gb_pages = ext1 & CPUIDX1_EDX_PDPE1GB;
	/* EFER.NXE only counts where NX exists: writing it otherwise #GPs (SDM vol. 3A 2.2.1). */
	f->nxe = f->nx && raw->efer_nxe;
	f->pat = raw->max_basic >= 1 && (raw->leaf1_edx & CPUID1_EDX_PAT);
	f->la57 = raw->max_basic >= 7 && (raw->leaf7_ecx & CPUID7_ECX_LA57);
	f->la57_on = raw->cr4 & CR4_LA57;
	/* SDM vol. 3A 4.1.4: without leaf 0x80000008, 36 bits with PAE, else 32. */
	if (!width)
		width = pae ? 36 : 32;
	f->maxphyaddr = (u8)(width > 52 ? 52 : width);
}

u32 cpu_unenforced(const struct cpu_features *f, bool framebuffer)
{
	u32 u = 0;

	if (!f->nxe)
		u |= CPU_UNENF_WX;
	if (!f->pat && framebuffer)
		u |= CPU_UNENF_WC_FB;
	return u;
}

u32 cpu_unenforced_count(u32 unenforced)
{
	u32 n = 0;

	for (; unenforced; unenforced &= unenforced - 1)
		n++;
	return n;
}

const char *cpu_unenforced_str(u32 bit)
{
	switch (bit) {
	case CPU_UNENF_WX:
		return "W^X (no NX: every mapped page is executable)";
	case CPU_UNENF_WC_FB:
		return "write-combining framebuffer (no PAT: uncached instead)";
	default:
		return NULL;
	}
}

u64 cpu_identity_limit(u8 maxphyaddr)
{
	/* Shifts of 47 or more all end at the canonical limit (and 1ULL << 64 is undefined). */
	if (maxphyaddr >= 47)
		return CPU_CANONICAL_LOW_LIMIT;
	return 1ULL << maxphyaddr;
}

int cpu_features_format(char *buf, size_t size, const struct cpu_features *f)
{
	return fmt_snprintf(buf, size,
			    "nx=%u nxe=%u pat=%u gb_pages=%u maxphyaddr=%u la57=%u la57_on=%u "
			    "unenforced=%u",
			    f->nx, f->nxe, f->pat, f->gb_pages, f->maxphyaddr, f->la57, f->la57_on,
			    cpu_unenforced_count(f->unenforced));
}
