// SPDX-License-Identifier: BSD-2-Clause
/* kernel/options.c: the efimap.* command line. */
#include "kernel/options.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

static char reports[4][OPT_REPORT_MAX];
static u32 nr_reports;

static void record(void *ctx, const char *msg)
{
	(void)ctx;
	if (nr_reports < ARRAY_SIZE(reports))
		memcpy(reports[nr_reports], msg, strlen(msg) + 1);
	nr_reports++;
}

static int parse(struct options *o, const char *cmdline)
{
	nr_reports = 0;
	return options_parse(o, cmdline, record, NULL);
}

static void defaults(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT_EQ(t, o.exit, EXIT_AUTO);
	KT_EXPECT(t, !o.selftest_none);
	KT_EXPECT_EQ(t, o.nr_suites, 0);
	KT_EXPECT_EQ(t, o.inject, 0);
	KT_EXPECT_EQ(t, options_parse(&o, NULL, NULL, NULL), 0);
}

static void exit_modes(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "efimap.exit=qemu"), 0);
	KT_EXPECT_EQ(t, o.exit, EXIT_QEMU);
	KT_EXPECT_EQ(t, parse(&o, "efimap.exit=shutdown"), 0);
	KT_EXPECT_EQ(t, o.exit, EXIT_SHUTDOWN);
	KT_EXPECT_EQ(t, parse(&o, "  efimap.exit=reboot\t"), 0);
	KT_EXPECT_EQ(t, o.exit, EXIT_REBOOT);
	KT_EXPECT_EQ(t, parse(&o, "efimap.exit=halt"), 0);
	KT_EXPECT_EQ(t, o.exit, EXIT_HALT);
	KT_EXPECT_STREQ(t, exit_mode_name(EXIT_SHUTDOWN), "shutdown");
}

static void bad_exit_value_is_named(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "efimap.exit=poweroff"), 1);
	KT_EXPECT_EQ(t, o.exit, EXIT_AUTO);
	KT_EXPECT_STREQ(
		t, reports[0],
		"efimap.exit: unknown value 'poweroff' (expected qemu|shutdown|reboot|halt)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.exit"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.exit needs a value (qemu|shutdown|reboot|halt)");
}

static void unknown_option_is_named(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "efimap.exit=halt efimap.bogus=1 efimap.selftest=map"), 1);
	KT_EXPECT_STREQ(t, reports[0], "unknown option 'efimap.bogus=1'");
	/* The words around it still count. */
	KT_EXPECT_EQ(t, o.exit, EXIT_HALT);
	KT_EXPECT_EQ(t, o.nr_suites, 1);
	KT_EXPECT_EQ(t, parse(&o, "efimap."), 1);
}

static void foreign_words_are_skipped(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "quiet console=ttyS0 efimapx=1 efimap.exit=qemu"), 0);
	KT_EXPECT_EQ(t, nr_reports, 0);
	KT_EXPECT_EQ(t, o.exit, EXIT_QEMU);
	/* Counted, the first kept (cut to fit), for one line in the log. */
	KT_EXPECT_EQ(t, o.foreign_words, 3);
	KT_EXPECT_STREQ(t, o.first_foreign, "quiet");
	/* U-Boot's bootargs, as its LoadOptions carry them (as observed under QEMU). */
	KT_EXPECT_EQ(t, parse(&o, "root=/dev/sdb3 init=/sbin/init rootwait ro"), 0);
	KT_EXPECT_EQ(t, o.foreign_words, 4);
	KT_EXPECT_STREQ(t, o.first_foreign, "root=/dev/sdb3");
	KT_EXPECT_EQ(t, parse(&o, "efimap.exit=qemu"), 0);
	KT_EXPECT_EQ(t, o.foreign_words, 0);
	KT_EXPECT_EQ(t, parse(&o, "a_word_longer_than_thirty_two_characters_x"), 0);
	KT_EXPECT_EQ(t, strlen(o.first_foreign), OPT_NAME_LEN - 1);
}

static void selftest_lists(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "efimap.selftest=map,handoff,,paging"), 0);
	KT_ASSERT(t, o.nr_suites == 3);
	KT_EXPECT_STREQ(t, o.suites[0], "map");
	KT_EXPECT_STREQ(t, o.suites[1], "handoff");
	KT_EXPECT_STREQ(t, o.suites[2], "paging");
	KT_EXPECT_EQ(t, parse(&o, "efimap.selftest=none"), 0);
	KT_EXPECT(t, o.selftest_none);
	KT_EXPECT_EQ(t, parse(&o, "efimap.selftest=all"), 0);
	KT_EXPECT(t, !o.selftest_none);
	KT_EXPECT_EQ(t, o.nr_suites, 0);
	KT_EXPECT_EQ(t, parse(&o, "efimap.selftest="), 1);
}

