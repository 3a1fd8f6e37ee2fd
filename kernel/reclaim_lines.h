/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reclaim accounting as text (README "reclaim"): the kept runs, the
 * per-type table, the kept_by lines and the summary line. The kernel
 * prints them on its console and `efimap plan` prints them for a map, from
 * this one formatter, so the two can be compared line by line.
 *
 * Lines are handed over without the "efimap: " prefix ("reclaim: ...");
 * the caller adds what its output needs. Freestanding: builds hosted too.
 */
#ifndef EFIMAP_KERNEL_RECLAIM_LINES_H
#define EFIMAP_KERNEL_RECLAIM_LINES_H

#include "kernel/reclaim.h"

/* Longest line produced, with its NUL. */
#define RECLAIM_LINE_MAX 256u

typedef void (*reclaim_line_fn)(void *ctx, const char *line);

/*
 * Kept runs as the free phase reports them (reclaim_ops.kept_range):
 * adjacent runs of one reason and one type merge into one line; after
 * max_lines lines the rest are only counted in unprinted.
 */
struct reclaim_kept_runs {
	u64 base, pages;
	enum resv_reason why;
	u32 type; /* 0 Boot Code, 1 Boot Data */
	u32 printed, unprinted;
	u32 max_lines;
	reclaim_line_fn emit;
	void *ctx;
};

/* Add one kept run; a run that does not continue the pending one flushes it first. */
void reclaim_kept_runs_add(struct reclaim_kept_runs *k, u64 base, u64 pages, enum resv_reason why,
			   u32 type);

/* Emit the pending run, if any. */
void reclaim_kept_runs_flush(struct reclaim_kept_runs *k);

/*
 * The table "reclaim: type total_pages freed_pages kept_pages" with a row
 * per boot-services type, a "reclaim: kept_by REASON pages=N kib=N" line
 * per reason that kept pages, and the summary line "reclaim:
 * bs_total_kib=... tail_freed_kib=...", in that order.
 */
void reclaim_emit_accounting(const struct reclaim_stats *st, reclaim_line_fn emit, void *ctx);

#endif
