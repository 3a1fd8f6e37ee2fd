// SPDX-License-Identifier: BSD-2-Clause
/*
 * Ending a run the way efimap.exit asks. With a verdict: the QEMU exit port
 * (pass and fail have distinct codes), ResetSystem(shutdown|reboot), or a
 * halt. Without one (an exception, a bad handoff): the QEMU "no verdict"
 * code, else halt with the reason on screen; firmware is not trusted then.
 */
#include "kernel/efi.h"
#include "kernel/fbcon.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "kernel/arch.h"
#include "lib/printf.h"

void kernel_die_quietly(void)
{
	if (qemu_exit_present())
		qemu_exit(QEMU_EXIT_NO_VERDICT);
	halt_forever();
}

void kernel_no_verdict(const char *why)
{
	char text[80];

	printk("efimap: no verdict: %s", why);
	fmt_snprintf(text, sizeof(text), "NO VERDICT: %s", why);
	fbcon_verdict(FBCON_NO_VERDICT, text);
	kernel_die_quietly();
}

void kernel_end(enum exit_mode mode, enum verdict v)
{
	const char *why;

	if (mode == EXIT_AUTO)
		mode = qemu_exit_present() ? EXIT_QEMU : EXIT_SHUTDOWN;
	printk("efimap: exit: mode=%s", exit_mode_name(mode));
	report_finish(kstate.handoff);

	switch (mode) {
	case EXIT_QEMU:
		if (qemu_exit_present())
			qemu_exit(v == VERDICT_PASS	     ? QEMU_EXIT_PASS
				  : v == VERDICT_FAIL ? QEMU_EXIT_FAIL
						      : QEMU_EXIT_FW_ERRORS);
		printk("efimap: exit: no QEMU exit port, shutting down instead");
		/* fall through */
	case EXIT_SHUTDOWN:
	case EXIT_REBOOT:
		why = efi_reset_system(kstate.handoff,
				       mode == EXIT_REBOOT ? EFI_RESET_COLD : EFI_RESET_SHUTDOWN);
		arch_power_off(mode == EXIT_REBOOT); /* arm64: PSCI; returns if that failed too */
		printk("efimap: exit: ResetSystem failed (%s); halting", why);
		break;
	case EXIT_HALT:
	case EXIT_AUTO:
		printk("efimap: exit: halted");
		break;
	}
	halt_forever();
}
