// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktap-read: read the KTAP documents in a log as the KTAP specification
 * (version 1, Linux's Documentation/dev-tools/ktap.rst) defines them, count
 * their leaf results, and check those counts against what efimap said.
 *
 *   ktap-read [LOG]          (standard input without LOG, or with "-")
 *
 * Written from the specification, not from efimap's emitter (tests/ktap.c),
 * so that an emitter bug shows up as a disagreement:
 * - A document starts at a version line ("KTAP version N", "TAP version N")
 *   that is not indented; a plan "1..N" may follow it.
 * - Result lines "ok|not ok NUMBER [DESCRIPTION][ # [DIRECTIVE] [DATA]]":
 *   numbers start at 1 and go up by one within their list.
 * - A subtest is a whole list indented deeper than its parent, opened by its
 *   own version line, optionally named by "# Subtest: NAME", and closed by
 *   the parent's result line at the parent's indentation.
 * - Leaves are counted: a result line closing a subtest list is not a leaf
 *   (its leaves are); any other result line is. SKIP is the only directive
 *   that changes the count (skipped, whether ok or not ok); TODO and any
 *   other directive fall back to ok/not ok, as the specification says a
 *   parser must do with directives KTAP does not recognize.
 * - "Bail out!" ends the document.
 * - Diagnostic lines ("# ...") and unknown lines may stand anywhere, at any
 *   indentation, and count for nothing. Timestamped kernel lines
 *   ("[    0.123456] ...") are unknown lines.
 *
 * efimap's counts: the line that ends a document,
 *   "P passed, F failed[, S skipped]"
 * and the kernel's verdict line after it,
 *   "efimap: verdict: passed=P failed=F [skipped=S] ..."
 * (other keys ignored; without skipped= the skipped count is not compared).
 *
 * A document needs its closing line; the verdict is compared when there is
 * one (a host test program prints none).
 *
 * Exit status: 0 every document is well formed and agrees with efimap's
 * counts; 1 a disagreement or malformed KTAP (each named on stdout); 2 usage
 * or read error; 3 nothing to compare: no KTAP document and no verdict, or a
 * document with neither a closing line nor a verdict after it (the run
 * ended inside it, as a crash does). The caller decides what 3 means.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 32

struct counts {
	unsigned long passed, failed, skipped;
};

enum kind {
	L_OTHER,   /* unknown line, blank, or a kernel line */
	L_VERSION, /* KTAP version N / TAP version N */
	L_PLAN,	   /* 1..N */
	L_RESULT,  /* ok N ... / not ok N ... */
	L_SUBTEST, /* # Subtest: NAME */
	L_DIAG,	   /* # ... */
	L_BAIL,	   /* Bail out! ... */
	L_CLOSING, /* P passed, F failed[, S skipped], not indented */
};

struct line {
	enum kind kind;
	unsigned int indent;
	/* L_PLAN: the count; L_RESULT: the number. */
	unsigned long num;
	/* L_RESULT */
	bool ok, skip;
	/* L_RESULT: the description; L_SUBTEST: the name. */
	char name[128];
	/* L_CLOSING */
	struct counts closing;
	bool closing_has_skipped;
};

static char **lines;
static size_t nr_lines, pos;
static unsigned int nr_errors;
static bool bailed;

static void error(size_t at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void error(size_t at, const char *fmt, ...)
{
	va_list ap;

	printf("ktap-read: line %zu: ", at + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	nr_errors++;
}

/* A decimal number at *p (advanced past it); false if none or too large. */
static bool number(const char **p, unsigned long *out)
{
	const char *s = *p;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno)
		return false;
	*p = end;
	return true;
}

/* True if only blanks remain at p. */
static bool blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return !*p;
}

/* Copy [s, e) without surrounding blanks into dst. */
static void copy_trimmed(char *dst, size_t size, const char *s, const char *e)
{
	size_t n;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - s);
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool parse_result(const char *p, struct line *l)
{
	const char *desc, *hash;

	if (!strncmp(p, "ok ", 3)) {
		l->ok = true;
		p += 3;
	} else if (!strncmp(p, "not ok ", 7)) {
		l->ok = false;
		p += 7;
	} else {
		return false;
	}
	if (!number(&p, &l->num) || (*p && *p != ' ' && *p != '\t'))
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	/* TAP's optional dash before the description. */
	if (p[0] == '-' && (p[1] == ' ' || !p[1]))
		p++;
	desc = p;
	hash = strchr(p, '#');
	copy_trimmed(l->name, sizeof(l->name), desc, hash ? hash : desc + strlen(desc));
	l->skip = false;
	if (hash) {
		const char *d = hash + 1;

		while (*d == ' ' || *d == '\t')
			d++;
		l->skip = !strncasecmp(d, "skip", 4) && !isalnum((unsigned char)d[4]);
	}
	return true;
}

/* "P passed, F failed" with an optional ", S skipped", nothing else. */
static bool parse_closing(const char *p, struct line *l)
{
	struct counts c = { 0, 0, 0 };

	if (!number(&p, &c.passed) || strncmp(p, " passed, ", 9))
		return false;
	p += 9;
	if (!number(&p, &c.failed) || strncmp(p, " failed", 7))
		return false;
	p += 7;
	l->closing_has_skipped = false;
	if (!strncmp(p, ", ", 2)) {
		p += 2;
		if (!number(&p, &c.skipped) || strncmp(p, " skipped", 8))
			return false;
		p += 8;
		l->closing_has_skipped = true;
	}
	if (!blank(p))
		return false;
	l->closing = c;
	return true;
}

static bool is_kernel_line(const char *p)
{
	/* "[" blanks digits "." digits "] " */
	if (*p++ != '[')
		return false;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '.' || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return p[0] == ']';
}

static void classify(const char *s, struct line *l)
{
	const char *p = s;
	unsigned long n;

	memset(l, 0, sizeof(*l));
	l->kind = L_OTHER;
	while (*p == ' ')
		p++;
	l->indent = (unsigned int)(p - s);
	if (is_kernel_line(s))
		return;
	if ((!strncmp(p, "KTAP version ", 13) || !strncmp(p, "TAP version ", 12))) {
		const char *v = p + (p[0] == 'K' ? 13 : 12);

		if (number(&v, &n) && blank(v))
			l->kind = L_VERSION;
	} else if (!strncmp(p, "1..", 3)) {
		const char *v = p + 3;

		/* A comment may follow a plan ("1..0 # SKIP why"). */
		if (number(&v, &l->num) && (blank(v) || *v == ' ' || *v == '\t' || *v == '#'))
			l->kind = L_PLAN;
	} else if (!strncmp(p, "# Subtest:", 10)) {
		l->kind = L_SUBTEST;
		copy_trimmed(l->name, sizeof(l->name), p + 10, p + strlen(p));
	} else if (p[0] == '#') {
		l->kind = L_DIAG;
	} else if (!strncmp(p, "Bail out!", 9)) {
		l->kind = L_BAIL;
	} else if (parse_result(p, l)) {
		l->kind = L_RESULT;
	} else if (!l->indent && parse_closing(p, l)) {
		l->kind = L_CLOSING;
	}
}

static void add(struct counts *to, const struct counts *c)
{
	to->passed += c->passed;
	to->failed += c->failed;
	to->skipped += c->skipped;
}

/* A list of tests: what its parent needs to know about it. */
struct list {
	struct counts leaves;
	unsigned long results;
	bool has_name;
	char name[128];
	bool broken; /* results missing or out of order */
};

/*
 * Parse the list whose version line was lines[pos - 1], at `indent`. Stops
 * before the first line that belongs to an enclosing list (or to the next
 * document); leaves pos there.
 */
static void parse_list(unsigned int indent, unsigned int depth, size_t opened, struct list *out)
{
	bool have_plan = false, have_sub = false;
	unsigned long plan = 0;
	size_t plan_at = opened, sub_at = 0;
	struct list sub;
	struct line l;

	memset(out, 0, sizeof(*out));
	if (depth > MAX_DEPTH) {
		error(opened, "subtests nested deeper than %d levels", MAX_DEPTH);
		out->broken = true;
		return;
	}
	for (; pos < nr_lines && !bailed; pos++) {
		classify(lines[pos], &l);
		if (l.kind == L_OTHER || l.kind == L_DIAG)
			continue;
		if (l.kind == L_BAIL) {
			/* Testing stopped, whatever the indentation says. */
			error(pos, "bail out: %s", lines[pos] + l.indent);
			bailed = true;
			out->broken = true;
			break;
		}
		if (l.indent > indent) {
			if (l.kind == L_VERSION) {
				if (have_sub) {
					error(sub_at, "subtest list has no result line of its own");
					out->broken = true;
				}
				sub_at = pos++;
				parse_list(l.indent, depth + 1, sub_at, &sub);
				have_sub = true;
				pos--; /* the loop's pos++ */
			} else if (l.kind == L_RESULT || l.kind == L_PLAN) {
				error(pos,
				      "indented %s outside any subtest (no version line opened "
				      "one)",
				      l.kind == L_RESULT ? "result" : "plan");
				out->broken = true;
			}
			continue;
		}
		if (l.indent < indent && l.kind == L_SUBTEST)
			continue;
		if (l.indent < indent || l.kind == L_VERSION || l.kind == L_CLOSING)
			break;
		switch (l.kind) {
		case L_PLAN:
			if (have_plan)
				error(pos, "a second plan in one list");
			else if (out->results)
				error(pos, "plan 1..%lu after %lu results", l.num, out->results);
			have_plan = true;
			plan = l.num;
			plan_at = pos;
			break;
		case L_SUBTEST:
			out->has_name = true;
			snprintf(out->name, sizeof(out->name), "%s", l.name);
			break;
		case L_RESULT:
			out->results++;
			if (l.num != out->results) {
				error(pos, "test %lu where %lu was expected", l.num, out->results);
				out->broken = true;
			}
			if (have_plan && out->results > plan)
				error(pos, "result %lu beyond the plan 1..%lu", out->results, plan);
			if (!have_sub || !sub.results) {
				/* A leaf (or a subtest list that ran nothing: its own result). */
				if (l.skip)
					out->leaves.skipped++;
				else if (l.ok)
					out->leaves.passed++;
				else
					out->leaves.failed++;
				have_sub = false;
				break;
			}
			have_sub = false;
			add(&out->leaves, &sub.leaves);
			if (sub.has_name && strcmp(sub.name, l.name))
				error(pos, "subtest '%s' closed by the result line of '%s'",
				      sub.name, l.name);
			if (l.skip || sub.broken)
				break;
			if (l.ok && sub.leaves.failed)
				error(pos, "'ok %lu %s' but %lu of its subtests failed", l.num,
				      l.name, sub.leaves.failed);
			if (!l.ok && !sub.leaves.failed)
				error(pos,
				      "'not ok %lu %s' but none of its subtests failed: the "
				      "failure counts nowhere",
				      l.num, l.name);
			break;
		default:
			break;
		}
	}
	if (have_sub) {
		error(sub_at, "subtest list has no result line of its own");
		out->broken = true;
	}
	if (have_plan && out->results < plan && !bailed) {
		error(plan_at, "plan 1..%lu but %lu results", plan, out->results);
		out->broken = true;
	}
}

/* passed=, failed= and skipped= of a verdict line; other keys are ignored. */
static void parse_verdict(const char *v, struct counts *c, bool *has_skipped)
{
	const char *p = strstr(v, "efimap: verdict:") + strlen("efimap: verdict:");

	memset(c, 0, sizeof(*c));
	*has_skipped = false;
	while (*p) {
		const char *word = p, *eq;
		unsigned long n;

		while (*p && *p != ' ')
			p++;
		eq = memchr(word, '=', (size_t)(p - word));
		if (eq) {
			const char *val = eq + 1, *end = val;
			size_t klen = (size_t)(eq - word);

			if (number(&end, &n) && end == p) {
				if (klen == 6 && !strncmp(word, "passed", 6))
					c->passed = n;
				else if (klen == 6 && !strncmp(word, "failed", 6))
					c->failed = n;
				else if (klen == 7 && !strncmp(word, "skipped", 7)) {
					c->skipped = n;
					*has_skipped = true;
				}
			}
		}
		while (*p == ' ')
			p++;
	}
}

static void say(const char *what, const struct counts *c, bool with_skipped, char *buf, size_t size)
{
	if (with_skipped)
		snprintf(buf, size, "%s %lu passed, %lu failed, %lu skipped", what, c->passed,
			 c->failed, c->skipped);
	else
		snprintf(buf, size, "%s %lu passed, %lu failed", what, c->passed, c->failed);
}

static bool agree(const struct counts *a, const struct counts *b, bool with_skipped)
{
	return a->passed == b->passed && a->failed == b->failed &&
	       (!with_skipped || a->skipped == b->skipped);
}

static bool is_doc_start(size_t i)
{
	struct line l;

	classify(lines[i], &l);
	return l.kind == L_VERSION && !l.indent;
}

static int read_lines(FILE *f)
{
	char *buf = NULL;
	size_t cap = 0, room = 0;
	ssize_t n;

	while ((n = getline(&buf, &cap, f)) >= 0) {
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (nr_lines == room) {
			char **more;

			room = room ? room * 2 : 1024;
			more = realloc(lines, room * sizeof(*lines));
			if (!more)
				return -1;
			lines = more;
		}
		lines[nr_lines] = strdup(buf);
		if (!lines[nr_lines++])
			return -1;
	}
	free(buf);
	return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	FILE *f = stdin;
	unsigned int docs = 0, incomplete = 0;
	const char *verdict;
	size_t i;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
		fprintf(stderr, "usage: ktap-read [LOG]\n");
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "-")) {
		f = fopen(argv[1], "r");
		if (!f) {
			fprintf(stderr, "ktap-read: %s: %s\n", argv[1], strerror(errno));
			return 2;
		}
	}
	if (read_lines(f)) {
		fprintf(stderr, "ktap-read: cannot read %s\n", argc == 2 ? argv[1] : "stdin");
		return 2;
	}

	for (pos = 0; pos < nr_lines;) {
		size_t start, end;
		struct list top;
		struct line l;
		bool has_closing = false, has_verdict = false, v_skipped = false;
		struct counts closing = { 0, 0, 0 }, v = { 0, 0, 0 };
		unsigned int errors_before = nr_errors;
		char a[96], b[96];

		if (!is_doc_start(pos)) {
			pos++;
			continue;
		}
		start = pos++;
		docs++;
		bailed = false;
		parse_list(0, 0, start, &top);
		/* Its closing line and verdict: the first of each before the next document. */
		for (end = start + 1; end < nr_lines && !is_doc_start(end); end++) {
			classify(lines[end], &l);
			if (l.kind == L_CLOSING && !has_closing) {
				has_closing = true;
				closing = l.closing;
			}
			verdict = strstr(lines[end], "efimap: verdict:");
			if (verdict && !has_verdict) {
				parse_verdict(verdict, &v, &v_skipped);
				has_verdict = true;
			}
		}
		if (!has_closing && !has_verdict && !bailed) {
			printf("ktap-read: line %zu: KTAP document with neither a closing line nor "
			       "a verdict after it: nothing to compare (the run ended inside "
			       "it?)\n",
			       start + 1);
			incomplete++;
			nr_errors = errors_before;
			pos = end;
			continue;
		}
		say("KTAP results", &top.leaves, true, a, sizeof(a));
		if (!has_closing) {
			error(start,
			      "no closing line 'N passed, N failed' after the KTAP document");
		} else if (!agree(&top.leaves, &closing, true)) {
			say("the closing line says", &closing, true, b, sizeof(b));
			error(start, "%s but %s", a, b);
		}
		/* A log of host tests has no verdict; the closing line is enough there. */
		if (has_verdict && !agree(&top.leaves, &v, v_skipped)) {
			say("the verdict says", &v, v_skipped, b, sizeof(b));
			error(start, "%s but %s", a, b);
		}
		if (nr_errors == errors_before)
			printf("ktap-read: line %zu: %s; %s\n", start + 1, a,
			       has_verdict ? "the closing line and the verdict agree"
					   : "the closing line agrees (no verdict)");
		pos = end;
	}
	if (!docs) {
		for (i = 0; i < nr_lines; i++)
			if (strstr(lines[i], "efimap: verdict:")) {
				error(i, "a verdict but no KTAP document before it");
				return 1;
			}
		printf("ktap-read: no KTAP document and no verdict: nothing to compare\n");
		return 3;
	}
	if (nr_errors)
		return 1;
	return incomplete ? 3 : 0;
}
