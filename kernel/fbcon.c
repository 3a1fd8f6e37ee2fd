// SPDX-License-Identifier: BSD-2-Clause
/*
 * The screen console on the GOP framebuffer.
 *
 * The text is kept in a grid of characters in RAM and drawn from there;
 * the framebuffer is only ever written, never read (reads from a
 * write-combining or uncached framebuffer are very slow on real hardware).
 * When the cursor reaches the bottom, the top half of the grid is dropped
 * and the whole text area redrawn: one full-screen write every rows/2
 * lines instead of a full-screen move per line, which keeps the cost low
 * under QEMU's TCG as well as on hardware.
 *
 * Layout: the text area on top, a band at the bottom for the verdict,
 * drawn with the glyphs scaled up to four times. Console glyphs are
 * scaled too on screens so wide that the grid would not hold a row.
 */
#include "kernel/fbcon.h"
#include "kernel/kernel.h"
#include "lib/printf.h"
#include "lib/psf.h"
#include "lib/string.h"

#define MAX_COLS       240
#define MAX_ROWS       100
#define MAX_SCALE      4 /* of console glyphs, on very wide screens */
#define VERDICT_SCALE  4 /* of the verdict's glyphs, at most */
#define MARGIN	       8 /* pixels left clear at the screen's edges (monitors overscan) */
#define BAND_PAD       4 /* pixels above and below the verdict text */
#define RULE_HEIGHT    2 /* the line between text area and verdict band */
#define EARLY_LINES    16
#define EARLY_LINE_LEN 160

extern const u8 console_font_psf[], console_font_psf_end[];

enum fb_state {
	FB_PENDING, /* before fbcon_init: lines are kept for it */
	FB_ON,
	FB_OFF,
};

struct channel {
	u32 shift, bits;
};

static struct {
	enum fb_state state;
	const char *off_state; /* summary "state=" when not on: off, none, unusable */
	const char *why_off;   /* and its "reason=" */
	bool drawing;	       /* a fault while drawing must not draw again */
	volatile u32 *base;
	u32 width, height, stride; /* pixels */
	struct channel red, green, blue;
	struct psf_font font;
	u32 scale, cell_w, cell_h, cols, rows;
	u32 band_y, band_h; /* the verdict band */
	u32 text_px, bg_px; /* packed pixels */
	u32 row;	    /* next grid row to fill */
	char grid[MAX_ROWS][MAX_COLS];
	u8 len[MAX_ROWS];
} fb = { .state = FB_PENDING };

static struct {
	char line[EARLY_LINES][EARLY_LINE_LEN];
	u32 n;
} early;

/* Where a mask's bits are: lowest set bit and how many bits from there. */
static struct channel channel_of(u32 mask)
{
	struct channel c = { 0, 0 };

	while (mask && !(mask & 1)) {
		mask >>= 1;
		c.shift++;
	}
	while (mask & 1) {
		mask >>= 1;
		c.bits++;
	}
	return c;
}

/* An 8-bit intensity placed into a channel of any width. */
static u32 put_channel(struct channel c, u32 v)
{
	if (!c.bits)
		return 0;
	v = c.bits >= 8 ? v << (c.bits - 8) : v >> (8 - c.bits);
	return v << c.shift;
}

static u32 pack(u32 rgb)
{
	return put_channel(fb.red, (rgb >> 16) & 0xff) | put_channel(fb.green, (rgb >> 8) & 0xff) |
	       put_channel(fb.blue, rgb & 0xff);
}

static void fill_rect(u32 x, u32 y, u32 w, u32 h, u32 px)
{
	if (x >= fb.width || y >= fb.height)
		return;
	w = w > fb.width - x ? fb.width - x : w;
	h = h > fb.height - y ? fb.height - y : h;
	for (u32 j = 0; j < h; j++) {
		volatile u32 *p = fb.base + (size_t)(y + j) * fb.stride + x;

		for (u32 i = 0; i < w; i++)
			p[i] = px;
	}
}

/* n characters at (x, y), each glyph pixel drawn as a scale x scale square; clipped. */
static void draw_text(u32 x, u32 y, const char *s, u32 n, u32 scale, u32 fg, u32 bg)
{
	const struct psf_font *f = &fb.font;

	for (u32 gy = 0; gy < f->height * scale; gy++) {
		volatile u32 *p;
		u32 px = x;

		if (y + gy >= fb.height)
			return;
		p = fb.base + (size_t)(y + gy) * fb.stride;
		for (u32 i = 0; i < n && px < fb.width; i++) {
			const u8 *g = psf_glyph(f, (u8)s[i]);

			for (u32 gx = 0; gx < f->width; gx++) {
				u32 v = psf_pixel(f, g, gx, gy / scale) ? fg : bg;

				for (u32 k = 0; k < scale && px < fb.width; k++)
					p[px++] = v;
			}
		}
	}
}

