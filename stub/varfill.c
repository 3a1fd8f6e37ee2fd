// SPDX-License-Identifier: BSD-2-Clause
/*
 * efimap.inject=varstore-full has the kernel fill the non-volatile variable
 * store with filler variables (EfimapFillNNNN under efimap's GUID) just
 * before it stores its results (kernel/report_store.c). Test only:
 * on real machines a full store can upset the firmware, so every boot
 * deletes the fillers an earlier one left (deleting needs no free space).
 */
#include "kernel/efi_status.h"
#include "kernel/report.h"
#include "lib/printf.h"
#include "stub/stub.h"

static EFI_GUID vendor = EFIMAP_VENDOR_GUID;

/* At most this many fillers (4096 * 4 KiB = 16 MiB, beyond any store seen). */
#define MAX_FILLERS 4096

static void filler_name(CHAR16 *out, u32 n)
{
	char ascii[24];
	size_t i;

	fmt_snprintf(ascii, sizeof(ascii), "EfimapFill%04u", n);
	for (i = 0; ascii[i]; i++)
		out[i] = (CHAR16)ascii[i];
	out[i] = 0;
}

void stub_remove_fillers(void)
{
	CHAR16 name[24];
	EFI_STATUS st = EFI_SUCCESS;
	u32 n;

	for (n = 0; n < MAX_FILLERS; n++) {
		filler_name(name, n);
		st = rt_call(SetVariable, name, &vendor, REPORT_VAR_ATTRS, 0, NULL);
		if (EFI_ERROR(st))
			break;
	}
	if (n)
		stub_log("efimap: stub: deleted %u filler variables an earlier "
			 "efimap.inject=varstore-full left",
			 n);
	if (EFI_ERROR(st) && st != EFI_NOT_FOUND) {
		char text[32];

		stub_log("efimap: stub: deleting filler variable %u failed (%s)", n,
			 efi_status_str(text, sizeof(text), st));
	}
}
