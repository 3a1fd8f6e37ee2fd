// SPDX-License-Identifier: BSD-2-Clause
/*
 * One log line into one descriptor. The formats, as Linux printed them
 * (facts from Linux's arch/x86/platform/efi/efi.c, drivers/firmware/efi/
 * efi.c efi_md_typeattr_format(), memmap.c and arm-init.c/efi-init.c):
 *
 *   "mem%02u: type=%u, attr=0x%llx, range=[0x%016llx-0x%016llx) (%lluMB)"
 *       before 3.19, prefix "EFI: " in early kernels and "efi: " later;
 *   "mem%02u: %s range=[0x%016llx-0x%016llx) (%lluMB)"
 *       3.19 to 4.5, %s being "[type|columns]" (see tools/parse.h);
 *   "mem%02u: %s range=[0x%016llx-0x%016llx] (%lluMB)"
 *       4.6 on (the end became the last byte), and efimap;
 *   "  0x%012llx-0x%012llx %s" then "*" for nomap regions on older kernels
 *       arm64 (no index, always inclusive);
 * where "[type" is a padded name or "[type=%u" for types Linux has no name
 * for, and the columns become "|attr=0x%016llx]" when a bit Linux does not
 * know is set. The size in MB is num_pages >> 8, truncated.
 *
 * Every reader here takes a cursor that cannot run past the line's end, and
 * every number is overflow-checked: hostile input gets an error, never a
 * crash or a wrapped value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tools/parse_internal.h"

struct cursor {
	const char *p;
	const char *end;
	char *why;
	size_t why_size;
};

static bool fail(struct cursor *c, const char *fmt, ...) __printf(2, 3);

/* Record why the line was rejected; returns false for "return fail(...)". */
static bool fail(struct cursor *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->why_size, fmt, ap);
	va_end(ap);
	return false;
}

static int peek(const struct cursor *c)
{
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

static bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_value(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static void skip_blanks(struct cursor *c)
{
	while (is_blank(peek(c)))
		c->p++;
}

/* True (and past it) when the text at the cursor is lit, in any case. */
static bool eat_ci(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)c->p[i]) != lower((unsigned char)lit[i]))
			return false;
	c->p += n;
	return true;
}

static bool eat(struct cursor *c, char ch)
{
	if (peek(c) != (unsigned char)ch)
		return false;
	c->p++;
	return true;
}

/* Case-insensitive equality of a counted string and a C string. */
static bool equal_ci(const char *s, size_t len, const char *lit)
{
	if (strlen(lit) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)lit[i]))
			return false;
	return true;
}

void parse_quote(char *dst, size_t size, const char *s, size_t len, size_t max)
{
	size_t o = 0;

	if (!size)
		return;
	for (size_t i = 0; i < len && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];
		int n;

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			n = snprintf(dst + o, size - o, "%c", ch);
		else
			n = snprintf(dst + o, size - o, "\\x%02x", ch);
		if (n < 0 || (size_t)n >= size - o) {
			dst[o] = '\0';
			return;
		}
		o += (size_t)n;
	}
	if (len > max && size - o > 3)
		snprintf(dst + o, size - o, "...");
	else
		dst[o] = '\0';
}

/* What the cursor points at, quoted, for "expected X at '...'" messages. */
static const char *here(const struct cursor *c, char *buf, size_t size)
{
	if (c->p >= c->end)
		return "the end of the line";
	buf[0] = '\'';
	parse_quote(buf + 1, size - 2, c->p, (size_t)(c->end - c->p), 24);
	strncat(buf, "'", size - strlen(buf) - 1);
	return buf;
}

