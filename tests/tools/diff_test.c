// SPDX-License-Identifier: BSD-2-Clause
/*
 * tools/diff.c (`efimap diff A B`) on hand-built maps: entries matched by
 * physical range (start and pages), a range with another type or
 * attributes is changed, one only in A removed, only in B added (a split
 * is one removed and two added); order, virtual addresses and desc_size do
 * not count; totals per type for both sides. Expected values worked out by
 * hand from the maps below.
 */
#include <string.h>

#include "tests/tools/suites.h"
#include "tests/unit/mapbuild.h"
#include "tools/diff.h"

#define RAM MAPBUILD_RAM
#define RT  MM_ATTR_RUNTIME

static u64 store_a[16 * 48 / 8], store_b[16 * 48 / 8];

/* A parsed map over storage (binary input: no lines), desc_size ds. */
static void pm_init(struct parsed_map *pm, void *storage, u32 ds)
{
	memset(pm, 0, sizeof(*pm));
	memmap_init(&pm->map, storage, ds, 1, 0, 16);
	pm->format = LOG_FMT_BINARY;
}

/* A: Conventional low, Boot Data, Runtime Data; the map of the cases below. */
static void build_a(struct parsed_map *a, u32 ds)
{
	pm_init(a, store_a, ds);
	mapbuild_put(&a->map, 0, MM_CONVENTIONAL, 0x0, 0xa0, RAM);
	mapbuild_put(&a->map, 1, MM_BOOT_DATA, 0x100000, 0x200, RAM);
	mapbuild_put(&a->map, 2, MM_RUNTIME_DATA, 0x300000, 0x100, RAM | RT);
}

static void equal_maps(struct ktap_test *t)
{
	struct parsed_map a, b;
	struct diff_result r;

	build_a(&a, 48);
	/* B: the same ranges at another stride, in another order, with virtual addresses. */
	pm_init(&b, store_b, 40);
	mapbuild_put(&b.map, 0, MM_RUNTIME_DATA, 0x300000, 0x100, RAM | RT);
	mapbuild_put(&b.map, 1, MM_CONVENTIONAL, 0x0, 0xa0, RAM);
	mapbuild_put(&b.map, 2, MM_BOOT_DATA, 0x100000, 0x200, RAM);
	memmap_desc(&b.map, 0)->virt_addr = 0xffffffc000300000ULL;
	KT_ASSERT(t, diff_maps(&a, &b, &r) == 0);
	KT_EXPECT_EQ(t, r.n, 0);
	KT_EXPECT_EQ(t, r.unchanged, 3);
	KT_EXPECT_EQ(t, r.nr_types, 3);
	for (u32 k = 0; k < r.nr_types; k++) {
		KT_EXPECT_EQ(t, r.types[k].entries[0], r.types[k].entries[1]);
		KT_EXPECT_EQ(t, r.types[k].pages[0], r.types[k].pages[1]);
	}
	diff_free(&r);
}

