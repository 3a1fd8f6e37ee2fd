// SPDX-License-Identifier: BSD-2-Clause
/*
 * JSON and XML escaping of untrusted text. Both share one UTF-8 validator
 * so that what one accepts the other accepts too.
 */
#include "tools/escape.h"

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * RFC 3629 section 4 grammar: the second byte's range depends on the lead
 * byte (E0: A0-BF, ED: 80-9F, F0: 90-BF, F4: 80-8F), which is what rules
 * out overlong forms, surrogates and code points above U+10FFFF.
 */
size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c, lo = 0x80, hi = 0xbf;
	size_t len;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (!is_cont(s[i]))
			return 0;
	return len;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0, len;

	while (s[n])
		n++;
	fputc('"', f);
	while (n) {
		unsigned char c = *s;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
				break;
			}
			len = utf8_seq_len(s, n);
			if (len == 0) {
				/* Not UTF-8: keep the byte visible as its Latin-1 code point. */
				fprintf(f, "\\u%04x", c);
				break;
			}
			fwrite(s, 1, len, f);
			s += len;
			n -= len;
			continue;
		}
		s++;
		n--;
	}
	fputc('"', f);
}

void xml_write_text(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0, len;

	while (s[n])
		n++;
	while (n) {
		unsigned char c = *s;

		len = 1;
		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			fputc('?',
			      f); /* XML 1.0 section 2.2: not a Char, not even as a reference */
		else if (c < 0x80)
			fputc(c, f);
		else if ((len = utf8_seq_len(s, n)) == 0) {
			fputc('?', f);
			len = 1;
		} else if (len == 3 && c == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
			fputc('?', f); /* U+FFFE and U+FFFF are not Chars either */
		else
			fwrite(s, 1, len, f);
		s += len;
		n -= len;
	}
}
