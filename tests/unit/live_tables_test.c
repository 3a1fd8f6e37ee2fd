// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/live_tables.c over forged firmware tables in an arena: the memory
 * attributes table, the ACPI tables reached from the RSDP (XSDT, BGRT and
 * its logo, FADT, FACS, DSDT), the ESRT, the RT properties table, SMBIOS 2
 * and 3 entry points and their structure tables, the TCG2 event log and
 * the TCG2 final events table are tagged KERN page by page with their
 * reasons and recorded. The expected ranges are written here by hand from
 * the spec layouts the forge follows, never taken from the tagger: each
 * record must name exactly one of them, with the CRC the test computes
 * over its own range. Hostile headers (absurd sizes and counts, pointers
 * outside the map, bad anchors and signatures) are reported and keep only
 * what can be known; nothing outside the map is ever read. Also the TPM
 * event sizing (kernel/tcg_log.c) on hand-made records, and the words for
 * a configuration table efimap does not know.
 */
#include "accept/accept.h"
#include "kernel/config_tables.h"
#include "kernel/live_tables.h"
#include "kernel/tcg_log.h"
#include "lib/crc32.h"
#include "lib/string.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#if __STDC_HOSTED__
#include <sys/mman.h>
#endif

#define PG	    4096u
#define ARENA_PAGES 23u

/*
 * The SMBIOS 2 entry point holds a 32-bit structure table address, so the
 * arena must lie below 4 GiB: in the image it does (firmware loads it
 * there); on the host it is mapped there.
 */
static u8 arena_storage[ARENA_PAGES * PG] __attribute__((aligned(4096)));
static u8 *arena;
static struct handoff h;
static u64 map_store[4 * 48 / 8];
static struct memmap map;
static struct resv resv[64];
static struct reclaim rc;
static struct live_records rec;
static u32 complaints;

