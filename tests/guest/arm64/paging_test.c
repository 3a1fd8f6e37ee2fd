// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's own AArch64 tables (kernel/arm64/paging.c), checked against
 * the hardware's registers and by walking the descriptors with the bit
 * positions of the Arm ARM (DDI 0487: D8.3 descriptor formats, D8.4
 * permissions, D8.5 MAIR_EL1), written out here apart from pte.h, and by
 * touching memory. x86 twin: tests/guest/x86/paging_test.c (same suite
 * name, same promises). The EFI tables, the window and the runtime calls
 * are the runtime suite's (tests/guest/runtime_test.c, both arches); the
 * arm64-only parts of those (the window's place, the registers around a
 * call) are checked here.
 */
#include "kernel/accept_boot.h"
#include "kernel/arch.h"
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/kernel.h"
#include "kernel/reclaim_boot.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

/* Descriptor bits (Arm ARM D8.3.1, D8.3.2), spelled out for this test alone. */
#define D_VALID	     (1ULL << 0)
#define D_TABLE	     (1ULL << 1) /* levels 0-2: table; level 3: page */
#define D_ATTRIDX(e) (((e) >> 2) & 7)
#define D_AP1	     (1ULL << 6)
#define D_AP2	     (1ULL << 7)
#define D_SH(e)	     (((e) >> 8) & 3)
#define D_AF	     (1ULL << 10)
#define D_NG	     (1ULL << 11)
#define D_PXN	     (1ULL << 53)
#define D_UXN	     (1ULL << 54)
#define D_OA	     0x0000fffffffff000ULL

/* MAIR_EL1 attribute bytes (Arm ARM D8.5): Device-nGnRnE, Normal NC, Normal WB RW-allocate. */
#define ATTR_DEVICE_NGNRNE 0x00
#define ATTR_NORMAL_NC	   0x44
#define ATTR_NORMAL_WB	   0xff

static u64 sysreg_ttbr0(void)
{
	return read_sysreg(ttbr0_el1);
}

/* The MAIR_EL1 byte AttrIndx idx selects, as the CPU holds it now. */
static u8 mair_byte(u32 idx)
{
	return (u8)(read_sysreg(mair_el1) >> (8 * idx));
}

/* PARange (ID_AA64MMFR0_EL1 [3:0]) in bits, capped at 48 (Arm ARM, ID_AA64MMFR0_EL1). */
static u32 hw_pa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 r = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	u32 b = r < ARRAY_SIZE(bits) ? bits[r] : 32;

	return b > 48 ? 48 : b;
}

/* The raw leaf descriptor for va in the tables at root, *level its Arm level; 0 if none. */
static u64 leaf_of(u64 root, u64 va, int *level)
{
	const u64 *table = (const u64 *)(uintptr_t)root;

	for (int l = 0; l <= 3; l++) {
		u64 e = table[(va >> (39 - 9 * l)) & 511];

		if (!(e & D_VALID))
			return 0;
		if (l == 3 || !(e & D_TABLE)) {
			*level = l;
			return e;
		}
		table = (const u64 *)(uintptr_t)(e & D_OA);
	}
	return 0;
}

static void running_on_own_tables(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 tcr = read_sysreg(tcr_el1), sctlr = read_sysreg(sctlr_el1);
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	KT_EXPECT(t, kstate.pml4 != 0);
	KT_EXPECT_EQ(t, sysreg_ttbr0() & D_OA, kstate.pml4);
	KT_EXPECT(t, kstate.pml4 >= h->pt_pool_base &&
			     kstate.pml4 < h->pt_pool_base + h->pt_pool_pages * PAGE_SIZE);
	KT_EXPECT(t, kstate.pml4 != (h->firmware_cr3 & D_OA));
	/* TCR_EL1: T0SZ 16 [5:0], TG0 4 KiB [15:14]=0, EPD1 [23]=1, IPS [34:32] = PARange (<= 48).
	 */
	KT_EXPECT_EQ(t, tcr & 0x3f, 16);
	KT_EXPECT_EQ(t, (tcr >> 14) & 3, 0);
	KT_EXPECT_EQ(t, (tcr >> 23) & 1, 1);
	KT_EXPECT_EQ(t, (tcr >> 32) & 7, parange > 5 ? 5 : parange);
	/* SH0 inner shareable, walks cacheable WB (IRGN0/ORGN0 = 0b01). */
	KT_EXPECT_EQ(t, (tcr >> 12) & 3, 3);
	KT_EXPECT_EQ(t, (tcr >> 8) & 3, 1);
	KT_EXPECT_EQ(t, (tcr >> 10) & 3, 1);
	/* The MAIR the descriptors index: WB, NC and Device where pte.h says. */
	KT_EXPECT_EQ(t, mair_byte(MAIR_IDX_NORMAL), ATTR_NORMAL_WB);
	KT_EXPECT_EQ(t, mair_byte(MAIR_IDX_NORMAL_NC), ATTR_NORMAL_NC);
	KT_EXPECT_EQ(t, mair_byte(MAIR_IDX_DEVICE), ATTR_DEVICE_NGNRNE);
	/* SCTLR_EL1: MMU [0], data [2] and instruction [12] caches on, little-endian [25]. */
	KT_EXPECT_EQ(t, sctlr & ((1ULL << 0) | (1ULL << 2) | (1ULL << 12) | (1ULL << 25)),
		     (1ULL << 0) | (1ULL << 2) | (1ULL << 12));
}