static void last_word_wins(struct ktap_test *t)
{
	struct options o;

	/* The stub appends LoadOptions after the options file: they must override it. */
	KT_EXPECT_EQ(t,
		     parse(&o, "efimap.exit=halt efimap.selftest=none efimap.exit=qemu "
			       "efimap.selftest=map"),
		     0);
	KT_EXPECT_EQ(t, o.exit, EXIT_QEMU);
	KT_EXPECT(t, !o.selftest_none);
	KT_EXPECT_EQ(t, o.nr_suites, 1);
}

static void inject_faults(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=hang,ebs-retry"), 0);
	KT_EXPECT_EQ(t, o.inject, INJECT_HANG | INJECT_EBS_RETRY);
	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=pagefault,nosuch"), 1);
	KT_EXPECT_EQ(t, o.inject, INJECT_PAGEFAULT);
	KT_EXPECT_STREQ(
		t, reports[0],
		"efimap.inject: unknown fault 'nosuch' "
		"(expected pagefault|hang|triple-fault|ebs-retry|stack-overflow|bad-handoff|"
		"varstore-full|no-runtime|rt-fault|stray-bit|svam-fault|kexec-scribble)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=varstore-full,no-runtime"), 0);
	KT_EXPECT_EQ(t, o.inject, INJECT_VARSTORE_FULL | INJECT_NO_RUNTIME);
	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=rt-fault"), 0);
	KT_EXPECT_EQ(t, o.inject, INJECT_RT_FAULT);
	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=stray-bit"), 0);
	KT_EXPECT_EQ(t, o.inject, INJECT_STRAY_BIT);
}

/* efimap.va=: the window for the runtime regions' virtual addresses. */
static void va_window(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT_EQ(t, o.va_base, 0);
	KT_EXPECT_EQ(t, o.va_size, 0);
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=-256G:64G"), 0);
	KT_EXPECT_EQ(t, o.va_base, 0xffffffc000000000ULL);
	KT_EXPECT_EQ(t, o.va_size, 64ULL << 30);
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=0x7f0000000000:0x40000000"), 0);
	KT_EXPECT_EQ(t, o.va_base, 0x7f0000000000ULL);
	KT_EXPECT_EQ(t, o.va_size, 1ULL << 30);
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=-256G:64G efimap.va=default"), 0);
	KT_EXPECT_EQ(t, o.va_base, 0);
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=0x1000:2M"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.va: bad value '0x1000:2M' (BASE and SIZE must be non-zero "
			"multiples of 2 MiB)");
	KT_EXPECT_EQ(t, o.va_base, 0);
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=high"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.va: bad value 'high' (expected default or BASE:SIZE, e.g. "
			"-256G:64G)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=-2M:4M"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.va: bad value '-2M:4M' (the window wraps past 2^64)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=0x7fffffe00000:4M"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.va: bad value '0x7fffffe00000:4M' (the window must lie in one "
			"canonical half of a 48-bit address space)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=1Q:2M efimap.va"), 2);
	KT_EXPECT_STREQ(t, reports[1], "efimap.va needs a value (default|BASE:SIZE)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.va=0x99999999999999999999:2M"), 1);
}

static void too_many_suites(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, "efimap.selftest=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"), 1);
	KT_EXPECT_EQ(t, o.nr_suites, OPT_MAX_SUITES);
	KT_EXPECT_EQ(t, parse(&o, "efimap.selftest=abcdefghijabcdefghijabcdefghijabcdefghij"), 1);
	KT_EXPECT_EQ(t, o.nr_suites, 0);
}

