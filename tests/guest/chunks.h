/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Allocations the guest suites take to empty the page allocator, linked
 * through their own first bytes, and given back without a second junk
 * fill of every page (only the link, which the test wrote, is junked):
 * refilling gigabytes would dominate a large boot under emulation.
 */
#ifndef EFIMAP_TESTS_GUEST_CHUNKS_H
#define EFIMAP_TESTS_GUEST_CHUNKS_H

#include "kernel/palloc.h"
#include "lib/string.h"

struct chunk {
	struct chunk *next;
	u64 pages;
};

/* Put [p, p + pages) at the head of *list. */
static inline void chunk_push(struct chunk **list, u64 p, u64 pages)
{
	struct chunk *c = (struct chunk *)(uintptr_t)p;

	c->next = *list;
	c->pages = pages;
	*list = c;
}

/* Hand every chunk of list back to pa. */
static inline void chunks_give_back(struct palloc *pa, struct chunk *list)
{
	while (list) {
		struct chunk *c = list;
		u64 pages = c->pages;

		list = c->next;
		memset(c, PALLOC_JUNK, sizeof(*c));
		palloc_add(pa, (u64)(uintptr_t)c, pages, false);
	}
}

#endif
