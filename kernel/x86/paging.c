// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's page tables. 2 MiB pages wherever a map entry covers a whole
 * aligned 2 MiB, 4 KiB pages at entry edges, so two entries with different
 * cache attributes never share a page. Page-table pages come from the pool
 * the stub allocated (sized by pgtable_pages_needed()); nothing here can
 * allocate anything else.
 */
#include "kernel/kernel.h"
#include "kernel/pt.h"
#include "kernel/x86/cpu.h"
#include "kernel/x86/cpu_features.h"
#include "kernel/x86/paging.h"
#include "accept/accept.h"
#include "lib/string.h"

static u64 *table_at(u64 entry)
{
	return (u64 *)(uintptr_t)(entry & PTE_ADDR);
}

/*
 * Identity-map [start, end) (page-aligned) with 4 KiB leaf flags leaf, in
 * 2 MiB pages where alignment allows (the PAT bit moves from bit 7 to bit 12
 * there). replace: overwrite what is mapped already (the framebuffer, which
 * some firmware also lists as MMIO or reserved memory); otherwise an
 * existing 2 MiB mapping is split and keeps its other pages.
 */
static int map_range(struct pt_pool *p, u64 *pml4, u64 start, u64 end, u64 leaf, bool replace)
{
	return pt_map_over(p, pml4, start, start, end - start, leaf, replace);
}

/* Set and clear leaf flags on [start, end), splitting 2 MiB pages where needed. */
static int protect_range(struct pt_pool *p, u64 *pml4, u64 start, u64 end, u64 set, u64 clear)
{
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 *pd = pt_pd_for(p, pml4, va, true), *pde, *pt;

		if (!pd)
			return -1;
		pde = &pd[(va >> 21) & 511];
		if (!(*pde & PTE_P))
			continue;
		pt = (*pde & PTE_PS) ? pt_split_2m(p, pde) : table_at(*pde);
		if (!pt)
			return -1;
		if (pt[(va >> 12) & 511] & PTE_P)
			pt[(va >> 12) & 511] = (pt[(va >> 12) & 511] | set) & ~clear;
	}
	return 0;
}

static const char *fb_cache = "none";
static u64 pat_at_entry;

const char *paging_fb_cache(void)
{
	return fb_cache;
}

u64 paging_pat_at_entry(void)
{
	return pat_at_entry;
}

/*
 * Make PAT entry 4 write-combining (Intel SDM vol. 3 section 11.12): after
 * reset the entries are WB WT UC- UC WB WT UC- UC, so entry 4 only repeats
 * entry 0 and nothing relies on it; entries 0-3, which the PCD/PWT bits of
 * every other mapping select (the firmware's too), keep their values.
 * Only where CPUID reports PAT: without it IA32_PAT does not exist and
 * reading it #GPs (SDM vol. 3A 11.12.1).
 */
static void pat_make_entry4_wc(void)
{
	u64 pat = rdmsr(MSR_PAT);

	pat_at_entry = pat;
	pat = (pat & ~(0xffULL << 32)) | ((u64)PAT_TYPE_WC << 32);
	wrmsr(MSR_PAT, pat);
}

/* The GOP framebuffer from the handoff: writable, NX, WC (PAT) or else UC. */
static const char *map_handoff_framebuffer(struct pt_pool *p, u64 *pml4, const struct handoff *h,
					   const struct cpu_features *f, u64 nx)
{
	u64 start = ALIGN_DOWN(h->fb_base, PAGE_SIZE), end, leaf = PTE_P | PTE_W | nx;
	u64 limit = cpu_identity_limit(f->maxphyaddr);

	if (h->fb_format == HANDOFF_FB_NONE || !h->fb_base || !h->fb_size)
		return NULL;
	if (h->fb_base >= limit || h->fb_size > limit - h->fb_base) {
		printk("efimap: paging: framebuffer at 0x%llx not mapped: ends above 0x%llx "
		       "(the identity-map limit)",
		       (unsigned long long)h->fb_base, (unsigned long long)limit);
		return NULL;
	}
	end = ALIGN_UP(h->fb_base + h->fb_size, PAGE_SIZE);
	if (f->pat) {
		pat_make_entry4_wc();
		leaf |= PTE_PAT;
	} else {
		leaf |= PTE_PCD | PTE_PWT;
	}
	if (map_range(p, pml4, start, end, leaf, true))
		return "page-table pool exhausted (framebuffer)";
	fb_cache = (leaf & PTE_PAT) ? "wc" : "uc";
	return NULL;
}

/* PTE_NX when the probe found EFER.NXE usable (cpu_nx()), else 0. */
static u64 kernel_nx;

u64 paging_identity_limit(void)
{
	return cpu_identity_limit(cpu_features()->maxphyaddr);
}

int paging_map_accepted(u64 pml4, u64 start, u64 end)
{
	if (end > paging_identity_limit() ||
	    pt_fill_2m((u64 *)(uintptr_t)pml4, start, end, PT_VALID | PT_WRITE | kernel_nx))
		return -1;
	for (u64 va = start; va < end; va += SZ_2M)
		invlpg(va);
	return 0;
}

