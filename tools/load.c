// SPDX-License-Identifier: BSD-2-Clause
/*
 * Loading one input for a command, with the one error format every
 * command uses: "FILE:LINE: why", as compilers print it, so editors and
 * scripts can jump to the line.
 */
#include <string.h>

#include "tools/tool.h"

const char *tool_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int tool_load(const char *path, struct parsed_map *pm, FILE *err)
{
	const char *name = tool_display_name(path);

	if (parse_map_file(path, pm) == 0)
		return 0;
	if (pm->error_line)
		fprintf(err, "%s:%u: %s\n", name, pm->error_line,
			pm->error[0] ? pm->error : "unreadable");
	else
		fprintf(err, "%s: %s\n", name, pm->error[0] ? pm->error : "unreadable");
	return -1;
}

void tool_say_unusable(FILE *err, const char *name, const struct parsed_map *pm, const char *what)
{
	if (pm->map.desc_size < MM_DESC_MIN_SIZE)
		fprintf(err,
			"%s: descriptors of %u bytes are shorter than the %u-byte version-1 "
			"layout: "
			"nothing can be %s (efimap check says more)\n",
			name, pm->map.desc_size, MM_DESC_MIN_SIZE, what);
	else
		fprintf(err, "%s: out of memory\n", name);
}
