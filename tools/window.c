// SPDX-License-Identifier: BSD-2-Clause
/*
 * Parsing and checking a virtual-address window given on the command line.
 */
#include <stdio.h>
#include <string.h>

#include "memmap/layout.h"
#include "tools/window.h"

static int suffix_shift(const char *s, const char **end)
{
	static const char letters[] = "KMGTPE";
	const char *p;
	char c = *s;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == '\0') {
		*end = s;
		return 0;
	}
	p = strchr(letters, c);
	if (!p)
		return -1;
	s++;
	if ((s[0] == 'i' || s[0] == 'I') && (s[1] == 'B' || s[1] == 'b'))
		s += 2;
	else if (s[0] == 'B' || s[0] == 'b')
		s += 1;
	*end = s;
	return 10 * (int)(p - letters + 1);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool parse_u64_suffixed(const char *s, u64 *out)
{
	bool negative = false;
	unsigned int radix = 10;
	u64 v = 0;
	const char *end;
	int shift, ndigits = 0;

	if (*s == '-') {
		negative = true;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		radix = 16;
		s += 2;
	}
	for (; *s; s++, ndigits++) {
		int d = digit_value(*s);

		if (d >= (int)radix)
			break;
		if (v > (~0ULL - (u64)d) / radix)
			return false;
		v = v * radix + (u64)d;
	}
	if (ndigits == 0)
		return false;
	shift = suffix_shift(s, &end);
	if (shift < 0 || *end != '\0')
		return false;
	if (shift && v > (~0ULL >> shift))
		return false;
	v <<= shift;
	if (negative) {
		/* 2^64 - v; "-0" means nothing sensible. */
		if (v == 0)
			return false;
		v = 0 - v;
	}
	*out = v;
	return true;
}

bool window_parse(const char *arg, u64 *base, u64 *size, char *why, size_t why_len)
{
	const u64 low_end = 1ULL << 47;		    /* first non-canonical address */
	const u64 high_start = 0ULL - (1ULL << 47); /* first canonical upper-half address */
	char part[64];
	const char *colon = strchr(arg, ':');
	size_t len;
	u64 b, s, last;

	if (!colon) {
		snprintf(why, why_len, "'%s' is not BASE:SIZE", arg);
		return false;
	}
	len = (size_t)(colon - arg);
	if (len >= sizeof(part)) {
		snprintf(why, why_len, "base '%.*s...' is too long", 20, arg);
		return false;
	}
	memcpy(part, arg, len);
	part[len] = '\0';
	if (!parse_u64_suffixed(part, &b)) {
		snprintf(why, why_len,
			 "base '%s' is not a number (0x-hex or decimal, K/M/G/T suffix)", part);
		return false;
	}
	if (!parse_u64_suffixed(colon + 1, &s)) {
		snprintf(why, why_len,
			 "size '%s' is not a number (0x-hex or decimal, K/M/G/T suffix)",
			 colon + 1);
		return false;
	}
	if (s == 0) {
		snprintf(why, why_len, "size is 0");
		return false;
	}
	if (b & (MM_VA_CONGRUENCE - 1)) {
		snprintf(why, why_len,
			 "base 0x%016llx is not 2 MiB aligned (virtual addresses keep the physical "
			 "address modulo 2 MiB)",
			 (unsigned long long)b);
		return false;
	}
	if (s - 1 > ~0ULL - b) {
		snprintf(why, why_len, "base 0x%016llx + size 0x%llx runs past 2^64",
			 (unsigned long long)b, (unsigned long long)s);
		return false;
	}
	last = b + (s - 1);
	if (!(last < low_end || b >= high_start)) {
		snprintf(
			why, why_len,
			"window 0x%016llx-0x%016llx is not canonical with 4-level paging (it must "
			"lie inside 0-0x00007fffffffffff or 0xffff800000000000-0xffffffffffffffff)",
			(unsigned long long)b, (unsigned long long)last);
		return false;
	}
	*base = b;
	*size = s;
	return true;
}
