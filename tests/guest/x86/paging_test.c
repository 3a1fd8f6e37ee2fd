// SPDX-License-Identifier: BSD-2-Clause
/* The kernel's own page tables, checked by walking them and by touching memory. */
#include "kernel/accept_boot.h"
#include "kernel/kernel.h"
#include "kernel/reclaim_boot.h"
#include "kernel/x86/cpu.h"
#include "kernel/x86/cpu_features.h"
#include "kernel/x86/paging.h"
#include "kernel/pgtable_size.h"
#include "kernel/x86/trap.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

/*
 * The hardware's word, read here rather than taken from the probe under
 * test: EFER.NXE as it is now (SDM vol. 3A 2.2.1), CPUID bits (vol. 2A).
 */
static bool nxe_on(void)
{
	return rdmsr(MSR_EFER) & EFER_NXE;
}

static u32 cpuid_edx(u32 leaf)
{
	u32 a, b, c, d;

	cpuid(leaf, &a, &b, &c, &d);
	return d;
}

static bool cpuid_pat(void)
{
	return cpuid_edx(1) & (1u << 16);
}

/* CPUID 0x80000001 EDX, or 0 when the maximum extended leaf does not reach it. */
static u32 cpuid_ext1_edx(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000u, &a, &b, &c, &d);
	return a >= 0x80000001u && a <= 0x8000ffffu ? cpuid_edx(0x80000001u) : 0;
}

static bool cpuid_nx(void)
{
	return cpuid_ext1_edx() & (1u << 20);
}

/* CPUID 0x80000008 EAX[7:0], or 36 without that leaf (SDM vol. 3A 4.1.4). */
static u32 cpuid_maxphyaddr(void)
{
	u32 a, b, c, d, width = 0;

	cpuid(0x80000000u, &a, &b, &c, &d);
	if (a >= 0x80000008u && a <= 0x8000ffffu) {
		cpuid(0x80000008u, &a, &b, &c, &d);
		width = a & 0xff;
	}
	return width ? width : 36;
}

/* min(2^MAXPHYADDR, 2^47): nothing at or above it may be identity-mapped. */
static u64 cpuid_identity_limit(void)
{
	u32 w = cpuid_maxphyaddr();

	return w >= 47 ? 1ULL << 47 : 1ULL << w;
}

static void running_on_own_tables(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	KT_EXPECT(t, kstate.pml4 != 0);
	KT_EXPECT_EQ(t, read_cr3() & PTE_ADDR, kstate.pml4);
	KT_EXPECT(t, kstate.pml4 >= h->pt_pool_base &&
			     kstate.pml4 < h->pt_pool_base + h->pt_pool_pages * PAGE_SIZE);
	KT_EXPECT(t, (read_cr3() & PTE_ADDR) != (h->firmware_cr3 & PTE_ADDR));
}

static void pool_estimate_bounds_actual_use(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	/*
	 * The stub's formula, applied with no spare entries to the map the
	 * tables were built from: the copy reclaim took before phase 2, since
	 * compaction has dropped freed entries from kstate.map by now (U-Boot
	 * at 8G lists 5 GiB of Boot Data above 4 GiB, whose page directories
	 * the compacted map no longer accounts for).
	 */
	const struct memmap *built_from = kreclaim.before.base ? &kreclaim.before : &kstate.map;
	u64 bound = pgtable_pages_needed(built_from, h->text_start, h->rodata_end, 0) +
		    pgtable_pages_for_range(h->fb_base, h->fb_size);

	/* Re-entered (efimap.kexec): plus the RAM handed over beside the map, mapped too. */
	for (u32 i = 0; i < h->kexec_nr_free && i < HANDOFF_KEXEC_FREE; i++)
		bound += pgtable_pages_for_range(h->kexec_free[i].base,
						 h->kexec_free[i].pages * PAGE_SIZE);
	KT_EXPECT(t, kstate.pt_pages_used > 0);
	KT_EXPECT(t, kstate.pt_pages_used <= bound);
}

