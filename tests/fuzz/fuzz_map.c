// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: raw bytes as a firmware memory map, through validate,
 * sort, filter, totals, find, the virtual layout and the runtime copy, with
 * every property the headers promise checked against a reference computed
 * here the slow, obvious way. A violated property aborts, so libFuzzer saves
 * the input as a crash.
 *
 * Input: an 8-byte header, then descriptors at the chosen stride.
 *   byte 0  desc_size: 40 + 8 * (b % 6), or from a list of invalid sizes
 *           when b >= 0xf0
 *   byte 1  desc_version: 1, or b & 0xf when b >= 0xf0
 *   byte 2  spare capacity (none: the sort must merge in place; just under
 *           or at half of nr_map; double...)
 *   byte 3  taming bits, so the fuzzer reaches equal starts, overlaps and
 *           layouts that fit (see tame())
 *   byte 4  the filter predicate
 *   byte 5  the virtual window, and whether layout runs before the sort
 *   byte 6-7 a parameter for the window and for memmap_find()
 */
#include "memmap/layout.h"
#include "tests/fuzz/fuzz.h"

#define HDR_LEN	  8u
#define MAX_DESCS 2048u
#define JUNK	  0xa5

static void put(struct memmap *m, u32 i, const struct mm_desc *d)
{
	memcpy((u8 *)m->base + (size_t)i * m->desc_size, d, sizeof(*d));
}

