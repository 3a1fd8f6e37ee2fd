// SPDX-License-Identifier: BSD-2-Clause
/*
 * Transition tables for re-entry: the new instance must run, as the first
 * did on the firmware's tables, on an identity map until its paging_init()
 * switches to tables of its own; those are built in the same page-table
 * pool the old instance's live tables occupy, so the old ones cannot stay
 * loaded. Linux's kexec builds such tables too (machine_kexec_64.c).
 */
#include "kernel/kexec_pt.h"
#include "kernel/arch.h"
#include "kernel/pgtable_size.h"
#include "kernel/pt.h"

/* Whether the new instance may touch this entry before its own tables (RAM the kernel maps). */
static bool wanted(const struct mm_desc *md)
{
	u64 end = mm_desc_end(md);

	return md->num_pages && mm_desc_mappable(md) && md->type != MM_MMIO &&
	       md->type != MM_MMIO_PORT && md->type != MM_UNACCEPTED &&
	       !(md->phys_addr & (PAGE_SIZE - 1)) && end > md->phys_addr &&
	       end <= paging_identity_limit();
}

/* [base, base + size) rounded out to pages, identity-mapped with leaf; 0 or -1. */
static int map_pages(struct pt_pool *pool, u64 *pml4, u64 base, u64 size, u64 leaf)
{
	u64 start = ALIGN_DOWN(base, PAGE_SIZE);

	return pt_map(pool, pml4, start, start, ALIGN_UP(base + size, PAGE_SIZE) - start, leaf);
}

u64 kexec_pt_build(const struct handoff *h, const struct memmap *map, struct palloc *pa,
		   const char **why)
{
	/* The kernel's own estimate for the map, plus the framebuffer, the console and a margin. */
	u64 pages = pgtable_pages_needed(map, h->text_start, h->rodata_end, 0) +
		    pgtable_pages_for_range(h->fb_base, h->fb_size) +
		    pgtable_pages_for_range(serial_mmio_base(), serial_mmio_size()) + 8;
	struct pt_pool pool = { palloc_alloc(pa, pages), pages, 0 };
	struct mm_iter it;
	struct mm_desc *md;
	u64 *pml4;

	if (!pool.base) {
		*why = "no free pages for the transition page tables";
		return 0;
	}
	pml4 = pt_pool_alloc(&pool);
	for_each_mm_desc (map, it, md)
		if (wanted(md) && pt_map(&pool, pml4, md->phys_addr, md->phys_addr,
					 md->num_pages << PAGE_SHIFT, PT_VALID | PT_WRITE)) {
			*why = "the transition page tables outgrew their pages";
			return 0;
		}
	if (h->fb_base && h->fb_size &&
	    map_pages(&pool, pml4, h->fb_base, h->fb_size, PT_VALID | PT_WRITE)) {
		*why = "the transition page tables outgrew their pages (framebuffer)";
		return 0;
	}
	/* A memory-mapped console (arm64's PL011): the new instance prints before its own tables.
	 */
	if (serial_mmio_size() && map_pages(&pool, pml4, serial_mmio_base(), serial_mmio_size(),
					    PT_VALID | PT_WRITE | PT_UNCACHED | PT_NOEXEC)) {
		*why = "the transition page tables outgrew their pages (console)";
		return 0;
	}
	return (u64)(uintptr_t)pml4;
}
