/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unaccepted memory in the kernel (seed 004, docs/architecture.md boot flow step 7):
 * the table the stub built, units left unmapped until accepted, and the
 * page allocator accepting on first use (lazy) or everything at boot
 * (efimap.accept=eager).
 */
#ifndef EFIMAP_KERNEL_ACCEPT_BOOT_H
#define EFIMAP_KERNEL_ACCEPT_BOOT_H

#include "accept/accept.h"
#include "kernel/accept_map.h"
#include "kernel/handoff.h"
#include "kernel/palloc.h"

enum kaccept_mode {
	KACCEPT_NONE = 0, /* no type 15, no simulation: nothing about acceptance runs */
	KACCEPT_LAZY,
	KACCEPT_EAGER,
};

#define KACCEPT_LOG 256u

struct kaccept {
	enum kaccept_mode mode;
	u32 source;		  /* enum handoff_accept_source */
	struct accept_source src; /* which memory of the map is unaccepted */
	struct accept_table *t;	  /* NULL when there is none or it is unusable */
	struct accept_ops ops;
	struct accept_stats st; /* the kernel's own backend calls */
	u64 tsc;		/* TSC ticks they took */
	u64 units_at_entry;	/* bits set when the kernel took the table over */
	u64 boot_bytes;		/* accepted by the end of boot (stub + kernel), at the summary */
	u64 lazy_refills;	/* times the allocator ran dry and accepted more */
	u64 guards;		/* allocations that took the guard unit after them along */
	u64 firmware_pages;	/* type-15 pages the stub accepted, given to the allocator */
	struct palloc *pa;	/* where accepted memory goes */
	/* What the kernel accepted, merged where ranges touch (the self-tests check it). */
	u32 nr_log, log_dropped;
	struct accept_extent log[KACCEPT_LOG];
};
extern struct kaccept kaccept;

/*
 * Before paging_init(): find and check the stub's table. Returns the table
 * for paging_init() to leave marked units unmapped, or NULL.
 */
struct accept_table *kaccept_init(const struct handoff *h, const struct memmap *map,
				  const struct options *o);

/*
 * Hand [base, base + pages * 4 KiB) to the allocator, minus every unit
 * still marked unaccepted (those join when accepted). What reclaim's
 * conventional memory goes through.
 */
bool kaccept_add_free(struct palloc *pa, u64 base, u64 pages);

/*
 * After the allocator holds conventional memory: lazy mode hooks the
 * allocator, eager mode accepts every marked unit now.
 */
void kaccept_start(struct palloc *pa);

/*
 * Accept [start, end) through the table (accept_range(): whole units plus
 * the guard); what gets accepted is mapped, zeroed and freed into the
 * allocator. 0 or the backend's failure.
 */
int kaccept_range(u64 start, u64 end);

/* Print "efimap: accept: mode=..." (before the self-tests: what boot accepted). */
void kaccept_summary(void);

#endif
