// SPDX-License-Identifier: BSD-2-Clause
/* The unaccepted-memory table and its bitmap (accept.h). */
#include "accept/accept.h"

#define TOP (~0ULL)

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static u64 max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* Round up without wrapping: the highest multiple of a that fits when x is too close to 2^64. */
static u64 round_up_sat(u64 x, u64 a)
{
	return x > TOP - (a - 1) ? ALIGN_DOWN(TOP, a) : ALIGN_UP(x, a);
}

static bool bit_get(const struct accept_table *t, u64 n)
{
	return t->bitmap[n / 8] & (1u << (n % 8));
}

static void bit_set(struct accept_table *t, u64 n)
{
	t->bitmap[n / 8] |= (u8)(1u << (n % 8));
}

static void bit_clear(struct accept_table *t, u64 n)
{
	t->bitmap[n / 8] &= (u8) ~(1u << (n % 8));
}

void accept_sizing_init(struct accept_sizing *s)
{
	s->lowest = TOP;
	s->highest = 0;
	s->ranges = 0;
}

void accept_sizing_add(struct accept_sizing *s, u64 start, u64 end)
{
	if (end <= start)
		return;
	s->lowest = min_u64(s->lowest, start);
	s->highest = max_u64(s->highest, end);
	s->ranges++;
}

void accept_sizing_result(const struct accept_sizing *s, u64 *base, u64 *bitmap_bytes)
{
	u64 span, per_byte = ACCEPT_UNIT * 8;

	*base = *bitmap_bytes = 0;
	if (!s->ranges)
		return;
	*base = ALIGN_DOWN(s->lowest, ACCEPT_UNIT);
	span = s->highest - *base;
	*bitmap_bytes = span / per_byte + (span % per_byte != 0);
}

void accept_table_init(struct accept_table *t, u64 base, u64 bitmap_bytes)
{
	t->version = ACCEPT_TABLE_VERSION;
	t->unit_size = (u32)ACCEPT_UNIT;
	t->phys_base = base;
	t->size = bitmap_bytes;
	for (u64 i = 0; i < bitmap_bytes; i++)
		t->bitmap[i] = 0;
}

const char *accept_table_check(const struct accept_table *t, u64 avail)
{
	u64 unit = t->unit_size;

	if (t->version != ACCEPT_TABLE_VERSION)
		return "version is not 1";
	if (unit < ACCEPT_PAGE || (unit & (unit - 1)))
		return "unit size is not a power of two of at least 4 KiB";
	if (t->phys_base % unit)
		return "base is not aligned to the unit";
	if (avail && (avail < ACCEPT_HEADER_BYTES || t->size > avail - ACCEPT_HEADER_BYTES))
		return "bitmap is larger than the table's memory";
	/* The described span, size * 8 units, must end below 2^64. */
	if (t->size > (TOP / 8) / unit || t->size * 8 * unit > TOP - t->phys_base)
		return "bitmap describes addresses past 2^64";
	return NULL;
}

u64 accept_table_limit(const struct accept_table *t)
{
	u64 span = t->size * 8 * t->unit_size;

	/* Saturates for a table accept_table_check() would refuse; ours never get there. */
	return span > TOP - t->phys_base ? ALIGN_DOWN(TOP, t->unit_size) : t->phys_base + span;
}

/* Unit number of addr (which lies in [phys_base, limit)). */
static u64 unit_of(const struct accept_table *t, u64 addr)
{
	return (addr - t->phys_base) / t->unit_size;
}

static u64 unit_addr(const struct accept_table *t, u64 n)
{
	return t->phys_base + n * t->unit_size;
}

/* The units wholly inside [start, end) and inside the bitmap: [*first, *last), maybe empty. */
static void whole_units(const struct accept_table *t, u64 start, u64 end, u64 *first, u64 *last)
{
	u64 lo = max_u64(round_up_sat(start, t->unit_size), t->phys_base);
	u64 hi = min_u64(ALIGN_DOWN(end, t->unit_size), accept_table_limit(t));

	*first = *last = 0;
	if (lo < hi) {
		*first = unit_of(t, lo);
		*last = unit_of(t, hi);
	}
}

void accept_mark(struct accept_table *t, u64 start, u64 end)
{
	u64 first, last;

	start = ALIGN_DOWN(start, ACCEPT_PAGE);
	end = round_up_sat(end, ACCEPT_PAGE);
	/* Seed 004: a range shorter than two units is accepted whole, never marked. */
	if (end <= start || end - start < 2 * (u64)t->unit_size)
		return;
	whole_units(t, start, end, &first, &last);
	for (u64 n = first; n < last; n++)
		bit_set(t, n);
}

static int call_backend(const struct accept_ops *ops, struct accept_stats *st, u64 start, u64 end)
{
	int rc = ops->accept(ops->ctx, start, end);

	st->calls++;
	if (rc) {
		st->failures++;
		st->failed_bytes += end - start;
	} else {
		st->bytes += end - start;
	}
	return rc;
}

/* Whether addr lies in a unit whose bit is set. */
static bool covered(const struct accept_table *t, u64 addr, u64 limit)
{
	return addr >= t->phys_base && addr < limit && bit_get(t, unit_of(t, addr));
}