/* "0x" and 1 to 16 hex digits. */
static bool read_hex(struct cursor *c, const char *what, u64 *out)
{
	char at[128];
	u64 v = 0;
	u32 digits = 0;

	if (!eat_ci(c, "0x"))
		return fail(c, "%s: expected 0x<hex> at %s", what, here(c, at, sizeof(at)));
	while (hex_value(peek(c)) >= 0) {
		if (digits == 16)
			return fail(c, "%s has more than 16 hex digits (does not fit 64 bits)",
				    what);
		v = v << 4 | (u64)hex_value(peek(c));
		digits++;
		c->p++;
	}
	if (!digits)
		return fail(c, "%s: no hex digits after 0x", what);
	*out = v;
	return true;
}

/* Decimal digits, at most max. */
static bool read_dec(struct cursor *c, const char *what, u64 max, u64 *out)
{
	char at[128];
	u64 v = 0;

	if (!is_digit(peek(c)))
		return fail(c, "%s: expected a decimal number at %s", what,
			    here(c, at, sizeof(at)));
	while (is_digit(peek(c))) {
		u64 d = (u64)(peek(c) - '0');

		if (v > (max - d) / 10)
			return fail(c, "%s is too large (more than %llu)", what,
				    (unsigned long long)max);
		v = v * 10 + d;
		c->p++;
	}
	*out = v;
	return true;
}

static bool read_u32(struct cursor *c, const char *what, u32 *out)
{
	u64 v;

	if (!read_dec(c, what, 0xffffffffu, &v))
		return false;
	*out = (u32)v;
	return true;
}

static bool expect(struct cursor *c, const char *lit, const char *after)
{
	char at[128];

	if (eat_ci(c, lit))
		return true;
	return fail(c, "expected '%s' after %s, found %s", lit, after, here(c, at, sizeof(at)));
}

/* Linux's names: the short ones (5.10 on, efimap) and the long ones before. */
static const struct {
	const char *name;
	u32 type;
} type_names[] = {
	{ "Reserved", MM_RESERVED },
	{ "Loader Code", MM_LOADER_CODE },
	{ "Loader Data", MM_LOADER_DATA },
	{ "Boot Code", MM_BOOT_CODE },
	{ "Boot Data", MM_BOOT_DATA },
	{ "Runtime Code", MM_RUNTIME_CODE },
	{ "Runtime Data", MM_RUNTIME_DATA },
	{ "Conventional", MM_CONVENTIONAL },
	{ "Conventional Memory", MM_CONVENTIONAL },
	{ "Unusable", MM_UNUSABLE },
	{ "Unusable Memory", MM_UNUSABLE },
	{ "ACPI Reclaim", MM_ACPI_RECLAIM },
	{ "ACPI Reclaim Memory", MM_ACPI_RECLAIM },
	{ "ACPI Mem NVS", MM_ACPI_NVS },
	{ "ACPI Memory NVS", MM_ACPI_NVS },
	{ "MMIO", MM_MMIO },
	{ "Memory Mapped I/O", MM_MMIO },
	{ "MMIO Port", MM_MMIO_PORT },
	{ "MMIO Port Space", MM_MMIO_PORT },
	{ "PAL Code", MM_PAL_CODE },
	{ "Persistent", MM_PERSISTENT },
	{ "Persistent Memory", MM_PERSISTENT },
	{ "Unaccepted", MM_UNACCEPTED },
};

/* The type field of "[type|...": a name, or "type=N" for one Linux cannot name. */
static bool read_type_field(struct cursor *c, const char *s, const char *e, u32 *type)
{
	struct cursor f = { s, e, c->why, c->why_size };
	char q[128];

	skip_blanks(&f);
	while (f.end > f.p && is_blank((unsigned char)f.end[-1]))
		f.end--;
	if (f.p == f.end)
		return fail(c, "no memory type before the first '|'");
	if (eat_ci(&f, "type=")) {
		if (!read_u32(&f, "type", type))
			return false;
		if (f.p != f.end)
			return fail(c, "unexpected text after the type number");
		return true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++) {
		if (equal_ci(f.p, (size_t)(f.end - f.p), type_names[i].name)) {
			*type = type_names[i].type;
			return true;
		}
	}
	parse_quote(q, sizeof(q), f.p, (size_t)(f.end - f.p), 32);
	return fail(c, "unknown memory type name '%s'", q);
}

