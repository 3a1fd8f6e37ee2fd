// SPDX-License-Identifier: BSD-2-Clause
/*
 * Runtime services after ExitBootServices: the one place where the kernel
 * enters firmware. The stub called SetVirtualAddressMap (stub/svam.c); here
 * the kernel builds the EFI page tables (efi_pt, their own root, from the
 * stub's page-table pool after the kernel's own tables), translates the
 * system table's virtual pointers back to physical (seed 002), and makes
 * every call through one wrapper, rt_call(), which enters the firmware by
 * the arch's arch_efi_call(): the EFI tables, interrupts off, the UEFI
 * calling convention, everything restored after. A fault inside the
 * firmware is reported as a firmware bug, runtime services go off, the call
 * returns EFI_ABORTED and the run carries on.
 */
#include "kernel/arch.h"
#include "kernel/config_tables.h"
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/findings.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "memmap/layout.h"

static struct efi_rt_state rt;
static struct pt_pool efi_pool;
static struct efi_pt_ranges bs_noted;
/* What the EFI tables were built from: the W+X audit and the fault handler ask it again. */
static struct efi_pt_input pt_in;

const struct efi_rt_state *efi_rt(void)
{
	return &rt;
}

void efi_runtime_off(const char *why)
{
	if (!rt.off_reason)
		rt.off_reason = why;
}

/* EFI_SYSTEM_TABLE (UEFI 2.10 section 4.3), the fields read here. */
struct efi_system_table {
	struct efi_table_header hdr;
	u64 firmware_vendor;
	u32 firmware_revision;
	u32 pad;
	u64 console_in_handle, con_in, console_out_handle, con_out, stderr_handle, std_err;
	u64 runtime_services;
	u64 boot_services;
	u64 nr_tables;
	u64 config_table;
};

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ULL /* "IBI SYST" */

u64 efi_to_phys(u64 ptr)
{
	u64 pa;

	if (rt.svam_ok && kstate.map.base && memmap_virt_to_phys(&kstate.map, ptr, &pa))
		return pa;
	return ptr;
}

static const char *svam_result_text(u32 r)
{
	switch (r) {
	case HANDOFF_SVAM_OK:
		return "ok";
	case HANDOFF_SVAM_FAILED:
		return "SetVirtualAddressMap failed";
	case HANDOFF_SVAM_NO_LAYOUT:
		return "not called: the runtime regions do not fit the window";
	case HANDOFF_SVAM_NO_ROOM:
		return "not called: no room for its input in the map buffer";
	case HANDOFF_SVAM_WINDOW_CLASH:
		return "not called: the efimap.va window overlaps physical memory";
	case HANDOFF_SVAM_NO_SERVICE:
		return "not called: no runtime services table";
	case HANDOFF_SVAM_EBS_FAILED:
		return "not called: ExitBootServices failed";
	case HANDOFF_SVAM_FAULTED:
		return "SetVirtualAddressMap faulted inside the firmware";
	default:
		return "unknown result";
	}
}

/* The SetVirtualAddressMap input as the firmware got it, copied before anything reuses it. */
static u8 svam_input_copy[EFI_SVAM_INPUT_MAX * 64];
static struct memmap svam_input_map;

const struct memmap *efi_svam_input(void)
{
	return svam_input_map.base ? &svam_input_map : NULL;
}

/* The map buffer's spare tail is scratch for the sort and is freed later: keep a copy. */
static void keep_svam_input(const struct handoff *h)
{
	u64 bytes = (u64)h->svam_entries * h->desc_size;

	if (!h->svam_calls || !h->svam_input || h->desc_size > 64 ||
	    h->svam_entries > EFI_SVAM_INPUT_MAX)
		return;
	memcpy(svam_input_copy, (const void *)(uintptr_t)h->svam_input, bytes);
	memmap_init(&svam_input_map, svam_input_copy, h->desc_size, h->desc_version,
		    h->svam_entries, h->svam_entries);
}

