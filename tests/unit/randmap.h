/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Deterministic random maps for property tests: xorshift64, so that a
 * failure names a seed that reproduces it on the host and in the guest.
 */
#ifndef EFIMAP_TESTS_RANDMAP_H
#define EFIMAP_TESTS_RANDMAP_H

#include "tests/unit/mapbuild.h"

static inline u64 rand_next(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static inline u64 rand_below(u64 *state, u64 n)
{
	return n ? rand_next(state) % n : 0;
}

/*
 * Fill map with n entries: mostly ascending, some runs of equal starts, an
 * unsorted tail, a mix of types and about one in six with EFI_MEMORY_RUNTIME.
 * The descriptor's pad word holds its original index, so tests can check
 * where each entry went.
 */
static inline void randmap_fill(struct memmap *map, u32 n, u64 seed)
{
	u64 st = seed | 1, addr = 0;

	map->nr_map = 0;
	for (u32 i = 0; i < n; i++) {
		u64 pages = 1 + rand_below(&st, 600);
		u32 type = (u32)rand_below(&st, MM_NR_TYPES);
		u64 attr = MM_ATTR_WB | MM_ATTR_UC;
		u64 phys;

		if (rand_below(&st, 6) == 0)
			attr |= MM_ATTR_RUNTIME;
		if (i > n - n / 8)
			phys = rand_below(&st, addr + 1) & ~0xfffULL; /* unsorted tail */
		else if (i && rand_below(&st, 10) == 0)
			phys = memmap_desc(map, i - 1)->phys_addr; /* equal starts */
		else
			phys = addr + rand_below(&st, 0x400) * PAGE_SIZE; /* a gap or none */
		mapbuild_put(map, i, type, phys, pages, attr);
		memmap_desc(map, i)->pad = i;
		if (phys + pages * PAGE_SIZE > addr)
			addr = phys + pages * PAGE_SIZE;
	}
}

#endif
