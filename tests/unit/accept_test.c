// SPDX-License-Identifier: BSD-2-Clause
/*
 * accept/ and kernel/accept_map.c: the unaccepted-memory table in Linux's
 * layout and its sizing, the two build passes on hand-made ranges
 * (docs/architecture.md invariant 6), accept_range() with its guard unit (invariant
 * 7), table checks, the lazy allocator's search, which memory of a map is
 * unaccepted, and an exhaustive check of many small random sets of ranges
 * against a page-by-page reference model (tests/unit/accept_model.h).
 * Nothing is accepted for real: backends record what they are asked.
 */
#include "accept/accept.h"
#include "kernel/accept_map.h"
#include "lib/string.h"
#include "tests/unit/accept_model.h"
#include "tests/unit/randmap.h"
#include "tests/unit/suites.h"

#define M	  SZ_1M
#define G	  SZ_1G
#define U	  ACCEPT_UNIT
#define PG	  ACCEPT_PAGE
#define TABLE_MAX 64u /* bitmap bytes the tests' tables have room for */
#define MAX_CALLS 16u

static u64 table_mem[(ACCEPT_HEADER_BYTES + TABLE_MAX) / 8 + 1];

static struct accept_table *table(void)
{
	return (struct accept_table *)table_mem;
}

#define CANARY 0xa5

/*
 * A table over junk: the bytes past its bitmap hold CANARY, so that code
 * reading past the bitmap sees set bits and code writing there is caught.
 */
static struct accept_table *fresh(u64 base, u64 bytes)
{
	memset(table_mem, CANARY, sizeof(table_mem));
	accept_table_init(table(), base, bytes);
	return table();
}

/* Nothing past the bitmap was written. */
static bool canary_intact(const struct accept_table *tb)
{
	for (u64 i = tb->size; i < TABLE_MAX; i++)
		if (tb->bitmap[i] != CANARY)
			return false;
	return true;
}

/* accept_table_check refused tb with exactly this reason (NULL: accepted it). */
static void expect_check(struct ktap_test *t, int line, const struct accept_table *tb, u64 avail,
			 const char *want)
{
	const char *got = accept_table_check(tb, avail);

	ktap_check(t, want ? got && !strcmp(got, want) : !got, __FILE__, line,
		   "accept_table_check: expected \"%s\", got \"%s\"", want ? want : "(usable)",
		   got ? got : "(usable)");
}

/* What a test backend was asked to accept; calls named in fail_mask (bit = call) fail. */
struct calls {
	u32 n;
	u64 start[MAX_CALLS], end[MAX_CALLS];
	u32 fail_mask;
};

static int rec_accept(void *ctx, u64 start, u64 end)
{
	struct calls *c = ctx;
	u32 k = c->n++;

	if (k < MAX_CALLS) {
		c->start[k] = start;
		c->end[k] = end;
	}
	return k < 32 && (c->fail_mask >> k) & 1 ? -5 : 0;
}

static struct accept_ops rec_ops(struct calls *c)
{
	return (struct accept_ops){ "record", rec_accept, c };
}

/* The backend was asked for exactly these [start, end) pairs, in this order. */
static void expect_calls(struct ktap_test *t, int line, const struct calls *c, u32 n,
			 const u64 *pairs)
{
	ktap_check(t, c->n == n, __FILE__, line, "expected %u backend calls, got %u", n, c->n);
	for (u32 i = 0; i < n && i < c->n && i < MAX_CALLS; i++)
		ktap_check(t, c->start[i] == pairs[2 * i] && c->end[i] == pairs[2 * i + 1],
			   __FILE__, line,
			   "call %u: expected [0x%llx, 0x%llx), got [0x%llx, 0x%llx)", i,
			   (unsigned long long)pairs[2 * i], (unsigned long long)pairs[2 * i + 1],
			   (unsigned long long)c->start[i], (unsigned long long)c->end[i]);
}

/* The first 64 bits of the bitmap (bit n = unit n), for compact expectations. */
static u64 bits(const struct accept_table *t)
{
	u64 v = 0;

	for (u64 i = 0; i < t->size && i < 8; i++)
		v |= (u64)t->bitmap[i] << (8 * i);
	return v;
}

struct rng {
	u64 start, end;
};

/* Size a table from the ranges the way the stub does, then clear it. */
static void size_from(struct accept_table *t, const struct rng *r, u32 n)
{
	struct accept_sizing s;
	u64 base, bytes;

	accept_sizing_init(&s);
	for (u32 i = 0; i < n; i++)
		accept_sizing_add(&s, r[i].start, r[i].end);
	accept_sizing_result(&s, &base, &bytes);
	memset(table_mem, CANARY, sizeof(table_mem));
	accept_table_init(t, base, bytes);
}

/* Both build passes over the ranges, in the order given. */
static void build(struct accept_table *t, const struct rng *r, u32 n, struct calls *c,
		  struct accept_stats *st)
{
	struct accept_ops ops = rec_ops(c);

	memset(c, 0, sizeof(*c));
	memset(st, 0, sizeof(*st));
	for (u32 i = 0; i < n; i++)
		accept_mark(t, r[i].start, r[i].end);
	for (u32 i = 0; i < n; i++)
		accept_edges(t, r[i].start, r[i].end, &ops, st);
}

/* The table is the one Linux reads: struct efi_unaccepted_memory and its GUID. */
static void linux_layout(struct ktap_test *t)
{
	static const u8 guid4[8] = ACCEPT_TABLE_GUID_DATA4;
	static const u8 want4[8] = { 0x9e, 0xa9, 0xbc, 0xef, 0x98, 0x12, 0x00, 0x31 };
	struct accept_table *tb = table();

	KT_EXPECT_EQ(t, __builtin_offsetof(struct accept_table, version), 0);
	KT_EXPECT_EQ(t, __builtin_offsetof(struct accept_table, unit_size), 4);
	KT_EXPECT_EQ(t, __builtin_offsetof(struct accept_table, phys_base), 8);
	KT_EXPECT_EQ(t, __builtin_offsetof(struct accept_table, size), 16);
	KT_EXPECT_EQ(t, __builtin_offsetof(struct accept_table, bitmap), ACCEPT_HEADER_BYTES);
	KT_EXPECT_EQ(t, sizeof(struct accept_table), ACCEPT_HEADER_BYTES);
	KT_EXPECT_EQ(t, ACCEPT_TABLE_GUID_DATA1, 0xd5d1de3c);
	KT_EXPECT_EQ(t, ACCEPT_TABLE_GUID_DATA2, 0x105c);
	KT_EXPECT_EQ(t, ACCEPT_TABLE_GUID_DATA3, 0x44f9);
	KT_EXPECT(t, !memcmp(guid4, want4, 8));
	KT_EXPECT_EQ(t, accept_table_bytes(5), ACCEPT_HEADER_BYTES + 5);

	/* init: version 1, 2 MiB units, the bitmap cleared and nothing past it written. */
	tb = fresh(6 * U, 3);
	KT_EXPECT_EQ(t, tb->version, 1);
	KT_EXPECT_EQ(t, tb->unit_size, 2 * M);
	KT_EXPECT_EQ(t, tb->phys_base, 6 * U);
	KT_EXPECT_EQ(t, tb->size, 3);
	KT_EXPECT(t, !tb->bitmap[0] && !tb->bitmap[1] && !tb->bitmap[2]);
	KT_EXPECT(t, canary_intact(tb));
	KT_EXPECT_EQ(t, accept_table_limit(tb), 6 * U + 3 * 8 * U);
	KT_EXPECT(t, accept_table_check(tb, accept_table_bytes(3)) == NULL);
}