void efi_svam_report(const struct handoff *h, const struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;
	char st[32];

	keep_svam_input(h);
	rt.svam_ok = h->svam_result == HANDOFF_SVAM_OK && h->svam_calls == 1;
	/* Firmware order, so the indices match the memNN lines above and `efimap plan`. */
	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)))
		if (md->virt_addr)
			printk("efi: va: mem%02u phys=0x%016llx virt=0x%016llx pages=%llu",
			       it.index, (unsigned long long)md->phys_addr,
			       (unsigned long long)md->virt_addr,
			       (unsigned long long)md->num_pages);
	if (h->svam_calls)
		efi_status_str(st, sizeof(st), h->svam_status);
	else
		memcpy(st, "not-called", sizeof("not-called"));
	printk("efimap: svam: status=%s runtime_entries=%u calls=%u window=0x%llx window_kib=%llu "
	       "used_kib=%llu tables=%s both_mapped=%u%s",
	       st, h->svam_entries, h->svam_calls, (unsigned long long)h->va_window_base,
	       (unsigned long long)(h->va_window_size >> 10),
	       (unsigned long long)(h->va_end > h->va_window_base
					    ? (h->va_end - h->va_window_base) >> 10
					    : 0),
	       h->svam_pml4 ? "efimap" : "firmware", !!(h->svam_flags & HANDOFF_SVAM_BOTH_MAPPED),
	       /* efimap.kexec: the first instance's call, not this one's */
	       h->kexec_hop ? " inherited=1" : "");
	if (h->svam_result == HANDOFF_SVAM_FAULTED) {
		printk("efimap: fw_bug: FW_BUG service=SetVirtualAddressMap vector=%llu "
		       "addr=0x%llx "
		       "rip=0x%llx error=0x%llx",
		       (unsigned long long)h->svam_fault_vector,
		       (unsigned long long)h->svam_fault_addr,
		       (unsigned long long)h->svam_fault_rip,
		       (unsigned long long)h->svam_fault_error);
		fw_finding(FW_ERROR, "svam-fault", "UEFI 2.10 section 8.4.1",
			   "an OS calling it this way crashes; efimap survived it and runs without "
			   "runtime services",
			   "SetVirtualAddressMap faulted inside the firmware (vector %llu at rip "
			   "0x%llx) on tables holding the 1:1 mapping and the new window",
			   (unsigned long long)h->svam_fault_vector,
			   (unsigned long long)h->svam_fault_rip);
	} else if (h->svam_result == HANDOFF_SVAM_FAILED) {
		fw_finding(h->svam_status == EFIST_UNSUPPORTED ? FW_WARNING : FW_ERROR,
			   "svam-failed", "UEFI 2.10 section 8.4.1",
			   "an OS gets no virtual mapping of runtime services",
			   "SetVirtualAddressMap returned %s for %u runtime descriptors", st,
			   h->svam_entries);
	}
	if (!rt.svam_ok) {
		printk("efimap: svam: %s; running without runtime services",
		       svam_result_text(h->svam_result));
		efi_runtime_off("SetVirtualAddressMap did not succeed");
	}
}

/* The system table's pointers, translated (seed 002: efi_to_phys). */
static const char *translate_system_table(const struct handoff *h)
{
	const struct efi_system_table *st = (const void *)(uintptr_t)h->system_table;

	if (!st || st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE)
		return "no EFI system table";
	rt.fw_vendor = efi_to_phys(st->firmware_vendor);
	rt.config_table = efi_to_phys(st->config_table);
	rt.runtime_services = efi_to_phys(st->runtime_services);
	if (rt.runtime_services != h->runtime_services)
		return "the runtime services pointer does not translate back to its physical "
		       "address";
	return NULL;
}

/*
 * The RT properties table: a physical pointer the firmware does not convert
 * (UEFI 2.10 section 4.6.2); the kernel maps all of RAM 1:1, so it reads it
 * in place when the map says it is memory.
 */
