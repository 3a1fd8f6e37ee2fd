/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reclaiming boot-services memory (seeds 000 and 001, docs/architecture.md "Boot
 * flow/kernel" steps 3, 5 and 6), as logic over a map and a reservation
 * table; where pages go is the caller's business (struct reclaim_ops), so
 * the same code runs in the kernel and in the host tests.
 *
 *   reclaim_reserve()   phase 1, early: every boot-services region BOOT.
 *   reclaim_tag()       mark live data KERN (page-granular, any type);
 *                       the map is never touched.
 *   reclaim_trampoline() set one page below 1 MiB aside for a real-mode
 *                       trampoline, from boot-services memory only if no
 *                       conventional page is there (Linux's quirk).
 *   reclaim_free()      phase 2, once the allocator is up: free every
 *                       boot-services page that is neither KERN nor below
 *                       1 MiB; count every page as freed or kept-with-reason.
 *   reclaim_compact()   drop the entries freed entirely (memmap_filter),
 *                       then free the map buffer's unused tail.
 *
 * Running free + compact again changes nothing (invariant 11).
 */
#ifndef EFIMAP_KERNEL_RECLAIM_H
#define EFIMAP_KERNEL_RECLAIM_H

#include "kernel/resv.h"
#include "memmap/memmap.h"

#define RECLAIM_LOW_LIMIT 0x100000ULL /* 1 MiB */
/* The kernel's reservation table; `efimap plan` uses the same size, so it overflows alike. */
#define RECLAIM_RESV_CAP 2048u

struct reclaim_ops {
	/* Give never-used pages (conventional memory) to the allocator, no junk fill needed. */
	bool (*add_range)(void *ctx, u64 base, u64 pages);
	/* Give pages to the allocator; false if it refused them (they are then kept). */
	bool (*free_range)(void *ctx, u64 base, u64 pages);
	/* A run of boot-services pages that stays, and why (for the printed table). */
	void (*kept_range)(void *ctx, u64 base, u64 pages, enum resv_reason why, u32 type);
	void *ctx;
};

/* Pages of one boot-services type: 0 Boot Code, 1 Boot Data. */
struct reclaim_type_pages {
	u64 total;
	u64 freed;
	u64 kept[RSN_NR];
};

enum reclaim_phase {
	RECLAIM_NONE = 0,
	RECLAIM_RESERVED, /* phase 1 done */
	RECLAIM_FREED,	  /* phase 2 done: nothing left to free */
};

struct reclaim_stats {
	struct reclaim_type_pages type[2];
	u64 bs_total; /* pages in boot-services entries when phase 2 began */
	u64 freed;
	u64 kept;
	u64 leak; /* bs_total - freed - kept: anything but 0 is a bug */
	u32 entries_before;
	u32 entries_after;
	u64 tail_freed_pages;
	u64 trampoline;		  /* the page set aside, or ~0 when none */
	bool trampoline_from_bs;  /* taken from boot-services memory (no conventional one) */
	u32 overlapping_entries;  /* boot-services entries kept whole for overlapping another */
	u32 malformed_entries;	  /* kept whole: unaligned, wrapping or beyond 2^48 */
	u32 runtime_attr_entries; /* kept whole: boot-services type marked EFI_MEMORY_RUNTIME */
	u64 conventional_pages;	  /* conventional memory handed to the allocator */
	u32 conventional_skipped; /* conventional entries left out: malformed or overlapping */
};

struct reclaim {
	struct memmap *map;
	struct resv_table resv;
	u64 map_bytes; /* the map buffer's size, shrinking when its tail is freed */
	enum reclaim_phase phase;
	struct reclaim_stats st;
};

/*
 * Phase 1: start a reclaim over map, whose buffer is map_bytes long, with
 * the reservation table in storage[cap]. Reserves every boot-services
 * region BOOT, and KERN whole where the entry is malformed, carries
 * EFI_MEMORY_RUNTIME, or overlaps another entry (freeing any of those
 * could hand out memory still in use).
 * Returns false when the table is too small (nothing may then be freed).
 */
bool reclaim_reserve(struct reclaim *rc, struct memmap *map, u64 map_bytes, struct resv *storage,
		     u32 cap);

/* Keep [base, end) (rounded out to pages) for good, for this reason. */
bool reclaim_tag(struct reclaim *rc, u64 base, u64 end, enum resv_reason why);

/*
 * Hand every conventional page at or above 1 MiB that is not KERN to
 * ops->add_range, skipping whole entries that are malformed, overlap
 * another entry, or carry EFI_MEMORY_SP or EFI_MEMORY_RUNTIME. Call it after tagging. Returns the
 * pages handed over.
 */
u64 reclaim_add_conventional(struct reclaim *rc, const struct reclaim_ops *ops);

/*
 * Set a page below 1 MiB aside for a real-mode trampoline: the highest
 * conventional page in [4 KiB, 1 MiB) if there is one, else the highest
 * boot-services page there that is not KERN. Returns the page, or ~0 when
 * there is none; st.trampoline_from_bs says which kind it was.
 */
u64 reclaim_trampoline(struct reclaim *rc);

/*
 * Phase 2: free what phase 1 reserved, except KERN and below-1 MiB pages.
 * Fills st; st.leak is nonzero if the books do not balance. Returns NULL,
 * or why nothing was freed (phase 1 missing or incomplete). Calling it
 * again frees nothing and leaves st as it was.
 */
const char *reclaim_free(struct reclaim *rc, const struct reclaim_ops *ops);

/*
 * Compaction: remove the boot-services entries with no kept page, keeping
 * order, then free the buffer's unused tail (whole pages past nr_map
 * descriptors) and shrink map->capacity and the memory-map reservation to
 * match. Returns the entries removed by this call.
 */
u32 reclaim_compact(struct reclaim *rc, const struct reclaim_ops *ops);

/* Whether this boot-services entry has no page that must stay. */
bool reclaim_entry_freeable(const struct reclaim *rc, const struct mm_desc *md);

#endif
