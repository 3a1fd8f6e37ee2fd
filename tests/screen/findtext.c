// SPDX-License-Identifier: BSD-2-Clause
/*
 * findtext: is this text drawn in this colour somewhere on this screen?
 *
 *   findtext SCREEN.ppm FONT.psf RRGGBB TEXT [RRGGBB TEXT]...
 *
 * SCREEN is a binary PPM (P6, maxval 255) as QEMU's monitor command
 * `screendump` writes it; FONT is the PSF font the guest drew with. Each
 * TEXT is rendered with that font at scales 1 to 4 and searched for pixel
 * by pixel: every pixel a glyph sets must have exactly the colour, every
 * pixel it leaves clear must not. That is how kernel/fbcon.c draws, so a
 * match means the guest drew that very string; stray pixels of the right
 * colour, another font, or the firmware's own console text do not match.
 *
 * Prints one line per TEXT; exit 0 when every TEXT was found, 1 when one
 * was not, 2 for unreadable input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/psf.h"

#define MAX_SCALE 4

struct image {
	unsigned int width, height;
	unsigned char *rgb; /* width * height * 3 */
};

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			unsigned char *bigger = realloc(buf, cap ? cap * 2 : 65536);

			if (!bigger) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = bigger;
			cap = cap ? cap * 2 : 65536;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		if (!got)
			break;
		n += got;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* The next header number of a PPM, skipping blanks and # comments; -1 if none. */
static long ppm_number(const unsigned char *d, size_t size, size_t *at)
{
	long v = 0;
	int digits = 0;

	while (*at < size) {
		if (d[*at] == '#') {
			while (*at < size && d[*at] != '\n')
				(*at)++;
		} else if (d[*at] == ' ' || d[*at] == '\t' || d[*at] == '\r' || d[*at] == '\n') {
			(*at)++;
		} else {
			break;
		}
	}
	while (*at < size && d[*at] >= '0' && d[*at] <= '9' && digits < 9) {
		v = v * 10 + (d[*at] - '0');
		(*at)++;
		digits++;
	}
	return digits ? v : -1;
}

/* Parse a P6 image in place; NULL or what is wrong with it. */
static const char *ppm_parse(struct image *img, unsigned char *d, size_t size)
{
	size_t at = 2;
	long w, h, max;

	if (size < 2 || d[0] != 'P' || d[1] != '6')
		return "not a binary PPM (P6)";
	w = ppm_number(d, size, &at);
	h = ppm_number(d, size, &at);
	max = ppm_number(d, size, &at);
	if (w <= 0 || h <= 0 || w > 16384 || h > 16384)
		return "PPM size missing or absurd";
	if (max != 255)
		return "PPM maxval is not 255";
	at++; /* the single blank after maxval */
	if (at > size || size - at < (size_t)w * (size_t)h * 3)
		return "PPM pixel data cut short";
	img->width = (unsigned int)w;
	img->height = (unsigned int)h;
	img->rgb = d + at;
	return NULL;
}

static unsigned int pixel(const struct image *img, unsigned int x, unsigned int y)
{
	const unsigned char *p = img->rgb + ((size_t)y * img->width + x) * 3;

	return (unsigned int)p[0] << 16 | (unsigned int)p[1] << 8 | p[2];
}

/* Whether the glyph pixel (px, py) of text rendered at scale s is set. */
static bool text_pixel(const struct psf_font *f, const char *text, unsigned int s, unsigned int px,
		       unsigned int py)
{
	unsigned int cell = f->width * s;

	return psf_pixel(f, psf_glyph(f, (unsigned char)text[px / cell]), px % cell / s, py / s);
}

static bool matches_at(const struct image *img, const struct psf_font *f, const char *text,
		       unsigned int s, unsigned int colour, unsigned int x, unsigned int y)
{
	unsigned int w = (unsigned int)strlen(text) * f->width * s, h = f->height * s;

	for (unsigned int py = 0; py < h; py++)
		for (unsigned int px = 0; px < w; px++)
			if (text_pixel(f, text, s, px, py) !=
			    (pixel(img, x + px, y + py) == colour))
				return false;
	return true;
}

