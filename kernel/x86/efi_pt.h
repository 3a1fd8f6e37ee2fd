/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The EFI page tables (seed 003, design.md boot flow kernel step 2): a PML4
 * of their own on which runtime services run. Runtime regions are mapped at
 * their SetVirtualAddressMap addresses and 1:1 (firmware that still uses a
 * physical pointer keeps working); every other map entry 1:1 (boot-services
 * regions until the reclaim phase removes them); page 0 never (a NULL
 * dereference inside firmware is then caught and reported as a firmware
 * bug). No W+X mapping: permissions of runtime regions come from the
 * EFI_MEMORY_ATTRIBUTES_TABLE, else from the type. Pure code over memory,
 * tested on the host.
 */
#ifndef EFIMAP_KERNEL_X86_EFI_PT_H
#define EFIMAP_KERNEL_X86_EFI_PT_H

#include "kernel/x86/pt.h"
#include "memmap/memmap.h"

/* EFI_MEMORY_ATTRIBUTES_TABLE (UEFI 2.10 section 4.6.4): header, then descriptors. */
struct efi_mat_header {
	u32 version; /* 1, or 2 (UEFI 2.10 adds a flags meaning for the reserved field) */
	u32 nr_entries;
	u32 desc_size;
	u32 flags;
};

/* Entries beyond this are not believed (OVMF has about 20). */
#define EFI_MAT_MAX_ENTRIES 4096u

/*
 * NULL if mat looks like a memory attributes table efimap can use, else
 * why not (version, descriptor size, entry count).
 */
const char *efi_mat_check(const struct efi_mat_header *mat);

struct efi_pt_input {
	const struct memmap *map; /* runtime entries carry their virt_addr (0: no VA mapping) */
	const struct efi_mat_header *mat; /* NULL: permissions from the type */
	u64 text_start, text_end;	  /* the kernel image's code: executable, read-only */
	u64 rodata_start, rodata_end;	  /* its constants: read-only */
	u64 guard_page; /* a page left unmapped (the kernel stack's guard), or 0 */
	bool nx;	/* the CPU has NX (EFER.NXE set) */
};

struct efi_pt_result {
	u64 *pml4;
	u32 runtime_entries; /* runtime entries mapped at their virtual address */
	u32 mat_entries;     /* MAT entries whose permissions were applied */
	u32 mat_wx;	     /* MAT entries with neither RO nor XP: the type's rule used instead */
	u32 mat_outside;     /* MAT entries inside no runtime entry: ignored */
	u32 not_mapped;	     /* map entries that cannot be mapped (unaligned, beyond 2^48) */
};

/*
 * Leaf flags for the page at pa of runtime entry md (both halves use the
 * same): from the MAT entry covering pa (RO: not writable, XP: not
 * executable), else from the type (runtime code read-only and executable,
 * anything else writable and not executable); uncached unless md allows
 * write-back. mat_wx (may be NULL) is set when a MAT entry had neither RO
 * nor XP, which would make the page W+X.
 */
u64 efi_pt_runtime_leaf(const struct efi_pt_input *in, const struct mm_desc *md, u64 pa,
			bool *mat_wx);

/* Build the tables from p into r->pml4. NULL, or what went wrong. */
const char *efi_pt_build(struct pt_pool *p, const struct efi_pt_input *in, struct efi_pt_result *r);

/*
 * Remove the 1:1 mapping of every boot-services region (Boot Code, Boot
 * Data) of map from the tables at pml4 (design.md invariant 10). Any number
 * of times, with the map compacted or not. 0, or -1 (pool ran dry).
 */
int efi_pt_unmap_bs(struct pt_pool *p, u64 *pml4, const struct memmap *map);

/*
 * The boot-services ranges as the map had them when the EFI tables were
 * built, adjacent entries merged, so that they can still be removed after
 * the map has been compacted (fully freed entries gone from it).
 */
#define EFI_PT_MAX_BS_RANGES 256u

struct efi_pt_ranges {
	u64 start[EFI_PT_MAX_BS_RANGES];
	u64 end[EFI_PT_MAX_BS_RANGES]; /* exclusive */
	u32 n;
	bool overflow; /* more ranges than fit: the rest only from a later map */
};

/* Record the boot-services entries of map (Boot Code, Boot Data) into *r, replacing it. */
void efi_pt_note_bs(struct efi_pt_ranges *r, const struct memmap *map);

/* Remove the mappings of every range in r. Idempotent. 0, or -1 (pool ran dry). */
int efi_pt_unmap_ranges(struct pt_pool *p, u64 *pml4, const struct efi_pt_ranges *r);

#endif
