// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86-64's way into firmware (kernel/arch.h arch_efi_call): CR3 to the EFI
 * tables, interrupts off, the MS x64 convention (kernel/x86/efi_thunk.S),
 * everything restored after. A fault inside the firmware is abandoned here
 * and described in the caller's struct efi_fault; kernel/efi_runtime.c
 * reports it (nothing here prints: the stub calls through here too, after
 * ExitBootServices, with no console).
 */
#include "kernel/arch.h"
#include "kernel/efi_status.h"

static struct efi_guard guard;
static u64 caller_cr3;
/* The call in progress, whose fault efi_call_fault() describes. */
static struct efi_fault *active_fault;

static void flush_global_tlb(void)
{
	/* Toggling PGE drops global TLB entries a CR3 load keeps. */
	if (read_cr4() & CR4_PGE) {
		write_cr4(read_cr4() & ~CR4_PGE);
		write_cr4(read_cr4() | CR4_PGE);
	}
}

static u64 save_flags_cli(void)
{
	u64 f;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

static void restore_flags(u64 f)
{
	__asm__ volatile("pushq %0; popfq" : : "r"(f) : "memory", "cc");
}

u64 arch_efi_call(u64 root, u64 fn, const u64 args[6], struct efi_fault *fault)
{
	u64 flags, st;

	*fault = (struct efi_fault){ 0 };
	flags = save_flags_cli();
	caller_cr3 = read_cr3();
	active_fault = fault;
	if (root)
		write_cr3(root);
	st = efi_guarded_call(&guard, fn, args);
	write_cr3(caller_cr3);
	flush_global_tlb();
	active_fault = NULL;
	restore_flags(flags);
	return st;
}

bool efi_call_fault(struct trap_frame *f)
{
	/* NMI and machine checks are not the firmware's doing. */
	if (!guard.active || !active_fault || f->vector == 2 || f->vector == 18)
		return false;
	guard.active = 0;
	/* Back on the caller's tables at once: the screen and the report are not in the EFI ones.
	 */
	write_cr3(caller_cr3);
	flush_global_tlb();
	*active_fault = (struct efi_fault){
		.faulted = true,
		/* #PF error code: P (bit 0) and W (bit 1), a write to a present page. */
		.write_to_ro = f->vector == 14 && (f->error & 3) == 3,
		.vector = f->vector,
		.pc = f->rip,
		.addr = f->vector == 14 ? read_cr2() : 0,
		.error = f->error,
	};
	f->rsp = guard.rsp;
	f->rip = (u64)(uintptr_t)efi_guarded_resume;
	f->rax = EFIST_ABORTED;
	f->rflags &= ~(1ULL << 10); /* DF clear, as the C convention expects */
	return true;
}
