// SPDX-License-Identifier: BSD-2-Clause
/*
 * The pristine copy of the image for re-entry (efimap.kexec=N,
 * kernel/kexec.c). It is taken at efi_main's first statement: gnu-efi's
 * crt0 has relocated the image for the address the firmware loaded it at
 * (every later instance runs at that same address, so the copy needs no
 * relocation), and nothing has written to the image's data yet; its .bss
 * is still the loader's zeros. The options are read only later, so the
 * copy is always taken and given back to the firmware at once when no
 * chain was asked for: the first boot's allocations, and so its map, are
 * then what they were without this file.
 */
#include "lib/crc32.h"
#include "lib/string.h"
#include "stub/stub.h"

static EFI_PHYSICAL_ADDRESS copy_base;
static UINTN copy_pages;
static u64 copy_bytes;
static u32 copy_crc;
static EFI_STATUS copy_status;

void stub_kexec_keep_image(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_PHYSICAL_ADDRESS at = 0;
	EFI_STATUS status;
	UINTN pages;
	u32 crc;

	/* Only locals until the copy is made: the image's data must still be as loaded. */
	status = st->BootServices->HandleProtocol(image, &li_guid, (void **)&li);
	if (EFI_ERROR(status) || !li || !li->ImageSize) {
		copy_status = EFI_ERROR(status) ? status : EFI_LOAD_ERROR;
		return;
	}
	pages = (li->ImageSize + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	status = st->BootServices->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &at);
	if (EFI_ERROR(status)) {
		copy_status = status;
		return;
	}
	memcpy((void *)(uintptr_t)at, li->ImageBase, li->ImageSize);
	crc = crc32(0, (const void *)(uintptr_t)at, li->ImageSize);
	copy_base = at;
	copy_pages = pages;
	copy_bytes = li->ImageSize;
	copy_crc = crc;
}

void stub_kexec_decide(const struct options *o)
{
	if (!o->kexec) {
		if (copy_base)
			bs_call(FreePages, copy_base, copy_pages);
		copy_base = 0;
		return;
	}
	if (!copy_base) {
		stub_log("efimap: stub: kexec: no copy of the image (status 0x%llx); the chain "
			 "cannot start",
			 (unsigned long long)copy_status);
		return;
	}
	stub_log("efimap: stub: kexec: image copy at 0x%llx, %llu KiB, crc32 0x%08x",
		 (unsigned long long)copy_base, (unsigned long long)(copy_pages * 4), copy_crc);
}

void stub_kexec_fill(struct handoff *h)
{
	h->kexec_image = copy_base;
	h->kexec_image_bytes = copy_base ? (u64)copy_pages * EFI_PAGE_SIZE : 0;
	h->kexec_image_crc = copy_base ? copy_crc : 0;
	/* The kernel checks the copy against the loaded image's size. */
	if (copy_base && copy_bytes != h->image_size)
		h->kexec_image = 0;
}
