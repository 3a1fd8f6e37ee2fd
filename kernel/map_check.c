// SPDX-License-Identifier: BSD-2-Clause
/*
 * What the kernel says about the firmware's map: the memmap library's
 * validation, printed finding by finding, then the map sorted in place so
 * that everything after (paging, reclaim, compaction) works on address
 * order. The overlap and merge checks need that order, so on a map that
 * came unsorted they run again after the sort. The rules are those of the
 * arch the kernel was built for: on AArch64 a runtime region not 64 KiB
 * aligned is an error (UEFI 2.10 section 2.3.6), on x86 info.
 */
#include "kernel/findings.h"
#include "kernel/kernel.h"
#include "memmap/validate.h"

#if defined(__aarch64__)
#define MAP_CHECK_ARCH MM_ARCH_ARM64
#else
#define MAP_CHECK_ARCH MM_ARCH_X86
#endif

struct finding_ctx {
	const struct memmap *map;
	bool order_only; /* second pass: only the checks that needed the sort */
	struct mm_validation *total;
};

static void print_finding(const struct mm_finding *f, void *ctx)
{
	struct finding_ctx *fc = ctx;
	char text[240];

	if (fc->order_only) {
		if (!mm_check_needs_order(f->check))
			return;
		fc->total->by_severity[f->severity]++;
		fc->total->by_check[f->check]++;
	}
	/* memmap's severities are ordered info < warning < error, as the kernel's. */
	fw_finding_count(f->severity == MM_SEV_ERROR     ? FW_ERROR
			 : f->severity == MM_SEV_WARNING ? FW_WARNING
							 : FW_INFO);
	mm_finding_format(text, sizeof(text), f, fc->map);
	printk("efimap: finding: %s: %s: %s%s", mm_severity_name(f->severity),
	       mm_check_name(f->check), text, fc->order_only ? " (after sorting)" : "");
}

void map_check(struct memmap *map, struct mm_validation *v)
{
	struct finding_ctx fc = { .map = map, .order_only = false, .total = v };
	bool sorted;

	memmap_validate_arch(map, MAP_CHECK_ARCH, print_finding, &fc, v);
	sorted = v->sorted;
	if (!sorted) {
		/* The spare tail is the sort's scratch; the SVAM copy there is spent by now. */
		memmap_sort(map);
		fc.order_only = true;
		memmap_validate_arch(map, MAP_CHECK_ARCH, print_finding, &fc, NULL);
	}
	/* arch= tells the host tool (efimap check) which rules an efimap log's map takes. */
	printk("efimap: validate: errors=%u warnings=%u info=%u firmware_sorted=%u arch=%s",
	       v->by_severity[MM_SEV_ERROR], v->by_severity[MM_SEV_WARNING],
	       v->by_severity[MM_SEV_INFO], sorted, mm_arch_name(MAP_CHECK_ARCH));
}
