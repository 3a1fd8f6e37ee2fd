// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap plan`'s reclaim (tools/plan_reclaim.c running kernel/reclaim.c)
 * against an independent model written here from the rules of docs/architecture.md
 * (invariants 8 and 9) and reclaim.h's contracts, page by page:
 *  - a boot-services entry that is malformed (unaligned, wrapping, beyond
 *    2^48), carries EFI_MEMORY_RUNTIME or shares a byte with another entry
 *    is kept whole, for that reason (in that order);
 *  - otherwise each page is kept when it is the trampoline page, inside a
 *    KERN reservation (its reason) or below 1 MiB, and freed otherwise;
 *  - the trampoline is the highest page in [4 KiB, 1 MiB) of conventional
 *    memory that no KERN range covers, else the highest such page of
 *    boot-services memory;
 *  - compaction removes exactly the boot-services entries none of whose
 *    pages was kept.
 * Hand-built maps cover overlapping and RUNTIME-flagged entries,
 * reservations inside and across entries and both kinds of trampoline;
 * random maps (tests/unit/randmap.h) with random reservations cover the rest.
 * The kernel's lines are fed as text, through tools/kernel_lines.c.
 * It bites: with reclaim_reserve() not keeping RUNTIME-flagged entries,
 * with the overlap check off, with nothing kept below 1 MiB, with plan
 * clearing EFI_MEMORY_RUNTIME before the reclaim, or with plan not applying
 * the kernel's KERN lines, three cases or more fail each time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tools/suites.h"
#include "tests/unit/mapbuild.h"
#include "tests/unit/randmap.h"
#include "tools/plan.h"

#define PG   4096ULL
#define LOW  0x100000ULL
#define RAM  MAPBUILD_RAM
#define MAXD 64
#define MAXK 8

struct kr {
	u64 base, end;
	enum resv_reason why;
};

/*
 * Where KERN ranges overlap (an entry kept whole that overlaps another, a
 * reservation inside one), which of their reasons a page is counted under
 * is the reservation table's order, not a rule: such a page is "maybe" for
 * each of its reasons, and the kernel's count of a reason must lie between
 * its exact pages and its exact plus maybe pages.
 */
struct model {
	u64 total[2], freed[2], kept[2][RSN_NR], maybe[2][RSN_NR], ambiguous[2];
	u64 trampoline;
	bool tramp_bs;
	u32 removed;
};

static bool is_bs(const struct mm_desc *md)
{
	return md->type == MM_BOOT_CODE || md->type == MM_BOOT_DATA;
}

static u64 end_of(const struct mm_desc *md)
{
	return md->phys_addr + md->num_pages * PG;
}

static bool malformed(const struct mm_desc *md)
{
	return (md->phys_addr & (PG - 1)) || md->num_pages > ((1ULL << 48) >> 12) ||
	       end_of(md) > (1ULL << 48) || end_of(md) < md->phys_addr;
}

/* Why a boot-services entry is kept whole, or RSN_NR. */
static enum resv_reason whole(const struct memmap *m, u32 i)
{
	const struct mm_desc *md = memmap_desc(m, i);

	if (!is_bs(md) || !md->num_pages)
		return RSN_NR;
	if (malformed(md))
		return RSN_MALFORMED;
	if (md->attribute & MM_ATTR_RUNTIME)
		return RSN_RUNTIME_ATTR;
	for (u32 j = 0; j < m->nr_map; j++) {
		const struct mm_desc *o = memmap_desc(m, j);

		if (j != i && o->num_pages && o->phys_addr < end_of(md) &&
		    md->phys_addr < end_of(o))
			return RSN_OVERLAP;
	}
	return RSN_NR;
}

/* The reasons of every KERN range (given, or an entry kept whole) covering page p, as bits. */
static u32 kern_bits(const struct memmap *m, const struct kr *k, u32 nk, u64 p)
{
	u32 bits = 0;

	for (u32 i = 0; i < nk; i++)
		if (p >= k[i].base && p < k[i].end)
			bits |= 1u << k[i].why;
	for (u32 i = 0; i < m->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(m, i);
		enum resv_reason w = whole(m, i);

		if (w != RSN_NR && p + PG > md->phys_addr && p < end_of(md))
			bits |= 1u << w;
	}
	return bits;
}

static enum resv_reason kern_at(const struct memmap *m, const struct kr *k, u32 nk, u64 p)
{
	u32 bits = kern_bits(m, k, nk, p);

