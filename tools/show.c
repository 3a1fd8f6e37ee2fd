// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap show FILE`: the map normalised for reading and diffing: sorted by
 * physical start (stable, so equal starts keep their input order), one line
 * per entry with its input index and line, then totals per type.
 */
#include <string.h>

#include "tools/describe.h"
#include "tools/json.h"
#include "tools/mapcopy.h"
#include "tools/tool.h"

/* MiB with two decimals, truncated: pages / 256. */
static void mib(char *buf, size_t size, u64 pages)
{
	snprintf(buf, size, "%llu.%02llu", (unsigned long long)(pages >> 8),
		 (unsigned long long)((pages & 0xff) * 100 / 256));
}

static void text_entry(FILE *out, const struct parsed_map *pm, const struct memmap *m, u32 i)
{
	const struct mm_desc *md = memmap_desc(m, i);
	u32 orig = mapcopy_orig_index(m, i);
	char type[40], last[40], size[32], attrs[128], line[16];

	describe_type(type, sizeof(type), md->type);
	describe_last_byte(last, sizeof(last), md);
	describe_pages(size, sizeof(size), md->num_pages);
	describe_attrs(attrs, sizeof(attrs), md->attribute);
	if (pm->lines && pm->lines[orig])
		snprintf(line, sizeof(line), "%u", pm->lines[orig]);
	else
		snprintf(line, sizeof(line), "-");
	fprintf(out, "%5u %6s  %-14s 0x%016llx %-18s %10llu %12s  %s\n", orig, line, type,
		(unsigned long long)md->phys_addr, last, (unsigned long long)md->num_pages, size,
		attrs);
}

static void text_total(FILE *out, const char *label, u32 entries, u64 pages)
{
	char m[32], h[32];

	mib(m, sizeof(m), pages);
	describe_pages(h, sizeof(h), pages);
	fprintf(out, "%-24s %7u %14llu %14s  %s\n", label, entries, (unsigned long long)pages, m,
		h);
}

static void print_text(FILE *out, const char *name, const struct parsed_map *pm,
		       const struct memmap *m, const struct mm_totals *t, u32 moved)
{
	u64 ram = 0;
	u32 ram_entries = 0;

	fprintf(out, "# %s: %u %s, %s; desc_size %u, desc_version %u\n", name, m->nr_map,
		m->nr_map == 1 ? "entry" : "entries", log_format_name(pm->format),
		pm->map.desc_size, pm->map.desc_version);
	{
		char which[MAP_DESCRIBE_MAX];

		parsed_map_describe(which, sizeof(which), pm);
		fprintf(out, "# %s\n", which);
	}
	if (moved)
		fprintf(out, "# sorted by physical start: the input was unsorted (%u %s moved)\n",
			moved, moved == 1 ? "entry" : "entries");
	else
		fprintf(out, "# sorted by physical start: the input was already in this order\n");
	fprintf(out, "# entry/line: index and line in the input; end: last byte (inclusive); "
		     "pages of 4 KiB\n");
	fprintf(out, "%5s %6s  %-14s %-18s %-18s %10s %12s  %s\n", "entry", "line", "type", "start",
		"end", "pages", "size", "attributes");
	for (u32 i = 0; i < m->nr_map; i++)
		text_entry(out, pm, m, i);

	fprintf(out, "\n# totals by type (overlapping entries are counted twice)\n");
	fprintf(out, "%-24s %7s %14s %14s  %s\n", "type", "entries", "pages", "MiB", "size");
	for (u32 ty = 0; ty < MM_NR_TYPES; ty++) {
		if (!t->entries[ty])
			continue;
		text_total(out, mm_type_name(ty), t->entries[ty], t->pages[ty]);
		if (mm_type_is_ram(ty)) {
			ram += t->pages[ty];
			ram_entries += t->entries[ty];
		}
	}
	if (t->other_entries)
		text_total(out, "unknown types", t->other_entries, t->other_pages);
	text_total(out, "all entries", m->nr_map, t->total_pages);
	text_total(out, "RAM after boot services", ram_entries, ram);
	text_total(out, "EFI_MEMORY_RUNTIME", t->runtime_entries, t->runtime_pages);
}

