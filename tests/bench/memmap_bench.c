// SPDX-License-Identifier: BSD-2-Clause
/*
 * `make bench`, first part: what validate, sort, filter and layout cost per
 * descriptor at 10^2 .. 10^5 descriptors, and how that cost grows (the
 * ratio of ns/descriptor at 10^5 over 10^2; 1.0 is perfectly linear).
 *
 * The maps look like firmware maps: ascending, a mix of types with runs of
 * the same type side by side, about 5% runtime entries, MMIO at the top,
 * and an unsorted tail (a few percent of the entries moved to the end, the
 * way real firmware lists reserved ranges after the top of RAM). desc_size
 * is 48 (OVMF's) and the buffer holds 2n descriptors, as the stub allocates.
 *
 * Timing: CLOCK_MONOTONIC around groups of calls, one call per working
 * copy of the map, with enough copies that a group covers about 20000
 * descriptors (200 copies of the 100-entry map, one of the 100000-entry
 * map), so the clock costs nothing and every size touches a similar amount
 * of memory. A trial times groups until 50 ms have been measured and keeps
 * the median group (robust to the preemption of a shared machine); each
 * figure is the best of BENCH_TRIALS trials. Resetting the input (copying
 * the unsorted map back before a sort, the map back before a filter, clear
 * virt_addr before a layout) is not timed. No thresholds: this prints
 * figures and fails only when an operation did not do its job (an unsorted
 * result, a layout that did not fit...).
 *
 * Time per descriptor also measures the caches: a 10^5-entry map (4.8 MB)
 * does not fit a typical L2, the smaller ones do. When valgrind is there, a
 * second table gives instructions per descriptor (see count_instructions()),
 * which shows how the work itself grows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memmap/layout.h"

#define DESC_SIZE    48u
#define BENCH_TRIALS 5
#define TRIAL_NS     50000000ULL /* measured time per trial */
#define NR_SIZES     4
#define GROUP_DESCS  20000u /* descriptors per timed group */
#define MAX_SAMPLES  100000u

static const u32 sizes[NR_SIZES] = { 100, 1000, 10000, 100000 };

