/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What must outlive the free phase: the kernel's own memory from the
 * handoff, and the firmware tables an OS goes on reading after boot
 * (memory attributes table, ESRT, RT properties, SMBIOS, ACPI and the BGRT
 * logo, the unaccepted-memory table, the TCG2 final events table), found
 * through the configuration tables, and the TCG2 event log the stub found,
 * tagged KERN, page-granular, whatever memory they sit in.
 */
#ifndef EFIMAP_KERNEL_LIVE_TABLES_H
#define EFIMAP_KERNEL_LIVE_TABLES_H

#include "kernel/handoff.h"
#include "kernel/reclaim.h"

/*
 * The firmware tables tagged, with a CRC of their bytes at tagging time: a
 * self-test compares them after the free phase, so a table that should
 * have been kept but was junk-filled shows up whatever the tags say.
 */
#define LIVE_MAX_RECORDS 64u

struct live_record {
	u64 base;
	u64 len;
	u32 crc;
	u8 reason; /* enum resv_reason */
};

struct live_records {
	u32 n;
	u32 missed; /* tables tagged but not recorded (array full) */
	struct live_record r[LIVE_MAX_RECORDS];
};

/* Told about each table that cannot be read or sized (a firmware bug worth a line). */
typedef void (*live_say)(const char *what, u64 addr, const char *why);

/*
 * Tag everything live. Table addresses are checked against map before a
 * byte is read (inside entries the kernel maps, never page 0). The
 * firmware's own page tables are not kept: runtime calls run on efimap's
 * EFI tables (kernel/efi_pt.c), built in the stub's LoaderData pool.
 * Each firmware table tagged is also recorded in *rec (may be NULL).
 * Returns how many ranges were tagged.
 */
u32 live_tables_tag(struct reclaim *rc, const struct handoff *h, const struct memmap *map,
		    live_say say, struct live_records *rec);

#endif
