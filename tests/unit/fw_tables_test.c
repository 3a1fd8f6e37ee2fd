// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/arm64/fw_tables.c, which finds the AArch64 console's and PSCI's
 * ACPI tables and the device tree, over tables forged here in the layouts
 * of ACPI 6.5: the RSDP (section 5.2.5.3, table 5.3: checksum over 20
 * bytes, extended checksum over 36), the common header (5.2.6, table 5.4:
 * the whole table sums to 0), the XSDT's 64-bit and the RSDT's 32-bit
 * entries (5.2.8, 5.2.7). The checksums are computed by this test's own
 * code. What must not be returned: a table with a bad checksum, one
 * shorter than asked, one reached through a damaged RSDP.
 */
#include "kernel/arm64/fw_tables.h"
#include "kernel/config_tables.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

#if __STDC_HOSTED__
#include <sys/mman.h>
#endif

#define PG 4096u

/* The RSDT holds 32-bit addresses: the arena must lie below 4 GiB (mapped so on the host). */
static u8 arena_storage[8 * PG] __attribute__((aligned(4096)));
static u8 *arena;
static struct handoff h;

static u8 *page(u32 n)
{
	if (!arena) {
		arena = arena_storage;
#if __STDC_HOSTED__
		void *low = mmap(NULL, sizeof(arena_storage), PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

		if (low != MAP_FAILED)
			arena = low;
#endif
	}
	return arena + (size_t)n * PG;
}

static u64 addr_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* The byte that makes [p, p + n) sum to 0 mod 256, stored at p[at]. */
static void fix_sum(u8 *p, u32 n, u32 at)
{
	u8 s = 0;

	p[at] = 0;
	for (u32 i = 0; i < n; i++)
		s = (u8)(s + p[i]);
	p[at] = (u8)(0x100 - s);
}

/* A table: signature, length, a filler pattern, checksum (offset 9) made right. */
static u8 *table(u32 pg, const char *sig, u32 len)
{
	u8 *t = page(pg);

	memset(t, 0, PG);
	memcpy(t, sig, 4);
	memcpy(t + 4, &len, 4);
	t[8] = 6;
	memcpy(t + 10, "EFIMAP", 6);
	for (u32 i = 36; i < len; i++)
		t[i] = (u8)(i * 7);
	fix_sum(t, len, 9);
	return t;
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

/* RSDP revision rev at page 0 pointing to xsdt (and rsdt for the 32-bit path). */
static void rsdp(u8 rev, u64 xsdt, u32 rsdt)
{
	u8 *r = page(0);

	memset(r, 0, 64);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "EFIMAP", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	put32(r + 20, 36);
	put64(r + 24, xsdt);
	fix_sum(r, 20, 8);
	fix_sum(r, 36, 32);
}

/* A handoff whose one configuration table is the RSDP under the ACPI 2.0 GUID. */
static void handoff_with(const struct handoff_guid *g, u64 at)
{
	memset(&h, 0, sizeof(h));
	h.magic = HANDOFF_MAGIC;
	h.nr_config_tables = 1;
	h.config[0].guid = *g;
	h.config[0].table = at;
}

/*
 * Page 0 RSDP, 1 XSDT -> { 2 SPCR with a bad checksum, 3 FACP of 116
 * bytes (ACPI 5.0's FADT, too short for ARM_BOOT_ARCH), 4 SPCR 80 bytes }.
 */
static void forge(void)
{
	static const struct handoff_guid acpi20 = GUID_ACPI_20;
	u8 *x;

	table(2, "SPCR", 80)[40] ^= 1; /* one byte changed after its checksum */
	table(3, "FACP", 116);
	table(4, "SPCR", 80);
	x = table(1, "XSDT", 36 + 3 * 8);
	put64(x + 36, addr_of(page(2)));
	put64(x + 44, addr_of(page(3)));
	put64(x + 52, addr_of(page(4)));
	fix_sum(x, 36 + 3 * 8, 9);
	rsdp(2, addr_of(x), 0);
	handoff_with(&acpi20, addr_of(page(0)));
}

static void xsdt_walk_skips_bad_tables(struct ktap_test *t)
{
	forge();
	/* The first SPCR fails its checksum: the second is the one. */
	KT_EXPECT_EQ(t, addr_of(acpi_table_find(&h, "SPCR", 52)), addr_of(page(4)));
	/* Longer than any SPCR present: none. */
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 81));
	/* A 116-byte FADT is found, but not when ARM_BOOT_ARCH (offset 129, 2 bytes) is asked for.
	 */
	KT_EXPECT_EQ(t, addr_of(acpi_table_find(&h, "FACP", 0)), addr_of(page(3)));
	KT_EXPECT(t, !acpi_table_find(&h, "FACP", 131));
	KT_EXPECT(t, !acpi_table_find(&h, "DBG2", 0));
	/* The XSDT itself is not one of its entries. */
	KT_EXPECT(t, !acpi_table_find(&h, "XSDT", 0));
}

static void damaged_rsdp_or_xsdt_finds_nothing(struct ktap_test *t)
{
	forge();
	page(0)[1] ^= 0x20; /* "rSD PTR ": the signature */
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
	forge();
	page(0)[16] ^= 1; /* inside the first 20 bytes: the checksum no longer holds */
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
	forge();
	page(1)[24] ^= 1; /* the XSDT's OEM revision: its checksum no longer holds */
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
	forge();
	h.magic ^= 1; /* not a handoff block */
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
	forge();
	h.nr_config_tables = HANDOFF_MAX_CONFIG_TABLES + 1;
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
	forge();
	h.nr_config_tables = 0;
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
}

/* Revision 0 (ACPI 1.0): no XSDT, the RSDT's 32-bit entries (only below 4 GiB). */
static void revision_0_uses_the_rsdt(struct ktap_test *t)
{
	u8 *r;

	if (addr_of(page(0)) + sizeof(arena_storage) > 0xffffffffULL) {
		ktap_skip(t, "no memory below 4 GiB for 32-bit table addresses");
		return;
	}
	forge();
	r = table(5, "RSDT", 36 + 4);
	put32(r + 36, (u32)addr_of(page(4)));
	fix_sum(r, 40, 9);
	/* An XSDT address is there, but revision 0 has no XSDT field: it must not be used. */
	rsdp(0, addr_of(page(1)), (u32)addr_of(r));
	KT_EXPECT_EQ(t, addr_of(acpi_table_find(&h, "SPCR", 52)), addr_of(page(4)));
	KT_EXPECT(t, !acpi_table_find(&h, "FACP", 0)); /* only in the XSDT */
}

static void device_tree_by_guid(struct ktap_test *t)
{
	static const struct handoff_guid dt = {
		0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 }
	};

	forge();
	KT_EXPECT(t, !fdt_config_blob(&h));
	handoff_with(&dt, addr_of(page(6)));
	KT_EXPECT_EQ(t, addr_of(fdt_config_blob(&h)), addr_of(page(6)));
	KT_EXPECT(t, !acpi_table_find(&h, "SPCR", 0));
	/* NULL: the block kernel_start() was handed, none on the host. */
	KT_EXPECT(t, !fdt_config_blob(NULL));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(xsdt_walk_skips_bad_tables),
	KTAP_CASE(damaged_rsdp_or_xsdt_finds_nothing),
	KTAP_CASE(revision_0_uses_the_rsdt),
	KTAP_CASE(device_tree_by_guid),
};
KTAP_SUITE(fw_tables_suite, "arm64_fw_tables", cases);
