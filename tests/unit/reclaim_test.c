// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/reclaim.c and kernel/resv.c on synthetic maps: every boot-services
 * page ends up freed or kept with a reason (invariant 8), tagging leaves
 * the map alone and compaction removes only entries freed whole, in order
 * (invariant 9), and a second cleanup changes nothing (invariant 11).
 * Freeing is recorded, not done, so no memory is touched.
 */
#include "kernel/reclaim.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#define CAP   24u
#define PAGE  4096ULL
#define RUNS  64u
#define RESVS 64u

/* What the ops were asked to do. */
struct record {
	u32 nr_freed;
	u64 freed_base[RUNS], freed_pages[RUNS];
	u64 freed_total;
	u64 added_total;
	u64 kept_by[RSN_NR];
	u32 refuse_from; /* free_range refuses calls numbered >= this (1-based), 0: never */
	u32 calls;
};

static bool rec_free(void *ctx, u64 base, u64 pages)
{
	struct record *r = ctx;

	r->calls++;
	if (r->refuse_from && r->calls >= r->refuse_from)
		return false;
	if (r->nr_freed < RUNS) {
		r->freed_base[r->nr_freed] = base;
		r->freed_pages[r->nr_freed] = pages;
		r->nr_freed++;
	}
	r->freed_total += pages;
	return true;
}

static bool rec_add(void *ctx, u64 base, u64 pages)
{
	(void)base;
	((struct record *)ctx)->added_total += pages;
	return true;
}

static void rec_kept(void *ctx, u64 base, u64 pages, enum resv_reason why, u32 type)
{
	(void)base;
	(void)type;
	((struct record *)ctx)->kept_by[why] += pages;
}

struct fixture {
	u64 storage[CAP * 64 / 8 + 512]; /* room for the tail to be page-rounded */
	struct memmap map;
	struct resv resv[RESVS];
	struct reclaim rc;
	struct record rec;
	struct reclaim_ops ops;
};

static void fixture_init(struct fixture *f, u32 desc_size)
{
	memset(f, 0, sizeof(*f));
	memmap_init(&f->map, f->storage, desc_size, 1, 0, CAP);
	f->ops = (struct reclaim_ops){ rec_add, rec_free, rec_kept, &f->rec };
}

/* Whether the recorded frees touched any page of [base, end). */
static bool freed_any(const struct record *r, u64 base, u64 end)
{
	for (u32 i = 0; i < r->nr_freed; i++)
		if (r->freed_base[i] < end && base < r->freed_base[i] + r->freed_pages[i] * PAGE)
			return true;
	return false;
}

static void check_books(struct ktap_test *t, const struct reclaim *rc, const struct record *r)
{
	u64 kept = 0;

	KT_EXPECT_EQ(t, rc->st.leak, 0);
	KT_EXPECT_EQ(t, rc->st.freed + rc->st.kept, rc->st.bs_total);
	KT_EXPECT_EQ(t, rc->st.freed, r->freed_total - rc->st.tail_freed_pages);
	for (u32 i = 0; i < RSN_NR; i++)
		kept += r->kept_by[i];
	KT_EXPECT_EQ(t, kept, rc->st.kept);
	KT_EXPECT_EQ(t, rc->st.type[0].freed + rc->st.type[1].freed, rc->st.freed);
	KT_EXPECT_EQ(t, rc->st.type[0].total + rc->st.type[1].total, rc->st.bs_total);
}

