// SPDX-License-Identifier: BSD-2-Clause
/*
 * The report builder: bounded, no allocation, built for the host too (the
 * unit tests run it under ASan). Lines are kept whole; when they do not
 * fit, the first ones (what the machine is, how it booted) and the newest
 * ones (the verdict) win, and the gap between them says how many lines it
 * stands for, so a shortened report never looks complete.
 */
#include "kernel/efi_status.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "lib/string.h"

/* After the first overflow the head plus one new line must still fit. */
_Static_assert(REPORT_HEAD_BYTES + REPORT_LINE_MAX <= REPORT_BUF_BYTES, "report head too big");

/* Length of the line starting at buf[at], its newline included. */
static u32 line_len_at(const struct report *r, u32 at)
{
	u32 n = 0;

	while (at + n < r->len && r->buf[at + n] != '\n')
		n++;
	return at + n < r->len ? n + 1 : n;
}

/* The first overflow: keep the whole lines that end within REPORT_HEAD_BYTES. */
static void close_head(struct report *r)
{
	u32 at = 0;

	while (at < r->len) {
		u32 n = line_len_at(r, at);

		if (at + n > REPORT_HEAD_BYTES)
			break;
		at += n;
	}
	r->gap = at;
	r->overflowed = true;
}

/* Drop the oldest line after the head. */
static void drop_after_head(struct report *r)
{
	u32 n = line_len_at(r, r->gap);

	memmove(r->buf + r->gap, r->buf + r->gap + n, r->len - r->gap - n);
	r->len -= n;
	r->dropped++;
}

void report_add_line(struct report *r, const char *line)
{
	char clean[REPORT_LINE_MAX];
	size_t len = strlen(line), n;

	/* A trailing newline of the caller's is not a second line. */
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	/* REPORT_LINE_MAX - 1 characters of text at most, then the newline. */
	n = len < REPORT_LINE_MAX - 1 ? len : REPORT_LINE_MAX - 1;
	for (size_t i = 0; i < n; i++)
		clean[i] = (line[i] < 0x20 || line[i] > 0x7e) ? '?' : line[i];
	if (n < len) /* cut: say so */
		memcpy(clean + n - 3, "...", 3);
	clean[n++] = '\n';

	if (r->len + n > sizeof(r->buf)) {
		if (!r->overflowed)
			close_head(r);
		/* Ends: the head is at most REPORT_HEAD_BYTES, far below the buffer. */
		while (r->len + n > sizeof(r->buf) && r->len > r->gap)
			drop_after_head(r);
	}
	memcpy(r->buf + r->len, clean, n);
	r->len += (u32)n;
	if (!r->overflowed)
		r->gap = r->len;
}

/* Newlines in buf[from..to): the number of whole lines there. */
static u32 count_lines(const char *buf, u32 from, u32 to)
{
	u32 lines = 0;

	for (u32 i = from; i < to; i++)
		lines += buf[i] == '\n';
	return lines;
}

static size_t put_marker(char *out, u32 left_out)
{
	return (size_t)fmt_snprintf(out, REPORT_MARKER_MAX, "... %u lines left out here ...\n",
				    left_out);
}

size_t report_render(const struct report *r, char *out, size_t limit)
{
	u32 head_end, tail_start, tail_budget, budget, left_out;
	size_t n = 0;

	if (limit < REPORT_MIN_BYTES)
		return 0;
	if (limit > REPORT_MAX_BYTES)
		limit = REPORT_MAX_BYTES;

	/* Everything fits: the usual case. */
	if (r->len + (r->dropped ? REPORT_MARKER_MAX : 0) <= limit) {
		memcpy(out, r->buf, r->gap);
		n = r->gap;
		if (r->dropped)
			n += put_marker(out + n, r->dropped);
		memcpy(out + n, r->buf + r->gap, r->len - r->gap);
		return n + r->len - r->gap;
	}

	/*
	 * Shorter than what was kept (the firmware allows smaller variables):
	 * the newest lines get a quarter, the first lines the rest. Neither
	 * side crosses an existing gap, so one marker counts every line left out.
	 */
	budget = (u32)limit - REPORT_MARKER_MAX;
	tail_budget = budget / 4;
	tail_start = r->len;
	while (tail_start > r->gap || (!r->dropped && tail_start > 0)) {
		u32 start = tail_start - 1;

		while (start > 0 && r->buf[start - 1] != '\n')
			start--;
		if (r->len - start > tail_budget || (r->dropped && start < r->gap))
			break;
		tail_start = start;
	}
	head_end = 0;
	while (head_end < (r->dropped ? r->gap : tail_start)) {
		u32 len = line_len_at(r, head_end);

		if (head_end + len + (r->len - tail_start) > budget || head_end + len > tail_start)
			break;
		head_end += len;
	}
	left_out = r->dropped + count_lines(r->buf, head_end, tail_start);

	memcpy(out, r->buf, head_end);
	n = head_end;
	if (left_out)
		n += put_marker(out + n, left_out);
	memcpy(out + n, r->buf + tail_start, r->len - tail_start);
	return n + r->len - tail_start;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool report_wants_line(const char *line)
{
	const char *p;

	if (starts_with(line, "efimap: ")) {
		p = line + strlen("efimap: ");
		if (!*p || *p == ':')
			return false;
		for (; *p && *p != ':'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
			      *p == '-'))
				return false;
		return *p == ':';
	}
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	if (starts_with(p, "not ok "))
		return true;
	return starts_with(p, "# ") && !starts_with(p, "# Subtest:");
}

