// SPDX-License-Identifier: BSD-2-Clause
/*
 * memmap/validate.c: every check fires on the map that breaks its rule
 * (positive) and stays quiet on the one that does not (negative), at
 * desc_size 40, 48 and 64, and validation never writes to the map.
 */
#include "lib/printf.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"
#include "memmap/validate.h"

#define RAM MAPBUILD_RAM

static u64 storage[16 * 64 / 8];
static u64 snapshot[16 * 64 / 8];

struct seen {
	u32 n;
	struct mm_finding f[32];
};

static void collect(const struct mm_finding *f, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < ARRAY_SIZE(s->f))
		s->f[s->n] = *f;
	s->n++;
}

/* A clean map shaped like OVMF's, sorted, every rule kept. */
static void build_clean(struct memmap *map, u32 desc_size)
{
	mapbuild_ovmf_low(map, storage, desc_size, 16);
	mapbuild_put(map, 5, MM_ACPI_NVS, 0x800000, 0x8, RAM);
	mapbuild_put(map, 6, MM_RESERVED, 0xb0000000, 0x10000, 0);
	mapbuild_put(map, 7, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_UC | MM_ATTR_RUNTIME);
}

/* Validate and return how many findings of check there were (all in *s). */
static u32 run(const struct memmap *map, struct seen *s, struct mm_validation *v)
{
	s->n = 0;
	memmap_validate(map, collect, s, v);
	return s->n;
}

static const struct mm_finding *find(const struct seen *s, enum mm_check check)
{
	for (u32 i = 0; i < s->n && i < ARRAY_SIZE(s->f); i++)
		if (s->f[i].check == check)
			return &s->f[i];
	return NULL;
}

static void clean_map_has_no_findings(struct ktap_test *t)
{
	static const u32 sizes[] = { 40, 48, 64 };
	struct memmap map;
	struct mm_validation v;
	struct seen s;

	for (u32 k = 0; k < ARRAY_SIZE(sizes); k++) {
		build_clean(&map, sizes[k]);
		memcpy(snapshot, storage, sizeof(storage));
		KT_EXPECT_EQ(t, run(&map, &s, &v), 0);
		KT_EXPECT(t, v.sorted);
		KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR] + v.by_severity[MM_SEV_WARNING], 0);
		/* Validation never changes the map, junk bytes included. */
		KT_EXPECT(t, !memcmp(snapshot, storage, sizeof(storage)));
	}
}

/* Build the clean map, change entry i, expect exactly one finding of check on it. */
static void expect_one(struct ktap_test *t, u32 desc_size, u32 i, u32 type, u64 phys, u64 pages,
		       u64 attr, enum mm_check check, enum mm_severity sev)
{
	struct memmap map;
	struct mm_validation v;
	struct seen s;
	const struct mm_finding *f;

	build_clean(&map, desc_size);
	mapbuild_put(&map, i, type, phys, pages, attr);
	memcpy(snapshot, storage, sizeof(storage));
	run(&map, &s, &v);
	f = find(&s, check);
	if (!KT_EXPECT(t, f != NULL))
		return;
	KT_EXPECT_EQ(t, f->index, i);
	KT_EXPECT_EQ(t, f->severity, sev);
	KT_EXPECT_EQ(t, v.by_check[check], 1);
	KT_EXPECT(t, !memcmp(snapshot, storage, sizeof(storage)));
}

static void zero_pages(struct ktap_test *t)
{
	expect_one(t, 48, 5, MM_ACPI_NVS, 0x800000, 0, RAM, MM_CHECK_ZERO_PAGES, MM_SEV_WARNING);
}

static void unaligned_start(struct ktap_test *t)
{
	expect_one(t, 40, 5, MM_ACPI_NVS, 0x800010, 8, RAM, MM_CHECK_UNALIGNED, MM_SEV_ERROR);
}

