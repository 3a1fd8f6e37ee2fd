// SPDX-License-Identifier: BSD-2-Clause
/* The final firmware map as the kernel received it. */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "tests/guest/guest.h"

static struct mm_desc *entry_at(u64 addr)
{
	s64 i = memmap_find(&kstate.map, addr);

	return i < 0 ? NULL : memmap_desc(&kstate.map, (u32)i);
}

static void map_nonempty(struct ktap_test *t)
{
	KT_EXPECT(t, kstate.map.nr_map > 0);
	KT_EXPECT(t, kstate.map.base != NULL);
}

static void spare_room_for_the_svam_copy(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u32 runtime = memmap_count(&kstate.map, mm_is_runtime, NULL);

	/*
	 * The buffer must hold the live map plus a copy of every runtime entry
	 * (the SetVirtualAddressMap input is built in that tail), which the stub
	 * sized from a map taken before its own allocations.
	 */
	KT_EXPECT(t, h->map_capacity - h->nr_map >= runtime);
	KT_EXPECT_EQ(t, h->map_buffer_bytes % PAGE_SIZE, 0);
}

static void descriptor_size_and_version(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	KT_EXPECT(t, h->desc_size >= MM_DESC_MIN_SIZE);
	KT_EXPECT_EQ(t, h->desc_size % 8, 0);
	KT_EXPECT_EQ(t, h->desc_version, MM_DESC_VERSION);
}

static void runtime_regions_present(struct ktap_test *t)
{
	KT_EXPECT(t, memmap_count(&kstate.map, mm_is_runtime, NULL) > 0);
}

static void image_covered_by_loader_entry(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	struct mm_desc *md = entry_at(h->image_base);

	KT_ASSERT(t, md != NULL);
	KT_EXPECT(t, md->type == MM_LOADER_CODE || md->type == MM_LOADER_DATA);
	KT_EXPECT(t, h->image_base + h->image_size <= mm_desc_end(md));
}

static void stub_allocations_are_loader_data(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const u64 ranges[][2] = {
		{ h->map_base, h->map_buffer_bytes },
		{ h->stack_base, h->stack_size },
		{ h->pt_pool_base, h->pt_pool_pages * PAGE_SIZE },
		{ (u64)(uintptr_t)h, h->handoff_pages * PAGE_SIZE },
	};

	/*
	 * Each was allocated before the final GetMemoryMap, so the final map
	 * already shows it as LoaderData, whole.
	 */
	for (u32 i = 0; i < ARRAY_SIZE(ranges); i++) {
		struct mm_desc *md = entry_at(ranges[i][0]);

		KT_ASSERT(t, md != NULL);
		KT_EXPECT_EQ(t, md->type, MM_LOADER_DATA);
		KT_EXPECT(t, ranges[i][0] + ranges[i][1] <= mm_desc_end(md));
	}
}

static void entries_page_aligned_and_nonoverlapping(struct ktap_test *t)
{
	const struct memmap *map = &kstate.map;
	u32 overlaps = 0;

	/*
	 * Order is not promised: OVMF with more than 3.5 GiB lists RAM above
	 * 4 GiB before the PCIe window and flash below it. Overlap is checked
	 * pairwise so that order does not matter.
	 */
	for (u32 i = 0; i < map->nr_map; i++) {
		const struct mm_desc *a = memmap_desc(map, i);

		KT_EXPECT_EQ(t, a->phys_addr % PAGE_SIZE, 0);
		KT_EXPECT(t, a->num_pages > 0);
		for (u32 j = i + 1; j < map->nr_map; j++) {
			const struct mm_desc *b = memmap_desc(map, j);

			if (a->phys_addr < mm_desc_end(b) && b->phys_addr < mm_desc_end(a))
				overlaps++;
		}
	}
	KT_EXPECT_EQ(t, overlaps, 0);
}

/* kernel/map_check.c ran the library's validation and sorted the map in place. */
static void kernel_sorted_and_validated(struct ktap_test *t)
{
	struct mm_validation v;

	KT_EXPECT(t, memmap_is_sorted(&kstate.map));
	/*
	 * Validating the sorted map again finds it in order and the same errors:
	 * sorting changes no descriptor. (Errors are the firmware's findings,
	 * such as AArch64's 64 KiB rule under U-Boot: never a reason to fail.)
	 */
	memmap_validate_arch(&kstate.map, ARCH_MEMMAP_RULES, NULL, NULL, &v);
	KT_EXPECT(t, v.sorted);
	KT_EXPECT_EQ(t, v.by_severity[MM_SEV_ERROR], kstate.validation.by_severity[MM_SEV_ERROR]);
	KT_EXPECT_EQ(t, v.by_check[MM_CHECK_OVERLAP], 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(map_nonempty),
	KTAP_CASE(spare_room_for_the_svam_copy),
	KTAP_CASE(descriptor_size_and_version),
	KTAP_CASE(runtime_regions_present),
	KTAP_CASE(image_covered_by_loader_entry),
	KTAP_CASE(stub_allocations_are_loader_data),
	KTAP_CASE(entries_page_aligned_and_nonoverlapping),
	KTAP_CASE(kernel_sorted_and_validated),
};
KTAP_SUITE(map_suite, "map", cases);
