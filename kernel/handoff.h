/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot protocol between the stub and the kernel core: the stub fills one
 * struct handoff and jumps to kernel_start(). The kernel owns this header,
 * as Linux owns its boot protocol; the stub only fills it in.
 *
 * Rules for changing it: append fields, bump HANDOFF_VERSION, never reuse or
 * reorder. All addresses are physical (the kernel runs identity-mapped).
 */
#ifndef EFIMAP_KERNEL_HANDOFF_H
#define EFIMAP_KERNEL_HANDOFF_H

#include "accept/accept.h"
#include "lib/types.h"

#define HANDOFF_MAGIC		  0x4f48504d49464500ULL /* "\0EFIMPHO" read little-endian */
#define HANDOFF_VERSION		  8u
#define HANDOFF_MAX_CONFIG_TABLES 64u
#define HANDOFF_CMDLINE_SIZE	  1024u
#define HANDOFF_ACCEPT_LOG	  64u
#define HANDOFF_KEXEC_KEPT	  64u /* kept firmware tables recorded by the first instance */
#define HANDOFF_KEXEC_FREE	  256u /* free RAM ranges the handed map no longer lists */
#define HANDOFF_KEXEC_HOPS	  17u /* instances of a chain: efimap.kexec=16 at most, plus 1 */
#define HANDOFF_KEXEC_KERN	  128u /* KERN reservations handed to the next instance */

struct handoff_guid {
	u32 data1;
	u16 data2;
	u16 data3;
	u8 data4[8];
};

struct handoff_config_table {
	struct handoff_guid guid;
	u64 table;
};

enum handoff_flags {
	HANDOFF_CMDLINE_TRUNCATED = 1u << 0,   /* options did not fit in cmdline[] */
	HANDOFF_CONFIG_TRUNCATED = 1u << 1,    /* more tables than config[] holds */
	HANDOFF_LOAD_OPTIONS_BINARY = 1u << 2, /* LoadOptions were not UCS-2 text; ignored */
	HANDOFF_OPTIONS_FILE = 1u << 3, /* options came (also) from the file beside the image */
	HANDOFF_EBS_FAILED = 1u << 4,	/* ExitBootServices failed twice: firmware state unknown */
};

/* The framebuffer's pixel layout: EFI_GRAPHICS_PIXEL_FORMAT, shifted by one so 0 means none. */
enum handoff_fb_format {
	HANDOFF_FB_NONE = 0,
	HANDOFF_FB_RGBX,    /* PixelRedGreenBlueReserved8BitPerColor: byte 0 red */
	HANDOFF_FB_BGRX,    /* PixelBlueGreenRedReserved8BitPerColor: byte 0 blue */
	HANDOFF_FB_BITMASK, /* PixelBitMask: fb_*_mask say where each colour is */
};

enum handoff_fb_flags {
	HANDOFF_FB_MODE_SET = 1u << 0, /* the stub changed the mode (the firmware's was unusable) */
	HANDOFF_FB_NO_GOP = 1u << 1,   /* LocateProtocol found no Graphics Output Protocol */
	HANDOFF_FB_NO_LINEAR = 1u << 2,	 /* no mode with a linear framebuffer (PixelBltOnly) */
	HANDOFF_FB_SET_FAILED = 1u << 3, /* SetMode to a usable mode failed */
};

struct handoff {
	u64 magic;
	u32 version;
	u32 size;     /* sizeof(struct handoff) as the stub knew it */
	u32 checksum; /* crc32 of the block with this field zero */
	u32 flags;

	/* The final firmware memory map, in the stub's oversized buffer. */
	u64 map_base;
	u64 map_buffer_bytes; /* the whole allocation */
	u32 desc_size;
	u32 desc_version;
	u32 nr_map;
	u32 map_capacity; /* descriptors the buffer holds */

	/* ExitBootServices: calls made (1, or 2 after EFI_INVALID_PARAMETER). */
	u32 ebs_attempts;
	u32 ebs_first_status_low; /* low bits of the first failure's status, 0 if none */

	/* Firmware. */
	u64 system_table;
	u64 runtime_services;
	u32 uefi_revision;
	u32 nr_config_tables;	 /* entries in config[] */
	u32 nr_config_tables_fw; /* entries the firmware had */
	u32 pad0;
	u64 firmware_cr3; /* the firmware's page tables at EBS (version 4: nothing uses them) */
	struct handoff_config_table config[HANDOFF_MAX_CONFIG_TABLES];

