// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/rt_services.c against UEFI 2.10: the EFI_RUNTIME_SERVICES layout
 * (section 4.5: a 24-byte header, then 14 pointers in the spec's order),
 * the EFI_RT_PROPERTIES_TABLE bits (section 4.6.2, EFI_RT_SUPPORTED_*),
 * and the verdict per service, each expectation written out by hand.
 */
#include "kernel/rt_services.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

static void layout_and_bits_follow_the_spec(struct ktap_test *t)
{
	/* Section 4.5 order: GetTime, SetTime, GetWakeupTime, SetWakeupTime, SVAM, ... */
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_GET_TIME), 24);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_SET_VIRTUAL_ADDRESS_MAP), 56);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_CONVERT_POINTER), 64);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_GET_VARIABLE), 72);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_SET_VARIABLE), 88);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_GET_NEXT_HIGH_MONO_COUNT), 96);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_RESET_SYSTEM), 104);
	KT_EXPECT_EQ(t, efi_service_offset(EFI_SVC_QUERY_VARIABLE_INFO), 128);
	/* Section 4.6.2: EFI_RT_SUPPORTED_GET_VARIABLE 0x10, _SET_VIRTUAL_ADDRESS_MAP 0x80, ... */
	KT_EXPECT_EQ(t, 1u << EFI_SVC_GET_VARIABLE, 0x0010);
	KT_EXPECT_EQ(t, 1u << EFI_SVC_SET_VIRTUAL_ADDRESS_MAP, 0x0080);
	KT_EXPECT_EQ(t, 1u << EFI_SVC_GET_NEXT_HIGH_MONO_COUNT, 0x0200);
	KT_EXPECT_EQ(t, 1u << EFI_SVC_QUERY_VARIABLE_INFO, 0x2000);
	KT_EXPECT_EQ(t, EFI_RT_SUPPORTED_ALL, 0x3fff);
	KT_EXPECT_STREQ(t, efi_service_name(EFI_SVC_GET_NEXT_HIGH_MONO_COUNT),
			"GetNextHighMonotonicCount");
	KT_EXPECT_STREQ(t, efi_service_name(EFI_SVC_QUERY_CAPSULE_CAPS),
			"QueryCapsuleCapabilities");
}

static void table_read(struct ktap_test *t)
{
	/* U-Boot's AArch64 table (as observed under QEMU): version 1, length 8, 0x5b0. */
	static const u8 uboot[8] = { 1, 0, 8, 0, 0xb0, 0x05, 0, 0 };
	u8 bad[8];
	struct efi_rt_props p;

	p = efi_rt_props_read(NULL, 0);
	KT_EXPECT(t, !p.present && !p.bad);
	KT_EXPECT_EQ(t, p.supported, 0x3fff); /* no table: everything is supported */
	p = efi_rt_props_read(uboot, sizeof(uboot));
	KT_EXPECT(t, p.present && !p.bad);
	KT_EXPECT_EQ(t, p.version, 1);
	KT_EXPECT_EQ(t, p.length, 8);
	KT_EXPECT_EQ(t, p.supported, 0x5b0);
	KT_EXPECT(t, !(p.supported & (1u << EFI_SVC_GET_TIME)));
	KT_EXPECT(t, p.supported & (1u << EFI_SVC_RESET_SYSTEM));
	/* Unusable tables count as none, with the reason. */
	p = efi_rt_props_read(uboot, 4);
	KT_EXPECT(t, p.present && p.bad);
	KT_EXPECT_EQ(t, p.supported, 0x3fff);
	memcpy(bad, uboot, 8);
	bad[0] = 0;
	p = efi_rt_props_read(bad, 8);
	KT_EXPECT_STREQ(t, p.bad ? p.bad : "", "version 0");
	KT_EXPECT_EQ(t, p.supported, 0x3fff);
	memcpy(bad, uboot, 8);
	bad[2] = 6;
	p = efi_rt_props_read(bad, 8);
	KT_EXPECT_STREQ(t, p.bad ? p.bad : "", "length below 8 bytes");
	/* Bits above QueryVariableInfo name nothing: left out, the rest believed. */
	memcpy(bad, uboot, 8);
	bad[7] = 0x80;
	p = efi_rt_props_read(bad, 8);
	KT_EXPECT(t, !p.bad);
	KT_EXPECT_EQ(t, p.supported, 0x5b0);
	KT_EXPECT_EQ(t, p.reserved_bits, 0x80000000u);
}

static void verdicts(struct ktap_test *t)
{
	static const struct {
		bool declared;
		struct efi_svc_record r;
		enum efi_svc_verdict want;
		const char *word;
	} cases[] = {
		{ true, { 0, 0, 0, 0, 0 }, EFI_SVC_SUPPORTED, "supported" },
		{ false, { 0, 0, 0, 0, 0 }, EFI_SVC_UNSUPPORTED, "unsupported" },
		{ true, { 3, 0, 0, 3, 0 }, EFI_SVC_OK, "ok" },
		/* U-Boot's GetTime: declared unsupported, says EFI_UNSUPPORTED: as the spec asks.
		 */
		{ false, { 2, 2, 0, 0, 0 }, EFI_SVC_UNSUPPORTED, "unsupported" },
		/* Declared supported yet EFI_UNSUPPORTED once: the firmware broke its word. */
		{ true, { 4, 1, 0, 3, 0 }, EFI_SVC_FAIL_UNSUPPORTED, "fail" },
		/* Declared unsupported yet it answered otherwise: also a finding. */
		{ false, { 1, 0, 0, 1, 0 }, EFI_SVC_FAIL_UNDECLARED, "fail" },
		/* A fault is a fault whatever was declared. */
		{ true, { 1, 0, 1, 0, 0 }, EFI_SVC_FAIL_FAULT, "fail" },
		{ false, { 1, 0, 1, 0, 0 }, EFI_SVC_FAIL_FAULT, "fail" },
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		enum efi_svc_verdict v = efi_svc_judge(cases[i].declared, &cases[i].r);

		ktap_check(t, v == cases[i].want, __FILE__, __LINE__, "case %u: verdict %d, not %d",
			   i, v, cases[i].want);
		KT_EXPECT_STREQ(t, efi_svc_verdict_word(v), cases[i].word);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(layout_and_bits_follow_the_spec),
	KTAP_CASE(table_read),
	KTAP_CASE(verdicts),
};
KTAP_SUITE(rt_services_suite, "rt_services", cases);