static void framebuffer_mapped_wc_nx(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 last;
	struct pt_lookup a, b;

	if (h->fb_format == HANDOFF_FB_NONE || !h->fb_base) {
		ktap_skip(t, "no GOP framebuffer handed over");
		return;
	}
	last = ALIGN_DOWN(h->fb_base + h->fb_size - 1, PAGE_SIZE);
	a = paging_lookup(kstate.pml4, h->fb_base);
	b = paging_lookup(kstate.pml4, last);
	KT_ASSERT(t, a.present && b.present);
	KT_EXPECT_EQ(t, a.phys, h->fb_base);
	KT_EXPECT_EQ(t, b.phys, last);
	KT_EXPECT(t, a.writable && b.writable);
	/* No-execute where NX works; without EFER.NXE bit 63 must stay clear (reserved). */
	KT_EXPECT_EQ(t, a.executable, !nxe_on());
	KT_EXPECT_EQ(t, b.executable, !nxe_on());
	/* Write-combining through PAT entry 4 (which must now say WC), or uncached. */
	if (!cpuid_pat()) {
		/* No IA32_PAT to read (SDM vol. 3A 11.12.1): uncached, and said so. */
		KT_EXPECT_STREQ(t, paging_fb_cache(), "uc");
		KT_EXPECT(t, a.uncached && b.uncached);
		KT_EXPECT_EQ(t, paging_pat_at_entry(), 0);
		KT_EXPECT(t, cpu_features()->unenforced & CPU_UNENF_WC_FB);
		return;
	}
	if (!strcmp(paging_fb_cache(), "wc")) {
		KT_EXPECT_EQ(t, a.pat_index, PAT_INDEX_WC);
		KT_EXPECT_EQ(t, b.pat_index, PAT_INDEX_WC);
		KT_EXPECT_EQ(t, (rdmsr(MSR_PAT) >> (8 * PAT_INDEX_WC)) & 0xff, PAT_TYPE_WC);
	} else {
		KT_EXPECT_STREQ(t, paging_fb_cache(), "uc");
		KT_EXPECT(t, a.uncached && b.uncached);
	}
	/* Every other PAT entry is as the firmware left it (its mappings use them). */
	KT_EXPECT_EQ(t, rdmsr(MSR_PAT) & ~(0xffULL << (8 * PAT_INDEX_WC)),
		     paging_pat_at_entry() & ~(0xffULL << (8 * PAT_INDEX_WC)));
}

static void page0_not_mapped(struct ktap_test *t)
{
	u64 faults = trap_probe_faults();
	u8 v;

	KT_EXPECT(t, !paging_lookup(kstate.pml4, 0).present);
	KT_EXPECT(t, !paging_lookup(kstate.pml4, PAGE_SIZE - 1).present);
	/* And touching it really faults (caught by the probe, not fatal). */
	KT_EXPECT_EQ(t, probe_read(0x8, &v), 1);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
	/* The page after it is ordinary memory. */
	KT_EXPECT(t, paging_lookup(kstate.pml4, PAGE_SIZE).present);
}

static void stack_guard_page_unmapped(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 faults = trap_probe_faults();
	u8 v;

	KT_EXPECT(t, !paging_lookup(kstate.pml4, h->stack_base).present);
	KT_EXPECT_EQ(t, probe_read(h->stack_base + 64, &v), 1);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
	KT_EXPECT(t, paging_lookup(kstate.pml4, h->stack_base + PAGE_SIZE).present);
}

static void image_code_executable_readonly(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	struct pt_lookup l = paging_lookup(kstate.pml4, h->text_start);
	struct pt_lookup e = paging_lookup(kstate.pml4, ALIGN_UP(h->text_end, PAGE_SIZE) - 1);

	KT_ASSERT(t, l.present && e.present);
	KT_EXPECT(t, l.executable && !l.writable);
	KT_EXPECT(t, e.executable && !e.writable);
	KT_EXPECT_EQ(t, l.phys, h->text_start);
}

