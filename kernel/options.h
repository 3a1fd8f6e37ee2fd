/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * efimap.* options. The syntax belongs to the boot protocol, so the kernel
 * owns the parser; the stub links it too, for the options it acts on
 * itself. Words are separated by blanks; words that do not start with
 * "efimap." belong to someone else and are skipped; for a key given twice
 * the last word wins (the stub puts LoadOptions after the options file, so
 * the command line overrides the file).
 */
#ifndef EFIMAP_KERNEL_OPTIONS_H
#define EFIMAP_KERNEL_OPTIONS_H

#include "lib/types.h"

enum exit_mode {
	EXIT_AUTO = 0, /* qemu when the isa-debug-exit port answers, else shutdown */
	EXIT_QEMU,
	EXIT_SHUTDOWN,
	EXIT_REBOOT,
	EXIT_HALT,
};

/* Test-only fault injection, to prove that failures are caught and reported. */
enum inject {
	INJECT_PAGEFAULT = 1u << 0,    /* kernel reads page 0 after its tables are live */
	INJECT_HANG = 1u << 1,	       /* kernel stops making progress before the tests */
	INJECT_TRIPLE_FAULT = 1u << 2, /* kernel loads an empty IDT and traps */
	INJECT_EBS_RETRY = 1u << 3, /* stub passes a stale map key to the first ExitBootServices */
	INJECT_STACK_OVERFLOW = 1u << 4, /* kernel recurses into the stack's guard page */
	INJECT_BAD_HANDOFF = 1u << 5,	 /* stub corrupts the sealed handoff block */
	INJECT_VARSTORE_FULL = 1u << 6,	 /* the kernel fills the variable store before storing */
	INJECT_NO_RUNTIME = 1u << 7,	 /* kernel switches runtime services off at its start */
	INJECT_RT_FAULT = 1u << 8,	 /* a runtime call made to fault inside the firmware */
	INJECT_STRAY_BIT = 1u << 9,	 /* stub sets an unaccepted bit over memory that is not */
	/* stub leaves runtime code out of SetVirtualAddressMap's 1:1 half: the firmware faults */
	INJECT_SVAM_FAULT = 1u << 10,
	/* with efimap.kexec: the first instance changes a kept firmware table before its jump */
	INJECT_KEXEC_SCRIBBLE = 1u << 11,
};

#define OPT_KEXEC_MAX 16u /* efimap.kexec=N: at most this many re-entries */

#define OPT_MAX_SUITES 16
#define OPT_NAME_LEN   32

struct options {
	enum exit_mode exit;
	bool selftest_none; /* efimap.selftest=none */
	u32 nr_suites;	    /* 0 and !selftest_none: all */
	char suites[OPT_MAX_SUITES][OPT_NAME_LEN];
	u32 inject;
	bool fbcon_off; /* efimap.fbcon=off: no screen console (serial only) */
	/* efimap.va=BASE:SIZE: the runtime regions' virtual window; 0, 0 = the default. */
	u64 va_base;
	u64 va_size;
	/*
	 * efimap.unaccepted=sim:above=SIZE|sim:SIZE@ADDR|none: treat the
	 * conventional memory in [sim_base, sim_base + sim_size) as
	 * EfiUnacceptedMemory (above=: sim_size 0, to the top).
	 */
	bool accept_sim;
	u64 accept_sim_base;
	u64 accept_sim_size;
	bool accept_eager; /* efimap.accept=eager: everything at boot (default lazy) */
	/* efimap.capture=off: the stub writes no run folder on the boot volume */
	bool capture_off;
	/* efimap.mat=ignore: act as if the firmware published no memory attributes table */
	bool mat_ignore;
	/*
	 * efimap.wx=strict: runtime code without a MAT entry saying otherwise is
	 * mapped read-only (the firmware may then fault: a policy result, not a
	 * firmware bug); default (linux): RWX as Linux maps it, counted.
	 */
	bool wx_strict;
	/*
	 * efimap.kexec=N: after its verdict, each instance starts a fresh one
	 * from the pristine copy of the image, N times (kernel/kexec.c).
	 */
	u32 kexec;
	/*
	 * efimap.qemu=semihosting: QEMU runs with -semihosting-config
	 * enable=on, so AArch64 may end it with a status through semihosting
	 * SYS_EXIT (kernel/arm64/qemu.c); default none. x86 ignores it (its
	 * isa-debug-exit port is probed).
	 */
	bool qemu_semihosting;
	/*
	 * Words that are not efimap.* options, skipped (U-Boot hands its
	 * bootargs over as LoadOptions, a shell the image name): how many, and
	 * the first, for the one line that says so.
	 */
	u32 foreign_words;
	char first_foreign[OPT_NAME_LEN];
};

/* Longest problem line passed to an opt_report callback, NUL included. */
#define OPT_REPORT_MAX 256

typedef void (*opt_report)(void *ctx, const char *msg);

/*
 * Parse cmdline into *o (defaults first). Every problem, such as an unknown
 * efimap.* key or a value that is not allowed, is passed to report() as one
 * line naming the word; parsing goes on with the next word. Returns the
 * number of problems.
 */
int options_parse(struct options *o, const char *cmdline, opt_report report, void *ctx);

const char *exit_mode_name(enum exit_mode m);

#endif
