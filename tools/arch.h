/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which architecture's rules `efimap check` applies to a map (only
 * severities differ, memmap/validate.h): --arch, or what the input says.
 */
#ifndef EFIMAP_TOOLS_ARCH_H
#define EFIMAP_TOOLS_ARCH_H

#include "memmap/validate.h"
#include "tools/parse.h"
#include "tools/run_folder.h"

/* "x86" or "arm64" (also "aarch64", "x86_64", "x64"); false for anything else. */
bool arch_parse(const char *s, enum mm_arch *arch);

/*
 * The architecture of the machine the map came from, and in *source (a
 * static string) what told: a run folder's report.txt, or efimap's own log,
 * by the arch= of its `efimap: validate:` line (the rules efimap's kernel
 * judged the map by; an efimap log without it is x86-64's, from before the
 * arm64 port); arm64's unindexed map lines; a Linux banner ("Linux version
 * ... aarch64/arm64", or any other, x86); "Machine model:" (device-tree
 * machines, arm64); else x86, as for a binary dump, which records no
 * architecture. path is read again for the lines (not standard input: "-"
 * goes by the format alone). rf may be NULL (no run folder).
 */
enum mm_arch arch_guess(const char *path, const struct parsed_map *pm,
			const struct run_folder *rf, const char **source);

#endif