/* Search every position and scale; fills *fx, *fy, *fs on success. */
static bool find(const struct image *img, const struct psf_font *f, const char *text,
		 unsigned int colour, unsigned int *fx, unsigned int *fy, unsigned int *fs)
{
	size_t n = strlen(text);

	for (unsigned int s = 1; s <= MAX_SCALE; s++) {
		unsigned int w = (unsigned int)n * f->width * s, h = f->height * s;
		unsigned int ax = 0, ay = 0;
		bool any = false;

		if (w > img->width || h > img->height)
			continue;
		/* An anchor: the first set pixel, checked first so most positions fail at once. */
		for (unsigned int py = 0; py < h && !any; py++)
			for (unsigned int px = 0; px < w && !any; px++)
				if (text_pixel(f, text, s, px, py)) {
					ax = px;
					ay = py;
					any = true;
				}
		if (!any)
			continue; /* blank text: nothing to find */
		for (unsigned int y = 0; y + h <= img->height; y++)
			for (unsigned int x = 0; x + w <= img->width; x++)
				if (pixel(img, x + ax, y + ay) == colour &&
				    matches_at(img, f, text, s, colour, x, y)) {
					*fx = x;
					*fy = y;
					*fs = s;
					return true;
				}
	}
	return false;
}

static unsigned long count_colour(const struct image *img, unsigned int colour)
{
	unsigned long n = 0;

	for (unsigned int y = 0; y < img->height; y++)
		for (unsigned int x = 0; x < img->width; x++)
			n += pixel(img, x, y) == colour;
	return n;
}

int main(int argc, char **argv)
{
	struct image img;
	struct psf_font font;
	unsigned char *screen, *font_data;
	size_t screen_size, font_size;
	const char *err;
	enum psf_error perr;
	int missing = 0;

	if (argc < 5 || (argc - 3) % 2) {
		fprintf(stderr,
			"usage: findtext SCREEN.ppm FONT.psf RRGGBB TEXT [RRGGBB TEXT]...\n");
		return 2;
	}
	screen = read_file(argv[1], &screen_size);
	if (!screen) {
		fprintf(stderr, "findtext: cannot read %s\n", argv[1]);
		return 2;
	}
	err = ppm_parse(&img, screen, screen_size);
	if (err) {
		fprintf(stderr, "findtext: %s: %s\n", argv[1], err);
		return 2;
	}
	font_data = read_file(argv[2], &font_size);
	if (!font_data) {
		fprintf(stderr, "findtext: cannot read %s\n", argv[2]);
		return 2;
	}
	perr = psf_parse(&font, font_data, font_size);
	if (perr != PSF_OK) {
		fprintf(stderr, "findtext: %s: %s\n", argv[2], psf_error_str(perr));
		return 2;
	}

	for (int i = 3; i + 1 < argc; i += 2) {
		char *end;
		unsigned long colour = strtoul(argv[i], &end, 16);
		unsigned int x, y, s;

		if (strlen(argv[i]) != 6 || *end || !argv[i + 1][0]) {
			fprintf(stderr,
				"findtext: '%s' is not a colour RRGGBB, or the text is empty\n",
				argv[i]);
			return 2;
		}
		if (find(&img, &font, argv[i + 1], (unsigned int)colour, &x, &y, &s)) {
			printf("findtext: found \"%s\" in #%06lx at x=%u y=%u, scale %u\n",
			       argv[i + 1], colour, x, y, s);
		} else {
			printf("findtext: NOT found: \"%s\" in #%06lx (%ux%u screen, %lu pixels of "
			       "that colour)\n",
			       argv[i + 1], colour, img.width, img.height,
			       count_colour(&img, (unsigned int)colour));
			missing++;
		}
	}
	free(screen);
	free(font_data);
	return missing ? 1 : 0;
}
