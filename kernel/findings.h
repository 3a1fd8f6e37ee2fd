/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Firmware findings: what the firmware does that the spec does not allow
 * (or allows but an OS should know). They are the second half of the
 * verdict (docs/architecture.md "Firmware is not OVMF") and never fail a self-test.
 * One line each on the console, and so in the run report:
 *
 *   efimap: finding: <error|warning|info>: <check>: <what> (<spec>; <meaning>)
 *
 * The map's own checks (memmap/validate.c, printed by map_check.c) use the
 * same line and are counted here too.
 */
#ifndef EFIMAP_KERNEL_FINDINGS_H
#define EFIMAP_KERNEL_FINDINGS_H

#include "lib/types.h"

enum fw_severity {
	FW_INFO = 0,
	FW_WARNING,
	FW_ERROR,
	FW_NR_SEVERITIES,
};

struct fw_counts {
	u32 by_severity[FW_NR_SEVERITIES];
};

/*
 * Say one finding and count it. check: a short kebab-case name (stable, for
 * grep); spec: the section it breaks ("UEFI 2.10 section 8.1"); meaning:
 * what it means for an OS. what: printf-style, the facts of this case.
 */
void fw_finding(enum fw_severity sev, const char *check, const char *spec, const char *meaning,
		const char *what, ...) __printf(5, 6);

/* Count a finding printed elsewhere in the same format (the map's checks). */
void fw_finding_count(enum fw_severity sev);

/* Every finding counted so far. */
const struct fw_counts *fw_counts(void);

const char *fw_severity_name(enum fw_severity sev);

#endif