static void rt_props_init(const struct handoff *h)
{
	u64 a = config_table_find_named(h, "EFI_RT_PROPERTIES_TABLE");
	s64 i = a ? memmap_find(&kstate.map, a) : -1;
	const struct mm_desc *md = i >= 0 ? memmap_desc(&kstate.map, (u32)i) : NULL;
	u64 bytes = md && mm_desc_mappable(md) && md->type != MM_MMIO ? mm_desc_end(md) - a : 0;

	rt.props = efi_rt_props_read(a ? (const void *)(uintptr_t)a : NULL, bytes);
	if (rt.props.bad)
		fw_finding(FW_WARNING, "rt-properties-bad", "UEFI 2.10 section 4.6.2",
			   "an OS cannot tell which runtime services work and must assume all do",
			   "EFI_RT_PROPERTIES_TABLE at 0x%llx unusable (%s)", (unsigned long long)a,
			   rt.props.bad);
	if (rt.props.reserved_bits)
		fw_finding(FW_WARNING, "rt-properties-reserved", "UEFI 2.10 section 4.6.2",
			   "bits no spec defines; an OS ignores them",
			   "EFI_RT_PROPERTIES_TABLE sets reserved bits 0x%x",
			   rt.props.reserved_bits);
}

/* W+X leaves the firmware forces (efi_pt.h): counted apart from efimap's own. */
static bool forced_by_firmware(u64 va, u64 size, const void *ctx)
{
	return efi_pt_forced_wx(ctx, va, size);
}

static const char *forced_reason(u32 why)
{
	if (why & EFI_WX_NO_MAT)
		return rt.mat ? "mat-ignored" : "no-mat";
	if (why & EFI_WX_MAT_UNCOVERED)
		return "mat-uncovered";
	if (why & EFI_WX_MAT_NEITHER)
		return "mat-no-ro-xp";
	return "none";
}

/* Findings about the MAT and the runtime code it leaves W+X (UEFI 2.10 section 4.6.4). */
static void report_mat(const struct efi_pt_result *r, const char *mat_why)
{
	static const char spec[] = "UEFI 2.10 section 4.6.4";

	if (!rt.mat)
		fw_finding(FW_INFO, "no-mat", spec,
			   "an OS cannot enforce W^X on runtime services: their code is mapped "
			   "writable and executable",
			   "no EFI_MEMORY_ATTRIBUTES_TABLE (optional); %llu runtime code pages "
			   "mapped W+X",
			   (unsigned long long)r->forced_pages);
	else if (mat_why)
		fw_finding(FW_ERROR, "mat-unusable", spec,
			   "an OS must ignore the table and map runtime code writable and "
			   "executable",
			   "EFI_MEMORY_ATTRIBUTES_TABLE at 0x%llx unusable (%s)",
			   (unsigned long long)rt.mat, mat_why);
	if (r->mat_wx)
		fw_finding(FW_WARNING, "mat-no-ro-xp", spec,
			   "those pages stay writable and executable under an OS that follows it",
			   "%u memory attributes table entries have neither EFI_MEMORY_RO nor "
			   "EFI_MEMORY_XP",
			   r->mat_wx);
	if (rt.mat && !mat_why && !rt.mat_ignored && (r->forced_why & EFI_WX_MAT_UNCOVERED))
		fw_finding(FW_WARNING, "mat-incomplete", spec,
			   "an OS gets no permissions for those pages and maps them writable and "
			   "executable",
			   "runtime code pages that no memory attributes table entry covers");
}

