// SPDX-License-Identifier: BSD-2-Clause
/*
 * tools/parse*.c on small inputs written here: every line form, inclusive
 * and exclusive ends, prefix noise, map grouping and last-map-wins, and
 * every error with its line number; then the binary dump reader.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/tools/parse_check.h"

#define R (RAM | MM_ATTR_RUNTIME)

static int parse_str(const char *s, struct parsed_map *pm)
{
	return parse_map_buffer("test", s, strlen(s), pm);
}

/* Linux 5.10+ and efimap: 14 columns, end-inclusive. */
#define L14_CONV "[Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]"
#define L14_RTD	 "[Runtime Data|RUN|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]"

static void each_column_layout(struct ktap_test *t)
{
	static const struct {
		const char *line;
		enum log_format fmt;
		u64 attr;
	} cases[] = {
		{ "efi: mem00: [Runtime Data       |RUN|XP|  |  |   |WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000002000) (0MB)",
		  LOG_FMT_BRACKET_9, R | MM_ATTR_XP },
		{ "efi: mem00: [Runtime Data       |RUN|MR|XP|  |  |   |WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000002000) (0MB)",
		  LOG_FMT_BRACKET_10, R | MM_ATTR_MORE_RELIABLE | MM_ATTR_XP },
		{ "efi: mem00: [Runtime Data       |RUN|  |  |  |  |RO|   |WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		  LOG_FMT_BRACKET_11, R | MM_ATTR_RO },
		{ "efi: mem00: [Runtime Data       |RUN|  |NV|  |RP|WP|  |UCE|WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		  LOG_FMT_BRACKET_12, R | MM_ATTR_NV | MM_ATTR_RP | MM_ATTR_WP | MM_ATTR_UCE },
		{ "efi: mem00: [Runtime Data       |RUN|  |SP|  |  |  |  |  |   |WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		  LOG_FMT_BRACKET_13, R | MM_ATTR_SP },
		{ "efi: mem00: [Runtime Data|RUN|MR|CC|  |  |  |  |  |  |   |WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		  LOG_FMT_BRACKET_14, R | MM_ATTR_MORE_RELIABLE | MM_ATTR_CPU_CRYPTO },
		{ "efi: mem00: [Runtime Data|RUN|HP|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		  "range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		  LOG_FMT_BRACKET_HP, R | MM_ATTR_HOT_PLUGGABLE },
		{ "efi: mem00: [Runtime Data|attr=0x800000000000010f] "
		  "range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		  LOG_FMT_ATTR_RAW, R | (1ULL << 8) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct parsed_map pm;
		int ret = parse_str(cases[i].line, &pm);

		if (ktap_check(t, ret == 0, __FILE__, __LINE__, "case %zu: %s", i, pm.error)) {
			KT_EXPECT_EQ(t, pm.format, cases[i].fmt);
			EXPECT_ENTRY(t, &pm, 0, MM_RUNTIME_DATA, 0x1000, 1, cases[i].attr);
		}
		parsed_map_free(&pm);
	}
}

static void inclusive_and_exclusive(struct ktap_test *t)
{
	struct parsed_map pm;

	/* The same 2 MiB at 1 MiB, both ways. */
	KT_ASSERT(t, !parse_str("efi: mem00: " L14_CONV
				" range=[0x0000000000100000-0x0000000000300000) (2MB)\n",
				&pm));
	KT_EXPECT(t, !pm.end_inclusive);
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x100000, 0x200, RAM);
	parsed_map_free(&pm);
	KT_ASSERT(t, !parse_str("efi: mem00: " L14_CONV
				" range=[0x0000000000100000-0x00000000002fffff] (2MB)\n",
				&pm));
	KT_EXPECT(t, pm.end_inclusive);
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x100000, 0x200, RAM);
	parsed_map_free(&pm);

	/* The old form: exclusive, attr in hex without padding, "EFI:" prefix. */
	KT_ASSERT(t, !parse_str("EFI: mem00: type=7, attr=0xf, "
				"range=[0x0000000000100000-0x0000000000300000) (2MB)",
				&pm));
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_OLD_TYPE_ATTR);
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x100000, 0x200, RAM);
	parsed_map_free(&pm);
}

static void zero_wrapped_and_rounded(struct ktap_test *t)
{
	struct parsed_map pm;

	/* Linux prints a zero-page entry as [start-(start-1)]. */
	KT_ASSERT(t, !parse_str("efi: mem00: " L14_CONV
				" range=[0x0000000000001000-0x0000000000000fff] (0MB)",
				&pm));
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x1000, 0, RAM);
	parsed_map_free(&pm);
	/* ...and at address 0 as [0-0xffffffffffffffff], which only the MB column tells apart. */
	KT_ASSERT(t, !parse_str("efi: mem00: " L14_CONV
				" range=[0x0000000000000000-0xffffffffffffffff] (0MB)",
				&pm));
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0, 0, RAM);
	parsed_map_free(&pm);
	KT_ASSERT(t, !parse_str("efi: mem00: " L14_CONV
				" range=[0x0000000000000000-0xffffffffffffffff] (17592186044416MB)",
				&pm));
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0, 1ULL << 52, RAM);
	parsed_map_free(&pm);

	/* Past 2^64: believed because the printed size (num_pages >> 8) agrees. */
	KT_ASSERT(t, !parse_str("efi: mem00: " L14_CONV
				" range=[0xfffffffffff00000-0x00000000000fffff] (2MB)",
				&pm));
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0xfffffffffff00000, 0x200, RAM);
	parsed_map_free(&pm);

	/* A length that is not whole pages (hand-edited): rounded up and counted. */
	KT_ASSERT(t, !parse_str("efi: mem00: type=7, attr=0xf, "
				"range=[0x0000000000001000-0x0000000000002800) (0MB)",
				&pm));
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x1000, 2, RAM);
	KT_EXPECT_EQ(t, pm.rounded_entries, 1);
	parsed_map_free(&pm);
}

