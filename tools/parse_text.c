// SPDX-License-Identifier: BSD-2-Clause
/*
 * A text log into one map: split lines, read each (parse_line.c), group the
 * map lines into maps and keep the last complete one. The grouping rules
 * and what "complete" means are in tools/parse.h.
 *
 * Only two maps are ever held: the one being read and the last complete
 * one, so a capture of many boots costs no more memory than its largest map.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/parse_internal.h"

struct text_map {
	struct mm_desc *desc;
	u32 *line;
	u32 n, cap;
	enum map_family family;
	u32 first_line;
	u32 last_line;
	u64 next_index;
	u32 columns; /* 0 until a line with columns */
	u32 columns_line;
	bool inclusive;
	bool nomap;
	bool efimap;
	bool closed; /* efimap's summary line ended it */
	u32 desc_version;
	u32 rounded;
	bool incomplete;
	u32 incomplete_line;
	char incomplete_why[200];
};

struct text_state {
	struct parsed_map *out;
	struct text_map cur, best;
	bool have_cur, have_best;
	u32 last_bad_line;
	char last_bad_why[200];
};

static void map_free(struct text_map *m)
{
	free(m->desc);
	free(m->line);
	memset(m, 0, sizeof(*m));
}

static void mark_incomplete(struct text_map *m, u32 line, const char *fmt, ...) __printf(3, 4);

/* The first reason a map cannot be trusted; later ones add nothing. */
static void mark_incomplete(struct text_map *m, u32 line, const char *fmt, ...)
{
	va_list ap;

	if (m->incomplete)
		return;
	m->incomplete = true;
	m->incomplete_line = line;
	va_start(ap, fmt);
	vsnprintf(m->incomplete_why, sizeof(m->incomplete_why), fmt, ap);
	va_end(ap);
}

/* The current map is over: it becomes the best one if it is complete. */
static void finish_map(struct text_state *st)
{
	if (!st->have_cur)
		return;
	st->out->maps_seen++;
	if (st->cur.incomplete) {
		st->out->maps_incomplete++;
		st->last_bad_line = st->cur.incomplete_line;
		snprintf(st->last_bad_why, sizeof(st->last_bad_why), "%s", st->cur.incomplete_why);
		map_free(&st->cur);
	} else {
		map_free(&st->best);
		st->best = st->cur;
		st->have_best = true;
		memset(&st->cur, 0, sizeof(st->cur));
	}
	st->have_cur = false;
}

static void begin_map(struct text_state *st, const struct map_line *ml, u32 line)
{
	finish_map(st);
	memset(&st->cur, 0, sizeof(st->cur));
	st->have_cur = true;
	st->cur.family = ml->family;
	st->cur.first_line = line;
	st->cur.inclusive = ml->inclusive;
	st->cur.desc_version = MM_DESC_VERSION;
	if (ml->family != FAM_ARM64 && ml->index != 0)
		mark_incomplete(
			&st->cur, line,
			"the map printed from line %u starts at mem%02u, not mem00: its first "
			"lines are missing",
			line, ml->index);
}

static const char *family_name(enum map_family f)
{
	switch (f) {
	case FAM_OLD:
		return "the old 'type=N, attr=0x...' form";
	case FAM_BRACKET:
		return "the bracketed '[type|...]' form";
	case FAM_ARM64:
		return "the arm64 form";
	}
	return "?";
}

/* Does this line start a new map, or continue (perhaps with a gap) the current one? */
static bool starts_new_map(struct text_state *st, const struct map_line *ml, u32 line)
{
	struct text_map *m = &st->cur;

	if (!st->have_cur || m->closed)
		return true;
	if ((ml->family == FAM_ARM64) != (m->family == FAM_ARM64))
		return true;
	if (ml->family == FAM_ARM64)
		return false;
	if (ml->index == 0 || ml->index < m->next_index)
		return true;
	if (ml->index > m->next_index)
		mark_incomplete(
			m, line,
			"mem%02u on line %u follows mem%02llu on line %u: map lines are missing",
			ml->index, line, (unsigned long long)(m->next_index - 1), m->last_line);
	return false;
}

/* A line of the same map must look like its other lines: same form, columns, end style. */
static int check_consistent(struct text_state *st, const struct map_line *ml, u32 line)
{
	struct text_map *m = &st->cur;

	if (ml->family != m->family)
		return parse_fail(
			st->out, line,
			"this map line is in %s, but the map it continues (from line %u) is "
			"in %s",
			family_name(ml->family), m->first_line, family_name(m->family));
	if (ml->inclusive != m->inclusive)
		return parse_fail(
			st->out, line,
			"this range is end-%s but the map it continues (from line %u) has "
			"end-%s ranges",
			ml->inclusive ? "inclusive (']')" : "exclusive (')')", m->first_line,
			m->inclusive ? "inclusive (']')" : "exclusive (')')");
	if (ml->columns && m->columns && ml->columns != m->columns)
		return parse_fail(st->out, line,
				  "%u attribute columns, but line %u of the same map has %u",
				  ml->columns, m->columns_line, m->columns);
	return 0;
}

static int grow(struct text_state *st, struct text_map *m, u32 line)
{
	u32 cap = m->cap ? m->cap * 2 : 64;
	struct mm_desc *d;
	u32 *l;

	if (m->n == PARSE_MAX_ENTRIES)
		return parse_fail(st->out, line, "more than %u entries in one map",
				  PARSE_MAX_ENTRIES);
	if (cap > PARSE_MAX_ENTRIES)
		cap = PARSE_MAX_ENTRIES;
	d = realloc(m->desc, (size_t)cap * sizeof(*d));
	if (!d)
		return parse_fail(st->out, line, "out of memory");
	m->desc = d;
	l = realloc(m->line, (size_t)cap * sizeof(*l));
	if (!l)
		return parse_fail(st->out, line, "out of memory");
	m->line = l;
	m->cap = cap;
	return 0;
}

