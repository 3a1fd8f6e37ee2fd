// SPDX-License-Identifier: BSD-2-Clause
/*
 * Loading one input for a command, with the one error format every
 * command uses: "FILE:LINE: why", as compilers print it, so editors and
 * scripts can jump to the line.
 */
#include <string.h>
#include <sys/stat.h>

#include "tools/json.h"
#include "tools/tool.h"

/*
 * --map: which map of a log every command loads (tools/parse.h), "all",
 * or which map of a run folder (capture, final).
 */
static struct map_select map_sel;
static bool map_all;
static enum run_pick run_pick;

bool tool_select_map(const char *arg, char *why, size_t why_size)
{
	map_all = false;
	run_pick = RUN_PICK_DEFAULT;
	if (!strcmp(arg, "all")) {
		map_all = true;
		return true;
	}
	if (!strcmp(arg, "capture") || !strcmp(arg, "final")) {
		run_pick = arg[0] == 'c' ? RUN_PICK_CAPTURE : RUN_PICK_FINAL;
		return true;
	}
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

/* The map file of the run folder dir, loaded into *rf; NULL after saying why on err. */
static const char *run_map_path(const char *dir, struct run_folder *rf, struct parsed_map *pm,
				FILE *err)
{
	char why[600];
	const char *file, *reason;
	enum run_file which;

	memset(pm, 0, sizeof(*pm));
	if (run_folder_open(dir, rf, why, sizeof(why))) {
		fprintf(err, "%s\n", why);
		snprintf(pm->error, sizeof(pm->error), "%.250s", why);
		return NULL;
	}
	file = run_folder_map(rf, run_pick, &which, &reason, why, sizeof(why));
	if (!file) {
		fprintf(err, "%s\n", why);
		snprintf(pm->error, sizeof(pm->error), "%.250s", why);
		return NULL;
	}
	snprintf(pm->run_map, sizeof(pm->run_map), "%s",
		 which == RUN_FILE_FINAL ? "final" : "capture");
	/* The name as the folder has it (a FAT volume may show MAP-FINAL.EFIMAPD). */
	snprintf(pm->run_file, sizeof(pm->run_file), "%s",
		 strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
	snprintf(pm->run_why, sizeof(pm->run_why), "%s", reason);
	return file;
}

int tool_load_run(const char *path, struct parsed_map *pm, struct run_folder *rf, FILE *err)
{
	const char *name = tool_display_name(path);
	struct run_folder local;
	char run_map[sizeof(pm->run_map)], run_file[sizeof(pm->run_file)];
	char run_why[sizeof(pm->run_why)];

	if (!rf)
		rf = &local;
	memset(rf, 0, sizeof(*rf));
	if (strcmp(path, "-") && run_folder_is(path)) {
		const char *file = run_map_path(path, rf, pm, err);

		if (!file) {
			run_folder_free(rf);
			return -1;
		}
		memcpy(run_map, pm->run_map, sizeof(run_map));
		memcpy(run_file, pm->run_file, sizeof(run_file));
		memcpy(run_why, pm->run_why, sizeof(run_why));
		/* The parser clears *pm: the run folder's part goes back after it. */
		if (parse_map_file_select(file, &map_sel, pm) != 0) {
			if (pm->error_line)
				fprintf(err, "%s:%u: %s\n", file, pm->error_line,
					pm->error[0] ? pm->error : "unreadable");
			else
				fprintf(err, "%s: %s\n", file, pm->error[0] ? pm->error : "unreadable");
			run_folder_free(rf);
			return -1;
		}
		memcpy(pm->run_map, run_map, sizeof(run_map));
		memcpy(pm->run_file, run_file, sizeof(run_file));
		memcpy(pm->run_why, run_why, sizeof(run_why));
		if (rf == &local)
			run_folder_free(rf);
		return 0;
	}
	if (run_pick != RUN_PICK_DEFAULT) {
		fprintf(err, "%s: --map %s reads a run folder's map, and this is no run folder "
			     "(a directory with run.txt)\n",
			name, run_pick == RUN_PICK_CAPTURE ? "capture" : "final");
		memset(pm, 0, sizeof(*pm));
		snprintf(pm->error, sizeof(pm->error), "--map %s: not a run folder",
			 run_pick == RUN_PICK_CAPTURE ? "capture" : "final");
		return -1;
	}
	return tool_load(path, pm, err);
}

int tool_load(const char *path, struct parsed_map *pm, FILE *err)
{
	const char *name = tool_display_name(path);

	struct stat st;

	if ((strcmp(path, "-") && run_folder_is(path)) || run_pick != RUN_PICK_DEFAULT)
		return tool_load_run(path, pm, NULL, err);
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		memset(pm, 0, sizeof(*pm));
		snprintf(pm->error, sizeof(pm->error),
			 "a directory without run.txt: not a run folder (efimap runs DIR lists "
			 "the run folders of a stick)");
		fprintf(err, "%s: %s\n", name, pm->error);
		return -1;
	}
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

void tool_json_run_map(struct json_writer *j, const struct parsed_map *pm)
{
	json_key(j, "run_map");
	if (pm->run_map[0])
		json_str(j, pm->run_map);
	else
		json_null(j);
	json_key(j, "run_map_file");
	if (pm->run_map[0])
		json_str(j, pm->run_file);
	else
		json_null(j);
	json_key(j, "run_map_why");
	if (pm->run_map[0])
		json_str(j, pm->run_why);
	else
		json_null(j);
}
