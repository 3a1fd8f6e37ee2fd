// SPDX-License-Identifier: BSD-2-Clause
/*
 * The AArch64 exception handler. Every exception the vector table
 * (entry.S) takes comes here with its full frame. In order, as on x86
 * (kernel/x86/idt.c): a fault inside a guarded firmware call is the
 * firmware's (efi_call_fault, kernel/arm64/efi_call.c); a data abort at
 * probe_read()/probe_write() is the self-tests' question answered;
 * anything else is reported in full (ESR, FAR, ELR, SPSR, x0-x30, SP) and
 * ends the run without a verdict.
 */
#include "kernel/arch.h"
#include "kernel/arm64/psci.h"
#include "kernel/arm64/sysreg.h"
#include "kernel/arm64/trap.h"
#include "kernel/kernel.h"

_Static_assert(__builtin_offsetof(struct trap_frame, x) == TRAP_FRAME_X0, "x0");
_Static_assert(__builtin_offsetof(struct trap_frame, sp) == TRAP_FRAME_SP, "sp");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == TRAP_FRAME_ELR, "elr");
_Static_assert(__builtin_offsetof(struct trap_frame, spsr) == TRAP_FRAME_ELR + 8, "spsr");
_Static_assert(__builtin_offsetof(struct trap_frame, esr) == TRAP_FRAME_ESR, "esr");
_Static_assert(__builtin_offsetof(struct trap_frame, far) == TRAP_FRAME_ESR + 8, "far");
_Static_assert(__builtin_offsetof(struct trap_frame, slot) == TRAP_FRAME_SLOT, "slot");
_Static_assert(__builtin_offsetof(struct trap_frame, entry_sp) == TRAP_FRAME_ENTRY_SP, "entry");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "frame size");
_Static_assert(TRAP_FRAME_SIZE % 16 == 0, "SP must stay 16-byte aligned");

extern char vectors[], vectors_broken[], trap_stack[];
extern char probe_insn[], probe_write_insn[], probe_fault[];

static u64 probe_faults;

void arch_traps_init(void)
{
	write_sysreg(vbar_el1, (u64)(uintptr_t)vectors);
	isb();
}

u64 trap_probe_faults(void)
{
	return probe_faults;
}

/* What the four groups of the table are (Arm ARM, "Exception vectors"). */
static const char *const group_names[4] = {
	"current EL, SP_EL0",
	"current EL, SP_ELx",
	"lower EL, AArch64",
	"lower EL, AArch32",
};
static const char *const kind_names[4] = { "synchronous", "IRQ", "FIQ", "SError" };

/* A name for a synchronous exception's class (Arm ARM, ESR_EL1.EC), or NULL. */
static const char *ec_name(u64 ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN:
		return "unknown reason (undefined instruction)";
	case ESR_EC_WFX:
		return "WFI/WFE trapped";
	case ESR_EC_FP_ASIMD:
		return "FP/SIMD access trapped";
	case ESR_EC_ILL_STATE:
		return "illegal execution state";
	case ESR_EC_SVC64:
		return "SVC";
	case ESR_EC_HVC64:
		return "HVC";
	case ESR_EC_SMC64:
		return "SMC";
	case ESR_EC_SYSREG:
		return "system register access trapped";
	case ESR_EC_IABT_LOWER:
		return "instruction abort from a lower EL";
	case ESR_EC_IABT_CUR:
		return "instruction abort";
	case ESR_EC_PC_ALIGN:
		return "PC alignment fault";
	case ESR_EC_DABT_LOWER:
		return "data abort from a lower EL";
	case ESR_EC_DABT_CUR:
		return "data abort";
	case ESR_EC_SP_ALIGN:
		return "SP alignment fault";
	case ESR_EC_SERROR:
		return "SError";
	case ESR_EC_BRK64:
		return "BRK instruction";
	default:
		return NULL;
	}
}

/* The fault status code's kind for an abort (Arm ARM, ESR_EL1 ISS DFSC/IFSC), or NULL. */
static const char *fsc_name(u64 fsc)
{
	if (fsc == 0x21)
		return "alignment";
	if (fsc == 0x10)
		return "synchronous external";
	if (fsc > 0x0f)
		return NULL;
	switch (ESR_FSC_TYPE(fsc)) {
	case ESR_FSC_ADDR_SIZE:
		return "address size";
	case ESR_FSC_TRANSLATION:
		return "translation (not mapped)";
	case ESR_FSC_ACCESS:
		return "access flag";
	default:
		return "permission";
	}
}

static bool is_abort(u64 ec)
{
	return ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOWER || ec == ESR_EC_IABT_CUR ||
	       ec == ESR_EC_IABT_LOWER;
}

/* Whether f is a data abort taken at the one load or store of probe_read()/probe_write(). */
static bool probe_fixup(struct trap_frame *f)
{
	if ((f->slot & 3) != TRAP_KIND_SYNC || esr_ec(f->esr) != ESR_EC_DABT_CUR)
		return false;
	if (f->elr != (u64)(uintptr_t)probe_insn && f->elr != (u64)(uintptr_t)probe_write_insn)
		return false;
	probe_faults++;
	f->elr = (u64)(uintptr_t)probe_fault;
	return true;
}

