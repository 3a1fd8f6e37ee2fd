/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every finding about one parsed map, in terms of the input: the entry as
 * numbered in the input and the line it was read from, even for the
 * order-dependent checks that can only run on a sorted copy.
 */
#ifndef EFIMAP_TOOLS_FINDINGS_H
#define EFIMAP_TOOLS_FINDINGS_H

#include "memmap/mat_check.h"
#include "memmap/validate.h"
#include "tools/parse.h"

/*
 * Findings about the input rather than the map (tools/parse.h notes: a
 * damaged line, Linux's "(invalid)" and "[Firmware Bug]" lines): their
 * check numbers follow the library's, so tool_finding.f.check holds either,
 * and tool_check_name() names both ("damaged-line", "linux-invalid",
 * "firmware-bug"). Their index is MM_NO_INDEX and line the input line.
 */
#define TOOL_CHECK_NOTE(kind) ((enum mm_check)(MM_NR_CHECKS + (u32)(kind)))
/*
 * Findings about the memory attributes table (memmap/mat_check.h) follow
 * those: tool_finding.f.index is then the table's entry (MM_NO_INDEX for
 * its header) and f.other what mm_mat_finding.other holds.
 */
#define TOOL_CHECK_MAT(c)   ((enum mm_check)(MM_NR_CHECKS + PARSE_NR_NOTE_KINDS + (u32)(c)))
#define TOOL_CHECK_IS_MAT(c) ((u32)(c) >= (u32)TOOL_CHECK_MAT(0))
#define TOOL_NR_CHECKS	     (MM_NR_CHECKS + PARSE_NR_NOTE_KINDS + MM_NR_MAT_CHECKS)
const char *tool_check_name(u32 check);

struct tool_finding {
	struct mm_finding f; /* index and other: entries of the map as parsed */
	u32 line;	     /* source line of f.index; 0 when unknown (binary input) */
	u32 other_line;	     /* source line of f.other when it is an entry, else 0 */
	u32 seq;	     /* order found, the last sort key */
	char message[320];   /* mm_finding_format() against the map as parsed */
};

struct finding_list {
	struct tool_finding *v;
	u32 n, cap;
	u32 by_severity[MM_NR_SEVERITIES];
	bool sorted_copy; /* the map was unsorted and a sorted copy was validated too */
	bool copy_failed; /* ... but the copy could not be made (order checks skipped) */
};

/*
 * Validate pm's map as parsed (order-independent checks and "unsorted");
 * if it is unsorted, validate a sorted indexed copy too and keep from it
 * only the findings mm_check_needs_order() names, translated back to the
 * input's entries. The result is sorted: map-wide findings first, then by
 * entry, then by check, then in the order found. Returns 0, or -1 when
 * memory ran out.
 */
int findings_collect(const struct parsed_map *pm, struct finding_list *out);
/* The same with arch's severities (findings_collect() is x86's). */
int findings_collect_arch(const struct parsed_map *pm, enum mm_arch arch, struct finding_list *out);

/*
 * Check the memory attributes table mat (size bytes, as read from mat.bin
 * or --mat) against pm's map and add its findings to *list, after the
 * map's. Returns 0, or -1 when memory ran out.
 */
int findings_add_mat(const struct parsed_map *pm, const void *mat, size_t size,
		     struct finding_list *list);

void findings_free(struct finding_list *list);

/* True when the finding's `other` field names an entry (not a count): overlap, mergeable, unsorted.
 */
bool finding_other_is_entry(const struct mm_finding *f);

#endif
