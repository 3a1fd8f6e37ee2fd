// SPDX-License-Identifier: BSD-2-Clause
/*
 * The reservation table (resv.h). Linear scans: a boot has a few hundred
 * boot-services regions and a few dozen KERN ranges at most.
 */
#include "kernel/resv.h"

#define PAGE 4096ULL

static const char *const reason_names[RSN_NR] = {
	[RSN_BOOT_SERVICES] = "boot-services",
	[RSN_BELOW_1M] = "below-1MiB",
	[RSN_TRAMPOLINE] = "real-mode-trampoline",
	[RSN_MALFORMED] = "malformed-entry",
	[RSN_OVERLAP] = "overlapping-entry",
	[RSN_RUNTIME_ATTR] = "runtime-attribute",
	[RSN_IMAGE] = "kernel-image",
	[RSN_STACK] = "kernel-stack",
	[RSN_PAGE_TABLES] = "page-tables",
	[RSN_HANDOFF] = "handoff",
	[RSN_MEMORY_MAP] = "memory-map",
	[RSN_MEMATTR_TABLE] = "memory-attributes-table",
	[RSN_ESRT] = "esrt",
	[RSN_BGRT_LOGO] = "bgrt-logo",
	[RSN_RT_PROPERTIES] = "rt-properties-table",
	[RSN_SMBIOS] = "smbios",
	[RSN_ACPI] = "acpi-tables",
	[RSN_UNACCEPTED_TABLE] = "unaccepted-table",
	[RSN_TPM_FINAL_EVENTS] = "tpm-final-events",
	[RSN_TPM_EVENT_LOG] = "tpm-event-log",
	[RSN_KEXEC_IMAGE] = "kexec-image",
	[RSN_DEVICE_TREE] = "device-tree",
	[RSN_TEST] = "test",
};

const char *resv_reason_name(enum resv_reason r)
{
	return (unsigned)r < RSN_NR ? reason_names[r] : "?";
}

void resv_init(struct resv_table *t, struct resv *storage, u32 cap)
{
	t->r = storage;
	t->nr = 0;
	t->cap = storage ? cap : 0;
	t->dropped = 0;
}

bool resv_add(struct resv_table *t, u64 base, u64 end, enum resv_flag flag, enum resv_reason reason)
{
	u32 i;

	base &= ~(PAGE - 1);
	/* Round the end up, saturating: a range that runs to the top keeps every page. */
	end = end > ~0ULL - (PAGE - 1) ? ~0ULL & ~(PAGE - 1) : (end + PAGE - 1) & ~(PAGE - 1);
	if (end <= base)
		return true;
	/* A range touching one of the same kind just below it extends that one. */
	for (i = t->nr; i > 0 && t->r[i - 1].base > base; i--)
		;
	if (i > 0 && t->r[i - 1].flag == flag && t->r[i - 1].reason == reason &&
	    t->r[i - 1].end >= base) {
		if (end > t->r[i - 1].end)
			t->r[i - 1].end = end;
		return true;
	}
	/* Or one of the same kind starting inside or right after it: that one grows down. */
	if (i < t->nr && t->r[i].flag == flag && t->r[i].reason == reason && t->r[i].base <= end) {
		t->r[i].base = base;
		if (end > t->r[i].end)
			t->r[i].end = end;
		return true;
	}
	if (t->nr == t->cap) {
		t->dropped++;
		return false;
	}
	/* Insertion keeps the table sorted by base; equal bases keep arrival order. */
	for (i = t->nr; i > 0 && t->r[i - 1].base > base; i--)
		t->r[i] = t->r[i - 1];
	t->r[i] = (struct resv){ .base = base, .end = end, .flag = (u8)flag, .reason = (u8)reason };
	t->nr++;
	return true;
}

void resv_drop_flag(struct resv_table *t, enum resv_flag flag)
{
	u32 n = 0;

	for (u32 i = 0; i < t->nr; i++)
		if (t->r[i].flag != flag)
			t->r[n++] = t->r[i];
	t->nr = n;
}

enum resv_reason resv_kern_reason(const struct resv_table *t, u64 addr)
{
	for (u32 i = 0; i < t->nr && t->r[i].base <= addr; i++)
		if (t->r[i].flag == RESV_KERN && addr < t->r[i].end)
			return (enum resv_reason)t->r[i].reason;
	return RSN_NR;
}

u64 resv_kern_run_end(const struct resv_table *t, u64 addr, u64 limit)
{
	u64 end = limit;

	/* The answer can change only where some KERN range starts or ends. */
	for (u32 i = 0; i < t->nr; i++) {
		const struct resv *r = &t->r[i];

		if (r->flag != RESV_KERN)
			continue;
		if (r->base > addr && r->base < end)
			end = r->base;
		if (r->base <= addr && r->end > addr && r->end < end)
			end = r->end;
	}
	return end;
}

void resv_shrink(struct resv_table *t, enum resv_reason reason, u64 base, u64 new_end)
{
	new_end = (new_end + PAGE - 1) & ~(PAGE - 1);
	for (u32 i = 0; i < t->nr; i++) {
		struct resv *r = &t->r[i];

		if (r->flag == RESV_KERN && r->reason == reason && r->base == base &&
		    new_end < r->end)
			r->end = new_end > base ? new_end : base;
	}
}