static void fbcon_on_off(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT(t, !o.fbcon_off);
	KT_EXPECT_EQ(t, parse(&o, "efimap.fbcon=off"), 0);
	KT_EXPECT(t, o.fbcon_off);
	KT_EXPECT_EQ(t, parse(&o, "efimap.fbcon=off efimap.fbcon=on"), 0);
	KT_EXPECT(t, !o.fbcon_off);
	KT_EXPECT_EQ(t, parse(&o, "efimap.fbcon=no"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.fbcon: unknown value 'no' (expected on|off)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.fbcon"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.fbcon needs a value (on|off)");
}

/* Every bad efimap.unaccepted= value: one report naming it and why, and the setting kept. */
static void unaccepted_bad_values(struct ktap_test *t)
{
	static const char *const bad[][2] = {
		{ "sim", "expected none, sim:above=SIZE or sim:SIZE@ADDR" },
		{ "SIM:above=4G", "expected none, sim:above=SIZE or sim:SIZE@ADDR" },
		{ "sim:above=4Q", "SIZE is not a number" },
		{ "sim:above=4G:", "SIZE is not a number" },
		{ "sim:above=4097", "SIZE and ADDR must be multiples of 4 KiB" },
		{ "sim:1G", "expected sim:SIZE@ADDR" },
		{ "sim:1G@", "expected sim:SIZE@ADDR" },
		{ "sim:@4G", "expected sim:SIZE@ADDR" },
		{ "sim:0@4G", "SIZE is 0" },
		{ "sim:1G@-512M", "the range wraps past 2^64" },
		{ "sim:1000@0", "SIZE and ADDR must be multiples of 4 KiB" },
		{ "sim:4K@0x1001", "SIZE and ADDR must be multiples of 4 KiB" },
	};
	char cmd[96], want[OPT_REPORT_MAX];
	struct options o;

	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		fmt_snprintf(cmd, sizeof(cmd),
			     "efimap.unaccepted=sim:above=8G efimap.unaccepted=%s", bad[i][0]);
		fmt_snprintf(want, sizeof(want), "efimap.unaccepted: bad value '%s' (%s)",
			     bad[i][0], bad[i][1]);
		KT_EXPECT_EQ(t, parse(&o, cmd), 1);
		KT_EXPECT_EQ(t, nr_reports, 1);
		KT_EXPECT_STREQ(t, reports[0], want);
		KT_EXPECT(t, o.accept_sim); /* the earlier, good word still counts */
		KT_EXPECT_EQ(t, o.accept_sim_base, 8ULL << 30);
		KT_EXPECT_EQ(t, o.accept_sim_size, 0);
	}
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.unaccepted needs a value (none|sim:above=SIZE|sim:SIZE@ADDR)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted="), 1);
	KT_EXPECT_EQ(t, nr_reports, 1);
	KT_EXPECT(t, !o.accept_sim);
}

/* efimap.unaccepted=none|sim:above=SIZE|sim:SIZE@ADDR: the simulation window. */
static void unaccepted_sim_windows(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT(t, !o.accept_sim);
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=none"), 0);
	KT_EXPECT(t, !o.accept_sim);
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=sim:above=4G"), 0);
	KT_EXPECT(t, o.accept_sim);
	KT_EXPECT_EQ(t, o.accept_sim_base, 4ULL << 30);
	KT_EXPECT_EQ(t, o.accept_sim_size, 0); /* to the top */
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=sim:1G@0x100000000"), 0);
	KT_EXPECT(t, o.accept_sim);
	KT_EXPECT_EQ(t, o.accept_sim_base, 0x100000000ULL);
	KT_EXPECT_EQ(t, o.accept_sim_size, 1ULL << 30);
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=sim:0x3000@0x40001000"), 0);
	KT_EXPECT_EQ(t, o.accept_sim_base, 0x40001000ULL);
	KT_EXPECT_EQ(t, o.accept_sim_size, 0x3000);
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=sim:above=0"), 0);
	KT_EXPECT(t, o.accept_sim);
	KT_EXPECT_EQ(t, o.accept_sim_base, 0);
	/* A window that ends exactly at 2^64 does not wrap. */
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=sim:1G@-1G"), 0);
	KT_EXPECT_EQ(t, o.accept_sim_base, ~0ULL - (1ULL << 30) + 1);
	/* The last word wins, both ways. */
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=sim:above=4G efimap.unaccepted=none"), 0);
	KT_EXPECT(t, !o.accept_sim);
	KT_EXPECT_EQ(t, o.accept_sim_base, 0);
	KT_EXPECT_EQ(t, parse(&o, "efimap.unaccepted=none efimap.unaccepted=sim:2G@2G"), 0);
	KT_EXPECT(t, o.accept_sim);
	KT_EXPECT_EQ(t, o.accept_sim_size, 2ULL << 30);
}

/* efimap.accept=lazy|eager, lazy by default; anything else is named. */
static void accept_modes(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT(t, !o.accept_eager);
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept=eager"), 0);
	KT_EXPECT(t, o.accept_eager);
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept=lazy"), 0);
	KT_EXPECT(t, !o.accept_eager);
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept=eager efimap.accept=lazy"), 0);
	KT_EXPECT(t, !o.accept_eager);
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept=eager efimap.accept=fast"), 1);
	KT_EXPECT_EQ(t, nr_reports, 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.accept: unknown value 'fast' (expected lazy|eager)");
	KT_EXPECT(t, o.accept_eager); /* kept */
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept=EAGER"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.accept: unknown value 'EAGER' (expected lazy|eager)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.accept needs a value (lazy|eager)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.accept="), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.accept needs a value (lazy|eager)");
	KT_EXPECT(t, !o.accept_eager);
}

