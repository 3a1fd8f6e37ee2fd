// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SVG picture. The address space is a strip read left to right and
 * wrapped into rows like text; every map entry is a box coloured by type
 * whose width grows with the logarithm of its size, every hole between
 * entries a fixed-width gap with a break mark. Addresses label the box
 * edges where there is room; every box and gap carries a <title> (shown
 * as a tooltip by browsers) with its exact range. All geometry is integer
 * tenths of a pixel so the output does not depend on the host's libm.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/describe.h"
#include "tools/escape.h"
#include "tools/mapcopy.h"
#include "tools/svg.h"
#include "tools/tool.h"

#define CANVAS_W    1200u
#define MARGIN	    20u
#define ROW_W10	    ((CANVAS_W - 2 * MARGIN) * 10)
#define TOP	    78u /* first row's strip */
#define STRIP_H	    36u
#define LABEL_H	    104u /* room below a strip for rotated address labels */
#define ROW_PITCH   (STRIP_H + LABEL_H + 12)
#define HOLE_W10    140u /* a hole, whatever its size */
#define LABEL_GAP10 110u /* rotated labels need this much room between them */
#define RUN_BAR_H   5u
#define LEGEND_ROW  20u
#define LEGEND_COLS 2u

/* Fill colours by type: related types share a hue (boot services blue, runtime red...). */
static const char *const type_colour[MM_NR_TYPES] = {
	[MM_RESERVED] = "#9e9e9e",     [MM_LOADER_CODE] = "#f4a582",  [MM_LOADER_DATA] = "#fddbc7",
	[MM_BOOT_CODE] = "#2166ac",    [MM_BOOT_DATA] = "#92c5de",    [MM_RUNTIME_CODE] = "#b2182b",
	[MM_RUNTIME_DATA] = "#e08070", [MM_CONVENTIONAL] = "#5aae61", [MM_UNUSABLE] = "#40004b",
	[MM_ACPI_RECLAIM] = "#e7d4e8", [MM_ACPI_NVS] = "#9970ab",     [MM_MMIO] = "#fee08b",
	[MM_MMIO_PORT] = "#d8b365",    [MM_PAL_CODE] = "#8c510a",     [MM_PERSISTENT] = "#01665e",
	[MM_UNACCEPTED] = "#c7eae5",
};
#define UNKNOWN_COLOUR "#202020"

/* Fills dark enough that text on them is written in white. */
static bool colour_is_dark(u32 type)
{
	switch (type) {
	case MM_BOOT_CODE:
	case MM_RUNTIME_CODE:
	case MM_UNUSABLE:
	case MM_ACPI_NVS:
	case MM_PAL_CODE:
	case MM_PERSISTENT:
		return true;
	default:
		return type >= MM_NR_TYPES;
	}
}

const char *svg_type_colour(u32 type)
{
	return type < MM_NR_TYPES ? type_colour[type] : UNKNOWN_COLOUR;
}

u32 svg_region_width10(u64 pages)
{
	u32 fl, frac;

	if (pages == 0)
		return 20;
	fl = 63 - (u32)__builtin_clzll(pages);
	/* log2(1 + x) ~ x on [0, 1): the 4 bits after the leading one, in 1/16 steps. */
	if (fl >= 4)
		frac = (u32)(pages >> (fl - 4)) & 15;
	else
		frac = (u32)(pages << (4 - fl)) & 15;
	return 40 + (60 * (fl * 16 + frac)) / 16;
}

struct item {
	bool hole;
	bool overlap; /* starts below the end of an earlier entry */
	u32 entry;    /* index in the sorted copy (regions) */
	u64 start;    /* first address; end is exclusive and saturates at 2^64 - 1 */
	u64 end;
	u32 w10, x10, row;
};

/* Tenths of a pixel as SVG text. */
static void px(FILE *out, u32 v10)
{
	if (v10 % 10)
		fprintf(out, "%u.%u", v10 / 10, v10 % 10);
	else
		fprintf(out, "%u", v10 / 10);
}

