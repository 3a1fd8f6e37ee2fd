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

/* One log line per table, then "efimap: config: tables=N". */
void config_tables_print(const struct handoff *h);

#endif
