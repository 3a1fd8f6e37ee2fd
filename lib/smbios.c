// SPDX-License-Identifier: BSD-2-Clause
/*
 * SMBIOS identity strings (DSP0134 3.7 sections 5.2, 6.1, 7.1 and 7.2).
 * The table is firmware data: every length is checked against what is
 * there before anything is read.
 */
#include "lib/smbios.h"
#include "lib/string.h"

#define TYPE_BIOS   0
#define TYPE_SYSTEM 1
#define TYPE_END    127

static u64 read_le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static bool checksum_ok(const u8 *p, size_t n)
{
	u8 sum = 0;

	while (n--)
		sum = (u8)(sum + *p++);
	return sum == 0;
}

const char *smbios_read_entry_point(const u8 *ep, size_t avail, struct smbios_ep *out)
{
	size_t len;

	memset(out, 0, sizeof(*out));
	if (avail >= 0x18 && !memcmp(ep, "_SM3_", 5)) {
		/* 5.2.2: length at 06h (18h in 3.0), version at 07h/08h, table at 0Ch/10h. */
		len = ep[0x06];
		if (len < 0x18 || len > avail)
			return "3.0 entry point length is wrong";
		if (!checksum_ok(ep, len))
			return "3.0 entry point checksum is wrong";
		out->v3 = true;
		out->major = ep[0x07];
		out->minor = ep[0x08];
		out->table_len = (u32)read_le(ep + 0x0c, 4);
		out->table = read_le(ep + 0x10, 8);
		return NULL;
	}
	if (avail >= 0x1f && !memcmp(ep, "_SM_", 4)) {
		/* 5.2.1: length at 05h (1Fh), version 06h/07h, table length 16h, address 18h. */
		len = ep[0x05];
		if (len < 0x1f || len > avail)
			return "2.1 entry point length is wrong";
		if (!checksum_ok(ep, len))
			return "2.1 entry point checksum is wrong";
		if (memcmp(ep + 0x10, "_DMI_", 5) || !checksum_ok(ep + 0x10, 0x0f))
			return "2.1 entry point's intermediate (_DMI_) part is wrong";
		out->major = ep[0x06];
		out->minor = ep[0x07];
		out->table_len = (u32)read_le(ep + 0x16, 2);
		out->table = read_le(ep + 0x18, 4);
		return NULL;
	}
	return "no _SM3_ or _SM_ anchor";
}

/* String number n (1-based, 6.1.3) of the set in s[0..len) into out; 0 means none. */
static void copy_string(char *out, const u8 *s, size_t len, u8 n)
{
	size_t i = 0, k = 0;

	out[0] = '\0';
	if (!n)
		return;
	/* Skip n - 1 strings; the set ends at a string of length 0. */
	for (u8 skip = 1; skip < n; skip++) {
		if (i >= len || !s[i])
			return;
		while (i < len && s[i])
			i++;
		i++;
	}
	for (; i < len && s[i] && k + 1 < SMBIOS_STR_MAX; i++)
		out[k++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

const char *smbios_read_identity(const u8 *table, size_t len, struct smbios_id *id)
{
	bool bios = false, sys = false;
	size_t at = 0;

	memset(id, 0, sizeof(*id));
	while (at + 4 <= len) {
		const u8 *h = table + at;
		u8 type = h[0], flen = h[1];
		size_t strings, end;

		/* 6.1.2: the formatted area is at least the 4-byte header. */
		if (flen < 4 || at + flen > len)
			return "a structure's length runs past the table or is below 4";
		strings = at + flen;
		/* The string set ends with two NULs (one pair even when empty). */
		for (end = strings; end + 1 < len && (table[end] || table[end + 1]); end++)
			;
		if (end + 1 >= len)
			return "a structure's strings are not terminated";
		if (type == TYPE_BIOS && !bios) {
			bios = true;
			if (flen > 0x04)
				copy_string(id->bios_vendor, table + strings, end - strings,
					    h[0x04]);
			if (flen > 0x05)
				copy_string(id->bios_version, table + strings, end - strings,
					    h[0x05]);
			if (flen > 0x08)
				copy_string(id->bios_date, table + strings, end - strings, h[0x08]);
		} else if (type == TYPE_SYSTEM && !sys) {
			sys = true;
			if (flen > 0x04)
				copy_string(id->sys_vendor, table + strings, end - strings,
					    h[0x04]);
			if (flen > 0x05)
				copy_string(id->sys_product, table + strings, end - strings,
					    h[0x05]);
			if (flen > 0x06)
				copy_string(id->sys_version, table + strings, end - strings,
					    h[0x06]);
		}
		if (type == TYPE_END)
			return NULL;
		at = end + 2;
	}
	return at == len ? NULL : "the table ends inside a structure header";
}
