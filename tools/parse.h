/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading a memory map dumped anywhere: a Linux boot log (dmesg or a serial
 * capture, in every format Linux has printed), efimap's own serial log, or
 * a raw binary dump. Host only (tools/ may use libc).
 *
 * The result is an ordinary struct memmap so that every check, the sort and
 * the layout run on exactly the code the kernel runs.
 *
 * Text input. A line is a map line when, anywhere in it, "efi:" (any case)
 * is followed by blanks and then either "mem<digit>" (x86 and efimap:
 * "efi: mem07: ...") or "0x<hex digit>" (arm64: "efi:   0x...-0x... [...]").
 * Whatever precedes "efi:" is ignored (dmesg "[    0.000000] ", syslog
 * "Jan  1 00:00:00 host kernel: ", serial noise); lines end in LF, CR
 * before it are dropped (a file without any LF is split at CR), and UTF-16
 * input (byte-order mark) is refused with a hint to convert it.
 * A map line must then parse completely, or the input is rejected with the
 * line number and what was wrong (a map line longer than 4096 bytes is
 * one). One exception is not a map line: x86's "efi: memNN: ... (invalid)"
 * warning, printed by efi_clean_memmap() for entries it then drops. Every
 * other line, of any length and content, is ignored and counted.
 *
 * Maps: indexed lines form one map while memNN counts up by one; mem00, a
 * line after efimap's "efimap: map: entries=..." summary, a switch between
 * indexed and arm64 lines, or arm64's "Processing EFI memory map" header
 * starts the next one. A map is complete unless its first index is not 0,
 * an index was skipped, or efimap's summary gives another entry count.
 * The LAST complete map is the one returned (a capture holding two boots,
 * or efimap's log followed by Linux's, yields the later map); maps_seen
 * and maps_incomplete say what else was there.
 *
 * Sizes. Ranges are end-exclusive ("[a-b)", old kernels) or end-inclusive
 * ("[a-b]", Linux 4.6 and later, arm64, efimap), decided per line from the
 * bracket. The start is kept as printed (an unaligned start stays
 * unaligned, for MM_CHECK_UNALIGNED); num_pages = ceil(bytes / 4096), and
 * a length that is not a whole number of pages is counted in
 * rounded_entries (Linux derives the range from num_pages, so real logs
 * never have one). Linux prints start + size - 1 modulo 2^64, so an
 * inclusive end one below the start is a zero-page entry, and an end below
 * the start is accepted as a range that runs past 2^64 (MM_CHECK_OVERFLOW)
 * only when the printed "(NMB)" confirms that size; otherwise it is an
 * error. "(NMB)" must always match the range.
 */
#ifndef EFIMAP_TOOLS_PARSE_H
#define EFIMAP_TOOLS_PARSE_H

#include <stdio.h>

#include "memmap/memmap.h"

/*
 * The bracketed "[type|attribute columns]" form grew one column per new
 * UEFI attribute; the column count dates the kernel:
 *   9  RUN XP RP WP UCE WB WT WC UC                          3.19 (end-exclusive)
 *   10 + MR after RUN                                        4.5
 *   11 + RO before UCE                                       4.6
 *   12 + NV after MR                                         4.6 (end-inclusive from here)
 *   13 + SP after MR                                         5.5
 *   14 + CC after MR; short type names ("Conventional")      5.10 (and efimap)
 *   15 + HP after RUN                                        early 2025, with stable backports
 *                                                            (5.15.179, Debian's 6.1.19x...)
 * Type names before 5.10 were long ("Conventional Memory", "Memory Mapped
 * I/O"); both spellings are accepted, in any case.
 */
