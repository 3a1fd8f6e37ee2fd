// SPDX-License-Identifier: BSD-2-Clause
/*
 * lib/psf.c: fonts built here byte by byte, in both versions, with and
 * without a Unicode table, and broken in each way the parser must catch.
 */
#include "lib/psf.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

static u8 buf[4096];
static struct psf_font font;

static void put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

/* PSF1, 256 glyphs of height 2; glyph g's rows are g and ~g. Returns the glyph data end. */
static size_t psf1(u8 mode)
{
	buf[0] = 0x36;
	buf[1] = 0x04;
	buf[2] = mode;
	buf[3] = 2;
	for (u32 g = 0; g < 256; g++) {
		buf[4 + 2 * g] = (u8)g;
		buf[5 + 2 * g] = (u8)~g;
	}
	return 4 + 512;
}

static size_t put_u16(size_t at, u16 v)
{
	buf[at] = (u8)v;
	buf[at + 1] = (u8)(v >> 8);
	return at + 2;
}

/* PSF2, 3 glyphs of 10x3 pixels (2 bytes a row), with a table when table is set. */
static size_t psf2(bool table)
{
	memset(buf, 0, sizeof(buf));
	put_le32(buf, 0x864ab572u);
	put_le32(buf + 4, 0);
	put_le32(buf + 8, 32);
	put_le32(buf + 12, table ? 1 : 0);
	put_le32(buf + 16, 3);
	put_le32(buf + 20, 6);
	put_le32(buf + 24, 3);
	put_le32(buf + 28, 10);
	/* Glyph 1, row 1: pixels 0 and 9 set. */
	buf[32 + 6 + 2] = 0x80;
	buf[32 + 6 + 3] = 0x40;
	return 32 + 18;
}

static void psf1_without_table_is_in_order(struct ktap_test *t)
{
	size_t n = psf1(0);

	KT_ASSERT(t, psf_parse(&font, buf, n) == PSF_OK);
	KT_EXPECT_EQ(t, font.version, 1);
	KT_EXPECT_EQ(t, font.width, 8);
	KT_EXPECT_EQ(t, font.height, 2);
	KT_EXPECT_EQ(t, font.nr_glyphs, 256);
	KT_EXPECT(t, !font.has_table);
	KT_EXPECT_EQ(t, psf_glyph(&font, 'A')[0], 'A');
	KT_EXPECT_EQ(t, psf_glyph(&font, 0xff)[1], 0);
	/* 'A' is 0x41: pixels 1 and 7 of its first row are set. */
	KT_EXPECT(t, psf_pixel(&font, psf_glyph(&font, 'A'), 1, 0));
	KT_EXPECT(t, psf_pixel(&font, psf_glyph(&font, 'A'), 7, 0));
	KT_EXPECT(t, !psf_pixel(&font, psf_glyph(&font, 'A'), 0, 0));
}

static void psf1_table_maps_characters(struct ktap_test *t)
{
	size_t n = psf1(0x02);

	/* Glyph g draws character 255 - g, and glyph 7 also a sequence "A" + U+0301. */
	for (u32 g = 0; g < 256; g++) {
		n = put_u16(n, (u16)(255 - g));
		if (g == 7) {
			n = put_u16(n, 0xfffe);
			n = put_u16(n, 'A');
			n = put_u16(n, 0x0301);
		}
		n = put_u16(n, 0xffff);
	}
	KT_ASSERT(t, psf_parse(&font, buf, n) == PSF_OK);
	KT_EXPECT(t, font.has_table);
	KT_EXPECT_EQ(t, psf_glyph(&font, 'A')[0], 255 - 'A');
	KT_EXPECT_EQ(t, psf_glyph(&font, 0)[0], 255);
	/* A table cut short is an error, not a half-built map. */
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n - 3), PSF_BAD_TABLE);
	KT_EXPECT(t, font.glyphs == NULL);
}

