// SPDX-License-Identifier: BSD-2-Clause
/*
 * Building the EFI page tables. Two halves in one root table, and nothing
 * shared with the kernel's tables (seed 003: Linux's EFI mappings leaked
 * into the kernel through shared top-level entries): the 1:1 half (tables
 * of its own) and the runtime window. On x86 the window is efimap.va=,
 * default -256 GiB: the upper half, where no physical address can be; on
 * arm64 it is in the lower (TTBR0) half above every address of the machine
 * (memmap/layout.h), as seed 002 lays it out.
 */
#include "kernel/efi_pt.h"

const char *efi_mat_check(const struct efi_mat_header *mat)
{
	if (!mat)
		return "no table";
	if (mat->version < 1 || mat->version > 2)
		return "unknown version";
	if (mat->desc_size < MM_DESC_MIN_SIZE || mat->desc_size % 8)
		return "bad descriptor size";
	if (mat->nr_entries > EFI_MAT_MAX_ENTRIES)
		return "too many entries";
	return NULL;
}

static const struct mm_desc *mat_entry(const struct efi_mat_header *mat, u32 i)
{
	return (const struct mm_desc *)((const u8 *)(mat + 1) + (size_t)i * mat->desc_size);
}

static u64 cache_flags(const struct mm_desc *md)
{
	/* MMIO is uncached whatever it claims; RAM is write-back when the entry allows it. */
	if (md->type == MM_MMIO || md->type == MM_MMIO_PORT || !(md->attribute & MM_ATTR_WB))
		return PT_UNCACHED;
	return 0;
}

/*
 * The MAT entry covering pa, or NULL. UEFI 2.10 section 4.6.4: entries do
 * not overlap, so the first match is the only one.
 */
static const struct mm_desc *mat_cover(const struct efi_mat_header *mat, u64 pa)
{
	for (u32 i = 0; mat && i < mat->nr_entries; i++) {
		const struct mm_desc *m = mat_entry(mat, i);

		if (pa >= m->phys_addr && pa < mm_desc_end(m))
			return m;
	}
	return NULL;
}

u64 efi_pt_runtime_leaf(const struct efi_pt_input *in, const struct mm_desc *md, u64 pa,
			u32 *forced)
{
	const struct efi_mat_header *mat = in->mat && !efi_mat_check(in->mat) ? in->mat : NULL;
	const struct mm_desc *m = mat_cover(mat, pa);
	u64 leaf = PT_VALID | cache_flags(md), nx = in->nx ? PT_NOEXEC : 0;
	u32 why;

	if (forced)
		*forced = EFI_WX_NONE;
	if (m && (m->attribute & (MM_ATTR_RO | MM_ATTR_XP)))
		return leaf | ((m->attribute & MM_ATTR_RO) ? 0 : PT_WRITE) |
		       ((m->attribute & MM_ATTR_XP) ? nx : 0);
	if (md->type != MM_RUNTIME_CODE)
		return leaf | PT_WRITE | nx;
	/* Runtime code the firmware does not split into text and data: it may write it. */
	why = !mat ? EFI_WX_NO_MAT : m ? EFI_WX_MAT_NEITHER : EFI_WX_MAT_UNCOVERED;
	if (forced)
		*forced = why;
	return in->wx_strict ? leaf : leaf | PT_WRITE;
}

bool efi_pt_forced_wx(const struct efi_pt_input *in, u64 va, u64 size)
{
	struct mm_iter it;
	struct mm_desc *md;

	mm_iter_init(&it, in->map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 bytes = md->num_pages << PAGE_SHIFT, pa;
		u32 why;

		if (md->type != MM_RUNTIME_CODE)
			continue;
		if (va >= md->phys_addr && va - md->phys_addr < bytes)
			pa = va;
		else if (md->virt_addr && va >= md->virt_addr && va - md->virt_addr < bytes)
			pa = md->phys_addr + (va - md->virt_addr);
		else
			continue;
		if (pa + size > mm_desc_end(md))
			return false;
		for (u64 off = 0; off < size; off += PAGE_SIZE) {
			efi_pt_runtime_leaf(in, md, pa + off, &why);
			if (why == EFI_WX_NONE)
				return false;
		}
		return true;
	}
	return false;
}

/*
 * Map runtime entry md at va (its VA, or its PA for the 1:1 half) in runs
 * of pages with equal flags, so 2 MiB pages are used where they can be.
 */
static int map_runtime(struct pt_pool *p, const struct efi_pt_input *in, u64 *pml4,
		       const struct mm_desc *md, u64 va)
{
	u64 size = md->num_pages << PAGE_SHIFT, run = 0, run_leaf = 0;

	for (u64 off = 0; off <= size; off += PAGE_SIZE) {
		u64 leaf = off < size ? efi_pt_runtime_leaf(in, md, md->phys_addr + off, NULL) : 0;

		if (off && (off == size || leaf != run_leaf)) {
			if (pt_map(p, pml4, va + run, md->phys_addr + run, off - run, run_leaf))
				return -1;
			run = off;
		}
		run_leaf = leaf;
	}
	return 0;
}

/* Flags of a non-runtime entry in the 1:1 half. */
static u64 plain_leaf(const struct efi_pt_input *in, const struct mm_desc *md)
{
	u64 nx = in->nx ? PT_NOEXEC : 0;

	/* Boot-services code may still be called by buggy firmware: executable, read-only. */
	if (md->type == MM_BOOT_CODE)
		return PT_VALID | cache_flags(md) | (in->svam_call ? PT_WRITE : 0);
	return PT_VALID | PT_WRITE | nx | cache_flags(md);
}

