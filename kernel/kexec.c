// SPDX-License-Identifier: BSD-2-Clause
/*
 * Re-entry (kernel/kexec.h). The new instance is started at the address the
 * firmware loaded the image at (image_base), from the copy the stub took at
 * efi_main's first instruction: gnu-efi's crt0 had relocated the image for
 * that address already, so the copy needs no relocation, and nothing else
 * had written to it. What a real kexec hands over, this hands over:
 *
 *   - the compacted map (nr_map entries, virtual addresses set) in the same
 *     buffer, shrunk as reclaim left it;
 *   - the RAM compaction took out of the map (fully freed boot-services
 *     entries, the map buffer's freed tail) as kexec_free[], as Linux
 *     hands usable RAM over in the E820 table beside the EFI map;
 *   - the window, the configuration tables, the unaccepted-memory table
 *     (the table itself is live memory: bits cleared stay cleared) with the
 *     accept log grown by what this instance accepted;
 *   - HANDOFF_KEXEC_SVAM_DONE, and the first instance's checksums of the
 *     kept firmware tables.
 * Everything else the old instance used is free memory to the new one.
 */
#include "kernel/kexec.h"
#include "kernel/kexec_pt.h"
#include "accept/accept.h"
#include "kernel/accept_boot.h"
#include "kernel/arch.h"
#include "kernel/efi.h"
#include "kernel/reclaim_boot.h"
#include "kernel/report.h"
#include "lib/crc32.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "memmap/layout.h"
#include "tests/ktap.h"

#define KEXEC_MAX_RUNTIME 256u

struct kexec_state kexec;

static const char *const check_names[KEXEC_CHECK_NR] = {
	"layout", "svam-guard", "tables", "kern", "free", "accept", "runtime", "hops",
};

static const char *const layout_names[] = {
	[KEXEC_LAYOUT_NONE] = "none",
	[KEXEC_LAYOUT_UNCHANGED] = "unchanged",
	[KEXEC_LAYOUT_CHANGED] = "changed",
};

static const char *const verdict_names[] = {
	[VERDICT_PASS] = "pass",
	[VERDICT_FAIL] = "fail",
	[VERDICT_PASS_FW_ERRORS] = "pass-fw-errors",
};

static void check(u32 bit, bool ok)
{
	kexec.checked |= bit;
	if (!ok)
		kexec.failed |= bit;
}

void kexec_entry(const struct handoff *h, const struct options *o)
{
	/*
	 * Once per boot (UEFI 2.10 section 8.4.1), whatever became of the first
	 * call; in a chain even when the stub could not make it: no later kernel
	 * may try.
	 */
	if (h->svam_calls || (h->kexec_flags & HANDOFF_KEXEC_SVAM_DONE) || o->kexec)
		efi_svam_lock();
	kexec.hop = h->kexec_hop;
	kexec.active = o->kexec || h->kexec_hop;
	kexec.instances = h->kexec_hop > o->kexec ? h->kexec_hop + 1 : o->kexec + 1;
	if (h->kexec_hop)
		printk("efimap: kexec: re-entered: instance %u of %u, from the pristine image "
		       "copy at 0x%llx; SetVirtualAddressMap was called by the first "
		       "(calls=%u), never again",
		       h->kexec_hop + 1, kexec.instances, (unsigned long long)h->kexec_image,
		       h->svam_calls);
}

u64 kexec_add_free(const struct handoff *h, struct palloc *pa)
{
	u64 pages = 0;

	for (u32 i = 0; i < h->kexec_nr_free && i < HANDOFF_KEXEC_FREE; i++)
		if (kaccept_add_free(pa, h->kexec_free[i].base, h->kexec_free[i].pages))
			pages += h->kexec_free[i].pages;
	kexec.handed_free_pages = pages;
	if (h->kexec_nr_free || h->kexec_free_dropped)
		printk("efimap: kexec: handed_free_kib=%llu ranges=%u dropped=%u (RAM the "
		       "compacted map no longer lists)",
		       (unsigned long long)(pages * 4), h->kexec_nr_free, h->kexec_free_dropped);
	return pages;
}

