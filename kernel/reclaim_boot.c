// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reclaim in the kernel: the phases of reclaim.c wired to the page
 * allocator and the console. Seed 001: freeing waits until the allocator
 * that receives the pages is fully set up, and nothing below 1 MiB is
 * freed.
 */
#include "kernel/accept_boot.h"
#include "kernel/config_tables.h"
#include "kernel/efi.h"
#include "kernel/kernel.h"
#include "kernel/live_tables.h"
#include "kernel/reclaim_boot.h"
#include "kernel/reclaim_lines.h"
#include "lib/crc32.h"
#include "lib/string.h"

#define PAGE	   4096ULL
#define KEPT_LINES 64u /* kept runs printed one per line; the totals always print */

struct reclaim_state kreclaim;
static struct resv resv_storage[RECLAIM_RESV_CAP];

static u32 map_crc(const struct memmap *map)
{
	return crc32(0, map->base, (size_t)map->nr_map * map->desc_size);
}

static const char *type_at(const struct memmap *map, u64 addr)
{
	s64 i = memmap_find(map, addr);

	return i < 0 ? "outside the map" : mm_type_name(memmap_desc(map, (u32)i)->type);
}

static void say_table(const char *what, u64 addr, const char *why)
{
	printk("efimap: resv: %s at 0x%llx: %s; keeping what could be sized (at least its first "
	       "page)",
	       what, (unsigned long long)addr, why);
}

static bool pa_add(void *ctx, u64 base, u64 pages)
{
	/* Units still unaccepted stay out until accepted (kernel/accept_boot.c). */
	return kaccept_add_free(ctx, base, pages);
}

static bool pa_free(void *ctx, u64 base, u64 pages)
{
	return palloc_free(ctx, base, pages);
}

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printk("efimap: %s", line);
}

/* Kept runs, merged while adjacent and of one reason, printed when the run ends. */
static struct reclaim_kept_runs kept_run = {
	.max_lines = KEPT_LINES,
	.emit = print_line,
};

static void kept_flush(void)
{
	reclaim_kept_runs_flush(&kept_run);
}

static void pa_kept(void *ctx, u64 base, u64 pages, enum resv_reason why, u32 type)
{
	(void)ctx;
	reclaim_kept_runs_add(&kept_run, base, pages, why, type);
}

static const struct reclaim_ops ops = {
	.add_range = pa_add,
	.free_range = pa_free,
	.kept_range = pa_kept,
	.ctx = &kreclaim.pa,
};

static void print_kern_ranges(const struct reclaim *rc, const struct memmap *map)
{
	u32 boot = 0, kern = 0;

	for (u32 i = 0; i < rc->resv.nr; i++) {
		const struct resv *r = &rc->resv.r[i];

		if (r->flag != RESV_KERN) {
			boot++;
			continue;
		}
		kern++;
		printk("efimap: resv: KERN 0x%016llx-0x%016llx %s (%s)",
		       (unsigned long long)r->base, (unsigned long long)(r->end - 1),
		       resv_reason_name(r->reason), type_at(map, r->base));
	}
	printk("efimap: resv: boot_ranges=%u kern_ranges=%u table=%u/%u dropped=%u", boot, kern,
	       rc->resv.nr, rc->resv.cap, rc->resv.dropped);
}

/*
 * What becomes of each configuration table that is not kept as expected
 * (config_table_fate): boot-time tables efimap knows, tables it does not
 * know (named as unknown, not guessed to be boot-time), and whether their
 * pages are freed: boot-services memory above 1 MiB that nothing tags KERN.
 */
static void print_unkept_tables(const struct handoff *h, const struct reclaim *rc,
				const struct memmap *map)
{
	for (u32 i = 0; i < h->nr_config_tables; i++) {
		u64 addr = h->config[i].table;
		s64 e = memmap_find(map, addr);
		bool freed = e >= 0 && mm_is_reclaimable(memmap_desc(map, (u32)e), NULL) &&
			     addr >= RECLAIM_LOW_LIMIT &&
			     resv_kern_reason(&rc->resv, addr) == RSN_NR;
		char line[192];

		if (config_table_fate(line, sizeof(line), i, &h->config[i].guid, addr,
				      type_at(map, addr), freed))
			printk("efimap: resv: %s", line);
	}
}

