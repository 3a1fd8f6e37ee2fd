/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reference model of accept/ that the exhaustive check (tests/unit/
 * accept_test.c, host and guest) and the fuzz target (tests/fuzz/
 * fuzz_accept.c) run the library against. It is the plain way of saying
 * what docs/architecture.md invariants 6 and 7 mean, over a small window of the
 * address space:
 *
 *  - one byte per page: the low nibble counts the ranges that hold the
 *    page (0: not unaccepted), the high nibble counts how often a backend
 *    accepted it;
 *  - one byte per unit of the bitmap: the bit the table must have, worked
 *    out unit by unit from the ranges (a unit is marked when it lies whole
 *    inside one range of at least two units, seed 004), then cleared as
 *    accept_range() is expected to clear it.
 *
 * The backend (am_backend) accepts into the page bytes and flags any page
 * outside every range, any page accepted more often than ranges hold it
 * during the build, and any page accepted twice at run time.
 *
 * One limit of the interface, not of the model: [start, end) with a u64
 * end cannot name 2^64, so the topmost page of the address space can be
 * neither accepted nor described; the model drops it from every range,
 * as accept_mark() and accept_edges() do.
 *
 * Freestanding (it builds into the guest image), no allocation: the
 * caller hands in the page and unit arrays.
 */
#ifndef EFIMAP_TESTS_UNIT_ACCEPT_MODEL_H
#define EFIMAP_TESTS_UNIT_ACCEPT_MODEL_H

#include "accept/accept.h"

typedef unsigned __int128 am_u128;

/*
 * Put on every model function. The fuzz target defines it to keep
 * libFuzzer's coverage hooks out of the model's page loops: they made it
 * ten times slower, and the coverage that should guide it is the library's.
 */
#ifndef AM_MODEL
#define AM_MODEL
#endif

#define AM_MAX_RANGES 15u  /* a page's range count is a nibble */
#define AM_MAX_CALLS  520u /* the most runs of set bits a 1024-unit bitmap has, with room */
#define AM_PAGE	      ACCEPT_PAGE
#define AM_TOP_PAGE   (~0ULL & ~(AM_PAGE - 1)) /* the page no [start, end) can reach */

struct am_range {
	u64 start, end; /* as handed to the library */
	u64 ps, pe;	/* widened to pages, clipped below AM_TOP_PAGE; ps == pe: empty */
};

struct accept_model {
	u64 origin; /* first address of the window, page aligned */
	u64 pages;  /* pages in the window */
	u8 *page;   /* per page: ranges holding it (low nibble), times accepted (high) */
	u64 unit;   /* the table's unit */
	u64 base, limit, nbits;
	u8 *bit; /* expected bitmap, one byte per unit */
	u64 bit_cap;
	struct am_range r[AM_MAX_RANGES];
	u32 nr;
	/* The backend's books. */
	bool runtime; /* in accept_range(): whole set units, never accepted before */
	bool fail;    /* fail the runs am_run_fails() names */
	u64 accepted; /* pages accepted so far */
	u32 nr_calls; /* calls since the counter was reset */
	u64 call_start[AM_MAX_CALLS], call_end[AM_MAX_CALLS];
	const char *bad; /* first property the backend saw broken */
	u64 bad_at;	 /* and where */
};

AM_MODEL static inline u64 am_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