	return bits ? (enum resv_reason)__builtin_ctz(bits) : RSN_NR;
}

/* The highest page of [4 KiB, 1 MiB) inside a well-formed entry of this type, not KERN. */
static u64 highest_low(const struct memmap *m, const struct kr *k, u32 nk, u32 type)
{
	for (u64 p = LOW - PG; p >= PG; p -= PG) {
		for (u32 i = 0; i < m->nr_map; i++) {
			const struct mm_desc *md = memmap_desc(m, i);

			if (md->type == type && !malformed(md) && md->num_pages &&
			    p >= md->phys_addr && p + PG <= end_of(md) &&
			    kern_at(m, k, nk, p) == RSN_NR)
				return p;
		}
	}
	return ~0ULL;
}

static void model_run(const struct memmap *m, const struct kr *k, u32 nk, struct model *r)
{
	memset(r, 0, sizeof(*r));
	r->trampoline = highest_low(m, k, nk, MM_CONVENTIONAL);
	if (r->trampoline == ~0ULL) {
		u64 c = highest_low(m, k, nk, MM_BOOT_CODE),
		    d = highest_low(m, k, nk, MM_BOOT_DATA);

		r->trampoline = c == ~0ULL ? d : d == ~0ULL ? c : c > d ? c : d;
		r->tramp_bs = r->trampoline != ~0ULL;
	}
	for (u32 i = 0; i < m->nr_map; i++) {
		const struct mm_desc *md = memmap_desc(m, i);
		enum resv_reason w = whole(m, i);
		int t = md->type == MM_BOOT_CODE ? 0 : 1;
		u64 kept = 0;

		if (!is_bs(md) || !md->num_pages)
			continue;
		r->total[t] += md->num_pages;
		if (w == RSN_MALFORMED) {
			r->kept[t][w] += md->num_pages; /* never walked page by page */
			continue;
		}
		for (u64 p = md->phys_addr; p < end_of(md); p += PG) {
			u32 bits =
				p == r->trampoline ? 1u << RSN_TRAMPOLINE : kern_bits(m, k, nk, p);

			if (!bits && p < LOW)
				bits = 1u << RSN_BELOW_1M;
			if (!bits) {
				r->freed[t]++;
				continue;
			}
			kept++;
			if (!(bits & (bits - 1))) {
				r->kept[t][__builtin_ctz(bits)]++;
				continue;
			}
			r->ambiguous[t]++;
			for (u32 why = 0; why < RSN_NR; why++)
				if (bits & (1u << why))
					r->maybe[t][why]++;
		}
		if (!kept && w == RSN_NR)
			r->removed++;
	}
}

/* The kernel's lines for these reservations, as its serial log has them. */
static void kernel_text(char *buf, size_t size, const struct kr *k, u32 nk, u32 entries,
			u32 desc_size, u32 capacity)
{
	size_t n = 0;

	n += (size_t)snprintf(buf + n, size - n, "[    0.1] efimap: kernel core entered\n");
	n += (size_t)snprintf(buf + n, size - n,
			      "[    0.2] efimap: map: entries=%u desc_size=%u desc_version=1 "
			      "capacity=%u\n",
			      entries, desc_size, capacity);
	for (u32 i = 0; i < nk; i++)
		n += (size_t)snprintf(buf + n, size - n,
				      "[    0.3] efimap: resv: KERN 0x%016llx-0x%016llx %s (Boot "
				      "Data)\r\n",
				      (unsigned long long)k[i].base,
				      (unsigned long long)(k[i].end - 1),
				      resv_reason_name(k[i].why));
	snprintf(buf + n, size - n,
		 "[    0.4] efimap: resv: boot_ranges=1 kern_ranges=%u table=9/2048 dropped=0\n",
		 nk);
}