static void prefixes_and_noise(struct ktap_test *t)
{
	static const char log[] =
		"\x1b[2J\x1b[01;01HBdsDxe: starting Boot0001\r\n"
		"Jan  1 00:00:00 host kernel: [    0.000000] efi: mem00: " L14_CONV
		" range=[0x0000000000000000-0x0000000000000fff] (0MB)\r\n"
		"<6>[    0.000000] [    T0] efi: mem01: " L14_CONV
		" range=[0x0000000000001000-0x000000000009ffff] (0MB)\r\r\n"
		"\xff\xfe garbage \x01 efi: mem02: " L14_RTD
		" range=[0x0000000000100000-0x00000000001fffff] (1MB)   \n"
		"efi: ACPI=0x1f77e000 ACPI 2.0=0x1f77e014\n"
		"efi: Remove mem03: MMIO range=[0xc0000000-0xcfffffff] (256MB) from e820 map\n"
		"efi:mem03 is not a map line (no blank after the colon)\n"
		"[    0.122078] efi: memattr: Processing EFI Memory Attributes table:\n"
		"[    0.122844] efi: memattr:  0x0000ffe3d000-0x0000ffe8dfff [Runtime Code|RUN|  | "
		" |  "
		"|  |XP|  |  |  |   |  |  |  |  ]\n"
		"\n"
		"[    0.000000] efi: mem03: [conventional memory|   |  |  |  |  |  |  |  |  |   "
		"|wb|wt|wc|uc]"
		" range=[0x0000000000200000-0x00000000002FFFFF] (1MB)";
	struct parsed_map pm;
	int ret = parse_map_buffer("noise", log, sizeof(log) - 1, &pm);

	KT_ASSERT(t, ktap_check(t, ret == 0, __FILE__, __LINE__, "line %u: %s", pm.error_line,
				pm.error));
	KT_EXPECT_EQ(t, pm.map.nr_map, 4);
	KT_EXPECT_EQ(t, pm.ignored_lines, 7);
	KT_EXPECT_EQ(t, pm.lines[0], 2);
	KT_EXPECT_EQ(t, pm.lines[3], 11);
	EXPECT_ENTRY(t, &pm, 1, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	EXPECT_ENTRY(t, &pm, 2, MM_RUNTIME_DATA, 0x100000, 0x100, R);
	EXPECT_ENTRY(t, &pm, 3, MM_CONVENTIONAL, 0x200000, 0x100, RAM);
	parsed_map_free(&pm);
}

/* Old Mac-style files end lines in CR alone; UTF-16 is named, not misread. */
static void cr_only_and_utf16(struct ktap_test *t)
{
	static const char cr[] =
		"boot\refi: mem00: " L14_CONV
		" range=[0x0000000000000000-0x0000000000000fff] (0MB)\r"
		"efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] (0MB)\r";
	static const char utf16[] = "\xff\xfe[\0 \0 \0 \0]\0 \0e\0f\0i\0:\0";
	struct parsed_map pm;
	int ret;

	KT_ASSERT(t, !parse_str(cr, &pm));
	KT_EXPECT_EQ(t, pm.map.nr_map, 2);
	KT_EXPECT_EQ(t, pm.lines[1], 3);
	parsed_map_free(&pm);

	ret = parse_map_buffer("utf16", utf16, sizeof(utf16) - 1, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "UTF-16");
	parsed_map_free(&pm);
}

static void last_map_wins(struct ktap_test *t)
{
	static const char log[] =
		"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] (0MB)\n"
		"reboot\n"
		"efi: mem00: " L14_RTD " range=[0x0000000000100000-0x0000000000100fff] (0MB)\n";
	struct parsed_map pm;

	KT_ASSERT(t, !parse_str(log, &pm));
	KT_EXPECT_EQ(t, pm.maps_seen, 2);
	KT_EXPECT_EQ(t, pm.map.nr_map, 1);
	KT_EXPECT_EQ(t, pm.lines[0], 4);
	EXPECT_ENTRY(t, &pm, 0, MM_RUNTIME_DATA, 0x100000, 1, R);
	parsed_map_free(&pm);
}

/* A later map with a hole is not used when an earlier one is complete. */
static void incomplete_map_skipped(struct ktap_test *t)
{
	static const char log[] =
		"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] (0MB)\n"
		"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efi: mem02: " L14_CONV " range=[0x0000000000002000-0x0000000000002fff] (0MB)\n";
	struct parsed_map pm;

	KT_ASSERT(t, !parse_str(log, &pm));
	KT_EXPECT_EQ(t, pm.maps_seen, 2);
	KT_EXPECT_EQ(t, pm.maps_incomplete, 1);
	KT_EXPECT_EQ(t, pm.map.nr_map, 2);
	KT_EXPECT_EQ(t, pm.lines[1], 2);
	parsed_map_free(&pm);
}

static void incomplete_only(struct ktap_test *t)
{
	struct parsed_map pm;
	int ret;

	ret = parse_str(
		"x\nefi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efi: mem02: " L14_CONV " range=[0x0000000000002000-0x0000000000002fff] (0MB)\n",
		&pm);
	EXPECT_ERROR(t, ret, &pm, 3, "mem02 on line 3 follows mem00 on line 2");
	parsed_map_free(&pm);

	ret = parse_str("efi: mem07: " L14_CONV
			" range=[0x0000000000002000-0x0000000000002fff] (0MB)\n",
			&pm);
	EXPECT_ERROR(t, ret, &pm, 1, "starts at mem07, not mem00");
	parsed_map_free(&pm);
}

/* Three boots; the last prints the firmware's map, then its runtime map. */
static const char boots_log[] =
	"efimap: stub: UEFI 2.70, firmware \"EDK II\" rev 0x10000\n"			/* 1 */
	"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n" /* 2 */
	"[    0.000000] Linux version 6.1.0-13-amd64\n"				/* 3 */
	"efi: mem00: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] (0MB)\n" /* 4 */
	"efi: mem01: " L14_CONV " range=[0x0000000000002000-0x0000000000002fff] (0MB)\n" /* 5 */
	"[    0.000000] Linux version 6.1.0-13-amd64\n"				/* 6 */
	"efi: [Firmware Bug]: Invalid EFI memory map entries:\n"			/* 7 */
	"efi: mem03: " L14_CONV " range=[0x0000000000001000-0x1000000000000fff] (invalid)\n" /* 8 */
	"efi: mem00: " L14_CONV " range=[0x0000000000003000-0x0000000000003fff] (0MB)\n" /* 9 */
	"efi: mem01: " L14_CONV " range=[0x0000000000004000-0x0000000000004fff] (0MB)\n" /* 10 */
	"efi: mem02: " L14_CONV " range=[0x0000000000005000-0x0000000000005fff] (0MB)\n" /* 11 */
	"[    0.290332] efi: EFI runtime memory map:\n"				/* 12 */
	"efi: mem00: " L14_RTD " range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"; /* 13 */

static void boots_and_kinds(struct ktap_test *t)
{
	struct parsed_map pm;
	char d[200];

	/* By default: boot 3's firmware map, with the (invalid) and [Firmware Bug] lines. */
	KT_ASSERT(t, !parse_str(boots_log, &pm));
	KT_EXPECT_EQ(t, pm.maps_seen, 4);
	KT_EXPECT_EQ(t, pm.boots, 3);
	KT_EXPECT_EQ(t, pm.map_number, 3);
	KT_EXPECT_EQ(t, pm.map_boot, 3);
	KT_EXPECT_EQ(t, pm.map_kind, MAP_KIND_FIRMWARE);
	KT_EXPECT(t, !pm.map_fallback);
	KT_EXPECT_EQ(t, pm.map.nr_map, 3);
	KT_EXPECT_EQ(t, pm.lines[0], 9);
	KT_EXPECT_EQ(t, pm.nr_notes, 2);
	KT_EXPECT_EQ(t, pm.notes[0].kind, PARSE_NOTE_FIRMWARE_BUG);
	KT_EXPECT_EQ(t, pm.notes[0].line, 7);
	KT_EXPECT_STREQ(t, pm.notes[0].text, "efi: [Firmware Bug]: Invalid EFI memory map entries:");
	KT_EXPECT_EQ(t, pm.notes[1].kind, PARSE_NOTE_LINUX_INVALID);
	KT_EXPECT_EQ(t, pm.notes[1].line, 8);
	KT_EXPECT_EQ(t, pm.notes_by_kind[PARSE_NOTE_LINUX_INVALID], 1);
	KT_EXPECT_EQ(t, pm.notes_elsewhere, 0);
	parsed_map_describe(d, sizeof(d), &pm);
	KT_EXPECT_STREQ(t, d, "map 3 of 4 (firmware map, boot 3 of 3, line 9)");
	parsed_map_free(&pm);
}

static void map_select_each(struct ktap_test *t)
{
	static const struct {
		const char *arg;
		u32 number, entries, first_line, boot;
		enum map_kind kind;
	} cases[] = {
		{ "first", 1, 1, 2, 1, MAP_KIND_FIRMWARE }, { "1", 1, 1, 2, 1, MAP_KIND_FIRMWARE },
		{ "2", 2, 2, 4, 2, MAP_KIND_FIRMWARE },	    { "3", 3, 3, 9, 3, MAP_KIND_FIRMWARE },
		{ "last", 4, 1, 13, 3, MAP_KIND_KERNEL },   { "4", 4, 1, 13, 3, MAP_KIND_KERNEL },
	};
	struct map_select sel;
	struct parsed_map pm;
	char why[128], d[200];
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		KT_ASSERT(t, map_select_parse(cases[i].arg, &sel, why, sizeof(why)));
		ret = parse_map_buffer_select(boots_log, strlen(boots_log), &sel, &pm);
		if (ktap_check(t, ret == 0, __FILE__, __LINE__, "--map %s: %s", cases[i].arg,
			       pm.error)) {
			KT_EXPECT_EQ(t, pm.map_number, cases[i].number);
			KT_EXPECT_EQ(t, pm.map.nr_map, cases[i].entries);
			KT_EXPECT_EQ(t, pm.lines[0], cases[i].first_line);
			KT_EXPECT_EQ(t, pm.map_boot, cases[i].boot);
			KT_EXPECT_EQ(t, pm.map_kind, cases[i].kind);
		}
		/* The notes belong to boot 3's firmware map: elsewhere for the others. */
		KT_EXPECT_EQ(t, pm.notes_elsewhere, cases[i].number == 3 ? 0 : 2);
		parsed_map_free(&pm);
	}
	KT_ASSERT(t, map_select_parse("last", &sel, why, sizeof(why)));
	KT_ASSERT(t, !parse_map_buffer_select(boots_log, strlen(boots_log), &sel, &pm));
	parsed_map_describe(d, sizeof(d), &pm);
	KT_EXPECT_STREQ(t, d, "map 4 of 4 (the runtime map a kernel derived, boot 3 of 3, line 13)");
	parsed_map_free(&pm);

	KT_ASSERT(t, map_select_parse("5", &sel, why, sizeof(why)));
	ret = parse_map_buffer_select(boots_log, strlen(boots_log), &sel, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "there is no map 5: the input holds 4 maps");
	KT_EXPECT_EQ(t, pm.maps_seen, 4);
	parsed_map_free(&pm);

	KT_EXPECT(t, !map_select_parse("0", &sel, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "'0' is not first, last, all or a map number"));
	KT_EXPECT(t, !map_select_parse("", &sel, why, sizeof(why)));
	KT_EXPECT(t, !map_select_parse("2x", &sel, why, sizeof(why)));
	KT_EXPECT(t, !map_select_parse("99999999999", &sel, why, sizeof(why)));
	KT_EXPECT(t, map_select_parse("4294967295", &sel, why, sizeof(why)));
}

