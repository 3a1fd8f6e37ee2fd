/* SPDX-License-Identifier: BSD-2-Clause */
/* The EFI configuration tables the stub copied into the handoff, by GUID. */
#ifndef EFIMAP_KERNEL_CONFIG_TABLES_H
#define EFIMAP_KERNEL_CONFIG_TABLES_H

#include "kernel/handoff.h"

/* GUIDs from the UEFI 2.10 and ACPI 6.5 specifications (and Linux, for its own). */
#define GUID_ACPI_20                                                   \
	{                                                              \
		0x8868e871, 0xe4f1, 0x11d3,                            \
		{                                                      \
			0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 \
		}                                                      \
	}
#define GUID_MEMORY_ATTRIBUTES                                         \
	{                                                              \
		0xdcfa911d, 0x26eb, 0x469f,                            \
		{                                                      \
			0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 \
		}                                                      \
	}

/* A short name for a GUID the kernel knows, or NULL. */
const char *config_table_name(const struct handoff_guid *g);

/* Canonical text form, 36 characters plus NUL. */
void guid_format(char out[37], const struct handoff_guid *g);

/* Physical address of the table the kernel knows by this name (config_table_name()), or 0. */
u64 config_table_find_named(const struct handoff *h, const char *name);

/* Physical address of the table with this GUID, or 0. */
u64 config_table_find(const struct handoff *h, const struct handoff_guid *g);

/*
 * What the free phase does to configuration table index (GUID g at addr,
 * in memory of type mem_type; freed: whether its page goes to the
 * allocator), as one log line in out: a table of a kind efimap keeps that
 * was not kept; a known boot-time table that is freed; a table efimap does
 * not know (freed or not: nobody can say whether an OS needs it). False,
 * and out untouched, when there is nothing to say (kept as expected, or a
 * boot-time table in memory that is not freed).
 */
bool config_table_fate(char *out, size_t size, u32 index, const struct handoff_guid *g, u64 addr,
		       const char *mem_type, bool freed);

/* One log line per table, then "efimap: config: tables=N". */
void config_tables_print(const struct handoff *h);

#endif