/* crc32 of the runtime entries' (phys, virt, pages), in map order. */
static u32 layout_crc(const struct memmap *map)
{
	struct mm_iter it;
	struct mm_desc *md;
	u32 crc = 0;

	mm_iter_init(&it, map, mm_is_runtime, NULL);
	while ((md = mm_iter_next(&it))) {
		u64 v[3] = { md->phys_addr, md->virt_addr, md->num_pages };

		crc = crc32(crc, v, sizeof(v));
	}
	return crc;
}

/* Scratch for memmap_layout_recheck(): the runtime entries and their addresses. */
static u64 recheck_buf[KEXEC_MAX_RUNTIME * (64 + 8) / 8];

/*
 * This instance's KERN reservations against the instance before's, range
 * by range (the table is sorted by base): the count of ranges that differ
 * or are missing on either side; the first difference is printed.
 */
static u32 compare_kern(const struct handoff *h, const struct resv_table *t)
{
	u32 j = 0, bad = 0;

	kexec.kern_ranges = 0;
	for (u32 i = 0; i < t->nr; i++) {
		const struct resv *r = &t->r[i];
		const struct handoff_kexec_kern *k =
			j < h->kexec_nr_kern ? &h->kexec_kern[j] : NULL;

		if (r->flag != RESV_KERN)
			continue;
		kexec.kern_ranges++;
		j++;
		if (k && k->base == r->base && k->end == r->end && k->reason == r->reason)
			continue;
		if (!bad++)
			printk("efimap: kexec: KERN range 0x%llx-0x%llx %s; the instance before "
			       "had "
			       "0x%llx-0x%llx %s there",
			       (unsigned long long)r->base, (unsigned long long)(r->end - 1),
			       resv_reason_name((enum resv_reason)r->reason),
			       (unsigned long long)(k ? k->base : 0),
			       (unsigned long long)(k ? k->end - 1 : 0),
			       k ? resv_reason_name((enum resv_reason)k->reason) : "(none)");
	}
	if (j < h->kexec_nr_kern) {
		if (!bad)
			printk("efimap: kexec: the instance before had %u more KERN ranges, the "
			       "first at 0x%llx (%s)",
			       h->kexec_nr_kern - j, (unsigned long long)h->kexec_kern[j].base,
			       resv_reason_name((enum resv_reason)h->kexec_kern[j].reason));
		bad += h->kexec_nr_kern - j;
	}
	return bad + h->kexec_kern_dropped;
}

/* This instance's KERN reservations into next's kexec_kern[]. */
static void hand_kern(struct handoff *n, const struct resv_table *t)
{
	n->kexec_nr_kern = n->kexec_kern_dropped = 0;
	for (u32 i = 0; i < t->nr; i++) {
		const struct resv *r = &t->r[i];

		if (r->flag != RESV_KERN)
			continue;
		if (n->kexec_nr_kern == HANDOFF_KEXEC_KERN) {
			n->kexec_kern_dropped++;
			continue;
		}
		n->kexec_kern[n->kexec_nr_kern++] =
			(struct handoff_kexec_kern){ r->base, r->end, r->reason, 0 };
	}
}

/* A kept table by what it is: the reason, an ACPI table's signature too. */
static void name_table(char *out, size_t size, const struct handoff_kexec_kept *k)
{
	const char *sig = (const char *)(uintptr_t)k->base;
	bool acpi = k->reason == RSN_ACPI && k->len >= 4;

	for (u32 i = 0; acpi && i < 4; i++)
		acpi = sig[i] >= ' ' && sig[i] <= '~';
	fmt_snprintf(out, size, "%s%s%.*s%s at 0x%llx (%llu bytes)",
		     resv_reason_name((enum resv_reason)k->reason), acpi ? " \"" : "", acpi ? 4 : 0,
		     sig, acpi ? "\"" : "", (unsigned long long)k->base,
		     (unsigned long long)k->len);
}

