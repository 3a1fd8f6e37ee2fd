// SPDX-License-Identifier: BSD-2-Clause
/*
 * Runtime-service calls: the one place where the kernel enters firmware.
 * Runtime services use the Microsoft x64 calling convention (UEFI 2.10
 * section 2.3.4.2). Until private EFI page tables exist, calls run on the
 * firmware's own page tables, saved by the stub at ExitBootServices; they
 * are intact because nothing has freed boot-services memory yet.
 */
#include "kernel/efi.h"
#include "kernel/kernel.h"
#include "kernel/x86/cpu.h"

typedef u64 __attribute__((ms_abi)) (*efi_reset_fn)(u32 type, u64 status, u64 size, void *data);

const char *efi_reset_system(const struct handoff *h, enum efi_reset_type type)
{
	const struct efi_runtime_services *rt = (const void *)(uintptr_t)h->runtime_services;
	u64 saved_cr3 = read_cr3();

	if (!rt || !h->firmware_cr3)
		return "no runtime services table";
	if (rt->hdr.signature != EFI_RUNTIME_SERVICES_SIGNATURE)
		return "runtime services table has a bad signature";
	if (!rt->reset_system)
		return "ResetSystem is NULL";
	cli();
	write_cr3(h->firmware_cr3);
	((efi_reset_fn)(uintptr_t)rt->reset_system)(type, 0, 0, NULL);
	write_cr3(saved_cr3);
	return "ResetSystem returned";
}
