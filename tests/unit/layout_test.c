// SPDX-License-Identifier: BSD-2-Clause
/*
 * memmap/layout.c: docs/architecture.md invariant 4 on random maps (no overlap, map
 * order, congruent modulo 2 MiB, inside the window, same map -> same
 * layout), all-or-nothing refusal, and the SetVirtualAddressMap copy
 * (invariant 5: it never lands on live entries).
 */
#include "tests/unit/mapbuild.h"
#include "tests/unit/randmap.h"
#include "tests/unit/suites.h"
#include "memmap/layout.h"

#define MAX_N 256u

static u64 storage[MAX_N * 2 * 64 / 8];
static u64 again[MAX_N * 2 * 64 / 8];

struct last_finding {
	u32 n;
	struct mm_finding f;
};

static void remember(const struct mm_finding *f, void *ctx)
{
	struct last_finding *l = ctx;

	l->n++;
	l->f = *f;
}

/* Invariant 4 over every runtime entry of map, laid out in window [base, base + size). */
static void check_invariant_4(struct ktap_test *t, const struct memmap *map, u64 base, u64 size)
{
	struct mm_iter it;
	struct mm_desc *md;
	u64 prev_end = base;

	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 va = md->virt_addr, bytes = md->num_pages << PAGE_SHIFT;

		KT_EXPECT(t, va >= prev_end); /* increasing in map order, no overlap */
		KT_EXPECT_EQ(t, va % SZ_2M, md->phys_addr % SZ_2M);
		KT_EXPECT(t, va - base <= size && bytes <= size - (va - base));
		prev_end = va + bytes;
	}
}

static void random_maps_keep_invariant_4(struct ktap_test *t)
{
	struct memmap map, copy;
	struct mm_layout lay;

	for (u64 seed = 1; seed <= 60 && !t->failures; seed++) {
		u32 n = 1 + (u32)(seed * 104729 % MAX_N);
		u32 ds = 40 + 8 * (u32)(seed % 4);

		memmap_init(&map, storage, ds, 1, 0, n);
		randmap_fill(&map, n, seed);
		KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, &lay,
						   NULL, NULL));
		check_invariant_4(t, &map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE);
		KT_EXPECT_EQ(t, lay.nr_runtime, memmap_count(&map, mm_is_runtime, NULL));
		KT_EXPECT(t, lay.va_end <= MM_VA_WINDOW_BASE + MM_VA_WINDOW_SIZE);

		/* A pure function of the map: a fresh copy with garbage VAs gets the same layout.
		 */
		memcpy(again, storage, (size_t)n * ds);
		memmap_init(&copy, again, ds, 1, n, n);
		for (u32 i = 0; i < n; i++)
			memmap_desc(&copy, i)->virt_addr = 0xdead000 + i;
		memmap_layout_runtime(&copy, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
				      NULL);
		for (u32 i = 0; i < n; i++) {
			const struct mm_desc *a = memmap_desc(&map, i), *b = memmap_desc(&copy, i);

			if (a->attribute & MM_ATTR_RUNTIME)
				KT_EXPECT_EQ(t, a->virt_addr, b->virt_addr);
			else
				KT_EXPECT_EQ(t, b->virt_addr, 0xdead000 + i); /* not touched */
		}
	}
}

static void contiguous_regions_stay_contiguous(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_RUNTIME_CODE, 0x7f000000, 0x10, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f010000, 0x3, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 2, MM_CONVENTIONAL, 0x7f013000, 0x100, MM_ATTR_WB);
	mapbuild_put(&map, 3, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_RUNTIME | MM_ATTR_UC);
	KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					   NULL));
	KT_EXPECT_EQ(t, memmap_desc(&map, 0)->virt_addr, MM_VA_WINDOW_BASE);
	KT_EXPECT_EQ(t, memmap_desc(&map, 1)->virt_addr, memmap_desc(&map, 0)->virt_addr + 0x10000);
	/* The next region only moves up to the next address congruent to its own. */
	KT_EXPECT_EQ(t, memmap_desc(&map, 3)->virt_addr, MM_VA_WINDOW_BASE + 0x200000);
	KT_EXPECT_EQ(t, memmap_desc(&map, 2)->virt_addr, 0);
}

