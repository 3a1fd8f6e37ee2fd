/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arch seam. Generic code (kernel/, stub/, tests/guest/) includes
 * this and never kernel/x86/ or kernel/arm64/ directly (scripts/check-layers.sh).
 * Each arch's arch.h supplies inlines (arch_counter, arch_counter_hz,
 * halt_forever, cpu_relax, arch_irq_off, zero_qwords, arch_page_root,
 * arch_nx_enabled, arch_paging_unsupported, ARCH_NAME; arch_va_window, the
 * default window for the runtime regions' virtual addresses, inline or not)
 * and the headers that
 * declare what both arches implement by the same name: paging_* (the
 * kernel's tables), pt_* and efi_pt_* (the shared table logic with the
 * arch's descriptors), pgtable_pages_*, cpu_features_report/cpu_nx,
 * probe_read/probe_write, qemu_exit_present/qemu_exit, efi_call_fault,
 * struct trap_frame. The hooks below are declared once, here.
 */
#ifndef EFIMAP_KERNEL_ARCH_H
#define EFIMAP_KERNEL_ARCH_H
#if defined(__x86_64__)
#include "kernel/x86/arch.h"
#elif defined(__aarch64__)
#include "kernel/arm64/arch.h"
#else
#error "efimap supports x86-64 and AArch64"
#endif
#include "lib/types.h"

/* Exceptions: efimap's own vectors (x86: GDT, TSS and IDT; arm64: VBAR_EL1). */
void arch_traps_init(void);

/*
 * efimap.inject=triple-fault: make the next exception unrecoverable and take
 * one. The run ends without a verdict (x86: the CPU resets).
 */
__noreturn void arch_traps_break(void);

/* What a fault inside firmware left behind (arch_efi_call, efi_svam_guarded). */
struct efi_fault {
	bool faulted;
	bool write_to_ro; /* a write to a page mapped present and read-only */
	u64 vector;	  /* x86: the exception vector; arm64: ESR_EL1.EC */
	u64 pc;		  /* where the firmware faulted */
	u64 addr;	  /* the faulting data address when the CPU gives one (CR2, FAR), else 0 */
	u64 error;	  /* x86: the error code; arm64: ESR_EL1 */
};

/*
 * The one way into firmware after ExitBootServices: interrupts masked, the
 * translation root switched to root (0: the current tables), fn called with
 * six arguments in the UEFI convention (x86: MS x64; arm64: AAPCS64), all
 * restored. A fault inside: *fault filled, EFI_ABORTED returned.
 */
u64 arch_efi_call(u64 root, u64 fn, const u64 args[6], struct efi_fault *fault);

/* The kernel's console: the serial port the firmware's tables name. */
void serial_init(void);
void serial_write(const char *s, size_t n);
/*
 * The stub, right after ExitBootServices: the kernel's console from then
 * on, so that an exception the guard cannot recover (SetVirtualAddressMap
 * runs in this window) is reported on serial and ends the run, not hangs
 * silently. arm64 finds its UART through h's configuration tables; x86's
 * COM1 needs none. kernel_main's serial_init() then finds it done (arm64)
 * or programs COM1 once more (x86, harmless).
 */
void serial_init_from(struct handoff *h);

/* efimap.kexec: does this arch implement the jump to a new instance? */
bool arch_kexec_supported(void);
#endif