static void split_retype_and_attributes(struct ktap_test *t)
{
	struct parsed_map a, b;
	struct diff_result r;

	build_a(&a, 48);
	/*
	 * B: the Boot Data range split (Conventional 0x100 pages, then Boot
	 * Data), the Runtime Data range retyped to Reserved, and a new MMIO
	 * entry; entry 0 keeps its range and type but loses WC.
	 */
	pm_init(&b, store_b, 48);
	mapbuild_put(&b.map, 0, MM_CONVENTIONAL, 0x0, 0xa0, RAM & ~MM_ATTR_WC);
	mapbuild_put(&b.map, 1, MM_CONVENTIONAL, 0x100000, 0x100, RAM);
	mapbuild_put(&b.map, 2, MM_BOOT_DATA, 0x200000, 0x100, RAM);
	mapbuild_put(&b.map, 3, MM_RESERVED, 0x300000, 0x100, RAM | RT);
	mapbuild_put(&b.map, 4, MM_MMIO, 0xfec00000, 0x1, MM_ATTR_UC);
	KT_ASSERT(t, diff_maps(&a, &b, &r) == 0);
	KT_EXPECT_EQ(t, r.by_kind[DIFF_REMOVED], 1);
	KT_EXPECT_EQ(t, r.by_kind[DIFF_ADDED], 3);
	KT_EXPECT_EQ(t, r.by_kind[DIFF_CHANGED], 2);
	KT_EXPECT_EQ(t, r.unchanged, 0);
	KT_ASSERT(t, r.n == 6);
	/* By start, then pages (smaller first): 0x0, 0x100000 x2, 0x200000, 0x300000, 0xfec00000.
	 */
	KT_EXPECT(t, r.items[0].kind == DIFF_CHANGED && r.items[0].a.d.attribute == RAM &&
			     r.items[0].b.d.attribute == (RAM & ~MM_ATTR_WC));
	KT_EXPECT(t, r.items[1].kind == DIFF_ADDED && r.items[1].b.d.num_pages == 0x100 &&
			     r.items[1].b.index == 1);
	KT_EXPECT(t, r.items[2].kind == DIFF_REMOVED && r.items[2].a.d.num_pages == 0x200 &&
			     r.items[2].a.index == 1);
	KT_EXPECT(t, r.items[3].kind == DIFF_ADDED && r.items[3].b.d.phys_addr == 0x200000);
	KT_EXPECT(t, r.items[4].kind == DIFF_CHANGED && r.items[4].a.d.type == MM_RUNTIME_DATA &&
			     r.items[4].b.d.type == MM_RESERVED);
	KT_EXPECT(t, r.items[5].kind == DIFF_ADDED && r.items[5].b.d.type == MM_MMIO);
	/* Totals by type: Reserved 0, Boot Data 4, Runtime Data 6, Conventional 7, MMIO 11. */
	KT_ASSERT(t, r.nr_types == 5);
	KT_EXPECT(t, r.types[0].type == MM_RESERVED && r.types[0].pages[0] == 0 &&
			     r.types[0].pages[1] == 0x100);
	KT_EXPECT(t, r.types[1].type == MM_BOOT_DATA && r.types[1].pages[0] == 0x200 &&
			     r.types[1].pages[1] == 0x100);
	KT_EXPECT(t, r.types[2].type == MM_RUNTIME_DATA && r.types[2].entries[1] == 0);
	KT_EXPECT(t, r.types[3].type == MM_CONVENTIONAL && r.types[3].entries[0] == 1 &&
			     r.types[3].entries[1] == 2 && r.types[3].pages[1] == 0xa0 + 0x100);
	KT_EXPECT(t, r.types[4].type == MM_MMIO && r.types[4].entries[0] == 0 &&
			     r.types[4].pages[1] == 1);
	diff_free(&r);
}

static void empty_against_full(struct ktap_test *t)
{
	struct parsed_map a, b;
	struct diff_result r;

	build_a(&a, 40);
	pm_init(&b, store_b, 40);
	KT_ASSERT(t, diff_maps(&a, &b, &r) == 0);
	KT_EXPECT_EQ(t, r.by_kind[DIFF_REMOVED], 3);
	KT_EXPECT_EQ(t, r.n, 3);
	diff_free(&r);
	KT_ASSERT(t, diff_maps(&b, &a, &r) == 0);
	KT_EXPECT_EQ(t, r.by_kind[DIFF_ADDED], 3);
	KT_EXPECT_EQ(t, r.unchanged, 0);
	diff_free(&r);
	/* The same range twice in A and once in B: one matched, one removed. */
	mapbuild_put(&a.map, 3, MM_BOOT_DATA, 0x100000, 0x200, RAM);
	pm_init(&b, store_b, 40);
	mapbuild_put(&b.map, 0, MM_BOOT_DATA, 0x100000, 0x200, RAM);
	KT_ASSERT(t, diff_maps(&a, &b, &r) == 0);
	KT_EXPECT_EQ(t, r.unchanged, 1);
	KT_EXPECT_EQ(t, r.by_kind[DIFF_REMOVED], 3);
	diff_free(&r);
}

static const struct ktap_case diff_cases[] = {
	KTAP_CASE(equal_maps),
	KTAP_CASE(split_retype_and_attributes),
	KTAP_CASE(empty_against_full),
};

KTAP_SUITE(diff_suite, "diff", diff_cases);