	/* Options: the file beside the image first, then LoadOptions (later words win). */
	char cmdline[HANDOFF_CMDLINE_SIZE];

	/* Memory the stub set up for the kernel. */
	u64 image_base;
	u64 image_size;
	u64 text_start; /* the image's code: the only executable range */
	u64 text_end;
	u64 stack_base;
	u64 stack_size;
	u64 pt_pool_base;
	u64 pt_pool_pages;
	u64 handoff_pages; /* this block's allocation */

	/* Time. */
	u64 tsc_hz;	  /* calibrated against BS->Stall() */
	u64 tsc_at_entry; /* TSC when efi_main() began */
	u64 tsc_at_ebs;	  /* TSC right after ExitBootServices succeeded */

	/*
	 * Version 2: the GOP framebuffer in the mode the stub left it in
	 * (UEFI 2.10 section 12.9, EFI_GRAPHICS_OUTPUT_MODE_INFORMATION).
	 * When there is no usable one (no GOP, or only PixelBltOnly modes)
	 * fb_format is HANDOFF_FB_NONE, fb_base 0, and fb_flags says why.
	 */
	u64 fb_base;
	u64 fb_size; /* bytes, as FrameBufferSize says */
	u32 fb_width;
	u32 fb_height;
	u32 fb_pixels_per_scan_line;
	u32 fb_format; /* enum handoff_fb_format */
	/* HANDOFF_FB_BITMASK only: the bits of a pixel each colour occupies. */
	u32 fb_red_mask;
	u32 fb_green_mask;
	u32 fb_blue_mask;
	u32 fb_reserved_mask;
	u32 fb_mode;  /* GOP mode number in use */
	u32 fb_flags; /* enum handoff_fb_flags */

	/*
	 * Version 3: the image's constants (.rodata in stub/efimap.lds, page
	 * aligned), mapped read-only and not executable.
	 */
	u64 rodata_start;
	u64 rodata_end;

	/*
	 * Version 4: SetVirtualAddressMap, called by the stub after
	 * ExitBootServices (seed 002, docs/architecture.md boot flow step 6). The map's
	 * runtime descriptors carry their virtual addresses in virt_addr (all
	 * zero again when svam_result is not HANDOFF_SVAM_OK). The system
	 * table pointers the firmware converts during SVAM, as they were
	 * before it (physical), so the kernel can check its translation.
	 */
	u64 fw_vendor_phys;    /* ST->FirmwareVendor before SVAM */
	u64 config_table_phys; /* ST->ConfigurationTable before SVAM */
	u64 va_window_base;    /* the window the layout used (efimap.va=) */
	u64 va_window_size;
	u64 va_end;		   /* first byte after the last placed region */
	u64 svam_input;		   /* the input copy, in the map buffer's spare tail */
	u64 svam_status;	   /* what SetVirtualAddressMap returned (0 if not called) */
	u32 svam_result;	   /* enum handoff_svam */
	u32 svam_calls;		   /* 0 or 1: never more */
	u32 svam_entries;	   /* descriptors in the input */
	u32 svam_input_nonruntime; /* input descriptors without EFI_MEMORY_RUNTIME (must be 0) */

	/*
	 * Version 5: unaccepted memory (seed 004, docs/architecture.md boot flow step 5).
	 * The table (accept/accept.h) the stub allocated before the final map
	 * and installed as a configuration table, then filled from the final
	 * map; what it accepted up front (the edges) and how.
	 */
	u64 accept_table;	 /* physical address, 0 when there is none */
	u64 accept_table_bytes;	 /* its allocation */
	u32 accept_source;	 /* enum handoff_accept_source */
	u32 accept_flags;	 /* enum handoff_accept_flags */
	u64 accept_calls;	 /* backend calls for the edges */
	u64 accept_bytes;	 /* bytes accepted up front */
	u64 accept_failed_bytes; /* bytes the backend could not accept (no backend for type 15) */
	u64 accept_tsc;		 /* TSC ticks the stub spent accepting */
	u64 accept_ranges;	 /* unaccepted ranges in the final map (touching ones merged) */
	u64 accept_range_bytes;	 /* their total size */
	/* What the stub accepted, merged where ranges touch (the self-tests check it). */
	u32 accept_nr_log;
	u32 accept_log_dropped; /* ranges that did not fit accept_log[] */
	struct accept_extent accept_log[HANDOFF_ACCEPT_LOG];

