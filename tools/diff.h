/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `efimap diff A B`: what changed from map A to map B. Entries are matched
 * by physical range (start and page count): a range in both with another
 * type or attribute value is changed, a range only in A removed, only in B
 * added (so an entry split or merged is removed + added). Order, virtual
 * addresses and desc_size do not count. Totals per type before, after and
 * the difference. Exit 0 equal, 1 different, 2 an input unreadable.
 */
#ifndef EFIMAP_TOOLS_DIFF_H
#define EFIMAP_TOOLS_DIFF_H

#include "tools/tool.h"

enum diff_kind { DIFF_REMOVED, DIFF_ADDED, DIFF_CHANGED };

struct diff_entry {
	u32 index; /* input order in its map */
	u32 line;  /* 0: binary input */
	struct mm_desc d;
};

struct diff_item {
	enum diff_kind kind;
	struct diff_entry a; /* removed, changed */
	struct diff_entry b; /* added, changed */
};

struct diff_type_total {
	u32 type;
	u32 entries[2];
	u64 pages[2]; /* saturating */
};

struct diff_result {
	struct diff_item *items; /* by start, then pages (smaller first) */
	u32 n;
	u32 by_kind[3];
	u32 unchanged;
	struct diff_type_total *types; /* every type in A or B, by type */
	u32 nr_types;
};

/* Compare two parsed maps (desc_size >= 40). 0, or -1 when memory ran out. */
int diff_maps(const struct parsed_map *a, const struct parsed_map *b, struct diff_result *r);
void diff_free(struct diff_result *r);

int cmd_diff(const char *path_a, const char *path_b, const struct tool_opts *o, FILE *out,
	     FILE *err);

#endif