/* Only Linux's runtime map: used, and said to be a fallback; an incomplete pick is refused. */
static void runtime_map_only_and_incomplete_pick(struct ktap_test *t)
{
	static const char log[] =
		"efi: EFI runtime memory map:\n"
		"efi: mem00: " L14_RTD " range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efi: mem02: " L14_CONV " range=[0x0000000000002000-0x0000000000002fff] (0MB)\n";
	struct map_select sel = { .pick = MAP_PICK_LAST };
	struct parsed_map pm;
	int ret;

	KT_ASSERT(t, !parse_str(log, &pm));
	KT_EXPECT_EQ(t, pm.map_number, 1);
	KT_EXPECT_EQ(t, pm.map_kind, MAP_KIND_KERNEL);
	KT_EXPECT(t, pm.map_fallback);
	parsed_map_free(&pm);

	ret = parse_map_buffer_select(log, strlen(log), &sel, &pm);
	EXPECT_ERROR(t, ret, &pm, 4, "map 2 of 2 (from line 3) is incomplete: mem02 on line 4");
	parsed_map_free(&pm);
}

static void efimap_summary(struct ktap_test *t)
{
	static const char ok[] =
		"[    0.042832] efi: mem00: " L14_CONV
		" range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"[    0.042900] efi: mem01: " L14_CONV
		" range=[0x0000000000001000-0x0000000000001fff] (0MB)\n"
		"[    0.064382] efimap: map: entries=2 desc_size=48 desc_version=2 capacity=40\n"
		"[    0.064383] efi: mem02: " L14_CONV
		" range=[0x0000000000002000-0x0000000000002fff] (0MB)\n";
	static const char short_map[] =
		"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efimap: map: entries=125 desc_size=48 desc_version=1 capacity=170\n";
	struct parsed_map pm;
	int ret;

	/* The summary closes the map: the stray mem02 after it is a map of its own. */
	KT_ASSERT(t, !parse_str(ok, &pm));
	KT_EXPECT_EQ(t, pm.maps_seen, 2);
	KT_EXPECT_EQ(t, pm.maps_incomplete, 1);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_EFIMAP);
	KT_EXPECT_EQ(t, pm.map.nr_map, 2);
	KT_EXPECT_EQ(t, pm.map.desc_version, 2);
	parsed_map_free(&pm);

	ret = parse_str(short_map, &pm);
	EXPECT_ERROR(t, ret, &pm, 2, "says entries=125, but 1 map lines precede it");
	parsed_map_free(&pm);

	ret = parse_str("efimap: map: entries=12 desc_size=48 desc_version=x\n", &pm);
	EXPECT_ERROR(t, ret, &pm, 1, "efimap summary line: desc_version: expected a decimal");
	parsed_map_free(&pm);
}

