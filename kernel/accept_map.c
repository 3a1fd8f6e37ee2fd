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

bool accept_desc_range(const struct accept_source *src, const struct mm_desc *md, u64 *start,
		       u64 *end)
{
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
	    s % PAGE_SIZE)
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
		if (!accept_desc_range(src, md, &s, &e))
			continue;
		if (pending && s == pe) {
			pe = e; /* touches the previous range: one range */
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
