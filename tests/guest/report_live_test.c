// SPDX-License-Identifier: BSD-2-Clause
/*
 * The run report and the runtime calls behind it, live: what the kernel has
 * collected so far, the firmware's name it reports, and the variable
 * services answering through kernel/x86/efi_call.c in the middle of the
 * run (a broken call path shows here as a failed case, not at the end).
 */
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/firmware_id.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

static char text[REPORT_MAX_BYTES + 1];

static bool contains(const char *s, const char *what)
{
	size_t n = strlen(what);

	for (; *s; s++)
		if (!strncmp(s, what, n))
			return true;
	return false;
}

static void collects_summary_lines(struct ktap_test *t)
{
	size_t n = report_render(&kreport, text, REPORT_MAX_BYTES);

	KT_ASSERT(t, n > 0 && n <= REPORT_MAX_BYTES);
	text[n] = '\0';
	/* Printed before the self-tests, so already in it. */
	KT_EXPECT(t, contains(text, "efimap: ebs: attempts="));
	KT_EXPECT(t, contains(text, "efimap: map: entries="));
	KT_EXPECT(t, contains(text, "efimap: firmware: vendor="));
	/* The map itself and the timestamps stay out. */
	KT_EXPECT(t, !contains(text, "efi: mem"));
	KT_EXPECT(t, !contains(text, "] efimap:"));
}

static void firmware_vendor_readable(struct ktap_test *t)
{
	char vendor[64];
	int n = firmware_vendor(kstate.handoff, vendor, sizeof(vendor));

	KT_EXPECT(t, n > 0);
	for (int i = 0; i < n; i++)
		KT_EXPECT(t, vendor[i] >= 0x20 && vendor[i] < 0x7f);
}

static void variable_services_answer(struct ktap_test *t)
{
	static const struct handoff_guid vendor = EFIMAP_VENDOR_GUID;
	static const u16 missing[] = u"EfimapNoSuchVariable";
	u64 max_storage = 0, remaining = ~0ULL, max_variable = 0, size = 0, st;
	const char *not_called;
	u32 attrs;
	u8 byte;

	st = efi_query_variable_info(kstate.handoff, REPORT_VAR_ATTRS, &max_storage, &remaining,
				     &max_variable, &not_called);
	if (not_called) {
		ktap_skip(t, "runtime services are off");
		return;
	}
	if (st == EFIST_UNSUPPORTED) {
		/* UEFI 2.8+: firmware may drop variable services at runtime (RT properties table).
		 */
		ktap_skip(t, "QueryVariableInfo unsupported after ExitBootServices");
		return;
	}
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	KT_EXPECT(t, max_storage > 0);
	KT_EXPECT(t, remaining <= max_storage);
	st = efi_get_variable(kstate.handoff, missing, &vendor, &attrs, &size, &byte, &not_called);
	KT_EXPECT(t, !not_called);
	KT_EXPECT_EQ(t, st, EFIST_NOT_FOUND);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(collects_summary_lines),
	KTAP_CASE(firmware_vendor_readable),
	KTAP_CASE(variable_services_answer),
};

KTAP_SUITE(report_live_suite, "report_live", cases);
