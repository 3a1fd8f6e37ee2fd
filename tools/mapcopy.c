// SPDX-License-Identifier: BSD-2-Clause
/*
 * Indexed copies. Descriptors are copied byte for byte with memcpy, so a
 * source whose desc_size is not a multiple of 8 (misaligned u64 fields)
 * is never dereferenced; the copy's stride is a multiple of 8.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/mapcopy.h"

int mapcopy_indexed(const struct memmap *src, struct memmap *dst)
{
	u64 stride, cap, bytes;
	u8 *buf;

	memset(dst, 0, sizeof(*dst));
	if (src->desc_size < MM_DESC_MIN_SIZE)
		return -1;
	stride = ALIGN_UP((u64)src->desc_size + 8, 8);
	if (stride < 48)
		stride = 48;
	cap = 2 * (u64)src->nr_map;
	if (cap == 0)
		cap = 2;
	if (stride > 0xffffffffULL || cap > 0xffffffffULL || cap > (u64)SIZE_MAX / stride)
		return -1;
	bytes = cap * stride;
	buf = calloc(1, (size_t)bytes);
	if (!buf)
		return -1;
	for (u32 i = 0; i < src->nr_map; i++) {
		u8 *d = buf + (size_t)i * stride;
		u64 idx = i;

		memcpy(d, (const u8 *)src->base + (size_t)i * src->desc_size, src->desc_size);
		memcpy(d + stride - 8, &idx, sizeof(idx));
	}
	if (memmap_init(dst, buf, (u32)stride, src->desc_version, src->nr_map, (u32)cap) != MM_OK) {
		free(buf);
		memset(dst, 0, sizeof(*dst));
		return -1;
	}
	return 0;
}

u32 mapcopy_orig_index(const struct memmap *copy, u32 i)
{
	u64 idx;

	memcpy(&idx, (const u8 *)copy->base + (size_t)(i + 1) * copy->desc_size - 8, sizeof(idx));
	return (u32)idx;
}

void mapcopy_free(struct memmap *copy)
{
	free(copy->base);
	memset(copy, 0, sizeof(*copy));
}