static void overflow_past_2_64(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;

	/* Appended last so that the order stays sorted. */
	build_clean(&map, 48);
	mapbuild_put(&map, 8, MM_RESERVED, 0xfffffffffffff000ULL, 2, 0);
	run(&map, &s, NULL);
	KT_EXPECT(t, find(&s, MM_CHECK_OVERFLOW) != NULL);
	/* Ending exactly at 2^64 is legal. */
	mapbuild_put(&map, 8, MM_RESERVED, 0xfffffffffffff000ULL, 1, 0);
	run(&map, &s, NULL);
	KT_EXPECT(t, find(&s, MM_CHECK_OVERFLOW) == NULL);
	/* A page count whose byte size does not fit in 64 bits. */
	mapbuild_put(&map, 8, MM_RESERVED, 0x100000000000ULL, 1ULL << 60, 0);
	run(&map, &s, NULL);
	KT_EXPECT(t, find(&s, MM_CHECK_OVERFLOW) != NULL);
}

static void unknown_type_names_its_range(struct ktap_test *t)
{
	static const struct {
		u32 type;
		enum mm_severity sev;
		const char *words;
	} cases[] = {
		{ 16, MM_SEV_WARNING, "future UEFI versions" },
		{ 0x70000001, MM_SEV_INFO, "OEM range" },
		{ 0x80000005, MM_SEV_INFO, "OS loaders" },
	};
	struct memmap map;
	struct seen s;
	char line[256];

	for (u32 k = 0; k < ARRAY_SIZE(cases); k++) {
		expect_one(t, 48, 5, cases[k].type, 0x800000, 8, RAM, MM_CHECK_UNKNOWN_TYPE,
			   cases[k].sev);
		build_clean(&map, 48);
		mapbuild_put(&map, 5, cases[k].type, 0x800000, 8, RAM);
		run(&map, &s, NULL);
		mm_finding_format(line, sizeof(line), find(&s, MM_CHECK_UNKNOWN_TYPE), &map);
		KT_EXPECT(t, strstr(line, cases[k].words) != NULL);
	}
}

static void undefined_attribute_bits(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;
	const struct mm_finding *f;

	expect_one(t, 64, 4, MM_BOOT_DATA, 0x210000, 0x100, RAM | (1ULL << 21),
		   MM_CHECK_UNDEFINED_ATTR, MM_SEV_WARNING);
	build_clean(&map, 64);
	mapbuild_put(&map, 4, MM_BOOT_DATA, 0x210000, 0x100, RAM | (1ULL << 40) | (1ULL << 21));
	run(&map, &s, NULL);
	f = find(&s, MM_CHECK_UNDEFINED_ATTR);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->value, (1ULL << 40) | (1ULL << 21));
	/* Hot-pluggable (UEFI 2.11) and the ISA-specific bits are defined. */
	mapbuild_put(&map, 4, MM_BOOT_DATA, 0x210000, 0x100,
		     RAM | MM_ATTR_HOT_PLUGGABLE | MM_ATTR_ISA_VALID | (1ULL << 45));
	run(&map, &s, NULL);
	KT_EXPECT(t, find(&s, MM_CHECK_UNDEFINED_ATTR) == NULL);
}

static void runtime_on_wrong_type(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;

	expect_one(t, 48, 1, MM_CONVENTIONAL, 0x1000, 0x9f, RAM | MM_ATTR_RUNTIME,
		   MM_CHECK_RUNTIME_TYPE, MM_SEV_WARNING);
	/* Runtime data, MMIO and reserved may carry it. */
	build_clean(&map, 48);
	mapbuild_put(&map, 6, MM_RESERVED, 0xb0000000, 0x10000, MM_ATTR_UC | MM_ATTR_RUNTIME);
	run(&map, &s, NULL);
	KT_EXPECT(t, find(&s, MM_CHECK_RUNTIME_TYPE) == NULL);
}