/* Every table the first instance recorded, byte for byte (its crc32). */
static void check_tables(const struct handoff *h)
{
	char name[96];

	kexec.table_mismatches = 0;
	for (u32 i = 0; i < h->kexec_nr_kept && i < HANDOFF_KEXEC_KEPT; i++) {
		const struct handoff_kexec_kept *k = &h->kexec_kept[i];

		if (crc32(0, (const void *)(uintptr_t)k->base, k->len) == k->crc)
			continue;
		name_table(name, sizeof(name), k);
		if (!kexec.table_mismatches++)
			memcpy(kexec.first_table, name, strlen(name) + 1);
		printk("efimap: kexec: kept table changed since the first instance: %s", name);
	}
	check(KEXEC_CHECK_TABLES, !kexec.table_mismatches && !h->kexec_kept_missed);
	if (h->kexec_kept_missed)
		printk("efimap: kexec: %u kept tables were not recorded by the first instance",
		       h->kexec_kept_missed);
}

static u64 fake_svam_calls;

/* Stands in for SetVirtualAddressMap: if the guard ever let a call through, this counts it. */
static u64 fake_svam(void)
{
	fake_svam_calls++;
	return 0;
}

/* The guard, asked for a second call with a function that only counts (never the firmware's). */
static void check_svam_guard(void)
{
	const u64 args[4] = { 0, 0, 0, 0 };
	struct efi_fault fault;
	u64 st;

	fake_svam_calls = 0;
	st = efi_svam_guarded((u64)(uintptr_t)fake_svam, 0, args, &fault);
	kexec.svam_refused = st == EFI_SVAM_REFUSED;
	kexec.svam_fake_calls = (u32)fake_svam_calls;
	check(KEXEC_CHECK_SVAM_GUARD, kexec.svam_refused && !kexec.svam_fake_calls);
}

/* Free memory now: the allocator's pages plus units still waiting to be accepted. */
static u64 free_kib(void)
{
	u64 kib = kreclaim.pa.free_pages * 4;

	if (kaccept.t)
		kib += accept_pending_units(kaccept.t) * (kaccept.t->unit_size >> 10);
	return kib;
}

static const struct handoff_kexec_hop *previous_hop(const struct handoff *h)
{
	return h->kexec_nr_hops ? &h->kexec_hops[h->kexec_nr_hops - 1] : NULL;
}

