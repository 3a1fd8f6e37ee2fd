/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run's results across a reboot (docs/run-folder.md): after
 * ExitBootServices the kernel cannot write files, so it stores them in
 * non-volatile variables EfimapRun00, EfimapRun01, ... under efimap's vendor
 * GUID; the next boot's stub writes them into the run folder and deletes
 * the variables. The variables' data, concatenated in name order, is one
 * blob: struct run_store_header, then the files it lists. The kernel
 * (writer) owns this ABI; the stub reads it.
 *
 * How much is stored is planned here, pure and host-tested: every variable
 * within the firmware's MaximumVariableSize, and the store left with at
 * least RUN_STORE_MARGIN bytes free.
 */
#ifndef EFIMAP_KERNEL_RUN_STORE_H
#define EFIMAP_KERNEL_RUN_STORE_H

#include "kernel/report.h"
#include "lib/types.h"

#define RUN_STORE_MAGIC	  "EFIMAPR" /* and a NUL: 8 bytes */
#define RUN_STORE_VERSION 1u
#define RUN_STORE_FILES	  4u
/* EfimapRun00..EfimapRun63. */
#define RUN_STORE_MAX_VARS 64u
#define RUN_VAR_NAME_CHARS 12u /* "EfimapRun00" and its NUL */
#define RUN_VAR_NAME_BYTES (RUN_VAR_NAME_CHARS * 2u)
/*
 * What a variable costs the store beyond its name and data: edk2's
 * authenticated variable header is 60 bytes, with alignment; other stores
 * are similar. Counted generously so the margin holds.
 */
#define RUN_VAR_OVERHEAD 96u
/* Linux's EFI_MIN_RESERVE: it never lets its own writes take the store below this. */
#define RUN_STORE_MARGIN 5120u
/* One variable's data at most, whatever the firmware allows (edk2's default is 32 KiB). */
#define RUN_VAR_DATA_MAX 32768u
/* Without QueryVariableInfo nobody can tell what is free: this much, in small variables. */
#define RUN_BLIND_TOTAL 4096u
#define RUN_BLIND_CHUNK 900u
/* Text left for the report when the store is nearly full: less is not worth storing. */
#define RUN_TEXT_MIN 256u

struct run_store_file {
	char name[24]; /* "report.txt", NUL-padded */
	u32 offset;    /* from the blob's start */
	u32 size;
};

struct run_store_header {
	char magic[8];	 /* RUN_STORE_MAGIC */
	u32 version;	 /* RUN_STORE_VERSION */
	u32 header_size; /* sizeof(struct run_store_header) */
	u32 run_number;	 /* handoff run_number: the folder of this boot, 0 for none */
	u32 nr_vars;	 /* EfimapRun00..nr_vars-1 */
	u32 total_size;	 /* the blob's bytes, header included */
	u32 crc32;	 /* lib/crc32.h of bytes [header_size, total_size) */
	u32 nr_files;
	u32 chunk_size; /* data bytes in every variable but the last */
	struct run_store_file files[RUN_STORE_FILES];
};

/* What fits, given the store (see run_store_plan()). */
struct run_store_plan {
	u32 chunk;	/* data bytes per variable */
	u32 capacity;	/* the largest blob the store takes, header included */
	u32 text_limit; /* report text bytes to store (text_len when whole; 0: nothing) */
	bool map;	/* the map is stored */
	bool blind;	/* QueryVariableInfo did not answer: RUN_BLIND_* apply */
};

/*
 * The most blob bytes vs lets us store: variables of at most `chunk` data
 * bytes (MaximumVariableSize less the name, capped at RUN_VAR_DATA_MAX),
 * such that the data plus each variable's name and overhead leave at least
 * RUN_STORE_MARGIN of RemainingVariableStorageSize.
 */
u32 run_store_capacity(const struct report_var_store *vs, u32 *chunk);

/*
 * Plan a blob of a header, text_len bytes of report text and map_len bytes
 * of map: everything when it fits; else without the map; else the text cut
 * to what fits (text_limit), never below RUN_TEXT_MIN (then nothing).
 * slack is reserved for a line the caller adds to the text after planning.
 */
void run_store_plan(const struct report_var_store *vs, u32 text_len, u32 map_len, u32 slack,
		    struct run_store_plan *p);

/*
 * The stub's check of a stored header (first: the bytes EfimapRun00 held):
 * NULL when the sizes add up (nr_vars variables of chunk_size bytes, the
 * last shorter, none empty) and every file lies inside the blob with a
 * plain name (it becomes a file name on the stick); else what is wrong.
 */
const char *run_store_check_header(const struct run_store_header *rh, size_t first);

/* Name of variable i: "EfimapRunNN" in UCS-2 (RUN_VAR_NAME_CHARS u16s). */
void run_store_var_name(u16 *out, u32 i);

#endif
