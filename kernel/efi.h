/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The few UEFI runtime definitions the kernel needs, in its own words: the
 * kernel never includes gnu-efi (only stub/ does). Layouts from UEFI 2.10
 * section 4.5 (EFI_RUNTIME_SERVICES).
 */
#ifndef EFIMAP_KERNEL_EFI_H
#define EFIMAP_KERNEL_EFI_H

#include "kernel/handoff.h"
#include "lib/types.h"

enum efi_reset_type {
	EFI_RESET_COLD = 0,
	EFI_RESET_WARM = 1,
	EFI_RESET_SHUTDOWN = 2,
};

struct efi_table_header {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 crc32;
	u32 reserved;
};

#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ULL /* "RUNTSERV" */

/* Function pointers are kept as u64: the kernel calls them only through efi_call.c. */
struct efi_runtime_services {
	struct efi_table_header hdr;
	u64 get_time;
	u64 set_time;
	u64 get_wakeup_time;
	u64 set_wakeup_time;
	u64 set_virtual_address_map;
	u64 convert_pointer;
	u64 get_variable;
	u64 get_next_variable_name;
	u64 set_variable;
	u64 get_next_high_mono_count;
	u64 reset_system;
	u64 update_capsule;
	u64 query_capsule_caps;
	u64 query_variable_info;
};

/*
 * ResetSystem through the firmware: returns only if the firmware did not
 * reset (a bad table, or a firmware bug), with a reason for the log.
 */
const char *efi_reset_system(const struct handoff *h, enum efi_reset_type type);

/*
 * Switch runtime services off (why: for the log; a static string). Every
 * call below then returns without entering firmware, with this reason.
 */
void efi_runtime_off(const char *why);

/*
 * Whether runtime calls run on the firmware's own page tables (which then
 * live in boot-services memory that reclaim must keep).
 */
bool efi_runtime_on_firmware_tables(void);

/*
 * Variable services (UEFI 2.10 section 8.2). Each returns the firmware's
 * EFI_STATUS; when the call could not be made at all (runtime services off,
 * no or bad table, the function missing) *not_called says why and the
 * status is 0. Names are NUL-terminated UCS-2.
 */
u64 efi_get_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 *attrs, u64 *size, void *data, const char **not_called);
u64 efi_set_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 attrs, u64 size, const void *data, const char **not_called);
u64 efi_query_variable_info(const struct handoff *h, u32 attrs, u64 *max_storage, u64 *remaining,
			    u64 *max_variable, const char **not_called);

#endif
