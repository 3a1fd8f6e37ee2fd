// SPDX-License-Identifier: BSD-2-Clause
/*
 * A suite that always fails, run only when named (efimap.selftest=fail):
 * the boot tests use it to prove that a failing guest makes run-qemu exit 1.
 */
#include "tests/guest/guest.h"

static void always_fails(struct ktap_test *t)
{
	KT_EXPECT(t, 1 + 1 == 3);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(always_fails),
};

const struct ktap_suite fail_suite = {
	.name = "fail",
	.cases = cases,
	.nr_cases = ARRAY_SIZE(cases),
	.explicit_only = true,
};
