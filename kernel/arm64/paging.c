// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's AArch64 tables: the same identity map as x86's
 * (kernel/x86/paging.c), 2 MiB blocks wherever a map entry covers a whole
 * aligned 2 MiB and 4 KiB pages at entry edges, so two entries of different
 * memory types never share a block. Page-table pages come from the pool
 * the stub allocated (pgtable_pages_needed() + the framebuffer's +
 * PAGING_EXTRA_PT_PAGES for the UART); nothing here allocates anything else.
 * Only TTBR0 is used: EPD1 keeps the upper half untranslated, and no EFI
 * virtual address is ever mapped here (the runtime window lives in the EFI
 * tables alone, kernel/efi_pt.c).
 */
#include "kernel/arm64/paging.h"
#include "kernel/arm64/cpu.h"
#include "kernel/arm64/serial.h"
#include "kernel/arm64/sysreg.h"
#include "kernel/kernel.h"
#include "kernel/pt.h"
#include "accept/accept.h"

/* Leaves: RAM, read-write, never executable (the image's code gets its own below). */
#define LEAF_RAM    (PT_VALID | PT_WRITE | PT_NOEXEC)
#define LEAF_DEVICE (PT_VALID | PT_WRITE | PT_NOEXEC | PT_UNCACHED)
#define LEAF_FB	    (PT_VALID | PT_WRITE | PT_NOEXEC | PT_WC)

#define SCTLR_C	 (1ULL << 2)  /* data caches on */
#define SCTLR_I	 (1ULL << 12) /* instruction caches on */
#define SCTLR_EE (1ULL << 25) /* big-endian EL1 data */

static const char *fb_cache = "none";

const char *paging_fb_cache(void)
{
	return fb_cache;
}

u64 paging_identity_limit(void)
{
	return 1ULL << cpu_pa_bits(); /* cpu_pa_bits() is at most 48 */
}

u64 paging_tcr_value(u64 parange)
{
	if (parange > 5)
		parange = 5; /* 48 bits: 52-bit output addresses need FEAT_LPA2 descriptors */
	return TCR_T0SZ_48 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
	       TCR_EPD1_OFF | TCR_TG1_4K | (parange << TCR_IPS_SHIFT);
}

void paging_switch(u64 root, u64 mair, u64 tcr)
{
	/* The table writes complete before any walk can see the new root. */
	__asm__ volatile("dsb ishst" : : : "memory");
	write_sysreg(mair_el1, mair);
	write_sysreg(tcr_el1, tcr);
	write_sysreg(ttbr0_el1, root);
	isb();
	/* Entries of the old tables (the firmware's are global: ASIDs do not separate them). */
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
}

/* The memory type leaf bits for one map entry: MMIO and non-WB entries are Device. */
static u64 entry_leaf(const struct mm_desc *md)
{
	if (md->type == MM_MMIO || md->type == MM_MMIO_PORT || !(md->attribute & MM_ATTR_WB))
		return LEAF_DEVICE;
	return LEAF_RAM;
}

int paging_map_accepted(u64 root, u64 start, u64 end)
{
	if (end > paging_identity_limit() ||
	    pt_fill_2m((u64 *)(uintptr_t)root, start, end, LEAF_RAM))
		return -1;
	/* Seen by the next walk; a stale "invalid" is never cached, but be exact anyway. */
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	return 0;
}

/* The GOP framebuffer from the handoff: Normal Non-cacheable, writable, XN. */
static const char *map_handoff_framebuffer(struct pt_pool *p, u64 *root, const struct handoff *h)
{
	u64 start = ALIGN_DOWN(h->fb_base, PAGE_SIZE), end, limit = paging_identity_limit();

	if (h->fb_format == HANDOFF_FB_NONE || !h->fb_base || !h->fb_size)
		return NULL;
	if (h->fb_base >= limit || h->fb_size > limit - h->fb_base) {
		printk("efimap: paging: framebuffer at 0x%llx not mapped: ends above 0x%llx "
		       "(the identity-map limit)",
		       (unsigned long long)h->fb_base, (unsigned long long)limit);
		return NULL;
	}
	end = ALIGN_UP(h->fb_base + h->fb_size, PAGE_SIZE);
	if (pt_map_over(p, root, start, start, end - start, LEAF_FB, true))
		return "page-table pool exhausted (framebuffer)";
	fb_cache = "wc"; /* Normal-NC: what Linux's pgprot_writecombine() gives on arm64 */
	return NULL;
}

/* The PL011's register frame (serial.c found it in SPCR or the device tree): Device-nGnRnE. */
static const char *map_uart(struct pt_pool *p, u64 *root)
{
	u64 base = serial_mmio_base(), size = serial_mmio_size(), start, end;

	if (!base || !size)
		return NULL;
	start = ALIGN_DOWN(base, PAGE_SIZE);
	if (start < PAGE_SIZE || base >= paging_identity_limit() ||
	    size > paging_identity_limit() - base) {
		printk("efimap: paging: serial registers at 0x%llx not mapped: outside "
		       "[0x1000, 0x%llx)",
		       (unsigned long long)base, (unsigned long long)paging_identity_limit());
		return NULL;
	}
	end = ALIGN_UP(base + size, PAGE_SIZE);
	if (pt_map_over(p, root, start, start, end - start, LEAF_DEVICE, true))
		return "page-table pool exhausted (serial)";
	return NULL;
}

