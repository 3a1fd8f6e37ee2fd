// SPDX-License-Identifier: BSD-2-Clause
/*
 * A text log into one map: split lines, read each (parse_line.c), group the
 * map lines into maps, note the boots, Linux's runtime map and damaged
 * lines, then hand over the map asked for. The rules are in tools/parse.h.
 *
 * Every map's entries are kept (one array for the whole input, each map a
 * slice of it) until the choice is made at the end; the input itself, a
 * larger buffer, is in memory anyway.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/parse_internal.h"

/* Why a map is incomplete, kept as numbers and worded only when asked. */
enum gap_reason {
	GAP_NONE = 0,
	GAP_FIRST_INDEX, /* a: first index */
	GAP_SKIPPED,	 /* a: index, b: index before, c: its line */
	GAP_SUMMARY,	 /* a: entries the summary says, b: entries read */
};

struct text_map {
	u32 first_entry, n; /* slice of text_state.desc/line */
	u32 first_line, last_line;
	u32 boot;
	enum map_kind kind;
	enum map_family family;
	u64 next_index;
	u32 lost;    /* damaged lines without a readable index, not yet matched to a gap */
	u32 columns; /* 0 until a line with columns */
	u32 columns_line;
	bool inclusive;
	bool nomap;
	bool efimap;
	bool closed; /* efimap's summary line ended it */
	u32 desc_version;
	u32 rounded;
	u32 notes_by_kind[PARSE_NR_NOTE_KINDS];
	enum gap_reason gap;
	u32 gap_line;
	u64 gap_a, gap_b, gap_c;
};

struct stored_note {
	struct parse_note note;
	u32 boot;
	u32 map; /* 1-based; 0 while it belongs to no map yet */
};

struct text_state {
	struct parsed_map *out;
	/* Entries of every map, in input order. */
	struct mm_desc *desc;
	u32 *line;
	u32 nr_entries, cap_entries;
	/* Maps, in input order; maps[nr_maps - 1] is open while open is set. */
	struct text_map *maps;
	u32 nr_maps, cap_maps;
	bool open;
	/* Boots, and whether Linux's runtime map header was seen in this one. */
	u32 boot;
	bool boot_used;	    /* a map or note was seen in the current boot */
	bool kernel_maps;   /* maps from here to the end of the boot are derived */
	u32 boot_first_map; /* first map of the current boot (1-based), 0 if none */
	u32 boot_fw_map;    /* first firmware map of the current boot, 0 if none */
	/* Notes: the first PARSE_MAX_NOTES in full, every one counted. */
	struct stored_note *notes;
	u32 nr_notes, cap_notes;
	u32 pending_damaged;		       /* damaged lines past the limit waiting for a map */
	u32 pending_boot[PARSE_NR_NOTE_KINDS]; /* boot notes past the limit waiting for a map */
	u32 pending_lost;		       /* damaged lines without index waiting for a map */
	u32 orphan_notes;
	u32 total_notes;
	u32 first_damaged_line;
	char first_damaged_why[200];
};

static struct text_map *cur(struct text_state *st)
{
	return st->open ? &st->maps[st->nr_maps - 1] : NULL;
}

static void gap(struct text_map *m, enum gap_reason r, u32 line, u64 a, u64 b, u64 c)
{
	if (m->gap != GAP_NONE)
		return; /* the first reason a map cannot be trusted; later ones add nothing */
	m->gap = r;
	m->gap_line = line;
	m->gap_a = a;
	m->gap_b = b;
	m->gap_c = c;
}

static void gap_why(char *buf, size_t size, const struct text_map *m)
{
	switch (m->gap) {
	case GAP_NONE:
		snprintf(buf, size, "complete");
		break;
	case GAP_FIRST_INDEX:
		snprintf(buf, size,
			 "the map printed from line %u starts at mem%02llu, not mem00: its first "
			 "lines are missing",
			 m->first_line, (unsigned long long)m->gap_a);
		break;
	case GAP_SKIPPED:
		snprintf(buf, size,
			 "mem%02llu on line %u follows mem%02llu on line %llu: map lines are "
			 "missing",
			 (unsigned long long)m->gap_a, m->gap_line, (unsigned long long)m->gap_b,
			 (unsigned long long)m->gap_c);
		break;
	case GAP_SUMMARY:
		snprintf(buf, size,
			 "efimap's summary on line %u says entries=%llu, but %llu map lines "
			 "precede it (from line %u)",
			 m->gap_line, (unsigned long long)m->gap_a, (unsigned long long)m->gap_b,
			 m->first_line);
		break;
	}
}

