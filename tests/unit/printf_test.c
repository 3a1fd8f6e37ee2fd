// SPDX-License-Identifier: BSD-2-Clause
/* lib/printf.c: the formatter every log line and map line goes through. */
#include "lib/printf.h"
#include "lib/string.h"
#include "tests/unit/suites.h"

static char buf[128];

static void integers(struct ktap_test *t)
{
	fmt_snprintf(buf, sizeof(buf), "%d|%i|%u|%d", 42, -7, 4000000000u, 0);
	KT_EXPECT_STREQ(t, buf, "42|-7|4000000000|0");
}

static void widths_and_padding(struct ktap_test *t)
{
	fmt_snprintf(buf, sizeof(buf), "[%5d][%-5d][%05d][%05d][%*d]", 42, 42, 42, -42, 4, 7);
	KT_EXPECT_STREQ(t, buf, "[   42][42   ][00042][-0042][   7]");
}

static void hex_and_64bit(struct ktap_test *t)
{
	fmt_snprintf(buf, sizeof(buf), "%x %X %016llx %llu %lx", 0xbeefu, 0xbeefu, 0x1234ULL,
		     18446744073709551615ULL, 0xffffffffffUL);
	KT_EXPECT_STREQ(t, buf, "beef BEEF 0000000000001234 18446744073709551615 ffffffffff");
}

static void int64_min(struct ktap_test *t)
{
	fmt_snprintf(buf, sizeof(buf), "%lld", (long long)(-9223372036854775807LL - 1));
	KT_EXPECT_STREQ(t, buf, "-9223372036854775808");
}

static void strings(struct ktap_test *t)
{
	const char *volatile none = NULL;

	fmt_snprintf(buf, sizeof(buf), "[%s][%-6s][%6s][%.3s][%.*s][%s]", "ab", "ab", "ab",
		     "abcdef", 2, "xyz", none);
	KT_EXPECT_STREQ(t, buf, "[ab][ab    ][    ab][abc][xy][(null)]");
}

static void pointer_and_percent(struct ktap_test *t)
{
	fmt_snprintf(buf, sizeof(buf), "%p %% %c", (void *)0x1000, 'z');
	KT_EXPECT_STREQ(t, buf, "0x0000000000001000 % z");
}

static void flags_and_short_lengths(struct ktap_test *t)
{
	/* Each of these consumes its argument; the last %d proves nothing shifted. */
	fmt_snprintf(buf, sizeof(buf), "%#x|%#06x|%+d|% d|%+d|%hu|%hhx|%hd|%d", 0xabu, 0xabu, 5, 5,
		     -5, (unsigned short)65535, (unsigned char)0x7f, (short)-2, 99);
	KT_EXPECT_STREQ(t, buf, "0xab|0x00ab|+5| 5|-5|65535|7f|-2|99");
	fmt_snprintf(buf, sizeof(buf), "[%#x][%-+5d][%+05d]", 0u, 7, 7);
	KT_EXPECT_STREQ(t, buf, "[0][+7   ][+0007]");
}

static void truncation(struct ktap_test *t)
{
	char small[6];
	int n = fmt_snprintf(small, sizeof(small), "%s", "0123456789");

	KT_EXPECT_EQ(t, n, 10);
	KT_EXPECT_STREQ(t, small, "01234");
	KT_EXPECT_EQ(t, fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

static void unknown_conversion_is_visible(struct ktap_test *t)
{
	const char *volatile bad = "a%yb%";

	/* Through a variable, so the compiler's format check does not reject it first. */
	fmt_snprintf(buf, sizeof(buf), bad, 0);
	KT_EXPECT_STREQ(t, buf, "a%yb%");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(integers),
	KTAP_CASE(widths_and_padding),
	KTAP_CASE(hex_and_64bit),
	KTAP_CASE(int64_min),
	KTAP_CASE(strings),
	KTAP_CASE(pointer_and_percent),
	KTAP_CASE(flags_and_short_lengths),
	KTAP_CASE(truncation),
	KTAP_CASE(unknown_conversion_is_visible),
};
KTAP_SUITE(printf_suite, "printf", cases);
