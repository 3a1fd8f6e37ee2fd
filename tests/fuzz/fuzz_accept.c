// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: accept/ over arbitrary unaccepted ranges (any order,
 * overlapping, empty or reversed, unaligned to the byte, up to the last
 * byte below 2^64), tables sized exactly, too small, moved or too large,
 * 2 MiB or 64 KiB units, then a sequence of accept_range(),
 * has_unaccepted(), find_pending() and unit_pending() calls, some with a
 * failing backend. Everything is checked against the page-by-page model
 * of tests/unit/accept_model.h (docs/architecture.md invariants 6 and 7): after both
 * build passes every page of a range is accepted or under a set bit, never
 * both, never neither, with no bit outside the ranges; accept_range() asks
 * the backend for exactly the set-bit runs of its widened range (guard
 * unit included) and clears exactly those; a repeat asks only for what
 * failed; accepting the whole bitmap leaves every page accepted. The
 * table is allocated to its exact size, so ASan sees any read or write
 * past the bitmap.
 *
 * Ranges and calls stay inside a 64 MiB window (plus 16 MiB either side
 * for the calls), so the model is 16 KiB; where the window lies comes from
 * the input, the top of the address space included.
 *
 * Input:
 *   byte 0     ranges: b % 16
 *   byte 1     table: bits 0-2 how it is sized (0-2 exact, 3 too small,
 *              4 base moved up, 5 larger, 6 moved up and too small, 7 base
 *              moved down), bits 3-7 by how much
 *   byte 2     bits 0-1 window: 0 at 0, 1 at bytes 3-10 (unit aligned),
 *              2 across 4 GiB, 3 ending at 2^64; bit 2: 64 KiB units;
 *              bit 3: calls marked so may see a failing backend
 *   bytes 3-10 window origin (window 1)
 *   then 9 bytes per range: u8 shape, u32 offset, u32 length
 *   then 9 bytes per call (at most MAX_OPS): u8 shape, u32 offset, u32 length
 * The input's last 24 bytes, read as a table header, also go to
 * accept_table_check() (with the input's length times 3 as the memory it
 * has, or unknown when byte 1 has bit 7 set), which must agree with its
 * rule worked out in 128 bits.
 * A shape byte: bits 0-1 alignment of the start (unit, page, byte, unit
 * plus a page), bits 2-3 length class (around two units, up to 16 units,
 * any, unit multiples), bits 4-6 the call (0-3 accept_range, 4 the same
 * with a failing backend, 5 has_unaccepted, 6 find_pending, 7
 * unit_pending), bit 7 reversed or empty.
 */
#include "accept/accept.h"
#include "tests/fuzz/fuzz.h"

#define AM_MODEL __attribute__((no_sanitize("coverage"), noinline))
#include "tests/unit/accept_model.h"

#define HDR_LEN	  11u
#define ITEM_LEN  9u
#define MAX_OPS	  128u
#define WINDOW	  (64ULL << 20)
#define PAGES	  (WINDOW / ACCEPT_PAGE)
#define MARGIN	  (16ULL << 20)
#define MAX_BYTES 512u /* bitmap bytes the model holds: 4096 units */
#define TOP	  (~0ULL)

static u8 model_page[PAGES];
static u8 model_bit[MAX_BYTES * 8];
static struct accept_model model;

static u32 rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 rd64(const u8 *p)
{
	return (u64)rd32(p) | (u64)rd32(p + 4) << 32;
}

/* base + off, stopping at the last byte below 2^64. */
static u64 add_sat(u64 base, u64 off)
{
	return off > TOP - base ? TOP : base + off;
}

/* An offset of the alignment the shape asks for. */
static u64 align(u64 off, u8 shape, u64 unit)
{
	switch (shape & 3) {
	case 0:
		return ALIGN_DOWN(off, unit);
	case 1:
		return ALIGN_DOWN(off, ACCEPT_PAGE);
	case 2:
		return off;
	default:
		return ALIGN_DOWN(off, unit) + ACCEPT_PAGE;
	}
}

