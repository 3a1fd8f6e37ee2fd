/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The AArch64 CPU features paging depends on, read once from the ID
 * registers (kernel/arm64/cpu.c). x86 twin: kernel/x86/cpu_features.h.
 */
#ifndef EFIMAP_KERNEL_ARM64_CPU_H
#define EFIMAP_KERNEL_ARM64_CPU_H

#include "lib/types.h"

struct handoff;
struct memmap;

/*
 * The lower-half (TTBR0) window for the runtime regions' virtual addresses
 * when efimap.va= names none (seed 002): ARM64_VA_WINDOW_SIZE bytes at
 * memmap_layout_window_lower() (memmap/layout.h): at 2^PARange, above
 * every physical address the CPU can form, when that leaves room below
 * 2^48, else above the highest address the map or the framebuffer names.
 * So the EFI tables' 1:1 half and the window never meet; the stub still
 * refuses a window the map reaches (HANDOFF_SVAM_WINDOW_CLASH). Needs
 * 48-bit VAs while the EFI tables are in use (TCR_EL1.T0SZ 16, 4-level
 * tables: arch_efi_call() sets it), which every AArch64 CPU has with the
 * 4 KiB granule. *size is 0 when no window fits.
 */
#define ARM64_VA_WINDOW_SIZE (64ULL << 30)
void arch_va_window(const struct handoff *h, const struct memmap *map, u64 *base, u64 *size);

/*
 * ID_AA64MMFR0_EL1.PARange decoded (Arm ARM, ID_AA64MMFR0_EL1): 0 32 bits,
 * 1 36, 2 40, 3 42, 4 44, 5 48, 6 52; 0 for a reserved value.
 */
u8 cpu_parange_bits(u64 parange);

/*
 * The physical address width the kernel may use: PARange, at most 48
 * (52-bit output addresses need FEAT_LPA2 descriptors with a 4 KiB
 * granule, which efimap does not build).
 */
u8 cpu_pa_bits(void);

/* The lower (TTBR0) half's size in bits, 64 - TCR_EL1.T0SZ, as now in force. */
u8 cpu_va_bits(void);

/* Whether the kernel's tables use XN: always on AArch64. */
bool cpu_nx(void);

/*
 * Print "efimap: cpu: arch=aarch64 nx=1 pa_bits=.. ..." once (README, CPU
 * features), a line for anything efimap cannot run with, and lower the
 * map's physical limit to 2^pa_bits (mm_lower_phys_limit) before anything
 * maps memory.
 */
void cpu_features_report(const struct handoff *h);

#endif
