/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `efimap svg`: a self-contained SVG picture of the physical address space
 * (no scripts, no external fonts or images), deterministic: the same map
 * gives the same bytes.
 */
#ifndef EFIMAP_TOOLS_SVG_H
#define EFIMAP_TOOLS_SVG_H

#include <stdio.h>

#include "tools/parse.h"

/*
 * Width of a region in tenths of a pixel: 4 px plus 6 px per doubling of
 * its size (log2 in 1/16 steps, integer arithmetic only), 2 px for an
 * entry of zero pages. A 4 KiB page is 4 px wide, 1 GiB is 112 px, 2^64
 * pages is 388 px: small regions stay visible next to huge ones.
 */
u32 svg_region_width10(u64 pages);

/* Colour of a memory type ("#rrggbb"); one colour for every unknown type. */
const char *svg_type_colour(u32 type);

/*
 * Draw pm's map (sorted by start, holes between entries compressed to a
 * fixed width with a break mark) titled with name. Returns 0, or -1 when
 * the descriptors cannot be read (shorter than 40 bytes) or memory runs out.
 */
int svg_write(FILE *out, const char *name, const struct parsed_map *pm);

#endif
