// SPDX-License-Identifier: BSD-2-Clause
/*
 * Everything the kernel needs after ExitBootServices is allocated here,
 * before the final GetMemoryMap; after that call nothing allocates, so the
 * map key stays valid and the map handed over is the one in force.
 */
#include "kernel/arch.h"
#include "lib/string.h"
#include "memmap/memmap.h"
#include "stub/stub.h"

#define KERNEL_STACK_PAGES 16 /* 64 KiB: the self-tests keep buffers on it */

static EFI_STATUS alloc_pages(UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	/* LoaderData: ours until the kernel says otherwise (UEFI 2.10 table 7-5). */
	return bs_call(AllocatePages, AllocateAnyPages, EfiLoaderData, pages, addr);
}

static void free_pages(EFI_PHYSICAL_ADDRESS *addr, UINTN pages)
{
	if (*addr)
		bs_call(FreePages, *addr, pages);
	*addr = 0;
}

void stub_release(struct stub_memory *m)
{
	free_pages(&m->stack, m->stack_pages);
	free_pages(&m->pool, m->pool_pages);
	free_pages(&m->handoff, m->handoff_pages);
	free_pages(&m->map, m->map_pages);
}

EFI_STATUS stub_snapshot_map(struct memmap *map, void **buf)
{
	UINTN size = 0, key, desc_size = 0;
	UINT32 version = 0;
	EFI_STATUS st;

	*buf = NULL;
	st = bs_call(GetMemoryMap, &size, NULL, &key, &desc_size, &version);
	for (int tries = 0; st == EFI_BUFFER_TOO_SMALL && tries < 8; tries++) {
		/* The pool allocation itself may add entries. */
		size += 8 * desc_size;
		if (*buf)
			bs_call(FreePool, *buf);
		*buf = NULL; /* a failed AllocatePool need not clear it */
		st = bs_call(AllocatePool, EfiLoaderData, size, buf);
		if (EFI_ERROR(st))
			return st;
		st = bs_call(GetMemoryMap, &size, *buf, &key, &desc_size, &version);
	}
	if (EFI_ERROR(st))
		return st;
	if (memmap_init(map, *buf, (u32)desc_size, version, (u32)(size / desc_size),
			(u32)(size / desc_size)) != MM_OK)
		return EFI_UNSUPPORTED;
	return EFI_SUCCESS;
}

/*
 * Page-table pages for the kernel's tables and the EFI tables of a map with
 * up to spare more descriptors than it has (kernel/pgtable_size.h).
 */
static UINTN pool_pages_for(const struct memmap *map, const struct stub_memory *m, u32 spare)
{
	return pgtable_pages_needed(map, m->text_start, m->text_end, spare) +
	       pgtable_pages_efi(map, m->text_start, m->text_end, spare) + m->extra_pt_pages;
}

/*
 * Spare descriptors the pool is sized for, out of the map buffer's spare:
 * each costs four page-table pages (two partial 2 MiB regions, in both
 * table sets), so sizing the pool for all 32 of the buffer's would cost
 * 512 KiB that small machines do not have (OVMF at 48M has no 736 KiB in
 * one piece). The pool is checked against the final map before
 * ExitBootServices instead (stub_exit_boot_services).
 */
static u32 pool_spare(UINTN spare)
{
	return spare / 8 ? (u32)(spare / 8) : 1;
}

