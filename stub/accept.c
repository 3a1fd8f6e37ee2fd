// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unaccepted memory in the stub (seed 004; docs/architecture.md boot flow steps 3 and
 * 5). Before the final map: size the bitmap from the map as it stands,
 * allocate the table and install it as a configuration table. After
 * ExitBootServices: fill the bitmap from the final map and accept the
 * edges (what the bitmap cannot describe) through the backend.
 *
 * Backends: under efimap.unaccepted=sim:... accepting zeroes the memory and
 * logs it (the honest part of the simulation: the kernel leaves marked
 * units unmapped until it accepts them). For the firmware's own type-15
 * memory efimap has no backend yet (TDX and SEV-SNP need their own
 * instructions, which these machines cannot run): the edges are left
 * unaccepted, the handoff says so, and the kernel never uses type-15 memory.
 */
#include "accept/accept.h"
#include "kernel/accept_map.h"
#include "kernel/arch.h"
#include "lib/string.h"
#include "stub/stub.h"

#define MAX_SIZING_TRIES 4

static EFI_GUID table_guid = { ACCEPT_TABLE_GUID_DATA1, ACCEPT_TABLE_GUID_DATA2,
			       ACCEPT_TABLE_GUID_DATA3, ACCEPT_TABLE_GUID_DATA4 };

static bool size_range(void *ctx, u64 start, u64 end)
{
	accept_sizing_add(ctx, start, end);
	return true;
}

/* Bitmap size and base for the map as it is now; false when nothing is unaccepted. */
static bool size_now(const struct accept_source *src, u64 *base, u64 *bytes)
{
	struct accept_sizing sz;
	struct memmap snap;
	void *buf;
	EFI_STATUS st = stub_snapshot_map(&snap, &buf);

	if (EFI_ERROR(st)) {
		if (buf)
			bs_call(FreePool, buf);
		stub_log("efimap: stub: accept: GetMemoryMap for sizing failed (status 0x%llx)",
			 (unsigned long long)st);
		return false;
	}
	accept_sizing_init(&sz);
	accept_map_for_each(&snap, src, size_range, &sz);
	bs_call(FreePool, buf);
	accept_sizing_result(&sz, base, bytes);
	return sz.ranges != 0;
}

void stub_accept_release(struct stub_accept *a)
{
	if (a->installed)
		bs_call(InstallConfigurationTable, &table_guid, NULL); /* NULL removes it */
	if (a->table)
		bs_call(FreePages, a->table, a->pages);
	a->table = 0;
	a->installed = false;
}

void stub_accept_prepare(struct stub_accept *a, const struct options *o)
{
	struct accept_source src;
	u64 base, bytes;
	EFI_STATUS st;

	memset(a, 0, sizeof(*a));
	accept_source_init(&src, o);
	if (!size_now(&src, &base, &bytes)) {
		/* No type 15 and nothing simulated: nothing about acceptance runs. */
		if (src.sim)
			stub_log("efimap: stub: accept: the efimap.unaccepted window holds no "
				 "usable conventional memory; nothing simulated");
		return;
	}
	a->source = src.sim ? HANDOFF_ACCEPT_SIM : HANDOFF_ACCEPT_FIRMWARE;
	/*
	 * The allocation itself changes the map (it may come out of the very
	 * memory being sized), so size again until the answer holds.
	 */
	for (int tries = 0; tries < MAX_SIZING_TRIES; tries++) {
		EFI_PHYSICAL_ADDRESS addr;
		u64 base2, bytes2;

		a->pages = ALIGN_UP(accept_table_bytes(bytes), PAGE_SIZE) / PAGE_SIZE;
		/*
		 * EfiACPIReclaimMemory, as Linux's stub uses: the table must outlive
		 * this loader and reach whatever OS runs next (or a kexec'd one),
		 * which keeps ACPI-reclaim memory until it has read its tables;
		 * LoaderData would be free memory to an OS that does not know it.
		 */
		st = bs_call(AllocatePages, AllocateAnyPages, EfiACPIReclaimMemory, a->pages,
			     &addr);
		if (EFI_ERROR(st)) {
			stub_log("efimap: stub: accept: no memory for the %llu-byte table "
				 "(status 0x%llx)",
				 (unsigned long long)accept_table_bytes(bytes),
				 (unsigned long long)st);
			a->flags |= HANDOFF_ACCEPT_NO_TABLE;
			return;
		}
		a->table = addr;
		if (!size_now(&src, &base2, &bytes2) || (base2 == base && bytes2 == bytes))
			break;
		bs_call(FreePages, a->table, a->pages);
		a->table = 0;
		base = base2;
		bytes = bytes2;
	}
	if (!a->table) {
		/* Never settled: keep the last size; the final-map rules accept what it misses. */
		a->pages = ALIGN_UP(accept_table_bytes(bytes), PAGE_SIZE) / PAGE_SIZE;
		st = bs_call(AllocatePages, AllocateAnyPages, EfiACPIReclaimMemory, a->pages,
			     &a->table);
		if (EFI_ERROR(st)) {
			a->table = 0;
			a->flags |= HANDOFF_ACCEPT_NO_TABLE;
			return;
		}
	}
	accept_table_init((struct accept_table *)(uintptr_t)a->table, base, bytes);
	st = bs_call(InstallConfigurationTable, &table_guid, (void *)(uintptr_t)a->table);
	if (EFI_ERROR(st)) {
		stub_log("efimap: stub: accept: InstallConfigurationTable failed (status 0x%llx)",
			 (unsigned long long)st);
		a->flags |= HANDOFF_ACCEPT_NOT_INSTALLED;
	} else {
		a->installed = true;
	}
	stub_log("efimap: stub: accept: %s, table at 0x%llx, base 0x%llx, bitmap %llu bytes",
		 src.sim ? "simulated" : "firmware type 15", (unsigned long long)a->table,
		 (unsigned long long)base, (unsigned long long)bytes);
}

