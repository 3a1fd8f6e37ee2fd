// SPDX-License-Identifier: BSD-2-Clause
/*
 * The in-guest test runner: picks suites by efimap.selftest and prints
 * KTAP on the console. A suite name that does not exist is a `not ok`
 * line of its own in the stream, so a typo cannot turn into a silent pass
 * and any KTAP parser counts the same failure efimap counts.
 */
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

static const struct ktap_suite *find_suite(const char *name)
{
	for (u32 i = 0; i < nr_guest_suites; i++)
		if (!strcmp(guest_suites[i]->name, name))
			return guest_suites[i];
	return NULL;
}

/* KTAP goes to the console; failures also into the run report. */
static void ktap_line(const char *line)
{
	console_line(line);
	if (report_wants_line(line))
		report_add_line(&kreport, line);
}

/*
 * A name as a KTAP description: a '#' would start a directive and a
 * space would make it two words, so both become '_'.
 */
static void ktap_name(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i] == '#' || src[i] <= ' ' || src[i] > '~' ? '_' : src[i];
	dst[i] = '\0';
}

static void run_unknown(u32 index, const char *name, struct ktap_totals *tot)
{
	char line[OPT_NAME_LEN + 64], safe[OPT_NAME_LEN];

	ktap_name(safe, sizeof(safe), name);
	fmt_snprintf(line, sizeof(line), "# no suite named '%s'", safe);
	ktap_line(line);
	fmt_snprintf(line, sizeof(line), "not ok %u %s # no such suite", index, safe);
	ktap_line(line);
	tot->failed++;
}

/*
 * Run one suite and say what it cost: a KTAP diagnostic line after its
 * result, "# time NAME us=N", which KTAP parsers skip (KTAP v1: lines
 * starting with '#' are diagnostics) and `make bench` reads. Timings are
 * reported, never judged: no test depends on them.
 */
static void run_timed(u32 index, const struct ktap_suite *s, struct ktap_totals *tot)
{
	char line[OPT_NAME_LEN + 64], safe[OPT_NAME_LEN];
	u64 t0 = time_us();

	ktap_run_suite(index, s, tot);
	ktap_name(safe, sizeof(safe), s->name);
	fmt_snprintf(line, sizeof(line), "# time %s us=%llu", safe,
		     (unsigned long long)(time_us() - t0));
	ktap_line(line);
}

void selftest_run(const struct options *o, struct ktap_totals *tot)
{
	/* One entry per name asked for; NULL where no suite has that name. */
	const struct ktap_suite *run[OPT_MAX_SUITES > 32 ? OPT_MAX_SUITES : 32];
	const char *asked[ARRAY_SIZE(run)];
	u32 n = 0;

	ktap_set_output(ktap_line);
	if (o->selftest_none) {
		/*
		 * A plan of 1..0 reads as a crash to Linux's kunit.py ("0 tests
		 * run!", an error); one skipped test reads as what it is: the
		 * self-tests were switched off. Counted as skipped, so the
		 * closing line and the verdict agree with any KTAP parser.
		 */
		printk("efimap: selftest: none selected");
		ktap_begin(1);
		ktap_line("ok 1 selftest # SKIP efimap.selftest=none");
		tot->skipped++;
		ktap_end(tot);
		return;
	}
	if (!o->nr_suites) {
		for (u32 i = 0; i < nr_guest_suites && n < ARRAY_SIZE(run); i++)
			if (!guest_suites[i]->explicit_only) {
				asked[n] = guest_suites[i]->name;
				run[n++] = guest_suites[i];
			}
	} else {
		for (u32 i = 0; i < o->nr_suites && n < ARRAY_SIZE(run); i++) {
			asked[n] = o->suites[i];
			run[n] = find_suite(o->suites[i]);
			if (!run[n])
				printk("efimap: selftest: no suite named '%s'", o->suites[i]);
			n++;
		}
	}

	ktap_begin(n);
	for (u32 i = 0; i < n; i++) {
		if (run[i])
			run_timed(i + 1, run[i], tot);
		else
			run_unknown(i + 1, asked[i], tot);
	}
	ktap_end(tot);
}
