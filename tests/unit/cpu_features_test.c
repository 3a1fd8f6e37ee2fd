// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/x86/cpu_features.c: decoding CPUID and CR4 values. Register values
 * are written by hand from the bit positions in the Intel SDM vol. 2A
 * (CPUID) and vol. 3A (4.1.4, 4.5, 2.5), as literal numbers, not through
 * the header's macros.
 */
#include "kernel/x86/cpu_features.h"
#include "lib/string.h"
#include "memmap/layout.h"
#include "tests/unit/suites.h"

/*
 * A CPU like QEMU's qemu64: CPUID 1 EDX 0x078bfbfd (bit 6 PAE, bit 16 PAT
 * set), 0x80000001 EDX 0x20100800 (bit 11 SYSCALL, bit 20 NX, bit 29 LM;
 * bit 26 1 GiB pages clear), 0x80000008 EAX 0x3028 (48-bit linear, 40-bit
 * physical), CR4 0x6a0 (PAE, PGE, OSFXSR, OSXMMEXCPT: bit 12 LA57 clear).
 */
static struct cpu_raw qemu64(void)
{
	return (struct cpu_raw){
		.max_basic = 0xd,
		.leaf1_edx = 0x078bfbfd,
		.leaf7_ecx = 0,
		.max_ext = 0x8000000a,
		.ext1_edx = 0x20100800,
		.ext8_eax = 0x3028,
		.cr4 = 0x6a0,
		.efer_nxe = true,
	};
}

static void qemu64_decodes(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;

	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, f.nx && f.nxe && f.pat);
	KT_EXPECT(t, !f.gb_pages && !f.la57 && !f.la57_on);
	KT_EXPECT_EQ(t, f.maxphyaddr, 40);
	KT_EXPECT_EQ(t, f.unenforced, 0);
	/* Bit 26 of 0x80000001 EDX: 1 GiB pages. */
	raw.ext1_edx = 0x24100800;
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, f.gb_pages && f.nx);
}

static void nx_needs_cpuid_and_efer(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;

	/* CPUID says NX, but EFER.NXE did not read back set: not usable. */
	raw.efer_nxe = false;
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, f.nx && !f.nxe);
	/* No NX in CPUID (bit 20 clear, e.g. XD disabled in setup): NXE is never believed. */
	raw = qemu64();
	raw.ext1_edx = 0x20000800;
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, !f.nx && !f.nxe);
}

static void extended_leaves_beyond_the_maximum_are_absent(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;

	/* Only 0x80000000 exists: 0x80000001 (NX, 1 GiB) and 0x80000008 are absent. */
	raw.max_ext = 0x80000000;
	raw.ext1_edx = 0xffffffff;
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, !f.nx && !f.nxe && !f.gb_pages);
	KT_EXPECT_EQ(t, f.maxphyaddr, 36);
	/*
	 * No extended leaves at all: 0x80000000 returns the highest basic
	 * leaf's data (SDM vol. 2A, CPUID), here 0xd, which is not a maximum.
	 */
	raw.max_ext = 0x00000007;
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, !f.nx && !f.gb_pages);
	KT_EXPECT_EQ(t, f.maxphyaddr, 36);
	KT_EXPECT(t, !cpu_ext_leaf_valid(0x7, 0x80000001));
	KT_EXPECT(t, !cpu_ext_leaf_valid(0xc0000001, 0x80000001));
	KT_EXPECT(t, cpu_ext_leaf_valid(0x80000008, 0x80000008));
	KT_EXPECT(t, !cpu_ext_leaf_valid(0x80000007, 0x80000008));
}

static void maxphyaddr_default_and_bounds(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;

	/* Leaf 0x80000008 missing (maximum 0x80000004): 36 with PAE (SDM vol. 3A 4.1.4)... */
	raw.max_ext = 0x80000004;
	cpu_features_decode(&raw, &f);
	KT_EXPECT_EQ(t, f.maxphyaddr, 36);
	/* ...and 32 without it (EDX bit 6 clear). */
	raw.leaf1_edx = 0x078bfbbd;
	cpu_features_decode(&raw, &f);
	KT_EXPECT_EQ(t, f.maxphyaddr, 32);
	/* Present: bits 7:0 only (bits 15:8 are the linear width). */
	raw = qemu64();
	raw.ext8_eax = 0x00003930; /* 57-bit linear, 48-bit physical */
	cpu_features_decode(&raw, &f);
	KT_EXPECT_EQ(t, f.maxphyaddr, 48);
	raw.ext8_eax = 0x3034; /* 52 */
	cpu_features_decode(&raw, &f);
	KT_EXPECT_EQ(t, f.maxphyaddr, 52);
	/* A hypervisor's nonsense: 0 means unknown, above 52 is capped at 52. */
	raw.ext8_eax = 0x3000;
	cpu_features_decode(&raw, &f);
	KT_EXPECT_EQ(t, f.maxphyaddr, 36);
	raw.ext8_eax = 0x30ff;
	cpu_features_decode(&raw, &f);
	KT_EXPECT_EQ(t, f.maxphyaddr, 52);
}

static void pat_from_leaf1_bit16(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;

	raw.leaf1_edx = 0x078afbfd; /* bit 16 clear */
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, !f.pat);
	KT_EXPECT(t, f.nx);
}

