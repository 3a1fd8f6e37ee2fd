// SPDX-License-Identifier: BSD-2-Clause
/*
 * Runtime services after ExitBootServices, live: SetVirtualAddressMap as
 * the stub made it, the EFI page tables (every runtime region at its VA
 * and 1:1 with the memory attributes table's permissions, nothing of them
 * in the kernel's tables, W+X nowhere, boot-services memory gone from
 * them), the system table's pointers translated back, and the services
 * themselves through the one wrapper (arch_efi_call: kernel/x86/efi_call.c,
 * kernel/arm64/efi_call.c). The last case makes the firmware fault on
 * purpose when efimap.inject=rt-fault asks for it, and checks the run
 * survives it. Both arches run it; descriptors are read through the
 * arch's pte.h (pte_valid, pte_addr).
 */
#include "kernel/config_tables.h"
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/kernel.h"
#include "kernel/reclaim_boot.h"
#include "kernel/report.h"
#include "kernel/arch.h"
#include "kernel/efi_pt.h"
#include "kernel/pgtable_size.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "tests/guest/guest.h"

/*
 * What a write to an unmapped address inside the firmware raises: x86 #PF
 * (vector 14, SDM vol. 3A 6.15); arm64 a data abort taken from the current
 * EL, ESR_EL1.EC 0x25 (Arm ARM, ESR_EL1).
 */
#if defined(__aarch64__)
#define UNMAPPED_WRITE_VECTOR 0x25
#else
#define UNMAPPED_WRITE_VECTOR 14
#endif

/* The translation root in force, address bits only (CR3, TTBR0_EL1). */
static u64 root_now(void)
{
	return pte_addr(arch_page_root());
}

static bool runtime_on(struct ktap_test *t)
{
	if (efi_rt()->off_reason) {
		ktap_skip(t, "runtime services are off");
		return false;
	}
	return true;
}

/*
 * Whether svc can be tested: runtime services on and the RT properties
 * table (UEFI 2.10 section 4.6.2) does not declare it unsupported; a SKIP
 * with the reason otherwise. A firmware's legal choice is never a failure.
 */
static bool service_usable(struct ktap_test *t, enum efi_service svc)
{
	char why[96];

	if (!runtime_on(t))
		return false;
	if (efi_service_declared(svc))
		return true;
	fmt_snprintf(why, sizeof(why), "%s declared unsupported at runtime (RT properties 0x%x)",
		     efi_service_name(svc), efi_rt()->props.supported);
	ktap_skip(t, why);
	return false;
}

/*
 * A service declared supported that answers EFI_UNSUPPORTED, or that
 * faulted inside the firmware, is the firmware's error (a finding), not
 * efimap's; so is a fault efimap.wx=strict provoked (a policy result). The
 * case SKIPs with that reason. True when st is one of those.
 */
static bool broke_its_word(struct ktap_test *t, enum efi_service svc, u64 st)
{
	const struct efi_rt_state *rt = efi_rt();
	char why[96];

	if (st == EFIST_UNSUPPORTED)
		fmt_snprintf(why, sizeof(why), "%s returned EFI_UNSUPPORTED (a firmware finding)",
			     efi_service_name(svc));
	else if (st == EFIST_ABORTED && rt->faults && rt->off_reason)
		fmt_snprintf(why, sizeof(why), "%s faulted (%s)", efi_service_name(svc),
			     rt->policy_fault ? "efimap.wx=strict's result"
					      : "FW_BUG, a firmware finding");
	else
		return false;
	ktap_skip(t, why);
	return true;
}

/*
 * Invariant 3 on the bytes the firmware got (efimap's copy of the input,
 * not the stub's own count): every descriptor is EFI_MEMORY_RUNTIME with
 * a virtual address, and is one of the map's runtime entries, each of
 * which appears exactly once.
 */
