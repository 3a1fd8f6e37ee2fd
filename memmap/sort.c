// SPDX-License-Identifier: BSD-2-Clause
/*
 * Stable in-place sort of a memory map by physical start.
 *
 * Bottom-up merge sort over descriptors of desc_size bytes. A merge whose
 * shorter run fits in the scratch space (the buffer's unused descriptors
 * past nr_map) is a plain buffered merge; one that does not is split by
 * rotation into two smaller merges, so the sort needs no memory of its own
 * and still runs in O(n log n) whenever half the map fits in the spare
 * room. Ties keep their original order: firmware lists some ranges twice
 * (a reserved carve-out over RAM) and the order says which came first.
 */
#include "lib/string.h"
#include "memmap/memmap.h"

/* Runs up to this long are insertion-sorted before merging starts. */
#define SORT_RUN 16u

struct sorter {
	u8 *base;
	size_t size; /* desc_size */
	u8 *buf;     /* scratch descriptors, buf_n of them */
	u32 buf_n;
};

static inline u8 *at(const struct sorter *s, u32 i)
{
	return s->base + (size_t)i * s->size;
}

static inline u64 start_of(const u8 *d)
{
	return ((const struct mm_desc *)d)->phys_addr;
}

/* Exchange n descriptors at a with n at b (the ranges do not overlap). */
static void swap_descs(const struct sorter *s, u8 *a, u8 *b, u32 n)
{
	u64 *x = (u64 *)a, *y = (u64 *)b;

	for (size_t k = 0; k < n * s->size / 8; k++) {
		u64 t = x[k];

		x[k] = y[k];
		y[k] = t;
	}
}

/*
 * Rotate [lo, hi) so that the descriptor at mid comes first, by block
 * swaps (the Gries-Mills rotation); returns where lo's descriptor ends up.
 */
static u32 rotate_descs(const struct sorter *s, u32 lo, u32 mid, u32 hi)
{
	u32 result = lo + (hi - mid);
	u32 i = mid - lo, j = hi - mid;

	if (!i || !j)
		return result;
	while (i != j) {
		if (i > j) {
			swap_descs(s, at(s, mid - i), at(s, mid), j);
			i -= j;
		} else {
			swap_descs(s, at(s, mid - i), at(s, mid + j - i), i);
			j -= i;
		}
	}
	swap_descs(s, at(s, mid - i), at(s, mid), i);
	return result;
}

/* First index in [lo, hi) whose start is >= key (or > key when upper). */
static u32 search(const struct sorter *s, u32 lo, u32 hi, u64 key, bool upper)
{
	while (lo < hi) {
		u32 m = lo + (hi - lo) / 2;
		u64 v = start_of(at(s, m));

		if (v < key || (upper && v == key))
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* Merge sorted [lo, mid) and [mid, hi) through the scratch buffer. */
static void merge_buffered(const struct sorter *s, u32 lo, u32 mid, u32 hi)
{
	size_t sz = s->size;

	if (mid - lo <= hi - mid) {
		/* Left run out to scratch, merge forwards: ties take the left. */
		u32 n = mid - lo, i = 0, j = mid, k = lo;

		memcpy(s->buf, at(s, lo), n * sz);
		while (i < n && j < hi) {
			if (start_of(at(s, j)) < start_of(s->buf + i * sz))
				memcpy(at(s, k++), at(s, j++), sz);
			else
				memcpy(at(s, k++), s->buf + (size_t)i++ * sz, sz);
		}
		memcpy(at(s, k), s->buf + (size_t)i * sz, (size_t)(n - i) * sz);
	} else {
		/* Right run out to scratch, merge backwards: ties take the right. */
		u32 n = hi - mid, i = mid, j = n, k = hi;

		memcpy(s->buf, at(s, mid), n * sz);
		while (j > 0 && i > lo) {
			if (start_of(s->buf + (size_t)(j - 1) * sz) < start_of(at(s, i - 1)))
				memcpy(at(s, --k), at(s, --i), sz);
			else
				memcpy(at(s, --k), s->buf + (size_t)--j * sz, sz);
		}
		memcpy(at(s, lo), s->buf, (size_t)j * sz);
	}
}

static void merge(const struct sorter *s, u32 lo, u32 mid, u32 hi)
{
	u32 cut1, cut2, new_mid;

	if (lo == mid || mid == hi || start_of(at(s, mid - 1)) <= start_of(at(s, mid)))
		return;
	if (mid - lo <= s->buf_n || hi - mid <= s->buf_n) {
		merge_buffered(s, lo, mid, hi);
		return;
	}
	/*
	 * Too big for the scratch: cut the longer run in half, find where its
	 * middle belongs in the other run, rotate the pieces into place and
	 * merge each side. lower/upper bounds keep equal starts in order.
	 */
	if (mid - lo >= hi - mid) {
		cut1 = lo + (mid - lo) / 2;
		cut2 = search(s, mid, hi, start_of(at(s, cut1)), false);
	} else {
		cut2 = mid + (hi - mid) / 2;
		cut1 = search(s, lo, mid, start_of(at(s, cut2)), true);
	}
	new_mid = rotate_descs(s, cut1, mid, cut2);
	merge(s, lo, cut1, new_mid);
	merge(s, new_mid, cut2, hi);
}

/* Insertion sort of a short run, moving each descriptor with one rotation. */
static void sort_run(const struct sorter *s, u32 lo, u32 hi)
{
	for (u32 i = lo + 1; i < hi; i++) {
		u64 key = start_of(at(s, i));
		u32 j = search(s, lo, i, key, true);

		rotate_descs(s, j, i, i + 1);
	}
}

bool memmap_is_sorted(const struct memmap *map)
{
	for (u32 i = 1; i < map->nr_map; i++)
		if (memmap_desc(map, i)->phys_addr < memmap_desc(map, i - 1)->phys_addr)
			return false;
	return true;
}

void memmap_sort(struct memmap *map)
{
	struct sorter s = {
		.base = map->base,
		.size = map->desc_size,
		.buf = (u8 *)memmap_desc(map, map->nr_map),
		.buf_n = map->capacity - map->nr_map,
	};
	u32 n = map->nr_map;

	if (memmap_is_sorted(map))
		return;
	for (u32 lo = 0; lo < n; lo += SORT_RUN)
		sort_run(&s, lo, lo + SORT_RUN < n ? lo + SORT_RUN : n);
	for (u32 width = SORT_RUN; width < n; width *= 2) {
		for (u32 lo = 0; lo < n - width; lo += 2 * width) {
			u32 mid = lo + width;
			u32 hi = n - mid > width ? mid + width : n;

			merge(&s, lo, mid, hi);
		}
		if (width > n / 2)
			break;
	}
}