static void too_small_window_changes_nothing(struct ktap_test *t)
{
	struct memmap map;
	struct last_finding l = { 0 };
	u64 base = 0xffffff0000000000ULL;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_RUNTIME_CODE, 0x7f000000, 0x100, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f100000, 0x100, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 2, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_RUNTIME | MM_ATTR_UC);
	/* 1 MiB at 0, 1 MiB at 1 MiB, then the flash at the next 2 MiB boundary: 6 MiB. */
	KT_EXPECT(t, !memmap_layout_runtime(&map, base, 0x400000, NULL, remember, &l));
	KT_EXPECT_EQ(t, l.n, 1);
	KT_EXPECT_EQ(t, l.f.check, MM_CHECK_LAYOUT_NO_ROOM);
	KT_EXPECT_EQ(t, l.f.value, 0x600000);
	for (u32 i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, memmap_desc(&map, i)->virt_addr, 0);
	/* One page short fails; exactly enough succeeds and ends at the window's end. */
	KT_EXPECT(t, !memmap_layout_runtime(&map, base, 0x5ff000, NULL, NULL, NULL));
	KT_EXPECT(t, memmap_layout_runtime(&map, base, 0x600000, NULL, NULL, NULL));
	KT_EXPECT_EQ(t, memmap_desc(&map, 2)->virt_addr + 0x400000, base + 0x600000);
}

static void bad_runtime_entry_is_refused(struct ktap_test *t)
{
	struct memmap map;
	struct last_finding l = { 0 };

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_RUNTIME_CODE, 0x7f000000, 0x10, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f010000, 0, MM_ATTR_RUNTIME);
	KT_EXPECT(t, !memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL,
					    remember, &l));
	KT_EXPECT_EQ(t, l.f.check, MM_CHECK_LAYOUT_BAD_ENTRY);
	KT_EXPECT_EQ(t, l.f.index, 1);
	KT_EXPECT_EQ(t, memmap_desc(&map, 0)->virt_addr, 0);
	/* A window base that breaks the congruence rule. */
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f010000, 1, MM_ATTR_RUNTIME);
	KT_EXPECT(t, !memmap_layout_runtime(&map, MM_VA_WINDOW_BASE + 0x1000, MM_VA_WINDOW_SIZE,
					    NULL, remember, &l));
	KT_EXPECT_EQ(t, l.f.index, MM_NO_INDEX);
	/* Unaligned and overflowing runtime entries. */
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f010010, 1, MM_ATTR_RUNTIME);
	KT_EXPECT(t, !memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					    NULL));
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0xfffffffffff00000ULL, 0x1000, MM_ATTR_RUNTIME);
	KT_EXPECT(t, !memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					    NULL));
}

static void runtime_copy_for_svam(struct ktap_test *t)
{
	struct memmap map, out;
	u32 n = 100, nr_rt;
	u8 *tail;

	memmap_init(&map, storage, 48, 1, 0, 2 * n);
	randmap_fill(&map, n, 77);
	nr_rt = memmap_count(&map, mm_is_runtime, NULL);
	KT_ASSERT(t, nr_rt > 0);
	KT_EXPECT_EQ(t, memmap_runtime_bytes(&map), (u64)nr_rt * 48);

	/* Into the buffer's spare tail, as the stub does: accepted. */
	tail = (u8 *)memmap_desc(&map, n);
	KT_ASSERT(t, memmap_copy_runtime(&map, tail, (u64)n * 48, &out));
	KT_EXPECT_EQ(t, out.nr_map, nr_rt);
	KT_EXPECT_EQ(t, out.desc_size, 48);
	for (u32 i = 0, j = 0; i < n; i++) {
		const struct mm_desc *md = memmap_desc(&map, i);

		if (!(md->attribute & MM_ATTR_RUNTIME))
			continue;
		KT_EXPECT(t, !memcmp(memmap_desc(&out, j), md, 48));
		j++;
	}
	/* Too small, or over live entries: refused, nothing written. */
	KT_EXPECT(t, !memmap_copy_runtime(&map, tail, (u64)nr_rt * 48 - 1, &out));
	KT_EXPECT(t, !memmap_copy_runtime(&map, memmap_desc(&map, n - 1), (u64)n * 48, &out));
	KT_EXPECT(t, !memmap_copy_runtime(&map, NULL, 1 << 20, &out));
}

