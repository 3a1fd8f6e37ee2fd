// SPDX-License-Identifier: BSD-2-Clause
/*
 * AArch64's way into firmware (kernel/arch.h arch_efi_call): interrupts
 * masked (DAIF), TTBR0_EL1 switched to the EFI tables with efimap's
 * MAIR_EL1 (their AttrIndx values) and a TCR_EL1 that reaches the window,
 * the TLB invalidated, the call made, everything restored. A synchronous
 * exception inside the firmware (a data or instruction abort, or anything
 * else) is abandoned here: back on the caller's tables at once, described
 * in the caller's struct efi_fault, EFI_ABORTED returned; kernel/
 * efi_runtime.c reports it. Nothing here prints: the stub calls through
 * here too (SetVirtualAddressMap), after ExitBootServices, on the
 * firmware's MAIR and TCR, which are put back after the call.
 */
#include "kernel/arch.h"
#include "kernel/arm64/efi_call.h"
#include "kernel/arm64/paging.h"
#include "kernel/arm64/sysreg.h"
#include "kernel/efi_status.h"

#define TCR_TG0_MASK (3ULL << 14)
#define TCR_DS	     (1ULL << 59) /* FEAT_LPA2 descriptors: not efimap's */

static struct efi_guard guard;
/* The caller's translation regime, put back after the call and on a fault. */
static u64 caller_ttbr0, caller_tcr, caller_mair;
static bool switched;
/* The call in progress, whose fault efi_call_fault() describes. */
static struct efi_fault *active_fault;

u64 efi_call_tcr(u64 tcr)
{
	return (tcr & ~(TCR_T0SZ_MASK | TCR_TG0_MASK | TCR_DS)) | TCR_T0SZ_48 | TCR_TG0_4K;
}

static void restore_caller_tables(void)
{
	if (switched)
		paging_switch(caller_ttbr0, caller_mair, caller_tcr);
	switched = false;
}

u64 arch_efi_call(u64 root, u64 fn, const u64 args[6], struct efi_fault *fault)
{
	u64 daif, st;

	*fault = (struct efi_fault){ 0 };
	daif = read_sysreg(daif);
	arch_irq_off();
	caller_ttbr0 = read_sysreg(ttbr0_el1);
	caller_tcr = read_sysreg(tcr_el1);
	caller_mair = read_sysreg(mair_el1);
	active_fault = fault;
	if (root) {
		/* ASID 0, CnP 0: the EFI tables are global like the kernel's; the TLB is dropped.
		 */
		switched = true;
		paging_switch(root, MAIR_EL1_VALUE, efi_call_tcr(caller_tcr));
	}
	st = efi_guarded_call(&guard, fn, args);
	restore_caller_tables();
	active_fault = NULL;
	write_sysreg(daif, daif);
	return st;
}

bool efi_call_fault(struct trap_frame *f)
{
	u64 ec = esr_ec(f->esr), fsc = f->esr & ESR_ISS_FSC_MASK;
	bool dabt = ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOWER;
	bool abort = dabt || ec == ESR_EC_IABT_CUR || ec == ESR_EC_IABT_LOWER;

	/* Only synchronous exceptions reach here (trap.c); SError is not the call's doing. */
	if (!guard.active || !active_fault)
		return false;
	guard.active = 0;
	/* Back on the caller's tables at once: the console and the report are not in the EFI ones.
	 */
	restore_caller_tables();
	*active_fault = (struct efi_fault){
		.faulted = true,
		/* A permission fault on a write (WnR), not on a cache maintenance instruction. */
		.write_to_ro = dabt && (f->esr & ESR_ISS_WNR) && !(f->esr & ESR_ISS_CM) &&
			       ESR_FSC_TYPE(fsc) == ESR_FSC_PERMISSION,
		.vector = ec,
		.pc = f->elr,
		/* FAR_EL1 holds the address for aborts unless ISS.FnV says it is not valid. */
		.addr = abort && !(f->esr & ESR_ISS_FNV) ? f->far : 0,
		.error = f->esr,
	};
	f->sp = guard.sp;
	f->elr = (u64)(uintptr_t)efi_guarded_resume;
	f->x[0] = EFIST_ABORTED;
	/* Resume at EL1 on SP_EL1, everything still masked (arch_efi_call unmasks later). */
	f->spsr = (f->spsr & ~SPSR_MODE_MASK) | SPSR_MODE_EL1H | SPSR_DAIF;
	return true;
}