/* efimap.mat=use|ignore and efimap.wx=linux|strict: off by default, anything else named. */
/* efimap.kexec=N: 0 to 16 re-entries; anything else is named and the setting kept. */
static void kexec_hops(struct ktap_test *t)
{
	static const char *const bad[] = { "", "-1", "17", "3x", "0x3", "99999999999999999999" };
	char cmd[96], want[OPT_REPORT_MAX];
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT_EQ(t, o.kexec, 0);
	KT_EXPECT_EQ(t, parse(&o, "efimap.kexec=3"), 0);
	KT_EXPECT_EQ(t, o.kexec, 3);
	KT_EXPECT_EQ(t, parse(&o, "efimap.kexec=16"), 0);
	KT_EXPECT_EQ(t, o.kexec, 16);
	KT_EXPECT_EQ(t, parse(&o, "efimap.kexec=0"), 0);
	KT_EXPECT_EQ(t, o.kexec, 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		fmt_snprintf(cmd, sizeof(cmd), "efimap.kexec=2 efimap.kexec=%s", bad[i]);
		fmt_snprintf(want, sizeof(want),
			 "efimap.kexec: bad value '%s' (expected a number of re-entries, 0 to 16)",
			 bad[i]);
		KT_EXPECT_EQ(t, parse(&o, cmd), 1);
		KT_EXPECT_STREQ(t, reports[0], want);
		KT_EXPECT_EQ(t, o.kexec, 2);
	}
	KT_EXPECT_EQ(t, parse(&o, "efimap.kexec"), 1);
	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=kexec-scribble"), 0);
	KT_EXPECT_EQ(t, o.inject, INJECT_KEXEC_SCRIBBLE);
}

static void mat_and_wx_policy(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT(t, !o.mat_ignore && !o.wx_strict);
	KT_EXPECT_EQ(t, parse(&o, "efimap.mat=ignore efimap.wx=strict"), 0);
	KT_EXPECT(t, o.mat_ignore && o.wx_strict);
	KT_EXPECT_EQ(t, parse(&o, "efimap.mat=ignore efimap.mat=use efimap.wx=strict efimap.wx=linux"),
		     0);
	KT_EXPECT(t, !o.mat_ignore && !o.wx_strict);
	KT_EXPECT_EQ(t, parse(&o, "efimap.mat=ignore efimap.mat=off"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.mat: unknown value 'off' (expected use|ignore)");
	KT_EXPECT(t, o.mat_ignore); /* kept */
	KT_EXPECT_EQ(t, parse(&o, "efimap.wx"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.wx needs a value (linux|strict)");
	KT_EXPECT_EQ(t, parse(&o, "efimap.inject=svam-fault"), 0);
	KT_EXPECT_EQ(t, o.inject, INJECT_SVAM_FAULT);
}

/* efimap.qemu=none|semihosting: off by default (a semihosting trap without QEMU's consent hangs). */
static void qemu_semihosting(struct ktap_test *t)
{
	struct options o;

	KT_EXPECT_EQ(t, parse(&o, ""), 0);
	KT_EXPECT(t, !o.qemu_semihosting);
	KT_EXPECT_EQ(t, parse(&o, "efimap.qemu=semihosting"), 0);
	KT_EXPECT(t, o.qemu_semihosting);
	KT_EXPECT_EQ(t, parse(&o, "efimap.qemu=semihosting efimap.qemu=none"), 0);
	KT_EXPECT(t, !o.qemu_semihosting);
	KT_EXPECT_EQ(t, parse(&o, "efimap.qemu=semihosting efimap.qemu=hlt"), 1);
	KT_EXPECT_STREQ(t, reports[0],
			"efimap.qemu: unknown value 'hlt' (expected none|semihosting)");
	KT_EXPECT(t, o.qemu_semihosting); /* kept */
	KT_EXPECT_EQ(t, parse(&o, "efimap.qemu"), 1);
	KT_EXPECT_STREQ(t, reports[0], "efimap.qemu needs a value (none|semihosting)");
	KT_EXPECT(t, !o.qemu_semihosting);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(defaults),
	KTAP_CASE(exit_modes),
	KTAP_CASE(bad_exit_value_is_named),
	KTAP_CASE(va_window),
	KTAP_CASE(unknown_option_is_named),
	KTAP_CASE(foreign_words_are_skipped),
	KTAP_CASE(selftest_lists),
	KTAP_CASE(last_word_wins),
	KTAP_CASE(inject_faults),
	KTAP_CASE(kexec_hops),
	KTAP_CASE(too_many_suites),
	KTAP_CASE(fbcon_on_off),
	KTAP_CASE(unaccepted_sim_windows),
	KTAP_CASE(unaccepted_bad_values),
	KTAP_CASE(accept_modes),
	KTAP_CASE(mat_and_wx_policy),
	KTAP_CASE(qemu_semihosting),
};
KTAP_SUITE(options_suite, "options", cases);
