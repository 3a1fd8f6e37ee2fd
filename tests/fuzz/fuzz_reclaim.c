// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: kernel/reclaim.c over hostile maps (overlaps, unaligned
 * and wrapping entries, zero pages, page 0 and 1 MiB edges) and arbitrary
 * KERN ranges. Pages are recorded, not touched. Checked against references
 * computed here the obvious way: nothing freed or handed out twice, nothing
 * KERN or below 1 MiB freed, every other page of a clean boot-services
 * entry freed, the books balance, tagging leaves the map alone, compaction
 * removes exactly the entries freed whole, the tail goes, and a second
 * cleanup changes nothing.
 *
 * Input: an 8-byte header, KERN tags, then 40-byte descriptors.
 *   byte 0  desc_size 40 + 8 * (b % 4) (descriptors are spread to it)
 *   byte 1  KERN tags (b % 17), 8 bytes each: u16 entry, u16 page offset,
 *           u32 pages (a range relative to an entry, so it straddles often)
 *   byte 2  bit 0: run the trampoline step; bit 1: tame addresses into
 *           1 GiB and sizes below 4096 pages; bits 2-3: spare buffer pages
 */
#include "kernel/reclaim.h"
#include "tests/fuzz/fuzz.h"

#define HDR_LEN	  8u
#define TAG_LEN	  8u
#define MAX_DESCS 512u
#define PAGE	  4096ULL

struct range {
	u64 base, end;
	int kind; /* 0 conventional, 1 freed, 2 tail */
};

struct rec {
	const struct reclaim *rc;
	const struct memmap *map;
	struct range *r;
	size_t nr, cap;
	u64 freed_pages, kept_pages, added_pages;
	bool in_free; /* inside reclaim_free (else compaction's tail) */
};

static bool kern_overlaps(const struct reclaim *rc, u64 base, u64 end)
{
	for (u32 i = 0; i < rc->resv.nr; i++)
		if (rc->resv.r[i].flag == RESV_KERN && rc->resv.r[i].base < end &&
		    base < rc->resv.r[i].end)
			return true;
	return false;
}

static bool is_bs(const struct mm_desc *d)
{
	return d->type == MM_BOOT_CODE || d->type == MM_BOOT_DATA;
}

/* Boot-services memory the firmware does not keep for runtime use. */
static bool reclaimable(const struct mm_desc *d)
{
	return is_bs(d) && !(d->attribute & MM_ATTR_RUNTIME);
}

/* Page-aligned and inside 4-level paging (or empty): what the kernel maps. */
static bool clean(const struct mm_desc *d)
{
	u64 end = d->phys_addr + d->num_pages * PAGE;

	if (!d->num_pages)
		return true;
	return !(d->phys_addr & (PAGE - 1)) && d->num_pages <= (1ULL << 36) && end > d->phys_addr &&
	       end <= (1ULL << 48);
}

static bool overlaps_other(const struct memmap *m, u32 i)
{
	struct mm_desc a = get(m, i);

	for (u32 j = 0; j < m->nr_map; j++) {
		struct mm_desc b = get(m, j);

		if (j != i && a.num_pages && b.num_pages && a.phys_addr < mm_desc_end(&b) &&
		    b.phys_addr < mm_desc_end(&a))
			return true;
	}
	return false;
}

/* The clean, non-overlapping entry of this type holding [base, end) whole. */
static bool inside_entry(const struct memmap *m, u32 type, u64 base, u64 end)
{
	for (u32 i = 0; i < m->nr_map; i++) {
		struct mm_desc d = get(m, i);

		if (d.type == type && clean(&d) && d.phys_addr <= base && end <= mm_desc_end(&d) &&
		    !(d.attribute & MM_ATTR_RUNTIME) &&
		    (type != MM_CONVENTIONAL || !(d.attribute & MM_ATTR_SP)))
			return !overlaps_other(m, i);
	}
	return false;
}

static void push(struct rec *r, u64 base, u64 pages, int kind)
{
	CHECK(pages && !(base & (PAGE - 1)));
	CHECK(base + pages * PAGE > base);
	if (r->nr == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->r = realloc(r->r, r->cap * sizeof(*r->r));
		if (!r->r)
			abort();
	}
	r->r[r->nr++] = (struct range){ base, base + pages * PAGE, kind };
}

