/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A 4-level page-table builder over a fixed pool of pages, for tables whose
 * virtual and physical addresses differ (the EFI tables map runtime regions
 * twice: at their SetVirtualAddressMap addresses and 1:1). Pure code over
 * memory: a table's address is its pointer, which is its physical address
 * in the identity-mapped kernel and a plain heap address in the host tests.
 *
 * Both arches walk the same shape: 4 levels of 512 eight-byte entries over
 * a 48-bit address, 4 KiB and 2 MiB leaves (x86-64 4-level paging; AArch64
 * with the 4 KiB granule and a 48-bit input range). Only the entries'
 * encoding differs: kernel/x86/pte.h or kernel/arm64/pte.h. The host tests
 * build this code with either (EFIMAP_PTE_ARM64 picks arm64's on any host).
 */
#ifndef EFIMAP_KERNEL_PT_H
#define EFIMAP_KERNEL_PT_H

#if defined(EFIMAP_PTE_ARM64) || defined(__aarch64__)
#include "kernel/arm64/pte.h"
#else
#include "kernel/x86/pte.h"
#endif
#include "memmap/memmap.h"

/* What a walk finds for one address. */
struct pt_lookup {
	bool present;
	u64 phys;
	bool writable;	 /* writes allowed at every level */
	bool executable; /* EL1/supervisor fetches allowed at every level */
	bool uncached;	 /* x86: PCD on the leaf; arm64: not Normal write-back */
	u8 pat_index;	 /* x86: PAT << 2 | PCD << 1 | PWT, the PAT entry; arm64: AttrIndx */
	u32 page_size;	 /* 4096 or 2 MiB */
};

struct pt_pool {
	u64 base; /* first page, 4 KiB aligned */
	u64 pages;
	u64 used;
};

/* A zeroed page from the pool, or NULL when it is used up. */
u64 *pt_pool_alloc(struct pt_pool *p);

/* The next-level table under *slot, created if missing; NULL if the pool ran dry. */
u64 *pt_next_table(struct pt_pool *p, u64 *slot);

/* Replace a 2 MiB leaf by 512 4 KiB leaves with the same attributes (pte_split_flags()). */
u64 *pt_split_2m(struct pt_pool *p, u64 *pde);

/* The page directory covering va, created if needed (create false: NULL if absent). */
u64 *pt_pd_for(struct pt_pool *p, u64 *pml4, u64 va, bool create);

/*
 * Map [va, va + size) to [pa, pa + size) (all 4 KiB aligned, below 2^48 or,
 * on x86, the canonical upper half) with leaf bits leaf (PT_VALID, PT_WRITE,
 * PT_NOEXEC, PT_UNCACHED, PT_WC). 2 MiB pages where va and pa are both 2 MiB aligned
 * and a whole 2 MiB is covered; an existing 2 MiB page that is only partly
 * covered is split and keeps its other pages. What is mapped already in the
 * range is replaced. Returns 0, or -1 when the pool ran dry.
 */
int pt_map(struct pt_pool *p, u64 *pml4, u64 va, u64 pa, u64 size, u64 leaf);

/*
 * pt_map(), except that with replace false a 2 MiB slot already mapped
 * (a table or a large page) keeps its other pages: only the pages of the
 * range are written, splitting a large page if needed.
 */
int pt_map_over(struct pt_pool *p, u64 *pml4, u64 va, u64 pa, u64 size, u64 leaf, bool replace);

/*
 * Remove every mapping of [va, va + size) (4 KiB aligned), splitting 2 MiB
 * pages that are only partly inside. Unmapped parts are skipped, so it can
 * run any number of times. Returns 0, or -1 when a split found no page.
 */
int pt_unmap(struct pt_pool *p, u64 *pml4, u64 va, u64 size);

struct accept_table;

/*
 * Identity-map [start, end) (page-aligned) with leaf bits leaf, keeping
 * what is mapped already (pt_map_over(), replace false), and leaving out
 * every unit the unaccepted bitmap t still marks (NULL: none): touching one
 * must fault, as on confidential hardware, until the kernel accepts it. The
 * 2 MiB directory slots of those units are created now, empty, so that
 * pt_fill_2m() maps them later without a pool page. 0, or -1 (pool dry).
 */
int pt_map_identity_accepting(struct pt_pool *p, u64 *pml4, u64 start, u64 end, u64 leaf,
			      const struct accept_table *t);

/*
 * Identity-map [start, end) (2 MiB aligned) in 2 MiB leaves with leaf bits
 * leaf, into directories that exist already: all or nothing, nothing
 * allocated. The caller drops stale TLB entries. 0, or -1 (a directory is
 * missing, or the range is not 2 MiB aligned).
 */
int pt_fill_2m(u64 *pml4, u64 start, u64 end, u64 leaf);

/* Walk the tables rooted at pml4 for va (what paging_lookup() does for any pml4). */
struct pt_lookup pt_lookup(const u64 *pml4, u64 va);

/* What pt_count_wx() found. */
struct pt_wx {
	u64 leaves;	   /* present leaf entries (4 KiB and 2 MiB pages) */
	u64 wx_leaves;	   /* of those, writable and executable at every level */
	u64 wx_first;	   /* virtual address of the first W+X leaf, when there is one */
	u64 excused_pages; /* 4 KiB pages of W+X leaves the caller excused (not in wx_leaves) */
};

/* Whether the W+X leaf [va, va + size) is one the caller knows is forced on it. */
typedef bool (*pt_wx_excused)(u64 va, u64 size, const void *ctx);

/*
 * The W+X audit (docs/architecture.md invariant 10): walk every present entry of the
 * tables rooted at pml4 and count leaf mappings that are writable (allowed
 * at every level) and executable (denied at none). nx_enabled false (x86:
 * EFER.NXE off) means nothing is ever non-executable.
 */
struct pt_wx pt_count_wx(const u64 *pml4, bool nx_enabled);

/* The same, with W+X leaves excused() accepts counted in excused_pages instead. */
struct pt_wx pt_count_wx_excusing(const u64 *pml4, bool nx_enabled, pt_wx_excused excused,
				  const void *ctx);

#endif
