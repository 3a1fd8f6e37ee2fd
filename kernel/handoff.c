// SPDX-License-Identifier: BSD-2-Clause
/*
 * Checksumming and validation of the handoff block. Linked into the stub
 * (which seals the block) and the kernel (which checks it).
 */
#include "kernel/handoff.h"
#include "lib/crc32.h"

u32 handoff_checksum(const struct handoff *h)
{
	const u32 zero = 0;
	size_t off = offsetof(struct handoff, checksum);
	u32 crc;

	crc = crc32(0, h, off);
	crc = crc32(crc, &zero, sizeof(zero));
	return crc32(crc, (const u8 *)h + off + sizeof(zero), h->size - off - sizeof(zero));
}

enum handoff_error handoff_validate(const struct handoff *h)
{
	if (!h)
		return HANDOFF_NULL;
	if (h->magic != HANDOFF_MAGIC)
		return HANDOFF_BAD_MAGIC;
	if (h->version != HANDOFF_VERSION)
		return HANDOFF_BAD_VERSION;
	/* Each version has exactly one size; a larger one would be a newer version. */
	if (h->size != sizeof(struct handoff))
		return HANDOFF_BAD_SIZE;
	if (h->checksum != handoff_checksum(h))
		return HANDOFF_BAD_CHECKSUM;
	return HANDOFF_OK;
}

const char *handoff_error_str(enum handoff_error err)
{
	switch (err) {
	case HANDOFF_OK:
		return "ok";
	case HANDOFF_NULL:
		return "no handoff block";
	case HANDOFF_BAD_MAGIC:
		return "bad magic";
	case HANDOFF_BAD_VERSION:
		return "unsupported version";
	case HANDOFF_BAD_SIZE:
		return "size does not match the version";
	case HANDOFF_BAD_CHECKSUM:
		return "checksum mismatch";
	}
	return "unknown error";
}
