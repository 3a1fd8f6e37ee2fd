/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 4-level page tables for the kernel (identity mapping). */
#ifndef EFIMAP_KERNEL_X86_PAGING_H
#define EFIMAP_KERNEL_X86_PAGING_H

#include "kernel/handoff.h"
#include "kernel/pt.h"
#include "kernel/x86/cpu_features.h"
#include "memmap/memmap.h"

/* PAT entry 4 (PAT bit alone) is made write-combining for the framebuffer. */
#define PAT_INDEX_WC 4u

/*
 * Build the kernel's tables from the map in the handoff's pool and load
 * them: every map entry below paging_identity_limit() identity-mapped
 * (write-back where the entry allows WB, else uncached), no-execute except
 * the image's code, which is read-only (no-execute only where the CPU has
 * usable NX: cpu_nx()); entries reaching past the limit left unmapped, each
 * said on one line; page 0 and the lowest page of the kernel stack (a guard)
 * left unmapped; the GOP framebuffer of the handoff (rarely in the map)
 * mapped writable, no-execute, write-combining where the CPU has PAT, else
 * uncached; every unit unaccepted still marks left unmapped. Nothing in
 * PML4 slots 256-511. Probes the CPU first (cpu_features_probe()) and
 * refuses 5-level paging left on. Returns NULL or what went wrong.
 */
/* Page-table pages beyond pgtable_pages_needed() and the framebuffer's: none on x86. */
#define PAGING_EXTRA_PT_PAGES 0u

struct accept_table;
const char *paging_init(const struct handoff *h, const struct memmap *map,
			const struct accept_table *unaccepted, u64 *pml4_out, u64 *pages_used);

/*
 * The first physical address the kernel's tables never identity-map:
 * min(2^MAXPHYADDR, 2^47) for the probed CPU (cpu_identity_limit()).
 */
u64 paging_identity_limit(void);

/*
 * Map [start, end) (2 MiB aligned, below paging_identity_limit()), which
 * paging_init() left out because the unaccepted bitmap marked it:
 * writable, no-execute (with NX), write-back. Needs no page-table page
 * (paging_init() made the directories). 0 or -1.
 */
int paging_map_accepted(u64 pml4, u64 start, u64 end);

/* The framebuffer's cache type as mapped: "wc", "uc", or "none" (not mapped). */
const char *paging_fb_cache(void);
/* The PAT MSR as the firmware left it (0 if the CPU has no PAT). */
u64 paging_pat_at_entry(void);

/* Walk the tables rooted at pml4 (physical, identity-mapped) for va. */
struct pt_lookup paging_lookup(u64 pml4, u64 va);

/* Whether every page of [addr, addr + len) is present in the tables at pml4. */
bool paging_mapped(u64 pml4, u64 addr, u64 len);

#endif
