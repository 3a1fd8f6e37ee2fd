// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's own GDT: the firmware's lives in boot-services memory, which
 * the kernel will free. Flat 64-bit code and data, and a TSS whose IST
 * stacks let a double fault (say, the kernel stack ran into its guard page),
 * an NMI or a machine check be reported instead of becoming a triple fault.
 */
#include "kernel/x86/trap.h"

struct __packed tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

struct __packed desc_ptr {
	u16 limit;
	u64 base;
};

static struct tss tss;
static u8 ist_stacks[3][4096] __attribute__((aligned(16)));

static u64 gdt[5] = {
	0,
	0x00af9a000000ffffULL, /* 0x08: 64-bit code, present, ring 0 */
	0x00cf92000000ffffULL, /* 0x10: data, present, writable */
	0,		       /* 0x18: the TSS, 16 bytes, filled in by gdt_init() */
	0,
};

void gdt_reload(u16 cs, u16 ds);

void gdt_init(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (u64)(uintptr_t)gdt };
	u64 base = (u64)(uintptr_t)&tss, limit = sizeof(tss) - 1;

	tss.ist[IST_DOUBLE_FAULT - 1] = (u64)(uintptr_t)ist_stacks[0] + sizeof(ist_stacks[0]);
	tss.ist[IST_NMI - 1] = (u64)(uintptr_t)ist_stacks[1] + sizeof(ist_stacks[1]);
	tss.ist[IST_MCE - 1] = (u64)(uintptr_t)ist_stacks[2] + sizeof(ist_stacks[2]);
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	/* 64-bit available TSS (type 9), present: Intel SDM vol. 3A, 8.2.3. */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	__asm__ volatile("lgdt %0" : : "m"(p));
	gdt_reload(KERNEL_CS, KERNEL_DS);
	__asm__ volatile("ltr %w0" : : "r"((u16)KERNEL_TSS));
}
