// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap runs DIR`: the runs an efimap stick holds (docs/run-folder.md),
 * one line each, sorted by run number. DIR is the mounted stick (it has
 * EFI/efimap/runs/, in any case), a folder holding a runs/ copied off it,
 * that runs directory or any folder of run folders, or one run folder. Exit 0; 2 when DIR cannot be read, holds no
 * runs directory and no run folder, or a run's files are malformed (the
 * others are still listed).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tools/json.h"
#include "tools/tool.h"

struct run_row {
	char *path;
	char *error; /* why the folder could not be read, or NULL */
	struct run_folder rf;
	u32 number;
};

/* dir's child called name in any case, as a malloc'd path, or NULL. */
static char *find_child(const char *dir, const char *name)
{
	struct dirent *d;
	char *found = NULL;
	DIR *dp = opendir(dir);

	if (!dp)
		return NULL;
	while (!found && (d = readdir(dp))) {
		if (strcasecmp(d->d_name, name))
			continue;
		found = malloc(strlen(dir) + strlen(d->d_name) + 2);
		if (found)
			sprintf(found, "%s/%s", dir, d->d_name);
	}
	closedir(dp);
	return found;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* All digits: a name the stub gives run folders (NNNN). */
static bool digits_only(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int cmp_row(const void *a, const void *b)
{
	const struct run_row *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path, y->path);
}

static void rows_free(struct run_row *rows, u32 n)
{
	for (u32 k = 0; k < n; k++) {
		free(rows[k].path);
		free(rows[k].error);
		run_folder_free(&rows[k].rf);
	}
	free(rows);
}

/* Open one run folder into a new row; false when memory ran out. */
static bool add_row(struct run_row **rows, u32 *n, const char *path, u32 name_number)
{
	struct run_row *v = realloc(*rows, (size_t)(*n + 1) * sizeof(*v));
	struct run_row *r;
	char why[600];

	if (!v)
		return false;
	*rows = v;
	r = &v[*n];
	memset(r, 0, sizeof(*r));
	r->path = strdup(path);
	if (!r->path)
		return false;
	(*n)++;
	if (run_folder_open(path, &r->rf, why, sizeof(why))) {
		r->error = strdup(why);
		r->number = name_number;
		return r->error != NULL;
	}
	r->number = r->rf.number;
	return true;
}

/* "capture+final", "capture", "final" or "none": the maps the folder holds. */
static const char *maps_present(const struct run_folder *rf)
{
	bool c = rf->path[RUN_FILE_CAPTURE], f = rf->path[RUN_FILE_FINAL];

	return c && f ? "capture+final" : c ? "capture" : f ? "final" : "none";
}

static const char *value(const struct run_folder *rf, const char *key)
{
	const char *v = run_info_get(&rf->info, key);

	return v && *v ? v : "unknown";
}

static void firmware_text(const struct run_folder *rf, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", value(rf, "firmware_vendor"), value(rf, "firmware_revision"));
}

static void findings_text(const struct run_folder *rf, char *buf, size_t size)
{
	const struct run_report *r = &rf->report;

	if (!rf->has_report || !r->verdict)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%u/%u/%u", r->fw[MM_SEV_ERROR], r->fw[MM_SEV_WARNING],
			 r->fw[MM_SEV_INFO]);
}

static void print_text(FILE *out, const char *name, const char *runs_dir,
		       const struct run_row *rows, u32 n)
{
	int wm = 7, wf = 8;
	char buf[RUN_INFO_VALUE_MAX * 2 + 2];

	for (u32 k = 0; k < n; k++) {
		if (rows[k].error)
			continue;
		run_folder_machine(&rows[k].rf, buf, sizeof(buf));
		if ((int)strlen(buf) > wm)
			wm = (int)strlen(buf);
		firmware_text(&rows[k].rf, buf, sizeof(buf));
		if ((int)strlen(buf) > wf)
			wf = (int)strlen(buf);
	}
	fprintf(out, "# %s: %u %s in %s\n", name, n, n == 1 ? "run" : "runs", runs_dir);
	fprintf(out, "# firmware findings from the kernel's verdict: errors/warnings/info\n");
	fprintf(out, "%-5s %-19s  %-*s  %-*s  %-10s  %-10s  %s\n", "run", "date", wm, "machine", wf,
		"firmware", "verdict", "findings", "maps");
	for (u32 k = 0; k < n; k++) {
		const struct run_folder *rf = &rows[k].rf;
		char machine[sizeof(buf)], fw[sizeof(buf)], counts[40];

		if (rows[k].error) {
			fprintf(out, "%04u  unreadable: %s\n", rows[k].number, rows[k].error);
			continue;
		}
		run_folder_machine(rf, machine, sizeof(machine));
		firmware_text(rf, fw, sizeof(fw));
		findings_text(rf, counts, sizeof(counts));
		fprintf(out, "%04u  %-19s  %-*s  %-*s  %-10s  %-10s  %s%s\n", rows[k].number,
			value(rf, "date"), wm, machine, wf, fw, run_folder_verdict(rf), counts,
			maps_present(rf), rf->mat ? ", mat" : "");
	}
}

static void json_opt(struct json_writer *j, const char *key, const char *v)
{
	json_key(j, key);
	if (v)
		json_str(j, v);
	else
		json_null(j);
}

