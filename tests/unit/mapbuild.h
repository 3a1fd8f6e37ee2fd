/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Build synthetic firmware maps for tests, at any desc_size. The bytes past
 * the 40-byte descriptor are filled with junk so that code stepping by
 * sizeof(struct mm_desc) instead of desc_size reads garbage and fails.
 */
#ifndef EFIMAP_TESTS_MAPBUILD_H
#define EFIMAP_TESTS_MAPBUILD_H

#include "lib/string.h"
#include "memmap/memmap.h"

#define MAPBUILD_JUNK 0xa5

static inline void mapbuild_put(struct memmap *map, u32 i, u32 type, u64 phys, u64 pages, u64 attr)
{
	struct mm_desc *md = memmap_desc(map, i);

	memset(md, MAPBUILD_JUNK, map->desc_size);
	md->type = type;
	md->pad = 0;
	md->phys_addr = phys;
	md->virt_addr = 0;
	md->num_pages = pages;
	md->attribute = attr;
	if (i >= map->nr_map)
		map->nr_map = i + 1;
}

#endif
