/* SPDX-License-Identifier: BSD-2-Clause */
/* The guarded firmware call (kernel/x86/efi_thunk.S) and its fault hook. */
#ifndef EFIMAP_KERNEL_X86_EFI_CALL_H
#define EFIMAP_KERNEL_X86_EFI_CALL_H

#include "kernel/x86/trap.h"
#include "lib/types.h"

struct efi_guard {
	u64 rsp;    /* RSP right before the call: efi_guarded_resume's frame */
	u64 active; /* 1 while the firmware runs */
};

u64 efi_guarded_call(struct efi_guard *g, u64 fn, const u64 args[6]);
extern char efi_guarded_resume[];

/*
 * Called by trap_handler() for every exception: when it happened inside
 * arch_efi_call(), describe it in the call's struct efi_fault and rewrite
 * the frame so the call returns EFI_ABORTED. True when handled (the handler
 * then returns to the frame).
 */
bool efi_call_fault(struct trap_frame *f);

#endif