static void print_json(FILE *out, const char *name, const char *runs_dir,
		       const struct run_row *rows, u32 n, u32 bad, int status)
{
	struct json_writer j;

	json_init(&j, out);
	json_object(&j, false);
	json_kv_str(&j, "command", "runs");
	json_kv_str(&j, "dir", name);
	json_kv_str(&j, "runs_dir", runs_dir);
	json_key(&j, "runs");
	json_array(&j, false);
	for (u32 k = 0; k < n; k++) {
		const struct run_folder *rf = &rows[k].rf;
		const struct run_report *r = &rf->report;

		json_object(&j, true);
		json_kv_u64(&j, "run", rows[k].number);
		json_kv_str(&j, "folder", rows[k].path);
		json_opt(&j, "error", rows[k].error);
		if (rows[k].error) {
			json_end(&j);
			continue;
		}
		json_opt(&j, "date", run_info_get(&rf->info, "date"));
		json_opt(&j, "system_manufacturer", run_info_get(&rf->info, "system_manufacturer"));
		json_opt(&j, "system_product", run_info_get(&rf->info, "system_product"));
		json_opt(&j, "firmware_vendor", run_info_get(&rf->info, "firmware_vendor"));
		json_opt(&j, "firmware_revision", run_info_get(&rf->info, "firmware_revision"));
		json_opt(&j, "uefi_revision", run_info_get(&rf->info, "uefi_revision"));
		json_opt(&j, "secure_boot", run_info_get(&rf->info, "secure_boot"));
		json_kv_str(&j, "verdict", run_folder_verdict(rf));
		json_key(&j, "fw_errors");
		if (rf->has_report && r->verdict)
			json_u64(&j, r->fw[MM_SEV_ERROR]);
		else
			json_null(&j);
		json_key(&j, "fw_warnings");
		if (rf->has_report && r->verdict)
			json_u64(&j, r->fw[MM_SEV_WARNING]);
		else
			json_null(&j);
		json_key(&j, "fw_info");
		if (rf->has_report && r->verdict)
			json_u64(&j, r->fw[MM_SEV_INFO]);
		else
			json_null(&j);
		json_kv_bool(&j, "capture", rf->path[RUN_FILE_CAPTURE] != NULL);
		json_kv_bool(&j, "final", rf->path[RUN_FILE_FINAL] != NULL);
		json_kv_bool(&j, "mat", rf->mat != NULL);
		json_kv_bool(&j, "report", rf->has_report);
		json_end(&j);
	}
	json_end(&j);
	json_kv_u64(&j, "unreadable", bad);
	json_kv_u64(&j, "exit", (u64)status);
	json_end(&j);
}

/* The run folders in runs_dir, into rows; -1 when it cannot be listed or memory ran out. */
static int collect(const char *runs_dir, struct run_row **rows, u32 *n, FILE *err)
{
	struct dirent *d;
	DIR *dp = opendir(runs_dir);

	if (!dp) {
		fprintf(err, "%s: cannot be listed\n", runs_dir);
		return -1;
	}
	while ((d = readdir(dp))) {
		char *p;
		bool ok = true;

		if (d->d_name[0] == '.')
			continue;
		p = malloc(strlen(runs_dir) + strlen(d->d_name) + 2);
		if (!p)
			break;
		sprintf(p, "%s/%s", runs_dir, d->d_name);
		/* A numbered folder without run.txt is a run gone wrong: listed, said. */
		if (run_folder_is(p) || (digits_only(d->d_name) && is_dir(p)))
			ok = add_row(rows, n, p, (u32)strtoul(d->d_name, NULL, 10));
		free(p);
		if (!ok) {
			closedir(dp);
			fprintf(err, "%s: out of memory\n", runs_dir);
			return -1;
		}
	}
	closedir(dp);
	return 0;
}

int cmd_runs(const char *path, const struct tool_opts *o, FILE *out, FILE *err)
{
	struct run_row *rows = NULL;
	char *efi = NULL, *efimap = NULL, *runs = NULL;
	const char *runs_dir = path;
	bool stick = false;
	u32 n = 0, bad = 0;
	int status = TOOL_EXIT_OK;

	if (!is_dir(path)) {
		fprintf(err,
			"%s: not a directory: give the mounted stick, its EFI/efimap/runs or a "
			"run folder\n",
			path);
		return TOOL_EXIT_UNREADABLE;
	}
	if (run_folder_is(path)) {
		if (!add_row(&rows, &n, path, 0)) {
			fprintf(err, "%s: out of memory\n", path);
			rows_free(rows, n);
			return TOOL_EXIT_UNREADABLE;
		}
	} else {
		/*
		 * The stick's own layout first: \EFI\efimap\runs, in whatever case
		 * FAT shows; then a runs directory copied off it (DIR/runs).
		 */
		if ((efi = find_child(path, "EFI")) && (efimap = find_child(efi, "efimap")) &&
		    (runs = find_child(efimap, "runs")) && is_dir(runs)) {
			runs_dir = runs;
			stick = true;
		} else if (!efi || !efimap) {
			free(runs);
			runs = find_child(path, "runs");
			if (runs && is_dir(runs)) {
				runs_dir = runs;
				stick = true;
			}
		}
		if (collect(runs_dir, &rows, &n, err)) {
			status = TOOL_EXIT_UNREADABLE;
			goto out;
		}
		if (!n && !stick) {
			fprintf(err,
				"%s: no runs: neither EFI/efimap/runs/ nor run folders "
				"(NNNN/run.txt) "
				"in it\n",
				path);
			status = TOOL_EXIT_UNREADABLE;
			goto out;
		}
	}
	if (n > 1)
		qsort(rows, n, sizeof(rows[0]), cmp_row);
	for (u32 k = 0; k < n; k++)
		if (rows[k].error) {
			fprintf(err, "%s\n", rows[k].error);
			bad++;
		}
	status = bad ? TOOL_EXIT_UNREADABLE : TOOL_EXIT_OK;
	if (o->json)
		print_json(out, path, runs_dir, rows, n, bad, status);
	else
		print_text(out, path, runs_dir, rows, n);
out:
	rows_free(rows, n);
	free(efi);
	free(efimap);
	free(runs);
	return status;
}