static void arena_setup(void)
{
	if (arena)
		return;
	arena = arena_storage;
#if __STDC_HOSTED__
	{
		void *low = mmap(NULL, sizeof(arena_storage), PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

		if (low != MAP_FAILED)
			arena = low;
	}
#endif
}

static u64 at(u32 page, u32 off)
{
	arena_setup();
	return (u64)(uintptr_t)arena + (u64)page * PG + off;
}

static void *p(u64 a)
{
	return (void *)(uintptr_t)a;
}

static void put8(u64 a, u8 v)
{
	*(u8 *)p(a) = v;
}

static void put16(u64 a, u16 v)
{
	memcpy(p(a), &v, 2);
}

static void put32(u64 a, u32 v)
{
	memcpy(p(a), &v, 4);
}

static void put64(u64 a, u64 v)
{
	memcpy(p(a), &v, 8);
}

/* An ACPI header: signature and length (checksums are not what is tested here). */
static void acpi_header(u64 a, const char *sig, u32 len)
{
	memcpy(p(a), sig, 4);
	put32(a + 4, len);
}

static void say(const char *what, u64 addr, const char *why)
{
	(void)what;
	(void)addr;
	(void)why;
	complaints++;
}

/* TCG algorithm registry: SHA1 0x0004 (20-byte digests), SHA256 0x000B (32). */
#define ALG_SHA1   0x0004
#define ALG_SHA256 0x000b

/*
 * A TCG_PCR_EVENT2 (PFP 1.05 section 10.2.2) at a: the given digests
 * (filled with 0x11), then data bytes of 0x22. Returns the bytes written.
 */
static u32 put_event2(u64 a, u32 pcr, u32 type, u32 nalgs, const u16 *algs, u32 data)
{
	u32 off = 12;

	put32(a, pcr);
	put32(a + 4, type);
	put32(a + 8, nalgs);
	for (u32 i = 0; i < nalgs; i++) {
		u32 size = algs[i] == ALG_SHA1 ? 20 : 32;

		put16(a + off, algs[i]);
		memset(p(a + off + 2), 0x11, size);
		off += 2 + size;
	}
	put32(a + off, data);
	memset(p(a + off + 4), 0x22, data);
	return off + 4 + data;
}

/*
 * The Spec ID event (PFP 1.05 sections 10.2.1 and 10.4.5.1) declaring SHA1
 * and SHA256: 32-byte TCG_PCClientPCREvent header, then 16 + 4 + 4 + 4 +
 * 2 * 4 + 1 = 37 bytes of event data: 69 bytes.
 */
static void put_spec_id(u64 a)
{
	memset(p(a), 0, 69);
	put32(a + 4, 3); /* EV_NO_ACTION, PCR 0, zero digest */
	put32(a + 28, 37);
	memcpy(p(a + 32), "Spec ID Event03", 16);
	put8(a + 32 + 21, 2); /* spec version major */
	put8(a + 32 + 23, 2); /* uintn size: 64-bit */
	put32(a + 32 + 24, 2);
	put16(a + 32 + 28, ALG_SHA1);
	put16(a + 32 + 30, 20);
	put16(a + 32 + 32, ALG_SHA256);
	put16(a + 32 + 34, 32);
	/* vendor info size 0 at 32 + 36 */
}

static const u16 both[2] = { ALG_SHA1, ALG_SHA256 }, sha256[1] = { ALG_SHA256 },
		 sha1[1] = { ALG_SHA1 };

/* Sizes of the forged TPM records, by hand from the layouts above. */
#define SPEC_ID_BYTES 69u
#define EV_A_BYTES    82u  /* 12 + (2 + 20) + (2 + 32) + 4 + 10 */
#define EV_B_BYTES    350u /* 12 + (2 + 32) + 4 + 300 */
#define LOG_BYTES     501u /* 69 + 82 + 350: from 0xf00 in page 19 into page 20 */
#define FIN_A_BYTES   101u /* 12 + (2 + 20) + (2 + 32) + 4 + 29 */
#define FIN_B_BYTES   78u  /* 12 + (2 + 20) + 4 + 40 */
#define FINAL_BYTES   195u /* 16-byte header + 101 + 78 */

/*
 * The forged firmware, one table per page (offsets inside pages make a
 * wrong base show):
 *   1 memory attributes table at 0x18      12 ESRT at 0x100 (2 entries)
 *   2 RSDP  3 XSDT  4 BGRT  5 FADT          13 RT properties at 0x40
 *   6-7 BGRT logo (4196 bytes)              14 SMBIOS 2.1 entry point at 0x10
 *   8 FACS  9 DSDT                          15-16 its structure table (0x20, 0x1200 bytes)
 *   17 SMBIOS 3 entry point                 18 its structure table (0x300 bytes)
 *   19-20 TCG2 event log (0xf00 in 19)      21 TCG2 final events at 0x10
 * Pages 0, 10, 11 and 22 hold nothing.
 */
static void forge(void)
{
	const struct handoff_guid mat = GUID_MEMORY_ATTRIBUTES, acpi = GUID_ACPI_20;
	const struct handoff_guid esrt = {
		0xb122a263, 0x3661, 0x4f68, { 0x99, 0x29, 0x78, 0xf8, 0xb0, 0xd6, 0x21, 0x80 }
	};
	const struct handoff_guid rtp = {
		0xeb66918a, 0x7eef, 0x402a, { 0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9 }
	};
	const struct handoff_guid sm2 = {
		0xeb9d2d31, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d }
	};
	const struct handoff_guid sm3 = {
		0xf2fd1544, 0x9794, 0x4a2c, { 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 }
	};
	const struct handoff_guid fin = {
		0x1e2ed096, 0x30e2, 0x4254, { 0xbd, 0x89, 0x86, 0x3b, 0xbe, 0xf8, 0x23, 0x25 }
	};
	u64 a;

	arena_setup();
	memset(arena, 0, ARENA_PAGES * PG);
	memset(&h, 0, sizeof(h));
	put32(at(1, 0x18), 1);	    /* version */
	put32(at(1, 0x18 + 4), 3);  /* entries */
	put32(at(1, 0x18 + 8), 48); /* descriptor size */
	memcpy(p(at(2, 0)), "RSD PTR ", 8);
	put8(at(2, 15), 2);
	put32(at(2, 20), 36);
	put64(at(2, 24), at(3, 0));
	acpi_header(at(3, 0), "XSDT", 36 + 16);
	put64(at(3, 36), at(4, 0));
	put64(at(3, 44), at(5, 0));
	acpi_header(at(4, 0), "BGRT", 56);
	put64(at(4, 40), at(6, 0));
	memcpy(p(at(6, 0)), "BM", 2);
	put32(at(6, 2), PG + 100);
	acpi_header(at(5, 0), "FACP", 276);
	put64(at(5, 132), at(8, 0));
	put64(at(5, 140), at(9, 0));
	memcpy(p(at(8, 0)), "FACS", 4);
	put32(at(8, 4), 64);
	acpi_header(at(9, 0), "DSDT", 36 + 10);

	/* UEFI 2.10 section 23.3: u32 count, u32 max, u64 version, 40-byte entries. */
	put32(at(12, 0x100), 2);
	put32(at(12, 0x104), 4);
	put64(at(12, 0x108), 1);
	/* UEFI 2.10 section 4.6.2: u16 version 1, u16 length 8, u32 services supported. */
	put16(at(13, 0x40), 1);
	put16(at(13, 0x42), 8);
	put32(at(13, 0x44), 0x3fff);
	/* SMBIOS 3.7 section 5.2.1: "_SM_", length 0x1f at 5, table length at 0x16, address 0x18.
	 */
	memcpy(p(at(14, 0x10)), "_SM_", 4);
	put8(at(14, 0x10 + 5), 0x1f);
	memcpy(p(at(14, 0x10 + 0x10)), "_DMI_", 5);
	put16(at(14, 0x10 + 0x16), 0x1200);
	put32(at(14, 0x10 + 0x18), (u32)at(15, 0x20));
	/* Section 5.2.2: "_SM3_", length 0x18 at 6, maximum table size at 0x0c, address 0x10. */
	memcpy(p(at(17, 0)), "_SM3_", 5);
	put8(at(17, 6), 0x18);
	put32(at(17, 0x0c), 0x300);
	put64(at(17, 0x10), at(18, 0));
	/* The TCG2 event log: the Spec ID event, then two events. */
	a = at(19, 0xf00);
	put_spec_id(a);
	a += SPEC_ID_BYTES;
	a += put_event2(a, 0, 8, 2, both, 10);
	put_event2(a, 7, 0x80000001, 1, sha256, 300);
	h.tpm_log_base = at(19, 0xf00);
	h.tpm_log_size = LOG_BYTES;
	h.tpm_log_format = TCG_LOG_FORMAT_2;
	/* The final events table: u64 version 1, u64 two events. */
	put64(at(21, 0x10), 1);
	put64(at(21, 0x18), 2);
	a = at(21, 0x20);
	a += put_event2(a, 5, 0x80000007, 2, both, 29);
	put_event2(a, 5, 0x80000007, 1, sha1, 40);

	h.nr_config_tables = 7;
	h.config[0] = (struct handoff_config_table){ mat, at(1, 0x18) };
	h.config[1] = (struct handoff_config_table){ acpi, at(2, 0) };
	h.config[2] = (struct handoff_config_table){ esrt, at(12, 0x100) };
	h.config[3] = (struct handoff_config_table){ rtp, at(13, 0x40) };
	h.config[4] = (struct handoff_config_table){ sm2, at(14, 0x10) };
	h.config[5] = (struct handoff_config_table){ sm3, at(17, 0) };
	h.config[6] = (struct handoff_config_table){ fin, at(21, 0x10) };

	memmap_init(&map, map_store, 48, 1, 0, 4);
	mapbuild_put(&map, 0, MM_BOOT_DATA, at(0, 0), ARENA_PAGES, MAPBUILD_RAM);
	complaints = 0;
	memset(&rec, 0, sizeof(rec));
}