static u8 *dup_bytes(const void *p, size_t n)
{
	u8 *q = malloc(n ? n : 1);

	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

static bool same(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

/* End of [phys, phys + pages * 4 KiB) without wrapping, and whether it fits in 64 bits. */
static bool desc_end(const struct mm_desc *d, u64 *end)
{
	u64 e = d->phys_addr + (d->num_pages << PAGE_SHIFT);

	if (d->num_pages > (~0ULL >> PAGE_SHIFT) || e < d->phys_addr)
		return false;
	*end = e;
	return true;
}

/* --- findings -------------------------------------------------------- */

struct seen {
	const struct memmap *map;
	u32 total;
	u32 by_check[MM_NR_CHECKS];
	u32 by_severity[MM_NR_SEVERITIES];
};

/* Every finding must be well formed and printable without reading out of bounds. */
static void on_finding(const struct mm_finding *f, void *ctx)
{
	struct seen *s = ctx;
	char buf[256], tiny[8];
	int n, m;

	CHECK((unsigned)f->check < MM_NR_CHECKS);
	CHECK((unsigned)f->severity < MM_NR_SEVERITIES);
	CHECK(f->index == MM_NO_INDEX || f->index < s->map->nr_map);
	CHECK(mm_check_name(f->check) && mm_check_name(f->check)[0]);
	CHECK(mm_severity_name(f->severity) && mm_severity_name(f->severity)[0]);
	s->total++;
	s->by_check[f->check]++;
	s->by_severity[f->severity]++;

	/*
	 * Formatting would dominate the run time: the first finding of each
	 * check in a map exercises every message, and only the very first is
	 * also cut short.
	 */
	if (s->by_check[f->check] > 1)
		return;
	n = mm_finding_format(buf, sizeof(buf), f, s->map);
	CHECK(n > 0);
	CHECK(strlen(buf) == ((size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1));
	if (s->total > 1)
		return;
	m = mm_finding_format(tiny, sizeof(tiny), f, s->map);
	CHECK(m == n);
	CHECK(strlen(tiny) == ((size_t)n < sizeof(tiny) ? (size_t)n : sizeof(tiny) - 1));
}

/* Validate and check what validation itself promises; returns the counts. */
static struct mm_validation validate(const struct memmap *m, bool desc_size_ok)
{
	struct mm_validation v;
	struct seen s = { .map = m };
	size_t bytes = (size_t)m->capacity * m->desc_size;
	u8 *before = dup_bytes(m->base, bytes);
	u32 sum_check = 0, sum_sev = 0, unknown = 0;

	memset(&v, 0x5a, sizeof(v));
	memmap_validate(m, on_finding, &s, &v);
	CHECK(same(before, m->base, bytes)); /* never changes the map */
	free(before);

	for (u32 c = 0; c < MM_NR_CHECKS; c++) {
		CHECK(v.by_check[c] == s.by_check[c]);
		sum_check += v.by_check[c];
	}
	for (u32 c = 0; c < MM_NR_SEVERITIES; c++) {
		CHECK(v.by_severity[c] == s.by_severity[c]);
		sum_sev += v.by_severity[c];
	}
	CHECK(sum_check == s.total && sum_sev == s.total);
	CHECK((v.by_check[MM_CHECK_DESC_SIZE] > 0) == !desc_size_ok);
	if (m->desc_size < MM_DESC_MIN_SIZE) {
		/* Nothing can be read: one map-wide error is all there is to say. */
		CHECK(!v.sorted);
		CHECK(v.by_check[MM_CHECK_DESC_SIZE] == s.total ||
		      v.by_check[MM_CHECK_DESC_SIZE] + v.by_check[MM_CHECK_DESC_VERSION] ==
			      s.total);
		return v;
	}
	CHECK((v.by_check[MM_CHECK_DESC_VERSION] > 0) == (m->desc_version != MM_DESC_VERSION));
	for (u32 i = 0; i < m->nr_map; i++)
		unknown += get(m, i).type >= MM_NR_TYPES;
	CHECK(v.by_check[MM_CHECK_UNKNOWN_TYPE] == unknown);
	/*
	 * Validation ignores entries that cover nothing when it judges the
	 * order, so it may call a map sorted that memmap_is_sorted() does not;
	 * never the other way round.
	 */
	if (desc_size_ok && memmap_is_sorted(m))
		CHECK(v.sorted);
	CHECK((v.by_check[MM_CHECK_UNSORTED] > 0) == !v.sorted);
	if (!v.sorted)
		for (u32 c = 0; c < MM_NR_CHECKS; c++)
			if (mm_check_needs_order(c))
				CHECK(v.by_check[c] == 0);
	return v;
}

/* --- input ----------------------------------------------------------- */

static const u32 bad_sizes[] = { 0, 8, 24, 32, 36, 39, 41, 44, 52, 60, 76, 84 };

/*
 * Pull descriptors into a small world so that equal starts, overlaps,
 * adjacent runs and layouts that fit are common, not one in 2^64.
 */
static void tame(struct mm_desc *d, u8 bits)
{
	if (bits & 0x01)
		d->phys_addr = (d->phys_addr & 0xffff) << PAGE_SHIFT;
	if (bits & 0x02)
		d->phys_addr = (d->phys_addr & 0xf) << 21; /* few distinct starts */
	if (bits & 0x04)
		d->num_pages &= 0x3ff;
	if (bits & 0x08)
		d->type &= 0xf;
	if (bits & 0x10)
		d->attribute &= MM_ATTR_KNOWN;
	if (bits & 0x20)
		d->virt_addr = 0;
}

/* --- sort -------------------------------------------------------------- */

static const struct memmap *cmp_map;

/* By start, then by original position: the one order a stable sort may produce. */
static int cmp_index(const void *a, const void *b)
{
	u32 i = *(const u32 *)a, j = *(const u32 *)b;
	u64 pi = get(cmp_map, i).phys_addr, pj = get(cmp_map, j).phys_addr;

	if (pi != pj)
		return pi < pj ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void check_sort(struct memmap *m)
{
	u32 n = m->nr_map, ds = m->desc_size, cap = m->capacity;
	void *base = m->base;
	struct memmap ref = *m;
	u32 *idx = malloc((n ? n : 1) * sizeof(*idx));
	u8 *want = malloc((size_t)(n ? n : 1) * ds);

	if (!idx || !want)
		abort();
	ref.base = dup_bytes(m->base, (size_t)n * ds);
	for (u32 i = 0; i < n; i++)
		idx[i] = i;
	cmp_map = &ref;
	qsort(idx, n, sizeof(*idx), cmp_index);
	for (u32 i = 0; i < n; i++)
		memcpy(want + (size_t)i * ds, (u8 *)ref.base + (size_t)idx[i] * ds, ds);

	memmap_sort(m);
	CHECK(m->nr_map == n && m->capacity == cap && m->desc_size == ds && m->base == base);
	CHECK(memmap_is_sorted(m));
	/* Same multiset, equal starts in their original order: exactly the stable order. */
	CHECK(same(m->base, want, (size_t)n * ds));

	memmap_sort(m); /* sorted input: left as it is */
	CHECK(same(m->base, want, (size_t)n * ds));

	free(ref.base);
	free(want);
	free(idx);
}

/* --- filter ------------------------------------------------------------ */

struct filt {
	u8 how;
	u32 calls;
};

/* A predicate chosen by the input: a hash of the descriptor, or the library's own. */
static bool keep(const struct mm_desc *md, void *ctx)
{
	struct filt *f = ctx;
	u64 h;

	f->calls++;
	switch (f->how >> 5) {
	case 0:
		return !mm_is_boot_services(md, NULL);
	case 1:
		return mm_is_runtime(md, NULL);
	case 2:
		return true;
	case 3:
		return false;
	default:
		h = md->phys_addr ^ (md->num_pages * 0x9e3779b97f4a7c15ULL) ^ md->type ^
		    (md->attribute >> 40);
		h ^= h >> 31;
		return (h >> (f->how & 7)) & 1;
	}
}

static void check_filter(const struct memmap *m, u8 how)
{
	size_t bytes = (size_t)m->capacity * m->desc_size;
	struct memmap c = *m;
	struct filt f = { .how = how }, probe = { .how = how };
	u8 *want = malloc(bytes ? bytes : 1);
	u32 kept = 0, removed;

	if (!want)
		abort();
	for (u32 i = 0; i < m->nr_map; i++) {
		struct mm_desc d = get(m, i);

		if (keep(&d, &probe))
			memcpy(want + (size_t)kept++ * m->desc_size,
			       (const u8 *)m->base + (size_t)i * m->desc_size, m->desc_size);
	}

	c.base = dup_bytes(m->base, bytes);
	removed = memmap_filter(&c, keep, &f);
	CHECK(f.calls == m->nr_map); /* one pass, each entry asked once */
	CHECK(removed == m->nr_map - kept);
	CHECK(c.nr_map == kept && c.capacity == m->capacity && c.desc_size == m->desc_size);
	/* Survivors exactly those accepted, byte for byte, in their order. */
	CHECK(same(c.base, want, (size_t)kept * m->desc_size));
	free(c.base);
	free(want);
}

/* --- totals, find, format ------------------------------------------------ */

static void check_totals(const struct memmap *m)
{
	struct mm_totals t, r;
	u32 entries = 0;

	memset(&r, 0, sizeof(r));
	for (u32 i = 0; i < m->nr_map; i++) {
		struct mm_desc d = get(m, i);

		if (d.type < MM_NR_TYPES) {
			r.pages[d.type] = sat_add(r.pages[d.type], d.num_pages);
			r.entries[d.type]++;
		} else {
			r.other_pages = sat_add(r.other_pages, d.num_pages);
			r.other_entries++;
		}
		if (d.attribute & MM_ATTR_RUNTIME) {
			r.runtime_pages = sat_add(r.runtime_pages, d.num_pages);
			r.runtime_entries++;
		}
		r.total_pages = sat_add(r.total_pages, d.num_pages);
	}
	memset(&t, 0x5a, sizeof(t));
	memmap_totals(m, &t);
	for (u32 k = 0; k < MM_NR_TYPES; k++) {
		CHECK(t.pages[k] == r.pages[k]);
		CHECK(t.entries[k] == r.entries[k]);
		entries += t.entries[k];
	}
	CHECK(t.other_pages == r.other_pages && t.other_entries == r.other_entries);
	CHECK(t.runtime_pages == r.runtime_pages && t.runtime_entries == r.runtime_entries);
	CHECK(t.total_pages == r.total_pages);
	CHECK(entries + t.other_entries == m->nr_map);
}

static void check_find(const struct memmap *m, u16 param)
{
	u64 addr = param * 0x10001ULL << 12;
	s64 want = -1;

	if (m->nr_map && (param & 1))
		addr = get(m, param % m->nr_map).phys_addr + (param >> 4);
	for (u32 i = 0; i < m->nr_map && want < 0; i++) {
		struct mm_desc d = get(m, i);
		u64 end = ~0ULL;

		desc_end(&d, &end);
		if (addr >= d.phys_addr && addr < end)
			want = i;
	}
	CHECK(memmap_find(m, addr) == want);
}

static void check_format(const struct memmap *m)
{
	char buf[160];

	for (u32 i = 0; i < m->nr_map && i < 4; i++) {
		struct mm_desc d = get(m, i);
		int n = mm_format_line(buf, sizeof(buf), i, &d);

		CHECK(n > 0 && (size_t)n < sizeof(buf) && strlen(buf) == (size_t)n);
	}
}

/* --- layout and the runtime copy ---------------------------------------- */

struct layout_seen {
	const struct memmap *map;
	u32 layout_findings, other_findings;
};

static void on_layout_finding(const struct mm_finding *f, void *ctx)
{
	struct layout_seen *s = ctx;
	char buf[256];

	CHECK(f->severity == MM_SEV_ERROR);
	CHECK(f->index == MM_NO_INDEX || f->index < s->map->nr_map);
	CHECK(mm_finding_format(buf, sizeof(buf), f, s->map) > 0);
	if (f->check == MM_CHECK_LAYOUT_NO_ROOM || f->check == MM_CHECK_LAYOUT_BAD_ENTRY)
		s->layout_findings++;
	else
		s->other_findings++;
}

/* Pick a window: the default one, small ones that fill up, odd sizes, near the top. */
static void pick_window(u8 sel, u16 param, u64 *base, u64 *size)
{
	switch (sel & 3) {
	case 0:
		*base = MM_VA_WINDOW_BASE;
		*size = MM_VA_WINDOW_SIZE;
		break;
	case 1:
		*base = MM_VA_WINDOW_BASE;
		*size = (u64)(param + 1) * SZ_2M;
		break;
	case 2:
		*base = (u64)param << 21;
		*size = (u64)param * 0x1001 + (sel >> 2);
		break;
	default:
		*base = 0ULL - ((u64)(param % 64 + 1) << 21);
		*size = ((u64)(param % 64 + 1) << 21) - 1 - (sel >> 2); /* base + size < 2^64 */
		break;
	}
	if (sel & 0x40)
		*base += PAGE_SIZE << (sel & 7); /* off the 2 MiB grid */
}

static void check_layout(struct memmap *m, u8 sel, u16 param)
{
	size_t live = (size_t)m->nr_map * m->desc_size;
	u8 *before = dup_bytes(m->base, live);
	struct layout_seen s = { .map = m };
	struct mm_layout out, again;
	u64 wbase, wsize, wend, prev_end = 0, bytes = 0;
	u32 placed = 0;
	bool ok;

	pick_window(sel, param, &wbase, &wsize);
	wend = wbase + wsize;
	memset(&out, 0x5a, sizeof(out));
	ok = memmap_layout_runtime(m, wbase, wsize, &out, on_layout_finding, &s);
	if (!ok) {
		/* All or nothing: a failure changes no entry and says why. */
		CHECK(same(before, m->base, live));
		CHECK(s.layout_findings > 0);
		free(before);
		return;
	}
	CHECK(s.layout_findings == 0 && s.other_findings == 0);
	CHECK(!(sel & 0x40)); /* a base off the 2 MiB grid is refused */
	for (u32 i = 0; i < m->nr_map; i++) {
		struct mm_desc d = get(m, i), o;
		u64 end, va_end;

		memcpy(&o, before + (size_t)i * m->desc_size, sizeof(o));
		/* Only virt_addr of runtime entries may change, nothing else anywhere. */
		if (!(o.attribute & MM_ATTR_RUNTIME)) {
			CHECK(same(before + (size_t)i * m->desc_size,
				   (u8 *)m->base + (size_t)i * m->desc_size, m->desc_size));
			continue;
		}
		o.virt_addr = d.virt_addr;
		CHECK(same(&o, &d, sizeof(d)));
		CHECK(m->desc_size == sizeof(d) ||
		      same(before + (size_t)i * m->desc_size + sizeof(d),
			   (u8 *)m->base + (size_t)i * m->desc_size + sizeof(d),
			   m->desc_size - sizeof(d)));

		/* Invariant 4: in the window, congruent mod 2 MiB, increasing, disjoint. */
		CHECK(desc_end(&d, &end));
		CHECK(d.virt_addr % MM_VA_CONGRUENCE == d.phys_addr % MM_VA_CONGRUENCE);
		CHECK(d.virt_addr >= wbase && d.virt_addr <= wend);
		CHECK(end - d.phys_addr <= wend - d.virt_addr);
		va_end = d.virt_addr + (end - d.phys_addr);
		if (placed)
			CHECK(d.virt_addr >= prev_end);
		prev_end = va_end;
		bytes += end - d.phys_addr;
		placed++;
	}
	CHECK(out.nr_runtime == placed);
	CHECK(out.window_base == wbase && out.window_size == wsize);
	CHECK(out.bytes == bytes);
	if (placed)
		CHECK(out.va_end == prev_end);

	/* A pure function of the map: stale virtual addresses do not matter. */
	{
		struct memmap c = *m;
		struct layout_seen s2 = { .map = &c };

		c.base = dup_bytes(before, live);
		for (u32 i = 0; i < c.nr_map; i++) {
			struct mm_desc d = get(&c, i);

			d.virt_addr = ~d.virt_addr ^ ((u64)i << 21);
			put(&c, i, &d);
		}
		CHECK(memmap_layout_runtime(&c, wbase, wsize, &again, on_layout_finding, &s2));
		CHECK(again.nr_runtime == out.nr_runtime && again.va_end == out.va_end &&
		      again.bytes == out.bytes);
		for (u32 i = 0; i < c.nr_map; i++)
			if (get(&c, i).attribute & MM_ATTR_RUNTIME)
				CHECK(get(&c, i).virt_addr == get(m, i).virt_addr);
		free(c.base);
	}
	free(before);
}

static void check_copy_runtime(const struct memmap *m)
{
	u32 ds = m->desc_size, rt = memmap_count(m, mm_is_runtime, NULL);
	u64 need = memmap_runtime_bytes(m);
	size_t live = (size_t)m->nr_map * ds, spare = (size_t)(m->capacity - m->nr_map) * ds;
	u8 *want = malloc(need ? need : 1), *scratch = malloc(need + 1), *before;
	struct memmap out;
	u32 k = 0;

	CHECK(need == (u64)rt * ds);
	if (!want || !scratch)
		abort();
	for (u32 i = 0; i < m->nr_map; i++)
		if (get(m, i).attribute & MM_ATTR_RUNTIME)
			memcpy(want + (size_t)k++ * ds, (const u8 *)m->base + (size_t)i * ds, ds);

	/* Exactly big enough, apart from the map: the runtime entries in order. */
	memset(&out, 0, sizeof(out));
	CHECK(memmap_copy_runtime(m, scratch, need, &out));
	CHECK(out.base == scratch && out.nr_map == rt && out.desc_size == ds &&
	      out.desc_version == m->desc_version && out.capacity >= out.nr_map);
	CHECK(same(scratch, want, need));

	/* One byte short: refused, nothing written. */
	if (need) {
		memset(scratch, JUNK, need);
		CHECK(!memmap_copy_runtime(m, scratch, need - 1, &out));
		for (u64 i = 0; i < need; i++)
			CHECK(scratch[i] == JUNK);
	}

	before = dup_bytes(m->base, live);
	/* The map's spare tail, as the stub uses it (invariant 5). */
	if (spare >= need) {
		memset(&out, 0, sizeof(out));
		CHECK(memmap_copy_runtime(m, (u8 *)m->base + live, spare, &out));
		CHECK(out.nr_map == rt && same((u8 *)m->base + live, want, need));
		CHECK(same(before, m->base, live));
	}
	/* Overlapping the live entries: refused, the map untouched. */
	if (need && m->nr_map) {
		size_t at = live - ds;

		CHECK(!memmap_copy_runtime(m, (u8 *)m->base + at, live + spare - at, &out));
		CHECK(same(before, m->base, live));
	}
	free(before);
	free(scratch);
	free(want);
}

/* --- the target ---------------------------------------------------------- */

/* A map whose descriptors cannot be read safely: only validation may look at it. */
static void bad_desc_size(const u8 *data, size_t size, u32 ds, u32 version)
{
	u32 n = (u32)((size - HDR_LEN) / (ds ? ds : 8));
	struct memmap m;
	struct mm_validation v;

	if (n > MAX_DESCS)
		n = MAX_DESCS;
	CHECK(memmap_init(&m, NULL, ds, version, 0, 0) == MM_ERR_DESC_SIZE);
	m.base = dup_bytes(data + HDR_LEN, (size_t)n * ds);
	m.nr_map = m.capacity = n;
	v = validate(&m, false);
	CHECK(v.by_severity[MM_SEV_ERROR] > 0);
	free(m.base);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 ds, version, n, cap;
	u8 b0, b2, taming, how, wsel;
	u16 param;
	struct memmap m;
	size_t bytes;

	if (size < HDR_LEN)
		return 0;
	b0 = data[0];
	ds = b0 >= 0xf0 ? bad_sizes[b0 % ARRAY_SIZE(bad_sizes)] : 40 + 8 * (b0 % 6);
	version = data[1] >= 0xf0 ? data[1] & 0xf : MM_DESC_VERSION;
	b2 = data[2];
	taming = data[3];
	how = data[4];
	wsel = data[5];
	param = (u16)(data[6] | data[7] << 8);

	if (ds < MM_DESC_MIN_SIZE || ds % 8) {
		bad_desc_size(data, size, ds, version);
		return 0;
	}

	n = (u32)((size - HDR_LEN) / ds);
	if (n > MAX_DESCS)
		n = MAX_DESCS;
	switch (b2 % 6) {
	case 0:
		cap = n; /* no scratch at all */
		break;
	case 1:
		cap = n + n / 2; /* exactly half spare (rounded down) */
		break;
	case 2:
		cap = n + (n + 1) / 2; /* half spare, rounded up */
		break;
	case 3:
		cap = n + (n / 2 ? n / 2 - 1 : 0); /* just under half */
		break;
	case 4:
		cap = n + 1 + (b2 >> 6); /* a descriptor or few */
		break;
	default:
		cap = 2 * n;
		break;
	}

	bytes = (size_t)cap * ds;
	CHECK(memmap_init(&m, malloc(bytes ? bytes : 1), ds, version, n, cap) == MM_OK);
	if (!m.base)
		abort();
	memset(m.base, JUNK, bytes ? bytes : 1);
	for (u32 i = 0; i < n; i++) {
		struct mm_desc d;
		u64 tag = i;

		memcpy((u8 *)m.base + (size_t)i * ds, data + HDR_LEN + (size_t)i * ds, ds);
		d = get(&m, i);
		tame(&d, taming);
		put(&m, i, &d);
		/* Past the v1 fields: the original position, to tell equal starts apart. */
		if (ds >= 48)
			memcpy((u8 *)m.base + (size_t)i * ds + 40, &tag, sizeof(tag));
	}

	validate(&m, true);
	check_totals(&m);
	check_find(&m, param);
	check_format(&m);
	if (wsel & 0x80)
		check_layout(&m, wsel, param); /* layout does not need sorted input */
	check_sort(&m);
	CHECK(validate(&m, true).sorted);
	check_filter(&m, how);
	check_layout(&m, wsel, param);
	check_copy_runtime(&m);
	free(m.base);
	return 0;
}
