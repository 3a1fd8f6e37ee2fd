// SPDX-License-Identifier: BSD-2-Clause
/*
 * The screen console, read back from the framebuffer: what kernel/fbcon.c
 * drew must be the font's glyphs in the console's colours, in the row its
 * grid says, after wrapping and scrolling too. The lines are written to the
 * screen only (not serial). Skipped when the console is off. Reading a
 * framebuffer back is slow on real hardware, so only a few rows are read.
 */
#include "kernel/fbcon.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

/* Whether grid row `row` shows exactly `text` followed by background. */
static bool row_shows(const struct fbcon_info *in, u32 row, const char *text)
{
	u32 n = (u32)strlen(text), y0 = in->origin_y + row * in->cell_h;

	for (u32 py = 0; py < in->cell_h; py++) {
		const volatile u32 *p = in->base + (size_t)(y0 + py) * in->stride + in->origin_x;

		for (u32 px = 0; px < (n + 1) * in->cell_w && px < in->cols * in->cell_w; px++) {
			bool set = false;

			if (px / in->cell_w < n)
				set = psf_pixel(in->font,
						psf_glyph(in->font, (u8)text[px / in->cell_w]),
						px % in->cell_w / in->scale, py / in->scale);
			if (p[px] != (set ? in->text_px : in->bg_px))
				return false;
		}
	}
	return true;
}

static bool console_on(struct ktap_test *t, struct fbcon_info *in)
{
	fbcon_get_info(in);
	if (!in->on)
		ktap_skip(t, "the screen console is off (no framebuffer, or efimap.fbcon=off)");
	return in->on;
}

static void geometry_fits_the_screen(struct ktap_test *t)
{
	struct fbcon_info in;

	if (!console_on(t, &in))
		return;
	KT_EXPECT(t, in.cols >= 20 && in.rows >= 4);
	KT_EXPECT(t, in.origin_x + in.cols * in.cell_w <= in.width);
	KT_EXPECT(t, in.origin_y + in.rows * in.cell_h <= in.height);
	KT_EXPECT(t, in.stride >= in.width);
	KT_EXPECT_EQ(t, in.cell_w, in.font->width * in.scale);
	KT_EXPECT(t, in.text_px != in.bg_px);
	KT_EXPECT(t, in.next_row <= in.rows);
}

static void a_line_reads_back(struct ktap_test *t)
{
	struct fbcon_info in;
	char line[64];

	if (!console_on(t, &in))
		return;
	/* The TSC makes the text new, so an old row cannot pass for it. */
	fmt_snprintf(line, sizeof(line), "fbcon self-test: read back %llx",
		     (unsigned long long)(arch_counter() & 0xffffff));
	fbcon_write_line(line);
	fbcon_get_info(&in);
	KT_ASSERT(t, in.next_row >= 1);
	KT_EXPECT(t, row_shows(&in, in.next_row - 1, line));
	/* And the check itself can fail: the row does not show another text. */
	line[0] = 'F';
	KT_EXPECT(t, !row_shows(&in, in.next_row - 1, line));
}

static void long_lines_wrap(struct ktap_test *t)
{
	struct fbcon_info in;
	char line[300], head[300];

	if (!console_on(t, &in))
		return;
	if (in.cols + 6 > sizeof(line)) {
		ktap_skip(t, "grid wider than this test's line");
		return;
	}
	for (u32 i = 0; i < in.cols + 5; i++)
		line[i] = (char)('a' + i % 26);
	line[in.cols + 5] = '\0';
	memcpy(head, line, in.cols);
	head[in.cols] = '\0';
	fbcon_write_line(line);
	fbcon_get_info(&in);
	KT_ASSERT(t, in.next_row >= 2);
	KT_EXPECT(t, row_shows(&in, in.next_row - 2, head));
	KT_EXPECT(t, row_shows(&in, in.next_row - 1, line + in.cols));
}

static void scrolling_keeps_the_newest_lines(struct ktap_test *t)
{
	struct fbcon_info in;
	char line[3][64];
	u32 n;

	if (!console_on(t, &in))
		return;
	/* Enough lines to pass the bottom once, whatever row we are on. */
	n = in.rows - in.next_row + 3;
	for (u32 i = 0; i < n; i++) {
		fmt_snprintf(line[i % 3], sizeof(line[0]), "fbcon self-test: scroll line %u of %u",
			     i + 1, n);
		fbcon_write_line(line[i % 3]);
	}
	fbcon_get_info(&in);
	KT_ASSERT(t, in.next_row >= 3);
	for (u32 k = 0; k < 3; k++)
		KT_EXPECT(t, row_shows(&in, in.next_row - 3 + k, line[(n - 3 + k) % 3]));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(geometry_fits_the_screen),
	KTAP_CASE(a_line_reads_back),
	KTAP_CASE(long_lines_wrap),
	KTAP_CASE(scrolling_keeps_the_newest_lines),
};
KTAP_SUITE(fbcon_suite, "fbcon", cases);