/* "# file.c:123: ..." (a failed check's diagnostic, tests/ktap.c) at p[0..len)? */
static bool is_failure_diagnostic(const char *p, u32 len)
{
	u32 i = 2;

	if (len < 2 || p[0] != '#' || p[1] != ' ')
		return false;
	while (i < len && p[i] != ':' && p[i] != ' ')
		i++;
	if (i + 1 >= len || p[i] != ':' || p[i + 1] < '0' || p[i + 1] > '9')
		return false;
	return i > 4 && p[i - 2] == '.' && p[i - 1] == 'c';
}

/* Lines a shortened report keeps before any other: what the run concluded and why. */
static bool report_line_essential(const char *line, u32 len)
{
	static const char *const keep[] = {
		"efimap: verdict:", "efimap: finding:", "efimap: report:",     "efimap: run:",
		"efimap: inject:",  "not ok ",		"# firmware findings:"
	};
	u32 i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	for (size_t k = 0; k < ARRAY_SIZE(keep); k++) {
		size_t n = strlen(keep[k]);

		if (len - i >= n && !memcmp(line + i, keep[k], n))
			return true;
	}
	return is_failure_diagnostic(line + i, len - i);
}

size_t report_render_fit(const struct report *r, char *out, size_t limit, u32 *left_out)
{
	u32 at, len, must = 0, optional = 0, before = 0, cutoff = 0, omit = 0;
	size_t n = 0, budget;
	bool marked = false;

	*left_out = 0;
	if (limit < REPORT_MIN_BYTES)
		return 0;
	if (r->len + (r->dropped ? REPORT_MARKER_MAX : 0) <= limit)
		return report_render(r, out, limit);
	for (at = 0; at < r->len; at += len) {
		len = line_len_at(r, at);
		if (report_line_essential(r->buf + at, len))
			must += len;
		else
			optional += len;
	}
	if (must + 2 * REPORT_MARKER_MAX > limit || limit > REPORT_MAX_BYTES) {
		/* Even the essential lines do not fit: first and newest lines, as ever. */
		n = report_render(r, out, limit);
		*left_out = r->dropped + count_lines(r->buf, 0, r->len) + 1 -
			    count_lines(out, 0, (u32)n);
		return n;
	}
	/* The other lines go oldest first: keep those from the first one after which all fit. */
	budget = limit - must - 2 * REPORT_MARKER_MAX;
	cutoff = r->len;
	for (at = 0; at < r->len; at += len) {
		len = line_len_at(r, at);
		if (report_line_essential(r->buf + at, len))
			continue;
		if (optional - before <= budget) {
			cutoff = at;
			break;
		}
		before += len;
		omit++;
	}
	for (at = 0; at < r->len; at += len) {
		len = line_len_at(r, at);
		if (at == r->gap && r->dropped)
			n += put_marker(out + n, r->dropped);
		if (at < cutoff && !report_line_essential(r->buf + at, len)) {
			if (!marked)
				n += (size_t)fmt_snprintf(out + n, REPORT_MARKER_MAX,
							  "... %u older lines left out here ...\n",
							  omit);
			marked = true;
			continue;
		}
		memcpy(out + n, r->buf + at, len);
		n += len;
	}
	*left_out = r->dropped + omit;
	return n;
}