void kexec_check(const struct handoff *h)
{
	const struct handoff_kexec_hop *prev = previous_hop(h);
	const struct efi_rt_state *rt = efi_rt();
	struct reclaim_stats *st = &kreclaim.rc.st;

	if (!kexec.active)
		return;
	check_svam_guard();
	kexec.layout_crc = layout_crc(&kstate.map);
	if (rt->svam_ok) {
		/* Seed 002: the layout, a pure function of the map, must still give its VAs. */
		kexec.layout_mismatches =
			memmap_layout_recheck(&kstate.map, h->va_window_base, h->va_window_size,
					      recheck_buf, sizeof(recheck_buf));
		kexec.layout = kexec.layout_mismatches || (kexec.hop &&
							   kexec.layout_crc != h->kexec_layout_crc)
				       ? KEXEC_LAYOUT_CHANGED
				       : KEXEC_LAYOUT_UNCHANGED;
		check(KEXEC_CHECK_LAYOUT, kexec.layout == KEXEC_LAYOUT_UNCHANGED);
		if (kexec.layout_mismatches)
			printk("efimap: kexec: the layout function gives other addresses than the "
			       "map's for %d runtime entries (-1: it cannot be run over them)",
			       (int)kexec.layout_mismatches);
		/* The probe made its calls already (efi_runtime_probe()). */
		check(KEXEC_CHECK_RUNTIME, rt->calls && !rt->faults && !rt->off_reason);
	}
	kexec.kept_kib = st->kept * 4;
	kexec.freed_kib = st->freed * 4;
	kexec.free_kib = free_kib();
	if (!kexec.hop)
		return;
	check_tables(h);
	kexec.kern_differences = compare_kern(h, &kreclaim.rc.resv);
	check(KEXEC_CHECK_KERN, !kexec.kern_differences);
	/* Nothing new freed: no entry became wholly free, no more pages than before. */
	check(KEXEC_CHECK_FREE, kreclaim.freed && prev && kexec.free_kib >= prev->free_kib &&
					kexec.freed_kib <= prev->freed_kib &&
					st->entries_after == st->entries_before);
	if (kexec.failed & KEXEC_CHECK_FREE)
		printk("efimap: kexec: free_kib=%llu (before: %llu) freed_kib=%llu (before: %llu) "
		       "map_entries %u -> %u",
		       (unsigned long long)kexec.free_kib,
		       (unsigned long long)(prev ? prev->free_kib : 0),
		       (unsigned long long)kexec.freed_kib,
		       (unsigned long long)(prev ? prev->freed_kib : 0), st->entries_before,
		       st->entries_after);
	kexec.earlier_failed = 0;
	for (u32 i = 0; i < h->kexec_nr_hops && i < HANDOFF_KEXEC_HOPS; i++)
		kexec.earlier_failed +=
			h->kexec_hops[i].verdict == VERDICT_FAIL || h->kexec_hops[i].failed;
	check(KEXEC_CHECK_HOPS, !kexec.earlier_failed);
	/* Lazy acceptance: what was pending at the jump is pending now, and nothing more. */
	if (kaccept.t && prev) {
		check(KEXEC_CHECK_ACCEPT, kaccept.units_at_entry == prev->pending_units);
		if (kaccept.units_at_entry != prev->pending_units)
			printk("efimap: kexec: %llu units pending at entry, %llu when the instance "
			       "before jumped",
			       (unsigned long long)kaccept.units_at_entry,
			       (unsigned long long)prev->pending_units);
	}
}

/* Bytes of [s, e) the extents cover. */
static u64 covered(const struct accept_extent *log, u32 n, u64 s, u64 e)
{
	u64 sum = 0;

	for (u32 i = 0; i < n; i++) {
		u64 a = log[i].start > s ? log[i].start : s, b = log[i].end < e ? log[i].end : e;

		if (a < b)
			sum += b - a;
	}
	return sum;
}

void kexec_check_accept(const struct handoff *h)
{
	if (!kaccept.t)
		return;
	kexec.accept_twice_bytes = 0;
	for (u32 i = 0; i < kaccept.nr_log; i++)
		kexec.accept_twice_bytes += covered(h->accept_log, h->accept_nr_log,
						    kaccept.log[i].start, kaccept.log[i].end);
	/* check() only adds failures: the entry check above stays counted. */
	check(KEXEC_CHECK_ACCEPT,
	      !kexec.accept_twice_bytes && !h->accept_log_dropped && !kaccept.log_dropped);
}

/* The checked= and failed= values: check names joined by commas, or none. */
static void bits_text(char *out, size_t size, u32 bits)
{
	size_t n = 0;

	out[0] = '\0';
	for (u32 i = 0; i < KEXEC_CHECK_NR && n < size; i++)
		if (bits & (1u << i))
			n += (size_t)fmt_snprintf(out + n, size - n, "%s%s", n ? "," : "",
						  check_names[i]);
	if (!n)
		fmt_snprintf(out, size, "none");
}