struct bench_map {
	u32 n;
	u8 *unsorted; /* as generated: sorted body, unsorted tail */
	u8 *sorted;   /* the same entries sorted (validate, filter, layout run on it) */
	u32 copies;   /* working copies, so that a timed group covers ~GROUP_DESCS descriptors */
	struct memmap *work;
	u32 boot_entries;
	u32 runtime_entries;
	u32 findings;
};

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: the same maps on every run, no libc rand() differences. */
static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fprintf(stderr, "bench: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

static struct mm_desc *at(u8 *base, u32 i)
{
	return (struct mm_desc *)(base + (size_t)i * DESC_SIZE);
}

/* Type mix of a firmware map after the OS loader ran (OVMF-like proportions). */
static u32 pick_type(void)
{
	u32 r = rnd_below(100);

	if (r < 35)
		return MM_CONVENTIONAL;
	if (r < 55)
		return MM_BOOT_DATA;
	if (r < 70)
		return MM_BOOT_CODE;
	if (r < 78)
		return MM_LOADER_DATA;
	if (r < 82)
		return MM_LOADER_CODE;
	if (r < 87)
		return MM_ACPI_NVS;
	if (r < 90)
		return MM_ACPI_RECLAIM;
	if (r < 95)
		return MM_RESERVED;
	return r < 97 ? MM_RUNTIME_CODE : MM_RUNTIME_DATA; /* ~5% runtime */
}

static void fill(struct mm_desc *md, u32 type, u64 phys, u64 pages, u64 attr)
{
	memset(md, 0, DESC_SIZE);
	md->type = type;
	md->phys_addr = phys;
	md->num_pages = pages;
	md->attribute = attr;
}

static void generate(struct bench_map *bm, u32 n)
{
	const u64 cache = MM_ATTR_UC | MM_ATTR_WC | MM_ATTR_WT | MM_ATTR_WB;
	u32 n_mmio = n / 100 + 1, body = n - n_mmio, tail = n / 30 + 1, type = MM_CONVENTIONAL;
	u64 addr = 0;
	u8 *tmp = xmalloc((size_t)n * DESC_SIZE);

	bm->n = n;
	bm->sorted = xmalloc((size_t)n * DESC_SIZE);
	bm->unsorted = xmalloc((size_t)n * DESC_SIZE);
	bm->boot_entries = bm->runtime_entries = 0;

	for (u32 i = 0; i < body; i++) {
		u64 pages, attr = cache;

		/* A third of the entries continue a run of the previous type. */
		if (i == 0 || rnd_below(3))
			type = pick_type();
		pages = type == MM_CONVENTIONAL ? 16 + rnd_below(4096) : 1 + rnd_below(64);
		if (type == MM_RUNTIME_CODE || type == MM_RUNTIME_DATA) {
			attr |= MM_ATTR_RUNTIME;
			bm->runtime_entries++;
			/* Runtime regions: 64 KiB granules (UEFI 2.10 section 2.3.6 asks for it on
			 * AArch64). */
			addr = ALIGN_UP(addr, 0x10000);
			pages = ALIGN_UP(pages, 16);
		}
		if (type == MM_BOOT_CODE || type == MM_BOOT_DATA)
			bm->boot_entries++;
		fill(at(bm->sorted, i), type, addr, pages, attr);
		addr += pages << PAGE_SHIFT;
		if (!rnd_below(20))
			addr += (u64)(1 + rnd_below(256)) << PAGE_SHIFT; /* a hole */
	}
	/* MMIO at the top: flash, APIC, the PCI window, some of it runtime. */
	addr = ALIGN_UP(addr, SZ_1G) + SZ_1G;
	for (u32 i = body; i < n; i++) {
		u64 pages = 1 + rnd_below(1024), attr = MM_ATTR_UC;

		if (!rnd_below(4)) {
			attr |= MM_ATTR_RUNTIME;
			bm->runtime_entries++;
			addr = ALIGN_UP(addr, 0x10000);
			pages = ALIGN_UP(pages, 16);
		}
		fill(at(bm->sorted, i), MM_MMIO, addr, pages, attr);
		addr += (pages << PAGE_SHIFT) + SZ_2M;
	}

	/*
	 * The unsorted copy: `tail` entries taken from random places of the
	 * body and listed, shuffled, after everything else.
	 */
	{
		u8 *moved = xmalloc((size_t)n);
		u32 k = 0, t = 0, m = 0;

		memset(moved, 0, n);
		while (t < tail) {
			u32 i = rnd_below(body);

			if (!moved[i]) {
				moved[i] = 1;
				t++;
			}
		}
		for (u32 i = 0; i < n; i++)
			if (!moved[i])
				memcpy(at(bm->unsorted, k++), at(bm->sorted, i), DESC_SIZE);
		for (u32 i = 0; i < n; i++)
			if (moved[i])
				memcpy(at(tmp, m++), at(bm->sorted, i), DESC_SIZE);
		for (u32 i = tail; i > 1; i--) {
			u32 j = rnd_below(i);
			u8 swap[DESC_SIZE];

			memcpy(swap, at(tmp, i - 1), DESC_SIZE);
			memcpy(at(tmp, i - 1), at(tmp, j), DESC_SIZE);
			memcpy(at(tmp, j), swap, DESC_SIZE);
		}
		memcpy(at(bm->unsorted, k), tmp, (size_t)tail * DESC_SIZE);
		free(moved);
	}
	free(tmp);

	bm->copies = n >= GROUP_DESCS ? 1 : GROUP_DESCS / n;
	bm->work = xmalloc(bm->copies * sizeof(*bm->work));
	for (u32 k = 0; k < bm->copies; k++)
		memmap_init(&bm->work[k], xmalloc((size_t)2 * n * DESC_SIZE), DESC_SIZE,
			    MM_DESC_VERSION, n, 2 * n);
}

/* --- the operations ------------------------------------------------------ */

static void count_finding(const struct mm_finding *f, void *ctx)
{
	(void)f;
	++*(u32 *)ctx;
}

static bool keep_not_boot(const struct mm_desc *md, void *ctx)
{
	return !mm_is_boot_services(md, ctx);
}

enum op { OP_VALIDATE, OP_SORT, OP_FILTER, OP_LAYOUT, NR_OPS };

static const char *const op_names[NR_OPS] = { "validate", "sort", "filter", "layout" };

/* Untimed: put the input of op into every working copy. */
static void prepare(enum op op, struct bench_map *bm)
{
	const u8 *src = op == OP_SORT ? bm->unsorted : bm->sorted;

	for (u32 k = 0; k < bm->copies; k++) {
		struct memmap *w = &bm->work[k];

		w->nr_map = bm->n;
		memcpy(w->base, src, (size_t)bm->n * DESC_SIZE); /* virt_addr 0 */
	}
}

/* Timed: op once on every working copy; false when it did not do its job. */
static bool run(enum op op, struct bench_map *bm)
{
	struct mm_validation v;
	struct mm_layout lay;
	bool ok = true;

	for (u32 k = 0; k < bm->copies; k++) {
		struct memmap *w = &bm->work[k];

		switch (op) {
		case OP_VALIDATE:
			bm->findings = 0;
			memmap_validate(w, count_finding, &bm->findings, &v);
			ok &= v.sorted && !v.by_severity[MM_SEV_ERROR];
			break;
		case OP_SORT:
			memmap_sort(w);
			break;
		case OP_FILTER:
			ok &= memmap_filter(w, keep_not_boot, NULL) == bm->boot_entries;
			break;
		case OP_LAYOUT:
		default:
			ok &= memmap_layout_runtime(w, MM_VA_WINDOW_BASE, MM_VA_WINDOW_SIZE, &lay,
						    NULL, NULL) &&
			      lay.nr_runtime == bm->runtime_entries;
			break;
		}
	}
	return ok;
}

/* Untimed: did the sort leave the sorted map? */
static bool result_ok(enum op op, const struct bench_map *bm)
{
	for (u32 k = 0; op == OP_SORT && k < bm->copies; k++)
		if (bm->work[k].nr_map != bm->n ||
		    memcmp(bm->work[k].base, bm->sorted, (size_t)bm->n * DESC_SIZE))
			return false;
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * ns per descriptor: each trial times groups (op once on every working
 * copy, about GROUP_DESCS descriptors) until TRIAL_NS have been measured
 * and keeps the median group, which a preempted group does not move; the
 * figure is the best trial.
 */
static double measure(enum op op, struct bench_map *bm)
{
	static double samples[MAX_SAMPLES];
	double best = -1;

	for (int trial = 0; trial < BENCH_TRIALS; trial++) {
		u64 spent = 0;
		u32 ns = 0;

		while (spent < TRIAL_NS && ns < MAX_SAMPLES) {
			u64 t0, t1;
			bool ok;

			prepare(op, bm);
			t0 = now_ns();
			ok = run(op, bm);
			t1 = now_ns();
			if (!ok || !result_ok(op, bm)) {
				fprintf(stderr, "bench: %s on %u descriptors did not do its job\n",
					op_names[op], bm->n);
				return -1;
			}
			spent += t1 - t0;
			samples[ns++] = (double)(t1 - t0) / ((double)bm->copies * bm->n);
		}
		qsort(samples, ns, sizeof(samples[0]), cmp_double);
		if (best < 0 || samples[ns / 2] < best)
			best = samples[ns / 2];
	}
	return best;
}

/* One table row: the figure per size and the ratio of the largest size over the smallest. */
static void print_row(const char *name, const double *v, const char *fmt)
{
	printf("bench:   %-9s", name);
	for (u32 s = 0; s < NR_SIZES; s++) {
		if (v[s] < 0)
			printf(" %9s", "failed");
		else
			printf(fmt, v[s]);
	}
	if (v[0] > 0 && v[NR_SIZES - 1] > 0)
		printf("   %.2fx\n", v[NR_SIZES - 1] / v[0]);
	else
		printf("   -\n");
}

static void print_header(void)
{
	printf("bench:   %-9s %9u %9u %9u %9u   %u/%u\n", "", sizes[0], sizes[1], sizes[2],
	       sizes[3], sizes[NR_SIZES - 1], sizes[0]);
}

/*
 * Instructions per descriptor, counted by valgrind's callgrind: unlike
 * time, they do not depend on the cache sizes or the machine's load, so
 * they show the algorithms' growth alone. The child (this program with
 * --count-instructions) runs each operation once per size with collection
 * switched on only around the call and dumps a profile after each; the
 * parent reads the totals back. Skipped, saying why, without valgrind.
 */
#if __has_include(<valgrind/callgrind.h>)
#include <dirent.h>
#include <unistd.h>
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1

static int count_child(struct bench_map *maps)
{
	char label[64];

	for (u32 op = 0; op < NR_OPS; op++) {
		for (u32 s = 0; s < NR_SIZES; s++) {
			struct bench_map *bm = &maps[s];
			u32 copies = bm->copies;
			bool ok;

			bm->copies = 1;
			prepare(op, bm);
			CALLGRIND_TOGGLE_COLLECT;
			ok = run(op, bm);
			CALLGRIND_TOGGLE_COLLECT;
			snprintf(label, sizeof(label), "%s %u", op_names[op], bm->n);
			CALLGRIND_DUMP_STATS_AT(label);
			ok = ok && result_ok(op, bm);
			bm->copies = copies;
			if (!ok)
				return 1;
		}
	}
	return 0;
}

/* Fill instr[op][size]; false (after saying why) when they could not be counted. */
static bool count_instructions(double instr[NR_OPS][NR_SIZES])
{
	char dir[] = "/tmp/efimap-bench.XXXXXX", self[4096], cmd[8400], path[4200], line[256];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	bool ok = true;
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (system("command -v valgrind >/dev/null 2>&1") != 0) {
		printf("bench: instructions: not counted (valgrind is not installed)\n");
		return false;
	}
	if (len <= 0 || !mkdtemp(dir))
		return false;
	self[len] = '\0';
	snprintf(cmd, sizeof(cmd),
		 "valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=%s/cg.out "
		 "'%s' --count-instructions >%s/log 2>&1",
		 dir, self, dir);
	if (system(cmd) != 0) {
		printf("bench: instructions: valgrind failed (see %s/log)\n", dir);
		return false;
	}
	for (u32 op = 0; op < NR_OPS; op++)
		for (u32 s = 0; s < NR_SIZES; s++)
			instr[op][s] = -1;
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		char name[64] = "";
		unsigned long long total = 0;
		bool have_total = false;
		FILE *f;

		if (strncmp(e->d_name, "cg.out.", 7))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "desc: Trigger: Client Request: %63[^\n]", name) == 1)
				continue;
			if (sscanf(line, "totals: %llu", &total) == 1)
				have_total = true;
		}
		if (f)
			fclose(f);
		for (u32 op = 0; op < NR_OPS && have_total; op++) {
			for (u32 s = 0; s < NR_SIZES; s++) {
				char want[64];

				snprintf(want, sizeof(want), "%s %u", op_names[op], sizes[s]);
				if (!strcmp(name, want)) {
					instr[op][s] = (double)total / sizes[s];
					found++;
				}
			}
		}
		unlink(path);
	}
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "%s/cg.out", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/log", dir);
	unlink(path);
	rmdir(dir);
	if (found != NR_OPS * NR_SIZES) {
		printf("bench: instructions: %d of %d profiles read back\n", found,
		       NR_OPS * NR_SIZES);
		ok = false;
	}
	return ok;
}
#else
#define HAVE_CALLGRIND 0
#endif

