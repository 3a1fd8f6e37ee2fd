/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual layout of the runtime regions and the SetVirtualAddressMap
 * input (seed 002). The layout is a pure function of the map and the window:
 * the same map always gives the same virtual addresses, across boots and a
 * kexec, because nothing but the runtime entries' physical ranges, their
 * order and the window go into it.
 *
 * Rules (docs/architecture.md invariant 4): virtual addresses increase in map order, are
 * congruent to the physical address modulo 2 MiB (so 2 MiB pages can map
 * aligned regions), never overlap, and stay inside [base, base + size).
 */
#ifndef EFIMAP_MEMMAP_LAYOUT_H
#define EFIMAP_MEMMAP_LAYOUT_H

#include "memmap/validate.h"

#define MM_VA_CONGRUENCE SZ_2M

/* The window efimap uses unless told otherwise: 64 GiB at -256 GiB, its own PML4 slot. */
#define MM_VA_WINDOW_BASE 0xffffffc000000000ULL
#define MM_VA_WINDOW_SIZE (64ULL << 30)

/*
 * A window in the lower half (seed 002: arm64 runs runtime services on
 * private TTBR0 tables, "the userland half ... no additional alignment or
 * reservation is required"), placed where no address of the machine can
 * be: at 2^pa_bits (the CPU's physical address size, ID_AA64MMFR0_EL1
 * PARange on arm64), or 2^39 if that is higher, when the window fits below
 * 2^48 (4-level tables, 48-bit VA) from there; otherwise just above the
 * highest address the map names or the framebuffer [fb_base, fb_base +
 * fb_size) covers, rounded up to MM_VA_WINDOW_LOWER_ALIGN, if the window
 * still ends at or below 2^48. The base is a multiple of 512 GiB: the
 * window (at most 512 GiB) has a level 0 table entry of its own, which the
 * kernel's identity map never uses (as x86's window has its own PML4 slot),
 * and the layout's 2 MiB congruence (so 64 KiB) holds. 0 when no such
 * window fits. A pure function of its arguments: the same machine and map
 * give the same window.
 */
#define MM_VA_LOWER_LIMIT	 (1ULL << 48)
#define MM_VA_WINDOW_LOWER_ALIGN (1ULL << 39)
u64 memmap_layout_window_lower(const struct memmap *map, u32 pa_bits, u64 fb_base, u64 fb_size,
			       u64 window_size);

struct mm_layout {
	u64 window_base;
	u64 window_size;
	u32 nr_runtime; /* runtime entries placed */
	u64 va_end;	/* first byte after the last placed region */
	u64 bytes;	/* sum of runtime region sizes */
};

/*
 * Assign virt_addr to every EFI_MEMORY_RUNTIME entry of map, in map order.
 * Other entries are not touched. All or nothing: on failure no entry is
 * changed, fn (may be NULL) gets an MM_CHECK_LAYOUT_* finding and the result
 * is false. window_base must be 2 MiB aligned.
 */
bool memmap_layout_runtime(struct memmap *map, u64 window_base, u64 window_size,
			   struct mm_layout *out, mm_finding_fn fn, void *ctx);

/* Bytes the SetVirtualAddressMap input for map needs (runtime entries at desc_size). */
u64 memmap_runtime_bytes(const struct memmap *map);

/*
 * Copy the runtime entries of map, in order and at map's desc_size, into
 * scratch (scratch_bytes long) and describe the copy in *out. Returns false,
 * copying nothing, when scratch is too small or overlaps map's live entries
 * (docs/architecture.md invariant 5).
 */
bool memmap_copy_runtime(const struct memmap *map, void *scratch, u64 scratch_bytes,
			 struct memmap *out);

/*
 * Re-entry (docs/architecture.md "Re-entry"): whether the layout function still gives
 * the virtual addresses map holds. The runtime entries are copied into
 * scratch (scratch_bytes long) in the order of their virtual addresses,
 * which is the order the layout placed them in (it increases in map order,
 * invariant 4; map may have been sorted by physical address since), laid
 * out again in [window_base, window_base + window_size), and compared.
 * scratch must be 8-byte aligned and hold 8 + desc_size bytes per runtime
 * entry. Returns how many entries got another address, or MM_LAYOUT_UNCHECKABLE:
 * an entry without a virtual address, two sharing one, scratch too small,
 * or the window refusing them.
 */
#define MM_LAYOUT_UNCHECKABLE 0xffffffffu
u32 memmap_layout_recheck(const struct memmap *map, u64 window_base, u64 window_size, void *scratch,
			  u64 scratch_bytes);

/*
 * Translate a virtual address back to physical through the runtime entries
 * (seed 002's efi_to_phys(): after SetVirtualAddressMap the firmware's
 * system table holds virtual pointers, for FirmwareVendor,
 * ConfigurationTable and RuntimeServices). True and *phys set when va lies
 * in a runtime entry's virtual range [virt_addr, virt_addr + size); an entry
 * whose virt_addr is 0 has no virtual range.
 */
bool memmap_virt_to_phys(const struct memmap *map, u64 va, u64 *phys);

#endif
