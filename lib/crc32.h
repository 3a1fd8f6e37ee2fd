/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef EFIMAP_LIB_CRC32_H
#define EFIMAP_LIB_CRC32_H

#include "lib/types.h"

/* CRC-32 (IEEE 802.3, reflected, as zlib): crc32(0, "123456789", 9) == 0xcbf43926. */
u32 crc32(u32 crc, const void *data, size_t len);

#endif
