// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/live_tables.c over forged firmware tables in an arena: the memory
 * attributes table, the ACPI tables reached from the RSDP (XSDT, BGRT and
 * its logo, FADT, FACS, DSDT) are tagged KERN page by page with their
 * reasons and recorded with a CRC; hostile headers (absurd sizes, pointers
 * outside the map, missing signatures) are reported and keep only the page
 * they point at, and nothing outside the map is ever read.
 */
#include "accept/accept.h"
#include "kernel/config_tables.h"
#include "kernel/live_tables.h"
#include "lib/crc32.h"
#include "lib/string.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#define PG	    4096u
#define ARENA_PAGES 12u

static u8 arena[ARENA_PAGES * PG] __attribute__((aligned(4096)));
static struct handoff h;
static u64 map_store[4 * 48 / 8];
static struct memmap map;
static struct resv resv[64];
static struct reclaim rc;
static struct live_records rec;
static u32 complaints;

static u64 at(u32 page, u32 off)
{
	return (u64)(uintptr_t)arena + (u64)page * PG + off;
}

static void put32(u64 a, u32 v)
{
	memcpy((void *)(uintptr_t)a, &v, 4);
}

static void put64(u64 a, u64 v)
{
	memcpy((void *)(uintptr_t)a, &v, 8);
}

/* An ACPI header: signature and length (checksums are not what is tested here). */
static void acpi_header(u64 a, const char *sig, u32 len)
{
	memcpy((void *)(uintptr_t)a, sig, 4);
	put32(a + 4, len);
}

static void say(const char *what, u64 addr, const char *why)
{
	(void)what;
	(void)addr;
	(void)why;
	complaints++;
}

/*
 * The forged firmware: page 1 the memory attributes table, 2 the RSDP,
 * 3 the XSDT, 4 the BGRT, 5 the FADT, 6-7 the logo (4196 bytes), 8 the
 * FACS, 9 the DSDT; pages 0, 10 and 11 hold nothing.
 */
static void forge(void)
{
	const struct handoff_guid mat = GUID_MEMORY_ATTRIBUTES, acpi = GUID_ACPI_20;

	memset(arena, 0, sizeof(arena));
	memset(&h, 0, sizeof(h));
	put32(at(1, 0x18), 1);	    /* version */
	put32(at(1, 0x18 + 4), 3);  /* entries */
	put32(at(1, 0x18 + 8), 48); /* descriptor size */
	memcpy((void *)(uintptr_t)at(2, 0), "RSD PTR ", 8);
	*(u8 *)(uintptr_t)at(2, 15) = 2;
	put32(at(2, 20), 36);
	put64(at(2, 24), at(3, 0));
	acpi_header(at(3, 0), "XSDT", 36 + 16);
	put64(at(3, 36), at(4, 0));
	put64(at(3, 44), at(5, 0));
	acpi_header(at(4, 0), "BGRT", 56);
	put64(at(4, 40), at(6, 0));
	memcpy((void *)(uintptr_t)at(6, 0), "BM", 2);
	put32(at(6, 2), PG + 100);
	acpi_header(at(5, 0), "FACP", 276);
	put64(at(5, 132), at(8, 0));
	put64(at(5, 140), at(9, 0));
	memcpy((void *)(uintptr_t)at(8, 0), "FACS", 4);
	put32(at(8, 4), 64);
	acpi_header(at(9, 0), "DSDT", 36 + 10);

	h.nr_config_tables = 2;
	h.config[0].guid = mat;
	h.config[0].table = at(1, 0x18);
	h.config[1].guid = acpi;
	h.config[1].table = at(2, 0);

	memmap_init(&map, map_store, 48, 1, 0, 4);
	mapbuild_put(&map, 0, MM_BOOT_DATA, at(0, 0), ARENA_PAGES, MAPBUILD_RAM);
	complaints = 0;
	memset(&rec, 0, sizeof(rec));
}

static enum resv_reason why(u32 page)
{
	return resv_kern_reason(&rc.resv, at(page, 0));
}