const char *paging_init(const struct handoff *h, const struct memmap *map,
			const struct accept_table *unaccepted, u64 *pml4_out, u64 *pages_used)
{
	struct pt_pool p = { h->pt_pool_base, h->pt_pool_pages, 0 };
	const struct cpu_features *f = cpu_features_probe(h);
	u64 nx = f->nxe ? PTE_NX : 0, limit = cpu_identity_limit(f->maxphyaddr);
	struct mm_iter it;
	struct mm_desc *md;
	const char *err;
	u64 *pml4;

	/* These tables have 4 levels; under 5-level paging CR3 would read them as a PML5. */
	if (f->la57_on)
		return "firmware left 5-level paging on (CR4.LA57); 4-level tables only";
	/* The probe set EFER.NXE if it can be set; without it bit 63 is reserved (SDM 3A 4.5.4). */
	kernel_nx = nx;
	pml4 = pt_pool_alloc(&p);
	if (!pml4)
		return "page-table pool is empty";

	for_each_mm_desc (map, it, md) {
		u64 start = md->phys_addr, end = mm_desc_end(md);
		u64 cache = (md->attribute & MM_ATTR_WB) ? 0 : PTE_PCD | PTE_PWT;

		if (!mm_desc_mappable(md)) {
			/*
			 * Not mappable as described: say so, map the rest. Past
			 * MAXPHYADDR the address does not exist (the entry would
			 * set reserved bits); from 2^47 on, an identity VA is not
			 * canonical and its PML4 slot (256-511) is the upper
			 * half, where the runtime window lives. The probe lowered
			 * mm_desc_mappable()'s limit to match.
			 */
			if (start % PAGE_SIZE || end <= start)
				printk("efimap: paging: mem%02u not mapped: %s", it.index,
				       start % PAGE_SIZE ? "start not 4 KiB aligned" : "no pages");
			else if (end > MM_PHYS_LIMIT)
				printk("efimap: paging: mem%02u not mapped: beyond 4-level paging "
				       "(2^48)",
				       it.index);
			else
				printk("efimap: paging: mem%02u not mapped: ends above 0x%llx (%s)",
				       it.index, (unsigned long long)limit,
				       limit < CPU_CANONICAL_LOW_LIMIT ? "MAXPHYADDR"
								       : "2^47, the upper half");
			continue;
		}
		if (end > limit)
			return "map entry past the identity limit passed mm_desc_mappable()";
		if (start == 0)
			start = PAGE_SIZE; /* page 0 stays unmapped: NULL dereferences fault */
		if (start < end &&
		    pt_map_identity_accepting(&p, pml4, start, end, PTE_P | PTE_W | nx | cache,
					      unaccepted))
			return "page-table pool exhausted";
	}
	/*
	 * efimap.kexec: RAM an earlier instance freed that its compacted map no
	 * longer lists (kernel/kexec.c hands it over as Linux hands E820 RAM
	 * over beside the EFI map). The first instance had it mapped as
	 * boot-services memory, so the pool holds room for it.
	 */
	for (u32 i = 0; i < h->kexec_nr_free && i < HANDOFF_KEXEC_FREE; i++) {
		u64 start = h->kexec_free[i].base, end = start + h->kexec_free[i].pages * PAGE_SIZE;

		if (start < PAGE_SIZE || start % PAGE_SIZE || end <= start || end > limit)
			return "a free range the earlier instance handed over is not mappable";
		if (pt_map_identity_accepting(&p, pml4, start, end, PTE_P | PTE_W | nx, unaccepted))
			return "page-table pool exhausted";
	}
	err = map_handoff_framebuffer(&p, pml4, h, f, nx);
	if (err)
		return err;

	/* The image's code: executable, and therefore not writable (W^X). */
	if (protect_range(&p, pml4, ALIGN_DOWN(h->text_start, PAGE_SIZE),
			  ALIGN_UP(h->text_end, PAGE_SIZE), 0, PTE_W | PTE_NX))
		return "page-table pool exhausted";
	/*
	 * Its constants: read-only, still not executable. stub/efimap.lds starts
	 * .rodata on a page and the next section on a later page, so no writable
	 * data shares these pages.
	 */
	if (protect_range(&p, pml4, ALIGN_DOWN(h->rodata_start, PAGE_SIZE),
			  ALIGN_UP(h->rodata_end, PAGE_SIZE), 0, PTE_W))
		return "page-table pool exhausted";

	/* A guard page under the kernel stack: an overflow faults, reported on an IST stack. */
	if (protect_range(&p, pml4, h->stack_base, h->stack_base + PAGE_SIZE, 0, PTE_P))
		return "page-table pool exhausted";

	write_cr0(read_cr0() | CR0_WP); /* read-only applies to the kernel too */
	write_cr3((u64)(uintptr_t)pml4);
	/* Global TLB entries survive a CR3 load; toggling PGE flushes the firmware's. */
	if (read_cr4() & CR4_PGE) {
		write_cr4(read_cr4() & ~CR4_PGE);
		write_cr4(read_cr4() | CR4_PGE);
	}
	*pml4_out = (u64)(uintptr_t)pml4;
	*pages_used = p.used;
	return NULL;
}

struct pt_lookup paging_lookup(u64 pml4, u64 va)
{
	/* One walker for both sets of tables (kernel/pt.c). */
	return pt_lookup((const u64 *)(uintptr_t)pml4, va);
}

bool paging_mapped(u64 pml4, u64 addr, u64 len)
{
	for (u64 page = ALIGN_DOWN(addr, PAGE_SIZE); page < addr + len; page += PAGE_SIZE)
		if (!paging_lookup(pml4, page).present)
			return false;
	return true;
}