void reclaim_early(const struct handoff *h, struct memmap *map)
{
	struct reclaim *rc = &kreclaim.rc;
	u64 conv;

	kreclaim.crc_before_tag = map_crc(map);
	kreclaim.reserved = reclaim_reserve(rc, map, h->map_buffer_bytes, resv_storage,
					    ARRAY_SIZE(resv_storage));
	live_tables_tag(rc, h, map, say_table, &kreclaim.tables);
	kreclaim.reserved &= rc->resv.dropped == 0;
	if (h->flags & HANDOFF_CONFIG_TRUNCATED) {
		/* A table past the handoff's copy may live in boot-services memory. */
		kreclaim.reserved = false;
		kreclaim.why_not = "the firmware has more configuration tables than the handoff "
				   "holds; one of them may live in boot-services memory";
	}
	kreclaim.crc_after_tag = map_crc(map);
	print_kern_ranges(rc, map);
	print_unkept_tables(h, rc, map);
	if (rc->st.overlapping_entries || rc->st.malformed_entries)
		printk("efimap: resv: keeping %u overlapping and %u malformed boot-services "
		       "entries whole",
		       rc->st.overlapping_entries, rc->st.malformed_entries);

	/* The allocator starts on conventional memory; boot-services pages join it in phase 2. */
	palloc_init(&kreclaim.pa);
	conv = reclaim_add_conventional(rc, &ops);
	kaccept_start(&kreclaim.pa);
	printk("efimap: palloc: conventional_kib=%llu runs=%llu skipped_entries=%u",
	       (unsigned long long)(conv * 4), (unsigned long long)kreclaim.pa.runs,
	       rc->st.conventional_skipped);
}

/* Keep a copy of the map as phase 2 finds it, for the self-tests to compare against. */
static void snapshot_map(const struct memmap *map)
{
	u64 bytes = (u64)map->nr_map * map->desc_size;
	u64 pages = (bytes + PAGE - 1) / PAGE;
	u64 at = pages ? palloc_alloc(&kreclaim.pa, pages) : 0;

	if (!at) {
		printk("efimap: reclaim: no pages for a copy of the map; its self-tests will skip");
		return;
	}
	memcpy((void *)(uintptr_t)at, map->base, bytes);
	memmap_init(&kreclaim.before, (void *)(uintptr_t)at, map->desc_size, map->desc_version,
		    map->nr_map, map->nr_map);
	kreclaim.before_pages = pages;
}

static void print_accounting(const struct reclaim_stats *st)
{
	reclaim_emit_accounting(st, print_line, NULL);
}

void reclaim_late(void)
{
	struct reclaim *rc = &kreclaim.rc;
	u64 tramp;

	if (!kreclaim.reserved) {
		if (!kreclaim.why_not)
			kreclaim.why_not = rc->resv.dropped ? "the reservation table overflowed"
							    : "phase 1 did not run";
		printk("efimap: reclaim: nothing freed: %s", kreclaim.why_not);
		return;
	}
	tramp = reclaim_trampoline(rc);
	if (tramp == ~0ULL)
		printk("efimap: reclaim: trampoline: no free page below 1 MiB at all");
	else if (rc->st.trampoline_from_bs)
		printk("efimap: reclaim: trampoline: no conventional page below 1 MiB; keeping "
		       "boot-services page 0x%llx for it",
		       (unsigned long long)tramp);
	else
		printk("efimap: reclaim: trampoline: conventional page 0x%llx set aside",
		       (unsigned long long)tramp);

	snapshot_map(rc->map);
	kreclaim.map_bytes_before = rc->map_bytes;
	/* Design step 5: out of the EFI tables first, so firmware can never reach freed pages. */
	efi_pt_unmap_boot_services(rc->map);
	kreclaim.why_not = reclaim_free(rc, &ops);
	kept_flush();
	if (kreclaim.why_not) {
		printk("efimap: reclaim: nothing freed: %s", kreclaim.why_not);
		return;
	}
	if (kept_run.unprinted)
		printk("efimap: reclaim: ... %u more kept runs (totals below)", kept_run.unprinted);
	reclaim_compact(rc, &ops);
	if (rc->resv.dropped)
		printk("efimap: reclaim: the reservation table overflowed during the free phase; "
		       "the map was not compacted");
	if (rc->st.runtime_attr_entries)
		printk("efimap: reclaim: %u boot-services entries carry EFI_MEMORY_RUNTIME: kept "
		       "whole, the firmware still uses them",
		       rc->st.runtime_attr_entries);
	kreclaim.freed = true;
	print_accounting(&rc->st);
}

u32 reclaim_again(void)
{
	u32 removed;

	if (!kreclaim.freed)
		return 0;
	reclaim_free(&kreclaim.rc, &ops);
	removed = reclaim_compact(&kreclaim.rc, &ops);
	kept_flush();
	return removed;
}
