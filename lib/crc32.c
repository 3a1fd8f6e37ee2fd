// SPDX-License-Identifier: BSD-2-Clause
/* Bitwise CRC-32: no table, because it checksums one small block per boot. */
#include "lib/crc32.h"

u32 crc32(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