static void json_entry(struct json_writer *j, const struct parsed_map *pm, const struct memmap *m,
		       u32 i)
{
	const struct mm_desc *md = memmap_desc(m, i);
	u32 orig = mapcopy_orig_index(m, i);
	char names[ATTR_NAMES_MAX][ATTR_NAME_MAX];
	char buf[64];
	u32 n;

	json_object(j, true);
	json_kv_u64(j, "entry", orig);
	json_key(j, "line");
	if (pm->lines && pm->lines[orig])
		json_u64(j, pm->lines[orig]);
	else
		json_null(j);
	json_kv_u64(j, "type", md->type);
	describe_type(buf, sizeof(buf), md->type);
	json_kv_str(j, "type_name", buf);
	json_kv_hex(j, "start", md->phys_addr);
	json_key(j, "end");
	if (describe_last_byte(buf, sizeof(buf), md))
		json_str(j, buf);
	else
		json_null(j);
	json_kv_u64(j, "pages", md->num_pages);
	describe_pages(buf, sizeof(buf), md->num_pages);
	json_kv_str(j, "size", buf);
	json_kv_hex(j, "attribute", md->attribute);
	json_key(j, "attributes");
	json_array(j, true);
	n = attr_names(md->attribute, names, ATTR_NAMES_MAX);
	for (u32 k = 0; k < n; k++)
		json_str(j, names[k]);
	json_end(j);
	json_end(j);
}

static void json_total(struct json_writer *j, const char *key, u32 entries, u64 pages)
{
	json_key(j, key);
	json_object(j, true);
	json_kv_u64(j, "entries", entries);
	json_kv_u64(j, "pages", pages);
	json_end(j);
}

static void print_json(FILE *out, const char *name, const struct parsed_map *pm,
		       const struct memmap *m, const struct mm_totals *t, u32 moved)
{
	struct json_writer j;

	json_init(&j, out);
	json_object(&j, false);
	json_kv_str(&j, "command", "show");
	json_kv_str(&j, "file", name);
	json_kv_str(&j, "format", log_format_name(pm->format));
	json_kv_u64(&j, "map", pm->map_number);
	json_kv_u64(&j, "maps_seen", pm->maps_seen);
	json_kv_str(&j, "map_kind", map_kind_name(pm->map_kind));
	tool_json_run_map(&j, pm);
	json_kv_u64(&j, "desc_size", pm->map.desc_size);
	json_kv_u64(&j, "desc_version", pm->map.desc_version);
	json_kv_u64(&j, "entries", m->nr_map);
	json_kv_bool(&j, "input_sorted", moved == 0);
	json_kv_u64(&j, "moved", moved);
	json_key(&j, "map");
	json_array(&j, false);
	for (u32 i = 0; i < m->nr_map; i++)
		json_entry(&j, pm, m, i);
	json_end(&j);
	json_key(&j, "totals");
	json_object(&j, false);
	json_key(&j, "types");
	json_array(&j, false);
	for (u32 ty = 0; ty < MM_NR_TYPES; ty++) {
		if (!t->entries[ty])
			continue;
		json_object(&j, true);
		json_kv_u64(&j, "type", ty);
		json_kv_str(&j, "type_name", mm_type_name(ty));
		json_kv_u64(&j, "entries", t->entries[ty]);
		json_kv_u64(&j, "pages", t->pages[ty]);
		json_end(&j);
	}
	json_end(&j);
	json_total(&j, "unknown_types", t->other_entries, t->other_pages);
	json_total(&j, "runtime", t->runtime_entries, t->runtime_pages);
	json_total(&j, "all", m->nr_map, t->total_pages);
	json_end(&j);
	json_end(&j);
}

int cmd_show(const char *path, const struct tool_opts *o, FILE *out, FILE *err)
{
	const char *name = tool_display_name(path);
	struct parsed_map pm;
	struct memmap m;
	struct mm_totals t;
	u32 moved = 0;

	if (tool_load(path, &pm, err) != 0) {
		parsed_map_free(&pm);
		return TOOL_EXIT_UNREADABLE;
	}
	if (mapcopy_indexed(&pm.map, &m) != 0) {
		tool_say_unusable(err, name, &pm, "shown");
		parsed_map_free(&pm);
		return TOOL_EXIT_FINDINGS;
	}
	memmap_sort(&m);
	for (u32 i = 0; i < m.nr_map; i++)
		if (mapcopy_orig_index(&m, i) != i)
			moved++;
	memmap_totals(&m, &t);
	if (o->json)
		print_json(out, name, &pm, &m, &t, moved);
	else
		print_text(out, name, &pm, &m, &t, moved);
	mapcopy_free(&m);
	parsed_map_free(&pm);
	return TOOL_EXIT_OK;
}
