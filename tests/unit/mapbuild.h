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

/* Every cacheability bit, as OVMF marks RAM. */
#define MAPBUILD_RAM (MM_ATTR_UC | MM_ATTR_WC | MM_ATTR_WT | MM_ATTR_WB)

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

/*
 * The first five entries of OVMF's low memory (page 0, conventional below
 * 640K, the loader, a runtime region, boot data), sorted and clean, in a
 * map of up to capacity descriptors over storage. Tests add the rest.
 */
static inline void mapbuild_ovmf_low(struct memmap *map, void *storage, u32 desc_size,
				     u32 capacity)
{
	memmap_init(map, storage, desc_size, 1, 0, capacity);
	mapbuild_put(map, 0, MM_BOOT_CODE, 0x0, 1, MAPBUILD_RAM);
	mapbuild_put(map, 1, MM_CONVENTIONAL, 0x1000, 0x9f, MAPBUILD_RAM);
	mapbuild_put(map, 2, MM_LOADER_CODE, 0x100000, 0x30, MAPBUILD_RAM);
	mapbuild_put(map, 3, MM_RUNTIME_DATA, 0x200000, 0x10, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	mapbuild_put(map, 4, MM_BOOT_DATA, 0x210000, 0x100, MAPBUILD_RAM);
}

#endif
