/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The screen console: every console line also drawn on the GOP
 * framebuffer the stub handed over, in the embedded PSF font, and the
 * final verdict drawn large in a band at the bottom of the screen. For a
 * person at a real machine with no serial port.
 */
#ifndef EFIMAP_KERNEL_FBCON_H
#define EFIMAP_KERNEL_FBCON_H

#include "kernel/handoff.h"
#include "lib/psf.h"

/* Colours (0xRRGGBB) the screen console uses; tests look for them in screendumps. */
#define FBCON_TEXT_RGB	     0xc0c0c0u
#define FBCON_PASS_RGB	     0x00d000u
#define FBCON_FAIL_RGB	     0xff3030u
#define FBCON_FW_ERRORS_RGB  0xffb000u /* amber: efimap passed, the firmware did not */
#define FBCON_BACKGROUND_RGB 0x000000u

/*
 * Take over the framebuffer described by h (cleared, then the lines
 * printed so far are drawn), or stay off: enabled false (efimap.fbcon=off),
 * no usable framebuffer, a font that does not parse. Runs on whatever page
 * tables are live: the firmware's map the framebuffer (its GOP draws
 * through them), and the kernel's map it at the same address.
 */
void fbcon_init(const struct handoff *h, bool enabled);

/* One console line (no newline), wrapped at the screen's width. */
void fbcon_write_line(const char *line);

enum fbcon_verdict {
	FBCON_PASS,
	FBCON_FAIL,
	FBCON_FW_ERRORS,
	FBCON_NO_VERDICT,
};

/* Draw text large in the verdict band: green for a pass, red otherwise. */
void fbcon_verdict(enum fbcon_verdict v, const char *text);

/*
 * Print the "efimap: fb:" summary line, once the kernel's tables are live;
 * cache is how they map the framebuffer ("wc", "uc").
 */
void fbcon_report(const char *cache);

/* What the self-tests need to find the console's text on the screen. */
struct fbcon_info {
	bool on;
	const volatile u32 *base;
	u32 width, height, stride; /* pixels */
	u32 origin_x, origin_y;	   /* top left of the text grid */
	u32 cell_w, cell_h, scale; /* a character cell, glyph scaling */
	u32 cols, rows, next_row;  /* the grid, and the row the next line goes to */
	u32 text_px, bg_px;	   /* packed pixels of console text and background */
	const struct psf_font *font;
};
void fbcon_get_info(struct fbcon_info *info);

#endif