/* A KERN range across two boot-services entries keeps its pages in both; the rest goes. */
static void kern_straddles_entries(struct ktap_test *t)
{
	static struct fixture f;
	static u8 before[CAP * 48];

	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_CONVENTIONAL, 0x100000, 0x100, MAPBUILD_RAM);
	mapbuild_put(&f.map, 1, MM_BOOT_CODE, 0x200000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 2, MM_BOOT_DATA, 0x210000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 3, MM_BOOT_DATA, 0x220000, 0x10, MAPBUILD_RAM);
	memcpy(before, f.storage, f.map.nr_map * 48u);

	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	/* Last two pages of entry 1, first page of entry 2 (unaligned ends round out). */
	KT_ASSERT(t, reclaim_tag(&f.rc, 0x20e010, 0x210ff0, RSN_MEMATTR_TABLE));
	KT_EXPECT(t, !memcmp(before, f.storage, f.map.nr_map * 48u)); /* invariant 9 */
	KT_EXPECT_EQ(t, reclaim_add_conventional(&f.rc, &f.ops), 0x100);
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT(t, !memcmp(before, f.storage, f.map.nr_map * 48u));

	KT_EXPECT_EQ(t, f.rc.st.bs_total, 0x30);
	KT_EXPECT_EQ(t, f.rc.st.kept, 3);
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_MEMATTR_TABLE], 3);
	KT_EXPECT(t, !freed_any(&f.rec, 0x20e000, 0x211000));
	KT_EXPECT(t, freed_any(&f.rec, 0x20d000, 0x20e000));
	KT_EXPECT(t, freed_any(&f.rec, 0x211000, 0x212000));
	check_books(t, &f.rc, &f.rec);

	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 1); /* entry 3 only */
	KT_ASSERT(t, f.map.nr_map == 3);
	KT_EXPECT(t, !memcmp(before, f.storage, 3 * 48u)); /* order and bytes kept */
}

/* Boot-services pages below 1 MiB stay, and say why; the trampoline quirk is its own step. */
static void below_1m_and_trampoline(struct ktap_test *t)
{
	static struct fixture f;

	/* OVMF-like: page 0 is boot code, and there is conventional memory below 640K. */
	fixture_init(&f, 48);
	mapbuild_ovmf_low(&f.map, f.storage, 48, CAP);
	mapbuild_put(&f.map, 5, MM_BOOT_DATA, 0x80000000 - 0x1000, 1, MAPBUILD_RAM);
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT_EQ(t, reclaim_trampoline(&f.rc), 0x9f000); /* the highest conventional page */
	KT_EXPECT(t, !f.rc.st.trampoline_from_bs);
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_BELOW_1M], 1);
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_TRAMPOLINE], 0);
	KT_EXPECT(t, !freed_any(&f.rec, 0, 0x100000));
	check_books(t, &f.rc, &f.rec);
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 2);
	KT_EXPECT_EQ(t, memmap_desc(&f.map, 0)->phys_addr, 0); /* page 0's entry stays */

	/* No conventional memory below 1 MiB: a boot-services page there is set aside. */
	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_BOOT_CODE, 0x0, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 1, MM_BOOT_DATA, 0x10000, 0x80, MAPBUILD_RAM);
	mapbuild_put(&f.map, 2, MM_RESERVED, 0x90000, 0x60, 0);
	mapbuild_put(&f.map, 3, MM_BOOT_DATA, 0xf0000, 0x20, MAPBUILD_RAM); /* straddles 1 MiB */
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT_EQ(t, reclaim_trampoline(&f.rc), 0xff000);
	KT_EXPECT(t, f.rc.st.trampoline_from_bs);
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_TRAMPOLINE], 1);
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_BELOW_1M], 0x10 + 0x80 + 0xf);
	KT_EXPECT_EQ(t, f.rec.freed_total, 0x10); /* only the part above 1 MiB */
	KT_EXPECT(t, !freed_any(&f.rec, 0, 0x100000));
	check_books(t, &f.rc, &f.rec);
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 0);

	/* Nothing at all below 1 MiB: no trampoline, and nothing breaks. */
	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_BOOT_DATA, 0x100000, 0x10, MAPBUILD_RAM);
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT_EQ(t, reclaim_trampoline(&f.rc), ~0ULL);
	KT_EXPECT(t, !f.rc.st.trampoline_from_bs);
}