static void svam_input_is_the_runtime_entries(struct ktap_test *t)
{
	const struct memmap *in = efi_svam_input();
	struct mm_iter it, jt;
	struct mm_desc *d, *md;

	if (!KT_EXPECT(t, in != NULL))
		return;
	KT_EXPECT_EQ(t, in->desc_size, kstate.map.desc_size);
	for_each_mm_desc (in, it, d) {
		u32 same = 0;

		KT_EXPECT(t, d->attribute & MM_ATTR_RUNTIME);
		KT_EXPECT(t, d->virt_addr != 0);
		for_each_mm_desc (&kstate.map, jt, md)
			same += md->phys_addr == d->phys_addr && md->num_pages == d->num_pages &&
				md->type == d->type && md->attribute == d->attribute &&
				md->virt_addr == d->virt_addr;
		ktap_check(t, same == 1, __FILE__, __LINE__,
			   "input entry %u (0x%llx) matches %u map entries", it.index,
			   (unsigned long long)d->phys_addr, same);
	}
	mm_iter_init(&jt, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&jt))) {
		u32 found = 0;

		for_each_mm_desc (in, it, d)
			found += d->phys_addr == md->phys_addr;
		KT_EXPECT_EQ(t, found, 1);
	}
}

static void svam_called_once_with_runtime_entries_only(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	u64 live_end = h->map_base + (u64)h->nr_map * h->desc_size;
	struct mm_iter it;
	struct mm_desc *md;

	KT_EXPECT_EQ(t, h->svam_calls, 1);
	if (h->svam_calls == 1 &&
	    (h->svam_result == HANDOFF_SVAM_FAILED || h->svam_result == HANDOFF_SVAM_FAULTED)) {
		/* Called as it should be; what the firmware did then is a finding. */
		ktap_skip(t,
			  "SetVirtualAddressMap failed inside the firmware (a firmware finding)");
		return;
	}
	KT_EXPECT_EQ(t, h->svam_result, HANDOFF_SVAM_OK);
	/* Seed 002: on efimap's tables, holding the 1:1 mapping and the window both. */
	KT_EXPECT(t, h->svam_pml4 != 0 && h->svam_pml4 != pte_addr(h->firmware_cr3));
	KT_EXPECT(t, h->svam_flags & HANDOFF_SVAM_BOTH_MAPPED);
	KT_EXPECT(t, h->svam_pml4 >= h->pt_pool_base &&
			     h->svam_pml4 < h->pt_pool_base + h->pt_pool_pages * PAGE_SIZE);
	KT_EXPECT_EQ(t, h->svam_status, EFIST_SUCCESS);
	/* Invariant 3: the input held exactly the map's runtime entries, each with a VA. */
	KT_EXPECT_EQ(t, h->svam_entries, memmap_count(&kstate.map, mm_is_runtime, NULL));
	/* A re-entered instance (efimap.kexec): the input went with the first one's map tail. */
	if (!h->kexec_hop) {
		svam_input_is_the_runtime_entries(t);
		/* Invariant 5: in the map allocation, past the live entries. */
		KT_EXPECT_EQ(t, h->svam_input, live_end);
		KT_EXPECT(t, live_end + (u64)h->svam_entries * h->desc_size <=
				     h->map_base + h->map_buffer_bytes);
	} else {
		KT_EXPECT_EQ(t, h->svam_input, 0);
	}
	/* Invariant 4: inside the window, congruent modulo 2 MiB. */
	mm_iter_init(&it, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		KT_EXPECT(t, md->virt_addr >= h->va_window_base &&
				     md->virt_addr + (md->num_pages << PAGE_SHIFT) <= h->va_end);
		KT_EXPECT_EQ(t, md->virt_addr % SZ_2M, md->phys_addr % SZ_2M);
	}
	KT_EXPECT(t, h->va_end - h->va_window_base <= h->va_window_size);
}

/*
 * Invariant 3's other half: unless SetVirtualAddressMap succeeded, no
 * runtime entry keeps a virtual address (the stub clears them on failure,
 * and never sets them when it does not call it).
 */
static void no_virtual_address_without_svam(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	struct mm_iter it;
	struct mm_desc *md;

	if (h->svam_result == HANDOFF_SVAM_OK) {
		ktap_skip(t, "SetVirtualAddressMap succeeded");
		return;
	}
	mm_iter_init(&it, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)))
		KT_EXPECT_EQ(t, md->virt_addr, 0);
	KT_EXPECT(t, efi_rt()->off_reason != NULL);
	KT_EXPECT_EQ(t, efi_rt()->runtime_mapped, 0);
}

