// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: any bytes through parse_map_buffer() (text logs, and
 * binary dumps when the input starts with MM_DUMP_MAGIC), then whatever map
 * comes out through validation, a sort of a copy, the virtual layout and
 * the totals, exactly as the efimap tool runs them. Properties checked:
 *  - failure leaves a non-empty, printable, terminated message;
 *  - success gives a map the header's contract describes (text: desc_size
 *    40, increasing source lines; binary: the dump's own fields and bytes);
 *  - the library stays inside the buffer the parser handed it;
 *  - lines efimap prints itself (mm_format_line) parse back to the same
 *    type, start, pages and attributes;
 *  - `plan`'s reclaim (the kernel's, with whatever "efimap: resv:" lines the
 *    input holds) balances its books and compacts only what it freed.
 *  - the same bytes as a run folder's run.txt, report.txt and mat.bin
 *    (tools/run_folder.h, memmap/mat_check.h) parse or are refused with a
 *    printable reason, and the table's checks stay inside the bytes.
 * A violated property aborts, so libFuzzer saves the input as a crash.
 */
#include "memmap/layout.h"
#include "tests/fuzz/fuzz.h"
#include "memmap/mat_check.h"
#include "tools/parse.h"
#include "tools/plan.h"
#include "tools/run_folder.h"

static u32 get_u32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

struct seen {
	const struct memmap *map;
	u32 total;
};

