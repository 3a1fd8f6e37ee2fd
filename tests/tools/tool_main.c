// SPDX-License-Identifier: BSD-2-Clause
/*
 * The runner of build/tool-tests: every suite of tests/tools/suites.h, KTAP
 * on stdout, exit 1 on any failure. Arguments, if any, name the suites to
 * run (exit 2 for a name that is not a suite). Run from the repository
 * root: the parser tests read tests/tools/samples/.
 */
#include <stdio.h>
#include <string.h>

#include "tests/tools/suites.h"

static const struct ktap_suite *const suites[] = {
	&parse_samples_suite,
	&parse_text_suite,
	&parse_binary_suite,
	&report_suite,
	&run_folder_suite,
	&diff_suite,
	&plan_suite,
};

static void put_line(const char *line)
{
	puts(line);
}

int main(int argc, char **argv)
{
	const struct ktap_suite *run[ARRAY_SIZE(suites)];
	struct ktap_totals tot = { 0 };
	u32 n = 0;

	for (int a = 1; a < argc; a++) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(suites); i++)
			if (!strcmp(argv[a], suites[i]->name))
				break;
		if (i == ARRAY_SIZE(suites)) {
			fprintf(stderr, "tool-tests: no suite '%s'\n", argv[a]);
			return 2;
		}
		if (n < ARRAY_SIZE(run))
			run[n++] = suites[i];
	}
	if (argc == 1)
		for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
			run[n++] = suites[i];

	setvbuf(stdout, NULL, _IOLBF, 0);
	ktap_set_output(put_line);
	ktap_begin(n);
	for (u32 i = 0; i < n; i++)
		ktap_run_suite(i + 1, run[i], &tot);
	ktap_end(&tot);
	return tot.failed ? 1 : 0;
}