/* EFI_SYSTEM_TABLE.RuntimeServices, at byte 88 (UEFI 2.10 section 4.3). */
#define ST_RUNTIME_SERVICES 88

static void system_table_pointers_translated(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const struct efi_rt_state *rt = efi_rt();
	u64 raw = *(const u64 *)(uintptr_t)(h->system_table + ST_RUNTIME_SERVICES);

	if (h->svam_result != HANDOFF_SVAM_OK) {
		ktap_skip(t, "SetVirtualAddressMap did not succeed: nothing was converted");
		return;
	}
	/* The firmware made it virtual (it lies in the window) ... */
	KT_EXPECT(t, raw >= h->va_window_base && raw < h->va_end);
	/* ... and the kernel's translation lands where it was before SVAM. */
	KT_EXPECT_EQ(t, rt->runtime_services, h->runtime_services);
	KT_EXPECT_EQ(t, rt->fw_vendor, h->fw_vendor_phys);
	KT_EXPECT_EQ(t, rt->config_table, h->config_table_phys);
	KT_EXPECT_EQ(t, efi_to_phys(raw), h->runtime_services);
}

/*
 * What the spec requires of the page at pa, worked out here (UEFI 2.10
 * section 4.6.4 and table 7-5): a MAT entry with RO removes write, one with
 * XP removes execute; otherwise the firmware must be able to run its code
 * (executable) and write its data and whatever of its code images no entry
 * describes (writable; code read-only only under efimap.wx=strict), and
 * nothing that is not code runs. *forced: the page is code the firmware
 * leaves writable and executable.
 */
static void required_perms(const struct efi_mat_header *mat, const struct mm_desc *md, u64 pa,
			   bool strict, bool *w, bool *x, bool *forced)
{
	bool code = md->type == MM_RUNTIME_CODE;

	*w = !(code && strict);
	*x = code;
	*forced = code;
	for (u32 i = 0; mat && i < mat->nr_entries; i++) {
		const struct mm_desc *m =
			(const void *)((const u8 *)(mat + 1) + (size_t)i * mat->desc_size);

		if (pa < m->phys_addr || pa - m->phys_addr >= (m->num_pages << PAGE_SHIFT))
			continue;
		if (m->attribute & (MM_ATTR_RO | MM_ATTR_XP)) {
			*w = !(m->attribute & MM_ATTR_RO);
			*x = !(m->attribute & MM_ATTR_XP);
			*forced = false;
		}
		break;
	}
}

static void runtime_regions_mapped_with_table_permissions(struct ktap_test *t)
{
	const struct efi_rt_state *rt = efi_rt();
	const struct efi_mat_header *mat = (const void *)(uintptr_t)rt->mat;
	const u64 *pml4 = (const u64 *)(uintptr_t)rt->pml4;
	bool strict = kstate.opts.wx_strict;
	struct mm_iter it;
	struct mm_desc *md;
	u64 pages = 0, forced_pages = 0;

	KT_ASSERT(t, pml4);
	/* A table the firmware publishes is used unless efimap.mat=ignore said otherwise. */
	if (mat && !rt->mat_ignored)
		KT_EXPECT(t, rt->mat_used);
	if (!rt->mat_used)
		mat = NULL;
	/* At their virtual address only when SetVirtualAddressMap gave them one. */
	KT_EXPECT_EQ(t, rt->runtime_mapped,
		     kstate.handoff->svam_result == HANDOFF_SVAM_OK
			     ? memmap_count(&kstate.map, mm_is_runtime, NULL)
			     : 0);
	mm_iter_init(&it, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)) && !t->failures) {
		bool mmio = md->type == MM_MMIO || !(md->attribute & MM_ATTR_WB);

		for (u64 off = 0; off < md->num_pages << PAGE_SHIFT; off += PAGE_SIZE) {
			u64 pa = md->phys_addr + off;
			struct pt_lookup v = pt_lookup(pml4, md->virt_addr + off),
					 i = pt_lookup(pml4, pa);
			bool w, x, forced;

			required_perms(mat, md, pa, strict, &w, &x, &forced);
			x = x || !rt->nx; /* without NX every page is executable */
			forced_pages += forced;
			if (!ktap_check(
				    t,
				    !md->virt_addr ||
					    (v.present && v.phys == pa && v.writable == w &&
					     v.executable == x && v.uncached == mmio),
				    __FILE__, __LINE__,
				    "VA 0x%llx (pa 0x%llx): present %d phys 0x%llx w%d x%d uc%d",
				    (unsigned long long)(md->virt_addr + off),
				    (unsigned long long)pa, v.present, (unsigned long long)v.phys,
				    v.writable, v.executable, v.uncached) ||
			    !ktap_check(t,
					!pa || (i.present && i.phys == pa && i.writable == w &&
						i.executable == x),
					__FILE__, __LINE__, "1:1 0x%llx wrong",
					(unsigned long long)pa))
				break;
			pages++;
		}
	}
	KT_EXPECT(t, pages > 0);
	/* The wx: line's fw_forced= counts exactly those pages. */
	KT_EXPECT_EQ(t, rt->forced_pages, forced_pages);
}