/* Column layouts by count (see tools/parse.h), left to right. */
static const char *const layout9[] = { "RUN", "XP", "RP", "WP", "UCE", "WB", "WT", "WC", "UC" };
static const char *const layout10[] = {
	"RUN", "MR", "XP", "RP", "WP", "UCE", "WB", "WT", "WC", "UC"
};
static const char *const layout11[] = { "RUN", "MR", "XP", "RP", "WP", "RO",
					"UCE", "WB", "WT", "WC", "UC" };
static const char *const layout12[] = { "RUN", "MR",  "NV", "XP", "RP", "WP",
					"RO",  "UCE", "WB", "WT", "WC", "UC" };
static const char *const layout13[] = { "RUN", "MR",  "SP", "NV", "XP", "RP", "WP",
					"RO",  "UCE", "WB", "WT", "WC", "UC" };
static const char *const layout14[] = { "RUN", "MR", "CC",  "SP", "NV", "XP", "RP",
					"WP",  "RO", "UCE", "WB", "WT", "WC", "UC" };
static const char *const layout15[] = { "RUN", "HP", "MR",  "CC", "SP", "NV", "XP", "RP",
					"WP",  "RO", "UCE", "WB", "WT", "WC", "UC" };

static const char *const *const layouts[PARSE_MAX_COLUMNS + 1] = {
	[9] = layout9,	 [10] = layout10, [11] = layout11, [12] = layout12,
	[13] = layout13, [14] = layout14, [15] = layout15,
};

