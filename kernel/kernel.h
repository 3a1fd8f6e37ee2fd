/* SPDX-License-Identifier: BSD-2-Clause */
/* What kernel files share: console, time, and how a run ends. */
#ifndef EFIMAP_KERNEL_KERNEL_H
#define EFIMAP_KERNEL_KERNEL_H

#include "kernel/handoff.h"
#include "kernel/options.h"
#include "lib/types.h"
#include "memmap/memmap.h"
#include "memmap/validate.h"

/* kernel/printk.c: one line with a "[sss.uuuuuu] " TSC timestamp; adds the newline. */
void printk(const char *fmt, ...) __printf(1, 2);
/* The same on the console only: a line that carries nothing for the saved report. */
void printk_console(const char *fmt, ...) __printf(1, 2);
/* A line as is, no timestamp (KTAP output, which parsers read verbatim). */
void console_line(const char *line);
void time_init(u64 tsc_hz, u64 tsc_base);
u64 time_us(void);

/* kernel/x86/serial.c */

/* What the kernel was handed and is running on, for the self-tests. */
struct kernel_state {
	struct handoff *handoff;
	struct memmap map;
	struct options opts;
	u64 pml4; /* physical address of the kernel's top-level table */
	u64 pt_pages_used;
	u32 option_problems;
	struct mm_validation validation; /* findings on the firmware's map, by kind */
};
extern struct kernel_state kstate;

u64 kernel_image_base(void);
u64 kernel_image_end(void);

/* kernel/exit.c: how a run ends. */
enum verdict {
	VERDICT_PASS,		/* every self-test passed, no firmware error finding */
	VERDICT_FAIL,		/* a self-test failed: efimap is wrong */
	VERDICT_PASS_FW_ERRORS, /* efimap passed; the firmware has error findings */
};
__noreturn void kernel_end(enum exit_mode mode, enum verdict v);
/* No verdict: print why and stop (QEMU: exit code for "no verdict"; hardware: halt). */
__noreturn void kernel_no_verdict(const char *why);
/* Stop without printing anything (a fault while reporting a fault). */
__noreturn void kernel_die_quietly(void);

/*
 * kernel/map_check.c: validate the firmware map, print every finding, sort
 * it in place (stable) and run the order checks on the result.
 */
void map_check(struct memmap *map, struct mm_validation *v);

/* kernel/selftest.c: run the selected suites; returns the totals. */
struct ktap_totals;
void selftest_run(const struct options *o, struct ktap_totals *tot);

#endif
