// SPDX-License-Identifier: BSD-2-Clause
/*
 * Files on the volume this image was loaded from (the stick), through
 * EFI_SIMPLE_FILE_SYSTEM_PROTOCOL (UEFI 2.10 section 13.4) and
 * EFI_FILE_PROTOCOL (13.5). Nothing is ever overwritten: a file is created
 * new, written, flushed and read back equal, or deleted again.
 */
#include "lib/printf.h"
#include "lib/string.h"
#include "stub/stub.h"

/* EFI_FILE_INFO plus the longest FAT name (255 UCS-2 characters). */
static u64 info_buf[(sizeof(EFI_FILE_INFO) + 256 * sizeof(CHAR16)) / sizeof(u64) + 1];

static void ascii_to_ucs2(CHAR16 *out, size_t size, const char *in)
{
	size_t i = 0;

	for (; in[i] && i + 1 < size; i++)
		out[i] = (CHAR16)in[i];
	out[i] = 0;
}

/* Is the open file f a directory? (Open with CREATE also opens a plain file of that name.) */
static bool is_directory(EFI_FILE_PROTOCOL *f)
{
	EFI_GUID info_id = EFI_FILE_INFO_ID;
	UINTN size = sizeof(info_buf);

	return !EFI_ERROR(f->GetInfo(f, &info_id, &size, info_buf)) &&
	       (((EFI_FILE_INFO *)info_buf)->Attribute & EFI_FILE_DIRECTORY);
}

EFI_STATUS stub_open_volume(EFI_LOADED_IMAGE *li, EFI_FILE_PROTOCOL **root, const char **what)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	EFI_STATUS st;

	st = bs_call(HandleProtocol, li->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (EFI_ERROR(st)) {
		*what = "the boot device has no file system";
		return st;
	}
	st = sfs->OpenVolume(sfs, root);
	if (EFI_ERROR(st))
		*what = "cannot open the boot volume";
	return st;
}

EFI_STATUS stub_open_dir(EFI_FILE_PROTOCOL *dir, const char *name, bool create,
			 EFI_FILE_PROTOCOL **out, const char **what)
{
	static char msg[96];
	CHAR16 wname[64];
	EFI_STATUS st;

	ascii_to_ucs2(wname, ARRAY_SIZE(wname), name);
	/* With CREATE and EFI_FILE_DIRECTORY an existing directory opens as it is (13.5.2). */
	st = dir->Open(dir, out, wname,
		       create ? EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE
			      : EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE,
		       create ? EFI_FILE_DIRECTORY : 0);
	if (EFI_ERROR(st)) {
		fmt_snprintf(msg, sizeof(msg), "cannot %s directory %s",
			     create ? "create or open" : "open", name);
		*what = msg;
		return st;
	}
	if (!is_directory(*out)) {
		(*out)->Close(*out);
		fmt_snprintf(msg, sizeof(msg), "%s is a file, not a directory", name);
		*what = msg;
		return EFI_ACCESS_DENIED;
	}
	return EFI_SUCCESS;
}

EFI_STATUS stub_open_path(EFI_FILE_PROTOCOL *root, const char *const *parts, size_t n,
			  EFI_FILE_PROTOCOL **out, const char **what)
{
	EFI_FILE_PROTOCOL *dir = root, *sub = NULL;
	EFI_STATUS st = EFI_SUCCESS;

	for (size_t i = 0; i < n; i++) {
		st = stub_open_dir(dir, parts[i], true, &sub, what);
		if (dir != root)
			dir->Close(dir);
		if (EFI_ERROR(st))
			return st;
		dir = sub;
	}
	*out = dir;
	return st;
}

/* "NNNN" or "NNNN.xxx" (four digits) -> NNNN; anything else -> -1. */
static int entry_number(const CHAR16 *name)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		if (name[i] < L'0' || name[i] > L'9')
			return -1;
		v = v * 10 + (name[i] - L'0');
	}
	return name[4] == 0 || name[4] == L'.' ? v : -1;
}

