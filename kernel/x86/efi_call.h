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
 * Called by trap_handler() for every exception: when it happened inside a
 * guarded firmware call, report it as a firmware bug, switch runtime
 * services off and rewrite the frame so the call returns EFI_ABORTED.
 * True when handled (the handler then returns to the frame).
 */
bool efi_call_fault(struct trap_frame *f);

/* What a fault inside the stub's SetVirtualAddressMap call left behind. */
struct efi_fault {
	bool faulted;
	u64 vector, rip, addr, error;
};

/*
 * SetVirtualAddressMap (fn, physical) from the stub after ExitBootServices,
 * on the tables at pml4 (0: the current ones), interrupts off, under the
 * same guard as the kernel's runtime calls: a fault inside the firmware is
 * recorded in *fault (nothing prints) and the call returns EFI_ABORTED.
 * The stub must have loaded efimap's GDT and IDT (gdt_init, idt_init).
 */
u64 efi_svam_guarded(u64 fn, u64 pml4, const u64 args[4], struct efi_fault *fault);

/*
 * UEFI 2.10 section 8.4.1: SetVirtualAddressMap may be called once per
 * boot. efi_svam_guarded() refuses (EFI_SVAM_REFUSED, fn not entered, no
 * fault recorded) once it has made a call, or once efi_svam_lock() was
 * called: by a kernel instance whose handoff says an earlier one called it
 * (efimap.kexec), since a fresh image starts with a fresh call count.
 */
#define EFI_SVAM_REFUSED 0x8000000000000014ULL /* EFI_ALREADY_STARTED (UEFI 2.10 appendix D) */
void efi_svam_lock(void);
/* Calls efi_svam_guarded() made into firmware in this image's lifetime (0 or 1). */
u32 efi_svam_calls(void);

#endif
