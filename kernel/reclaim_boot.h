/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's two reclaim phases (docs/architecture.md "Boot flow/kernel" 3, 5, 6,
 * 7), around kernel/reclaim.c: phase 1 right after the page tables,
 * phase 2 just before the self-tests, with the page allocator set up in
 * between.
 */
#ifndef EFIMAP_KERNEL_RECLAIM_BOOT_H
#define EFIMAP_KERNEL_RECLAIM_BOOT_H

#include "kernel/handoff.h"
#include "kernel/live_tables.h"
#include "kernel/palloc.h"
#include "kernel/reclaim.h"

/* What the phases leave behind for the self-tests to check. */
struct reclaim_state {
	struct reclaim rc;
	struct palloc pa;
	bool reserved;	     /* phase 1 ran and the table held every range */
	bool freed;	     /* phase 2 ran */
	const char *why_not; /* when not freed, why */
	u32 crc_before_tag;  /* the map's bytes before phase 1 ... */
	u32 crc_after_tag;   /* ... and after every KERN range was tagged */
	/* A copy of the map as phase 2 found it, in pages from the allocator (none if 0). */
	struct memmap before;
	u64 before_pages;
	u64 map_bytes_before;	    /* the map buffer's size before its tail was freed */
	struct live_records tables; /* the firmware tables kept, with their CRCs */
};
extern struct reclaim_state kreclaim;

/* Phase 1: reserve boot-services memory, tag KERN, start the allocator on conventional memory. */
void reclaim_early(const struct handoff *h, struct memmap *map);

/* Phase 2: trampoline, free, compact, account; prints the table and the summary line. */
void reclaim_late(void);

/* Free + compact once more (the self-test of invariant 11); returns entries removed. */
u32 reclaim_again(void);

#endif
