// SPDX-License-Identifier: BSD-2-Clause
/*
 * Which firmware this run met, from the EFI system table (UEFI 2.10
 * section 4.3): FirmwareVendor (a UCS-2 string) and FirmwareRevision. A
 * report saved on a stick names the machine's firmware this way. The table
 * and the string are firmware memory the kernel identity-maps; every byte
 * is checked to be mapped before it is read, so a bad pointer is reported,
 * not faulted on.
 */
#include "kernel/efi.h"
#include "kernel/firmware_id.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "lib/string.h"

/* EFI_SYSTEM_TABLE up to FirmwareRevision. */
struct efi_system_table_head {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 crc32;
	u32 reserved;
	u64 firmware_vendor; /* CHAR16 * */
	u32 firmware_revision;
};

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ULL /* "IBI SYST" */
#define VENDOR_MAX		   64

/* The system table's head, or NULL if it is not mapped or not one. */
static const struct efi_system_table_head *system_table(const struct handoff *h)
{
	const struct efi_system_table_head *st = (const void *)(uintptr_t)h->system_table;

	if (!st || !paging_mapped(kstate.pml4, h->system_table, sizeof(*st)) ||
	    st->signature != EFI_SYSTEM_TABLE_SIGNATURE)
		return NULL;
	return st;
}

int firmware_vendor(const struct handoff *h, char *out, size_t size)
{
	const struct efi_system_table_head *st = system_table(h);
	const u16 *s;
	size_t i;

	if (!st || size < 4)
		return -1;
	/*
	 * Virtual after SetVirtualAddressMap: the stub's note of where it was
	 * before, else translated through the runtime entries.
	 */
	s = (const u16 *)(uintptr_t)(h->fw_vendor_phys ? h->fw_vendor_phys
						       : efi_to_phys(st->firmware_vendor));
	for (i = 0; s && i + 1 < size; i++) {
		if (!paging_mapped(kstate.pml4, (u64)(uintptr_t)(s + i), sizeof(*s)))
			return -1;
		if (!s[i])
			break;
		/* Printable ASCII only: the line goes into logs and the report. */
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? (char)s[i] : '?';
	}
	out[i] = '\0';
	/* Longer than out: say so. */
	if (i + 1 == size && paging_mapped(kstate.pml4, (u64)(uintptr_t)(s + i), sizeof(*s)) &&
	    s[i])
		out[i - 3] = out[i - 2] = out[i - 1] = '.';
	return (int)i;
}

void firmware_id_print(const struct handoff *h)
{
	const struct efi_system_table_head *st = system_table(h);
	char vendor[VENDOR_MAX];

	if (!st) {
		printk("efimap: firmware: system table at 0x%llx is not readable",
		       (unsigned long long)h->system_table);
		return;
	}
	if (firmware_vendor(h, vendor, sizeof(vendor)) < 0)
		memcpy(vendor, "?", 2);
	printk("efimap: firmware: vendor=\"%s\" revision=0x%x uefi=%u.%02u", vendor,
	       st->firmware_revision, h->uefi_revision >> 16, h->uefi_revision & 0xffff);
}
