// SPDX-License-Identifier: BSD-2-Clause
/* memmap/memmap.c: stride access, init checks, iteration and lookup. */
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#define RAM MAPBUILD_RAM

static u64 storage[64 * 16 / 8]; /* 16 descriptors of up to 64 bytes */

/* A small map shaped like OVMF's low memory, at the given stride. */
static void build(struct memmap *map, u32 desc_size)
{
	mapbuild_ovmf_low(map, storage, desc_size, 16);
	mapbuild_put(map, 5, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_UC | MM_ATTR_RUNTIME);
}

static void check_stride(struct ktap_test *t, u32 desc_size)
{
	struct memmap map;
	struct mm_iter it;
	struct mm_desc *md;
	static const u64 phys[] = { 0x0, 0x1000, 0x100000, 0x200000, 0x210000, 0xffc00000 };
	u32 n = 0;

	build(&map, desc_size);
	KT_EXPECT_EQ(t, map.nr_map, 6);
	for_each_mm_desc (&map, it, md) {
		KT_EXPECT_EQ(t, (u8 *)md - (u8 *)storage, (u64)it.index * desc_size);
		KT_EXPECT_EQ(t, md->phys_addr, phys[n]);
		n++;
	}
	KT_EXPECT_EQ(t, n, 6);
	KT_EXPECT_EQ(t, memmap_desc(&map, 5)->type, MM_MMIO);
	KT_EXPECT_EQ(t, memmap_desc(&map, 5)->num_pages, 0x400);
}

static void stride_40(struct ktap_test *t)
{
	check_stride(t, 40);
}

static void stride_48(struct ktap_test *t)
{
	check_stride(t, 48);
}

static void stride_64(struct ktap_test *t)
{
	check_stride(t, 64);
}

static void init_rejects_bad_desc_size(struct ktap_test *t)
{
	struct memmap map;

	KT_EXPECT_EQ(t, memmap_init(&map, storage, 32, 1, 1, 4), MM_ERR_DESC_SIZE);
	KT_EXPECT_EQ(t, memmap_init(&map, storage, 44, 1, 1, 4), MM_ERR_DESC_SIZE);
	KT_EXPECT_EQ(t, memmap_init(&map, storage, 0, 1, 0, 0), MM_ERR_DESC_SIZE);
	KT_EXPECT_EQ(t, memmap_init(&map, storage, 48, 1, 5, 4), MM_ERR_CAPACITY);
	KT_EXPECT_EQ(t, memmap_init(&map, NULL, 48, 1, 0, 4), MM_ERR_NULL);
	KT_EXPECT_EQ(t, memmap_init(&map, storage, 56, 2, 4, 4), MM_OK);
	/* What was given is kept, so it can be reported. */
	KT_EXPECT_EQ(t, map.desc_version, 2);
	KT_EXPECT_EQ(t, map.desc_size, 56);
}

static void iterator_with_predicate(struct ktap_test *t)
{
	struct memmap map;
	struct mm_iter it;
	struct mm_desc *md;
	u32 seen[4], n = 0;

	build(&map, 48);
	mm_iter_init(&it, &map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)) && n < 4)
		seen[n++] = it.index;
	KT_ASSERT(t, n == 2);
	KT_EXPECT_EQ(t, seen[0], 3);
	KT_EXPECT_EQ(t, seen[1], 5);

	KT_EXPECT_EQ(t, memmap_count(&map, mm_is_boot_services, NULL), 2);
	KT_EXPECT_EQ(t, memmap_count(&map, mm_is_runtime, NULL), 2);
	KT_EXPECT_EQ(t, memmap_count(&map, NULL, NULL), 6);
}

static void iterator_empty_map(struct ktap_test *t)
{
	struct memmap map;
	struct mm_iter it;

	KT_EXPECT_EQ(t, memmap_init(&map, storage, 48, 1, 0, 16), MM_OK);
	mm_iter_init(&it, &map, NULL, NULL);
	KT_EXPECT(t, mm_iter_next(&it) == NULL);
}

static void find_by_address(struct ktap_test *t)
{
	struct memmap map;

	build(&map, 64);
	KT_EXPECT_EQ(t, memmap_find(&map, 0x0), 0);
	KT_EXPECT_EQ(t, memmap_find(&map, 0x9ffff), 1);
	KT_EXPECT_EQ(t, memmap_find(&map, 0x12ffff), 2);
	KT_EXPECT_EQ(t, memmap_find(&map, 0x130000), (u64)-1);
	KT_EXPECT_EQ(t, memmap_find(&map, 0xffffffff), 5);
}

static void end_saturates(struct ktap_test *t)
{
	struct mm_desc md = { .phys_addr = 0xfffffffffffff000ULL, .num_pages = 2 };

	KT_EXPECT_EQ(t, mm_desc_end(&md), ~0ULL);
	md.phys_addr = 0x1000;
	md.num_pages = 1ULL << 60;
	KT_EXPECT_EQ(t, mm_desc_end(&md), ~0ULL);
	md.num_pages = 3;
	KT_EXPECT_EQ(t, mm_desc_end(&md), 0x4000);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(stride_40),
	KTAP_CASE(stride_48),
	KTAP_CASE(stride_64),
	KTAP_CASE(init_rejects_bad_desc_size),
	KTAP_CASE(iterator_with_predicate),
	KTAP_CASE(iterator_empty_map),
	KTAP_CASE(find_by_address),
	KTAP_CASE(end_saturates),
};
KTAP_SUITE(memmap_suite, "memmap", cases);