/* One hop's summary line (the README's key table: efimap: kexec:). */
static void hop_line(char *out, size_t size, const struct handoff_kexec_hop *r)
{
	char checked[96], failed[96];

	bits_text(checked, sizeof(checked), r->checked);
	bits_text(failed, sizeof(failed), r->failed);
	fmt_snprintf(out, size,
		     "efimap: kexec: hop=%u layout=%s kept_kib=%llu free_kib=%llu freed_kib=%llu "
		     "pending_units=%llu svam_calls=%u checked=%s failed=%s passed=%u "
		     "tests_failed=%u verdict=%s",
		     r->hop, r->layout < ARRAY_SIZE(layout_names) ? layout_names[r->layout] : "?",
		     (unsigned long long)r->kept_kib, (unsigned long long)r->free_kib,
		     (unsigned long long)r->freed_kib, (unsigned long long)r->pending_units,
		     r->svam_calls, checked, failed, r->tests_passed, r->tests_failed,
		     r->verdict < ARRAY_SIZE(verdict_names) ? verdict_names[r->verdict] : "?");
}

static struct handoff_kexec_hop this_hop(enum verdict v, const struct ktap_totals *tot)
{
	return (struct handoff_kexec_hop){
		.kept_kib = kexec.kept_kib,
		.free_kib = kexec.free_kib,
		.freed_kib = kexec.freed_kib,
		.pending_units = kaccept.t ? accept_pending_units(kaccept.t) : 0,
		.hop = kexec.hop,
		.layout = kexec.layout,
		.checked = kexec.checked,
		.failed = kexec.failed,
		.verdict = kexec.failed ? VERDICT_FAIL : v,
		.svam_calls = efi_svam_calls(),
		.tests_passed = tot->passed,
		.tests_failed = tot->failed,
	};
}

static struct handoff next;

/* Add [base, base + pages) to next's kexec_free[], merged with a neighbour when they touch. */
static void add_free(u64 base, u64 pages)
{
	struct handoff_kexec_free *f = next.kexec_free;

	if (!pages)
		return;
	for (u32 i = 0; i < next.kexec_nr_free; i++) {
		if (f[i].base + f[i].pages * PAGE_SIZE == base) {
			f[i].pages += pages;
			return;
		}
		if (base + pages * PAGE_SIZE == f[i].base) {
			f[i].base = base;
			f[i].pages += pages;
			return;
		}
	}
	if (next.kexec_nr_free == HANDOFF_KEXEC_FREE) {
		next.kexec_free_dropped++;
		return;
	}
	f[next.kexec_nr_free++] = (struct handoff_kexec_free){ base, pages };
}

/*
 * The next instance's handoff: this one's, with what this instance changed.
 * The map is the compacted one in the same buffer; the SVAM input copy the
 * stub left in its tail went with the tail, so svam_input is cleared.
 */
