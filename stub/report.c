// SPDX-License-Identifier: BSD-2-Clause
/*
 * The report an earlier boot's kernel left in the EfimapReport variable
 * (kernel/report.h) goes to \EFI\efimap\reports\NNNN.txt on the volume this
 * image was loaded from. The variable is deleted only after the file was
 * written, flushed and read back equal; anything short of that keeps the
 * variable for the next boot and says what failed.
 */
#include "kernel/efi_status.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "stub/stub.h"

static EFI_GUID report_vendor = EFIMAP_VENDOR_GUID;
static CHAR16 report_name[] = REPORT_VAR_NAME;

#define REPORTS_PATH "\\EFI\\efimap\\reports"
#define MAX_REPORTS  9999

/* A status for the log, by its spec name when it has one. */
static const char *status_text(EFI_STATUS st)
{
	static char text[32];

	return efi_status_str(text, sizeof(text), st);
}

/* "NNNN.txt" (any case) -> NNNN; anything else -> -1. */
static int report_number(const CHAR16 *name)
{
	static const char ext[] = ".txt";
	int v = 0;

	for (int i = 0; i < 4; i++) {
		if (name[i] < L'0' || name[i] > L'9')
			return -1;
		v = v * 10 + (name[i] - L'0');
	}
	for (int i = 0; i < 4; i++) {
		CHAR16 c = name[4 + i];

		if (c >= L'A' && c <= L'Z')
			c = (CHAR16)(c - L'A' + L'a');
		if (c != (CHAR16)ext[i])
			return -1;
	}
	return name[8] ? -1 : v;
}

/* EFI_FILE_INFO plus the longest FAT name (255 UCS-2 characters). */
static u64 info_buf[(sizeof(EFI_FILE_INFO) + 256 * sizeof(CHAR16)) / sizeof(u64) + 1];

/* Is the open file f a directory? (Open with CREATE also opens a plain file of that name.) */
static bool is_directory(EFI_FILE_PROTOCOL *f)
{
	EFI_GUID info_id = EFI_FILE_INFO_ID;
	UINTN size = sizeof(info_buf);

	return !EFI_ERROR(f->GetInfo(f, &info_id, &size, info_buf)) &&
	       (((EFI_FILE_INFO *)info_buf)->Attribute & EFI_FILE_DIRECTORY);
}

/* One past the highest NNNN.txt in dir (1 for an empty directory), or -1 with *st. */
static int next_number(EFI_FILE_PROTOCOL *dir, EFI_STATUS *st)
{
	int highest = 0;

	*st = dir->SetPosition(dir, 0);
	if (EFI_ERROR(*st))
		return -1;
	for (;;) {
		UINTN size = sizeof(info_buf);
		EFI_FILE_INFO *fi = (EFI_FILE_INFO *)info_buf;
		int n;

		/* A directory reads as one entry per call, 0 bytes at its end (UEFI 2.10 13.5.5).
		 */
		*st = dir->Read(dir, &size, info_buf);
		if (EFI_ERROR(*st))
			return -1;
		if (!size)
			return highest + 1;
		n = report_number(fi->FileName);
		if (n > highest)
			highest = n;
	}
}

static void ascii_to_ucs2(CHAR16 *out, size_t size, const char *in)
{
	size_t i = 0;

	for (; in[i] && i + 1 < size; i++)
		out[i] = (CHAR16)in[i];
	out[i] = 0;
}

/*
 * Open \EFI, \EFI\efimap and \EFI\efimap\reports in turn, creating any
 * that is missing (Open with EFI_FILE_MODE_CREATE and EFI_FILE_DIRECTORY
 * opens an existing directory as it is: UEFI 2.10 section 13.5.2).
 */
static EFI_STATUS open_reports_dir(EFI_FILE_PROTOCOL *root, EFI_FILE_PROTOCOL **out,
				   const char **what)
{
	static CHAR16 *const parts[] = { L"EFI", L"efimap", L"reports" };
	static const char *const names[] = { "\\EFI", "\\EFI\\efimap", REPORTS_PATH };
	static char msg[64];
	EFI_FILE_PROTOCOL *dir = root, *sub;
	EFI_STATUS st = EFI_SUCCESS;

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		st = dir->Open(dir, &sub, parts[i],
			       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
			       EFI_FILE_DIRECTORY);
		if (dir != root)
			dir->Close(dir);
		if (EFI_ERROR(st)) {
			fmt_snprintf(msg, sizeof(msg), "cannot create or open %s", names[i]);
			*what = msg;
			return st;
		}
		if (!is_directory(sub)) {
			sub->Close(sub);
			fmt_snprintf(msg, sizeof(msg), "%s is a file, not a directory", names[i]);
			*what = msg;
			return EFI_ACCESS_DENIED;
		}
		dir = sub;
	}
	*out = dir;
	return st;
}

/* Read back what was written: same size, same bytes. */
static bool file_holds(EFI_FILE_PROTOCOL *dir, CHAR16 *name, const u8 *data, UINTN size,
		       u8 *scratch, EFI_STATUS *st)
{
	EFI_FILE_PROTOCOL *f;
	UINTN n = size + 1; /* one more: a longer file shows */

	*st = dir->Open(dir, &f, name, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(*st))
		return false;
	*st = f->Read(f, &n, scratch);
	f->Close(f);
	return !EFI_ERROR(*st) && n == size && !memcmp(scratch, data, size);
}

/*
 * Write data to the next free NNNN.txt in dir. On success path (NUL-
 * terminated ASCII) names the file; on failure *what says which step.
 */