static enum resv_reason why(u32 page)
{
	return resv_kern_reason(&rc.resv, at(page, 0));
}

static void tag_forged(struct ktap_test *t)
{
	KT_ASSERT(t, at(ARENA_PAGES, 0) <= 0x100000000ull); /* see arena_setup() */
	KT_ASSERT(t, reclaim_reserve(&rc, &map, 0, resv, ARRAY_SIZE(resv)));
	live_tables_tag(&rc, &h, &map, say, &rec);
}

struct want {
	u64 base, len;
	u8 reason;
};

/*
 * Every record is one of want[] (same base, length and reason, and the CRC
 * the test computes over that range), and every want[] is recorded once.
 */
static void expect_records(struct ktap_test *t, const struct want *w, u32 n)
{
	KT_EXPECT_EQ(t, rec.n, n);
	KT_EXPECT_EQ(t, rec.missed, 0);
	for (u32 i = 0; i < n; i++) {
		u32 found = 0;

		for (u32 j = 0; j < rec.n; j++) {
			const struct live_record *r = &rec.r[j];

			if (r->base != w[i].base)
				continue;
			found++;
			ktap_check(t,
				   r->len == w[i].len && r->reason == w[i].reason &&
					   r->crc == crc32(0, p(w[i].base), w[i].len),
				   __FILE__, __LINE__,
				   "table %u at +0x%llx: recorded len %llu reason %u crc %08x, "
				   "expected len %llu reason %u crc %08x",
				   i, (unsigned long long)(w[i].base - at(0, 0)),
				   (unsigned long long)r->len, r->reason, r->crc,
				   (unsigned long long)w[i].len, w[i].reason,
				   crc32(0, p(w[i].base), w[i].len));
		}
		ktap_check(t, found == 1, __FILE__, __LINE__,
			   "table %u at +0x%llx recorded %u times, expected once", i,
			   (unsigned long long)(w[i].base - at(0, 0)), found);
	}
}