static void arm64_maps(struct ktap_test *t)
{
	static const char log[] =
		"efi: Processing EFI memory map:\n"
		"efi:   0x000080000000-0x00008007ffff [Conventional Memory|   |  |  |  |  |  |   "
		"|WB|WT|WC|UC]\n"
		"efi: Processing EFI memory map:\n"
		"efi:   0x000080000000-0x0000800fffff [Conventional|   |  |  |  |  |  |  |  |  |   "
		"|WB|WT|WC|UC]\n"
		"efi:   0x0000f91f0000-0x0000f91fffff [Runtime Data|RUN|  |  |  |  |  |  |  |  |   "
		"|WB|WT|WC|UC]\n";
	struct parsed_map pm;

	KT_ASSERT(t, !parse_str(log, &pm));
	KT_EXPECT_EQ(t, pm.maps_seen, 2);
	KT_EXPECT_EQ(t, pm.map.nr_map, 2);
	KT_EXPECT(t, !pm.nomap_marks);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_ARM64);
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x80000000, 0x100, RAM);
	EXPECT_ENTRY(t, &pm, 1, MM_RUNTIME_DATA, 0xf91f0000, 0x10, R);
	parsed_map_free(&pm);
}

static void invalid_warnings_ignored(struct ktap_test *t)
{
	static const char log[] =
		"efi: mem05: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000001000-0x1000000000000fff] (invalid)\n"
		"efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n";
	struct parsed_map pm;

	KT_ASSERT(t, !parse_str(log, &pm));
	KT_EXPECT_EQ(t, pm.map.nr_map, 1);
	KT_EXPECT_EQ(t, pm.ignored_lines, 1);
	/* Not an entry, but not lost either: a note on its line for the next map. */
	KT_EXPECT_EQ(t, pm.nr_notes, 1);
	KT_EXPECT_EQ(t, pm.notes[0].kind, PARSE_NOTE_LINUX_INVALID);
	KT_EXPECT_EQ(t, pm.notes[0].line, 1);
	KT_EXPECT_STREQ(t, parse_note_name(pm.notes[0].kind), "linux-invalid");
	parsed_map_free(&pm);
}

