/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writing text that came from anywhere (file names, parser messages quoting
 * hostile input) into JSON strings and SVG/XML text so that the result is
 * always well formed: valid UTF-8 passes through, everything else is
 * escaped or replaced.
 */
#ifndef EFIMAP_TOOLS_ESCAPE_H
#define EFIMAP_TOOLS_ESCAPE_H

#include <stdio.h>

#include "lib/types.h"

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes available), or 0
 * when the bytes there are not one (RFC 3629 section 4: no overlong forms,
 * no surrogates, nothing above U+10FFFF).
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/*
 * Write s as a JSON string, quotes included (RFC 8259 section 7): quote,
 * backslash and control characters escaped; valid UTF-8 kept; a byte that
 * is not part of valid UTF-8 becomes \u00XX (the byte read as Latin-1), so
 * any input gives valid JSON.
 */
void json_write_string(FILE *f, const char *s);

/*
 * Write s as XML 1.0 character data or attribute value: & < > " ' as
 * entities; characters XML 1.0 does not allow (control characters other
 * than tab, newline and carriage return, U+FFFE, U+FFFF) and invalid UTF-8
 * as '?'.
 */
void xml_write_text(FILE *f, const char *s);

#endif
