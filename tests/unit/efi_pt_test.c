// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel/pt.c and kernel/efi_pt.c on synthetic inputs: mapping at
 * an address other than the physical one, 2 MiB pages and their splits,
 * unmapping (idempotent), the W+X audit, and the EFI tables for an
 * OVMF-like map with and without a memory attributes table. Tables are
 * built in a static pool; a table's address is its pointer (physical in
 * the identity-mapped guest, a plain address on the host).
 *
 * Built twice on the host: with x86's descriptors (build/unit-tests) and
 * with arm64's (-DEFIMAP_PTE_ARM64, build/unit-tests-pte-arm64), whose
 * window is in the lower half as on arm64 (seed 002). The expectations are
 * the same rules for both; tests/unit/pte_arm64_test.c checks the arm64
 * bits themselves.
 */
#include "kernel/efi_pt.h"
#include "kernel/pgtable_size.h"
#include "memmap/layout.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/randmap.h"
#include "tests/unit/suites.h"

#define POOL_PAGES 256u
#ifdef EFIMAP_PTE_ARM64
#define WIN (1ULL << 40) /* a lower-half window above every test map (TTBR0 on arm64) */
#else
#define WIN MM_VA_WINDOW_BASE
#endif

static u8 pool_mem[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static u64 map_storage[64 * 64 / 8];
static u64 mat_storage[(16 + 8 * 48) / 8];

static struct pt_pool fresh_pool(u64 pages)
{
	return (struct pt_pool){ (u64)(uintptr_t)pool_mem, pages, 0 };
}

static void map_elsewhere_and_look_up(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	u64 *pml4 = pt_pool_alloc(&p);
	struct pt_lookup l;

	KT_ASSERT(t, pml4);
	/* 4 MiB, both sides 2 MiB aligned: two 2 MiB pages in the window. */
	KT_ASSERT(t, !pt_map(&p, pml4, WIN + SZ_2M, 0x40000000, 2 * SZ_2M,
			     PT_VALID | PT_WRITE | PT_NOEXEC));
	l = pt_lookup(pml4, WIN + SZ_2M + 0x1234);
	KT_EXPECT(t, l.present && l.writable && !l.executable);
	KT_EXPECT_EQ(t, l.page_size, SZ_2M);
	KT_EXPECT_EQ(t, l.phys, 0x40001234);
	KT_EXPECT_EQ(t, pt_lookup(pml4, WIN + 3 * SZ_2M - 1).phys, 0x403fffff);
	KT_EXPECT(t, !pt_lookup(pml4, WIN + 3 * SZ_2M).present);
	KT_EXPECT(t, !pt_lookup(pml4, 0x40000000).present); /* nothing 1:1 */
	/* Congruent but not aligned: 4 KiB pages, read-only and executable. */
	KT_ASSERT(t, !pt_map(&p, pml4, WIN + 0x1000, 0x5000, 3 * PAGE_SIZE, PT_VALID));
	l = pt_lookup(pml4, WIN + 0x3fff);
	KT_EXPECT(t, l.present && !l.writable && l.executable);
	KT_EXPECT_EQ(t, l.page_size, PAGE_SIZE);
	KT_EXPECT_EQ(t, l.phys, 0x7fff);
	KT_EXPECT(t, !pt_lookup(pml4, WIN + 0x4000).present);
	/* One page inside a 2 MiB page: split, the other 511 keep phys and flags. */
	KT_ASSERT(t, !pt_map(&p, pml4, WIN + SZ_2M + 0x1000, 0x9000, PAGE_SIZE,
			     PT_VALID | PT_UNCACHED));
	l = pt_lookup(pml4, WIN + SZ_2M + 0x1000);
	KT_EXPECT(t, l.present && !l.writable && l.uncached);
	KT_EXPECT_EQ(t, l.phys, 0x9000);
	l = pt_lookup(pml4, WIN + SZ_2M + 0x2000);
	KT_EXPECT(t, l.present && l.writable && !l.executable && !l.uncached);
	KT_EXPECT_EQ(t, l.page_size, PAGE_SIZE);
	KT_EXPECT_EQ(t, l.phys, 0x40002000);
	/* A pool that runs dry is an error, not a write past its end. */
	p = fresh_pool(2);
	pml4 = pt_pool_alloc(&p);
	KT_EXPECT_EQ(t, pt_map(&p, pml4, WIN, 0, PAGE_SIZE, PT_VALID), -1);
	KT_EXPECT_EQ(t, p.used, 2);
}

static void unmap_is_exact_and_idempotent(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	u64 *pml4 = pt_pool_alloc(&p);

	KT_ASSERT(t, pml4);
	KT_ASSERT(t, !pt_map(&p, pml4, 0x200000, 0x200000, 3 * SZ_2M,
			     PT_VALID | PT_WRITE | PT_NOEXEC));
	/* A whole 2 MiB page, then a piece of the next: only those go. */
	KT_EXPECT_EQ(t, pt_unmap(&p, pml4, 0x200000, SZ_2M + 0x3000), 0);
	KT_EXPECT(t, !pt_lookup(pml4, 0x200000).present);
	KT_EXPECT(t, !pt_lookup(pml4, 0x3fffff).present);
	KT_EXPECT(t, !pt_lookup(pml4, 0x402fff).present);
	KT_EXPECT(t, pt_lookup(pml4, 0x403000).present);
	KT_EXPECT(t, pt_lookup(pml4, 0x600000).present);
	/* Again, and over ranges never mapped (a whole empty 1 GiB too): no change, no error. */
	KT_EXPECT_EQ(t, pt_unmap(&p, pml4, 0x200000, SZ_2M + 0x3000), 0);
	KT_EXPECT_EQ(t, pt_unmap(&p, pml4, 0x80000000, SZ_1G + SZ_2M), 0);
	KT_EXPECT(t, pt_lookup(pml4, 0x403000).present);
	KT_EXPECT_EQ(t, pt_count_wx(pml4, true).leaves, 512 - 3 + 1);
}

static void wx_audit_counts_what_it_should(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	u64 *pml4 = pt_pool_alloc(&p);
	struct pt_wx w;

	KT_ASSERT(t, pml4);
	KT_ASSERT(t, !pt_map(&p, pml4, 0x1000, 0x1000, PAGE_SIZE, PT_VALID | PT_WRITE | PT_NOEXEC));
	KT_ASSERT(t, !pt_map(&p, pml4, 0x2000, 0x2000, PAGE_SIZE, PT_VALID));
	w = pt_count_wx(pml4, true);
	KT_EXPECT_EQ(t, w.leaves, 2);
	KT_EXPECT_EQ(t, w.wx_leaves, 0);
	/* One W+X 4 KiB page in the window, and a W+X 2 MiB page: both found. */
	KT_ASSERT(t, !pt_map(&p, pml4, WIN + 0x5000, 0x5000, PAGE_SIZE, PT_VALID | PT_WRITE));
	KT_ASSERT(t, !pt_map(&p, pml4, 0x40000000, 0x40000000, SZ_2M, PT_VALID | PT_WRITE));
	w = pt_count_wx(pml4, true);
	KT_EXPECT_EQ(t, w.leaves, 4);
	KT_EXPECT_EQ(t, w.wx_leaves, 2);
	KT_EXPECT_EQ(t, w.wx_first, 0x40000000);
	/* Without NX (EFER.NXE off) every writable page is executable. */
	KT_EXPECT_EQ(t, pt_count_wx(pml4, false).wx_leaves, 3);
	/* NX or read-only at an upper level covers everything below it. */
	pml4[(WIN >> 39) & 511] |= PTE_TABLE_NOEXEC;
	KT_EXPECT_EQ(t, pt_count_wx(pml4, true).wx_leaves, 1);
#ifdef EFIMAP_PTE_ARM64
	pml4[0] |= ARM_AP_TABLE_RO; /* APTable[1]: no writes below */
#else
	pml4[0] &= ~PTE_W;
#endif
	w = pt_count_wx(pml4, true);
	KT_EXPECT_EQ(t, w.wx_leaves, 0);
	KT_EXPECT_EQ(t, w.leaves, 4);
}

/* An OVMF-like map: page 0, RAM, the loader, runtime data/code, boot data, flash MMIO. */
static void ovmf_map(struct memmap *map)
{
	mapbuild_ovmf_low(map, map_storage, 48, 64);
	mapbuild_put(map, 5, MM_BOOT_CODE, 0x310000, 0x20, MAPBUILD_RAM);
	mapbuild_put(map, 6, MM_RUNTIME_CODE, 0x1f5ec000, 0x100, MAPBUILD_RAM | MM_ATTR_RUNTIME);
	mapbuild_put(map, 7, MM_CONVENTIONAL, 0x1f6ec000, 0x10, MAPBUILD_RAM);
	mapbuild_put(map, 8, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_UC | MM_ATTR_RUNTIME);
}

/* Runtime code [0x1f5ec000, +0x100 pages): header data, code, data, as OVMF splits an image. */
static const struct efi_mat_header *ovmf_mat(u64 code_attr)
{
	struct efi_mat_header *h = (void *)mat_storage;
	struct memmap m;

	h->version = 1;
	h->desc_size = 48;
	h->flags = 0;
	memmap_init(&m, h + 1, 48, 1, 0, 8);
	mapbuild_put(&m, 0, MM_RUNTIME_CODE, 0x1f5ec000, 0x4, MM_ATTR_RUNTIME | MM_ATTR_XP);
	mapbuild_put(&m, 1, MM_RUNTIME_CODE, 0x1f5f0000, 0x20, MM_ATTR_RUNTIME | code_attr);
	mapbuild_put(&m, 2, MM_RUNTIME_CODE, 0x1f610000, 0xdc, MM_ATTR_RUNTIME | MM_ATTR_XP);
	mapbuild_put(&m, 3, MM_RUNTIME_DATA, 0x200000, 0x10, MM_ATTR_RUNTIME | MM_ATTR_XP);
	/* One entry no runtime region holds: ignored. */
	mapbuild_put(&m, 4, MM_RUNTIME_DATA, 0x1f6ec000, 0x1, MM_ATTR_RUNTIME | MM_ATTR_XP);
	h->nr_entries = m.nr_map;
	return h;
}

static struct efi_pt_input ovmf_input(struct memmap *map, const struct efi_mat_header *mat)
{
	return (struct efi_pt_input){
		.map = map,
		.mat = mat,
		.text_start = 0x101000,
		.text_end = 0x108800, /* not page aligned: rounded out */
		.rodata_start = 0x109000,
		.rodata_end = 0x10b000,
		.guard_page = 0x120000,
		.nx = true,
	};
}

/* The audit's excuse: what efi_pt.c says the firmware forces (checked page by page above). */
static bool excuse(u64 va, u64 size, const void *ctx)
{
	return efi_pt_forced_wx(ctx, va, size);
}

/* Make MAT entry i cover nothing (a zero-page entry matches no address). */
static void memmap_desc_fill_zero(struct efi_mat_header *mat, u32 i)
{
	struct mm_desc *m = (struct mm_desc *)((u8 *)(mat + 1) + (size_t)i * mat->desc_size);

	m->num_pages = 0;
}

/* Expectation for one page, written out by hand from the rules in efi_pt.h. */
static void expect_page(struct ktap_test *t, const u64 *pml4, u64 va, u64 pa, bool w, bool x,
			bool uc)
{
	struct pt_lookup l = pt_lookup(pml4, va);

	if (!ktap_check(t, l.present, __FILE__, __LINE__, "0x%llx not mapped",
			(unsigned long long)va))
		return;
	ktap_check(t, l.phys == pa && l.writable == w && l.executable == x && l.uncached == uc,
		   __FILE__, __LINE__,
		   "0x%llx: phys 0x%llx w%d x%d uc%d, expected 0x%llx w%d x%d uc%d",
		   (unsigned long long)va, (unsigned long long)l.phys, l.writable, l.executable,
		   l.uncached, (unsigned long long)pa, w, x, uc);
}

static void ovmf_like_tables_with_attributes_table(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	struct efi_pt_result r;
	struct efi_pt_input in;
	struct memmap map;
	const u64 *pml4;
	u64 code_va, data_va, mmio_va;

	ovmf_map(&map);
	KT_ASSERT(t, memmap_layout_runtime(&map, WIN, MM_VA_WINDOW_SIZE, NULL, NULL, NULL));
	in = ovmf_input(&map, ovmf_mat(MM_ATTR_RO));
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	pml4 = r.pml4;
	KT_EXPECT_EQ(t, r.runtime_entries, 3);
	KT_EXPECT_EQ(t, r.mat_entries, 4);
	KT_EXPECT_EQ(t, r.mat_outside, 1);
	KT_EXPECT_EQ(t, r.mat_wx, 0);
	data_va = memmap_desc(&map, 3)->virt_addr;
	code_va = memmap_desc(&map, 6)->virt_addr;
	mmio_va = memmap_desc(&map, 8)->virt_addr;
	/* Each runtime region at its VA and 1:1, with the table's permissions. */
	for (u64 va = code_va, pa = 0x1f5ec000; pa < 0x1f6ec000; va += PAGE_SIZE, pa += PAGE_SIZE) {
		bool text = pa >= 0x1f5f0000 && pa < 0x1f610000;

		expect_page(t, pml4, va, pa, !text, text, false);
		expect_page(t, pml4, pa, pa, !text, text, false);
	}
	expect_page(t, pml4, data_va + 0xf000, 0x20f000, true, false, false);
	expect_page(t, pml4, 0x200000, 0x200000, true, false, false);
	expect_page(t, pml4, mmio_va, 0xffc00000, true, false, true);
	expect_page(t, pml4, 0xffffffff & ~0xfffULL, 0xfffff000, true, false, true);
	/* Nothing past the regions in the window. */
	KT_EXPECT(t, !pt_lookup(pml4, code_va + 0x100000).present);
	/* Page 0 never; RAM and boot data 1:1, NX; boot code read-only, executable. */
	KT_EXPECT(t, !pt_lookup(pml4, 0).present);
	expect_page(t, pml4, 0x1000, 0x1000, true, false, false);
	expect_page(t, pml4, 0x250000, 0x250000, true, false, false);
	expect_page(t, pml4, 0x310000, 0x310000, false, true, false);
	/* The kernel image: code RX, constants RO, the rest of the loader RW NX; the guard absent.
	 */
	expect_page(t, pml4, 0x108000, 0x108000, false, true, false);
	expect_page(t, pml4, 0x10a000, 0x10a000, false, false, false);
	expect_page(t, pml4, 0x10b000, 0x10b000, true, false, false);
	expect_page(t, pml4, 0x100000, 0x100000, true, false, false);
	KT_EXPECT(t, !pt_lookup(pml4, 0x120000).present);
	KT_EXPECT_EQ(t, pt_count_wx(pml4, true).wx_leaves, 0);
	/* Within the bound the stub sizes the pool with. */
	KT_EXPECT(t, p.used <= pgtable_pages_efi(&map, 0x101000, 0x10b000, 0));
}

/*
 * Without a MAT (UEFI 2.10 section 4.6.4 makes it optional) nothing splits
 * a runtime code region into text and data, and the firmware writes its
 * .data and .bss there: the code must stay writable and executable, as
 * Linux maps it; runtime data stays RW and NX. The expectations are those
 * rules, page by page, not efi_pt.c's output.
 */
static void without_the_table_runtime_code_is_rwx(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	struct efi_pt_result r;
	struct efi_pt_input in;
	struct efi_mat_header bad = { .version = 9, .desc_size = 48 };
	struct memmap map;
	u64 code_va;
	struct pt_wx w;

	ovmf_map(&map);
	KT_ASSERT(t, memmap_layout_runtime(&map, WIN, MM_VA_WINDOW_SIZE, NULL, NULL, NULL));
	code_va = memmap_desc(&map, 6)->virt_addr;
	in = ovmf_input(&map, NULL);
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	expect_page(t, r.pml4, code_va, 0x1f5ec000, true, true, false);
	expect_page(t, r.pml4, 0x1f6eb000, 0x1f6eb000, true, true, false);
	expect_page(t, r.pml4, 0x200000, 0x200000, true, false, false);
	expect_page(t, r.pml4, memmap_desc(&map, 8)->virt_addr, 0xffc00000, true, false, true);
	KT_EXPECT_EQ(t, r.mat_entries, 0);
	/* The whole code region (0x100 pages) is the firmware's W+X, counted once per page ... */
	KT_EXPECT_EQ(t, r.forced_pages, 0x100);
	KT_EXPECT_EQ(t, r.forced_why, EFI_WX_NO_MAT);
	/* ... twice in the tables (1:1 and window), all of it excused, nothing else W+X. */
	w = pt_count_wx_excusing(r.pml4, true, excuse, &in);
	KT_EXPECT_EQ(t, w.wx_leaves, 0);
	KT_EXPECT_EQ(t, w.excused_pages, 2 * 0x100);
	KT_EXPECT(t, pt_count_wx(r.pml4, true).wx_leaves > 0);
	/* A table efimap cannot read counts as none. */
	KT_EXPECT_STREQ(t, efi_mat_check(&bad), "unknown version");
	bad.version = 1;
	bad.desc_size = 36;
	KT_EXPECT_STREQ(t, efi_mat_check(&bad), "bad descriptor size");
	p = fresh_pool(POOL_PAGES);
	in.mat = &bad;
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	expect_page(t, r.pml4, code_va + 0x5000, 0x1f5f1000, true, true, false);
	KT_EXPECT_EQ(t, r.forced_why, EFI_WX_NO_MAT);
}

/*
 * With a MAT: a code entry with neither RO nor XP, and code pages no entry
 * covers, are W+X too (the table gives no permissions for them); entries
 * with RO or XP are applied exactly (RO: no W, XP: no X).
 */
static void mat_gaps_leave_code_rwx(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	struct efi_pt_result r;
	struct efi_pt_input in;
	struct efi_mat_header *mat;
	struct memmap map;
	u64 code_va;

	ovmf_map(&map);
	KT_ASSERT(t, memmap_layout_runtime(&map, WIN, MM_VA_WINDOW_SIZE, NULL, NULL, NULL));
	code_va = memmap_desc(&map, 6)->virt_addr;
	/* Entry 1 (the text, 0x20 pages at 0x1f5f0000) has neither bit. */
	in = ovmf_input(&map, ovmf_mat(0));
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	KT_EXPECT_EQ(t, r.mat_wx, 1);
	expect_page(t, r.pml4, code_va + 0x5000, 0x1f5f1000, true, true, false);
	expect_page(t, r.pml4, code_va, 0x1f5ec000, true, false, false);
	expect_page(t, r.pml4, code_va + 0x24000, 0x1f610000, true, false, false);
	KT_EXPECT_EQ(t, r.forced_pages, 0x20);
	KT_EXPECT_EQ(t, r.forced_why, EFI_WX_MAT_NEITHER);
	KT_EXPECT_EQ(t, pt_count_wx_excusing(r.pml4, true, excuse, &in).wx_leaves, 0);
	/* Drop the last code entry (0xdc pages from 0x1f610000): those pages are uncovered. */
	p = fresh_pool(POOL_PAGES);
	mat = (struct efi_mat_header *)(uintptr_t)ovmf_mat(MM_ATTR_RO);
	memmap_desc_fill_zero(mat, 2);
	in = ovmf_input(&map, mat);
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	expect_page(t, r.pml4, code_va + 0x24000, 0x1f610000, true, true, false);
	expect_page(t, r.pml4, code_va + 0x5000, 0x1f5f1000, false, true, false);
	KT_EXPECT_EQ(t, r.forced_pages, 0xdc);
	KT_EXPECT_EQ(t, r.forced_why, EFI_WX_MAT_UNCOVERED);
	/* efimap.wx=strict: the same pages read-only and executable, nothing W+X at all. */
	p = fresh_pool(POOL_PAGES);
	in.wx_strict = true;
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	expect_page(t, r.pml4, code_va + 0x24000, 0x1f610000, false, true, false);
	expect_page(t, r.pml4, 0x200000, 0x200000, true, false, false);
	KT_EXPECT_EQ(t, pt_count_wx(r.pml4, true).wx_leaves, 0);
}

static bool is_boot_services(const struct mm_desc *md, void *ctx)
{
	(void)ctx;
	return mm_is_boot_services(md, NULL);
}

static bool not_boot_services(const struct mm_desc *md, void *ctx)
{
	return !is_boot_services(md, ctx);
}

static void boot_services_leave_the_tables(struct ktap_test *t)
{
	struct pt_pool p = fresh_pool(POOL_PAGES);
	struct efi_pt_result r;
	struct efi_pt_input in;
	struct memmap map;
	struct mm_iter it;
	struct mm_desc *md;
	u64 leaves;

	ovmf_map(&map);
	KT_ASSERT(t, memmap_layout_runtime(&map, WIN, MM_VA_WINDOW_SIZE, NULL, NULL, NULL));
	in = ovmf_input(&map, ovmf_mat(MM_ATTR_RO));
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	KT_EXPECT(t, pt_lookup(r.pml4, 0x250000).present);
	KT_EXPECT_EQ(t, efi_pt_unmap_bs(&p, r.pml4, &map), 0);
	mm_iter_init(&it, &map, is_boot_services, NULL);
	while ((md = mm_iter_next(&it)))
		for (u64 a = md->phys_addr; a < mm_desc_end(md); a += PAGE_SIZE)
			KT_EXPECT(t, !pt_lookup(r.pml4, a).present);
	/* Everything else stays, runtime regions at both addresses too. */
	expect_page(t, r.pml4, 0x200000, 0x200000, true, false, false);
	expect_page(t, r.pml4, memmap_desc(&map, 6)->virt_addr, 0x1f5ec000, true, false, false);
	expect_page(t, r.pml4, 0x1000, 0x1000, true, false, false);
	expect_page(t, r.pml4, 0x1f6ec000, 0x1f6ec000, true, false, false);
	/* Idempotent, and a no-op on a map compacted without them. */
	leaves = pt_count_wx(r.pml4, true).leaves;
	KT_EXPECT_EQ(t, efi_pt_unmap_bs(&p, r.pml4, &map), 0);
	KT_EXPECT_EQ(t, pt_count_wx(r.pml4, true).leaves, leaves);
	memmap_filter(&map, not_boot_services, NULL);
	KT_EXPECT_EQ(t, efi_pt_unmap_bs(&p, r.pml4, &map), 0);
	KT_EXPECT_EQ(t, pt_count_wx(r.pml4, true).leaves, leaves);
}

/* Noted at build time, the ranges still go after the map lost its boot-services entries. */
static void noted_ranges_survive_compaction(struct ktap_test *t)
{
	static struct efi_pt_ranges noted;
	struct pt_pool p = fresh_pool(POOL_PAGES);
	struct efi_pt_result r;
	struct efi_pt_input in;
	struct memmap map;
	u64 leaves;

	ovmf_map(&map);
	KT_ASSERT(t, memmap_layout_runtime(&map, WIN, MM_VA_WINDOW_SIZE, NULL, NULL, NULL));
	in = ovmf_input(&map, NULL);
	KT_ASSERT(t, !efi_pt_build(&p, &in, &r));
	efi_pt_note_bs(&noted, &map);
	/* Page 0 (boot code); boot data at 0x210000 and boot code right after it: one range. */
	KT_EXPECT_EQ(t, noted.n, 2);
	KT_EXPECT(t, !noted.overflow);
	KT_EXPECT_EQ(t, noted.start[0], 0);
	KT_EXPECT_EQ(t, noted.end[0], 0x1000);
	KT_EXPECT_EQ(t, noted.start[1], 0x210000);
	KT_EXPECT_EQ(t, noted.end[1], 0x330000);
	memmap_filter(&map, not_boot_services, NULL);
	KT_EXPECT_EQ(t, efi_pt_unmap_bs(&p, r.pml4, &map), 0);
	KT_EXPECT(t, pt_lookup(r.pml4, 0x250000).present); /* the compacted map knows nothing */
	KT_EXPECT_EQ(t, efi_pt_unmap_ranges(&p, r.pml4, &noted), 0);
	KT_EXPECT(t, !pt_lookup(r.pml4, 0x210000).present);
	KT_EXPECT(t, !pt_lookup(r.pml4, 0x30f000).present);
	KT_EXPECT(t, !pt_lookup(r.pml4, 0x32f000).present);
	expect_page(t, r.pml4, 0x200000, 0x200000, true, false, false);
	leaves = pt_count_wx(r.pml4, true).leaves;
	KT_EXPECT_EQ(t, efi_pt_unmap_ranges(&p, r.pml4, &noted), 0);
	KT_EXPECT_EQ(t, pt_count_wx(r.pml4, true).leaves, leaves);
	/* Merged only when one starts where the range before it ends; a gap starts a new one. */
	ovmf_map(&map);
	mapbuild_put(&map, 9, MM_BOOT_DATA, 0x330000, 0x10, MAPBUILD_RAM);
	mapbuild_put(&map, 10, MM_BOOT_DATA, 0x341000, 0x1, MAPBUILD_RAM);
	efi_pt_note_bs(&noted, &map);
	KT_EXPECT_EQ(t, noted.n, 3);
	KT_EXPECT_EQ(t, noted.end[1], 0x340000);
	KT_EXPECT_EQ(t, noted.start[2], 0x341000);
	KT_EXPECT_EQ(t, noted.end[2], 0x342000);
}

/* The stub's bound holds on random maps (those that fit this test's pool). */
static void random_maps_fit_the_bound(struct ktap_test *t)
{
	u32 built = 0;

	for (u64 seed = 1; seed <= 60 && !t->failures; seed++) {
		struct pt_pool p = fresh_pool(POOL_PAGES);
		struct efi_pt_result r;
		struct efi_pt_input in;
		struct memmap map;
		u64 bound;
		const char *err;

		memmap_init(&map, map_storage, 48, 1, 0, 64);
		randmap_fill(&map, 1 + (u32)(seed % 40), seed);
		memmap_layout_runtime(&map, WIN, MM_VA_WINDOW_SIZE, NULL, NULL, NULL);
		in = ovmf_input(&map, NULL);
		in.text_start = in.text_end = in.rodata_start = in.rodata_end = in.guard_page = 0;
		bound = pgtable_pages_efi(&map, 0, 0, 0);
		if (bound > POOL_PAGES)
			continue;
		p.pages = bound;
		err = efi_pt_build(&p, &in, &r);
		ktap_check(t, !err, __FILE__, __LINE__, "seed %llu: %s (bound %llu)",
			   (unsigned long long)seed, err ? err : "", (unsigned long long)bound);
		/* Nothing W+X but the runtime code the firmware forces (no MAT here). */
		KT_EXPECT_EQ(t, pt_count_wx_excusing(r.pml4, true, excuse, &in).wx_leaves, 0);
		built++;
	}
	KT_EXPECT(t, built >= 50);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(map_elsewhere_and_look_up),
	KTAP_CASE(unmap_is_exact_and_idempotent),
	KTAP_CASE(wx_audit_counts_what_it_should),
	KTAP_CASE(ovmf_like_tables_with_attributes_table),
	KTAP_CASE(without_the_table_runtime_code_is_rwx),
	KTAP_CASE(mat_gaps_leave_code_rwx),
	KTAP_CASE(boot_services_leave_the_tables),
	KTAP_CASE(noted_ranges_survive_compaction),
	KTAP_CASE(random_maps_fit_the_bound),
};
KTAP_SUITE(efi_pt_suite, "efi_pt", cases);