/* One sizing: the ranges as given, the base and bitmap bytes seed 004 asks for. */
static void expect_sizing(struct ktap_test *t, int line, const struct rng *r, u32 n, u64 base,
			  u64 bytes)
{
	struct accept_sizing s;
	u64 b, y;

	accept_sizing_init(&s);
	for (u32 i = 0; i < n; i++)
		accept_sizing_add(&s, r[i].start, r[i].end);
	accept_sizing_result(&s, &b, &y);
	ktap_check(t, b == base && y == bytes, __FILE__, line,
		   "sizing: expected base 0x%llx, %llu bytes; got 0x%llx, %llu",
		   (unsigned long long)base, (unsigned long long)bytes, (unsigned long long)b,
		   (unsigned long long)y);
}

/* Invariant 6: base = lowest start down to the unit, bytes = ceil(span / 16 MiB), exactly. */
static void sizing_is_exact(struct ktap_test *t)
{
	const u64 per_byte = 8 * U;

	expect_sizing(t, __LINE__, NULL, 0, 0, 0);
	/* Empty and wrapping ranges count for nothing. */
	expect_sizing(t, __LINE__, (const struct rng[]){ { 4 * M, 4 * M }, { 6 * M, 3 * M } }, 2, 0,
		      0);
	/* A span of exactly one byte's worth, one page more, one page less. */
	expect_sizing(t, __LINE__, (const struct rng[]){ { 2 * M, 2 * M + per_byte } }, 1, 2 * M,
		      1);
	expect_sizing(t, __LINE__, (const struct rng[]){ { 2 * M, 2 * M + per_byte + PG } }, 1,
		      2 * M, 2);
	expect_sizing(t, __LINE__, (const struct rng[]){ { 2 * M, 2 * M + per_byte - PG } }, 1,
		      2 * M, 1);
	expect_sizing(t, __LINE__, (const struct rng[]){ { 2 * M, 2 * M + per_byte + 1 } }, 1,
		      2 * M, 2);
	/* An unaligned start: the base goes down to the unit and the span counts from it. */
	expect_sizing(t, __LINE__, (const struct rng[]){ { 3 * M, 3 * M + per_byte } }, 1, 2 * M,
		      2);
	expect_sizing(t, __LINE__, (const struct rng[]){ { 2 * M + PG, 2 * M + per_byte } }, 1,
		      2 * M, 1);
	/* Unsorted ranges: lowest start and highest end, whichever range they are in. */
	expect_sizing(t, __LINE__,
		      (const struct rng[]){
			      { 40 * M, 50 * M }, { 3 * M + 5, 4 * M }, { 20 * M, 21 * M } },
		      3, 2 * M, 3);
	expect_sizing(
		t, __LINE__,
		(const struct rng[]){ { 40 * M, 2 * M + 3 * per_byte + 1 }, { 3 * M, 4 * M } }, 2,
		2 * M, 4);
	/* 4 KiB of bitmap covers 64 GiB. */
	expect_sizing(t, __LINE__, (const struct rng[]){ { 0, 64 * G } }, 1, 0, 4096);
	expect_sizing(t, __LINE__, (const struct rng[]){ { 0, 64 * G + PG } }, 1, 0, 4097);
	expect_sizing(t, __LINE__, (const struct rng[]){ { 1ULL << 63, (1ULL << 63) + G } }, 1,
		      1ULL << 63, 64);
}

/* A range shorter than two units is accepted whole and never marked, whatever it holds. */
static void short_ranges_accepted_whole(struct ktap_test *t)
{
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	/* Two units less a page, holding unit 2 whole: still accepted whole. */
	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 4 * M, 8 * M - PG } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 4 * M, 8 * M - PG });
	KT_EXPECT_EQ(t, st.calls, 1);
	KT_EXPECT_EQ(t, st.bytes, 4 * M - PG);

	/* Bytes, not pages: the pages holding them. */
	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 4 * M + 1, 4 * M + 100 } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 4 * M, 4 * M + PG });

	/* Exactly two aligned units: both marked, nothing accepted. */
	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 4 * M, 8 * M } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0xc);
	KT_EXPECT_EQ(t, c.n, 0);

	/* Two units long but unaligned: only unit 3 is whole; head and tail accepted. */
	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 4 * M + PG, 8 * M + PG } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x8);
	expect_calls(t, __LINE__, &c, 2, (const u64[]){ 4 * M + PG, 6 * M, 8 * M, 8 * M + PG });

	/* A one-page range and an empty one (whose start is not page aligned). */
	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 10 * M, 10 * M + PG }, { 12 * M + 8, 12 * M + 8 } }, 2,
	      &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 10 * M, 10 * M + PG });
	KT_EXPECT(t, canary_intact(tb));
}

/* An unaligned head and tail are accepted up front; the aligned rest is marked. */
static void unaligned_head_and_tail(struct ktap_test *t)
{
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 4 * M + PG, 12 * M + 2 * PG } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x38); /* units 3, 4, 5: 6 MiB to 12 MiB */
	expect_calls(t, __LINE__, &c, 2,
		     (const u64[]){ 4 * M + PG, 6 * M, 12 * M, 12 * M + 2 * PG });
	KT_EXPECT_EQ(t, st.calls, 2);
	KT_EXPECT_EQ(t, st.bytes, 2 * M - PG + 2 * PG);
	KT_EXPECT_EQ(t, st.failures, 0);

	/* Byte-unaligned ends widen to the same pages. */
	tb = fresh(0, 2);
	build(tb, (const struct rng[]){ { 4 * M + PG + 7, 12 * M + 2 * PG - 3 } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x38);
	expect_calls(t, __LINE__, &c, 2,
		     (const u64[]){ 4 * M + PG, 6 * M, 12 * M, 12 * M + 2 * PG });

	/* Sized from the range itself: base 4 MiB, so the same units are bits 1..3. */
	size_from(tb, (const struct rng[]){ { 4 * M + PG, 12 * M + 2 * PG } }, 1);
	KT_EXPECT_EQ(t, tb->phys_base, 4 * M);
	build(tb, (const struct rng[]){ { 4 * M + PG, 12 * M + 2 * PG } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0xe);
	KT_EXPECT_EQ(t, c.n, 2);
	KT_EXPECT(t, canary_intact(tb));
}

/* Whatever lies below the table's base is accepted, in one call up to the first marked unit. */
static void range_below_base(struct ktap_test *t)
{
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	tb = fresh(8 * M, 1);
	build(tb, (const struct rng[]){ { 2 * M, 12 * M } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x3); /* 8 MiB and 10 MiB */
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 2 * M, 8 * M });

	/* Wholly below: three units long, yet nothing to mark. */
	tb = fresh(8 * M, 1);
	build(tb, (const struct rng[]){ { 0, 6 * M } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 0, 6 * M });
	KT_EXPECT(t, canary_intact(tb));
}