static void tags_every_table_by_page(struct ktap_test *t)
{
	static const u8 want_page[ARENA_PAGES] = {
		RSN_NR,
		RSN_MEMATTR_TABLE,
		RSN_ACPI,
		RSN_ACPI,
		RSN_ACPI,
		RSN_ACPI,
		RSN_BGRT_LOGO,
		RSN_BGRT_LOGO,
		RSN_ACPI,
		RSN_ACPI,
		RSN_NR,
		RSN_NR,
		RSN_ESRT,
		RSN_RT_PROPERTIES,
		RSN_SMBIOS,
		RSN_SMBIOS,
		RSN_SMBIOS,
		RSN_SMBIOS,
		RSN_SMBIOS,
		RSN_TPM_EVENT_LOG,
		RSN_TPM_EVENT_LOG,
		RSN_TPM_FINAL_EVENTS,
		RSN_NR,
	};
	const struct want w[] = {
		{ at(1, 0x18), 16 + 3 * 48, RSN_MEMATTR_TABLE },
		{ at(2, 0), 36, RSN_ACPI },	 /* ACPI 2.0 RSDP */
		{ at(3, 0), 36 + 16, RSN_ACPI }, /* XSDT, two entries */
		{ at(4, 0), 56, RSN_ACPI },	 /* BGRT */
		{ at(5, 0), 276, RSN_ACPI },	 /* FADT */
		{ at(6, 0), PG + 100, RSN_BGRT_LOGO },
		{ at(8, 0), 64, RSN_ACPI },	 /* FACS */
		{ at(9, 0), 36 + 10, RSN_ACPI }, /* DSDT */
		{ at(12, 0x100), 16 + 2 * 40, RSN_ESRT },
		{ at(13, 0x40), 8, RSN_RT_PROPERTIES },
		{ at(14, 0x10), 0x1f, RSN_SMBIOS },
		{ at(15, 0x20), 0x1200, RSN_SMBIOS },
		{ at(17, 0), 0x18, RSN_SMBIOS },
		{ at(18, 0), 0x300, RSN_SMBIOS },
		{ at(19, 0xf00), LOG_BYTES, RSN_TPM_EVENT_LOG },
		{ at(21, 0x10), FINAL_BYTES, RSN_TPM_FINAL_EVENTS },
	};

	forge();
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 0);
	for (u32 pg = 0; pg < ARENA_PAGES; pg++)
		if (!ktap_check(t, why(pg) == want_page[pg], __FILE__, __LINE__,
				"page %u: reason %u, expected %u", pg, why(pg), want_page[pg]))
			break;
	expect_records(t, w, ARRAY_SIZE(w));
}

