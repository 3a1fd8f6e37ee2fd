// SPDX-License-Identifier: BSD-2-Clause
/*
 * COM1, a 16550 at I/O port 0x3f8, 115200 8N1. Machines without one (most
 * laptops) must not hang: the port is probed through its scratch register
 * and every wait is bounded.
 */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "kernel/x86/cpu.h"

#define COM1	    0x3f8
#define REG_DATA    0
#define REG_IER	    1
#define REG_FCR	    2
#define REG_LCR	    3
#define REG_MCR	    4
#define REG_LSR	    5
#define REG_SCRATCH 7
#define LSR_THRE    0x20

static bool present;

void serial_init(void)
{
	outb(COM1 + REG_SCRATCH, 0x5a);
	if (inb(COM1 + REG_SCRATCH) != 0x5a)
		return;
	outb(COM1 + REG_IER, 0x00);  /* no interrupts */
	outb(COM1 + REG_LCR, 0x80);  /* divisor latch */
	outb(COM1 + REG_DATA, 0x01); /* 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03); /* 8N1 */
	outb(COM1 + REG_FCR, 0xc7); /* FIFO on, cleared */
	outb(COM1 + REG_MCR, 0x03); /* DTR, RTS */
	present = true;
}

static void put(char c)
{
	/* About 100 ms at worst on real UARTs; never forever. */
	for (int spin = 0; spin < 1000000; spin++) {
		if (inb(COM1 + REG_LSR) & LSR_THRE)
			break;
		pause();
	}
	outb(COM1 + REG_DATA, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	if (!present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