static void runtime_not_64k_aligned_is_info(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;

	expect_one(t, 48, 3, MM_RUNTIME_DATA, 0x201000, 0x10, RAM | MM_ATTR_RUNTIME,
		   MM_CHECK_RUNTIME_ALIGN_64K, MM_SEV_INFO);
	/* An aligned start with a size that is not a multiple of 64 KiB counts too. */
	expect_one(t, 48, 3, MM_RUNTIME_DATA, 0x200000, 0x3, RAM | MM_ATTR_RUNTIME,
		   MM_CHECK_RUNTIME_ALIGN_64K, MM_SEV_INFO);
	/* The same placement without EFI_MEMORY_RUNTIME is no finding. */
	build_clean(&map, 48);
	mapbuild_put(&map, 3, MM_BOOT_DATA, 0x201000, 0x10, RAM);
	run(&map, &s, NULL);
	KT_EXPECT(t, find(&s, MM_CHECK_RUNTIME_ALIGN_64K) == NULL);
}

/*
 * U-Boot 2023.01's map under qemu-system-aarch64 -M virt -m 1G, as its UEFI
 * handed it to an application (as observed under QEMU), and one runtime
 * MMIO page as AAVMF maps the PL031 RTC.
 */
static void build_uboot_arm64(struct memmap *map)
{
	static const struct {
		u32 type;
		u64 phys, pages, attr;
	} e[] = {
		{ MM_CONVENTIONAL, 0x40000000, 0x7dfd, MM_ATTR_WB },
		{ MM_ACPI_RECLAIM, 0x47dfd000, 0x206, MM_ATTR_WB },
		{ MM_CONVENTIONAL, 0x48003000, 0x35d87, MM_ATTR_WB },
		{ MM_LOADER_CODE, 0x7dd8a000, 0x13, MM_ATTR_WB },
		{ MM_BOOT_DATA, 0x7dd9d000, 0x8, MM_ATTR_WB },
		{ MM_RUNTIME_DATA, 0x7dda5000, 0x2, MM_ATTR_WB | MM_ATTR_RUNTIME },
		{ MM_BOOT_DATA, 0x7dda7000, 0x1, MM_ATTR_WB },
		{ MM_RUNTIME_DATA, 0x7dda8000, 0x2, MM_ATTR_WB | MM_ATTR_RUNTIME },
		{ MM_BOOT_DATA, 0x7ddaa000, 0x1, MM_ATTR_WB },
		{ MM_RUNTIME_DATA, 0x7ddab000, 0x4, MM_ATTR_WB | MM_ATTR_RUNTIME },
		{ MM_BOOT_DATA, 0x7ddaf000, 0x7, MM_ATTR_WB },
		{ MM_BOOT_CODE, 0x7ddb6000, 0x213a, MM_ATTR_WB },
		{ MM_RUNTIME_CODE, 0x7fef0000, 0x10, MM_ATTR_WB | MM_ATTR_RUNTIME },
		{ MM_BOOT_CODE, 0x7ff00000, 0x100, MM_ATTR_WB },
		{ MM_MMIO, 0x80000000, 0x1, MM_ATTR_UC | MM_ATTR_RUNTIME },
	};

	memmap_init(map, storage, 40, 1, 0, 16);
	for (u32 i = 0; i < ARRAY_SIZE(e); i++)
		mapbuild_put(map, i, e[i].type, e[i].phys, e[i].pages, e[i].attr);
}

/*
 * UEFI 2.10 section 2.3.6: on AArch64 runtime memory comes in whole 64 KiB
 * pages. Worked by hand: entries 5, 7 and 9 start at 0x...5000, 0x...8000
 * and 0x...b000 and span 8, 8 and 16 KiB, so each breaks it; entry 12
 * (0x7fef0000, 16 pages = 64 KiB) keeps it; entry 14, a 4 KiB runtime MMIO
 * page at an aligned address, is device memory: info on both arches.
 */