static void hostile_headers_keep_one_page(struct ktap_test *t)
{
	/* The attributes table claims 4 billion entries; the logo lies outside the map. */
	forge();
	put32(at(1, 0x18 + 4), 0xffffffff);
	put64(at(4, 40), at(0, 0) + 64ULL * 1024 * 1024 * 1024);
	/* The FACS has no signature, the DSDT a length past the map. */
	memset(p(at(8, 0)), 0, 4);
	put32(at(9, 4), 0x100000);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 4);
	KT_EXPECT_EQ(t, why(1), RSN_MEMATTR_TABLE); /* its first page, nothing more */
	KT_EXPECT_EQ(t, why(2), RSN_ACPI);
	KT_EXPECT_EQ(t, why(6), RSN_NR); /* nothing read or kept where the logo should be */
	KT_EXPECT_EQ(t, why(7), RSN_NR);
	KT_EXPECT_EQ(t, why(10), RSN_NR);

	/* No RSDP signature: nothing of ACPI is followed. */
	forge();
	memset(p(at(2, 0)), 'x', 8);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(3), RSN_NR);
	KT_EXPECT_EQ(t, why(4), RSN_NR);

	/* A table pointer into memory the map does not describe is never read. */
	forge();
	h.config[0].table = at(0, 0) + (1ULL << 40);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(1), RSN_NR);
}

/* A 32-bit big-endian field, as every field of a device tree header is (DTSpec v0.4 5.2). */
static void put_be32(u64 a, u32 v)
{
	put8(a, (u8)(v >> 24));
	put8(a + 1, (u8)(v >> 16));
	put8(a + 2, (u8)(v >> 8));
	put8(a + 3, (u8)v);
}

/*
 * The forged firmware plus a device tree at 0x40 in page 21, 0x1100 bytes
 * long (into page 22), named by EFI_DTB_TABLE_GUID (UEFI 2.10 section
 * 4.6.1.2). Header fields at the offsets of DTSpec v0.4 table 5.1.
 */
static void forge_fdt(u32 magic, u32 totalsize)
{
	const struct handoff_guid dtb = {
		0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 }
	};
	u64 a = at(21, 0x40);

	forge();
	memset(p(at(21, 0)), 0, 2 * PG); /* no TCG2 final events this time */
	h.nr_config_tables = 6;		 /* ... nor its table */
	put_be32(a + 0, magic);
	put_be32(a + 4, totalsize);
	put_be32(a + 8, 0x40);	   /* off_dt_struct */
	put_be32(a + 12, 0x1000);  /* off_dt_strings */
	put_be32(a + 16, 0x28);	   /* off_mem_rsvmap */
	put_be32(a + 20, 17);	   /* version */
	put_be32(a + 24, 16);	   /* last_comp_version */
	put_be32(a + 32, 0x100);   /* size_dt_strings */
	put_be32(a + 36, 0xf00);   /* size_dt_struct */
	h.config[h.nr_config_tables++] = (struct handoff_config_table){ dtb, a };
}

/* The device tree is kept whole, by its header's totalsize; a damaged one keeps a page. */
static void device_tree_kept_whole(struct ktap_test *t)
{
	forge_fdt(0xd00dfeed, 0x1100);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 0);
	KT_EXPECT_EQ(t, why(21), RSN_DEVICE_TREE);
	KT_EXPECT_EQ(t, why(22), RSN_DEVICE_TREE); /* 0x40 + 0x1100 ends in page 22 */
	for (u32 i = 0; i < rec.n; i++)
		if (rec.r[i].reason == RSN_DEVICE_TREE) {
			KT_EXPECT_EQ(t, rec.r[i].base, at(21, 0x40));
			KT_EXPECT_EQ(t, rec.r[i].len, 0x1100);
		}

	/* Not a device tree: its first page only, and said. */
	forge_fdt(0xfeedd00d, 0x1100);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(21), RSN_DEVICE_TREE);
	KT_EXPECT_EQ(t, why(22), RSN_NR);

	/* A totalsize past the map: never read past it, its first page kept. */
	forge_fdt(0xd00dfeed, 0x100000);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 1);
	KT_EXPECT_EQ(t, why(22), RSN_NR);
}