static EFI_STATUS write_report(EFI_FILE_PROTOCOL *dir, const u8 *data, UINTN size, u8 *scratch,
			       char *path, size_t path_size, const char **what)
{
	EFI_FILE_PROTOCOL *f;
	CHAR16 name[16];
	char ascii[16];
	EFI_STATUS st;
	UINTN n = size;
	int number = next_number(dir, &st);

	if (number < 0) {
		*what = "cannot list " REPORTS_PATH;
		return st;
	}
	/* Never overwrite: a name the listing missed is skipped, a few times at most. */
	for (int tries = 0;; tries++, number++) {
		if (number > MAX_REPORTS) {
			*what = "every report number up to 9999 is taken in " REPORTS_PATH;
			return EFI_OUT_OF_RESOURCES;
		}
		fmt_snprintf(ascii, sizeof(ascii), "%04d.txt", number);
		ascii_to_ucs2(name, ARRAY_SIZE(name), ascii);
		st = dir->Open(dir, &f, name, EFI_FILE_MODE_READ, 0);
		if (st == EFI_NOT_FOUND)
			break;
		if (EFI_ERROR(st)) {
			*what = "cannot look for a free report name";
			return st;
		}
		f->Close(f);
		if (tries == 8) {
			*what = "no free report name";
			return EFI_ACCESS_DENIED;
		}
	}
	fmt_snprintf(path, path_size, REPORTS_PATH "\\%s", ascii);

	st = dir->Open(dir, &f, name,
		       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(st)) {
		*what = "cannot create the report file";
		return st;
	}
	st = f->Write(f, &n, (void *)data);
	if (!EFI_ERROR(st) && n != size)
		st = EFI_VOLUME_FULL; /* a short write: the volume had no more room */
	if (!EFI_ERROR(st))
		st = f->Flush(f);
	if (EFI_ERROR(st)) {
		*what = "cannot write the report file";
		f->Delete(f); /* no half report left behind; Delete also closes */
		return st;
	}
	f->Close(f);
	if (!file_holds(dir, name, data, size, scratch, &st)) {
		*what = "the report file does not read back as written";
		return EFI_ERROR(st) ? st : EFI_VOLUME_CORRUPTED;
	}
	return EFI_SUCCESS;
}

/* Write data to a new report file on the image's volume; path names it. */
static EFI_STATUS save_to_volume(EFI_LOADED_IMAGE *li, const u8 *data, UINTN size, u8 *scratch,
				 char *path, size_t path_size, const char **what)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	EFI_FILE_PROTOCOL *root, *dir;
	EFI_STATUS st;

	st = bs_call(HandleProtocol, li->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (EFI_ERROR(st)) {
		*what = "the boot device has no file system";
		return st;
	}
	st = sfs->OpenVolume(sfs, &root);
	if (EFI_ERROR(st)) {
		*what = "cannot open the boot volume";
		return st;
	}
	st = open_reports_dir(root, &dir, what);
	if (!EFI_ERROR(st)) {
		st = write_report(dir, data, size, scratch, path, path_size, what);
		dir->Close(dir);
	}
	root->Close(root);
	return st;
}

void stub_save_report(EFI_LOADED_IMAGE *li)
{
	UINTN size = 0;
	UINT32 attrs = 0;
	u8 *data = NULL, probe;
	char path[64];
	const char *what = NULL;
	EFI_STATUS st;

	/* Size first: a zero-sized read reports it (UEFI 2.10 section 8.2.1). */
	st = rt_call(GetVariable, report_name, &report_vendor, &attrs, &size, &probe);
	if (st == EFI_NOT_FOUND) {
		stub_log("efimap: report: saved=none (no report from an earlier boot)");
		return;
	}
	if (st != EFI_BUFFER_TOO_SMALL && st != EFI_SUCCESS) {
		stub_log("efimap: report: saved=none: cannot read variable EfimapReport (%s)",
			 status_text(st));
		return;
	}
	if (size) {
		/* Twice the size: the data, then room to read the file back. */
		st = bs_call(AllocatePool, EfiLoaderData, 2 * size + 1, (void **)&data);
		if (!EFI_ERROR(st))
			st = rt_call(GetVariable, report_name, &report_vendor, &attrs, &size, data);
	}
	if (!size || EFI_ERROR(st)) {
		stub_log("efimap: report: saved=none kept=1 bytes=%llu: cannot read variable "
			 "EfimapReport (%s)",
			 (unsigned long long)size, size ? status_text(st) : "it is empty");
		if (data)
			bs_call(FreePool, data);
		return;
	}

	st = save_to_volume(li, data, size, data + size, path, sizeof(path), &what);
	if (EFI_ERROR(st)) {
		stub_log("efimap: report: saved=none kept=1 bytes=%llu: %s (%s); the report stays "
			 "in variable EfimapReport for the next boot",
			 (unsigned long long)size, what, status_text(st));
		bs_call(FreePool, data);
		return;
	}
	stub_log("efimap: report: saved=%s bytes=%llu", path, (unsigned long long)size);

	/* Saved and verified: now the variable may go (size 0 deletes, UEFI 2.10 8.2.3). */
	st = rt_call(SetVariable, report_name, &report_vendor, attrs, 0, NULL);
	if (EFI_ERROR(st))
		stub_log("efimap: report: cannot delete variable EfimapReport (%s); the next boot "
			 "saves it again",
			 status_text(st));
	bs_call(FreePool, data);
}
