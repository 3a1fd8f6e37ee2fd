/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validation of an EFI_MEMORY_ATTRIBUTES_TABLE (the MAT, UEFI 2.10 section
 * 4.6.4) against the memory map it belongs to: named findings through a
 * callback, like memmap/validate.h, without allocating and without
 * trusting the table's alignment (entries are copied out with memcpy).
 * Freestanding: the host tool runs it on a run folder's mat.bin (or
 * `--mat FILE`), and the kernel can run it on the table in memory.
 *
 * The table: a 16-byte header (Version, NumberOfEntries, DescriptorSize,
 * Flags, which version 1 called Reserved), then NumberOfEntries
 * EFI_MEMORY_DESCRIPTORs of DescriptorSize bytes. What 4.6.4 requires of
 * it, and what Linux (drivers/firmware/efi/memattr.c) refuses when it is
 * broken: a known version (1 or 2), a DescriptorSize that holds a version-1
 * descriptor, entries of type EfiRuntimeServicesCode or Data only, each
 * 4 KiB aligned, inside one runtime region (EFI_MEMORY_RUNTIME) of the
 * memory map, none sharing a page with another, and each with EFI_MEMORY_RO
 * or EFI_MEMORY_XP (an entry with neither tells the OS nothing, so it must
 * map the pages writable and executable).
 */
#ifndef EFIMAP_MEMMAP_MAT_CHECK_H
#define EFIMAP_MEMMAP_MAT_CHECK_H

#include "memmap/validate.h"

/* The table's header (UEFI 2.10 section 4.6.4), little-endian, 16 bytes. */
struct mm_mat_header {
	u32 version;
	u32 nr_entries;
	u32 desc_size;
	u32 flags; /* version 2: bit 0 RT_FORWARD_CONTROL_FLOW_GUARD; version 1: reserved */
};

#define MM_MAT_HEADER_SIZE 16u

/* Stable identifiers: mm_mat_check_name() strings appear in reports and JSON. */
enum mm_mat_check {
	MM_MAT_UNUSABLE,	/* the header: version, DescriptorSize, size (whole table) */
	MM_MAT_NO_RO_XP,	/* an entry with neither EFI_MEMORY_RO nor EFI_MEMORY_XP */
	MM_MAT_TYPE,		/* an entry whose type is not Runtime Services Code/Data */
	MM_MAT_UNALIGNED,	/* an entry whose PhysicalStart is not 4 KiB aligned */
	MM_MAT_OUTSIDE_RUNTIME, /* an entry inside no runtime region of the map */
	MM_MAT_OVERLAP,		/* an entry sharing a page with an earlier one */
	MM_NR_MAT_CHECKS,
};

/* What is wrong with an unusable header (mm_mat_finding.other for MM_MAT_UNUSABLE). */
enum mm_mat_header_problem {
	MM_MAT_SHORT,	  /* fewer bytes than the header; value: the bytes */
	MM_MAT_VERSION,	  /* Version not 1 or 2; value: the version */
	MM_MAT_DESC_SIZE, /* DescriptorSize < 40 or not a multiple of 8; value: it */
	MM_MAT_SIZE,	  /* bytes != 16 + NumberOfEntries * DescriptorSize; value: bytes */
};

struct mm_mat_finding {
	enum mm_mat_check check;
	enum mm_severity severity;
	u32 index; /* the MAT entry, or MM_NO_INDEX for the header */
	/*
	 * MM_MAT_UNUSABLE: enum mm_mat_header_problem; MM_MAT_OVERLAP: the
	 * earlier MAT entry; MM_MAT_OUTSIDE_RUNTIME: the map entry holding the
	 * start (MM_NO_INDEX: none); otherwise MM_NO_INDEX.
	 */
	u32 other;
	u64 value; /* the offending value: type, start, overlap bytes, header field */
};

typedef void (*mm_mat_finding_fn)(const struct mm_mat_finding *f, void *ctx);

struct mm_mat_validation {
	u32 by_severity[MM_NR_SEVERITIES];
	u32 by_check[MM_NR_MAT_CHECKS];
	bool usable; /* the header was sound, so the entries were checked */
};

/*
 * Check the table at mat, of which size bytes are available (a file's
 * length; a caller that knows no length passes mm_mat_size() of the
 * header). map (may be NULL, or have descriptors shorter than 40 bytes:
 * then the outside-runtime check is skipped) is the memory map of the same
 * boot. fn (may be NULL) gets each finding; *v (may be NULL) the counts. An
 * unusable header is one finding and the entries are not looked at.
 */
void mm_mat_validate(const void *mat, u64 size, const struct memmap *map, mm_mat_finding_fn fn,
		     void *ctx, struct mm_mat_validation *v);

/* The header copied out of mat (at least MM_MAT_HEADER_SIZE bytes). */
void mm_mat_read_header(const void *mat, struct mm_mat_header *h);
/* 16 + NumberOfEntries * DescriptorSize: the table's size as its header gives it. */
u64 mm_mat_size(const struct mm_mat_header *h);
/* Entry i (i < nr_entries of a usable table) copied out. */
void mm_mat_read_entry(const void *mat, u32 i, struct mm_desc *md);

const char *mm_mat_check_name(enum mm_mat_check check); /* "mat-overlap", ... */

/*
 * The one-line explanation of a finding, citing UEFI 2.10 section 4.6.4,
 * e.g. "MAT entry 3 (Runtime Code [0x...-0x...], RO|RUN) overlaps MAT entry
 * 2 ... by 0x1000 bytes". mat and map are what the finding was made on.
 * Returns what snprintf would.
 */
int mm_mat_finding_format(char *buf, size_t size, const struct mm_mat_finding *f, const void *mat,
			  const struct memmap *map);

#endif
