// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reclaiming boot-services memory (reclaim.h). UEFI 2.10 section 7.4:
 * after ExitBootServices, EfiBootServicesCode and EfiBootServicesData are
 * "available for general use" by the OS; what the OS keeps is its own
 * choice, made here page by page, with the map left as it is.
 */
#include "kernel/reclaim.h"
#include "lib/string.h"

#define PAGE 4096ULL

static int bs_type_index(const struct mm_desc *md)
{
	if (md->type == MM_BOOT_CODE)
		return 0;
	if (md->type == MM_BOOT_DATA)
		return 1;
	return -1;
}

/*
 * Unaligned, wrapping or beyond 4-level paging: the kernel does not map it
 * (mm_desc_mappable), so its pages can be neither junk-filled nor handed
 * out; the entry stays whole.
 */
static bool entry_malformed(const struct mm_desc *md)
{
	return md->num_pages && !mm_desc_mappable(md);
}

static bool overlaps_other_entry(const struct memmap *map, u32 i)
{
	return memmap_entry_overlaps(map, i);
}

bool reclaim_reserve(struct reclaim *rc, struct memmap *map, u64 map_bytes, struct resv *storage,
		     u32 cap)
{
	memset(rc, 0, sizeof(*rc));
	rc->map = map;
	rc->map_bytes = map_bytes;
	rc->st.trampoline = ~0ULL;
	resv_init(&rc->resv, storage, cap);

	for (u32 i = 0; i < map->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(map, i);
		u64 end = mm_desc_end(md);

		if (bs_type_index(md) < 0 || !md->num_pages)
			continue;
		resv_add(&rc->resv, md->phys_addr, end, RESV_BOOT, RSN_BOOT_SERVICES);
		if (entry_malformed(md)) {
			rc->st.malformed_entries++;
			resv_add(&rc->resv, md->phys_addr, end, RESV_KERN, RSN_MALFORMED);
		} else if (!mm_is_reclaimable(md, NULL)) {
			rc->st.runtime_attr_entries++;
			resv_add(&rc->resv, md->phys_addr, end, RESV_KERN, RSN_RUNTIME_ATTR);
		} else if (overlaps_other_entry(map, i)) {
			rc->st.overlapping_entries++;
			resv_add(&rc->resv, md->phys_addr, end, RESV_KERN, RSN_OVERLAP);
		}
	}
	rc->phase = RECLAIM_RESERVED;
	return rc->resv.dropped == 0;
}

bool reclaim_tag(struct reclaim *rc, u64 base, u64 end, enum resv_reason why)
{
	return resv_add(&rc->resv, base, end, RESV_KERN, why);
}

u64 reclaim_add_conventional(struct reclaim *rc, const struct reclaim_ops *ops)
{
	u64 added = 0;

	for (u32 i = 0; i < rc->map->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(rc->map, i);
		u64 addr = md->phys_addr, end = mm_desc_end(md);

		if (md->type != MM_CONVENTIONAL || !md->num_pages)
			continue;
		/*
		 * EFI_MEMORY_SP: soft-reserved for a driver (UEFI 2.8), not general
		 * memory; EFI_MEMORY_RUNTIME: the firmware wants it kept.
		 */
		if (entry_malformed(md) || (md->attribute & (MM_ATTR_SP | MM_ATTR_RUNTIME)) ||
		    overlaps_other_entry(rc->map, i)) {
			rc->st.conventional_skipped++;
			continue;
		}
		if (addr < RECLAIM_LOW_LIMIT)
			addr = RECLAIM_LOW_LIMIT;
		while (addr < end) {
			u64 run_end = resv_kern_run_end(&rc->resv, addr, end);
			u64 pages = (run_end - addr) / PAGE;

			if (resv_kern_reason(&rc->resv, addr) == RSN_NR &&
			    ops->add_range(ops->ctx, addr, pages))
				added += pages;
			addr = run_end;
		}
	}
	rc->st.conventional_pages += added;
	return added;
}

/* The highest page of [lo, hi) inside entries of this type that is not KERN, or ~0. */
static u64 highest_free_low_page(const struct reclaim *rc, u32 type, u64 lo, u64 hi)
{
	u64 best = ~0ULL;

	for (u32 i = 0; i < rc->map->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(rc->map, i);
		u64 s, e;

		if (md->type != type || entry_malformed(md))
			continue;
		s = md->phys_addr > lo ? md->phys_addr : lo;
		e = mm_desc_end(md) < hi ? mm_desc_end(md) : hi;
		/* An entry wholly above hi: s + PAGE may wrap, so compare differences. */
		if (e <= s)
			continue;
		for (u64 p = e; p - s >= PAGE; p -= PAGE) {
			if (best != ~0ULL && p - PAGE <= best)
				break;
			if (resv_kern_reason(&rc->resv, p - PAGE) == RSN_NR) {
				best = p - PAGE;
				break;
			}
		}
	}
	return best;
}

