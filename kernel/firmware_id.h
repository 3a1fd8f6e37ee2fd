/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef EFIMAP_KERNEL_FIRMWARE_ID_H
#define EFIMAP_KERNEL_FIRMWARE_ID_H

#include "kernel/handoff.h"
#include "lib/types.h"

/*
 * Print "efimap: firmware: vendor="..." revision=0x... uefi=2.70" from the
 * system table. Needs the kernel's page tables (it checks what it reads is
 * mapped there).
 */
void firmware_id_print(const struct handoff *h);

/*
 * FirmwareVendor as printable ASCII ('?' for anything else, "..." at the
 * end when cut) in out; its length, or -1 when the table or the string is
 * not mapped.
 */
int firmware_vendor(const struct handoff *h, char *out, size_t size);

#endif