/* Seed 002's efi_to_phys(): virtual system-table pointers back to physical. */
static void virt_to_phys_through_runtime_entries(struct ktap_test *t)
{
	struct memmap map;
	u64 pa = 0;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_RUNTIME_CODE, 0x1f5ec000, 0x100, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	mapbuild_put(&map, 1, MM_BOOT_DATA, 0x1f6ec000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&map, 2, MM_RUNTIME_DATA, 0x1fef4000, 0x84, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	mapbuild_put(&map, 3, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_UC | MM_ATTR_RUNTIME);
	/* Before any layout no entry has a virtual range. */
	KT_EXPECT(t, !memmap_virt_to_phys(&map, 0, &pa));
	KT_EXPECT(t, !memmap_virt_to_phys(&map, MM_VA_WINDOW_BASE + 0x3ec000, &pa));
	KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					   NULL));
	/* The region's first byte, one inside, its last byte; one past is not translated. */
	KT_EXPECT(t, memmap_virt_to_phys(&map, memmap_desc(&map, 0)->virt_addr, &pa));
	KT_EXPECT_EQ(t, pa, 0x1f5ec000);
	KT_EXPECT(t, memmap_virt_to_phys(&map, memmap_desc(&map, 2)->virt_addr + 0x1234, &pa));
	KT_EXPECT_EQ(t, pa, 0x1fef5234);
	KT_EXPECT(t, memmap_virt_to_phys(&map, memmap_desc(&map, 3)->virt_addr + 0x3fffff, &pa));
	KT_EXPECT_EQ(t, pa, 0xffffffff);
	pa = 7;
	KT_EXPECT(t, !memmap_virt_to_phys(&map, memmap_desc(&map, 3)->virt_addr + 0x400000, &pa));
	KT_EXPECT_EQ(t, pa, 7);
	/* A boot-services entry never translates, whatever its virt_addr says. */
	memmap_desc(&map, 1)->virt_addr = 0x5000;
	KT_EXPECT(t, !memmap_virt_to_phys(&map, 0x5000, &pa));
	/* A physical address is not a virtual one. */
	KT_EXPECT(t, !memmap_virt_to_phys(&map, 0x1f5ec000, &pa));
}

static u64 scratch[MAX_N * (64 + 8) / 8];

/* Reverse the order of map's entries in place (U-Boot hands its map over highest first). */
static void reverse(struct memmap *map)
{
	u8 tmp[64];

	for (u32 i = 0, j = map->nr_map - 1; i < j; i++, j--) {
		memcpy(tmp, memmap_desc(map, i), map->desc_size);
		memcpy(memmap_desc(map, i), memmap_desc(map, j), map->desc_size);
		memcpy(memmap_desc(map, j), tmp, map->desc_size);
	}
}

/*
 * Re-entry (docs/architecture.md "Re-entry"): the layout run again over a map whose
 * runtime entries carry their addresses gives them back, whatever order the
 * map is in now; an address the layout would not give is counted.
 */
