// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reading a run folder (tools/run_folder.h, docs/run-folder.md): locating
 * its files whatever their case, and parsing run.txt and report.txt.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tools/run_folder.h"

static const char *const file_names[RUN_NR_FILES] = {
	[RUN_FILE_INFO] = "run.txt",
	[RUN_FILE_CAPTURE] = "map-capture.efimapd",
	[RUN_FILE_CAPTURE_TXT] = "map-capture.txt",
	[RUN_FILE_FINAL] = "map-final.efimapd",
	[RUN_FILE_MAT] = "mat.bin",
	[RUN_FILE_CONFIG] = "config-tables.txt",
	[RUN_FILE_REPORT] = "report.txt",
};

/* Upper bounds on what is read: far above what a boot writes, far below trouble. */
#define RUN_INFO_MAX_BYTES   (64u << 10)
#define RUN_REPORT_MAX_BYTES (16u << 20)

const char *run_file_name(enum run_file f)
{
	return (unsigned)f < RUN_NR_FILES ? file_names[f] : "?";
}

/* One line of data at *pos: its start and length without CR/LF; false at the end. */
static bool next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *n)
{
	size_t s = *pos, e;

	if (s >= len)
		return false;
	for (e = s; e < len && data[e] != '\n'; e++)
		;
	*pos = e < len ? e + 1 : e;
	*line = data + s;
	*n = e - s;
	while (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	return true;
}

/* At most size - 1 bytes of s (length n) into buf, anything but printable ASCII as '?'. */
static void copy_printable(char *buf, size_t size, const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n && k + 1 < size; k++)
		buf[k] = s[k] >= 0x20 && s[k] < 0x7f ? s[k] : '?';
	buf[k] = '\0';
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (s[k] != ' ' && s[k] != '\t')
			return false;
	return true;
}

/* A decimal number of at most 9 digits, all of s[0..n). */
static bool parse_u32(const char *s, size_t n, u32 *out)
{
	u32 v = 0;

	if (n == 0 || n > 9)
		return false;
	for (size_t k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		v = v * 10 + (u32)(s[k] - '0');
	}
	*out = v;
	return true;
}

static int fail_line(char *error, size_t size, u32 *error_line, u32 line, const char *fmt, ...)
	__printf(5, 6);

static int fail_line(char *error, size_t size, u32 *error_line, u32 line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, size, fmt, ap);
	va_end(ap);
	*error_line = line;
	return -1;
}

int run_info_parse(const char *data, size_t len, struct run_info *ri)
{
	const char *s;
	size_t pos = 0, n;
	u32 line = 0;
	bool first = true;
	char quoted[64];

	memset(ri, 0, sizeof(*ri));
	while (next_line(data, len, &pos, &s, &n)) {
		size_t k = 0, vs;

		line++;
		if (is_blank(s, n))
			continue;
		while (k < n && s[k] != ':' && s[k] != ' ')
			k++;
		copy_printable(quoted, sizeof(quoted), s, n);
		if (k == 0 || k == n || s[k] != ':' || (k + 1 < n && s[k + 1] != ' '))
			return fail_line(ri->error, sizeof(ri->error), &ri->error_line, line,
					 "'%s' is not a 'key: value' line", quoted);
		vs = k + 1 < n ? k + 2 : n;
		if (first) {
			if (k != 10 || memcmp(s, "efimap-run", 10))
				return fail_line(
					ri->error, sizeof(ri->error), &ri->error_line, line,
					"the first line is '%s', not 'efimap-run: %u': not an "
					"efimap run.txt",
					quoted, RUN_INFO_VERSION);
			if (!parse_u32(s + vs, n - vs, &ri->version) || ri->version == 0)
				return fail_line(ri->error, sizeof(ri->error), &ri->error_line,
						 line,
						 "efimap-run: the version must be a number from 1");
			if (ri->version > RUN_INFO_VERSION)
				return fail_line(
					ri->error, sizeof(ri->error), &ri->error_line, line,
					"efimap-run: %u is newer than this efimap reads (%u): "
					"update efimap",
					ri->version, RUN_INFO_VERSION);
			first = false;
			continue;
		}
		if (k < RUN_INFO_KEY_MAX && ri->n < RUN_INFO_MAX_KEYS) {
			char key[RUN_INFO_KEY_MAX];

			copy_printable(key, sizeof(key), s, k);
			if (run_info_get(ri, key))
				continue; /* the first value counts */
			memcpy(ri->kv[ri->n].key, key, sizeof(key));
			copy_printable(ri->kv[ri->n].value, sizeof(ri->kv[ri->n].value), s + vs,
				       n - vs);
			ri->n++;
		} else {
			ri->keys_dropped++;
		}
	}
	if (first)
		return fail_line(ri->error, sizeof(ri->error), &ri->error_line, 0,
				 "empty: no 'efimap-run: %u' line", RUN_INFO_VERSION);
	return 0;
}