/* The image (and the map) inside boot-services memory are kept; the map tail is freed. */
static void image_inside_boot_services(struct ktap_test *t)
{
	static struct fixture f;
	static u8 buf[4 * 4096] __attribute__((aligned(4096)));
	struct memmap *map = &f.map;
	u64 mapbase = (u64)(uintptr_t)buf;

	fixture_init(&f, 64);
	memmap_init(map, buf, 64, 1, 0, sizeof(buf) / 64);
	mapbuild_put(map, 0, MM_BOOT_DATA, 0x1000000, 0x400, MAPBUILD_RAM);
	mapbuild_put(map, 1, MM_BOOT_CODE, 0x1400000, 0x100, MAPBUILD_RAM);
	mapbuild_put(map, 2, MM_RUNTIME_CODE, 0x1500000, 0x10, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	KT_ASSERT(t, reclaim_reserve(&f.rc, map, sizeof(buf), f.resv, RESVS));
	KT_ASSERT(t, reclaim_tag(&f.rc, 0x1100000, 0x1180000, RSN_IMAGE));
	KT_ASSERT(t, reclaim_tag(&f.rc, mapbase, mapbase + sizeof(buf), RSN_MEMORY_MAP));
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_IMAGE], 0x80);
	KT_EXPECT(t, !freed_any(&f.rec, 0x1100000, 0x1180000));
	KT_EXPECT_EQ(t, f.rc.st.freed, 0x400 - 0x80 + 0x100);
	check_books(t, &f.rc, &f.rec);

	/* Entry 1 goes; 2 entries of 64 bytes need one page, so three pages of tail go. */
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 1);
	KT_EXPECT_EQ(t, map->nr_map, 2);
	KT_EXPECT_EQ(t, memmap_desc(map, 1)->type, MM_RUNTIME_CODE);
	KT_EXPECT_EQ(t, f.rc.st.tail_freed_pages, 3);
	KT_EXPECT(t, freed_any(&f.rec, mapbase + 4096, mapbase + 2 * 4096));
	KT_EXPECT(t, !freed_any(&f.rec, mapbase, mapbase + 4096));
	KT_EXPECT_EQ(t, map->capacity, 4096 / 64);
	KT_EXPECT(t, (u64)map->nr_map * map->desc_size <= f.rc.map_bytes);
	KT_EXPECT_EQ(t, resv_kern_reason(&f.rc.resv, mapbase), RSN_MEMORY_MAP);
	KT_EXPECT_EQ(t, resv_kern_reason(&f.rc.resv, mapbase + 4096), RSN_NR);
}

/* Cleanup twice: the second run frees nothing and leaves every byte of the map as it was. */
static void cleanup_is_idempotent(struct ktap_test *t)
{
	static struct fixture f;
	static u8 after[CAP * 64];
	struct reclaim_stats st;
	u64 freed;
	u32 n;

	for (u32 ds = 40; ds <= 64; ds += 8) {
		fixture_init(&f, ds);
		mapbuild_ovmf_low(&f.map, f.storage, ds, CAP);
		mapbuild_put(&f.map, 5, MM_BOOT_CODE, 0x400000, 0x20, MAPBUILD_RAM);
		mapbuild_put(&f.map, 6, MM_BOOT_DATA, 0x420000, 0x20, MAPBUILD_RAM);
		mapbuild_put(&f.map, 7, MM_CONVENTIONAL, 0x440000, 0x20, MAPBUILD_RAM);
		KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
		reclaim_tag(&f.rc, 0x421000, 0x422000, RSN_ESRT);
		KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
		reclaim_compact(&f.rc, &f.ops);
		n = f.map.nr_map;
		memcpy(after, f.storage, (size_t)n * ds);
		st = f.rc.st;
		freed = f.rec.freed_total;

		KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
		KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 0);
		KT_EXPECT_EQ(t, f.map.nr_map, n);
		KT_EXPECT(t, !memcmp(after, f.storage, (size_t)n * ds));
		KT_EXPECT_EQ(t, f.rec.freed_total, freed);
		KT_EXPECT(t, !memcmp(&st, &f.rc.st, sizeof(st)));
		check_books(t, &f.rc, &f.rec);
	}
}

