// SPDX-License-Identifier: BSD-2-Clause
/*
 * The results an earlier boot's kernel stored in variables EfimapRun00..
 * (kernel/run_store.h) go into that boot's run folder on the volume this
 * image was loaded from (docs/run-folder.md): report.txt and
 * map-final.efimapd. The variables are deleted only after every file was
 * written, flushed and read back equal; anything short of that keeps them
 * for the next boot and says what failed. An EfimapReport variable left by
 * an efimap older than run folders is saved the same way.
 */
#include "kernel/efi_status.h"
#include "kernel/run_store.h"
#include "lib/crc32.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "stub/stub.h"

static EFI_GUID vendor = EFIMAP_VENDOR_GUID;

static const char *status_text(EFI_STATUS st)
{
	static char text[32];

	return efi_status_str(text, sizeof(text), st);
}

static void var_name(CHAR16 *out, u32 i)
{
	u16 name[RUN_VAR_NAME_CHARS];

	run_store_var_name(name, i);
	for (u32 k = 0; k < RUN_VAR_NAME_CHARS; k++)
		out[k] = name[k];
}

/* Read variable name whole into a new pool buffer (*data, *size); the caller frees it. */
static EFI_STATUS read_var(CHAR16 *name, u8 **data, UINTN *size)
{
	UINT32 attrs;
	u8 probe;
	EFI_STATUS st;

	*data = NULL;
	*size = 0;
	/* A zero-sized read reports the size (UEFI 2.10 section 8.2.1). */
	st = rt_call(GetVariable, name, &vendor, &attrs, size, &probe);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st == EFI_SUCCESS ? EFI_SUCCESS : st;
	st = bs_call(AllocatePool, EfiLoaderData, *size, (void **)data);
	if (!EFI_ERROR(st))
		st = rt_call(GetVariable, name, &vendor, &attrs, size, *data);
	if (EFI_ERROR(st) && *data) {
		bs_call(FreePool, *data);
		*data = NULL;
	}
	return st;
}

/* Delete EfimapRun00..nr-1, the header first so that no half blob is ever seen whole. */
static void delete_vars(u32 nr)
{
	CHAR16 name[RUN_VAR_NAME_CHARS];

	for (u32 i = 0; i < nr; i++) {
		EFI_STATUS st;

		var_name(name, i);
		st = rt_call(SetVariable, name, &vendor, REPORT_VAR_ATTRS, 0, NULL);
		if (EFI_ERROR(st) && st != EFI_NOT_FOUND)
			stub_log("efimap: report: cannot delete variable EfimapRun%02u (%s)", i,
				 status_text(st));
	}
}

/*
 * Gather the blob: EfimapRun00 says how many parts follow and how big the
 * whole is. Returns the blob (pool) or NULL with *why.
 */
static u8 *gather_blob(u8 *first, UINTN first_size, const char **why, EFI_STATUS *st)
{
	const struct run_store_header *rh = (const void *)first;
	CHAR16 name[RUN_VAR_NAME_CHARS];
	static char msg[96];
	UINTN at = first_size;
	u8 *blob = NULL;

	*why = run_store_check_header(rh, first_size);
	if (*why)
		return NULL;
	if (first_size != (rh->nr_vars == 1 ? rh->total_size : rh->chunk_size)) {
		*why = "EfimapRun00 is not the size its header says";
		return NULL;
	}
	*st = bs_call(AllocatePool, EfiLoaderData, rh->total_size, (void **)&blob);
	if (EFI_ERROR(*st)) {
		*why = "no memory for the stored results";
		return NULL;
	}
	memcpy(blob, first, first_size);
	for (u32 i = 1; i < rh->nr_vars; i++) {
		UINTN size, want = i + 1 == rh->nr_vars ? rh->total_size - at : rh->chunk_size;
		u8 *part;

		var_name(name, i);
		*st = read_var(name, &part, &size);
		if (EFI_ERROR(*st) || size != want || at + size > rh->total_size) {
			fmt_snprintf(msg, sizeof(msg),
				     "EfimapRun%02u is missing or not the size the "
				     "header says",
				     i);
			*why = msg;
			if (part)
				bs_call(FreePool, part);
			bs_call(FreePool, blob);
			return NULL;
		}
		memcpy(blob + at, part, size);
		at += size;
		bs_call(FreePool, part);
	}
	if (crc32(0, blob + rh->header_size, rh->total_size - rh->header_size) != rh->crc32) {
		*why = "the stored results fail their CRC-32";
		bs_call(FreePool, blob);
		return NULL;
	}
	return blob;
}

/*
 * The folder for run number: that run's own folder when it has a run.txt
 * and none of the files yet; else a new folder whose run.txt says why.
 */
static EFI_STATUS open_result_folder(EFI_FILE_PROTOCOL *runs, u32 number,
				     const struct run_store_header *rh, EFI_FILE_PROTOCOL **dir,
				     int *used, const char **what)
{
	char name[8], note[256];
	const char *why = "the stub wrote no run folder at that boot";
	EFI_STATUS st;
	int n;

	if (number && number <= 9999) {
		fmt_snprintf(name, sizeof(name), "%04u", number);
		st = stub_open_dir(runs, name, false, dir, what);
		if (!EFI_ERROR(st)) {
			bool clash = !stub_file_exists(*dir, "run.txt");

			for (u32 i = 0; rh && i < rh->nr_files; i++)
				clash |= stub_file_exists(*dir, rh->files[i].name);
			if (!clash) {
				*used = (int)number;
				return st;
			}
			(*dir)->Close(*dir);
			why = "that boot's run folder is incomplete or already has results";
		} else {
			why = "that boot's run folder is gone";
		}
	}
	n = stub_next_number(runs, &st);
	if (n < 0) {
		*what = "cannot list \\EFI\\efimap\\runs";
		return st;
	}
	st = stub_new_numbered_dir(runs, n, dir, used, what);
	if (EFI_ERROR(st))
		return st;
	n = fmt_snprintf(note, sizeof(note),
			 "efimap-run: 1\nrun: %04d\ncapture: none (results of run %04u: %s)\n",
			 *used, number, why);
	st = stub_write_file(*dir, "run.txt", note, (UINTN)n, what);
	if (EFI_ERROR(st))
		(*dir)->Close(*dir);
	return st;
}