static void pool_estimate_bounds_actual_use(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const struct memmap *built_from = kreclaim.before.base ? &kreclaim.before : &kstate.map;
	u64 bound = pgtable_pages_needed(built_from, h->text_start, h->rodata_end, 0) +
		    pgtable_pages_for_range(h->fb_base, h->fb_size) + PAGING_EXTRA_PT_PAGES;

	for (u32 i = 0; i < h->kexec_nr_free && i < HANDOFF_KEXEC_FREE; i++)
		bound += pgtable_pages_for_range(h->kexec_free[i].base,
						 h->kexec_free[i].pages * PAGE_SIZE);
	KT_EXPECT(t, kstate.pt_pages_used > 0);
	KT_EXPECT(t, kstate.pt_pages_used <= bound);
}

static void framebuffer_mapped_nc_xn(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 ends[2], e;
	int level = 0;

	if (h->fb_format == HANDOFF_FB_NONE || !h->fb_base) {
		ktap_skip(t, "no GOP framebuffer handed over");
		return;
	}
	ends[0] = h->fb_base;
	ends[1] = ALIGN_DOWN(h->fb_base + h->fb_size - 1, PAGE_SIZE);
	for (u32 i = 0; i < 2; i++) {
		e = leaf_of(kstate.pml4, ends[i], &level);
		KT_ASSERT(t, e);
		KT_EXPECT_EQ(t, e & D_OA & ~((1ULL << (39 - 9 * level)) - 1),
			     ends[i] & ~((1ULL << (39 - 9 * level)) - 1));
		KT_EXPECT(t, !(e & D_AP2) && (e & D_PXN) && (e & D_UXN));
		KT_EXPECT_EQ(t, mair_byte((u32)D_ATTRIDX(e)), ATTR_NORMAL_NC);
	}
	KT_EXPECT_STREQ(t, paging_fb_cache(), "wc");
}

static void uart_mapped_device(struct ktap_test *t)
{
	u64 base = serial_mmio_base(), e;
	int level = 0;

	if (!base) {
		ktap_skip(t, "no serial console found in the firmware's tables");
		return;
	}
	e = leaf_of(kstate.pml4, base, &level);
	KT_ASSERT(t, e);
	KT_EXPECT_EQ(t, level, 3);
	KT_EXPECT_EQ(t, e & D_OA, ALIGN_DOWN(base, PAGE_SIZE));
	KT_EXPECT(t, !(e & D_AP2) && (e & D_PXN) && (e & D_UXN));
	KT_EXPECT_EQ(t, mair_byte((u32)D_ATTRIDX(e)), ATTR_DEVICE_NGNRNE);
}

static void page0_not_mapped(struct ktap_test *t)
{
	u64 faults = trap_probe_faults();
	u8 v;

	KT_EXPECT(t, !paging_lookup(kstate.pml4, 0).present);
	KT_EXPECT(t, !paging_lookup(kstate.pml4, PAGE_SIZE - 1).present);
	KT_EXPECT_EQ(t, probe_read(0x8, &v), 1);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
}

