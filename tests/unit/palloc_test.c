// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/palloc.c over a small arena: runs merge with both neighbours,
 * freed pages read as junk, a double free is refused and changes nothing,
 * and allocating until empty returns exactly the pages handed in.
 */
#include "kernel/palloc.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

#define ARENA_PAGES 32u

static u8 arena[ARENA_PAGES * 4096] __attribute__((aligned(4096)));

static u64 page(u32 i)
{
	return (u64)(uintptr_t)arena + (u64)i * PALLOC_PAGE;
}

static bool count_run(void *ctx, u64 base, u64 pages)
{
	(void)base;
	(void)pages;
	(*(u32 *)ctx)++;
	return true;
}

static u32 nr_runs(const struct palloc *a)
{
	u32 n = 0;

	palloc_for_each_run(a, count_run, &n);
	return n;
}

static void merges_neighbours(struct ktap_test *t)
{
	struct palloc a;

	palloc_init(&a);
	KT_EXPECT(t, palloc_add(&a, page(0), 4, false));
	KT_EXPECT(t, palloc_add(&a, page(8), 4, false));
	KT_EXPECT_EQ(t, nr_runs(&a), 2);
	KT_EXPECT(t, palloc_add(&a, page(4), 4, true)); /* fills the hole: one run */
	KT_EXPECT_EQ(t, nr_runs(&a), 1);
	KT_EXPECT_EQ(t, a.runs, 1);
	KT_EXPECT_EQ(t, a.free_pages, 12);
	KT_EXPECT(t, palloc_is_free(&a, page(0), 12));
	KT_EXPECT(t, !palloc_any_free(&a, page(12), 4));
}

static void junk_on_free(struct ktap_test *t)
{
	struct palloc a;
	u64 p;
	u8 *bytes;
	bool junk = true;

	palloc_init(&a);
	KT_ASSERT(t, palloc_add(&a, page(0), 2, false));
	p = palloc_alloc(&a, 1);
	KT_ASSERT(t, p == page(1)); /* from the top of the run */
	memset((void *)(uintptr_t)p, 0, PALLOC_PAGE);
	KT_ASSERT(t, palloc_free(&a, p, 1));
	/* The page joined the run below, so every byte of it is junk. */
	bytes = (u8 *)(uintptr_t)p;
	for (u32 i = 0; i < PALLOC_PAGE; i++)
		junk &= bytes[i] == PALLOC_JUNK;
	KT_EXPECT(t, junk);
}

static void double_free_refused(struct ktap_test *t)
{
	struct palloc a;

	palloc_init(&a);
	KT_ASSERT(t, palloc_add(&a, page(4), 4, false));
	KT_EXPECT(t, !palloc_free(&a, page(6), 1));	/* inside a free run */
	KT_EXPECT(t, !palloc_free(&a, page(2), 3));	/* overlaps its start */
	KT_EXPECT(t, !palloc_free(&a, page(7), 2));	/* overlaps its end */
	KT_EXPECT(t, !palloc_free(&a, page(0) + 8, 1)); /* unaligned */
	KT_EXPECT(t, !palloc_free(&a, page(0), 0));
	KT_EXPECT_EQ(t, a.rejected, 5);
	KT_EXPECT_EQ(t, a.free_pages, 4);
	KT_EXPECT_EQ(t, nr_runs(&a), 1);
}

/* Allocate until empty, in sizes that do not divide the runs: every page comes back once. */
static void exhausts_exactly(struct ktap_test *t)
{
	static u8 seen[ARENA_PAGES];
	struct palloc a;
	u64 got = 0, p;

	memset(seen, 0, sizeof(seen));
	palloc_init(&a);
	palloc_add(&a, page(1), 5, false);
	palloc_add(&a, page(9), 13, true);
	palloc_add(&a, page(25), 7, false);
	for (u64 want = 4; want; want /= 2) {
		while ((p = palloc_alloc(&a, want)) != 0) {
			for (u64 i = 0; i < want; i++) {
				u32 idx = (u32)((p - page(0)) / PALLOC_PAGE + i);

				KT_ASSERT(t, idx < ARENA_PAGES);
				KT_EXPECT(t, !seen[idx]);
				seen[idx] = 1;
			}
			got += want;
		}
	}
	KT_EXPECT_EQ(t, got, 25);
	KT_EXPECT_EQ(t, a.free_pages, 0);
	KT_EXPECT_EQ(t, a.runs, 0);
	KT_EXPECT(t, !seen[0] && !seen[6] && !seen[22] && !seen[24]);
	KT_EXPECT_EQ(t, palloc_alloc(&a, 1), 0);
}

/* A refill source handing over 8-page blocks of the arena's top half, as lazy acceptance does. */
struct refill_src {
	struct palloc *a;
	u32 next, calls;
};

static bool refill_blocks(void *ctx, u64 pages)
{
	struct refill_src *r = ctx;

	r->calls++;
	if (pages > 8 || r->next + 8 > ARENA_PAGES)
		return false;
	palloc_add(r->a, page(r->next), 8, false);
	r->next += 8;
	return true;
}

/*
 * The refill hook runs only when no run fits, the request is retried on
 * what it added, and a refill that adds nothing ends the allocation.
 */
static void refill_when_dry(struct ktap_test *t)
{
	struct palloc a;
	struct refill_src r = { &a, 16, 0 };
	u64 p;

	palloc_init(&a);
	a.refill = refill_blocks;
	a.refill_ctx = &r;
	KT_ASSERT(t, palloc_add(&a, page(0), 4, false));
	p = palloc_alloc(&a, 4); /* fits: no refill */
	KT_EXPECT_EQ(t, p, page(0));
	KT_EXPECT_EQ(t, r.calls, 0);
	p = palloc_alloc(&a, 6); /* dry: one refill of pages 16..23 */
	KT_EXPECT_EQ(t, r.calls, 1);
	KT_EXPECT(t, p >= page(16) && p + 6 * PALLOC_PAGE <= page(24));
	KT_EXPECT_EQ(t, a.free_pages, 2);
	p = palloc_alloc(&a, 8); /* 2 left do not fit: refill 24..31, served from it */
	KT_EXPECT_EQ(t, p, page(24));
	KT_EXPECT_EQ(t, r.calls, 2);
	p = palloc_alloc(&a, 4); /* the source is empty: refill says no, allocation fails */
	KT_EXPECT_EQ(t, p, 0);
	KT_EXPECT_EQ(t, r.calls, 3);
	KT_EXPECT_EQ(t, palloc_alloc(&a, 16), 0); /* larger than any block: refused at once */
	KT_EXPECT_EQ(t, r.calls, 4);
	KT_EXPECT_EQ(t, a.free_pages, 2);
}

static const struct ktap_case palloc_cases[] = {
	KTAP_CASE(merges_neighbours), KTAP_CASE(junk_on_free),	  KTAP_CASE(double_free_refused),
	KTAP_CASE(exhausts_exactly),  KTAP_CASE(refill_when_dry),
};

KTAP_SUITE(palloc_suite, "palloc", palloc_cases);
