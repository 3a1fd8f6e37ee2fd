// SPDX-License-Identifier: BSD-2-Clause
/*
 * The page-table builder behind the EFI tables (kernel/efi_pt.c) and the
 * kernel's own: map, unmap, walk and audit 4-level tables (x86-64: Intel
 * SDM vol. 3 section 4.5; AArch64: Arm ARM D8.2, 4 KiB granule, levels
 * 0-3) in a fixed pool, with the arch's entries from its pte.h. Nothing
 * here touches a CPU register, so the host tests run the same code.
 * Levels are counted from the leaf: 0 holds 4 KiB pages, 1 2 MiB pages,
 * 3 is the root (x86's PML4, Arm's level 0 table).
 */
#include "kernel/pt.h"
#include "accept/accept.h"
#include "lib/string.h"

u64 *pt_pool_alloc(struct pt_pool *p)
{
	u64 *t;

	if (p->used >= p->pages)
		return NULL;
	t = (u64 *)(uintptr_t)(p->base + p->used++ * PAGE_SIZE);
	memset(t, 0, PAGE_SIZE);
	return t;
}

static u64 *table_at(u64 entry)
{
	return (u64 *)(uintptr_t)pte_addr(entry);
}

static unsigned int index_of(u64 va, int level)
{
	return (unsigned int)((va >> (12 + 9 * level)) & 511);
}

u64 *pt_next_table(struct pt_pool *p, u64 *slot)
{
	u64 *t;

	if (pte_valid(*slot))
		return table_at(*slot);
	t = pt_pool_alloc(p);
	if (t)
		*slot = pte_make_table((u64)(uintptr_t)t);
	return t;
}

u64 *pt_split_2m(struct pt_pool *p, u64 *pde)
{
	u64 *pt = pt_pool_alloc(p);
	u64 base = pte_addr(*pde) & ~(SZ_2M - 1), flags = pte_split_flags(*pde);

	if (!pt)
		return NULL;
	for (u64 i = 0; i < 512; i++)
		pt[i] = (base + i * PAGE_SIZE) | flags;
	*pde = pte_make_table((u64)(uintptr_t)pt);
	return pt;
}

u64 *pt_pd_for(struct pt_pool *p, u64 *pml4, u64 va, bool create)
{
	u64 *pml4e = &pml4[index_of(va, 3)], *pdpt, *pdpte;

	if (!create && !pte_valid(*pml4e))
		return NULL;
	pdpt = pt_next_table(p, pml4e);
	if (!pdpt)
		return NULL;
	pdpte = &pdpt[index_of(va, 2)];
	if (!create && !pte_valid(*pdpte))
		return NULL;
	return pt_next_table(p, pdpte);
}

int pt_map(struct pt_pool *p, u64 *pml4, u64 va, u64 pa, u64 size, u64 leaf)
{
	return pt_map_over(p, pml4, va, pa, size, leaf, true);
}

int pt_map_over(struct pt_pool *p, u64 *pml4, u64 va, u64 pa, u64 size, u64 leaf, bool replace)
{
	u64 off = 0;

	while (off < size) {
		u64 v = pt_canonical(va + off), a = pa + off;
		u64 *pd = pt_pd_for(p, pml4, v, true), *pde, *pt;

		if (!pd)
			return -1;
		pde = &pd[index_of(v, 1)];
		if (v % SZ_2M == 0 && a % SZ_2M == 0 && size - off >= SZ_2M &&
		    (replace || !pte_valid(*pde))) {
			/* A table that was here covered only these 2 MiB: it is simply dropped. */
			*pde = pte_make_block(a, leaf);
			off += SZ_2M;
			continue;
		}
		if (pte_valid(*pde) && pte_is_leaf(*pde, 1))
			pt = pt_split_2m(p, pde);
		else
			pt = pt_next_table(p, pde);
		if (!pt)
			return -1;
		pt[index_of(v, 0)] = pte_make_page(a, leaf);
		off += PAGE_SIZE;
	}
	return 0;
}

int pt_unmap(struct pt_pool *p, u64 *pml4, u64 va, u64 size)
{
	u64 off = 0;

	while (off < size) {
		u64 v = pt_canonical(va + off);
		u64 *pd = pt_pd_for(p, pml4, v, false), *pde, *pt;

		if (!pd) {
			/* Nothing mapped up to the next 1 GiB. */
			off += SZ_1G - (v & (SZ_1G - 1));
			continue;
		}
		pde = &pd[index_of(v, 1)];
		if (!pte_valid(*pde)) {
			off += SZ_2M - (v & (SZ_2M - 1));
			continue;
		}
		if (pte_is_leaf(*pde, 1)) {
			if (v % SZ_2M == 0 && size - off >= SZ_2M) {
				*pde = 0;
				off += SZ_2M;
				continue;
			}
			if (!pt_split_2m(p, pde))
				return -1;
		}
		pt = table_at(*pde);
		pt[index_of(v, 0)] = 0;
		off += PAGE_SIZE;
	}
	return 0;
}

