/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console font, embedded as is: a PSF file from Debian's
 * console-setup-linux, decompressed at build time (see the Makefile's
 * CONSOLE_FONT). kernel/fbcon.c parses it with lib/psf.c. The font itself
 * is under its own licence (Terminus Font: SIL OFL 1.1), see README.md.
 */
#ifndef CONSOLE_FONT_FILE
#error "CONSOLE_FONT_FILE must name the decompressed .psf (the Makefile passes it)"
#endif

	.section .rodata.console_font, "a"
	.balign 16
	.globl console_font_psf
	.globl console_font_psf_end
console_font_psf:
	.incbin CONSOLE_FONT_FILE
console_font_psf_end:
	.section .note.GNU-stack, "", @progbits
