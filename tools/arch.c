// SPDX-License-Identifier: BSD-2-Clause
/*
 * The architecture a map comes from. A Linux log says it in its banner
 * ("Linux version 6.1.0-25-arm64 ... aarch64-linux-gnu-gcc") and arm64
 * prints its map in its own unindexed form; an efimap log is always x86-64
 * today; a binary dump carries nothing, and x86 is assumed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/arch.h"

bool arch_parse(const char *s, enum mm_arch *arch)
{
	if (!strcmp(s, "x86") || !strcmp(s, "x86_64") || !strcmp(s, "x64")) {
		*arch = MM_ARCH_X86;
		return true;
	}
	if (!strcmp(s, "arm64") || !strcmp(s, "aarch64")) {
		*arch = MM_ARCH_ARM64;
		return true;
	}
	return false;
}

/* The banner or model line of a text log: ARM64, X86, or -1 when the line says nothing. */
static int line_arch(const char *line)
{
	if (strstr(line, "Machine model:"))
		return MM_ARCH_ARM64;
	if (!strstr(line, "Linux version "))
		return -1;
	if (strstr(line, "aarch64") || strstr(line, "arm64"))
		return MM_ARCH_ARM64;
	return MM_ARCH_X86;
}

enum mm_arch arch_guess(const char *path, const struct parsed_map *pm, const char **source)
{
	enum mm_arch arch = MM_ARCH_X86;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	switch (pm->format) {
	case LOG_FMT_ARM64:
		*source = "arm64 map lines";
		return MM_ARCH_ARM64;
	case LOG_FMT_EFIMAP:
		*source = "efimap log (x86-64)";
		return MM_ARCH_X86;
	case LOG_FMT_BINARY:
		*source = "binary dump: no architecture recorded, x86 assumed";
		return MM_ARCH_X86;
	default:
		break;
	}
	*source = "no banner: x86 assumed";
	if (!strcmp(path, "-"))
		return arch;
	f = fopen(path, "rb");
	if (!f)
		return arch;
	/* The last banner decides: a capture of several boots is read for its last map. */
	while (getline(&line, &cap, f) > 0) {
		int a = line_arch(line);

		if (a < 0)
			continue;
		arch = (enum mm_arch)a;
		*source = strstr(line, "Machine model:") ? "Linux 'Machine model:' line"
							  : "Linux version banner";
	}
	free(line);
	fclose(f);
	return arch;
}