/* Give the notes waiting in this boot to map number k where they belong. */
static void give_pending(struct text_state *st, u32 k, bool damaged, bool boot_notes)
{
	struct text_map *m = &st->maps[k - 1];

	for (u32 i = 0; i < st->nr_notes; i++) {
		struct stored_note *sn = &st->notes[i];
		bool is_damaged = sn->note.kind == PARSE_NOTE_DAMAGED;

		if (sn->map || sn->boot != st->boot || (is_damaged ? !damaged : !boot_notes))
			continue;
		sn->map = k;
		m->notes_by_kind[sn->note.kind]++;
	}
	if (damaged) {
		m->notes_by_kind[PARSE_NOTE_DAMAGED] += st->pending_damaged;
		st->pending_damaged = 0;
	}
	if (boot_notes)
		for (int kind = 0; kind < PARSE_NR_NOTE_KINDS; kind++) {
			if (kind == PARSE_NOTE_DAMAGED)
				continue;
			m->notes_by_kind[kind] += st->pending_boot[kind];
			st->pending_boot[kind] = 0;
		}
}

/* Notes still waiting when a boot ends go to a map of that boot, or to none. */
static void end_boot(struct text_state *st)
{
	u32 last = st->nr_maps && st->maps[st->nr_maps - 1].boot == st->boot ? st->nr_maps : 0;
	u32 home = st->boot_fw_map ? st->boot_fw_map : st->boot_first_map;

	if (last)
		give_pending(st, last, true, false);
	if (home)
		give_pending(st, home, false, true);
	for (u32 i = 0; i < st->nr_notes; i++)
		if (!st->notes[i].map && st->notes[i].boot == st->boot)
			st->orphan_notes++;
	st->orphan_notes += st->pending_damaged;
	st->pending_damaged = 0;
	for (int kind = 0; kind < PARSE_NR_NOTE_KINDS; kind++) {
		st->orphan_notes += st->pending_boot[kind];
		st->pending_boot[kind] = 0;
	}
	st->pending_lost = 0;
}

static void close_map(struct text_state *st)
{
	st->open = false;
}

/* Record a note about line; the map it belongs to is decided here or later. */
static void add_note(struct text_state *st, enum parse_note_kind kind, u32 line, const char *s,
		     size_t len, const char *why)
{
	struct text_map *m = cur(st);
	u32 map = 0;
	const char *from = s;

	st->total_notes++;
	st->boot_used = true;
	if (kind == PARSE_NOTE_DAMAGED) {
		if (!st->first_damaged_line) {
			st->first_damaged_line = line;
			snprintf(st->first_damaged_why, sizeof(st->first_damaged_why), "%s", why);
		}
		if (m)
			map = st->nr_maps;
	} else if (st->boot_fw_map) {
		map = st->boot_fw_map;
	}
	if (map)
		st->maps[map - 1].notes_by_kind[kind]++;

	if (st->nr_notes == PARSE_MAX_NOTES) {
		if (!map && kind == PARSE_NOTE_DAMAGED)
			st->pending_damaged++;
		else if (!map)
			st->pending_boot[kind]++;
		return;
	}
	if (st->nr_notes == st->cap_notes) {
		u32 cap = st->cap_notes ? st->cap_notes * 2 : 16;
		struct stored_note *v;

		if (cap > PARSE_MAX_NOTES)
			cap = PARSE_MAX_NOTES;
		v = realloc(st->notes, (size_t)cap * sizeof(*v));
		if (!v) {
			/* Counted, not kept: the summary still says how many. */
			if (!map && kind == PARSE_NOTE_DAMAGED)
				st->pending_damaged++;
			else if (!map)
				st->pending_boot[kind]++;
			return;
		}
		st->notes = v;
		st->cap_notes = cap;
	}
	/* Quote from "efi" on when the line has it: the prefix is timestamps and noise. */
	for (size_t i = 0; i + 3 <= len; i++)
		if ((s[i] == 'e' || s[i] == 'E') && (s[i + 1] == 'f' || s[i + 1] == 'F') &&
		    (s[i + 2] == 'i' || s[i + 2] == 'I')) {
			from = s + i;
			break;
		}
	{
		struct stored_note *sn = &st->notes[st->nr_notes++];

		memset(sn, 0, sizeof(*sn));
		sn->note.kind = kind;
		sn->note.line = line;
		parse_quote(sn->note.text, sizeof(sn->note.text), from, len - (size_t)(from - s),
			    100);
		snprintf(sn->note.why, sizeof(sn->note.why), "%s", why ? why : "");
		sn->boot = st->boot;
		sn->map = map;
	}
}

