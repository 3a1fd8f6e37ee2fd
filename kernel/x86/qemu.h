/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef EFIMAP_KERNEL_X86_QEMU_H
#define EFIMAP_KERNEL_X86_QEMU_H

#include "lib/types.h"

/* QEMU's isa-debug-exit device (iobase 0xf4): writing V ends QEMU with status (V << 1) | 1. */
#define QEMU_EXIT_PORT	     0xf4
#define QEMU_EXIT_PASS	     0x10 /* status 33 */
#define QEMU_EXIT_FAIL	     0x11 /* status 35 */
#define QEMU_EXIT_NO_VERDICT 0x12 /* status 37 */
#define QEMU_EXIT_FW_ERRORS  0x13 /* status 39: efimap passed, the firmware has error findings */

bool qemu_exit_present(void);
void qemu_exit(u8 value);

#endif
