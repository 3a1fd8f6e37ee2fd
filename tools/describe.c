// SPDX-License-Identifier: BSD-2-Clause
/*
 * Names and numbers for people. Everything here is deterministic integer
 * arithmetic (no floating point), so reports are the same on every host.
 */
#include <stdio.h>

#include "tools/describe.h"

typedef unsigned __int128 u128;

/* Sizes up to 2^76 bytes (2^64 pages of 4 KiB) need 128 bits. */
static int size_u128(char *buf, size_t size, u128 bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB" };
	unsigned int u = 0;
	u128 hundredths;
	unsigned int frac;

	while (u + 1 < ARRAY_SIZE(units) && bytes >= ((u128)1 << (10 * (u + 1))))
		u++;
	hundredths = (bytes * 100) >> (10 * u); /* bytes < 2^77: no overflow */
	frac = (unsigned int)(hundredths % 100);
	if (frac == 0)
		return snprintf(buf, size, "%llu %s", (unsigned long long)(hundredths / 100),
				units[u]);
	if (frac % 10 == 0)
		return snprintf(buf, size, "%llu.%u %s", (unsigned long long)(hundredths / 100),
				frac / 10, units[u]);
	return snprintf(buf, size, "%llu.%02u %s", (unsigned long long)(hundredths / 100), frac,
			units[u]);
}

int describe_size(char *buf, size_t size, u64 bytes)
{
	return size_u128(buf, size, bytes);
}

int describe_pages(char *buf, size_t size, u64 pages)
{
	return size_u128(buf, size, (u128)pages << PAGE_SHIFT);
}

/* UEFI 2.10 section 7.2, EFI_MEMORY_DESCRIPTOR Attribute: the single bits it defines. */
const char *attr_bit_name(unsigned int bit)
{
	switch (bit) {
	case 0:
		return "UC";
	case 1:
		return "WC";
	case 2:
		return "WT";
	case 3:
		return "WB";
	case 4:
		return "UCE";
	case 12:
		return "WP";
	case 13:
		return "RP";
	case 14:
		return "XP";
	case 15:
		return "NV";
	case 16:
		return "MR"; /* EFI_MEMORY_MORE_RELIABLE */
	case 17:
		return "RO";
	case 18:
		return "SP"; /* EFI_MEMORY_SP, specific purpose */
	case 19:
		return "CC"; /* EFI_MEMORY_CPU_CRYPTO */
	case 20:
		return "HP"; /* EFI_MEMORY_HOT_PLUGGABLE */
	case 62:
		return "ISA_VALID";
	case 63:
		return "RUN";
	default:
		return NULL;
	}
}

u32 attr_names(u64 attr, char names[][ATTR_NAME_MAX], u32 max)
{
	u32 n = 0;
	u64 undefined = 0;

	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(attr & (1ULL << bit)))
			continue;
		if ((1ULL << bit) & MM_ATTR_ISA_MASK)
			continue; /* one field, named below */
		name = attr_bit_name(bit);
		if (!name)
			undefined |= 1ULL << bit;
		else if (n < max)
			snprintf(names[n++], ATTR_NAME_MAX, "%s", name);
	}
	if ((attr & MM_ATTR_ISA_MASK) && n < max)
		snprintf(names[n++], ATTR_NAME_MAX, "ISA=0x%llx",
			 (unsigned long long)((attr & MM_ATTR_ISA_MASK) >> 44));
	if (undefined && n < max)
		snprintf(names[n++], ATTR_NAME_MAX, "0x%llx", (unsigned long long)undefined);
	return n;
}

int describe_attrs(char *buf, size_t size, u64 attr)
{
	char names[ATTR_NAMES_MAX][ATTR_NAME_MAX];
	u32 n = attr_names(attr, names, ATTR_NAMES_MAX);
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	if (n == 0)
		return snprintf(buf, size, "none");
	for (u32 i = 0; i < n; i++)
		used += (size_t)snprintf(buf + (used < size ? used : size),
					 used < size ? size - used : 0, "%s%s", i ? "|" : "",
					 names[i]);
	return (int)used;
}

int describe_type(char *buf, size_t size, u32 type)
{
	if (type < MM_NR_TYPES)
		return snprintf(buf, size, "%s", mm_type_name(type));
	if (type >= 0x80000000u)
		return snprintf(buf, size, "OS type 0x%08x", type);
	if (type >= 0x70000000u)
		return snprintf(buf, size, "OEM type 0x%08x", type);
	return snprintf(buf, size, "reserved type %u", type);
}

bool describe_last_byte(char *buf, size_t size, const struct mm_desc *md)
{
	u128 last;

	if (md->num_pages == 0) {
		snprintf(buf, size, "-");
		return false;
	}
	last = (u128)md->phys_addr + ((u128)md->num_pages << PAGE_SHIFT) - 1;
	if (last >> 64)
		snprintf(buf, size, "0x%llx%016llx", (unsigned long long)(last >> 64),
			 (unsigned long long)last);
	else
		snprintf(buf, size, "0x%016llx", (unsigned long long)last);
	return true;
}
