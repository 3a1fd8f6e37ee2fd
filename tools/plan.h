/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What efimap's kernel would do with the boot-services memory of a map
 * (design.md, deferred free phase and invariant 8), as far as a log can
 * tell: every Boot Code/Boot Data page is freed except those below 1 MiB
 * and those inside KERN reservations, which a log does not show.
 */
#ifndef EFIMAP_TOOLS_PLAN_H
#define EFIMAP_TOOLS_PLAN_H

#include "memmap/memmap.h"

#define PLAN_LOW_LIMIT SZ_1M /* pages starting below this are never freed */

struct bs_plan {
	u32 entries;	     /* Boot Code and Boot Data entries */
	u64 pages;	     /* their pages (saturating) */
	u64 kept_low_pages;  /* pages starting below 1 MiB: kept */
	u64 freed_pages;     /* pages - kept_low_pages: freed unless KERN */
	u32 removed_entries; /* entries whose every page is freed: compaction drops them */
};

/* Add up the boot-services entries of m. */
void plan_boot_services(const struct memmap *m, struct bs_plan *p);

#endif
