// SPDX-License-Identifier: BSD-2-Clause
/*
 * The reclaim accounting as text (reclaim_lines.h). The keys are the
 * README's and stable: scripts and tests/boot/plan-check.sh grep them.
 */
#include "kernel/reclaim_lines.h"
#include "lib/printf.h"

#define PAGE 4096ULL

void reclaim_kept_runs_flush(struct reclaim_kept_runs *k)
{
	char line[RECLAIM_LINE_MAX];

	if (!k->pages)
		return;
	if (k->printed < k->max_lines) {
		fmt_snprintf(line, sizeof(line),
			     "reclaim: kept 0x%016llx-0x%016llx pages=%llu %s (%s)",
			     (unsigned long long)k->base,
			     (unsigned long long)(k->base + k->pages * PAGE - 1),
			     (unsigned long long)k->pages, resv_reason_name(k->why),
			     k->type ? "Boot Data" : "Boot Code");
		k->emit(k->ctx, line);
		k->printed++;
	} else {
		k->unprinted++;
	}
	k->pages = 0;
}

void reclaim_kept_runs_add(struct reclaim_kept_runs *k, u64 base, u64 pages, enum resv_reason why,
			   u32 type)
{
	if (k->pages && k->why == why && k->type == type && k->base + k->pages * PAGE == base) {
		k->pages += pages;
		return;
	}
	reclaim_kept_runs_flush(k);
	k->base = base;
	k->pages = pages;
	k->why = why;
	k->type = type;
}

void reclaim_emit_accounting(const struct reclaim_stats *st, reclaim_line_fn emit, void *ctx)
{
	static const char *const names[2] = { "Boot Code", "Boot Data" };
	char line[RECLAIM_LINE_MAX];

	fmt_snprintf(line, sizeof(line), "reclaim: %-10s %12s %12s %12s", "type", "total_pages",
		     "freed_pages", "kept_pages");
	emit(ctx, line);
	for (u32 t = 0; t < 2; t++) {
		u64 kept = 0;

		for (u32 r = 0; r < RSN_NR; r++)
			kept += st->type[t].kept[r];
		fmt_snprintf(line, sizeof(line), "reclaim: %-10s %12llu %12llu %12llu", names[t],
			     (unsigned long long)st->type[t].total,
			     (unsigned long long)st->type[t].freed, (unsigned long long)kept);
		emit(ctx, line);
	}
	for (u32 r = 0; r < RSN_NR; r++) {
		u64 pages = st->type[0].kept[r] + st->type[1].kept[r];

		if (!pages)
			continue;
		fmt_snprintf(line, sizeof(line), "reclaim: kept_by %s pages=%llu kib=%llu",
			     resv_reason_name((enum resv_reason)r), (unsigned long long)pages,
			     (unsigned long long)(pages * 4));
		emit(ctx, line);
	}
	fmt_snprintf(line, sizeof(line),
		     "reclaim: bs_total_kib=%llu freed_kib=%llu kept_kib=%llu leak_pages=%llu "
		     "map_entries_before=%u map_entries_after=%u tail_freed_kib=%llu",
		     (unsigned long long)(st->bs_total * 4), (unsigned long long)(st->freed * 4),
		     (unsigned long long)(st->kept * 4), (unsigned long long)st->leak,
		     st->entries_before, st->entries_after,
		     (unsigned long long)(st->tail_freed_pages * 4));
	emit(ctx, line);
}