u64 reclaim_trampoline(struct reclaim *rc)
{
	u64 page;

	if (rc->st.trampoline != ~0ULL)
		return rc->st.trampoline;
	/* Page 0 is never a trampoline: a null pointer must keep faulting. */
	page = highest_free_low_page(rc, MM_CONVENTIONAL, PAGE, RECLAIM_LOW_LIMIT);
	if (page == ~0ULL) {
		u64 code = highest_free_low_page(rc, MM_BOOT_CODE, PAGE, RECLAIM_LOW_LIMIT);
		u64 data = highest_free_low_page(rc, MM_BOOT_DATA, PAGE, RECLAIM_LOW_LIMIT);

		page = code == ~0ULL ? data : data == ~0ULL ? code : code > data ? code : data;
		rc->st.trampoline_from_bs = page != ~0ULL;
	}
	if (page != ~0ULL && !reclaim_tag(rc, page, page + PAGE, RSN_TRAMPOLINE)) {
		rc->st.trampoline_from_bs = false;
		page = ~0ULL;
	}
	rc->st.trampoline = page;
	return page;
}

static void keep_pages(struct reclaim *rc, const struct reclaim_ops *ops, int t, u64 base,
		       u64 pages, enum resv_reason why)
{
	rc->st.type[t].kept[why] += pages;
	rc->st.kept += pages;
	if (ops->kept_range)
		ops->kept_range(ops->ctx, base, pages, why, (u32)t);
}

/* Phase 2 for one well-formed boot-services entry: walk it in runs of one verdict. */
static void free_entry(struct reclaim *rc, const struct reclaim_ops *ops, int t,
		       const struct mm_desc *md)
{
	u64 addr = md->phys_addr, end = mm_desc_end(md);

	while (addr < end) {
		enum resv_reason why = resv_kern_reason(&rc->resv, addr);
		u64 run_end = resv_kern_run_end(&rc->resv, addr, end);
		u64 pages;

		if (why == RSN_NR && addr < RECLAIM_LOW_LIMIT) {
			why = RSN_BELOW_1M;
			if (run_end > RECLAIM_LOW_LIMIT)
				run_end = RECLAIM_LOW_LIMIT;
		}
		pages = (run_end - addr) / PAGE;
		if (why != RSN_NR) {
			keep_pages(rc, ops, t, addr, pages, why);
		} else if (ops->free_range(ops->ctx, addr, pages)) {
			rc->st.type[t].freed += pages;
			rc->st.freed += pages;
		} else {
			/* The allocator had some of it already: another entry claimed it too. */
			resv_add(&rc->resv, addr, run_end, RESV_KERN, RSN_OVERLAP);
			keep_pages(rc, ops, t, addr, pages, RSN_OVERLAP);
		}
		addr = run_end;
	}
}

const char *reclaim_free(struct reclaim *rc, const struct reclaim_ops *ops)
{
	if (rc->phase == RECLAIM_FREED)
		return NULL;
	if (rc->phase != RECLAIM_RESERVED)
		return "phase 1 (reserving boot-services memory) has not run";
	if (rc->resv.dropped)
		return "the reservation table overflowed, so KERN ranges may be missing";

	rc->st.entries_before = rc->map->nr_map;
	for (u32 i = 0; i < rc->map->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(rc->map, i);
		int t = bs_type_index(md);

		if (t < 0 || !md->num_pages)
			continue;
		rc->st.type[t].total += md->num_pages;
		rc->st.bs_total += md->num_pages;
		if (entry_malformed(md))
			keep_pages(rc, ops, t, md->phys_addr, md->num_pages, RSN_MALFORMED);
		else
			free_entry(rc, ops, t, md);
	}
	/* The BOOT reservations are spent: a second call finds nothing to free. */
	resv_drop_flag(&rc->resv, RESV_BOOT);
	rc->phase = RECLAIM_FREED;
	rc->st.leak = rc->st.bs_total - rc->st.freed - rc->st.kept;
	rc->st.entries_after = rc->map->nr_map;
	return NULL;
}

bool reclaim_entry_freeable(const struct reclaim *rc, const struct mm_desc *md)
{
	u64 start = md->phys_addr, end = mm_desc_end(md);

	/* A runtime entry stays, even an empty one: it is part of SetVirtualAddressMap's input. */
	if (!mm_is_reclaimable(md, NULL) || entry_malformed(md) || start < RECLAIM_LOW_LIMIT)
		return false;
	for (u32 i = 0; i < rc->resv.nr; i++) {
		const struct resv *r = &rc->resv.r[i];

		if (r->flag == RESV_KERN && r->base < end && start < r->end)
			return false;
	}
	return true;
}

static bool keep_entry(const struct mm_desc *md, void *ctx)
{
	return !reclaim_entry_freeable(ctx, md);
}

u32 reclaim_compact(struct reclaim *rc, const struct reclaim_ops *ops)
{
	struct memmap *map = rc->map;
	u64 base = (u64)(uintptr_t)map->base, used, have;
	u32 removed;

	/* Before phase 2 an entry's pages are still reserved, not free: nothing may go. */
	if (rc->phase != RECLAIM_FREED)
		return 0;
	/*
	 * A KERN range that did not fit the table (a refused free in phase 2
	 * adds one) would make an entry look freed: then remove nothing.
	 */
	removed = rc->resv.dropped ? 0 : memmap_filter(map, keep_entry, rc);
	rc->st.entries_after = map->nr_map;

	used = ((u64)map->nr_map * map->desc_size + PAGE - 1) & ~(PAGE - 1);
	have = rc->map_bytes & ~(PAGE - 1);
	if (used < have && ops->free_range(ops->ctx, base + used, (have - used) / PAGE)) {
		rc->st.tail_freed_pages += (have - used) / PAGE;
		rc->map_bytes = used;
		map->capacity = (u32)(used / map->desc_size);
		resv_shrink(&rc->resv, RSN_MEMORY_MAP, base, base + used);
	}
	return removed;
}
