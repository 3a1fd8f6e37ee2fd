/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The stub: the only part of efimap that includes gnu-efi or calls boot
 * services. Every firmware call goes through bs_call() (rt_call() for
 * runtime services) so there is one place to look for them.
 */
#ifndef EFIMAP_STUB_STUB_H
#define EFIMAP_STUB_STUB_H

#include <efi.h>

#include "kernel/handoff.h"
#include "kernel/options.h"
#include "lib/types.h"

extern EFI_SYSTEM_TABLE *stub_st;
extern EFI_HANDLE stub_image;

#define bs_call(fn, ...) (stub_st->BootServices->fn(__VA_ARGS__))
/* The same for runtime services (GetVariable...), while boot services last. */
#define rt_call(fn, ...) (stub_st->RuntimeServices->fn(__VA_ARGS__))

/* Print one line on ConOut (which OVMF mirrors to the serial port). Boot services only. */
void stub_log(const char *fmt, ...) __printf(1, 2);

/* stub/options.c */
#define STUB_OPTIONS_FILE L"efimap.cfg"
/*
 * Gather the options: the file beside the image, then LoadOptions (so they
 * win). Writes a NUL-terminated ASCII line and returns HANDOFF_* flags.
 */
u32 stub_read_options(EFI_LOADED_IMAGE *li, char *out, size_t size);

/* stub/memory.c */
struct stub_memory {
	EFI_PHYSICAL_ADDRESS stack, pool, handoff, map;
	UINTN stack_pages, pool_pages, handoff_pages, map_pages;
	UINTN desc_size;
	UINT32 desc_version;
	UINTN nr_runtime; /* runtime descriptors seen while sizing */
	/* What the page-table pool was sized for, to check it against the final map. */
	u64 text_start, text_end, extra_pt_pages;
};

/*
 * Size and allocate everything that must outlive boot services: kernel
 * stack, page-table pool, handoff block and the oversized map buffer.
 * extra_pt_pages: page-table pages for mappings the map does not describe
 * (the framebuffer).
 */
EFI_STATUS stub_allocate(struct stub_memory *m, UINTN spare, u64 text_start, u64 text_end,
			 u64 extra_pt_pages);
void stub_release(struct stub_memory *m);

/*
 * Final GetMemoryMap into m->map and ExitBootServices, with the one retry
 * the spec allows. Fills the map and EBS fields of *h. Returns
 * EFI_BUFFER_TOO_SMALL (nothing exited) when the map outgrew the buffer or
 * the page-table pool: the caller sizes again with more spare entries.
 */
EFI_STATUS stub_exit_boot_services(struct stub_memory *m, struct handoff *h, bool stale_key);

/*
 * A throw-away copy of the current map in a pool buffer (*buf, which the
 * caller frees), to size allocations from.
 */
struct memmap;
EFI_STATUS stub_snapshot_map(struct memmap *map, void **buf);

/* stub/accept.c: the unaccepted-memory table (seed 004). */
struct stub_accept {
	u32 source; /* enum handoff_accept_source */
	u32 flags;  /* enum handoff_accept_flags */
	EFI_PHYSICAL_ADDRESS table;
	UINTN pages;
	bool installed;
};

/*
 * Before the final map: when the map has type-15 memory or the options
 * simulate some, size the bitmap, allocate the table and install it as a
 * configuration table (so the handoff's copy of the tables lists it).
 * Says what it did on the console; failures are recorded in a->flags.
 */
void stub_accept_prepare(struct stub_accept *a, const struct options *o);
/* Undo stub_accept_prepare() (the map outgrew its buffer and everything is sized again). */
void stub_accept_release(struct stub_accept *a);
/*
 * After ExitBootServices: fill the bitmap from the final map in h, accept
 * the edges, and record it all in h's accept_* fields.
 */
void stub_accept_build(struct stub_accept *a, struct handoff *h, const struct options *o);

/*
 * stub/svam.c: after ExitBootServices, lay the runtime regions out in
 * [window_base, window_base + window_size) (window_size 0: the arch's default
 * window, arch_va_window), copy their descriptors into
 * the map buffer's spare tail and call SetVirtualAddressMap once; the
 * outcome goes into h's svam_* fields (the stub cannot print any more).
 */
void stub_set_virtual_address_map(struct handoff *h, const struct options *o, u64 window_base,
				  u64 window_size);

