// SPDX-License-Identifier: BSD-2-Clause
/*
 * The AArch64 core (kernel/arm64/entry.S, trap.c, arch.h) checked live:
 * the vector table where the Arm ARM says it must be, an exception taken
 * while SP points into unmapped memory (the kernel stack's guard page),
 * every register back after a recovered fault, and the generic timer.
 * Expectations come from the architecture (VBAR_EL1 bits [10:0] RES0, the
 * AAPCS64 callee-saved registers, CNTFRQ_EL0), not from the code tested.
 */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "tests/guest/guest.h"

extern char vectors[];

/* VBAR_EL1 holds efimap's table, 2 KiB aligned (Arm ARM, VBAR_EL1: bits [10:0] RES0). */
static void vector_table_installed(struct ktap_test *t)
{
	u64 vbar = read_sysreg(vbar_el1);

	KT_EXPECT_EQ(t, vbar, (u64)(uintptr_t)vectors);
	KT_EXPECT_EQ(t, vbar & 0x7ff, 0ULL);
}

static volatile u8 probe_out;

/*
 * probe_read(addr) called with SP set to sp_at: probe_read is a leaf that
 * never touches the stack, so only the exception entry could. Returns what
 * probe_read returned.
 */
static u64 probe_with_sp(u64 sp_at, u64 addr)
{
	register u64 x0 __asm__("x0") = addr;
	register u64 x1 __asm__("x1") = (u64)(uintptr_t)&probe_out;

	__asm__ volatile("mov x9, sp\n\t"
			 "mov sp, %2\n\t"
			 "bl probe_read\n\t"
			 "mov sp, x9"
			 : "+r"(x0), "+r"(x1)
			 : "r"(sp_at)
			 : "x2", "x9", "x30", "memory", "cc");
	return x0;
}

/*
 * With SP inside the unmapped guard page, a fault must still be taken and
 * recovered: the vector entry switches to the exception stack before it
 * stores anything. Were it to store the frame below SP, that store would
 * fault again, forever, and the run would end here without a verdict.
 */
static void fault_taken_with_sp_in_guard_page(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 faults = trap_probe_faults(), guard_sp = h->stack_base + PAGE_SIZE - 64;

	if (paging_mapped(kstate.pml4, h->stack_base, 1)) {
		ktap_skip(t, "the stack's guard page is mapped (the paging suite says why)");
		return;
	}
	/* Page 0 is never mapped (the paging suite checks it): the probe faults. */
	KT_EXPECT_EQ(t, probe_with_sp(guard_sp, 0x10), 1ULL);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
	/* And a readable address with the same SP reads, no fault. */
	KT_EXPECT_EQ(t, probe_with_sp(guard_sp, (u64)(uintptr_t)h), 0ULL);
	KT_EXPECT_EQ(t, trap_probe_faults(), faults + 1);
}

/*
 * Every general register comes back from a recovered fault as it was: the
 * callee-saved x19-x28 (AAPCS64) set to known values before probe_read
 * faults, compared after. x2 (probe_read's scratch) and x30 (bl) excepted.
 */
static void registers_survive_a_fault(struct ktap_test *t)
{
	u64 before[10], after[10];
	u32 wrong = 0;

	for (u32 i = 0; i < 10; i++)
		before[i] = 0x1900000000000000ULL + ((u64)i << 48) + 0x5a5a + i;
	__asm__ volatile("ldp x19, x20, [%0]\n\t"
			 "ldp x21, x22, [%0, #16]\n\t"
			 "ldp x23, x24, [%0, #32]\n\t"
			 "ldp x25, x26, [%0, #48]\n\t"
			 "ldp x27, x28, [%0, #64]\n\t"
			 "mov x0, #0x10\n\t"
			 "mov x1, %2\n\t"
			 "bl probe_read\n\t"
			 "stp x19, x20, [%1]\n\t"
			 "stp x21, x22, [%1, #16]\n\t"
			 "stp x23, x24, [%1, #32]\n\t"
			 "stp x25, x26, [%1, #48]\n\t"
			 "stp x27, x28, [%1, #64]"
			 :
			 : "r"(before), "r"(after), "r"(&probe_out)
			 : "x0", "x1", "x2", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
			   "x27", "x28", "x30", "memory", "cc");
	for (u32 i = 0; i < 10; i++)
		wrong += after[i] != before[i];
	KT_EXPECT_EQ(t, wrong, 0u);
}

/* The generic timer counts up, at the rate CNTFRQ_EL0 gives, which the stub handed on. */
static void generic_timer_counts(struct ktap_test *t)
{
	u64 a = arch_counter(), b;
	volatile u64 spin = 0;

	for (u32 i = 0; i < 100000; i++)
		spin += i;
	b = arch_counter();
	KT_EXPECT(t, b > a);
	KT_EXPECT_EQ(t, arch_counter_hz(), read_sysreg(cntfrq_el0) & 0xffffffffULL);
	if (!arch_counter_hz()) {
		ktap_skip(t, "CNTFRQ_EL0 is 0: the firmware did not program the counter's rate");
		return;
	}
	KT_EXPECT_EQ(t, kstate.handoff->tsc_hz, arch_counter_hz());
}

static const struct ktap_case cases[] = {
	KTAP_CASE(vector_table_installed),
	KTAP_CASE(fault_taken_with_sp_in_guard_page),
	KTAP_CASE(registers_survive_a_fault),
	KTAP_CASE(generic_timer_counts),
};
KTAP_SUITE(arm64_core_suite, "arm64_core", cases);