static void draw_row(u32 r)
{
	u32 y = MARGIN + r * fb.cell_h, used = fb.len[r] * fb.cell_w;

	draw_text(MARGIN, y, fb.grid[r], fb.len[r], fb.scale, fb.text_px, fb.bg_px);
	fill_rect(MARGIN + used, y, fb.cols * fb.cell_w - used, fb.cell_h, fb.bg_px);
}

/* Drop the top half of the grid and redraw what is left. */
static void scroll(void)
{
	u32 drop = fb.rows / 2 ? fb.rows / 2 : 1;

	memmove(fb.grid[0], fb.grid[drop], (size_t)(fb.rows - drop) * MAX_COLS);
	memmove(fb.len, fb.len + drop, fb.rows - drop);
	memset(fb.len + fb.rows - drop, 0, drop);
	fb.row -= drop;
	for (u32 r = 0; r < fb.rows; r++)
		draw_row(r);
}

static void put_row(const char *s, u32 n)
{
	if (fb.row == fb.rows)
		scroll();
	memcpy(fb.grid[fb.row], s, n);
	fb.len[fb.row] = (u8)n;
	draw_row(fb.row++);
}

/* Tabs to spaces (to the next multiple of 8), other controls to '?', then wrap. */
static void draw_line(const char *line)
{
	char row[MAX_COLS];
	u32 n = 0;

	for (const char *c = line; *c; c++) {
		u32 spaces = *c == '\t' ? 8 - n % 8 : 1;

		for (u32 k = 0; k < spaces; k++) {
			if (n == fb.cols) {
				put_row(row, n);
				n = 0;
			}
			row[n++] = *c == '\t' ? ' ' : ((u8)*c < 0x20 || *c == 0x7f) ? '?' : *c;
		}
	}
	put_row(row, n);
}

void fbcon_write_line(const char *line)
{
	if (fb.state == FB_PENDING) {
		if (early.n < EARLY_LINES)
			fmt_snprintf(early.line[early.n++], EARLY_LINE_LEN, "%s", line);
		return;
	}
	if (fb.state != FB_ON)
		return;
	if (fb.drawing) {
		/* A fault while drawing, reported through us: serial only from now on. */
		fb.state = FB_OFF;
		fb.off_state = "unusable";
		fb.why_off = "fault-while-drawing";
		return;
	}
	fb.drawing = true;
	draw_line(line);
	fb.drawing = false;
}

void fbcon_verdict(enum fbcon_verdict v, const char *text)
{
	u32 n = (u32)strlen(text), scale = VERDICT_SCALE, colour;

	if (fb.state != FB_ON || fb.drawing)
		return;
	fb.drawing = true;
	colour = pack(v == FBCON_PASS	     ? FBCON_PASS_RGB
		      : v == FBCON_FW_ERRORS ? FBCON_FW_ERRORS_RGB
					     : FBCON_FAIL_RGB);
	/* As large as fits the width, at least 1x (then clipped). */
	while (scale > 1 && n * fb.font.width * scale > fb.width - 2 * MARGIN)
		scale--;
	fill_rect(0, fb.band_y, fb.width, fb.band_h, fb.bg_px);
	draw_text(MARGIN, fb.band_y + (fb.band_h - fb.font.height * scale) / 2, text, n, scale,
		  colour, fb.bg_px);
	fb.drawing = false;
}

static void off(const char *state, const char *why)
{
	fb.state = FB_OFF;
	fb.off_state = state;
	fb.why_off = why;
}

/* Geometry for a screen: console scale, grid, verdict band. Returns NULL or why not. */
static const char *layout(void)
{
	const struct psf_font *f = &fb.font;

	fb.scale = 1;
	while (fb.scale < MAX_SCALE && fb.width / (f->width * fb.scale) > MAX_COLS)
		fb.scale++;
	fb.cell_w = f->width * fb.scale;
	fb.cell_h = f->height * fb.scale;
	fb.band_h = f->height * VERDICT_SCALE + 2 * BAND_PAD + MARGIN;
	if (fb.band_h > fb.height / 4)
		fb.band_h = f->height * 2 + 2 * BAND_PAD; /* a small screen: a smaller band */
	if (fb.width < 2 * MARGIN + 20 * fb.cell_w ||
	    fb.height < MARGIN + 4 * fb.cell_h + RULE_HEIGHT + fb.band_h)
		return "screen-too-small";
	fb.cols = (fb.width - 2 * MARGIN) / fb.cell_w;
	fb.rows = (fb.height - MARGIN - RULE_HEIGHT - fb.band_h) / fb.cell_h;
	if (fb.cols > MAX_COLS)
		fb.cols = MAX_COLS;
	if (fb.rows > MAX_ROWS)
		fb.rows = MAX_ROWS;
	fb.band_y = fb.height - fb.band_h;
	return NULL;
}

static const char *reason_from_flags(u32 flags)
{
	if (flags & HANDOFF_FB_NO_GOP)
		return "no-gop";
	if (flags & HANDOFF_FB_NO_LINEAR)
		return "no-linear-framebuffer";
	if (flags & HANDOFF_FB_SET_FAILED)
		return "set-mode-failed";
	return "none-handed-over";
}