/* Which of efimap's own ranges an address falls into, for the dump; NULL if none. */
static const char *where(u64 addr)
{
	const struct handoff *h = kstate.handoff;

	if (h && addr >= h->stack_base && addr < h->stack_base + PAGE_SIZE)
		return "the kernel stack's guard page: a kernel stack overflow";
	if (h && addr >= h->stack_base && addr < h->stack_base + h->stack_size)
		return "the kernel stack";
	if (addr >= (u64)(uintptr_t)trap_stack &&
	    addr < (u64)(uintptr_t)trap_stack + TRAP_STACK_SIZE)
		return "the exception stack";
	if (addr < PAGE_SIZE)
		return "page 0 (a NULL pointer)";
	return NULL;
}

static void dump(const struct trap_frame *f)
{
	u64 group = (f->slot >> 2) & 3, kind = f->slot & 3, ec = esr_ec(f->esr);
	bool sync_or_serror = kind == TRAP_KIND_SYNC || kind == TRAP_KIND_SERROR;
	const char *name = kind == TRAP_KIND_SYNC ? ec_name(ec) : kind_names[kind];
	const u64 *x = f->x;

	/* Like x86's "EXCEPTION <vector> (<name>) error=": the class, and ESR as the error. */
	printk("efimap: EXCEPTION 0x%02llx (%s) error=0x%llx vector=%s, %s",
	       (unsigned long long)(sync_or_serror ? ec : 0), name ? name : "reserved class",
	       (unsigned long long)(sync_or_serror ? f->esr : 0), kind_names[kind],
	       group_names[group]);
	printk("  ELR=%016llx SPSR=%016llx FAR=%016llx ESR=%016llx", (unsigned long long)f->elr,
	       (unsigned long long)f->spsr, (unsigned long long)f->far, (unsigned long long)f->esr);
	printk("  SP =%016llx TTBR0=%016llx TTBR1=%016llx SCTLR=%016llx", (unsigned long long)f->sp,
	       (unsigned long long)read_sysreg(ttbr0_el1),
	       (unsigned long long)read_sysreg(ttbr1_el1),
	       (unsigned long long)read_sysreg(sctlr_el1));
	for (int i = 0; i < 28; i += 4)
		printk("  X%-2d=%016llx X%-2d=%016llx X%-2d=%016llx X%-2d=%016llx", i,
		       (unsigned long long)x[i], i + 1, (unsigned long long)x[i + 1], i + 2,
		       (unsigned long long)x[i + 2], i + 3, (unsigned long long)x[i + 3]);
	printk("  X28=%016llx X29=%016llx X30=%016llx", (unsigned long long)x[28],
	       (unsigned long long)x[29], (unsigned long long)x[30]);
	if (kind == TRAP_KIND_SYNC && is_abort(ec)) {
		u64 fsc = f->esr & ESR_ISS_FSC_MASK;
		const char *fn = fsc_name(fsc), *in = where(f->far);
		bool fnv = f->esr & ESR_ISS_FNV;

		const char *what = ec == ESR_EC_IABT_CUR || ec == ESR_EC_IABT_LOWER ? "instruction"
				   : (f->esr & ESR_ISS_WNR)			    ? "write"
										    : "read";

		/* The level (FSC bits [1:0]) means something for the first four kinds only. */
		printk("  %s abort: %s fault (FSC 0x%02llx, level %llu)%s", what, fn ? fn : "other",
		       (unsigned long long)fsc, (unsigned long long)(fsc <= 0x0f ? fsc & 3 : 0),
		       fnv ? "; FAR not valid" : "");
		if (!fnv && in)
			printk("  FAR is in %s", in);
	}
	if (f->elr >= kernel_image_base() && f->elr < kernel_image_end())
		printk("  ELR is image offset 0x%llx",
		       (unsigned long long)(f->elr - kernel_image_base()));
}

void trap_handler(struct trap_frame *f)
{
	static bool reporting;

	/* A fault inside a firmware call: the firmware's, survived (kernel/arm64/efi_call.c). */
	if ((f->slot & 3) == TRAP_KIND_SYNC && efi_call_fault(f))
		return;
	if (probe_fixup(f))
		return;
	/* A fault while reporting one: do not recurse, just stop. */
	if (reporting)
		kernel_die_quietly();
	reporting = true;
	dump(f);
	kernel_no_verdict("unexpected exception");
}

/*
 * efimap.inject=triple-fault on AArch64. There is no triple fault: a
 * vector table that cannot be reached makes the CPU fault at the vector
 * address forever, which would be a silent hang. The nearest thing to the
 * x86 reset is a table whose every entry ends the run at once; the
 * exception is taken with BRK (Arm ARM, BRK: always synchronous, EC 0x3c).
 */
void arch_traps_break(void)
{
	printk("efimap: inject: vector table that resets, then BRK");
	write_sysreg(vbar_el1, (u64)(uintptr_t)vectors_broken);
	isb();
	__asm__ volatile("brk #0x7e1" : : : "memory");
	halt_forever();
}

/*
 * The broken table's only handler: one line, then the end the x86 triple
 * fault has: no verdict (QEMU exit code through semihosting when the
 * options allow it; else a PSCI system reset, as the x86 CPU resets; a
 * halt when neither works).
 */
void trap_break_taken(struct trap_frame *f)
{
	printk("efimap: exception 0x%02llx with the vector table broken on purpose (ELR "
	       "0x%llx): no verdict",
	       (unsigned long long)esr_ec(f->esr), (unsigned long long)f->elr);
	if (qemu_exit_present())
		kernel_die_quietly();
	psci_system_reset();
	kernel_die_quietly();
}