enum log_format {
	LOG_FMT_NONE = 0,
	LOG_FMT_OLD_TYPE_ATTR, /* "EFI: mem00: type=7, attr=0xf, range=[...) (0MB)" */
	LOG_FMT_BRACKET_9,     /* "[Boot Data          |   |  |  |  |   |WB|WT|WC|UC]" */
	LOG_FMT_BRACKET_12,
	LOG_FMT_BRACKET_13,
	LOG_FMT_BRACKET_HP, /* 15 columns: HP after RUN */
	LOG_FMT_ATTR_RAW,   /* only "|attr=0x...]" lines seen */
	LOG_FMT_ARM64,	    /* "efi:   0x...-0x... [type|...]*" no index */
	LOG_FMT_EFIMAP,	    /* efimap's own serial log (14 columns + its summary line) */
	LOG_FMT_BINARY,	    /* raw dump: struct mm_dump_header + descriptors */
	LOG_FMT_BRACKET_10,
	LOG_FMT_BRACKET_11,
	LOG_FMT_BRACKET_14,
};

/*
 * The raw binary dump: this header, then nr_map descriptors of desc_size
 * bytes each, little-endian, exactly as GetMemoryMap returned them.
 *   offset 0  magic "EFIMAPD\0"
 *   offset 8  header_size: 32; descriptors start at this offset (a larger
 *             value is accepted, the extra header bytes are skipped)
 *   offset 12 desc_size, as GetMemoryMap reported it (kept even when < 40)
 *   offset 16 desc_version, as GetMemoryMap reported it
 *   offset 20 nr_map: descriptors that follow
 *   offset 24 reserved: 0
 * The file must be exactly header_size + nr_map * desc_size bytes long.
 */
#define MM_DUMP_MAGIC "EFIMAPD\0" /* 8 bytes */
struct mm_dump_header {
	char magic[8];
	u32 header_size; /* sizeof(struct mm_dump_header) = 32 */
	u32 desc_size;
	u32 desc_version;
	u32 nr_map;
	u64 reserved; /* 0 */
};

struct parsed_map {
	/*
	 * Owns map.base (malloc). Text input: desc_size 40, version 1 (efimap
	 * logs: the desc_version its summary line reports), entries in the
	 * order printed. Binary input: the dump's descriptors, desc_size and
	 * version exactly as in its header, even when they are invalid, so that
	 * validation can name them; the buffer is padded so that reading 40
	 * bytes at any i * desc_size, i < nr_map, stays inside it.
	 * capacity == nr_map.
	 */
	struct memmap map;
	u32 *lines; /* source line of entry i (1-based); 0 for binary input */
	enum log_format format;
	bool end_inclusive;  /* ranges were printed with an inclusive end */
	bool nomap_marks;    /* arm64 '*' (nomap) marks were seen */
	u32 attr_columns;    /* attribute columns of the bracketed form, 0 if none */
	u32 maps_seen;	     /* maps found in the input; the last complete one is used */
	u32 maps_incomplete; /* of those, how many were incomplete (never used) */
	u32 ignored_lines;   /* lines that were not map lines */
	u32 rounded_entries; /* entries whose printed length was rounded up to whole pages */
	/*
	 * On failure: why, and the line it happened on (0 when not line-bound).
	 * error holds neither the input's name nor the line number, so callers
	 * print "name:line: error". It may quote input, with bytes outside
	 * printable ASCII shown as \xNN.
	 */
	char error[256];
	u32 error_line;
};

/*
 * Parse a whole input already in memory; name is the caller's (error never
 * includes it). Returns
 * 0 with *out filled, or -1 with out->error/out->error_line set (no map line
 * found, a map line that cannot be read, a truncated binary dump...).
 * Input starting with MM_DUMP_MAGIC is a binary dump, anything else text.
 * *out needs parsed_map_free() either way.
 */
int parse_map_buffer(const char *name, const void *data, size_t len, struct parsed_map *out);

/* Read and parse a file ("-" is stdin), at most 1 GiB. Same return as above. */
int parse_map_file(const char *path, struct parsed_map *out);

void parsed_map_free(struct parsed_map *pm);

/* "old-type-attr", "bracket-9"... "efimap", "binary": stable, for JSON. */
const char *log_format_name(enum log_format fmt);

#endif
