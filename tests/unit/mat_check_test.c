// SPDX-License-Identifier: BSD-2-Clause
/*
 * memmap/mat_check.c: every memory attributes table rule of UEFI 2.10
 * section 4.6.4 fires on a hand-built table that breaks it and stays quiet
 * on one that keeps it, at DescriptorSize 40, 48 and 64 (the bytes past
 * the descriptor are junk, so a check stepping by 40 reads garbage).
 */
#include "lib/printf.h"
#include "lib/string.h"
#include "memmap/mat_check.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#define RAM MAPBUILD_RAM
#define RT  MM_ATTR_RUNTIME

static u64 map_storage[16 * 64 / 8];
static u64 mat_storage[(16 + 16 * 64) / 8];

struct mat_seen {
	u32 n;
	struct mm_mat_finding f[16];
};

static void collect(const struct mm_mat_finding *f, void *ctx)
{
	struct mat_seen *s = ctx;

	if (s->n < ARRAY_SIZE(s->f))
		s->f[s->n] = *f;
	s->n++;
}

/*
 * The map the tables belong to: OVMF's low memory, plus a Runtime Code
 * region of 0x20 pages at 0x300000 (as PE images are loaded) and Boot Data
 * after it.
 */
static void build_map(struct memmap *map)
{
	mapbuild_ovmf_low(map, map_storage, 48, 16);
	mapbuild_put(map, 5, MM_RUNTIME_CODE, 0x300000, 0x20, RAM | RT);
	mapbuild_put(map, 6, MM_BOOT_DATA, 0x320000, 0x10, RAM);
}

/* A table of n entries at desc_size over mat_storage; returns its size in bytes. */
static u64 mat_begin(u32 version, u32 n, u32 desc_size)
{
	struct mm_mat_header h = { .version = version, .nr_entries = n, .desc_size = desc_size };

	memset(mat_storage, MAPBUILD_JUNK, sizeof(mat_storage));
	memcpy(mat_storage, &h, sizeof(h));
	return MM_MAT_HEADER_SIZE + (u64)n * desc_size;
}

static void mat_put(u32 desc_size, u32 i, u32 type, u64 phys, u64 pages, u64 attr)
{
	struct mm_desc md = {
		.type = type, .phys_addr = phys, .num_pages = pages, .attribute = attr
	};

	memcpy((u8 *)mat_storage + MM_MAT_HEADER_SIZE + (size_t)i * desc_size, &md, sizeof(md));
}

/*
 * The clean table: the Runtime Code region split as EDK II splits a PE
 * image, header and data RO|XP... text RO, data XP, each page once.
 */
static u64 build_clean_mat(u32 version, u32 desc_size)
{
	u64 size = mat_begin(version, 3, desc_size);

	mat_put(desc_size, 0, MM_RUNTIME_CODE, 0x300000, 0x1, MM_ATTR_XP | RT);
	mat_put(desc_size, 1, MM_RUNTIME_CODE, 0x301000, 0x1c, MM_ATTR_RO | RT);
	mat_put(desc_size, 2, MM_RUNTIME_DATA, 0x31d000, 0x3, MM_ATTR_XP | RT);
	return size;
}

static u32 run(u64 size, const struct memmap *map, struct mat_seen *s, struct mm_mat_validation *v)
{
	s->n = 0;
	mm_mat_validate(mat_storage, size, map, collect, s, v);
	return s->n;
}

static const struct mm_mat_finding *find(const struct mat_seen *s, enum mm_mat_check check)
{
	for (u32 i = 0; i < s->n && i < ARRAY_SIZE(s->f); i++)
		if (s->f[i].check == check)
			return &s->f[i];
	return NULL;
}

static void clean_table_has_no_findings(struct ktap_test *t)
{
	static const u32 sizes[] = { 40, 48, 64 };
	struct mm_mat_validation v;
	struct mat_seen s;
	struct memmap map;

	build_map(&map);
	for (u32 k = 0; k < ARRAY_SIZE(sizes); k++)
		for (u32 version = 1; version <= 2; version++) {
			u64 size = build_clean_mat(version, sizes[k]);

			KT_EXPECT_EQ(t, run(size, &map, &s, &v), 0);
			KT_EXPECT(t, v.usable);
		}
}

