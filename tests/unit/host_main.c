// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host test runner: every unit suite, KTAP on stdout, exit 1 on any
 * failure. Built with AddressSanitizer and UBSan by `make check`.
 */
#include <stdio.h>

#include "tests/unit/suites.h"

static void put_line(const char *line)
{
	puts(line);
}

int main(void)
{
#ifdef EFIMAP_PTE_ARM64
	/* build/unit-tests-pte-arm64: the shared page-table code with arm64's descriptors. */
	static const struct ktap_suite *const suites[] = { &efi_pt_suite, &pte_arm64_suite };
#else
	static const struct ktap_suite *const suites[] = {
		&printf_suite,	&memmap_suite,	     &format_suite,   &options_suite,
		&handoff_suite, &pgtable_size_suite, &validate_suite, &mat_check_suite, &sort_filter_suite,
		&layout_suite,	&report_suite,	     &psf_suite,      &efi_pt_suite,
		&reclaim_suite, &palloc_suite, &live_tables_suite, &accept_suite, &rt_services_suite, &smbios_suite,
		&cpu_features_suite, &fdt_suite, &fw_tables_suite,
	};
#endif
	struct ktap_totals tot = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	ktap_set_output(put_line);
	ktap_begin(ARRAY_SIZE(suites));
	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		ktap_run_suite((u32)i + 1, suites[i], &tot);
	ktap_end(&tot);
	return tot.failed ? 1 : 0;
}
