// SPDX-License-Identifier: BSD-2-Clause
/* The unaccepted ranges of a map (accept_map.h). */
#include "kernel/accept_map.h"

void accept_source_init(struct accept_source *src, const struct options *o)
{
	src->sim = o->accept_sim;
	src->sim_start = o->accept_sim_base;
	/* No size (sim:above=) or a window ending at 2^64 (which would wrap to 0): to the top. */
	src->sim_end = o->accept_sim_size && o->accept_sim_size <= ~0ULL - o->accept_sim_base
			       ? o->accept_sim_base + o->accept_sim_size
			       : ~0ULL;
}

bool accept_desc_range(const struct accept_source *src, const struct memmap *map, u32 i, u64 *start,
		       u64 *end)
{
	const struct mm_desc *md = memmap_desc(map, i);
	u64 s = md->phys_addr, e = mm_desc_end(md);

	if (!md->num_pages || e <= s)
		return false;
	if (!src->sim) {
		if (md->type != MM_UNACCEPTED)
			return false;
		*start = ALIGN_DOWN(s, PAGE_SIZE);
		*end = e;
		return true;
	}
	if (md->type != MM_CONVENTIONAL || (md->attribute & (MM_ATTR_SP | MM_ATTR_RUNTIME)) ||
	    !(md->attribute & MM_ATTR_WB) || !mm_desc_mappable(md) || memmap_entry_overlaps(map, i))
		return false;
	if (s < SZ_1M)
		s = SZ_1M;
	if (s < src->sim_start)
		s = src->sim_start;
	if (e > src->sim_end)
		e = src->sim_end;
	if (e <= s)
		return false;
	*start = s;
	*end = e;
	return true;
}

u32 accept_map_for_each(const struct memmap *map, const struct accept_source *src,
			bool (*fn)(void *ctx, u64 start, u64 end), void *ctx)
{
	struct mm_iter it;
	struct mm_desc *md;
	u64 ps = 0, pe = 0, s, e;
	bool pending = false;
	u32 n = 0;

	for_each_mm_desc (map, it, md) {
		if (!accept_desc_range(src, map, it.index, &s, &e))
			continue;
		if (pending && s <= pe && s >= ps) {
			if (e > pe)
				pe = e; /* touches or overlaps the previous range: one range */
			continue;
		}
		if (pending) {
			n++;
			if (!fn(ctx, ps, pe))
				return n;
		}
		ps = s;
		pe = e;
		pending = true;
	}
	if (pending) {
		n++;
		fn(ctx, ps, pe);
	}
	return n;
}

struct stray {
	u64 unit, size;
	bool inside;
};

static bool unit_inside(void *ctx, u64 start, u64 end)
{
	struct stray *st = ctx;

	st->inside = st->unit >= start && st->unit < end && end - st->unit >= st->size;
	return !st->inside;
}

u64 accept_map_stray_bits(const struct memmap *map, const struct accept_source *src,
			  const struct accept_table *t)
{
	u64 stray = 0, nbits = t->size * 8;

	for (u64 n = 0; n < nbits; n++) {
		struct stray st = { t->phys_base + n * t->unit_size, t->unit_size, false };

		if (!(t->bitmap[n / 8] & (1u << (n % 8))))
			continue;
		accept_map_for_each(map, src, unit_inside, &st);
		stray += !st.inside;
	}
	return stray;
}