static void tags_every_table_by_page(struct ktap_test *t)
{
	static const u8 want[ARENA_PAGES] = {
		RSN_NR,	       RSN_MEMATTR_TABLE, RSN_ACPI, RSN_ACPI, RSN_ACPI, RSN_ACPI,
		RSN_BGRT_LOGO, RSN_BGRT_LOGO,	  RSN_ACPI, RSN_ACPI, RSN_NR,	RSN_NR,
	};

	forge();
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	KT_EXPECT(t, live_tables_tag(&rc, &h, &map, say, &rec) >= 8);
	KT_EXPECT_EQ(t, complaints, 0);
	for (u32 p = 0; p < ARENA_PAGES; p++)
		KT_EXPECT_EQ(t, why(p), want[p]);
	/* Every firmware table recorded, with the CRC of what it held. */
	KT_EXPECT(t, rec.n >= 8);
	for (u32 i = 0; i < rec.n; i++)
		KT_EXPECT_EQ(t, crc32(0, (const void *)(uintptr_t)rec.r[i].base, rec.r[i].len),
			     rec.r[i].crc);
}

static void hostile_headers_keep_one_page(struct ktap_test *t)
{
	/* The attributes table claims 4 billion entries; the logo lies outside the map. */
	forge();
	put32(at(1, 0x18 + 4), 0xffffffff);
	put64(at(4, 40), at(0, 0) + 64ULL * 1024 * 1024 * 1024);
	/* The FACS has no signature, the DSDT a length past the map. */
	memset((void *)(uintptr_t)at(8, 0), 0, 4);
	put32(at(9, 4), 0x100000);
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	live_tables_tag(&rc, &h, &map, say, &rec);
	KT_EXPECT_EQ(t, complaints, 4);
	KT_EXPECT_EQ(t, why(1), RSN_MEMATTR_TABLE); /* its first page, nothing more */
	KT_EXPECT_EQ(t, why(2), RSN_ACPI);
	KT_EXPECT_EQ(t, why(6), RSN_NR); /* nothing read or kept where the logo should be */
	KT_EXPECT_EQ(t, why(7), RSN_NR);
	KT_EXPECT_EQ(t, why(10), RSN_NR);

	/* No RSDP signature: nothing of ACPI is followed. */
	forge();
	memset((void *)(uintptr_t)at(2, 0), 'x', 8);
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	live_tables_tag(&rc, &h, &map, say, &rec);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(3), RSN_NR);
	KT_EXPECT_EQ(t, why(4), RSN_NR);

	/* A table pointer into memory the map does not describe is never read. */
	forge();
	h.config[0].table = at(0, 0) + (1ULL << 40);
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	live_tables_tag(&rc, &h, &map, say, &rec);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(1), RSN_NR);
}

/*
 * Issue 6: a unit the unaccepted bitmap still marks is unmapped in the
 * kernel, so nothing in it is read. Here 4 KiB units (a table the checks
 * allow) mark the XSDT's page: the XSDT is reported and keeps its page,
 * nothing behind it (the BGRT) is followed.
 */
static void unaccepted_units_never_read(struct ktap_test *t)
{
	struct accept_table *acc = (struct accept_table *)(uintptr_t)at(10, 0);

	forge();
	accept_table_init(acc, at(0, 0), 1);
	acc->unit_size = PG;
	acc->bitmap[0] = 1u << 3; /* page 3: the XSDT */
	h.accept_table = at(10, 0);
	h.accept_table_bytes = PG;
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	live_tables_tag(&rc, &h, &map, say, &rec);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(2), RSN_ACPI);
	KT_EXPECT_EQ(t, why(3), RSN_ACPI); /* kept, not read */
	KT_EXPECT_EQ(t, why(4), RSN_NR);
	KT_EXPECT_EQ(t, why(6), RSN_NR);
	for (u32 i = 0; i < rec.n; i++)
		KT_EXPECT(t, rec.r[i].base + rec.r[i].len <= at(3, 0) || rec.r[i].base >= at(4, 0));

	/* The same table with no bit set: everything is read again. */
	forge();
	accept_table_init(acc, at(0, 0), 1);
	acc->unit_size = PG;
	h.accept_table = at(10, 0);
	h.accept_table_bytes = PG;
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	live_tables_tag(&rc, &h, &map, say, &rec);
	KT_EXPECT_EQ(t, complaints, 0);
	KT_EXPECT_EQ(t, why(4), RSN_ACPI);
}

static const struct ktap_case live_tables_cases[] = {
	KTAP_CASE(tags_every_table_by_page),
	KTAP_CASE(hostile_headers_keep_one_page),
	KTAP_CASE(unaccepted_units_never_read),
};

KTAP_SUITE(live_tables_suite, "live_tables", live_tables_cases);
