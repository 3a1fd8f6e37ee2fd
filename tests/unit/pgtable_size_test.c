// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/pgtable_size.c: the stub sizes the page-table pool with this
 * before ExitBootServices, so it must never undercount. Counts below are
 * worked out by hand from the mapping rules in kernel/x86/paging.c.
 */
#include "kernel/pgtable_size.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#define WB MM_ATTR_WB

static u64 storage[64 * 8 / 8];

static void empty_map_needs_only_the_root(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 8);
	/* PML4, plus the fixed allowances: text edges (2) and the stack guard (1). */
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 0), 1 + 2 + 1);
}

static void aligned_ram_uses_large_pages(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 8);
	/* 1 GiB at 1 GiB, 2 MiB aligned: one PDPT, one PD, no PT. */
	mapbuild_put(&map, 0, MM_CONVENTIONAL, SZ_1G, SZ_1G / PAGE_SIZE, WB);
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 0), 1 + 1 + 1 + 0 + 2 + 1);
}

static void small_neighbours_share_tables(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 64, 1, 0, 8);
	/* Five 4 KiB entries in the same 2 MiB: one PT between them. */
	for (u32 i = 0; i < 5; i++)
		mapbuild_put(&map, i, i % 2 ? MM_BOOT_DATA : MM_BOOT_CODE, 0x200000 + i * PAGE_SIZE,
			     1, WB);
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 0), 1 + 1 + 1 + 1 + 2 + 1);
}

static void spare_entries_and_text_add_room(struct ktap_test *t)
{
	struct memmap map;
	u64 base;

	memmap_init(&map, storage, 40, 1, 0, 8);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 0, 0x800, WB); /* 0 - 8 MiB */
	base = pgtable_pages_needed(&map, 0, 0, 0);
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 32), base + 64);
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0x400000, 0x400000 + 3 * SZ_2M, 0), base + 3);
}

static void unsorted_map_never_undercounts(struct ktap_test *t)
{
	struct memmap sorted, unsorted;
	static u64 other[64 * 8 / 8];

	memmap_init(&sorted, storage, 48, 1, 0, 8);
	memmap_init(&unsorted, other, 48, 1, 0, 8);
	mapbuild_put(&sorted, 0, MM_CONVENTIONAL, 0x1000, 0x9f, WB);
	mapbuild_put(&sorted, 1, MM_RESERVED, 0xb0000000, 0x10000, MM_ATTR_UC);
	mapbuild_put(&sorted, 2, MM_CONVENTIONAL, 0x100000000ULL, 0x180000, WB);
	/* OVMF above 3.5 GiB: RAM above 4 GiB listed before the PCIe window. */
	mapbuild_put(&unsorted, 0, MM_CONVENTIONAL, 0x1000, 0x9f, WB);
	mapbuild_put(&unsorted, 1, MM_CONVENTIONAL, 0x100000000ULL, 0x180000, WB);
	mapbuild_put(&unsorted, 2, MM_RESERVED, 0xb0000000, 0x10000, MM_ATTR_UC);
	KT_EXPECT(t, pgtable_pages_needed(&unsorted, 0, 0, 0) >=
			     pgtable_pages_needed(&sorted, 0, 0, 0));
}

static void page0_makes_the_first_2m_partial(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 8);
	/* 0 - 4 MiB: without page 0, [4 KiB, 2 MiB) needs a page table. */
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 0, 0x400, WB);
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 0), 1 + 1 + 1 + 1 + 2 + 1);
	/* A one-page entry at 0 maps nothing at all. */
	mapbuild_put(&map, 0, MM_BOOT_CODE, 0, 1, WB);
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 0), 1 + 2 + 1);
}

static void addresses_beyond_48_bits_are_skipped(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_MMIO, 1ULL << 52, 16, MM_ATTR_UC);
	mapbuild_put(&map, 1, MM_CONVENTIONAL, ~0ULL - 0xfff, 4, WB); /* wraps */
	KT_EXPECT_EQ(t, pgtable_pages_needed(&map, 0, 0, 0), 1 + 2 + 1);
}

static void an_extra_range_is_bounded(struct ktap_test *t)
{
	/* OVMF's q35 framebuffer: 1280x800x4 at 2 GiB; only the tail 2 MiB is partial. */
	KT_EXPECT_EQ(t, pgtable_pages_for_range(0x80000000ULL, 4000 * 1024), 1 + 1 + 1);
	/* Unaligned at both ends and across a 1 GiB line: two PDs, two PTs. */
	KT_EXPECT_EQ(t, pgtable_pages_for_range(0xbff01000ULL, SZ_2M), 1 + 2 + 2);
	/* Inside one 2 MiB region: one PT, not two. */
	KT_EXPECT_EQ(t, pgtable_pages_for_range(0x1000, 0x2000), 1 + 1 + 1);
	/* Whole aligned 2 MiB pages need no PT. */
	KT_EXPECT_EQ(t, pgtable_pages_for_range(SZ_1G, 8 * SZ_2M), 1 + 1);
	KT_EXPECT_EQ(t, pgtable_pages_for_range(0x80000000ULL, 0), 0);
	KT_EXPECT_EQ(t, pgtable_pages_for_range(1ULL << 52, SZ_2M), 0);
	/* Clamped at 2^48 rather than wrapping. */
	KT_EXPECT_EQ(t, pgtable_pages_for_range((1ULL << 48) - SZ_2M, ~0ULL), 1 + 1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(empty_map_needs_only_the_root),
	KTAP_CASE(aligned_ram_uses_large_pages),
	KTAP_CASE(small_neighbours_share_tables),
	KTAP_CASE(spare_entries_and_text_add_room),
	KTAP_CASE(unsorted_map_never_undercounts),
	KTAP_CASE(page0_makes_the_first_2m_partial),
	KTAP_CASE(addresses_beyond_48_bits_are_skipped),
	KTAP_CASE(an_extra_range_is_bounded),
};
KTAP_SUITE(pgtable_size_suite, "pgtable_size", cases);