static void stack_guard_page_unmapped(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 faults = trap_probe_faults();
	int level = 0;
	u8 v;

	KT_EXPECT(t, !leaf_of(kstate.pml4, h->stack_base, &level));
	KT_EXPECT_EQ(t, probe_read(h->stack_base + 64, &v), 1);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
	KT_EXPECT(t, leaf_of(kstate.pml4, h->stack_base + PAGE_SIZE, &level));
}

static void image_code_executable_readonly(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 here = (u64)(uintptr_t)image_code_executable_readonly, e;
	int level = 0;

	KT_ASSERT(t, here >= h->text_start && here < h->text_end);
	for (u64 va = ALIGN_DOWN(h->text_start, PAGE_SIZE); va < h->text_end; va += PAGE_SIZE) {
		e = leaf_of(kstate.pml4, va, &level);
		/* AP[2] read-only, PXN clear (EL1 runs it), UXN set, Normal WB. */
		if (!KT_EXPECT(t, e && (e & D_AP2) && !(e & D_PXN) && (e & D_UXN) &&
					  mair_byte((u32)D_ATTRIDX(e)) == ATTR_NORMAL_WB))
			return;
	}
	/* And a store to this very code faults (probe_write puts the same byte back). */
	KT_EXPECT_EQ(t, probe_write(here, *(volatile u8 *)here), 1);
}

static void image_rodata_readonly_nx(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	static const char probe[] = "efimap rodata probe";
	u64 addr = (u64)(uintptr_t)probe, faults, e;
	int level = 0;

	KT_ASSERT(t, h->rodata_start < h->rodata_end);
	KT_EXPECT_EQ(t, h->rodata_start % PAGE_SIZE, 0);
	KT_EXPECT(t, h->rodata_start >= ALIGN_UP(h->text_end, PAGE_SIZE));
	KT_EXPECT(t, addr >= h->rodata_start && addr < h->rodata_end);
	for (u64 va = h->rodata_start; va < h->rodata_end; va += PAGE_SIZE) {
		e = leaf_of(kstate.pml4, va, &level);
		if (!KT_EXPECT(t, e && (e & D_AP2) && (e & D_PXN) && (e & D_UXN)))
			return;
	}
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
			      h->pt_pool_base, ALIGN_UP(h->rodata_end, PAGE_SIZE) };
	int level = 0;

	for (u32 i = 0; i < ARRAY_SIZE(addrs); i++) {
		u64 e = leaf_of(kstate.pml4, addrs[i], &level);

		KT_EXPECT(t, e && !(e & D_AP2) && (e & D_PXN) && (e & D_UXN));
	}
}

/* Accepted memory the kernel has not mapped yet: a unit the bitmap still marks. */
static bool unaccepted(u64 addr)
{
	const struct accept_table *t = kaccept.t;

	return t && addr >= t->phys_base && addr < accept_table_limit(t) &&
	       accept_unit_pending(t, addr);
}

/* What the walk below found. */
struct walk_result {
	u64 leaves;
	u64 wx;		  /* writable (AP[2] clear) and EL1-executable (PXN clear) */
	u64 bad_shape;	  /* a level 0 block, a level 1 block, a reserved level 3 0b01 */
	u64 no_af;	  /* a leaf without the access flag: it would fault */
	u64 el0;	  /* AP[1] set or UXN clear: EL0 could reach it */
	u64 ng;		  /* not global */
	u64 not_identity; /* a leaf whose output address is not its VA */
	u64 beyond_limit; /* a leaf reaching past min(2^PARange, 2^48) */
	u64 bad_share;	  /* Normal memory not inner shareable */
	u64 device_exec;  /* Device memory without PXN */
	u64 table_limits; /* a table descriptor with APTable/XNTable/NSTable bits: unused by efimap
			   */
};

/* Every valid descriptor under table at Arm level `level`, va the address of its slot 0. */
static void walk(const u64 *table, int level, u64 va, u64 limit, struct walk_result *r)
{
	for (u32 i = 0; i < 512; i++) {
		u64 e = table[i], at = va + ((u64)i << (39 - 9 * level));
		u64 size = 1ULL << (39 - 9 * level);
		u8 attr;

		if (!(e & D_VALID))
			continue;
		if (level < 3 && (e & D_TABLE)) {
			r->table_limits += (e >> 59) != 0;
			walk((const u64 *)(uintptr_t)(e & D_OA), level + 1, at, limit, r);
			continue;
		}
		r->leaves++;
		/* Blocks exist at levels 1 and 2 only; efimap makes 2 MiB ones (level 2) alone. */
		if (level != 2 && !(level == 3 && (e & D_TABLE)))
			r->bad_shape++;
		r->no_af += !(e & D_AF);
		r->el0 += (e & D_AP1) || !(e & D_UXN);
		r->ng += !!(e & D_NG);
		r->not_identity += (e & D_OA & ~(size - 1)) != at;
		r->beyond_limit += at + size > limit;
		attr = mair_byte((u32)D_ATTRIDX(e));
		if (attr == ATTR_DEVICE_NGNRNE)
			r->device_exec += !(e & D_PXN);
		else
			r->bad_share += D_SH(e) != 3;
		r->wx += !(e & D_AP2) && !(e & D_PXN);
	}
}