static bool on_add(void *ctx, u64 base, u64 pages)
{
	struct rec *r = ctx;

	push(r, base, pages, 0);
	CHECK(base >= RECLAIM_LOW_LIMIT);
	CHECK(!kern_overlaps(r->rc, base, base + pages * PAGE));
	CHECK(inside_entry(r->map, MM_CONVENTIONAL, base, base + pages * PAGE));
	r->added_pages += pages;
	return true;
}

static bool on_free(void *ctx, u64 base, u64 pages)
{
	struct rec *r = ctx;

	push(r, base, pages, r->in_free ? 1 : 2);
	if (!r->in_free)
		return true; /* the map buffer's tail, checked by the caller */
	CHECK(base >= RECLAIM_LOW_LIMIT);
	CHECK(!kern_overlaps(r->rc, base, base + pages * PAGE));
	CHECK(inside_entry(r->map, MM_BOOT_CODE, base, base + pages * PAGE) ||
	      inside_entry(r->map, MM_BOOT_DATA, base, base + pages * PAGE));
	r->freed_pages += pages;
	return true;
}

static void on_kept(void *ctx, u64 base, u64 pages, enum resv_reason why, u32 type)
{
	struct rec *r = ctx;

	(void)base;
	CHECK(why < RSN_NR && why != RSN_BOOT_SERVICES && type < 2);
	r->kept_pages += pages;
}