static void kernel_tables_hold_no_efi_mapping(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const u64 *kpml4 = (const u64 *)(uintptr_t)kstate.pml4;
	const u64 *epml4 = (const u64 *)(uintptr_t)efi_rt()->pml4;
	struct mm_iter it;
	struct mm_desc *md;

	KT_ASSERT(t, epml4);
	/* Not a single top-level slot of the window in the kernel's tables. */
	for (u64 slot = (h->va_window_base >> 39) & 511;
	     slot <= (((h->va_window_base + h->va_window_size - 1) >> 39) & 511); slot++)
		KT_EXPECT_EQ(t, kpml4[slot], 0);
	mm_iter_init(&it, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it)))
		KT_EXPECT(t, !paging_lookup(kstate.pml4, md->virt_addr).present);
	/* Seed 003: no top-level entry shared, so neither can write into the other's tables. */
	for (u32 i = 0; i < 512; i++)
		for (u32 j = 0; j < 512 && pte_valid(epml4[i]); j++)
			KT_EXPECT(t,
				  !pte_valid(kpml4[j]) || pte_addr(kpml4[j]) != pte_addr(epml4[i]));
	/* The EFI tables come from the pool after the kernel's, within the stub's estimate. */
	KT_EXPECT(t, efi_rt()->pt_pages > 0);
	KT_EXPECT(t, efi_rt()->pt_pages <=
			     pgtable_pages_efi(&kstate.map, h->text_start, h->rodata_end, 0));
	KT_EXPECT(t, efi_rt()->pml4 >= h->pt_pool_base + kstate.pt_pages_used * PAGE_SIZE);
	KT_EXPECT(t, efi_rt()->pml4 < h->pt_pool_base + h->pt_pool_pages * PAGE_SIZE);
	/* And the CPU is back on the kernel's tables after every call. */
	KT_EXPECT_EQ(t, root_now(), kstate.pml4);
}

/* A W+X leaf inside runtime code that no MAT entry gives RO or XP: the firmware's doing. */
static bool firmware_code(u64 va, u64 size, const void *ctx)
{
	const struct efi_mat_header *mat = ctx;
	struct mm_iter it;
	struct mm_desc *md;

	mm_iter_init(&it, &kstate.map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 bytes = md->num_pages << PAGE_SHIFT, pa;
		bool w, x, forced;

		if (va - md->phys_addr < bytes)
			pa = va;
		else if (md->virt_addr && va - md->virt_addr < bytes)
			pa = md->phys_addr + (va - md->virt_addr);
		else
			continue;
		for (u64 off = 0; off < size; off += PAGE_SIZE) {
			required_perms(mat, md, pa + off, false, &w, &x, &forced);
			if (!forced)
				return false;
		}
		return true;
	}
	return false;
}

/*
 * Invariant 10: nothing W+X anywhere but the runtime code the firmware
 * forces (counted twice in the EFI tables: 1:1 and in the window).
 */