/* stub/efimap.lds puts the constants in their own pages: mapped read-only and NX. */
static void image_rodata_readonly_nx(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	static const char probe[] = "efimap rodata probe";
	u64 addr = (u64)(uintptr_t)probe;
	struct pt_lookup first = paging_lookup(kstate.pml4, h->rodata_start);
	struct pt_lookup last = paging_lookup(kstate.pml4, h->rodata_end - 1);
	struct pt_lookup l = paging_lookup(kstate.pml4, addr);
	u64 faults;

	KT_ASSERT(t, h->rodata_start < h->rodata_end);
	KT_EXPECT_EQ(t, h->rodata_start % PAGE_SIZE, 0);
	KT_EXPECT(t, h->rodata_start >= ALIGN_UP(h->text_end, PAGE_SIZE));
	/* A string constant of this file lies inside the range the stub reported. */
	KT_EXPECT(t, addr >= h->rodata_start && addr < h->rodata_end);
	KT_ASSERT(t, first.present && last.present && l.present);
	KT_EXPECT(t, !first.writable && !last.writable && !l.writable);
	/* Not executable where NX works; without it no NX bit may be set (reserved). */
	KT_EXPECT_EQ(t, first.executable, !nxe_on());
	KT_EXPECT_EQ(t, last.executable, !nxe_on());
	KT_EXPECT_EQ(t, l.executable, !nxe_on());
	KT_EXPECT_EQ(t, l.phys, addr);
	/* CR0.WP makes it bind the kernel too: storing the byte already there faults. */
	faults = trap_probe_faults();
	KT_EXPECT_EQ(t, probe_write(addr, (u8)probe[0]), 1);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
	/* The control: a writable data page takes the same store. */
	KT_EXPECT_EQ(t, probe_write((u64)(uintptr_t)&faults, *(volatile u8 *)&faults), 0);
}

static void data_not_executable(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const u64 addrs[] = { (u64)(uintptr_t)h, h->stack_base + PAGE_SIZE, h->map_base,
			      h->pt_pool_base, ALIGN_UP(h->text_end, PAGE_SIZE) };

	if (!nxe_on()) {
		ktap_skip(t, "no NX (EFER.NXE off): data pages cannot be made non-executable");
		return;
	}
	for (u32 i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct pt_lookup l = paging_lookup(kstate.pml4, addrs[i]);

		KT_EXPECT(t, l.present);
		KT_EXPECT(t, l.writable);
		KT_EXPECT(t, !l.executable);
	}
}

static void no_writable_executable_page(struct ktap_test *t)
{
	struct mm_iter it;
	struct mm_desc *md;
	u64 wx = 0;

	if (!nxe_on()) {
		ktap_skip(t, "no NX (EFER.NXE off): W^X cannot be enforced");
		return;
	}
	/* Sample every page of every entry (every 2 MiB inside large ones). */
	for_each_mm_desc (&kstate.map, it, md) {
		u64 end = mm_desc_end(md);

		for (u64 va = md->phys_addr; va < end && va < (1ULL << 48);) {
			struct pt_lookup l = paging_lookup(kstate.pml4, va);

			if (l.present && l.writable && l.executable)
				wx++;
			va += l.present ? l.page_size : PAGE_SIZE;
		}
	}
	KT_EXPECT_EQ(t, wx, 0);
}

/* Left out of the kernel's tables on purpose: a unit still unaccepted (issue 6). */
static bool unaccepted(u64 addr)
{
	const struct accept_table *t = kaccept.t;

	return t && addr >= t->phys_base && addr < accept_table_limit(t) &&
	       accept_unit_pending(t, addr);
}

/* Mapped 1:1, or absent when unaccepted or at or above the identity limit. */
static bool mapped_as_expected(u64 addr)
{
	struct pt_lookup l = paging_lookup(kstate.pml4, addr);

	if (addr >= cpuid_identity_limit())
		return !l.present;
	return unaccepted(addr) ? !l.present : l.present && l.phys == addr;
}

