// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap check FILE...`: every finding of every file, one line each, then
 * a summary per file. Exit 2 if any file could not be read (that wins),
 * else 1 if any error was found (or any warning, with --strict), else 0.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/arch.h"
#include "tools/describe.h"
#include "tools/findings.h"
#include "tools/json.h"
#include "tools/tool.h"

struct check_totals {
	u32 by_severity[MM_NR_SEVERITIES];
	u32 unreadable;
};

/* run.txt's value for key, or "unknown". */
static const char *info(const struct run_folder *rf, const char *key)
{
	const char *v = run_info_get(&rf->info, key);

	return v && *v ? v : "unknown";
}

/*
 * A run folder's two lines before the findings: the machine's identity
 * (run.txt) and, when report.txt is there, the kernel's verdict with its
 * firmware finding counts.
 */
static void print_run_text(const char *name, const struct run_folder *rf, FILE *out)
{
	const struct run_report *r = &rf->report;
	const char *sb = info(rf, "secure_boot");
	char machine[RUN_INFO_VALUE_MAX * 2];

	run_folder_machine(rf, machine, sizeof(machine));
	fprintf(out,
		"%s: run %04u of %s: %s (version %s); BIOS %s %s (%s); firmware %s revision %s, "
		"UEFI %s; Secure Boot %s\n",
		name, rf->number, info(rf, "date"), machine, info(rf, "system_version"),
		info(rf, "bios_vendor"), info(rf, "bios_version"), info(rf, "bios_date"),
		info(rf, "firmware_vendor"), info(rf, "firmware_revision"),
		info(rf, "uefi_revision"), !strcmp(sb, "1") ? "on" : !strcmp(sb, "0") ? "off" : sb);
	if (!rf->has_report) {
		fprintf(out, "%s: kernel verdict: pending (no report.txt yet: the next boot from the "
			     "stick writes it)\n",
			name);
		return;
	}
	if (!r->verdict) {
		fprintf(out, "%s: kernel verdict: none (report.txt has no verdict line%s)\n", name,
			r->no_verdict ? ": the run ended without one" : "");
		return;
	}
	fprintf(out,
		"%s: kernel verdict (report.txt:%u): %s, %u passed, %u failed, %u skipped; firmware "
		"findings: %u %s, %u %s, %u info",
		name, r->verdict_line, r->efimap_pass ? "PASS" : "FAIL", r->passed, r->failed,
		r->skipped, r->fw[MM_SEV_ERROR], r->fw[MM_SEV_ERROR] == 1 ? "error" : "errors",
		r->fw[MM_SEV_WARNING], r->fw[MM_SEV_WARNING] == 1 ? "warning" : "warnings",
		r->fw[MM_SEV_INFO]);
	if (r->findings[MM_SEV_ERROR] + r->findings[MM_SEV_WARNING] + r->findings[MM_SEV_INFO] !=
	    r->fw[MM_SEV_ERROR] + r->fw[MM_SEV_WARNING] + r->fw[MM_SEV_INFO])
		fprintf(out, " (report.txt holds %u finding lines)",
			r->findings[MM_SEV_ERROR] + r->findings[MM_SEV_WARNING] +
				r->findings[MM_SEV_INFO]);
	fputc('\n', out);
}