/* A table sized smaller than the ranges: what lies past its bitmap is accepted, not marked. */
static void range_beyond_bitmap(struct ktap_test *t)
{
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	tb = fresh(256 * M, 1); /* describes [256 MiB, 272 MiB) */
	build(tb, (const struct rng[]){ { 256 * M, 276 * M } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0xff);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 272 * M, 276 * M });
	KT_EXPECT(t, canary_intact(tb)); /* no bit set past the bitmap */

	/* Wholly beyond; and straddling the end with no whole unit inside: one call each. */
	tb = fresh(256 * M, 1);
	build(tb, (const struct rng[]){ { 300 * M, 310 * M }, { 270 * M + PG, 280 * M } }, 2, &c,
	      &st);
	KT_EXPECT_EQ(t, bits(tb), 0);
	expect_calls(t, __LINE__, &c, 2, (const u64[]){ 300 * M, 310 * M, 270 * M + PG, 280 * M });
	KT_EXPECT(t, canary_intact(tb));

	/* A bitmap of no bytes at all: everything is accepted. */
	tb = fresh(256 * M, 0);
	build(tb, (const struct rng[]){ { 256 * M, 264 * M } }, 1, &c, &st);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ 256 * M, 264 * M });
	KT_EXPECT_EQ(t, accept_pending_units(tb), 0);
	KT_EXPECT(t, canary_intact(tb));
}

/*
 * Overlapping and unsorted ranges: marking first, edges second, so a short
 * range inside a marked one accepts nothing, whichever comes first.
 */
static void overlapping_and_unsorted(struct ktap_test *t)
{
	static const struct rng r[] = {
		{ 20 * M, 30 * M },	     /* units 10..14 */
		{ 10 * M + PG, 22 * M },     /* units 6..10, head accepted */
		{ 40 * M, 41 * M },	     /* short */
		{ 21 * M, 21 * M + 2 * PG }, /* short, inside marked unit 10 */
		{ 9 * M, 10 * M + PG },	     /* short, touching the second's head */
	};
	static const struct rng rev[] = { r[4], r[3], r[2], r[1], r[0] };
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	size_from(tb, r, ARRAY_SIZE(r));
	KT_EXPECT_EQ(t, tb->phys_base, 8 * M);
	KT_EXPECT_EQ(t, tb->size, 3);
	build(tb, r, ARRAY_SIZE(r), &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x7fc); /* 12 MiB .. 30 MiB: bits 2..10 over base 8 MiB */
	expect_calls(t, __LINE__, &c, 3,
		     (const u64[]){ 10 * M + PG, 12 * M, 40 * M, 41 * M, 9 * M, 10 * M + PG });

	size_from(tb, rev, ARRAY_SIZE(rev));
	build(tb, rev, ARRAY_SIZE(rev), &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x7fc);
	expect_calls(t, __LINE__, &c, 3,
		     (const u64[]){ 9 * M, 10 * M + PG, 40 * M, 41 * M, 10 * M + PG, 12 * M });

	/* A short range first, then the long one that holds it: no page accepted at all. */
	tb = fresh(0, 1);
	build(tb, (const struct rng[]){ { 5 * M, 7 * M }, { 4 * M, 8 * M } }, 2, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0xc);
	KT_EXPECT_EQ(t, c.n, 0);
	KT_EXPECT(t, canary_intact(tb));
}

/*
 * No bit outside the ranges: two ranges with a one-page hole leave the
 * unit holding the hole clear; touching ranges are marked per range (the
 * map glue merges touching neighbours first).
 */
static void no_bit_outside_ranges(struct ktap_test *t)
{
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	tb = fresh(4 * M, 1);
	build(tb, (const struct rng[]){ { 4 * M, 9 * M }, { 9 * M + PG, 14 * M } }, 2, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x1b); /* 4, 6, 10, 12 MiB; not 8 MiB */
	expect_calls(t, __LINE__, &c, 2, (const u64[]){ 8 * M, 9 * M, 9 * M + PG, 10 * M });

	tb = fresh(4 * M, 1);
	build(tb, (const struct rng[]){ { 4 * M, 9 * M }, { 9 * M, 14 * M } }, 2, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0x1b);
	expect_calls(t, __LINE__, &c, 2, (const u64[]){ 8 * M, 9 * M, 9 * M, 10 * M });
}

/* A failing backend during the edges: every edge is still tried, the first status returned. */
static void edge_failures_are_counted(struct ktap_test *t)
{
	static const struct rng r[] = { { 4 * M + PG, 12 * M + PG } };
	struct accept_table *tb = table();
	struct accept_stats st = { 0 };
	struct calls c = { .fail_mask = 1 };
	struct accept_ops ops = rec_ops(&c);

	tb = fresh(0, 2);
	accept_mark(tb, r[0].start, r[0].end);
	KT_EXPECT_EQ(t, accept_edges(tb, r[0].start, r[0].end, &ops, &st), -5);
	KT_EXPECT_EQ(t, c.n, 2);
	KT_EXPECT_EQ(t, st.calls, 2);
	KT_EXPECT_EQ(t, st.failures, 1);
	KT_EXPECT_EQ(t, st.failed_bytes, 2 * M - PG);
	KT_EXPECT_EQ(t, st.bytes, PG);
}

/* Near 2^64: no wrap, no hang; the last page cannot be named by [start, end). */
static void edges_near_the_top(struct ktap_test *t)
{
	const u64 top = ~0ULL;
	struct accept_table *tb = table();
	struct accept_stats st;
	struct calls c;

	tb = fresh(top - 32 * M + 1, 1); /* [2^64 - 32 MiB, 2^64 - 16 MiB) */
	KT_ASSERT(t, accept_table_check(tb, 0) == NULL);
	build(tb, (const struct rng[]){ { top - 20 * M + 1, top } }, 1, &c, &st);
	KT_EXPECT_EQ(t, bits(tb), 0xc0); /* 2^64 - 20 MiB and - 18 MiB */
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ top - 16 * M + 1, top - PG + 1 });

	/* A guard unit past an aligned end at the top is clamped, not wrapped. */
	memset(tb->bitmap, 0xff, 1);
	c = (struct calls){ 0 };
	{
		struct accept_ops ops = rec_ops(&c);

		KT_EXPECT(t, accept_has_unaccepted(tb, top - 18 * M + 1, top - 2 * M + 1));
		KT_EXPECT_EQ(t, accept_range(tb, top - 18 * M + 1, top - 2 * M + 1, &ops, &st), 0);
		expect_calls(t, __LINE__, &c, 1,
			     (const u64[]){ top - 18 * M + 1, top - 16 * M + 1 });
		KT_EXPECT_EQ(t, bits(tb), 0x7f);
		KT_EXPECT_EQ(t, accept_range(tb, top - 4 * M, top, &ops, &st), 0);
		KT_EXPECT_EQ(t, c.n, 1);
	}
	KT_EXPECT(t, canary_intact(tb));
}

