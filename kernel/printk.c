// SPDX-License-Identifier: BSD-2-Clause
/*
 * Kernel log lines: "[sss.uuuuuu] text", time since efi_main() began, from
 * the TSC calibrated by the stub. Output goes to every console (today the
 * serial port).
 */
#include "kernel/fbcon.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "kernel/arch.h"
#include "lib/printf.h"
#include "lib/string.h"

static u64 tsc_hz, tsc_base;

void time_init(u64 hz, u64 base)
{
	tsc_hz = hz;
	tsc_base = base;
}

u64 time_us(void)
{
	u64 d = arch_counter() - tsc_base;

	if (!tsc_hz)
		return 0;
	/* Split to avoid overflowing d * 1e6 after a few hours at GHz rates. */
	return d / tsc_hz * 1000000 + d % tsc_hz * 1000000 / tsc_hz;
}

void console_line(const char *line)
{
	serial_write(line, strlen(line));
	serial_write("\n", 1);
	fbcon_write_line(line);
}

static void vprintk(bool to_report, const char *fmt, va_list ap)
{
	char line[320];
	u64 us = time_us();
	int n;

	n = fmt_snprintf(line, sizeof(line), "[%5llu.%06llu] ", (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000));
	fmt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	console_line(line);
	/* Summary lines also go into the run report (without the timestamp). */
	if (to_report && report_wants_line(line + n))
		report_add_line(&kreport, line + n);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(true, fmt, ap);
	va_end(ap);
}

void printk_console(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(false, fmt, ap);
	va_end(ap);
}
