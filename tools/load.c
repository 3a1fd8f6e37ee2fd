// SPDX-License-Identifier: BSD-2-Clause
/*
 * Loading one input for a command, with the one error format every
 * command uses: "FILE:LINE: why", as compilers print it, so editors and
 * scripts can jump to the line.
 */
#include <string.h>

#include "tools/tool.h"

/* --map: which map of a log every command loads (tools/parse.h), and "all". */
static struct map_select map_sel;
static bool map_all;

bool tool_select_map(const char *arg, char *why, size_t why_size)
{
	if (!strcmp(arg, "all")) {
		map_all = true;
		return true;
	}
	map_all = false;
	return map_select_parse(arg, &map_sel, why, why_size);
}

bool tool_all_maps(void)
{
	return map_all;
}

const char *tool_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int tool_load(const char *path, struct parsed_map *pm, FILE *err)
{
	const char *name = tool_display_name(path);

	if (parse_map_file_select(path, &map_sel, pm) == 0)
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

/* How many maps path holds (0 when it cannot be read: the command will say why). */
static u32 count_maps(const char *path)
{
	struct map_select none = { .pick = MAP_PICK_NUMBER, .number = 0xffffffffu };
	struct parsed_map pm;
	u32 n;

	parse_map_file_select(path, &none, &pm);
	n = pm.maps_seen;
	parsed_map_free(&pm);
	return n;
}

int tool_run_all_maps(int (*run)(const char *path, const struct tool_opts *o, FILE *out,
				 FILE *err),
		      char *const *paths, int nr_paths, const struct tool_opts *o, FILE *out,
		      FILE *err)
{
	int status = TOOL_EXIT_OK;

	for (int i = 0; i < nr_paths; i++) {
		u32 n;

		if (!strcmp(paths[i], "-")) {
			fprintf(err, "efimap: --map all reads the input once per map: save "
				     "standard input to a file first\n");
			return TOOL_EXIT_UNREADABLE;
		}
		n = count_maps(paths[i]);
		/* Unreadable or no map (n = 0): one run, whose own load says why. */
		map_sel.pick = n ? MAP_PICK_NUMBER : MAP_PICK_DEFAULT;
		for (u32 k = 1; k <= (n ? n : 1); k++) {
			int s;

			map_sel.number = k;
			s = run(paths[i], o, out, err);
			if (s > status)
				status = s;
		}
	}
	map_sel.pick = MAP_PICK_DEFAULT;
	return status;
}

int tool_check_one(const char *path, const struct tool_opts *o, FILE *out, FILE *err)
{
	char *paths[1] = { (char *)path };

	return cmd_check(paths, 1, o, out, err);
}