static void runtime_align_by_arch(struct ktap_test *t)
{
	static const u32 bad[] = { 5, 7, 9 };
	struct memmap map;
	struct mm_validation v;
	struct seen s;
	const struct mm_finding *f;
	char text[240];

	build_uboot_arm64(&map);
	s.n = 0;
	memmap_validate_arch(&map, MM_ARCH_ARM64, collect, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_RUNTIME_ALIGN_64K], 4);
	KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR], 3);
	for (u32 k = 0, n = 0; k < s.n && k < ARRAY_SIZE(s.f); k++) {
		f = &s.f[k];
		if (f->check != MM_CHECK_RUNTIME_ALIGN_64K)
			continue;
		if (n < ARRAY_SIZE(bad)) {
			KT_EXPECT_EQ(t, f->index, bad[n]);
			KT_EXPECT_EQ(t, f->severity, MM_SEV_ERROR);
		} else {
			KT_EXPECT_EQ(t, f->index, 14);
			KT_EXPECT_EQ(t, f->severity, MM_SEV_INFO);
		}
		n++;
	}
	/* The error names the region: index, type and range as Linux prints it. */
	f = find(&s, MM_CHECK_RUNTIME_ALIGN_64K);
	if (KT_EXPECT(t, f != NULL)) {
		mm_finding_format(text, sizeof(text), f, &map);
		KT_EXPECT(t, strstr(text, "entry 5 (Runtime Data [0x7dda5000-0x7dda6fff], mem05)") ==
				     text);
		KT_EXPECT(t, strstr(text, "section 2.3.6") != NULL);
	}

	/* x86 has no such rule: the same four, all info. */
	s.n = 0;
	memmap_validate_arch(&map, MM_ARCH_X86, collect, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_RUNTIME_ALIGN_64K], 4);
	KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR], 0);

	/* An aligned start with a size that is not whole 64 KiB pages breaks it too. */
	mapbuild_put(&map, 12, MM_RUNTIME_CODE, 0x7fef0000, 0x11, MM_ATTR_WB | MM_ATTR_RUNTIME);
	mapbuild_put(&map, 13, MM_BOOT_CODE, 0x7ff01000, 0xff, MM_ATTR_WB);
	memmap_validate_arch(&map, MM_ARCH_ARM64, NULL, NULL, &v);
	KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR], 4);
	/* Reserved memory the firmware asks to be mapped at runtime counts as memory. */
	mapbuild_put(&map, 12, MM_RESERVED, 0x7fef0000, 0x11, MM_ATTR_WB | MM_ATTR_RUNTIME);
	memmap_validate_arch(&map, MM_ARCH_ARM64, NULL, NULL, &v);
	KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR], 4);
	/* Runtime MMIO port space is device memory like MMIO: info. */
	mapbuild_put(&map, 14, MM_MMIO_PORT, 0x80000000, 0x1, MM_ATTR_UC | MM_ATTR_RUNTIME);
	memmap_validate_arch(&map, MM_ARCH_ARM64, NULL, NULL, &v);
	KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR], 4);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_RUNTIME_ALIGN_64K], 5);
}

static void mmio_without_uc(struct ktap_test *t)
{
	expect_one(t, 48, 7, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_RUNTIME, MM_CHECK_MMIO_NO_UC,
		   MM_SEV_WARNING);
	expect_one(t, 40, 7, MM_MMIO_PORT, 0xffc00000, 0x400, MM_ATTR_WC, MM_CHECK_MMIO_NO_UC,
		   MM_SEV_WARNING);
}

static void ram_without_cacheability(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;

	expect_one(t, 48, 1, MM_CONVENTIONAL, 0x1000, 0x9f, 0, MM_CHECK_RAM_NO_CACHE,
		   MM_SEV_WARNING);
	expect_one(t, 48, 1, MM_CONVENTIONAL, 0x1000, 0x9f, MM_ATTR_XP, MM_CHECK_RAM_NO_CACHE,
		   MM_SEV_WARNING);
	/* Reserved ranges with attr=0 are common and not memory to map. */
	build_clean(&map, 48);
	KT_EXPECT_EQ(t, run(&map, &s, NULL), 0);
}

