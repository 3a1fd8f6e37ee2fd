// SPDX-License-Identifier: BSD-2-Clause
/*
 * Re-entry, live (kernel/kexec.c, efimap.kexec=N): each case is one of the
 * checks an instance makes of what it inherited, so that a failed check
 * fails this instance's verdict, and the chain's through the last
 * instance's earlier_instances_passed. The expected values are the earlier
 * instances' records in the handoff (and UEFI 2.10 section 8.4.1's "once"),
 * never this instance's own figures. Without a chain only the guard runs.
 */
#include "accept/accept.h"
#include "kernel/accept_boot.h"
#include "kernel/efi.h"
#include "kernel/kexec.h"
#include "kernel/reclaim_boot.h"
#include "kernel/arch.h"
#include "lib/printf.h"
#include "tests/guest/guest.h"

static bool in_chain(struct ktap_test *t)
{
	if (!kexec.active) {
		ktap_skip(t, "no chain (efimap.kexec=0)");
		return false;
	}
	return true;
}

static bool re_entered(struct ktap_test *t)
{
	if (!in_chain(t))
		return false;
	if (!kexec.hop) {
		ktap_skip(t, "the first instance: nothing inherited yet");
		return false;
	}
	return true;
}

static u64 counted_calls;

static u64 counting_fn(void)
{
	counted_calls++;
	return 0;
}

/*
 * UEFI 2.10 section 8.4.1: SetVirtualAddressMap once per boot. After the
 * stub's call (or a handoff saying an earlier instance made it), the one
 * wrapper refuses a second call without entering the function.
 */
static void second_svam_is_refused(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const u64 args[4] = { 0, 0, 0, 0 };
	struct efi_fault fault;
	u64 st;

	if (!h->svam_calls && !(h->kexec_flags & HANDOFF_KEXEC_SVAM_DONE) && !kexec.active) {
		ktap_skip(t, "SetVirtualAddressMap was not called this boot");
		return;
	}
	counted_calls = 0;
	st = efi_svam_guarded((u64)(uintptr_t)counting_fn, 0, args, &fault);
	KT_EXPECT_EQ(t, st, EFI_SVAM_REFUSED);
	KT_EXPECT_EQ(t, counted_calls, 0);
	KT_EXPECT(t, !fault.faulted);
	/* This image made the stub's call in the first instance, and none in later ones. */
	KT_EXPECT_EQ(t, efi_svam_calls(), h->kexec_hop ? 0 : h->svam_calls);
	KT_EXPECT(t, efi_svam_calls() <= 1);
	if (kexec.active) { /* the instance's own check (its kexec: line) said the same */
		KT_EXPECT(t, kexec.checked & KEXEC_CHECK_SVAM_GUARD);
		KT_EXPECT_EQ(t, kexec.svam_fake_calls, 0);
		KT_EXPECT_EQ(t, kexec.svam_refused, 1);
	}
}

/* Seed 002: the layout function over the map gives exactly the map's addresses. */
static void layout_function_gives_the_map(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	if (!in_chain(t))
		return;
	if (!efi_rt()->svam_ok) {
		ktap_skip(t, "SetVirtualAddressMap did not succeed: no virtual addresses");
		return;
	}
	KT_EXPECT_EQ(t, kexec.layout_mismatches, 0);
	KT_EXPECT_EQ(t, kexec.layout, KEXEC_LAYOUT_UNCHANGED);
	if (kexec.hop)
		KT_EXPECT_EQ(t, kexec.layout_crc, h->kexec_layout_crc);
}

/* Every kept firmware table byte-identical to what the first instance recorded. */
static void kept_tables_unchanged(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	if (!re_entered(t))
		return;
	KT_EXPECT(t, h->kexec_nr_kept > 0);
	KT_EXPECT_EQ(t, h->kexec_kept_missed, 0);
	if (!ktap_check(t, kexec.table_mismatches == 0, __FILE__, __LINE__,
			"%u kept tables changed, the first: %s", kexec.table_mismatches,
			kexec.first_table))
		return;
	/* This instance found the same tables the first one kept. */
	KT_EXPECT_EQ(t, kreclaim.tables.n, h->kexec_nr_kept);
}

/* The same KERN ranges as the instance before: nothing more kept, nothing lost. */
static void kern_ranges_unchanged(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	if (!re_entered(t))
		return;
	KT_EXPECT_EQ(t, h->kexec_kern_dropped, 0);
	KT_EXPECT_EQ(t, kexec.kern_ranges, h->kexec_nr_kern);
	KT_EXPECT_EQ(t, kexec.kern_differences, 0);
	/* The table itself, range by range (sorted by base, as resv_add keeps it). */
	for (u32 i = 0, j = 0; i < kreclaim.rc.resv.nr; i++) {
		const struct resv *r = &kreclaim.rc.resv.r[i];

		if (r->flag != RESV_KERN || j >= h->kexec_nr_kern)
			continue;
		ktap_check(t,
			   r->base == h->kexec_kern[j].base && r->end == h->kexec_kern[j].end &&
				   r->reason == h->kexec_kern[j].reason,
			   __FILE__, __LINE__,
			   "KERN range %u: 0x%llx-0x%llx %s, before 0x%llx-0x%llx", j,
			   (unsigned long long)r->base, (unsigned long long)r->end,
			   resv_reason_name((enum resv_reason)r->reason),
			   (unsigned long long)h->kexec_kern[j].base,
			   (unsigned long long)h->kexec_kern[j].end);
		j++;
	}
}

