// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/pt.c with AArch64 descriptors (kernel/arm64/pte.h), built on the
 * host with -DEFIMAP_PTE_ARM64 (build/unit-tests-pte-arm64). Every expected
 * descriptor below is written out from the bit positions of the Arm ARM
 * (DDI 0487, D8.3.1 table descriptors, D8.3.2 block and page descriptors,
 * D8.5 MAIR_EL1 encodings), as literal numbers, not from pte.h's macros:
 *   [1:0] 0b11 table (levels 0-2) or page (level 3), 0b01 block;
 *   [4:2] AttrIndx; [7] AP[2] read-only; [6] AP[1] EL0; [9:8] SH, 0b11 inner;
 *   [10] AF; [11] nG; [47:12] output address; [53] PXN; [54] UXN;
 *   table: [59] PXNTable, [60] UXNTable, [62:61] APTable.
 * efimap's MAIR (pte.h, edk2's indices): 0 Device-nGnRnE (0x00), 1 Normal
 * Non-cacheable (0x44), 2 Normal write-through (0xbb), 3 Normal write-back
 * RW-allocate (0xff).
 */
#include "kernel/pt.h"
#include "tests/unit/suites.h"

#ifndef EFIMAP_PTE_ARM64
#error "build with -DEFIMAP_PTE_ARM64"
#endif

#define POOL_PAGES 32u

static u8 pool_mem[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));

static struct pt_pool fresh_pool(void)
{
	return (struct pt_pool){ (u64)(uintptr_t)pool_mem, POOL_PAGES, 0 };
}

/* The raw descriptor the walk reaches at Arm level `level` (0-3) for va, or 0. */
static u64 raw_entry(const u64 *root, u64 va, int level)
{
	const u64 *table = root;

	for (int l = 0; l <= level; l++) {
		u64 e = table[(va >> (39 - 9 * l)) & 511];

		if (l == level)
			return e;
		if ((e & 3) != 3)
			return 0;
		table = (const u64 *)(uintptr_t)(e & 0x0000fffffffff000ULL);
	}
	return 0;
}

static bool in_pool(u64 pa)
{
	return pa >= (u64)(uintptr_t)pool_mem && pa < (u64)(uintptr_t)pool_mem + sizeof(pool_mem);
}

static void mair_holds_the_four_types(struct ktap_test *t)
{
	/* Bytes 0..3: 0x00 Device-nGnRnE, 0x44 NC, 0xbb WT, 0xff WB; the rest 0. */
	KT_EXPECT_EQ(t, MAIR_EL1_VALUE, 0xffbb4400ULL);
}

static void block_and_table_descriptors(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool();
	u64 *root = pt_pool_alloc(&p);
	u64 e;

	KT_ASSERT(t, root);
	/* 2 MiB of RAM at 1 GiB, read/write, not executable. */
	KT_ASSERT(t, !pt_map(&p, root, 0x40000000, 0x40000000, SZ_2M,
			     PT_VALID | PT_WRITE | PT_NOEXEC));
	/* Levels 0 and 1: table descriptors (0b11) into the pool, no hierarchical limits. */
	for (int l = 0; l < 2; l++) {
		e = raw_entry(root, 0x40000000, l);
		KT_EXPECT_EQ(t, e & 3, 3);
		KT_EXPECT(t, in_pool(e & 0x0000fffffffff000ULL));
		KT_EXPECT_EQ(t, e & 0xfff0000000000ffcULL, 0);
	}
	/* Level 2: block (0b01), AttrIndx 3, SH 0b11, AF, AP[2] clear, PXN and UXN. */
	KT_EXPECT_EQ(t, raw_entry(root, 0x40000000, 2), 0x006000004000070dULL);
	/* Only slot 0 of level 0, slot 1 of level 1 used. */
	KT_EXPECT_EQ(t, root[1], 0);
	KT_EXPECT_EQ(t, raw_entry(root, 0, 1), 0);
}