void efi_runtime_init(const struct handoff *h, const struct memmap *map, u64 kernel_pml4,
		      u64 pool_base, u64 pool_pages)
{
	static const struct handoff_guid mat_guid = GUID_MEMORY_ATTRIBUTES;
	struct efi_pt_result r;
	const char *err, *mat_why;
	struct pt_wx kw, ew;

	pt_in = (struct efi_pt_input){
		.map = map,
		.text_start = h->text_start,
		.text_end = h->text_end,
		.rodata_start = h->rodata_start,
		.rodata_end = h->rodata_end,
		.guard_page = h->stack_base,
		.nx = arch_nx_enabled(),
		.wx_strict = kstate.opts.wx_strict,
	};
	rt.nx = pt_in.nx;
	rt.mat = config_table_find(h, &mat_guid);
	rt.mat_ignored = rt.mat && kstate.opts.mat_ignore;
	pt_in.mat = (const void *)(uintptr_t)rt.mat;
	mat_why = efi_mat_check(pt_in.mat);
	if (rt.mat_ignored) {
		printk("efimap: efi_pt: memory attributes table at 0x%llx ignored "
		       "(efimap.mat=ignore)",
		       (unsigned long long)rt.mat);
		mat_why = NULL;
		pt_in.mat = NULL;
	} else if (mat_why) {
		pt_in.mat = NULL;
	}
	rt.mat_used = pt_in.mat != NULL;
	rt_props_init(h);

	err = translate_system_table(h);
	if (err && rt.svam_ok) {
		printk("efimap: svam: %s", err);
		efi_runtime_off(err);
	}

	efi_pool = (struct pt_pool){ pool_base, pool_pages, 0 };
	err = efi_pt_build(&efi_pool, &pt_in, &r);
	if (err) {
		printk("efimap: efi_pt: %s (%llu pages left in the pool)", err,
		       (unsigned long long)pool_pages);
		efi_runtime_off("the EFI page tables could not be built");
		rt.pml4 = 0;
	} else {
		rt.pml4 = (u64)(uintptr_t)r.pml4;
		rt.runtime_mapped = r.runtime_entries;
		rt.forced_pages = r.forced_pages;
		efi_pt_note_bs(&bs_noted, map);
		if (bs_noted.overflow)
			printk("efimap: efi_pt: more than %u boot-services ranges; the rest leave "
			       "the "
			       "EFI tables only while the map still lists them",
			       EFI_PT_MAX_BS_RANGES);
	}
	rt.pt_pages = efi_pool.used;
	printk("efimap: efi_pt: pt_pages=%llu pool_left=%llu runtime_mapped=%u mat=%s "
	       "mat_entries=%u mat_wx=%u",
	       (unsigned long long)efi_pool.used, (unsigned long long)(pool_pages - efi_pool.used),
	       r.runtime_entries,
	       rt.mat_used	? "used"
	       : rt.mat_ignored ? "ignored"
				: "none",
	       r.mat_entries, r.mat_wx);
	report_mat(&r, mat_why);

	kw = pt_count_wx((const u64 *)(uintptr_t)kernel_pml4, pt_in.nx);
	ew = rt.pml4 ? pt_count_wx_excusing(r.pml4, pt_in.nx, forced_by_firmware, &pt_in)
		     : (struct pt_wx){ 0 };
	/*
	 * kernel= and efi= are efimap's own W+X leaves (must be 0); fw_forced=
	 * the runtime code pages the firmware makes W+X (mapped twice, 1:1 and
	 * in the window); policy=strict maps them RX instead.
	 */
	printk("efimap: wx: kernel=%llu efi=%llu fw_forced=%llu fw_forced_reason=%s policy=%s "
	       "nx=%u",
	       (unsigned long long)kw.wx_leaves, (unsigned long long)ew.wx_leaves,
	       (unsigned long long)(pt_in.wx_strict ? 0 : r.forced_pages),
	       forced_reason(r.forced_why), pt_in.wx_strict ? "strict" : "linux", pt_in.nx);
	if (kw.wx_leaves)
		printk("efimap: wx: first W+X page in the kernel's tables at 0x%llx",
		       (unsigned long long)kw.wx_first);
	if (ew.wx_leaves)
		printk("efimap: wx: first W+X page in the EFI tables at 0x%llx",
		       (unsigned long long)ew.wx_first);
	if (pt_in.wx_strict && r.forced_pages)
		printk("efimap: wx: strict: %llu runtime code pages the firmware needs writable "
		       "are mapped read-only (efimap.wx=strict); a fault writing them is this "
		       "policy's result, not a firmware bug",
		       (unsigned long long)r.forced_pages);
	rt.init_done = true;
}

const struct efi_pt_ranges *efi_pt_bs_noted(void)
{
	return &bs_noted;
}

