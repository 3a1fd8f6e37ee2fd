// SPDX-License-Identifier: BSD-2-Clause
/*
 * Runtime services after ExitBootServices: the one place where the kernel
 * enters firmware. The stub called SetVirtualAddressMap (stub/svam.c); here
 * the kernel builds the EFI page tables (kernel/x86/efi_pt.c, their own
 * PML4, from the stub's page-table pool after the kernel's own tables),
 * translates the system table's virtual pointers back to physical (seed
 * 002), and makes every call through one wrapper: CR3 to the EFI tables,
 * interrupts off, the MS x64 convention, everything restored after. A fault
 * inside the firmware is reported as a firmware bug, runtime services go
 * off, the call returns EFI_ABORTED and the run carries on.
 */
#include "kernel/config_tables.h"
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "kernel/x86/cpu.h"
#include "kernel/x86/efi_call.h"
#include "kernel/x86/efi_pt.h"
#include "lib/string.h"
#include "memmap/layout.h"

static struct efi_rt_state rt;
static struct efi_guard guard;
static struct pt_pool efi_pool;
static const char *current_service;
static u64 kernel_cr3;
static struct efi_pt_ranges bs_noted;

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
	default:
		return "unknown result";
	}
}

void efi_svam_report(const struct handoff *h, const struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;
	char st[32];

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
	       "used_kib=%llu",
	       st, h->svam_entries, h->svam_calls, (unsigned long long)h->va_window_base,
	       (unsigned long long)(h->va_window_size >> 10),
	       (unsigned long long)(h->va_end > h->va_window_base
					    ? (h->va_end - h->va_window_base) >> 10
					    : 0));
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

