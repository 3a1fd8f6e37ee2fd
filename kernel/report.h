/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run report: a text the kernel keeps while it runs (summary lines,
 * verdict, failed tests, firmware findings) and stores at the end, with the
 * map it was handed, in non-volatile variables (kernel/run_store.h); the
 * next boot's stub writes them into this boot's run folder as report.txt
 * and map-final.efimapd (docs/run-folder.md) and deletes the variables.
 *
 * Never overwritten: while results of an earlier boot are still stored
 * (the stub could not save them, e.g. a read-only volume), the kernel keeps
 * those and says so instead of storing its own.
 */
#ifndef EFIMAP_KERNEL_REPORT_H
#define EFIMAP_KERNEL_REPORT_H

#include "kernel/handoff.h"
#include "lib/types.h"

/* efimap's vendor GUID, 8f17bf1a-041b-450d-9d00-c99565a5536e (random, made for efimap). */
#define EFIMAP_VENDOR_GUID                                             \
	{                                                              \
		0x8f17bf1a, 0x041b, 0x450d,                            \
		{                                                      \
			0x9d, 0x00, 0xc9, 0x95, 0x65, 0xa5, 0x53, 0x6e \
		}                                                      \
	}

/* The single variable of efimap before run folders; the stub still saves one it finds. */
#define REPORT_VAR_NAME u"EfimapReport"

/* UEFI 2.10 section 8.2: EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS. */
#define REPORT_VAR_ATTRS 0x7u

/* The text is never larger than this (a normal run is about 6 KiB). */
#define REPORT_MAX_BYTES 32768u
/* Below this the report is not worth storing (the firmware's variables are that small). */
#define REPORT_MIN_BYTES 256u
/* One line, newline included; longer lines end in "..." */
#define REPORT_LINE_MAX 320u
/* Once the buffer is full the first lines up to here stay; later ones scroll. */
#define REPORT_HEAD_BYTES 12288u
/* Room for the "lines left out" marker. */
#define REPORT_MARKER_MAX 64u
#define REPORT_BUF_BYTES  (REPORT_MAX_BYTES - REPORT_MARKER_MAX)

/*
 * Lines, each ending in '\n', in buf[0..len). Before the first overflow
 * gap == len and dropped == 0; after it, buf[0..gap) is the head (kept
 * for good), `dropped` lines were left out at gap, and buf[gap..len) holds
 * the newest lines. A zeroed struct is an empty report.
 */
struct report {
	char buf[REPORT_BUF_BYTES];
	u32 len;
	u32 gap;
	u32 dropped;
	bool overflowed;
};

/*
 * Append one line (without its newline). Control and non-ASCII characters
 * become '?', a line longer than REPORT_LINE_MAX is cut and ends in "...".
 * When the buffer is full the oldest lines after the head make room, and
 * are counted as left out.
 */
void report_add_line(struct report *r, const char *line);

/*
 * The text, at most limit bytes (not NUL-terminated): every line if it
 * fits, else the first lines, a marker "... N lines left out ..." and the
 * newest lines (the verdict is among the last). Returns the bytes written,
 * 0 when limit < REPORT_MIN_BYTES.
 */
size_t report_render(const struct report *r, char *out, size_t limit);

/*
 * Lines that belong in the report: summary lines "efimap: <topic>: ..."
 * (one word of [a-z0-9_-] as the topic) and KTAP failure lines ("not ok
 * ..." and "# file:line: ..." diagnostics, indented or not).
 */
bool report_wants_line(const char *line);

/*
 * The text in at most limit bytes, for a store with little room: every
 * line if it fits; else the verdict, finding, report, run and inject
 * lines and failed tests' lines ("not ok", "# file.c:N: ...") all stay
 * and the other lines go oldest first, one
 * marker "... N older lines left out here ..." where they were. Returns
 * the bytes written (0 when limit < REPORT_MIN_BYTES); *left_out counts
 * the lines left out.
 */
size_t report_render_fit(const struct report *r, char *out, size_t limit, u32 *left_out);

/* What QueryVariableInfo said about the variable store, if it answered. */
struct report_var_store {
	bool known;
	u64 max_storage, remaining, max_variable;
};

/*
 * kernel/report_store.c: the kernel's report, fed by printk() and the
 * self-tests. Add lines by printing them (a summary line "efimap: <topic>:
 * ..."), so that the console and the saved report always agree.
 */
extern struct report kreport;

/*
 * At entry, before anything changes it: keep a copy of the map the stub
 * handed over (EFIMAPD, 40-byte descriptors), for the stored results.
 */
void report_keep_map(const struct handoff *h);

/*
 * End of the run: store the report and the map (unless results of an
 * earlier boot are waiting) and print "efimap: report:" lines saying what
 * was stored and what was left out.
 */
void report_finish(const struct handoff *h);

#endif