void efi_pt_unmap_boot_services(const struct memmap *map)
{
	if (!rt.pml4)
		return;
	/* What the map had at build time (it may be compacted now), then what it has. */
	if (efi_pt_unmap_ranges(&efi_pool, (u64 *)(uintptr_t)rt.pml4, &bs_noted) ||
	    efi_pt_unmap_bs(&efi_pool, (u64 *)(uintptr_t)rt.pml4, map)) {
		/* The tables may now hold half-removed regions: never run firmware on them. */
		printk("efimap: efi_pt: page-table pool exhausted unmapping boot-services memory");
		efi_runtime_off("the EFI page tables could not drop boot-services memory");
		return;
	}
	rt.bs_unmapped = true;
}

/*
 * The runtime function for service svc, or 0 with the reason it cannot be
 * called. The header's size says which functions an older table has
 * (UEFI 2.10 section 4.2).
 */
static u64 runtime_fn(enum efi_service svc, const char **why)
{
	const struct efi_runtime_services *t = (const void *)(uintptr_t)rt.runtime_services;
	u32 off = efi_service_offset(svc);
	u64 fn;

	*why = rt.off_reason;
	if (*why)
		return 0;
	if (!rt.init_done || !rt.pml4) {
		*why = "the EFI page tables are not built";
		return 0;
	}
	if (!t) {
		*why = "no runtime services table";
		return 0;
	}
	if (t->hdr.signature != EFI_RUNTIME_SERVICES_SIGNATURE) {
		*why = "runtime services table has a bad signature";
		return 0;
	}
	if (t->hdr.header_size < off + sizeof(u64)) {
		*why = "runtime services table too short for this service";
		return 0;
	}
	fn = *(const u64 *)((const u8 *)t + off);
	if (!fn)
		*why = "the service's pointer is NULL";
	return fn;
}

/*
 * Under efimap.wx=strict, a write to runtime code the firmware needs
 * writable is what the policy asked for (a write to a present read-only
 * page that efi_pt would have made W+X): not the firmware's fault.
 */
static bool strict_policy_fault(const struct efi_fault *f)
{
	return pt_in.wx_strict && f->write_to_ro &&
	       efi_pt_forced_wx(&pt_in, ALIGN_DOWN(f->addr, PAGE_SIZE), PAGE_SIZE);
}

/*
 * A fault inside service svc, the call already abandoned by arch_efi_call()
 * and the kernel's tables back: a firmware bug, or efimap.wx=strict's doing.
 * Runtime services are off from now on either way.
 */
static void report_fault(enum efi_service svc, const struct efi_fault *f)
{
	const char *name = efi_service_name(svc);

	rt.faults++;
	rt.fault_vector = f->vector;
	rt.fault_addr = f->addr;
	rt.fault_rip = f->pc;
	if (strict_policy_fault(f)) {
		rt.policy_fault = true;
		printk("efimap: wx: strict: %s wrote its own code at 0x%llx (rip 0x%llx), which "
		       "efimap.wx=strict maps read-only: a result of the policy, not a firmware "
		       "bug; runtime services are off from now on",
		       name, (unsigned long long)f->addr, (unsigned long long)f->pc);
		efi_runtime_off("efimap.wx=strict: a runtime service wrote its own code");
		return;
	}
	printk("efimap: fw_bug: FW_BUG service=%s vector=%llu addr=0x%llx rip=0x%llx "
	       "rip_phys=0x%llx error=0x%llx",
	       name, (unsigned long long)f->vector, (unsigned long long)f->addr,
	       (unsigned long long)f->pc, (unsigned long long)efi_to_phys(f->pc),
	       (unsigned long long)f->error);
	fw_finding(FW_ERROR, "rt-fault", "UEFI 2.10 section 8",
		   "an OS calling this service crashes or must switch runtime services off",
		   "%s faulted inside the firmware (vector %llu at rip 0x%llx); runtime "
		   "services are off from now on, the call returned EFI_ABORTED",
		   name, (unsigned long long)f->vector, (unsigned long long)f->pc);
	efi_runtime_off("a runtime service faulted inside the firmware (FW_BUG)");
}

/* The once-per-boot rule (efi.h): calls made, and whether a handoff forbade any. */
static u32 svam_calls_made;
static bool svam_locked;

void efi_svam_lock(void)
{
	svam_locked = true;
}