static void page_descriptors_by_kind(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool();
	u64 *root = pt_pool_alloc(&p);

	KT_ASSERT(t, root);
	/* Code: read-only (AP[2]), EL1-executable (PXN clear), never EL0 (UXN). */
	KT_ASSERT(t, !pt_map(&p, root, 0x40201000, 0x40201000, PAGE_SIZE, PT_VALID));
	KT_EXPECT_EQ(t, raw_entry(root, 0x40201000, 3), 0x004000004020178fULL);
	/* Constants: read-only, not executable. */
	KT_ASSERT(t, !pt_map(&p, root, 0x40202000, 0x40202000, PAGE_SIZE, PT_VALID | PT_NOEXEC));
	KT_EXPECT_EQ(t, raw_entry(root, 0x40202000, 3), 0x006000004020278fULL);
	/* MMIO: Device-nGnRnE (AttrIndx 0), SH 0, writable, never executable even if asked. */
	KT_ASSERT(t, !pt_map(&p, root, 0x09000000, 0x09000000, PAGE_SIZE,
			     PT_VALID | PT_WRITE | PT_UNCACHED));
	KT_EXPECT_EQ(t, raw_entry(root, 0x09000000, 3), 0x0060000009000403ULL);
	/* Framebuffer: Normal Non-cacheable (AttrIndx 1), inner shareable, RW, XN. */
	KT_ASSERT(t, !pt_map(&p, root, 0x50000000, 0x50000000, PAGE_SIZE,
			     PT_VALID | PT_WRITE | PT_NOEXEC | PT_WC));
	KT_EXPECT_EQ(t, raw_entry(root, 0x50000000, 3), 0x0060000050000707ULL);
	/* A mapping elsewhere: the page descriptor holds the physical address. */
	KT_ASSERT(t, !pt_map(&p, root, 0x123400000000ULL, 0x40000000, PAGE_SIZE,
			     PT_VALID | PT_WRITE | PT_NOEXEC));
	KT_EXPECT_EQ(t, raw_entry(root, 0x123400000000ULL, 3), 0x006000004000070fULL);
	/* A leaf word without PT_VALID maps nothing. */
	KT_ASSERT(t, !pt_map(&p, root, 0x40203000, 0x40203000, PAGE_SIZE, PT_WRITE));
	KT_EXPECT_EQ(t, raw_entry(root, 0x40203000, 3), 0);
}