static int add_entry(struct text_state *st, const struct map_line *ml, u32 line)
{
	struct text_map *m = &st->cur;

	if (starts_new_map(st, ml, line))
		begin_map(st, ml, line);
	else if (check_consistent(st, ml, line))
		return -1;
	if (m->n == m->cap && grow(st, m, line))
		return -1;
	m->desc[m->n] = ml->md;
	m->line[m->n] = line;
	m->n++;
	m->last_line = line;
	m->next_index = (u64)ml->index + 1;
	if (ml->columns && !m->columns) {
		m->columns = ml->columns;
		m->columns_line = line;
	}
	m->nomap |= ml->nomap;
	m->rounded += ml->rounded;
	return 0;
}

/* efimap's summary closes the map printed just before it and says how long it was. */
static void add_summary(struct text_state *st, const struct efimap_summary *sum, u32 line)
{
	struct text_map *m = &st->cur;

	if (!st->have_cur || m->closed || m->family == FAM_ARM64)
		return;
	m->efimap = true;
	m->closed = true;
	m->desc_version = sum->desc_version;
	if (sum->entries != m->n)
		mark_incomplete(m, line,
				"efimap's summary on line %u says entries=%u, but %u map lines "
				"precede it (from line %u)",
				line, sum->entries, m->n, m->first_line);
}

static enum log_format map_format(const struct text_map *m)
{
	static const enum log_format by_columns[PARSE_MAX_COLUMNS + 1] = {
		[9] = LOG_FMT_BRACKET_9,   [10] = LOG_FMT_BRACKET_10, [11] = LOG_FMT_BRACKET_11,
		[12] = LOG_FMT_BRACKET_12, [13] = LOG_FMT_BRACKET_13, [14] = LOG_FMT_BRACKET_14,
		[15] = LOG_FMT_BRACKET_HP,
	};

	if (m->family == FAM_OLD)
		return LOG_FMT_OLD_TYPE_ATTR;
	if (m->family == FAM_ARM64)
		return LOG_FMT_ARM64;
	if (m->efimap)
		return LOG_FMT_EFIMAP;
	if (!m->columns)
		return LOG_FMT_ATTR_RAW;
	return by_columns[m->columns];
}

/* Hand the best map to out: its buffers become out's. */
static void publish(struct text_state *st)
{
	struct parsed_map *out = st->out;
	struct text_map *m = &st->best;

	memmap_init(&out->map, m->desc, MM_DESC_MIN_SIZE, m->desc_version, m->n, m->n);
	out->lines = m->line;
	out->format = map_format(m);
	out->end_inclusive = m->inclusive;
	out->nomap_marks = m->nomap;
	out->attr_columns = m->columns;
	out->rounded_entries = m->rounded;
	m->desc = NULL;
	m->line = NULL;
	map_free(m);
	st->have_best = false;
}

static int handle_line(struct text_state *st, const char *s, size_t len, u32 line)
{
	struct map_line ml;
	struct efimap_summary sum;
	char why[sizeof(st->out->error)];

	switch (parse_map_line(s, len, &ml, &sum, why, sizeof(why))) {
	case ML_ENTRY:
		return add_entry(st, &ml, line);
	case ML_SUMMARY:
		add_summary(st, &sum, line);
		break;
	case ML_ARM64_HEADER:
		finish_map(st);
		break;
	case ML_ERROR:
		return parse_fail(st->out, line, "%s", why);
	case ML_NONE:
		break;
	}
	st->out->ignored_lines++;
	return 0;
}

int parse_text(const char *data, size_t len, struct parsed_map *out)
{
	struct text_state st = { .out = out };
	size_t pos = 0;
	u32 line = 0;
	int ret = 0;
	/* Lines end in LF (CR before it is dropped); a file with no LF at all uses CR. */
	char eol = memchr(data, '\n', len) || !memchr(data, '\r', len) ? '\n' : '\r';

	/* PowerShell's '>' writes UTF-16: say so rather than "no map lines". */
	if (len >= 2 && (((u8)data[0] == 0xff && (u8)data[1] == 0xfe) ||
			 ((u8)data[0] == 0xfe && (u8)data[1] == 0xff)))
		return parse_fail(out, 0,
				  "the input is UTF-16 text (it starts with a byte-order mark); "
				  "convert it first, e.g. iconv -f UTF-16 -t UTF-8");
	while (pos < len) {
		const char *s = data + pos;
		const char *nl = memchr(s, eol, len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		if (line == 0xffffffffu) {
			ret = parse_fail(out, line, "more than %u lines", line);
			break;
		}
		line++;
		while (n && s[n - 1] == '\r')
			n--;
		ret = handle_line(&st, s, n, line);
		if (ret)
			break;
	}
	if (!ret) {
		finish_map(&st);
		if (st.have_best)
			publish(&st);
		else if (out->maps_seen)
			ret = parse_fail(out, st.last_bad_line, "no complete memory map: %s",
					 st.last_bad_why);
		else
			ret = parse_fail(
				out, 0,
				"no memory map lines in %u lines (looked for Linux "
				"efi=debug 'efi: memNN: ...' and arm64 'efi:   0x...-0x... "
				"[...]' lines)",
				line);
	}
	map_free(&st.cur);
	map_free(&st.best);
	return ret;
}