static void map_identity_mapped(struct ktap_test *t)
{
	struct mm_iter it;
	struct mm_desc *md;
	u64 wrong = 0, wrong_cache = 0;

	for_each_mm_desc (&kstate.map, it, md) {
		u64 first = md->phys_addr ? md->phys_addr : PAGE_SIZE;
		u64 last = mm_desc_end(md) - PAGE_SIZE;
		struct pt_lookup a;

		if (first == kstate.handoff->stack_base)
			first += PAGE_SIZE; /* the stack's guard page */

		if (first > last)
			continue;
		/* An entry reaching past the identity limit is left out whole. */
		if (mm_desc_end(md) > cpuid_identity_limit() && mm_desc_end(md) <= (1ULL << 48)) {
			wrong += paging_lookup(kstate.pml4, first).present;
			continue;
		}
		/* The framebuffer, if the map lists it, is mapped its own way (above). */
		if (kstate.handoff->fb_base &&
		    first < kstate.handoff->fb_base + kstate.handoff->fb_size &&
		    kstate.handoff->fb_base <= last)
			continue;
		a = paging_lookup(kstate.pml4, first);
		if (!mapped_as_expected(first) || !mapped_as_expected(last))
			wrong++;
		/* Write-back only where the firmware allows it; MMIO uncached. */
		if (a.present && a.uncached == !!(md->attribute & MM_ATTR_WB))
			wrong_cache++;
	}
	KT_EXPECT_EQ(t, wrong, 0);
	KT_EXPECT_EQ(t, wrong_cache, 0);
}

static void conventional_memory_readable(struct ktap_test *t)
{
	struct mm_iter it;
	struct mm_desc *md;
	u32 wrong = 0, probed = 0;
	u8 v;

	for_each_mm_desc (&kstate.map, it, md) {
		if (md->type != MM_CONVENTIONAL || md->phys_addr == 0)
			continue;
		/* Past the identity limit (RAM the CPU cannot address): left out, must fault. */
		if (mm_desc_end(md) > cpuid_identity_limit()) {
			wrong += (u32)(probe_read(md->phys_addr, &v) != 1);
			probed++;
			continue;
		}
		/* Unaccepted units must fault instead (accept_live proves it too). */
		wrong += (u32)(probe_read(md->phys_addr, &v) != 0) != unaccepted(md->phys_addr);
		wrong += (u32)(probe_read(mm_desc_end(md) - 1, &v) != 0) !=
			 unaccepted(mm_desc_end(md) - 1);
		probed += 2;
	}
	KT_EXPECT(t, probed > 0);
	KT_EXPECT_EQ(t, wrong, 0);
}

/* The probe against the hardware, read again here from the SDM bit positions. */
static void cpu_probe_matches_hardware(struct ktap_test *t)
{
	const struct cpu_features *f = cpu_features();

	KT_EXPECT_EQ(t, f->nx, cpuid_nx());
	KT_EXPECT_EQ(t, f->nxe, nxe_on());
	/* Where CPUID reports NX, EFER.NXE is writable and the probe set it. */
	if (cpuid_nx())
		KT_EXPECT(t, nxe_on());
	KT_EXPECT_EQ(t, f->pat, cpuid_pat());
	KT_EXPECT_EQ(t, f->gb_pages, !!(cpuid_ext1_edx() & (1u << 26)));
	/* We run on 4-level tables, so CR4.LA57 is off (bit 12). */
	KT_EXPECT(t, !f->la57_on && !(read_cr4() & (1ULL << 12)));
	KT_EXPECT_EQ(t, f->maxphyaddr, cpuid_maxphyaddr());
	/* W^X is said to be unenforced exactly when NX is off. */
	KT_EXPECT_EQ(t, !!(f->unenforced & CPU_UNENF_WX), !nxe_on());
}

