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
#include "kernel/rt_services.h"
#include "memmap/memmap.h"

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

/* EFI_TIME (UEFI 2.10 section 8.3.1). */
struct efi_time {
	u16 year; /* 1900-9999 */
	u8 month; /* 1-12 */
	u8 day;	  /* 1-31 */
	u8 hour;
	u8 minute;
	u8 second;
	u8 pad1;
	u32 nanosecond;
	s16 time_zone;
	u8 daylight;
	u8 pad2;
};

/* What the kernel knows about runtime services (kernel/x86/efi_call.c). */
struct efi_rt_state {
	bool svam_ok;		/* the stub's SetVirtualAddressMap succeeded */
	bool init_done;		/* efi_runtime_init() ran */
	bool mat_used;		/* permissions came from EFI_MEMORY_ATTRIBUTES_TABLE */
	bool mat_ignored;	/* there is one, and efimap.mat=ignore set it aside */
	bool policy_fault;	/* the fault was efimap.wx=strict's doing, not the firmware's */
	bool nx;		/* EFER.NXE on */
	bool bs_unmapped;	/* boot-services regions left the EFI tables */
	bool gettime_ok;	/* the start-up probe's GetTime */
	bool variables_ok;	/* the start-up probe's GetVariable (EFI_NOT_FOUND expected) */
	const char *off_reason; /* non-NULL: runtime services are off, and why */
	u64 pml4;		/* the EFI tables' root, 0 if not built */
	u64 pt_pages;		/* pool pages they use */
	u64 mat;		/* the memory attributes table's address, 0 if none */
	u64 forced_pages;	/* runtime code pages the firmware forces W+X */
	struct efi_rt_props props;		 /* EFI_RT_PROPERTIES_TABLE (all supported without) */
	struct efi_svc_record svc[EFI_SVC_NR]; /* what each service's calls returned */
	u32 runtime_mapped;	/* runtime entries mapped at their virtual address */
	u32 faults;		/* faults caught inside firmware */
	u64 calls;		/* runtime calls made */
	u64 fault_vector, fault_addr, fault_rip; /* the last fault */
	/* The system table's pointers, translated back to physical. */
	u64 fw_vendor, config_table, runtime_services;
};

const struct efi_rt_state *efi_rt(void);

/*
 * Print the runtime regions' virtual addresses ("efi: va: memNN ...", map
 * order as the firmware gave it) and "efimap: svam: ..."; runtime services
 * go off unless the stub's SetVirtualAddressMap succeeded. Before the map
 * is sorted.
 */
void efi_svam_report(const struct handoff *h, const struct memmap *map);

/* Copies of SetVirtualAddressMap's input are kept up to this many descriptors. */
#define EFI_SVAM_INPUT_MAX 64u

/*
 * The descriptors the stub handed to SetVirtualAddressMap, copied by
 * efi_svam_report() before the buffer's tail was reused; NULL when it was
 * not called (or had more than EFI_SVAM_INPUT_MAX entries).
 */
const struct memmap *efi_svam_input(void);

/*
 * Build the EFI page tables in [pool_base, +pool_pages) pages, translate the
 * system table's pointers and print "efimap: efi_pt: ..." and the W+X audit
 * of both tables ("efimap: wx: kernel=N efi=N fw_forced=N ...").
 */
void efi_runtime_init(const struct handoff *h, const struct memmap *map, u64 kernel_pml4,
		      u64 pool_base, u64 pool_pages);

/*
 * Remove every boot-services region's 1:1 mapping from the EFI page tables
 * (docs/architecture.md invariant 10): those the map listed when the tables were
 * built, and those map lists now. Idempotent; the map may be compacted
 * already.
 * Called by the reclaim phase before boot-services memory is freed.
 */
void efi_pt_unmap_boot_services(const struct memmap *map);

struct efi_pt_ranges;
/*
 * The boot-services ranges the map listed when the EFI tables were built:
 * what efi_pt_unmap_boot_services() removes even after reclaim has turned
 * every one of them into free memory and compacted them out of the map.
 */
const struct efi_pt_ranges *efi_pt_bs_noted(void);

/* A firmware pointer (virtual after SVAM) as a physical address; others unchanged. */
u64 efi_to_phys(u64 ptr);

/*
 * GetTime and GetVariable once, for the "efimap: runtime:" line, and every
 * service the RT properties table declares unsupported that can be called
 * without side effects, to check it says EFI_UNSUPPORTED as it must.
 */
void efi_runtime_probe(void);
/*
 * "efimap: runtime: gettime=ok|fail|unsupported variables=... faults=N
 * enabled=0|1", then "efimap: rt_services: table=... ok=... fail=..." and a
 * firmware finding for every service declared unsupported or misbehaving.
 */
void efi_runtime_summary(void);

/* Whether the RT properties table (or its absence) declares svc supported at runtime. */
bool efi_service_declared(enum efi_service svc);

/*
 * efimap.inject=rt-fault: GetTime with a result pointer the EFI tables do
 * not map, so the firmware faults; returns the status the call returned.
 */
u64 efi_inject_fault(const char **not_called);

u64 efi_get_time(struct efi_time *t, const char **not_called);
u64 efi_get_next_high_mono_count(u32 *high, const char **not_called);
u64 efi_get_next_variable_name(u64 *name_size, u16 *name, struct handoff_guid *vendor,
			       const char **not_called);

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

struct efi_fault;

/*
 * SetVirtualAddressMap (fn, physical) from the stub after ExitBootServices,
 * on the tables at root (0: the current ones), through arch_efi_call() like
 * the kernel's runtime calls: a fault inside the firmware is recorded in
 * *fault (nothing prints) and the call returns EFI_ABORTED. The stub must
 * have installed efimap's vectors (arch_traps_init).
 */
u64 efi_svam_guarded(u64 fn, u64 root, const u64 args[4], struct efi_fault *fault);

/*
 * UEFI 2.10 section 8.4.1: SetVirtualAddressMap may be called once per
 * boot. efi_svam_guarded() refuses (EFI_SVAM_REFUSED, fn not entered, no
 * fault recorded) once it has made a call, or once efi_svam_lock() was
 * called: by a kernel instance whose handoff says an earlier one called it
 * (efimap.kexec), since a fresh image starts with a fresh call count.
 */
#define EFI_SVAM_REFUSED 0x8000000000000014ULL /* EFI_ALREADY_STARTED (UEFI 2.10 appendix D) */
void efi_svam_lock(void);
/* Calls efi_svam_guarded() made into firmware in this image's lifetime (0 or 1). */
u32 efi_svam_calls(void);

#endif
