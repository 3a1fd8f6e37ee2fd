/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PC Screen Font (PSF), the Linux console's font format, versions 1 and 2:
 * a header, glyph bitmaps (rows of whole bytes, most significant bit
 * leftmost) and an optional table saying which Unicode characters each
 * glyph draws. Debian's console fonts (console-setup-linux) are PSF, and
 * their glyphs are not in ASCII order, so the table is what maps a
 * character to its glyph.
 */
#ifndef EFIMAP_LIB_PSF_H
#define EFIMAP_LIB_PSF_H

#include "lib/types.h"

#define PSF_MAP_CHARS 256 /* characters looked up directly: Latin-1 */

struct psf_font {
	const u8 *glyphs;
	u32 nr_glyphs;
	u32 width, height; /* pixels */
	u32 bytes_per_row; /* (width + 7) / 8 */
	u32 bytes_per_glyph;
	u32 version;		/* 1 or 2 */
	bool has_table;		/* a Unicode table was present and used */
	u16 map[PSF_MAP_CHARS]; /* glyph of each character 0..255 */
};

enum psf_error {
	PSF_OK = 0,
	PSF_TOO_SHORT,	/* shorter than its header */
	PSF_BAD_MAGIC,	/* neither PSF1 nor PSF2 */
	PSF_BAD_HEADER, /* PSF2 header size, zero glyphs or dimensions, absurd sizes */
	PSF_TRUNCATED,	/* glyphs run past the end of the data */
	PSF_BAD_TABLE,	/* the Unicode table runs past the end or is malformed */
};

/*
 * Parse a PSF1 or PSF2 font held in memory (not copied: data must stay).
 * Without a Unicode table, character c is glyph c. Characters no glyph
 * claims are drawn with the glyph of '?' (or glyph 0 if even that is
 * missing).
 */
enum psf_error psf_parse(struct psf_font *f, const void *data, size_t size);
const char *psf_error_str(enum psf_error err);

/* The bitmap of the glyph for character c (bytes_per_row bytes per row, height rows). */
static inline const u8 *psf_glyph(const struct psf_font *f, u8 c)
{
	return f->glyphs + (size_t)f->map[c] * f->bytes_per_glyph;
}

/* Whether pixel (x, y) of a glyph bitmap is set. */
static inline bool psf_pixel(const struct psf_font *f, const u8 *glyph, u32 x, u32 y)
{
	return glyph[y * f->bytes_per_row + x / 8] & (0x80u >> (x % 8));
}

#endif