/* Plan the map with these reservations (nk < 0: no kernel lines) and compare with the model. */
static void compare(struct ktap_test *t, const struct memmap *m, const struct kr *k, int nk,
		    const char *what)
{
	struct kernel_lines kl;
	struct plan_reclaim r;
	struct model want;
	char text[4096];
	bool same = true;

	kernel_lines_init(&kl);
	if (nk >= 0) {
		kernel_text(text, sizeof(text), k, (u32)nk, m->nr_map, m->desc_size, m->nr_map * 2);
		kernel_lines_read_text(&kl, text, strlen(text), 0);
	}
	model_run(m, k, nk < 0 ? 0 : (u32)nk, &want);
	KT_ASSERT(t, plan_reclaim(m, nk >= 0 ? &kl : NULL, &r) == 0);
	KT_EXPECT(t, r.kern_known == (nk >= 0));
	KT_EXPECT(t, !r.why_not);
	for (int ty = 0; ty < 2; ty++) {
		u64 kept = 0, want_kept = want.ambiguous[ty];

		same &= r.rc.st.type[ty].total == want.total[ty];
		same &= r.rc.st.type[ty].freed == want.freed[ty];
		for (u32 why = 0; why < RSN_NR; why++) {
			u64 got = r.rc.st.type[ty].kept[why];

			same &= got >= want.kept[ty][why] &&
				got <= want.kept[ty][why] + want.maybe[ty][why];
			kept += got;
			want_kept += want.kept[ty][why];
		}
		same &= kept == want_kept;
	}
	same &= r.rc.st.trampoline == want.trampoline;
	same &= r.rc.st.trampoline_from_bs == want.tramp_bs;
	same &= r.rc.st.entries_before == m->nr_map;
	same &= r.rc.st.entries_after == m->nr_map - want.removed;
	same &= r.rc.st.leak == 0;
	if (!same) {
		char msg[1024];
		size_t n = 0;

		for (int ty = 0; ty < 2; ty++) {
			n += (size_t)snprintf(msg + n, sizeof(msg) - n,
					      " type %d total %llu/%llu freed %llu/%llu", ty,
					      (unsigned long long)r.rc.st.type[ty].total,
					      (unsigned long long)want.total[ty],
					      (unsigned long long)r.rc.st.type[ty].freed,
					      (unsigned long long)want.freed[ty]);
			for (u32 why = 0; why < RSN_NR && n < sizeof(msg) - 64; why++)
				if (r.rc.st.type[ty].kept[why] || want.kept[ty][why] ||
				    want.maybe[ty][why])
					n += (size_t)snprintf(
						msg + n, sizeof(msg) - n, " kept %s %llu/%llu+%llu",
						resv_reason_name(why),
						(unsigned long long)r.rc.st.type[ty].kept[why],
						(unsigned long long)want.kept[ty][why],
						(unsigned long long)want.maybe[ty][why]);
		}
		snprintf(msg + n, sizeof(msg) - n, " trampoline 0x%llx/0x%llx entries after %u/%u",
			 (unsigned long long)r.rc.st.trampoline,
			 (unsigned long long)want.trampoline, r.rc.st.entries_after,
			 m->nr_map - want.removed);
		ktap_check(t, false, __FILE__, __LINE__, "%s: plan/model:%s", what, msg);
	}
	plan_reclaim_free(&r);
	kernel_lines_free(&kl);
}

static u64 storage[MAXD * 48 / 8];

