// SPDX-License-Identifier: BSD-2-Clause
/*
 * The efimap.* option parser, shared by the stub and the kernel.
 */
#include "kernel/options.h"
#include "lib/printf.h"
#include "lib/string.h"

#define PREFIX "efimap."

struct word {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool word_eq(struct word w, const char *s)
{
	return w.len == strlen(s) && !strncmp(w.p, s, w.len);
}

static void problem(opt_report report, void *ctx, int *n, const char *fmt, ...) __printf(4, 5);

static void problem(opt_report report, void *ctx, int *n, const char *fmt, ...)
{
	char line[OPT_REPORT_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	(*n)++;
	if (report)
		report(ctx, line);
}

static const char *const exit_names[] = {
	[EXIT_AUTO] = "auto",	  [EXIT_QEMU] = "qemu", [EXIT_SHUTDOWN] = "shutdown",
	[EXIT_REBOOT] = "reboot", [EXIT_HALT] = "halt",
};

const char *exit_mode_name(enum exit_mode m)
{
	return (unsigned int)m < ARRAY_SIZE(exit_names) ? exit_names[m] : "?";
}

static const struct {
	const char *name;
	u32 bit;
} inject_names[] = {
	{ "pagefault", INJECT_PAGEFAULT },
	{ "hang", INJECT_HANG },
	{ "triple-fault", INJECT_TRIPLE_FAULT },
	{ "ebs-retry", INJECT_EBS_RETRY },
	{ "stack-overflow", INJECT_STACK_OVERFLOW },
	{ "bad-handoff", INJECT_BAD_HANDOFF },
	{ "varstore-full", INJECT_VARSTORE_FULL },
	{ "no-runtime", INJECT_NO_RUNTIME },
	{ "rt-fault", INJECT_RT_FAULT },
	{ "stray-bit", INJECT_STRAY_BIT },
	{ "svam-fault", INJECT_SVAM_FAULT },
	{ "kexec-scribble", INJECT_KEXEC_SCRIBBLE },
};

/* Split a value at commas and call fn for each non-empty item. */
static void for_each_item(struct word val, void (*fn)(struct word item, void *arg), void *arg)
{
	size_t i = 0;

	while (i < val.len) {
		struct word item = { val.p + i, 0 };

		while (i + item.len < val.len && val.p[i + item.len] != ',')
			item.len++;
		if (item.len)
			fn(item, arg);
		i += item.len + 1;
	}
}

struct item_ctx {
	struct options *o;
	opt_report report;
	void *rctx;
	int *problems;
	u32 inject;
};

static void add_suite(struct word item, void *arg)
{
	struct item_ctx *c = arg;
	struct options *o = c->o;

	if (word_eq(item, "none")) {
		o->selftest_none = true;
		return;
	}
	if (word_eq(item, "all"))
		return;
	if (item.len >= OPT_NAME_LEN) {
		problem(c->report, c->rctx, c->problems,
			"efimap.selftest: suite name '%.*s' too long", (int)item.len, item.p);
		return;
	}
	if (o->nr_suites == OPT_MAX_SUITES) {
		problem(c->report, c->rctx, c->problems,
			"efimap.selftest: more than %d suites, '%.*s' ignored", OPT_MAX_SUITES,
			(int)item.len, item.p);
		return;
	}
	memcpy(o->suites[o->nr_suites], item.p, item.len);
	o->suites[o->nr_suites][item.len] = '\0';
	o->nr_suites++;
}

static void add_inject(struct word item, void *arg)
{
	struct item_ctx *c = arg;

	for (size_t i = 0; i < ARRAY_SIZE(inject_names); i++) {
		if (word_eq(item, inject_names[i].name)) {
			c->inject |= inject_names[i].bit;
			return;
		}
	}
	/* The list of valid names comes from the table, so it cannot go stale. */
	char expected[192];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(inject_names) && n < sizeof(expected); i++)
		n += (size_t)fmt_snprintf(expected + n, sizeof(expected) - n, "%s%s", i ? "|" : "",
					  inject_names[i].name);
	problem(c->report, c->rctx, c->problems,
		"efimap.inject: unknown fault '%.*s' (expected %s)", (int)item.len, item.p,
		expected);
}

/*
 * One number of efimap.va=: decimal or 0x hex, an optional K/M/G/T suffix
 * (binary), a leading '-' counting down from 2^64 (as `efimap plan
 * --window`). False on anything else or an overflow.
 */
static bool parse_number(struct word w, u64 *out)
{
	static const char suffixes[] = "KMGT";
	bool negative = w.len && w.p[0] == '-';
	size_t i = negative ? 1 : 0, ndigits = 0;
	unsigned int radix = 10, shift = 0;
	u64 v = 0;

	if (i + 1 < w.len && w.p[i] == '0' && (w.p[i + 1] == 'x' || w.p[i + 1] == 'X')) {
		radix = 16;
		i += 2;
	}
	for (; i < w.len; i++, ndigits++) {
		char c = w.p[i];
		unsigned int d =
			c >= '0' && c <= '9'		      ? (unsigned int)(c - '0')
			: radix == 16 && c >= 'a' && c <= 'f' ? (unsigned int)(c - 'a' + 10)
			: radix == 16 && c >= 'A' && c <= 'F' ? (unsigned int)(c - 'A' + 10)
							      : 99;

		if (d >= radix)
			break;
		if (v > (~0ULL - d) / radix)
			return false;
		v = v * radix + d;
	}
	if (!ndigits)
		return false;
	if (i < w.len) {
		for (shift = 0; shift < 4 && suffixes[shift] != w.p[i]; shift++)
			;
		if (shift == 4 || i + 1 != w.len)
			return false;
		shift = 10 * (shift + 1);
		if (v > (~0ULL >> shift))
			return false;
		v <<= shift;
	}
	if (negative) {
		if (!v)
			return false;
		v = 0 - v;
	}
	*out = v;
	return true;
}

/*
 * efimap.va=default|BASE:SIZE. The window must be 2 MiB aligned (the layout
 * keeps VA = PA modulo 2 MiB), not wrap, and lie in one canonical half of a
 * 48-bit (4-level) address space; whether it clashes with physical memory
 * is the stub's check, which has the map.
 */
static void parse_va(struct options *o, struct word val, struct item_ctx *c)
{
	struct word b = val, sz = { NULL, 0 };
	u64 base = 0, size = 0;
	const char *why = NULL;

	if (word_eq(val, "default")) {
		o->va_base = o->va_size = 0;
		return;
	}
	for (b.len = 0; b.len < val.len && val.p[b.len] != ':'; b.len++)
		;
	if (b.len < val.len)
		sz = (struct word){ val.p + b.len + 1, val.len - b.len - 1 };
	if (!sz.p || !parse_number(b, &base) || !parse_number(sz, &size))
		why = "expected default or BASE:SIZE, e.g. -256G:64G";
	else if (!size || size % SZ_2M || base % SZ_2M)
		why = "BASE and SIZE must be non-zero multiples of 2 MiB";
	else if (size - 1 > ~0ULL - base)
		why = "the window wraps past 2^64";
	else if (base + (size - 1) >= (1ULL << 47) && base < 0xffff800000000000ULL)
		why = "the window must lie in one canonical half of a 48-bit address space";
	if (why) {
		problem(c->report, c->rctx, c->problems, "efimap.va: bad value '%.*s' (%s)",
			(int)val.len, val.p, why);
		return;
	}
	o->va_base = base;
	o->va_size = size;
}

/*
 * efimap.unaccepted=none|sim:above=SIZE|sim:SIZE@ADDR. Page-aligned values
 * only: the simulation treats whole pages of the map as unaccepted.
 */
static void parse_unaccepted(struct options *o, struct word val, struct item_ctx *c)
{
	static const char above[] = "sim:above=";
	struct word a, b;
	u64 base = 0, size = 0;
	const char *why = NULL;

	if (word_eq(val, "none")) {
		o->accept_sim = false;
		o->accept_sim_base = o->accept_sim_size = 0;
		return;
	}
	if (val.len > strlen(above) && !strncmp(val.p, above, strlen(above))) {
		a = (struct word){ val.p + strlen(above), val.len - strlen(above) };
		if (!parse_number(a, &base))
			why = "SIZE is not a number";
	} else if (val.len > 4 && !strncmp(val.p, "sim:", 4)) {
		a = (struct word){ val.p + 4, 0 };
		while (a.len < val.len - 4 && a.p[a.len] != '@')
			a.len++;
		b = (struct word){ a.p + a.len + 1, val.len - 4 - a.len - 1 };
		if (a.len == val.len - 4 || !parse_number(a, &size) || !parse_number(b, &base))
			why = "expected sim:SIZE@ADDR";
		else if (!size)
			why = "SIZE is 0";
		else if (size - 1 > ~0ULL - base)
			why = "the range wraps past 2^64";
	} else {
		why = "expected none, sim:above=SIZE or sim:SIZE@ADDR";
	}
	if (!why && (base % PAGE_SIZE || size % PAGE_SIZE))
		why = "SIZE and ADDR must be multiples of 4 KiB";
	if (why) {
		problem(c->report, c->rctx, c->problems, "efimap.unaccepted: bad value '%.*s' (%s)",
			(int)val.len, val.p, why);
		return;
	}
	o->accept_sim = true;
	o->accept_sim_base = base;
	o->accept_sim_size = size;
}

/* efimap.KEY=first|second: *second_chosen says which; anything else is a problem, the setting kept.
 */
static void parse_choice(struct word key, struct word val, bool has_val, const char *first,
			 const char *second, bool *second_chosen, struct item_ctx *c)
{
	if (!has_val || !val.len)
		problem(c->report, c->rctx, c->problems, "efimap.%.*s needs a value (%s|%s)",
			(int)key.len, key.p, first, second);
	else if (word_eq(val, first) || word_eq(val, second))
		*second_chosen = word_eq(val, second);
	else
		problem(c->report, c->rctx, c->problems,
			"efimap.%.*s: unknown value '%.*s' (expected %s|%s)", (int)key.len, key.p,
			(int)val.len, val.p, first, second);
}

/* efimap.kexec=N: how many fresh instances follow the first, 0 to OPT_KEXEC_MAX. */
static void parse_kexec(struct options *o, struct word key, struct word val, bool has_val,
			struct item_ctx *c)
{
	u64 n = 0;
	size_t i;

