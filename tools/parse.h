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
 * A map line must then parse completely, or it is a damaged line (below;
 * a map line longer than 4096 bytes is one). One exception is not a map
 * line: x86's "efi: memNN: ... (invalid)" warning, printed by
 * efi_clean_memmap() for entries it then drops (a note, below). Every other
 * line, of any length and content, is ignored and counted.
 *
 * Damaged lines. A map line that cannot be read (serial noise, a line cut
 * short, garbage inside it) or that does not look like the other lines of
 * its map (another form, column count or end style) is not fatal: it is
 * recorded as a note (PARSE_NOTE_DAMAGED, with its line number, an excerpt
 * and what was wrong) and the rest of the map is read. A damaged line
 * whose memNN could still be read fills that index, so the map stays
 * complete; one whose index is lost excuses one skipped index. A damaged
 * line belongs to the map being read, or to the next one when none is.
 *
 * Maps: indexed lines form one map while memNN counts up by one; mem00, a
 * line after efimap's "efimap: map: entries=..." summary, a switch between
 * indexed and arm64 lines, arm64's "Processing EFI memory map" header,
 * Linux's "EFI runtime memory map:" header or a new boot starts the next
 * one. A map is complete unless its first index is not 0, an index was
 * skipped, or efimap's summary gives another entry count.
 *
 * Boots: a line holding Linux's banner ("Linux version ") or efimap's first
 * stub line ("efimap: stub: UEFI ") starts a boot; lines before the first
 * such line are boot 1 too. Kinds: a map printed after Linux's "EFI runtime
 * memory map:" header, or after such a map in the same boot, is one a
 * kernel derived (MAP_KIND_KERNEL); every other map is the firmware's.
 *
 * Which map is returned (struct map_select): by default the last complete
 * firmware map in the input, i.e. the firmware's map of the last boot that
 * printed one (falling back to the last complete map of any kind when there
 * is no firmware map); or the first, the last or the Nth map in input order
 * (which must then be complete). maps_seen, maps_incomplete and the map_*
 * fields say what was there and which one was taken.
 *
 * Notes about the input (struct parse_note), besides damaged lines: Linux's
 * "efi: memNN: ... (invalid)" lines (efi_clean_memmap() drops those
 * entries) and EFI lines Linux tagged "[Firmware Bug]". They belong to the
 * first firmware map of their boot (or the boot's first map).
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

#include "memmap/dump.h"
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

/* The raw binary dump (EFIMAPD): memmap/dump.h. */

/* What a map is (see "Boots" above). */
enum map_kind {
	MAP_KIND_FIRMWARE = 0, /* as the firmware gave it (efimap's, Linux's first) */
	MAP_KIND_KERNEL,       /* a kernel derived it: Linux's "EFI runtime memory map:" */
};

/* Which map of the input parse_map_*_select() returns. */
enum map_pick {
	MAP_PICK_DEFAULT = 0, /* the last complete firmware map */
	MAP_PICK_FIRST,	      /* the first map of any kind */
	MAP_PICK_LAST,	      /* the last map of any kind */
	MAP_PICK_NUMBER,      /* map number (1-based, input order) */
};

struct map_select {
	enum map_pick pick;
	u32 number; /* MAP_PICK_NUMBER */
};

/* Findings about the input rather than the map. */
enum parse_note_kind {
	PARSE_NOTE_DAMAGED = 0,	  /* a map line that could not be read */
	PARSE_NOTE_LINUX_INVALID, /* Linux's "(invalid)" line: it dropped that entry */
	PARSE_NOTE_FIRMWARE_BUG,  /* an EFI line Linux tagged "[Firmware Bug]" */
	PARSE_NR_NOTE_KINDS,
};

/* At most this many notes are kept per input; the others are only counted. */
#define PARSE_MAX_NOTES 1024u

struct parse_note {
	enum parse_note_kind kind;
	u32 line;	/* input line, 1-based */
	char text[128]; /* the line from "efi" on (or all of it), quoted as parse_quote() does */
	char why[200];	/* damaged: what was wrong; empty otherwise */
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
	u32 maps_seen;	     /* maps found in the input */
	u32 maps_incomplete; /* of those, how many were incomplete */
	u32 map_number;	     /* the map returned: 1-based, in input order */
	enum map_kind map_kind;
	u32 map_boot;	    /* its boot, 1-based (binary input: 1) */
	u32 boots;	    /* boots seen (at least 1) */
	bool map_fallback;  /* default pick, but no complete firmware map: the last complete map */
	/*
	 * Set by the tool's loader (tools/load.c) when the input named was a
	 * run folder (tools/run_folder.h), empty otherwise: which of its maps
	 * was read ("final" or "capture"), the file, and why that one.
	 */
	char run_map[8];
	char run_file[24];
	char run_why[160];
	/*
	 * Notes about the returned map (malloc, nr_notes of them, in line
	 * order): its damaged lines, and Linux's (invalid) and [Firmware Bug]
	 * lines of its boot. notes_by_kind counts them all, also those beyond
	 * PARSE_MAX_NOTES that were not kept; notes_elsewhere counts the notes
	 * that belong to other maps (or to none).
	 */
	struct parse_note *notes;
	u32 nr_notes;
	u32 notes_by_kind[PARSE_NR_NOTE_KINDS];
	u32 notes_elsewhere;
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

/* The same with a choice of map (NULL: the default); an error when there is no such map. */
int parse_map_buffer_select(const void *data, size_t len, const struct map_select *sel,
			    struct parsed_map *out);
int parse_map_file_select(const char *path, const struct map_select *sel, struct parsed_map *out);

/*
 * "first", "last" or a number from 1 into *sel; false with why set
 * otherwise ("all" is the tool's business, not the parser's).
 */
bool map_select_parse(const char *arg, struct map_select *sel, char *why, size_t why_size);

/*
 * Which map was analysed, for reports: "map 2 of 3 (firmware map, boot 2,
 * line 1234)"; a binary dump gives "map 1 of 1 (binary dump)", one from a
 * run folder "map 1 of 1 (binary dump; the run folder's final map,
 * map-final.efimapd: why)".
 */
void parsed_map_describe(char *buf, size_t size, const struct parsed_map *pm);
#define MAP_DESCRIBE_MAX 352 /* room for parsed_map_describe()'s longest text */

/* "firmware", "kernel": stable, for JSON. */
const char *map_kind_name(enum map_kind kind);
/* "damaged-line", "linux-invalid", "firmware-bug": stable check names. */
const char *parse_note_name(enum parse_note_kind kind);

void parsed_map_free(struct parsed_map *pm);

/* "old-type-attr", "bracket-9"... "efimap", "binary": stable, for JSON. */
const char *log_format_name(enum log_format fmt);

#endif
