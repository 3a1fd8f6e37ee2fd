// SPDX-License-Identifier: BSD-2-Clause
/* Unaccepted memory in the kernel (accept_boot.h). */
#include "kernel/accept_boot.h"
#include "kernel/config_tables.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"

struct kaccept kaccept;

static const struct handoff *handoff;

static const char *const source_names[] = {
	[HANDOFF_ACCEPT_NONE] = "none",
	[HANDOFF_ACCEPT_FIRMWARE] = "firmware",
	[HANDOFF_ACCEPT_SIM] = "sim",
};

static const char *mode_name(enum kaccept_mode m)
{
	return m == KACCEPT_EAGER ? "eager" : m == KACCEPT_LAZY ? "lazy" : "none";
}

/*
 * The simulation's accept: map the units (until now absent from the
 * kernel's tables), zero them (the cost real acceptance has), and give
 * them to the allocator: a marked unit is free memory by construction.
 */
static int sim_accept(void *ctx, u64 start, u64 end)
{
	(void)ctx;
	if (paging_map_accepted(kstate.pml4, start, end))
		return -1;
	zero_qwords(start, end - start);
	accept_log_add(kaccept.log, KACCEPT_LOG, &kaccept.nr_log, &kaccept.log_dropped, start, end);
	if (kaccept.pa)
		palloc_add(kaccept.pa, start, (end - start) / PALLOC_PAGE, false);
	return 0;
}

static bool table_listed(const struct handoff *h, u64 addr)
{
	const struct handoff_guid g = { ACCEPT_TABLE_GUID_DATA1, ACCEPT_TABLE_GUID_DATA2,
					ACCEPT_TABLE_GUID_DATA3, ACCEPT_TABLE_GUID_DATA4 };

	return config_table_find(h, &g) == addr;
}

static bool is_type15(const struct mm_desc *md, void *ctx)
{
	(void)ctx;
	return md->type == MM_UNACCEPTED;
}

/* Whether [addr, addr + bytes) lies in one mappable RAM entry of the map. */
static bool in_ram(const struct memmap *map, u64 addr, u64 bytes)
{
	s64 i = memmap_find(map, addr);
	const struct mm_desc *md;

	if (i < 0)
		return false;
	md = memmap_desc(map, (u32)i);
	return mm_desc_mappable(md) && md->type != MM_MMIO && md->type != MM_MMIO_PORT &&
	       bytes <= mm_desc_end(md) - addr;
}

struct accept_table *kaccept_init(const struct handoff *h, const struct memmap *map,
				  const struct options *o)
{
	struct accept_table *t = (struct accept_table *)(uintptr_t)h->accept_table;
	const char *why = NULL;
	u64 stray = 0;

	handoff = h;
	kaccept.source = h->accept_source < ARRAY_SIZE(source_names) ? h->accept_source : 0;
	accept_source_init(&kaccept.src, o);
	if (kaccept.source == HANDOFF_ACCEPT_NONE) {
		u32 n15 = memmap_count(map, is_type15, NULL);

		if (n15)
			printk("efimap: accept: the map has %u type-15 entries but the stub built "
			       "no table; that memory stays unused",
			       n15);
		if (o->accept_sim)
			printk("efimap: accept: efimap.unaccepted asked for a simulation, but its "
			       "window holds no conventional memory the kernel would use");
		return NULL;
	}
	kaccept.mode = o->accept_eager ? KACCEPT_EAGER : KACCEPT_LAZY;
	/* Firmware type 15 would need TDX/SEV-SNP acceptance, which efimap does not have. */
	kaccept.ops = (struct accept_ops){ "none", accept_refuse, NULL };
	if (kaccept.source == HANDOFF_ACCEPT_SIM)
		kaccept.ops = (struct accept_ops){ "sim", sim_accept, NULL };
	if (h->accept_flags & HANDOFF_ACCEPT_NO_TABLE)
		why = "the stub could not allocate it";
	else if (!t || !in_ram(map, h->accept_table, ACCEPT_HEADER_BYTES) ||
		 !in_ram(map, h->accept_table, h->accept_table_bytes))
		why = "its address is not in RAM";
	else if ((why = accept_table_check(t, h->accept_table_bytes)))
		;
	else if (t->unit_size != ACCEPT_UNIT)
		why = "its unit is not 2 MiB";
	else if ((stray = accept_map_stray_bits(map, &kaccept.src, t)))
		why = "set bits outside the map's unaccepted memory: damaged";
	if (why) {
		/* Simulated memory is conventional memory after all; type 15 is untouchable. */
		printk("efimap: accept: no usable table (%s); %s", why,
		       kaccept.source == HANDOFF_ACCEPT_SIM
			       ? "the simulated memory is used as the conventional memory it is"
			       : "type-15 memory stays unused");
		if (stray)
			printk("efimap: accept: %llu set bits lie outside the map's unaccepted "
			       "memory",
			       (unsigned long long)stray);
		return NULL;
	}
	kaccept.t = t;
	kaccept.units_at_entry = accept_pending_units(t);
	printk("efimap: accept: source=%s table=0x%llx%s base=0x%llx bitmap_bytes=%llu "
	       "units=%llu stub_accepted_kib=%llu%s%s",
	       source_names[kaccept.source], (unsigned long long)h->accept_table,
	       table_listed(h, h->accept_table) ? "" : " (not among the configuration tables)",
	       (unsigned long long)t->phys_base, (unsigned long long)t->size,
	       (unsigned long long)kaccept.units_at_entry,
	       (unsigned long long)(h->accept_bytes / 1024),
	       (h->accept_flags & HANDOFF_ACCEPT_RESIZED) ? " (final map needed another size)" : "",
	       (h->accept_flags & HANDOFF_ACCEPT_NO_BACKEND)
		       ? " (no accept backend for type 15: edges left unaccepted)"
		       : "");
	return t;
}

