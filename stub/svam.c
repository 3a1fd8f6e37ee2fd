// SPDX-License-Identifier: BSD-2-Clause
/*
 * SetVirtualAddressMap from the stub (seed 002, design.md boot flow step 6):
 * after ExitBootServices the stub gives every EFI_MEMORY_RUNTIME entry of
 * the live map its virtual address (memmap_layout_runtime(), a pure function
 * of the map and the window), copies only those entries into the spare tail
 * of the map buffer (sized for it before the final GetMemoryMap, so nothing
 * allocates) and calls SetVirtualAddressMap once on that copy. Boot services
 * are gone, so nothing here can print: the outcome goes into the handoff and
 * the kernel reports it.
 */
#include "memmap/layout.h"
#include "stub/stub.h"

/* Undo the layout: after a failure no virtual address may stay set (invariant 3). */
static void clear_virtual(struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;

	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)))
		md->virt_addr = 0;
}

/*
 * A window in the lower half shares the address space with the identity
 * mappings the kernel and the EFI tables make of every map entry and the
 * framebuffer: it must start above all of them. The upper half never clashes.
 */
static bool window_clashes(const struct memmap *map, const struct handoff *h, u64 base)
{
	struct mm_iter it;
	struct mm_desc *md;

	if (base >= (1ULL << 47))
		return false;
	if (h->fb_size && h->fb_base + h->fb_size > base)
		return true;
	for_each_mm_desc (map, it, md)
		if (md->num_pages && mm_desc_end(md) > base)
			return true;
	return false;
}

void stub_set_virtual_address_map(struct handoff *h, u64 window_base, u64 window_size)
{
	struct memmap map, in;
	struct mm_layout lay;
	struct mm_iter it;
	struct mm_desc *md;
	u64 live = (u64)h->nr_map * h->desc_size;
	EFI_STATUS st;

	h->va_window_base = window_base;
	h->va_window_size = window_size;
	if (h->flags & HANDOFF_EBS_FAILED) {
		h->svam_result = HANDOFF_SVAM_EBS_FAILED;
		return;
	}
	if (!h->runtime_services) {
		h->svam_result = HANDOFF_SVAM_NO_SERVICE;
		return;
	}
	if (memmap_init(&map, (void *)(uintptr_t)h->map_base, h->desc_size, h->desc_version,
			h->nr_map, h->map_capacity) != MM_OK) {
		h->svam_result = HANDOFF_SVAM_NO_LAYOUT;
		return;
	}
	if (window_clashes(&map, h, window_base)) {
		h->svam_result = HANDOFF_SVAM_WINDOW_CLASH;
		return;
	}
	if (!memmap_layout_runtime(&map, window_base, window_size, &lay, NULL, NULL)) {
		h->svam_result = HANDOFF_SVAM_NO_LAYOUT;
		return;
	}
	h->va_end = lay.va_end;
	/* The spare tail: past the live entries, inside the one map allocation (invariant 5). */
	if (!memmap_copy_runtime(&map, (u8 *)(uintptr_t)h->map_base + live,
				 h->map_buffer_bytes - live, &in)) {
		clear_virtual(&map);
		h->svam_result = HANDOFF_SVAM_NO_ROOM;
		return;
	}
	h->svam_input = h->map_base + live;
	h->svam_entries = in.nr_map;
	for_each_mm_desc (&in, it, md)
		if (!mm_is_runtime(md, NULL) || !md->virt_addr)
			h->svam_input_nonruntime++;

	/*
	 * UEFI 2.10 section 8.4.1: called once, in physical mode, after
	 * ExitBootServices, with the runtime descriptors and their VirtualStart.
	 */
	h->svam_calls = 1;
	st = rt_call(SetVirtualAddressMap, (UINTN)in.nr_map * in.desc_size, in.desc_size,
		     in.desc_version, (EFI_MEMORY_DESCRIPTOR *)in.base);
	h->svam_status = st;
	if (EFI_ERROR(st)) {
		clear_virtual(&map);
		clear_virtual(&in);
		h->svam_result = HANDOFF_SVAM_FAILED;
		return;
	}
	h->svam_result = HANDOFF_SVAM_OK;
}
