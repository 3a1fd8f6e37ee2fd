// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's own GDT: the firmware's lives in boot-services memory, which
 * the kernel will free. Flat 64-bit code and data; no TSS yet (no IST
 * stacks), so a fault on a broken stack still ends in a triple fault.
 */
#include "kernel/x86/trap.h"

static u64 gdt[3] = {
	0, 0x00af9a000000ffffULL, /* 0x08: 64-bit code, present, ring 0 */
	0x00cf92000000ffffULL,	  /* 0x10: data, present, writable */
};

struct __packed desc_ptr {
	u16 limit;
	u64 base;
};

void gdt_reload(u16 cs, u16 ds);

void gdt_init(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (u64)(uintptr_t)gdt };

	__asm__ volatile("lgdt %0" : : "m"(p));
	gdt_reload(KERNEL_CS, KERNEL_DS);
}