/* A length of the class the shape asks for. */
static u64 length(u32 raw, u8 shape, u64 unit)
{
	switch ((shape >> 2) & 3) {
	case 0:
		return raw % (2 * unit + 2 * ACCEPT_PAGE) + (raw >> 31) * (2 * unit - ACCEPT_PAGE);
	case 1:
		return raw % (16 * unit);
	case 2:
		return raw % (WINDOW + 1);
	default:
		return (raw % 33) * unit + ((raw >> 8) % 3) * ACCEPT_PAGE;
	}
}

/* [*start, *end) of one item inside [lo, hi], from its 9 bytes. */
static void decode(const u8 *p, u64 lo, u64 hi, u64 unit, u64 *start, u64 *end)
{
	u8 shape = p[0];
	u32 a = rd32(p + 1), b = rd32(p + 5);
	u64 span = hi - lo;

	*start = add_sat(lo, align(span ? a % span : 0, shape, unit));
	if (*start > hi)
		*start = hi;
	*end = add_sat(*start, length(b, shape, unit));
	if (*end > hi)
		*end = hi;
	if (shape & 0x80)
		*end = *start - am_min(*start, b % 3); /* empty or reversed */
}

static void report(const char *err, u64 at)
{
	fprintf(stderr, "at 0x%llx, unit 0x%llx, base 0x%llx, limit 0x%llx\n",
		(unsigned long long)at, (unsigned long long)model.unit,
		(unsigned long long)model.base, (unsigned long long)model.limit);
	fuzz_violated(__FILE__, __LINE__, err);
}

#define CHECK_MODEL(expr)                           \
	do {                                        \
		const char *_err = (expr);          \
		if (_err)                           \
			report(_err, model.bad_at); \
	} while (0)

/* The window's origin: unit aligned, and the window below 2^64 or ending exactly there. */
static u64 window_origin(const u8 *data)
{
	switch (data[2] & 3) {
	case 0:
		return 0;
	case 1:
		return am_min(rd64(data + 3), TOP - WINDOW + 1) & ~(ACCEPT_UNIT - 1);
	case 2:
		return (4ULL << 30) - WINDOW / 2;
	default:
		return TOP - WINDOW + 1;
	}
}

/* Resize the model's table as the input says; the bitmap bytes stay describable below 2^64. */
static void table_geometry(u8 how, u64 unit, u64 *base, u64 *bytes)
{
	u64 k = how >> 3, max;

	switch (how & 7) {
	case 3:
		*bytes = *bytes * k / 32;
		break;
	case 4:
		*base = add_sat(*base, k * unit) & ~(unit - 1);
		break;
	case 5:
		*bytes += k % 8;
		break;
	case 6:
		*base = add_sat(*base, (k % 4) * unit) & ~(unit - 1);
		*bytes = *bytes * k / 32;
		break;
	case 7:
		*base -= am_min(*base, k * unit);
		break;
	default:
		break;
	}
	max = (TOP - *base) / (8 * unit); /* accept_table_check's bound */
	*bytes = am_min(am_min(*bytes, max), MAX_BYTES);
}

