/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef EFIMAP_KERNEL_PGTABLE_SIZE_H
#define EFIMAP_KERNEL_PGTABLE_SIZE_H

#include "memmap/memmap.h"

/*
 * An upper bound on the page-table pages the kernel needs to map this map
 * the way the arch's paging.c does (2 MiB pages where an entry covers a
 * whole aligned 2 MiB, 4 KiB pages at the edges, page 0 left out, the
 * image's code and the stack's guard page split out at 4 KiB). [text_start,
 * text_end) is the span of the image whose pages get their own permissions:
 * the stub passes [_text, _erodata), which holds both .text and .rodata, so
 * one span bounds the 2 MiB pages split for either. The stub sizes the page-table pool
 * with it before the final GetMemoryMap, when it can still allocate; spare_entries covers
 * descriptors that appear between this estimate and the final map.
 */
u64 pgtable_pages_needed(const struct memmap *map, u64 text_start, u64 text_end, u32 spare_entries);

/*
 * An upper bound on the page-table pages that identity-mapping one more
 * range [base, base + size) adds to the tables above (the GOP framebuffer,
 * which the map usually does not describe): as if it shared no table with
 * anything else. 0 for an empty range or one beyond 4-level tables (2^48).
 */
u64 pgtable_pages_for_range(u64 base, u64 size);

/*
 * An upper bound on the page-table pages of the EFI tables
 * (kernel/efi_pt.c) for this map: the 1:1 half as
 * pgtable_pages_needed() counts it, plus, for every runtime entry, a page
 * table per 2 MiB it touches twice over (its 1:1 copy and its virtual one
 * may be split at 4 KiB by the memory attributes table), plus the window's
 * own PDPT and page directories (the layout packs the regions from the
 * window's base, each at most 2 MiB after the previous one).
 */
u64 pgtable_pages_efi(const struct memmap *map, u64 text_start, u64 text_end, u32 spare_entries);

#endif