/* ESRT and RT properties: absurd counts and lengths, pointers outside the map. */
static void hostile_esrt_and_rt_properties(struct ktap_test *t)
{
	/* 4096 entries is within the limit but runs past the map: the first page only. */
	forge();
	put32(at(12, 0x100), 4096);
	put16(at(13, 0x42), 0xffff); /* 16 pages of "RT properties" */
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 2);
	KT_EXPECT_EQ(t, why(12), RSN_ESRT);
	KT_EXPECT_EQ(t, why(13), RSN_RT_PROPERTIES);
	KT_EXPECT_EQ(t, why(14), RSN_SMBIOS); /* the next table, not the ESRT's tail */
	KT_EXPECT_EQ(t, why(22), RSN_NR);     /* nor the RT properties' */
	for (u32 i = 0; i < rec.n; i++)
		if (rec.r[i].reason == RSN_RT_PROPERTIES) /* what the spec defines: 8 bytes */
			KT_EXPECT_EQ(t, rec.r[i].len, 8);

	/* A count of 2^32-1 entries, and the RT properties table outside the map. */
	forge();
	put32(at(12, 0x100), 0xffffffff);
	h.config[3].table = at(0, 0) + (1ULL << 40);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 2);
	KT_EXPECT_EQ(t, why(12), RSN_ESRT);
	KT_EXPECT_EQ(t, why(13), RSN_NR);
}

/* SMBIOS: bad anchors, absurd table lengths, structure tables outside the map. */
static void hostile_smbios(struct ktap_test *t)
{
	/* "_SM_" misspelt, "_SM3_" with its table outside the map. */
	forge();
	memcpy(p(at(14, 0x10)), "_SN_", 4);
	put64(at(17, 0x10), at(0, 0) + (1ULL << 40));
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 2);
	KT_EXPECT_EQ(t, why(14), RSN_SMBIOS); /* the entry point's page */
	KT_EXPECT_EQ(t, why(15), RSN_NR);     /* its table is not followed */
	KT_EXPECT_EQ(t, why(16), RSN_NR);
	KT_EXPECT_EQ(t, why(17), RSN_SMBIOS);
	KT_EXPECT_EQ(t, why(18), RSN_NR);

	/* A 64 KiB structure table that runs past the map; "_SM3_" misspelt. */
	forge();
	put16(at(14, 0x10 + 0x16), 0xffff);
	memcpy(p(at(17, 0)), "_SM4_", 5);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 2);
	KT_EXPECT_EQ(t, why(14), RSN_SMBIOS);
	KT_EXPECT_EQ(t, why(15), RSN_SMBIOS); /* where the table starts: the first page */
	KT_EXPECT_EQ(t, why(16), RSN_NR);
	KT_EXPECT_EQ(t, why(17), RSN_SMBIOS);
	KT_EXPECT_EQ(t, why(18), RSN_NR);
}

/* The final events table keeps its header and every event sized before a bad one. */
static void hostile_tpm_logs(struct ktap_test *t)
{
	const struct want header_and_a[] = {
		{ at(21, 0x10), 16 + FIN_A_BYTES, RSN_TPM_FINAL_EVENTS },
	};
	const struct want header[] = {
		{ at(21, 0x10), 16, RSN_TPM_FINAL_EVENTS },
	};
	u32 n;

	/* The second final event uses an algorithm the Spec ID event does not name. */
	forge();
	put16(at(21, 0x20 + FIN_A_BYTES + 12), 0x0012); /* SM3_256 */
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 1);
	n = rec.n;
	rec.n = 0;
	for (u32 i = 0; i < n; i++)
		if (rec.r[i].reason == RSN_TPM_FINAL_EVENTS)
			rec.r[rec.n++] = rec.r[i];
	expect_records(t, header_and_a, 1);

	/* 2^32 events; and without an event log, nothing to size events by. */
	for (u32 round = 0; round < 2; round++) {
		forge();
		if (round == 0)
			put64(at(21, 0x18), 1ull << 32);
		else
			h.tpm_log_base = h.tpm_log_size = h.tpm_log_format = 0;
		tag_forged(t);
		KT_EXPECT_EQ(t, complaints, 1);
		KT_EXPECT_EQ(t, why(21), RSN_TPM_FINAL_EVENTS);
		n = rec.n;
		rec.n = 0;
		for (u32 i = 0; i < n; i++)
			if (rec.r[i].reason == RSN_TPM_FINAL_EVENTS)
				rec.r[rec.n++] = rec.r[i];
		expect_records(t, header, 1);
	}

	/* An event log the stub says is 1 TiB: its first page, and the final events unsized. */
	forge();
	h.tpm_log_size = 1ull << 40;
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 2);
	KT_EXPECT_EQ(t, why(19), RSN_TPM_EVENT_LOG);
	KT_EXPECT_EQ(t, why(20), RSN_NR);
	KT_EXPECT_EQ(t, why(21), RSN_TPM_FINAL_EVENTS);

	/* No final events at all (version 1, count 0): the 16-byte header. */
	forge();
	put64(at(21, 0x18), 0);
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 0);
	KT_EXPECT_EQ(t, why(21), RSN_TPM_FINAL_EVENTS);
}

