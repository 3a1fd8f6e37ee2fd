// SPDX-License-Identifier: BSD-2-Clause
/*
 * memmap/sort.c and memmap/filter.c: the sort orders by start and keeps
 * equal starts in their original order, with and without scratch room, at
 * every stride, carrying each descriptor's extra bytes along; the filter
 * keeps order, counts what went and never inserts.
 */
#include "tests/unit/randmap.h"
#include "tests/unit/suites.h"

#define MAX_N 300u

static u64 storage[MAX_N * 2 * 64 / 8];

/* The descriptor's identity: its original index, kept in pad and in the extra bytes. */
static void tag(struct memmap *map)
{
	for (u32 i = 0; i < map->nr_map; i++) {
		struct mm_desc *md = memmap_desc(map, i);

		md->pad = i;
		if (map->desc_size >= 48)
			*(u64 *)(md + 1) = 0x7a6700000000ULL | i;
	}
}

/* Sorted by start, ties in original order, every descriptor intact and present once. */
static void check_sorted_stable(struct ktap_test *t, const struct memmap *map, u32 n)
{
	static u8 seen[MAX_N];

	memset(seen, 0, sizeof(seen));
	KT_EXPECT_EQ(t, map->nr_map, n);
	KT_EXPECT(t, memmap_is_sorted(map));
	for (u32 i = 0; i < n; i++) {
		const struct mm_desc *md = memmap_desc(map, i);

		KT_ASSERT(t, md->pad < n);
		KT_EXPECT(t, !seen[md->pad]);
		seen[md->pad] = 1;
		if (map->desc_size >= 48)
			KT_EXPECT_EQ(t, *(const u64 *)(md + 1), 0x7a6700000000ULL | md->pad);
		if (i && md->phys_addr == memmap_desc(map, i - 1)->phys_addr)
			KT_EXPECT(t, md->pad > memmap_desc(map, i - 1)->pad);
	}
}

static void sort_random(struct ktap_test *t, u32 desc_size, bool scratch)
{
	struct memmap map;

	for (u64 seed = 1; seed <= 40; seed++) {
		u32 n = 1 + (u32)(seed * 7919 % MAX_N);

		memmap_init(&map, storage, desc_size, 1, 0, scratch ? 2 * n : n);
		randmap_fill(&map, n, seed);
		tag(&map);
		memmap_sort(&map);
		check_sorted_stable(t, &map, n);
		if (t->failures) {
			ktap_check(t, false, __FILE__, __LINE__, "seed %llu n %u desc_size %u",
				   (unsigned long long)seed, n, desc_size);
			return;
		}
	}
}

static void sort_with_scratch(struct ktap_test *t)
{
	sort_random(t, 48, true);
	sort_random(t, 40, true);
}

static void sort_without_scratch(struct ktap_test *t)
{
	sort_random(t, 48, false);
	sort_random(t, 64, false);
}

static void sort_some_scratch(struct ktap_test *t)
{
	struct memmap map;

	/* 8 spare descriptors for 300 entries: most merges need rotations. */
	memmap_init(&map, storage, 48, 1, 0, MAX_N);
	randmap_fill(&map, MAX_N - 8, 99);
	tag(&map);
	memmap_sort(&map);
	check_sorted_stable(t, &map, MAX_N - 8);
}

static void sort_reverse_and_equal(struct ktap_test *t)
{
	struct memmap map;
	u32 n = 200;

	memmap_init(&map, storage, 40, 1, 0, n);
	for (u32 i = 0; i < n; i++)
		mapbuild_put(&map, i, MM_CONVENTIONAL, (u64)(n - i) * PAGE_SIZE, 1, 0);
	tag(&map);
	memmap_sort(&map);
	check_sorted_stable(t, &map, n);
	/* All starts equal: nothing may move. */
	for (u32 i = 0; i < n; i++)
		mapbuild_put(&map, i, MM_CONVENTIONAL, 0x1000, 1 + i, 0);
	tag(&map);
	memmap_sort(&map);
	for (u32 i = 0; i < n; i++)
		KT_EXPECT_EQ(t, memmap_desc(&map, i)->pad, i);
}

static void sorted_map_is_not_touched(struct ktap_test *t)
{
	static u64 before[MAX_N * 2 * 48 / 8];
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 2 * 50);
	for (u32 i = 0; i < 100; i++)
		mapbuild_put(&map, i, MM_BOOT_DATA, (u64)i * PAGE_SIZE, 1, 0);
	map.nr_map = 50;
	memcpy(before, storage, 100 * 48);
	memmap_sort(&map);
	/* Not even the scratch tail is written when the map is already in order. */
	KT_EXPECT(t, !memcmp(before, storage, 100 * 48));
}

