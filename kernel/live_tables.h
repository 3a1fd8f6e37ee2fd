/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What must outlive the free phase: the kernel's own memory from the
 * handoff, and the firmware tables an OS goes on reading after boot
 * (memory attributes table, ESRT, RT properties, SMBIOS, ACPI and the BGRT
 * logo, the unaccepted-memory table), found through the configuration
 * tables and tagged KERN, page-granular, whatever memory they sit in.
 */
#ifndef EFIMAP_KERNEL_LIVE_TABLES_H
#define EFIMAP_KERNEL_LIVE_TABLES_H

#include "kernel/handoff.h"
#include "kernel/reclaim.h"

/* Told about each table that cannot be read or sized (a firmware bug worth a line). */
typedef void (*live_say)(const char *what, u64 addr, const char *why);

/*
 * Tag everything live. Table addresses are checked against map before a
 * byte is read (inside entries the kernel maps, never page 0). The
 * firmware's own page tables are not kept: runtime calls run on efimap's
 * EFI tables (kernel/x86/efi_pt.c), built in the stub's LoaderData pool.
 * Returns how many ranges were tagged.
 */
u32 live_tables_tag(struct reclaim *rc, const struct handoff *h, const struct memmap *map,
		    live_say say);

#endif