static void print_text(const char *name, const struct parsed_map *pm, const struct finding_list *l,
		       enum mm_arch arch, const char *arch_source, const char *mat_name,
		       FILE *out)
{
	static const char *const plural[MM_NR_SEVERITIES] = { "info", "warnings", "errors" };
	static const char *const singular[MM_NR_SEVERITIES] = { "info", "warning", "error" };
	u32 e = l->by_severity[MM_SEV_ERROR], w = l->by_severity[MM_SEV_WARNING];
	u32 i = l->by_severity[MM_SEV_INFO];

	for (u32 k = 0; k < l->n; k++) {
		const struct tool_finding *t = &l->v[k];

		if (t->line)
			fprintf(out, "%s:%u: ", name, t->line);
		else
			fprintf(out, "%s: ", name);
		fprintf(out, "%s: %s: %s\n", mm_severity_name(t->f.severity),
			tool_check_name(t->f.check), t->message);
	}
	fprintf(out, "%s: %u %s (%s), %u %s, %u %s, %u info", name, pm->map.nr_map,
		pm->map.nr_map == 1 ? "entry" : "entries", log_format_name(pm->format), e,
		e == 1 ? singular[MM_SEV_ERROR] : plural[MM_SEV_ERROR], w,
		w == 1 ? singular[MM_SEV_WARNING] : plural[MM_SEV_WARNING], i);
	if (pm->maps_seen > 1 || pm->map_kind != MAP_KIND_FIRMWARE ||
	    pm->notes_by_kind[PARSE_NOTE_DAMAGED] || pm->run_map[0]) {
		char which[MAP_DESCRIBE_MAX];

		parsed_map_describe(which, sizeof(which), pm);
		fprintf(out, "; %s", which);
	}
	if (pm->maps_incomplete)
		fprintf(out, " (%u incomplete)", pm->maps_incomplete);
	if (pm->notes_elsewhere)
		fprintf(out, "; %u more %s about other maps (--map)", pm->notes_elsewhere,
			pm->notes_elsewhere == 1 ? "note" : "notes");
	if (pm->rounded_entries)
		fprintf(out, "; %u %s a length that is not whole pages (rounded up)",
			pm->rounded_entries,
			pm->rounded_entries == 1 ? "entry has" : "entries have");
	if (l->copy_failed)
		fprintf(out, "; unsorted and too damaged to sort: overlap checks not run");
	if (arch != MM_ARCH_X86)
		fprintf(out, "; %s rules (%s)", mm_arch_name(arch), arch_source);
	if (mat_name)
		fprintf(out, "; memory attributes table %s checked", mat_name);
	fputc('\n', out);
}

static void json_finding(struct json_writer *j, const struct tool_finding *t)
{
	json_object(j, true);
	json_kv_str(j, "check", tool_check_name(t->f.check));
	json_kv_str(j, "severity", mm_severity_name(t->f.severity));
	json_kv_str(j, "table", TOOL_CHECK_IS_MAT(t->f.check) ? "mat" : "map");
	json_key(j, "index");
	if (t->f.index == MM_NO_INDEX)
		json_null(j);
	else
		json_u64(j, t->f.index);
	json_key(j, "line");
	if (t->line)
		json_u64(j, t->line);
	else
		json_null(j);
	json_key(j, "other");
	if (t->f.other == MM_NO_INDEX || t->f.check == TOOL_CHECK_MAT(MM_MAT_UNUSABLE))
		json_null(j);
	else
		json_u64(j, t->f.other);
	json_key(j, "other_line");
	if (t->other_line)
		json_u64(j, t->other_line);
	else
		json_null(j);
	json_kv_hex(j, "value", t->f.value);
	json_kv_str(j, "message", t->message);
	json_end(j);
}

static void json_info(struct json_writer *j, const struct run_folder *rf, const char *key)
{
	const char *v = run_info_get(&rf->info, key);

	json_key(j, key);
	if (v)
		json_str(j, v);
	else
		json_null(j);
}

