// SPDX-License-Identifier: BSD-2-Clause
/*
 * The end of a run: the report goes into the EfimapReport variable, whose
 * next-boot reader is the stub (stub/report.c). Its lines were printed as
 * they happened, so the console is not given a second copy (scripts grep
 * each summary key once). Every way storing can fail is said on one line,
 * and a report an earlier boot left behind is never overwritten.
 */
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/kernel.h"
#include "kernel/report.h"

struct report kreport;

static const struct handoff_guid report_vendor = EFIMAP_VENDOR_GUID;
static const u16 report_name[] = REPORT_VAR_NAME;

/* Why a SetVariable status means the report was not stored, in words. */
static const char *set_failure_text(u64 st)
{
	switch (st) {
	case EFIST_OUT_OF_RESOURCES:
		return "the variable store is full";
	case EFIST_INVALID_PARAMETER:
		return "the firmware refused the variable (larger than it allows?)";
	case EFIST_UNSUPPORTED:
		return "the firmware does not support SetVariable after ExitBootServices";
	case EFIST_WRITE_PROTECTED:
		return "the variable store is read-only";
	case EFIST_SECURITY_VIOLATION:
		return "the firmware refused to write the variable (security policy)";
	case EFIST_DEVICE_ERROR:
		return "the variable store had a hardware error";
	default:
		return "SetVariable failed";
	}
}

/* The earlier boot's report, if it is still waiting: its size, or why we cannot tell. */
static u64 probe_waiting(const struct handoff *h, u64 *size, const char **not_called)
{
	u32 attrs;
	u8 dummy;

	*size = 0;
	return efi_get_variable(h, report_name, &report_vendor, &attrs, size, &dummy, not_called);
}

void report_finish(const struct handoff *h)
{
	static char text[REPORT_MAX_BYTES];
	struct report_var_store vs = { 0 };
	const char *not_called;
	char stname[32];
	size_t n, full, limit;
	u64 st, size;

	/*
	 * A report an earlier boot stored and the stub could not save yet:
	 * keep it (the stub saves it once the volume is writable). GetVariable
	 * with a zero size only reports the size (UEFI 2.10 section 8.2.1).
	 */
	st = probe_waiting(h, &size, &not_called);
	if (!not_called && st != EFIST_NOT_FOUND) {
		n = report_render(&kreport, text, REPORT_MAX_BYTES);
		efi_status_str(stname, sizeof(stname), st);
		if (st == EFIST_BUFFER_TOO_SMALL || st == EFIST_SUCCESS)
			printk("efimap: report: stored=0 bytes=%u status=none waiting_bytes=%llu",
			       (u32)n, (unsigned long long)size);
		else
			printk("efimap: report: stored=0 bytes=%u status=none", (u32)n);
		if (st == EFIST_BUFFER_TOO_SMALL || st == EFIST_SUCCESS)
			printk("efimap: report: not stored: the report of an earlier boot (%llu "
			       "bytes) is still in variable EfimapReport, not yet saved by the "
			       "stub; kept it, this run's report is only on the console",
			       (unsigned long long)size);
		else
			printk("efimap: report: not stored: cannot tell whether an earlier report "
			       "is waiting (GetVariable: %s); not overwriting it blindly",
			       stname);
		return;
	}

	if (!not_called && !efi_query_variable_info(h, REPORT_VAR_ATTRS, &vs.max_storage,
						    &vs.remaining, &vs.max_variable, &not_called))
		vs.known = true;

	n = full = report_render(&kreport, text, report_size_limit(&vs));
	st = 0;
	if (!not_called && n) {
		st = efi_set_variable(h, report_name, &report_vendor, REPORT_VAR_ATTRS, n, text,
				      &not_called);
		limit = not_called ? 0 : report_retry_limit(st, &vs, n);
		if (limit) {
			n = report_render(&kreport, text, limit);
			st = efi_set_variable(h, report_name, &report_vendor, REPORT_VAR_ATTRS, n,
					      text, &not_called);
		}
	}
	efi_status_str(stname, sizeof(stname), st);

	if (not_called) {
		printk("efimap: report: stored=0 bytes=%u status=none", (u32)n);
		printk("efimap: report: not stored: runtime services are off (%s)", not_called);
	} else if (!n) {
		printk("efimap: report: stored=0 bytes=0 status=none");
		printk("efimap: report: not stored: the firmware allows only %llu bytes per "
		       "variable",
		       (unsigned long long)vs.max_variable);
	} else if (st != EFIST_SUCCESS) {
		printk("efimap: report: stored=0 bytes=%u status=%s", (u32)n, stname);
		if (vs.known)
			printk("efimap: report: not stored: %s (%llu of %llu bytes free, largest "
			       "variable %llu bytes)",
			       set_failure_text(st), (unsigned long long)vs.remaining,
			       (unsigned long long)vs.max_storage,
			       (unsigned long long)vs.max_variable);
		else
			printk("efimap: report: not stored: %s", set_failure_text(st));
	} else {
		printk("efimap: report: stored=1 bytes=%u status=%s", (u32)n, stname);
		if (n < full)
			printk("efimap: report: shortened from %u bytes to fit the variable store",
			       (u32)full);
	}
}
