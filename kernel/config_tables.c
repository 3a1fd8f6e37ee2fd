// SPDX-License-Identifier: BSD-2-Clause
/*
 * Naming and finding EFI configuration tables (UEFI 2.10 section 4.6). The
 * names are for people reading the log; later phases find the memory
 * attributes table, ESRT and friends through config_table_find().
 */
#include "kernel/config_tables.h"
#include "lib/printf.h"
#include "lib/string.h"

/*
 * KEPT: an OS reads it after boot, and kernel/live_tables.c keeps it.
 * BOOT_TIME: for the firmware or a loader during boot only (edk2's DXE
 * services, HOB list, memory type information, debug image info; the
 * EFI_PROPERTIES_TABLE, which UEFI 2.6 deprecated): nothing after
 * ExitBootServices reads it, so its boot-services pages may go.
 */
enum { KEPT, BOOT_TIME };

static const struct {
	struct handoff_guid guid;
	const char *name;
	u8 fate;
} known[] = {
	{ GUID_ACPI_20, "ACPI 2.0 RSDP", KEPT },
	{ { 0xeb9d2d30, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } },
	  "ACPI 1.0 RSDP", KEPT },
	{ { 0xeb9d2d31, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } },
	  "SMBIOS", KEPT },
	{ { 0xf2fd1544, 0x9794, 0x4a2c, { 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 } },
	  "SMBIOS3", KEPT },
	{ GUID_MEMORY_ATTRIBUTES, "EFI_MEMORY_ATTRIBUTES_TABLE", KEPT },
	{ { 0xb122a263, 0x3661, 0x4f68, { 0x99, 0x29, 0x78, 0xf8, 0xb0, 0xd6, 0x21, 0x80 } },
	  "ESRT", KEPT },
	{ { 0xeb66918a, 0x7eef, 0x402a, { 0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9 } },
	  "EFI_RT_PROPERTIES_TABLE", KEPT },
	{ { 0x880aaca3, 0x4adc, 0x4a04, { 0x90, 0x79, 0xb7, 0x47, 0x34, 0x08, 0x25, 0xe5 } },
	  "EFI_PROPERTIES_TABLE", BOOT_TIME },
	{ { 0x1e2ed096, 0x30e2, 0x4254, { 0xbd, 0x89, 0x86, 0x3b, 0xbe, 0xf8, 0x23, 0x25 } },
	  "TCG2 final events", KEPT },
	{ { 0xd5d1de3c, 0x105c, 0x44f9, { 0x9e, 0xa9, 0xbc, 0xef, 0x98, 0x12, 0x00, 0x31 } },
	  "unaccepted memory", KEPT },
	/* UEFI 2.10 section 4.6.1.2 (EFI_DTB_TABLE_GUID): the device tree an OS boots with. */
	{ { 0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } },
	  "device tree", KEPT },
	{ { 0x05ad34ba, 0x6f02, 0x4214, { 0x95, 0x2e, 0x4d, 0xa0, 0x39, 0x8e, 0x2b, 0xb9 } },
	  "DXE services", BOOT_TIME },
	{ { 0x7739f24c, 0x93d7, 0x11d4, { 0x9a, 0x3a, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } },
	  "HOB list", BOOT_TIME },
	{ { 0x4c19049f, 0x4137, 0x4dd3, { 0x9c, 0x10, 0x8b, 0x97, 0xa8, 0x3f, 0xfd, 0xfa } },
	  "memory type information", BOOT_TIME },
	{ { 0x49152e77, 0x1ada, 0x4764, { 0xb7, 0xa2, 0x7a, 0xfe, 0xfe, 0xd9, 0x5e, 0x8b } },
	  "debug image info", BOOT_TIME },
};

static bool guid_eq(const struct handoff_guid *a, const struct handoff_guid *b)
{
	return !memcmp(a, b, sizeof(*a));
}

const char *config_table_name(const struct handoff_guid *g)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (guid_eq(&known[i].guid, g))
			return known[i].name;
	return NULL;
}

void guid_format(char out[37], const struct handoff_guid *g)
{
	fmt_snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g->data1,
		     g->data2, g->data3, g->data4[0], g->data4[1], g->data4[2], g->data4[3],
		     g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
}

u64 config_table_find_named(const struct handoff *h, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(known[i].name, name))
			return config_table_find(h, &known[i].guid);
	return 0;
}

u64 config_table_find(const struct handoff *h, const struct handoff_guid *g)
{
	for (u32 i = 0; i < h->nr_config_tables; i++)
		if (guid_eq(&h->config[i].guid, g))
			return h->config[i].table;
	return 0;
}

bool config_table_fate(char *out, size_t size, u32 index, const struct handoff_guid *g, u64 addr,
		       const char *mem_type, bool freed)
{
	const char *name = NULL;
	char guid[37];
	int fate = -1;

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (guid_eq(&known[i].guid, g)) {
			name = known[i].name;
			fate = known[i].fate;
		}
	guid_format(guid, g);
	if (fate == KEPT && freed)
		fmt_snprintf(out, size,
			     "config table %2u %s %s at 0x%llx: efimap keeps this kind but did not "
			     "keep this one: its pages (%s) are freed",
			     index, guid, name, (unsigned long long)addr, mem_type);
	else if (fate == BOOT_TIME && freed)
		fmt_snprintf(out, size,
			     "config table %2u %s %s at 0x%llx is boot-time data: not kept, its "
			     "pages (%s) are freed",
			     index, guid, name, (unsigned long long)addr, mem_type);
	else if (fate < 0 && freed)
		fmt_snprintf(out, size,
			     "config table %2u %s at 0x%llx is unknown to efimap: not kept, its "
			     "pages (%s) are freed",
			     index, guid, (unsigned long long)addr, mem_type);
	else if (fate < 0)
		fmt_snprintf(out, size,
			     "config table %2u %s at 0x%llx is unknown to efimap: its memory (%s) "
			     "is not freed",
			     index, guid, (unsigned long long)addr, mem_type);
	else
		return false;
	return true;
}
