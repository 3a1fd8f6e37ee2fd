/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 instructions the C code needs, one inline each. */
#ifndef EFIMAP_KERNEL_X86_CPU_H
#define EFIMAP_KERNEL_X86_CPU_H

#include "lib/types.h"

#define MSR_EFER	      0xc0000080u
#define MSR_PAT		      0x277u
#define PAT_TYPE_WC	      0x01u /* write-combining, in a PAT entry */
#define EFER_NXE	      (1ULL << 11)
#define CR0_WP		      (1ULL << 16)
#define CR4_PGE		      (1ULL << 7)
#define CR4_LA57	      (1ULL << 12)
#define CPUID1_ECX_HYPERVISOR (1u << 31)

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u64 read_cr0(void)
{
	u64 v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(u64 v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline u64 read_cr2(void)
{
	u64 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	u64 v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u64 v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline void cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void pause(void)
{
	__asm__ volatile("pause");
}

static inline __noreturn void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Zero [addr, addr + bytes), bytes a multiple of 8: rep stosq, fast even under emulation. */
static inline void zero_qwords(u64 addr, u64 bytes)
{
	u64 n = bytes / 8;

	__asm__ volatile("rep stosq" : "+D"(addr), "+c"(n) : "a"(0ULL) : "memory");
}

static inline void invlpg(u64 va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

#endif