/*
 * The stub's sizing (tcg_log_size) on the forged log: GetEventLog names the
 * start and the last entry; the size runs to the end of that entry.
 */
static void tcg_log_sizes(struct ktap_test *t)
{
	const void *log;
	struct tcg_spec_id sid;
	const char *why_not;

	forge();
	log = p(at(19, 0xf00));
	KT_EXPECT(t, !tcg_spec_id_read(log, LOG_BYTES, &sid));
	KT_EXPECT_EQ(t, sid.nr_algs, 2);
	KT_EXPECT_EQ(t, tcg_event2_size(p(at(19, 0xf00) + SPEC_ID_BYTES), 1000, &sid), EV_A_BYTES);
	/* Last entry: the second event; the first; the Spec ID event itself (a 1.2 record). */
	KT_EXPECT_EQ(t, tcg_log_size(log, SPEC_ID_BYTES + EV_A_BYTES, 2, 1 << 20, &why_not),
		     LOG_BYTES);
	KT_EXPECT_EQ(t, tcg_log_size(log, SPEC_ID_BYTES, 2, 1 << 20, &why_not),
		     SPEC_ID_BYTES + EV_A_BYTES);
	KT_EXPECT_EQ(t, tcg_log_size(log, 0, 2, 1 << 20, &why_not), SPEC_ID_BYTES);
	/* Fewer bytes vouched for than the entry needs. */
	KT_EXPECT_EQ(t, tcg_log_size(log, SPEC_ID_BYTES + EV_A_BYTES, 2, LOG_BYTES - 1, &why_not),
		     0);
	KT_EXPECT(t, why_not != NULL);
	KT_EXPECT_EQ(t, tcg_log_size(log, 1 << 20, 2, 1 << 20, &why_not), 0);
	KT_EXPECT_EQ(t, tcg_log_size(log, 0, 7, 1 << 20, &why_not), 0);

	/* A TCG 1.2 log: 32-byte headers, then the event data. */
	memset(p(at(11, 0)), 0, PG);
	put32(at(11, 28), 100);
	put32(at(11, 132 + 28), 7);
	KT_EXPECT_EQ(t, tcg_log_size(p(at(11, 0)), 132, 1, PG, &why_not), 132 + 32 + 7);
	KT_EXPECT_EQ(t, tcg_event1_size(p(at(11, 0)), 131), 0);

	/* Malformed TCG_PCR_EVENT2: more digests than banks; type 0 with no data. */
	KT_EXPECT_EQ(t, tcg_event2_size(p(at(21, 0x20)), 1000, &sid), FIN_A_BYTES);
	put32(at(21, 0x20 + 8), 3);
	KT_EXPECT_EQ(t, tcg_event2_size(p(at(21, 0x20)), 1000, &sid), 0);
	KT_EXPECT_EQ(t, put_event2(at(10, 0), 0, 0, 1, sha1, 0), 12 + 22 + 4);
	KT_EXPECT_EQ(t, tcg_event2_size(p(at(10, 0)), 1000, &sid), 0);

	/* A log that does not open with a Spec ID event cannot size its TCG 2 records. */
	memcpy(p(at(19, 0xf00 + 32)), "Spec ID Event02", 16);
	KT_EXPECT(t, tcg_spec_id_read(log, LOG_BYTES, &sid) != NULL);
	KT_EXPECT_EQ(t, tcg_log_size(log, SPEC_ID_BYTES, 2, 1 << 20, &why_not), 0);
}

/*
 * Issue 6: a unit the unaccepted bitmap still marks is unmapped in the
 * kernel, so nothing in it is read. Here 4 KiB units (a table the checks
 * allow) mark the XSDT's page: the XSDT is reported and keeps its page,
 * nothing behind it (the BGRT) is followed.
 */
