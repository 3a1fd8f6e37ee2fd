// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap diff A B`: both maps' entries sorted by (start, pages), walked
 * together like a merge; see tools/diff.h for what counts as a change.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/describe.h"
#include "tools/diff.h"
#include "tools/json.h"

static int cmp_entry(const void *x, const void *y)
{
	const struct diff_entry *a = x, *b = y;

	if (a->d.phys_addr != b->d.phys_addr)
		return a->d.phys_addr < b->d.phys_addr ? -1 : 1;
	if (a->d.num_pages != b->d.num_pages)
		return a->d.num_pages < b->d.num_pages ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Same range: the matching key. */
static int cmp_range(const struct diff_entry *a, const struct diff_entry *b)
{
	if (a->d.phys_addr != b->d.phys_addr)
		return a->d.phys_addr < b->d.phys_addr ? -1 : 1;
	if (a->d.num_pages != b->d.num_pages)
		return a->d.num_pages < b->d.num_pages ? -1 : 1;
	return 0;
}

static struct diff_entry *sorted_entries(const struct parsed_map *pm)
{
	u32 n = pm->map.nr_map;
	struct diff_entry *v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return NULL;
	for (u32 i = 0; i < n; i++) {
		v[i].index = i;
		v[i].line = pm->lines ? pm->lines[i] : 0;
		memcpy(&v[i].d, (const u8 *)pm->map.base + (size_t)i * pm->map.desc_size,
		       sizeof(v[i].d));
	}
	qsort(v, n, sizeof(*v), cmp_entry);
	return v;
}

static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

static int add_type(struct diff_result *r, int side, const struct mm_desc *d)
{
	u32 k;

	for (k = 0; k < r->nr_types; k++)
		if (r->types[k].type == d->type)
			break;
	if (k == r->nr_types) {
		struct diff_type_total *t =
			realloc(r->types, (size_t)(r->nr_types + 1) * sizeof(*t));

		if (!t)
			return -1;
		r->types = t;
		memset(&t[k], 0, sizeof(t[k]));
		t[k].type = d->type;
		r->nr_types++;
	}
	r->types[k].entries[side]++;
	r->types[k].pages[side] = sat_add(r->types[k].pages[side], d->num_pages);
	return 0;
}

static int cmp_type(const void *x, const void *y)
{
	const struct diff_type_total *a = x, *b = y;

	return a->type < b->type ? -1 : a->type > b->type;
}

int diff_maps(const struct parsed_map *a, const struct parsed_map *b, struct diff_result *r)
{
	struct diff_entry *ea = sorted_entries(a), *eb = sorted_entries(b);
	u32 na = a->map.nr_map, nb = b->map.nr_map, i = 0, k = 0;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	r->items = calloc((size_t)na + nb + 1, sizeof(*r->items));
	if (!ea || !eb || !r->items)
		goto out;
	for (u32 x = 0; x < na; x++)
		if (add_type(r, 0, &ea[x].d))
			goto out;
	for (u32 x = 0; x < nb; x++)
		if (add_type(r, 1, &eb[x].d))
			goto out;
	qsort(r->types, r->nr_types, sizeof(*r->types), cmp_type);
	while (i < na || k < nb) {
		int c = i == na ? 1 : k == nb ? -1 : cmp_range(&ea[i], &eb[k]);
		struct diff_item *it = &r->items[r->n];

		if (c == 0) {
			if (ea[i].d.type == eb[k].d.type && ea[i].d.attribute == eb[k].d.attribute) {
				r->unchanged++;
				i++;
				k++;
				continue;
			}
			it->kind = DIFF_CHANGED;
			it->a = ea[i++];
			it->b = eb[k++];
		} else if (c < 0) {
			it->kind = DIFF_REMOVED;
			it->a = ea[i++];
		} else {
			it->kind = DIFF_ADDED;
			it->b = eb[k++];
		}
		r->by_kind[it->kind]++;
		r->n++;
	}
	ret = 0;
out:
	free(ea);
	free(eb);
	if (ret)
		diff_free(r);
	return ret;
}

void diff_free(struct diff_result *r)
{
	free(r->items);
	free(r->types);
	memset(r, 0, sizeof(*r));
}

static const char *const kind_names[] = { "removed", "added", "changed" };

static void text_entry(FILE *out, char mark, const struct diff_entry *e)
{
	char type[32], last[24], attrs[160], size[24];

	describe_type(type, sizeof(type), e->d.type);
	describe_last_byte(last, sizeof(last), &e->d);
	describe_attrs(attrs, sizeof(attrs), e->d.attribute);
	describe_pages(size, sizeof(size), e->d.num_pages);
	fprintf(out, "%c %-22s 0x%016llx-%-18s %10s  %-28s entry %u", mark, type,
		(unsigned long long)e->d.phys_addr, last, size, attrs, e->index);
	if (e->line)
		fprintf(out, " (line %u)", e->line);
	fputc('\n', out);
}

/* Signed difference b - a of two u64 as sign and magnitude. */
static u64 delta(u64 a, u64 b, bool *negative)
{
	*negative = b < a;
	return b < a ? a - b : b - a;
}

static void print_text(const char *na, const char *nb, const struct parsed_map *a,
		       const struct parsed_map *b, const struct diff_result *r, FILE *out)
{
	char wa[MAP_DESCRIBE_MAX], wb[MAP_DESCRIBE_MAX];

	parsed_map_describe(wa, sizeof(wa), a);
	parsed_map_describe(wb, sizeof(wb), b);
	fprintf(out, "# A: %s: %u entries, %s; %s\n", na, a->map.nr_map, log_format_name(a->format),
		wa);
	fprintf(out, "# B: %s: %u entries, %s; %s\n", nb, b->map.nr_map, log_format_name(b->format),
		wb);
	fputs("# by physical range; - only in A (removed), + only in B (added), "
	      "~ same range, type or attributes changed (A then B)\n",
	      out);
	for (u32 x = 0; x < r->n; x++) {
		const struct diff_item *it = &r->items[x];

		if (it->kind == DIFF_REMOVED)
			text_entry(out, '-', &it->a);
		else if (it->kind == DIFF_ADDED)
			text_entry(out, '+', &it->b);
		else {
			text_entry(out, '~', &it->a);
			text_entry(out, '>', &it->b);
		}
	}
	fputs("\n# totals by type: pages (KiB) in A, in B, and B - A\n", out);
	fprintf(out, "%-22s %8s %8s %14s %14s %15s %18s\n", "type", "A ent", "B ent", "A pages",
		"B pages", "delta pages", "delta KiB");
	for (u32 x = 0; x < r->nr_types; x++) {
		const struct diff_type_total *t = &r->types[x];
		char type[32];
		bool neg;
		u64 d = delta(t->pages[0], t->pages[1], &neg);

		describe_type(type, sizeof(type), t->type);
		fprintf(out, "%-22s %8u %8u %14llu %14llu %c%14llu %c%17llu\n", type,
			t->entries[0], t->entries[1], (unsigned long long)t->pages[0],
			(unsigned long long)t->pages[1], d ? (neg ? '-' : '+') : ' ',
			(unsigned long long)d, d ? (neg ? '-' : '+') : ' ',
			(unsigned long long)(d > ~0ULL / 4 ? ~0ULL : d * 4));
	}
	fprintf(out, "%s -> %s: %u removed, %u added, %u changed, %u unchanged: %s\n", na, nb,
		r->by_kind[DIFF_REMOVED], r->by_kind[DIFF_ADDED], r->by_kind[DIFF_CHANGED],
		r->unchanged, r->n ? "the maps differ" : "the maps are equal");
}

static void json_entry(struct json_writer *j, const char *key, const struct diff_entry *e)
{
	char type[32], last[24];

	json_key(j, key);
	json_object(j, true);
	json_kv_u64(j, "entry", e->index);
	json_key(j, "line");
	if (e->line)
		json_u64(j, e->line);
	else
		json_null(j);
	json_kv_u64(j, "type", e->d.type);
	describe_type(type, sizeof(type), e->d.type);
	json_kv_str(j, "type_name", type);
	json_kv_hex(j, "start", e->d.phys_addr);
	json_key(j, "end");
	if (describe_last_byte(last, sizeof(last), &e->d))
		json_str(j, last);
	else
		json_null(j);
	json_kv_u64(j, "pages", e->d.num_pages);
	json_kv_hex(j, "attribute", e->d.attribute);
	json_end(j);
}

static void json_side(struct json_writer *j, const char *key, const char *name,
		      const struct parsed_map *pm)
{
	json_key(j, key);
	json_object(j, true);
	json_kv_str(j, "file", name);
	json_kv_str(j, "format", log_format_name(pm->format));
	json_kv_u64(j, "entries", pm->map.nr_map);
	json_kv_u64(j, "desc_size", pm->map.desc_size);
	json_kv_u64(j, "map", pm->map_number);
	json_kv_u64(j, "maps_seen", pm->maps_seen);
	json_kv_str(j, "map_kind", map_kind_name(pm->map_kind));
	tool_json_run_map(j, pm);
	json_end(j);
}

static void print_json(const char *na, const char *nb, const struct parsed_map *a,
		       const struct parsed_map *b, const struct diff_result *r, int status,
		       FILE *out)
{
	struct json_writer j;

	json_init(&j, out);
	json_object(&j, false);
	json_kv_str(&j, "command", "diff");
	json_side(&j, "a", na, a);
	json_side(&j, "b", nb, b);
	json_kv_bool(&j, "equal", r->n == 0);
	json_kv_u64(&j, "removed", r->by_kind[DIFF_REMOVED]);
	json_kv_u64(&j, "added", r->by_kind[DIFF_ADDED]);
	json_kv_u64(&j, "changed", r->by_kind[DIFF_CHANGED]);
	json_kv_u64(&j, "unchanged", r->unchanged);
	json_key(&j, "differences");
	json_array(&j, false);
	for (u32 x = 0; x < r->n; x++) {
		const struct diff_item *it = &r->items[x];

		json_object(&j, true);
		json_kv_str(&j, "kind", kind_names[it->kind]);
		if (it->kind != DIFF_ADDED)
			json_entry(&j, "a", &it->a);
		if (it->kind != DIFF_REMOVED)
			json_entry(&j, "b", &it->b);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "totals");
	json_array(&j, false);
	for (u32 x = 0; x < r->nr_types; x++) {
		const struct diff_type_total *t = &r->types[x];
		char type[32];
		bool neg;
		u64 d = delta(t->pages[0], t->pages[1], &neg);

		describe_type(type, sizeof(type), t->type);
		json_object(&j, true);
		json_kv_u64(&j, "type", t->type);
		json_kv_str(&j, "type_name", type);
		json_kv_u64(&j, "a_entries", t->entries[0]);
		json_kv_u64(&j, "b_entries", t->entries[1]);
		json_kv_u64(&j, "a_pages", t->pages[0]);
		json_kv_u64(&j, "b_pages", t->pages[1]);
		json_key(&j, "delta_pages");
		json_i64(&j, neg, d);
		json_kv_u64(&j, "a_kib", t->pages[0] > ~0ULL / 4 ? ~0ULL : t->pages[0] * 4);
		json_kv_u64(&j, "b_kib", t->pages[1] > ~0ULL / 4 ? ~0ULL : t->pages[1] * 4);
		json_key(&j, "delta_kib");
		json_i64(&j, neg, d > ~0ULL / 4 ? ~0ULL : d * 4);
		json_end(&j);
	}
	json_end(&j);
	json_kv_u64(&j, "exit", (u64)status);
	json_end(&j);
}

int cmd_diff(const char *path_a, const char *path_b, const struct tool_opts *o, FILE *out,
	     FILE *err)
{
	const char *na = tool_display_name(path_a), *nb = tool_display_name(path_b);
	struct parsed_map a, b;
	struct diff_result r;
	int status = TOOL_EXIT_UNREADABLE;
	int la, lb;

	if (!strcmp(path_a, "-") && !strcmp(path_b, "-")) {
		fprintf(err, "efimap: diff: only one of A and B can be standard input\n");
		return TOOL_EXIT_UNREADABLE;
	}
	la = tool_load(path_a, &a, err);
	lb = tool_load(path_b, &b, err);
	if (la || lb)
		goto out;
	if (a.map.desc_size < MM_DESC_MIN_SIZE || b.map.desc_size < MM_DESC_MIN_SIZE) {
		tool_say_unusable(err, a.map.desc_size < MM_DESC_MIN_SIZE ? na : nb,
				  a.map.desc_size < MM_DESC_MIN_SIZE ? &a : &b, "compared");
		goto out;
	}
	if (diff_maps(&a, &b, &r)) {
		fprintf(err, "efimap: diff: out of memory\n");
		goto out;
	}
	status = r.n ? TOOL_EXIT_FINDINGS : TOOL_EXIT_OK;
	if (o->json)
		print_json(na, nb, &a, &b, &r, status, out);
	else
		print_text(na, nb, &a, &b, &r, out);
	diff_free(&r);
out:
	parsed_map_free(&a);
	parsed_map_free(&b);
	return status;
}