/* An empty map: nothing to do, books balance at zero. */
static void empty_map(struct ktap_test *t)
{
	static struct fixture f;

	fixture_init(&f, 48);
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT_EQ(t, reclaim_add_conventional(&f.rc, &f.ops), 0);
	KT_EXPECT_EQ(t, reclaim_trampoline(&f.rc), ~0ULL);
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 0);
	KT_EXPECT_EQ(t, f.rc.st.bs_total, 0);
	KT_EXPECT_EQ(t, f.rec.calls, 0);
	check_books(t, &f.rc, &f.rec);
}

/* Hostile maps: overlapping and malformed boot-services entries stay whole, and say why. */
static void hostile_entries_kept(struct ktap_test *t)
{
	static struct fixture f;

	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_BOOT_DATA, 0x200000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 1, MM_RUNTIME_DATA, 0x208000, 0x10, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	mapbuild_put(&f.map, 2, MM_BOOT_CODE, 0x300800, 0x4, MAPBUILD_RAM);	   /* unaligned */
	mapbuild_put(&f.map, 3, MM_BOOT_CODE, ~0ULL - 0x1fff, 0x10, MAPBUILD_RAM); /* wraps */
	mapbuild_put(&f.map, 4, MM_CONVENTIONAL, 0x20c000, 0x10, MAPBUILD_RAM);	   /* overlaps 1 */
	mapbuild_put(&f.map, 5, MM_BOOT_DATA, 0x400000, 0, MAPBUILD_RAM);	   /* empty */
	mapbuild_put(&f.map, 6, MM_BOOT_DATA, 0x500000, 0x4, MAPBUILD_RAM);
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT_EQ(t, f.rc.st.overlapping_entries, 1);
	KT_EXPECT_EQ(t, f.rc.st.malformed_entries, 2);
	KT_EXPECT_EQ(t, reclaim_add_conventional(&f.rc, &f.ops), 0);
	KT_EXPECT_EQ(t, f.rc.st.conventional_skipped, 1);
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_OVERLAP], 0x10);
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_MALFORMED], 0x14);
	KT_EXPECT_EQ(t, f.rec.freed_total, 4);
	check_books(t, &f.rc, &f.rec);
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 2); /* the empty one and the clean one */
	KT_EXPECT_EQ(t, f.map.nr_map, 5);

	/* An allocator that refuses (it holds the pages already): kept, and the entry stays. */
	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_BOOT_DATA, 0x200000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 1, MM_BOOT_DATA, 0x300000, 0x10, MAPBUILD_RAM);
	f.rec.refuse_from = 2;
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_OVERLAP], 0x10);
	KT_EXPECT_EQ(t, f.rc.st.leak, 0);
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 1);
	KT_EXPECT_EQ(t, memmap_desc(&f.map, 0)->phys_addr, 0x300000);
}

/*
 * Memory reclaim must not touch: a boot-services entry marked
 * EFI_MEMORY_RUNTIME (the firmware's, whatever its type), one beyond
 * 4-level paging (never mapped), and soft-reserved conventional memory.
 */