static void recheck_finds_the_layout_again(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_RUNTIME_CODE, 0x7f000000, 0x10, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f010000, 0x3, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 2, MM_CONVENTIONAL, 0x7f013000, 0x100, MM_ATTR_WB);
	mapbuild_put(&map, 3, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_RUNTIME | MM_ATTR_UC);
	KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					   NULL));
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   sizeof(scratch)),
		     0);
	/* Highest first, as U-Boot gives it: still the same layout. */
	reverse(&map);
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   sizeof(scratch)),
		     0);
	/* The flash 2 MiB higher than the lowest congruent offset: one entry. */
	memmap_desc(&map, 0)->virt_addr += SZ_2M;
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   sizeof(scratch)),
		     1);
	memmap_desc(&map, 0)->virt_addr -= SZ_2M;
	/* Another window: every address differs. */
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE + SZ_2M, MM_VA_WINDOW_SIZE,
					   scratch, sizeof(scratch)),
		     3);
}

static void recheck_refuses_what_no_layout_gives(struct ktap_test *t)
{
	struct memmap map;

	memmap_init(&map, storage, 40, 1, 0, 8);
	mapbuild_put(&map, 0, MM_RUNTIME_CODE, 0x7f000000, 0x10, MM_ATTR_RUNTIME);
	mapbuild_put(&map, 1, MM_RUNTIME_DATA, 0x7f200000, 0x10, MM_ATTR_RUNTIME);
	KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					   NULL));
	/* Scratch: 8 + desc_size bytes per runtime entry, or nothing is checked. */
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   2 * (8 + 40)),
		     0);
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   2 * (8 + 40) - 1),
		     MM_LAYOUT_UNCHECKABLE);
	/* Two entries at one address. */
	memmap_desc(&map, 1)->virt_addr = memmap_desc(&map, 0)->virt_addr;
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   sizeof(scratch)),
		     MM_LAYOUT_UNCHECKABLE);
	/* An entry without one. */
	memmap_desc(&map, 1)->virt_addr = 0;
	KT_EXPECT_EQ(t,
		     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, scratch,
					   sizeof(scratch)),
		     MM_LAYOUT_UNCHECKABLE);
	/* A window too small for them. */
	KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, NULL, NULL,
					   NULL));
	KT_EXPECT_EQ(
		t, memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, SZ_2M, scratch, sizeof(scratch)),
		MM_LAYOUT_UNCHECKABLE);
}

/* Random maps: laid out, reversed, checked again; one moved entry is counted. */
static void recheck_random_maps(struct ktap_test *t)
{
	struct memmap map;
	struct mm_iter it;
	struct mm_desc *md, *last;

	for (u64 seed = 1; seed <= 40 && !t->failures; seed++) {
		u32 n = 1 + (u32)(seed * 7919 % MAX_N);
		u32 ds = 40 + 8 * (u32)(seed % 4);
		struct mm_layout lay;

		memmap_init(&map, storage, ds, 1, 0, n);
		randmap_fill(&map, n, seed);
		KT_ASSERT(t, memmap_layout_runtime(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, &lay,
						   NULL, NULL));
		if (!lay.nr_runtime)
			continue;
		reverse(&map);
		KT_EXPECT_EQ(t,
			     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE,
						   scratch, sizeof(scratch)),
			     0);
		/* The highest-placed region 2 MiB past the end of the layout. */
		last = NULL;
		mm_iter_init(&it, &map, mm_is_runtime, NULL);
		while ((md = mm_iter_next(&it)))
			if (!last || md->virt_addr > last->virt_addr)
				last = md;
		KT_EXPECT(t, last != NULL);
		if (!last)
			continue;
		last->virt_addr += SZ_2M;
		KT_EXPECT_EQ(t,
			     memmap_layout_recheck(&map, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE,
						   scratch, sizeof(scratch)),
			     1);
	}
}

/*
 * memmap_layout_window_lower(): the arm64 window. Expected bases worked out
 * by hand from the rule in layout.h (max(2^PARange, 2^39) when the window
 * fits below 2^48 from there, else the highest address named rounded up to
 * 512 GiB), not from the function. The map is AAVMF's shape
 * (as AAVMF hands it over under QEMU): RAM from 0x40000000, then the flash and RTC MMIO
 * entries appended, unsorted.
 */