/* Findings must be well formed and printable without leaving the map's buffer. */
static void on_finding(const struct mm_finding *f, void *ctx)
{
	struct seen *s = ctx;
	char buf[256];
	int n;

	CHECK((unsigned)f->check < MM_NR_CHECKS && (unsigned)f->severity < MM_NR_SEVERITIES);
	CHECK(f->index == MM_NO_INDEX || f->index < s->map->nr_map);
	if (s->total++ > 16)
		return;
	n = mm_finding_format(buf, sizeof(buf), f, s->map);
	CHECK(n > 0 && strlen(buf) == ((size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1));
}

static void check_failure(const struct parsed_map *pm)
{
	size_t len = strnlen(pm->error, sizeof(pm->error));

	CHECK(len > 0 && len < sizeof(pm->error));
	/* Quoted input has its unprintable bytes escaped as \xNN. */
	for (size_t i = 0; i < len; i++)
		CHECK(pm->error[i] >= 0x20 && pm->error[i] < 0x7f);
}

/* What the header promises about a parsed binary dump. */
static void check_binary(const struct parsed_map *pm, const u8 *data, size_t size)
{
	const struct memmap *m = &pm->map;
	u32 hsize = get_u32(data + 8);

	CHECK(pm->format == LOG_FMT_BINARY);
	CHECK(size >= 32 && hsize >= 32);
	CHECK(m->desc_size == get_u32(data + 12));
	CHECK(m->desc_version == get_u32(data + 16));
	CHECK(m->nr_map == get_u32(data + 20));
	CHECK((u64)size == hsize + (u64)m->nr_map * m->desc_size);
	CHECK(m->nr_map == 0 || m->base);
	/* The descriptors exactly as dumped; then the 40 bytes at each stride must be readable. */
	if (m->nr_map)
		CHECK(memcmp(m->base, data + hsize, (size_t)m->nr_map * m->desc_size) == 0);
	for (u32 i = 0; i < m->nr_map; i++) {
		volatile u8 sink = ((const u8 *)m->base)[(size_t)i * m->desc_size + 39];

		(void)sink;
	}
	if (pm->lines)
		for (u32 i = 0; i < m->nr_map; i++)
			CHECK(pm->lines[i] == 0);
}

/* What the header promises about a map read from text. */
static void check_text(const struct parsed_map *pm, const u8 *data, size_t size)
{
	const struct memmap *m = &pm->map;
	u32 nlines = 1, crs = 0;

	/* Lines end in LF; a file without any LF is split at CR. */
	for (size_t i = 0; i < size; i++) {
		nlines += data[i] == '\n';
		crs += data[i] == '\r';
	}
	if (nlines == 1)
		nlines += crs;
	CHECK(pm->format != LOG_FMT_NONE && pm->format != LOG_FMT_BINARY);
	CHECK(m->desc_size == MM_DESC_MIN_SIZE);
	CHECK(m->desc_version == MM_DESC_VERSION || pm->format == LOG_FMT_EFIMAP);
	CHECK(m->nr_map > 0 && m->base && pm->lines);
	CHECK(pm->maps_seen >= 1 && pm->maps_incomplete < pm->maps_seen);
	CHECK(pm->rounded_entries <= m->nr_map);
	CHECK(pm->attr_columns == 0 || (pm->attr_columns >= 9 && pm->attr_columns <= 15));
	/* One entry per line, in the order printed. */
	for (u32 i = 0; i < m->nr_map; i++) {
		CHECK(pm->lines[i] >= 1 && pm->lines[i] <= nlines);
		CHECK(i == 0 || pm->lines[i] > pm->lines[i - 1]);
	}
	/* Which map, and the notes about it: on real lines, printable, counted. */
	CHECK(pm->map_number >= 1 && pm->map_number <= pm->maps_seen);
	CHECK(pm->boots >= 1 && pm->map_boot >= 1 && pm->map_boot <= pm->boots);
	CHECK(pm->map_kind == MAP_KIND_FIRMWARE || pm->map_kind == MAP_KIND_KERNEL);
	{
		u32 counted = 0;
		char d[200];

		for (int k = 0; k < PARSE_NR_NOTE_KINDS; k++)
			counted += pm->notes_by_kind[k];
		CHECK(pm->nr_notes <= counted && (pm->nr_notes == 0 || pm->notes));
		for (u32 i = 0; i < pm->nr_notes; i++) {
			const struct parse_note *n = &pm->notes[i];

			CHECK((unsigned)n->kind < PARSE_NR_NOTE_KINDS);
			CHECK(n->line >= 1 && n->line <= nlines);
			CHECK(i == 0 || n->line > pm->notes[i - 1].line);
			CHECK(strnlen(n->text, sizeof(n->text)) < sizeof(n->text));
			for (const char *c = n->text; *c; c++)
				CHECK(*c >= 0x20 && *c < 0x7f);
			CHECK(strnlen(n->why, sizeof(n->why)) < sizeof(n->why));
			CHECK((n->kind == PARSE_NOTE_DAMAGED) == (n->why[0] != '\0'));
		}
		parsed_map_describe(d, sizeof(d), pm);
		CHECK(!strncmp(d, "map ", 4));
	}
}

/* The other choices of map: each is a map the header describes, or a clear failure. */
static void check_selections(const u8 *data, size_t size, u32 maps_seen)
{
	const struct map_select sels[] = {
		{ .pick = MAP_PICK_FIRST },
		{ .pick = MAP_PICK_LAST },
		{ .pick = MAP_PICK_NUMBER, .number = 2 },
		{ .pick = MAP_PICK_NUMBER, .number = maps_seen + 1 },
	};

	for (size_t i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		struct parsed_map pm;

		if (parse_map_buffer_select(data, size, &sels[i], &pm)) {
			check_failure(&pm);
			CHECK(i != 3 || pm.maps_seen == maps_seen);
		} else {
			CHECK(i != 3);
			CHECK(pm.maps_seen == maps_seen);
			check_text(&pm, data, size);
			CHECK(i != 0 || pm.map_number == 1);
			CHECK(i != 1 || pm.map_number == maps_seen);
			CHECK(i != 2 || pm.map_number == 2);
		}
		parsed_map_free(&pm);
	}
}

/* Sort a copy with room to spare, lay it out and total it, as the tool does. */
static void run_library(const struct memmap *m)
{
	struct memmap c;
	struct mm_totals t;
	struct mm_layout lay;
	struct seen s = { .map = &c };
	u32 cap = m->nr_map * 2, sum = 0;
	u8 *buf = malloc(cap ? (size_t)cap * m->desc_size : 1);

	if (!buf)
		abort();
	CHECK(memmap_init(&c, buf, m->desc_size, m->desc_version, m->nr_map, cap) == MM_OK);
	memcpy(buf, m->base, (size_t)m->nr_map * m->desc_size);
	memmap_sort(&c);
	CHECK(c.nr_map == m->nr_map && memmap_is_sorted(&c));

	if (memmap_layout_runtime(&c, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, &lay, on_finding, &s)) {
		u64 prev_end = MM_VA_WINDOW_BASE;

		for (u32 i = 0; i < c.nr_map; i++) {
			struct mm_desc d = get(&c, i);

			if (!(d.attribute & MM_ATTR_RUNTIME))
				continue;
			CHECK(d.virt_addr % MM_VA_CONGRUENCE == d.phys_addr % MM_VA_CONGRUENCE);
			CHECK(d.virt_addr >= prev_end);
			prev_end = d.virt_addr + (d.num_pages << PAGE_SHIFT);
			CHECK(prev_end <= MM_VA_WINDOW_BASE + MM_VA_WINDOW_SIZE);
		}
		CHECK(lay.nr_runtime == memmap_count(&c, mm_is_runtime, NULL));
	}

	memmap_totals(m, &t);
	for (u32 k = 0; k < MM_NR_TYPES; k++)
		sum += t.entries[k];
	CHECK(sum + t.other_entries == m->nr_map);
	CHECK(t.runtime_entries == memmap_count(m, mm_is_runtime, NULL));
	free(buf);
}

/*
 * efimap's own lines must read back: take the entries a line can carry
 * exactly (any type: unknown ones print as "type=N"; any attributes: unnamed
 * bits print raw), print them with mm_format_line() and parse the result.
 */
static void check_round_trip(const struct memmap *m)
{
	enum { MAX_LINES = 48, LINE = 160 };
	char *text = malloc(MAX_LINES * LINE), *p = text;
	struct mm_desc want[MAX_LINES];
	struct parsed_map back;
	u32 n = 0;

	if (!text)
		abort();
	for (u32 i = 0; i < m->nr_map && n < MAX_LINES; i++) {
		struct mm_desc d = get(m, i);
		int len;

		/*
		 * Below 2^52 pages the printed range and "(NMB)" pin the size down,
		 * even for zero pages (end = start - 1) and ranges past 2^64 (the
		 * end wraps); 2^52 pages are the whole space only from 0.
		 */
		if (d.num_pages > (1ULL << 52) || (d.num_pages == 1ULL << 52 && d.phys_addr))
			continue;
		len = mm_format_line(p, LINE, n, &d);
		CHECK(len > 0 && len < LINE - 1);
		p += len;
		*p++ = '\n';
		want[n++] = d;
	}
	if (!n) {
		free(text);
		return;
	}
	if (parse_map_buffer("round-trip", text, (size_t)(p - text), &back)) {
		fprintf(stderr, "fuzz_parse: efimap's own lines rejected: line %u: %s\n%.*s",
			back.error_line, back.error, (int)(p - text), text);
		fuzz_violated(__FILE__, __LINE__, "parse_map_buffer(mm_format_line output) == 0");
	}
	CHECK(back.map.nr_map == n);
	for (u32 i = 0; i < n; i++) {
		struct mm_desc d = get(&back.map, i);

		if (d.type != want[i].type || d.phys_addr != want[i].phys_addr ||
		    d.num_pages != want[i].num_pages || d.attribute != want[i].attribute) {
			fprintf(stderr,
				"fuzz_parse: entry %u read back as type %u 0x%llx +%llu pages "
				"attr 0x%llx; printed:\n%.*s",
				i, d.type, (unsigned long long)d.phys_addr,
				(unsigned long long)d.num_pages, (unsigned long long)d.attribute,
				(int)(p - text), text);
			fuzz_violated(__FILE__, __LINE__, "round trip through mm_format_line");
		}
	}
	parsed_map_free(&back);
	free(text);
}

/* plan_reclaim() with the input's own kernel lines, as `efimap plan FILE` runs it. */
static void check_plan(const struct parsed_map *pm, const u8 *data, size_t size)
{
	struct kernel_lines kl;
	struct plan_reclaim r;
	const struct reclaim_stats *st = &r.rc.st;
	char why[240];

	kernel_lines_init(&kl);
	kernel_lines_read_text(&kl, (const char *)data, size, pm->lines ? pm->lines[0] : 0);
	CHECK(kernel_lines_complete(&kl, why, sizeof(why)) ||
	      (why[0] && strlen(why) < sizeof(why)));
	if (plan_reclaim(&pm->map, &kl, &r) == 0 && !r.why_not) {
		CHECK(st->leak == 0 && st->freed + st->kept == st->bs_total);
		CHECK(st->entries_before == pm->map.nr_map &&
		      st->entries_after <= st->entries_before);
		CHECK(r.map.nr_map == st->entries_after);
	}
	plan_reclaim_free(&r);
	kernel_lines_free(&kl);
}

/* Every byte of s (size bytes, NUL-terminated within them) printable ASCII. */
static void check_printable(const char *s, size_t size)
{
	size_t len = strnlen(s, size);

	CHECK(len < size);
	for (size_t i = 0; i < len; i++)
		CHECK(s[i] >= 0x20 && s[i] < 0x7f);
}

static u32 count_lines(const u8 *data, size_t size)
{
	u32 n = size && data[size - 1] != '\n';

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

struct mat_seen {
	const u8 *mat;
	const struct memmap *map;
	u32 entries, total;
};

/* A MAT finding names an entry of the table (or its header) and formats inside both buffers. */
static void on_mat_finding(const struct mm_mat_finding *f, void *ctx)
{
	struct mat_seen *s = ctx;
	char buf[320];
	int n;

	CHECK((unsigned)f->check < MM_NR_MAT_CHECKS && (unsigned)f->severity < MM_NR_SEVERITIES);
	CHECK((f->check == MM_MAT_UNUSABLE) == (f->index == MM_NO_INDEX));
	CHECK(f->index == MM_NO_INDEX || f->index < s->entries);
	if (f->check == MM_MAT_OVERLAP)
		CHECK(f->other < f->index);
	if (s->total++ > 16)
		return;
	n = mm_mat_finding_format(buf, sizeof(buf), f, s->mat, s->map);
	CHECK(n > 0);
	check_printable(buf, sizeof(buf));
	CHECK(strstr(buf, "4.6.4"));
}

/*
 * A run folder's files (tools/run_folder.h) from the same bytes: run.txt and
 * report.txt parse or say why on a real line, printable; as mat.bin, the
 * table is either refused once (its header) or its entries are checked,
 * against a map with runtime regions, without reading past the input.
 */
static void check_run_files(const u8 *data, size_t size)
{
	static u64 map_storage[4 * 48 / 8];
	struct run_info *ri = malloc(sizeof(*ri));
	struct run_report rr;
	struct mm_mat_validation v;
	struct memmap map;
	struct mat_seen ms = { .map = &map };
	u32 lines = count_lines(data, size);
	u8 *copy;

	if (!ri)
		abort();
	if (run_info_parse((const char *)data, size, ri)) {
		check_printable(ri->error, sizeof(ri->error));
		CHECK(ri->error[0] && ri->error_line <= lines);
	} else {
		CHECK(ri->version >= 1 && ri->version <= RUN_INFO_VERSION);
		CHECK(ri->n <= RUN_INFO_MAX_KEYS);
		for (u32 k = 0; k < ri->n; k++) {
			check_printable(ri->kv[k].key, sizeof(ri->kv[k].key));
			check_printable(ri->kv[k].value, sizeof(ri->kv[k].value));
			/* The first value of a key is the one kept. */
			CHECK(run_info_get(ri, ri->kv[k].key) == ri->kv[k].value);
		}
	}
	free(ri);
	if (run_report_parse((const char *)data, size, &rr)) {
		check_printable(rr.error, sizeof(rr.error));
		CHECK(rr.error[0] && rr.error_line >= 1 && rr.error_line <= lines);
	} else {
		CHECK(rr.lines == lines);
		CHECK(!rr.verdict || (rr.verdict_line >= 1 && rr.verdict_line <= lines));
		CHECK(rr.findings[0] + rr.findings[1] + rr.findings[2] <= lines);
		check_printable(rr.closing, sizeof(rr.closing));
	}

	/* Exactly size bytes on the heap, so that ASan sees any read past them. */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	memmap_init(&map, map_storage, 48, 1, 4, 4);
	memset(map_storage, 0, sizeof(map_storage));
	for (u32 i = 0; i < 4; i++) {
		struct mm_desc d = { .type = i & 1 ? MM_RUNTIME_DATA : MM_RUNTIME_CODE,
				     .phys_addr = (u64)i << 24,
				     .num_pages = 0x1000,
				     .attribute = MM_ATTR_WB | (i < 3 ? MM_ATTR_RUNTIME : 0) };

		memcpy(memmap_desc(&map, i), &d, sizeof(d));
	}
	ms.mat = copy;
	ms.entries = size >= MM_MAT_HEADER_SIZE ? ((const struct mm_mat_header *)copy)->nr_entries : 0;
	mm_mat_validate(copy, size, &map, on_mat_finding, &ms, &v);
	CHECK(ms.total == v.by_severity[0] + v.by_severity[1] + v.by_severity[2]);
	if (v.usable) {
		struct mm_mat_header h;

		mm_mat_read_header(copy, &h);
		CHECK(mm_mat_size(&h) == size && h.desc_size >= MM_DESC_MIN_SIZE);
		CHECK(h.version == 1 || h.version == 2);
		CHECK(v.by_check[MM_MAT_UNUSABLE] == 0);
	} else {
		CHECK(ms.total == 1 && v.by_check[MM_MAT_UNUSABLE] == 1);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct parsed_map pm;
	struct mm_validation v;
	struct seen s = { .map = &pm.map };
	bool binary = size >= 8 && memcmp(data, MM_DUMP_MAGIC, 8) == 0;
	const struct memmap *m = &pm.map;

	check_run_files(data, size);
	memset(&pm, 0, sizeof(pm));
	if (parse_map_buffer("fuzz", data, size, &pm)) {
		check_failure(&pm);
		parsed_map_free(&pm);
		return 0;
	}
	CHECK(m->capacity == m->nr_map);
	CHECK(log_format_name(pm.format) && log_format_name(pm.format)[0]);
	if (binary) {
		check_binary(&pm, data, size);
	} else {
		check_text(&pm, data, size);
		check_selections(data, size, pm.maps_seen);
	}

	memmap_validate(m, on_finding, &s, &v);
	CHECK(s.total == v.by_severity[0] + v.by_severity[1] + v.by_severity[2]);
	/* Only a well-formed stride may go further; validation has said what is wrong. */
	if (m->desc_size >= MM_DESC_MIN_SIZE && m->desc_size % 8 == 0) {
		run_library(m);
		check_round_trip(m);
		check_plan(&pm, data, size);
	} else {
		CHECK(v.by_check[MM_CHECK_DESC_SIZE] == 1);
	}
	parsed_map_free(&pm);
	return 0;
}
