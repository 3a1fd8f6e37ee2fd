// SPDX-License-Identifier: BSD-2-Clause
/*
 * PSF1 and PSF2 parsing. Layouts as the Linux kbd tools and console
 * document them (kbd's psf.h, "The PC Screen Font File Format"):
 *   PSF1: u8 magic[2] = 36 04, u8 mode, u8 charsize (= height; width 8);
 *         256 glyphs, 512 with mode bit 0; a table with mode bit 1 or 2,
 *         little-endian u16 per character, FFFE starts sequences,
 *         FFFF ends a glyph's entry.
 *   PSF2: u32 magic 864ab572, version, headersize, flags (bit 0: table),
 *         length (glyphs), charsize (bytes each), height, width; the
 *         table is UTF-8, FE starts sequences, FF ends a glyph's entry.
 * Sequences (several characters drawn by one glyph) are skipped: a
 * console that draws one character per cell never needs them.
 */
#include "lib/psf.h"
#include "lib/string.h"

#define PSF1_MAGIC0	 0x36
#define PSF1_MAGIC1	 0x04
#define PSF1_MODE512	 0x01
#define PSF1_MODEHASTAB	 0x02
#define PSF1_MODESEQ	 0x04
#define PSF1_SEPARATOR	 0xffff
#define PSF1_STARTSEQ	 0xfffe
#define PSF2_MAGIC	 0x864ab572u
#define PSF2_HAS_TABLE	 0x01u
#define PSF2_SEPARATOR	 0xff
#define PSF2_STARTSEQ	 0xfe
#define PSF2_HEADER_SIZE 32u
#define PSF_MAX_DIM	 64u /* glyphs larger than 64x64 are not console fonts */
#define NO_GLYPH	 0xffffu

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* Record that glyph g draws character c, unless an earlier glyph already does. */
static void claim(struct psf_font *f, u32 c, u32 g)
{
	if (c < PSF_MAP_CHARS && f->map[c] == NO_GLYPH)
		f->map[c] = (u16)g;
}

static enum psf_error parse_table1(struct psf_font *f, const u8 *p, const u8 *end)
{
	for (u32 g = 0; g < f->nr_glyphs; g++) {
		bool in_seq = false;

		for (;;) {
			u32 c;

			if (end - p < 2)
				return PSF_BAD_TABLE;
			c = (u32)p[0] | (u32)p[1] << 8;
			p += 2;
			if (c == PSF1_SEPARATOR)
				break;
			if (c == PSF1_STARTSEQ)
				in_seq = true;
			else if (!in_seq)
				claim(f, c, g);
		}
	}
	return PSF_OK;
}

/* Length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot lead one. */
static u32 utf8_len(u8 lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xc2 && lead <= 0xdf)
		return 2;
	if (lead >= 0xe0 && lead <= 0xef)
		return 3;
	if (lead >= 0xf0 && lead <= 0xf4)
		return 4;
	return 0;
}

static enum psf_error parse_table2(struct psf_font *f, const u8 *p, const u8 *end)
{
	for (u32 g = 0; g < f->nr_glyphs; g++) {
		bool in_seq = false;

		for (;;) {
			u32 len, c;

			if (p == end)
				return PSF_BAD_TABLE;
			if (*p == PSF2_SEPARATOR) {
				p++;
				break;
			}
			if (*p == PSF2_STARTSEQ) {
				in_seq = true;
				p++;
				continue;
			}
			len = utf8_len(*p);
			if (!len || (size_t)(end - p) < len)
				return PSF_BAD_TABLE;
			c = len == 1   ? p[0]
			    : len == 2 ? (u32)(p[0] & 0x1f) << 6 | (p[1] & 0x3f)
				       : ~0u;
			for (u32 i = 1; i < len; i++)
				if ((p[i] & 0xc0) != 0x80)
					return PSF_BAD_TABLE;
			if (!in_seq)
				claim(f, c, g);
			p += len;
		}
	}
	return PSF_OK;
}

/* Characters no glyph claims: '?', or glyph 0. */
static void fill_gaps(struct psf_font *f)
{
	u16 fallback = f->map['?'] != NO_GLYPH ? f->map['?'] : 0;

	for (u32 c = 0; c < PSF_MAP_CHARS; c++)
		if (f->map[c] == NO_GLYPH)
			f->map[c] = fallback;
}

enum psf_error psf_parse(struct psf_font *f, const void *data, size_t size)
{
	const u8 *p = data, *end, *table;
	u64 glyph_bytes;
	u32 header;
	enum psf_error err = PSF_OK;

	memset(f, 0, sizeof(*f));
	if (!p || size < 4)
		return PSF_TOO_SHORT;
	end = p + size;
	if (p[0] == PSF1_MAGIC0 && p[1] == PSF1_MAGIC1) {
		f->version = 1;
		header = 4;
		f->nr_glyphs = (p[2] & PSF1_MODE512) ? 512 : 256;
		f->width = 8;
		f->height = p[3];
		f->bytes_per_glyph = p[3];
		f->has_table = p[2] & (PSF1_MODEHASTAB | PSF1_MODESEQ);
	} else if (get_le32(p) == PSF2_MAGIC) {
		if (size < PSF2_HEADER_SIZE)
			return PSF_TOO_SHORT;
		f->version = 2;
		header = get_le32(p + 8);
		f->has_table = get_le32(p + 12) & PSF2_HAS_TABLE;
		f->nr_glyphs = get_le32(p + 16);
		f->bytes_per_glyph = get_le32(p + 20);
		f->height = get_le32(p + 24);
		f->width = get_le32(p + 28);
		if (header < PSF2_HEADER_SIZE || header > size)
			return PSF_BAD_HEADER;
	} else {
		return PSF_BAD_MAGIC;
	}
	f->bytes_per_row = (f->width + 7) / 8;
	if (!f->nr_glyphs || f->nr_glyphs > 0x10000 || !f->width || !f->height ||
	    f->width > PSF_MAX_DIM || f->height > PSF_MAX_DIM ||
	    f->bytes_per_glyph < f->bytes_per_row * f->height)
		return PSF_BAD_HEADER;

	glyph_bytes = (u64)f->nr_glyphs * f->bytes_per_glyph;
	if (glyph_bytes > size - header)
		return PSF_TRUNCATED;
	f->glyphs = p + header;
	table = f->glyphs + glyph_bytes;

	for (u32 c = 0; c < PSF_MAP_CHARS; c++)
		f->map[c] = NO_GLYPH;
	if (f->has_table)
		err = f->version == 1 ? parse_table1(f, table, end) : parse_table2(f, table, end);
	else
		for (u32 c = 0; c < PSF_MAP_CHARS && c < f->nr_glyphs; c++)
			f->map[c] = (u16)c;
	if (err != PSF_OK) {
		f->glyphs = NULL;
		return err;
	}
	fill_gaps(f);
	return PSF_OK;
}

const char *psf_error_str(enum psf_error err)
{
	switch (err) {
	case PSF_OK:
		return "ok";
	case PSF_TOO_SHORT:
		return "shorter than a PSF header";
	case PSF_BAD_MAGIC:
		return "not a PSF1 or PSF2 font (bad magic)";
	case PSF_BAD_HEADER:
		return "PSF header with impossible sizes";
	case PSF_TRUNCATED:
		return "glyph data runs past the end";
	case PSF_BAD_TABLE:
		return "Unicode table runs past the end or is not valid UTF-8";
	}
	return "unknown error";
}
