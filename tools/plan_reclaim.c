// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's reclaim run on a map in the host tool (plan.h): the same
 * kernel/reclaim.c, called in the order kernel/reclaim_boot.c calls it,
 * with a model of the page allocator in place of kernel/palloc.c (which
 * keeps its bookkeeping inside the free pages themselves, so it cannot
 * run on memory the host does not have).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/reclaim_lines.h"
#include "tools/plan.h"

#define PAGE 4096ULL

/* Free memory as sorted, disjoint [base, end) ranges: palloc_add()'s refusals, nothing else. */
struct free_model {
	struct {
		u64 base, end;
	} * r;
	u32 nr, cap;
	bool compacting; /* reclaim_compact() frees the map buffer's tail: a host address */
	bool oom;
	u32 refused;
	struct plan_reclaim *plan;
	struct reclaim_kept_runs runs; /* the kernel's "kept" lines, merged as it merges them */
};

/* The first range ending after addr. */
static u32 first_after(const struct free_model *f, u64 addr)
{
	u32 lo = 0, hi = f->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (f->r[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* palloc_add(): refused when unaligned, empty, wrapping or overlapping memory already free. */
static bool model_add(void *ctx, u64 base, u64 pages)
{
	struct free_model *f = ctx;
	u64 end = base + pages * PAGE;
	u32 i;

	if (f->compacting)
		return true;
	if ((base & (PAGE - 1)) || !pages || pages > (~0ULL - base) / PAGE) {
		f->refused++;
		return false;
	}
	i = first_after(f, base);
	if (i < f->nr && f->r[i].base < end) {
		f->refused++;
		return false;
	}
	if (f->nr == f->cap) {
		u32 cap = f->cap ? f->cap * 2 : 256;
		void *r = realloc(f->r, cap * sizeof(*f->r));

		if (!r) {
			f->oom = true;
			return false;
		}
		f->r = r;
		f->cap = cap;
	}
	memmove(&f->r[i + 1], &f->r[i], (f->nr - i) * sizeof(*f->r));
	f->r[i].base = base;
	f->r[i].end = end;
	f->nr++;
	return true;
}

static void keep_line(void *ctx, const char *line)
{
	struct free_model *f = ctx;
	struct plan_reclaim *r = f->plan;
	char **lines, *copy;

	if (f->oom)
		return;
	lines = realloc(r->kept_lines, (r->nr_kept_lines + 1) * sizeof(*lines));
	copy = strdup(line);
	if (!lines || !copy) {
		free(copy);
		if (lines)
			r->kept_lines = lines;
		f->oom = true;
		return;
	}
	r->kept_lines = lines;
	r->kept_lines[r->nr_kept_lines++] = copy;
}

static void model_kept(void *ctx, u64 base, u64 pages, enum resv_reason why, u32 type)
{
	struct free_model *f = ctx;

	reclaim_kept_runs_add(&f->runs, base, pages, why, type);
}

/* Reasons reclaim_reserve() derives from the map itself: recomputed, never taken from a log. */
static bool map_derived(enum resv_reason why)
{
	return why == RSN_MALFORMED || why == RSN_OVERLAP || why == RSN_RUNTIME_ATTR;
}

/* The map as the kernel holds it: its desc_size and capacity when the log gives them. */
static int copy_map(const struct memmap *src, const struct kernel_lines *kl, struct plan_reclaim *r)
{
	u32 desc_size = src->desc_size, cap;
	u8 *buf;

	if (kl && kl->desc_size >= MM_DESC_MIN_SIZE && kl->desc_size % 8 == 0 &&
	    kl->desc_size <= 4096)
		desc_size = kl->desc_size;
	/* Room to sort in O(n log n), as the kernel's oversized buffer gives. */
	cap = src->nr_map + src->nr_map / 2 + 1;
	if (kl && kl->capacity > cap && kl->capacity <= 4 * src->nr_map + 64)
		cap = kl->capacity;
	buf = calloc(cap, desc_size);
	if (!buf)
		return -1;
	for (u32 i = 0; i < src->nr_map; i++)
		memcpy(buf + (size_t)i * desc_size, memmap_desc(src, i),
		       desc_size < src->desc_size ? desc_size : src->desc_size);
	if (memmap_init(&r->map, buf, desc_size, src->desc_version, src->nr_map, cap) != MM_OK) {
		free(buf);
		return -1;
	}
	return 0;
}

/* The map buffer's size: the kernel's memory-map KERN range is exactly that buffer. */
static u64 map_buffer_bytes(const struct kernel_lines *kl)
{
	for (u32 i = 0; kl && i < kl->nr_kern; i++)
		if (kl->kern[i].reason == RSN_MEMORY_MAP)
			return kl->kern[i].end - kl->kern[i].base;
	return 0;
}

int plan_reclaim(const struct memmap *map, const struct kernel_lines *kl, struct plan_reclaim *r)
{
	struct free_model f = { .plan = r };
	const struct reclaim_ops ops = {
		.add_range = model_add,
		.free_range = model_add,
		.kept_range = model_kept,
		.ctx = &f,
	};
	struct reclaim *rc = &r->rc;
	u64 buffer = 0;
	bool reserved;

	memset(r, 0, sizeof(*r));
	if (map->nr_map > PLAN_MAX_RECLAIM_ENTRIES) {
		snprintf(r->kern_unknown, sizeof(r->kern_unknown), "not looked at");
		r->not_run = true;
		r->why_not = "the map has more entries than the plan simulates (16384): the "
			     "kernel's overlap checks are quadratic";
		return 0;
	}
	f.runs = (struct reclaim_kept_runs){ .max_lines = ~0u, .emit = keep_line, .ctx = &f };
	if (copy_map(map, kl, r))
		return -1;
	r->storage = calloc(RECLAIM_RESV_CAP, sizeof(*r->storage));
	if (!r->storage)
		return -1;
	if (!kl)
		snprintf(r->kern_unknown, sizeof(r->kern_unknown),
			 "the input is not a log with the kernel's lines");
	else if (kl->entries && kl->entries != map->nr_map)
		/* Another map's lines (a run folder's capture, not the map the kernel got). */
		snprintf(r->kern_unknown, sizeof(r->kern_unknown),
			 "the kernel's lines are for a map of %u entries, this one has %u",
			 kl->entries, map->nr_map);
	else
		r->kern_known = kernel_lines_complete(kl, r->kern_unknown, sizeof(r->kern_unknown));
	if (r->kern_known)
		buffer = map_buffer_bytes(kl);
	r->tail_known = buffer != 0;

	/* kernel/map_check.c: reclaim works on address order. */
	if (!memmap_is_sorted(&r->map)) {
		memmap_sort(&r->map);
		r->sorted = true;
	}
	/* kernel/reclaim_boot.c reclaim_early(): reserve, then the live tables' KERN tags. */
	reserved = reclaim_reserve(rc, &r->map, buffer, r->storage, RECLAIM_RESV_CAP);
	for (u32 i = 0; r->kern_known && i < kl->nr_kern; i++) {
		if (map_derived(kl->kern[i].reason))
			continue;
		reclaim_tag(rc, kl->kern[i].base, kl->kern[i].end, kl->kern[i].reason);
		r->kern_applied++;
	}
	reserved &= rc->resv.dropped == 0;
	reclaim_add_conventional(rc, &ops);
	/* reclaim_late(): the trampoline, then free and compact. */
	if (!reserved) {
		r->why_not = "the reservation table overflowed";
	} else if (r->kern_known && kl->nothing_freed[0]) {
		/*
		 * The kernel of this boot said it freed nothing, for a reason a map
		 * does not show (more configuration tables than its handoff held):
		 * what it did is what the plan says.
		 */
		r->why_not = kl->nothing_freed;
	} else {
		reclaim_trampoline(rc);
		r->why_not = reclaim_free(rc, &ops);
		reclaim_kept_runs_flush(&f.runs);
		if (!r->why_not) {
			f.compacting = true;
			reclaim_compact(rc, &ops);
		}
	}
	r->refused_frees = f.refused;
	free(f.r);
	return f.oom ? -1 : 0;
}

void plan_reclaim_free(struct plan_reclaim *r)
{
	for (u32 i = 0; i < r->nr_kept_lines; i++)
		free(r->kept_lines[i]);
	free(r->kept_lines);
	free(r->map.base);
	free(r->storage);
	memset(r, 0, sizeof(*r));
}
