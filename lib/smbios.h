/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who made the machine, from SMBIOS (DMTF DSP0134 3.7): the entry point
 * (section 5.2) and the System (type 1) and BIOS (type 0) Information
 * structures. A run saved on a stick names its machine this way. Pure code
 * over bytes the caller has already made readable; serial numbers and
 * UUIDs are never read.
 */
#ifndef EFIMAP_LIB_SMBIOS_H
#define EFIMAP_LIB_SMBIOS_H

#include "lib/types.h"

#define SMBIOS_STR_MAX 64

struct smbios_ep {
	u8 major, minor;
	u64 table;     /* the structure table's physical address */
	u32 table_len; /* its length (3.0: the maximum size) */
	bool v3;
};

struct smbios_id {
	char sys_vendor[SMBIOS_STR_MAX];   /* type 1 offset 04h Manufacturer */
	char sys_product[SMBIOS_STR_MAX];  /* type 1 offset 05h Product Name */
	char sys_version[SMBIOS_STR_MAX];  /* type 1 offset 06h Version */
	char bios_vendor[SMBIOS_STR_MAX];  /* type 0 offset 04h Vendor */
	char bios_version[SMBIOS_STR_MAX]; /* type 0 offset 05h BIOS Version */
	char bios_date[SMBIOS_STR_MAX];	   /* type 0 offset 08h BIOS Release Date */
};

/*
 * Read the entry point in ep[0..avail): "_SM3_" (3.0, 64-bit) or "_SM_"
 * (2.1, 32-bit), its length and checksum (all its bytes sum to 0 mod 256).
 * Returns NULL when good, else what is wrong with it.
 */
const char *smbios_read_entry_point(const u8 *ep, size_t avail, struct smbios_ep *out);

/*
 * Walk the structure table table[0..len) up to the end-of-table structure
 * (type 127) or its end, filling *id from the first type 0 and type 1
 * structures (a field the structure lacks stays ""). Strings keep
 * printable ASCII only (anything else becomes '?'), without trailing
 * blanks. Returns NULL when the table is well formed, else what is wrong
 * (what was read before that stays in *id).
 */
const char *smbios_read_identity(const u8 *table, size_t len, struct smbios_id *id);

#endif
