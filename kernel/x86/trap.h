/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef EFIMAP_KERNEL_X86_TRAP_H
#define EFIMAP_KERNEL_X86_TRAP_H

#include "lib/types.h"

/* What isr_common in entry.S leaves on the stack, lowest address first. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define KERNEL_CS	 0x08
#define KERNEL_DS	 0x10
#define KERNEL_TSS	 0x18
#define IST_DOUBLE_FAULT 1 /* IST slots in the TSS, 1-based as in the IDT gate */
#define IST_NMI		 2
#define IST_MCE		 3

void gdt_init(void);
void idt_init(void);

/* Load a zero-length IDT: the next exception triple-faults (fault injection only). */
void idt_load_empty(void);

/* Read one byte; 1 if that faulted (page not mapped), 0 otherwise. */
int probe_read(u64 addr, u8 *out);

/*
 * Write one byte; 1 if that faulted (read-only or not mapped), 0 otherwise.
 * Callers write back the byte already there, so a wrong mapping changes nothing.
 */
int probe_write(u64 addr, u8 val);

/* Faults taken by probe_read() and probe_write() so far. */
u64 trap_probe_faults(void);

#endif
