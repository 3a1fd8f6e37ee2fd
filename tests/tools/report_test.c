// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host tool's own formatting and bookkeeping (tools/ files other than
 * the parser): UTF-8 validation and JSON/XML escaping, the JSON writer's
 * layout, sizes and attribute names, the --window grammar, indexed copies
 * surviving the sort, findings mapped back to input entries and lines,
 * the boot-services arithmetic of `plan`, and the SVG's widths and
 * determinism.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap/layout.h"
#include "tests/tools/suites.h"
#include "tests/unit/mapbuild.h"
#include "tools/describe.h"
#include "tools/escape.h"
#include "tools/findings.h"
#include "tools/json.h"
#include "tools/mapcopy.h"
#include "tools/svg.h"
#include "tools/window.h"

#define RAM (MM_ATTR_UC | MM_ATTR_WC | MM_ATTR_WT | MM_ATTR_WB)

/* Output captured in memory: open, write, then close to read it. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static const char *capture_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static const char *json_of(struct capture *c, const char *s)
{
	json_write_string(capture_open(c), s);
	return capture_close(c);
}

static const char *xml_of(struct capture *c, const char *s)
{
	xml_write_text(capture_open(c), s);
	return capture_close(c);
}

static void utf8_sequences(struct ktap_test *t)
{
	static const struct {
		const char *bytes;
		size_t want;
	} cases[] = {
		{ "A", 1 },
		{ "\xc3\xa9", 2 },	   /* e acute */
		{ "\xe2\x82\xac", 3 },	   /* euro sign */
		{ "\xf0\x9f\x98\x80", 4 }, /* an emoji, U+1F600 */
		{ "\xf4\x8f\xbf\xbf", 4 }, /* U+10FFFF, the last code point */
		{ "\xc0\x80", 0 },	   /* overlong NUL */
		{ "\xc1\xbf", 0 },	   /* overlong */
		{ "\xe0\x80\x80", 0 },	   /* overlong 3-byte */
		{ "\xed\xa0\x80", 0 },	   /* surrogate U+D800 */
		{ "\xf0\x80\x80\x80", 0 }, /* overlong 4-byte */
		{ "\xf4\x90\x80\x80", 0 }, /* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 0 }, /* no such lead byte */
		{ "\x80", 0 },		   /* lone continuation */
		{ "\xe2\x82", 0 },	   /* truncated */
		{ "\xe2\x28\xa1", 0 },	   /* bad continuation */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const unsigned char *b = (const unsigned char *)cases[i].bytes;

		KT_EXPECT_EQ(t, utf8_seq_len(b, strlen(cases[i].bytes)), cases[i].want);
	}
	KT_EXPECT_EQ(t, utf8_seq_len((const unsigned char *)"\xe2\x82\xac", 2), 0);
	KT_EXPECT_EQ(t, utf8_seq_len((const unsigned char *)"", 0), 0);
}