/* "run": what run.txt says and the kernel's verdict, for a run folder; null otherwise. */
static void json_run(struct json_writer *j, const struct run_folder *rf)
{
	static const char *const keys[] = {
		"date",		  "firmware_vendor", "firmware_revision", "uefi_revision",
		"secure_boot",	  "setup_mode",	     "options",		  "system_manufacturer",
		"system_product", "system_version",  "bios_vendor",	  "bios_version",
		"bios_date",	  "smbios",	     "map",		  "mat",
	};
	const struct run_report *r = &rf->report;

	json_key(j, "run");
	if (!rf->dir) {
		json_null(j);
		return;
	}
	json_object(j, false);
	json_kv_u64(j, "number", rf->number);
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		json_info(j, rf, keys[k]);
	json_kv_u64(j, "config_tables", rf->config_tables);
	json_kv_str(j, "verdict", run_folder_verdict(rf));
	json_key(j, "kernel");
	if (!rf->has_report || !r->verdict) {
		json_null(j);
	} else {
		json_object(j, true);
		json_kv_u64(j, "passed", r->passed);
		json_kv_u64(j, "failed", r->failed);
		json_kv_u64(j, "skipped", r->skipped);
		json_kv_u64(j, "fw_errors", r->fw[MM_SEV_ERROR]);
		json_kv_u64(j, "fw_warnings", r->fw[MM_SEV_WARNING]);
		json_kv_u64(j, "fw_info", r->fw[MM_SEV_INFO]);
		json_kv_u64(j, "finding_lines", r->findings[MM_SEV_ERROR] +
							r->findings[MM_SEV_WARNING] +
							r->findings[MM_SEV_INFO]);
		json_end(j);
	}
	json_end(j);
}

static void print_json_file(struct json_writer *j, const char *name, const struct parsed_map *pm,
			    const struct finding_list *l, enum mm_arch arch, const char *arch_source,
			    const struct run_folder *rf, const char *mat_name)
{
	json_object(j, false);
	json_kv_str(j, "file", name);
	json_kv_bool(j, "readable", true);
	json_kv_str(j, "format", log_format_name(pm->format));
	json_kv_str(j, "arch", mm_arch_name(arch));
	json_kv_str(j, "arch_source", arch_source);
	json_kv_u64(j, "entries", pm->map.nr_map);
	json_kv_u64(j, "desc_size", pm->map.desc_size);
	json_kv_u64(j, "desc_version", pm->map.desc_version);
	json_kv_u64(j, "maps_seen", pm->maps_seen);
	json_kv_u64(j, "maps_incomplete", pm->maps_incomplete);
	json_kv_u64(j, "map", pm->map_number);
	json_kv_str(j, "map_kind", map_kind_name(pm->map_kind));
	json_kv_u64(j, "map_boot", pm->map_boot);
	json_kv_u64(j, "boots", pm->boots);
	tool_json_run_map(j, pm);
	json_run(j, rf);
	json_key(j, "mat_file");
	if (mat_name)
		json_str(j, mat_name);
	else
		json_null(j);
	json_kv_u64(j, "damaged_lines", pm->notes_by_kind[PARSE_NOTE_DAMAGED]);
	json_kv_u64(j, "ignored_lines", pm->ignored_lines);
	json_kv_u64(j, "rounded_entries", pm->rounded_entries);
	json_kv_u64(j, "errors", l->by_severity[MM_SEV_ERROR]);
	json_kv_u64(j, "warnings", l->by_severity[MM_SEV_WARNING]);
	json_kv_u64(j, "info", l->by_severity[MM_SEV_INFO]);
	json_kv_bool(j, "order_checks", !l->copy_failed);
	json_key(j, "findings");
	json_array(j, false);
	for (u32 k = 0; k < l->n; k++)
		json_finding(j, &l->v[k]);
	json_end(j);
	json_end(j);
}

static void print_json_unreadable(struct json_writer *j, const char *name,
				  const struct parsed_map *pm)
{
	json_object(j, false);
	json_kv_str(j, "file", name);
	json_kv_bool(j, "readable", false);
	json_kv_str(j, "error", pm->error[0] ? pm->error : "unreadable");
	json_key(j, "line");
	if (pm->error_line)
		json_u64(j, pm->error_line);
	else
		json_null(j);
	json_end(j);
}