static void build_next(const struct handoff *h, const struct handoff_kexec_hop *hop)
{
	const struct memmap *before = &kreclaim.before;
	struct mm_iter it;
	struct mm_desc *md;
	u64 tail;

	memcpy(&next, h, sizeof(next));
	next.nr_map = kstate.map.nr_map;
	next.map_capacity = kstate.map.capacity;
	next.map_buffer_bytes = kreclaim.rc.map_bytes;
	next.svam_input = 0;
	next.kexec_hop = h->kexec_hop + 1;
	next.kexec_flags |= HANDOFF_KEXEC_SVAM_DONE;
	if (!h->kexec_hop) {
		/* The first instance's record of the kept firmware tables, handed along unchanged.
		 */
		next.kexec_nr_kept = 0;
		for (u32 i = 0; i < kreclaim.tables.n && i < HANDOFF_KEXEC_KEPT; i++)
			next.kexec_kept[next.kexec_nr_kept++] = (struct handoff_kexec_kept){
				kreclaim.tables.r[i].base, kreclaim.tables.r[i].len,
				kreclaim.tables.r[i].crc, kreclaim.tables.r[i].reason
			};
		next.kexec_kept_missed =
			kreclaim.tables.missed + (kreclaim.tables.n > HANDOFF_KEXEC_KEPT
							  ? kreclaim.tables.n - HANDOFF_KEXEC_KEPT
							  : 0);
		next.kexec_layout_crc = kexec.layout_crc;
	}
	hand_kern(&next, &kreclaim.rc.resv);
	/* What compaction took out of the map: wholly freed entries and the buffer's tail. */
	if (before->base)
		for_each_mm_desc (before, it, md)
			if (reclaim_entry_freeable(&kreclaim.rc, md))
				add_free(md->phys_addr, md->num_pages);
	tail = kreclaim.map_bytes_before & ~(PAGE_SIZE - 1);
	if (kreclaim.freed && tail > kreclaim.rc.map_bytes)
		add_free(h->map_base + kreclaim.rc.map_bytes,
			 (tail - kreclaim.rc.map_bytes) / PAGE_SIZE);
	/* What this instance accepted stays accepted: the next one must know it. */
	for (u32 i = 0; i < kaccept.nr_log; i++)
		accept_log_add(next.accept_log, HANDOFF_ACCEPT_LOG, &next.accept_nr_log,
			       &next.accept_log_dropped, kaccept.log[i].start, kaccept.log[i].end);
	next.accept_log_dropped += kaccept.log_dropped;
	next.accept_bytes += kaccept.st.bytes;
	next.accept_calls += kaccept.st.calls;
	if (next.kexec_nr_hops < HANDOFF_KEXEC_HOPS)
		next.kexec_hops[next.kexec_nr_hops++] = *hop;
	next.checksum = 0;
	next.checksum = handoff_checksum(&next);
}

/*
 * efimap.inject=kexec-scribble: one byte of a kept firmware table changes
 * before the first jump, the logo or SMBIOS by preference (nothing efimap
 * reads for its own work). Returns the table changed, or NULL.
 */
static const struct handoff_kexec_kept *scribble(void)
{
	static const u8 prefer[] = { RSN_BGRT_LOGO, RSN_ESRT, RSN_SMBIOS, RSN_ACPI, RSN_NR };

	for (u32 p = 0; p < ARRAY_SIZE(prefer); p++) {
		for (u32 i = 0; i < next.kexec_nr_kept; i++) {
			const struct handoff_kexec_kept *k = &next.kexec_kept[i];
			u64 at = k->base + k->len / 2;
			u8 old;

			if ((prefer[p] != RSN_NR && k->reason != prefer[p]) || !k->len ||
			    probe_read(at, &old) || probe_write(at, (u8)(old + 1)))
				continue;
			return k;
		}
	}
	return NULL;
}

/*
 * Everything the jump needs, checked: the copy intact, the running code the
 * copy's, the transition tables built. Their pages come from the allocator,
 * which may accept memory on the way (lazy acceptance's guard unit), so this
 * runs before the hop's figures and the accept log are taken. False, with
 * the reason printed, when no instance can be started.
 */
static bool prepare_jump(struct handoff *h, struct kexec_jump_args *a)
{
	const char *why = NULL;
	u64 text = h->text_start - h->image_base;

	if (!h->kexec_image)
		why = "the stub kept no copy of the image";
	else if (h->kexec_image_bytes < h->image_size || h->text_start < h->image_base ||
		 h->text_end < h->text_start || h->text_end > h->image_base + h->image_size)
		why = "the image copy or the image's bounds are implausible";
	else if (crc32(0, (const void *)(uintptr_t)h->kexec_image, h->image_size) !=
		 h->kexec_image_crc)
		why = "the image copy's checksum changed: something wrote over it";
	else if (memcmp((const void *)(uintptr_t)(h->kexec_image + text),
			(const void *)(uintptr_t)h->text_start, h->text_end - h->text_start))
		why = "the running code differs from the copy's";
	else if (!kreclaim.freed)
		why = "reclaim did not run, so there is no compacted map to hand over";
	if (!why) {
		*a = (struct kexec_jump_args){
			.dst = h->image_base,
			.src = h->kexec_image,
			.bytes = h->image_size,
			.skip_start = h->text_start,
			.skip_end = h->text_end,
			.handoff = (u64)(uintptr_t)h,
			.stack_top = h->stack_base + h->stack_size,
		};
		a->root = kexec_pt_build(h, &kstate.map, &kreclaim.pa, &why);
	}
	if (why)
		printk("efimap: kexec: cannot start instance %u: %s", kexec.hop + 2, why);
	return !why;
}

