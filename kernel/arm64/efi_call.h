/* SPDX-License-Identifier: BSD-2-Clause */
/* The guarded firmware call on AArch64 (kernel/arm64/efi_thunk.S, efi_call.c). */
#ifndef EFIMAP_KERNEL_ARM64_EFI_CALL_H
#define EFIMAP_KERNEL_ARM64_EFI_CALL_H

/* Offsets efi_thunk.S uses. */
#define EFI_GUARD_SP	 0
#define EFI_GUARD_ACTIVE 8

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct efi_guard {
	u64 sp;	    /* SP right before the call: efi_guarded_resume's frame */
	u64 active; /* 1 while the firmware runs */
};

/*
 * Call fn(args[0..5]) in AAPCS64 (UEFI 2.10 section 2.3.6.3: the AArch64
 * calling convention is the standard one) with the callee-saved registers
 * x19-x30 kept in a frame efi_guarded_resume restores, so a call abandoned
 * by efi_call_fault() returns to our caller as if the firmware had.
 */
u64 efi_guarded_call(struct efi_guard *g, u64 fn, const u64 args[6]);
extern char efi_guarded_resume[];

/*
 * The TCR_EL1 the EFI tables are walked with, from the one in force: T0SZ
 * 16 (the window may lie anywhere below 2^48: the firmware's own T0SZ is
 * often 20, 44 bits, in the stub), TG0 4 KiB and DS 0 (efimap's
 * descriptors), everything else (cacheability of walks, IPS, TTBR1) kept.
 */
u64 efi_call_tcr(u64 tcr);
#endif

#endif
