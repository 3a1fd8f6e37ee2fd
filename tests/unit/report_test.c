// SPDX-License-Identifier: BSD-2-Clause
/* kernel/report.c: the bounded run report; kernel/run_store.c: what of it is stored; status names.
 */
#include "kernel/efi_status.h"
#include "kernel/report.h"
#include "kernel/run_store.h"
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

/* Lines of 18 bytes enough to overflow the buffer by 600 lines. */
#define OVER (REPORT_BUF_BYTES / 18 + 600)

static void overflow_keeps_head_and_newest(struct ktap_test *t)
{
	char last[24];
	size_t n;
	int left_out;

	fmt_snprintf(last, sizeof(last), "efimap: line %04u\n", OVER - 1);

	memset(&rep, 0, sizeof(rep));
	add_numbered(0, OVER);
	n = report_render(&rep, out, REPORT_MAX_BYTES);
	left_out = check_shape(t, out, n, OVER, REPORT_MAX_BYTES);
	KT_EXPECT(t, left_out > 0);
	KT_EXPECT_EQ(t, (u32)left_out, rep.dropped);
	/* The head is what fitted in REPORT_HEAD_BYTES; the newest line is last. */
	KT_EXPECT(t, !strncmp(out, "efimap: line 0000\n", 18));
	KT_EXPECT(t, !strncmp(out + n - 18, last, 18));
	KT_EXPECT(t, n > REPORT_MAX_BYTES - 2 * 18 - REPORT_MARKER_MAX);
}

