/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The image's .sbat section: shim's SBAT data (SBAT.md), a CSV made by
 * scripts/make-sbat from the Makefile's SBAT_* variables. shim refuses to
 * start a second stage without it ("verify_sbat_section() No .sbat section
 * data"). stub/efimap.lds gives it a page-aligned PE section of its own
 * after every other one, so it is inside what sbsign hashes.
 */
	.section .sbat, "a"
	.incbin SBAT_FILE
