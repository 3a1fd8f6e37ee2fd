/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit-test suites that build both for the host and into the guest image. */
#ifndef EFIMAP_TESTS_UNIT_SUITES_H
#define EFIMAP_TESTS_UNIT_SUITES_H

#include "tests/ktap.h"

extern const struct ktap_suite printf_suite;
extern const struct ktap_suite memmap_suite;
extern const struct ktap_suite format_suite;
extern const struct ktap_suite options_suite;
extern const struct ktap_suite handoff_suite;
extern const struct ktap_suite pgtable_size_suite;
extern const struct ktap_suite cpu_features_suite;
extern const struct ktap_suite validate_suite;
extern const struct ktap_suite mat_check_suite;
extern const struct ktap_suite sort_filter_suite;
extern const struct ktap_suite layout_suite;
extern const struct ktap_suite report_suite;
extern const struct ktap_suite psf_suite;
extern const struct ktap_suite reclaim_suite;
extern const struct ktap_suite palloc_suite;
extern const struct ktap_suite live_tables_suite;
extern const struct ktap_suite efi_pt_suite;
extern const struct ktap_suite pte_arm64_suite; /* build/unit-tests-pte-arm64 only */
extern const struct ktap_suite accept_suite;
extern const struct ktap_suite rt_services_suite;
extern const struct ktap_suite smbios_suite;
extern const struct ktap_suite fdt_suite;
extern const struct ktap_suite fw_tables_suite;

#endif