static void json_string_escaping(struct ktap_test *t)
{
	struct capture c;

	KT_EXPECT_STREQ(t, json_of(&c, "plain"), "\"plain\"");
	free(c.buf);
	KT_EXPECT_STREQ(t, json_of(&c, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	free(c.buf);
	KT_EXPECT_STREQ(t, json_of(&c, "\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
	free(c.buf);
	KT_EXPECT_STREQ(t, json_of(&c, "\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	free(c.buf);
	/* Valid UTF-8 stays as it is; invalid bytes become their Latin-1 code point. */
	KT_EXPECT_STREQ(t, json_of(&c, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	free(c.buf);
	KT_EXPECT_STREQ(t, json_of(&c, "x\xff\xc3y"), "\"x\\u00ff\\u00c3y\"");
	free(c.buf);
	KT_EXPECT_STREQ(t, json_of(&c, "\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");
	free(c.buf);
	KT_EXPECT_STREQ(t, json_of(&c, ""), "\"\"");
	free(c.buf);
}

static void xml_text_escaping(struct ktap_test *t)
{
	struct capture c;

	KT_EXPECT_STREQ(t, xml_of(&c, "<a href=\"x\">&'</a>"),
			"&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
	free(c.buf);
	/* Characters XML 1.0 forbids even as references, and invalid UTF-8, become '?'. */
	KT_EXPECT_STREQ(t,
			xml_of(&c, "a\x01"
				   "b\x1b\tc\xff\xef\xbf\xbe"
				   "d"),
			"a?b?\tc??d");
	free(c.buf);
	KT_EXPECT_STREQ(t, xml_of(&c, "\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
	free(c.buf);
}

static void json_writer_layout(struct ktap_test *t)
{
	struct json_writer j;
	struct capture c;

	json_init(&j, capture_open(&c));
	json_object(&j, false);
	json_kv_str(&j, "file", "a.log");
	json_kv_u64(&j, "entries", 2);
	json_key(&j, "findings");
	json_array(&j, false);
	json_object(&j, true);
	json_kv_str(&j, "check", "overlap");
	json_kv_hex(&j, "value", 0x10);
	json_key(&j, "list");
	json_array(&j, false); /* inside an inline object: inline too */
	json_u64(&j, 1);
	json_null(&j);
	json_end(&j);
	json_end(&j);
	json_object(&j, true);
	json_end(&j);
	json_end(&j);
	json_key(&j, "empty");
	json_array(&j, false);
	json_end(&j);
	json_kv_bool(&j, "ok", true);
	json_end(&j);
	KT_EXPECT_STREQ(t, capture_close(&c),
			"{\n"
			"  \"file\": \"a.log\",\n"
			"  \"entries\": 2,\n"
			"  \"findings\": [\n"
			"    {\"check\": \"overlap\", \"value\": \"0x0000000000000010\", "
			"\"list\": [1, null]},\n"
			"    {}\n"
			"  ],\n"
			"  \"empty\": [],\n"
			"  \"ok\": true\n"
			"}\n");
	free(c.buf);
}

static void sizes_for_people(struct ktap_test *t)
{
	char b[32];

	describe_size(b, sizeof(b), 0);
	KT_EXPECT_STREQ(t, b, "0 B");
	describe_size(b, sizeof(b), 1023);
	KT_EXPECT_STREQ(t, b, "1023 B");
	describe_pages(b, sizeof(b), 1);
	KT_EXPECT_STREQ(t, b, "4 KiB");
	describe_pages(b, sizeof(b), 160);
	KT_EXPECT_STREQ(t, b, "640 KiB");
	describe_pages(b, sizeof(b), 384);
	KT_EXPECT_STREQ(t, b, "1.5 MiB");
	describe_pages(b, sizeof(b), 257);
	KT_EXPECT_STREQ(t, b, "1 MiB"); /* 1.0039: truncated to two decimals */
	describe_pages(b, sizeof(b), 260);
	KT_EXPECT_STREQ(t, b, "1.01 MiB");
	describe_pages(b, sizeof(b), 262143);
	KT_EXPECT_STREQ(t, b, "1023.99 MiB"); /* never rounded up to 1 GiB */
	describe_size(b, sizeof(b), 64ULL << 30);
	KT_EXPECT_STREQ(t, b, "64 GiB");
	describe_size(b, sizeof(b), ~0ULL);
	KT_EXPECT_STREQ(t, b, "15.99 EiB");
	describe_pages(b, sizeof(b), ~0ULL); /* 2^76 - 4096 bytes: past 64 bits */
	KT_EXPECT_STREQ(t, b, "63.99 ZiB");
}

static void attribute_names(struct ktap_test *t)
{
	char b[128];

	describe_attrs(b, sizeof(b), 0);
	KT_EXPECT_STREQ(t, b, "none");
	describe_attrs(b, sizeof(b), RAM);
	KT_EXPECT_STREQ(t, b, "UC|WC|WT|WB");
	describe_attrs(b, sizeof(b), MM_ATTR_UC | MM_ATTR_RUNTIME);
	KT_EXPECT_STREQ(t, b, "UC|RUN");
	describe_attrs(b, sizeof(b),
		       MM_ATTR_WB | MM_ATTR_XP | MM_ATTR_RO | MM_ATTR_SP | MM_ATTR_CPU_CRYPTO |
			       MM_ATTR_HOT_PLUGGABLE);
	KT_EXPECT_STREQ(t, b, "WB|XP|RO|SP|CC|HP");
	/* Bits nobody defined are one hex value, after the names. */
	describe_attrs(b, sizeof(b), MM_ATTR_WB | (1ULL << 8) | (1ULL << 40));
	KT_EXPECT_STREQ(t, b, "WB|0x10000000100");
	describe_attrs(b, sizeof(b), MM_ATTR_ISA_VALID | (0x12ULL << 44));
	KT_EXPECT_STREQ(t, b, "ISA_VALID|ISA=0x12");
	/* Truncation still terminates and reports the full length. */
	KT_EXPECT_EQ(t, describe_attrs(b, 6, RAM), strlen("UC|WC|WT|WB"));
	KT_EXPECT_STREQ(t, b, "UC|WC");
}

static void type_names(struct ktap_test *t)
{
	char b[40];

	describe_type(b, sizeof(b), MM_CONVENTIONAL);
	KT_EXPECT_STREQ(t, b, "Conventional");
	describe_type(b, sizeof(b), 16);
	KT_EXPECT_STREQ(t, b, "reserved type 16");
	describe_type(b, sizeof(b), 0x6fffffff);
	KT_EXPECT_STREQ(t, b, "reserved type 1879048191");
	describe_type(b, sizeof(b), 0x70000001);
	KT_EXPECT_STREQ(t, b, "OEM type 0x70000001");
	describe_type(b, sizeof(b), 0x80000000);
	KT_EXPECT_STREQ(t, b, "OS type 0x80000000");
}

static void last_bytes(struct ktap_test *t)
{
	struct mm_desc md = { .phys_addr = 0x1000, .num_pages = 2 };
	char b[40];

	KT_EXPECT(t, describe_last_byte(b, sizeof(b), &md));
	KT_EXPECT_STREQ(t, b, "0x0000000000002fff");
	md.num_pages = 0;
	KT_EXPECT(t, !describe_last_byte(b, sizeof(b), &md));
	KT_EXPECT_STREQ(t, b, "-");
	md.phys_addr = 0xfffffffffffff000ULL;
	md.num_pages = 1; /* ends exactly at 2^64: fine */
	describe_last_byte(b, sizeof(b), &md);
	KT_EXPECT_STREQ(t, b, "0xffffffffffffffff");
	md.num_pages = 2; /* one page past 2^64 */
	describe_last_byte(b, sizeof(b), &md);
	KT_EXPECT_STREQ(t, b, "0x10000000000000fff");
}

static void numbers_with_suffixes(struct ktap_test *t)
{
	u64 v = 0;

	KT_EXPECT(t, parse_u64_suffixed("4096", &v) && v == 4096);
	KT_EXPECT(t, parse_u64_suffixed("0x1000", &v) && v == 0x1000);
	KT_EXPECT(t, parse_u64_suffixed("64G", &v) && v == (64ULL << 30));
	KT_EXPECT(t, parse_u64_suffixed("2MiB", &v) && v == SZ_2M);
	KT_EXPECT(t, parse_u64_suffixed("2mb", &v) && v == SZ_2M);
	KT_EXPECT(t, parse_u64_suffixed("0x2M", &v) && v == SZ_2M);
	KT_EXPECT(t, parse_u64_suffixed("-256G", &v) && v == MM_VA_WINDOW_BASE);
	KT_EXPECT(t, parse_u64_suffixed("18446744073709551615", &v) && v == ~0ULL);
	KT_EXPECT(t, parse_u64_suffixed("15E", &v) && v == 15ULL << 60);
	KT_EXPECT(t, !parse_u64_suffixed("18446744073709551616", &v)); /* 2^64 */
	KT_EXPECT(t, !parse_u64_suffixed("16E", &v));
	KT_EXPECT(t, !parse_u64_suffixed("0x10000000000000000", &v));
	KT_EXPECT(t, !parse_u64_suffixed("", &v));
	KT_EXPECT(t, !parse_u64_suffixed("0x", &v));
	KT_EXPECT(t, !parse_u64_suffixed("-", &v));
	KT_EXPECT(t, !parse_u64_suffixed("-0", &v));
	KT_EXPECT(t, !parse_u64_suffixed("1.5G", &v));
	KT_EXPECT(t, !parse_u64_suffixed("12Q", &v));
	KT_EXPECT(t, !parse_u64_suffixed("1GiBs", &v));
	KT_EXPECT(t, !parse_u64_suffixed(" 1", &v));
}

static void window_option(struct ktap_test *t)
{
	u64 base = 0, size = 0;
	char why[256];

	KT_EXPECT(t, window_parse("0xffffffc000000000:64G", &base, &size, why, sizeof(why)));
	KT_EXPECT_EQ(t, base, MM_VA_WINDOW_BASE);
	KT_EXPECT_EQ(t, size, MM_VA_WINDOW_SIZE);
	KT_EXPECT(t, window_parse("-1G:1G", &base, &size, why, sizeof(why)));
	KT_EXPECT_EQ(t, base, 0xffffffffc0000000ULL); /* ends exactly at 2^64 */
	KT_EXPECT(t, window_parse("0x40000000:0x200000", &base, &size, why, sizeof(why)));

	KT_EXPECT(t, !window_parse("0xffffffc000000000", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "BASE:SIZE") != NULL);
	KT_EXPECT(t, !window_parse("0xffffffc000001000:64G", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "2 MiB aligned") != NULL);
	KT_EXPECT(t, !window_parse("0xffffffc000000000:0", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "size is 0") != NULL);
	KT_EXPECT(t, !window_parse("-2G:4G", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "past 2^64") != NULL);
	KT_EXPECT(t, !window_parse("0x0000800000000000:1G", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "canonical") != NULL);
	KT_EXPECT(t, !window_parse("0x00007fffffe00000:4M", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "canonical") != NULL);
	KT_EXPECT(t, !window_parse("zz:1G", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "base 'zz'") != NULL);
	KT_EXPECT(t, !window_parse("0:1X", &base, &size, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "size '1X'") != NULL);
}

/* A 44-byte stride (not a multiple of 8): written byte-wise, as a dump would hold it. */
static void put44(u8 *buf, u32 i, u32 type, u64 phys, u64 pages, u64 attr)
{
	struct mm_desc md = {
		.type = type, .phys_addr = phys, .num_pages = pages, .attribute = attr
	};

	memset(buf + i * 44, 0x5a, 44);
	memcpy(buf + i * 44, &md, sizeof(md));
}

static void indexed_copy_survives_sort(struct ktap_test *t)
{
	static const u64 starts[] = { 0x9000, 0x1000, 0x5000, 0x1000, 0x3000 };
	u8 *raw = calloc(ARRAY_SIZE(starts), 44);
	struct memmap src, copy;

	KT_ASSERT(t, raw != NULL);
	for (u32 i = 0; i < ARRAY_SIZE(starts); i++)
		put44(raw, i, MM_CONVENTIONAL + (i & 1), starts[i], 1, RAM);
	/* memmap_init refuses desc_size 44; describe it by hand as the parser does. */
	src = (struct memmap){ .base = raw,
			       .desc_size = 44,
			       .desc_version = 1,
			       .nr_map = ARRAY_SIZE(starts),
			       .capacity = ARRAY_SIZE(starts) };
	KT_ASSERT(t, mapcopy_indexed(&src, &copy) == 0);
	KT_EXPECT_EQ(t, copy.desc_size, 56); /* 44 + 8 rounded up to 8 */
	KT_EXPECT_EQ(t, copy.capacity, 2 * ARRAY_SIZE(starts));
	memmap_sort(&copy);
	/* Sorted and stable: the two entries at 0x1000 keep their order (1 before 3). */
	{
		static const u32 want[] = { 1, 3, 4, 2, 0 };

		for (u32 i = 0; i < copy.nr_map; i++) {
			KT_EXPECT_EQ(t, mapcopy_orig_index(&copy, i), want[i]);
			KT_EXPECT_EQ(t, memmap_desc(&copy, i)->phys_addr, starts[want[i]]);
		}
	}
	mapcopy_free(&copy);

	src.desc_size = 32; /* shorter than a descriptor: cannot be read */
	KT_EXPECT(t, mapcopy_indexed(&src, &copy) != 0);
	free(raw);
}

/* A parsed map built by hand: entries i on lines 10 + 2 * i. */
static void fake_parsed(struct parsed_map *pm, struct memmap *map)
{
	static u32 lines[16];

	memset(pm, 0, sizeof(*pm));
	for (u32 i = 0; i < ARRAY_SIZE(lines); i++)
		lines[i] = 10 + 2 * i;
	pm->map = *map;
	pm->lines = lines;
	pm->format = LOG_FMT_EFIMAP;
	pm->maps_seen = 1;
}

static void findings_in_input_terms(struct ktap_test *t)
{
	static u64 storage[8 * 48 / 8];
	struct parsed_map pm;
	struct finding_list l;
	struct memmap map;
	const struct tool_finding *overlap = NULL, *unsorted = NULL;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 0x100000, 0x100, RAM);
	mapbuild_put(&map, 1, MM_MMIO, 0xfec00000, 1, MM_ATTR_UC);
	mapbuild_put(&map, 2, MM_BOOT_DATA, 0x1000, 4, RAM);	   /* unsorted */
	mapbuild_put(&map, 3, MM_BOOT_DATA, 0x180000, 4, RAM);	   /* inside entry 0 */
	mapbuild_put(&map, 4, MM_CONVENTIONAL, 0x200000, 0x10, 0); /* no cacheability */
	fake_parsed(&pm, &map);

	KT_ASSERT(t, findings_collect(&pm, &l) == 0);
	KT_EXPECT(t, l.sorted_copy);
	for (u32 i = 0; i < l.n; i++) {
		if (l.v[i].f.check == MM_CHECK_OVERLAP)
			overlap = &l.v[i];
		if (l.v[i].f.check == MM_CHECK_UNSORTED && !unsorted)
			unsorted = &l.v[i];
		/* Sorted by entry: never a lower index after a higher one. */
		if (i && l.v[i - 1].f.index != MM_NO_INDEX)
			KT_EXPECT(t, l.v[i].f.index >= l.v[i - 1].f.index);
	}
	KT_ASSERT(t, overlap != NULL);
	KT_ASSERT(t, unsorted != NULL);
	/* The overlap was found on the sorted copy and is told in the input's numbering. */
	KT_EXPECT_EQ(t, overlap->f.index, 3);
	KT_EXPECT_EQ(t, overlap->f.other, 0);
	KT_EXPECT_EQ(t, overlap->line, 16);
	KT_EXPECT_EQ(t, overlap->other_line, 10);
	KT_EXPECT(t, strstr(overlap->message, "entry 3 ") != NULL);
	KT_EXPECT(t, strstr(overlap->message, "[0x180000-0x183fff]") != NULL);
	KT_EXPECT_EQ(t, unsorted->line, 10 + 2 * unsorted->f.index);
	KT_EXPECT_EQ(t, unsorted->f.index, 2);
	KT_EXPECT_EQ(t, unsorted->other_line, 10 + 2 * unsorted->f.other);
	KT_EXPECT(t, l.by_severity[MM_SEV_ERROR] >= 1);
	KT_EXPECT_EQ(t,
		     l.by_severity[MM_SEV_ERROR] + l.by_severity[MM_SEV_WARNING] +
			     l.by_severity[MM_SEV_INFO],
		     l.n);
	findings_free(&l);

	/* Sorted input: no copy, no order findings from anywhere but the map itself. */
	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_CONVENTIONAL, 0x0, 0x10, RAM);
	mapbuild_put(&map, 1, MM_CONVENTIONAL, 0x8000, 0x10, RAM); /* overlaps 0 */
	fake_parsed(&pm, &map);
	KT_ASSERT(t, findings_collect(&pm, &l) == 0);
	KT_EXPECT(t, !l.sorted_copy);
	KT_EXPECT(t, l.n >= 1 && l.v[l.n - 1].f.check == MM_CHECK_OVERLAP);
	findings_free(&l);
}

static void svg_widths(struct ktap_test *t)
{
	u32 prev = 0;

	KT_EXPECT_EQ(t, svg_region_width10(0), 20);
	KT_EXPECT_EQ(t, svg_region_width10(1), 40);
	KT_EXPECT_EQ(t, svg_region_width10(2), 100);
	KT_EXPECT_EQ(t, svg_region_width10(1ULL << 18), 40 + 60 * 18); /* 1 GiB */
	KT_EXPECT_EQ(t, svg_region_width10(~0ULL), 40 + (60 * (63 * 16 + 15)) / 16);
	/* Never narrower for a bigger region. */
	for (u64 p = 1; p < (1ULL << 20); p = p * 3 / 2 + 1) {
		KT_EXPECT(t, svg_region_width10(p) >= prev);
		prev = svg_region_width10(p);
	}
	KT_EXPECT(t, strcmp(svg_type_colour(MM_BOOT_CODE), svg_type_colour(MM_BOOT_DATA)) != 0);
	KT_EXPECT_STREQ(t, svg_type_colour(99), svg_type_colour(0x80000000));
}

static void svg_is_deterministic(struct ktap_test *t)
{
	static u64 storage[8 * 48 / 8];
	struct parsed_map pm;
	struct memmap map;
	struct capture a, b;
	int n_svg = 0;

	memmap_init(&map, storage, 48, 1, 0, 8);
	mapbuild_put(&map, 0, MM_BOOT_CODE, 0x0, 1, RAM);
	mapbuild_put(&map, 1, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	mapbuild_put(&map, 2, MM_RUNTIME_DATA, 0x7f000000, 0x10, RAM | MM_ATTR_RUNTIME);
	mapbuild_put(&map, 3, 0x80000001, 0x100000000ULL, 0x40000, RAM);
	mapbuild_put(&map, 4, MM_MMIO, 0xffc00000, 0x400, MM_ATTR_UC | MM_ATTR_RUNTIME);
	fake_parsed(&pm, &map);

	KT_ASSERT(t, svg_write(capture_open(&a), "a<&>\"\xff.log", &pm) == 0);
	capture_close(&a);
	KT_ASSERT(t, svg_write(capture_open(&b), "a<&>\"\xff.log", &pm) == 0);
	capture_close(&b);
	KT_EXPECT(t, a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0);
	KT_EXPECT(t, strncmp(a.buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	KT_EXPECT(t, a.len > 7 && strcmp(a.buf + a.len - 7, "</svg>\n") == 0);
	KT_EXPECT(t, strstr(a.buf, "a&lt;&amp;&gt;&quot;?.log") != NULL);
	KT_EXPECT(t, strstr(a.buf, "<script") == NULL);
	/* Each type's colour and legend line, the unknown type's too. */
	KT_EXPECT(t, strstr(a.buf, svg_type_colour(MM_RUNTIME_DATA)) != NULL);
	KT_EXPECT(t, strstr(a.buf, svg_type_colour(0x80000001)) != NULL);
	KT_EXPECT(t, strstr(a.buf, ">Conventional: 636 KiB in 1 entry<") != NULL);
	KT_EXPECT(t, strstr(a.buf, ">unknown types: 1 GiB in 1 entry<") != NULL);
	KT_EXPECT(t, strstr(a.buf, "EFI_MEMORY_RUNTIME") != NULL);
	for (const char *p = a.buf; (p = strstr(p, "<svg")) != NULL; p++)
		n_svg++;
	KT_EXPECT_EQ(t, n_svg, 1);
	free(a.buf);
	free(b.buf);
}

/* Every check the library names has all four parts of `efimap help CHECK`. */
static void every_check_has_help(struct ktap_test *t)
{
	for (u32 c = 0; c < TOOL_NR_CHECKS; c++) {
		const struct check_help *h = check_help(c);
		const char *name = tool_check_name(c);

		KT_EXPECT(t, h != NULL); /* a check without help: add it to tools/describe.c */
		if (!h)
			continue;
		KT_EXPECT(t, h->finds && h->finds[0] && h->why && h->why[0]);
		KT_EXPECT(t, h->spec && h->spec[0] && h->fix && h->fix[0]);
		KT_EXPECT_EQ(t, check_by_name(name), (int)c);
	}
	KT_EXPECT(t, check_help(TOOL_NR_CHECKS) == NULL);
	/* The parser's notes are checks too: help for the names findings print. */
	KT_EXPECT_EQ(t, check_by_name("damaged-line"), (int)TOOL_CHECK_NOTE(PARSE_NOTE_DAMAGED));
	KT_EXPECT_EQ(t, check_by_name("no-such-check"), -1);
}

static const struct ktap_case report_cases[] = {
	KTAP_CASE(utf8_sequences),
	KTAP_CASE(json_string_escaping),
	KTAP_CASE(xml_text_escaping),
	KTAP_CASE(json_writer_layout),
	KTAP_CASE(sizes_for_people),
	KTAP_CASE(attribute_names),
	KTAP_CASE(type_names),
	KTAP_CASE(last_bytes),
	KTAP_CASE(numbers_with_suffixes),
	KTAP_CASE(window_option),
	KTAP_CASE(indexed_copy_survives_sort),
	KTAP_CASE(findings_in_input_terms),
	KTAP_CASE(svg_widths),
	KTAP_CASE(svg_is_deterministic),
	KTAP_CASE(every_check_has_help),
};

KTAP_SUITE(report_suite, "report", report_cases);
