// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reading the CPU features paging depends on, once, and saying what this
 * platform cannot enforce. Decoding is kernel/x86/cpu_features.c.
 */
#include "kernel/handoff.h"
#include "kernel/kernel.h"
#include "kernel/x86/cpu.h"
#include "kernel/x86/cpu_features.h"
#include "memmap/memmap.h"

static struct cpu_features features;
static bool probed;

/* CPUID leaf, subleaf 0, one register wanted. */
static u32 cpuid_reg(u32 leaf, int reg)
{
	u32 r[4];

	cpuid(leaf, &r[0], &r[1], &r[2], &r[3]);
	return r[reg];
}

/* Whether h describes a framebuffer that paging_init() will try to map. */
static bool has_framebuffer(const struct handoff *h)
{
	return h && h->fb_format != HANDOFF_FB_NONE && h->fb_base && h->fb_size;
}

const struct cpu_features *cpu_features_probe(const struct handoff *h)
{
	struct cpu_raw raw = { 0 };

	if (probed)
		return &features;
	raw.max_basic = cpuid_reg(0, 0);
	if (raw.max_basic >= 1)
		raw.leaf1_edx = cpuid_reg(1, 3);
	if (raw.max_basic >= 7)
		raw.leaf7_ecx = cpuid_reg(7, 2);
	raw.max_ext = cpuid_reg(CPUID_LEAF_EXT_MAX, 0);
	if (cpu_ext_leaf_valid(raw.max_ext, CPUID_LEAF_EXT_FEAT))
		raw.ext1_edx = cpuid_reg(CPUID_LEAF_EXT_FEAT, 3);
	if (cpu_ext_leaf_valid(raw.max_ext, CPUID_LEAF_EXT_ADDR))
		raw.ext8_eax = cpuid_reg(CPUID_LEAF_EXT_ADDR, 0);
	raw.cr4 = read_cr4();
	/*
	 * EFER.NXE is reserved, and writing it #GPs, unless CPUID reports NX
	 * (SDM vol. 3A 2.2.1; on Intel, IA32_MISC_ENABLE "XD bit disable"
	 * clears the CPUID bit too, vol. 4 table 2-2). Only then set it, and
	 * believe it only if it reads back set.
	 */
	if (cpu_ext_leaf_valid(raw.max_ext, CPUID_LEAF_EXT_FEAT) &&
	    (raw.ext1_edx & CPUIDX1_EDX_NX)) {
		u64 efer = rdmsr(MSR_EFER);

		if (!(efer & EFER_NXE))
			wrmsr(MSR_EFER, efer | EFER_NXE);
		raw.efer_nxe = rdmsr(MSR_EFER) & EFER_NXE;
	}
	cpu_features_decode(&raw, &features);
	features.unenforced = cpu_unenforced(&features, has_framebuffer(h));
	/*
	 * Before anything maps, frees or hands out memory: entries past the
	 * identity limit are then unmappable for reclaim, the allocator and the
	 * EFI tables too, not only for the kernel's tables.
	 */
	mm_lower_phys_limit(cpu_identity_limit(features.maxphyaddr));
	probed = true;
	return &features;
}

const struct cpu_features *cpu_features(void)
{
	return cpu_features_probe(NULL);
}

bool cpu_nx(void)
{
	return cpu_features()->nxe;
}

void cpu_features_report(const struct handoff *h)
{
	const struct cpu_features *f = cpu_features_probe(h);
	static bool reported;
	char line[128];

	if (reported)
		return;
	reported = true;
	cpu_features_format(line, sizeof(line), f);
	printk("efimap: cpu: %s", line);
	for (u32 i = 0; i < CPU_UNENF_COUNT; i++)
		if (f->unenforced & (1u << i))
			printk("efimap: cpu: cannot enforce: %s", cpu_unenforced_str(1u << i));
	if (f->la57_on)
		printk("efimap: cpu: firmware left 5-level paging on (CR4.LA57); efimap builds "
		       "4-level tables only and cannot run");
}
