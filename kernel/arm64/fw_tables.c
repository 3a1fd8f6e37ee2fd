// SPDX-License-Identifier: BSD-2-Clause
/* ACPI tables and the device tree from the handoff (kernel/arm64/fw_tables.h). */
#include "kernel/arm64/fw_tables.h"
#include "kernel/config_tables.h"
#include "lib/string.h"

struct handoff *arm64_boot_handoff;

#define GUID_ACPI_10                                                   \
	{                                                              \
		0xeb9d2d30, 0x2d88, 0x11d3,                            \
		{                                                      \
			0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d \
		}                                                      \
	}
#define GUID_DEVICE_TREE                                               \
	{                                                              \
		0xb1b621d5, 0xf19c, 0x41a5,                            \
		{                                                      \
			0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 \
		}                                                      \
	}

/* ACPI 6.5 section 5.2.5.3, table 5.3: the RSDP's fields efimap reads. */
#define RSDP_V1_LEN	   20
#define RSDP_OFF_REVISION  15
#define RSDP_OFF_RSDT	   16
#define RSDP_OFF_LENGTH	   20
#define RSDP_OFF_XSDT	   24
#define RSDP_V2_LEN	   36
#define ACPI_MAX_TABLE_LEN (16u << 20) /* anything longer is taken as garbage */

const struct handoff *fw_tables_handoff(const struct handoff *h)
{
	if (!h)
		h = arm64_boot_handoff;
	if (!h || h->magic != HANDOFF_MAGIC || h->nr_config_tables > HANDOFF_MAX_CONFIG_TABLES)
		return NULL;
	return h;
}

static u8 sum_bytes(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s = (u8)(s + *p++);
	return s;
}

/* A table at addr whose header, length and checksum are sound, else NULL. */
static const struct acpi_sdt_header *sdt_at(u64 addr, const char *sig, u32 min_len)
{
	const struct acpi_sdt_header *t = (const void *)(uintptr_t)addr;

	if (addr < PAGE_SIZE || memcmp(t->signature, sig, 4))
		return NULL;
	if (t->length < sizeof(*t) || t->length < min_len || t->length > ACPI_MAX_TABLE_LEN)
		return NULL;
	return sum_bytes((const u8 *)t, t->length) ? NULL : t;
}

static u64 read_u64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v)); /* XSDT entries are 4-byte aligned only (ACPI 6.5 5.2.8) */
	return v;
}

const struct acpi_sdt_header *acpi_table_find(const struct handoff *h, const char *sig, u32 min_len)
{
	static const struct handoff_guid acpi20 = GUID_ACPI_20, acpi10 = GUID_ACPI_10;
	const struct acpi_sdt_header *root, *t;
	const u8 *rsdp;
	u64 addr;
	bool x;

	h = fw_tables_handoff(h);
	if (!h)
		return NULL;
	addr = config_table_find(h, &acpi20);
	if (!addr)
		addr = config_table_find(h, &acpi10);
	rsdp = (const u8 *)(uintptr_t)addr;
	if (addr < PAGE_SIZE || memcmp(rsdp, "RSD PTR ", 8) || sum_bytes(rsdp, RSDP_V1_LEN))
		return NULL;
	/* Revision 2+ with a sound extended checksum: the XSDT and its 64-bit entries. */
	x = rsdp[RSDP_OFF_REVISION] >= 2 && !sum_bytes(rsdp, RSDP_V2_LEN) &&
	    read_u64(rsdp + RSDP_OFF_XSDT);
	if (x) {
		root = sdt_at(read_u64(rsdp + RSDP_OFF_XSDT), "XSDT", 0);
	} else {
		u32 rsdt;

		memcpy(&rsdt, rsdp + RSDP_OFF_RSDT, sizeof(rsdt));
		root = sdt_at(rsdt, "RSDT", 0);
	}
	if (!root)
		return NULL;
	for (u32 off = sizeof(*root); off + (x ? 8u : 4u) <= root->length; off += x ? 8u : 4u) {
		const u8 *e = (const u8 *)root + off;
		u32 e32;

		if (x) {
			addr = read_u64(e);
		} else {
			memcpy(&e32, e, sizeof(e32));
			addr = e32;
		}
		t = sdt_at(addr, sig, min_len);
		if (t)
			return t;
	}
	return NULL;
}

const void *fdt_config_blob(const struct handoff *h)
{
	static const struct handoff_guid dt = GUID_DEVICE_TREE;
	u64 addr;

	h = fw_tables_handoff(h);
	if (!h)
		return NULL;
	addr = config_table_find(h, &dt);
	return addr >= PAGE_SIZE ? (const void *)(uintptr_t)addr : NULL;
}
