/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The `--window BASE:SIZE` option of `efimap plan`: where the runtime
 * regions' virtual addresses go (memmap/layout.h).
 */
#ifndef EFIMAP_TOOLS_WINDOW_H
#define EFIMAP_TOOLS_WINDOW_H

#include "lib/types.h"

/*
 * One number: decimal or 0x-hex, optionally followed by a binary suffix
 * K, M, G, T, P or E (each may be written KiB or KB too, any case). A
 * leading '-' counts down from 2^64 (-256G is 0xffffffc000000000), for
 * addresses in the top half. False on anything else, on overflow and on
 * an empty string.
 */
bool parse_u64_suffixed(const char *s, u64 *out);

/*
 * Parse BASE:SIZE and check that efimap could use it: size not 0, base
 * 2 MiB aligned (virtual addresses keep the physical offset modulo 2 MiB),
 * the window does not wrap past 2^64 and lies in one canonical half of a
 * 4-level (48-bit) address space, the only paging mode efimap's kernel
 * builds. On failure *why says which rule was broken.
 */
bool window_parse(const char *arg, u64 *base, u64 *size, char *why, size_t why_len);

#endif