/* A table of 16 units at 1 GiB, every bit set. */
static struct accept_table *full_table(void)
{
	struct accept_table *tb = table();

	tb = fresh(G, 2);
	memset(tb->bitmap, 0xff, 2);
	return tb;
}

/*
 * Invariant 7: accept_range clears exactly the units of the widened range,
 * plus one guard unit past an end that is unit aligned and none otherwise,
 * clamped to the bitmap; again, it calls nothing.
 */
static void accept_range_guard_unit(struct ktap_test *t)
{
	struct accept_table *tb = full_table();
	struct accept_stats st = { 0 };
	struct calls c = { 0 };
	struct accept_ops ops = rec_ops(&c);

	/* One page: its unit, no guard (the end is not aligned). */
	KT_EXPECT_EQ(t, accept_range(tb, G + PG, G + 2 * PG, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ G, G + U });
	KT_EXPECT_EQ(t, bits(tb), 0xfffe);

	/* Unit 1 exactly: the end is aligned, so unit 2 is the guard. */
	c.n = 0;
	KT_EXPECT_EQ(t, accept_range(tb, G + U, G + 2 * U, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ G + U, G + 3 * U });
	KT_EXPECT_EQ(t, bits(tb), 0xfff8);
	c.n = 0;
	KT_EXPECT_EQ(t, accept_range(tb, G + U, G + 2 * U, &ops, &st), 0);
	KT_EXPECT_EQ(t, c.n, 0);

	/* Inside unit 4, byte-unaligned: unit 4 alone. */
	KT_EXPECT_EQ(t, accept_range(tb, G + 4 * U + 1, G + 5 * U - 1, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ G + 4 * U, G + 5 * U });
	KT_EXPECT_EQ(t, bits(tb), 0xffe8);

	/* The last unit with an aligned end: the guard falls off the bitmap. */
	c.n = 0;
	KT_EXPECT_EQ(t, accept_range(tb, G + 15 * U, G + 16 * U, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ G + 15 * U, G + 16 * U });
	KT_EXPECT_EQ(t, bits(tb), 0x7fe8);

	/* Below the base: clamped to unit 0, already accepted. */
	c.n = 0;
	KT_EXPECT_EQ(t, accept_range(tb, G - 4 * M, G + PG, &ops, &st), 0);
	KT_EXPECT_EQ(t, c.n, 0);
	tb->bitmap[0] |= 1;
	KT_EXPECT_EQ(t, accept_range(tb, G - 4 * M, G + PG, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ G, G + U });

	/* Beyond the bitmap, empty and reversed ranges: nothing. */
	c.n = 0;
	KT_EXPECT(t, !accept_has_unaccepted(tb, G + 16 * U, G + 20 * U));
	KT_EXPECT_EQ(t, accept_range(tb, G + 16 * U, G + 20 * U, &ops, &st), 0);
	KT_EXPECT(t, !accept_has_unaccepted(tb, G + 6 * U, G + 6 * U));
	KT_EXPECT_EQ(t, accept_range(tb, G + 6 * U, G + 6 * U, &ops, &st), 0);
	KT_EXPECT_EQ(t, accept_range(tb, G + 7 * U, G + 6 * U, &ops, &st), 0);
	KT_EXPECT_EQ(t, c.n, 0);
	KT_EXPECT_EQ(t, bits(tb), 0x7fe8);

	/* Two runs of set bits in the widened range: one call each, in order. */
	tb = full_table();
	tb->bitmap[0] &= (u8) ~(1u << 2);
	c.n = 0;
	KT_EXPECT_EQ(t, accept_range(tb, G, G + 4 * U - PG, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 2, (const u64[]){ G, G + 2 * U, G + 3 * U, G + 4 * U });
	KT_EXPECT_EQ(t, bits(tb), 0xfff0);
	KT_EXPECT(t, canary_intact(tb));
}

/* has_unaccepted widens exactly like accept_range, guard unit included. */
static void has_unaccepted_widens_alike(struct ktap_test *t)
{
	struct accept_table *tb = table();

	tb = fresh(G, 2);
	tb->bitmap[0] = 1u << 3; /* only unit 3: [G + 6 MiB, G + 8 MiB) */
	KT_EXPECT(t, accept_has_unaccepted(tb, G + 2 * U, G + 3 * U)); /* guard */
	KT_EXPECT(t, !accept_has_unaccepted(tb, G + 2 * U, G + 3 * U - PG));
	KT_EXPECT(t, accept_has_unaccepted(tb, G + 3 * U - 1, G + 3 * U));
	KT_EXPECT(t, accept_has_unaccepted(tb, G + 3 * U, G + 3 * U + 1));
	KT_EXPECT(t, !accept_has_unaccepted(tb, G + 4 * U, G + 5 * U - 1));
	KT_EXPECT(t, !accept_has_unaccepted(tb, 0, G)); /* guard at the base: below the bitmap */
	KT_EXPECT(t, accept_unit_pending(tb, G + 3 * U));
	KT_EXPECT(t, accept_unit_pending(tb, G + 4 * U - 1));
	KT_EXPECT(t, !accept_unit_pending(tb, G + 4 * U));
	KT_EXPECT(t, !accept_unit_pending(tb, G - 1));
	KT_EXPECT(t, !accept_unit_pending(tb, G + 16 * U));
	KT_EXPECT_EQ(t, accept_pending_units(tb), 1);
}

/* A failing backend leaves that run's bits set, counts it, and later runs still go. */
static void failed_accept_keeps_bits(struct ktap_test *t)
{
	struct accept_table *tb = full_table();
	struct accept_stats st = { 0 };
	struct calls c = { .fail_mask = ~0u };
	struct accept_ops ops = rec_ops(&c);

	KT_EXPECT_EQ(t, accept_range(tb, G, G + 2 * U - PG, &ops, &st), -5);
	KT_EXPECT_EQ(t, bits(tb), 0xffff);
	KT_EXPECT_EQ(t, st.calls, 1);
	KT_EXPECT_EQ(t, st.failures, 1);
	KT_EXPECT_EQ(t, st.failed_bytes, 2 * U);
	KT_EXPECT_EQ(t, st.bytes, 0);
	KT_EXPECT(t, accept_has_unaccepted(tb, G, G + PG));

	/* Runs 0-1 and 3: the second fails, the first is cleared. */
	tb->bitmap[0] &= (u8) ~(1u << 2);
	c = (struct calls){ .fail_mask = 2 };
	st = (struct accept_stats){ 0 };
	KT_EXPECT_EQ(t, accept_range(tb, G, G + 4 * U - PG, &ops, &st), -5);
	KT_EXPECT_EQ(t, bits(tb), 0xfff8);
	KT_EXPECT_EQ(t, st.calls, 2);
	KT_EXPECT_EQ(t, st.failures, 1);
	KT_EXPECT_EQ(t, st.bytes, 2 * U);
	/* A retry asks for what failed, and only that. */
	c = (struct calls){ 0 };
	KT_EXPECT_EQ(t, accept_range(tb, G, G + 4 * U - PG, &ops, &st), 0);
	expect_calls(t, __LINE__, &c, 1, (const u64[]){ G + 3 * U, G + 4 * U });
	KT_EXPECT_EQ(t, bits(tb), 0xfff0);
}

/* accept_table_check refuses what a reader must not trust, and says why. */
static void table_check_refuses_bad_tables(struct ktap_test *t)
{
	struct accept_table *tb = table();
	const u64 top = ~0ULL;

	tb = fresh(G, 2);
	expect_check(t, __LINE__, tb, 0, NULL);
	expect_check(t, __LINE__, tb, accept_table_bytes(2), NULL);
	expect_check(t, __LINE__, tb, accept_table_bytes(1),
		     "bitmap is larger than the table's memory");
	expect_check(t, __LINE__, tb, 10, "bitmap is larger than the table's memory");

	tb->version = 2;
	expect_check(t, __LINE__, tb, 0, "version is not 1");
	tb->version = 0;
	expect_check(t, __LINE__, tb, 0, "version is not 1");
	tb->version = 1;

	for (u32 i = 0; i < 4; i++) {
		static const u32 bad_units[] = { 0, 2048, 3 * M, 4096 + 8192 };

		tb->unit_size = bad_units[i];
		expect_check(t, __LINE__, tb, 0,
			     "unit size is not a power of two of at least 4 KiB");
	}
	tb->unit_size = 4096;
	expect_check(t, __LINE__, tb, 0, NULL);
	tb->phys_base = 2 * G;
	tb->unit_size = 1u << 31; /* the largest a u32 holds */
	expect_check(t, __LINE__, tb, 0, NULL);
	tb->unit_size = 2 * M;

	tb->phys_base = G + M;
	expect_check(t, __LINE__, tb, 0, "base is not aligned to the unit");

	/* Spans that reach or wrap past 2^64. */
	tb->phys_base = G;
	tb->size = 1ULL << 60;
	expect_check(t, __LINE__, tb, 0, "bitmap describes addresses past 2^64");
	tb->size = (top / 8) / U + 1; /* size * 8 * unit itself overflows */
	expect_check(t, __LINE__, tb, 0, "bitmap describes addresses past 2^64");
	tb->size = 1;
	tb->phys_base = top - 16 * M + 1; /* ends exactly at 2^64: the limit is unrepresentable */
	expect_check(t, __LINE__, tb, 0, "bitmap describes addresses past 2^64");
	KT_EXPECT_EQ(t, accept_table_limit(tb), top - U + 1); /* saturates, does not wrap */
	tb->phys_base = top - 32 * M + 1;
	expect_check(t, __LINE__, tb, 0, NULL);
	KT_EXPECT_EQ(t, accept_table_limit(tb), top - 16 * M + 1);
}

/* accept_find_pending: the lowest run of at least N set bits, across byte boundaries. */
static void find_pending_lowest_run(struct ktap_test *t)
{
	struct accept_table *tb = table();
	u64 at = 0;

	tb = fresh(4 * G, 4);
	/* Bits 3; 5-6; 9-12; 20-27 (crossing bytes 2 and 3). */
	tb->bitmap[0] = 0x68;
	tb->bitmap[1] = 0x1e;
	tb->bitmap[2] = 0xf0;
	tb->bitmap[3] = 0x0f;
	KT_EXPECT_EQ(t, accept_pending_units(tb), 15);
	KT_EXPECT(t, accept_find_pending(tb, 1, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 3 * U);
	KT_EXPECT(t, accept_find_pending(tb, 2, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 5 * U);
	KT_EXPECT(t, accept_find_pending(tb, 3, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 9 * U);
	KT_EXPECT(t, accept_find_pending(tb, 4, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 9 * U);
	KT_EXPECT(t, accept_find_pending(tb, 5, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 20 * U);
	KT_EXPECT(t, accept_find_pending(tb, 8, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 20 * U);
	at = 7;
	KT_EXPECT(t, !accept_find_pending(tb, 9, &at));
	KT_EXPECT(t, !accept_find_pending(tb, 0, &at));
	KT_EXPECT_EQ(t, at, 7);

	/* Zero bytes are skipped whole; a run that starts in the last bit of one. */
	memset(tb->bitmap, 0, 4);
	tb->bitmap[0] = 0x80;
	tb->bitmap[1] = 0xff;
	tb->bitmap[3] = 0x80;
	KT_EXPECT(t, accept_find_pending(tb, 9, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 7 * U);
	KT_EXPECT(t, !accept_find_pending(tb, 10, &at));
	tb->bitmap[0] = tb->bitmap[1] = 0;
	KT_EXPECT(t, accept_find_pending(tb, 1, &at));
	KT_EXPECT_EQ(t, at, 4 * G + 31 * U); /* the very last bit */
	tb->bitmap[3] = 0;
	KT_EXPECT(t, !accept_find_pending(tb, 1, &at));
	KT_EXPECT_EQ(t, accept_pending_units(tb), 0);
}

/* --- kernel/accept_map.c ------------------------------------------------ */

#define MAP_CAP	    20u
#define MAX_RANGES  8u
#define NO_RANGE    (~0ULL)
#define ATTR_RT	    (MAPBUILD_RAM | MM_ATTR_RUNTIME)
#define ATTR_SP	    (MAPBUILD_RAM | MM_ATTR_SP)
#define PAGES(size) ((size) / PG)

static u64 map_storage[MAP_CAP * 64 / 8];

struct got {
	u32 n;
	u32 stop_after; /* return false after this many; 0 never */
	struct rng r[MAX_RANGES];
};

static bool collect(void *ctx, u64 start, u64 end)
{
	struct got *g = ctx;

	if (g->n < MAX_RANGES)
		g->r[g->n] = (struct rng){ start, end };
	g->n++;
	return !g->stop_after || g->n < g->stop_after;
}

/* The ranges accept_map_for_each passes are exactly these pairs (end list with NO_RANGE). */
static void expect_ranges(struct ktap_test *t, int line, const struct memmap *map,
			  const struct accept_source *src, const u64 *pairs)
{
	struct got g = { 0 };
	u32 n = 0, ret = accept_map_for_each(map, src, collect, &g);

	while (pairs[2 * n] != NO_RANGE)
		n++;
	ktap_check(t, g.n == n && ret == n, __FILE__, line,
		   "desc_size %u: expected %u ranges, got %u (returned %u)", map->desc_size, n, g.n,
		   ret);
	for (u32 i = 0; i < n && i < g.n && i < MAX_RANGES; i++)
		ktap_check(
			t, g.r[i].start == pairs[2 * i] && g.r[i].end == pairs[2 * i + 1], __FILE__,
			line,
			"desc_size %u, range %u: expected [0x%llx, 0x%llx), got [0x%llx, 0x%llx)",
			map->desc_size, i, (unsigned long long)pairs[2 * i],
			(unsigned long long)pairs[2 * i + 1], (unsigned long long)g.r[i].start,
			(unsigned long long)g.r[i].end);
}

/* An OVMF-like map with everything the simulation must leave out, and two type-15 pieces. */
static void fill_map(struct memmap *map, u32 desc_size)
{
	memmap_init(map, map_storage, desc_size, 1, 0, MAP_CAP);
	mapbuild_put(map, 0, MM_BOOT_CODE, 0, 1, MAPBUILD_RAM);
	mapbuild_put(map, 1, MM_CONVENTIONAL, 0x1000, 0x9f, MAPBUILD_RAM); /* below 1 MiB */
	mapbuild_put(map, 2, MM_CONVENTIONAL, 0xc0000, PAGES(2 * M - 0xc0000), MAPBUILD_RAM);
	mapbuild_put(map, 3, MM_LOADER_CODE, 2 * M, PAGES(M), MAPBUILD_RAM);
	mapbuild_put(map, 4, MM_CONVENTIONAL, 3 * M, PAGES(M), MAPBUILD_RAM);
	mapbuild_put(map, 5, MM_CONVENTIONAL, 4 * M, PAGES(M), MAPBUILD_RAM); /* touches 4 */
	mapbuild_put(map, 6, MM_CONVENTIONAL, 5 * M, PAGES(M), ATTR_SP);
	mapbuild_put(map, 7, MM_CONVENTIONAL, 6 * M, PAGES(M), ATTR_RT);
	mapbuild_put(map, 8, MM_CONVENTIONAL, 7 * M, PAGES(2 * G - 7 * M), MAPBUILD_RAM);
	mapbuild_put(map, 9, MM_UNACCEPTED, 4 * G, PAGES(G), MAPBUILD_RAM);
	mapbuild_put(map, 10, MM_UNACCEPTED, 5 * G, PAGES(G), MAPBUILD_RAM); /* touches 9 */
	mapbuild_put(map, 11, MM_CONVENTIONAL, 6 * G, PAGES(2 * G), MAPBUILD_RAM);
	mapbuild_put(map, 12, MM_CONVENTIONAL, 8 * G + 0x800, 16, MAPBUILD_RAM); /* unaligned */
	mapbuild_put(map, 13, MM_CONVENTIONAL, 9 * G, 0, MAPBUILD_RAM);		 /* no pages */
	mapbuild_put(map, 14, MM_UNACCEPTED, 10 * G + 0x800, 1, MAPBUILD_RAM);
	mapbuild_put(map, 15, MM_BOOT_DATA, 11 * G, 16, MAPBUILD_RAM);
	mapbuild_put(map, 16, MM_UNACCEPTED, 12 * G, 0, MAPBUILD_RAM); /* no pages */
}

static void source(struct ktap_test *t, struct accept_source *src, const char *cmdline)
{
	struct options o;

	KT_EXPECT_EQ(t, options_parse(&o, cmdline, NULL, NULL), 0);
	accept_source_init(src, &o);
}

/* Without simulation: the type-15 entries, touching ones merged, widened to pages. */
static void map_type15_entries(struct ktap_test *t)
{
	static const u32 sizes[] = { 40, 48, 64 };
	struct accept_source src;
	struct memmap map;

	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++) {
		fill_map(&map, sizes[i]);
		source(t, &src, "");
		KT_EXPECT(t, !src.sim);
		expect_ranges(t, __LINE__, &map, &src,
			      (const u64[]){ 4 * G, 6 * G, 10 * G, 10 * G + 0x1800, NO_RANGE });
		source(t, &src, "efimap.unaccepted=none");
		expect_ranges(t, __LINE__, &map, &src,
			      (const u64[]){ 4 * G, 6 * G, 10 * G, 10 * G + 0x1800, NO_RANGE });
	}
}

/* Simulation: plain conventional memory inside the window; not SP, runtime, < 1 MiB, type 15. */
static void map_simulation_windows(struct ktap_test *t)
{
	static const u32 sizes[] = { 40, 48, 64 };
	struct accept_source src;
	struct memmap map;

	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++) {
		fill_map(&map, sizes[i]);
		source(t, &src, "efimap.unaccepted=sim:above=4G");
		KT_EXPECT(t, src.sim);
		expect_ranges(t, __LINE__, &map, &src, (const u64[]){ 6 * G, 8 * G, NO_RANGE });

		source(t, &src, "efimap.unaccepted=sim:above=0");
		expect_ranges(t, __LINE__, &map, &src,
			      (const u64[]){ M, 2 * M, 3 * M, 5 * M, 7 * M, 2 * G, 6 * G, 8 * G,
					     NO_RANGE });

		/* A window clipping both ends of entries. */
		source(t, &src, "efimap.unaccepted=sim:6G@1G");
		expect_ranges(t, __LINE__, &map, &src,
			      (const u64[]){ G, 2 * G, 6 * G, 7 * G, NO_RANGE });

		/* Over the type-15 entries only: the simulation does not count them. */
		source(t, &src, "efimap.unaccepted=sim:1G@0x100000000");
		expect_ranges(t, __LINE__, &map, &src, (const u64[]){ NO_RANGE });

		/* Unaligned window edges inside one entry. */
		source(t, &src, "efimap.unaccepted=sim:0x3000@0x40001000");
		expect_ranges(t, __LINE__, &map, &src,
			      (const u64[]){ G + 0x1000, G + 0x4000, NO_RANGE });
	}
}

/* Touching neighbours merge only in map order; fn can stop the walk. */
static void map_merge_and_stop(struct ktap_test *t)
{
	struct accept_source src;
	struct memmap map;
	struct got g = { .stop_after = 1 };

	source(t, &src, "efimap.unaccepted=sim:above=0");
	memmap_init(&map, map_storage, 48, 1, 0, MAP_CAP);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 10 * M, PAGES(2 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 1, MM_CONVENTIONAL, 8 * M, PAGES(2 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 2, MM_CONVENTIONAL, 12 * M, PAGES(2 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 3, MM_CONVENTIONAL, 14 * M, PAGES(2 * M), MAPBUILD_RAM);
	/* 10-12 and 8-10 touch but in reverse order; 8-10 is not followed by 10-12. */
	expect_ranges(t, __LINE__, &map, &src,
		      (const u64[]){ 10 * M, 12 * M, 8 * M, 10 * M, 12 * M, 16 * M, NO_RANGE });
	KT_EXPECT_EQ(t, accept_map_for_each(&map, &src, collect, &g), 1);
	KT_EXPECT_EQ(t, g.n, 1);

	/* An entry that does not count, between two touching ones, does not keep them apart. */
	mapbuild_put(&map, 1, MM_BOOT_DATA, 20 * M, 1, MAPBUILD_RAM);
	mapbuild_put(&map, 2, MM_CONVENTIONAL, 12 * M, PAGES(2 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 3, MM_CONVENTIONAL, 16 * M, PAGES(2 * M), MAPBUILD_RAM);
	expect_ranges(t, __LINE__, &map, &src,
		      (const u64[]){ 10 * M, 14 * M, 16 * M, 18 * M, NO_RANGE });

	/* Consecutive type-15 entries that overlap or contain each other: one range. */
	source(t, &src, "");
	memmap_init(&map, map_storage, 64, 1, 0, MAP_CAP);
	mapbuild_put(&map, 0, MM_UNACCEPTED, 20 * M, PAGES(10 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 1, MM_UNACCEPTED, 25 * M, PAGES(3 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 2, MM_UNACCEPTED, 28 * M, PAGES(12 * M), MAPBUILD_RAM);
	mapbuild_put(&map, 3, MM_UNACCEPTED, 50 * M, PAGES(M), MAPBUILD_RAM);
	expect_ranges(t, __LINE__, &map, &src,
		      (const u64[]){ 20 * M, 40 * M, 50 * M, 51 * M, NO_RANGE });

	/* An empty map, and one with nothing unaccepted. */
	source(t, &src, "efimap.unaccepted=sim:above=0");
	map.nr_map = 0;
	expect_ranges(t, __LINE__, &map, &src, (const u64[]){ NO_RANGE });
	source(t, &src, "");
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 10 * M, PAGES(2 * M), MAPBUILD_RAM);
	expect_ranges(t, __LINE__, &map, &src, (const u64[]){ NO_RANGE });
}

/* The top of the address space: windows that end at 2^64, entries that run past it. */
static void map_top_of_address_space(struct ktap_test *t)
{
	const u64 top = ~0ULL, at = top - G + 1; /* 2^64 - 1 GiB */
	struct accept_source src;
	struct memmap map;

	/*
	 * A window ending exactly at 2^64 is legal and reaches the top; but the
	 * simulation takes only memory the kernel maps (below 2^48), so
	 * conventional memory up there is not simulated, while the same window
	 * low down is.
	 */
	source(t, &src, "efimap.unaccepted=sim:1G@0xffffffffc0000000");
	KT_EXPECT_EQ(t, src.sim_start, at);
	KT_EXPECT(t, src.sim_end > src.sim_start);
	memmap_init(&map, map_storage, 48, 1, 0, MAP_CAP);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, at, PAGES(G) - 1, MAPBUILD_RAM);
	expect_ranges(t, __LINE__, &map, &src, (const u64[]){ NO_RANGE });
	source(t, &src, "efimap.unaccepted=sim:1G@0x40000000");
	mapbuild_put(&map, 0, MM_CONVENTIONAL, G, PAGES(G) - 1, MAPBUILD_RAM);
	expect_ranges(t, __LINE__, &map, &src, (const u64[]){ G, 2 * G - PG, NO_RANGE });

	/* A type-15 entry whose size runs past 2^64 ends at the top, saturated. */
	source(t, &src, "");
	mapbuild_put(&map, 0, MM_UNACCEPTED, at, ~0ULL >> 12, MAPBUILD_RAM);
	expect_ranges(t, __LINE__, &map, &src, (const u64[]){ at, top, NO_RANGE });
}

/* --- the exhaustive check against the model ------------------------------ */

#define EX_PAGES  32768u /* a 128 MiB window */
#define EX_WINDOW ((u64)EX_PAGES * PG)
#define EX_BITS	  (TABLE_MAX * 8)
/* Fewer trials in the guest, where the same code runs under TCG. */
#if __STDC_HOSTED__
#define EX_TRIALS 3000u
#else
#define EX_TRIALS 100u
#endif
#define EX_OPS 24u

static u8 ex_page[EX_PAGES];
static u8 ex_bit[EX_BITS];
static struct accept_model ex_model;

/* An address of a random alignment: unit, unit +- a page, page, or byte. */
static u64 ex_align(u64 *st, u64 a)
{
	switch (rand_below(st, 5)) {
	case 0:
		return ALIGN_DOWN(a, U);
	case 1:
		return ALIGN_DOWN(a, U) + PG;
	case 2:
		return ALIGN_DOWN(a, U) >= PG ? ALIGN_DOWN(a, U) - PG : 0;
	case 3:
		return ALIGN_DOWN(a, PG);
	default:
		return a;
	}
}

/* A length around the sizes that matter: short, about two units, long, unit multiples. */
static u64 ex_length(u64 *st)
{
	switch (rand_below(st, 6)) {
	case 0:
		return rand_below(st, 2 * U);
	case 1:
		return 2 * U - PG + rand_below(st, 3) * PG;
	case 2:
		return rand_below(st, 16 * U);
	case 3:
		return (1 + rand_below(st, 12)) * U;
	case 4:
		return rand_below(st, EX_WINDOW);
	default:
		return rand_below(st, 8) * PG;
	}
}

/* A random range inside the window [origin, origin + EX_WINDOW); sometimes empty or reversed. */
static struct rng ex_range(u64 *st, u64 origin)
{
	u64 s = origin + ex_align(st, rand_below(st, EX_WINDOW));
	u64 e = s + ex_length(st);

	if (rand_below(st, 3) == 0)
		e = ALIGN_DOWN(e, rand_below(st, 2) ? U : PG);
	if (e > origin + EX_WINDOW)
		e = origin + EX_WINDOW;
	if (rand_below(st, 24) == 0)
		e = s > origin ? s - 1 : s; /* reversed or empty: nothing is unaccepted */
	return (struct rng){ s, e };
}

/* The table for the ranges: exactly sized most of the time, sometimes too small or moved. */
static void ex_table(u64 *st, u64 base, u64 bytes)
{
	switch (rand_below(st, 10)) {
	case 0:
		bytes = rand_below(st, bytes + 1); /* too small: the rest is accepted */
		break;
	case 1:
		base += (1 + rand_below(st, 6)) * U; /* ranges below the base */
		break;
	case 2:
		base += (1 + rand_below(st, 6)) * U;
		bytes = rand_below(st, bytes + 1);
		break;
	case 3:
		bytes += 1 + rand_below(st, 3); /* larger: the spare bits stay clear */
		break;
	default:
		break;
	}
	fresh(base, bytes);
}

/* One random operation of the run-time phase against the model. */
static const char *ex_op(u64 *st, struct accept_model *m, struct accept_table *tb, bool may_fail)
{
	u64 lo = m->origin >= 8 * M ? m->origin - 8 * M : 0;
	u64 s = lo + ex_align(st, rand_below(st, EX_WINDOW + 16 * M)), e = s + ex_length(st);

	if (rand_below(st, 16) == 0)
		e = s - rand_below(st, 2); /* empty or reversed */
	switch (rand_below(st, 8)) {
	case 0:
		return am_find_pending(m, tb, 1 + rand_below(st, 6));
	case 1:
		return am_pending(m, tb, s);
	case 2:
		return am_has(m, s, e) == accept_has_unaccepted(tb, s, e)
			       ? NULL
			       : am_fail(m, "accept_has_unaccepted disagrees with the model", s);
	default:
		return am_accept_range(m, tb, s, e, may_fail && rand_below(st, 3) == 0);
	}
}

/* One trial: ranges, sizing, both passes, random accepts, then everything. NULL when all held. */
static const char *ex_trial(u64 seed)
{
	static const u64 origins[] = { 0, 2 * M, 4 * G, 1ULL << 46 };
	struct accept_model *m = &ex_model;
	struct accept_table *tb = table();
	struct accept_ops ops = am_ops(m);
	struct accept_stats stats = { 0 };
	struct accept_sizing sz;
	u64 st = seed * 0x9e3779b97f4a7c15ULL | 1, origin, base, bytes, mb, my;
	struct rng r[8];
	u32 n;
	const char *err;

	origin = origins[rand_below(&st, ARRAY_SIZE(origins))] + rand_below(&st, 1024) * U;
	n = 1 + (u32)rand_below(&st, ARRAY_SIZE(r));
	am_init(m, origin, EX_PAGES, ex_page, ex_bit, EX_BITS);
	accept_sizing_init(&sz);
	for (u32 i = 0; i < n; i++) {
		r[i] = ex_range(&st, origin);
		if (!am_add_range(m, r[i].start, r[i].end))
			return "the test made a range outside its window";
		accept_sizing_add(&sz, r[i].start, r[i].end);
	}
	accept_sizing_result(&sz, &base, &bytes);
	am_sizing(m, U, &mb, &my);
	if (base != mb || bytes != my)
		return am_fail(m, "sizing differs from the model's", base);
	if (bytes > TABLE_MAX - 3)
		return "the test's ranges need a larger table";

	ex_table(&st, base, bytes);
	if (accept_table_check(tb, accept_table_bytes(TABLE_MAX)))
		return am_fail(m, "a table the test built is refused", tb->phys_base);
	if (!am_set_table(m, tb))
		return "the model's bitmap is too small";
	for (u32 i = 0; i < n; i++)
		accept_mark(tb, r[i].start, r[i].end);
	for (u32 i = 0; i < n; i++)
		if (accept_edges(tb, r[i].start, r[i].end, &ops, &stats))
			return am_fail(m, "accept_edges failed with a backend that cannot fail", 0);
	err = am_check_built(m, tb, &stats);
	for (u32 k = 0; !err && k < EX_OPS; k++)
		err = ex_op(&st, m, tb, seed % 4 == 0);
	if (!err)
		err = am_check_state(m, tb);
	if (!err)
		err = am_accept_all(m, tb);
	if (!err && !canary_intact(tb))
		err = "a byte past the bitmap was written";
	return err;
}

/*
 * Invariants 6 and 7 on many small random sets of ranges (overlapping,
 * unsorted, unaligned, empty) in a 128 MiB window at a few bases, with
 * tables sized exactly, too small, moved up or too large, against the
 * page-by-page model; a failure names the seed that reproduces it.
 */
static void exhaustive_against_model(struct ktap_test *t)
{
	for (u64 seed = 1; seed <= EX_TRIALS && !t->failures; seed++) {
		const char *err = ex_trial(seed);

		ktap_check(t, !err, __FILE__, __LINE__, "seed %llu: %s (at 0x%llx)",
			   (unsigned long long)seed, err ? err : "",
			   (unsigned long long)ex_model.bad_at);
	}
}

/*
 * accept_stretch walks any span into stretches that are wholly marked or
 * wholly not, agreeing with accept_unit_pending page by page, and never
 * stops early inside one.
 */
static void stretches_follow_the_bits(struct ktap_test *t)
{
	static u8 store[ACCEPT_HEADER_BYTES + 4] __attribute__((aligned(8)));
	struct accept_table *tab = (struct accept_table *)store;
	const u64 base = 64 * SZ_2M, limit = base + 32 * SZ_2M;
	u64 bad = 0, pieces = 0;

	accept_table_init(tab, base, 4);
	tab->bitmap[0] = 0x0f; /* units 0-3 */
	tab->bitmap[1] = 0x81; /* units 8 and 15 */
	tab->bitmap[3] = 0x80; /* unit 31, the last */
	for (u64 s0 = base - 3 * SZ_2M; s0 < limit + SZ_2M; s0 += SZ_2M / 2) {
		u64 end = s0 + 40 * SZ_2M + PG;

		for (u64 at = s0, next; at < end; at = next) {
			bool marked, prev_marked = false;

			next = accept_stretch(tab, at, end, &marked);
			pieces++;
			if (next <= at || next > end) {
				bad++;
				break;
			}
			for (u64 a = at; a < next; a += PG) {
				bool m = a >= base && a < limit && accept_unit_pending(tab, a);

				bad += m != marked;
			}
			/* A stretch ends where the state changes, or at end. */
			if (next < end) {
				prev_marked = next >= base && next < limit &&
					      accept_unit_pending(tab, next);
				bad += prev_marked == marked;
			}
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT(t, pieces > 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(stretches_follow_the_bits),
	KTAP_CASE(linux_layout),
	KTAP_CASE(sizing_is_exact),
	KTAP_CASE(short_ranges_accepted_whole),
	KTAP_CASE(unaligned_head_and_tail),
	KTAP_CASE(range_below_base),
	KTAP_CASE(range_beyond_bitmap),
	KTAP_CASE(overlapping_and_unsorted),
	KTAP_CASE(no_bit_outside_ranges),
	KTAP_CASE(edge_failures_are_counted),
	KTAP_CASE(edges_near_the_top),
	KTAP_CASE(accept_range_guard_unit),
	KTAP_CASE(has_unaccepted_widens_alike),
	KTAP_CASE(failed_accept_keeps_bits),
	KTAP_CASE(table_check_refuses_bad_tables),
	KTAP_CASE(find_pending_lowest_run),
	KTAP_CASE(map_type15_entries),
	KTAP_CASE(map_simulation_windows),
	KTAP_CASE(map_merge_and_stop),
	KTAP_CASE(map_top_of_address_space),
	KTAP_CASE(exhaustive_against_model),
};
KTAP_SUITE(accept_suite, "accept", cases);
