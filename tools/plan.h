/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `efimap plan`: what efimap does with a map, computed by the code efimap
 * runs: the stub's virtual layout (memmap/layout.c) and the kernel's
 * reclaim (kernel/reclaim.c: reserve, tag KERN, trampoline, free,
 * compact), compiled into the tool. The kernel also keeps pages for
 * tables it finds at run time (KERN reservations: the memory attributes
 * table, ESRT, the boot logo, its own image...); a map alone does not show
 * them, so plan takes them from the kernel's own lines when the input has
 * them (struct kernel_lines) and otherwise says that its freed count is an
 * upper bound.
 */
#ifndef EFIMAP_TOOLS_PLAN_H
#define EFIMAP_TOOLS_PLAN_H

#include <stdio.h>

#include "kernel/reclaim.h"
#include "tools/kernel_lines.h"
#include "tools/tool.h"

/*
 * Maps larger than this are not reclaimed by the plan: the kernel's overlap
 * checks are quadratic (fine for firmware maps of a few hundred entries),
 * and an input of millions of entries must not hang the tool.
 */
#define PLAN_MAX_RECLAIM_ENTRIES 16384u

/* The kernel's reclaim run on a map (plan_reclaim()). */
struct plan_reclaim {
	struct memmap map; /* the map after compaction (owns map.base) */
	struct reclaim rc; /* rc.st: the kernel's accounting */
	struct resv *storage;
	bool kern_known;	/* the kernel's KERN reservations were applied */
	char kern_unknown[240]; /* when not: why */
	u32 kern_applied;	/* KERN lines applied (map-derived reasons are recomputed) */
	bool sorted;		/* the map came unsorted and was sorted first, as the kernel does */
	bool tail_known;	/* the map buffer's size was known, so tail_freed is too */
	const char *why_not;	/* nothing freed, and why (the kernel's own words), or NULL */
	bool not_run;		/* too large to simulate: why_not says so, no figures */
	/* The kernel's "reclaim: kept ..." lines for this map, all of them, in order. */
	char **kept_lines;
	u32 nr_kept_lines;
	u32 refused_frees; /* frees the page-allocator model refused (overlapping free memory) */
};

/*
 * Run the kernel's reclaim on a copy of map with the kernel's reservations
 * from kl (NULL or incomplete: none beyond what the map itself implies),
 * in the kernel's order (kernel/reclaim_boot.c): sort if unsorted, reserve
 * boot-services memory, tag KERN, hand conventional memory to the
 * allocator, set the trampoline page aside, free, compact. The allocator
 * is a model with palloc_add()'s contract (it refuses memory already
 * free); nothing is touched. A map of more than PLAN_MAX_RECLAIM_ENTRIES is
 * not run (why_not says so). Returns 0, or -1 when out of memory.
 * plan_reclaim_free() either way.
 */
int plan_reclaim(const struct memmap *map, const struct kernel_lines *kl, struct plan_reclaim *r);
void plan_reclaim_free(struct plan_reclaim *r);

/*
 * The whole `plan` report for a map already loaded (name for messages),
 * with the kernel's lines of the same boot when the input had them (kl
 * NULL: none were looked for). cmd_plan() reads a FILE and calls this; a
 * run folder's loader calls it with the folder's map and the lines of its
 * report. Returns the exit status.
 */
int plan_report(const char *name, const struct parsed_map *pm, const struct kernel_lines *kl,
		const struct tool_opts *o, FILE *out, FILE *err);

#endif
