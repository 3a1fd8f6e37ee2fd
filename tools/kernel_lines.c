// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reading the kernel's reclaim lines back (kernel_lines.h). The formats
 * are the kernel's printk() formats in kernel/main.c and
 * kernel/reclaim_boot.c; the reason names are resv_reason_name()'s, so a
 * name this tool does not know is an error, never a guess.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/kernel_lines.h"

#define LINE_MAX_READ 512 /* the kernel's printk() line is 320 bytes */

void kernel_lines_init(struct kernel_lines *kl)
{
	memset(kl, 0, sizeof(*kl));
	kl->trampoline = ~0ULL;
}

void kernel_lines_free(struct kernel_lines *kl)
{
	free(kl->kern);
	kernel_lines_init(kl);
}

static void fail(struct kernel_lines *kl, u32 lineno, const char *why, const char *text)
{
	if (kl->error_line || kl->error[0])
		return;
	kl->error_line = lineno;
	snprintf(kl->error, sizeof(kl->error), "%s: \"%.120s\"", why, text);
}

static bool reason_by_name(const char *name, enum resv_reason *out)
{
	for (u32 r = 0; r < RSN_NR; r++) {
		if (!strcmp(resv_reason_name((enum resv_reason)r), name)) {
			*out = (enum resv_reason)r;
			return true;
		}
	}
	return false;
}

/* "KERN 0x...-0x... REASON (TYPE)", after "efimap: resv: ". */
static void read_kern(struct kernel_lines *kl, const char *s, u32 lineno)
{
	unsigned long long base, last;
	char name[64];
	enum resv_reason why;
	int n = 0;

	if (sscanf(s, "KERN 0x%llx-0x%llx %63s (%n", &base, &last, name, &n) != 3 || !n) {
		fail(kl, lineno, "a KERN reservation line that cannot be read", s);
		return;
	}
	if (last < base || last == ~0ULL) {
		fail(kl, lineno, "a KERN reservation that ends before it starts", s);
		return;
	}
	if (!reason_by_name(name, &why)) {
		fail(kl, lineno, "a KERN reservation with a reason this tool does not know", s);
		return;
	}
	if (kl->nr_kern == kl->cap_kern) {
		u32 cap = kl->cap_kern ? kl->cap_kern * 2 : 32;
		struct kernel_kern *k = realloc(kl->kern, cap * sizeof(*k));

		if (!k) {
			fail(kl, lineno, "out of memory for the KERN reservations", s);
			return;
		}
		kl->kern = k;
		kl->cap_kern = cap;
	}
	kl->kern[kl->nr_kern++] = (struct kernel_kern){
		.base = base, .end = last + 1, .reason = why, .line = lineno
	};
	if (!kl->first_line)
		kl->first_line = lineno;
}

static void read_resv(struct kernel_lines *kl, const char *s, u32 lineno)
{
	unsigned boot, kern, nr, cap, dropped;

	if (!strncmp(s, "KERN ", 5)) {
		if (kl->closed)
			fail(kl, lineno, "a KERN reservation after the kern_ranges= line", s);
		else
			read_kern(kl, s, lineno);
		return;
	}
	if (strncmp(s, "boot_ranges=", 12))
		return; /* the kernel's other resv: lines say what it could not size or keep */
	if (sscanf(s, "boot_ranges=%u kern_ranges=%u table=%u/%u dropped=%u", &boot, &kern, &nr,
		   &cap, &dropped) != 5) {
		fail(kl, lineno, "a reservation summary line that cannot be read", s);
		return;
	}
	if (kl->closed) {
		fail(kl, lineno, "a second reservation summary line in one boot", s);
		return;
	}
	kl->closed = true;
	kl->kern_ranges = kern;
	kl->dropped = dropped;
	kl->last_line = lineno;
	if (!kl->first_line)
		kl->first_line = lineno;
}

