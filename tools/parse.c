// SPDX-License-Identifier: BSD-2-Clause
/*
 * The entry points of the map reader (tools/parse.h): pick binary or text,
 * read files and stdin with a size limit, free, name the formats.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/parse_internal.h"

/* Larger inputs are refused rather than read (a boot log is a few MiB). */
#define PARSE_MAX_INPUT (1ULL << 30)

int parse_fail(struct parsed_map *out, u32 line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
	out->error_line = line;
	return -1;
}

int parse_map_buffer(const char *name, const void *data, size_t len, struct parsed_map *out)
{
	(void)name; /* callers put it in front of out->error themselves */
	return parse_map_buffer_select(data, len, NULL, out);
}

int parse_map_buffer_select(const void *data, size_t len, const struct map_select *sel,
			    struct parsed_map *out)
{
	memset(out, 0, sizeof(*out));
	if (!len)
		return parse_fail(out, 0, "empty input");
	if (!data)
		return parse_fail(out, 0, "no data");
	if (len > PARSE_MAX_INPUT)
		return parse_fail(out, 0, "input is larger than %llu bytes",
				  (unsigned long long)PARSE_MAX_INPUT);
	/* "EFIMAPD" is enough to call it a dump, so a damaged header is reported as one. */
	if (len >= 7 && !memcmp(data, MM_DUMP_MAGIC, 7)) {
		if (sel && sel->pick == MAP_PICK_NUMBER && sel->number != 1)
			return parse_fail(out, 0, "there is no map %u: a binary dump holds one map",
					  sel->number);
		if (parse_binary(data, len, out))
			return -1;
		out->maps_seen = 1;
		out->map_number = 1;
		out->map_boot = 1;
		out->boots = 1;
		return 0;
	}
	return parse_text(data, len, sel, out);
}

/* Read all of f into a malloc'd buffer; -1 with out->error set on failure. */
static int read_all(FILE *f, char **data, size_t *len, struct parsed_map *out)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return parse_fail(out, 0, "out of memory");
	for (;;) {
		size_t got;

		if (n == cap) {
			char *bigger, extra;

			if (cap >= PARSE_MAX_INPUT) {
				if (!fread(&extra, 1, 1, f))
					break;
				free(buf);
				return parse_fail(out, 0, "input is larger than %llu bytes",
						  (unsigned long long)PARSE_MAX_INPUT);
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return parse_fail(out, 0, "out of memory reading the input");
			}
			buf = bigger;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int err = errno;

		free(buf);
		return parse_fail(out, 0, "read error: %s", strerror(err));
	}
	*data = buf;
	*len = n;
	return 0;
}

int parse_map_file(const char *path, struct parsed_map *out)
{
	return parse_map_file_select(path, NULL, out);
}

int parse_map_file_select(const char *path, const struct map_select *sel, struct parsed_map *out)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char *data = NULL;
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!f)
		return parse_fail(out, 0, "cannot open: %s", strerror(errno));
	ret = read_all(f, &data, &len, out);
	if (!is_stdin)
		fclose(f);
	if (ret)
		return ret;
	ret = parse_map_buffer_select(data, len, sel, out);
	free(data);
	return ret;
}

void parsed_map_free(struct parsed_map *pm)
{
	free(pm->map.base);
	free(pm->lines);
	free(pm->notes);
	pm->map.base = NULL;
	pm->lines = NULL;
	pm->notes = NULL;
	pm->nr_notes = 0;
	pm->map.nr_map = 0;
	pm->map.capacity = 0;
}

const char *log_format_name(enum log_format fmt)
{
	switch (fmt) {
	case LOG_FMT_NONE:
		return "none";
	case LOG_FMT_OLD_TYPE_ATTR:
		return "old-type-attr";
	case LOG_FMT_BRACKET_9:
		return "bracket-9";
	case LOG_FMT_BRACKET_10:
		return "bracket-10";
	case LOG_FMT_BRACKET_11:
		return "bracket-11";
	case LOG_FMT_BRACKET_12:
		return "bracket-12";
	case LOG_FMT_BRACKET_13:
		return "bracket-13";
	case LOG_FMT_BRACKET_14:
		return "bracket-14";
	case LOG_FMT_BRACKET_HP:
		return "bracket-15-hp";
	case LOG_FMT_ATTR_RAW:
		return "attr-raw";
	case LOG_FMT_ARM64:
		return "arm64";
	case LOG_FMT_EFIMAP:
		return "efimap";
	case LOG_FMT_BINARY:
		return "binary";
	}
	return "unknown";
}

bool map_select_parse(const char *arg, struct map_select *sel, char *why, size_t why_size)
{
	u64 v = 0;

	memset(sel, 0, sizeof(*sel));
	if (!strcmp(arg, "first")) {
		sel->pick = MAP_PICK_FIRST;
		return true;
	}
	if (!strcmp(arg, "last")) {
		sel->pick = MAP_PICK_LAST;
		return true;
	}
	if (!*arg)
		goto bad;
	for (const char *p = arg; *p; p++) {
		if (*p < '0' || *p > '9' || v > 0xffffffffu / 10)
			goto bad;
		v = v * 10 + (u64)(*p - '0');
	}
	if (v < 1 || v > 0xffffffffu)
		goto bad;
	sel->pick = MAP_PICK_NUMBER;
	sel->number = (u32)v;
	return true;
bad:
	snprintf(why, why_size, "'%s' is not first, last, all or a map number from 1", arg);
	return false;
}

const char *map_kind_name(enum map_kind kind)
{
	return kind == MAP_KIND_KERNEL ? "kernel" : "firmware";
}

const char *parse_note_name(enum parse_note_kind kind)
{
	switch (kind) {
	case PARSE_NOTE_DAMAGED:
		return "damaged-line";
	case PARSE_NOTE_LINUX_INVALID:
		return "linux-invalid";
	case PARSE_NOTE_FIRMWARE_BUG:
		return "firmware-bug";
	case PARSE_NR_NOTE_KINDS:
		break;
	}
	return "unknown-note";
}

void parsed_map_describe(char *buf, size_t size, const struct parsed_map *pm)
{
	if (pm->format == LOG_FMT_BINARY && pm->run_map[0]) {
		snprintf(buf, size, "map 1 of 1 (binary dump; the run folder's %s map, %s: %s)",
			 pm->run_map, pm->run_file, pm->run_why);
		return;
	}
	if (pm->format == LOG_FMT_BINARY) {
		snprintf(buf, size, "map 1 of 1 (binary dump)");
		return;
	}
	u32 damaged = pm->notes_by_kind[PARSE_NOTE_DAMAGED];
	int n;

	n = snprintf(buf, size, "map %u of %u (%s, boot %u of %u, line %u%s)", pm->map_number,
		     pm->maps_seen,
		     pm->map_kind == MAP_KIND_KERNEL ? "the runtime map a kernel derived" :
						       "firmware map",
		     pm->map_boot, pm->boots, pm->lines && pm->map.nr_map ? pm->lines[0] : 0,
		     pm->map_fallback ? "; no complete firmware map in the input" : "");
	if (damaged && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "; %u damaged %s not read", damaged,
			 damaged == 1 ? "line" : "lines");
}
