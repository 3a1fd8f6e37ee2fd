/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reservations: which physical ranges are not free, and why. Like Linux's
 * memblock, but small: one table of [base, end) ranges, each BOOT
 * (temporary: boot-services memory, freed later) or KERN (permanent: live
 * data that must survive the free phase), with a reason. Ranges may
 * overlap; a KERN range inside a BOOT one is how part of a boot-services
 * region is kept without splitting its map entry (seed 000).
 *
 * The table lives in caller-provided storage and never allocates, so it
 * works before any allocator exists. Builds hosted for the unit tests.
 */
#ifndef EFIMAP_KERNEL_RESV_H
#define EFIMAP_KERNEL_RESV_H

#include "lib/types.h"

enum resv_flag {
	RESV_BOOT = 1, /* temporary: released by the deferred free phase */
	RESV_KERN = 2, /* permanent */
};

/* Why a range is reserved; also the "kept" rows of the reclaim accounting. */
enum resv_reason {
	RSN_BOOT_SERVICES = 0, /* a boot-services region waiting for the free phase */
	RSN_BELOW_1M,	       /* never freed: BIOS may clobber it, crash kernels need it */
	RSN_TRAMPOLINE,	       /* the page set aside for a real-mode trampoline */
	RSN_MALFORMED,	       /* an entry efimap cannot map page by page: left alone */
	RSN_OVERLAP,	       /* an entry overlapping another: which one is right is unknown */
	RSN_RUNTIME_ATTR,      /* boot-services type with EFI_MEMORY_RUNTIME: the firmware's */
	RSN_IMAGE,
	RSN_STACK,
	RSN_PAGE_TABLES,
	RSN_HANDOFF,
	RSN_MEMORY_MAP,
	RSN_MEMATTR_TABLE,
	RSN_ESRT,
	RSN_BGRT_LOGO,
	RSN_RT_PROPERTIES,
	RSN_SMBIOS,
	RSN_ACPI,
	RSN_UNACCEPTED_TABLE,
	RSN_TPM_FINAL_EVENTS, /* the TCG2 final events table and its events */
	RSN_TPM_EVENT_LOG,    /* the TCG2 event log GetEventLog named */
	RSN_KEXEC_IMAGE,      /* the pristine copy of the image the next instance starts from */
	RSN_DEVICE_TREE,      /* the flattened device tree the configuration table names */
	RSN_TEST,	      /* unit tests only */
	RSN_NR,
};

struct resv {
	u64 base;
	u64 end; /* exclusive */
	u8 flag; /* enum resv_flag */
	u8 reason;
};

struct resv_table {
	struct resv *r;
	u32 nr;
	u32 cap;
	u32 dropped; /* ranges that did not fit: the free phase must not run */
};

void resv_init(struct resv_table *t, struct resv *storage, u32 cap);

/*
 * Reserve [base, end), page-rounded outwards (a reservation protects every
 * page it touches). Kept sorted by base. Returns false, and counts the
 * range in t->dropped, when the table is full; an empty range is ignored.
 */
bool resv_add(struct resv_table *t, u64 base, u64 end, enum resv_flag flag,
	      enum resv_reason reason);

/* Remove every range of this flag (the free phase releasing BOOT ones). */
void resv_drop_flag(struct resv_table *t, enum resv_flag flag);

/*
 * The reason the page at addr is KERN, searching ranges of that flag in
 * table order (lowest base first), or RSN_NR when none covers it.
 */
enum resv_reason resv_kern_reason(const struct resv_table *t, u64 addr);

/*
 * The end of the run of pages from addr that share one answer of
 * resv_kern_reason(), capped at limit: lets callers walk a region in runs
 * instead of pages.
 */
u64 resv_kern_run_end(const struct resv_table *t, u64 addr, u64 limit);

/* Shrink the KERN range [base, old_end) of this reason to [base, new_end). */
void resv_shrink(struct resv_table *t, enum resv_reason reason, u64 base, u64 new_end);

const char *resv_reason_name(enum resv_reason r);

#endif
