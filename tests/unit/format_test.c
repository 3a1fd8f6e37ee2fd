// SPDX-License-Identifier: BSD-2-Clause
/*
 * memmap/format.c: names and the Linux efi=debug line. Expected strings
 * are written out in full, as they appear in a Linux 6.1 boot log.
 */
#include "lib/string.h"
#include "memmap/memmap.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/suites.h"

#define RAM MAPBUILD_RAM

static char buf[160];

static void boot_data_typeattr(struct ktap_test *t)
{
	struct mm_desc md = { .type = MM_BOOT_DATA, .attribute = RAM };

	mm_format_typeattr(buf, sizeof(buf), &md);
	KT_EXPECT_STREQ(t, buf, "[Boot Data   |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]");
}

static void every_named_bit(struct ktap_test *t)
{
	struct mm_desc md = { .type = MM_RUNTIME_CODE, .attribute = MM_ATTR_KNOWN };

	mm_format_typeattr(buf, sizeof(buf), &md);
	KT_EXPECT_STREQ(t, buf, "[Runtime Code|RUN|MR|CC|SP|NV|XP|RP|WP|RO|UCE|WB|WT|WC|UC]");
}

static void mmio_runtime(struct ktap_test *t)
{
	struct mm_desc md = { .type = MM_MMIO, .attribute = MM_ATTR_UC | MM_ATTR_RUNTIME };

	mm_format_typeattr(buf, sizeof(buf), &md);
	KT_EXPECT_STREQ(t, buf, "[MMIO        |RUN|  |  |  |  |  |  |  |  |   |  |  |  |UC]");
}

static void undefined_attribute_bits_print_raw(struct ktap_test *t)
{
	struct mm_desc md = { .type = MM_CONVENTIONAL, .attribute = RAM | (1ULL << 40) };

	mm_format_typeattr(buf, sizeof(buf), &md);
	KT_EXPECT_STREQ(t, buf, "[Conventional|attr=0x000001000000000f]");
}

static void unknown_type(struct ktap_test *t)
{
	struct mm_desc md = { .type = 0x70000001, .attribute = MM_ATTR_UC };

	mm_format_typeattr(buf, sizeof(buf), &md);
	KT_EXPECT_STREQ(t, buf, "[type=1879048193|   |  |  |  |  |  |  |  |  |   |  |  |  |UC]");
	KT_EXPECT_STREQ(t, mm_type_name(0x70000001), "");
	KT_EXPECT_STREQ(t, mm_type_name(MM_UNACCEPTED), "Unaccepted");
}

static void full_line(struct ktap_test *t)
{
	struct mm_desc md = {
		.type = MM_CONVENTIONAL, .phys_addr = 0x100000, .num_pages = 0x700, .attribute = RAM
	};

	mm_format_line(buf, sizeof(buf), 7, &md);
	KT_EXPECT_STREQ(t, buf,
			"efi: mem07: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
			"range=[0x0000000000100000-0x00000000007fffff] (7MB)");
}

static void line_index_and_small_size(struct ktap_test *t)
{
	struct mm_desc md = {
		.type = MM_BOOT_CODE, .phys_addr = 0x0, .num_pages = 1, .attribute = RAM
	};

	/* Linux truncates to whole MiB, so one page is "(0MB)"; indices past 99 widen. */
	mm_format_line(buf, sizeof(buf), 123, &md);
	KT_EXPECT_STREQ(t, buf,
			"efi: mem123: [Boot Code   |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
			"range=[0x0000000000000000-0x0000000000000fff] (0MB)");
}

static void ram_types(struct ktap_test *t)
{
	KT_EXPECT(t, mm_type_is_ram(MM_CONVENTIONAL));
	KT_EXPECT(t, mm_type_is_ram(MM_BOOT_DATA));
	KT_EXPECT(t, mm_type_is_ram(MM_LOADER_CODE));
	KT_EXPECT(t, !mm_type_is_ram(MM_RUNTIME_DATA));
	KT_EXPECT(t, !mm_type_is_ram(MM_MMIO));
	KT_EXPECT(t, !mm_type_is_ram(MM_ACPI_NVS));
	KT_EXPECT(t, !mm_type_is_ram(99));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(boot_data_typeattr),
	KTAP_CASE(every_named_bit),
	KTAP_CASE(mmio_runtime),
	KTAP_CASE(undefined_attribute_bits_print_raw),
	KTAP_CASE(unknown_type),
	KTAP_CASE(full_line),
	KTAP_CASE(line_index_and_small_size),
	KTAP_CASE(ram_types),
};
KTAP_SUITE(format_suite, "format", cases);
