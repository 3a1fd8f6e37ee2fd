/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AArch64 stage 1 translation table descriptors, 4 KiB granule, EL1&0
 * regime, 48-bit addresses (Arm ARM DDI 0487, D8.3 "Translation table
 * descriptor formats": D8.3.1 table descriptors, D8.3.2 block and page
 * descriptors; D8.4 access permissions; D8.5 memory attributes and
 * MAIR_EL1): the encoding behind the shared table logic of kernel/pt.c
 * and kernel/efi_pt.c (kernel/x86/pte.h is the twin).
 *
 * kernel/pt.c describes a leaf by a word of PT_* bits. On arm64 that word
 * is not the descriptor (write permission is the absence of AP[2], the
 * memory type an index into MAIR_EL1): pte_make_page()/pte_make_block()
 * encode it. Every leaf gets AF=1 (no access-flag faults: efimap does not
 * manage AF), AP[1]=0 and UXN=1 (EL0 can neither access nor execute it:
 * nothing runs at EL0), nG=0 (global: the kernel and the EFI tables both
 * use ASID 0 and every switch invalidates the TLB).
 */
#ifndef EFIMAP_KERNEL_ARM64_PTE_H
#define EFIMAP_KERNEL_ARM64_PTE_H

#include "lib/types.h"

/* Descriptor bits (D8.3.1, D8.3.2). */
#define ARM_DESC_VALID	   (1ULL << 0)
#define ARM_DESC_TABLE	   (1ULL << 1) /* levels 0-2: table (1) or block (0); level 3: page (1) */
#define ARM_ATTRINDX_SHIFT 2	       /* AttrIndx[2:0], bits [4:2]: the MAIR_EL1 entry */
#define ARM_ATTRINDX_MASK  (7ULL << ARM_ATTRINDX_SHIFT)
#define ARM_AP_EL0	   (1ULL << 6) /* AP[1]: EL0 access too */
#define ARM_AP_RO	   (1ULL << 7) /* AP[2]: read-only */
#define ARM_SH_SHIFT	   8	       /* SH[1:0], bits [9:8] */
#define ARM_SH_INNER	   (3ULL << ARM_SH_SHIFT)
#define ARM_AF		   (1ULL << 10) /* access flag */
#define ARM_NG		   (1ULL << 11)
#define ARM_PXN		   (1ULL << 53) /* not executable at EL1 */
#define ARM_UXN		   (1ULL << 54) /* not executable at EL0 */
#define ARM_PXN_TABLE	   (1ULL << 59) /* table: PXN for everything below */
#define ARM_UXN_TABLE	   (1ULL << 60)
#define ARM_AP_TABLE_RO	   (1ULL << 62)		 /* table: APTable[1], no writes below */
#define ARM_OA_MASK	   0x0000fffffffff000ULL /* output address [47:12] */

/*
 * MAIR_EL1 as efimap programs it: one byte per AttrIndx (D8.5, "MAIR_EL1
 * attribute encoding"). The indices are edk2's (ArmPkg's ArmMmuLib), so on
 * AAVMF loading it changes nothing the firmware's own tables rely on while
 * they are still live.
 */
#define MAIR_IDX_DEVICE	   0u	 /* Device-nGnRnE: MMIO, the PL011 */
#define MAIR_IDX_NORMAL_NC 1u	 /* Normal Inner/Outer Non-cacheable: the framebuffer */
#define MAIR_IDX_NORMAL_WT 2u	 /* Normal write-through (unused by efimap, kept for edk2) */
#define MAIR_IDX_NORMAL	   3u	 /* Normal Inner/Outer write-back, read/write-allocate: RAM */
#define MAIR_ATTR_DEVICE   0x00u /* 0b0000dd00, dd=00: nGnRnE */
#define MAIR_ATTR_NC	   0x44u /* outer 0b0100 NC, inner 0b0100 NC */
#define MAIR_ATTR_WT	   0xbbu /* outer/inner 0b1011: WT non-transient, RW-allocate */
#define MAIR_ATTR_WB	   0xffu /* outer/inner 0b1111: WB non-transient, RW-allocate */
#define MAIR_EL1_VALUE                                      \
	(((u64)MAIR_ATTR_DEVICE << (8 * MAIR_IDX_DEVICE)) | \
	 ((u64)MAIR_ATTR_NC << (8 * MAIR_IDX_NORMAL_NC)) |  \
	 ((u64)MAIR_ATTR_WT << (8 * MAIR_IDX_NORMAL_WT)) |  \
	 ((u64)MAIR_ATTR_WB << (8 * MAIR_IDX_NORMAL)))