static void split_keeps_attributes(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool();
	u64 *root = pt_pool_alloc(&p);
	u64 l2;

	KT_ASSERT(t, root);
	KT_ASSERT(t, !pt_map(&p, root, 0x40000000, 0x40000000, SZ_2M,
			     PT_VALID | PT_WRITE | PT_NOEXEC));
	/* One page inside becomes code: the block turns into a table of page descriptors. */
	KT_ASSERT(t, !pt_map(&p, root, 0x40005000, 0x40005000, PAGE_SIZE, PT_VALID));
	l2 = raw_entry(root, 0x40000000, 2);
	KT_EXPECT_EQ(t, l2 & 3, 3);
	KT_EXPECT(t, in_pool(l2 & 0x0000fffffffff000ULL));
	/* Its neighbours: the block's attributes, bits [1:0] now 0b11, their own address. */
	KT_EXPECT_EQ(t, raw_entry(root, 0x40000000, 3), 0x006000004000070fULL);
	KT_EXPECT_EQ(t, raw_entry(root, 0x40004000, 3), 0x006000004000470fULL);
	KT_EXPECT_EQ(t, raw_entry(root, 0x401ff000, 3), 0x00600000401ff70fULL);
	KT_EXPECT_EQ(t, raw_entry(root, 0x40005000, 3), 0x004000004000578fULL);
	/* Unmapping a page writes an invalid descriptor (bit 0 clear). */
	KT_EXPECT_EQ(t, pt_unmap(&p, root, 0x40004000, PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, raw_entry(root, 0x40004000, 3) & 1, 0);
}

/* pt_lookup() and the W+X audit decode descriptors written by hand. */
static void lookup_decodes_hand_written_descriptors(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool();
	u64 *root = pt_pool_alloc(&p), *l1, *l2, *l3;
	struct pt_lookup l;
	struct pt_wx w;

	KT_ASSERT(t, root);
	l1 = pt_pool_alloc(&p);
	l2 = pt_pool_alloc(&p);
	l3 = pt_pool_alloc(&p);
	KT_ASSERT(t, l1 && l2 && l3);
	root[0] = (u64)(uintptr_t)l1 | 3;
	l1[1] = (u64)(uintptr_t)l2 | 3;
	/* 0x40000000: a block, RW and executable (AP[2], PXN clear), WB. */
	l2[0] = 0x40000000ULL | 0x70d;
	/* 0x40200000: a table; page 0 RO+X, page 1 RW+XN device, page 2 RW+X NC. */
	l2[1] = (u64)(uintptr_t)l3 | 3;
	l3[0] = 0x80000000ULL | 0x78f;
	l3[1] = 0x80001000ULL | 0x403 | (1ULL << 53) | (1ULL << 54);
	l3[2] = 0x80002000ULL | 0x707;
	l = pt_lookup(root, 0x40012345);
	KT_EXPECT(t, l.present && l.writable && l.executable && !l.uncached);
	KT_EXPECT_EQ(t, l.phys, 0x40012345);
	KT_EXPECT_EQ(t, l.page_size, SZ_2M);
	KT_EXPECT_EQ(t, l.pat_index, 3);
	l = pt_lookup(root, 0x40200010);
	KT_EXPECT(t, l.present && !l.writable && l.executable);
	KT_EXPECT_EQ(t, l.phys, 0x80000010);
	KT_EXPECT_EQ(t, l.page_size, PAGE_SIZE);
	l = pt_lookup(root, 0x40201000);
	KT_EXPECT(t, l.present && l.writable && !l.executable && l.uncached);
	KT_EXPECT_EQ(t, l.pat_index, 0);
	l = pt_lookup(root, 0x40202000);
	KT_EXPECT(t, l.present && l.uncached);
	KT_EXPECT_EQ(t, l.pat_index, 1);
	KT_EXPECT(t, !pt_lookup(root, 0x40203000).present);
	/* W+X: the block and the NC page. */
	w = pt_count_wx(root, true);
	KT_EXPECT_EQ(t, w.leaves, 4);
	KT_EXPECT_EQ(t, w.wx_leaves, 2);
	KT_EXPECT_EQ(t, w.wx_first, 0x40000000);
	/* PXNTable (bit 59) on the level 2 table entry: its pages are no longer executable. */
	l2[1] |= 1ULL << 59;
	KT_EXPECT(t, !pt_lookup(root, 0x40200000).executable);
	KT_EXPECT_EQ(t, pt_count_wx(root, true).wx_leaves, 1);
	/* APTable[1] (bit 62) on the level 1 entry: nothing below is writable. */
	l1[1] |= 1ULL << 62;
	KT_EXPECT(t, !pt_lookup(root, 0x40000000).writable);
	KT_EXPECT_EQ(t, pt_count_wx(root, true).wx_leaves, 0);
	/* Bit 0 clear: not there, whatever the rest says. */
	l2[0] &= ~1ULL;
	KT_EXPECT(t, !pt_lookup(root, 0x40000000).present);
}

/* TTBR0 addresses are not sign-extended: a VA with bit 47 set is reported as it is. */
static void lower_half_addresses_stay_as_they_are(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool();
	u64 *root = pt_pool_alloc(&p);
	struct pt_wx w;

	KT_ASSERT(t, root);
	KT_ASSERT(t, !pt_map(&p, root, 0x0000900000000000ULL, 0x40000000, PAGE_SIZE,
			     PT_VALID | PT_WRITE));
	KT_EXPECT_EQ(t, root[0x120], raw_entry(root, 0x0000900000000000ULL, 0));
	KT_EXPECT(t, (root[0x120] & 3) == 3);
	w = pt_count_wx(root, true);
	KT_EXPECT_EQ(t, w.wx_leaves, 1);
	KT_EXPECT_EQ(t, w.wx_first, 0x0000900000000000ULL);
	KT_EXPECT(t, pt_lookup(root, 0x0000900000000000ULL).present);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(mair_holds_the_four_types),
	KTAP_CASE(block_and_table_descriptors),
	KTAP_CASE(page_descriptors_by_kind),
	KTAP_CASE(split_keeps_attributes),
	KTAP_CASE(lookup_decodes_hand_written_descriptors),
	KTAP_CASE(lower_half_addresses_stay_as_they_are),
};
KTAP_SUITE(pte_arm64_suite, "pte_arm64", cases);
