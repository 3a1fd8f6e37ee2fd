// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every suite the guest can run, in order: the shared unit suites (the same
 * sources as the host run) first, then the guest-only ones.
 */
#include "tests/guest/guest.h"
#include "tests/unit/suites.h"

const struct ktap_suite *const guest_suites[] = {
	&printf_suite,
	&memmap_suite,
	&format_suite,
	&options_suite,
	&handoff_suite,
	&pgtable_size_suite,
	&cpu_features_suite,
	&validate_suite,
	&sort_filter_suite,
	&layout_suite,
	&report_suite,
	&psf_suite,
	&reclaim_suite,
	&palloc_suite,
	&live_tables_suite,
	&efi_pt_suite,
	&accept_suite,
	&rt_services_suite,
	&smbios_suite,
	&boot_suite,
	&map_suite,
	&paging_suite,
	&accept_live_suite,
	&reclaim_live_suite,
	&fbcon_suite,
	&report_live_suite,
	&runtime_suite,
	&fail_suite,
};
const u32 nr_guest_suites = ARRAY_SIZE(guest_suites);