u32 efi_svam_calls(void)
{
	return svam_calls_made;
}

u64 efi_svam_guarded(u64 fn, u64 root, const u64 args[4], struct efi_fault *fault)
{
	const u64 a[6] = { args[0], args[1], args[2], args[3], 0, 0 };

	*fault = (struct efi_fault){ 0 };
	if (svam_calls_made || svam_locked)
		return EFI_SVAM_REFUSED;
	svam_calls_made++;
	return arch_efi_call(root, fn, a, fault);
}

/*
 * The wrapper every runtime call goes through. Returns the firmware's
 * status; *not_called says why no call was made (status 0 then).
 */
static u64 rt_call(enum efi_service svc, const char **not_called, u64 a0, u64 a1, u64 a2, u64 a3,
		   u64 a4, u64 a5)
{
	const u64 args[6] = { a0, a1, a2, a3, a4, a5 };
	u64 fn = runtime_fn(svc, not_called), st;
	struct efi_svc_record *rec = &rt.svc[svc];
	struct efi_fault fault;

	if (!fn)
		return 0;
	st = arch_efi_call(rt.pml4, fn, args, &fault);
	rt.calls++;
	if (fault.faulted)
		report_fault(svc, &fault);
	/* A fault efimap.wx=strict provoked says nothing about the service. */
	if (fault.faulted && rt.policy_fault)
		return st;
	rec->calls++;
	if (fault.faulted) {
		rec->faults++;
	} else if (st == EFIST_UNSUPPORTED) {
		rec->unsupported++;
	} else {
		rec->other++;
		rec->last_other = st;
	}
	return st;
}

bool efi_service_declared(enum efi_service svc)
{
	return svc < EFI_SVC_NR && (rt.props.supported & (1u << svc));
}

const char *efi_reset_system(const struct handoff *h, enum efi_reset_type type)
{
	const char *why;

	(void)h;
	rt_call(EFI_SVC_RESET_SYSTEM, &why, type, 0, 0, 0, 0, 0);
	return why ? why : "ResetSystem returned";
}

/*
 * The firmware reads and writes the caller's buffers on the EFI page
 * tables: one they do not map would fault inside the firmware and be taken
 * for a firmware bug. Such a call is efimap's own mistake: not made, and
 * said so.
 */
static bool buffers_mapped(const char **not_called, const void *a, u64 alen, const void *b,
			   u64 blen)
{
	if ((!a || !alen || paging_mapped(rt.pml4, (u64)(uintptr_t)a, alen)) &&
	    (!b || !blen || paging_mapped(rt.pml4, (u64)(uintptr_t)b, blen)))
		return true;
	*not_called = "efimap bug: a buffer passed to the firmware is not mapped in the EFI "
		      "page tables";
	return false;
}

u64 efi_get_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 *attrs, u64 *size, void *data, const char **not_called)
{
	(void)h;
	*not_called = NULL;
	if (rt.pml4 && !buffers_mapped(not_called, data, size ? *size : 0, vendor, sizeof(*vendor)))
		return 0;
	return rt_call(EFI_SVC_GET_VARIABLE, not_called, (uintptr_t)name, (uintptr_t)vendor,
		       (uintptr_t)attrs, (uintptr_t)size, (uintptr_t)data, 0);
}

u64 efi_set_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 attrs, u64 size, const void *data, const char **not_called)
{
	(void)h;
	*not_called = NULL;
	if (rt.pml4 && !buffers_mapped(not_called, data, size, vendor, sizeof(*vendor)))
		return 0;
	return rt_call(EFI_SVC_SET_VARIABLE, not_called, (uintptr_t)name, (uintptr_t)vendor, attrs,
		       size, (uintptr_t)data, 0);
}

u64 efi_query_variable_info(const struct handoff *h, u32 attrs, u64 *max_storage, u64 *remaining,
			    u64 *max_variable, const char **not_called)
{
	(void)h;
	return rt_call(EFI_SVC_QUERY_VARIABLE_INFO, not_called, attrs, (uintptr_t)max_storage,
		       (uintptr_t)remaining, (uintptr_t)max_variable, 0, 0);
}

