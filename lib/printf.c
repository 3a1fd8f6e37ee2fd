// SPDX-License-Identifier: BSD-2-Clause
/*
 * The printf engine behind printk, the map formatter and the KTAP harness.
 */
#include "lib/printf.h"

struct spec {
	bool left;
	bool zero;
	int width;
	int precision;
};

static int emit_padded(fmt_sink sink, void *ctx, const char *s, int len, const struct spec *sp)
{
	int pad = sp->width > len ? sp->width - len : 0;
	char fill = sp->zero && !sp->left ? '0' : ' ';
	int n = 0;

	/* Zero padding goes after a sign, as in "-0042". */
	if (fill == '0' && len && *s == '-') {
		sink('-', ctx);
		s++;
		len--;
		n++;
	}
	for (; !sp->left && pad; pad--, n++)
		sink(fill, ctx);
	for (int i = 0; i < len; i++, n++)
		sink(s[i], ctx);
	for (; sp->left && pad; pad--, n++)
		sink(' ', ctx);
	return n;
}

static int emit_number(fmt_sink sink, void *ctx, u64 v, bool negative, unsigned int base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		tmp[--i] = '-';
	return emit_padded(sink, ctx, tmp + i, (int)sizeof(tmp) - i, sp);
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	int n = 0;

	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { .precision = -1 };
		int lng = 0;

		if (*fmt != '%') {
			sink(*fmt++, ctx);
			n++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp.width = sp.width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			sp.precision = 0;
			if (fmt[1] == '*') {
				sp.precision = va_arg(ap, int);
				fmt++;
			}
			for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
				sp.precision = sp.precision * 10 + (*fmt - '0');
		}
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;

		switch (*fmt) {
		case 'c': {
			char c = (char)va_arg(ap, int);

			n += emit_padded(sink, ctx, &c, 1, &sp);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;

			if (!s)
				s = "(null)";
			while (s[len] && (sp.precision < 0 || len < sp.precision))
				len++;
			n += emit_padded(sink, ctx, s, len, &sp);
			break;
		}
		case 'd':
		case 'i': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);
			u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

			n += emit_number(sink, ctx, mag, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			unsigned int base = *fmt == 'u' ? 10 : 16;

			n += emit_number(sink, ctx, v, false, base, *fmt == 'X', &sp);
			break;
		}
		case 'p': {
			u64 v = (u64)(uintptr_t)va_arg(ap, void *);
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
			if (!*fmt)
				return n;
			break;
		}
		fmt++;
	}
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