static u32 layout_items(const struct memmap *m, struct item *items, u32 *nr_items)
{
	u64 prev_end = 0;
	u32 n = 0, row = 0, x10 = 0;

	for (u32 i = 0; i < m->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(m, i);
		u64 end = mm_desc_end(md);

		if (md->phys_addr > prev_end) {
			items[n++] = (struct item){ .hole = true,
						    .start = prev_end,
						    .end = md->phys_addr,
						    .w10 = HOLE_W10 };
		}
		items[n++] = (struct item){ .entry = i,
					    .start = md->phys_addr,
					    .end = end,
					    .overlap = i > 0 && md->phys_addr < prev_end,
					    .w10 = svg_region_width10(md->num_pages) };
		if (end > prev_end)
			prev_end = end;
	}
	for (u32 k = 0; k < n; k++) {
		if (x10 + items[k].w10 > ROW_W10 && x10 > 0) {
			row++;
			x10 = 0;
		}
		items[k].row = row;
		items[k].x10 = x10;
		x10 += items[k].w10;
	}
	*nr_items = n;
	return n ? row + 1 : 1;
}

static void label(FILE *out, u32 x10, u32 row, u64 addr)
{
	u32 y = TOP + row * ROW_PITCH + STRIP_H;

	fprintf(out, "<line x1=\"");
	px(out, MARGIN * 10 + x10);
	fprintf(out, "\" y1=\"%u\" x2=\"", y);
	px(out, MARGIN * 10 + x10);
	fprintf(out, "\" y2=\"%u\" stroke=\"#000\"/>", y + 4);
	fprintf(out, "<text transform=\"translate(");
	px(out, MARGIN * 10 + x10 - 30);
	fprintf(out, " %u) rotate(90)\">0x%llx</text>\n", y + 7, (unsigned long long)addr);
}

static void draw_item(FILE *out, const struct memmap *m, const struct parsed_map *pm,
		      const struct item *it)
{
	u32 y = TOP + it->row * ROW_PITCH;
	u32 x10 = MARGIN * 10 + it->x10;
	char size[32], type[40], attrs[128];

	if (it->hole) {
		describe_size(size, sizeof(size), it->end - it->start);
		fprintf(out, "<g><title>hole 0x%016llx-0x%016llx: %s not in the map</title>",
			(unsigned long long)it->start, (unsigned long long)(it->end - 1), size);
		fprintf(out, "<rect x=\"");
		px(out, x10);
		fprintf(out, "\" y=\"%u\" width=\"", y);
		px(out, it->w10);
		fprintf(out, "\" height=\"%u\" fill=\"#f2f2f2\"/>", STRIP_H);
		/* The break mark: two slanted strokes, as on a broken axis. */
		fprintf(out, "<path d=\"M");
		px(out, x10 + 30);
		fprintf(out, " %u L", y + STRIP_H - 4);
		px(out, x10 + 70);
		fprintf(out, " %u M", y + 4);
		px(out, x10 + 70);
		fprintf(out, " %u L", y + STRIP_H - 4);
		px(out, x10 + 110);
		fprintf(out, " %u\" stroke=\"#777\" stroke-width=\"1.5\" fill=\"none\"/></g>\n",
			y + 4);
		return;
	}

	const struct mm_desc *md = memmap_desc(m, it->entry);
	u32 orig = mapcopy_orig_index(m, it->entry);
	char last[40];

	describe_type(type, sizeof(type), md->type);
	describe_pages(size, sizeof(size), md->num_pages);
	describe_attrs(attrs, sizeof(attrs), md->attribute);
	describe_last_byte(last, sizeof(last), md);
	fprintf(out, "<g><title>entry %u", orig);
	if (pm->lines && orig < pm->map.nr_map && pm->lines[orig])
		fprintf(out, " (line %u)", pm->lines[orig]);
	fprintf(out, ": ");
	xml_write_text(out, type);
	fprintf(out, " 0x%016llx-%s, %s, %s%s</title>", (unsigned long long)md->phys_addr, last,
		size, attrs, it->overlap ? "; overlaps an earlier entry" : "");
	fprintf(out, "<rect x=\"");
	px(out, x10);
	fprintf(out, "\" y=\"%u\" width=\"", y);
	px(out, it->w10);
	fprintf(out, "\" height=\"%u\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>", STRIP_H,
		svg_type_colour(md->type), it->overlap ? "#e00000" : "#ffffff",
		it->overlap ? "2" : "0.5");
	if (md->attribute & MM_ATTR_RUNTIME) {
		fprintf(out, "<rect x=\"");
		px(out, x10);
		fprintf(out, "\" y=\"%u\" width=\"", y);
		px(out, it->w10);
		fprintf(out, "\" height=\"%u\" fill=\"#000\"/>", RUN_BAR_H);
	}
	/* The size inside the box when it fits (monospace 9 px: 5.4 px a character). */
	if (it->w10 >= (u32)strlen(size) * 54 + 60) {
		fprintf(out, "<text x=\"");
		px(out, x10 + it->w10 / 2);
		fprintf(out, "\" y=\"%u\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
			y + STRIP_H / 2 + 5, colour_is_dark(md->type) ? "#ffffff" : "#000000",
			size);
	}
	fprintf(out, "</g>\n");
}

