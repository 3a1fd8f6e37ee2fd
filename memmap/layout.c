// SPDX-License-Identifier: BSD-2-Clause
/*
 * Virtual addresses for the runtime regions, and the SetVirtualAddressMap
 * input built from them (seed 002: the stub picks the layout, as a pure
 * function of the map, and passes SVAM a copy of only the runtime entries).
 */
#include "lib/string.h"
#include "memmap/layout.h"

static void layout_finding(mm_finding_fn fn, void *ctx, enum mm_check check, u32 index, u64 value)
{
	struct mm_finding f = { .check = check,
				.severity = MM_SEV_ERROR,
				.index = index,
				.other = MM_NO_INDEX,
				.value = value };

	if (fn)
		fn(&f, ctx);
}

/*
 * Place one region: the lowest offset >= *off (from the window base) that
 * is congruent to phys modulo 2 MiB. The base is 2 MiB aligned, so offsets
 * and addresses agree modulo 2 MiB. Returns false when it does not fit.
 */
static bool place(u64 *off, u64 phys, u64 bytes, u64 window_size, u64 *va_off)
{
	u64 o = *off + ((phys - *off) & (MM_VA_CONGRUENCE - 1));

	if (o < *off || o > window_size || bytes > window_size - o)
		return false;
	*va_off = o;
	*off = o + bytes;
	return true;
}

bool memmap_layout_runtime(struct memmap *map, u64 window_base, u64 window_size,
			   struct mm_layout *out, mm_finding_fn fn, void *ctx)
{
	struct mm_iter it;
	struct mm_desc *md;
	u64 off = 0, va_off = 0, bytes = 0, need;
	u32 n = 0;

	if (window_base & (MM_VA_CONGRUENCE - 1)) {
		layout_finding(fn, ctx, MM_CHECK_LAYOUT_BAD_ENTRY, MM_NO_INDEX, window_base);
		return false;
	}

	/* Dry run first: all or nothing. */
	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 size = md->num_pages << PAGE_SHIFT;

		if (!md->num_pages || md->num_pages > (~0ULL >> PAGE_SHIFT) ||
		    (md->phys_addr & (PAGE_SIZE - 1)) || mm_desc_end(md) - md->phys_addr != size) {
			layout_finding(fn, ctx, MM_CHECK_LAYOUT_BAD_ENTRY, it.index, md->phys_addr);
			return false;
		}
		if (!place(&off, md->phys_addr, size, window_size, &va_off)) {
			/* Keep counting (saturating) so the message says how much is needed. */
			need = off + ((md->phys_addr - off) & (MM_VA_CONGRUENCE - 1));
			need = need < off || size > ~0ULL - need ? ~0ULL : need + size;
			while ((md = mm_iter_next(&it))) {
				u64 s = md->num_pages > (~0ULL >> PAGE_SHIFT)
						? ~0ULL
						: md->num_pages << PAGE_SHIFT;
				u64 o = need + ((md->phys_addr - need) & (MM_VA_CONGRUENCE - 1));

				need = o < need || s > ~0ULL - o ? ~0ULL : o + s;
			}
			layout_finding(fn, ctx, MM_CHECK_LAYOUT_NO_ROOM, MM_NO_INDEX, need);
			return false;
		}
		bytes += size;
		n++;
	}

	off = 0;
	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		place(&off, md->phys_addr, md->num_pages << PAGE_SHIFT, window_size, &va_off);
		md->virt_addr = window_base + va_off;
	}
	if (out) {
		out->window_base = window_base;
		out->window_size = window_size;
		out->nr_runtime = n;
		out->va_end = window_base + off;
		out->bytes = bytes;
	}
	return true;
}

u64 memmap_runtime_bytes(const struct memmap *map)
{
	return (u64)memmap_count(map, mm_is_runtime, NULL) * map->desc_size;
}

bool memmap_copy_runtime(const struct memmap *map, void *scratch, u64 scratch_bytes,
			 struct memmap *out)
{
	u64 need = memmap_runtime_bytes(map);
	uintptr_t live = (uintptr_t)map->base, live_end = live + (u64)map->nr_map * map->desc_size;
	uintptr_t s = (uintptr_t)scratch, s_end = s + scratch_bytes;
	struct mm_iter it;
	struct mm_desc *md;
	u32 n = 0;

