/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny streaming JSON writer for the --json reports. Objects and arrays
 * nest; a container opened "inline" prints on one line (and so does all it
 * contains), which keeps one map entry or one finding per line. 64-bit
 * addresses and attributes are written as "0x..." strings because JSON
 * readers such as jq hold numbers as doubles (exact only below 2^53).
 */
#ifndef EFIMAP_TOOLS_JSON_H
#define EFIMAP_TOOLS_JSON_H

#include <stdio.h>

#include "lib/types.h"

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *f;
	u32 depth;
	bool after_key;
	char close[JSON_MAX_DEPTH]; /* '}' or ']' for each open container */
	bool empty[JSON_MAX_DEPTH]; /* nothing written in it yet */
	bool inl[JSON_MAX_DEPTH];   /* prints on one line */
};

void json_init(struct json_writer *j, FILE *f);

/* Open an object or array (as a value: after json_key() inside an object). */
void json_object(struct json_writer *j, bool inline_);
void json_array(struct json_writer *j, bool inline_);
/* Close the innermost container; closing the outermost ends the line. */
void json_end(struct json_writer *j);

/* The key of the next member of the current object. */
void json_key(struct json_writer *j, const char *key);

void json_str(struct json_writer *j, const char *s); /* escaped, see escape.h */
void json_u64(struct json_writer *j, u64 v);
void json_hex(struct json_writer *j, u64 v); /* "0x%016llx" */
/* A signed number as sign and magnitude (a difference of two u64). */
void json_i64(struct json_writer *j, bool negative, u64 magnitude);
void json_bool(struct json_writer *j, bool v);
void json_null(struct json_writer *j);

/* key + value in one call. */
void json_kv_str(struct json_writer *j, const char *key, const char *s);
void json_kv_u64(struct json_writer *j, const char *key, u64 v);
void json_kv_hex(struct json_writer *j, const char *key, u64 v);
void json_kv_bool(struct json_writer *j, const char *key, bool v);

#endif
