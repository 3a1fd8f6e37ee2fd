// SPDX-License-Identifier: BSD-2-Clause
/*
 * Detecting QEMU's isa-debug-exit port. The port is only read inside a
 * virtual machine (CPUID.1:ECX bit 31, "hypervisor present"): on real
 * hardware port 0xf4 belongs to legacy chipset logic. QEMU's device reads
 * as 0, an unclaimed port as 0xff.
 */
#include "kernel/x86/cpu.h"
#include "kernel/x86/qemu.h"

bool qemu_exit_present(void)
{
	static int cached = -1;
	u32 a, b, c, d;

	if (cached < 0) {
		cpuid(1, &a, &b, &c, &d);
		cached = (c & CPUID1_ECX_HYPERVISOR) && inb(QEMU_EXIT_PORT) == 0;
	}
	return cached;
}

void qemu_exit(u8 value)
{
	outl(QEMU_EXIT_PORT, value);
}