static void unaccepted_units_never_read(struct ktap_test *t)
{
	struct accept_table *acc;

	forge();
	acc = p(at(10, 0));
	accept_table_init(acc, at(0, 0), 1);
	acc->unit_size = PG;
	acc->bitmap[0] = 1u << 3; /* page 3: the XSDT */
	h.accept_table = at(10, 0);
	h.accept_table_bytes = PG;
	tag_forged(t);
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
	tag_forged(t);
	KT_EXPECT_EQ(t, complaints, 0);
	KT_EXPECT_EQ(t, why(4), RSN_ACPI);
}

/*
 * Issue 13 item 6: a table efimap has no name for is said to be unknown,
 * never guessed to be boot-time data (U-Boot's own table, 36122546-...);
 * one it knows as boot-time (the HOB list) is; and whether its pages are
 * freed is said as given.
 */
static void unknown_table_said_unknown(struct ktap_test *t)
{
	const struct handoff_guid uboot = {
		0x36122546, 0xf7ef, 0x4c8f, { 0xbd, 0x9b, 0xeb, 0x85, 0x25, 0xb5, 0x0c, 0x0b }
	};
	const struct handoff_guid hob = {
		0x7739f24c, 0x93d7, 0x11d4, { 0x9a, 0x3a, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d }
	};
	const struct handoff_guid esrt = {
		0xb122a263, 0x3661, 0x4f68, { 0x99, 0x29, 0x78, 0xf8, 0xb0, 0xd6, 0x21, 0x80 }
	};
	char line[192];

	KT_ASSERT(t, config_table_fate(line, sizeof(line), 3, &uboot, 0x7000, "Boot Data", true));
	KT_EXPECT(t, strstr(line, "36122546-f7ef-4c8f-bd9b-eb8525b50c0b") != NULL);
	KT_EXPECT(t, strstr(line, "unknown to efimap") != NULL);
	KT_EXPECT(t, strstr(line, "boot-time") == NULL);
	KT_EXPECT(t, strstr(line, "(Boot Data) are freed") != NULL);
	/* In memory that is not freed, it is still named unknown, and not freed. */
	KT_ASSERT(t,
		  config_table_fate(line, sizeof(line), 3, &uboot, 0x7000, "Runtime Data", false));
	KT_EXPECT(t, strstr(line, "unknown to efimap") != NULL);
	KT_EXPECT(t, strstr(line, "not freed") != NULL);
	KT_EXPECT(t, strstr(line, "are freed") == NULL);

	KT_ASSERT(t, config_table_fate(line, sizeof(line), 2, &hob, 0x8000, "Boot Data", true));
	KT_EXPECT(t, strstr(line, "HOB list") != NULL);
	KT_EXPECT(t, strstr(line, "boot-time data") != NULL);
	KT_EXPECT(t, strstr(line, "unknown") == NULL);
	/* Known boot-time data that stays anyway, and a kept kind that was kept: nothing to say. */
	KT_EXPECT(t, !config_table_fate(line, sizeof(line), 2, &hob, 0x8000, "ACPI NVS", false));
	KT_EXPECT(t, !config_table_fate(line, sizeof(line), 1, &esrt, 0x9000, "Boot Data", false));
	/* A kept kind that was freed after all is said, by name. */
	KT_ASSERT(t, config_table_fate(line, sizeof(line), 1, &esrt, 0x9000, "Boot Data", true));
	KT_EXPECT(t, strstr(line, "ESRT") != NULL && strstr(line, "did not keep") != NULL);
}

static const struct ktap_case live_tables_cases[] = {
	KTAP_CASE(tags_every_table_by_page),
	KTAP_CASE(hostile_headers_keep_one_page),
	KTAP_CASE(hostile_esrt_and_rt_properties),
	KTAP_CASE(hostile_smbios),
	KTAP_CASE(hostile_tpm_logs),
	KTAP_CASE(tcg_log_sizes),
	KTAP_CASE(unaccepted_units_never_read),
	KTAP_CASE(unknown_table_said_unknown),
	KTAP_CASE(device_tree_kept_whole),
};

KTAP_SUITE(live_tables_suite, "live_tables", live_tables_cases);
