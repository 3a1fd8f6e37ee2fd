/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Suites of build/tool-tests (host only, ASan+UBSan): the host tool's
 * parser and reports. To add one: declare it here and list it in
 * tests/tools/tool_main.c.
 */
#ifndef EFIMAP_TESTS_TOOLS_SUITES_H
#define EFIMAP_TESTS_TOOLS_SUITES_H

#include "tests/ktap.h"

extern const struct ktap_suite parse_samples_suite;
extern const struct ktap_suite parse_text_suite;
extern const struct ktap_suite parse_binary_suite;
extern const struct ktap_suite report_suite;
extern const struct ktap_suite run_folder_suite;
extern const struct ktap_suite diff_suite;
extern const struct ktap_suite plan_suite;

#endif