/*
 * Reclaim over the handed map frees nothing new (no entry becomes wholly
 * free, no more pages than before), and free memory does not shrink.
 */
static void free_memory_not_shrinking(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;
	const struct handoff_kexec_hop *prev;

	if (!re_entered(t))
		return;
	if (!KT_EXPECT(t, h->kexec_nr_hops > 0 && kreclaim.freed))
		return;
	prev = &h->kexec_hops[h->kexec_nr_hops - 1];
	ktap_check(t, kexec.free_kib >= prev->free_kib, __FILE__, __LINE__,
		   "free_kib %llu, the instance before had %llu",
		   (unsigned long long)kexec.free_kib, (unsigned long long)prev->free_kib);
	KT_EXPECT(t, kexec.freed_kib <= prev->freed_kib);
	KT_EXPECT_EQ(t, kreclaim.rc.st.entries_after, kreclaim.rc.st.entries_before);
	KT_EXPECT_EQ(t, kexec.kept_kib, prev->kept_kib);
	KT_EXPECT_EQ(t, h->kexec_free_dropped, 0);
}

/* Lazy acceptance: no unit accepted by two instances (or by the stub and one). */
static void no_unit_accepted_twice(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	if (!re_entered(t))
		return;
	if (!kaccept.t) {
		ktap_skip(t, "no unaccepted memory");
		return;
	}
	kexec_check_accept(h);
	/* Pending at the jump stays pending: the instance before counted them then. */
	KT_EXPECT_EQ(t, kaccept.units_at_entry, h->kexec_hops[h->kexec_nr_hops - 1].pending_units);
	KT_EXPECT_EQ(t, kexec.accept_twice_bytes, 0);
	KT_EXPECT_EQ(t, h->accept_log_dropped, 0);
	/* Units the earlier instances accepted are not pending again. */
	for (u32 i = 0; i < h->accept_nr_log; i++)
		for (u64 u = ALIGN_UP(h->accept_log[i].start, kaccept.t->unit_size);
		     u + kaccept.t->unit_size <= h->accept_log[i].end; u += kaccept.t->unit_size)
			if (u >= kaccept.t->phys_base && u < accept_table_limit(kaccept.t) &&
			    !ktap_check(t, !accept_unit_pending(kaccept.t, u), __FILE__, __LINE__,
					"unit 0x%llx accepted earlier is pending again",
					(unsigned long long)u))
				return;
}

/* Runtime services work in this instance too, on tables rebuilt from the map. */
static void runtime_calls_work(struct ktap_test *t)
{
	const struct efi_rt_state *rt = efi_rt();

	if (!re_entered(t))
		return;
	if (!rt->svam_ok) {
		ktap_skip(t, "SetVirtualAddressMap did not succeed: runtime services are off");
		return;
	}
	KT_EXPECT(t, rt->calls > 0);
	KT_EXPECT_EQ(t, rt->faults, 0);
	KT_EXPECT(t, rt->off_reason == NULL);
}

/* The chain fails when any earlier instance did (the last instance carries it to the exit). */
static void earlier_instances_passed(struct ktap_test *t)
{
	const struct handoff *h = kstate.handoff;

	if (!re_entered(t))
		return;
	KT_EXPECT_EQ(t, h->kexec_nr_hops, kexec.hop);
	for (u32 i = 0; i < h->kexec_nr_hops && i < HANDOFF_KEXEC_HOPS; i++) {
		const struct handoff_kexec_hop *r = &h->kexec_hops[i];

		ktap_check(t, r->verdict != VERDICT_FAIL && !r->failed, __FILE__, __LINE__,
			   "instance %u: verdict %u, failed checks 0x%x, %u tests failed", r->hop,
			   r->verdict, r->failed, r->tests_failed);
	}
	KT_EXPECT_EQ(t, kexec.earlier_failed, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(second_svam_is_refused),    KTAP_CASE(layout_function_gives_the_map),
	KTAP_CASE(kept_tables_unchanged),     KTAP_CASE(kern_ranges_unchanged),
	KTAP_CASE(free_memory_not_shrinking), KTAP_CASE(no_unit_accepted_twice),
	KTAP_CASE(runtime_calls_work),	      KTAP_CASE(earlier_instances_passed),
};

KTAP_SUITE(kexec_suite, "kexec", cases);