static const char *setup(const struct handoff *h)
{
	enum psf_error perr;

	if (h->fb_format == HANDOFF_FB_NONE || !h->fb_base)
		return reason_from_flags(h->fb_flags);
	/* The same limit as paging.c, which maps it only below 2^48. */
	if (h->fb_base >= (1ULL << 48) || h->fb_size > (1ULL << 48) - h->fb_base)
		return "beyond-4-level-paging";
	if (!h->fb_width || !h->fb_height || h->fb_pixels_per_scan_line < h->fb_width ||
	    (u64)h->fb_pixels_per_scan_line * h->fb_height * 4 > h->fb_size)
		return "mode-larger-than-framebuffer";
	switch (h->fb_format) {
	case HANDOFF_FB_RGBX:
		fb.red = channel_of(0x000000ffu);
		fb.green = channel_of(0x0000ff00u);
		fb.blue = channel_of(0x00ff0000u);
		break;
	case HANDOFF_FB_BGRX:
		fb.red = channel_of(0x00ff0000u);
		fb.green = channel_of(0x0000ff00u);
		fb.blue = channel_of(0x000000ffu);
		break;
	case HANDOFF_FB_BITMASK:
		fb.red = channel_of(h->fb_red_mask);
		fb.green = channel_of(h->fb_green_mask);
		fb.blue = channel_of(h->fb_blue_mask);
		if (!fb.red.bits || !fb.green.bits || !fb.blue.bits)
			return "bad-pixel-bitmask";
		break;
	default:
		return "unknown-pixel-format";
	}
	/* Two linker symbols bounding one blob: compare addresses, not pointers. */
	perr = psf_parse(&fb.font, console_font_psf,
			 (size_t)((uintptr_t)console_font_psf_end - (uintptr_t)console_font_psf));
	if (perr != PSF_OK) {
		printk("efimap: fb: embedded font unusable: %s", psf_error_str(perr));
		return "bad-font";
	}
	fb.base = (volatile u32 *)(uintptr_t)h->fb_base;
	fb.width = h->fb_width;
	fb.height = h->fb_height;
	fb.stride = h->fb_pixels_per_scan_line;
	return layout();
}

void fbcon_init(const struct handoff *h, bool enabled)
{
	const char *why;

	if (!enabled) {
		off("off", "efimap.fbcon=off");
		return;
	}
	why = setup(h);
	if (why) {
		off(h->fb_format == HANDOFF_FB_NONE ? "none" : "unusable", why);
		return;
	}
	fb.text_px = pack(FBCON_TEXT_RGB);
	fb.bg_px = pack(FBCON_BACKGROUND_RGB);
	fb.state = FB_ON;
	fb.drawing = true;
	fill_rect(0, 0, fb.width, fb.height, fb.bg_px); /* the firmware's text goes */
	fill_rect(0, fb.band_y - RULE_HEIGHT, fb.width, RULE_HEIGHT, pack(0x606060));
	fb.drawing = false;
	for (u32 i = 0; i < early.n; i++)
		fbcon_write_line(early.line[i]);
	early.n = 0;
}

void fbcon_get_info(struct fbcon_info *info)
{
	*info = (struct fbcon_info){
		.on = fb.state == FB_ON,
		.base = fb.base,
		.width = fb.width,
		.height = fb.height,
		.stride = fb.stride,
		.origin_x = MARGIN,
		.origin_y = MARGIN,
		.cell_w = fb.cell_w,
		.cell_h = fb.cell_h,
		.scale = fb.scale,
		.cols = fb.cols,
		.rows = fb.rows,
		.next_row = fb.row,
		.text_px = fb.text_px,
		.bg_px = fb.bg_px,
		.font = &fb.font,
	};
}

static const char *const format_names[] = {
	[HANDOFF_FB_NONE] = "none",
	[HANDOFF_FB_RGBX] = "rgbx",
	[HANDOFF_FB_BGRX] = "bgrx",
	[HANDOFF_FB_BITMASK] = "bitmask",
};

void fbcon_report(const char *cache)
{
	const struct handoff *h = kstate.handoff;
	const char *fmt =
		h->fb_format < ARRAY_SIZE(format_names) ? format_names[h->fb_format] : "?";

	if (fb.state != FB_ON) {
		printk("efimap: fb: state=%s reason=%s", fb.off_state ? fb.off_state : "none",
		       fb.why_off ? fb.why_off : "not-initialised");
		return;
	}
	printk("efimap: fb: state=on mode=%u width=%u height=%u stride=%u format=%s base=0x%llx "
	       "size_kib=%llu cache=%s font=%ux%u scale=%u cols=%u rows=%u mode_set=%u",
	       h->fb_mode, fb.width, fb.height, fb.stride, fmt, (unsigned long long)h->fb_base,
	       (unsigned long long)(h->fb_size / 1024), cache, fb.font.width, fb.font.height,
	       fb.scale, fb.cols, fb.rows, !!(h->fb_flags & HANDOFF_FB_MODE_SET));
}