static void no_wx_mapping_in_either_table(struct ktap_test *t)
{
	const struct efi_rt_state *rt = efi_rt();
	const void *mat = rt->mat_used ? (const void *)(uintptr_t)rt->mat : NULL;
	struct pt_wx k, e;

	if (!rt->nx) {
		ktap_skip(t, "no NX on this CPU: W^X cannot be enforced");
		return;
	}
	k = pt_count_wx((const u64 *)(uintptr_t)kstate.pml4, rt->nx);
	e = pt_count_wx_excusing((const u64 *)(uintptr_t)rt->pml4, rt->nx, firmware_code, mat);
	KT_EXPECT(t, k.leaves > 0 && e.leaves > 0);
	KT_EXPECT_EQ(t, k.wx_leaves, 0);
	KT_EXPECT_EQ(t, e.wx_leaves, 0);
	KT_EXPECT_EQ(t, e.excused_pages, kstate.opts.wx_strict ? 0 : 2 * rt->forced_pages);
}

static void boot_services_absent_from_efi_tables(struct ktap_test *t)
{
	const u64 *pml4 = (const u64 *)(uintptr_t)efi_rt()->pml4;
	const struct efi_pt_ranges *noted;
	const char *before;
	struct memmap empty;
	struct mm_iter it;
	struct mm_desc *md;
	u64 checked = 0, leaves;

	KT_ASSERT(t, pml4);
	KT_EXPECT(t, efi_rt()->bs_unmapped);
	/* What the map lists now (reclaim may have freed and compacted away every one) ... */
	mm_iter_init(&it, &kstate.map, mm_is_boot_services, NULL);
	while ((md = mm_iter_next(&it)))
		for (u64 a = md->phys_addr; a < mm_desc_end(md); a += PAGE_SIZE, checked++)
			if (!KT_EXPECT(t, !pt_lookup(pml4, a).present))
				return;
	/* ... and what it listed at ExitBootServices: firmware always has boot-services memory. */
	noted = efi_pt_bs_noted();
	for (u32 i = 0; i < noted->n; i++)
		for (u64 a = noted->start[i]; a < noted->end[i]; a += PAGE_SIZE, checked++)
			if (!KT_EXPECT(t, !pt_lookup(pml4, a).present))
				return;
	/* A re-entered instance (efimap.kexec) may be handed no boot-services memory at all. */
	if (!kstate.handoff->kexec_hop) {
		KT_EXPECT(t, noted->n > 0);
		KT_EXPECT(t, checked > 0);
	}
	/* Idempotent: a second removal changes nothing, runtime services stay as they were. */
	before = efi_rt()->off_reason;
	leaves = pt_count_wx(pml4, efi_rt()->nx).leaves;
	efi_pt_unmap_boot_services(&kstate.map);
	KT_EXPECT(t, efi_rt()->off_reason == before);
	KT_EXPECT_EQ(t, pt_count_wx(pml4, efi_rt()->nx).leaves, leaves);
	/* And with a map compacted down to nothing (the reclaim phase may call it late). */
	empty = kstate.map;
	empty.nr_map = 0;
	efi_pt_unmap_boot_services(&empty);
	KT_EXPECT(t, efi_rt()->off_reason == before);
	KT_EXPECT_EQ(t, pt_count_wx(pml4, efi_rt()->nx).leaves, leaves);
}

static void gettime_returns_a_sane_date(struct ktap_test *t)
{
	struct efi_time tm;
	const char *why;
	u64 st;

	if (!service_usable(t, EFI_SVC_GET_TIME))
		return;
	memset(&tm, 0, sizeof(tm));
	st = efi_get_time(&tm, &why);
	KT_ASSERT(t, !why);
	if (broke_its_word(t, EFI_SVC_GET_TIME, st))
		return;
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	KT_EXPECT(t, tm.year >= 2000 && tm.year <= 2199);
	KT_EXPECT(t, tm.month >= 1 && tm.month <= 12);
	KT_EXPECT(t, tm.day >= 1 && tm.day <= 31);
	KT_EXPECT(t, tm.hour < 24 && tm.minute < 60 && tm.second < 60);
	KT_EXPECT(t, tm.nanosecond < 1000000000u);
}

