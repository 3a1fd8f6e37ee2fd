// SPDX-License-Identifier: BSD-2-Clause
/*
 * The JSON writer: RFC 8259 output, two-space indentation for containers
 * that are not inline. Nesting deeper than JSON_MAX_DEPTH is a programming
 * error in the caller and is refused loudly rather than written wrong.
 */
#include <stdlib.h>

#include "tools/escape.h"
#include "tools/json.h"

void json_init(struct json_writer *j, FILE *f)
{
	*j = (struct json_writer){ .f = f };
}

static void newline_indent(struct json_writer *j, u32 depth)
{
	fputc('\n', j->f);
	for (u32 i = 0; i < depth; i++)
		fputs("  ", j->f);
}

/* Whatever goes before a value or a key: nothing after a key, else a comma and a break. */
static void before_item(struct json_writer *j)
{
	u32 d = j->depth;

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (d == 0)
		return;
	if (!j->empty[d - 1])
		fputc(',', j->f);
	if (j->inl[d - 1]) {
		if (!j->empty[d - 1])
			fputc(' ', j->f);
	} else {
		newline_indent(j, d);
	}
	j->empty[d - 1] = false;
}

static void open_container(struct json_writer *j, char open, char close, bool inline_)
{
	u32 d = j->depth;

	if (d >= JSON_MAX_DEPTH) {
		fputs("efimap: internal error: JSON nested too deep\n", stderr);
		abort();
	}
	before_item(j);
	fputc(open, j->f);
	j->close[d] = close;
	j->empty[d] = true;
	/* Inside an inline container everything is inline. */
	j->inl[d] = inline_ || (d > 0 && j->inl[d - 1]);
	j->depth = d + 1;
}

void json_object(struct json_writer *j, bool inline_)
{
	open_container(j, '{', '}', inline_);
}

void json_array(struct json_writer *j, bool inline_)
{
	open_container(j, '[', ']', inline_);
}

void json_end(struct json_writer *j)
{
	u32 d = j->depth;

	if (d == 0) {
		fputs("efimap: internal error: JSON container closed twice\n", stderr);
		abort();
	}
	if (!j->inl[d - 1] && !j->empty[d - 1])
		newline_indent(j, d - 1);
	fputc(j->close[d - 1], j->f);
	j->depth = d - 1;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_key(struct json_writer *j, const char *key)
{
	before_item(j);
	json_write_string(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void json_str(struct json_writer *j, const char *s)
{
	before_item(j);
	json_write_string(j->f, s);
}

void json_u64(struct json_writer *j, u64 v)
{
	before_item(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_i64(struct json_writer *j, bool negative, u64 magnitude)
{
	before_item(j);
	fprintf(j->f, "%s%llu", negative && magnitude ? "-" : "", (unsigned long long)magnitude);
}

void json_hex(struct json_writer *j, u64 v)
{
	before_item(j);
	fprintf(j->f, "\"0x%016llx\"", (unsigned long long)v);
}

void json_bool(struct json_writer *j, bool v)
{
	before_item(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json_writer *j)
{
	before_item(j);
	fputs("null", j->f);
}

void json_kv_str(struct json_writer *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json_writer *j, const char *key, u64 v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_hex(struct json_writer *j, const char *key, u64 v)
{
	json_key(j, key);
	json_hex(j, v);
}

void json_kv_bool(struct json_writer *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
