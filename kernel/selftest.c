// SPDX-License-Identifier: BSD-2-Clause
/*
 * The in-guest test runner: picks suites by efimap.selftest and prints
 * KTAP on the console. A suite name that does not exist counts as a
 * failure, so a typo cannot turn into a silent pass.
 */
#include "kernel/kernel.h"
#include "kernel/report.h"
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

void selftest_run(const struct options *o, struct ktap_totals *tot)
{
	const struct ktap_suite *run[OPT_MAX_SUITES > 32 ? OPT_MAX_SUITES : 32];
	u32 n = 0;

	if (o->selftest_none) {
		printk("efimap: selftest: none selected");
	} else if (!o->nr_suites) {
		for (u32 i = 0; i < nr_guest_suites && n < ARRAY_SIZE(run); i++)
			if (!guest_suites[i]->explicit_only)
				run[n++] = guest_suites[i];
	} else {
		for (u32 i = 0; i < o->nr_suites; i++) {
			const struct ktap_suite *s = find_suite(o->suites[i]);

			if (s) {
				run[n++] = s;
			} else {
				printk("efimap: selftest: no suite named '%s'", o->suites[i]);
				tot->failed++;
			}
		}
	}

	ktap_set_output(ktap_line);
	ktap_begin(n);
	for (u32 i = 0; i < n; i++)
		ktap_run_suite(i + 1, run[i], tot);
	ktap_end(tot);
}