/* Write the blob's files into the folder for its run; *used names the folder. */
static EFI_STATUS save_files(EFI_LOADED_IMAGE *li, const struct run_store_header *rh,
			     const u8 *blob, int *used, const char **what)
{
	EFI_FILE_PROTOCOL *root, *runs, *dir;
	EFI_STATUS st;

	st = stub_open_runs(li, &root, &runs, what);
	if (EFI_ERROR(st))
		return st;
	/* Open only on success: closed again here. */
	st = open_result_folder(runs, rh->run_number, rh, &dir, used, what);
	if (!EFI_ERROR(st)) {
		for (u32 i = 0; !EFI_ERROR(st) && i < rh->nr_files; i++)
			st = stub_write_file(dir, rh->files[i].name, blob + rh->files[i].offset,
					     rh->files[i].size, what);
		dir->Close(dir);
	}
	runs->Close(runs);
	root->Close(root);
	return st;
}

/* An EfimapReport variable of an older efimap: its text becomes a run folder's report.txt. */
static void save_legacy_report(EFI_LOADED_IMAGE *li)
{
	static CHAR16 legacy[] = REPORT_VAR_NAME;
	struct run_store_header rh;
	const char *what = "";
	UINTN size;
	u8 *data;
	int used = 0;
	EFI_STATUS st = read_var(legacy, &data, &size);

	if (st == EFI_NOT_FOUND || (!EFI_ERROR(st) && !data))
		return;
	if (EFI_ERROR(st)) {
		stub_log("efimap: report: cannot read variable EfimapReport (%s)", status_text(st));
		return;
	}
	memset(&rh, 0, sizeof(rh));
	memcpy(rh.files[0].name, "report.txt", sizeof("report.txt"));
	rh.files[0].size = (u32)size;
	rh.nr_files = 1;
	/* files[0].offset 0: the data itself is the blob here. */
	st = save_files(li, &rh, data, &used, &what);
	if (EFI_ERROR(st)) {
		stub_log("efimap: report: kept variable EfimapReport (an older efimap's report): "
			 "%s (%s)",
			 what, status_text(st));
	} else {
		stub_log("efimap: report: saved=\\EFI\\efimap\\runs\\%04d\\report.txt bytes=%llu "
			 "(variable EfimapReport of an older efimap)",
			 used, (unsigned long long)size);
		rt_call(SetVariable, legacy, &vendor, REPORT_VAR_ATTRS, 0, NULL);
	}
	bs_call(FreePool, data);
}

void stub_save_results(EFI_LOADED_IMAGE *li)
{
	CHAR16 name[RUN_VAR_NAME_CHARS];
	const struct run_store_header *rh;
	const char *what = "";
	UINTN size;
	u8 *first, *blob;
	int used = 0;
	EFI_STATUS st;

	save_legacy_report(li);
	var_name(name, 0);
	st = read_var(name, &first, &size);
	if (st == EFI_NOT_FOUND) {
		u8 *orphan;

		/* Parts without a header (a store cut short) are never read: they go. */
		var_name(name, 1);
		if (!EFI_ERROR(read_var(name, &orphan, &size))) {
			if (orphan)
				bs_call(FreePool, orphan);
			delete_vars(RUN_STORE_MAX_VARS);
			stub_log("efimap: report: deleted variables EfimapRun01.. without their "
				 "header (a store cut short)");
		}
		stub_log("efimap: report: saved=none (no results from an earlier boot)");
		return;
	}
	if (EFI_ERROR(st) || !first) {
		stub_log("efimap: report: saved=none: cannot read variable EfimapRun00 (%s)",
			 EFI_ERROR(st) ? status_text(st) : "it is empty");
		return;
	}
	blob = gather_blob(first, size, &what, &st);
	if (!blob) {
		/* Unreadable results would block every later run's: said, then deleted. */
		stub_log("efimap: report: saved=none: %s; the stored results are unusable and "
			 "deleted",
			 what);
		delete_vars(RUN_STORE_MAX_VARS);
		bs_call(FreePool, first);
		return;
	}
	rh = (const void *)blob;
	st = save_files(li, rh, blob, &used, &what);
	if (EFI_ERROR(st)) {
		stub_log("efimap: report: saved=none kept=1 bytes=%u: %s (%s); the results stay in "
			 "variables EfimapRun00..%02u for the next boot",
			 rh->total_size, what, status_text(st), rh->nr_vars - 1);
	} else {
		stub_log(
			"efimap: report: saved=\\EFI\\efimap\\runs\\%04d bytes=%u files=%u vars=%u "
			"run=%04u",
			used, rh->total_size, rh->nr_files, rh->nr_vars, rh->run_number);
		/* Saved and verified: now the variables may go (size 0 deletes, 8.2.3). */
		delete_vars(rh->nr_vars);
	}
	bs_call(FreePool, blob);
	bs_call(FreePool, first);
}