/* Identity-map [start, end), leaving page 0 out. */
static int map_identity(struct pt_pool *p, u64 *pml4, u64 start, u64 end, u64 leaf)
{
	if (start == 0)
		start = PAGE_SIZE;
	if (start >= end)
		return 0;
	return pt_map(p, pml4, start, start, end - start, leaf);
}

const char *efi_pt_build(struct pt_pool *p, const struct efi_pt_input *in, struct efi_pt_result *r)
{
	u64 nx = in->nx ? PT_NOEXEC : 0;
	struct mm_iter it;
	struct mm_desc *md;
	u32 why;

	*r = (struct efi_pt_result){ 0 };
	r->pml4 = pt_pool_alloc(p);
	if (!r->pml4)
		return "page-table pool is empty";

	/*
	 * The 1:1 half: every mappable entry, boot-services code read-only.
	 * Unlike the kernel's tables it also maps units still unaccepted: a
	 * runtime call may be handed a buffer from a unit accepted later, and
	 * firmware has no business touching any other.
	 */
	for_each_mm_desc (in->map, it, md) {
		if (!mm_desc_mappable(md)) {
			r->not_mapped++;
			continue;
		}
		if (mm_is_runtime(md, NULL))
			continue;
		if (map_identity(p, r->pml4, md->phys_addr, mm_desc_end(md), plain_leaf(in, md)))
			return "page-table pool exhausted (1:1 half)";
	}
	/* The kernel image: code executable and read-only, constants read-only (W^X). */
	if (map_identity(p, r->pml4, ALIGN_DOWN(in->text_start, PAGE_SIZE),
			 ALIGN_UP(in->text_end, PAGE_SIZE), PT_VALID) ||
	    map_identity(p, r->pml4, ALIGN_DOWN(in->rodata_start, PAGE_SIZE),
			 ALIGN_UP(in->rodata_end, PAGE_SIZE), PT_VALID | nx))
		return "page-table pool exhausted (kernel image)";
	if (in->guard_page && pt_unmap(p, r->pml4, in->guard_page, PAGE_SIZE))
		return "page-table pool exhausted (stack guard)";

	/* Runtime regions, 1:1 and at their virtual addresses, with the same permissions. */
	mm_iter_init(&it, in->map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		if (!mm_desc_mappable(md))
			continue;
		for (u64 pa = md->phys_addr; pa < mm_desc_end(md); pa += PAGE_SIZE) {
			efi_pt_runtime_leaf(in, md, pa, &why);
			r->forced_why |= why;
			r->forced_pages += why != EFI_WX_NONE;
		}
		if (md->phys_addr == 0) {
			/* Page 0 stays unmapped even here; the rest of the entry is mapped. */
			struct mm_desc rest = *md;

			rest.phys_addr = PAGE_SIZE;
			rest.num_pages--;
			if (rest.num_pages && map_runtime(p, in, r->pml4, &rest, PAGE_SIZE))
				return "page-table pool exhausted (runtime 1:1)";
		} else if (map_runtime(p, in, r->pml4, md, md->phys_addr)) {
			return "page-table pool exhausted (runtime 1:1)";
		}
		if (md->virt_addr) {
			if (map_runtime(p, in, r->pml4, md, md->virt_addr))
				return "page-table pool exhausted (runtime window)";
			r->runtime_entries++;
		}
	}

	/* What the MAT contributed, for the summary line. */
	if (in->mat && !efi_mat_check(in->mat)) {
		for (u32 i = 0; i < in->mat->nr_entries; i++) {
			const struct mm_desc *m = mat_entry(in->mat, i);
			s64 at = memmap_find(in->map, m->phys_addr);

			if (at < 0 || !mm_is_runtime(memmap_desc(in->map, (u32)at), NULL))
				r->mat_outside++;
			else if (!(m->attribute & (MM_ATTR_RO | MM_ATTR_XP)))
				r->mat_wx++;
			else
				r->mat_entries++;
		}
	}
	return NULL;
}

int efi_pt_unmap_bs(struct pt_pool *p, u64 *pml4, const struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;

	mm_iter_init(&it, map, mm_is_reclaimable, NULL);
	while ((md = mm_iter_next(&it))) {
		if (!mm_desc_mappable(md))
			continue;
		if (pt_unmap(p, pml4, md->phys_addr, md->num_pages << PAGE_SHIFT))
			return -1;
	}
	return 0;
}

void efi_pt_note_bs(struct efi_pt_ranges *r, const struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;

	r->n = 0;
	r->overflow = false;
	mm_iter_init(&it, map, mm_is_reclaimable, NULL);
	while ((md = mm_iter_next(&it))) {
		if (!mm_desc_mappable(md))
			continue;
		/* OVMF lists boot code and data side by side: one range for a run of them. */
		if (r->n && r->end[r->n - 1] == md->phys_addr) {
			r->end[r->n - 1] = mm_desc_end(md);
			continue;
		}
		if (r->n == EFI_PT_MAX_BS_RANGES) {
			r->overflow = true;
			continue;
		}
		r->start[r->n] = md->phys_addr;
		r->end[r->n] = mm_desc_end(md);
		r->n++;
	}
}

int efi_pt_unmap_ranges(struct pt_pool *p, u64 *pml4, const struct efi_pt_ranges *r)
{
	for (u32 i = 0; i < r->n; i++)
		if (pt_unmap(p, pml4, r->start[i], r->end[i] - r->start[i]))
			return -1;
	return 0;
}