/* Start the next instance (next is built): no return. */
static __noreturn void start_next(struct handoff *h, const struct options *o,
				  const struct kexec_jump_args *a)
{
	const struct handoff_kexec_kept *k;
	char name[96];

	if ((o->inject & INJECT_KEXEC_SCRIBBLE) && !kexec.hop) {
		k = scribble();
		if (k) {
			name_table(name, sizeof(name), k);
			printk("efimap: inject: kexec-scribble: one byte of %s changed before the "
			       "jump",
			       name);
			next.kexec_flags |= HANDOFF_KEXEC_SCRIBBLED;
			next.checksum = 0;
			next.checksum = handoff_checksum(&next);
		} else {
			printk("efimap: inject: kexec-scribble: no kept table could be written");
		}
	}
	printk("efimap: kexec: starting instance %u of %u: map entries=%u handed_free_ranges=%u "
	       "accept_log=%u",
	       kexec.hop + 2, kexec.instances, next.nr_map, next.kexec_nr_free, next.accept_nr_log);
	memcpy(h, &next, sizeof(next));
	kexec_jump(a);
}

enum verdict kexec_next(struct handoff *h, const struct options *o, enum verdict v,
			const struct ktap_totals *tot)
{
	struct handoff_kexec_hop hop;
	struct kexec_jump_args a;
	char line[REPORT_LINE_MAX], earlier[REPORT_LINE_MAX];
	u32 bad = 0, calls = 0;
	bool more;

	if (!kexec.active)
		return v;
	more = kexec.hop < o->kexec && kexec.hop + 1 < HANDOFF_KEXEC_HOPS;
	if (more && !prepare_jump(h, &a))
		kernel_no_verdict("kexec: the next instance could not be started");
	kexec_check_accept(h);
	if (kexec.failed & KEXEC_CHECK_ACCEPT)
		printk("efimap: kexec: %llu bytes accepted again that an earlier instance or the "
		       "stub accepted (log dropped: %u)",
		       (unsigned long long)kexec.accept_twice_bytes, h->accept_log_dropped);
	hop = this_hop(v, tot);
	hop_line(line, sizeof(line), &hop);
	if (more) {
		printk("%s", line);
		build_next(h, &hop);
		start_next(h, o, &a);
	}
	/*
	 * The last instance: only it stores the run's results (kernel_end()'s
	 * report_finish(); earlier ones never get there), so its report carries
	 * every hop's line; the earlier instances printed theirs already.
	 */
	for (u32 i = 0; i < h->kexec_nr_hops && i < HANDOFF_KEXEC_HOPS; i++) {
		hop_line(earlier, sizeof(earlier), &h->kexec_hops[i]);
		report_add_line(&kreport, earlier);
	}
	printk("%s", line);
	for (u32 i = 0; i < h->kexec_nr_hops && i < HANDOFF_KEXEC_HOPS; i++) {
		bad += h->kexec_hops[i].verdict == VERDICT_FAIL || h->kexec_hops[i].failed;
		calls += h->kexec_hops[i].svam_calls;
	}
	bad += hop.verdict == VERDICT_FAIL;
	calls += hop.svam_calls;
	printk("efimap: kexec: chain=%s instances=%u svam_calls=%u failed_instances=%u "
	       "changed_tables=%u",
	       bad ? "fail" : "pass", h->kexec_nr_hops + 1, calls, bad, kexec.table_mismatches);
	/* The kexec suite's cases carry the chain into the verdict (and the exit status). */
	return v;
}
