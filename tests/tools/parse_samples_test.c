// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every sample log in tests/tools/samples/ (one per format Linux printed,
 * efimap's own log, two boots in one capture) parses every entry: the
 * count, the format, and several entries field by field. The expected
 * values are the ones the samples were composed from
 * (tests/tools/samples/README says what each one carries).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/tools/parse_check.h"

#define RUN MM_ATTR_RUNTIME
#define R   (RAM | MM_ATTR_RUNTIME)

/* tests/tools/samples/, relative to the repository root, or $EFIMAP_SAMPLES. */
static int parse_sample(struct ktap_test *t, const char *name, struct parsed_map *pm)
{
	const char *dir = getenv("EFIMAP_SAMPLES");
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/tools/samples", name);
	ret = parse_map_file(path, pm);
	ktap_check(t, ret == 0, __FILE__, __LINE__, "%s: line %u: %s", path, pm->error_line,
		   pm->error);
	return ret;
}

static void old_type_attr_3_13(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "old-type-attr-3.13-laptop.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 37);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_OLD_TYPE_ATTR);
	KT_EXPECT_STREQ(t, log_format_name(pm.format), "old-type-attr");
	KT_EXPECT(t, !pm.end_inclusive);
	KT_EXPECT_EQ(t, pm.maps_seen, 1);
	KT_EXPECT_EQ(t, pm.map.desc_size, 40);
	KT_EXPECT_EQ(t, pm.map.desc_version, 1);
	KT_EXPECT_EQ(t, pm.lines[0], 13);
	KT_EXPECT_EQ(t, pm.ignored_lines, 15);
	EXPECT_ENTRY(t, &pm, 0, MM_BOOT_CODE, 0x0, 1, RAM);
	EXPECT_ENTRY(t, &pm, 11, MM_CONVENTIONAL, 0x84a0000, 0x30000, RAM);
	EXPECT_ENTRY(t, &pm, 14, MM_BOOT_DATA, 0x72c87000, 0, RAM); /* [a-a): zero pages */
	EXPECT_ENTRY(t, &pm, 15, MM_CONVENTIONAL, 0x72c87000, 0x40, 0);
	EXPECT_ENTRY(t, &pm, 19, MM_RUNTIME_CODE, 0x74fe6000, 0x55, R);
	EXPECT_ENTRY(t, &pm, 31, MM_CONVENTIONAL, 0x100000000, 0x16f000, RAM);
	EXPECT_ENTRY(t, &pm, 36, MM_MMIO, 0xff000000, 0x1000, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void old_type_attr_3_2_syslog_crlf(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "old-type-attr-3.2-syslog-crlf.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 17);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_OLD_TYPE_ATTR);
	EXPECT_ENTRY(t, &pm, 0, MM_BOOT_DATA, 0x0, 0x8e, RAM);
	EXPECT_ENTRY(t, &pm, 8, MM_RUNTIME_CODE, 0x381a6000, 0x20, R);
	EXPECT_ENTRY(t, &pm, 14, MM_MMIO, 0xfed1c000, 4, RUN);	/* no UC */
	EXPECT_ENTRY(t, &pm, 16, MM_RESERVED, 0x9e000, 2, RAM); /* the unsorted tail */
out:
	parsed_map_free(&pm);
}

static void bracket_9_exclusive(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "bracket9-4.0-desktop.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 23);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_9);
	KT_EXPECT_EQ(t, pm.attr_columns, 9);
	KT_EXPECT(t, !pm.end_inclusive);
	EXPECT_ENTRY(t, &pm, 1, MM_CONVENTIONAL, 0x1000, 0x9d, RAM);
	EXPECT_ENTRY(t, &pm, 12, MM_RUNTIME_DATA, 0x73c4e000, 0x80, R);
	EXPECT_ENTRY(t, &pm, 16, MM_ACPI_NVS, 0x73d7a000, 0x3c, RAM);
	EXPECT_ENTRY(t, &pm, 17, MM_BOOT_DATA, 0x73da6000, 0x80, RAM); /* overlaps 16 */
	EXPECT_ENTRY(t, &pm, 20, 0x70000002, 0xfd000000, 0x100, RUN | MM_ATTR_UC);
	EXPECT_ENTRY(t, &pm, 22, MM_MMIO, 0xff000000, 0x1000, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void bracket_12_inclusive(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "bracket12-4.9-server.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 20);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_12);
	KT_EXPECT(t, pm.end_inclusive);
	KT_EXPECT_EQ(t, pm.rounded_entries, 0);
	EXPECT_ENTRY(t, &pm, 6, MM_CONVENTIONAL, 0xc56f000, 0x60000, RAM);
	EXPECT_ENTRY(t, &pm, 7, MM_CONVENTIONAL, 0x6c56f000, 0x1a5d8, RAM);
	EXPECT_ENTRY(t, &pm, 9, MM_BOOT_DATA, 0x86d47018, 1, RAM); /* unaligned start */
	EXPECT_ENTRY(t, &pm, 14, MM_ACPI_NVS, 0x87394000, 0x200, RAM | MM_ATTR_NV);
	EXPECT_ENTRY(t, &pm, 16, MM_CONVENTIONAL, 0x100000000, 0x1f80000, RAM);
out:
	parsed_map_free(&pm);
}

static void bracket_13_sp(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "bracket13-5.8-workstation.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 18);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_13);
	EXPECT_ENTRY(t, &pm, 7, MM_CONVENTIONAL, 0xde010000, 0x400, R); /* RUN on Conventional */
	EXPECT_ENTRY(t, &pm, 15, MM_CONVENTIONAL, 0x500000000, 0x400000, RAM | MM_ATTR_SP);
	EXPECT_ENTRY(t, &pm, 17, MM_MMIO, 0xfe010000, 1, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void bracket_14_cc(struct ktap_test *t)
{
	struct parsed_map pm;
	const u64 cc = RAM | MM_ATTR_CPU_CRYPTO;

	if (parse_sample(t, "bracket14-6.1-laptop.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 24);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_14);
	KT_EXPECT_STREQ(t, log_format_name(pm.format), "bracket-14");
	EXPECT_ENTRY(t, &pm, 3, MM_CONVENTIONAL, 0x100000, 0x3f00, cc);
	EXPECT_ENTRY(t, &pm, 4, MM_ACPI_NVS, 0x4000000, 8, cc);
	EXPECT_ENTRY(t, &pm, 14, MM_RUNTIME_CODE, 0x6e3eb000, 0x101, R);
	EXPECT_ENTRY(t, &pm, 21, MM_MMIO, 0xfe000000, 0x11, RUN); /* no UC */
	EXPECT_ENTRY(t, &pm, 23, MM_MMIO, 0xff000000, 0x1000, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void bracket_15_hp(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "bracket15-hp-6.1-server.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 20);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_HP);
	KT_EXPECT_EQ(t, pm.attr_columns, 15);
	EXPECT_ENTRY(t, &pm, 6, MM_CONVENTIONAL, 0x8923b000, 0x1f0, RAM);
	EXPECT_ENTRY(t, &pm, 7, MM_BOOT_DATA, 0x8942b000, 0, RAM); /* [a-(a-1)]: zero pages */
	EXPECT_ENTRY(t, &pm, 8, MM_BOOT_DATA, 0x8942b000, 0x3d10, RAM);
	EXPECT_ENTRY(t, &pm, 16, MM_CONVENTIONAL, 0x1080000000, 0x1000000,
		     RAM | MM_ATTR_HOT_PLUGGABLE);
out:
	parsed_map_free(&pm);
}

static void attr_raw_lines(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "attr-raw-6.1-server.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 16);
	/* Most lines have the 14 columns; the raw ones do not change the format. */
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_14);
	EXPECT_ENTRY(t, &pm, 11, MM_ACPI_RECLAIM, 0x920bc000, 0x88, RAM | (1ULL << 21));
	EXPECT_ENTRY(t, &pm, 13, MM_CONVENTIONAL, 0x1080000000, 0x1000000,
		     RAM | MM_ATTR_HOT_PLUGGABLE);
	EXPECT_ENTRY(t, &pm, 15, MM_MMIO, 0xff000000, 0x1000, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void arm64_nomap(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "arm64-4.5-server.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 17);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_ARM64);
	KT_EXPECT(t, pm.end_inclusive);
	KT_EXPECT(t, pm.nomap_marks);
	KT_EXPECT_EQ(t, pm.attr_columns, 10);
	KT_EXPECT_EQ(t, pm.lines[0], 8);
	EXPECT_ENTRY(t, &pm, 0, MM_CONVENTIONAL, 0x80000000, 0x80, RAM);
	EXPECT_ENTRY(t, &pm, 11, MM_RUNTIME_DATA, 0xf91f0000, 1, R);
	EXPECT_ENTRY(t, &pm, 12, MM_RUNTIME_CODE, 0xf91f1000, 0xf, R);
	EXPECT_ENTRY(t, &pm, 14, MM_CONVENTIONAL, 0x8000000000, 0x800000, RAM);
	EXPECT_ENTRY(t, &pm, 16, MM_MMIO, 0x20000000, 0x10, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void efimap_serial_log(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "efimap-qemu-serial.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.nr_map, 125);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_EFIMAP);
	KT_EXPECT_STREQ(t, log_format_name(pm.format), "efimap");
	KT_EXPECT_EQ(t, pm.attr_columns, 14);
	KT_EXPECT_EQ(t, pm.map.desc_version, 1);
	EXPECT_ENTRY(t, &pm, 0, MM_BOOT_CODE, 0x0, 1, RAM);
	EXPECT_ENTRY(t, &pm, 121, MM_RUNTIME_DATA, 0x1fef4000, 0x84, R);
	EXPECT_ENTRY(t, &pm, 123, MM_RESERVED, 0xb0000000, 0x10000, MM_ATTR_UC);
	EXPECT_ENTRY(t, &pm, 124, MM_MMIO, 0xffc00000, 0x400, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void two_boots_last_wins(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "two-boots-efimap-then-linux.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.maps_seen, 2);
	KT_EXPECT_EQ(t, pm.maps_incomplete, 0);
	KT_EXPECT_EQ(t, pm.map.nr_map, 122); /* Linux's map, not efimap's 125 */
	KT_EXPECT_EQ(t, pm.boots, 2);	      /* efimap's stub line, then Linux's banner */
	KT_EXPECT_EQ(t, pm.map_boot, 2);
	KT_EXPECT_EQ(t, pm.map_number, 2);
	KT_EXPECT_EQ(t, pm.map_kind, MAP_KIND_FIRMWARE);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_14);
	KT_EXPECT(t, pm.lines[0] > 125);
	EXPECT_ENTRY(t, &pm, 7, MM_LOADER_DATA, 0x1500000, 0x1800, RAM);
	EXPECT_ENTRY(t, &pm, 121, MM_MMIO, 0xffc00000, 0x400, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

/*
 * A real Debian 6.1 efi=debug capture under OVMF (samples/README): the
 * firmware's map (mem00-mem126, L59-L185) by default, not the runtime map
 * Linux prints after "EFI runtime memory map:" (L301; mem00-mem106 on
 * L302-L408), which --map last picks.
 */
static void linux_6_1_firmware_map_by_default(struct ktap_test *t)
{
	struct parsed_map pm;

	if (parse_sample(t, "linux-6.1-ovmf-efi-debug.log", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.maps_seen, 2);
	KT_EXPECT_EQ(t, pm.maps_incomplete, 0);
	KT_EXPECT_EQ(t, pm.map_number, 1);
	KT_EXPECT_EQ(t, pm.map_kind, MAP_KIND_FIRMWARE);
	KT_EXPECT_EQ(t, pm.boots, 1);
	KT_EXPECT_EQ(t, pm.map.nr_map, 127);
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BRACKET_HP);
	KT_EXPECT_EQ(t, pm.lines[0], 59);
	KT_EXPECT_EQ(t, pm.lines[126], 185);
	KT_EXPECT_EQ(t, pm.nr_notes, 0);
	EXPECT_ENTRY(t, &pm, 0, MM_BOOT_CODE, 0x0, 1, RAM); /* no RUN: Linux adds it later */
	EXPECT_ENTRY(t, &pm, 1, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	EXPECT_ENTRY(t, &pm, 2, MM_CONVENTIONAL, 0x100000, 0x706, RAM);
	EXPECT_ENTRY(t, &pm, 124, MM_ACPI_NVS, 0x1ff78000, 0x88, RAM);
	EXPECT_ENTRY(t, &pm, 126, MM_MMIO, 0xffc00000, 0x400, RUN | MM_ATTR_UC);
out:
	parsed_map_free(&pm);
}

static void linux_6_1_runtime_map_last(struct ktap_test *t)
{
	const char *dir = getenv("EFIMAP_SAMPLES");
	struct map_select last = { .pick = MAP_PICK_LAST };
	struct parsed_map pm;
	char path[512];

	snprintf(path, sizeof(path), "%s/linux-6.1-ovmf-efi-debug.log",
		 dir ? dir : "tests/tools/samples");
	KT_ASSERT(t, ktap_check(t, parse_map_file_select(path, &last, &pm) == 0, __FILE__,
				__LINE__, "%s", pm.error));
	KT_EXPECT_EQ(t, pm.map_number, 2);
	KT_EXPECT_EQ(t, pm.map_kind, MAP_KIND_KERNEL);
	KT_EXPECT_EQ(t, pm.map.nr_map, 107);
	KT_EXPECT_EQ(t, pm.lines[0], 302);
	KT_EXPECT_EQ(t, pm.lines[106], 408);
	EXPECT_ENTRY(t, &pm, 0, MM_MMIO, 0xffc00000, 0x400, RUN | MM_ATTR_UC);
	EXPECT_ENTRY(t, &pm, 106, MM_BOOT_CODE, 0x0, 1, R); /* the RUN Linux set */
	parsed_map_free(&pm);
}

/* The binary samples are specs that tests/tools/mkdump.sh turns into dumps. */
static int make_dump(struct ktap_test *t, const char *spec, struct parsed_map *pm)
{
	const char *dir = getenv("EFIMAP_SAMPLES");
	char out[] = "/tmp/efimap-dump-XXXXXX";
	char cmd[1024];
	int fd = mkstemp(out), ret;

	memset(pm, 0, sizeof(*pm));
	if (fd < 0) {
		ktap_skip(t, "mkstemp failed");
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "tests/tools/mkdump.sh %s/%s %s",
		 dir ? dir : "tests/tools/samples", spec, out);
	ret = system(cmd);
	if (!ktap_check(t, ret == 0, __FILE__, __LINE__, "%s: exit %d", cmd, ret)) {
		unlink(out);
		return -1;
	}
	ret = parse_map_file(out, pm);
	ktap_check(t, ret == 0, __FILE__, __LINE__, "%s: %s", spec, pm->error);
	unlink(out);
	return ret;
}

static void dump_desc44(struct ktap_test *t)
{
	struct parsed_map pm;

	if (make_dump(t, "dump-desc44.dumpspec", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.format, LOG_FMT_BINARY);
	KT_EXPECT_EQ(t, pm.map.desc_size, 44);
	KT_EXPECT_EQ(t, pm.map.nr_map, 5);
	KT_EXPECT_EQ(t, pm.lines[4], 0);
out:
	parsed_map_free(&pm);
}

static void dump_v2_trailing(struct ktap_test *t)
{
	struct parsed_map pm;

	if (make_dump(t, "dump-v2-trailing.dumpspec", &pm))
		goto out;
	KT_EXPECT_EQ(t, pm.map.desc_size, 48);
	KT_EXPECT_EQ(t, pm.map.desc_version, 2);
	KT_EXPECT_EQ(t, pm.map.nr_map, 10);
	EXPECT_ENTRY(t, &pm, 4, MM_RUNTIME_DATA, 0x8800000, 0x100, R);
	EXPECT_ENTRY(t, &pm, 6, MM_RESERVED, 0xfffffffffff00000, 0x200, MM_ATTR_UC);
	EXPECT_ENTRY(t, &pm, 9, 0, 0, 0, 0);
out:
	parsed_map_free(&pm);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(old_type_attr_3_13),	KTAP_CASE(old_type_attr_3_2_syslog_crlf),
	KTAP_CASE(bracket_9_exclusive), KTAP_CASE(bracket_12_inclusive),
	KTAP_CASE(bracket_13_sp),	KTAP_CASE(bracket_14_cc),
	KTAP_CASE(bracket_15_hp),	KTAP_CASE(attr_raw_lines),
	KTAP_CASE(arm64_nomap),		KTAP_CASE(efimap_serial_log),
	KTAP_CASE(two_boots_last_wins), KTAP_CASE(linux_6_1_firmware_map_by_default),
	KTAP_CASE(linux_6_1_runtime_map_last), KTAP_CASE(dump_desc44),
	KTAP_CASE(dump_v2_trailing),
};

KTAP_SUITE(parse_samples_suite, "parse_samples", cases);