int main(int argc, char **argv)
{
	static struct bench_map maps[NR_SIZES];
	double ns[NR_OPS][NR_SIZES];
	u64 start = now_ns();
	int failed = 0;

	for (u32 s = 0; s < NR_SIZES; s++)
		generate(&maps[s], sizes[s]);
#if HAVE_CALLGRIND
	if (argc > 1 && !strcmp(argv[1], "--count-instructions"))
		return count_child(maps);
#else
	(void)argv;
#endif
	if (argc > 1) {
		fprintf(stderr, "usage: memmap-bench (no arguments)\n");
		return 2;
	}

	printf("bench: memmap ns per descriptor (median group, best of %d trials of >= %llu ms; "
	       "desc_size %u, capacity 2n)\n",
	       BENCH_TRIALS, TRIAL_NS / 1000000ULL, DESC_SIZE);
	print_header();
	for (u32 op = 0; op < NR_OPS; op++) {
		for (u32 s = 0; s < NR_SIZES; s++) {
			ns[op][s] = measure(op, &maps[s]);
			failed |= ns[op][s] < 0;
		}
		print_row(op_names[op], ns[op], " %9.2f");
		fflush(stdout);
	}
	printf("bench:   (validate, filter, layout run on the sorted map; sort on the map with "
	       "%u..%u of its entries moved to an unsorted tail; filter drops boot services; "
	       "%u..%u runtime entries laid out)\n",
	       maps[0].n / 30 + 1, maps[NR_SIZES - 1].n / 30 + 1, maps[0].runtime_entries,
	       maps[NR_SIZES - 1].runtime_entries);
#if HAVE_CALLGRIND
	{
		double instr[NR_OPS][NR_SIZES];

		fflush(stdout);
		if (count_instructions(instr)) {
			printf("bench: memmap instructions per descriptor (callgrind, one call "
			       "each)\n");
			print_header();
			for (u32 op = 0; op < NR_OPS; op++)
				print_row(op_names[op], instr[op], " %9.1f");
		}
	}
#else
	printf("bench: instructions: not counted (built without valgrind/callgrind.h)\n");
#endif
	printf("bench: memmap bench took %.1f s\n", (double)(now_ns() - start) / 1e9);

	for (u32 s = 0; s < NR_SIZES; s++) {
		free(maps[s].unsorted);
		free(maps[s].sorted);
		for (u32 k = 0; k < maps[s].copies; k++)
			free(maps[s].work[k].base);
		free(maps[s].work);
	}
	return failed;
}
