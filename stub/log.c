// SPDX-License-Identifier: BSD-2-Clause
/* Console output for the stub, before ExitBootServices only. */
#include "lib/printf.h"
#include "stub/stub.h"

void stub_log(const char *fmt, ...)
{
	char line[256];
	CHAR16 wide[260]; /* CRs added before LFs can make it longer: it is cut, never overrun */
	va_list ap;
	size_t i, j = 0;

	if (!stub_st->ConOut)
		return; /* headless firmware may have no console at all */
	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (i = 0; line[i] && j + 4 < ARRAY_SIZE(wide); i++) {
		if (line[i] == '\n')
			wide[j++] = L'\r';
		wide[j++] = (CHAR16)(u8)line[i];
	}
	wide[j++] = L'\r';
	wide[j++] = L'\n';
	wide[j] = 0;
	stub_st->ConOut->OutputString(stub_st->ConOut, wide);
}
