/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading a memory map dumped anywhere: a Linux boot log (dmesg or a serial
 * capture, in every format Linux has printed), efimap's own serial log, or
 * a raw binary dump. Host only (tools/ may use libc).
 *
 * The result is an ordinary struct memmap so that every check, the sort and
 * the layout run on exactly the code the kernel runs.
 */
#ifndef EFIMAP_TOOLS_PARSE_H
#define EFIMAP_TOOLS_PARSE_H

#include <stdio.h>

#include "memmap/memmap.h"

enum log_format {
	LOG_FMT_NONE = 0,
	LOG_FMT_OLD_TYPE_ATTR, /* "EFI: mem00: type=7, attr=0xf, range=[...) (0MB)" */
	LOG_FMT_BRACKET_9,     /* [type|RUN|UC?...] 9 attribute columns */
	LOG_FMT_BRACKET_12,
	LOG_FMT_BRACKET_13,
	LOG_FMT_BRACKET_HP,   /* 6.x with the HP column after RUN */
	LOG_FMT_ATTR_RAW,     /* only "|attr=0x...]" lines seen */
	LOG_FMT_ARM64,	      /* "efi:   0x...-0x... [type|...]*" no index */
	LOG_FMT_EFIMAP,	      /* efimap's own serial log */
	LOG_FMT_BINARY,	      /* raw dump: struct mm_dump_header + descriptors */
};

/*
 * The raw binary dump: this header, then nr_map descriptors of desc_size
 * bytes each, little-endian, exactly as GetMemoryMap returned them.
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
	 * Owns map.base (malloc). Text input: desc_size 40, version 1, entries in
	 * the order printed. Binary input: the dump's descriptors, desc_size and
	 * version exactly as in its header, even when they are invalid, so that
	 * validation can name them. capacity == nr_map.
	 */
	struct memmap map;
	u32 *lines; /* source line of entry i (1-based); 0 for binary input */
	enum log_format format;
	bool end_inclusive;   /* ranges were printed with an inclusive end */
	bool nomap_marks;     /* arm64 '*' (nomap) marks were seen */
	u32 maps_seen;	      /* maps found in the input; the last complete one is used */
	u32 ignored_lines;    /* lines that were not map lines */
	/* On failure: why, and the line it happened on (0 when not line-bound). */
	char error[256];
	u32 error_line;
};

/*
 * Parse a whole input already in memory; name is used in messages. Returns
 * 0 with *out filled, or -1 with out->error/out->error_line set (no map line
 * found, a map line that cannot be read, a truncated binary dump...).
 */
int parse_map_buffer(const char *name, const void *data, size_t len, struct parsed_map *out);

/* Read and parse a file ("-" is stdin). Same return as above. */
int parse_map_file(const char *path, struct parsed_map *out);

void parsed_map_free(struct parsed_map *pm);

const char *log_format_name(enum log_format fmt);

#endif
