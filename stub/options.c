// SPDX-License-Identifier: BSD-2-Clause
/*
 * Where options come from. Firmware that boots \EFI\BOOT\BOOTX64.EFI from a
 * disk or stick passes no LoadOptions at all, so a text file beside the
 * image (efimap.cfg) is read too; the UEFI shell passes the whole command
 * line, image name first. Both end up as one ASCII line for the handoff,
 * file first, so that LoadOptions override it (last word wins).
 */
#include "lib/string.h"
#include "stub/stub.h"

struct line {
	char *buf;
	size_t size;
	size_t len;
	bool truncated;
};

/* Add a word separator unless the line is empty or already ends in one. */
static void line_space(struct line *l)
{
	if (l->len && l->buf[l->len - 1] != ' ')
		l->buf[l->len++] = ' '; /* line_putc() keeps one byte free for this */
}

static void line_putc(struct line *l, char c)
{
	if (l->len + 2 < l->size)
		l->buf[l->len++] = c;
	else
		l->truncated = true;
}

static bool is_blank16(CHAR16 c)
{
	return c == L' ' || c == L'\t' || c == L'\r' || c == L'\n';
}

static bool ends_with_efi(const CHAR16 *w, size_t len)
{
	static const CHAR16 ext[] = L".efi";

	if (len < 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		CHAR16 c = w[len - 4 + i];

		if (c >= L'A' && c <= L'Z')
			c = (CHAR16)(c - L'A' + L'a');
		if (c != ext[i])
			return false;
	}
	return true;
}

/*
 * LoadOptions are text only if they are whole UCS-2 characters, printable,
 * up to an optional NUL terminator. A Boot#### entry may carry binary data.
 */
static bool load_options_are_text(const CHAR16 *p, UINT32 bytes)
{
	if (bytes % 2)
		return false;
	for (UINT32 i = 0; i < bytes / 2; i++) {
		if (p[i] == 0)
			return i + 1 == bytes / 2;
		if ((p[i] < 0x20 && !is_blank16(p[i])) || p[i] > 0x7e)
			return false;
	}
	return true;
}

static void add_load_options(struct line *l, const CHAR16 *p, size_t n)
{
	bool first = true;
	size_t i = 0;

	while (i < n && p[i]) {
		size_t len = 0;

		if (is_blank16(p[i])) {
			i++;
			continue;
		}
		while (i + len < n && p[i + len] && !is_blank16(p[i + len]))
			len++;
		/* The shell passes the image path as the first word; it is not an option. */
		if (!(first && ends_with_efi(p + i, len))) {
			line_space(l);
			for (size_t k = 0; k < len; k++)
				line_putc(l, (char)p[i + k]);
		}
		first = false;
		i += len;
	}
}

/* Words of the options file; '#' starts a comment that runs to the end of the line. */
static void add_file_text(struct line *l, const char *text, size_t n)
{
	bool comment = false;

	line_space(l);
	for (size_t i = 0; i < n && text[i]; i++) {
		char c = text[i];

		if (c == '\n' || c == '\r')
			comment = false;
		else if (c == '#')
			comment = true;
		if (comment)
			continue;
		if (c <= ' ' || c > 0x7e)
			line_space(l);
		else
			line_putc(l, c);
	}
}

/* Build "<dir of the image>\efimap.cfg" from the image's file path nodes. */
static bool options_file_path(EFI_DEVICE_PATH *dp, CHAR16 *out, size_t size)
{
	size_t len = 0, cut = 0;
	static const CHAR16 name[] = STUB_OPTIONS_FILE;

	for (; dp && (dp->Type & EFI_DP_TYPE_MASK) != END_DEVICE_PATH_TYPE;
	     dp = (EFI_DEVICE_PATH *)((u8 *)dp + (dp->Length[0] | (dp->Length[1] << 8)))) {
		size_t node_len = (size_t)(dp->Length[0] | (dp->Length[1] << 8));
		const CHAR16 *s;

		if (node_len < 4)
			return false; /* malformed: would loop forever */
		if (dp->Type != MEDIA_DEVICE_PATH || dp->SubType != MEDIA_FILEPATH_DP)
			continue;
		s = ((FILEPATH_DEVICE_PATH *)dp)->PathName;
		/* Consecutive file-path nodes join with '\\' as needed (UEFI 2.10
		 * section 10.3.5.4). */
		if (len && out[len - 1] != L'\\' && node_len > 5 && s[0] != L'\\') {
			if (len + 1 >= size)
				return false;
			out[len++] = L'\\';
		}
		for (size_t i = 0; i < (node_len - 4) / 2 && s[i]; i++) {
			if (len + 1 >= size)
				return false;
			if (len && out[len - 1] == L'\\' && s[i] == L'\\')
				continue;
			out[len++] = s[i];
		}
	}
	for (size_t i = 0; i < len; i++)
		if (out[i] == L'\\' || out[i] == L'/')
			cut = i + 1;
	if (!cut)
		out[cut++] = L'\\';
	if (cut + ARRAY_SIZE(name) > size)
		return false;
	memcpy(out + cut, name, sizeof(name));
	return true;
}

static size_t read_options_file(EFI_LOADED_IMAGE *li, char *buf, size_t size, bool *truncated)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	EFI_FILE_PROTOCOL *root, *file;
	CHAR16 path[256];
	UINTN n = size - 1;
	EFI_STATUS st;

	if (!options_file_path(li->FilePath, path, ARRAY_SIZE(path)))
		return 0;
	st = bs_call(HandleProtocol, li->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (EFI_ERROR(st))
		return 0;
	if (EFI_ERROR(sfs->OpenVolume(sfs, &root)))
		return 0;
	st = root->Open(root, &file, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		root->Close(root);
		return 0;
	}
	st = file->Read(file, &n, buf);
	if (!EFI_ERROR(st) && n == size - 1) {
		/* Full buffer: is there more? Then say so rather than cut silently. */
		char more;
		UINTN one = 1;

		*truncated = !EFI_ERROR(file->Read(file, &one, &more)) && one == 1;
	}
	file->Close(file);
	root->Close(root);
	if (EFI_ERROR(st)) {
		stub_log("efimap: stub: reading the options file failed (status 0x%llx), ignored",
			 (unsigned long long)st);
		return 0;
	}
	buf[n] = '\0';
	stub_log("efimap: stub: options file %d bytes%s", (int)n,
		 *truncated ? ", truncated: only the first part is used" : "");
	return n;
}

u32 stub_read_options(EFI_LOADED_IMAGE *li, char *out, size_t size)
{
	static char file_text[HANDOFF_CMDLINE_SIZE];
	struct line l = { .buf = out, .size = size };
	size_t n;
	u32 flags = 0;

	n = read_options_file(li, file_text, sizeof(file_text), &l.truncated);
	if (n) {
		add_file_text(&l, file_text, n);
		flags |= HANDOFF_OPTIONS_FILE;
	}
	if (li->LoadOptionsSize && li->LoadOptions) {
		if (load_options_are_text(li->LoadOptions, li->LoadOptionsSize)) {
			add_load_options(&l, li->LoadOptions, li->LoadOptionsSize / 2);
		} else {
			flags |= HANDOFF_LOAD_OPTIONS_BINARY;
			stub_log("efimap: stub: LoadOptions (%u bytes) are not text, ignored",
				 li->LoadOptionsSize);
		}
	}
	if (l.truncated)
		flags |= HANDOFF_CMDLINE_TRUNCATED;
	if (l.len && out[l.len - 1] == ' ')
		l.len--;
	out[l.len] = '\0';
	return flags;
}
