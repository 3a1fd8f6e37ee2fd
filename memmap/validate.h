/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validation of a firmware memory map: named findings, each with a severity,
 * the entry it concerns and a one-line explanation. Validation never changes
 * the map and never allocates; findings go to a callback as they are found,
 * in one O(n) pass.
 *
 * Order-dependent checks (overlap, mergeable neighbours) are only meaningful
 * on sorted order. On an unsorted map validation reports MM_CHECK_UNSORTED
 * and skips them; a caller that wants them sorts (a copy) with memmap_sort()
 * and validates again, keeping the findings mm_check_needs_order() names.
 */
#ifndef EFIMAP_MEMMAP_VALIDATE_H
#define EFIMAP_MEMMAP_VALIDATE_H

#include "memmap/memmap.h"

enum mm_severity {
	MM_SEV_INFO = 0,
	MM_SEV_WARNING = 1,
	MM_SEV_ERROR = 2,
	MM_NR_SEVERITIES = 3,
};

/* Stable identifiers: mm_check_name() strings appear in JSON and logs. */
enum mm_check {
	MM_CHECK_DESC_SIZE,	    /* desc_size < 40 or not a multiple of 8 (map-wide) */
	MM_CHECK_DESC_VERSION,	    /* descriptor version != 1 (map-wide) */
	MM_CHECK_TRAILING_ZERO,	    /* all-zero descriptors at the end of the map */
	MM_CHECK_ZERO_PAGES,	    /* NumberOfPages == 0 */
	MM_CHECK_OVERFLOW,	    /* start + size runs past 2^64 */
	MM_CHECK_UNALIGNED,	    /* start not 4 KiB aligned */
	MM_CHECK_UNKNOWN_TYPE,	    /* type >= 16: reserved, OEM or OS range */
	MM_CHECK_UNDEFINED_ATTR,    /* attribute bits no UEFI version defines */
	MM_CHECK_RUNTIME_TYPE,	    /* EFI_MEMORY_RUNTIME on a type that is not runtime/MMIO/reserved */
	MM_CHECK_RUNTIME_ALIGN_64K, /* runtime region not 64 KiB aligned (AArch64 rule) */
	MM_CHECK_MMIO_NO_UC,	    /* MMIO without EFI_MEMORY_UC */
	MM_CHECK_RAM_NO_CACHE,	    /* memory with none of UC/WC/WT/WB */
	MM_CHECK_UNSORTED,	    /* an entry starts below the one before it */
	MM_CHECK_OVERLAP,	    /* an entry overlaps an earlier one (sorted order) */
	MM_CHECK_MERGEABLE,	    /* adjacent, same type and attributes (sorted order) */
	MM_CHECK_LAYOUT_NO_ROOM,    /* virtual layout: runtime regions do not fit the window */
	MM_CHECK_LAYOUT_BAD_ENTRY,  /* virtual layout: a runtime entry cannot be placed */
	MM_CHECK_ISA_NO_VALID,	    /* ISA-specific bits without EFI_MEMORY_ISA_VALID */
	MM_CHECK_RUNTIME_NO_ATTR,   /* Runtime Code/Data without EFI_MEMORY_RUNTIME */
	MM_CHECK_ABOVE_4LEVEL,	    /* the entry ends above 2^48: 4-level paging cannot reach it */
	MM_NR_CHECKS,
};

#define MM_NO_INDEX 0xffffffffu

struct mm_finding {
	enum mm_check check;
	enum mm_severity severity;
	u32 index; /* the entry concerned, or MM_NO_INDEX for the whole map */
	/* The earlier entry (overlap, mergeable, unsorted), a count (trailing zero) or MM_NO_INDEX. */
	u32 other;
	u64 value; /* the offending value: attribute bits, type, bytes needed... */
};

/*
 * The architecture whose rules apply. Only severities differ: on AArch64 a
 * runtime memory region (not MMIO) not 64 KiB aligned is an error (UEFI
 * 2.10 section 2.3.6 requires the alignment there), on x86 it is info. The
 * kernel passes the arch it was built for, the host tool what --arch or the
 * input says.
 */
enum mm_arch {
	MM_ARCH_X86 = 0,
	MM_ARCH_ARM64 = 1,
};

typedef void (*mm_finding_fn)(const struct mm_finding *f, void *ctx);

struct mm_validation {
	u32 by_severity[MM_NR_SEVERITIES];
	u32 by_check[MM_NR_CHECKS];
	bool sorted; /* order-dependent checks ran */
};

/*
 * Run every check over map, calling fn (may be NULL) for each finding, and
 * fill *v (may be NULL) with the counts.
 */
void memmap_validate(const struct memmap *map, mm_finding_fn fn, void *ctx,
		     struct mm_validation *v);
/* The same with an architecture's severities; memmap_validate() is MM_ARCH_X86. */
void memmap_validate_arch(const struct memmap *map, enum mm_arch arch, mm_finding_fn fn, void *ctx,
			  struct mm_validation *v);
const char *mm_arch_name(enum mm_arch arch); /* "x86", "arm64" */

const char *mm_check_name(enum mm_check check);	    /* "overlap", "unsorted", ... */
const char *mm_severity_name(enum mm_severity sev); /* "error", "warning", "info" */
bool mm_check_needs_order(enum mm_check check);

/*
 * The one-line explanation of a finding, e.g. "entry 7 overlaps entry 6:
 * [0x...-0x...] and [0x...-0x...]". map is the map the finding was made on
 * (for the addresses); returns what snprintf would.
 */
int mm_finding_format(char *buf, size_t size, const struct mm_finding *f, const struct memmap *map);

#endif
