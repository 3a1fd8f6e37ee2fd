/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which memory of a map is unaccepted: the firmware's EfiUnacceptedMemory
 * (type 15) entries, or, under efimap.unaccepted=sim:..., the conventional
 * memory inside the chosen window, treated exactly as if the firmware had
 * said type 15 (docs/architecture.md "Unaccepted memory under QEMU"). A pure function
 * of the map and the options, so the stub (which builds the table) and the
 * kernel (which checks it) agree.
 */
#ifndef EFIMAP_KERNEL_ACCEPT_MAP_H
#define EFIMAP_KERNEL_ACCEPT_MAP_H

#include "accept/accept.h"
#include "kernel/options.h"
#include "memmap/memmap.h"

struct accept_source {
	bool sim;      /* the options' simulation window, not type 15 */
	u64 sim_start; /* [sim_start, sim_end) */
	u64 sim_end;
};

/* The source the options ask for. */
void accept_source_init(struct accept_source *src, const struct options *o);

/*
 * Whether entry i of map is unaccepted under src, and the part of it that
 * is ([*start, *end)). Type 15 counts whole (widened to pages). Under
 * simulation only conventional memory the kernel would hand out counts:
 * write-back, mappable (aligned, below 2^48), overlapping no other entry,
 * not soft-reserved, not runtime, not below 1 MiB (the real-mode
 * trampoline lives there); and only its part inside the window.
 */
bool accept_desc_range(const struct accept_source *src, const struct memmap *map, u32 i, u64 *start,
		       u64 *end);

/*
 * Call fn for each unaccepted range of map in map order, consecutive
 * ranges that touch or overlap merged into one (fewer edges to accept, and
 * none accepted twice). Stops when fn returns false. Returns the number of
 * ranges passed.
 */
u32 accept_map_for_each(const struct memmap *map, const struct accept_source *src,
			bool (*fn)(void *ctx, u64 start, u64 end), void *ctx);

/*
 * Set bits of t whose unit does not lie wholly inside one unaccepted range
 * of map (a bitmap someone damaged): 0 for a table built from this map.
 */
u64 accept_map_stray_bits(const struct memmap *map, const struct accept_source *src,
			  const struct accept_table *t);

#endif