	/*
	 * Version 6: SetVirtualAddressMap runs on page tables of efimap's own
	 * that hold both the 1:1 mapping and the new window (seed 002: some
	 * firmware touches the new addresses during the call), under the same
	 * fault recovery as later runtime calls. svam_pml4 is the root it ran
	 * on (0: the firmware's own tables, when efimap's could not be built).
	 */
	u64 svam_pml4;
	u64 svam_fault_vector; /* HANDOFF_SVAM_FAULTED: the exception ... */
	u64 svam_fault_rip;    /* ... where it hit ... */
	u64 svam_fault_addr;   /* ... and CR2 for a page fault */
	u64 svam_fault_error;  /* the error code */
	u32 svam_pt_pages;     /* pool pages those tables took */
	u32 svam_flags;	       /* enum handoff_svam_flags */
	/*
	 * The TCG2 event log (EFI_TCG2_PROTOCOL.GetEventLog before
	 * ExitBootServices; Linux keeps it, efi_tpm_eventlog_init): where it
	 * lies and its size in bytes; 0 when there is no TPM or no log.
	 */
	u64 tpm_log_base;
	u64 tpm_log_size;
	u32 tpm_log_format; /* EFI_TCG2_EVENT_LOG_FORMAT_*: 1 TCG 1.2, 2 TCG 2 */
	u32 tpm_log_flags;  /* bit 0: the firmware said the log was truncated */
	/*
	 * Version 7: the run folder the stub made on the boot volume for this
	 * boot (\EFI\efimap\runs\NNNN, docs/run-folder.md), 0 when it made
	 * none. The kernel's stored results name it, so that the next boot's
	 * stub puts them beside this boot's capture.
	 */
	u32 run_number;
	u32 run_flags; /* enum handoff_run_flags */

	/*
	 * Version 8: re-entry (efimap.kexec=N, docs/architecture.md "Re-entry", seed
	 * 002's premise). The stub fills only kexec_image*: a copy of the
	 * image taken at efi_main's first instruction, before any of its
	 * writable data changed (relocated already, by gnu-efi's crt0, for
	 * image_base, where every instance runs). Every later instance gets a
	 * block the one before built from its own state (kernel/kexec.c): the
	 * compacted map, HANDOFF_KEXEC_SVAM_DONE, the accept log grown by what
	 * it accepted, what its compaction took out of the map
	 * (kexec_free[]), its KERN reservations (kexec_kern[]), the first
	 * instance's checksums of the kept firmware tables, and each earlier
	 * instance's figures (kexec_hops[]).
	 */
	u64 kexec_image;       /* the pristine copy (Loader Data), 0 when none */
	u64 kexec_image_bytes; /* its allocation: image_size rounded up to pages */
	u32 kexec_image_crc;   /* crc32 of the image_size bytes copied */
	u32 kexec_hop;	       /* 0: entered from the stub; N: the Nth re-entry */
	u32 kexec_flags;       /* enum handoff_kexec_flags */
	u32 kexec_nr_kept;     /* entries in kexec_kept[] */
	u32 kexec_kept_missed; /* kept tables the first instance could not record */
	u32 kexec_nr_free;     /* entries in kexec_free[] */
	u32 kexec_free_dropped; /* ranges that did not fit kexec_free[] (their memory is lost) */
	u32 kexec_nr_hops;     /* entries in kexec_hops[]: the instances before this one */
	u32 kexec_layout_crc;  /* crc32 of the first instance's runtime (phys, virt, pages) */
	u32 kexec_nr_kern;     /* the previous instance's KERN ranges in kexec_kern[] */
	u32 kexec_kern_dropped; /* ... and those that did not fit */
	u32 pad8;
	struct handoff_kexec_kept {
		u64 base;
		u64 len;
		u32 crc;    /* crc32 of [base, base + len) when the first instance tagged it */
		u32 reason; /* enum resv_reason */
	} kexec_kept[HANDOFF_KEXEC_KEPT];
	struct handoff_kexec_free {
		u64 base;
		u64 pages;
	} kexec_free[HANDOFF_KEXEC_FREE];
	/* The previous instance's KERN reservations, lowest first: the next must make the same. */
	struct handoff_kexec_kern {
		u64 base;
		u64 end;    /* exclusive */
		u32 reason; /* enum resv_reason */
		u32 pad;
	} kexec_kern[HANDOFF_KEXEC_KERN];
	struct handoff_kexec_hop {
		u64 kept_kib;	 /* boot-services memory reclaim kept */
		u64 free_kib;	 /* free + still unaccepted memory after reclaim */
		u64 freed_kib;	 /* boot-services memory reclaim freed */
		u64 pending_units; /* unaccepted units still marked when it started the next */
		u32 hop;
		u32 layout;	 /* enum kexec_layout (kernel/kexec.h) */
		u32 checked;	 /* KEXEC_CHECK_* bits: what was checked ... */
		u32 failed;	 /* ... and what of it failed */
		u32 verdict;	 /* enum verdict */
		u32 svam_calls;	 /* SetVirtualAddressMap calls this instance's image made */
		u32 tests_passed;
		u32 tests_failed;
	} kexec_hops[HANDOFF_KEXEC_HOPS];
};