u64 efi_get_next_variable_name(u64 *name_size, u16 *name, struct handoff_guid *vendor,
			       const char **not_called)
{
	return rt_call(EFI_SVC_GET_NEXT_VARIABLE_NAME, not_called, (uintptr_t)name_size,
		       (uintptr_t)name, (uintptr_t)vendor, 0, 0, 0);
}

u64 efi_get_time(struct efi_time *t, const char **not_called)
{
	return rt_call(EFI_SVC_GET_TIME, not_called, (uintptr_t)t, 0, 0, 0, 0, 0);
}

u64 efi_get_next_high_mono_count(u32 *high, const char **not_called)
{
	return rt_call(EFI_SVC_GET_NEXT_HIGH_MONO_COUNT, not_called, (uintptr_t)high, 0, 0, 0, 0,
		       0);
}

u64 efi_inject_fault(const char **not_called)
{
	u64 target = ALIGN_UP(kstate.handoff ? kstate.handoff->va_end : 0, SZ_2M) + SZ_2M;

	/* An address the EFI tables do not map: past the last region in the window, else page 0. */
	if (!rt.pml4 || !kstate.handoff || target < kstate.handoff->va_window_base ||
	    pt_lookup((const u64 *)(uintptr_t)rt.pml4, target).present)
		target = 0x10;
	printk("efimap: inject: GetTime with its result pointer at unmapped 0x%llx",
	       (unsigned long long)target);
	return efi_get_time((struct efi_time *)(uintptr_t)target, not_called);
}

/*
 * A service the table declares unsupported must say EFI_UNSUPPORTED (UEFI
 * 2.10 section 4.6.2): ask each one that is harmless to call once.
 */
static void probe_declared_unsupported(void)
{
	static const struct handoff_guid vendor = EFIMAP_VENDOR_GUID;
	static const u16 missing[] = u"EfimapNoSuchVariable";
	static u16 name[64];
	static struct handoff_guid scratch_guid;
	struct efi_time t = { 0 };
	u64 size, a, b, c;
	const char *why;
	u32 high;
	u8 en = 0, pend = 0;

	if (!efi_service_declared(EFI_SVC_GET_WAKEUP_TIME))
		rt_call(EFI_SVC_GET_WAKEUP_TIME, &why, (uintptr_t)&en, (uintptr_t)&pend,
			(uintptr_t)&t, 0, 0, 0);
	if (!efi_service_declared(EFI_SVC_GET_NEXT_VARIABLE_NAME)) {
		size = sizeof(name);
		name[0] = 0;
		efi_get_next_variable_name(&size, name, &scratch_guid, &why);
	}
	/* Deleting a variable that does not exist changes nothing where it is supported. */
	if (!efi_service_declared(EFI_SVC_SET_VARIABLE))
		efi_set_variable(NULL, missing, &vendor, REPORT_VAR_ATTRS, 0, NULL, &why);
	if (!efi_service_declared(EFI_SVC_GET_NEXT_HIGH_MONO_COUNT))
		efi_get_next_high_mono_count(&high, &why);
	if (!efi_service_declared(EFI_SVC_QUERY_VARIABLE_INFO))
		efi_query_variable_info(NULL, REPORT_VAR_ATTRS, &a, &b, &c, &why);
}

void efi_runtime_probe(void)
{
	static const struct handoff_guid vendor = EFIMAP_VENDOR_GUID;
	static const u16 missing[] = u"EfimapNoSuchVariable";
	struct efi_time t;
	const char *why;
	u64 size = 0, st;
	u32 attrs;
	u8 byte;

	st = efi_get_time(&t, &why);
	rt.gettime_ok = !why && st == EFIST_SUCCESS && t.month >= 1 && t.month <= 12 &&
			t.day >= 1 && t.day <= 31;
	st = efi_get_variable(NULL, missing, &vendor, &attrs, &size, &byte, &why);
	rt.variables_ok = !why && st == EFIST_NOT_FOUND;
	probe_declared_unsupported();
}

