// SPDX-License-Identifier: BSD-2-Clause
/*
 * Removing entries: the one way an entry ever leaves a map. Survivors slide
 * down over the gaps in a single pass, so order is kept and nothing is
 * allocated (seed 000: the map is filtered in place and nr_map, a count,
 * marks its end).
 */
#include "lib/string.h"
#include "memmap/memmap.h"

u32 memmap_filter(struct memmap *map, mm_pred keep, void *ctx)
{
	u32 kept = 0, removed;

	for (u32 i = 0; i < map->nr_map; i++) {
		struct mm_desc *md = memmap_desc(map, i);

		if (!keep(md, ctx))
			continue;
		if (kept != i)
			memcpy(memmap_desc(map, kept), md, map->desc_size);
		kept++;
	}
	removed = map->nr_map - kept;
	map->nr_map = kept;
	return removed;
}
