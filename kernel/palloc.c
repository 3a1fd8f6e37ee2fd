// SPDX-License-Identifier: BSD-2-Clause
/* The page allocator (palloc.h): a sorted, merged list of free runs. */
#include "kernel/palloc.h"
#include "lib/string.h"

struct palloc_run {
	struct palloc_run *next;
	u64 pages;
};

static u64 run_addr(const struct palloc_run *r)
{
	return (u64)(uintptr_t)r;
}

static struct palloc_run *run_at(u64 addr)
{
	return (struct palloc_run *)(uintptr_t)addr;
}

/* Whole pages, eight bytes at a time: freeing gigabytes must not crawl under emulation. */
static void junk_fill(u64 base, u64 pages)
{
	u64 *p = (u64 *)(uintptr_t)base, *end = p + pages * (PALLOC_PAGE / 8);
	const u64 junk = 0x0101010101010101ULL * PALLOC_JUNK;

	for (; p < end; p += 4) {
		p[0] = junk;
		p[1] = junk;
		p[2] = junk;
		p[3] = junk;
	}
}

void palloc_init(struct palloc *a)
{
	memset(a, 0, sizeof(*a));
}

bool palloc_add(struct palloc *a, u64 base, u64 pages, bool junk)
{
	struct palloc_run **link = &a->head, *prev = NULL, *next, *r;
	u64 end = base + pages * PALLOC_PAGE;

	if ((base & (PALLOC_PAGE - 1)) || !pages || pages > ~0ULL / PALLOC_PAGE || end <= base) {
		a->rejected++;
		return false;
	}
	while (*link && run_addr(*link) < base) {
		prev = *link;
		link = &(*link)->next;
	}
	next = *link;
	/* Overlap with a free neighbour is a double free: refuse, touch nothing. */
	if ((prev && run_addr(prev) + prev->pages * PALLOC_PAGE > base) ||
	    (next && run_addr(next) < end)) {
		a->rejected++;
		return false;
	}
	if (junk)
		junk_fill(base, pages);
	a->free_pages += pages;
	a->added_pages += pages;

	if (prev && run_addr(prev) + prev->pages * PALLOC_PAGE == base) {
		prev->pages += pages; /* joins the run just below; its header stays */
		r = prev;
	} else {
		r = run_at(base);
		r->pages = pages;
		r->next = next;
		*link = r;
		a->runs++;
	}
	if (next && run_addr(r) + r->pages * PALLOC_PAGE == run_addr(next)) {
		r->pages += next->pages;
		r->next = next->next;
		if (junk)
			memset(next, PALLOC_JUNK, sizeof(*next)); /* the old header is junk now */
		a->runs--;
	}
	return true;
}

/* First fit from the top of the lowest run that holds pages; 0 when none does. */
static u64 take(struct palloc *a, u64 pages)
{
	struct palloc_run **link;

	for (link = &a->head; *link; link = &(*link)->next) {
		struct palloc_run *r = *link;

		if (r->pages < pages)
			continue;
		a->free_pages -= pages;
		if (r->pages == pages) {
			*link = r->next;
			a->runs--;
			return run_addr(r);
		}
		r->pages -= pages;
		return run_addr(r) + r->pages * PALLOC_PAGE;
	}
	return 0;
}

u64 palloc_alloc(struct palloc *a, u64 pages)
{
	u64 p;

	if (!pages)
		return 0;
	/* Each refill takes memory from elsewhere for good, so this ends. */
	while (!(p = take(a, pages)))
		if (!a->refill || !a->refill(a->refill_ctx, pages))
			return 0;
	if (a->handed_out)
		a->handed_out(a->refill_ctx, p, pages);
	return p;
}

static u64 overlap_pages(const struct palloc *a, u64 base, u64 end)
{
	u64 n = 0;

	for (const struct palloc_run *r = a->head; r && run_addr(r) < end; r = r->next) {
		u64 rs = run_addr(r), re = rs + r->pages * PALLOC_PAGE;
		u64 s = rs > base ? rs : base, e = re < end ? re : end;

		if (s < e)
			n += (e - s) / PALLOC_PAGE;
	}
	return n;
}

bool palloc_is_free(const struct palloc *a, u64 base, u64 pages)
{
	return pages && overlap_pages(a, base, base + pages * PALLOC_PAGE) == pages;
}

bool palloc_any_free(const struct palloc *a, u64 base, u64 pages)
{
	return overlap_pages(a, base, base + pages * PALLOC_PAGE) != 0;
}

void palloc_for_each_run(const struct palloc *a, bool (*fn)(void *ctx, u64 base, u64 pages),
			 void *ctx)
{
	for (const struct palloc_run *r = a->head; r; r = r->next)
		if (!fn(ctx, run_addr(r), r->pages))
			return;
}