/* ok, fail, or unsupported when the table declared it so and the firmware agreed. */
static const char *probe_word(bool ok, enum efi_service svc)
{
	if (ok)
		return "ok";
	return efi_svc_judge(efi_service_declared(svc), &rt.svc[svc]) == EFI_SVC_UNSUPPORTED &&
			       rt.svc[svc].calls
		       ? "unsupported"
		       : "fail";
}

/* A finding for each service the table declares unsupported or that broke its word. */
static void judge_services(void)
{
	static const char spec[] = "UEFI 2.10 section 4.6.2";
	char st[32];

	for (u32 s = 0; s < EFI_SVC_NR; s++) {
		const char *name = efi_service_name((enum efi_service)s);
		const struct efi_svc_record *r = &rt.svc[s];

		switch (efi_svc_judge(efi_service_declared((enum efi_service)s), r)) {
		case EFI_SVC_UNSUPPORTED:
			fw_finding(FW_INFO, "rt-unsupported", spec,
				   "an OS must not rely on it after ExitBootServices",
				   "%s declared unsupported at runtime by EFI_RT_PROPERTIES_TABLE "
				   "(0x%x)%s",
				   name, rt.props.supported,
				   r->calls ? "; it returned EFI_UNSUPPORTED as required" : "");
			break;
		case EFI_SVC_FAIL_UNSUPPORTED:
			fw_finding(FW_ERROR, "rt-unsupported-undeclared", spec,
				   "an OS that trusts the table calls a service that does not work",
				   "%s returned EFI_UNSUPPORTED %u of %u times although %s", name,
				   r->unsupported, r->calls,
				   rt.props.present && !rt.props.bad
					   ? "EFI_RT_PROPERTIES_TABLE declares it supported"
					   : "there is no EFI_RT_PROPERTIES_TABLE (all are "
					     "supported)");
			break;
		case EFI_SVC_FAIL_UNDECLARED:
			efi_status_str(st, sizeof(st), r->last_other);
			fw_finding(FW_ERROR, "rt-declared-unsupported-answers", spec,
				   "a service declared unsupported must return EFI_UNSUPPORTED",
				   "%s is declared unsupported at runtime but returned %s", name,
				   st);
			break;
		default: /* faults were reported when they happened */
			break;
		}
	}
}

/* The services whose verdict word is word, comma-separated, or "none". */
static void list_services(char *out, size_t size, const char *word)
{
	size_t n = 0;

	out[0] = 0;
	for (u32 s = 0; s < EFI_SVC_NR; s++) {
		enum efi_svc_verdict v =
			efi_svc_judge(efi_service_declared((enum efi_service)s), &rt.svc[s]);

		if (strcmp(efi_svc_verdict_word(v), word))
			continue;
		n += (size_t)fmt_snprintf(out + n, size - n, "%s%s", n ? "," : "",
					  efi_service_name((enum efi_service)s));
	}
	if (!n)
		fmt_snprintf(out, size, "none");
}

void efi_runtime_summary(void)
{
	char ok[200], fail[200], unsup[200], sup[200], table[16];

	printk("efimap: runtime: gettime=%s variables=%s faults=%u enabled=%u",
	       probe_word(rt.gettime_ok, EFI_SVC_GET_TIME),
	       probe_word(rt.variables_ok, EFI_SVC_GET_VARIABLE), rt.faults, rt.off_reason ? 0 : 1);
	if (rt.off_reason)
		printk("efimap: runtime: off: %s", rt.off_reason);
	judge_services();
	list_services(ok, sizeof(ok), "ok");
	list_services(fail, sizeof(fail), "fail");
	list_services(unsup, sizeof(unsup), "unsupported");
	list_services(sup, sizeof(sup), "supported");
	if (rt.props.present && !rt.props.bad)
		fmt_snprintf(table, sizeof(table), "0x%x", rt.props.supported);
	else
		fmt_snprintf(table, sizeof(table), "%s", rt.props.present ? "bad" : "none");
	printk("efimap: rt_services: table=%s ok=%s fail=%s unsupported=%s", table, ok, fail,
	       unsup);
	printk("efimap: rt_services: supported_not_called=%s", sup);
}