/*
 * Invariant 10 for the kernel's tables, from the descriptors themselves:
 * no leaf writable and EL1-executable, every leaf an identity map below
 * min(2^PARange, 2^48), global, with AF, out of EL0's reach, Normal memory
 * inner shareable, Device memory never executable; only 2 MiB blocks and
 * 4 KiB pages; nothing in the runtime window (the EFI tables' alone).
 */
static void descriptors_follow_the_rules(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const u64 *root = (const u64 *)(uintptr_t)kstate.pml4;
	u64 limit = 1ULL << hw_pa_bits();
	struct walk_result r = { 0 };

	KT_EXPECT_EQ(t, paging_identity_limit(), limit);
	KT_EXPECT_EQ(t, mm_phys_limit(), limit);
	walk(root, 0, 0, limit, &r);
	KT_EXPECT(t, r.leaves > 0);
	KT_EXPECT_EQ(t, r.wx, 0);
	KT_EXPECT_EQ(t, r.bad_shape, 0);
	KT_EXPECT_EQ(t, r.no_af, 0);
	KT_EXPECT_EQ(t, r.el0, 0);
	KT_EXPECT_EQ(t, r.ng, 0);
	KT_EXPECT_EQ(t, r.not_identity, 0);
	KT_EXPECT_EQ(t, r.beyond_limit, 0);
	KT_EXPECT_EQ(t, r.bad_share, 0);
	KT_EXPECT_EQ(t, r.device_exec, 0);
	KT_EXPECT_EQ(t, r.table_limits, 0);
	/* The shared audit agrees: no W+X leaf. */
	KT_EXPECT_EQ(t, pt_count_wx(root, true).wx_leaves, 0);
	/* Not one level 0 slot of the window is used in the kernel's tables. */
	if (h->va_window_size)
		for (u64 s = h->va_window_base >> 39;
		     s <= ((h->va_window_base + h->va_window_size - 1) >> 39) && s < 512; s++)
			KT_EXPECT_EQ(t, root[s], 0);
}

/* Every map entry below the limit 1:1 with its memory type; unaccepted units absent. */
static void map_identity_mapped_by_type(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 limit = 1ULL << hw_pa_bits(), wrong = 0, wrong_type = 0;
	struct mm_iter it;
	struct mm_desc *md;

	for_each_mm_desc (&kstate.map, it, md) {
		u64 first = md->phys_addr ? md->phys_addr : PAGE_SIZE, e;
		bool device = md->type == MM_MMIO || md->type == MM_MMIO_PORT ||
			      !(md->attribute & MM_ATTR_WB);
		int level = 0;

		if (first == h->stack_base)
			first += PAGE_SIZE;
		if (first >= mm_desc_end(md))
			continue;
		if (mm_desc_end(md) > limit) {
			wrong += !!leaf_of(kstate.pml4, first, &level);
			continue;
		}
		/* The framebuffer, the UART and the image are mapped their own ways (above). */
		if ((h->fb_base && first < h->fb_base + h->fb_size &&
		     h->fb_base < mm_desc_end(md)) ||
		    (first <= h->rodata_end && h->text_start < mm_desc_end(md)))
			continue;
		e = leaf_of(kstate.pml4, first, &level);
		if (unaccepted(first)) {
			wrong += !!e;
			continue;
		}
		if (!e) {
			wrong++;
			continue;
		}
		wrong_type += mair_byte((u32)D_ATTRIDX(e)) !=
			      (device ? ATTR_DEVICE_NGNRNE : ATTR_NORMAL_WB);
	}
	KT_EXPECT_EQ(t, wrong, 0);
	KT_EXPECT_EQ(t, wrong_type, 0);
}