static void read_reclaim(struct kernel_lines *kl, const char *s, u32 lineno)
{
	static const char conv[] = "trampoline: conventional page 0x";
	static const char bs[] = "trampoline: no conventional page below 1 MiB; keeping "
				 "boot-services page 0x";
	static const char none[] = "trampoline: no free page below 1 MiB at all";
	static const char nothing[] = "nothing freed: ";
	unsigned long long page;

	if (!strncmp(s, conv, sizeof(conv) - 1) || !strncmp(s, bs, sizeof(bs) - 1)) {
		bool from_bs = !strncmp(s, bs, sizeof(bs) - 1);
		const char *hex = s + (from_bs ? sizeof(bs) : sizeof(conv)) - 1;

		if (sscanf(hex, "%llx", &page) != 1 || (page & 0xfff)) {
			fail(kl, lineno, "a trampoline line that cannot be read", s);
			return;
		}
		kl->trampoline_said = true;
		kl->trampoline = page;
		kl->trampoline_from_bs = from_bs;
	} else if (!strncmp(s, none, sizeof(none) - 1)) {
		kl->trampoline_said = true;
		kl->trampoline = ~0ULL;
		kl->trampoline_from_bs = false;
	} else if (!strncmp(s, nothing, sizeof(nothing) - 1) && !kl->nothing_freed[0]) {
		snprintf(kl->nothing_freed, sizeof(kl->nothing_freed), "%s",
			 s + sizeof(nothing) - 1);
	}
}

bool kernel_lines_read_line(struct kernel_lines *kl, const char *line, size_t len, u32 lineno)
{
	char buf[LINE_MAX_READ];
	const char *s;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	/* A CR before the LF (a serial capture) is not part of the line. */
	while (len && (buf[len - 1] == '\r' || buf[len - 1] == '\n'))
		buf[--len] = '\0';
	if (strstr(buf, "efimap: stub: UEFI ") || strstr(buf, "Linux version ") ||
	    strstr(buf, "efimap: kernel core entered"))
		return false;
	s = strstr(buf, "efimap: ");
	if (!s)
		return true;
	s += 8;
	if (!strncmp(s, "resv: ", 6)) {
		read_resv(kl, s + 6, lineno);
	} else if (!strncmp(s, "reclaim: ", 9)) {
		read_reclaim(kl, s + 9, lineno);
	} else if (!strncmp(s, "map: entries=", 13) && !kl->desc_size) {
		unsigned n, d, v, c;

		if (sscanf(s, "map: entries=%u desc_size=%u desc_version=%u capacity=%u", &n, &d,
			   &v, &c) == 4) {
			kl->entries = n;
			kl->desc_size = d;
			kl->capacity = c;
		}
	}
	return true;
}

/* Whether a line of this boot was read: a boot's start after it ends the boot. */
static bool seen_any(const struct kernel_lines *kl)
{
	return kl->nr_kern || kl->closed || kl->entries || kl->desc_size || kl->trampoline_said ||
	       kl->nothing_freed[0] || kl->error[0];
}

void kernel_lines_read_text(struct kernel_lines *kl, const char *text, size_t len, u32 first_line)
{
	u32 lineno = 1;
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;

		if (lineno >= first_line && !kernel_lines_read_line(kl, text + at, n, lineno) &&
		    seen_any(kl))
			break;
		at += n + 1;
		lineno++;
	}
}

int kernel_lines_read_file(struct kernel_lines *kl, const char *path, u32 first_line)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	u32 lineno = 0;

	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (lineno >= first_line && !kernel_lines_read_line(kl, line, (size_t)n, lineno) &&
		    seen_any(kl))
			break;
	}
	free(line);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		errno = e;
		return -1;
	}
	fclose(f);
	return 0;
}

bool kernel_lines_complete(const struct kernel_lines *kl, char *why, size_t why_size)
{
	if (kl->error[0])
		snprintf(why, why_size, "line %u: %s", kl->error_line, kl->error);
	else if (!kl->closed && !kl->nr_kern)
		snprintf(why, why_size, "the input has no \"efimap: resv:\" lines of the kernel");
	else if (!kl->closed)
		snprintf(why, why_size,
			 "the kernel's KERN lines end without their \"resv: boot_ranges=\" line");
	else if (kl->kern_ranges != kl->nr_kern)
		snprintf(why, why_size, "the kernel counted %u KERN ranges, the input has %u lines",
			 kl->kern_ranges, kl->nr_kern);
	else if (kl->dropped)
		snprintf(why, why_size, "the kernel's reservation table dropped %u ranges",
			 kl->dropped);
	else
		return true;
	return false;
}
