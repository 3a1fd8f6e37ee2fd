// SPDX-License-Identifier: BSD-2-Clause
/*
 * The TCG2 event log: where the firmware keeps the measurements of this
 * boot, so that an OS can replay them against the TPM's PCRs. It lies in
 * boot-services memory, and only EFI_TCG2_PROTOCOL says where, so the
 * stub asks before ExitBootServices and the kernel keeps those pages
 * (kernel/live_tables.c), as Linux's stub and efi_tpm_eventlog_init do.
 * Asking allocates nothing, so it can happen before the final sizing.
 */
#include "kernel/tcg_log.h"
#include "stub/stub.h"

/* TCG EFI Protocol spec, section 6: EFI_TCG2_PROTOCOL (gnu-efi 3.0.15 does not declare it). */
#define TCG2_PROTOCOL_GUID                                             \
	{                                                              \
		0x607f766c, 0x7455, 0x42be,                            \
		{                                                      \
			0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f \
		}                                                      \
	}

struct tcg2_protocol;

/* Section 6.5: GetEventLog(This, EventLogFormat, Location, LastEntry, Truncated). */
typedef EFI_STATUS(EFIAPI *tcg2_get_event_log)(struct tcg2_protocol *this, UINT32 format,
					       EFI_PHYSICAL_ADDRESS *location,
					       EFI_PHYSICAL_ADDRESS *last_entry,
					       BOOLEAN *truncated);

/* The protocol's functions in the spec's order; only GetEventLog is called. */
struct tcg2_protocol {
	void *get_capability;
	tcg2_get_event_log get_event_log;
	void *hash_log_extend_event;
	void *submit_command;
	void *get_active_pcr_banks;
	void *set_active_pcr_banks;
	void *get_result_of_set_active_pcr_banks;
};

#define TPM_LOG_TRUNCATED 1u /* handoff tpm_log_flags bit 0 */

static struct {
	u64 base, size;
	u32 format, flags;
} tpm_log;

/* GetEventLog in one format: the log's start and last entry, or an error status. */
static EFI_STATUS get_log(struct tcg2_protocol *tcg2, u32 format, EFI_PHYSICAL_ADDRESS *loc,
			  EFI_PHYSICAL_ADDRESS *last, BOOLEAN *truncated)
{
	EFI_STATUS status;

	*loc = *last = 0;
	*truncated = FALSE;
	status = tcg2->get_event_log(tcg2, format, loc, last, truncated);
	if (!EFI_ERROR(status) && !*loc)
		status = EFI_NOT_FOUND;
	return status;
}

void stub_find_tpm_log(void)
{
	EFI_GUID guid = TCG2_PROTOCOL_GUID;
	struct tcg2_protocol *tcg2 = NULL;
	EFI_PHYSICAL_ADDRESS loc, last;
	BOOLEAN truncated;
	EFI_STATUS status;
	const char *why;
	u32 format = TCG_LOG_FORMAT_2;
	u64 size;

	status = bs_call(LocateProtocol, &guid, NULL, (void **)&tcg2);
	if (EFI_ERROR(status) || !tcg2) {
		stub_log("efimap: stub: tpm: no EFI_TCG2_PROTOCOL (no TPM 2.0): no event log to "
			 "keep");
		return;
	}
	/* The crypto-agile log first; a firmware that only keeps SHA1 has the 1.2 one. */
	status = get_log(tcg2, format, &loc, &last, &truncated);
	if (EFI_ERROR(status)) {
		format = TCG_LOG_FORMAT_1_2;
		status = get_log(tcg2, format, &loc, &last, &truncated);
	}
	if (EFI_ERROR(status)) {
		stub_log("efimap: stub: tpm: GetEventLog gave no log in either format (status "
			 "0x%llx): no event log to keep",
			 (unsigned long long)status);
		return;
	}
	if (!last) { /* the spec's way of saying the log has no entry */
		stub_log("efimap: stub: tpm: event log at 0x%llx is empty",
			 (unsigned long long)loc);
		return;
	}
	if (last < loc) {
		stub_log(
			"efimap: stub: tpm: event log at 0x%llx: last entry 0x%llx lies before it; "
			"not kept",
			(unsigned long long)loc, (unsigned long long)last);
		return;
	}
	size = tcg_log_size((const void *)(uintptr_t)loc, last - loc, format, TCG_MAX_LOG_BYTES,
			    &why);
	if (!size) {
		stub_log("efimap: stub: tpm: event log at 0x%llx (format %u): %s; not kept",
			 (unsigned long long)loc, format, why);
		return;
	}
	tpm_log.base = loc;
	tpm_log.size = size;
	tpm_log.format = format;
	tpm_log.flags = truncated ? TPM_LOG_TRUNCATED : 0;
	stub_log("efimap: stub: tpm: event log format=%u at 0x%llx size=%llu truncated=%u", format,
		 (unsigned long long)loc, (unsigned long long)size, truncated ? 1 : 0);
}

void stub_fill_tpm_log(struct handoff *h)
{
	h->tpm_log_base = tpm_log.base;
	h->tpm_log_size = tpm_log.size;
	h->tpm_log_format = tpm_log.format;
	h->tpm_log_flags = tpm_log.flags;
}
