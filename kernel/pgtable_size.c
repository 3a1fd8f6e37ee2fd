// SPDX-License-Identifier: BSD-2-Clause
/*
 * Sizing the kernel's page-table pool. Pure arithmetic over the map, so
 * the stub can run it before ExitBootServices and the host can test it.
 */
#include "kernel/pgtable_size.h"

/* Distinct-index counter: in a sorted map, neighbours share tables. */
struct level_count {
	u64 last;
	bool any;
	u64 n;
};

static void count_span(struct level_count *c, u64 first, u64 last)
{
	if (c->any && first == c->last)
		first++;
	if (first <= last)
		c->n += last - first + 1;
	c->last = last;
	c->any = true;
}

static void count_index(struct level_count *c, u64 idx)
{
	count_span(c, idx, idx);
}

u64 pgtable_pages_needed(const struct memmap *map, u64 text_start, u64 text_end, u32 spare_entries)
{
	struct level_count pdpt = { 0 }, pd = { 0 }, pt = { 0 };
	struct mm_iter it;
	struct mm_desc *md;

	for_each_mm_desc (map, it, md) {
		u64 start = md->phys_addr, end = mm_desc_end(md);

		if (!md->num_pages || end <= start)
			continue;
		/* 4-level tables reach 2^48; anything above is not mapped. */
		if (start >= (1ULL << 48))
			continue;
		if (end > (1ULL << 48))
			end = 1ULL << 48;
		/* paging.c (both arches) leaves page 0 unmapped, which makes the first 2 MiB partial. */
		if (start == 0)
			start = PAGE_SIZE;
		if (start >= end)
			continue;
		count_span(&pdpt, start >> 39, (end - 1) >> 39);
		count_span(&pd, start >> 30, (end - 1) >> 30);
		if (start % SZ_2M || end - start < SZ_2M)
			count_index(&pt, start >> 21);
		if (end % SZ_2M)
			count_index(&pt, (end - 1) >> 21);
	}
	/*
	 * The image's code is split out of 2 MiB pages (its 2 MiB regions, plus
	 * one at each end), and so is the kernel stack's guard page; each new
	 * descriptor can add two partial 2 MiB regions. Plus the PML4.
	 */
	return 1 + pdpt.n + pd.n + pt.n + (text_end - text_start) / SZ_2M + 2 + 1 +
	       2ULL * spare_entries;
}

u64 pgtable_pages_for_range(u64 base, u64 size)
{
	u64 start = ALIGN_DOWN(base, PAGE_SIZE), end, pt;

	if (!size || start >= (1ULL << 48))
		return 0;
	/* Past 2^48 (or wrapping) nothing is mapped, as paging.c does. */
	end = (size > (1ULL << 48) - base) ? 1ULL << 48 : ALIGN_UP(base + size, PAGE_SIZE);
	/* A page table for each partial 2 MiB at either end; 2 MiB pages in between. */
	pt = (start % SZ_2M || end - start < SZ_2M) +
	     (end % SZ_2M && (end - 1) / SZ_2M != start / SZ_2M);
	return ((end - 1) >> 39) - (start >> 39) + 1 + ((end - 1) >> 30) - (start >> 30) + 1 + pt;
}

u64 pgtable_pages_efi(const struct memmap *map, u64 text_start, u64 text_end, u32 spare_entries)
{
	u64 pt = 0, span = 0;
	struct mm_iter it;
	struct mm_desc *md;

	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 start = md->phys_addr, end = mm_desc_end(md);

		if (!md->num_pages || end <= start || end > (1ULL << 48))
			continue;
		pt += 2 * (((end - 1) >> 21) - (start >> 21) + 1);
		span += (end - start) + SZ_2M;
	}
	return pgtable_pages_needed(map, text_start, text_end, spare_entries) + pt + 1 +
	       span / SZ_1G + 2;
}