static int by_base(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* Reference: the pages of clean, lone boot-services entries that must be freed. */
static u64 must_free(const struct reclaim *rc, const struct memmap *m)
{
	u64 n = 0;

	for (u32 i = 0; i < m->nr_map; i++) {
		struct mm_desc d = get(m, i);

		if (!reclaimable(&d) || !clean(&d) || overlaps_other(m, i))
			continue;
		for (u64 p = d.phys_addr; p < mm_desc_end(&d); p += PAGE)
			n += p >= RECLAIM_LOW_LIMIT && !kern_overlaps(rc, p, p + PAGE);
	}
	return n;
}

/* Reference for compaction: removed exactly when boot-services, clean, >= 1 MiB, no KERN page. */
static bool goes(const struct reclaim *rc, const struct mm_desc *d)
{
	return reclaimable(d) && clean(d) && d->phys_addr >= RECLAIM_LOW_LIMIT &&
	       !kern_overlaps(rc, d->phys_addr, mm_desc_end(d));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 ds, ntags, n, cap, spare, kept_n = 0;
	struct memmap m;
	struct reclaim rc;
	struct resv *storage;
	struct rec r = { 0 };
	struct reclaim_ops ops = { on_add, on_free, on_kept, &r };
	u8 *buf, *orig, *want;
	size_t bytes, buf_bytes;
	u64 bs = 0, base;
	struct reclaim_stats st;

	if (size < HDR_LEN)
		return 0;
	ds = 40 + 8 * (data[0] % 4);
	ntags = data[1] % 17;
	spare = (data[2] >> 2) & 3;
	if (size < HDR_LEN + ntags * TAG_LEN)
		return 0;
	n = (u32)((size - HDR_LEN - ntags * TAG_LEN) / MM_DESC_MIN_SIZE);
	if (n > MAX_DESCS)
		n = MAX_DESCS;
	cap = n + 1;
	bytes = (size_t)cap * ds;
	buf_bytes = ((bytes + PAGE - 1) & ~(PAGE - 1)) + spare * PAGE;
	buf = aligned_alloc(PAGE, buf_bytes);
	orig = malloc(bytes);
	want = malloc(bytes);
	storage = malloc(sizeof(*storage) * (2 * n + ntags + 8));
	if (!buf || !orig || !want || !storage)
		abort();
	memset(buf, 0xa5, buf_bytes);
	CHECK(memmap_init(&m, buf, ds, 1, n, cap) == MM_OK);
	for (u32 i = 0; i < n; i++) {
		struct mm_desc d;

		memcpy(&d, data + HDR_LEN + ntags * TAG_LEN + (size_t)i * MM_DESC_MIN_SIZE,
		       sizeof(d));
		d.type %= 16;
		if (data[2] & 2) {
			d.phys_addr &= 0x3ffff000ULL | (d.phys_addr & 1); /* sometimes unaligned */
			d.num_pages &= 0xfff;
		}
		memcpy(buf + (size_t)i * ds, &d, sizeof(d));
	}
	memcpy(orig, buf, bytes);
	r.rc = &rc;
	r.map = &m;

	/* Phase 1 and tagging: the table is large enough, and the map's bytes do not change. */
	CHECK(reclaim_reserve(&rc, &m, buf_bytes, storage, 2 * n + ntags + 8));
	for (u32 t = 0; t < ntags && n; t++) {
		const u8 *p = data + HDR_LEN + t * TAG_LEN;
		struct mm_desc d = get(&m, (u32)(p[0] | p[1] << 8) % n);
		u64 start = d.phys_addr + (u64)(p[2] | p[3] << 8) * PAGE;
		u64 len = (u64)(p[4] | p[5] << 8 | (u32)p[6] << 16 | (u32)p[7] << 24) * PAGE;

		if (start + len > start)
			CHECK(reclaim_tag(&rc, start, start + len, RSN_TEST));
	}
	base = (u64)(uintptr_t)buf;
	CHECK(reclaim_tag(&rc, base, base + buf_bytes, RSN_MEMORY_MAP));
	if (data[2] & 1) {
		u64 tp = reclaim_trampoline(&rc);

		CHECK(tp == ~0ULL || (tp >= PAGE && tp < RECLAIM_LOW_LIMIT && !(tp & (PAGE - 1))));
	}
	reclaim_add_conventional(&rc, &ops);
	CHECK(!memcmp(orig, buf, bytes));

	/* Phase 2: the books balance against the ops and against the reference. */
	r.in_free = true;
	CHECK(reclaim_free(&rc, &ops) == NULL);
	r.in_free = false;
	for (u32 i = 0; i < n; i++) {
		struct mm_desc d = get(&m, i);

		if (is_bs(&d))
			bs += d.num_pages;
	}
	CHECK(rc.st.bs_total == bs);
	CHECK(rc.st.leak == 0 && rc.st.freed + rc.st.kept == bs);
	CHECK(rc.st.freed == r.freed_pages && rc.st.kept == r.kept_pages);
	CHECK(rc.st.conventional_pages == r.added_pages);
	if (bs <= 1u << 16)
		CHECK(rc.st.freed == must_free(&rc, &m));
	CHECK(!memcmp(orig, buf, bytes));

	/* Compaction: exactly the entries freed whole go, the rest byte for byte in order. */
	for (u32 i = 0; i < n; i++) {
		struct mm_desc d = get(&m, i);

		if (!goes(&rc, &d))
			memcpy(want + (size_t)kept_n++ * ds, buf + (size_t)i * ds, ds);
	}
	CHECK(reclaim_compact(&rc, &ops) == n - kept_n);
	CHECK(m.nr_map == kept_n && !memcmp(want, buf, (size_t)kept_n * ds));
	CHECK((u64)m.nr_map * ds <= rc.map_bytes && (u64)m.capacity * ds <= rc.map_bytes);
	CHECK(rc.map_bytes == (((u64)kept_n * ds + PAGE - 1) & ~(PAGE - 1)));
	CHECK(rc.st.tail_freed_pages == (buf_bytes - rc.map_bytes) / PAGE);

	/* Nothing handed out twice: conventional, freed and tail ranges are disjoint. */
	if (r.nr)
		qsort(r.r, r.nr, sizeof(*r.r), by_base);
	for (size_t i = 1; i < r.nr; i++)
		CHECK(r.r[i - 1].end <= r.r[i].base);

	/* A second cleanup: no calls, no change. */
	st = rc.st;
	memcpy(want, buf, (size_t)kept_n * ds);
	size_t calls = r.nr;
	r.in_free = true;
	CHECK(reclaim_free(&rc, &ops) == NULL);
	r.in_free = false;
	CHECK(reclaim_compact(&rc, &ops) == 0);
	CHECK(r.nr == calls && m.nr_map == kept_n && !memcmp(want, buf, (size_t)kept_n * ds));
	CHECK(!memcmp(&st, &rc.st, sizeof(st)));

	free(r.r);
	free(storage);
	free(want);
	free(orig);
	free(buf);
	return 0;
}