/* One file: parse, collect, report. Returns false when it could not be read. */
static bool check_one(const char *path, const struct tool_opts *o, struct json_writer *j,
		      struct check_totals *tot, FILE *out, FILE *err)
{
	const char *name = tool_display_name(path);
	struct parsed_map pm;
	struct finding_list l;
	struct run_folder rf;
	const char *arch_source = "--arch", *mat_name = NULL;
	enum mm_arch arch;
	u8 *mat = NULL;
	size_t mat_size = 0;

	if (o->mat_path) {
		char why[600];

		if (run_read_file(o->mat_path, RUN_MAT_MAX_BYTES, &mat, &mat_size, why,
				  sizeof(why))) {
			fprintf(err, "--mat %s\n", why);
			memset(&pm, 0, sizeof(pm));
			snprintf(pm.error, sizeof(pm.error), "--mat %.240s", why);
			if (o->json)
				print_json_unreadable(j, name, &pm);
			tot->unreadable++;
			return false;
		}
		mat_name = o->mat_path;
	}
	if (tool_load_run(path, &pm, &rf, err) != 0) {
		free(mat);
		if (o->json)
			print_json_unreadable(j, name, &pm);
		parsed_map_free(&pm);
		tot->unreadable++;
		return false;
	}
	if (o->arch >= 0)
		arch = (enum mm_arch)o->arch;
	else
		arch = arch_guess(path, &pm, &rf, &arch_source);
	if (!mat && rf.mat) {
		mat = rf.mat;
		mat_size = rf.mat_size;
		rf.mat = NULL; /* ours now */
		mat_name = strrchr(rf.path[RUN_FILE_MAT], '/') + 1; /* as the folder names it */
	}
	if (findings_collect_arch(&pm, arch, &l) != 0 ||
	    (mat && findings_add_mat(&pm, mat, mat_size, &l) != 0)) {
		fprintf(err, "%s: out of memory while validating\n", name);
		snprintf(pm.error, sizeof(pm.error), "out of memory while validating");
		pm.error_line = 0;
		if (o->json)
			print_json_unreadable(j, name, &pm);
		findings_free(&l);
		parsed_map_free(&pm);
		run_folder_free(&rf);
		free(mat);
		tot->unreadable++;
		return false;
	}
	for (int s = 0; s < MM_NR_SEVERITIES; s++)
		tot->by_severity[s] += l.by_severity[s];
	if (o->json) {
		print_json_file(j, name, &pm, &l, arch, arch_source, &rf, mat_name);
	} else {
		if (rf.dir)
			print_run_text(name, &rf, out);
		print_text(name, &pm, &l, arch, arch_source, mat_name, out);
	}
	findings_free(&l);
	parsed_map_free(&pm);
	run_folder_free(&rf);
	free(mat);
	return true;
}

int cmd_check(char *const *paths, int nr_paths, const struct tool_opts *o, FILE *out, FILE *err)
{
	struct check_totals tot = { 0 };
	struct json_writer j;
	int status;

	json_init(&j, out);
	if (o->json) {
		json_object(&j, false);
		json_kv_str(&j, "command", "check");
		json_key(&j, "files");
		json_array(&j, false);
	}
	for (int i = 0; i < nr_paths; i++)
		check_one(paths[i], o, &j, &tot, out, err);

	if (tot.unreadable)
		status = TOOL_EXIT_UNREADABLE;
	else if (tot.by_severity[MM_SEV_ERROR] || (o->strict && tot.by_severity[MM_SEV_WARNING]))
		status = TOOL_EXIT_FINDINGS;
	else
		status = TOOL_EXIT_OK;

	if (o->json) {
		json_end(&j);
		json_kv_u64(&j, "errors", tot.by_severity[MM_SEV_ERROR]);
		json_kv_u64(&j, "warnings", tot.by_severity[MM_SEV_WARNING]);
		json_kv_u64(&j, "info", tot.by_severity[MM_SEV_INFO]);
		json_kv_u64(&j, "unreadable", tot.unreadable);
		json_kv_bool(&j, "strict", o->strict);
		json_kv_u64(&j, "exit", (u64)status);
		json_end(&j);
	}
	return status;
}