static void la57_supported_and_left_on(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;

	raw.leaf7_ecx = 0x00010000; /* bit 16: LA57 */
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, f.la57 && !f.la57_on);
	raw.cr4 = 0x16a0; /* bit 12: LA57 on */
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, f.la57 && f.la57_on);
	/* Leaf 7 beyond the maximum basic leaf: not believed. */
	raw.max_basic = 6;
	cpu_features_decode(&raw, &f);
	KT_EXPECT(t, !f.la57 && f.la57_on);
}

static void identity_limit_is_min_of_maxphyaddr_and_2_47(struct ktap_test *t)
{
	KT_EXPECT_EQ(t, cpu_identity_limit(32), 0x100000000ULL);
	KT_EXPECT_EQ(t, cpu_identity_limit(36), 0x1000000000ULL);
	KT_EXPECT_EQ(t, cpu_identity_limit(40), 0x10000000000ULL);
	KT_EXPECT_EQ(t, cpu_identity_limit(46), 0x400000000000ULL);
	KT_EXPECT_EQ(t, cpu_identity_limit(47), 0x800000000000ULL);
	KT_EXPECT_EQ(t, cpu_identity_limit(48), 0x800000000000ULL);
	KT_EXPECT_EQ(t, cpu_identity_limit(52), 0x800000000000ULL);
	/*
	 * Whatever the width, the last identity-mapped byte sits in a PML4 slot
	 * below 256 (bits 47:39), and the runtime window in one at 256 or above.
	 */
	for (u8 w = 32; w <= 52; w++)
		KT_EXPECT(t, ((cpu_identity_limit(w) - 1) >> 39) < 256);
	KT_EXPECT(t, ((MM_VA_WINDOW_BASE >> 39) & 511) >= 256);
}

static void unenforced_is_said_and_counted(struct ktap_test *t)
{
	struct cpu_features f = { .nx = true, .nxe = true, .pat = true, .maxphyaddr = 40 };
	const char *wx, *wc;

	KT_EXPECT_EQ(t, cpu_unenforced(&f, true), 0);
	f.nxe = false;
	KT_EXPECT_EQ(t, cpu_unenforced_count(cpu_unenforced(&f, true)), 1);
	KT_EXPECT_EQ(t, cpu_unenforced(&f, true), CPU_UNENF_WX);
	f.pat = false;
	KT_EXPECT_EQ(t, cpu_unenforced_count(cpu_unenforced(&f, true)), 2);
	/* No framebuffer: nothing to write-combine. */
	KT_EXPECT_EQ(t, cpu_unenforced(&f, false), CPU_UNENF_WX);
	f.nxe = true;
	KT_EXPECT_EQ(t, cpu_unenforced(&f, true), CPU_UNENF_WC_FB);
	wx = cpu_unenforced_str(CPU_UNENF_WX);
	wc = cpu_unenforced_str(CPU_UNENF_WC_FB);
	KT_ASSERT(t, wx && wc);
	KT_EXPECT_STREQ(t, wx, "W^X (no NX: every mapped page is executable)");
	KT_EXPECT_STREQ(t, wc, "write-combining framebuffer (no PAT: uncached instead)");
	KT_EXPECT(t, !cpu_unenforced_str(1u << 5));
	KT_EXPECT_EQ(t, cpu_unenforced_count(0), 0);
	KT_EXPECT_EQ(t, cpu_unenforced_count(0x80000001u), 2);
}

static void summary_line_keys(struct ktap_test *t)
{
	struct cpu_raw raw = qemu64();
	struct cpu_features f;
	char line[128];

	cpu_features_decode(&raw, &f);
	f.unenforced = cpu_unenforced(&f, true);
	cpu_features_format(line, sizeof(line), &f);
	KT_EXPECT_STREQ(t, line,
			"nx=1 nxe=1 pat=1 gb_pages=0 maxphyaddr=40 la57=0 la57_on=0 unenforced=0");
	/* qemu64,-nx,-pat with a framebuffer. */
	raw.ext1_edx = 0x20000800;
	raw.leaf1_edx = 0x078afbfd;
	raw.efer_nxe = false;
	cpu_features_decode(&raw, &f);
	f.unenforced = cpu_unenforced(&f, true);
	cpu_features_format(line, sizeof(line), &f);
	KT_EXPECT_STREQ(t, line,
			"nx=0 nxe=0 pat=0 gb_pages=0 maxphyaddr=40 la57=0 la57_on=0 unenforced=2");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(qemu64_decodes),
	KTAP_CASE(nx_needs_cpuid_and_efer),
	KTAP_CASE(extended_leaves_beyond_the_maximum_are_absent),
	KTAP_CASE(maxphyaddr_default_and_bounds),
	KTAP_CASE(pat_from_leaf1_bit16),
	KTAP_CASE(la57_supported_and_left_on),
	KTAP_CASE(identity_limit_is_min_of_maxphyaddr_and_2_47),
	KTAP_CASE(unenforced_is_said_and_counted),
	KTAP_CASE(summary_line_keys),
};
KTAP_SUITE(cpu_features_suite, "cpu_features", cases);