static void header_rules(struct ktap_test *t)
{
	struct mm_mat_validation v;
	struct mat_seen s;
	struct memmap map;
	u64 size;

	build_map(&map);
	/* Shorter than the header: nothing else can be read. */
	size = build_clean_mat(1, 48);
	KT_EXPECT_EQ(t, run(15, &map, &s, &v), 1);
	KT_EXPECT(t, s.f[0].check == MM_MAT_UNUSABLE && s.f[0].other == MM_MAT_SHORT);
	KT_EXPECT_EQ(t, s.f[0].value, 15);
	KT_EXPECT(t, !v.usable && s.f[0].severity == MM_SEV_ERROR);
	/* Version: 1 and 2 are defined (2.10 adds Flags), 0 and 3 are not. */
	for (u32 version = 0; version <= 3; version += 3) {
		size = build_clean_mat(version, 48);
		KT_EXPECT_EQ(t, run(size, &map, &s, &v), 1);
		KT_EXPECT(t, s.f[0].other == MM_MAT_VERSION && s.f[0].value == version);
	}
	/* DescriptorSize below the 40-byte descriptor, or not a multiple of 8. */
	size = mat_begin(1, 3, 32);
	KT_EXPECT_EQ(t, run(size, &map, &s, &v), 1);
	KT_EXPECT(t, s.f[0].other == MM_MAT_DESC_SIZE && s.f[0].value == 32);
	size = mat_begin(1, 3, 44);
	KT_EXPECT_EQ(t, run(size, &map, &s, &v), 1);
	KT_EXPECT(t, s.f[0].other == MM_MAT_DESC_SIZE && s.f[0].value == 44);
	/* 16 + 3 x 48 = 160 bytes: one more or one less is a size mismatch. */
	size = build_clean_mat(2, 48);
	KT_EXPECT_EQ(t, size, 160);
	KT_EXPECT_EQ(t, run(161, &map, &s, &v), 1);
	KT_EXPECT(t, s.f[0].other == MM_MAT_SIZE && s.f[0].value == 161);
	KT_EXPECT_EQ(t, run(159, &map, &s, &v), 1);
	KT_EXPECT(t, s.f[0].other == MM_MAT_SIZE && !v.usable);
	/* A huge NumberOfEntries is a size mismatch, not a read past the buffer. */
	size = mat_begin(1, 0xffffffffu, 48);
	KT_EXPECT_EQ(t, run(160, &map, &s, &v), 1);
	KT_EXPECT(t, s.f[0].other == MM_MAT_SIZE);
	KT_EXPECT_EQ(t, run(0, &map, &s, NULL), 1);
	/* No table at all is a short one. */
	s.n = 0;
	mm_mat_validate(NULL, 0, &map, collect, &s, &v);
	KT_EXPECT(t, s.n == 1 && s.f[0].other == MM_MAT_SHORT);
}

static void entry_with_neither_ro_nor_xp(struct ktap_test *t)
{
	static const u32 sizes[] = { 40, 48, 64 };
	struct mm_mat_validation v;
	struct mat_seen s;
	struct memmap map;

	build_map(&map);
	for (u32 k = 0; k < ARRAY_SIZE(sizes); k++) {
		u64 size = build_clean_mat(1, sizes[k]);
		const struct mm_mat_finding *f;

		/* RUNTIME alone says nothing about permissions: the OS maps RWX. */
		mat_put(sizes[k], 1, MM_RUNTIME_CODE, 0x301000, 0x1c, RT);
		KT_EXPECT_EQ(t, run(size, &map, &s, &v), 1);
		f = find(&s, MM_MAT_NO_RO_XP);
		KT_EXPECT(t, f && f->index == 1 && f->severity == MM_SEV_WARNING);
		KT_EXPECT_EQ(t, v.by_severity[MM_SEV_WARNING], 1);
		/* Either bit alone is enough. */
		mat_put(sizes[k], 1, MM_RUNTIME_CODE, 0x301000, 0x1c, MM_ATTR_RO | RT);
		KT_EXPECT_EQ(t, run(size, &map, &s, &v), 0);
		mat_put(sizes[k], 1, MM_RUNTIME_CODE, 0x301000, 0x1c, MM_ATTR_XP | RT);
		KT_EXPECT_EQ(t, run(size, &map, &s, &v), 0);
	}
}