static void monotonic_count_increases(struct ktap_test *t)
{
	u32 a = 0, b = 0;
	const char *why;
	u64 st;

	if (!service_usable(t, EFI_SVC_GET_NEXT_HIGH_MONO_COUNT))
		return;
	st = efi_get_next_high_mono_count(&a, &why);
	KT_ASSERT(t, !why);
	if (broke_its_word(t, EFI_SVC_GET_NEXT_HIGH_MONO_COUNT, st))
		return;
	if (st == EFIST_OUT_OF_RESOURCES) {
		/* edk2 keeps the count in a non-volatile variable (UEFI 2.10 8.5.2.1). */
		ktap_skip(t, "the variable store holding the count is full");
		return;
	}
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	st = efi_get_next_high_mono_count(&b, &why);
	if (broke_its_word(t, EFI_SVC_GET_NEXT_HIGH_MONO_COUNT, st))
		return;
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	KT_EXPECT(t, b > a);
}

static const u16 test_name[] = u"EfimapRuntimeTest";
static const struct handoff_guid test_vendor = EFIMAP_VENDOR_GUID;

/* Whether GetNextVariableName lists (test_name, test_vendor); bounded walk. */
static bool listed(struct ktap_test *t)
{
	static u16 name[512];
	struct handoff_guid guid;
	const char *why;

	name[0] = 0;
	for (u32 n = 0; n < 4096; n++) {
		u64 size = sizeof(name), st = efi_get_next_variable_name(&size, name, &guid, &why);

		if (why || st == EFIST_NOT_FOUND)
			return false;
		if (!KT_EXPECT_EQ(t, st, EFIST_SUCCESS))
			return false;
		if (!memcmp(&guid, &test_vendor, sizeof(guid)) &&
		    !memcmp(name, test_name, sizeof(test_name)))
			return true;
	}
	KT_EXPECT(t, !"GetNextVariableName never ended");
	return false;
}

static void variable_round_trip(struct ktap_test *t)
{
	static const u8 data[24] = "efimap runtime variable";
	u64 max1 = 0, rem1 = 0, var1 = 0, max2 = 0, rem2 = 0, var2 = 0, size, st;
	u32 attrs = 0;
	u8 back[64];
	const char *why;

	if (!service_usable(t, EFI_SVC_QUERY_VARIABLE_INFO) ||
	    !service_usable(t, EFI_SVC_SET_VARIABLE) || !service_usable(t, EFI_SVC_GET_VARIABLE) ||
	    !service_usable(t, EFI_SVC_GET_NEXT_VARIABLE_NAME))
		return;
	st = efi_query_variable_info(NULL, REPORT_VAR_ATTRS, &max1, &rem1, &var1, &why);
	KT_ASSERT(t, !why);
	if (broke_its_word(t, EFI_SVC_QUERY_VARIABLE_INFO, st))
		return;
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	KT_EXPECT(t, rem1 <= max1 && var1 <= max1);
	if (var1 < sizeof(data) + sizeof(test_name)) {
		ktap_skip(t, "the variable store is full (efimap.inject=varstore-full?)");
		return;
	}
	st = efi_set_variable(NULL, test_name, &test_vendor, REPORT_VAR_ATTRS, sizeof(data), data,
			      &why);
	if (st == EFIST_OUT_OF_RESOURCES) {
		ktap_skip(t, "the variable store is full (efimap.inject=varstore-full?)");
		return;
	}
	if (broke_its_word(t, EFI_SVC_SET_VARIABLE, st))
		return;
	KT_ASSERT(t, st == EFIST_SUCCESS);
	size = sizeof(back);
	st = efi_get_variable(NULL, test_name, &test_vendor, &attrs, &size, back, &why);
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	KT_EXPECT_EQ(t, size, sizeof(data));
	KT_EXPECT_EQ(t, attrs, REPORT_VAR_ATTRS);
	KT_EXPECT(t, !memcmp(back, data, sizeof(data)));
	KT_EXPECT(t, listed(t));
	/* The store shrank by at least the data, and stays consistent. */
	st = efi_query_variable_info(NULL, REPORT_VAR_ATTRS, &max2, &rem2, &var2, &why);
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	KT_EXPECT_EQ(t, max2, max1);
	KT_EXPECT(t, rem2 + sizeof(data) <= rem1);
	/* Delete (size 0, UEFI 2.10 section 8.2.3): gone from Get and from the list. */
	st = efi_set_variable(NULL, test_name, &test_vendor, REPORT_VAR_ATTRS, 0, NULL, &why);
	KT_EXPECT_EQ(t, st, EFIST_SUCCESS);
	size = sizeof(back);
	st = efi_get_variable(NULL, test_name, &test_vendor, &attrs, &size, back, &why);
	KT_EXPECT_EQ(t, st, EFIST_NOT_FOUND);
	KT_EXPECT(t, !listed(t));
}

