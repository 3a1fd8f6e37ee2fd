/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's own AArch64 translation tables (kernel/arm64/paging.c): an
 * identity map of the machine's memory in the lower (TTBR0) half, 4 KiB
 * granule, 48-bit VA, built with the shared table code (kernel/pt.c) and
 * arm64's descriptors (kernel/arm64/pte.h). x86 twin: kernel/x86/paging.h;
 * the same names, the same promises.
 */
#ifndef EFIMAP_KERNEL_ARM64_PAGING_H
#define EFIMAP_KERNEL_ARM64_PAGING_H

#include "kernel/handoff.h"
#include "kernel/pt.h"
#include "memmap/memmap.h"

/*
 * Page-table pages the kernel's tables need beyond what pgtable_pages_needed()
 * and the framebuffer's pgtable_pages_for_range() count: the PL011's page,
 * which the firmware's map does not list (a level 1, 2 and 3 table at most).
 */
#define PAGING_EXTRA_PT_PAGES 3u

/*
 * TCR_EL1 as the kernel's tables need it (Arm ARM D8.2 and the TCR_EL1
 * register description): T0SZ 16 (48-bit VA, the walk starts at level 0),
 * walks cacheable write-back inner shareable (IRGN0/ORGN0 0b01, SH0 0b11),
 * TG0 4 KiB (0b00), no TTBR1 walks (EPD1 1, TG1 4 KiB 0b10), ASIDs from
 * TTBR0 (A1 0), IPS from PARange at most 48 bits; the rest 0 (no top-byte
 * ignore, no hardware access-flag or dirty updates).
 */
#define TCR_T0SZ_48    16ULL
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER  (3ULL << 12)
#define TCR_TG0_4K     (0ULL << 14)
#define TCR_EPD1_OFF   (1ULL << 23)
#define TCR_TG1_4K     (2ULL << 30)
#define TCR_IPS_SHIFT  32
#define TCR_T0SZ_MASK  0x3fULL

/*
 * The value paging_init() loads: the fields above with IPS = parange
 * (ID_AA64MMFR0_EL1.PARange, at most 0b101, 48 bits).
 */
u64 paging_tcr_value(u64 parange);

/*
 * Build the kernel's tables from the map in the handoff's pool and load
 * them (MAIR_EL1 = MAIR_EL1_VALUE, TCR_EL1 = paging_tcr_value(), TTBR0_EL1,
 * then the TLB invalidated): every map entry below paging_identity_limit()
 * identity-mapped, Normal write-back where the entry allows WB and it is
 * not MMIO, else Device-nGnRnE; not executable (PXN, UXN) except the
 * image's code, which is read-only; the constants read-only; page 0 and
 * the lowest page of the kernel stack (a guard) unmapped; the GOP
 * framebuffer of the handoff Normal Non-cacheable, writable, XN; the
 * PL011 (serial_mmio_base()) Device-nGnRnE, writable, XN; every unit the
 * unaccepted bitmap still marks left unmapped. Entries reaching past the
 * limit are left unmapped, each said on one line. No runtime window, no
 * EFI virtual address. SCTLR_EL1 is left as the firmware set it (the MMU
 * and caches must be on: refused otherwise). NULL or what went wrong.
 */
struct accept_table;
const char *paging_init(const struct handoff *h, const struct memmap *map,
			const struct accept_table *unaccepted, u64 *root_out, u64 *pages_used);

/* min(2^pa_bits, 2^48): the first physical address the kernel never identity-maps. */
u64 paging_identity_limit(void);

/*
 * Map [start, end) (2 MiB aligned, below paging_identity_limit()), which
 * paging_init() left out because the unaccepted bitmap marked it: Normal
 * write-back, writable, XN, as 2 MiB blocks in the level 2 tables
 * paging_init() made for it (no pool page needed). 0 or -1.
 */
int paging_map_accepted(u64 root, u64 start, u64 end);

/* The framebuffer's memory type as mapped: "wc" (Normal Non-cacheable) or "none". */
const char *paging_fb_cache(void);

/* Walk the tables rooted at root (physical, identity-mapped) for va. */
struct pt_lookup paging_lookup(u64 root, u64 va);

/* Whether every page of [addr, addr + len) is present in the tables at root. */
bool paging_mapped(u64 root, u64 addr, u64 len);

/*
 * Load root into TTBR0_EL1 with mair and tcr, then drop every TLB entry of
 * the old tables (Arm ARM D8.13 "TLB maintenance": DSB so the walker sees
 * the tables, the writes, ISB, TLBI VMALLE1, DSB, ISB). Interrupts are
 * masked around it by the callers.
 */
void paging_switch(u64 root, u64 mair, u64 tcr);

#endif