static bool keep_not_boot(const struct mm_desc *md, void *ctx)
{
	(void)ctx;
	return !mm_is_boot_services(md, NULL);
}

static bool keep_odd_pad(const struct mm_desc *md, void *ctx)
{
	u32 *calls = ctx;

	(*calls)++;
	return md->pad & 1;
}

static void filter_keeps_order_and_counts(struct ktap_test *t)
{
	struct memmap map;

	for (u32 ds = 40; ds <= 64; ds += 8) {
		u32 n = 257, expect_kept = 0, removed, prev = 0;

		memmap_init(&map, storage, ds, 1, 0, n);
		randmap_fill(&map, n, ds);
		tag(&map);
		for (u32 i = 0; i < n; i++)
			expect_kept += keep_not_boot(memmap_desc(&map, i), NULL);
		removed = memmap_filter(&map, keep_not_boot, NULL);
		KT_EXPECT_EQ(t, removed, n - expect_kept);
		KT_EXPECT_EQ(t, map.nr_map, expect_kept);
		KT_EXPECT_EQ(t, map.capacity, n);
		for (u32 i = 0; i < map.nr_map; i++) {
			const struct mm_desc *md = memmap_desc(&map, i);

			KT_EXPECT(t, !mm_is_boot_services(md, NULL));
			KT_EXPECT(t, i == 0 || md->pad > prev);
			if (ds >= 48)
				KT_EXPECT_EQ(t, *(const u64 *)(md + 1), 0x7a6700000000ULL | md->pad);
			prev = md->pad;
		}
		/* Filtering again with the same predicate removes nothing (idempotent). */
		KT_EXPECT_EQ(t, memmap_filter(&map, keep_not_boot, NULL), 0);
		KT_EXPECT_EQ(t, map.nr_map, expect_kept);
	}
}

static void filter_calls_once_per_entry(struct ktap_test *t)
{
	struct memmap map;
	u32 calls = 0;

	memmap_init(&map, storage, 48, 1, 0, 100);
	randmap_fill(&map, 100, 5);
	tag(&map);
	KT_EXPECT_EQ(t, memmap_filter(&map, keep_odd_pad, &calls), 50);
	KT_EXPECT_EQ(t, calls, 100);
	for (u32 i = 0; i < map.nr_map; i++)
		KT_EXPECT_EQ(t, memmap_desc(&map, i)->pad, 2 * i + 1);
	/* Everything and nothing. */
	KT_EXPECT_EQ(t, memmap_filter(&map, keep_not_boot, NULL) + map.nr_map, 50);
	map.nr_map = 0;
	KT_EXPECT_EQ(t, memmap_filter(&map, keep_not_boot, NULL), 0);
}

static void totals_by_type(struct ktap_test *t)
{
	struct memmap map;
	struct mm_totals tot;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 0x0, 0x10, 0);
	mapbuild_put(&map, 1, MM_CONVENTIONAL, 0x10000, 0x20, 0);
	mapbuild_put(&map, 2, MM_RUNTIME_CODE, 0x30000, 0x3, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 3, 0x70000000, 0x40000, 0x5, 0);
	mapbuild_put(&map, 4, MM_RESERVED, 0x1000000000ULL, ~0ULL, 0);
	memmap_totals(&map, &tot);
	KT_EXPECT_EQ(t, tot.pages[MM_CONVENTIONAL], 0x30);
	KT_EXPECT_EQ(t, tot.entries[MM_CONVENTIONAL], 2);
	KT_EXPECT_EQ(t, tot.runtime_pages, 3);
	KT_EXPECT_EQ(t, tot.runtime_entries, 1);
	KT_EXPECT_EQ(t, tot.other_pages, 5);
	KT_EXPECT_EQ(t, tot.other_entries, 1);
	/* Sums saturate instead of wrapping. */
	KT_EXPECT_EQ(t, tot.total_pages, ~0ULL);
}

static const struct ktap_case sort_filter_cases[] = {
	KTAP_CASE(sort_with_scratch),
	KTAP_CASE(sort_without_scratch),
	KTAP_CASE(sort_some_scratch),
	KTAP_CASE(sort_reverse_and_equal),
	KTAP_CASE(sorted_map_is_not_touched),
	KTAP_CASE(filter_keeps_order_and_counts),
	KTAP_CASE(filter_calls_once_per_entry),
	KTAP_CASE(totals_by_type),
};

KTAP_SUITE(sort_filter_suite, "sort_filter", sort_filter_cases);
