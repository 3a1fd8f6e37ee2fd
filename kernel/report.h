/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run report: a compact text the kernel keeps while it runs (summary
 * lines, verdict, failed tests, firmware findings) and stores at the end in
 * a non-volatile EFI variable; the next boot's stub writes it to
 * \EFI\efimap\reports\NNNN.txt on the boot volume and deletes the variable.
 *
 * The variable's name and vendor GUID are ABI between the kernel (writer)
 * and the stub (reader), so the kernel owns them here.
 *
 * One variable, never overwritten: while a report from an earlier boot is
 * still in it (the stub could not save it, e.g. a read-only volume), the
 * kernel keeps that one and says so instead of storing its own.
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

/* UCS-2, as SetVariable takes it (u"" is UTF-16, the same for ASCII). */
#define REPORT_VAR_NAME u"EfimapReport"
/* Bytes of the name including its NUL, which count against the firmware's size limit. */
#define REPORT_VAR_NAME_BYTES sizeof(REPORT_VAR_NAME)

/* UEFI 2.10 section 8.2: EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS. */
#define REPORT_VAR_ATTRS 0x7u

/* The stored text is never larger than this. */
#define REPORT_MAX_BYTES 4096u
/* Below this the report is not worth storing (the firmware's variables are that small). */
#define REPORT_MIN_BYTES 256u
/* One line, newline included; longer lines end in "..." */
#define REPORT_LINE_MAX 320u
/* Once the buffer is full the first lines up to here stay; later ones scroll. */
#define REPORT_HEAD_BYTES 2560u
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

/* What QueryVariableInfo said about the variable store, if it answered. */
struct report_var_store {
	bool known;
	u64 max_storage, remaining, max_variable;
};

/*
 * The largest report the firmware takes in one variable: edk2 limits name
 * plus data to MaximumVariableSize. REPORT_MAX_BYTES when unknown.
 */
size_t report_size_limit(const struct report_var_store *vs);

/*
 * After SetVariable refused an n-byte report with status st: a smaller
 * size worth one more try, or 0 for none. EFI_OUT_OF_RESOURCES: what the
 * store says is free, less a variable header's worth; EFI_INVALID_PARAMETER
 * (too big?): 900 bytes, under edk2's default 1 KiB for name, header and
 * data together.
 */
size_t report_retry_limit(u64 st, const struct report_var_store *vs, size_t n);

/*
 * kernel/report_store.c: the kernel's report, fed by printk() and the
 * self-tests. Add lines by printing them (a summary line "efimap: <topic>:
 * ..."), so that the console and the saved report always agree.
 */
extern struct report kreport;

/*
 * End of the run: store the report in the variable (unless one from an
 * earlier boot is waiting) and print the "efimap: report:" summary line
 * saying what happened.
 */
void report_finish(const struct handoff *h);

#endif
