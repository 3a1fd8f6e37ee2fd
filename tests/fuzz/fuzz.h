/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the libFuzzer targets share: how a broken property is reported (by
 * file and line, then abort() so libFuzzer keeps the input as a crash) and
 * how a descriptor is read without trusting the buffer's alignment.
 */
#ifndef EFIMAP_TESTS_FUZZ_FUZZ_H
#define EFIMAP_TESTS_FUZZ_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap/memmap.h"

static inline void __attribute__((noreturn))
fuzz_violated(const char *file, int line, const char *what)
{
	fprintf(stderr, "property violated (%s:%d): %s\n", file, line, what);
	abort();
}

#define CHECK(cond)                                               \
	do {                                                      \
		if (!(cond))                                      \
			fuzz_violated(__FILE__, __LINE__, #cond); \
	} while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* Descriptor i by value, at the map's stride. */
static inline struct mm_desc get(const struct memmap *m, u32 i)
{
	struct mm_desc d;

	memcpy(&d, (const u8 *)m->base + (size_t)i * m->desc_size, sizeof(d));
	return d;
}

#endif
