/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host tool's commands (`efimap check|show|plan|svg|diff|runs`). Each writes its
 * report to out and its complaints to err and returns the process exit
 * status, so the tests can run them without a process.
 */
#ifndef EFIMAP_TOOLS_TOOL_H
#define EFIMAP_TOOLS_TOOL_H

#include <stdio.h>

#include "tools/parse.h"
#include "tools/run_folder.h"

struct json_writer;

#define EFIMAP_TOOL_VERSION "0.3.0"

/* Exit statuses (README "Host tool: efimap"). */
enum tool_exit {
	TOOL_EXIT_OK = 0,	  /* clean (check), done (show, plan, svg) */
	TOOL_EXIT_FINDINGS = 1,	  /* errors found (check), map refused (plan, show, svg) */
	TOOL_EXIT_UNREADABLE = 2, /* input unreadable, or a usage error */
};

struct tool_opts {
	bool json;	 /* check, show, plan: JSON on stdout instead of text */
	bool strict;	 /* check: warnings fail too */
	int arch;	 /* check: --arch (enum mm_arch), or -1: what the input says */
	u64 window_base; /* plan: virtual-address window */
	u64 window_size;
	const char *mat_path; /* check: --mat FILE, a raw memory attributes table, or NULL */
};

/* How a file is named in messages ("-" is standard input). */
const char *tool_display_name(const char *path);

/*
 * Read and parse path; on failure write "FILE:LINE: why" (or "FILE: why"
 * when the problem is not on one line) to err and return -1.
 */
int tool_load(const char *path, struct parsed_map *pm, FILE *err);
/*
 * The same, and when path is a run folder (tools/run_folder.h) its map as
 * --map capture|final picks it (by default the final map when there is
 * one, else the capture), with pm->run_map, run_file and run_why saying
 * which and why, and the folder's other files in *rf (may be NULL; else
 * rf->dir is NULL for an input that is no run folder, and rf needs
 * run_folder_free()). A malformed run folder file is named on err.
 */
int tool_load_run(const char *path, struct parsed_map *pm, struct run_folder *rf, FILE *err);
/* JSON keys run_map, run_map_file, run_map_why: pm's run folder part, or nulls. */
void tool_json_run_map(struct json_writer *j, const struct parsed_map *pm);
/*
 * Why a loaded map cannot be shown or drawn (what: "shown", "drawn"):
 * descriptors shorter than 40 bytes, or no memory for the working copy.
 */
void tool_say_unusable(FILE *err, const char *name, const struct parsed_map *pm, const char *what);

/*
 * --map first|last|N|all|capture|final for every later tool_load(); false
 * with why set when arg is none of those.
 */
bool tool_select_map(const char *arg, char *why, size_t why_size);
/* --map all was given: run each command once per map (tool_run_all_maps()). */
bool tool_all_maps(void);
/* run(path) for every map of every path in turn; the worst exit status. */
int tool_run_all_maps(int (*run)(const char *path, const struct tool_opts *o, FILE *out,
				 FILE *err),
		      char *const *paths, int nr_paths, const struct tool_opts *o, FILE *out,
		      FILE *err);
/* cmd_check() on one path, in the shape tool_run_all_maps() takes. */
int tool_check_one(const char *path, const struct tool_opts *o, FILE *out, FILE *err);

int cmd_check(char *const *paths, int nr_paths, const struct tool_opts *o, FILE *out, FILE *err);
int cmd_show(const char *path, const struct tool_opts *o, FILE *out, FILE *err);
int cmd_plan(const char *path, const struct tool_opts *o, FILE *out, FILE *err);
int cmd_svg(const char *path, const struct tool_opts *o, FILE *out, FILE *err);
int cmd_runs(const char *path, const struct tool_opts *o, FILE *out, FILE *err);

#endif