	if (!scratch || need > scratch_bytes || s_end < s || (s < live_end && live < s_end))
		return false;
	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)))
		memcpy((u8 *)scratch + (size_t)n++ * map->desc_size, md, map->desc_size);
	memmap_init(out, scratch, map->desc_size, map->desc_version, n,
		    (u32)(scratch_bytes / map->desc_size > 0xffffffffu
				  ? 0xffffffffu
				  : scratch_bytes / map->desc_size));
	return true;
}

u32 memmap_layout_recheck(const struct memmap *map, u64 window_base, u64 window_size, void *scratch,
			  u64 scratch_bytes)
{
	u32 total = memmap_count(map, mm_is_runtime, NULL), n = 0, bad = 0;
	/* The addresses first (scratch is 8-byte aligned), then the descriptors. */
	u64 *held = scratch, last = 0;
	u8 *descs;
	struct mm_desc *md, *next;
	struct memmap again;
	struct mm_layout lay;
	struct mm_iter it;

	if (!scratch || (u64)total * (map->desc_size + sizeof(u64)) > scratch_bytes)
		return MM_LAYOUT_UNCHECKABLE;
	descs = (u8 *)scratch + (size_t)total * sizeof(u64);
	/* Selection by virtual address: one pass over the map per entry, there are few. */
	for (; n < total; n++) {
		next = NULL;
		mm_iter_init(&it, map, mm_is_runtime, NULL);
		while ((md = mm_iter_next(&it)))
			if ((!n || md->virt_addr > last) &&
			    (!next || md->virt_addr < next->virt_addr))
				next = md;
		if (!next || !next->virt_addr)
			return MM_LAYOUT_UNCHECKABLE; /* shared or missing addresses */
		memcpy(descs + (size_t)n * map->desc_size, next, map->desc_size);
		held[n] = last = next->virt_addr;
	}
	memmap_init(&again, descs, map->desc_size, map->desc_version, n, n);
	for_each_mm_desc (&again, it, md)
		md->virt_addr = 0;
	if (!memmap_layout_runtime(&again, window_base, window_size, &lay, NULL, NULL))
		return MM_LAYOUT_UNCHECKABLE;
	for_each_mm_desc (&again, it, md)
		bad += md->virt_addr != held[it.index];
	return bad;
}

bool memmap_virt_to_phys(const struct memmap *map, u64 va, u64 *phys)
{
	struct mm_iter it;
	struct mm_desc *md;

	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 size = md->num_pages << PAGE_SHIFT;

		if (!md->virt_addr || md->num_pages > (~0ULL >> PAGE_SHIFT))
			continue;
		if (va >= md->virt_addr && va - md->virt_addr < size) {
			*phys = md->phys_addr + (va - md->virt_addr);
			return true;
		}
	}
	return false;
}

u64 memmap_layout_window_lower(const struct memmap *map, u32 pa_bits, u64 fb_base, u64 fb_size,
			       u64 window_size)
{
	u64 top = 0, base;
	struct mm_iter it;
	struct mm_desc *md;

	if (!window_size || window_size > MM_VA_LOWER_LIMIT)
		return 0;
	/* Above every physical address the CPU can form: nothing of the machine is there. */
	if (pa_bits && pa_bits < 48) {
		base = 1ULL << pa_bits;
		if (base < MM_VA_WINDOW_LOWER_ALIGN)
			base = MM_VA_WINDOW_LOWER_ALIGN;
		if (base <= MM_VA_LOWER_LIMIT - window_size)
			return base;
	}
	/* Else above everything the map and the framebuffer name (ends clamped: no wrap). */
	for_each_mm_desc (map, it, md) {
		u64 end = mm_desc_end(md);

		if (!md->num_pages)
			continue;
		if (end > MM_VA_LOWER_LIMIT)
			return 0; /* past 2^48: nothing of the lower half is above it */
		if (end > top)
			top = end;
	}
	if (fb_size) {
		if (fb_base > MM_VA_LOWER_LIMIT || fb_size > MM_VA_LOWER_LIMIT - fb_base)
			return 0;
		if (fb_base + fb_size > top)
			top = fb_base + fb_size;
	}
	base = ALIGN_UP(top, MM_VA_WINDOW_LOWER_ALIGN);
	if (!base)
		base = MM_VA_WINDOW_LOWER_ALIGN; /* nothing named: still not level 0 slot 0 */
	if (base > MM_VA_LOWER_LIMIT - window_size)
		return 0;
	return base;
}