void efi_runtime_init(const struct handoff *h, const struct memmap *map, u64 kernel_pml4,
		      u64 pool_base, u64 pool_pages)
{
	static const struct handoff_guid mat_guid = GUID_MEMORY_ATTRIBUTES;
	struct efi_pt_input in = {
		.map = map,
		.text_start = h->text_start,
		.text_end = h->text_end,
		.rodata_start = h->rodata_start,
		.rodata_end = h->rodata_end,
		.guard_page = h->stack_base,
		.nx = !!(rdmsr(MSR_EFER) & EFER_NXE),
	};
	struct efi_pt_result r;
	const char *err, *mat_why;
	struct pt_wx kw, ew;

	rt.nx = in.nx;
	rt.mat = config_table_find(h, &mat_guid);
	in.mat = (const void *)(uintptr_t)rt.mat;
	mat_why = efi_mat_check(in.mat);
	if (mat_why) {
		if (rt.mat)
			printk("efimap: efi_pt: memory attributes table at 0x%llx unusable (%s); "
			       "permissions from the types",
			       (unsigned long long)rt.mat, mat_why);
		in.mat = NULL;
	}
	rt.mat_used = in.mat != NULL;

	err = translate_system_table(h);
	if (err && rt.svam_ok) {
		printk("efimap: svam: %s", err);
		efi_runtime_off(err);
	}

	efi_pool = (struct pt_pool){ pool_base, pool_pages, 0 };
	err = efi_pt_build(&efi_pool, &in, &r);
	if (err) {
		printk("efimap: efi_pt: %s (%llu pages left in the pool)", err,
		       (unsigned long long)pool_pages);
		efi_runtime_off("the EFI page tables could not be built");
		rt.pml4 = 0;
	} else {
		rt.pml4 = (u64)(uintptr_t)r.pml4;
		rt.runtime_mapped = r.runtime_entries;
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
	       r.runtime_entries, rt.mat_used ? "used" : "none", r.mat_entries, r.mat_wx);

	kw = pt_count_wx((const u64 *)(uintptr_t)kernel_pml4, in.nx);
	ew = rt.pml4 ? pt_count_wx(r.pml4, in.nx) : (struct pt_wx){ 0 };
	printk("efimap: wx: kernel=%llu efi=%llu", (unsigned long long)kw.wx_leaves,
	       (unsigned long long)ew.wx_leaves);
	if (kw.wx_leaves)
		printk("efimap: wx: first W+X page in the kernel's tables at 0x%llx",
		       (unsigned long long)kw.wx_first);
	if (ew.wx_leaves)
		printk("efimap: wx: first W+X page in the EFI tables at 0x%llx",
		       (unsigned long long)ew.wx_first);
	rt.init_done = true;
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
 * The runtime function at byte offset off of the table, or 0 with the
 * reason it cannot be called. The header's size says which functions an
 * older table has (UEFI 2.10 section 4.2).
 */
static u64 runtime_fn(size_t off, const char **why)
{
	const struct efi_runtime_services *t = (const void *)(uintptr_t)rt.runtime_services;
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

static void flush_global_tlb(void)
{
	/* Toggling PGE drops global TLB entries a CR3 load keeps. */
	if (read_cr4() & CR4_PGE) {
		write_cr4(read_cr4() & ~CR4_PGE);
		write_cr4(read_cr4() | CR4_PGE);
	}
}

static u64 save_flags_cli(void)
{
	u64 f;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

static void restore_flags(u64 f)
{
	__asm__ volatile("pushq %0; popfq" : : "r"(f) : "memory", "cc");
}

/*
 * The wrapper every runtime call goes through. Returns the firmware's
 * status; *not_called says why no call was made (status 0 then).
 */
static u64 rt_call(const char *name, size_t off, const char **not_called, u64 a0, u64 a1, u64 a2,
		   u64 a3, u64 a4, u64 a5)
{
	const u64 args[6] = { a0, a1, a2, a3, a4, a5 };
	u64 fn = runtime_fn(off, not_called), flags, st;

	if (!fn)
		return 0;
	flags = save_flags_cli();
	kernel_cr3 = read_cr3();
	current_service = name;
	write_cr3(rt.pml4);
	st = efi_guarded_call(&guard, fn, args);
	write_cr3(kernel_cr3);
	flush_global_tlb();
	current_service = NULL;
	restore_flags(flags);
	rt.calls++;
	return st;
}

bool efi_call_fault(struct trap_frame *f)
{
	u64 cr2 = read_cr2(), rip_phys;

	/* NMI and machine checks are not the firmware's doing. */
	if (!guard.active || f->vector == 2 || f->vector == 18)
		return false;
	guard.active = 0;
	rip_phys = efi_to_phys(f->rip);
	/* Back on the kernel's tables before anything prints (the screen is not in the EFI ones).
	 */
	write_cr3(kernel_cr3);
	flush_global_tlb();
	rt.faults++;
	rt.fault_vector = f->vector;
	rt.fault_addr = f->vector == 14 ? cr2 : 0;
	rt.fault_rip = f->rip;
	printk("efimap: fw_bug: FW_BUG service=%s vector=%llu addr=0x%llx rip=0x%llx "
	       "rip_phys=0x%llx error=0x%llx",
	       current_service ? current_service : "?", (unsigned long long)f->vector,
	       (unsigned long long)rt.fault_addr, (unsigned long long)f->rip,
	       (unsigned long long)rip_phys, (unsigned long long)f->error);
	printk("efimap: fw_bug: %s faulted inside the firmware; runtime services are off from "
	       "now on, the call returned EFI_ABORTED",
	       current_service ? current_service : "a runtime service");
	efi_runtime_off("a runtime service faulted inside the firmware (FW_BUG)");
	f->rsp = guard.rsp;
	f->rip = (u64)(uintptr_t)efi_guarded_resume;
	f->rax = EFIST_ABORTED;
	f->rflags &= ~(1ULL << 10); /* DF clear, as the C convention expects */
	return true;
}

#define RT_OFFSET(field) __builtin_offsetof(struct efi_runtime_services, field)

const char *efi_reset_system(const struct handoff *h, enum efi_reset_type type)
{
	const char *why;

	(void)h;
	rt_call("ResetSystem", RT_OFFSET(reset_system), &why, type, 0, 0, 0, 0, 0);
	return why ? why : "ResetSystem returned";
}

u64 efi_get_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 *attrs, u64 *size, void *data, const char **not_called)
{
	(void)h;
	return rt_call("GetVariable", RT_OFFSET(get_variable), not_called, (uintptr_t)name,
		       (uintptr_t)vendor, (uintptr_t)attrs, (uintptr_t)size, (uintptr_t)data, 0);
}

u64 efi_set_variable(const struct handoff *h, const u16 *name, const struct handoff_guid *vendor,
		     u32 attrs, u64 size, const void *data, const char **not_called)
{
	(void)h;
	return rt_call("SetVariable", RT_OFFSET(set_variable), not_called, (uintptr_t)name,
		       (uintptr_t)vendor, attrs, size, (uintptr_t)data, 0);
}

u64 efi_query_variable_info(const struct handoff *h, u32 attrs, u64 *max_storage, u64 *remaining,
			    u64 *max_variable, const char **not_called)
{
	(void)h;
	return rt_call("QueryVariableInfo", RT_OFFSET(query_variable_info), not_called, attrs,
		       (uintptr_t)max_storage, (uintptr_t)remaining, (uintptr_t)max_variable, 0, 0);
}

u64 efi_get_next_variable_name(u64 *name_size, u16 *name, struct handoff_guid *vendor,
			       const char **not_called)
{
	return rt_call("GetNextVariableName", RT_OFFSET(get_next_variable_name), not_called,
		       (uintptr_t)name_size, (uintptr_t)name, (uintptr_t)vendor, 0, 0, 0);
}

u64 efi_get_time(struct efi_time *t, const char **not_called)
{
	return rt_call("GetTime", RT_OFFSET(get_time), not_called, (uintptr_t)t, 0, 0, 0, 0, 0);
}

u64 efi_get_next_high_mono_count(u32 *high, const char **not_called)
{
	return rt_call("GetNextHighMonotonicCount", RT_OFFSET(get_next_high_mono_count), not_called,
		       (uintptr_t)high, 0, 0, 0, 0, 0);
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
}

void efi_runtime_summary(void)
{
	printk("efimap: runtime: gettime=%s variables=%s faults=%u enabled=%u",
	       rt.gettime_ok ? "ok" : "fail", rt.variables_ok ? "ok" : "fail", rt.faults,
	       rt.off_reason ? 0 : 1);
	if (rt.off_reason)
		printk("efimap: runtime: off: %s", rt.off_reason);
}