static u64 column_bit(const char *name)
{
	static const struct {
		const char *name;
		u64 bit;
	} bits[] = {
		{ "RUN", MM_ATTR_RUNTIME },
		{ "HP", MM_ATTR_HOT_PLUGGABLE },
		{ "MR", MM_ATTR_MORE_RELIABLE },
		{ "CC", MM_ATTR_CPU_CRYPTO },
		{ "SP", MM_ATTR_SP },
		{ "NV", MM_ATTR_NV },
		{ "XP", MM_ATTR_XP },
		{ "RP", MM_ATTR_RP },
		{ "WP", MM_ATTR_WP },
		{ "RO", MM_ATTR_RO },
		{ "UCE", MM_ATTR_UCE },
		{ "WB", MM_ATTR_WB },
		{ "WT", MM_ATTR_WT },
		{ "WC", MM_ATTR_WC },
		{ "UC", MM_ATTR_UC },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
		if (!strcmp(bits[i].name, name))
			return bits[i].bit;
	return 0;
}

/*
 * "[type|RUN|  |...|UC]" or "[type|attr=0x...]", the cursor on '['.
 * Columns are checked against the layout their count belongs to, so a
 * name in the wrong place is an error, not a silently different bit.
 */
static bool read_typeattr(struct cursor *c, struct map_line *ml)
{
	struct {
		const char *s;
		size_t len;
	} col[PARSE_MAX_COLUMNS + 1];
	const char *const *layout;
	const char *s;
	u32 n = 0;

	if (!eat(c, '['))
		return fail(c, "expected '[' before the memory type");
	s = c->p;
	while (c->p < c->end && *c->p != '|' && *c->p != ']')
		c->p++;
	if (c->p == c->end)
		return fail(c, "'[' without a closing ']'");
	if (*c->p == ']')
		return fail(c, "no attributes after the memory type (no '|' before ']')");
	if (!read_type_field(c, s, c->p, &ml->md.type))
		return false;
	c->p++; /* '|' */

	if (eat_ci(c, "attr=")) {
		if (!read_hex(c, "attr", &ml->md.attribute))
			return false;
		if (!eat(c, ']'))
			return fail(c, "expected ']' after attr=0x...");
		ml->columns = 0;
		return true;
	}

	for (;;) {
		s = c->p;
		while (c->p < c->end && *c->p != '|' && *c->p != ']')
			c->p++;
		if (c->p == c->end)
			return fail(c, "'[' without a closing ']'");
		if (n == PARSE_MAX_COLUMNS)
			return fail(c, "more than %u attribute columns", PARSE_MAX_COLUMNS);
		col[n].s = s;
		col[n].len = (size_t)(c->p - s);
		n++;
		if (*c->p++ == ']')
			break;
	}
	if (n < PARSE_MIN_COLUMNS)
		return fail(c, "%u attribute columns; Linux printed %u to %u", n, PARSE_MIN_COLUMNS,
			    PARSE_MAX_COLUMNS);
	layout = layouts[n];
	ml->md.attribute = 0;
	for (u32 i = 0; i < n; i++) {
		const char *t = col[i].s;
		size_t len = col[i].len;
		char q[128];

		while (len && is_blank((unsigned char)*t)) {
			t++;
			len--;
		}
		while (len && is_blank((unsigned char)t[len - 1]))
			len--;
		if (!len)
			continue;
		if (!equal_ci(t, len, layout[i])) {
			parse_quote(q, sizeof(q), t, len, 16);
			return fail(c,
				    "attribute column %u reads '%s' where the %u-column layout has "
				    "'%s'",
				    i + 1, q, n, layout[i]);
		}
		ml->md.attribute |= column_bit(layout[i]);
	}
	ml->columns = n;
	return true;
}

/*
 * The printed range to a page count. Linux prints start + size (exclusive)
 * or start + size - 1 (inclusive), modulo 2^64, so unsigned subtraction
 * gives the size back even when the range ran past 2^64; such a wrapped
 * range is believed only when the printed MB (num_pages >> 8) agrees.
 * mb is the printed size or -1 when the format has none (arm64).
 */
static bool range_to_pages(struct cursor *c, u64 start, u64 end, bool inclusive, s64 mb,
			   struct map_line *ml)
{
	u64 size = end - start + (inclusive ? 1 : 0);
	bool zero_incl = inclusive && end == start - 1;
	bool whole = false; /* 2^64 bytes: [0-0xffffffffffffffff] */
	bool wrapped;

	if (inclusive && start == 0 && end == ~0ULL) {
		/* Zero pages at 0 or the whole space: only the MB column can tell. */
		whole = mb == (s64)(1ULL << 44);
		zero_incl = !whole;
	}
	wrapped = end < start && !zero_incl;
	if (whole) {
		ml->md.num_pages = 1ULL << 52;
		ml->rounded = false;
		return true;
	}
	if (zero_incl)
		size = 0;
	if (mb >= 0 && (u64)mb != size >> 20) {
		if (wrapped)
			return fail(c, "range end 0x%llx is below its start 0x%llx",
				    (unsigned long long)end, (unsigned long long)start);
		return fail(c, "the printed size (%lluMB) does not match the range (%lluMB)",
			    (unsigned long long)mb, (unsigned long long)(size >> 20));
	}
	if (wrapped && mb < 0)
		return fail(c, "range end 0x%llx is below its start 0x%llx",
			    (unsigned long long)end, (unsigned long long)start);
	ml->md.num_pages = size / PAGE_SIZE + (size % PAGE_SIZE ? 1 : 0);
	ml->rounded = size % PAGE_SIZE != 0;
	return true;
}

/* "0xSTART-0xEND" then ')' or ']' when closed is set. */
static bool read_range(struct cursor *c, bool closed, u64 *start, u64 *end, bool *inclusive)
{
	char at[128];

	if (!read_hex(c, "range start", start))
		return false;
	if (!eat(c, '-'))
		return fail(c, "expected '-' after the range start, found %s",
			    here(c, at, sizeof(at)));
	if (!read_hex(c, "range end", end))
		return false;
	*inclusive = true;
	if (!closed)
		return true;
	if (eat(c, ']'))
		return true;
	if (eat(c, ')')) {
		*inclusive = false;
		return true;
	}
	return fail(c, "expected ')' or ']' after the range end, found %s",
		    here(c, at, sizeof(at)));
}

static bool at_line_end(struct cursor *c, const char *after)
{
	char at[128];

	skip_blanks(c);
	if (c->p == c->end)
		return true;
	return fail(c, "unexpected text after %s: %s", after, here(c, at, sizeof(at)));
}

/* After "memNN: ": the old "type=" form or the bracketed one, then range and size. */
static bool read_indexed(struct cursor *c, struct map_line *ml)
{
	u64 start, end, mb;
	bool incl;

	if (!read_u32(c, "memNN index", &ml->index))
		return false;
	if (!expect(c, ":", "memNN"))
		return false;
	ml->has_index = true;
	skip_blanks(c);
	if (eat_ci(c, "type=")) {
		ml->family = FAM_OLD;
		if (!read_u32(c, "type", &ml->md.type) || !expect(c, ",", "type=N"))
			return false;
		skip_blanks(c);
		if (!expect(c, "attr=", "type=N,") || !read_hex(c, "attr", &ml->md.attribute) ||
		    !expect(c, ",", "attr=0x..."))
			return false;
	} else if (peek(c) == '[') {
		ml->family = FAM_BRACKET;
		if (!read_typeattr(c, ml))
			return false;
	} else {
		char at[128];

		return fail(c, "expected 'type=' or '[' after memNN:, found %s",
			    here(c, at, sizeof(at)));
	}
	skip_blanks(c);
	if (!expect(c, "range=[", ml->family == FAM_OLD ? "attr=0x...," : "the attributes") ||
	    !read_range(c, true, &start, &end, &incl))
		return false;
	skip_blanks(c);
	if (!expect(c, "(", "the range") || !read_dec(c, "size", 1ULL << 62, &mb) ||
	    !expect(c, "MB)", "the size"))
		return false;
	if (!at_line_end(c, "the size"))
		return false;
	ml->md.phys_addr = start;
	ml->inclusive = incl;
	return range_to_pages(c, start, end, incl, (s64)mb, ml);
}

/* arm64: "0xSTART-0xEND [type|...]" and an optional '*' (nomap). */
static bool read_arm64(struct cursor *c, struct map_line *ml)
{
	u64 start, end;
	bool incl;

	ml->family = FAM_ARM64;
	if (!read_range(c, false, &start, &end, &incl))
		return false;
	if (!is_blank(peek(c)))
		return fail(c, "expected a blank between the range and '['");
	skip_blanks(c);
	if (!read_typeattr(c, ml))
		return false;
	ml->nomap = eat(c, '*');
	if (!at_line_end(c, "the attributes"))
		return false;
	ml->md.phys_addr = start;
	ml->inclusive = true;
	return range_to_pages(c, start, end, true, -1, ml);
}

/* True when s (trailing blanks ignored) ends with lit. */
static bool ends_with(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	while (len && is_blank((unsigned char)s[len - 1]))
		len--;
	return len >= n && !memcmp(s + len - n, lit, n);
}

/* "efimap: map: entries=N desc_size=N desc_version=N capacity=N" (kernel/main.c). */
static bool read_summary(struct cursor *c, struct efimap_summary *sum)
{
	return read_u32(c, "entries", &sum->entries) && expect(c, " desc_size=", "entries=N") &&
	       read_u32(c, "desc_size", &sum->desc_size) &&
	       expect(c, " desc_version=", "desc_size=N") &&
	       read_u32(c, "desc_version", &sum->desc_version) &&
	       expect(c, " capacity=", "desc_version=N") &&
	       read_u32(c, "capacity", &sum->capacity) && at_line_end(c, "capacity=N");
}

static const char *find(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	for (size_t i = 0; i + n <= len; i++)
		if (s[i] == lit[0] && !memcmp(s + i, lit, n))
			return s + i;
	return NULL;
}

static enum map_line_kind too_long(size_t len, char *why, size_t why_size)
{
	snprintf(why, why_size, "map line is %zu bytes long (at most %u)", len, PARSE_MAX_MAP_LINE);
	return ML_ERROR;
}

enum map_line_kind parse_map_line(const char *s, size_t len, struct map_line *ml,
				  struct efimap_summary *sum, char *why, size_t why_size)
{
	struct cursor c = { s, s + len, why, why_size };
	const char *summary;

	memset(ml, 0, sizeof(*ml));
	why[0] = '\0';
	/* Any "efi:" followed by blanks and "mem<digit>" or "0x<hex>" is a map line. */
	for (size_t i = 0; i + 4 <= len; i++) {
		struct cursor t = c;
		bool ok;

		if (lower((unsigned char)s[i]) != 'e' || !equal_ci(s + i, 4, "efi:"))
			continue;
		t.p = s + i + 4;
		if (!is_blank(peek(&t)))
			continue;
		skip_blanks(&t);
		if (eat_ci(&t, "Processing EFI memory map"))
			return ML_ARM64_HEADER;
		if (t.end - t.p >= 4 && equal_ci(t.p, 3, "mem") &&
		    is_digit((unsigned char)t.p[3])) {
			/* efi_clean_memmap()'s warnings about entries it then removes. */
			if (ends_with(s, len, "(invalid)"))
				return ML_INVALID;
			if (len > PARSE_MAX_MAP_LINE)
				return too_long(len, why, why_size);
			t.p += 3;
			ok = read_indexed(&t, ml);
		} else if (t.end - t.p >= 3 && equal_ci(t.p, 2, "0x") &&
			   hex_value((unsigned char)t.p[2]) >= 0) {
			if (len > PARSE_MAX_MAP_LINE)
				return too_long(len, why, why_size);
			ok = read_arm64(&t, ml);
		} else {
			continue;
		}
		return ok ? ML_ENTRY : ML_ERROR;
	}
	/*
	 * "efi: m..." with a range but no memNN: a map line whose index was
	 * damaged ("efi: Remove mem03: MMIO range=[...]" is another message).
	 */
	if (find(s, len, "range=[")) {
		for (size_t i = 0; i + 4 <= len; i++) {
			struct cursor t = c;

			if (!equal_ci(s + i, 4, "efi:"))
				continue;
			t.p = s + i + 4;
			skip_blanks(&t);
			if (t.p == s + i + 4 || lower(peek(&t)) != 'm' ||
			    (t.end - t.p >= 7 && equal_ci(t.p, 7, "memattr")))
				continue;
			if (len > PARSE_MAX_MAP_LINE)
				return too_long(len, why, why_size);
			snprintf(why, why_size,
				 "an 'efi:' line with a range but no readable memNN: before it");
			return ML_ERROR;
		}
	}
	summary = find(s, len, "efimap: map: entries=");
	if (summary) {
		c.p = summary + strlen("efimap: map: entries=");
		memset(sum, 0, sizeof(*sum));
		if (!read_summary(&c, sum)) {
			char inner[200];

			snprintf(inner, sizeof(inner), "%s", why);
			snprintf(why, why_size, "efimap summary line: %s", inner);
			return ML_ERROR;
		}
		return ML_SUMMARY;
	}
	if (find(s, len, "Linux version ") || find(s, len, "efimap: stub: UEFI "))
		return ML_BOOT;
	if (find(s, len, "EFI runtime memory map:"))
		return ML_RUNTIME_HEADER;
	if (find(s, len, "efimap: kernel core entered"))
		return ML_KERNEL_ENTRY;
	if (find(s, len, "[Firmware Bug]") && (find(s, len, "efi") || find(s, len, "EFI")))
		return ML_FW_BUG;
	return ML_NONE;
}
