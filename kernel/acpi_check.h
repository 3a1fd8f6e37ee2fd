/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ACPI RSDP the firmware publishes, judged against ACPI 6.5 section
 * 5.2.5.3 and UEFI 2.10 section 4.6.1: defects are firmware findings,
 * never failed self-tests.
 */
#ifndef EFIMAP_KERNEL_ACPI_CHECK_H
#define EFIMAP_KERNEL_ACPI_CHECK_H

#include "kernel/handoff.h"

struct acpi_rsdp_check {
	u64 addr;	   /* 0: no ACPI configuration table at all */
	bool acpi20;	   /* published under the ACPI 2.0 GUID */
	bool readable;	   /* in memory the kernel maps */
	bool signature;	   /* "RSD PTR " */
	bool checksum;	   /* the first 20 bytes sum to zero */
	bool ext_checksum; /* revision 2+: all 36 bytes sum to zero */
	u8 revision;
};

/* Judge the RSDP once, print a finding per defect; the result (again on later calls). */
const struct acpi_rsdp_check *acpi_check_rsdp(const struct handoff *h);

#endif