static void psf2_table_and_utf8(struct ktap_test *t)
{
	size_t n = psf2(true);
	const u8 table[] = {
		'?',  0xff,			    /* glyph 0 */
		'A',  0xc3, 0xa9, 0xe2, 0x82, 0xac, /* glyph 1: A, e-acute, euro sign */
		0xff, 0xfe, 'B',  'C',	0xff,	    /* glyph 2: only a sequence */
	};

	memcpy(buf + n, table, sizeof(table));
	KT_ASSERT(t, psf_parse(&font, buf, n + sizeof(table)) == PSF_OK);
	KT_EXPECT_EQ(t, font.version, 2);
	KT_EXPECT_EQ(t, font.width, 10);
	KT_EXPECT_EQ(t, font.bytes_per_row, 2);
	KT_EXPECT_EQ(t, font.map['A'], 1);
	KT_EXPECT_EQ(t, font.map[0xe9], 1);
	/* 'B' only appears in a sequence: it falls back to the '?' glyph. */
	KT_EXPECT_EQ(t, font.map['B'], 0);
	KT_EXPECT(t, psf_pixel(&font, psf_glyph(&font, 'A'), 0, 1));
	KT_EXPECT(t, psf_pixel(&font, psf_glyph(&font, 'A'), 9, 1));
	KT_EXPECT(t, !psf_pixel(&font, psf_glyph(&font, 'A'), 8, 1));
	KT_EXPECT(t, !psf_pixel(&font, psf_glyph(&font, 'A'), 0, 0));
}

static void psf2_bad_utf8_is_refused(struct ktap_test *t)
{
	size_t n = psf2(true);
	const u8 table[] = { 0xc3, 'x', 0xff, 0xff, 0xff };

	memcpy(buf + n, table, sizeof(table));
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n + sizeof(table)), PSF_BAD_TABLE);
	/* Ends without the last glyph's separator. */
	n = psf2(true);
	buf[n] = 'a';
	buf[n + 1] = 0xff;
	buf[n + 2] = 'b';
	buf[n + 3] = 0xff;
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n + 4), PSF_BAD_TABLE);
}

static void broken_headers_are_named(struct ktap_test *t)
{
	size_t n = psf2(false);

	KT_EXPECT_EQ(t, psf_parse(&font, buf, n), PSF_OK);
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n - 1), PSF_TRUNCATED);
	KT_EXPECT_EQ(t, psf_parse(&font, buf, 3), PSF_TOO_SHORT);
	KT_EXPECT_EQ(t, psf_parse(&font, buf, 20), PSF_TOO_SHORT);
	KT_EXPECT_EQ(t, psf_parse(&font, NULL, 100), PSF_TOO_SHORT);
	put_le32(buf + 8, 16); /* header smaller than PSF2's */
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n), PSF_BAD_HEADER);
	psf2(false);
	put_le32(buf + 20, 5); /* glyphs smaller than rows x height */
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n), PSF_BAD_HEADER);
	psf2(false);
	put_le32(buf + 28, 0);
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n), PSF_BAD_HEADER);
	psf2(false);
	put_le32(buf + 16, 0xffffffffu); /* a glyph count that would overflow a size */
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n), PSF_BAD_HEADER);
	buf[0] = 'M';
	KT_EXPECT_EQ(t, psf_parse(&font, buf, n), PSF_BAD_MAGIC);
	KT_EXPECT_STREQ(t, psf_error_str(PSF_BAD_MAGIC), "not a PSF1 or PSF2 font (bad magic)");
	/* PSF1 glyphs cut short. */
	KT_EXPECT_EQ(t, psf_parse(&font, buf, psf1(0) - 1), PSF_TRUNCATED);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(psf1_without_table_is_in_order),
	KTAP_CASE(psf1_table_maps_characters),
	KTAP_CASE(psf2_table_and_utf8),
	KTAP_CASE(psf2_bad_utf8_is_refused),
	KTAP_CASE(broken_headers_are_named),
};
KTAP_SUITE(psf_suite, "psf", cases);
