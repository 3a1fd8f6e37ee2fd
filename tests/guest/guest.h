/* SPDX-License-Identifier: BSD-2-Clause */
/* Suites that run only inside the guest, against the live handoff, map and tables. */
#ifndef EFIMAP_TESTS_GUEST_GUEST_H
#define EFIMAP_TESTS_GUEST_GUEST_H

#include "tests/ktap.h"

extern const struct ktap_suite *const guest_suites[];
extern const u32 nr_guest_suites;

extern const struct ktap_suite boot_suite;
extern const struct ktap_suite map_suite;
extern const struct ktap_suite paging_suite;
extern const struct ktap_suite fbcon_suite;
extern const struct ktap_suite fail_suite;
extern const struct ktap_suite report_live_suite;
extern const struct ktap_suite accept_live_suite;
extern const struct ktap_suite reclaim_live_suite;
extern const struct ktap_suite runtime_suite;
extern const struct ktap_suite kexec_suite;
extern const struct ktap_suite arm64_core_suite; /* AArch64 only */

#endif
