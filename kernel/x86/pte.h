/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86-64 page-table entries (Intel SDM vol. 3A section 4.5, tables 4-15 to
 * 4-20): the descriptor encoding behind the shared table logic of
 * kernel/pt.c and kernel/efi_pt.c (kernel/arm64/pte.h is the twin).
 *
 * A leaf is described to kernel/pt.c by a word of PT_* bits. On x86 those
 * ARE the entry's own bits (P, R/W, PCD|PWT, PAT, XD), so a 4 KiB leaf is
 * just pa | leaf, exactly as the tables were written before the split.
 */
#ifndef EFIMAP_KERNEL_X86_PTE_H
#define EFIMAP_KERNEL_X86_PTE_H

#include "lib/types.h"

#define PTE_P	 (1ULL << 0)
#define PTE_W	 (1ULL << 1)
#define PTE_PWT	 (1ULL << 3)
#define PTE_PCD	 (1ULL << 4)
#define PTE_PS	 (1ULL << 7)
#define PTE_PAT	 (1ULL << 7)  /* PAT index bit 2, in a 4 KiB leaf (where PS would be) */
#define PDE_PAT	 (1ULL << 12) /* PAT index bit 2, in a 2 MiB leaf */
#define PTE_NX	 (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

/* The arch-neutral leaf bits (kernel/pt.h), as x86 spells them. */
#define PT_VALID    PTE_P
#define PT_WRITE    PTE_W
#define PT_NOEXEC   PTE_NX		/* only where EFER.NXE is set: reserved otherwise */
#define PT_UNCACHED (PTE_PCD | PTE_PWT) /* PAT entry 3: UC */
#define PT_WC	    PTE_PAT		/* PAT entry 4, made WC by kernel/x86/paging.c */

/* Entries that deny write or execution to everything below them (tests set these). */
#define PTE_TABLE_NOEXEC PTE_NX

/* Whether entry e maps anything (a table or a page). */
static inline bool pte_valid(u64 e)
{
	return e & PTE_P;
}

/* Whether the valid entry e at level (0: PTE ... 3: PML4E) is a leaf, not a table. */
static inline bool pte_is_leaf(u64 e, int level)
{
	return level == 0 || (e & PTE_PS);
}

/* A table entry pointing at the table at pa; its leaves decide W and NX. */
static inline u64 pte_make_table(u64 pa)
{
	return pa | PTE_P | PTE_W;
}

/* The physical address a table entry points at, or a leaf's frame (before masking its size). */
static inline u64 pte_addr(u64 e)
{
	return e & PTE_ADDR;
}

/* A 4 KiB leaf mapping pa with leaf bits leaf. */
static inline u64 pte_make_page(u64 pa, u64 leaf)
{
	return pa | leaf;
}

/* A 2 MiB leaf mapping pa: PS set, the PAT bit moved from bit 7 to bit 12 (SDM table 4-18). */
static inline u64 pte_make_block(u64 pa, u64 leaf)
{
	return pa | (leaf & ~PTE_PAT) | ((leaf & PTE_PAT) ? PDE_PAT : 0) | PTE_PS;
}

/* The bits of each 4 KiB entry that replaces the 2 MiB leaf e (its PAT bit moved back). */
static inline u64 pte_split_flags(u64 e)
{
	u64 flags = e & ~PTE_ADDR & ~PTE_PS;

	if (e & PDE_PAT)
		flags = (flags & ~PDE_PAT) | PTE_PAT;
	return flags;
}

/* Whether e lets writes through: R/W at every level (SDM 4.6.1). */
static inline bool pte_allows_write(u64 e, bool leaf)
{
	(void)leaf;
	return e & PTE_W;
}

/* Whether e lets instruction fetches through: XD at no level. */
static inline bool pte_allows_exec(u64 e, bool leaf)
{
	(void)leaf;
	return !(e & PTE_NX);
}

/* Whether the leaf e is mapped uncached (PCD). */
static inline bool pte_uncached(u64 e)
{
	return e & PTE_PCD;
}

/* The PAT entry in force for leaf e at level (PAT << 2 | PCD << 1 | PWT). */
static inline u8 pte_attr_index(u64 e, int level)
{
	return (u8)(((e & (level ? PDE_PAT : PTE_PAT)) ? 4 : 0) | ((e & PTE_PCD) ? 2 : 0) |
		    ((e & PTE_PWT) ? 1 : 0));
}

/* Canonical sign extension of a 48-bit virtual address (SDM 3A 3.3.7.1). */
static inline u64 pt_canonical(u64 va)
{
	return (va & (1ULL << 47)) ? va | 0xffff000000000000ULL : va & 0x0000ffffffffffffULL;
}

#endif