/* Labels at item edges, left to right, skipping any that would touch the last one drawn. */
static void draw_labels(FILE *out, const struct item *items, u32 n)
{
	u32 row = ~0u, last_x10 = 0;

	for (u32 k = 0; k <= n; k++) {
		u32 x10, r;
		u64 addr;

		if (k < n) {
			x10 = items[k].x10;
			r = items[k].row;
			addr = items[k].start;
		} else {
			if (n == 0)
				break;
			x10 = items[n - 1].x10 + items[n - 1].w10;
			r = items[n - 1].row;
			addr = items[n - 1].end;
		}
		if (r != row) {
			row = r;
		} else if (x10 < last_x10 + LABEL_GAP10) {
			continue;
		}
		label(out, x10, r, addr);
		last_x10 = x10;
	}
}

struct legend_entry {
	const char *colour;
	char text[96];
	bool hatch; /* the hole swatch */
	bool bar;   /* the runtime bar */
	bool red;   /* the overlap outline */
};

static u32 build_legend(const struct memmap *m, const struct item *items, u32 n,
			struct legend_entry *le)
{
	struct mm_totals t;
	u32 k = 0, holes = 0, overlaps = 0;
	u64 hole_bytes = 0;
	char size[32];

	memmap_totals(m, &t);
	for (u32 ty = 0; ty < MM_NR_TYPES; ty++) {
		if (!t.entries[ty])
			continue;
		describe_pages(size, sizeof(size), t.pages[ty]);
		le[k].colour = type_colour[ty];
		snprintf(le[k].text, sizeof(le[k].text), "%s: %s in %u %s", mm_type_name(ty), size,
			 t.entries[ty], t.entries[ty] == 1 ? "entry" : "entries");
		k++;
	}
	if (t.other_entries) {
		describe_pages(size, sizeof(size), t.other_pages);
		le[k].colour = UNKNOWN_COLOUR;
		snprintf(le[k].text, sizeof(le[k].text), "unknown types: %s in %u %s", size,
			 t.other_entries, t.other_entries == 1 ? "entry" : "entries");
		k++;
	}
	for (u32 i = 0; i < n; i++) {
		if (items[i].hole) {
			holes++;
			hole_bytes += items[i].end - items[i].start;
		}
		if (items[i].overlap)
			overlaps++;
	}
	if (holes) {
		describe_size(size, sizeof(size), hole_bytes);
		le[k].colour = "#f2f2f2";
		le[k].hatch = true;
		snprintf(le[k].text, sizeof(le[k].text), "not in the map (compressed): %s in %u %s",
			 size, holes, holes == 1 ? "hole" : "holes");
		k++;
	}
	if (t.runtime_entries) {
		describe_pages(size, sizeof(size), t.runtime_pages);
		le[k].colour = "#ffffff";
		le[k].bar = true;
		snprintf(le[k].text, sizeof(le[k].text), "EFI_MEMORY_RUNTIME (bar): %s in %u %s",
			 size, t.runtime_entries, t.runtime_entries == 1 ? "entry" : "entries");
		k++;
	}
	if (overlaps) {
		le[k].colour = "#ffffff";
		le[k].red = true;
		snprintf(le[k].text, sizeof(le[k].text), "overlaps an earlier entry: %u %s",
			 overlaps, overlaps == 1 ? "entry" : "entries");
		k++;
	}
	return k;
}