static void aavmf_like_map(struct memmap *map, u64 ram_bytes)
{
	memmap_init(map, storage, 48, 1, 0, 8);
	mapbuild_put(map, 0, MM_CONVENTIONAL, 0x40000000, ram_bytes / PAGE_SIZE - 0x100,
		     MM_ATTR_WB);
	mapbuild_put(map, 1, MM_RUNTIME_DATA, 0x40000000 + ram_bytes - 0x100000, 0x100,
		     MM_ATTR_WB | MM_ATTR_RUNTIME);
	mapbuild_put(map, 2, MM_MMIO, 0x04000000, 0x4000, MM_ATTR_WC | MM_ATTR_RUNTIME);
	mapbuild_put(map, 3, MM_MMIO, 0x09010000, 1, MM_ATTR_UC | MM_ATTR_RUNTIME);
}

static void lower_window_above_the_address_size(struct ktap_test *t)
{
	struct memmap map;
	u64 base;

	aavmf_like_map(&map, SZ_1G);
	/* cortex-a57: PARange 44 bits -> 2^44 = 0x1000_0000_0000, 64 GiB fit below 2^48. */
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 44, 0, 0, 64ULL << 30), 0x100000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 40, 0, 0, 64ULL << 30), 0x10000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 39, 0, 0, 64ULL << 30), 0x8000000000ULL);
	/* 32 and 36 bits: 2^39, the first level 0 slot past slot 0, which holds all of RAM. */
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 32, 0, 0, 64ULL << 30), 0x8000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 36, 0, 0, 64ULL << 30), 0x8000000000ULL);
	/* 47 bits: 2^47 + 64 GiB is still below 2^48. */
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 47, 0, 0, 64ULL << 30), 0x800000000000ULL);
	/* A window of exactly 2^47 at 2^47 ends at 2^48: allowed (the end is exclusive). */
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 47, 0, 0, 1ULL << 47), 0x800000000000ULL);
	/* One page more does not fit there: above the map (RAM ends at 0x80000000): 2^39. */
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 47, 0, 0, (1ULL << 47) + PAGE_SIZE),
		     0x8000000000ULL);
	/* Every runtime region then lands below 2^48, congruent modulo 2 MiB (so 64 KiB too). */
	base = memmap_layout_window_lower(&map, 44, 0, 0, MM_VA_WINDOW_SIZE);
	KT_ASSERT(t, memmap_layout_runtime(&map, base, MM_VA_WINDOW_SIZE, NULL, NULL, NULL));
	for (u32 i = 1; i < 4; i++) {
		const struct mm_desc *md = memmap_desc(&map, i);

		KT_EXPECT(t, md->virt_addr >= 0x100000000000ULL);
		KT_EXPECT(t, md->virt_addr + (md->num_pages << PAGE_SHIFT) <= (1ULL << 48));
		KT_EXPECT_EQ(t, md->virt_addr % SZ_2M, md->phys_addr % SZ_2M);
		KT_EXPECT_EQ(t, md->virt_addr % 0x10000, md->phys_addr % 0x10000);
	}
}

