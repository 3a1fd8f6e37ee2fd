// SPDX-License-Identifier: BSD-2-Clause
/*
 * The IDT and the exception handler. Every one of the 32 exception vectors
 * is reported in full (vector, error code, RIP, CR2, registers) and ends
 * the run without a verdict; the exceptions are a page fault raised by
 * probe_read(), which the self-tests use to prove a page is unmapped, and
 * a fault inside a runtime-service call, which the firmware is blamed for.
 */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "kernel/x86/cpu.h"
#include "kernel/x86/efi_call.h"
#include "kernel/x86/trap.h"

struct __packed idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
};

struct __packed idt_ptr {
	u16 limit;
	u64 base;
};

static struct idt_gate idt[32];
static u64 probe_faults;

extern char isr_stubs[], probe_insn[], probe_write_insn[], probe_fault[];

static const char *const names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM no FPU",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	"reserved 22",
	"reserved 23",
	"reserved 24",
	"reserved 25",
	"reserved 26",
	"reserved 27",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved 31",
};

/* Exceptions that must not run on a stack that may be the broken one. */
static u8 ist_for(u32 vector)
{
	switch (vector) {
	case 2:
		return IST_NMI;
	case 8:
		return IST_DOUBLE_FAULT;
	case 18:
		return IST_MCE;
	default:
		return 0;
	}
}

void idt_init(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	for (u32 v = 0; v < 32; v++) {
		u64 a = (u64)(uintptr_t)isr_stubs + 16 * v;

		idt[v] = (struct idt_gate){
			.offset_low = (u16)a,
			.selector = KERNEL_CS,
			.ist = ist_for(v),
			.type_attr = 0x8e, /* present, ring 0, 64-bit interrupt gate */
			.offset_mid = (u16)(a >> 16),
			.offset_high = (u32)(a >> 32),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(p));
}

void idt_load_empty(void)
{
	struct idt_ptr p = { 0, 0 };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void arch_traps_init(void)
{
	gdt_init();
	idt_init();
}

/* With no IDT the #BP cannot be delivered: #GP, then #DF, then a triple fault resets the CPU. */
void arch_traps_break(void)
{
	printk("efimap: inject: empty IDT, then #BP");
	idt_load_empty();
	__asm__ volatile("int3");
	halt_forever();
}

u64 trap_probe_faults(void)
{
	return probe_faults;
}

void trap_handler(struct trap_frame *f);

void trap_handler(struct trap_frame *f)
{
	static bool reporting;

	if (f->vector == 14 &&
	    (f->rip == (u64)(uintptr_t)probe_insn || f->rip == (u64)(uintptr_t)probe_write_insn)) {
		probe_faults++;
		f->rip = (u64)(uintptr_t)probe_fault;
		return;
	}
	/* A fault inside a runtime call: a firmware bug, survived (kernel/x86/efi_call.c). */
	if (efi_call_fault(f))
		return;
	/* A fault while reporting one: do not recurse, just stop. */
	if (reporting)
		kernel_die_quietly();
	reporting = true;

	printk("efimap: EXCEPTION %llu (%s) error=0x%llx", (unsigned long long)f->vector,
	       names[f->vector & 31], (unsigned long long)f->error);
	printk("  RIP=%016llx CS=%04llx RFLAGS=%016llx CR2=%016llx", (unsigned long long)f->rip,
	       (unsigned long long)f->cs, (unsigned long long)f->rflags,
	       (unsigned long long)read_cr2());
	printk("  RSP=%016llx SS=%04llx CR3=%016llx", (unsigned long long)f->rsp,
	       (unsigned long long)f->ss, (unsigned long long)read_cr3());
	printk("  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx", (unsigned long long)f->rax,
	       (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	printk("  RSI=%016llx RDI=%016llx RBP=%016llx R8 =%016llx", (unsigned long long)f->rsi,
	       (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
	printk("  R9 =%016llx R10=%016llx R11=%016llx R12=%016llx", (unsigned long long)f->r9,
	       (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
	printk("  R13=%016llx R14=%016llx R15=%016llx", (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15);
	if (f->rip >= kernel_image_base() && f->rip < kernel_image_end())
		printk("  RIP is image offset 0x%llx",
		       (unsigned long long)(f->rip - kernel_image_base()));
	kernel_no_verdict("unexpected exception");
}
