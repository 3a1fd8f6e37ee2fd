/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Copies of a parsed map that remember where each entry came from, so a
 * sorted view can be reported in terms of the input's entries and lines.
 */
#ifndef EFIMAP_TOOLS_MAPCOPY_H
#define EFIMAP_TOOLS_MAPCOPY_H

#include "memmap/memmap.h"

/*
 * Copy src into a new buffer whose descriptors are
 * max(48, src->desc_size + 8) bytes rounded up to 8, each carrying its
 * index in src in its last 8 bytes (memmap stride rules let a descriptor
 * be longer than 40 bytes, so every library function still works on it),
 * with room for 2 * nr_map descriptors so memmap_sort() takes its
 * O(n log n) path. The copy keeps src's desc_version. Returns 0, or -1 when
 * src's descriptors are shorter than the 40-byte version-1 layout (they
 * cannot be read) or memory runs out. Free with mapcopy_free().
 */
int mapcopy_indexed(const struct memmap *src, struct memmap *dst);

/* The index in the source map of entry i of an indexed copy. */
u32 mapcopy_orig_index(const struct memmap *copy, u32 i);

void mapcopy_free(struct memmap *copy);

#endif