enum handoff_kexec_flags {
	/* SetVirtualAddressMap was called (or given up) by an earlier instance: never again */
	HANDOFF_KEXEC_SVAM_DONE = 1u << 0,
	HANDOFF_KEXEC_SCRIBBLED = 1u << 1, /* efimap.inject=kexec-scribble changed a kept table */
};

enum handoff_run_flags {
	HANDOFF_RUN_CAPTURED = 1u << 0, /* the capture files were written and read back */
};

/* Where unaccepted memory came from. */
enum handoff_accept_source {
	HANDOFF_ACCEPT_NONE = 0, /* no type-15 memory, no simulation: nothing ran */
	HANDOFF_ACCEPT_FIRMWARE, /* the firmware's EfiUnacceptedMemory entries */
	HANDOFF_ACCEPT_SIM,	 /* efimap.unaccepted=sim:...: chosen conventional memory */
};

enum handoff_accept_flags {
	HANDOFF_ACCEPT_NO_TABLE = 1u << 0,	/* allocating the table failed */
	HANDOFF_ACCEPT_NOT_INSTALLED = 1u << 1, /* InstallConfigurationTable failed */
	HANDOFF_ACCEPT_RESIZED = 1u << 2,	/* the final map needed another bitmap size */
	HANDOFF_ACCEPT_NO_BACKEND = 1u << 3,	/* no way to accept type 15 here: edges not done */
};

/* What became of SetVirtualAddressMap. */
enum handoff_svam {
	HANDOFF_SVAM_OK = 0,	   /* called once, EFI_SUCCESS */
	HANDOFF_SVAM_FAILED,	   /* called once, an error status (svam_status) */
	HANDOFF_SVAM_NO_LAYOUT,	   /* not called: the runtime regions do not fit the window */
	HANDOFF_SVAM_NO_ROOM,	   /* not called: no room for the input copy in the map buffer */
	HANDOFF_SVAM_WINDOW_CLASH, /* not called: the window overlaps physical memory */
	HANDOFF_SVAM_NO_SERVICE,   /* not called: no runtime services table */
	HANDOFF_SVAM_EBS_FAILED,   /* not called: ExitBootServices failed */
	HANDOFF_SVAM_FAULTED,	   /* called once, the firmware faulted inside it (svam_fault_*) */
};

enum handoff_svam_flags {
	HANDOFF_SVAM_BOTH_MAPPED = 1u << 0, /* its tables held the 1:1 half and the window */
};

/* The checksum a block should carry (computed with checksum treated as zero). */
u32 handoff_checksum(const struct handoff *h);

enum handoff_error {
	HANDOFF_OK = 0,
	HANDOFF_NULL,
	HANDOFF_BAD_MAGIC,
	HANDOFF_BAD_VERSION,
	HANDOFF_BAD_SIZE,
	HANDOFF_BAD_CHECKSUM,
};

/* Check what the kernel was given before trusting any of it. */
enum handoff_error handoff_validate(const struct handoff *h);
const char *handoff_error_str(enum handoff_error err);

/* The kernel's entry point: switch to the stack and never return. */
__noreturn void kernel_start(struct handoff *h, u64 stack_top);

#endif
