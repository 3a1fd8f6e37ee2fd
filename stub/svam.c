// SPDX-License-Identifier: BSD-2-Clause
/*
 * SetVirtualAddressMap from the stub (seed 002, docs/architecture.md boot flow step 6):
 * after ExitBootServices the stub gives every EFI_MEMORY_RUNTIME entry of
 * the live map its virtual address (memmap_layout_runtime(), a pure function
 * of the map and the window), copies only those entries into the spare tail
 * of the map buffer (sized for it before the final GetMemoryMap, so nothing
 * allocates) and calls SetVirtualAddressMap once on that copy. Boot services
 * are gone, so nothing here can print: the outcome goes into the handoff and
 * the kernel reports it.
 *
 * Seed 002: some firmware dereferences the new virtual addresses during the
 * call itself. So it runs, as Linux x86 runs it, on page tables holding
 * both the 1:1 mapping and the new window (kernel/efi_pt.c, built at
 * the end of the page-table pool, which the kernel only fills later), with
 * efimap's own GDT and IDT, under the guard that turns a fault inside the
 * firmware into a recorded result instead of a dead machine.
 */
#include "kernel/arch.h"
#include "kernel/config_tables.h"
#include "kernel/efi.h"
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

/*
 * The tables SetVirtualAddressMap runs on, from the end of the pool: 0 when
 * they cannot be built (the firmware's own tables then, as before).
 * efimap.inject=svam-fault leaves the runtime code out of the 1:1 half, so
 * the call faults on its first instruction.
 *
 * Without the memory attributes table: the call relocates the runtime
 * images in place (edk2's RuntimeDxe applies their fixups, which on
 * AArch64 land in .text: AAVMF writes its RO code pages here), and the
 * table's permissions are for after it (UEFI 2.10 section 4.6.4: the OS
 * applies them to the runtime mappings it keeps; Linux maps runtime code
 * writable until SetVirtualAddressMap has returned). So runtime code is
 * RWX here, for this one call; the kernel's EFI tables apply the table.
 */
static u64 build_svam_tables(struct handoff *h, const struct memmap *map, const struct options *o)
{
	u64 need = pgtable_pages_efi(map, h->text_start, h->rodata_end, 0);
	struct efi_pt_input in = {
		.map = map,
		.mat = NULL,
		.text_start = h->text_start,
		.text_end = h->text_end,
		.rodata_start = h->rodata_start,
		.rodata_end = h->rodata_end,
		/* x86: NX bits fault as reserved while EFER.NXE is off: use them only if it is on.
		 */
		.nx = arch_nx_enabled(),
		.svam_call = true,
	};
	struct pt_pool pool;
	struct efi_pt_result r;
	s64 at = memmap_find(map, h->runtime_services);
	struct pt_lookup pa, va;
	struct mm_iter it;
	struct mm_desc *md;

	/* x86: 4-level tables under CR4.LA57 would be read as a PML5; the kernel refuses too. */
	if (need > h->pt_pool_pages || arch_paging_unsupported())
		return 0;
	pool = (struct pt_pool){ h->pt_pool_base + (h->pt_pool_pages - need) * PAGE_SIZE, need, 0 };
	if (efi_pt_build(&pool, &in, &r))
		return 0;
	h->svam_pt_pages = (u32)pool.used;
	/* Both halves really hold the runtime services table: say so for the self-test. */
	md = at >= 0 ? memmap_desc(map, (u32)at) : NULL;
	if (md && md->virt_addr) {
		pa = pt_lookup(r.pml4, h->runtime_services);
		va = pt_lookup(r.pml4, md->virt_addr + (h->runtime_services - md->phys_addr));
		if (pa.present && va.present && pa.phys == va.phys)
			h->svam_flags |= HANDOFF_SVAM_BOTH_MAPPED;
	}
	if (o->inject & INJECT_SVAM_FAULT) {
		mm_iter_init(&it, map, mm_is_runtime, NULL);
		while ((md = mm_iter_next(&it)))
			if (md->type == MM_RUNTIME_CODE &&
			    pt_unmap(&pool, r.pml4, md->phys_addr, md->num_pages << PAGE_SHIFT))
				return 0;
	}
	return (u64)(uintptr_t)r.pml4;
}

void stub_set_virtual_address_map(struct handoff *h, const struct options *o, u64 window_base,
				  u64 window_size)
{
	struct efi_fault fault;
	u64 args[4];
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
	if (!window_size) {
		/* No efimap.va=: the arch's window for this machine's map (kernel/arch.h). */
		arch_va_window(h, &map, &window_base, &window_size);
		h->va_window_base = window_base;
		h->va_window_size = window_size;
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
	h->svam_pml4 = build_svam_tables(h, &map, o);
	arch_traps_init();
	args[0] = (u64)in.nr_map * in.desc_size;
	args[1] = in.desc_size;
	args[2] = in.desc_version;
	args[3] = (u64)(uintptr_t)in.base;
	h->svam_calls = 1;
	st = efi_svam_guarded((u64)(uintptr_t)stub_st->RuntimeServices->SetVirtualAddressMap,
			      h->svam_pml4, args, &fault);
	h->svam_status = st;
	if (fault.faulted) {
		h->svam_fault_vector = fault.vector;
		h->svam_fault_rip = fault.pc;
		h->svam_fault_addr = fault.addr;
		h->svam_fault_error = fault.error;
		clear_virtual(&map);
		clear_virtual(&in);
		h->svam_result = HANDOFF_SVAM_FAULTED;
		return;
	}
	if (EFI_ERROR(st)) {
		clear_virtual(&map);
		clear_virtual(&in);
		h->svam_result = HANDOFF_SVAM_FAILED;
		return;
	}
	h->svam_result = HANDOFF_SVAM_OK;
}
