// SPDX-License-Identifier: BSD-2-Clause
/* Firmware findings: one formatted line each, counted by severity (kernel/findings.h). */
#include "kernel/findings.h"
#include "kernel/kernel.h"
#include "lib/printf.h"

static struct fw_counts counts;

const char *fw_severity_name(enum fw_severity sev)
{
	static const char *const names[FW_NR_SEVERITIES] = { "info", "warning", "error" };

	return sev < FW_NR_SEVERITIES ? names[sev] : "?";
}

void fw_finding_count(enum fw_severity sev)
{
	if (sev < FW_NR_SEVERITIES)
		counts.by_severity[sev]++;
}

void fw_finding(enum fw_severity sev, const char *check, const char *spec, const char *meaning,
		const char *what, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, what);
	fmt_vsnprintf(text, sizeof(text), what, ap);
	va_end(ap);
	fw_finding_count(sev);
	printk("efimap: finding: %s: %s: %s (%s; %s)", fw_severity_name(sev), check, text, spec,
	       meaning);
}

const struct fw_counts *fw_counts(void)
{
	return &counts;
}