static void descriptor_version(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;
	const struct mm_finding *f;

	build_clean(&map, 48);
	map.desc_version = 2;
	KT_EXPECT_EQ(t, run(&map, &s, NULL), 1);
	f = find(&s, MM_CHECK_DESC_VERSION);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->index, MM_NO_INDEX);
	KT_EXPECT_EQ(t, f->value, 2);
}

/* Write a descriptor at a stride that leaves it unaligned. */
static void put_packed(struct memmap *map, u32 i, u32 type, u64 phys, u64 pages)
{
	struct mm_desc md = { .type = type, .phys_addr = phys, .num_pages = pages, .attribute = RAM };

	memcpy((u8 *)map->base + (size_t)i * map->desc_size, &md, sizeof(md));
}

static void descriptor_size(struct ktap_test *t)
{
	struct memmap map;
	struct mm_validation v;
	struct seen s;

	/* Too small: reported alone, no descriptor is read. */
	build_clean(&map, 48);
	map.desc_size = 32;
	KT_EXPECT_EQ(t, run(&map, &s, &v), 1);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_DESC_SIZE], 1);
	KT_EXPECT_EQ(t, s.f[0].severity, MM_SEV_ERROR);
	/* 44 is readable but leaves the 64-bit fields unaligned: reported, entries still checked. */
	memmap_init(&map, storage, 44, 1, 2, 16);
	put_packed(&map, 0, MM_CONVENTIONAL, 0x0, 0x10);
	put_packed(&map, 1, MM_CONVENTIONAL, 0x10000, 0);
	run(&map, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_DESC_SIZE], 1);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_ZERO_PAGES], 1);
	KT_EXPECT_EQ(t, s.n, 2);
}

static void trailing_all_zero_descriptors(struct ktap_test *t)
{
	struct memmap map;
	struct mm_validation v;
	struct seen s;
	const struct mm_finding *f;

	build_clean(&map, 48);
	for (u32 i = 8; i < 11; i++) {
		mapbuild_put(&map, i, 0, 0, 0, 0);
		memset(memmap_desc(&map, i), 0, 48);
	}
	run(&map, &s, &v);
	f = find(&s, MM_CHECK_TRAILING_ZERO);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->index, 8);
	KT_EXPECT_EQ(t, f->other, 3);
	/* Not also reported as zero-page entries or as going backwards. */
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_ZERO_PAGES], 0);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_UNSORTED], 0);
	KT_EXPECT_EQ(t, s.n, 1);
	/* An all-zero descriptor followed by a real one is a zero-page entry instead. */
	mapbuild_put(&map, 11, MM_RESERVED, 0xfee00000, 1, MM_ATTR_UC);
	run(&map, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_TRAILING_ZERO], 0);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_ZERO_PAGES], 3);
}

static void unsorted_skips_order_checks(struct ktap_test *t)
{
	struct memmap map;
	struct mm_validation v;
	struct seen s;
	const struct mm_finding *f;

	build_clean(&map, 48);
	/* RAM above 4 GiB listed before the PCIe window, as OVMF does at 8G, plus an overlap. */
	mapbuild_put(&map, 6, MM_CONVENTIONAL, 0x100000000ULL, 0x40000, RAM);
	mapbuild_put(&map, 7, MM_RESERVED, 0xb0000000, 0x10000, 0);
	mapbuild_put(&map, 8, MM_BOOT_DATA, 0x220000, 0x10, RAM);
	run(&map, &s, &v);
	KT_EXPECT(t, !v.sorted);
	f = find(&s, MM_CHECK_UNSORTED);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->index, 7);
	KT_EXPECT_EQ(t, f->other, 6);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_UNSORTED], 1);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_OVERLAP], 0);
	KT_EXPECT(t, !mm_check_needs_order(MM_CHECK_UNSORTED));
	KT_EXPECT(t, mm_check_needs_order(MM_CHECK_OVERLAP));
}