static void firmware_and_unmappable_kept(struct ktap_test *t)
{
	static struct fixture f;

	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_BOOT_DATA, 0x200000, 0x10, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	mapbuild_put(&f.map, 1, MM_BOOT_CODE, 1ULL << 48, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 2, MM_BOOT_CODE, (1ULL << 48) - 0x8000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&f.map, 3, MM_CONVENTIONAL, 0x400000, 0x10, MAPBUILD_RAM | MM_ATTR_SP);
	mapbuild_put(&f.map, 4, MM_BOOT_DATA, 0x500000, 0x10, MAPBUILD_RAM);
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	KT_EXPECT_EQ(t, f.rc.st.runtime_attr_entries, 1);
	KT_EXPECT_EQ(t, f.rc.st.malformed_entries, 2);
	KT_EXPECT_EQ(t, reclaim_add_conventional(&f.rc, &f.ops), 0);
	KT_EXPECT_EQ(t, f.rc.st.conventional_skipped, 1);
	KT_EXPECT(t, !reclaim_free(&f.rc, &f.ops));
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_RUNTIME_ATTR], 0x10);
	KT_EXPECT_EQ(t, f.rec.kept_by[RSN_MALFORMED], 0x20);
	KT_EXPECT_EQ(t, f.rec.freed_total, 0x10);
	KT_EXPECT(t, !freed_any(&f.rec, 0x200000, 0x210000));
	check_books(t, &f.rc, &f.rec);
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 1); /* only entry 4 */
	KT_EXPECT_EQ(t, memmap_desc(&f.map, 0)->attribute & MM_ATTR_RUNTIME, MM_ATTR_RUNTIME);
	KT_EXPECT_EQ(t, f.map.nr_map, 4);
}

/* A full reservation table means KERN ranges may be missing: nothing is freed. */
static void table_overflow_frees_nothing(struct ktap_test *t)
{
	static struct fixture f;

	fixture_init(&f, 48);
	for (u32 i = 0; i < 6; i++)
		mapbuild_put(&f.map, i, MM_BOOT_DATA, 0x200000 + i * 0x100000, 0x10, MAPBUILD_RAM);
	KT_EXPECT(t, !reclaim_reserve(&f.rc, &f.map, 0, f.resv, 4));
	KT_EXPECT(t, reclaim_free(&f.rc, &f.ops) != NULL);
	KT_EXPECT_EQ(t, f.rec.calls, 0);
	KT_EXPECT_EQ(t, reclaim_compact(&f.rc, &f.ops), 0);
	KT_EXPECT_EQ(t, f.map.nr_map, 6);

	/* And freeing before phase 1 is refused too. */
	memset(&f.rc, 0, sizeof(f.rc));
	f.rc.map = &f.map;
	KT_EXPECT(t, reclaim_free(&f.rc, &f.ops) != NULL);
}

/* Conventional memory goes to the allocator from 1 MiB up, around KERN ranges. */
static void conventional_around_kern(struct ktap_test *t)
{
	static struct fixture f;

	fixture_init(&f, 48);
	mapbuild_put(&f.map, 0, MM_CONVENTIONAL, 0x1000, 0x9f, MAPBUILD_RAM);
	mapbuild_put(&f.map, 1, MM_CONVENTIONAL, 0xe0000, 0x40, MAPBUILD_RAM); /* straddles 1M */
	mapbuild_put(&f.map, 2, MM_CONVENTIONAL, 0x200000, 0x10, MAPBUILD_RAM);
	KT_ASSERT(t, reclaim_reserve(&f.rc, &f.map, 0, f.resv, RESVS));
	reclaim_tag(&f.rc, 0x100000, 0x102000, RSN_HANDOFF);
	reclaim_tag(&f.rc, 0x204000, 0x205000, RSN_STACK);
	/* Entry 0 gives nothing; entry 1 its part above 1 MiB past the handoff; 2 all but one. */
	KT_EXPECT_EQ(t, reclaim_add_conventional(&f.rc, &f.ops), 0x1e + 0xf);
	KT_EXPECT_EQ(t, f.rc.st.conventional_pages, 0x1e + 0xf);
}

static const struct ktap_case reclaim_cases[] = {
	KTAP_CASE(kern_straddles_entries),
	KTAP_CASE(below_1m_and_trampoline),
	KTAP_CASE(image_inside_boot_services),
	KTAP_CASE(cleanup_is_idempotent),
	KTAP_CASE(empty_map),
	KTAP_CASE(hostile_entries_kept),
	KTAP_CASE(firmware_and_unmappable_kept),
	KTAP_CASE(table_overflow_frees_nothing),
	KTAP_CASE(conventional_around_kern),
};

KTAP_SUITE(reclaim_suite, "reclaim", reclaim_cases);
