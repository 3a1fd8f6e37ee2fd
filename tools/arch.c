// SPDX-License-Identifier: BSD-2-Clause
/*
 * The architecture a map comes from. A Linux log says it in its banner
 * ("Linux version 6.1.0-25-arm64 ... aarch64-linux-gnu-gcc") and arm64
 * prints its map in its own unindexed form; efimap's kernel says which
 * rules it applied on its `efimap: validate: ... arch=` line (logs from
 * before the arm64 port lack it: x86-64); a binary dump carries nothing,
 * and x86 is assumed.
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

/* The value of " arch=" in efimap's validate line: ARM64, X86, or -1 (absent, unknown). */
static int validate_line_arch(const char *line)
{
	const char *v = strstr(line, "efimap: validate: ");
	char word[16];
	enum mm_arch arch;
	size_t n = 0;

	if (!v || !(v = strstr(v, " arch=")))
		return -1;
	for (v += 6; n + 1 < sizeof(word) && v[n] && !strchr(" \r\n", v[n]); n++)
		word[n] = v[n];
	word[n] = '\0';
	return arch_parse(word, &arch) ? (int)arch : -1;
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

enum mm_arch arch_guess(const char *path, const struct parsed_map *pm,
			const struct run_folder *rf, const char **source)
{
	enum mm_arch arch = MM_ARCH_X86;
	bool efimap = pm->format == LOG_FMT_EFIMAP;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (rf && rf->dir) {
		if (rf->has_report && arch_parse(rf->report.arch, &arch)) {
			*source = "report.txt's 'efimap: validate:' arch=";
			return arch;
		}
		*source = rf->has_report ? "report.txt names no arch (x86-64 before the arm64 port)"
					 : "run folder without report.txt: x86 assumed";
		return MM_ARCH_X86;
	}
	switch (pm->format) {
	case LOG_FMT_ARM64:
		*source = "arm64 map lines";
		return MM_ARCH_ARM64;
	case LOG_FMT_EFIMAP:
		*source = "efimap log without arch= (x86-64 before the arm64 port)";
		break;
	case LOG_FMT_BINARY:
		*source = "binary dump: no architecture recorded, x86 assumed";
		return MM_ARCH_X86;
	default:
		break;
	}
	if (!efimap)
		*source = "no banner: x86 assumed";
	if (!strcmp(path, "-"))
		return arch;
	f = fopen(path, "rb");
	if (!f)
		return arch;
	/* The last banner decides: a capture of several boots is read for its last map. */
	while (getline(&line, &cap, f) > 0) {
		int a = efimap ? validate_line_arch(line) : line_arch(line);

		if (a < 0)
			continue;
		arch = (enum mm_arch)a;
		if (efimap)
			*source = "efimap log's 'efimap: validate:' arch=";
		else
			*source = strstr(line, "Machine model:") ? "Linux 'Machine model:' line"
								  : "Linux version banner";
	}
	free(line);
	fclose(f);
	return arch;
}