AM_MODEL static inline u64 am_max(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* Record the first broken property; returns it (NULL stays NULL). */
AM_MODEL static inline const char *am_fail(struct accept_model *m, const char *what, u64 at)
{
	if (!m->bad) {
		m->bad = what;
		m->bad_at = at;
	}
	return what;
}

/* An empty model over [origin, origin + pages * 4 KiB). */
AM_MODEL static inline void am_init(struct accept_model *m, u64 origin, u64 pages, u8 *page,
				    u8 *bit, u64 bit_cap)
{
	m->origin = origin;
	m->pages = pages;
	m->page = page;
	m->bit = bit;
	m->bit_cap = bit_cap;
	m->unit = ACCEPT_UNIT;
	m->base = m->limit = m->nbits = 0;
	m->nr = 0;
	m->runtime = m->fail = false;
	m->accepted = 0;
	m->nr_calls = 0;
	m->bad = NULL;
	m->bad_at = 0;
	for (u64 i = 0; i < pages; i++)
		page[i] = 0;
	for (u64 i = 0; i < bit_cap; i++)
		bit[i] = 0;
}

/* Index of the page holding addr in the window; false when outside it. */
AM_MODEL static inline bool am_index(const struct accept_model *m, u64 addr, u64 *idx)
{
	if (addr < m->origin || (addr - m->origin) / AM_PAGE >= m->pages)
		return false;
	*idx = (addr - m->origin) / AM_PAGE;
	return true;
}

/*
 * Add an unaccepted range as the library will be handed it. Every page
 * holding a byte of it counts (pages are the granule). False when the
 * range leaves the window or there are too many.
 */
AM_MODEL static inline bool am_add_range(struct accept_model *m, u64 start, u64 end)
{
	struct am_range *r;
	am_u128 pe;
	u64 idx;

	if (m->nr == AM_MAX_RANGES)
		return false;
	r = &m->r[m->nr++];
	r->start = start;
	r->end = end;
	r->ps = r->pe = start & ~(AM_PAGE - 1);
	if (end <= start)
		return true; /* empty or wrapping: nothing is unaccepted */
	pe = ((am_u128)end + AM_PAGE - 1) & ~(am_u128)(AM_PAGE - 1);
	r->pe = pe > AM_TOP_PAGE ? AM_TOP_PAGE : (u64)pe;
	for (u64 p = r->ps; p < r->pe; p += AM_PAGE) {
		if (!am_index(m, p, &idx))
			return false;
		if ((m->page[idx] & 15) < 15)
			m->page[idx]++;
	}
	return true;
}

/*
 * The table seed 004 asks for, worked out the slow way: base = the lowest
 * start rounded down to the unit; bitmap bytes = the fewest that reach the
 * highest end. Both 0 without a non-empty range.
 */
AM_MODEL static inline void am_sizing(const struct accept_model *m, u64 unit, u64 *base, u64 *bytes)
{
	u64 lo = ~0ULL, hi = 0, n = 0;
	bool any = false;

	for (u32 i = 0; i < m->nr; i++) {
		if (m->r[i].end <= m->r[i].start)
			continue;
		any = true;
		lo = am_min(lo, m->r[i].start);
		hi = am_max(hi, m->r[i].end);
	}
	*base = *bytes = 0;
	if (!any)
		return;
	*base = lo & ~(unit - 1);
	while ((am_u128)*base + (am_u128)n * unit * 8 < hi)
		n++;
	*bytes = n;
}

/* Whether the model's range i holds unit [ua, ua + unit) whole and is long enough to be marked. */
AM_MODEL static inline bool am_marks(const struct accept_model *m, u32 i, am_u128 ua)
{
	const struct am_range *r = &m->r[i];

	return r->pe - r->ps >= 2 * m->unit && r->ps <= ua && ua + m->unit <= r->pe;
}

/*
 * Take the table's geometry and work out the bitmap it must hold after
 * both passes: bit n set exactly when unit n lies whole inside a range
 * of at least two units. False when the bitmap is larger than the model.
 */
AM_MODEL static inline bool am_set_table(struct accept_model *m, const struct accept_table *t)
{
	m->unit = t->unit_size;
	m->base = t->phys_base;
	m->nbits = t->size * 8;
	m->limit = m->base + m->nbits * m->unit;
	if (m->nbits > m->bit_cap)
		return false;
	for (u64 n = 0; n < m->nbits; n++) {
		am_u128 ua = (am_u128)m->base + (am_u128)n * m->unit;

		m->bit[n] = 0;
		for (u32 i = 0; i < m->nr && !m->bit[n]; i++)
			m->bit[n] = am_marks(m, i, ua);
	}
	return true;
}

AM_MODEL static inline bool am_table_bit(const struct accept_table *t, u64 n)
{
	return (t->bitmap[n / 8] >> (n % 8)) & 1;
}

/* Whether the table's own bits cover addr. */
AM_MODEL static inline bool am_covered(const struct accept_model *m, const struct accept_table *t,
				       u64 addr)
{
	return addr >= m->base && addr < m->limit && am_table_bit(t, (addr - m->base) / m->unit);
}

/* accept_range() fails the run starting at unit n when the model says so. */
AM_MODEL static inline bool am_run_fails(const struct accept_model *m, u64 n)
{
	return m->fail && n % 3 == 0;
}

AM_MODEL static inline int am_run_rc(u64 n)
{
	return -(int)(1 + n % 1000);
}

/* The backend: accept [start, end) into the page bytes, checking every page. */
AM_MODEL static inline int am_backend(void *ctx, u64 start, u64 end)
{
	struct accept_model *m = ctx;
	u64 idx;

	if (m->nr_calls < AM_MAX_CALLS) {
		m->call_start[m->nr_calls] = start;
		m->call_end[m->nr_calls] = end;
	}
	m->nr_calls++;
	if (end <= start || start % AM_PAGE || end % AM_PAGE) {
		am_fail(m, "the backend was asked for an empty or unaligned range", start);
		return 0;
	}
	if (end - start > m->pages * AM_PAGE) {
		am_fail(m, "the backend was asked for more than the whole window", start);
		return 0;
	}
	if (m->runtime && m->fail && start >= m->base && (start - m->base) % m->unit == 0 &&
	    am_run_fails(m, (start - m->base) / m->unit))
		return am_run_rc((start - m->base) / m->unit);
	for (u64 p = start; p < end; p += AM_PAGE) {
		u8 *b;

		if (!am_index(m, p, &idx)) {
			am_fail(m, "a page outside every range was accepted (outside the window)",
				p);
			return 0;
		}
		b = &m->page[idx];
		if (!(*b & 15))
			am_fail(m, "a page outside every range was accepted", p);
		else if (m->runtime && *b >> 4)
			am_fail(m, "accept_range accepted a page that was accepted before", p);
		else if (!m->runtime && (*b >> 4) >= (*b & 15))
			am_fail(m, "a page was accepted more often than ranges hold it", p);
		if ((*b >> 4) < 15)
			*b = (u8)(*b + 16);
		m->accepted++;
	}
	return 0;
}

AM_MODEL static inline struct accept_ops am_ops(struct accept_model *m)
{
	return (struct accept_ops){ "model", am_backend, m };
}

/*
 * The state both invariants demand, page by page: the bitmap is the
 * expected one, and every page of a range is accepted or under a set bit,
 * never both, never neither; no set bit and no acceptance outside the
 * ranges. NULL when it holds, else what broke (m->bad_at: where).
 */
AM_MODEL static inline const char *am_check_state(struct accept_model *m,
						  const struct accept_table *t)
{
	if (m->bad)
		return m->bad;
	for (u64 n = 0; n < m->nbits; n++)
		if (am_table_bit(t, n) != !!m->bit[n])
			return am_fail(m, "the bitmap differs from the model's",
				       m->base + n * m->unit);
	for (u64 i = 0; i < m->pages; i++) {
		u64 addr = m->origin + i * AM_PAGE;
		bool in = m->page[i] & 15, acc = m->page[i] >> 4, cov = am_covered(m, t, addr);

		if (in && acc && cov)
			return am_fail(m, "a page is both accepted and under a set bit", addr);
		if (in && !acc && !cov)
			return am_fail(m, "a page is neither accepted nor under a set bit", addr);
		if (!in && cov)
			return am_fail(m, "a bit is set over a page outside every range", addr);
	}
	return NULL;
}

/* After both passes: the state, and the statistics agree with what the backend saw. */
AM_MODEL static inline const char *
am_check_built(struct accept_model *m, const struct accept_table *t, const struct accept_stats *st)
{
	const char *err = am_check_state(m, t);

	if (err)
		return err;
	if (t->version != ACCEPT_TABLE_VERSION || t->unit_size != m->unit)
		return am_fail(m, "the table header changed", 0);
	if (st->calls != m->nr_calls || st->failures || st->bytes != m->accepted * AM_PAGE)
		return am_fail(m, "the statistics disagree with the backend", st->calls);
	return NULL;
}

/*
 * accept_range()'s widening, from the rule (Linux's accept_memory()):
 * start down to its unit, end up to its unit, one unit more when end
 * already is unit aligned, then clamped to the bitmap. Units [*fu, *lu).
 */
AM_MODEL static inline bool am_widen(const struct accept_model *m, u64 start, u64 end, u64 *fu,
				     u64 *lu)
{
	am_u128 s, e, umask = (am_u128)m->unit - 1;

	if (end <= start)
		return false;
	s = (am_u128)start & ~umask;
	if (end % m->unit == 0)
		e = (am_u128)end + m->unit;
	else
		e = ((am_u128)end + umask) & ~umask;
	if (s < m->base)
		s = m->base;
	if (e > m->limit)
		e = m->limit;
	if (s >= e)
		return false;
	*fu = (u64)(s - m->base) / m->unit;
	*lu = (u64)(e - m->base) / m->unit;
	return true;
}

/* What accept_has_unaccepted(start, end) must say. */
AM_MODEL static inline bool am_has(const struct accept_model *m, u64 start, u64 end)
{
	u64 fu, lu;

	if (!am_widen(m, start, end, &fu, &lu))
		return false;
	for (u64 n = fu; n < lu; n++)
		if (m->bit[n])
			return true;
	return false;
}

/*
 * Run accept_range(start, end) and check it against the model: the backend
 * is asked exactly for each run of set bits in the widened range, in
 * order; the runs it accepts lose their bits and no other bit changes;
 * a failed run keeps its bits, is counted and its status returned; a
 * second call asks only for what failed. has_unaccepted() agrees.
 */
AM_MODEL static inline const char *am_accept_range(struct accept_model *m, struct accept_table *t,
						   u64 start, u64 end, bool fail)
{
	struct accept_ops ops = am_ops(m);
	struct accept_stats st = { 0 };
	u64 fu = 0, lu = 0, ok_bytes = 0, failed_bytes = 0;
	u32 k = 0, failed = 0;
	int rc, want_rc = 0;
	bool widened = am_widen(m, start, end, &fu, &lu);

	if (accept_has_unaccepted(t, start, end) != am_has(m, start, end))
		return am_fail(m, "accept_has_unaccepted disagrees with the widened range", start);
	m->runtime = true;
	m->fail = fail;
	m->nr_calls = 0;
	rc = accept_range(t, start, end, &ops, &st);
	for (u64 n = fu; widened && n < lu;) {
		u64 e = n;

		if (!m->bit[n]) {
			n++;
			continue;
		}
		while (e < lu && m->bit[e])
			e++;
		if (k >= m->nr_calls || k >= AM_MAX_CALLS ||
		    m->call_start[k] != m->base + n * m->unit ||
		    m->call_end[k] != m->base + e * m->unit)
			return am_fail(m, "accept_range did not ask for exactly the set-bit runs",
				       m->base + n * m->unit);
		if (am_run_fails(m, n)) {
			if (!want_rc)
				want_rc = am_run_rc(n);
			failed_bytes += (e - n) * m->unit;
			failed++;
		} else {
			ok_bytes += (e - n) * m->unit;
			for (u64 j = n; j < e; j++)
				m->bit[j] = 0;
		}
		k++;
		n = e;
	}
	if (m->bad)
		return m->bad;
	if (k != m->nr_calls)
		return am_fail(m, "accept_range called the backend more often than there are runs",
			       start);
	if (rc != want_rc)
		return am_fail(m, "accept_range returned the wrong status", (u64)(s64)rc);
	if (st.calls != k || st.failures != failed || st.bytes != ok_bytes ||
	    st.failed_bytes != failed_bytes)
		return am_fail(m, "accept_range's statistics disagree with the backend", st.calls);
	for (u64 n = 0; n < m->nbits; n++)
		if (am_table_bit(t, n) != !!m->bit[n])
			return am_fail(m, "accept_range left the bitmap unlike the model's",
				       m->base + n * m->unit);
	/* Again: only the failed runs are asked for (none: invariant 7's "does nothing"). */
	m->nr_calls = 0;
	st = (struct accept_stats){ 0 };
	rc = accept_range(t, start, end, &ops, &st);
	m->runtime = m->fail = false;
	if (m->bad)
		return m->bad;
	if (m->nr_calls != failed || rc != want_rc)
		return am_fail(m, "a second accept_range did not ask for exactly what failed",
			       start);
	return NULL;
}

/* accept_find_pending(units) against the lowest run of the model's bits. */
AM_MODEL static inline const char *am_find_pending(struct accept_model *m,
						   const struct accept_table *t, u64 units)
{
	u64 run = 0, at = 0, want = 0;
	bool found = false, got = accept_find_pending(t, units, &at);

	for (u64 n = 0; units && n < m->nbits && !found; n++) {
		run = m->bit[n] ? run + 1 : 0;
		if (run == units) {
			found = true;
			want = m->base + (n + 1 - units) * m->unit;
		}
	}
	if (got != found || (found && at != want))
		return am_fail(m, "accept_find_pending missed the lowest run", units);
	return NULL;
}

/* accept_pending_units() and accept_unit_pending(addr) against the model. */
AM_MODEL static inline const char *am_pending(struct accept_model *m, const struct accept_table *t,
					      u64 addr)
{
	u64 n = 0;

	for (u64 i = 0; i < m->nbits; i++)
		n += m->bit[i] ? 1 : 0;
	if (accept_pending_units(t) != n)
		return am_fail(m, "accept_pending_units miscounts", n);
	if (accept_unit_pending(t, addr) !=
	    (addr >= m->base && addr < m->limit && m->bit[(addr - m->base) / m->unit]))
		return am_fail(m, "accept_unit_pending disagrees with the model", addr);
	return NULL;
}

/* Accept the whole bitmap, then every page of every range must be accepted. */
AM_MODEL static inline const char *am_accept_all(struct accept_model *m, struct accept_table *t)
{
	const char *err = am_accept_range(m, t, m->base, m->limit, false);

	if (err)
		return err;
	if (accept_pending_units(t))
		return am_fail(m, "bits are left after accepting the whole bitmap", 0);
	for (u64 i = 0; i < m->pages; i++)
		if ((m->page[i] & 15) && !(m->page[i] >> 4))
			return am_fail(m, "a page of a range was never accepted",
				       m->origin + i * AM_PAGE);
	return am_check_state(m, t);
}

#endif
