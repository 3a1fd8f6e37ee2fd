/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the host tool names things: sizes for people, attribute bits, memory
 * types (including the reserved, OEM and OS ranges no name covers) and
 * entry ranges that may run past 2^64.
 */
#ifndef EFIMAP_TOOLS_DESCRIBE_H
#define EFIMAP_TOOLS_DESCRIBE_H

#include <stdio.h>

#include "memmap/memmap.h"
#include "memmap/validate.h"
#include "tools/parse.h"

/*
 * A byte count for people: the largest binary unit (B, KiB ... ZiB) that
 * keeps the value at least 1, at most two decimals, truncated rather than
 * rounded so that "1023.99 MiB" is never shown as "1 GiB". The _pages form
 * takes 4 KiB pages (a map entry can hold up to 2^64 - 1 of them, more
 * bytes than a u64 holds). Returns what snprintf would.
 */
int describe_size(char *buf, size_t size, u64 bytes);
int describe_pages(char *buf, size_t size, u64 pages);

/*
 * Short name of one attribute bit (0..63), or NULL when no UEFI version
 * defines it alone (the ISA-specific field, bits 44-59, is one value).
 */
const char *attr_bit_name(unsigned int bit);

#define ATTR_NAME_MAX  24 /* "ISA=0xffff", "0x8000000000000000" */
#define ATTR_NAMES_MAX 24 /* 17 named bits + the ISA field + undefined bits */

/*
 * The names of attr's parts in bit order: each defined bit ("UC", "WB",
 * "RUN"...), the ISA-specific field as "ISA=0x...", then every bit no UEFI
 * version defines together as one "0x..." value. Returns how many.
 */
u32 attr_names(u64 attr, char names[][ATTR_NAME_MAX], u32 max);

/* attr_names() joined by '|' ("UC|WC|WT|WB|RUN"), or "none" for 0. */
int describe_attrs(char *buf, size_t size, u64 attr);

/*
 * The type's Linux name, or for an unknown type which range it is in
 * (UEFI 2.10 table 7-5: 0x70000000-0x7fffffff OEM, 0x80000000 and up OS
 * loaders, the rest reserved): "reserved type 16", "OEM type 0x70000001".
 */
int describe_type(char *buf, size_t size, u32 type);

/*
 * The entry's last byte (inclusive), computed past 2^64 when the entry
 * overflows, as "0x" and 16 hex digits (17 when it runs past 2^64).
 * False, writing "-", for an entry of zero pages (it has no last byte).
 */
bool describe_last_byte(char *buf, size_t size, const struct mm_desc *md);

/*
 * What `efimap help CHECK` says about a check of the library (enum
 * mm_check): what it finds, why it matters to an OS, where the spec says
 * so, and what a firmware engineer should change. NULL for a number that
 * is not a check (or one without help, which a test forbids).
 */
struct check_help {
	const char *finds;
	const char *why;
	const char *spec;
	const char *fix;
};

const struct check_help *check_help(u32 check);

/* The check called name (mm_check_name()), or -1. */
int check_by_name(const char *name);

/* `efimap help CHECK` on out: the four parts, wrapped; -1 when name is no check. */
int check_help_print(FILE *out, const char *name);
/* Every check's name and the first sentence of what it finds, one a line. */
void check_help_list(FILE *out);

#endif
