/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the pieces of the map reader share: one text line read into a
 * descriptor (parse_line.c), the text reader that groups lines into maps
 * (parse_text.c) and the binary dump reader (parse_binary.c). Not part of
 * the interface: tools/parse.h is.
 */
#ifndef EFIMAP_TOOLS_PARSE_INTERNAL_H
#define EFIMAP_TOOLS_PARSE_INTERNAL_H

#include "tools/parse.h"

/* A map line longer than this is rejected (a real one is under 200 bytes). */
#define PARSE_MAX_MAP_LINE 4096u
/*
 * Entries one binary map, or all the maps of one text input together, may
 * have (real maps have a few hundred).
 */
#define PARSE_MAX_ENTRIES (1u << 22)
/* Attribute columns Linux ever printed: 9 (3.19) to 15 (with HP). */
#define PARSE_MIN_COLUMNS 9u
#define PARSE_MAX_COLUMNS 15u

enum map_family {
	FAM_OLD,     /* "efi: mem00: type=7, attr=0xf, range=[...) (0MB)" */
	FAM_BRACKET, /* "efi: mem00: [Conventional|...] range=[...] (0MB)" */
	FAM_ARM64,   /* "efi:   0x...-0x... [Conventional|...]*" */
};

enum map_line_kind {
	ML_NONE,	   /* not a map line: ignore it */
	ML_ENTRY,	   /* one map entry, in struct map_line */
	ML_SUMMARY,	   /* efimap's "efimap: map: entries=..." line */
	ML_ARM64_HEADER,   /* "efi: Processing EFI memory map:" */
	ML_ERROR,	   /* a map line that cannot be read; why says what was wrong */
	ML_BOOT,	   /* a boot starts: Linux's banner, efimap's first stub line */
	ML_RUNTIME_HEADER, /* Linux's "efi: EFI runtime memory map:" */
	ML_KERNEL_ENTRY, /* efimap's "kernel core entered": a re-entered instance when not the first
			  */
	ML_INVALID,	 /* Linux's "efi: memNN: ... (invalid)": an entry it drops */
	ML_FW_BUG,	 /* an EFI line with Linux's "[Firmware Bug]" tag */
};

struct map_line {
	enum map_family family;
	u32 index;	/* memNN (not arm64) */
	bool has_index; /* index was read (even when the rest of the line failed) */
	u32 columns;	/* attribute columns; 0 for "attr=0x..." and the old form */
	bool inclusive; /* "]" closed the range */
	bool nomap;	/* arm64 '*' */
	bool rounded;	/* the length was not a whole number of pages */
	struct mm_desc md;
};

struct efimap_summary {
	u32 entries;
	u32 desc_size;
	u32 desc_version;
	u32 capacity;
};

/*
 * Classify one line (without its newline; trailing CR already removed) and
 * read it. For ML_ENTRY *ml is filled, for ML_SUMMARY *sum, for ML_ERROR
 * why (a sentence, no line number) and, when the memNN index could be
 * read, ml->index with ml->has_index.
 */
enum map_line_kind parse_map_line(const char *s, size_t len, struct map_line *ml,
				  struct efimap_summary *sum, char *why, size_t why_size);

/*
 * Bytes of s as a quoted excerpt for messages: at most max bytes,
 * printable ASCII as is, anything else as \xNN, "..." when cut.
 */
void parse_quote(char *dst, size_t size, const char *s, size_t len, size_t max);

int parse_text(const char *data, size_t len, const struct map_select *sel, struct parsed_map *out);
int parse_binary(const u8 *data, size_t len, struct parsed_map *out);

/* Set out->error (printf-style) and out->error_line; returns -1. */
int parse_fail(struct parsed_map *out, u32 line, const char *fmt, ...) __printf(3, 4);

#endif