EFI_STATUS stub_allocate(struct stub_memory *m, UINTN spare, u64 text_start, u64 text_end,
			 u64 extra_pt_pages)
{
	struct memmap snap;
	void *buf;
	UINTN nr;
	EFI_STATUS st;

	memset(m, 0, sizeof(*m));
	st = stub_snapshot_map(&snap, &buf);
	if (EFI_ERROR(st)) {
		stub_log("efimap: stub: GetMemoryMap for sizing failed (status 0x%llx)",
			 (unsigned long long)st);
		if (buf)
			bs_call(FreePool, buf);
		return st;
	}
	nr = snap.nr_map;
	m->desc_size = snap.desc_size;
	m->desc_version = snap.desc_version;
	m->nr_runtime = memmap_count(&snap, mm_is_runtime, NULL);
	/* The kernel's tables, then the EFI tables (kernel/efi_pt.c), in one pool. */
	m->text_start = text_start;
	m->text_end = text_end;
	m->extra_pt_pages = extra_pt_pages;
	m->pool_pages = pool_pages_for(&snap, m, pool_spare(spare));
	bs_call(FreePool, buf);

	m->stack_pages = KERNEL_STACK_PAGES;
	m->handoff_pages = ALIGN_UP(sizeof(struct handoff), PAGE_SIZE) / PAGE_SIZE;
	/* Room for the map as it grows, plus a copy of every runtime entry for SVAM. */
	m->map_pages = ALIGN_UP((nr + spare + m->nr_runtime) * m->desc_size, PAGE_SIZE) / PAGE_SIZE;

	st = alloc_pages(m->stack_pages, &m->stack);
	if (!EFI_ERROR(st))
		st = alloc_pages(m->pool_pages, &m->pool);
	if (!EFI_ERROR(st))
		st = alloc_pages(m->handoff_pages, &m->handoff);
	if (!EFI_ERROR(st))
		st = alloc_pages(m->map_pages, &m->map);
	if (EFI_ERROR(st)) {
		stub_log("efimap: stub: AllocatePages failed (status 0x%llx)",
			 (unsigned long long)st);
		stub_release(m);
		return st;
	}
	stub_log("efimap: stub: map %u entries of %u bytes, buffer %u KiB for %u, "
		 "page-table pool %u pages",
		 (unsigned int)nr, (unsigned int)m->desc_size, (unsigned int)(m->map_pages * 4),
		 (unsigned int)(m->map_pages * PAGE_SIZE / m->desc_size),
		 (unsigned int)m->pool_pages);
	return EFI_SUCCESS;
}

/*
 * Whether the pool holds the tables for the map in the buffer (size bytes):
 * pure arithmetic, allowed between GetMemoryMap and ExitBootServices.
 */
static bool pool_covers(const struct stub_memory *m, UINTN size, UINTN desc_size, UINT32 version)
{
	struct memmap final;
	u32 nr = desc_size ? (u32)(size / desc_size) : 0;

	if (memmap_init(&final, (void *)(uintptr_t)m->map, (u32)desc_size, version, nr, nr) !=
	    MM_OK)
		return true; /* not ours to judge here: the kernel reports a bad map */
	return pool_pages_for(&final, m, 0) <= m->pool_pages;
}

EFI_STATUS stub_exit_boot_services(struct stub_memory *m, struct handoff *h, bool stale_key)
{
	UINTN size = m->map_pages * PAGE_SIZE, key, desc_size;
	UINT32 version;
	EFI_STATUS st;

	/* From here to a successful ExitBootServices: no allocation, no console output. */
	st = bs_call(GetMemoryMap, &size, (void *)m->map, &key, &desc_size, &version);
	if (EFI_ERROR(st))
		return st;
	if (!pool_covers(m, size, desc_size, version))
		return EFI_BUFFER_TOO_SMALL; /* the map grew past the pool's spare */

	h->ebs_attempts = 1;
	st = bs_call(ExitBootServices, stub_image, stale_key ? key + 1 : key);
	if (st == EFI_INVALID_PARAMETER) {
		/*
		 * The map changed under us (UEFI 2.10 section 7.4: the caller may
		 * then only call GetMemoryMap and ExitBootServices again). Same
		 * buffer, same size: a second allocation here is not allowed.
		 */
		h->ebs_first_status_low = (u32)st;
		size = m->map_pages * PAGE_SIZE;
		st = bs_call(GetMemoryMap, &size, (void *)m->map, &key, &desc_size, &version);
		/* No allocation is allowed now: a pool too small ends the boot here. */
		if (!EFI_ERROR(st) && !pool_covers(m, size, desc_size, version))
			return EFI_OUT_OF_RESOURCES;
		if (!EFI_ERROR(st)) {
			h->ebs_attempts = 2;
			st = bs_call(ExitBootServices, stub_image, key);
		}
		if (EFI_ERROR(st))
			h->flags |= HANDOFF_EBS_FAILED;
	} else if (EFI_ERROR(st)) {
		return st; /* still in boot services */
	}

	h->tsc_at_ebs = arch_counter();
	h->map_base = m->map;
	h->map_buffer_bytes = m->map_pages * PAGE_SIZE;
	h->desc_size = (u32)desc_size;
	h->desc_version = version;
	h->nr_map = desc_size ? (u32)(size / desc_size) : 0;
	h->map_capacity = desc_size ? (u32)(h->map_buffer_bytes / desc_size) : 0;
	h->firmware_cr3 = arch_page_root();
	return EFI_SUCCESS;
}
