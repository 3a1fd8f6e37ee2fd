// SPDX-License-Identifier: BSD-2-Clause
/*
 * lib/smbios.c against DSP0134 3.7: entry points laid out byte by byte as
 * sections 5.2.1 and 5.2.2 give them, and a structure table with BIOS
 * (7.1) and System (7.2) Information written out by hand.
 */
#include "lib/smbios.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

/* Make p[0..n) sum to 0 by setting p[at]. */
static void fix_checksum(u8 *p, size_t n, size_t at)
{
	u8 sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (u8)(sum + p[i]);
	p[at] = (u8)-sum;
}

static void entry_point_3(struct ktap_test *t)
{
	/* clang-format off: the bytes laid out as section 5.2.2 gives them */
	u8 ep[0x18] = { '_',  'S',  'M',  '3',	'_',  0,    0x18, 3,
			7,    0,    1,	  0,	0x34, 0x12, 0,	  0,   /* max table size 0x1234 */
			0x00, 0x10, 0x5f, 0x7f, 0,    0,    0,	  0 }; /* table at 0x7f5f1000 */
	/* clang-format on */
	struct smbios_ep e;

	fix_checksum(ep, sizeof(ep), 0x05);
	KT_EXPECT(t, smbios_read_entry_point(ep, sizeof(ep), &e) == NULL);
	KT_EXPECT_EQ(t, e.v3, true);
	KT_EXPECT_EQ(t, e.major, 3);
	KT_EXPECT_EQ(t, e.minor, 7);
	KT_EXPECT_EQ(t, e.table_len, 0x1234);
	KT_EXPECT_EQ(t, e.table, 0x7f5f1000);
	ep[0x10] ^= 1; /* checksum no longer holds */
	KT_EXPECT(t, smbios_read_entry_point(ep, sizeof(ep), &e) != NULL);
	fix_checksum(ep, sizeof(ep), 0x05);
	KT_EXPECT(t, smbios_read_entry_point(ep, 0x17, &e) != NULL); /* cut short */
}

static void entry_point_2(struct ktap_test *t)
{
	/* clang-format off: the bytes laid out as section 5.2.1 gives them */
	u8 ep[0x1f] = {
		'_',  'S',  'M',  '_',	0,   0x1f, 2,	8,   0, 1,    0,    0, 0,
		0,    0,    0,	  '_',	'D', 'M',  'I', '_', 0, 0x99, 0x01, /* table length 0x199 */
		0x00, 0xf0, 0x0e, 0x00,					    /* table at 0xef000 */
		9,    0,    0x28
	};
	/* clang-format on */
	struct smbios_ep e;

	fix_checksum(ep + 0x10, 0x0f, 0x05);
	fix_checksum(ep, sizeof(ep), 0x04);
	KT_EXPECT(t, smbios_read_entry_point(ep, sizeof(ep), &e) == NULL);
	KT_EXPECT_EQ(t, e.v3, false);
	KT_EXPECT_EQ(t, e.major, 2);
	KT_EXPECT_EQ(t, e.minor, 8);
	KT_EXPECT_EQ(t, e.table_len, 0x199);
	KT_EXPECT_EQ(t, e.table, 0xef000);
	ep[0x12] = 'X'; /* "_DXI_" */
	fix_checksum(ep, sizeof(ep), 0x04);
	KT_EXPECT(t, smbios_read_entry_point(ep, sizeof(ep), &e) != NULL);
	KT_EXPECT(t, smbios_read_entry_point((const u8 *)"_SM4_", 5, &e) != NULL);
}

/*
 * Type 0 (length 18h): vendor string 1, version string 2, date string 3.
 * Type 1 (length 1Bh): manufacturer 1, product 2, version 0 (none), serial 3.
 * Then type 127.
 */
/* clang-format off */
static const u8 table[] = {
	0, 0x18, 0, 0, 1, 2, 0, 0xe8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'E', 'F', 'I', ' ', 'D', 'e', 'v', 0, '1', '.', '2', ' ', ' ', 0,
	'0', '2', '/', '0', '6', '/', '2', '0', '1', '5', 0, 0,
	1, 0x1b, 1, 0, 1, 2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'Q', 'E', 'M', 'U', 0, 'P', 'C', ' ', '\t', 0xe9, 0, 'S', 'E', 'R', 'I', 'A', 'L', 0, 0,
	127, 4, 2, 0, 0, 0,
};
/* clang-format on */

static void identity(struct ktap_test *t)
{
	struct smbios_id id;

	KT_EXPECT(t, smbios_read_identity(table, sizeof(table), &id) == NULL);
	KT_EXPECT_STREQ(t, id.bios_vendor, "EFI Dev");
	KT_EXPECT_STREQ(t, id.bios_version, "1.2"); /* trailing blanks go */
	KT_EXPECT_STREQ(t, id.bios_date, "02/06/2015");
	KT_EXPECT_STREQ(t, id.sys_vendor, "QEMU");
	KT_EXPECT_STREQ(t, id.sys_product, "PC ??"); /* tab and non-ASCII shown as '?' */
	KT_EXPECT_STREQ(t, id.sys_version, "");	     /* string 0: none */
}

static void malformed_tables(struct ktap_test *t)
{
	u8 bad[sizeof(table)];
	struct smbios_id id;

	/* Cut inside the System structure: what came before it is still read. */
	KT_EXPECT(t, smbios_read_identity(table, 60, &id) != NULL);
	KT_EXPECT_STREQ(t, id.bios_vendor, "EFI Dev");
	KT_EXPECT_STREQ(t, id.sys_vendor, "");
	/* A length below the 4-byte header. */
	memcpy(bad, table, sizeof(bad));
	bad[1] = 3;
	KT_EXPECT(t, smbios_read_identity(bad, sizeof(bad), &id) != NULL);
	/* A length past the end. */
	bad[1] = 0xff;
	KT_EXPECT(t, smbios_read_identity(bad, sizeof(bad), &id) != NULL);
	/* A string number past the set reads as none, not as memory beyond it. */
	memcpy(bad, table, sizeof(bad));
	bad[0x05] = 9;
	KT_EXPECT(t, smbios_read_identity(bad, sizeof(bad), &id) == NULL);
	KT_EXPECT_STREQ(t, id.bios_version, "");
	/* No end-of-table structure: the walk stops at the end exactly. */
	KT_EXPECT(t, smbios_read_identity(table, sizeof(table) - 6, &id) == NULL);
	KT_EXPECT_STREQ(t, id.sys_product, "PC ??");
	KT_EXPECT(t, smbios_read_identity(table, 0, &id) == NULL);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(entry_point_3),
	KTAP_CASE(entry_point_2),
	KTAP_CASE(identity),
	KTAP_CASE(malformed_tables),
};
KTAP_SUITE(smbios_suite, "smbios", cases);