static void entry_types(struct ktap_test *t)
{
	struct mat_seen s;
	struct memmap map;
	u64 size;

	build_map(&map);
	size = build_clean_mat(1, 48);
	mat_put(48, 0, MM_BOOT_DATA, 0x300000, 0x1, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	KT_EXPECT(t, s.f[0].check == MM_MAT_TYPE && s.f[0].index == 0 && s.f[0].value == 4);
	KT_EXPECT(t, s.f[0].severity == MM_SEV_ERROR);
	/* MMIO is a runtime type of the map, but not one the table may hold. */
	mat_put(48, 0, MM_MMIO, 0x300000, 0x1, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	KT_EXPECT_EQ(t, s.f[0].value, MM_MMIO);
	mat_put(48, 0, MM_RUNTIME_DATA, 0x300000, 0x1, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 0);
}

static void unaligned_entry(struct ktap_test *t)
{
	struct mat_seen s;
	struct memmap map;
	u64 size;

	build_map(&map);
	size = build_clean_mat(1, 48);
	mat_put(48, 2, MM_RUNTIME_DATA, 0x31d800, 0x2, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	KT_EXPECT(t, s.f[0].check == MM_MAT_UNALIGNED && s.f[0].index == 2);
	KT_EXPECT_EQ(t, s.f[0].value, 0x31d800);
	KT_EXPECT(t, s.f[0].severity == MM_SEV_ERROR);
}

static void entry_outside_runtime_regions(struct ktap_test *t)
{
	const struct mm_mat_finding *f;
	struct mat_seen s;
	struct memmap map;
	u64 size;

	build_map(&map);
	size = build_clean_mat(1, 48);
	/* In Boot Data (map entry 6), which has no EFI_MEMORY_RUNTIME. */
	mat_put(48, 2, MM_RUNTIME_DATA, 0x320000, 0x2, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	f = find(&s, MM_MAT_OUTSIDE_RUNTIME);
	KT_EXPECT(t, f && f->index == 2 && f->other == 6 && f->value == 0x320000);
	KT_EXPECT(t, f && f->severity == MM_SEV_ERROR);
	/* Starting inside the runtime region but running one page past its end. */
	mat_put(48, 2, MM_RUNTIME_DATA, 0x31d000, 0x4, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	f = find(&s, MM_MAT_OUTSIDE_RUNTIME);
	KT_EXPECT(t, f && f->other == 5);
	/* Where the map has no entry at all. */
	mat_put(48, 2, MM_RUNTIME_DATA, 0x40000000, 0x1, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	KT_EXPECT(t, s.f[0].check == MM_MAT_OUTSIDE_RUNTIME && s.f[0].other == MM_NO_INDEX);
	/* Without a map the check cannot run, and says nothing. */
	KT_EXPECT_EQ(t, run(size, NULL, &s, NULL), 0);
	/* Inside the Runtime Data region of the low map (entry 3) is fine. */
	mat_put(48, 2, MM_RUNTIME_DATA, 0x200000, 0x10, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 0);
}

static void overlapping_entries(struct ktap_test *t)
{
	struct mat_seen s;
	struct memmap map;
	u64 size;

	build_map(&map);
	size = build_clean_mat(1, 64);
	/* Entry 2 starts one page inside entry 1 (0x301000 + 0x1c pages = 0x31d000). */
	mat_put(64, 2, MM_RUNTIME_DATA, 0x31c000, 0x4, MM_ATTR_XP | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 1);
	KT_EXPECT(t, s.f[0].check == MM_MAT_OVERLAP && s.f[0].index == 2 && s.f[0].other == 1);
	KT_EXPECT_EQ(t, s.f[0].value, 0x1000);
	KT_EXPECT(t, s.f[0].severity == MM_SEV_ERROR);
	/* Out of order: the later entry lies wholly inside the first. */
	size = build_clean_mat(1, 40);
	mat_put(40, 0, MM_RUNTIME_CODE, 0x300000, 0x20, MM_ATTR_RO | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 2);
	KT_EXPECT(t, s.f[0].index == 1 && s.f[0].other == 0 && s.f[0].value == 0x1c000);
	KT_EXPECT(t, s.f[1].index == 2 && s.f[1].other == 0 && s.f[1].value == 0x3000);
	/* Adjacent entries share no page; an empty entry overlaps nothing. */
	size = build_clean_mat(1, 40);
	mat_put(40, 0, MM_RUNTIME_CODE, 0x301000, 0, MM_ATTR_RO | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 0);
}

static void names_and_messages(struct ktap_test *t)
{
	static const char *const names[MM_NR_MAT_CHECKS] = {
		"mat-unusable",	 "mat-no-ro-xp",	"mat-type",
		"mat-unaligned", "mat-outside-runtime", "mat-overlap",
	};
	struct mat_seen s;
	struct memmap map;
	char buf[320];
	u64 size;

	for (u32 c = 0; c < MM_NR_MAT_CHECKS; c++)
		KT_EXPECT_STREQ(t, mm_mat_check_name((enum mm_mat_check)c), names[c]);
	build_map(&map);
	/* One finding of every entry check at once, each message citing 4.6.4. */
	size = mat_begin(2, 3, 48);
	mat_put(48, 0, MM_BOOT_CODE, 0x320800, 0x1, RT);
	mat_put(48, 1, MM_RUNTIME_CODE, 0x300000, 0x2, MM_ATTR_RO | RT);
	mat_put(48, 2, MM_RUNTIME_CODE, 0x301000, 0x1, MM_ATTR_RO | RT);
	KT_EXPECT_EQ(t, run(size, &map, &s, NULL), 5);
	for (u32 i = 0; i < s.n && i < ARRAY_SIZE(s.f); i++) {
		mm_mat_finding_format(buf, sizeof(buf), &s.f[i], mat_storage, &map);
		KT_EXPECT(t, strstr(buf, "UEFI 2.10 section 4.6.4") != NULL);
		KT_EXPECT(t, strstr(buf, "MAT entry") != NULL);
	}
	mm_mat_finding_format(buf, sizeof(buf), &s.f[4], mat_storage, &map);
	KT_EXPECT(t, strstr(buf, "MAT entry 2 (Runtime Code [0x301000-0x301fff], RO RUN) "
				 "overlaps MAT entry 1 (Runtime Code [0x300000-0x301fff], RO RUN) "
				 "by 0x1000 bytes") != NULL);
	mm_mat_finding_format(buf, sizeof(buf), &s.f[3], mat_storage, &map);
	KT_EXPECT(t, strstr(buf, "its start is in map entry 6 (Boot Data [0x320000-0x32ffff], "
				 "mem06)") != NULL);
	KT_EXPECT_EQ(t, run(size + 1, &map, &s, NULL), 1);
	mm_mat_finding_format(buf, sizeof(buf), &s.f[0], mat_storage, &map);
	KT_EXPECT(t,
		  strstr(buf, "161 bytes, but its header says 16 + 3 entries x 48 bytes = 160") !=
			  NULL);
}

static const struct ktap_case mat_check_cases[] = {
	KTAP_CASE(clean_table_has_no_findings),
	KTAP_CASE(header_rules),
	KTAP_CASE(entry_with_neither_ro_nor_xp),
	KTAP_CASE(entry_types),
	KTAP_CASE(unaligned_entry),
	KTAP_CASE(entry_outside_runtime_regions),
	KTAP_CASE(overlapping_entries),
	KTAP_CASE(names_and_messages),
};

KTAP_SUITE(mat_check_suite, "mat_check", mat_check_cases);
