/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 console's whereabouts (kernel/arm64/serial.c), for paging and the report. */
#ifndef EFIMAP_KERNEL_ARM64_SERIAL_H
#define EFIMAP_KERNEL_ARM64_SERIAL_H

#include "lib/types.h"

/*
 * The UART's register frame, which the kernel's tables must map as Device
 * memory (nGnRnE); both 0 when there is no serial console.
 */
u64 serial_mmio_base(void);
u64 serial_mmio_size(void);

/* Why there is no serial console ("" when there is one): a sentence for the screen. */
const char *serial_absent_reason(void);

#endif
