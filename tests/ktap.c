// SPDX-License-Identifier: BSD-2-Clause
/*
 * The KTAP harness. It has no idea whether it runs on a host or in the
 * guest: lines go to whatever ktap_set_output() was given.
 */
#include "tests/ktap.h"
#include "lib/printf.h"
#include "lib/string.h"

static void (*out_line)(const char *line);
static const char *indent = "";

void ktap_set_output(void (*put_line)(const char *line))
{
	out_line = put_line;
}

static void emit(const char *fmt, ...) __printf(1, 2);

static void emit(const char *fmt, ...)
{
	char line[256];
	int n;
	va_list ap;

	n = fmt_snprintf(line, sizeof(line), "%s", indent);
	va_start(ap, fmt);
	fmt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (out_line)
		out_line(line);
}

void ktap_begin(u32 nr_suites)
{
	indent = "";
	emit("KTAP version 1");
	emit("1..%u", nr_suites);
}

static const char *basename(const char *path)
{
	const char *b = path;

	for (; *path; path++)
		if (*path == '/')
			b = path + 1;
	return b;
}

bool ktap_check(struct ktap_test *t, bool ok, const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (ok)
		return true;
	t->failures++;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit("# %s:%d: %s", basename(file), line, msg);
	return false;
}

void ktap_skip(struct ktap_test *t, const char *reason)
{
	t->skipped = true;
	fmt_snprintf(t->skip_reason, sizeof(t->skip_reason), "%s", reason);
}

bool ktap_run_suite(u32 index, const struct ktap_suite *s, struct ktap_totals *tot)
{
	u32 failed = 0;

	indent = "    ";
	emit("KTAP version 1");
	emit("# Subtest: %s", s->name);
	emit("1..%u", s->nr_cases);
	for (u32 i = 0; i < s->nr_cases; i++) {
		struct ktap_test t;

		memset(&t, 0, sizeof(t));
		s->cases[i].run(&t);
		if (t.failures) {
			emit("not ok %u %s", i + 1, s->cases[i].name);
			tot->failed++;
			failed++;
		} else if (t.skipped) {
			emit("ok %u %s # SKIP %s", i + 1, s->cases[i].name, t.skip_reason);
			tot->skipped++;
		} else {
			emit("ok %u %s", i + 1, s->cases[i].name);
			tot->passed++;
		}
	}
	indent = "";
	emit("%s %u %s", failed ? "not ok" : "ok", index, s->name);
	return !failed;
}

void ktap_end(const struct ktap_totals *tot)
{
	indent = "";
	if (tot->skipped)
		emit("%u passed, %u failed, %u skipped", tot->passed, tot->failed, tot->skipped);
	else
		emit("%u passed, %u failed", tot->passed, tot->failed);
}