static void lower_window_above_the_map_at_48_bits(struct ktap_test *t)
{
	struct memmap map;

	/* PARange 48 (or 52, beyond 4-level tables): no room above it, so above the map. */
	aavmf_like_map(&map, SZ_1G);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 64ULL << 30), 0x8000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 52, 0, 0, 64ULL << 30), 0x8000000000ULL);
	/* An unknown size (0) takes the same path. */
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 0, 0, 0, 64ULL << 30), 0x8000000000ULL);
	/* 4G: RAM [0x40000000, 0x140000000): still 2^39. */
	aavmf_like_map(&map, 4 * SZ_1G);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 64ULL << 30), 0x8000000000ULL);
	/* A framebuffer ending at 0x8000010000, past 2^39: the next 512 GiB, 2^40. */
	KT_EXPECT_EQ(t,
		     memmap_layout_window_lower(&map, 48, 0x7ffff00000ULL, 0x110000, 64ULL << 30),
		     0x10000000000ULL);
	/* One ending exactly at 2^39 does not move it; one below the map neither. */
	KT_EXPECT_EQ(t,
		     memmap_layout_window_lower(&map, 48, 0x7ffff00000ULL, 0x100000, 64ULL << 30),
		     0x8000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0x10000000, 0x300000, 64ULL << 30),
		     0x8000000000ULL);
	/* An entry at 2^39 (one page): 2^39 + 4 KiB rounds up to 2^40. */
	mapbuild_put(&map, 4, MM_RESERVED, 0x8000000000ULL, 1, MM_ATTR_UC);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 64ULL << 30), 0x10000000000ULL);
	/* An empty map: still not level 0 slot 0. */
	map.nr_map = 0;
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 64ULL << 30), 0x8000000000ULL);
}

static void lower_window_refuses_what_does_not_fit(struct ktap_test *t)
{
	struct memmap map;

	aavmf_like_map(&map, SZ_1G);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 44, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 44, 0, 0, (1ULL << 48) + SZ_1G), 0);
	/* Something named up to 2^48 - 32 GiB: rounds up to 2^48, nothing fits above. */
	mapbuild_put(&map, 4, MM_MMIO, (1ULL << 48) - (64ULL << 30), (32ULL << 30) / PAGE_SIZE,
		     MM_ATTR_UC);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 64ULL << 30), 0);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, PAGE_SIZE), 0);
	/* Up to 2^48 - 2^39 - 32 GiB: the last 512 GiB, [0xff80_0000_0000, 2^48), fit exactly. */
	mapbuild_put(&map, 4, MM_MMIO, (1ULL << 48) - (1ULL << 39) - (64ULL << 30),
		     (32ULL << 30) / PAGE_SIZE, MM_ATTR_UC);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 64ULL << 30), 0xff8000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, 1ULL << 39), 0xff8000000000ULL);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, (1ULL << 39) + PAGE_SIZE), 0);
	/* An entry past 2^48, or a framebuffer wrapping: nothing above them in the lower half. */
	mapbuild_put(&map, 4, MM_MMIO, 1ULL << 48, 1, MM_ATTR_UC);
	KT_EXPECT_EQ(t, memmap_layout_window_lower(&map, 48, 0, 0, SZ_1G), 0);
	map.nr_map = 4;
	KT_EXPECT_EQ(t,
		     memmap_layout_window_lower(&map, 48, ~0ULL - PAGE_SIZE, 2 * PAGE_SIZE, SZ_1G),
		     0);
	/* But with PARange 44 the map's top does not matter: 2^44 is above any of it. */
	KT_EXPECT_EQ(t,
		     memmap_layout_window_lower(&map, 44, ~0ULL - PAGE_SIZE, 2 * PAGE_SIZE, SZ_1G),
		     0x100000000000ULL);
}

static const struct ktap_case layout_cases[] = {
	KTAP_CASE(random_maps_keep_invariant_4),
	KTAP_CASE(contiguous_regions_stay_contiguous),
	KTAP_CASE(too_small_window_changes_nothing),
	KTAP_CASE(bad_runtime_entry_is_refused),
	KTAP_CASE(runtime_copy_for_svam),
	KTAP_CASE(virt_to_phys_through_runtime_entries),
	KTAP_CASE(recheck_finds_the_layout_again),
	KTAP_CASE(recheck_refuses_what_no_layout_gives),
	KTAP_CASE(recheck_random_maps),
	KTAP_CASE(lower_window_above_the_address_size),
	KTAP_CASE(lower_window_above_the_map_at_48_bits),
	KTAP_CASE(lower_window_refuses_what_does_not_fit),
};

KTAP_SUITE(layout_suite, "layout", layout_cases);
