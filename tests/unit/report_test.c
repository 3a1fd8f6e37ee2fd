// SPDX-License-Identifier: BSD-2-Clause
/* kernel/report.c: the bounded run report, and kernel/efi_status.c names. */
#include "kernel/efi_status.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

/* Big enough for every report, in .bss: the guest's stack is small. */
static struct report rep;
static char out[REPORT_MAX_BYTES + 1];

static void add_numbered(u32 from, u32 count)
{
	char line[32];

	for (u32 i = from; i < from + count; i++) {
		fmt_snprintf(line, sizeof(line), "efimap: line %04u", i);
		report_add_line(&rep, line);
	}
}

/* Parse "efimap: line NNNN" at p; -1 if the line is something else. */
static int line_number(const char *p, size_t len)
{
	int v = 0;

	if (len != 17 || strncmp(p, "efimap: line ", 13))
		return -1;
	for (int i = 13; i < 17; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* Parse the marker "... N lines left out here ..."; 0 on success. */
static int marker_count(const char *p, size_t len, unsigned int *k)
{
	static const char tail[] = " lines left out here ...";
	size_t i = 4;

	*k = 0;
	if (len < 4 + 1 + sizeof(tail) - 1 || strncmp(p, "... ", 4))
		return -1;
	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++)
		*k = *k * 10 + (unsigned int)(p[i] - '0');
	if (i == 4 || len - i != sizeof(tail) - 1 || strncmp(p + i, tail, sizeof(tail) - 1))
		return -1;
	return 0;
}

/*
 * The shape every shortened report must have: lines 0..h-1, one marker
 * "... N lines left out here ...", then lines h+N..total-1, and no more
 * than limit bytes. Returns N (0 when no marker), -1 on a bad shape.
 */
static int check_shape(struct ktap_test *t, const char *text, size_t n, u32 total, size_t limit)
{
	int expect = 0, left_out = 0, markers = 0;
	size_t i = 0;

	KT_EXPECT(t, n <= limit);
	KT_EXPECT(t, n > 0 && text[n - 1] == '\n');
	while (i < n) {
		size_t len = 0;
		int v;

		while (i + len < n && text[i + len] != '\n')
			len++;
		v = line_number(text + i, len);
		if (v < 0) {
			unsigned int k;

			if (markers++ || marker_count(text + i, len, &k))
				return -1;
			left_out = (int)k;
			expect += left_out;
		} else if (v != expect++) {
			return -1;
		}
		i += len + 1;
	}
	return expect == (int)total ? left_out : -1;
}

static void empty_report(struct ktap_test *t)
{
	memset(&rep, 0, sizeof(rep));
	KT_EXPECT_EQ(t, report_render(&rep, out, REPORT_MAX_BYTES), 0);
}

static void lines_in_order(struct ktap_test *t)
{
	memset(&rep, 0, sizeof(rep));
	report_add_line(&rep, "efimap: map: entries=3");
	report_add_line(&rep,
			"efimap: verdict: passed=1 failed=0\n"); /* its newline is not doubled */
	KT_EXPECT_EQ(t, report_render(&rep, out, REPORT_MAX_BYTES), 58);
	out[58] = '\0';
	KT_EXPECT_STREQ(t, out, "efimap: map: entries=3\nefimap: verdict: passed=1 failed=0\n");
}

static void unprintable_characters(struct ktap_test *t)
{
	size_t n;

	memset(&rep, 0, sizeof(rep));
	report_add_line(&rep, "a\tb\x01\xff\r\nc");
	n = report_render(&rep, out, REPORT_MAX_BYTES);
	out[n] = '\0';
	KT_EXPECT_STREQ(t, out, "a?b????c\n");
}

static void long_line_is_cut(struct ktap_test *t)
{
	char line[REPORT_LINE_MAX * 2];
	size_t n;

	memset(&rep, 0, sizeof(rep));
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	report_add_line(&rep, line);
	n = report_render(&rep, out, REPORT_MAX_BYTES);
	KT_EXPECT_EQ(t, n, REPORT_LINE_MAX);
	KT_EXPECT(t, !memcmp(out + REPORT_LINE_MAX - 4, "...\n", 4));
	KT_EXPECT_EQ(t, out[REPORT_LINE_MAX - 5], 'x');

	/* Exactly the longest line: kept whole. */
	memset(&rep, 0, sizeof(rep));
	line[REPORT_LINE_MAX - 1] = '\0';
	report_add_line(&rep, line);
	n = report_render(&rep, out, REPORT_MAX_BYTES);
	KT_EXPECT_EQ(t, n, REPORT_LINE_MAX);
	KT_EXPECT(t, !memcmp(out + REPORT_LINE_MAX - 4, "xxx\n", 4));
}

static void fills_exactly_without_marker(struct ktap_test *t)
{
	char line[REPORT_LINE_MAX];
	u32 lines = REPORT_BUF_BYTES / 63 - 1; /* leaves 63..125 bytes for one last line */

	memset(&rep, 0, sizeof(rep));
	memset(line, 'y', sizeof(line));
	line[62] = '\0';
	for (u32 i = 0; i < lines; i++)
		report_add_line(&rep, line);
	/* The rest of the buffer, exactly. */
	line[62] = 'y';
	line[REPORT_BUF_BYTES - lines * 63 - 1] = '\0';
	report_add_line(&rep, line);
	KT_EXPECT_EQ(t, rep.len, REPORT_BUF_BYTES);
	KT_EXPECT_EQ(t, rep.dropped, 0);
	KT_EXPECT_EQ(t, report_render(&rep, out, REPORT_MAX_BYTES), REPORT_BUF_BYTES);
	/* One more line overflows: the oldest lines after the head go, and are counted. */
	report_add_line(&rep, "z");
	KT_EXPECT(t, rep.dropped >= 1);
	KT_EXPECT(t, rep.gap <= REPORT_HEAD_BYTES);
}

static void overflow_keeps_head_and_newest(struct ktap_test *t)
{
	size_t n;
	int left_out;

	memset(&rep, 0, sizeof(rep));
	add_numbered(0, 1000);
	n = report_render(&rep, out, REPORT_MAX_BYTES);
	left_out = check_shape(t, out, n, 1000, REPORT_MAX_BYTES);
	KT_EXPECT(t, left_out > 0);
	KT_EXPECT_EQ(t, (u32)left_out, rep.dropped);
	/* The head is what fitted in REPORT_HEAD_BYTES; the newest line is last. */
	KT_EXPECT(t, !strncmp(out, "efimap: line 0000\n", 18));
	KT_EXPECT(t, !strncmp(out + n - 18, "efimap: line 0999\n", 18));
	KT_EXPECT(t, n > REPORT_MAX_BYTES - 2 * 18 - REPORT_MARKER_MAX);
}

static void smaller_limit_still_has_both_ends(struct ktap_test *t)
{
	static const size_t limits[] = { REPORT_MIN_BYTES, 700, 1024, 2000, REPORT_MAX_BYTES - 1 };
	size_t n;
	int left_out;

	for (size_t k = 0; k < ARRAY_SIZE(limits); k++) {
		/* Once after an overflow (an existing gap), once without one. */
		memset(&rep, 0, sizeof(rep));
		add_numbered(0, 1000);
		n = report_render(&rep, out, limits[k]);
		left_out = check_shape(t, out, n, 1000, limits[k]);
		KT_EXPECT(t, left_out > (int)rep.dropped);
		KT_EXPECT(t, !strncmp(out, "efimap: line 0000\n", 18));
		KT_EXPECT(t, !strncmp(out + n - 18, "efimap: line 0999\n", 18));

		memset(&rep, 0, sizeof(rep));
		add_numbered(0, 150);
		n = report_render(&rep, out, limits[k]);
		left_out = check_shape(t, out, n, 150, limits[k]);
		KT_EXPECT(t, left_out >= 0);
		KT_EXPECT_EQ(t, left_out > 0, 150 * 18 > limits[k]); /* a marker only if cut */
		KT_EXPECT(t, !strncmp(out + n - 18, "efimap: line 0149\n", 18));
	}
	/* Too small to be worth storing. */
	KT_EXPECT_EQ(t, report_render(&rep, out, REPORT_MIN_BYTES - 1), 0);
	/* A limit above the maximum is the maximum. */
	memset(&rep, 0, sizeof(rep));
	add_numbered(0, 1000);
	KT_EXPECT(t, report_render(&rep, out, 1u << 20) <= REPORT_MAX_BYTES);
}

static void which_lines(struct ktap_test *t)
{
	KT_EXPECT(t, report_wants_line("efimap: map: entries=125 desc_size=48"));
	KT_EXPECT(t, report_wants_line("efimap: ebs: attempts=2"));
	KT_EXPECT(t, report_wants_line("efimap: paging: mem03 not mapped: no pages"));
	KT_EXPECT(t, report_wants_line("efimap: option: unknown option 'efimap.x=1'"));
	KT_EXPECT(t, report_wants_line("efimap: memmap-validate: overlap mem03 mem04"));
	KT_EXPECT(t, report_wants_line("not ok 10 fail"));
	KT_EXPECT(t, report_wants_line("    not ok 1 always_fails"));
	KT_EXPECT(t, report_wants_line("    # fail_test.c:12: expected 1 == 2"));
	KT_EXPECT(t, !report_wants_line("    # Subtest: map"));
	KT_EXPECT(t, !report_wants_line("    ok 1 stride_40"));
	KT_EXPECT(t, !report_wants_line("efimap: config table  0: ee4e5898-... at 0x1f4eaf98"));
	KT_EXPECT(t, !report_wants_line("efimap: kernel core entered; handoff v1"));
	KT_EXPECT(t, !report_wants_line("efi: mem00: [Boot Code   |   |"));
	KT_EXPECT(t, !report_wants_line("efimap: : empty topic"));
	KT_EXPECT(t, !report_wants_line("efimap: "));
	KT_EXPECT(t, !report_wants_line("KTAP version 1"));
}

static void status_names(struct ktap_test *t)
{
	char s[32];

	KT_EXPECT_STREQ(t, efi_status_str(s, sizeof(s), 0), "EFI_SUCCESS");
	KT_EXPECT_STREQ(t, efi_status_str(s, sizeof(s), EFIST_OUT_OF_RESOURCES),
			"EFI_OUT_OF_RESOURCES");
	KT_EXPECT_STREQ(t, efi_status_str(s, sizeof(s), EFIST_NOT_FOUND), "EFI_NOT_FOUND");
	KT_EXPECT_STREQ(t, efi_status_str(s, sizeof(s), EFI_ERR(29)), "0x800000000000001d");
	KT_EXPECT_STREQ(t, efi_status_str(s, sizeof(s), 9), "0x9"); /* a warning, not an error */
}

static void size_limits(struct ktap_test *t)
{
	struct report_var_store vs = { .known = false };

	KT_EXPECT_EQ(t, report_size_limit(&vs), REPORT_MAX_BYTES);
	vs.known = true;
	vs.max_variable = 1024; /* a small limit: name and report share it */
	KT_EXPECT_EQ(t, report_size_limit(&vs), 1024 - REPORT_VAR_NAME_BYTES);
	vs.max_variable = 0x8400;
	KT_EXPECT_EQ(t, report_size_limit(&vs), REPORT_MAX_BYTES);
	vs.max_variable = REPORT_MAX_BYTES + REPORT_VAR_NAME_BYTES;
	KT_EXPECT_EQ(t, report_size_limit(&vs), REPORT_MAX_BYTES);
	vs.max_variable = 0; /* OVMF says 0 once the store is full: no limit to go by */
	KT_EXPECT_EQ(t, report_size_limit(&vs), REPORT_MAX_BYTES);
}

static void retry_limits(struct ktap_test *t)
{
	struct report_var_store vs = { .known = true, .remaining = 2000 };

	/* Full store with room left: what is free, less a header's worth. */
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_OUT_OF_RESOURCES, &vs, 4000),
		     2000 - 128 - REPORT_VAR_NAME_BYTES);
	/* Already that small, or too little room for a useful report: no retry. */
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_OUT_OF_RESOURCES, &vs, 1000), 0);
	vs.remaining = 300;
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_OUT_OF_RESOURCES, &vs, 4000), 0);
	vs.remaining = 2000;
	vs.known = false;
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_OUT_OF_RESOURCES, &vs, 4000), 0);
	/* Refused as too big: once more at 900 bytes. */
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_INVALID_PARAMETER, &vs, 4000), 900);
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_INVALID_PARAMETER, &vs, 800), 0);
	KT_EXPECT_EQ(t, report_retry_limit(EFIST_WRITE_PROTECTED, &vs, 4000), 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(empty_report),
	KTAP_CASE(lines_in_order),
	KTAP_CASE(unprintable_characters),
	KTAP_CASE(long_line_is_cut),
	KTAP_CASE(fills_exactly_without_marker),
	KTAP_CASE(overflow_keeps_head_and_newest),
	KTAP_CASE(smaller_limit_still_has_both_ends),
	KTAP_CASE(size_limits),
	KTAP_CASE(retry_limits),
	KTAP_CASE(which_lines),
	KTAP_CASE(status_names),
};

KTAP_SUITE(report_suite, "report", cases);
