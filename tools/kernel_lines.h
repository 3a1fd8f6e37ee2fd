/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What one boot's kernel said about its reclaim, read back from its
 * serial log or a run folder's report.txt, so that `efimap plan` can run
 * the kernel's reclaim (kernel/reclaim.c) with the kernel's own
 * reservations and predict exactly what that boot freed and kept:
 *
 *   efimap: map: entries=N desc_size=D desc_version=V capacity=C
 *   efimap: resv: KERN 0xBASE-0xLAST REASON (TYPE)     one per KERN range
 *   efimap: resv: boot_ranges=N kern_ranges=N table=N/N dropped=N
 *   efimap: reclaim: trampoline: ...                     the page set aside
 *   efimap: reclaim: nothing freed: WHY
 *
 * (kernel/main.c and kernel/reclaim_boot.c print them; README "Serial
 * output".) Lines are found anywhere in a line, after a timestamp or other
 * noise. Host only.
 */
#ifndef EFIMAP_TOOLS_KERNEL_LINES_H
#define EFIMAP_TOOLS_KERNEL_LINES_H

#include <stdio.h>

#include "kernel/resv.h"

/* One "efimap: resv: KERN" line. */
struct kernel_kern {
	u64 base;
	u64 end; /* exclusive: the printed last byte + 1 */
	enum resv_reason reason;
	u32 line; /* input line, 1-based (0 when unknown) */
};

struct kernel_lines {
	struct kernel_kern *kern; /* malloc'd, nr_kern of them, in input order */
	u32 nr_kern, cap_kern;
	bool closed;	 /* the "resv: boot_ranges=..." line after them was read */
	u32 kern_ranges; /* ... and the KERN count it gives */
	u32 dropped;	 /* ... and the ranges the kernel's table dropped */
	u32 first_line;	 /* line of the first KERN line, and of the closing line */
	u32 last_line;
	bool trampoline_said; /* a "reclaim: trampoline:" line was read */
	u64 trampoline;	      /* its page, or ~0 when it said there was none */
	bool trampoline_from_bs;
	u32 entries; /* from "efimap: map: entries=..."; 0 when not seen */
	u32 desc_size;
	u32 capacity;
	char nothing_freed[160]; /* the kernel's "reclaim: nothing freed: WHY", or "" */
	/* The first line that looked like one of the above but could not be read. */
	u32 error_line;
	char error[200];
};

void kernel_lines_init(struct kernel_lines *kl);
void kernel_lines_free(struct kernel_lines *kl);

/*
 * Read one input line (no newline needed; len bytes, not NUL-terminated).
 * Returns false when the line starts another boot or another kernel
 * instance (efimap's first stub line, Linux's banner, efimap's "kernel
 * core entered"): the lines of the boot being read end before it.
 */
bool kernel_lines_read_line(struct kernel_lines *kl, const char *line, size_t len, u32 lineno);

/*
 * Read text from line first_line (1-based; 0 or 1: from the start) up to
 * the end of that boot: the next boot's (or kernel instance's) first line
 * after a line of this one was read. first_line is the line of the map the
 * lines belong to (struct parsed_map lines[0]), so a log of several boots
 * gives the lines of the boot whose map is analysed.
 */
void kernel_lines_read_text(struct kernel_lines *kl, const char *text, size_t len, u32 first_line);

/* The same for a file; -1 with errno set when it cannot be read. */
int kernel_lines_read_file(struct kernel_lines *kl, const char *path, u32 first_line);

/*
 * Whether the reservations are complete enough to plan with: the closing
 * line was read, its kern_ranges matches the KERN lines, nothing was
 * dropped and no line was damaged. When not, why is set (for "unknown:
 * ..." in the plan).
 */
bool kernel_lines_complete(const struct kernel_lines *kl, char *why, size_t why_size);

#endif