const char *run_info_get(const struct run_info *ri, const char *key)
{
	for (u32 k = 0; k < ri->n; k++)
		if (!strcmp(ri->kv[k].key, key))
			return ri->kv[k].value;
	return NULL;
}

/* s[0..n) contains needle: its offset, or -1. */
static long find(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t k = 0; k + m <= n; k++)
		if (!memcmp(s + k, needle, m))
			return (long)k;
	return -1;
}

/* The value of `key=` among the blank-separated words of s[0..n), or NULL. */
static const char *word_value(const char *s, size_t n, const char *key, size_t *vlen)
{
	size_t m = strlen(key), k = 0;

	while (k < n) {
		size_t e;

		while (k < n && s[k] == ' ')
			k++;
		for (e = k; e < n && s[e] != ' '; e++)
			;
		if (e - k > m && !memcmp(s + k, key, m) && s[k + m] == '=') {
			*vlen = e - k - m - 1;
			return s + k + m + 1;
		}
		k = e;
	}
	return NULL;
}

static int parse_verdict(const char *s, size_t n, u32 line, struct run_report *rr)
{
	static const char *const keys[] = { "passed",  "failed",      "skipped",
					    "fw_info", "fw_warnings", "fw_errors" };
	u32 *const dest[] = { &rr->passed,
			      &rr->failed,
			      &rr->skipped,
			      &rr->fw[MM_SEV_INFO],
			      &rr->fw[MM_SEV_WARNING],
			      &rr->fw[MM_SEV_ERROR] };
	const char *v;
	size_t vlen;

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		v = word_value(s, n, keys[k], &vlen);
		if (!v || !parse_u32(v, vlen, dest[k]))
			return fail_line(rr->error, sizeof(rr->error), &rr->error_line, line,
					 "the verdict line has no %s=NUMBER", keys[k]);
	}
	v = word_value(s, n, "efimap", &vlen);
	if (!v || !((vlen == 4 && !memcmp(v, "pass", 4)) || (vlen == 4 && !memcmp(v, "fail", 4))))
		return fail_line(rr->error, sizeof(rr->error), &rr->error_line, line,
				 "the verdict line has no efimap=pass or efimap=fail");
	rr->efimap_pass = v[0] == 'p';
	rr->verdict = true;
	rr->verdict_line = line;
	return 0;
}

int run_report_parse(const char *data, size_t len, struct run_report *rr)
{
	static const char *const sev[MM_NR_SEVERITIES] = { "info: ", "warning: ", "error: " };
	const char *s;
	size_t pos = 0, n, vlen;
	u32 line = 0;
	long at;

	memset(rr, 0, sizeof(*rr));
	while (next_line(data, len, &pos, &s, &n)) {
		line++;
		if ((at = find(s, n, "efimap: verdict: ")) >= 0) {
			if (parse_verdict(s + at + 17, n - (size_t)at - 17, line, rr))
				return -1;
		} else if ((at = find(s, n, "efimap: finding: ")) >= 0) {
			const char *f = s + at + 17;
			size_t fn = n - (size_t)at - 17;
			int k;

			for (k = 0; k < MM_NR_SEVERITIES; k++)
				if (fn >= strlen(sev[k]) && !memcmp(f, sev[k], strlen(sev[k])))
					break;
			if (k == MM_NR_SEVERITIES) {
				char quoted[48];

				copy_printable(quoted, sizeof(quoted), f, fn);
				return fail_line(rr->error, sizeof(rr->error), &rr->error_line,
						 line,
						 "a finding line whose severity is not error, "
						 "warning or info: '%s'",
						 quoted);
			}
			rr->findings[k]++;
		} else if (find(s, n, "efimap: no verdict:") >= 0) {
			rr->no_verdict = true;
		} else if ((at = find(s, n, "efimap: validate: ")) >= 0) {
			/* The rules the kernel judged the map by; kept as written, read by arch_guess(). */
			const char *v = word_value(s + at + 18, n - (size_t)at - 18, "arch", &vlen);

			if (v)
				copy_printable(rr->arch, sizeof(rr->arch), v, vlen);
		} else if ((at = find(s, n, "efimap: report: ")) >= 0) {
			copy_printable(rr->closing, sizeof(rr->closing), s + at + 16,
				       n - (size_t)at - 16);
		}
	}
	rr->lines = line;
	return 0;
}