/* Say why entry it.index is left out (the x86 lines' wording). */
static void say_not_mapped(u32 index, const struct mm_desc *md, u64 limit)
{
	u64 start = md->phys_addr, end = mm_desc_end(md);

	if (start % PAGE_SIZE || end <= start)
		printk("efimap: paging: mem%02u not mapped: %s", index,
		       start % PAGE_SIZE ? "start not 4 KiB aligned" : "no pages");
	else if (end > MM_PHYS_LIMIT)
		printk("efimap: paging: mem%02u not mapped: beyond 4-level tables (2^48)", index);
	else
		printk("efimap: paging: mem%02u not mapped: ends above 0x%llx (PARange)", index,
		       (unsigned long long)limit);
}

const char *paging_init(const struct handoff *h, const struct memmap *map,
			const struct accept_table *unaccepted, u64 *root_out, u64 *pages_used)
{
	struct pt_pool p = { h->pt_pool_base, h->pt_pool_pages, 0 };
	u64 limit = paging_identity_limit(), sctlr = read_sysreg(sctlr_el1);
	struct mm_iter it;
	struct mm_desc *md;
	const char *err;
	u64 *root;

	/* UEFI 2.10 section 2.3.6.4: the MMU and caches on, little-endian; keep all of it. */
	if ((sctlr & (SCTLR_M | SCTLR_C | SCTLR_I)) != (SCTLR_M | SCTLR_C | SCTLR_I) ||
	    (sctlr & SCTLR_EE))
		return "firmware left SCTLR_EL1 without MMU, caches or little-endian data";
	if (MMFR0_TGRAN4(read_sysreg(id_aa64mmfr0_el1)) == 0xf)
		return "no 4 KiB translation granule (ID_AA64MMFR0_EL1.TGran4)";
	root = pt_pool_alloc(&p);
	if (!root)
		return "page-table pool is empty";

	for_each_mm_desc (map, it, md) {
		u64 start = md->phys_addr, end = mm_desc_end(md);

		if (!mm_desc_mappable(md)) {
			say_not_mapped(it.index, md, limit);
			continue;
		}
		if (end > limit)
			return "map entry past the identity limit passed mm_desc_mappable()";
		if (start == 0)
			start = PAGE_SIZE; /* page 0 stays unmapped: NULL dereferences fault */
		if (start < end &&
		    pt_map_identity_accepting(&p, root, start, end, entry_leaf(md), unaccepted))
			return "page-table pool exhausted";
	}
	/* efimap.kexec: RAM an earlier instance freed that its compacted map no longer lists. */
	for (u32 i = 0; i < h->kexec_nr_free && i < HANDOFF_KEXEC_FREE; i++) {
		u64 start = h->kexec_free[i].base, end = start + h->kexec_free[i].pages * PAGE_SIZE;

		if (start < PAGE_SIZE || start % PAGE_SIZE || end <= start || end > limit)
			return "a free range the earlier instance handed over is not mappable";
		if (pt_map_identity_accepting(&p, root, start, end, LEAF_RAM, unaccepted))
			return "page-table pool exhausted";
	}
	err = map_handoff_framebuffer(&p, root, h);
	if (!err)
		err = map_uart(&p, root);
	if (err)
		return err;

	/*
	 * The image's code: EL1-executable, so read-only (W^X); its constants
	 * read-only and XN. stub/efimap-aa64.lds puts each on pages of its own.
	 */
	if (pt_map_over(&p, root, ALIGN_DOWN(h->text_start, PAGE_SIZE),
			ALIGN_DOWN(h->text_start, PAGE_SIZE),
			ALIGN_UP(h->text_end, PAGE_SIZE) - ALIGN_DOWN(h->text_start, PAGE_SIZE),
			PT_VALID, false) ||
	    pt_map_over(&p, root, ALIGN_DOWN(h->rodata_start, PAGE_SIZE),
			ALIGN_DOWN(h->rodata_start, PAGE_SIZE),
			ALIGN_UP(h->rodata_end, PAGE_SIZE) - ALIGN_DOWN(h->rodata_start, PAGE_SIZE),
			PT_VALID | PT_NOEXEC, false))
		return "page-table pool exhausted";
	/* A guard page under the kernel stack: an overflow faults (taken on the exception stack).
	 */
	if (pt_unmap(&p, root, h->stack_base, PAGE_SIZE))
		return "page-table pool exhausted";

	paging_switch((u64)(uintptr_t)root, MAIR_EL1_VALUE,
		      paging_tcr_value(MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1))));
	*root_out = (u64)(uintptr_t)root;
	*pages_used = p.used;
	return NULL;
}

struct pt_lookup paging_lookup(u64 root, u64 va)
{
	return pt_lookup((const u64 *)(uintptr_t)root, va);
}

bool paging_mapped(u64 root, u64 addr, u64 len)
{
	for (u64 page = ALIGN_DOWN(addr, PAGE_SIZE); page < addr + len; page += PAGE_SIZE)
		if (!paging_lookup(root, page).present)
			return false;
	return true;
}