/* Two Boot Data entries overlapping each other, one overlapping conventional memory. */
static void overlapping_entries(struct ktap_test *t)
{
	struct memmap m;

	memmap_init(&m, storage, 48, 1, 0, MAXD);
	mapbuild_put(&m, 0, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	mapbuild_put(&m, 1, MM_BOOT_DATA, 0x200000, 0x100, RAM);
	mapbuild_put(&m, 2, MM_BOOT_DATA, 0x2f0000, 0x20, RAM); /* overlaps 1 */
	mapbuild_put(&m, 3, MM_BOOT_CODE, 0x400000, 0x10, RAM); /* freed whole */
	mapbuild_put(&m, 4, MM_CONVENTIONAL, 0x500000, 0x100, RAM);
	mapbuild_put(&m, 5, MM_BOOT_CODE, 0x5ff000, 0x2, RAM); /* overlaps 4 */
	compare(t, &m, NULL, -1, "overlapping");
	compare(t, &m, NULL, 0, "overlapping, no reservation");
}

/* When the kernel said it freed nothing (a reason no map shows), the plan says so too. */
static void kernel_freed_nothing(struct ktap_test *t)
{
	static const char why[] = "the firmware has more configuration tables than the handoff "
				  "holds; one of them may live in boot-services memory";
	struct kernel_lines kl;
	struct plan_reclaim r;
	struct memmap m;
	char text[2048];

	memmap_init(&m, storage, 48, 1, 0, MAXD);
	mapbuild_put(&m, 0, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	mapbuild_put(&m, 1, MM_BOOT_DATA, 0x200000, 0x40, RAM);
	kernel_lines_init(&kl);
	kernel_text(text, sizeof(text), NULL, 0, m.nr_map, 48, 64);
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
		 "[    0.5] efimap: reclaim: nothing freed: %s\n", why);
	kernel_lines_read_text(&kl, text, strlen(text), 0);
	KT_ASSERT(t, plan_reclaim(&m, &kl, &r) == 0);
	KT_EXPECT(t, r.kern_known && r.why_not && !strcmp(r.why_not, why));
	KT_EXPECT_EQ(t, r.rc.st.freed, 0);
	KT_EXPECT_EQ(t, r.map.nr_map, 2);
	plan_reclaim_free(&r);
	kernel_lines_free(&kl);
}

/* Boot-services types with EFI_MEMORY_RUNTIME stay whole and stay in the map. */
static void runtime_flagged(struct ktap_test *t)
{
	struct memmap m;
	struct plan_reclaim r;

	memmap_init(&m, storage, 48, 1, 0, MAXD);
	mapbuild_put(&m, 0, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	mapbuild_put(&m, 1, MM_BOOT_DATA, 0x200000, 0x40, RAM | MM_ATTR_RUNTIME);
	mapbuild_put(&m, 2, MM_BOOT_CODE, 0x240000, 0x40, RAM);
	mapbuild_put(&m, 3, MM_BOOT_CODE, 0x280000, 0x8, RAM | MM_ATTR_RUNTIME);
	compare(t, &m, NULL, -1, "runtime-flagged");
	KT_ASSERT(t, plan_reclaim(&m, NULL, &r) == 0);
	KT_EXPECT_EQ(t, r.rc.st.type[1].kept[RSN_RUNTIME_ATTR], 0x40);
	KT_EXPECT_EQ(t, r.rc.st.type[0].kept[RSN_RUNTIME_ATTR], 0x8);
	KT_EXPECT_EQ(t, r.rc.st.runtime_attr_entries, 2);
	KT_EXPECT_EQ(t, r.map.nr_map, 3); /* entry 2 went */
	plan_reclaim_free(&r);
}

/* KERN ranges inside one entry, across two, and partly outside boot-services memory. */
static void reservations_inside(struct ktap_test *t)
{
	static const struct kr k[] = {
		{ 0x201000, 0x203000, RSN_MEMATTR_TABLE }, /* inside entry 1 */
		{ 0x23f000, 0x242000, RSN_BGRT_LOGO },	   /* across entries 1 and 2 */
		{ 0x2ff000, 0x302000, RSN_ESRT },	   /* entry 3's last page and beyond */
		{ 0x500000, 0x501000, RSN_IMAGE },	   /* Loader Code: no effect */
	};
	struct memmap m;

	memmap_init(&m, storage, 48, 1, 0, MAXD);
	mapbuild_put(&m, 0, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	mapbuild_put(&m, 1, MM_BOOT_DATA, 0x200000, 0x40, RAM);
	mapbuild_put(&m, 2, MM_BOOT_DATA, 0x240000, 0x40, RAM);
	mapbuild_put(&m, 3, MM_BOOT_CODE, 0x280000, 0x80, RAM);
	mapbuild_put(&m, 4, MM_BOOT_CODE, 0x400000, 0x10, RAM);
	mapbuild_put(&m, 5, MM_LOADER_CODE, 0x500000, 0x10, RAM);
	compare(t, &m, k, ARRAY_SIZE(k), "reservations");
	compare(t, &m, k, 0, "reservations not given");

	/* Lines of another map (a run folder's capture): not applied, and said so. */
	{
		struct kernel_lines kl;
		struct plan_reclaim r;
		char text[2048];

		kernel_lines_init(&kl);
		kernel_text(text, sizeof(text), k, ARRAY_SIZE(k), m.nr_map + 1, 48, 64);
		kernel_lines_read_text(&kl, text, strlen(text), 0);
		KT_ASSERT(t, plan_reclaim(&m, &kl, &r) == 0);
		KT_EXPECT(t, !r.kern_known && strstr(r.kern_unknown, "a map of 7 entries"));
		KT_EXPECT_EQ(t, r.rc.st.type[1].kept[RSN_MEMATTR_TABLE], 0);
		plan_reclaim_free(&r);
		kernel_lines_free(&kl);
	}
}

/* The trampoline: conventional if any below 1 MiB, else the highest boot-services page. */
static void trampoline_below_1m(struct ktap_test *t)
{
	static const struct kr k[] = { { 0x9e000, 0x9f000, RSN_HANDOFF } };
	struct memmap m;
	struct plan_reclaim r;

	memmap_init(&m, storage, 48, 1, 0, MAXD);
	mapbuild_put(&m, 0, MM_BOOT_CODE, 0x0, 0x1, RAM);
	mapbuild_put(&m, 1, MM_BOOT_DATA, 0x1000, 0x9f, RAM); /* no conventional below 1 MiB */
	mapbuild_put(&m, 2, MM_BOOT_DATA, 0x100000, 0x100, RAM);
	compare(t, &m, NULL, -1, "trampoline from boot-services memory");
	KT_ASSERT(t, plan_reclaim(&m, NULL, &r) == 0);
	KT_EXPECT_EQ(t, r.rc.st.trampoline, 0x9f000);
	KT_EXPECT(t, r.rc.st.trampoline_from_bs);
	KT_EXPECT_EQ(t, r.rc.st.type[1].kept[RSN_TRAMPOLINE], 1);
	plan_reclaim_free(&r);
	/* A KERN page at the top: the trampoline goes below it. */
	mapbuild_put(&m, 1, MM_BOOT_DATA, 0x1000, 0x9e, RAM);
	mapbuild_put(&m, 3, MM_BOOT_DATA, 0x9f000, 0x1, RAM | MM_ATTR_RUNTIME);
	compare(t, &m, k, ARRAY_SIZE(k), "trampoline below KERN pages");
	/* Conventional memory below 1 MiB: the trampoline comes from there. */
	mapbuild_put(&m, 3, MM_CONVENTIONAL, 0x9f000, 0x1, RAM);
	compare(t, &m, k, ARRAY_SIZE(k), "trampoline from conventional memory");
}

/* Unaligned entries are kept whole; an unsorted map is sorted first, as the kernel does. */
static void malformed_and_unsorted(struct ktap_test *t)
{
	struct memmap m;
	struct plan_reclaim r;

	memmap_init(&m, storage, 48, 1, 0, MAXD);
	mapbuild_put(&m, 0, MM_BOOT_DATA, 0x300000, 0x10, RAM);
	mapbuild_put(&m, 1, MM_CONVENTIONAL, 0x1000, 0x9f, RAM);
	mapbuild_put(&m, 2, MM_BOOT_CODE, 0xffff800, 2, RAM); /* unaligned */
	mapbuild_put(&m, 3, MM_BOOT_DATA, 0x200000, 0x10, RAM);
	compare(t, &m, NULL, -1, "malformed and unsorted");
	KT_ASSERT(t, plan_reclaim(&m, NULL, &r) == 0);
	KT_EXPECT(t, r.sorted);
	KT_EXPECT_EQ(t, r.rc.st.type[0].kept[RSN_MALFORMED], 2);
	KT_EXPECT_EQ(t, r.map.nr_map, 2);
	KT_EXPECT_EQ(t, memmap_desc(&r.map, 0)->phys_addr, 0x1000); /* sorted */
	plan_reclaim_free(&r);
}

/* Random maps and random reservations inside their boot-services entries. */
static void random_maps(struct ktap_test *t)
{
	static const enum resv_reason reasons[] = { RSN_MEMATTR_TABLE, RSN_ESRT, RSN_BGRT_LOGO,
						    RSN_IMAGE, RSN_ACPI };
	u32 failures = 0;

	for (u64 seed = 1; seed <= 300; seed++) {
		struct memmap m;
		struct kr k[MAXK];
		u64 st = seed * 7919;
		u32 nk = 0, fails_before = t->failures;
		char what[32];

		memmap_init(&m, storage, 48, 1, 0, MAXD);
		randmap_fill(&m, 12 + (u32)(seed % 28), seed);
		for (u32 tries = 0; tries < 16 && nk < MAXK; tries++) {
			const struct mm_desc *md = memmap_desc(&m, (u32)rand_below(&st, m.nr_map));
			u64 off, len;
			bool clash = false;

			if (!is_bs(md))
				continue;
			off = rand_below(&st, md->num_pages);
			len = 1 + rand_below(&st, 3);
			k[nk] = (struct kr){ md->phys_addr + off * PG,
					     md->phys_addr + (off + len) * PG,
					     reasons[rand_below(&st, ARRAY_SIZE(reasons))] };
			for (u32 j = 0; j < nk; j++)
				clash |= k[j].base < k[nk].end && k[nk].base < k[j].end;
			if (!clash)
				nk++;
		}
		snprintf(what, sizeof(what), "seed %llu", (unsigned long long)seed);
		compare(t, &m, k, (int)nk, what);
		if (t->failures != fails_before && ++failures > 3)
			break;
	}
}

/* The kernel's lines: read from its log, its reasons by name, damage named with its line. */
static void kernel_lines_read(struct ktap_test *t)
{
	static const char log[] =
		"efimap: stub: UEFI 2.70, firmware \"EDK II\"\n"
		"efi: mem00: ...\n"
		"[    0.17] efimap: map: entries=124 desc_size=48 desc_version=1 capacity=170\n"
		"[    0.19] efimap: resv: KERN 0x000000001da6c000-0x000000001dc7ffff kernel-image "
		"(Loader Code)\n"
		"[    0.20] efimap: resv: KERN 0x000000001e536000-0x000000001e536fff "
		"memory-attributes-table (Boot Data)\n"
		"[    0.20] efimap: resv: boot_ranges=8 kern_ranges=2 table=10/2048 dropped=0\n"
		"[    0.21] efimap: resv: config table  0 ee4e5898 at 0x1f4eaf98 is unknown\n"
		"[    0.22] efimap: reclaim: trampoline: no conventional page below 1 MiB; keeping "
		"boot-services page 0x9e000 for it\n"
		"efimap: stub: UEFI 2.70, firmware \"EDK II\"\n"
		"[    0.19] efimap: resv: KERN 0x0000000000001000-0x0000000000001fff esrt (Boot "
		"Data)\n";
	struct kernel_lines kl;
	char why[200];

	kernel_lines_init(&kl);
	kernel_lines_read_text(&kl, log, sizeof(log) - 1, 2);
	KT_EXPECT(t, kernel_lines_complete(&kl, why, sizeof(why)));
	KT_EXPECT_EQ(t, kl.nr_kern, 2); /* the next boot's line is not this boot's */
	KT_EXPECT_EQ(t, kl.kern[1].base, 0x1e536000);
	KT_EXPECT_EQ(t, kl.kern[1].end, 0x1e537000);
	KT_EXPECT_EQ(t, kl.kern[1].reason, RSN_MEMATTR_TABLE);
	KT_EXPECT_EQ(t, kl.kern[0].line, 4);
	KT_EXPECT_EQ(t, kl.desc_size, 48);
	KT_EXPECT_EQ(t, kl.capacity, 170);
	KT_EXPECT(t, kl.trampoline_said && kl.trampoline_from_bs);
	KT_EXPECT_EQ(t, kl.trampoline, 0x9e000);
	kernel_lines_free(&kl);

	/* A reason this tool does not know: an error on its line, never a guess. */
	kernel_lines_init(&kl);
	kernel_lines_read_text(&kl,
			       "x\nefimap: resv: KERN 0x1000-0x1fff brand-new-table (Boot Data)\n"
			       "efimap: resv: boot_ranges=1 kern_ranges=1 table=2/2048 "
			       "dropped=0\n",
			       100, 0);
	KT_EXPECT(t, !kernel_lines_complete(&kl, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "line 2:") && strstr(why, "does not know"));
	kernel_lines_free(&kl);

	/* A count that does not match the lines: one went missing (a cut log). */
	kernel_lines_init(&kl);
	kernel_lines_read_text(
		&kl, "efimap: resv: boot_ranges=1 kern_ranges=3 table=4/2048 dropped=0\n", 66, 0);
	KT_EXPECT(t, !kernel_lines_complete(&kl, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "counted 3"));
	kernel_lines_free(&kl);

	/* None at all: a Linux log. */
	kernel_lines_init(&kl);
	kernel_lines_read_text(&kl, "Linux version 6.1\nefi: mem00: x\n", 32, 0);
	KT_EXPECT(t, !kernel_lines_complete(&kl, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "no \"efimap: resv:\" lines"));
	kernel_lines_free(&kl);
}

static const struct ktap_case plan_cases[] = {
	KTAP_CASE(overlapping_entries),	   KTAP_CASE(runtime_flagged),
	KTAP_CASE(reservations_inside),	   KTAP_CASE(trampoline_below_1m),
	KTAP_CASE(malformed_and_unsorted), KTAP_CASE(random_maps),
	KTAP_CASE(kernel_lines_read),	   KTAP_CASE(kernel_freed_nothing),
};

KTAP_SUITE(plan_suite, "plan", plan_cases);
