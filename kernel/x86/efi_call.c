// SPDX-License-Identifier: BSD-2-Clause
/*
 * Runtime-service calls: the one place where the kernel enters firmware.
 * Runtime services use the Microsoft x64 calling convention (UEFI 2.10
 * section 2.3.4.2). Until private EFI page tables exist, calls run on the
 * firmware's own page tables, saved by the stub at ExitBootServices; they
 * are intact because nothing has freed boot-services memory yet. Every
 * pointer passed is identity-mapped in both sets of tables.
 */
#include "kernel/efi.h"
#include "kernel/kernel.h"
#include "kernel/x86/cpu.h"

typedef u64 __attribute__((ms_abi)) (*efi_reset_fn)(u32 type, u64 status, u64 size, void *data);
typedef u64 __attribute__((ms_abi)) (*efi_get_variable_fn)(const u16 *name, const void *vendor,
							   u32 *attrs, u64 *size, void *data);
typedef u64 __attribute__((ms_abi)) (*efi_set_variable_fn)(const u16 *name, const void *vendor,
							   u32 attrs, u64 size, const void *data);
typedef u64
	__attribute__((ms_abi)) (*efi_query_variable_info_fn)(u32 attrs, u64 *max_storage,
							      u64 *remaining, u64 *max_variable);

static const char *runtime_off_reason;

void efi_runtime_off(const char *why)
{
	runtime_off_reason = why;
}

bool efi_runtime_on_firmware_tables(void)
{
	return true;
}

/*
 * The runtime function at byte offset `off` of the table, or 0 with the
 * reason it cannot be called. The header's size says which functions an
 * older table has (UEFI 2.10 section 4.2).
 */
static u64 runtime_fn(const struct handoff *h, size_t off, const char **why)
{
	const struct efi_runtime_services *rt;
	u64 fn;

	*why = runtime_off_reason;
	if (*why)
		return 0;
	if (!h || !h->runtime_services || !h->firmware_cr3) {
		*why = "no runtime services table";
		return 0;
	}
	rt = (const void *)(uintptr_t)h->runtime_services;
	if (rt->hdr.signature != EFI_RUNTIME_SERVICES_SIGNATURE) {
		*why = "runtime services table has a bad signature";
		return 0;
	}
	if (rt->hdr.header_size < off + sizeof(u64)) {
		*why = "runtime services table too short for this service";
		return 0;
	}
	fn = *(const u64 *)((const u8 *)rt + off);
	if (!fn)
		*why = "the service's pointer is NULL";
	return fn;
}

/* Onto the firmware's page tables, interrupts off; returns the kernel's CR3. */
static u64 firmware_enter(const struct handoff *h)
{
	u64 saved = read_cr3();

	cli();
	write_cr3(h->firmware_cr3);
	return saved;
}

/* Back onto the kernel's tables; toggling PGE drops any global firmware TLB entry. */
static void firmware_leave(u64 saved_cr3)
{
	write_cr3(saved_cr3);
	if (read_cr4() & CR4_PGE) {
		write_cr4(read_cr4() & ~CR4_PGE);
		write_cr4(read_cr4() | CR4_PGE);
	}
}

#define RT_OFFSET(field) __builtin_offsetof(struct efi_runtime_services, field)

const char *efi_reset_system(const struct handoff *h, enum efi_reset_type type)
{
	const char *why;
	u64 fn = runtime_fn(h, RT_OFFSET(reset_system), &why);
	u64 saved;

	if (!fn)
		return why;
	saved = firmware_enter(h);
	((efi_reset_fn)(uintptr_t)fn)(type, 0, 0, NULL);
	firmware_leave(saved);
	return "ResetSystem returned";
}

u64 efi_get_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 *attrs, u64 *size, void *data, const char **not_called)
{
	u64 fn = runtime_fn(h, RT_OFFSET(get_variable), not_called), saved, st;

	if (!fn)
		return 0;
	saved = firmware_enter(h);
	st = ((efi_get_variable_fn)(uintptr_t)fn)(name, vendor, attrs, size, data);
	firmware_leave(saved);
	return st;
}

u64 efi_set_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 attrs, u64 size, const void *data, const char **not_called)
{
	u64 fn = runtime_fn(h, RT_OFFSET(set_variable), not_called), saved, st;

	if (!fn)
		return 0;
	saved = firmware_enter(h);
	st = ((efi_set_variable_fn)(uintptr_t)fn)(name, vendor, attrs, size, data);
	firmware_leave(saved);
	return st;
}

u64 efi_query_variable_info(const struct handoff *h, u32 attrs, u64 *max_storage, u64 *remaining,
			    u64 *max_variable, const char **not_called)
{
	u64 fn = runtime_fn(h, RT_OFFSET(query_variable_info), not_called), saved, st;

	if (!fn)
		return 0;
	saved = firmware_enter(h);
	st = ((efi_query_variable_info_fn)(uintptr_t)fn)(attrs, max_storage, remaining,
							 max_variable);
	firmware_leave(saved);
	return st;
}