	for (i = 0; has_val && i < val.len && val.p[i] >= '0' && val.p[i] <= '9' && n <= 999; i++)
		n = n * 10 + (u64)(val.p[i] - '0');
	if (!has_val || !val.len || i != val.len || n > OPT_KEXEC_MAX) {
		problem(c->report, c->rctx, c->problems,
			"efimap.%.*s: bad value '%.*s' (expected a number of re-entries, 0 to %u)",
			(int)key.len, key.p, (int)val.len, val.p ? val.p : "", OPT_KEXEC_MAX);
		return;
	}
	o->kexec = (u32)n;
}

static void parse_word(struct options *o, struct word w, struct item_ctx *c)
{
	struct word key = { w.p + strlen(PREFIX), 0 }, val = { NULL, 0 };
	size_t rest = w.len - strlen(PREFIX);
	bool has_val;

	while (key.len < rest && key.p[key.len] != '=')
		key.len++;
	has_val = key.len < rest;
	if (has_val)
		val = (struct word){ key.p + key.len + 1, rest - key.len - 1 };

	if (word_eq(key, "exit")) {
		if (!has_val) {
			problem(c->report, c->rctx, c->problems,
				"efimap.exit needs a value (qemu|shutdown|reboot|halt)");
			return;
		}
		for (size_t m = EXIT_QEMU; m < ARRAY_SIZE(exit_names); m++) {
			if (word_eq(val, exit_names[m])) {
				o->exit = (enum exit_mode)m;
				return;
			}
		}
		problem(c->report, c->rctx, c->problems,
			"efimap.exit: unknown value '%.*s' (expected qemu|shutdown|reboot|halt)",
			(int)val.len, val.p);
	} else if (word_eq(key, "selftest")) {
		if (!has_val || !val.len) {
			problem(c->report, c->rctx, c->problems,
				"efimap.selftest needs a value (all|none|<suite>,...)");
			return;
		}
		o->selftest_none = false;
		o->nr_suites = 0;
		for_each_item(val, add_suite, c);
	} else if (word_eq(key, "fbcon")) {
		parse_choice(key, val, has_val, "on", "off", &o->fbcon_off, c);
	} else if (word_eq(key, "capture")) {
		parse_choice(key, val, has_val, "on", "off", &o->capture_off, c);
	} else if (word_eq(key, "mat")) {
		parse_choice(key, val, has_val, "use", "ignore", &o->mat_ignore, c);
	} else if (word_eq(key, "wx")) {
		parse_choice(key, val, has_val, "linux", "strict", &o->wx_strict, c);
	} else if (word_eq(key, "qemu")) {
		parse_choice(key, val, has_val, "none", "semihosting", &o->qemu_semihosting, c);
	} else if (word_eq(key, "va")) {
		if (!has_val || !val.len)
			problem(c->report, c->rctx, c->problems,
				"efimap.va needs a value (default|BASE:SIZE)");
		else
			parse_va(o, val, c);
	} else if (word_eq(key, "unaccepted")) {
		if (!has_val || !val.len)
			problem(c->report, c->rctx, c->problems,
				"efimap.unaccepted needs a value "
				"(none|sim:above=SIZE|sim:SIZE@ADDR)");
		else
			parse_unaccepted(o, val, c);
	} else if (word_eq(key, "accept")) {
		parse_choice(key, val, has_val, "lazy", "eager", &o->accept_eager, c);
	} else if (word_eq(key, "kexec")) {
		parse_kexec(o, key, val, has_val, c);
	} else if (word_eq(key, "inject")) {
		c->inject = 0;
		for_each_item(val, add_inject, c);
		o->inject = c->inject;
	} else {
		problem(c->report, c->rctx, c->problems, "unknown option '%.*s'", (int)w.len, w.p);
	}
}

int options_parse(struct options *o, const char *cmdline, opt_report report, void *ctx)
{
	int problems = 0;
	struct item_ctx c = { .o = o, .report = report, .rctx = ctx, .problems = &problems };
	const char *p = cmdline ? cmdline : "";

	memset(o, 0, sizeof(*o));
	while (*p) {
		struct word w = { p, 0 };

		if (is_blank(*p)) {
			p++;
			continue;
		}
		while (w.p[w.len] && !is_blank(w.p[w.len]))
			w.len++;
		p += w.len;
		if (w.len > strlen(PREFIX) && !strncmp(w.p, PREFIX, strlen(PREFIX)))
			parse_word(o, w, &c);
		else if (w.len == strlen(PREFIX) && !strncmp(w.p, PREFIX, w.len))
			problem(report, ctx, &problems, "option '%s' has no key", PREFIX);
		else if (!o->foreign_words++)
			fmt_snprintf(o->first_foreign, sizeof(o->first_foreign), "%.*s", (int)w.len,
				     w.p);
	}
	return problems;
}