static void draw_legend(FILE *out, const struct legend_entry *le, u32 n, u32 y0)
{
	const u32 col_w = (CANVAS_W - 2 * MARGIN) / LEGEND_COLS;

	for (u32 k = 0; k < n; k++) {
		u32 x = MARGIN + (k % LEGEND_COLS) * col_w;
		u32 y = y0 + (k / LEGEND_COLS) * LEGEND_ROW;

		fprintf(out,
			"<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"%s\" "
			"stroke=\"%s\" stroke-width=\"%s\"/>",
			x, y, le[k].colour, le[k].red ? "#e00000" : "#000",
			le[k].red ? "2" : "0.5");
		if (le[k].bar)
			fprintf(out,
				"<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"%u\" "
				"fill=\"#000\"/>",
				x, y, RUN_BAR_H);
		if (le[k].hatch)
			fprintf(out,
				"<path d=\"M%u %u L%u %u M%u %u L%u %u\" stroke=\"#777\" "
				"stroke-width=\"1.5\"/>",
				x + 2, y + 12, x + 6, y + 2, x + 7, y + 12, x + 11, y + 2);
		fprintf(out, "<text x=\"%u\" y=\"%u\" font-size=\"12\">", x + 20, y + 11);
		xml_write_text(out, le[k].text);
		fprintf(out, "</text>\n");
	}
}

int svg_write(FILE *out, const char *name, const struct parsed_map *pm)
{
	struct legend_entry le[MM_NR_TYPES + 4];
	struct memmap m;
	struct item *items;
	u32 n = 0, rows, nr_legend, legend_y, height;

	if (mapcopy_indexed(&pm->map, &m) != 0)
		return -1;
	memmap_sort(&m);
	items = calloc(2 * (size_t)m.nr_map + 1, sizeof(*items));
	if (!items) {
		mapcopy_free(&m);
		return -1;
	}
	memset(le, 0, sizeof(le));
	rows = layout_items(&m, items, &n);
	nr_legend = build_legend(&m, items, n, le);
	legend_y = TOP + rows * ROW_PITCH + 10;
	height = legend_y + ((nr_legend + LEGEND_COLS - 1) / LEGEND_COLS) * LEGEND_ROW + MARGIN;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\" font-family=\"monospace\" font-size=\"9\">\n",
		CANVAS_W, height, CANVAS_W, height);
	fprintf(out, "<title>efimap: physical memory map of ");
	xml_write_text(out, name);
	fprintf(out, "</title>\n");
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	fprintf(out,
		"<text x=\"%u\" y=\"28\" font-size=\"16\" font-weight=\"bold\">"
		"Physical memory map: ",
		MARGIN);
	xml_write_text(out, name);
	fprintf(out, "</text>\n<text x=\"%u\" y=\"48\" font-size=\"11\">", MARGIN);
	fprintf(out, "%u %s (", m.nr_map, m.nr_map == 1 ? "entry" : "entries");
	xml_write_text(out, log_format_name(pm->format));
	{
		char which[MAP_DESCRIBE_MAX];

		parsed_map_describe(which, sizeof(which), pm);
		fprintf(out, "; ");
		xml_write_text(out, which);
	}
	fprintf(out, "), lowest address top left. Box width grows with log2(size); holes "
		     "are compressed to a break mark.</text>\n");
	fprintf(out,
		"<text x=\"%u\" y=\"64\" font-size=\"11\">Addresses (hex) mark box edges "
		"where there is room; hover a box for its entry, range and attributes.</text>\n",
		MARGIN);
	for (u32 k = 0; k < n; k++)
		draw_item(out, &m, pm, &items[k]);
	draw_labels(out, items, n);
	draw_legend(out, le, nr_legend, legend_y);
	fprintf(out, "</svg>\n");

	free(items);
	mapcopy_free(&m);
	return 0;
}

int cmd_svg(const char *path, const struct tool_opts *o, FILE *out, FILE *err)
{
	const char *name = tool_display_name(path);
	struct parsed_map pm;
	int rc;

	(void)o;
	if (tool_load(path, &pm, err) != 0) {
		parsed_map_free(&pm);
		return TOOL_EXIT_UNREADABLE;
	}
	rc = svg_write(out, name, &pm);
	if (rc != 0) {
		tool_say_unusable(err, name, &pm, "drawn");
	}
	parsed_map_free(&pm);
	return rc ? TOOL_EXIT_FINDINGS : TOOL_EXIT_OK;
}
