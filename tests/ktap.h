/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One small KTAP harness for the host test binary and the guest self-tests.
 * Output (KTAP version 1, as KUnit prints it):
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: memmap
 *       1..3
 *       ok 1 stride_40
 *       not ok 2 stride_48
 *       # memmap_test.c:42: expected a == b (0x28 != 0x30)
 *       ok 3 names # SKIP no map
 *   not ok 1 memmap
 *   ...
 *   5 passed, 1 failed, 1 skipped
 *
 * Where lines go is the caller's choice (stdout on the host, COM1 in the guest).
 */
#ifndef EFIMAP_TESTS_KTAP_H
#define EFIMAP_TESTS_KTAP_H

#include "lib/types.h"

struct ktap_test {
	u32 failures;
	bool skipped;
	char skip_reason[96];
};

struct ktap_case {
	const char *name;
	void (*run)(struct ktap_test *t);
};

struct ktap_suite {
	const char *name;
	const struct ktap_case *cases;
	u32 nr_cases;
	/* Only run when asked for by name (e.g. the deliberately failing suite). */
	bool explicit_only;
};

/* clang-format off */
#define KTAP_CASE(fn) { #fn, fn }
/* clang-format on */
#define KTAP_SUITE(sym, suite_name, case_array)              \
	const struct ktap_suite sym = { .name = suite_name,  \
					.cases = case_array, \
					.nr_cases = ARRAY_SIZE(case_array) }

struct ktap_totals {
	u32 passed;
	u32 failed;
	u32 skipped;
};

/* Where finished lines go; each call gets one line without its newline. */
void ktap_set_output(void (*put_line)(const char *line));

void ktap_begin(u32 nr_suites);
/* Run one suite as subtest number index (1-based); returns true if no case failed. */
bool ktap_run_suite(u32 index, const struct ktap_suite *s, struct ktap_totals *tot);
/* Print the closing "N passed, N failed[, N skipped]" line. */
void ktap_end(const struct ktap_totals *tot);

bool ktap_check(struct ktap_test *t, bool ok, const char *file, int line, const char *fmt, ...)
	__printf(5, 6);
void ktap_skip(struct ktap_test *t, const char *reason);

#define KT_EXPECT(t, cond) ktap_check((t), !!(cond), __FILE__, __LINE__, "expected %s", #cond)
#define KT_EXPECT_EQ(t, a, b)                                                                      \
	({                                                                                         \
		u64 _a = (u64)(a), _b = (u64)(b);                                                  \
		ktap_check((t), _a == _b, __FILE__, __LINE__,                                      \
			   "expected %s == %s (0x%llx != 0x%llx)", #a, #b, (unsigned long long)_a, \
			   (unsigned long long)_b);                                                \
	})
#define KT_EXPECT_STREQ(t, a, b)                                                    \
	({                                                                          \
		const char *_a = (a), *_b = (b);                                    \
		ktap_check((t), !strcmp(_a, _b), __FILE__, __LINE__,                \
			   "expected %s == %s (\"%s\" != \"%s\")", #a, #b, _a, _b); \
	})
/* Stop the case at the first failed assertion. */
#define KT_ASSERT(t, cond)               \
	do {                             \
		if (!KT_EXPECT(t, cond)) \
			return;          \
	} while (0)

#endif
