/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A run folder (docs/run-folder.md): what one boot of the stick left in
 * \EFI\efimap\runs\NNNN\. run.txt (`efimap-run: 1` first) says what the
 * boot was; map-capture.efimapd is the firmware's map before
 * ExitBootServices, map-final.efimapd (written by the next boot) the map
 * handed to the kernel; mat.bin the memory attributes table;
 * config-tables.txt the configuration tables; report.txt (next boot) the
 * kernel's report. File names are matched without regard to case: a FAT
 * volume may show them as RUN.TXT.
 *
 * The parsers take bytes in memory (so the fuzzers can feed them) and
 * never fail silently: a malformed file gives why and the line.
 */
#ifndef EFIMAP_TOOLS_RUN_FOLDER_H
#define EFIMAP_TOOLS_RUN_FOLDER_H

#include <stdio.h>

#include "memmap/validate.h"

enum run_file {
	RUN_FILE_INFO,	      /* run.txt */
	RUN_FILE_CAPTURE,     /* map-capture.efimapd */
	RUN_FILE_CAPTURE_TXT, /* map-capture.txt */
	RUN_FILE_FINAL,	      /* map-final.efimapd */
	RUN_FILE_MAT,	      /* mat.bin */
	RUN_FILE_CONFIG,      /* config-tables.txt */
	RUN_FILE_REPORT,      /* report.txt */
	RUN_NR_FILES,
};

/* "run.txt", "map-final.efimapd", ...: the names docs/run-folder.md gives. */
const char *run_file_name(enum run_file f);

/* run.txt: `key: value` lines after `efimap-run: 1`. */
#define RUN_INFO_VERSION   1u
#define RUN_INFO_MAX_KEYS  64u
#define RUN_INFO_KEY_MAX   32u
#define RUN_INFO_VALUE_MAX 256u

struct run_info {
	u32 version; /* the efimap-run: value */
	u32 n;
	struct {
		char key[RUN_INFO_KEY_MAX];
		char value[RUN_INFO_VALUE_MAX]; /* bytes outside printable ASCII become '?' */
	} kv[RUN_INFO_MAX_KEYS];
	u32 keys_dropped; /* keys beyond RUN_INFO_MAX_KEYS, or too long: not kept */
	char error[200];  /* on failure: why (no file name, no line) */
	u32 error_line;	  /* 1-based, 0 when not line-bound */
};

/*
 * Parse run.txt's bytes. 0, or -1 with error set: empty, a first line that
 * is not `efimap-run: N`, a version newer than RUN_INFO_VERSION, or a line
 * that is not `key: value`. Blank lines are skipped, CR before LF dropped;
 * a key given twice keeps its first value.
 */
int run_info_parse(const char *data, size_t len, struct run_info *ri);
/* The value of key, or NULL when run.txt does not give it. */
const char *run_info_get(const struct run_info *ri, const char *key);

/* report.txt: the kernel's report (docs/run-folder.md). */
struct run_report {
	bool verdict;	  /* an `efimap: verdict:` line was read (the last one counts) */
	u32 verdict_line; /* its line */
	u32 passed, failed, skipped;
	bool efimap_pass;	  /* efimap=pass */
	u32 fw[MM_NR_SEVERITIES]; /* fw_info, fw_warnings, fw_errors, by enum mm_severity */
	bool no_verdict;	  /* an `efimap: no verdict:` line: the run ended without one */
	u32 findings[MM_NR_SEVERITIES]; /* `efimap: finding: SEV:` lines, by severity */
	u32 lines;
	char closing[160]; /* the last `efimap: report:` line's text after the prefix, or "" */
	char arch[8];	   /* the last `efimap: validate:` line's arch= (x86, arm64), or "" */
	char error[200];
	u32 error_line;
};

/*
 * Parse report.txt's bytes. 0, or -1 with error set: a verdict line
 * without one of passed=, failed=, skipped=, efimap=pass|fail, fw_errors=,
 * fw_warnings=, fw_info=, or a finding line whose severity is not error,
 * warning or info. A report without a verdict line is not an error
 * (verdict false): the run may have ended without one.
 */
int run_report_parse(const char *data, size_t len, struct run_report *rr);

/* Which map of a run folder a command reads (--map capture|final). */
enum run_pick {
	RUN_PICK_DEFAULT = 0, /* the final map when there is one, else the capture */
	RUN_PICK_CAPTURE,
	RUN_PICK_FINAL,
};

struct run_folder {
	char *dir;		  /* as given; NULL when the input was no run folder */
	char *path[RUN_NR_FILES]; /* each file's path, NULL when absent */
	struct run_info info;
	bool has_report;
	struct run_report report;
	u8 *mat; /* mat.bin's bytes (malloc), NULL when absent */
	size_t mat_size;
	u32 config_tables; /* lines of config-tables.txt */
	u32 number;	   /* run.txt's run:, else the folder's name, else 0 */
};

/*
 * The whole of path, at most max bytes, into *buf (malloc, *len bytes). 0,
 * or -1 with why set to "PATH: what was wrong" (missing, unreadable, larger
 * than max).
 */
int run_read_file(const char *path, size_t max, u8 **buf, size_t *len, char *why, size_t size);
#define RUN_MAT_MAX_BYTES (16u << 20) /* mat.bin, --mat: far above any real table */

/* Whether path is a directory holding a run.txt (any case). */
bool run_folder_is(const char *path);

/*
 * Read the run folder dir: run.txt (required), report.txt, mat.bin,
 * config-tables.txt when present; the maps are only located (a command
 * parses the one it wants). 0, or -1 with why set to "FILE: what was
 * wrong" (FILE:LINE: for a line), naming the file by its path. rf needs
 * run_folder_free() either way.
 */
int run_folder_open(const char *dir, struct run_folder *rf, char *why, size_t why_size);
void run_folder_free(struct run_folder *rf);

/*
 * The map file a command reads: for RUN_PICK_DEFAULT the final map when
 * present, else the capture. NULL with why set when there is none (or not
 * the one asked for). *file gets which one, *reason why it was chosen.
 */
const char *run_folder_map(const struct run_folder *rf, enum run_pick pick, enum run_file *file,
			   const char **reason, char *why, size_t why_size);

/* "QEMU Standard PC (Q35 + ICH9, 2009)": manufacturer and product, or "unknown machine". */
void run_folder_machine(const struct run_folder *rf, char *buf, size_t size);

/* "PASS", "FAIL", "no-verdict" (a report without one) or "pending" (no report yet). */
const char *run_folder_verdict(const struct run_folder *rf);

#endif