/* What the walk below found. */
struct walk_result {
	u64 leaves;
	u64 beyond_limit;   /* leaves reaching at or past the identity limit */
	u64 reserved_bits;  /* entries with address bits at or above MAXPHYADDR */
	u64 nx_without_nxe; /* entries with bit 63 set while EFER.NXE is off */
	u64 not_identity;   /* leaves whose physical address is not their VA */
};

/*
 * Every present entry under table (level 3 = PML4 ... 0 = PT), va the
 * address its first slot maps. Written from SDM vol. 3A 4.5 (PS in a PDPTE
 * or PDE makes a 1 GiB or 2 MiB leaf), apart from kernel/pt.c.
 */
static void walk(const u64 *table, int level, u64 va, u64 limit, u64 phys_mask,
		 struct walk_result *r)
{
	for (u32 i = 0; i < 512; i++) {
		u64 e = table[i], at = va + ((u64)i << (12 + 9 * level)),
		    size = 1ULL << (12 + 9 * level);
		u64 addr = e & 0x000ffffffffff000ULL;

		if (!(e & 1))
			continue;
		if (addr & ~phys_mask)
			r->reserved_bits++;
		if ((e >> 63) && !nxe_on())
			r->nx_without_nxe++;
		if (level == 0 || ((level == 1 || level == 2) && (e & (1ULL << 7)))) {
			r->leaves++;
			if (at + size > limit)
				r->beyond_limit++;
			/* In a large leaf the PAT bit (12) is not an address bit. */
			if ((level ? addr & ~(1ULL << 12) : addr) != at)
				r->not_identity++;
			continue;
		}
		if (!(addr & ~phys_mask))
			walk((const u64 *)(uintptr_t)addr, level - 1, at, limit, phys_mask, r);
	}
}

/*
 * No identity mapping at or above min(2^MAXPHYADDR, 2^47), nothing in PML4
 * slots 256-511 (the kernel uses no upper-half address; the runtime window
 * lives there in the EFI tables only), no address bits beyond MAXPHYADDR,
 * and no NX bit while EFER.NXE is off (both reserved, SDM vol. 3A 4.5.4).
 */
static void identity_map_within_cpu_limits(struct ktap_test *t)
{
	const u64 *pml4 = (const u64 *)(uintptr_t)kstate.pml4;
	u32 width = cpuid_maxphyaddr(), upper = 0;
	struct walk_result r = { 0 };
	u64 limit = cpuid_identity_limit();
	KT_EXPECT_EQ(t, paging_identity_limit(), limit);
	/* Reclaim, the allocator and the EFI tables use the same bound (mm_desc_mappable()). */
	KT_EXPECT_EQ(t, mm_phys_limit(), limit);
	for (u32 i = 256; i < 512; i++)
		upper += pml4[i] & 1;
	KT_EXPECT_EQ(t, upper, 0);
	walk(pml4, 3, 0, limit, ((1ULL << (width > 52 ? 52 : width)) - 1) & ~0xfffULL, &r);
	KT_EXPECT(t, r.leaves > 0);
	KT_EXPECT_EQ(t, r.beyond_limit, 0);
	KT_EXPECT_EQ(t, r.reserved_bits, 0);
	KT_EXPECT_EQ(t, r.nx_without_nxe, 0);
	KT_EXPECT_EQ(t, r.not_identity, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(running_on_own_tables),	   KTAP_CASE(pool_estimate_bounds_actual_use),
	KTAP_CASE(framebuffer_mapped_wc_nx),	   KTAP_CASE(page0_not_mapped),
	KTAP_CASE(stack_guard_page_unmapped),	   KTAP_CASE(image_code_executable_readonly),
	KTAP_CASE(image_rodata_readonly_nx),	   KTAP_CASE(data_not_executable),
	KTAP_CASE(no_writable_executable_page),	   KTAP_CASE(map_identity_mapped),
	KTAP_CASE(conventional_memory_readable),   KTAP_CASE(cpu_probe_matches_hardware),
	KTAP_CASE(identity_map_within_cpu_limits),
};
KTAP_SUITE(paging_suite, "paging", cases);
