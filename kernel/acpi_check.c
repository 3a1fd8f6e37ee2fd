// SPDX-License-Identifier: BSD-2-Clause
/* The RSDP against the ACPI and UEFI specifications (kernel/acpi_check.h). */
#include "kernel/acpi_check.h"
#include "kernel/config_tables.h"
#include "kernel/findings.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "lib/string.h"

static struct acpi_rsdp_check rsdp;

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s = (u8)(s + *p++);
	return s;
}

const struct acpi_rsdp_check *acpi_check_rsdp(const struct handoff *h)
{
	static const char spec[] = "ACPI 6.5 section 5.2.5.3";
	static bool judged;
	const u8 *p;

	/* Judged once: later calls (the self-test) get the same result, no second finding. */
	if (judged)
		return &rsdp;
	judged = true;
	rsdp.addr = config_table_find_named(h, "ACPI 2.0 RSDP");
	rsdp.acpi20 = rsdp.addr != 0;
	if (!rsdp.addr)
		rsdp.addr = config_table_find_named(h, "ACPI 1.0 RSDP");
	if (!rsdp.addr)
		return &rsdp;
	rsdp.readable = rsdp.addr >= PAGE_SIZE && paging_mapped(kstate.pml4, rsdp.addr, 36);
	if (!rsdp.readable) {
		fw_finding(FW_ERROR, "acpi-rsdp", "UEFI 2.10 section 4.6.1",
			   "an OS cannot find the ACPI tables",
			   "the RSDP at 0x%llx is not in memory", (unsigned long long)rsdp.addr);
		return &rsdp;
	}
	p = (const u8 *)(uintptr_t)rsdp.addr;
	rsdp.signature = !memcmp(p, "RSD PTR ", 8);
	rsdp.checksum = sum(p, 20) == 0;
	rsdp.revision = p[15];
	rsdp.ext_checksum = rsdp.revision >= 2 && sum(p, 36) == 0;
	if (!rsdp.signature) {
		fw_finding(FW_ERROR, "acpi-rsdp", spec, "an OS cannot find the ACPI tables",
			   "no \"RSD PTR \" signature at 0x%llx", (unsigned long long)rsdp.addr);
		return &rsdp;
	}
	if (!rsdp.checksum)
		fw_finding(FW_ERROR, "acpi-rsdp-checksum", spec,
			   "an OS that checks it (Linux does) ignores the ACPI tables",
			   "the first 20 bytes of the RSDP at 0x%llx do not sum to zero",
			   (unsigned long long)rsdp.addr);
	if (rsdp.acpi20 && rsdp.revision < 2)
		fw_finding(FW_WARNING, "acpi-rsdp-revision", "UEFI 2.10 section 4.6.1.1",
			   "an OS finds no XSDT and falls back to the 32-bit RSDT",
			   "the RSDP under the ACPI 2.0 GUID has revision %u (2 or more expected)",
			   rsdp.revision);
	if (rsdp.revision >= 2 && !rsdp.ext_checksum)
		fw_finding(FW_ERROR, "acpi-rsdp-checksum", spec,
			   "an OS that checks it ignores the XSDT",
			   "the 36-byte RSDP at 0x%llx does not sum to zero (extended checksum)",
			   (unsigned long long)rsdp.addr);
	return &rsdp;
}
