// SPDX-License-Identifier: BSD-2-Clause
/* Runtime services and the EFI_RT_PROPERTIES_TABLE (kernel/rt_services.h). */
#include "kernel/rt_services.h"
#include "lib/string.h"

static const char *const names[EFI_SVC_NR] = {
	"GetTime",
	"SetTime",
	"GetWakeupTime",
	"SetWakeupTime",
	"GetVariable",
	"GetNextVariableName",
	"SetVariable",
	"SetVirtualAddressMap",
	"ConvertPointer",
	"GetNextHighMonotonicCount",
	"ResetSystem",
	"UpdateCapsule",
	"QueryCapsuleCapabilities",
	"QueryVariableInfo",
};

/*
 * Slot of each service in EFI_RUNTIME_SERVICES after the 24-byte table
 * header: the table's order is not the bit order.
 */
static const u8 slots[EFI_SVC_NR] = {
	[EFI_SVC_GET_TIME] = 0,
	[EFI_SVC_SET_TIME] = 1,
	[EFI_SVC_GET_WAKEUP_TIME] = 2,
	[EFI_SVC_SET_WAKEUP_TIME] = 3,
	[EFI_SVC_SET_VIRTUAL_ADDRESS_MAP] = 4,
	[EFI_SVC_CONVERT_POINTER] = 5,
	[EFI_SVC_GET_VARIABLE] = 6,
	[EFI_SVC_GET_NEXT_VARIABLE_NAME] = 7,
	[EFI_SVC_SET_VARIABLE] = 8,
	[EFI_SVC_GET_NEXT_HIGH_MONO_COUNT] = 9,
	[EFI_SVC_RESET_SYSTEM] = 10,
	[EFI_SVC_UPDATE_CAPSULE] = 11,
	[EFI_SVC_QUERY_CAPSULE_CAPS] = 12,
	[EFI_SVC_QUERY_VARIABLE_INFO] = 13,
};

const char *efi_service_name(enum efi_service s)
{
	return s < EFI_SVC_NR ? names[s] : "?";
}

u32 efi_service_offset(enum efi_service s)
{
	return 24 + 8 * (u32)(s < EFI_SVC_NR ? slots[s] : 0);
}

struct efi_rt_props efi_rt_props_read(const void *table, u64 bytes)
{
	struct efi_rt_props p = { .supported = EFI_RT_SUPPORTED_ALL };
	u32 supported;

	if (!table)
		return p;
	p.present = true;
	if (bytes < 8) {
		p.bad = "not in readable memory";
		return p;
	}
	memcpy(&p.version, table, 2);
	memcpy(&p.length, (const u8 *)table + 2, 2);
	memcpy(&supported, (const u8 *)table + 4, 4);
	/* Version 1 is the only one defined; a later one keeps the field where it is. */
	if (p.version < 1)
		p.bad = "version 0";
	else if (p.length < 8)
		p.bad = "length below 8 bytes";
	if (!p.bad) {
		p.supported = supported & EFI_RT_SUPPORTED_ALL;
		p.reserved_bits = supported & ~EFI_RT_SUPPORTED_ALL;
	}
	return p;
}

enum efi_svc_verdict efi_svc_judge(bool declared_supported, const struct efi_svc_record *r)
{
	if (r->faults)
		return EFI_SVC_FAIL_FAULT;
	if (!declared_supported)
		return r->other ? EFI_SVC_FAIL_UNDECLARED : EFI_SVC_UNSUPPORTED;
	if (r->unsupported)
		return EFI_SVC_FAIL_UNSUPPORTED;
	return r->calls ? EFI_SVC_OK : EFI_SVC_SUPPORTED;
}

const char *efi_svc_verdict_word(enum efi_svc_verdict v)
{
	switch (v) {
	case EFI_SVC_SUPPORTED:
		return "supported";
	case EFI_SVC_UNSUPPORTED:
		return "unsupported";
	case EFI_SVC_OK:
		return "ok";
	default:
		return "fail";
	}
}
