// SPDX-License-Identifier: BSD-2-Clause
/*
 * The GOP framebuffer, handed to the kernel for its screen console.
 *
 * The firmware's current mode is kept whenever the kernel can draw into it
 * (a linear framebuffer with 32-bit pixels): changing modes clears the
 * screen, may make a monitor resync for a second, and on some firmware
 * picks a resolution the panel scales badly. Only when the current mode has
 * no usable framebuffer (PixelBltOnly, a 16-bit bitmask, no mode set at
 * all) does the stub switch, to the usable mode with the most pixels.
 */
#include "lib/string.h"
#include "stub/stub.h"

/* Which of our formats a GOP mode is in; HANDOFF_FB_NONE if the kernel cannot draw into it. */
static u32 format_of(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info)
{
	const EFI_PIXEL_BITMASK *m = &info->PixelInformation;
	u32 all = m->RedMask | m->GreenMask | m->BlueMask | m->ReservedMask;

	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		return HANDOFF_FB_RGBX;
	case PixelBlueGreenRedReserved8BitPerColor:
		return HANDOFF_FB_BGRX;
	case PixelBitMask:
		/*
		 * UEFI 2.10 section 12.9.2: the masks describe the pixel, and its
		 * size follows from the highest bit they use (Linux's efifb reads
		 * them the same way). Only 4-byte pixels are drawn.
		 */
		if (m->RedMask && m->GreenMask && m->BlueMask && (all >> 24))
			return HANDOFF_FB_BITMASK;
		return HANDOFF_FB_NONE;
	default: /* PixelBltOnly: no linear framebuffer; anything newer: unknown */
		return HANDOFF_FB_NONE;
	}
}

static bool mode_usable(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info)
{
	return info && format_of(info) != HANDOFF_FB_NONE && info->HorizontalResolution &&
	       info->VerticalResolution && info->PixelsPerScanLine >= info->HorizontalResolution;
}

/* The usable mode with the most pixels, or MaxMode if there is none. */
static u32 best_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop)
{
	u32 best = gop->Mode->MaxMode;
	u64 best_pixels = 0;

	for (u32 i = 0; i < gop->Mode->MaxMode; i++) {
		EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = NULL;
		UINTN size = 0;
		EFI_STATUS st = gop->QueryMode(gop, i, &size, &info);

		if (EFI_ERROR(st) || !info)
			continue;
		if (size >= sizeof(*info) && mode_usable(info) &&
		    (u64)info->HorizontalResolution * info->VerticalResolution > best_pixels) {
			best = i;
			best_pixels = (u64)info->HorizontalResolution * info->VerticalResolution;
		}
		bs_call(FreePool, info); /* QueryMode allocates it for the caller */
	}
	return best;
}

static const char *const format_names[] = {
	[HANDOFF_FB_NONE] = "none",
	[HANDOFF_FB_RGBX] = "rgbx",
	[HANDOFF_FB_BGRX] = "bgrx",
	[HANDOFF_FB_BITMASK] = "bitmask",
};

void stub_find_framebuffer(struct stub_fb *fb)
{
	EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
	EFI_STATUS st;

	memset(fb, 0, sizeof(*fb));
	/* The protocol on ConOut's handle would do as well; LocateProtocol finds the first one. */
	st = bs_call(LocateProtocol, &guid, NULL, (void **)&gop);
	if (EFI_ERROR(st) || !gop || !gop->Mode) {
		fb->flags = HANDOFF_FB_NO_GOP;
		stub_log("efimap: stub: no Graphics Output Protocol (status 0x%llx): no screen "
			 "console",
			 (unsigned long long)st);
		return;
	}

	info = gop->Mode->Mode < gop->Mode->MaxMode ? gop->Mode->Info : NULL;
	if (!mode_usable(info)) {
		u32 old = gop->Mode->Mode, m = best_mode(gop);

		if (m == gop->Mode->MaxMode) {
			fb->flags = HANDOFF_FB_NO_LINEAR;
			stub_log("efimap: stub: GOP has %u modes, none with a 32-bit linear "
				 "framebuffer: no screen console",
				 gop->Mode->MaxMode);
			return;
		}
		st = gop->SetMode(gop, m);
		if (EFI_ERROR(st) || !mode_usable(gop->Mode->Info)) {
			fb->flags = HANDOFF_FB_SET_FAILED;
			stub_log("efimap: stub: GOP SetMode(%u) failed (status 0x%llx): no screen "
				 "console",
				 m, (unsigned long long)st);
			return;
		}
		fb->flags = HANDOFF_FB_MODE_SET;
		stub_log("efimap: stub: GOP mode %u had no usable framebuffer; switched to mode %u",
			 old, m);
		info = gop->Mode->Info;
	}

	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->pixels_per_scan_line = info->PixelsPerScanLine;
	fb->format = format_of(info);
	fb->mode = gop->Mode->Mode;
	if (fb->format == HANDOFF_FB_BITMASK) {
		fb->red_mask = info->PixelInformation.RedMask;
		fb->green_mask = info->PixelInformation.GreenMask;
		fb->blue_mask = info->PixelInformation.BlueMask;
		fb->reserved_mask = info->PixelInformation.ReservedMask;
	}
	stub_log("efimap: stub: GOP mode %u of %u: %ux%u %s, %u pixels per line, framebuffer "
		 "0x%llx (%llu KiB)",
		 fb->mode, gop->Mode->MaxMode, fb->width, fb->height, format_names[fb->format],
		 fb->pixels_per_scan_line, (unsigned long long)fb->base,
		 (unsigned long long)(fb->size / 1024));
}

void stub_fill_framebuffer(struct handoff *h, const struct stub_fb *fb)
{
	h->fb_flags = fb->flags;
	if (!fb->base || fb->format == HANDOFF_FB_NONE)
		return; /* the handoff says none: format 0, base 0 */
	h->fb_base = fb->base;
	h->fb_size = fb->size;
	h->fb_width = fb->width;
	h->fb_height = fb->height;
	h->fb_pixels_per_scan_line = fb->pixels_per_scan_line;
	h->fb_format = fb->format;
	h->fb_red_mask = fb->red_mask;
	h->fb_green_mask = fb->green_mask;
	h->fb_blue_mask = fb->blue_mask;
	h->fb_reserved_mask = fb->reserved_mask;
	h->fb_mode = fb->mode;
}
