// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every suite the guest can run, in order: the shared unit suites (the same
 * sources as the host run) first, then the guest-only ones.
 *
 * Of the shared suites the guest keeps only those the image's freestanding
 * build could break where the host's cannot (Makefile: GUEST_UNIT_SRC): its
 * own printf, descriptor strides, the handoff block's layout. The others
 * test pure logic and run on the host alone, under ASan and UBSan, with
 * their full random and exhaustive models; the guest spends its time on
 * what only it can test: live tables, page tables, firmware calls.
 */
#include "tests/guest/guest.h"
#include "tests/unit/suites.h"

const struct ktap_suite *const guest_suites[] = {
	&printf_suite,
	&memmap_suite,
	&handoff_suite,
	&boot_suite,
	&map_suite,
	&paging_suite, /* tests/guest/x86/ or arm64/: the kernel's tables, the arch's descriptors */
	&accept_live_suite,
	&reclaim_live_suite,
	&fbcon_suite,
	&report_live_suite,
	&runtime_suite, /* both arches: SVAM, the EFI tables, the services, a recovered fault */
#if defined(__aarch64__)
	&arm64_core_suite, /* tests/guest/arm64/core_test.c: vectors, exception stack, timer */
#endif
	&kexec_suite,
	&fail_suite,
};
const u32 nr_guest_suites = ARRAY_SIZE(guest_suites);
