// SPDX-License-Identifier: BSD-2-Clause
/*
 * Secure Boot state, as the firmware publishes it in two global variables
 * (UEFI 2.10 section 3.3, "Globally Defined Variables"; section 32.3 for
 * the modes): SecureBoot is 1 when the platform enforces signature checks,
 * SetupMode is 1 when no Platform Key is enrolled (keys can then be
 * enrolled without authentication). Both are one byte, 0 or 1.
 */
#include "stub/stub.h"

/* EFI_GLOBAL_VARIABLE, 8be4df61-93ca-11d2-aa0d-00e098032b8c */
static EFI_GUID global_variable = EFI_GLOBAL_VARIABLE;

/*
 * Read a one-byte boolean global variable. A variable that does not exist
 * counts as 0 (firmware without Secure Boot support publishes neither); any
 * other failure, or a value that is not one byte of 0 or 1, is said on the
 * console and reads as 0.
 */
static u8 read_flag(CHAR16 *name, const char *what)
{
	u8 buf[8] = { 0 };
	UINTN size = sizeof(buf);
	UINT32 attrs = 0;
	EFI_STATUS status;

	status = rt_call(GetVariable, name, &global_variable, &attrs, &size, buf);
	if (status == EFI_NOT_FOUND)
		return 0;
	if (EFI_ERROR(status)) {
		stub_log("efimap: stub: GetVariable(%s) failed (status 0x%llx); reporting 0", what,
			 (unsigned long long)status);
		return 0;
	}
	if (size != 1 || buf[0] > 1) {
		stub_log("efimap: stub: %s is %llu bytes (first 0x%02x), not 0 or 1; reporting 0",
			 what, (unsigned long long)size, buf[0]);
		return 0;
	}
	return buf[0];
}

void stub_report_secure_boot(struct stub_sb *sb)
{
	sb->secure_boot = read_flag(L"SecureBoot", "SecureBoot");
	sb->setup_mode = read_flag(L"SetupMode", "SetupMode");
	stub_log("efimap: boot: secure_boot=%u setup_mode=%u", sb->secure_boot, sb->setup_mode);
}
