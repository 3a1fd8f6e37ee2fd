// SPDX-License-Identifier: BSD-2-Clause
/* What the stub handed over: the handoff block and the ExitBootServices record. */
#include "kernel/acpi_check.h"
#include "kernel/config_tables.h"
#include "kernel/kernel.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

static void cmdline_terminated(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	size_t len = 0;

	while (len < sizeof(h->cmdline) && h->cmdline[len])
		len++;
	KT_EXPECT(t, len < sizeof(h->cmdline));
}

static void firmware_tables_present(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	KT_EXPECT(t, h->system_table != 0);
	KT_EXPECT(t, h->runtime_services != 0);
	/* UEFI 2.x: the major revision lives in the top 16 bits. */
	KT_EXPECT(t, (h->uefi_revision >> 16) == 2);
	KT_EXPECT(t, h->nr_config_tables > 0);
	KT_EXPECT_EQ(t, h->nr_config_tables,
		     h->nr_config_tables_fw < HANDOFF_MAX_CONFIG_TABLES
			     ? h->nr_config_tables_fw
			     : HANDOFF_MAX_CONFIG_TABLES);
	for (u32 i = 0; i < h->nr_config_tables; i++)
		KT_EXPECT(t, h->config[i].table != 0);
}

/*
 * efimap finds the RSDP the firmware publishes and judges it as ACPI 6.5
 * section 5.2.5.3 says, worked out here from the bytes; a defect is the
 * firmware's (a finding), never this test's failure.
 */
static void acpi_rsdp_found_and_judged(struct ktap_test *t)
{
	const struct handoff_guid acpi20 = GUID_ACPI_20;
	const struct acpi_rsdp_check *c = acpi_check_rsdp(kstate.handoff);
	const u8 *rsdp = (const u8 *)(uintptr_t)config_table_find(kstate.handoff, &acpi20);
	u8 sum = 0, ext = 0;

	KT_EXPECT_STREQ(t, config_table_name(&acpi20), "ACPI 2.0 RSDP");
	if (!rsdp) {
		ktap_skip(t, "no ACPI 2.0 table published");
		return;
	}
	KT_EXPECT_EQ(t, c->addr, (uintptr_t)rsdp);
	KT_ASSERT(t, c->readable);
	KT_EXPECT_EQ(t, c->signature, !memcmp(rsdp, "RSD PTR ", 8));
	for (int i = 0; i < 36; i++) {
		if (i < 20)
			sum = (u8)(sum + rsdp[i]);
		ext = (u8)(ext + rsdp[i]);
	}
	KT_EXPECT_EQ(t, c->checksum, sum == 0);
	KT_EXPECT_EQ(t, c->revision, rsdp[15]);
	KT_EXPECT_EQ(t, c->ext_checksum, rsdp[15] >= 2 && ext == 0);
}

static void guid_text_form(struct ktap_test *t)
{
	const struct handoff_guid mat = GUID_MEMORY_ATTRIBUTES;
	char text[37];

	guid_format(text, &mat);
	KT_EXPECT_STREQ(t, text, "dcfa911d-26eb-469f-a220-38b7dc461220");
}

static void image_range_sane(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 here = (u64)(uintptr_t)image_range_sane;

	KT_EXPECT(t, h->image_base % PAGE_SIZE == 0);
	KT_EXPECT(t, h->text_start >= h->image_base);
	KT_EXPECT(t, h->text_end > h->text_start);
	KT_EXPECT(t, h->text_end <= h->image_base + h->image_size);
	/* This very function is code inside the image. */
	KT_EXPECT(t, here >= h->text_start && here < h->text_end);
}

/* stub/efimap.lds: zero-initialised data, not stored in the file. */
extern char _bss[], _ebss[];
/* In .bss and never written by anyone: volatile, so reads are not folded to 0. */
static volatile u8 never_written[2 * PAGE_SIZE];

/*
 * .bss has no bytes in the file (raw size 0, stub/efimap.lds); the PE
 * loader must zero-fill what a section's VirtualSize has beyond its
 * SizeOfRawData (PE/COFF spec, Section Table). Two pages nothing writes
 * read as zeros, and .bss lies inside the image as the firmware loaded it.
 */
static void bss_zero_filled(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 start = (u64)(uintptr_t)_bss, end = (u64)(uintptr_t)_ebss;
	u64 at = (u64)(uintptr_t)never_written;
	u32 nonzero = 0;

	KT_EXPECT(t, start % PAGE_SIZE == 0);
	KT_EXPECT(t, start >= h->image_base && end <= h->image_base + h->image_size);
	KT_EXPECT(t, at >= start && at + sizeof(never_written) <= end);
	for (u32 i = 0; i < sizeof(never_written); i++)
		nonzero += never_written[i] != 0;
	KT_EXPECT_EQ(t, nonzero, 0);
}

static void stack_is_ours(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 sp = (u64)(uintptr_t)__builtin_frame_address(0);

	KT_EXPECT(t, h->stack_size >= 16 * PAGE_SIZE);
	KT_EXPECT(t, sp >= h->stack_base && sp < h->stack_base + h->stack_size);
}

static void tsc_calibrated(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

#if defined(__aarch64__)
	/*
	 * The generic timer: Arm ARM D11.1.2 recommends 1-50 MHz, Armv8.6 fixes it
	 * at 1 GHz; QEMU's is 62.5 MHz.
	 */
	KT_EXPECT(t, h->tsc_hz >= 1000000ULL && h->tsc_hz <= 1000000000ULL);
#else
	/* Any real or emulated x86-64 TSC runs between 100 MHz and 10 GHz. */
	KT_EXPECT(t, h->tsc_hz >= 100000000ULL && h->tsc_hz <= 10000000000ULL);
#endif
	KT_EXPECT(t, h->tsc_at_ebs > h->tsc_at_entry);
}

static void ebs_attempts_recorded(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	/* One call, or two after EFI_INVALID_PARAMETER (the map changed); never more. */
	KT_EXPECT(t, h->ebs_attempts == 1 || h->ebs_attempts == 2);
	if (h->ebs_attempts == 2)
		KT_EXPECT_EQ(t, h->ebs_first_status_low, 2); /* EFI_INVALID_PARAMETER */
	/* The stale-key injection forces exactly the one allowed retry. */
	if (kstate.opts.inject & INJECT_EBS_RETRY)
		KT_EXPECT_EQ(t, h->ebs_attempts, 2);
}

static void options_understood(struct ktap_test *t)
{
	/* Every efimap.* word on the command line was understood. */
	KT_EXPECT_EQ(t, kstate.option_problems, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(cmdline_terminated),
	KTAP_CASE(firmware_tables_present),
	KTAP_CASE(acpi_rsdp_found_and_judged),
	KTAP_CASE(guid_text_form),
	KTAP_CASE(image_range_sane),
	KTAP_CASE(bss_zero_filled),
	KTAP_CASE(stack_is_ours),
	KTAP_CASE(tsc_calibrated),
	KTAP_CASE(ebs_attempts_recorded),
	KTAP_CASE(options_understood),
};
KTAP_SUITE(boot_suite, "boot", cases);
