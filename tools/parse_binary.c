// SPDX-License-Identifier: BSD-2-Clause
/*
 * The raw binary dump (layout in tools/parse.h): a 32-byte header, then
 * the descriptors exactly as GetMemoryMap returned them. desc_size and
 * desc_version are kept as the header gives them, valid or not, so that
 * validation can report them (MM_CHECK_DESC_SIZE, MM_CHECK_DESC_VERSION);
 * only what would make the file itself unreadable is an error here.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/parse_internal.h"

/* Descriptors are copied as stored: little-endian, like every UEFI platform. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "dump descriptors are little-endian");

#define DUMP_HEADER_SIZE 32u

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 le64(const u8 *p)
{
	return (u64)le32(p) | (u64)le32(p + 4) << 32;
}

int parse_binary(const u8 *data, size_t len, struct parsed_map *out)
{
	u32 header_size, desc_size, desc_version, nr_map;
	u64 reserved, body, have;
	u8 *buf;

	out->format = LOG_FMT_BINARY;
	if (len < DUMP_HEADER_SIZE)
		return parse_fail(out, 0,
				  "truncated binary dump: %zu bytes, the header alone is %u", len,
				  DUMP_HEADER_SIZE);
	if (memcmp(data, MM_DUMP_MAGIC, 8))
		return parse_fail(out, 0, "bad binary dump magic (expected \"EFIMAPD\" and a NUL)");
	header_size = le32(data + 8);
	desc_size = le32(data + 12);
	desc_version = le32(data + 16);
	nr_map = le32(data + 20);
	reserved = le64(data + 24);
	if (header_size < DUMP_HEADER_SIZE)
		return parse_fail(out, 0, "binary dump header_size %u is below %u", header_size,
				  DUMP_HEADER_SIZE);
	if (header_size > len)
		return parse_fail(
			out, 0, "truncated binary dump: header_size %u, but the file has %zu bytes",
			header_size, len);
	if (reserved)
		return parse_fail(out, 0, "binary dump header: reserved field is 0x%llx, not 0",
				  (unsigned long long)reserved);
	if (!nr_map)
		return parse_fail(out, 0, "binary dump header says 0 descriptors: no map");
	if (!desc_size)
		return parse_fail(out, 0, "binary dump header says desc_size 0");
	if (nr_map > PARSE_MAX_ENTRIES)
		return parse_fail(out, 0,
				  "binary dump header says %u descriptors; at most %u are read",
				  nr_map, PARSE_MAX_ENTRIES);
	body = (u64)nr_map * desc_size;
	have = len - header_size;
	if (have < body)
		return parse_fail(
			out, 0,
			"truncated: header says %u descriptors of %u bytes, file has %llu "
			"bytes after the header",
			nr_map, desc_size, (unsigned long long)have);
	if (have > body)
		return parse_fail(out, 0,
				  "trailing data: header says %u descriptors of %u bytes, file has "
				  "%llu bytes after the header",
				  nr_map, desc_size, (unsigned long long)have);

	/*
	 * Room for 40 bytes at every i * desc_size, i < nr_map, even when
	 * desc_size < 40: whatever walks the map cannot read past the buffer.
	 */
	buf = calloc(1, (size_t)body + MM_DESC_MIN_SIZE);
	out->lines = calloc(nr_map, sizeof(*out->lines));
	if (!buf || !out->lines) {
		free(buf);
		free(out->lines);
		out->lines = NULL;
		return parse_fail(out, 0, "out of memory for %u descriptors", nr_map);
	}
	memcpy(buf, data + header_size, (size_t)body);
	memmap_init(&out->map, buf, desc_size, desc_version, nr_map, nr_map);
	out->end_inclusive = false;
	out->maps_seen = 1;
	return 0;
}