/* The arch-neutral leaf bits (kernel/pt.h): efimap's own word, encoded below. */
#define PT_VALID    (1ULL << 0)
#define PT_WRITE    (1ULL << 1)
#define PT_NOEXEC   (1ULL << 2)
#define PT_UNCACHED (1ULL << 3) /* Device-nGnRnE */
#define PT_WC	    (1ULL << 4) /* Normal Non-cacheable */

/* Entries that deny execution to everything below them (tests set these). */
#define PTE_TABLE_NOEXEC ARM_PXN_TABLE

/* The lower and upper attributes of a block or page descriptor for leaf bits leaf. */
static inline u64 pte_leaf_attrs(u64 leaf)
{
	u64 d = ARM_DESC_VALID | ARM_AF | ARM_UXN;

	if (leaf & PT_UNCACHED) {
		/* Device memory is never executable (D8.5: speculative fetches from it). */
		d |= ((u64)MAIR_IDX_DEVICE << ARM_ATTRINDX_SHIFT) | ARM_PXN;
	} else {
		d |= ((u64)((leaf & PT_WC) ? MAIR_IDX_NORMAL_NC : MAIR_IDX_NORMAL)
		      << ARM_ATTRINDX_SHIFT) |
		     ARM_SH_INNER;
		if (leaf & PT_NOEXEC)
			d |= ARM_PXN;
	}
	if (!(leaf & PT_WRITE))
		d |= ARM_AP_RO;
	return d;
}

static inline bool pte_valid(u64 e)
{
	return e & ARM_DESC_VALID;
}

/* Whether the valid entry e at level (0: level 3 in Arm's numbering ... 3: level 0) is a leaf. */
static inline bool pte_is_leaf(u64 e, int level)
{
	return level == 0 || !(e & ARM_DESC_TABLE);
}

/* A table descriptor for the table at pa: no APTable/XNTable limits, leaves decide. */
static inline u64 pte_make_table(u64 pa)
{
	return pa | ARM_DESC_VALID | ARM_DESC_TABLE;
}

static inline u64 pte_addr(u64 e)
{
	return e & ARM_OA_MASK;
}

/* A level 3 page descriptor (bits [1:0] = 0b11). An invalid leaf word gives 0. */
static inline u64 pte_make_page(u64 pa, u64 leaf)
{
	return (leaf & PT_VALID) ? pa | pte_leaf_attrs(leaf) | ARM_DESC_TABLE : 0;
}

/* A level 2 block descriptor (bits [1:0] = 0b01) for 2 MiB at pa. */
static inline u64 pte_make_block(u64 pa, u64 leaf)
{
	return (leaf & PT_VALID) ? pa | pte_leaf_attrs(leaf) : 0;
}

/* The attributes of each page descriptor that replaces the block e: the same, bit 1 set. */
static inline u64 pte_split_flags(u64 e)
{
	return (e & ~ARM_OA_MASK) | ARM_DESC_TABLE;
}

/* Whether e lets writes through: AP[2] clear on a leaf, APTable[1] clear on a table (D8.4). */
static inline bool pte_allows_write(u64 e, bool leaf)
{
	return !(e & (leaf ? ARM_AP_RO : ARM_AP_TABLE_RO));
}

/* Whether e lets EL1 fetch instructions: PXN clear on a leaf, PXNTable clear on a table. */
static inline bool pte_allows_exec(u64 e, bool leaf)
{
	return !(e & (leaf ? ARM_PXN : ARM_PXN_TABLE));
}

static inline u8 pte_attr_index(u64 e, int level)
{
	(void)level;
	return (u8)((e & ARM_ATTRINDX_MASK) >> ARM_ATTRINDX_SHIFT);
}

/* Whether leaf e is mapped other than Normal write-back. */
static inline bool pte_uncached(u64 e)
{
	return pte_attr_index(e, 0) != MAIR_IDX_NORMAL;
}

/*
 * Every address efimap maps on arm64 is a TTBR0 address below 2^48 (T0SZ
 * 16 at most: D8.1); the upper (TTBR1) half is never used.
 */
static inline u64 pt_canonical(u64 va)
{
	return va & 0x0000ffffffffffffULL;
}

#endif
