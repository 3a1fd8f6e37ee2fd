/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The EFI page tables (seed 003, docs/architecture.md boot flow kernel step 2): a root
 * table of their own on which runtime services run. Runtime regions are mapped at
 * their SetVirtualAddressMap addresses and 1:1 (firmware that still uses a
 * physical pointer keeps working); every other map entry 1:1 (boot-services
 * regions until the reclaim phase removes them); page 0 never (a NULL
 * dereference inside firmware is then caught and reported as a firmware
 * bug). Permissions of runtime regions follow the spec as Linux applies it
 * (arch/x86/platform/efi, drivers/firmware/efi/memattr.c): a page the
 * EFI_MEMORY_ATTRIBUTES_TABLE marks RO loses W, one it marks XP gets NX;
 * runtime data without such an entry is RW and NX; runtime code without one
 * (no MAT at all, an entry with neither bit, or no entry) is whole PE images,
 * .data and .bss included, so the firmware forces it W+X: mapped RWX and
 * counted apart, unless efimap.wx=strict maps it RX. Nothing else is ever
 * W+X. Pure code over memory, tested on the host.
 */
#ifndef EFIMAP_KERNEL_EFI_PT_H
#define EFIMAP_KERNEL_EFI_PT_H

#include "kernel/pt.h"
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
	bool nx;	/* the CPU enforces no-execute (x86: EFER.NXE set; arm64: always) */
	bool wx_strict; /* efimap.wx=strict: runtime code the firmware leaves W+X mapped RX */
	/*
	 * The tables for the SetVirtualAddressMap call itself (stub/svam.c): it
	 * runs on the stub's stack, which is the one the firmware gave the image
	 * and may lie in boot-services code (U-Boot's does), so boot-services
	 * code is writable here too. These tables serve one call and are dropped.
	 */
	bool svam_call;
};

/* Why the firmware forces a runtime code page W+X (efi_pt_runtime_leaf()). */
enum efi_forced_wx {
	EFI_WX_NONE = 0,
	EFI_WX_NO_MAT = 1u << 0,	/* no (usable) memory attributes table */
	EFI_WX_MAT_NEITHER = 1u << 1,	/* its MAT entry has neither RO nor XP */
	EFI_WX_MAT_UNCOVERED = 1u << 2, /* no MAT entry covers it */
};

struct efi_pt_result {
	u64 *pml4;
	u32 runtime_entries; /* runtime entries mapped at their virtual address */
	u32 mat_entries;     /* MAT entries whose permissions were applied */
	u32 mat_wx;	     /* MAT entries with neither RO nor XP (code under them: forced W+X) */
	u32 mat_outside;     /* MAT entries inside no runtime entry: ignored */
	u32 not_mapped;	     /* map entries that cannot be mapped (unaligned, beyond 2^48) */
	u64 forced_pages;    /* runtime code pages the firmware forces W+X (each counted once) */
	u32 forced_why;	     /* enum efi_forced_wx bits seen */
};

/*
 * Leaf flags for the page at pa of runtime entry md (both halves use the
 * same): from the MAT entry covering pa when it has RO or XP (RO: not
 * writable, XP: not executable); else runtime code is RWX (RX under
 * wx_strict) and anything else RW and NX; uncached unless md allows
 * write-back. *forced (may be NULL) gets the enum efi_forced_wx reason when
 * the page is runtime code the firmware leaves W+X, else EFI_WX_NONE.
 */
u64 efi_pt_runtime_leaf(const struct efi_pt_input *in, const struct mm_desc *md, u64 pa,
			u32 *forced);

/*
 * Whether the whole leaf [va, va + size) of the tables built from in maps
 * runtime code pages the firmware forces W+X (1:1 or in the window): the
 * W+X audit counts those apart from efimap's own.
 */
bool efi_pt_forced_wx(const struct efi_pt_input *in, u64 va, u64 size);

/* Build the tables from p into r->pml4. NULL, or what went wrong. */
const char *efi_pt_build(struct pt_pool *p, const struct efi_pt_input *in, struct efi_pt_result *r);

/*
 * Remove the 1:1 mapping of every boot-services region (Boot Code, Boot
 * Data) of map from the tables at pml4 (docs/architecture.md invariant 10). Any number
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