int accept_edges(const struct accept_table *t, u64 start, u64 end, const struct accept_ops *ops,
		 struct accept_stats *st)
{
	u64 limit = accept_table_limit(t), unit = t->unit_size, p, q;
	int first_rc = 0;

	/* An empty range holds no byte: widening its start to a page must not accept one. */
	if (end <= start)
		return 0;
	start = ALIGN_DOWN(start, ACCEPT_PAGE);
	end = round_up_sat(end, ACCEPT_PAGE);
	for (p = start; p < end; p = q) {
		/* Skip what a set bit covers, unit by unit. */
		if (covered(t, p, limit)) {
			q = min_u64(ALIGN_DOWN(p, unit) + unit, end);
			if (q <= p) /* the unit ends at 2^64 */
				break;
			continue;
		}
		/* An uncovered stretch: up to the next covered unit or the end. */
		q = p;
		while (q < end && !covered(t, q, limit)) {
			u64 next = q < t->phys_base ? t->phys_base
				   : q >= limit	    ? end
						    : ALIGN_DOWN(q, unit) + unit;

			if (next <= q) { /* the unit ends at 2^64 */
				q = end;
				break;
			}
			q = min_u64(next, end);
		}
		{
			int rc = call_backend(ops, st, p, q);

			if (rc && !first_rc)
				first_rc = rc;
		}
	}
	return first_rc;
}

/* accept_range()'s widening: whole units plus the guard, clamped to the bitmap. */
static bool widen(const struct accept_table *t, u64 start, u64 end, u64 *first, u64 *last)
{
	u64 unit = t->unit_size, limit = accept_table_limit(t);

	if (end <= start)
		return false;
	start = ALIGN_DOWN(start, unit);
	/* The guard unit: past an aligned end the next unit is accepted too. */
	end = end % unit == 0 ? (end > TOP - unit ? TOP : end + unit) : round_up_sat(end, unit);
	start = max_u64(start, t->phys_base);
	end = min_u64(end, limit);
	if (start >= end)
		return false;
	*first = unit_of(t, start);
	*last = unit_of(t, end); /* both bounds are unit aligned here */
	return true;
}

int accept_range(struct accept_table *t, u64 start, u64 end, const struct accept_ops *ops,
		 struct accept_stats *st)
{
	u64 first, last, n = 0;
	int first_rc = 0;

	if (!widen(t, start, end, &first, &last))
		return 0;
	for (n = first; n < last;) {
		u64 run;
		int rc;

		if (!bit_get(t, n)) {
			n++;
			continue;
		}
		for (run = n; run < last && bit_get(t, run); run++)
			;
		rc = call_backend(ops, st, unit_addr(t, n), unit_addr(t, run));
		if (rc) {
			if (!first_rc)
				first_rc = rc;
		} else {
			for (u64 k = n; k < run; k++)
				bit_clear(t, k);
		}
		n = run;
	}
	return first_rc;
}

bool accept_has_unaccepted(const struct accept_table *t, u64 start, u64 end)
{
	u64 first, last;

	if (!widen(t, start, end, &first, &last))
		return false;
	for (u64 n = first; n < last; n++)
		if (bit_get(t, n))
			return true;
	return false;
}

bool accept_unit_pending(const struct accept_table *t, u64 addr)
{
	return covered(t, addr, accept_table_limit(t));
}

u64 accept_stretch(const struct accept_table *t, u64 at, u64 end, bool *marked)
{
	u64 limit = accept_table_limit(t), unit = t->unit_size, next;

	*marked = covered(t, at, limit);
	if (at >= limit)
		return end; /* nothing past the bitmap is marked */
	next = at < t->phys_base ? t->phys_base : ALIGN_DOWN(at, unit) + unit;
	/* next + unit stays within limit, which is unit aligned: no wrap. */
	while (next < limit && next < end && covered(t, next, limit) == *marked)
		next += unit;
	if (!*marked && next >= limit)
		next = end;
	return next < end ? next : end;
}

u64 accept_pending_units(const struct accept_table *t)
{
	u64 n = 0;

	/* Bit by bit: the image has no libgcc for __builtin_popcount. */
	for (u64 i = 0; i < t->size; i++)
		for (u8 b = t->bitmap[i]; b; b &= (u8)(b - 1))
			n++;
	return n;
}

bool accept_find_pending(const struct accept_table *t, u64 units, u64 *at)
{
	u64 nbits = t->size * 8, run = 0;

	if (!units)
		return false;
	for (u64 n = 0; n < nbits; n++) {
		if (!(n % 8) && !t->bitmap[n / 8]) {
			run = 0;
			n += 7;
			continue;
		}
		run = bit_get(t, n) ? run + 1 : 0;
		if (run == units) {
			*at = unit_addr(t, n + 1 - units);
			return true;
		}
	}
	return false;
}

int accept_refuse(void *ctx, u64 start, u64 end)
{
	(void)ctx;
	(void)start;
	(void)end;
	return -1;
}

void accept_log_add(struct accept_extent *log, u32 cap, u32 *n, u32 *dropped, u64 start, u64 end)
{
	if (*n && log[*n - 1].end == start) {
		log[*n - 1].end = end;
		return;
	}
	if (*n == cap) {
		(*dropped)++;
		return;
	}
	log[(*n)++] = (struct accept_extent){ start, end };
}
