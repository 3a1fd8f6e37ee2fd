// SPDX-License-Identifier: BSD-2-Clause
/*
 * The bench baseline: a gnu-efi application that does nothing but shut the
 * machine down, so `make bench` can say what efimap itself costs on top of
 * firmware start-up.
 */
#include <efi.h>

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	(void)image;
	st->RuntimeServices->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
