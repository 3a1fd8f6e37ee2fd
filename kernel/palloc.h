/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The page allocator: free memory as a list of runs of whole pages, kept
 * sorted by address and merged with its neighbours, the run's header
 * living in its own first page (no metadata outside free memory, as in
 * xv6's kalloc). Memory is reached at its physical address (the kernel is
 * identity-mapped; the host tests hand in an arena).
 *
 * Freed pages are filled with PALLOC_JUNK first, so that a use after free
 * reads junk instead of stale data.
 */
#ifndef EFIMAP_KERNEL_PALLOC_H
#define EFIMAP_KERNEL_PALLOC_H

#include "lib/types.h"

#define PALLOC_PAGE 4096ULL
#define PALLOC_JUNK 0x6b

struct palloc_run;

struct palloc {
	struct palloc_run *head; /* lowest address first */
	u64 free_pages;
	u64 added_pages; /* pages ever handed in by palloc_add or palloc_free */
	u64 runs;
	u32 rejected; /* bad frees refused (unaligned, overlapping free memory) */
	/*
	 * Called when no run holds a request (lazy acceptance of unaccepted
	 * memory): may palloc_add() more and returns whether it did; the
	 * request is then tried again. NULL: nothing more to be had.
	 */
	bool (*refill)(void *ctx, u64 pages);
	/*
	 * Called with every range palloc_alloc() hands out, before it returns
	 * (lazy acceptance: the guard unit past it); may palloc_add().
	 */
	void (*handed_out)(void *ctx, u64 base, u64 pages);
	void *refill_ctx; /* for both */
};

void palloc_init(struct palloc *a);

/*
 * Hand [base, base + pages*4 KiB) to the allocator. junk says whether to
 * junk-fill it (freed memory) or not (memory nobody has used since boot).
 * Refused, counted in a->rejected, if base is not page aligned, pages is
 * 0, the range wraps, or it overlaps memory already free. Returns whether
 * it was taken.
 */
bool palloc_add(struct palloc *a, u64 base, u64 pages, bool junk);

/* Free pages that palloc_alloc() returned: junk-filled, then merged back. */
static inline bool palloc_free(struct palloc *a, u64 base, u64 pages)
{
	return palloc_add(a, base, pages, true);
}

/*
 * pages contiguous pages (first fit, from the top of the lowest run that
 * holds them), or 0 when no run is large enough and a->refill cannot add
 * one. The contents are junk (or zero, fresh from refill).
 */
u64 palloc_alloc(struct palloc *a, u64 pages);

/* Whether every page of [base, base + pages*4 KiB) is free. */
bool palloc_is_free(const struct palloc *a, u64 base, u64 pages);

/* Whether any page of the range is free. */
bool palloc_any_free(const struct palloc *a, u64 base, u64 pages);

/* Walk the free runs, lowest first; stop early when fn returns false. */
void palloc_for_each_run(const struct palloc *a, bool (*fn)(void *ctx, u64 base, u64 pages),
			 void *ctx);

#endif