/*
 * The runtime window (memmap_layout_window_lower via arch_va_window): in
 * the lower half, ending at or below 2^48, on a level 0 slot of its own
 * (512 GiB aligned, never slot 0), and above every address the CPU can
 * form or, with a 48-bit PARange, every address the map or the
 * framebuffer names; every runtime region's VA inside it and congruent to
 * its PA modulo 2 MiB (so modulo 64 KiB, the arm64 rule).
 */
static void window_in_the_lower_half(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 base = h->va_window_base, end = base + h->va_window_size;
	struct mm_iter it;
	struct mm_desc *md;
	u32 placed = 0;

	if (!h->va_window_size || h->svam_result != HANDOFF_SVAM_OK) {
		ktap_skip(t, "no runtime window in use (SetVirtualAddressMap not made)");
		return;
	}
	KT_EXPECT(t, base >= (1ULL << 39) && base % (1ULL << 39) == 0);
	KT_EXPECT(t, end > base && end <= (1ULL << 48));
	if (hw_pa_bits() < 48) {
		/* 44-bit cortex-a57: 2^44; below 39 bits: 2^39. */
		KT_EXPECT_EQ(t, base, 1ULL << (hw_pa_bits() > 39 ? hw_pa_bits() : 39));
	} else {
		for_each_mm_desc (&kstate.map, it, md)
			KT_EXPECT(t, !md->num_pages || mm_desc_end(md) <= base);
		KT_EXPECT(t, !h->fb_size || h->fb_base + h->fb_size <= base);
	}
	mm_iter_init(&it, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 va = md->virt_addr;

		KT_EXPECT(t, va >= base && va + (md->num_pages << PAGE_SHIFT) <= end);
		KT_EXPECT_EQ(t, va % SZ_2M, md->phys_addr % SZ_2M);
		KT_EXPECT_EQ(t, va % 0x10000, md->phys_addr % 0x10000);
		placed++;
	}
	KT_EXPECT(t, placed > 0);
}

/*
 * A runtime call leaves the translation regime and the interrupt mask as
 * they were: TTBR0, TCR, MAIR, SCTLR, DAIF read before and after.
 */
static void runtime_call_restores_the_regime(struct ktap_test *t)
{
	u64 ttbr0 = sysreg_ttbr0(), tcr = read_sysreg(tcr_el1), mair = read_sysreg(mair_el1);
	u64 sctlr = read_sysreg(sctlr_el1), daif = read_sysreg(daif);
	struct efi_time tm;
	const char *why;
	u64 st;

	if (efi_rt()->off_reason) {
		ktap_skip(t, "runtime services are off");
		return;
	}
	st = efi_get_time(&tm, &why);
	if (why) {
		ktap_skip(t, why);
		return;
	}
	KT_EXPECT(t, st == EFIST_SUCCESS || st == EFIST_UNSUPPORTED || st == EFIST_DEVICE_ERROR);
	KT_EXPECT_EQ(t, sysreg_ttbr0(), ttbr0);
	KT_EXPECT_EQ(t, read_sysreg(tcr_el1), tcr);
	KT_EXPECT_EQ(t, read_sysreg(mair_el1), mair);
	KT_EXPECT_EQ(t, read_sysreg(sctlr_el1), sctlr);
	KT_EXPECT_EQ(t, read_sysreg(daif), daif);
	/* The EFI tables are not the kernel's, and their window slot is theirs alone. */
	KT_EXPECT(t, efi_rt()->pml4 && efi_rt()->pml4 != kstate.pml4);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(running_on_own_tables),
	KTAP_CASE(pool_estimate_bounds_actual_use),
	KTAP_CASE(framebuffer_mapped_nc_xn),
	KTAP_CASE(uart_mapped_device),
	KTAP_CASE(page0_not_mapped),
	KTAP_CASE(stack_guard_page_unmapped),
	KTAP_CASE(image_code_executable_readonly),
	KTAP_CASE(image_rodata_readonly_nx),
	KTAP_CASE(data_not_executable),
	KTAP_CASE(descriptors_follow_the_rules),
	KTAP_CASE(map_identity_mapped_by_type),
	KTAP_CASE(window_in_the_lower_half),
	KTAP_CASE(runtime_call_restores_the_regime),
};
KTAP_SUITE(paging_suite, "paging", cases);