static int grow_entries(struct text_state *st, u32 line)
{
	u32 cap = st->cap_entries ? st->cap_entries * 2 : 64;
	struct mm_desc *d;
	u32 *l;

	if (st->nr_entries == PARSE_MAX_ENTRIES)
		return parse_fail(st->out, line, "more than %u map entries in the input",
				  PARSE_MAX_ENTRIES);
	if (cap > PARSE_MAX_ENTRIES)
		cap = PARSE_MAX_ENTRIES;
	d = realloc(st->desc, (size_t)cap * sizeof(*d));
	if (!d)
		return parse_fail(st->out, line, "out of memory");
	st->desc = d;
	l = realloc(st->line, (size_t)cap * sizeof(*l));
	if (!l)
		return parse_fail(st->out, line, "out of memory");
	st->line = l;
	st->cap_entries = cap;
	return 0;
}

static int begin_map(struct text_state *st, const struct map_line *ml, u32 line)
{
	struct text_map *m;

	close_map(st);
	if (st->nr_maps == st->cap_maps) {
		u32 cap = st->cap_maps ? st->cap_maps * 2 : 8;
		struct text_map *v = realloc(st->maps, (size_t)cap * sizeof(*v));

		if (!v)
			return parse_fail(st->out, line, "out of memory");
		st->maps = v;
		st->cap_maps = cap;
	}
	m = &st->maps[st->nr_maps++];
	memset(m, 0, sizeof(*m));
	st->open = true;
	st->boot_used = true;
	m->first_entry = st->nr_entries;
	m->first_line = line;
	m->last_line = line;
	m->boot = st->boot;
	m->kind = st->kernel_maps ? MAP_KIND_KERNEL : MAP_KIND_FIRMWARE;
	m->family = ml->family;
	m->inclusive = ml->inclusive;
	m->desc_version = MM_DESC_VERSION;
	m->next_index = 0;
	m->lost = st->pending_lost;
	st->pending_lost = 0;
	if (!st->boot_first_map)
		st->boot_first_map = st->nr_maps;
	give_pending(st, st->nr_maps, true, false);
	if (m->kind == MAP_KIND_FIRMWARE && !st->boot_fw_map) {
		st->boot_fw_map = st->nr_maps;
		give_pending(st, st->nr_maps, false, true);
	}
	return 0;
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

/* Does a line with this index (and family) start a new map? */
static bool starts_new_map(struct text_state *st, enum map_family family, u32 index)
{
	struct text_map *m = cur(st);

	if (!m || m->closed)
		return true;
	if ((family == FAM_ARM64) != (m->family == FAM_ARM64))
		return true;
	if (family == FAM_ARM64)
		return false;
	return index == 0 || index < m->next_index;
}

/* memNN continues the open map: note a gap that damaged lines do not explain. */
static void take_index(struct text_map *m, u32 index, u32 line)
{
	if (index > m->next_index) {
		u64 missing = index - m->next_index;

		if (missing <= m->lost)
			m->lost -= (u32)missing;
		else
			gap(m, GAP_SKIPPED, line, index, m->next_index - 1, m->last_line);
	}
	m->next_index = (u64)index + 1;
	m->last_line = line;
}

/* Why a line does not fit the map it continues: another form, end style or column count. */
static bool inconsistent(const struct text_map *m, const struct map_line *ml, char *why,
			 size_t size)
{
	if (ml->family != m->family)
		snprintf(why, size,
			 "this map line is in %s, but the map it continues (from line %u) is in %s",
			 family_name(ml->family), m->first_line, family_name(m->family));
	else if (ml->inclusive != m->inclusive)
		snprintf(why, size,
			 "this range is end-%s but the map it continues (from line %u) has "
			 "end-%s ranges",
			 ml->inclusive ? "inclusive (']')" : "exclusive (')')", m->first_line,
			 m->inclusive ? "inclusive (']')" : "exclusive (')')");
	else if (ml->columns && m->columns && ml->columns != m->columns)
		snprintf(why, size, "%u attribute columns, but line %u of the same map has %u",
			 ml->columns, m->columns_line, m->columns);
	else
		return false;
	return true;
}

/* Map lines run into this one ("...(0MB)[    0.1] efi: mem08: ..."): each lost one more index. */
static u32 more_map_lines(const char *s, size_t len)
{
	u32 n = 0;

	for (size_t i = 0; i + 9 <= len; i++) {
		size_t j = i + 4;

		if (memcmp(s + i, "efi:", 4) && memcmp(s + i, "EFI:", 4))
			continue;
		while (j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j > i + 4 && j + 4 <= len && !memcmp(s + j, "mem", 3) && s[j + 3] >= '0' &&
		    s[j + 3] <= '9')
			n++;
	}
	return n > 1 ? n - 1 : 0;
}

/* A map line that cannot be used: a note, and its index (when read) keeps the map whole. */
static int damaged(struct text_state *st, const struct map_line *ml, u32 line, const char *s,
		   size_t len, const char *why)
{
	struct text_map *m;

	if (ml->has_index && starts_new_map(st, ml->family, ml->index))
		close_map(st); /* e.g. a damaged mem00: the map it began is a new one */
	add_note(st, PARSE_NOTE_DAMAGED, line, s, len, why);
	m = cur(st);
	if (!m)
		st->pending_lost++; /* with or without its index: one line the next map lacks */
	else if (!ml->has_index)
		m->lost++;
	else if (m->family != FAM_ARM64)
		take_index(m, ml->index, line);
	if (m)
		m->lost += more_map_lines(s, len);
	else
		st->pending_lost += more_map_lines(s, len);
	return 0;
}

static int add_entry(struct text_state *st, const struct map_line *ml, u32 line, const char *s,
		     size_t len)
{
	struct text_map *m;
	char why[200];

	if (starts_new_map(st, ml->family, ml->index)) {
		if (begin_map(st, ml, line))
			return -1;
		m = cur(st);
		if (ml->family != FAM_ARM64 && ml->index != 0) {
			if (ml->index <= m->lost)
				m->lost -= ml->index;
			else
				gap(m, GAP_FIRST_INDEX, line, ml->index, 0, 0);
		}
	} else {
		m = cur(st);
		if (inconsistent(m, ml, why, sizeof(why))) {
			struct map_line d = *ml;

			d.has_index = ml->family != FAM_ARM64;
			return damaged(st, &d, line, s, len, why);
		}
		if (ml->family != FAM_ARM64)
			take_index(m, ml->index, line);
	}
	if (st->nr_entries == st->cap_entries && grow_entries(st, line))
		return -1;
	st->desc[st->nr_entries] = ml->md;
	st->line[st->nr_entries] = line;
	st->nr_entries++;
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
	struct text_map *m = cur(st);

	if (!m || m->closed || m->family == FAM_ARM64)
		return;
	m->efimap = true;
	m->closed = true;
	m->desc_version = sum->desc_version;
	if (sum->entries != m->n + m->notes_by_kind[PARSE_NOTE_DAMAGED])
		gap(m, GAP_SUMMARY, line, sum->entries, m->n, 0);
}

static void new_boot(struct text_state *st)
{
	close_map(st);
	if (!st->boot_used)
		return; /* the first banner: what came before belongs to this boot */
	end_boot(st);
	st->boot++;
	st->boot_used = false;
	st->kernel_maps = false;
	st->boot_first_map = 0;
	st->boot_fw_map = 0;
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

/* Map number k (1-based) becomes out's map, with its notes. */
static int publish(struct text_state *st, u32 k)
{
	struct parsed_map *out = st->out;
	const struct text_map *m = &st->maps[k - 1];
	struct mm_desc *desc = malloc((size_t)m->n * sizeof(*desc));
	u32 *lines = malloc((size_t)m->n * sizeof(*lines));
	u32 mine = 0;

	if (!desc || !lines) {
		free(desc);
		free(lines);
		return parse_fail(out, 0, "out of memory");
	}
	memcpy(desc, st->desc + m->first_entry, (size_t)m->n * sizeof(*desc));
	memcpy(lines, st->line + m->first_entry, (size_t)m->n * sizeof(*lines));
	memmap_init(&out->map, desc, MM_DESC_MIN_SIZE, m->desc_version, m->n, m->n);
	out->lines = lines;
	out->format = map_format(m);
	out->end_inclusive = m->inclusive;
	out->nomap_marks = m->nomap;
	out->attr_columns = m->columns;
	out->rounded_entries = m->rounded;
	out->map_number = k;
	out->map_kind = m->kind;
	out->map_boot = m->boot;
	for (u32 i = 0; i < st->nr_notes; i++)
		mine += st->notes[i].map == k;
	if (mine) {
		out->notes = malloc((size_t)mine * sizeof(*out->notes));
		if (!out->notes)
			return parse_fail(out, 0, "out of memory");
		for (u32 i = 0; i < st->nr_notes; i++)
			if (st->notes[i].map == k)
				out->notes[out->nr_notes++] = st->notes[i].note;
	}
	out->notes_elsewhere = st->total_notes;
	for (int kind = 0; kind < PARSE_NR_NOTE_KINDS; kind++) {
		out->notes_by_kind[kind] = m->notes_by_kind[kind];
		out->notes_elsewhere -= m->notes_by_kind[kind];
	}
	return 0;
}

/* The map asked for, or an error saying why there is none. */
static int choose(struct text_state *st, const struct map_select *sel, u32 lines)
{
	struct parsed_map *out = st->out;
	u32 k = 0;
	char why[300];

	out->maps_seen = st->nr_maps;
	out->maps_incomplete = 0;
	for (u32 i = 0; i < st->nr_maps; i++)
		out->maps_incomplete += st->maps[i].gap != GAP_NONE;
	if (!st->nr_maps) {
		if (st->first_damaged_line)
			return parse_fail(out, st->first_damaged_line,
					  "no readable memory map: %u map %s damaged, the first "
					  "one here: %s",
					  st->total_notes,
					  st->total_notes == 1 ? "line is" : "lines are",
					  st->first_damaged_why);
		return parse_fail(out, 0,
				  "no memory map lines in %u lines (looked for Linux efi=debug "
				  "'efi: memNN: ...' and arm64 'efi:   0x...-0x... [...]' lines)",
				  lines);
	}
	switch (sel ? sel->pick : MAP_PICK_DEFAULT) {
	case MAP_PICK_DEFAULT:
		for (u32 i = st->nr_maps; i-- > 0 && !k;)
			if (st->maps[i].gap == GAP_NONE && st->maps[i].kind == MAP_KIND_FIRMWARE)
				k = i + 1;
		for (u32 i = st->nr_maps; i-- > 0 && !k;)
			if (st->maps[i].gap == GAP_NONE) {
				k = i + 1;
				out->map_fallback = true;
			}
		if (!k) {
			const struct text_map *m = &st->maps[st->nr_maps - 1];

			gap_why(why, sizeof(why), m);
			return parse_fail(out, m->gap_line, "no complete memory map: %s", why);
		}
		break;
	case MAP_PICK_FIRST:
		k = 1;
		break;
	case MAP_PICK_LAST:
		k = st->nr_maps;
		break;
	case MAP_PICK_NUMBER:
		if (sel->number < 1 || sel->number > st->nr_maps)
			return parse_fail(out, 0, "there is no map %u: the input holds %u %s",
					  sel->number, st->nr_maps,
					  st->nr_maps == 1 ? "map" : "maps");
		k = sel->number;
		break;
	}
	if (st->maps[k - 1].gap != GAP_NONE) {
		const struct text_map *m = &st->maps[k - 1];

		gap_why(why, sizeof(why), m);
		return parse_fail(out, m->gap_line, "map %u of %u (from line %u) is incomplete: %s",
				  k, st->nr_maps, m->first_line, why);
	}
	return publish(st, k);
}

static int handle_line(struct text_state *st, const char *s, size_t len, u32 line)
{
	struct map_line ml;
	struct efimap_summary sum;
	char why[sizeof(st->out->error)];

	switch (parse_map_line(s, len, &ml, &sum, why, sizeof(why))) {
	case ML_ENTRY:
		return add_entry(st, &ml, line, s, len);
	case ML_ERROR:
		return damaged(st, &ml, line, s, len, why);
	case ML_SUMMARY:
		add_summary(st, &sum, line);
		break;
	case ML_ARM64_HEADER:
		close_map(st);
		break;
	case ML_BOOT:
		new_boot(st);
		break;
	case ML_RUNTIME_HEADER:
		close_map(st);
		st->kernel_maps = true;
		break;
	case ML_KERNEL_ENTRY:
		/*
		 * A second kernel instance in the same boot (efimap.kexec) prints the
		 * map the one before it handed over, compacted: a kernel's map.
		 */
		close_map(st);
		if (st->boot_used)
			st->kernel_maps = true;
		break;
	case ML_INVALID:
		add_note(st, PARSE_NOTE_LINUX_INVALID, line, s, len, NULL);
		break;
	case ML_FW_BUG:
		add_note(st, PARSE_NOTE_FIRMWARE_BUG, line, s, len, NULL);
		break;
	case ML_NONE:
		break;
	}
	st->out->ignored_lines++;
	return 0;
}

int parse_text(const char *data, size_t len, const struct map_select *sel, struct parsed_map *out)
{
	struct text_state st = { .out = out, .boot = 1 };
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
		close_map(&st);
		end_boot(&st);
		out->boots = st.boot;
		ret = choose(&st, sel, line);
	}
	free(st.desc);
	free(st.line);
	free(st.maps);
	free(st.notes);
	return ret;
}
