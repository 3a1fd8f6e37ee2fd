/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ending QEMU with a status on AArch64: semihosting SYS_EXIT, only when
 * efimap.qemu=semihosting says QEMU runs with -semihosting-config
 * enable=on (without it the HLT is an undefined instruction: an exception,
 * then a hang). x86 twin: kernel/x86/qemu.h (isa-debug-exit).
 */
#ifndef EFIMAP_KERNEL_ARM64_QEMU_H
#define EFIMAP_KERNEL_ARM64_QEMU_H

#include "lib/types.h"

/* The values x86's isa-debug-exit takes; qemu_exit() makes QEMU's status (V << 1) | 1 too. */
#define QEMU_EXIT_PASS	     0x10 /* status 33 */
#define QEMU_EXIT_FAIL	     0x11 /* status 35 */
#define QEMU_EXIT_NO_VERDICT 0x12 /* status 37 */
#define QEMU_EXIT_FW_ERRORS  0x13 /* status 39: efimap passed, the firmware has error findings */

/* Semihosting (Arm "Semihosting for AArch32 and AArch64", version 2.0). */
#define SEMIHOSTING_SYS_EXIT	     0x18    /* the operation "SYS_EXIT (0x18)" */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026 /* reason code: the program exited, with a status */

bool qemu_exit_present(void);
void qemu_exit(u8 value);

#endif