int stub_next_number(EFI_FILE_PROTOCOL *dir, EFI_STATUS *st)
{
	int highest = 0;

	*st = dir->SetPosition(dir, 0);
	if (EFI_ERROR(*st))
		return -1;
	for (;;) {
		UINTN size = sizeof(info_buf);
		int n;

		/* One entry per Read, 0 bytes at the end (UEFI 2.10 section 13.5.5). */
		*st = dir->Read(dir, &size, info_buf);
		if (EFI_ERROR(*st))
			return -1;
		if (!size)
			return highest + 1;
		n = entry_number(((EFI_FILE_INFO *)info_buf)->FileName);
		if (n > highest)
			highest = n;
	}
}

bool stub_file_exists(EFI_FILE_PROTOCOL *dir, const char *name)
{
	EFI_FILE_PROTOCOL *f;
	CHAR16 wname[64];

	ascii_to_ucs2(wname, ARRAY_SIZE(wname), name);
	if (EFI_ERROR(dir->Open(dir, &f, wname, EFI_FILE_MODE_READ, 0)))
		return false;
	f->Close(f);
	return true;
}

/* Read back what was written: same size, same bytes (one byte more is asked for). */
static EFI_STATUS check_file(EFI_FILE_PROTOCOL *dir, CHAR16 *name, const void *data, UINTN size)
{
	EFI_FILE_PROTOCOL *f;
	UINTN n = size + 1;
	u8 *back = NULL;
	EFI_STATUS st;

	st = bs_call(AllocatePool, EfiLoaderData, size + 1, (void **)&back);
	if (EFI_ERROR(st))
		return st;
	st = dir->Open(dir, &f, name, EFI_FILE_MODE_READ, 0);
	if (!EFI_ERROR(st)) {
		st = f->Read(f, &n, back);
		f->Close(f);
	}
	if (!EFI_ERROR(st) && (n != size || memcmp(back, data, size)))
		st = EFI_VOLUME_CORRUPTED;
	bs_call(FreePool, back);
	return st;
}

EFI_STATUS stub_write_file(EFI_FILE_PROTOCOL *dir, const char *name, const void *data, UINTN size,
			   const char **what)
{
	static char msg[96];
	EFI_FILE_PROTOCOL *f;
	CHAR16 wname[64];
	UINTN n = size;
	EFI_STATUS st;

	ascii_to_ucs2(wname, ARRAY_SIZE(wname), name);
	if (stub_file_exists(dir, name)) {
		fmt_snprintf(msg, sizeof(msg), "%s is already there (never overwritten)", name);
		*what = msg;
		return EFI_ACCESS_DENIED;
	}
	st = dir->Open(dir, &f, wname,
		       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(st)) {
		fmt_snprintf(msg, sizeof(msg), "cannot create %s", name);
		*what = msg;
		return st;
	}
	st = f->Write(f, &n, (void *)data);
	if (!EFI_ERROR(st) && n != size)
		st = EFI_VOLUME_FULL; /* a short write: the volume had no more room */
	if (!EFI_ERROR(st))
		st = f->Flush(f);
	if (EFI_ERROR(st)) {
		fmt_snprintf(msg, sizeof(msg), "cannot write %s", name);
		*what = msg;
		f->Delete(f); /* nothing half written stays; Delete also closes */
		return st;
	}
	f->Close(f);
	st = check_file(dir, wname, data, size);
	if (EFI_ERROR(st)) {
		fmt_snprintf(msg, sizeof(msg), "%s does not read back as written", name);
		*what = msg;
	}
	return st;
}

EFI_STATUS stub_new_numbered_dir(EFI_FILE_PROTOCOL *parent, int first, EFI_FILE_PROTOCOL **out,
				 int *number, const char **what)
{
	char name[8];
	EFI_STATUS st;

	/* A name the listing missed is skipped, a few times at most. */
	for (int n = first; n < first + 8; n++) {
		if (n > 9999) {
			*what = "every run number up to 9999 is taken";
			return EFI_OUT_OF_RESOURCES;
		}
		fmt_snprintf(name, sizeof(name), "%04d", n);
		if (stub_file_exists(parent, name))
			continue;
		st = stub_open_dir(parent, name, true, out, what);
		if (!EFI_ERROR(st))
			*number = n;
		return st;
	}
	*what = "no free run number";
	return EFI_ACCESS_DENIED;
}
