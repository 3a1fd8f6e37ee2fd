/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small printf engine shared by every layer: %c %s %d %i %u %x %X %p %%,
 * flags '-', '0', '#', '+' and ' ', a width (or '*'), a precision for %s
 * (or '.*'), and the length modifiers hh, h, l, ll and z. Anything else is
 * printed literally so a bad format is visible rather than silently dropped.
 */
#ifndef EFIMAP_LIB_PRINTF_H
#define EFIMAP_LIB_PRINTF_H

#include "lib/types.h"

typedef void (*fmt_sink)(char c, void *ctx);

/* Format into a sink; returns the number of characters produced. */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when size > 0, returns the full length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