static void calls_work_without_boot_services_memory(struct ktap_test *t)
{
	struct efi_time tm;
	u64 a, b, c;
	const char *why;

	u32 called = 0;
	u64 st;

	if (!runtime_on(t))
		return;
	/* Every case above ran after the removal; say it once more explicitly. */
	KT_EXPECT(t, efi_rt()->bs_unmapped);
	/* And after reclaim freed that memory into the allocator, junk-filled. */
	KT_EXPECT(t, kreclaim.freed);
	KT_EXPECT(t, kreclaim.rc.st.freed > 0 || kstate.handoff->kexec_hop);
	/* Whichever of the two the firmware supports at runtime answers without a fault. */
	if (efi_service_declared(EFI_SVC_GET_TIME)) {
		st = efi_get_time(&tm, &why);
		KT_EXPECT(t, st == EFIST_SUCCESS || st == EFIST_UNSUPPORTED);
		called++;
	}
	if (efi_service_declared(EFI_SVC_QUERY_VARIABLE_INFO)) {
		st = efi_query_variable_info(NULL, REPORT_VAR_ATTRS, &a, &b, &c, &why);
		KT_EXPECT(t, st == EFIST_SUCCESS || st == EFIST_UNSUPPORTED);
		called++;
	}
	if (!called) {
		ktap_skip(t, "GetTime and QueryVariableInfo both declared unsupported at runtime");
		return;
	}
	KT_EXPECT_EQ(t, efi_rt()->faults, 0);
}

/* Last: afterwards runtime services are off for the rest of the run. */
static void injected_fault_is_recovered(struct ktap_test *t)
{
	const struct efi_rt_state *rt = efi_rt();
	u32 faults = rt->faults;
	struct efi_time tm;
	const char *why;
	u64 st;

	if (!(kstate.opts.inject & INJECT_RT_FAULT)) {
		ktap_skip(t, "only with efimap.inject=rt-fault");
		return;
	}
	if (!runtime_on(t))
		return;
	st = efi_inject_fault(&why);
	KT_EXPECT(t, !why);
	KT_EXPECT_EQ(t, st, EFIST_ABORTED);
	KT_EXPECT_EQ(t, rt->faults, faults + 1);
	KT_EXPECT_EQ(t, rt->fault_vector, UNMAPPED_WRITE_VECTOR);
	KT_EXPECT(t, rt->fault_addr != 0);
	KT_EXPECT(t, rt->off_reason != NULL);
	/* Off means off: no further call enters the firmware. */
	st = efi_get_time(&tm, &why);
	KT_EXPECT(t, why != NULL);
	KT_EXPECT_EQ(t, st, 0);
	KT_EXPECT_EQ(t, root_now(), kstate.pml4);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(svam_called_once_with_runtime_entries_only),
	KTAP_CASE(no_virtual_address_without_svam),
	KTAP_CASE(system_table_pointers_translated),
	KTAP_CASE(runtime_regions_mapped_with_table_permissions),
	KTAP_CASE(kernel_tables_hold_no_efi_mapping),
	KTAP_CASE(no_wx_mapping_in_either_table),
	KTAP_CASE(boot_services_absent_from_efi_tables),
	KTAP_CASE(gettime_returns_a_sane_date),
	KTAP_CASE(monotonic_count_increases),
	KTAP_CASE(variable_round_trip),
	KTAP_CASE(calls_work_without_boot_services_memory),
	KTAP_CASE(injected_fault_is_recovered),
};
KTAP_SUITE(runtime_suite, "runtime", cases);
