// SPDX-License-Identifier: BSD-2-Clause
/*
 * QEMU's exit status on AArch64 (kernel/arm64/qemu.h). Nothing can be
 * probed safely: on hardware, HLT #0xf000 is an undefined instruction or,
 * with an external debugger attached, halts the core. So only the option
 * efimap.qemu=semihosting (which scripts/run-qemu passes with
 * -semihosting-config enable=on) turns it on.
 */
#include "kernel/arm64/fw_tables.h"
#include "kernel/arm64/qemu.h"
#include "kernel/kernel.h"

bool qemu_exit_present(void)
{
	const struct handoff *h = arm64_boot_handoff;
	struct options o;

	if (kstate.handoff)
		return kstate.opts.qemu_semihosting;
	/*
	 * Before kernel_main has parsed the options (a handoff it refused):
	 * the block's command line, if it is a string at all; the rest of
	 * the block is not trusted for this.
	 */
	if (!h || h->magic != HANDOFF_MAGIC)
		return false;
	for (u32 i = 0; i < HANDOFF_CMDLINE_SIZE; i++) {
		if (!h->cmdline[i]) {
			options_parse(&o, h->cmdline, NULL, NULL);
			return o.qemu_semihosting;
		}
	}
	return false;
}

/*
 * SYS_EXIT (semihosting 2.0, "SYS_EXIT (0x18)"): w0 = 0x18, x1 -> { reason,
 * subcode }; with ADP_Stopped_ApplicationExit QEMU exits with the subcode
 * as its status. The trap is HLT #0xF000 in A64 code (the same document,
 * "The semihosting interface").
 */
void qemu_exit(u8 value)
{
	static volatile u64 block[2];
	static bool tried;
	register u64 x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
	register u64 x1 __asm__("x1") = (u64)(uintptr_t)block;

	/*
	 * Once: if the option lied (no semihosting), the HLT is an exception
	 * whose report ends here again; the second time the caller halts.
	 */
	if (tried)
		return;
	tried = true;
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = ((u64)value << 1) | 1;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}