/* dir + "/" + name, malloc'd (NULL when memory ran out). */
static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool run_folder_is(const char *path)
{
	struct dirent *d;
	bool found = false;
	DIR *dp;

	if (!is_dir(path) || !(dp = opendir(path)))
		return false;
	while (!found && (d = readdir(dp)))
		found = !strcasecmp(d->d_name, file_names[RUN_FILE_INFO]);
	closedir(dp);
	return found;
}

int run_read_file(const char *path, size_t max, u8 **buf, size_t *len, char *why, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	u8 *b;

	*buf = NULL;
	*len = 0;
	if (!f) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	b = malloc(cap);
	for (;;) {
		if (b && n == cap) {
			u8 *nb = cap > max ? NULL : realloc(b, cap * 2);

			if (!nb)
				break; /* too large, or no memory: said below */
			b = nb;
			cap *= 2;
		}
		if (!b || (got = fread(b + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	if (!b || ferror(f) || n > max || !feof(f)) {
		if (ferror(f))
			snprintf(why, size, "%s: %s", path, strerror(errno));
		else if (b && n >= max)
			snprintf(why, size, "%s: larger than %zu bytes: not what a boot writes",
				 path, max);
		else
			snprintf(why, size, "%s: out of memory", path);
		free(b);
		fclose(f);
		return -1;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* The folder's number from its name's last component: "0007" -> 7, else 0. */
static u32 number_from_name(const char *dir)
{
	const char *base = strrchr(dir, '/');
	size_t n;
	u32 v;

	base = base ? base + 1 : dir;
	n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	return parse_u32(base, n, &v) ? v : 0;
}

int run_folder_open(const char *dir, struct run_folder *rf, char *why, size_t why_size)
{
	struct dirent *d;
	size_t len;
	u8 *buf;
	DIR *dp;
	u32 v;

	memset(rf, 0, sizeof(*rf));
	rf->dir = strdup(dir);
	if (!rf->dir || !(dp = opendir(dir))) {
		snprintf(why, why_size, "%s: %s", dir, rf->dir ? strerror(errno) : "out of memory");
		return -1;
	}
	while ((d = readdir(dp)))
		for (int f = 0; f < RUN_NR_FILES; f++)
			if (!rf->path[f] && !strcasecmp(d->d_name, file_names[f]))
				rf->path[f] = join(dir, d->d_name);
	closedir(dp);
	if (!rf->path[RUN_FILE_INFO]) {
		snprintf(why, why_size, "%s: no run.txt: not a run folder (docs/run-folder.md)",
			 dir);
		return -1;
	}

	if (run_read_file(rf->path[RUN_FILE_INFO], RUN_INFO_MAX_BYTES, &buf, &len, why, why_size))
		return -1;
	if (run_info_parse((const char *)buf, len, &rf->info)) {
		if (rf->info.error_line)
			snprintf(why, why_size, "%s:%u: %s", rf->path[RUN_FILE_INFO],
				 rf->info.error_line, rf->info.error);
		else
			snprintf(why, why_size, "%s: %s", rf->path[RUN_FILE_INFO], rf->info.error);
		free(buf);
		return -1;
	}
	free(buf);
	rf->number = number_from_name(dir);
	if (run_info_get(&rf->info, "run")) {
		const char *r = run_info_get(&rf->info, "run");

		if (parse_u32(r, strlen(r), &v))
			rf->number = v;
	}

	if (rf->path[RUN_FILE_REPORT]) {
		if (run_read_file(rf->path[RUN_FILE_REPORT], RUN_REPORT_MAX_BYTES, &buf, &len, why,
				  why_size))
			return -1;
		if (run_report_parse((const char *)buf, len, &rf->report)) {
			snprintf(why, why_size, "%s:%u: %s", rf->path[RUN_FILE_REPORT],
				 rf->report.error_line, rf->report.error);
			free(buf);
			return -1;
		}
		free(buf);
		rf->has_report = true;
	}
	if (rf->path[RUN_FILE_MAT] && run_read_file(rf->path[RUN_FILE_MAT], RUN_MAT_MAX_BYTES,
						    &rf->mat, &rf->mat_size, why, why_size))
		return -1;
	if (rf->path[RUN_FILE_CONFIG]) {
		const char *s;
		size_t pos = 0, n;

		if (run_read_file(rf->path[RUN_FILE_CONFIG], RUN_INFO_MAX_BYTES, &buf, &len, why,
				  why_size))
			return -1;
		while (next_line((const char *)buf, len, &pos, &s, &n))
			if (!is_blank(s, n))
				rf->config_tables++;
		free(buf);
	}
	return 0;
}

void run_folder_free(struct run_folder *rf)
{
	free(rf->dir);
	for (int f = 0; f < RUN_NR_FILES; f++)
		free(rf->path[f]);
	free(rf->mat);
	memset(rf, 0, sizeof(*rf));
}

const char *run_folder_map(const struct run_folder *rf, enum run_pick pick, enum run_file *file,
			   const char **reason, char *why, size_t why_size)
{
	bool final = rf->path[RUN_FILE_FINAL] != NULL, capture = rf->path[RUN_FILE_CAPTURE] != NULL;

	if (pick == RUN_PICK_FINAL && !final) {
		snprintf(why, why_size,
			 "%s: no map-final.efimapd: the next boot from the stick writes it%s",
			 rf->dir, capture ? " (--map capture reads the capture)" : "");
		return NULL;
	}
	if (pick == RUN_PICK_CAPTURE && !capture) {
		snprintf(why, why_size, "%s: no map-capture.efimapd: the stub could not take one%s",
			 rf->dir, final ? " (--map final reads the final map)" : "");
		return NULL;
	}
	if (!final && !capture) {
		snprintf(why, why_size,
			 "%s: neither map-final.efimapd nor map-capture.efimapd: this run left no "
			 "map (efimap runs still lists it)",
			 rf->dir);
		return NULL;
	}
	if (pick == RUN_PICK_FINAL) {
		*file = RUN_FILE_FINAL;
		*reason = "the map handed to the kernel, after ExitBootServices (--map final)";
	} else if (pick == RUN_PICK_CAPTURE) {
		*file = RUN_FILE_CAPTURE;
		*reason = "the firmware's map before ExitBootServices (--map capture)";
	} else if (final) {
		*file = RUN_FILE_FINAL;
		*reason = "the map handed to the kernel, after ExitBootServices (the default when "
			  "present; --map capture for the firmware's map before)";
	} else {
		*file = RUN_FILE_CAPTURE;
		*reason = "the firmware's map before ExitBootServices (no map-final.efimapd yet: "
			  "the next boot from the stick writes it)";
	}
	return rf->path[*file];
}

/* run.txt's value for key, "" when it is absent or says unknown. */
static const char *known(const struct run_folder *rf, const char *key)
{
	const char *v = run_info_get(&rf->info, key);

	return v && strcmp(v, "unknown") ? v : "";
}

void run_folder_machine(const struct run_folder *rf, char *buf, size_t size)
{
	const char *m = known(rf, "system_manufacturer"), *p = known(rf, "system_product");

	if (!*m && !*p)
		snprintf(buf, size, "unknown machine");
	else
		snprintf(buf, size, "%s%s%s", m, *m && *p ? " " : "", p);
}

const char *run_folder_verdict(const struct run_folder *rf)
{
	if (!rf->has_report)
		return "pending";
	if (!rf->report.verdict)
		return "no-verdict";
	return rf->report.efimap_pass ? "PASS" : "FAIL";
}
