// SPDX-License-Identifier: BSD-2-Clause
/*
 * Descriptor access, iteration and lookup over a firmware memory map.
 */
#include "lib/string.h"
#include "memmap/memmap.h"

enum mm_init_error memmap_init(struct memmap *map, void *base, u32 desc_size, u32 desc_version,
			       u32 nr_map, u32 capacity)
{
	map->base = base;
	map->desc_size = desc_size;
	map->desc_version = desc_version;
	map->nr_map = nr_map;
	map->capacity = capacity;

	/* Fields up to attribute must be readable, and 8-byte strides keep them aligned. */
	if (desc_size < MM_DESC_MIN_SIZE || desc_size % 8)
		return MM_ERR_DESC_SIZE;
	if (nr_map > capacity)
		return MM_ERR_CAPACITY;
	if (!base && capacity)
		return MM_ERR_NULL;
	return MM_OK;
}

const char *memmap_init_error_str(enum mm_init_error err)
{
	switch (err) {
	case MM_OK:
		return "ok";
	case MM_ERR_DESC_SIZE:
		return "descriptor size below 40 bytes or not a multiple of 8";
	case MM_ERR_CAPACITY:
		return "more entries than the buffer holds";
	case MM_ERR_NULL:
		return "no buffer";
	}
	return "unknown error";
}

u64 mm_desc_end(const struct mm_desc *md)
{
	u64 max_pages = (~0ULL - md->phys_addr) >> PAGE_SHIFT;

	if (md->num_pages > max_pages)
		return ~0ULL;
	return md->phys_addr + (md->num_pages << PAGE_SHIFT);
}

void mm_iter_init(struct mm_iter *it, const struct memmap *map, mm_pred pred, void *ctx)
{
	it->map = map;
	it->pred = pred;
	it->ctx = ctx;
	it->next = 0;
	it->index = 0;
}

struct mm_desc *mm_iter_next(struct mm_iter *it)
{
	while (it->next < it->map->nr_map) {
		struct mm_desc *md = memmap_desc(it->map, it->next);

		it->index = it->next++;
		if (!it->pred || it->pred(md, it->ctx))
			return md;
	}
	return NULL;
}

bool mm_is_runtime(const struct mm_desc *md, void *ctx)
{
	(void)ctx;
	return md->attribute & MM_ATTR_RUNTIME;
}

bool mm_is_boot_services(const struct mm_desc *md, void *ctx)
{
	(void)ctx;
	return md->type == MM_BOOT_CODE || md->type == MM_BOOT_DATA;
}

bool mm_is_reclaimable(const struct mm_desc *md, void *ctx)
{
	return mm_is_boot_services(md, ctx) && !(md->attribute & MM_ATTR_RUNTIME);
}

static u64 phys_limit = MM_PHYS_LIMIT;

u64 mm_phys_limit(void)
{
	return phys_limit;
}

void mm_lower_phys_limit(u64 limit)
{
	if (limit < phys_limit)
		phys_limit = limit;
}

bool mm_desc_mappable(const struct mm_desc *md)
{
	u64 end = mm_desc_end(md);

	return !(md->phys_addr & (PAGE_SIZE - 1)) && end > md->phys_addr && end <= phys_limit;
}

static bool entries_overlap(const struct mm_desc *a, const struct mm_desc *b)
{
	if (!a->num_pages || !b->num_pages)
		return false;
	return a->phys_addr < mm_desc_end(b) && b->phys_addr < mm_desc_end(a);
}

bool memmap_entry_overlaps(const struct memmap *map, u32 i)
{
	const struct mm_desc *md = memmap_desc(map, i);

	for (u32 j = 0; j < map->nr_map; j++)
		if (j != i && entries_overlap(md, memmap_desc(map, j)))
			return true;
	return false;
}

u32 memmap_count(const struct memmap *map, mm_pred pred, void *ctx)
{
	struct mm_iter it;
	u32 n = 0;

	mm_iter_init(&it, map, pred, ctx);
	while (mm_iter_next(&it))
		n++;
	return n;
}

s64 memmap_find(const struct memmap *map, u64 addr)
{
	struct mm_iter it;
	struct mm_desc *md;

	for_each_mm_desc (map, it, md)
		if (addr >= md->phys_addr && addr < mm_desc_end(md))
			return it.index;
	return -1;
}

static void add_sat(u64 *sum, u64 v)
{
	*sum = *sum > ~0ULL - v ? ~0ULL : *sum + v;
}

void memmap_totals(const struct memmap *map, struct mm_totals *t)
{
	struct mm_iter it;
	struct mm_desc *md;

	memset(t, 0, sizeof(*t));
	for_each_mm_desc (map, it, md) {
		if (md->type < MM_NR_TYPES) {
			add_sat(&t->pages[md->type], md->num_pages);
			t->entries[md->type]++;
		} else {
			add_sat(&t->other_pages, md->num_pages);
			t->other_entries++;
		}
		if (md->attribute & MM_ATTR_RUNTIME) {
			add_sat(&t->runtime_pages, md->num_pages);
			t->runtime_entries++;
		}
		add_sat(&t->total_pages, md->num_pages);
	}
}