bool kaccept_add_free(struct palloc *pa, u64 base, u64 pages)
{
	const struct accept_table *t = kaccept.t;
	u64 end = base + pages * PALLOC_PAGE;
	bool ok = true;

	if (!t)
		return palloc_add(pa, base, pages, false);
	for (u64 at = base, next; at < end; at = next) {
		bool marked;

		next = accept_stretch(t, at, end, &marked);
		if (!marked) /* marked units join when accepted */
			ok &= palloc_add(pa, at, (next - at) / PALLOC_PAGE, false);
	}
	return ok;
}

int kaccept_range(u64 start, u64 end)
{
	u64 t0 = arch_counter();
	int rc;

	if (!kaccept.t)
		return 0;
	rc = accept_range(kaccept.t, start, end, &kaccept.ops, &kaccept.st);
	kaccept.tsc += arch_counter() - t0;
	return rc;
}

/*
 * The allocator ran dry: accept the lowest run of units that holds the
 * request. Just those units: the request is served from their top, so the
 * guard unit after them is accepted when it is handed out (handed_out()).
 */
static bool refill(void *ctx, u64 pages)
{
	const struct accept_table *t = kaccept.t;
	u64 unit = t->unit_size, span = accept_table_limit(t) - t->phys_base, units, at;
	u64 before = kaccept.st.bytes;

	(void)ctx;
	if (pages > span / PALLOC_PAGE)
		return false; /* more than the bitmap describes (and no overflow below) */
	units = (pages * PALLOC_PAGE + unit - 1) / unit;
	if (!accept_find_pending(t, units, &at))
		return false;
	kaccept.lazy_refills++;
	/* An end one byte short of the boundary: accept_range() adds no guard to it. */
	kaccept_range(at, at + units * unit - 1);
	return kaccept.st.bytes != before;
}

/*
 * Every allocation: a range ending on a unit boundary next to a marked unit
 * takes that unit along (the guard: a load running over the range's last
 * page must land in accepted memory). accept_has_unaccepted() applies the
 * same rule as accept_range(), as seed 004's Linux code does.
 */
static void handed_out(void *ctx, u64 base, u64 pages)
{
	u64 end = base + pages * PALLOC_PAGE;

	(void)ctx;
	if (accept_has_unaccepted(kaccept.t, base, end)) {
		kaccept.guards++;
		kaccept_range(base, end);
	}
}

void kaccept_start(struct palloc *pa)
{
	int rc;

	kaccept.pa = pa;
	if (!kaccept.t)
		return;
	if (kaccept.source == HANDOFF_ACCEPT_FIRMWARE) {
		/* What the stub managed to accept of type 15 is usable like any free memory. */
		for (u32 i = 0; i < handoff->accept_nr_log; i++) {
			u64 s = handoff->accept_log[i].start, e = handoff->accept_log[i].end;

			if (s < SZ_1M)
				s = SZ_1M;
			if (s < e && kaccept_add_free(pa, s, (e - s) / PALLOC_PAGE))
				kaccept.firmware_pages += (e - s) / PALLOC_PAGE;
		}
	}
	if (kaccept.source != HANDOFF_ACCEPT_SIM)
		return; /* no backend: type-15 memory is never handed out, nothing to hook */
	if (kaccept.mode == KACCEPT_EAGER) {
		rc = kaccept_range(kaccept.t->phys_base, accept_table_limit(kaccept.t));
		if (rc)
			printk("efimap: accept: eager: the backend failed on %llu KiB",
			       (unsigned long long)(kaccept.st.failed_bytes / 1024));
		return;
	}
	pa->refill = refill;
	pa->handed_out = handed_out;
	pa->refill_ctx = NULL;
}

void kaccept_summary(void)
{
	const struct handoff *h = handoff;
	u64 stub_bytes = h ? h->accept_bytes : 0, stub_calls = h ? h->accept_calls : 0;
	u64 tsc = (h ? h->accept_tsc : 0) + kaccept.tsc, hz = h && h->tsc_hz ? h->tsc_hz : 1;

	kaccept.boot_bytes = stub_bytes + kaccept.st.bytes;
	/* No unaccepted memory and none simulated: the all-zero line stays out of the report. */
	bool quiet = kaccept.mode == KACCEPT_NONE && !kaccept.t && !(h && h->accept_range_bytes);
	void (*say)(const char *fmt, ...) = quiet ? printk_console : printk;

	say("efimap: accept: mode=%s unaccepted_kib=%llu accepted_at_boot_kib=%llu "
	    "bitmap_bytes=%llu units=%llu accept_calls=%llu accept_ms=%llu source=%s "
	    "pending_units=%llu failed_kib=%llu",
	    mode_name(kaccept.mode), (unsigned long long)((h ? h->accept_range_bytes : 0) / 1024),
	    (unsigned long long)(kaccept.boot_bytes / 1024),
	    (unsigned long long)(kaccept.t ? kaccept.t->size : 0),
	    (unsigned long long)kaccept.units_at_entry,
	    (unsigned long long)(stub_calls + kaccept.st.calls),
	    (unsigned long long)(tsc * 1000 / hz), source_names[kaccept.source],
	    (unsigned long long)(kaccept.t ? accept_pending_units(kaccept.t) : 0),
	    (unsigned long long)(((h ? h->accept_failed_bytes : 0) + kaccept.st.failed_bytes) /
				 1024));
}