/*
 * stub/secureboot.c: print "efimap: boot: secure_boot=0|1 setup_mode=0|1"
 * from the SecureBoot and SetupMode global variables (missing = 0).
 */
struct stub_sb {
	u8 secure_boot, setup_mode;
};
void stub_report_secure_boot(struct stub_sb *sb);

/* stub/gop.c: the GOP framebuffer as the kernel will find it. */
struct stub_fb {
	u64 base, size;
	u32 width, height, pixels_per_scan_line, format, mode, flags;
	u32 red_mask, green_mask, blue_mask, reserved_mask;
};

/*
 * Find the GOP and its framebuffer, keeping the current mode unless the
 * kernel cannot draw into it. Says what it found on the console; never
 * fails (no usable framebuffer: fb->format is HANDOFF_FB_NONE).
 */
void stub_find_framebuffer(struct stub_fb *fb);
/* Copy it into the handoff's fb_ fields. */
void stub_fill_framebuffer(struct handoff *h, const struct stub_fb *fb);

/*
 * stub/tpm.c: ask EFI_TCG2_PROTOCOL.GetEventLog where the TCG2 event log is
 * and size it (allocates nothing; says what it found on the console), then
 * copy that into the handoff's tpm_log_* fields (all 0 without a TPM).
 */
void stub_find_tpm_log(void);
void stub_fill_tpm_log(struct handoff *h);

/* stub/tsc.c: TSC ticks per second, measured against BS->Stall(). */
u64 stub_calibrate_tsc(void);

/*
 * stub/results.c: write the results an earlier boot's kernel stored in
 * variables EfimapRun00.. into that boot's run folder, then delete the
 * variables; prints "efimap: report: saved=..." either way.
 */
void stub_save_results(EFI_LOADED_IMAGE *li);

/* stub/volume.c: files on the boot volume; *what says which step failed. */
EFI_STATUS stub_open_volume(EFI_LOADED_IMAGE *li, EFI_FILE_PROTOCOL **root, const char **what);
/* Open directory name in dir (creating it when create); fails on a plain file of that name. */
EFI_STATUS stub_open_dir(EFI_FILE_PROTOCOL *dir, const char *name, bool create,
			 EFI_FILE_PROTOCOL **out, const char **what);
/* Open (creating) the directories parts[0]\parts[1]... under root. */
EFI_STATUS stub_open_path(EFI_FILE_PROTOCOL *root, const char *const *parts, size_t n,
			  EFI_FILE_PROTOCOL **out, const char **what);
/* One past the highest "NNNN" or "NNNN.ext" entry in dir (1 when none), or -1 with *st. */
int stub_next_number(EFI_FILE_PROTOCOL *dir, EFI_STATUS *st);
bool stub_file_exists(EFI_FILE_PROTOCOL *dir, const char *name);
/* Create a new file (never overwriting), write, flush and read it back equal. */
EFI_STATUS stub_write_file(EFI_FILE_PROTOCOL *dir, const char *name, const void *data,
			   UINTN size, const char **what);
/* Create directory NNNN (first or the next free number after it); *number says which. */
EFI_STATUS stub_new_numbered_dir(EFI_FILE_PROTOCOL *parent, int first, EFI_FILE_PROTOCOL **out,
				 int *number, const char **what);

/*
 * stub/run_folder.c: open \EFI\efimap\runs on the boot volume (creating it);
 * both handles are the caller's to close.
 */
EFI_STATUS stub_open_runs(EFI_LOADED_IMAGE *li, EFI_FILE_PROTOCOL **root,
			  EFI_FILE_PROTOCOL **runs, const char **what);
/*
 * Make this boot's run folder and write the capture (docs/run-folder.md).
 * Returns its number, 0 when none was written (said on the console);
 * *flags gets HANDOFF_RUN_* bits.
 */
u32 stub_capture_run(EFI_LOADED_IMAGE *li, const char *cmdline, const struct stub_sb *sb,
		     u32 *flags);

/*
 * stub/kexec.c: the pristine image copy for efimap.kexec (kernel/kexec.c).
 * keep: at efi_main's first statement, before the image's data changes;
 * decide: once the options are known, give it back unless a chain is
 * asked for; fill: its place and checksum into the handoff.
 */
void stub_kexec_keep_image(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
void stub_kexec_decide(const struct options *o);
void stub_kexec_fill(struct handoff *h);

/* stub/varfill.c: delete the fillers an efimap.inject=varstore-full boot left. */
void stub_remove_fillers(void);

#endif