/* accept_table_check() on a hostile header against its rule; a usable one's limit. */
static void check_header(const u8 *p, u64 avail)
{
	struct accept_table h;
	am_u128 span;
	bool ok;

	memcpy(&h, p, sizeof(h));
	span = (am_u128)h.size * 8 * h.unit_size;
	ok = h.version == ACCEPT_TABLE_VERSION && h.unit_size >= ACCEPT_PAGE &&
	     !(h.unit_size & (h.unit_size - 1)) && h.phys_base % h.unit_size == 0 &&
	     (!avail || (avail >= ACCEPT_HEADER_BYTES && h.size <= avail - ACCEPT_HEADER_BYTES)) &&
	     (am_u128)h.phys_base + span <= TOP;
	CHECK((accept_table_check(&h, avail) == NULL) == ok);
	if (ok)
		CHECK(accept_table_limit(&h) == h.phys_base + (u64)span);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct accept_model *m = &model;
	struct accept_ops ops = am_ops(m);
	struct accept_stats st = { 0 };
	struct accept_table *t;
	u64 origin, unit, base, bytes, wend, lo, hi;
	u32 nr, nops;
	const u8 *p;

	if (size < HDR_LEN)
		return 0;
	if (size >= ACCEPT_HEADER_BYTES)
		check_header(data + size - ACCEPT_HEADER_BYTES, data[1] & 0x80 ? 0 : (u64)size * 3);
	nr = data[0] % (AM_MAX_RANGES + 1);
	if (size < HDR_LEN + (size_t)nr * ITEM_LEN)
		return 0;
	nops = (u32)am_min((size - HDR_LEN - nr * ITEM_LEN) / ITEM_LEN, MAX_OPS);
	unit = data[2] & 4 ? 64ULL << 10 : ACCEPT_UNIT;
	origin = window_origin(data);
	wend = add_sat(origin, WINDOW); /* TOP for the window that ends at 2^64 */
	am_init(m, origin, PAGES, model_page, model_bit, sizeof(model_bit));

	/* The ranges, into the model; 2 MiB tables are also sized by the library. */
	p = data + HDR_LEN;
	for (u32 i = 0; i < nr; i++, p += ITEM_LEN) {
		u64 s, e;

		decode(p, origin, wend, unit, &s, &e);
		CHECK(am_add_range(m, s, e));
	}
	am_sizing(m, unit, &base, &bytes);
	if (unit == ACCEPT_UNIT) {
		struct accept_sizing sz;
		u64 lb, ly;

		accept_sizing_init(&sz);
		for (u32 i = 0; i < nr; i++)
			accept_sizing_add(&sz, m->r[i].start, m->r[i].end);
		accept_sizing_result(&sz, &lb, &ly);
		CHECK(lb == base && ly == bytes);
	}
	table_geometry(data[1], unit, &base, &bytes);

	/* The table, exactly as large as it says: ASan guards both ends. */
	t = malloc(accept_table_bytes(bytes));
	if (!t)
		abort();
	accept_table_init(t, base, bytes);
	t->unit_size = (u32)unit;
	CHECK(accept_table_check(t, accept_table_bytes(bytes)) == NULL);
	CHECK(accept_table_limit(t) == base + bytes * 8 * unit);
	CHECK(am_set_table(m, t));

	/* Both passes, then invariant 6. */
	for (u32 i = 0; i < nr; i++)
		accept_mark(t, m->r[i].start, m->r[i].end);
	for (u32 i = 0; i < nr; i++)
		CHECK(accept_edges(t, m->r[i].start, m->r[i].end, &ops, &st) == 0);
	CHECK_MODEL(am_check_built(m, t, &st));

	/* The calls, then invariant 7 for each. */
	lo = origin - am_min(origin, MARGIN);
	hi = add_sat(wend, MARGIN);
	for (u32 k = 0; k < nops; k++, p += ITEM_LEN) {
		u64 s, e;

		decode(p, lo, hi, unit, &s, &e);
		switch ((p[0] >> 4) & 7) {
		case 4:
			CHECK_MODEL(am_accept_range(m, t, s, e, data[2] & 8));
			break;
		case 5:
			if (accept_has_unaccepted(t, s, e) != am_has(m, s, e))
				report("accept_has_unaccepted disagrees with the model", s);
			break;
		case 6:
			CHECK_MODEL(am_find_pending(m, t, 1 + rd32(p + 5) % 8));
			break;
		case 7:
			CHECK_MODEL(am_pending(m, t, s));
			break;
		default:
			CHECK_MODEL(am_accept_range(m, t, s, e, false));
			break;
		}
	}
	CHECK_MODEL(am_check_state(m, t));
	CHECK_MODEL(am_accept_all(m, t));
	free(t);
	return 0;
}
