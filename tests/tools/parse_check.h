/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the parser tests. */
#ifndef EFIMAP_TESTS_TOOLS_PARSE_CHECK_H
#define EFIMAP_TESTS_TOOLS_PARSE_CHECK_H

#include <string.h>

#include "tests/tools/suites.h"
#include "tools/parse.h"

#define RAM (MM_ATTR_UC | MM_ATTR_WC | MM_ATTR_WT | MM_ATTR_WB)

/* Entry i has exactly these fields (virt_addr is always 0 from text). */
static inline bool check_entry(struct ktap_test *t, const struct parsed_map *pm, u32 i, u32 type,
			       u64 phys, u64 pages, u64 attr, int line)
{
	const struct mm_desc *md;

	if (!ktap_check(t, i < pm->map.nr_map, __FILE__, line, "entry %u of %u", i, pm->map.nr_map))
		return false;
	md = memmap_desc(&pm->map, i);
	return ktap_check(
		t,
		md->type == type && md->phys_addr == phys && md->num_pages == pages &&
			md->attribute == attr && md->virt_addr == 0,
		__FILE__, line,
		"entry %u: type %u phys 0x%llx pages 0x%llx attr 0x%llx, expected %u 0x%llx "
		"0x%llx 0x%llx",
		i, md->type, (unsigned long long)md->phys_addr, (unsigned long long)md->num_pages,
		(unsigned long long)md->attribute, type, (unsigned long long)phys,
		(unsigned long long)pages, (unsigned long long)attr);
}

#define EXPECT_ENTRY(t, pm, i, type, phys, pages, attr) \
	check_entry(t, pm, i, type, phys, pages, attr, __LINE__)

/* The parse failed, on this line, with a message containing what. */
static inline bool check_error(struct ktap_test *t, int ret, const struct parsed_map *pm, u32 line,
			       const char *what, int src_line)
{
	return ktap_check(t, ret == -1 && pm->error_line == line && strstr(pm->error, what),
			  __FILE__, src_line,
			  "expected an error on line %u about '%s', got %d, line %u: %s", line,
			  what, ret, pm->error_line, pm->error);
}

#define EXPECT_ERROR(t, ret, pm, line, what) check_error(t, ret, pm, line, what, __LINE__)

#endif