static void overlap_with_any_earlier_entry(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;
	struct mm_validation v;
	const struct mm_finding *f;

	build_clean(&map, 48);
	/* Entry 4 covers 0x210000-0x30ffff; entry 5 starts inside it. */
	mapbuild_put(&map, 5, MM_ACPI_NVS, 0x300000, 0x8, RAM);
	run(&map, &s, &v);
	f = find(&s, MM_CHECK_OVERLAP);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->index, 5);
	KT_EXPECT_EQ(t, f->other, 4);
	KT_EXPECT_EQ(t, f->value, 0x10000);
	/* A big entry swallowing two later ones: both overlap it, not each other. */
	memmap_init(&map, storage, 48, 1, 0, 16);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 0x0, 0x100, RAM);
	mapbuild_put(&map, 1, MM_BOOT_DATA, 0x10000, 0x10, RAM);
	mapbuild_put(&map, 2, MM_BOOT_DATA, 0x40000, 0x10, RAM);
	run(&map, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_OVERLAP], 2);
	KT_EXPECT_EQ(t, s.f[1].other, 0);
	/* Touching is not overlapping. */
	mapbuild_put(&map, 1, MM_BOOT_DATA, 0x100000, 0x10, RAM);
	mapbuild_put(&map, 2, MM_BOOT_DATA, 0x110000, 0x10, MM_ATTR_WB);
	run(&map, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_OVERLAP], 0);
}

static void mergeable_neighbours(struct ktap_test *t)
{
	struct memmap map;
	struct seen s;
	struct mm_validation v;
	const struct mm_finding *f;

	build_clean(&map, 48);
	/* Entry 5 continues entry 4 exactly: same type, same attributes. */
	mapbuild_put(&map, 5, MM_BOOT_DATA, 0x310000, 0x8, RAM);
	run(&map, &s, &v);
	f = find(&s, MM_CHECK_MERGEABLE);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->index, 5);
	KT_EXPECT_EQ(t, f->other, 4);
	KT_EXPECT_EQ(t, f->severity, MM_SEV_INFO);
	/* Different attributes: not mergeable. */
	mapbuild_put(&map, 5, MM_BOOT_DATA, 0x310000, 0x8, MM_ATTR_WB);
	run(&map, &s, &v);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_MERGEABLE], 0);
}

static void every_check_has_a_name_and_text(struct ktap_test *t)
{
	struct memmap map;
	char line[256];

	build_clean(&map, 48);
	for (u32 c = 0; c < MM_NR_CHECKS; c++) {
		struct mm_finding f = { .check = c, .index = 1, .other = 0, .value = 0x1234 };

		KT_EXPECT(t, strcmp(mm_check_name(c), "unknown-check") != 0);
		for (u32 d = 0; d < c; d++)
			KT_EXPECT(t, strcmp(mm_check_name(c), mm_check_name(d)) != 0);
		KT_EXPECT(t, mm_finding_format(line, sizeof(line), &f, &map) > 10);
		KT_EXPECT(t, strstr(line, "finding ") != line);
	}
	KT_EXPECT_STREQ(t, mm_severity_name(MM_SEV_ERROR), "error");
}

static const struct ktap_case validate_cases[] = {
	KTAP_CASE(clean_map_has_no_findings),
	KTAP_CASE(zero_pages),
	KTAP_CASE(unaligned_start),
	KTAP_CASE(overflow_past_2_64),
	KTAP_CASE(unknown_type_names_its_range),
	KTAP_CASE(undefined_attribute_bits),
	KTAP_CASE(runtime_on_wrong_type),
	KTAP_CASE(runtime_not_64k_aligned_is_info),
	KTAP_CASE(runtime_align_by_arch),
	KTAP_CASE(mmio_without_uc),
	KTAP_CASE(ram_without_cacheability),
	KTAP_CASE(descriptor_version),
	KTAP_CASE(descriptor_size),
	KTAP_CASE(trailing_all_zero_descriptors),
	KTAP_CASE(unsorted_skips_order_checks),
	KTAP_CASE(overlap_with_any_earlier_entry),
	KTAP_CASE(mergeable_neighbours),
	KTAP_CASE(every_check_has_a_name_and_text),
};

KTAP_SUITE(validate_suite, "validate", validate_cases);
