/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runtime services judged by the EFI_RT_PROPERTIES_TABLE (UEFI 2.10
 * section 4.6.2, "EFI_RT_PROPERTIES_TABLE"): a firmware may declare that
 * some services stop working after ExitBootServices, and must then return
 * EFI_UNSUPPORTED from them. No table means every service is supported
 * (the spec's default). Pure code: what was declared and what each call
 * returned go in, a verdict per service comes out; tested on the host.
 */
#ifndef EFIMAP_KERNEL_RT_SERVICES_H
#define EFIMAP_KERNEL_RT_SERVICES_H

#include "lib/types.h"

/* In the table's bit order: EFI_RT_SUPPORTED_<service> is 1 << the value. */
enum efi_service {
	EFI_SVC_GET_TIME = 0,
	EFI_SVC_SET_TIME,
	EFI_SVC_GET_WAKEUP_TIME,
	EFI_SVC_SET_WAKEUP_TIME,
	EFI_SVC_GET_VARIABLE,
	EFI_SVC_GET_NEXT_VARIABLE_NAME,
	EFI_SVC_SET_VARIABLE,
	EFI_SVC_SET_VIRTUAL_ADDRESS_MAP,
	EFI_SVC_CONVERT_POINTER,
	EFI_SVC_GET_NEXT_HIGH_MONO_COUNT,
	EFI_SVC_RESET_SYSTEM,
	EFI_SVC_UPDATE_CAPSULE,
	EFI_SVC_QUERY_CAPSULE_CAPS,
	EFI_SVC_QUERY_VARIABLE_INFO,
	EFI_SVC_NR,
};

#define EFI_RT_SUPPORTED_ALL ((1u << EFI_SVC_NR) - 1)

/* The spec's name ("GetTime"). */
const char *efi_service_name(enum efi_service s);
/* Byte offset of the service's pointer in EFI_RUNTIME_SERVICES (UEFI 2.10 section 4.5). */
u32 efi_service_offset(enum efi_service s);

/* The table as read: version 1, length at least 8 (UEFI 2.10 section 4.6.2). */
struct efi_rt_props {
	bool present;	 /* the firmware published one */
	const char *bad; /* non-NULL: present but unusable, and why (then all supported) */
	u16 version;
	u16 length;
	u32 supported; /* RuntimeServicesSupported; EFI_RT_SUPPORTED_ALL without a usable table */
	u32 reserved_bits; /* bits set that name no service (left out of supported) */
};

/* Read the table at table (bytes bytes readable there; NULL: none published). */
struct efi_rt_props efi_rt_props_read(const void *table, u64 bytes);

/* What the calls of one service returned after ExitBootServices. */
struct efi_svc_record {
	u32 calls;
	u32 unsupported; /* returned EFI_UNSUPPORTED */
	u32 faults;	 /* faulted inside the firmware (the call returned EFI_ABORTED) */
	u32 other;	 /* returned anything else (success or a meaningful error) */
	u64 last_other;	 /* the last such status */
};

enum efi_svc_verdict {
	EFI_SVC_SUPPORTED,   /* declared supported, not called */
	EFI_SVC_UNSUPPORTED, /* declared unsupported; not called, or returned EFI_UNSUPPORTED */
	EFI_SVC_OK,	     /* declared supported, called, never unsupported or faulting */
	EFI_SVC_FAIL_UNSUPPORTED, /* declared supported, returned EFI_UNSUPPORTED: firmware error */
	EFI_SVC_FAIL_FAULT,	  /* faulted inside the firmware: firmware error */
	EFI_SVC_FAIL_UNDECLARED, /* declared unsupported, returned something else: firmware error */
};

enum efi_svc_verdict efi_svc_judge(bool declared_supported, const struct efi_svc_record *r);

/* "ok", "supported", "unsupported" or "fail". */
const char *efi_svc_verdict_word(enum efi_svc_verdict v);

#endif