/* --- after ExitBootServices: no printing, no allocating --- */

struct build_ctx {
	struct accept_table *t;
	struct handoff *h;
	const struct accept_ops *ops;
	struct accept_stats st;
	struct accept_sizing sz;
	int rc;
};

/* The simulation's accept: real work, zeroing every byte, as TDX/SNP acceptance does. */
static int sim_accept(void *ctx, u64 start, u64 end)
{
	struct handoff *h = ctx;

	zero_qwords(start, end - start);
	accept_log_add(h->accept_log, HANDOFF_ACCEPT_LOG, &h->accept_nr_log, &h->accept_log_dropped,
		       start, end);
	return 0;
}

static bool mark_range(void *ctx, u64 start, u64 end)
{
	struct build_ctx *b = ctx;

	accept_sizing_add(&b->sz, start, end);
	b->h->accept_range_bytes += end - start;
	accept_mark(b->t, start, end);
	return true;
}

static bool edge_range(void *ctx, u64 start, u64 end)
{
	struct build_ctx *b = ctx;
	int rc = accept_edges(b->t, start, end, b->ops, &b->st);

	if (rc && !b->rc)
		b->rc = rc;
	return true;
}

/* efimap.inject=stray-bit: damage the bitmap the way a stray write would; the kernel must notice.
 */
static void set_stray_bit(struct accept_table *t, const struct memmap *map,
			  const struct accept_source *src)
{
	for (u64 n = 0; n < t->size * 8; n++) {
		u8 bit = (u8)(1u << (n % 8));

		if (t->bitmap[n / 8] & bit)
			continue;
		t->bitmap[n / 8] |= bit;
		if (accept_map_stray_bits(map, src, t))
			return;
		t->bitmap[n / 8] &= (u8)~bit;
	}
}

void stub_accept_build(struct stub_accept *a, struct handoff *h, const struct options *o)
{
	struct accept_source src;
	struct memmap map;
	struct build_ctx b = { 0 };
	struct accept_ops sim = { "sim", sim_accept, h }, none = { "none", accept_refuse, NULL };
	u64 base, bytes, t0;

	h->accept_source = a->source;
	h->accept_flags = a->flags;
	h->accept_table = a->table;
	h->accept_table_bytes = a->pages * PAGE_SIZE;
	if (a->source == HANDOFF_ACCEPT_NONE || !a->table || (h->flags & HANDOFF_EBS_FAILED))
		return;
	if (memmap_init(&map, (void *)(uintptr_t)h->map_base, h->desc_size, h->desc_version,
			h->nr_map, h->map_capacity) != MM_OK)
		return;
	accept_source_init(&src, o);
	b.t = (struct accept_table *)(uintptr_t)a->table;
	b.h = h;
	b.ops = src.sim ? &sim : &none;
	h->accept_range_bytes = 0;
	accept_sizing_init(&b.sz);
	t0 = arch_counter();
	/* Two passes (accept/accept.h): bits first, so no edge is accepted under a set bit. */
	h->accept_ranges = accept_map_for_each(&map, &src, mark_range, &b);
	accept_map_for_each(&map, &src, edge_range, &b);
	h->accept_tsc = arch_counter() - t0;
	accept_sizing_result(&b.sz, &base, &bytes);
	if (base != b.t->phys_base || bytes != b.t->size)
		h->accept_flags |= HANDOFF_ACCEPT_RESIZED;
	if (o->inject & INJECT_STRAY_BIT)
		set_stray_bit(b.t, &map, &src);
	h->accept_calls = b.st.calls;
	h->accept_bytes = b.st.bytes;
	h->accept_failed_bytes = b.st.failed_bytes;
	if (!src.sim)
		h->accept_flags |= HANDOFF_ACCEPT_NO_BACKEND;
}
