/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EFI_STATUS values the kernel acts on, and their names for the log
 * (UEFI 2.10 appendix D). The kernel never includes gnu-efi, so these are
 * its own spelling: EFI_ERROR codes have the top bit set.
 */
#ifndef EFIMAP_KERNEL_EFI_STATUS_H
#define EFIMAP_KERNEL_EFI_STATUS_H

#include "lib/types.h"

#define EFI_ERR(n)		 ((1ULL << 63) | (n))
#define EFIST_SUCCESS		 0ULL
#define EFIST_INVALID_PARAMETER	 EFI_ERR(2)
#define EFIST_UNSUPPORTED	 EFI_ERR(3)
#define EFIST_BUFFER_TOO_SMALL	 EFI_ERR(5)
#define EFIST_DEVICE_ERROR	 EFI_ERR(7)
#define EFIST_WRITE_PROTECTED	 EFI_ERR(8)
#define EFIST_OUT_OF_RESOURCES	 EFI_ERR(9)
#define EFIST_NOT_FOUND		 EFI_ERR(14)
#define EFIST_ABORTED		 EFI_ERR(21)
#define EFIST_SECURITY_VIOLATION EFI_ERR(26)

/*
 * The status as its spec name ("EFI_OUT_OF_RESOURCES"), or in hex when it
 * has none; out holds at least 24 bytes. Returns out.
 */
const char *efi_status_str(char *out, size_t size, u64 status);

#endif
