// SPDX-License-Identifier: BSD-2-Clause
/*
 * The printf engine behind printk, the map formatter and the KTAP harness.
 * Every conversion the compiler's format check accepts for integers and
 * strings is handled, so an argument is never left unconsumed (which would
 * shift every later one).
 */
#include "lib/printf.h"

struct spec {
	bool left; /* '-' */
	bool zero; /* '0' */
	bool alt;  /* '#': 0x prefix for hex */
	char sign; /* '+' or ' ' for non-negative signed values, else 0 */
	int width;
	int precision; /* -1: none */
	int length;    /* -2 hh, -1 h, 0 int, 1 l, 2 ll (z counts as l) */
};

/* Print prefix (sign, 0x) then body, padded to the width; zeros go between the two. */
static int emit_padded(fmt_sink sink, void *ctx, const char *prefix, int plen, const char *body,
		       int blen, const struct spec *sp)
{
	int pad = sp->width > plen + blen ? sp->width - plen - blen : 0;
	bool zeros = sp->zero && !sp->left;
	int n = 0;

	for (; !sp->left && !zeros && pad; pad--, n++)
		sink(' ', ctx);
	for (int i = 0; i < plen; i++, n++)
		sink(prefix[i], ctx);
	for (; zeros && pad; pad--, n++)
		sink('0', ctx);
	for (int i = 0; i < blen; i++, n++)
		sink(body[i], ctx);
	for (; sp->left && pad; pad--, n++)
		sink(' ', ctx);
	return n;
}

static int emit_number(fmt_sink sink, void *ctx, u64 v, bool negative, unsigned int base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char body[24], prefix[3];
	int i = (int)sizeof(body), plen = 0;

	if (negative)
		prefix[plen++] = '-';
	else if (sp->sign && base == 10)
		prefix[plen++] = sp->sign;
	if (sp->alt && base == 16 && v) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	}
	do {
		body[--i] = digits[v % base];
		v /= base;
	} while (v);
	return emit_padded(sink, ctx, prefix, plen, body + i, (int)sizeof(body) - i, sp);
}

static s64 arg_signed(va_list *ap, int length)
{
	switch (length) {
	case -2:
		return (signed char)va_arg(*ap, int);
	case -1:
		return (short)va_arg(*ap, int);
	case 0:
		return va_arg(*ap, int);
	default:
		return va_arg(*ap, s64);
	}
}

static u64 arg_unsigned(va_list *ap, int length)
{
	switch (length) {
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case 0:
		return va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, u64);
	}
}

/* Parse flags, width, precision and length at *fmt (just past '%'). */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	for (;; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else if (*fmt == '0')
			sp->zero = true;
		else if (*fmt == '#')
			sp->alt = true;
		else if (*fmt == '+')
			sp->sign = '+';
		else if (*fmt == ' ' && sp->sign != '+')
			sp->sign = ' ';
		else
			break;
	}
	if (*fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		fmt++;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp->width = sp->width * 10 + (*fmt - '0');
	if (*fmt == '.') {
		sp->precision = 0;
		if (fmt[1] == '*') {
			sp->precision = va_arg(*ap, int);
			fmt++;
		}
		for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp->precision = sp->precision * 10 + (*fmt - '0');
	}
	for (; *fmt == 'h'; fmt++)
		sp->length = sp->length > -2 ? sp->length - 1 : -2;
	for (; *fmt == 'l' || *fmt == 'z'; fmt++)
		sp->length = sp->length < 2 ? sp->length + 1 : 2;
	return fmt;
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	va_list args;
	int n = 0;

	/* A copy, so helpers can take it by pointer on every ABI. */
	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { .precision = -1 };

		if (*fmt != '%') {
			sink(*fmt++, ctx);
			n++;
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);

		switch (*fmt) {
		case 'c': {
			char c = (char)va_arg(args, int);

			n += emit_padded(sink, ctx, "", 0, &c, 1, &sp);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			int len = 0;

			if (!s)
				s = "(null)";
			while (s[len] && (sp.precision < 0 || len < sp.precision))
				len++;
			n += emit_padded(sink, ctx, "", 0, s, len, &sp);
			break;
		}
		case 'd':
		case 'i': {
			s64 v = arg_signed(&args, sp.length);
			u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

			n += emit_number(sink, ctx, mag, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			n += emit_number(sink, ctx, arg_unsigned(&args, sp.length), false,
					 *fmt == 'u' ? 10 : 16, *fmt == 'X', &sp);
			break;
		case 'p': {
			u64 v = (u64)(uintptr_t)va_arg(args, void *);
			struct spec hex = { .zero = true, .width = 16, .precision = -1 };

			sink('0', ctx);
			sink('x', ctx);
			n += 2 + emit_number(sink, ctx, v, false, 16, false, &hex);
			break;
		}
		case '%':
			sink('%', ctx);
			n++;
			break;
		default:
			/* Unknown or truncated conversion: show it as written. */
			for (; start < fmt + (*fmt ? 1 : 0); start++, n++)
				sink(*start, ctx);
			if (!*fmt) {
				va_end(args);
				return n;
			}
			break;
		}
		fmt++;
	}
	va_end(args);
	return n;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t len;
};

static void buf_put(char c, void *ctx)
{
	struct buf_sink *b = ctx;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { .buf = buf, .size = size };
	int n = fmt_vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