static void smaller_limit_still_has_both_ends(struct ktap_test *t)
{
	static const size_t limits[] = { REPORT_MIN_BYTES, 700, 1024, 2000, REPORT_BUF_BYTES - 1 };
	char last[24];
	size_t n;
	int left_out;

	fmt_snprintf(last, sizeof(last), "efimap: line %04u\n", OVER - 1);

	for (size_t k = 0; k < ARRAY_SIZE(limits); k++) {
		/* Once after an overflow (an existing gap), once without one. */
		memset(&rep, 0, sizeof(rep));
		add_numbered(0, OVER);
		n = report_render(&rep, out, limits[k]);
		left_out = check_shape(t, out, n, OVER, limits[k]);
		KT_EXPECT(t, left_out > (int)rep.dropped);
		KT_EXPECT(t, !strncmp(out, "efimap: line 0000\n", 18));
		KT_EXPECT(t, !strncmp(out + n - 18, last, 18));

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
	add_numbered(0, OVER);
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

/*
 * kernel/run_store.h's rule, worked by hand: variables of at most
 * MaximumVariableSize - 24 (the name) data bytes, capped at 32 KiB, each
 * costing 24 + 96 more, and 5120 bytes left free.
 */
static void store_capacity(struct ktap_test *t)
{
	struct report_var_store vs = { .known = false };
	u32 chunk;

	KT_EXPECT_EQ(t, run_store_capacity(&vs, &chunk), 4096);
	KT_EXPECT_EQ(t, chunk, 900);
	/* 64 KiB free, 8 KiB variables: 8 of 8168 would be 65344, but 8 cost 960: 59456. */
	vs = (struct report_var_store){ .known = true, .remaining = 65536, .max_variable = 8192 };
	KT_EXPECT_EQ(t, run_store_capacity(&vs, &chunk), 59456);
	KT_EXPECT_EQ(t, chunk, 8168);
	/* 6000 free: 880 above the margin, one variable costs 120 of it. */
	vs.remaining = 6000;
	KT_EXPECT_EQ(t, run_store_capacity(&vs, &chunk), 760);
	vs.remaining = 5120; /* exactly the margin: nothing */
	KT_EXPECT_EQ(t, run_store_capacity(&vs, &chunk), 0);
	/* A huge store: 64 variables of 32 KiB at most. */
	vs = (struct report_var_store){ .known = true,
					.remaining = 1ull << 32,
					.max_variable = 1u << 20 };
	KT_EXPECT_EQ(t, run_store_capacity(&vs, &chunk), 64u * 32768);
	KT_EXPECT_EQ(t, chunk, 32768);
	vs.max_variable = 0; /* OVMF says 0 once the store is full */
	KT_EXPECT_EQ(t, run_store_capacity(&vs, &chunk), 0);
}

static void store_plan(struct ktap_test *t)
{
	struct report_var_store vs = { .known = true, .remaining = 65536, .max_variable = 8192 };
	struct run_store_plan p;

	/* 59456 allowed: header 168 + 6640 text + 5000 map fit. */
	run_store_plan(&vs, 6000, 5000, 640, &p);
	KT_EXPECT_EQ(t, p.map, true);
	KT_EXPECT_EQ(t, p.text_limit, 6640);
	/* 8000 allowed (13240 - 5120 - 120, in one variable): no map, the text whole. */
	vs.remaining = 13240;
	run_store_plan(&vs, 6000, 5000, 640, &p);
	KT_EXPECT_EQ(t, p.capacity, 8000);
	KT_EXPECT_EQ(t, p.map, false);
	KT_EXPECT_EQ(t, p.text_limit, 6640);
	/* 2000 allowed (7240 - 5120 - 120): the text cut to 2000 - 168. */
	vs.remaining = 7240;
	run_store_plan(&vs, 6000, 5000, 640, &p);
	KT_EXPECT_EQ(t, p.capacity, 2000);
	KT_EXPECT_EQ(t, p.map, false);
	KT_EXPECT_EQ(t, p.text_limit, 1832);
	/* 400 allowed: not even 168 + 256: nothing. */
	vs.remaining = 5640;
	run_store_plan(&vs, 6000, 5000, 640, &p);
	KT_EXPECT_EQ(t, p.text_limit, 0);
	u16 name[RUN_VAR_NAME_CHARS];

	run_store_var_name(name, 7);
	KT_EXPECT_EQ(t, name[9], '0');
	KT_EXPECT_EQ(t, name[10], '7');
	KT_EXPECT_EQ(t, name[11], 0);
}

/* What the stub accepts from the variables: sizes that add up, files inside, plain names. */
static void stored_header_checked(struct ktap_test *t)
{
	struct run_store_header h, bad;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, "EFIMAPR", 8);
	h.version = 1;
	h.header_size = sizeof(h);
	h.nr_vars = 2;
	h.chunk_size = 200;
	h.total_size = sizeof(h) + 140; /* 308: 200 in EfimapRun00, 108 in EfimapRun01 */
	h.nr_files = 2;
	memcpy(h.files[0].name, "report.txt", 11);
	h.files[0].offset = sizeof(h);
	h.files[0].size = 100;
	memcpy(h.files[1].name, "map-final.efimapd", 18);
	h.files[1].offset = sizeof(h) + 100;
	h.files[1].size = 40;
	KT_EXPECT(t, sizeof(h) == 168);
	KT_EXPECT(t, run_store_check_header(&h, sizeof(h)) == NULL);
	KT_EXPECT(t, run_store_check_header(&h, sizeof(h) - 1) != NULL); /* EfimapRun00 too short */
	bad = h;
	bad.magic[0] = 'X';
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.version = 2;
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.nr_vars = 3; /* the third variable would be empty */
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.chunk_size = 150; /* 2 * 150 < 308 */
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.nr_vars = 65;
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.files[1].size = 41; /* one byte past the blob */
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.files[0].offset = 8; /* inside the header */
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	memcpy(bad.files[0].name, "..\\x.txt", 9); /* would name a path on the stick */
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	memset(bad.files[0].name, 'a', sizeof(bad.files[0].name)); /* no NUL */
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
	bad = h;
	bad.nr_files = 5;
	KT_EXPECT(t, run_store_check_header(&bad, sizeof(bad)) != NULL);
}

/*
 * A store with room for 5 of 41 ordinary lines: the finding, the failure
 * with its diagnostic and the verdict stay, the 5 newest ordinary lines
 * stay, one marker counts the other 36 (a KTAP comment that is not a
 * failure's diagnostic among them).
 */
static void fit_keeps_conclusions(struct ktap_test *t)
{
	static const char finding[] = "efimap: finding: warning: x: y";
	static const char not_ok[] = "not ok 3 x";
	static const char diag[] = "    # x_test.c:42: expected y";
	static const char verdict[] = "efimap: verdict: passed=1 failed=0";
	char want[640];
	size_t n, limit, w = 0;
	u32 left;

	memset(&rep, 0, sizeof(rep));
	add_numbered(0, 10);
	report_add_line(&rep, finding);
	report_add_line(&rep, not_ok);
	report_add_line(&rep, diag);
	report_add_line(&rep, "# time boot us=5");
	add_numbered(10, 30);
	report_add_line(&rep, verdict);
	/* Each "efimap: line NNNN\n" is 18 bytes; two markers' room, and 3 bytes to spare. */
	limit = sizeof(finding) + sizeof(not_ok) + sizeof(diag) + sizeof(verdict) +
		2 * REPORT_MARKER_MAX + 5 * 18 + 3;
	n = report_render_fit(&rep, out, limit, &left);
	w += (size_t)fmt_snprintf(want + w, sizeof(want) - w,
				  "... 36 older lines left out here ...\n%s\n%s\n%s\n", finding,
				  not_ok, diag);
	for (u32 i = 35; i < 40; i++)
		w += (size_t)fmt_snprintf(want + w, sizeof(want) - w, "efimap: line %04u\n", i);
	w += (size_t)fmt_snprintf(want + w, sizeof(want) - w, "%s\n", verdict);
	KT_EXPECT_EQ(t, left, 36);
	KT_EXPECT_EQ(t, n, w);
	KT_EXPECT(t, n <= limit);
	out[n] = '\0';
	KT_EXPECT_STREQ(t, out, want);
	/* Room for everything: the report as it is, nothing left out. */
	n = report_render_fit(&rep, out, REPORT_MAX_BYTES, &left);
	KT_EXPECT_EQ(t, left, 0);
	KT_EXPECT_EQ(t, n, rep.len);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(empty_report),
	KTAP_CASE(lines_in_order),
	KTAP_CASE(unprintable_characters),
	KTAP_CASE(long_line_is_cut),
	KTAP_CASE(fills_exactly_without_marker),
	KTAP_CASE(overflow_keeps_head_and_newest),
	KTAP_CASE(smaller_limit_still_has_both_ends),
	KTAP_CASE(store_capacity),
	KTAP_CASE(store_plan),
	KTAP_CASE(fit_keeps_conclusions),
	KTAP_CASE(stored_header_checked),
	KTAP_CASE(which_lines),
	KTAP_CASE(status_names),
};

KTAP_SUITE(report_suite, "report", cases);