struct pt_lookup pt_lookup(const u64 *pml4, u64 va)
{
	struct pt_lookup r = { .writable = true, .executable = true };
	const u64 *table = pml4;

	for (int level = 3; level >= 0; level--) {
		u64 e = table[index_of(va, level)];
		bool leaf;

		if (!pte_valid(e))
			return (struct pt_lookup){ 0 };
		leaf = pte_is_leaf(e, level);
		r.writable &= pte_allows_write(e, leaf);
		r.executable &= pte_allows_exec(e, leaf);
		if (leaf && level <= 1) {
			u64 size = level ? SZ_2M : PAGE_SIZE;

			r.present = true;
			r.uncached = pte_uncached(e);
			r.pat_index = pte_attr_index(e, level);
			r.page_size = (u32)size;
			r.phys = (pte_addr(e) & ~(size - 1)) | (va & (size - 1));
			return r;
		}
		if (leaf)
			return (struct pt_lookup){ 0 }; /* 1 GiB pages are never created */
		table = table_at(e);
	}
	return (struct pt_lookup){ 0 };
}

struct wx_audit {
	bool nx_enabled;
	pt_wx_excused excused;
	const void *ctx;
	struct pt_wx *r;
};

/* One level of the audit; w and x say what the levels above allow. */
static void count_wx(const u64 *table, int level, u64 va, bool w, bool x, const struct wx_audit *a)
{
	struct pt_wx *r = a->r;
	bool nx_enabled = a->nx_enabled;

	for (u64 i = 0; i < 512; i++) {
		u64 e = table[i], v = pt_canonical(va | (i << (12 + 9 * level)));
		bool leaf, ew, ex;

		if (!pte_valid(e))
			continue;
		leaf = pte_is_leaf(e, level);
		ew = w && pte_allows_write(e, leaf);
		ex = x && (!nx_enabled || pte_allows_exec(e, leaf));
		if (leaf && level <= 2) {
			u64 size = 1ULL << (12 + 9 * level);

			r->leaves++;
			if (!ew || !ex)
				continue;
			if (a->excused && a->excused(v, size, a->ctx))
				r->excused_pages += size / PAGE_SIZE;
			else if (!r->wx_leaves++)
				r->wx_first = v;
			continue;
		}
		count_wx(table_at(e), level - 1, v, ew, ex, a);
	}
}

struct pt_wx pt_count_wx_excusing(const u64 *pml4, bool nx_enabled, pt_wx_excused excused,
				  const void *ctx)
{
	struct pt_wx r = { 0 };
	struct wx_audit a = { nx_enabled, excused, ctx, &r };

	count_wx(pml4, 3, 0, true, true, &a);
	return r;
}

struct pt_wx pt_count_wx(const u64 *pml4, bool nx_enabled)
{
	return pt_count_wx_excusing(pml4, nx_enabled, NULL, NULL);
}

int pt_map_identity_accepting(struct pt_pool *p, u64 *pml4, u64 start, u64 end, u64 leaf,
			      const struct accept_table *t)
{
	for (u64 at = start, next; at < end; at = next) {
		bool marked = false;

		next = t ? accept_stretch(t, at, end, &marked) : end;
		if (!marked) {
			if (pt_map_over(p, pml4, at, at, next - at, leaf, false))
				return -1;
			continue;
		}
		for (u64 va = ALIGN_DOWN(at, SZ_2M); va < next; va += SZ_2M)
			if (!pt_pd_for(p, pml4, va, true))
				return -1;
	}
	return 0;
}

int pt_fill_2m(u64 *pml4, u64 start, u64 end, u64 leaf)
{
	struct pt_pool none = { 0, 0, 0 }; /* the directories exist: nothing may be allocated */

	if (start % SZ_2M || end % SZ_2M || end < start)
		return -1;
	for (u64 va = start; va < end; va += SZ_2M)
		if (!pt_pd_for(&none, pml4, va, false))
			return -1;
	/* The slots were not valid, so no TLB entry holds them: no break-before-make. */
	for (u64 va = start; va < end; va += SZ_2M)
		pt_pd_for(&none, pml4, va, false)[index_of(va, 1)] = pte_make_block(va, leaf);
	return 0;
}