/* Each bad map line, and the message that names what was wrong. */
static void line_errors(struct ktap_test *t)
{
	static const struct {
		const char *line;
		const char *what;
	} cases[] = {
		{ "efi: mem00: " L14_CONV " range=[0xzz00000000000000-0x0000000000000fff] (0MB)",
		  "range start: no hex digits after 0x" },
		{ "efi: mem00: " L14_CONV " range=[0x0000000000002000-0x0000000000000fff] (0MB)",
		  "range end 0xfff is below its start 0x2000" },
		{ "efi:   0x000000002000-0x000000000fff [Conventional|   |  |  |  |  |  |  |  |  | "
		  " "
		  " |WB|WT|WC|UC]",
		  "range end 0xfff is below its start 0x2000" },
		{ "efi: mem00: " L14_CONV " range=[0x00000000000000000-0x0000000000000fff] (0MB)",
		  "range start has more than 16 hex digits" },
		{ "efi: mem00: type=7, attr=0x1ffffffffffffffff, "
		  "range=[0x0000000000000000-0x0000000000001000) (0MB)",
		  "attr has more than 16 hex digits" },
		{ "efi: mem00: type=99999999999, attr=0xf, "
		  "range=[0x0000000000000000-0x0000000000001000) (0MB)",
		  "type is too large" },
		{ "efi: mem99999999999: " L14_CONV
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "memNN index is too large" },
		{ "efi: mem00: [Conventionl|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]"
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "unknown memory type name 'Conventionl'" },
		{ "efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|UC|UC]"
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "column 13 reads 'UC' where the 14-column layout has 'WC'" },
		{ "efi: mem00: [Conventional|   |  |  |  |WB|WT|WC|UC]"
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "8 attribute columns" },
		{ "efi: mem00: [Conventional| | | | | | | | | | | | | | | |UC]"
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "more than 15 attribute columns" },
		{ "efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC"
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "column 14 reads" },
		{ "efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC",
		  "'[' without a closing ']'" },
		{ "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (1MB)",
		  "the printed size (1MB) does not match the range (0MB)" },
		{ "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff]",
		  "expected '(' after the range" },
		{ "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] (0MB) x",
		  "unexpected text after the size: 'x'" },
		{ "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff} (0MB)",
		  "expected ')' or ']' after the range end, found '} (0MB)'" },
		{ "efi: mem00: oops", "expected 'type=' or '[' after memNN:, found 'oops'" },
		{ "efi: mem00: [Bo\x01t|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]"
		  " range=[0x0000000000000000-0x0000000000000fff] (0MB)",
		  "unknown memory type name 'Bo\\x01t'" },
		{ "efi:   0x000000000000-0x000000000fff [Conventional|attr=0xf]?",
		  "unexpected text after the attributes: '?'" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[512];
		struct parsed_map pm;
		int ret;

		/* On line 2, after an ordinary line, with a CRLF ending. */
		snprintf(buf, sizeof(buf), "[    0.000000] Linux version 6.1\n%s\r\n",
			 cases[i].line);
		ret = parse_str(buf, &pm);
		if (!EXPECT_ERROR(t, ret, &pm, 2, cases[i].what))
			ktap_check(t, false, __FILE__, __LINE__, "case %zu", i);
		parsed_map_free(&pm);
	}
}

/* The damaged line is a note with its line and why; the other lines are the map. */
static bool check_damaged(struct ktap_test *t, const char *log, u32 entries, u32 line,
			  const char *what, int src_line)
{
	struct parsed_map pm;
	int ret = parse_map_buffer("test", log, strlen(log), &pm);
	bool ok = ktap_check(t, ret == 0, __FILE__, src_line, "parse failed: line %u: %s",
			     pm.error_line, pm.error);

	if (ok)
		ok = ktap_check(t,
				pm.map.nr_map == entries && pm.nr_notes == 1 &&
					pm.notes_by_kind[PARSE_NOTE_DAMAGED] == 1 &&
					pm.notes[0].kind == PARSE_NOTE_DAMAGED &&
					pm.notes[0].line == line && strstr(pm.notes[0].why, what) &&
					pm.maps_incomplete == 0,
				__FILE__, src_line,
				"%u entries, %u notes (kind %d, line %u: %s), expected %u entries "
				"and line %u about '%s'",
				pm.map.nr_map, pm.nr_notes, pm.nr_notes ? (int)pm.notes[0].kind : -1,
				pm.nr_notes ? pm.notes[0].line : 0,
				pm.nr_notes ? pm.notes[0].why : "", entries, line, what);
	parsed_map_free(&pm);
	return ok;
}

#define EXPECT_DAMAGED(t, log, entries, line, what) \
	check_damaged(t, log, entries, line, what, __LINE__)

/* A line unlike the rest of its map is damaged, not the end of the input. */
static void map_consistency_errors(struct ktap_test *t)
{
	EXPECT_DAMAGED(t,
		       "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] "
		       "(0MB)\n"
		       "efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000002000) "
		       "(0MB)\n"
		       "efi: mem02: " L14_CONV " range=[0x0000000000002000-0x0000000000002fff] "
		       "(0MB)\n",
		       2, 2, "end-exclusive (')') but the map it continues");
	EXPECT_DAMAGED(t,
		       "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] "
		       "(0MB)\n"
		       "efi: mem01: [Conventional Memory|   |  |  |  |  |  |   |WB|WT|WC|UC] "
		       "range=[0x0000000000001000-0x0000000000001fff] (0MB)\n",
		       1, 2, "11 attribute columns, but line 1 of the same map has 14");
	EXPECT_DAMAGED(t,
		       "efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] "
		       "(0MB)\n"
		       "efi: mem01: type=7, attr=0xf, range=[0x0000000000001000-0x0000000000001fff] "
		       "(0MB)\n",
		       1, 2, "in the old 'type=N, attr=0x...' form");
}

/*
 * Item 7 of issue 14: serial noise, a line cut short, garbage inside a map.
 * Each log is three map lines of which the middle one is damaged; the map
 * keeps the other two and stays complete (mem02 follows the damaged mem01).
 */
static void damaged_lines_kept_apart(struct ktap_test *t)
{
	static const char *const middles[] = {
		/* cut short by a full serial buffer */
		"[    0.048533] efi: mem01: [Conventional|   |  |  |  |  |  |  |  |",
		/* noise inside the line */
		"[    0.048533] efi: mem01: [Conv\xff\x01tional|   |  |  |  |  |  |  |  |  |   "
		"|WB|WT|WC|UC] range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		/* the index itself hit: no memNN to fill, one missing index is excused */
		"[    0.048533] efi: m\x80m01: " L14_CONV
		" range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		"[    0.048533] efi: mem0#: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] (0MB)",
		/* two lines run together */
		"[    0.048533] efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] "
		"(0MB)[    0.0] efi: mem02",
	};
	static const char *const whys[] = {
		"'[' without a closing ']'",
		"unknown memory type name 'Conv\\xff\\x01tional'",
		"a range but no readable memNN",
		"expected ':' after memNN",
		"unexpected text after the size",
	};

	for (size_t i = 0; i < ARRAY_SIZE(middles); i++) {
		char log[1024];

		snprintf(log, sizeof(log),
			 "Linux version 6.1\n"
			 "[    0.047897] efi: mem00: " L14_CONV
			 " range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
			 "%s\n"
			 "[    0.048657] efi: mem02: " L14_RTD
			 " range=[0x0000000000100000-0x0000000000100fff] (0MB)\n",
			 middles[i]);
		if (!EXPECT_DAMAGED(t, log, 2, 3, whys[i]))
			ktap_check(t, false, __FILE__, __LINE__, "case %zu", i);
	}
}

/* The note quotes the line from "efi" on, escaped; later lines still count. */
static void damaged_line_text(struct ktap_test *t)
{
	static const char log[] =
		"[    0.047897] efi: mem00: " L14_CONV
		" range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"[    0.048533] efi: mem01: [Conventional|\x1b[0m\n"
		"random text\n"
		"[    0.048657] efi: mem02: " L14_RTD
		" range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"[    0.048657] efi: mem03: garbage\n";
	struct parsed_map pm;

	KT_ASSERT(t, !parse_str(log, &pm));
	KT_EXPECT_EQ(t, pm.map.nr_map, 2);
	KT_EXPECT_EQ(t, pm.nr_notes, 2);
	KT_EXPECT_EQ(t, pm.notes_by_kind[PARSE_NOTE_DAMAGED], 2);
	KT_EXPECT_EQ(t, pm.notes_elsewhere, 0);
	KT_EXPECT_EQ(t, pm.notes[0].line, 2);
	KT_EXPECT_STREQ(t, pm.notes[0].text, "efi: mem01: [Conventional|\\x1b[0m");
	KT_EXPECT_EQ(t, pm.notes[1].line, 5);
	KT_EXPECT_STREQ(t, pm.notes[1].text, "efi: mem03: garbage");
	EXPECT_ENTRY(t, &pm, 1, MM_RUNTIME_DATA, 0x100000, 1, R);
	KT_EXPECT_EQ(t, pm.lines[1], 4);
	parsed_map_free(&pm);
}

/* Two lines lost where only one was damaged: the map is still incomplete. */
static void damage_does_not_hide_a_gap(struct ktap_test *t)
{
	struct parsed_map pm;
	int ret;

	ret = parse_str("efi: mem00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] "
			"(0MB)\n"
			"efi: mem~1: range=[\n"
			"efi: mem03: " L14_CONV " range=[0x0000000000003000-0x0000000000003fff] "
			"(0MB)\n",
			&pm);
	EXPECT_ERROR(t, ret, &pm, 3, "mem03 on line 3 follows mem00 on line 1");
	parsed_map_free(&pm);
}

/* A damaged mem00 does not cost the map its start. */
static void damaged_first_line(struct ktap_test *t)
{
	EXPECT_DAMAGED(t,
		       "efi: mem00: [Boot Code|\n"
		       "efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] "
		       "(0MB)\n",
		       1, 1, "'[' without a closing ']'");
	EXPECT_DAMAGED(t,
		       "efi: m?m00: " L14_CONV " range=[0x0000000000000000-0x0000000000000fff] "
		       "(0MB)\n"
		       "efi: mem01: " L14_CONV " range=[0x0000000000001000-0x0000000000001fff] "
		       "(0MB)\n",
		       1, 1, "a range but no readable memNN");
}

static void no_map_and_empty(struct ktap_test *t)
{
	struct parsed_map pm;
	char *big;
	int ret;

	ret = parse_map_buffer("empty", "", 0, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "empty input");
	parsed_map_free(&pm);

	ret = parse_str("[    0.000000] Linux version 6.1\nefi: EFI v2.70 by EDK II\n", &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "no memory map lines in 2 lines");
	parsed_map_free(&pm);

	ret = parse_map_file("/nonexistent/efimap-test.log", &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "cannot open");
	parsed_map_free(&pm);

	/* A long map line is refused; a long other line is just ignored. */
	big = malloc(8192);
	KT_ASSERT(t, big);
	memset(big, ' ', 8191);
	big[8191] = '\0';
	memcpy(big + 8000, "efi: mem00: [", 13);
	ret = parse_str(big, &pm);
	EXPECT_ERROR(t, ret, &pm, 1, "map line is 8191 bytes long");
	parsed_map_free(&pm);
	memcpy(big + 8000, "efi: ACPI=0x0", 13);
	ret = parse_str(big, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "no memory map lines in 1 lines");
	parsed_map_free(&pm);
	free(big);
}

/*
 * Hostile input: thousands of mutations of a valid log must each either
 * parse or fail with a message, never crash (ASan and UBSan watch).
 */
static void mutations_do_not_crash(struct ktap_test *t)
{
	static const char seed[] =
		"[    0.0] efi: mem00: " L14_RTD
		" range=[0x0000000000100000-0x00000000001fffff] (1MB)\n"
		"efi: mem01: type=7, attr=0xf, range=[0x0000000000200000-0x0000000000300000) "
		"(1MB)\n"
		"efi:   0x000080000000-0x00008007ffff [Conventional|attr=0x000000000020000f]*\n"
		"efimap: map: entries=2 desc_size=48 desc_version=1 capacity=40\n";
	static const char alphabet[] = "0123456789abcdefx[]()|-*: \n\r\t=MBefi";
	char buf[sizeof(seed)];
	u64 state = 0x2545f4914f6cdd1dULL;
	u32 ok = 0, failed = 0;

	for (int round = 0; round < 20000; round++) {
		struct parsed_map pm;
		int edits;

		memcpy(buf, seed, sizeof(seed));
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		edits = 1 + (int)((state >> 33) % 4);
		for (int e = 0; e < edits; e++) {
			size_t at, pick;

			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			at = (size_t)((state >> 20) % (sizeof(seed) - 1));
			pick = (size_t)((state >> 40) % (sizeof(alphabet) + 1));
			buf[at] =
				pick < sizeof(alphabet) - 1 ? alphabet[pick] : (char)(state >> 56);
		}
		if (parse_map_buffer("mutant", buf, sizeof(seed) - 1, &pm) == 0) {
			ok++;
		} else {
			failed++;
			if (!pm.error[0])
				KT_EXPECT(t, pm.error[0]);
		}
		parsed_map_free(&pm);
	}
	/* Both outcomes happen, or the mutations were not reaching the parser. */
	KT_EXPECT(t, ok > 100);
	KT_EXPECT(t, failed > 100);
}

static const struct ktap_case text_cases[] = {
	KTAP_CASE(each_column_layout),	     KTAP_CASE(inclusive_and_exclusive),
	KTAP_CASE(zero_wrapped_and_rounded), KTAP_CASE(prefixes_and_noise),
	KTAP_CASE(cr_only_and_utf16),	     KTAP_CASE(last_map_wins),
	KTAP_CASE(incomplete_map_skipped),   KTAP_CASE(incomplete_only),
	KTAP_CASE(boots_and_kinds),	     KTAP_CASE(map_select_each),
	KTAP_CASE(runtime_map_only_and_incomplete_pick), KTAP_CASE(efimap_summary),	     KTAP_CASE(arm64_maps),
	KTAP_CASE(invalid_warnings_ignored), KTAP_CASE(line_errors),
	KTAP_CASE(map_consistency_errors),   KTAP_CASE(damaged_lines_kept_apart),
	KTAP_CASE(damaged_line_text),	     KTAP_CASE(damage_does_not_hide_a_gap),
	KTAP_CASE(damaged_first_line),	     KTAP_CASE(no_map_and_empty),
	KTAP_CASE(mutations_do_not_crash),
};

KTAP_SUITE(parse_text_suite, "parse_text", text_cases);

/* --- binary dumps ------------------------------------------------------- */

struct dump {
	u8 bytes[1024];
	size_t len;
};

static void put_le(u8 *p, u64 v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* Header plus nr descriptors of desc_size bytes (phys 0x1000 * i, i + 1 pages). */
static void make_dump(struct dump *d, u32 desc_size, u32 version, u32 nr)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->bytes, MM_DUMP_MAGIC, 8);
	put_le(d->bytes + 8, 32, 4);
	put_le(d->bytes + 12, desc_size, 4);
	put_le(d->bytes + 16, version, 4);
	put_le(d->bytes + 20, nr, 4);
	for (u32 i = 0; i < nr; i++) {
		u8 *p = d->bytes + 32 + (size_t)i * desc_size;
		u8 desc[40] = { 0 };

		put_le(desc + 0, MM_CONVENTIONAL, 4);
		put_le(desc + 8, 0x1000ULL * i, 8);
		put_le(desc + 24, i + 1, 8);
		put_le(desc + 32, RAM, 8);
		memcpy(p, desc, desc_size < 40 ? desc_size : 40);
	}
	d->len = 32 + (size_t)nr * desc_size;
}

static void binary_ok(struct ktap_test *t)
{
	struct dump d;
	struct parsed_map pm;

	make_dump(&d, 48, 1, 3);
	KT_ASSERT(t, !parse_map_buffer("dump", d.bytes, d.len, &pm));
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BINARY);
	KT_EXPECT_EQ(t, pm.map.desc_size, 48);
	KT_EXPECT_EQ(t, pm.map.nr_map, 3);
	KT_EXPECT_EQ(t, pm.map.capacity, 3);
	KT_EXPECT_EQ(t, pm.maps_seen, 1);
	KT_EXPECT_EQ(t, pm.lines[2], 0);
	EXPECT_ENTRY(t, &pm, 2, MM_CONVENTIONAL, 0x2000, 3, RAM);
	parsed_map_free(&pm);
}

/* Invalid desc_size and version are kept for validation to name. */
static void binary_odd_sizes_kept(struct ktap_test *t)
{
	static const u32 sizes[] = { 44, 24, 8, 1, 40, 56 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct dump d;
		struct parsed_map pm;
		struct mm_desc last;

		make_dump(&d, sizes[i], 7, 4);
		KT_ASSERT(t, !parse_map_buffer("dump", d.bytes, d.len, &pm));
		KT_EXPECT_EQ(t, pm.map.desc_size, sizes[i]);
		KT_EXPECT_EQ(t, pm.map.desc_version, 7);
		KT_EXPECT_EQ(t, pm.map.nr_map, 4);
		/*
		 * A full descriptor at the last stride is inside the buffer (ASan
		 * checks the copy; memcpy because such strides are misaligned).
		 */
		memcpy(&last, (u8 *)pm.map.base + 3 * sizes[i], sizeof(last));
		if (sizes[i] >= 40)
			KT_EXPECT_EQ(t, last.num_pages, 4);
		parsed_map_free(&pm);
	}
}

static void binary_errors(struct ktap_test *t)
{
	struct dump d;
	struct parsed_map pm;
	int ret;

	make_dump(&d, 48, 1, 3);
	ret = parse_map_buffer("dump", d.bytes, d.len - 1, &pm);
	EXPECT_ERROR(t, ret, &pm, 0,
		     "truncated: header says 3 descriptors of 48 bytes, file has 143 bytes after "
		     "the header");
	parsed_map_free(&pm);

	ret = parse_map_buffer("dump", d.bytes, d.len + 8, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "trailing data: header says 3 descriptors of 48 bytes");
	parsed_map_free(&pm);

	ret = parse_map_buffer("dump", d.bytes, 20, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "truncated binary dump: 20 bytes");
	parsed_map_free(&pm);

	ret = parse_map_buffer("dump", "EFIMAPD", 7, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "truncated binary dump: 7 bytes");
	parsed_map_free(&pm);

	make_dump(&d, 48, 1, 3);
	d.bytes[7] = 'X';
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "bad binary dump magic");
	parsed_map_free(&pm);

	make_dump(&d, 48, 1, 3);
	put_le(d.bytes + 8, 16, 4);
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "header_size 16 is below 32");
	parsed_map_free(&pm);

	make_dump(&d, 48, 1, 3);
	put_le(d.bytes + 8, 4000, 4);
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "header_size 4000, but the file has 176 bytes");
	parsed_map_free(&pm);

	make_dump(&d, 48, 1, 3);
	d.bytes[30] = 1;
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "reserved field is 0x1000000000000");
	parsed_map_free(&pm);

	make_dump(&d, 48, 1, 0);
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "says 0 descriptors");
	parsed_map_free(&pm);

	make_dump(&d, 0, 1, 3);
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "desc_size 0");
	parsed_map_free(&pm);

	/* nr_map * desc_size beyond 32 bits must not wrap into a small size. */
	make_dump(&d, 48, 1, 3);
	put_le(d.bytes + 12, 0x80000000u, 4);
	put_le(d.bytes + 20, 2, 4);
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "truncated: header says 2 descriptors of 2147483648 bytes");
	parsed_map_free(&pm);

	make_dump(&d, 48, 1, 3);
	put_le(d.bytes + 20, 0xffffffffu, 4);
	ret = parse_map_buffer("dump", d.bytes, d.len, &pm);
	EXPECT_ERROR(t, ret, &pm, 0, "at most 4194304 are read");
	parsed_map_free(&pm);
}

static const struct ktap_case binary_cases[] = {
	KTAP_CASE(binary_ok),
	KTAP_CASE(binary_odd_sizes_kept),
	KTAP_CASE(binary_errors),
};

KTAP_SUITE(parse_binary_suite, "parse_binary", binary_cases);
