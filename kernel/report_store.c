// SPDX-License-Identifier: BSD-2-Clause
/*
 * The end of a run: the report and the map the stub handed over go into
 * the variables EfimapRun00.. (kernel/run_store.h), whose next-boot reader
 * is the stub (stub/results.c). The report's lines were printed as they
 * happened, so the console is not given a second copy. Results an earlier
 * boot stored are never overwritten, and the variable store always keeps
 * RUN_STORE_MARGIN bytes free (some machines fail to boot with a full
 * store). Every way storing can fail is said on one line.
 */
#include "kernel/efi.h"
#include "kernel/efi_status.h"
#include "kernel/kernel.h" /* printk */
#include "kernel/reclaim_boot.h"
#include "kernel/run_store.h"
#include "lib/crc32.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "memmap/dump.h"
#include "memmap/memmap.h"

struct report kreport;

static const struct handoff_guid vendor = EFIMAP_VENDOR_GUID;

/*
 * The handed-over map as EFIMAPD with 40-byte descriptors, copied at entry
 * before anything sorts it (no allocator yet: static, in .bss, so the file
 * does not grow). 1024 entries is more than real machines show (a few
 * hundred); beyond that the report says the map was left out.
 */
#define MAP_COPY_ENTRIES 1024u
static u8 map_copy[sizeof(struct mm_dump_header) + MAP_COPY_ENTRIES * MM_DESC_MIN_SIZE];
static u32 map_copy_len;
static u32 map_copy_missing; /* entries that did not fit */

/*
 * The blob (header, text, map), assembled whole so each variable is a
 * plain slice; taken from the allocator at the end of the run rather than
 * kept in the image, whose loaded size small machines' firmware minds.
 */
#define BLOB_BYTES (sizeof(struct run_store_header) + REPORT_MAX_BYTES + sizeof(map_copy))
static u8 *blob;

void report_keep_map(const struct handoff *h)
{
	struct mm_dump_header *dh = (struct mm_dump_header *)map_copy;
	u32 n = h->nr_map <= MAP_COPY_ENTRIES ? h->nr_map : 0;

	memset(dh, 0, sizeof(*dh));
	memcpy(dh->magic, MM_DUMP_MAGIC, sizeof(dh->magic));
	dh->header_size = sizeof(*dh);
	dh->desc_size = MM_DESC_MIN_SIZE; /* the firmware's padding beyond version 1 dropped */
	dh->desc_version = h->desc_version;
	dh->nr_map = n;
	for (u32 i = 0; i < n; i++)
		memcpy(map_copy + sizeof(*dh) + i * MM_DESC_MIN_SIZE,
		       (const u8 *)(uintptr_t)h->map_base + (u64)i * h->desc_size,
		       MM_DESC_MIN_SIZE);
	/* A map cut short would pass for a whole one: all of it or none. */
	map_copy_len = n ? sizeof(*dh) + n * MM_DESC_MIN_SIZE : 0;
	map_copy_missing = h->nr_map - n;
}

/* efimap.inject=varstore-full leaves this much free: the margin and about 2.5 KiB of report. */
#define FILL_LEAVE    (RUN_STORE_MARGIN + 2560u)
#define FILL_OVERHEAD 160u /* a filler's header and name, generously */
#define FILL_MAX      4096u

/*
 * efimap.inject=varstore-full: fill the store with EfimapFillNNNN variables
 * until FILL_LEAVE bytes are free, big ones first, so that the results
 * meet a store with room for part of them. Test only; the next boot's stub
 * deletes the fillers (stub/varfill.c).
 */
static void fill_store(const struct handoff *h)
{
	static u8 junk[4096];
	u64 max_storage = 0, remaining = 0, max_var = 0, bytes = 0, st = 0;
	const char *not_called = NULL;
	char name8[24], stname[32];
	u16 name[24];
	u32 n = 0;

	for (u32 i = 0; i < sizeof(junk); i++)
		junk[i] = (u8)(i * 131 + 7);
	for (u64 size = sizeof(junk); size >= 8 && n < FILL_MAX; size /= 2) {
		for (; n < FILL_MAX; n++) {
			st = efi_query_variable_info(h, REPORT_VAR_ATTRS, &max_storage, &remaining,
						     &max_var, &not_called);
			if (not_called || st || remaining < FILL_LEAVE + size + FILL_OVERHEAD)
				break;
			fmt_snprintf(name8, sizeof(name8), "EfimapFill%04u", n);
			for (u32 k = 0; k <= strlen(name8); k++)
				name[k] = (u8)name8[k];
			st = efi_set_variable(h, name, &vendor, REPORT_VAR_ATTRS, size, junk,
					      &not_called);
			if (not_called || st)
				break;
			bytes += size;
		}
		if (not_called)
			break;
	}
	printk("efimap: inject: variable store filled: %u variables, %llu bytes; last call %s; "
	       "%llu of %llu bytes free",
	       n, (unsigned long long)bytes,
	       not_called ? not_called : efi_status_str(stname, sizeof(stname), st),
	       (unsigned long long)remaining, (unsigned long long)max_storage);
}

/* Why a SetVariable status means the results were not stored, in words. */
static const char *set_failure_text(u64 st)
{
	switch (st) {
	case EFIST_OUT_OF_RESOURCES:
		return "the variable store is full";
	case EFIST_INVALID_PARAMETER:
		return "the firmware refused the variable (larger than it allows?)";
	case EFIST_UNSUPPORTED:
		return "the firmware does not support SetVariable after ExitBootServices";
	case EFIST_WRITE_PROTECTED:
		return "the variable store is read-only";
	case EFIST_SECURITY_VIOLATION:
		return "the firmware refused to write the variable (security policy)";
	case EFIST_DEVICE_ERROR:
		return "the variable store had a hardware error";
	default:
		return "SetVariable failed";
	}
}

/*
 * What SetVariable reads must be mapped in the private EFI page tables,
 * which hold the image but not the allocator's memory: each variable's
 * data goes through this buffer in the image.
 */
static u8 bounce[RUN_VAR_DATA_MAX];

static u64 set_var(const struct handoff *h, u32 i, const void *data, u64 size,
		   const char **not_called)
{
	u16 name[RUN_VAR_NAME_CHARS];

	if (size > sizeof(bounce))
		return EFIST_INVALID_PARAMETER; /* never: chunks are at most RUN_VAR_DATA_MAX */
	if (size)
		memcpy(bounce, data, size);
	run_store_var_name(name, i);
	return efi_set_variable(h, name, &vendor, REPORT_VAR_ATTRS, size, size ? bounce : NULL,
				not_called);
}

/* Lay out the blob for this plan; returns its size. */
static u32 build_blob(const struct handoff *h, const struct run_store_plan *p, u32 *text_len,
		      u32 *left_out)
{
	struct run_store_header *rh = (struct run_store_header *)blob;
	u32 at = sizeof(*rh);

	memset(rh, 0, sizeof(*rh));
	*text_len = (u32)report_render_fit(&kreport, (char *)blob + at, p->text_limit, left_out);
	memcpy(rh->files[0].name, "report.txt", sizeof("report.txt"));
	rh->files[0].offset = at;
	rh->files[0].size = *text_len;
	rh->nr_files = 1;
	at += *text_len;
	if (p->map) {
		memcpy(blob + at, map_copy, map_copy_len);
		memcpy(rh->files[1].name, "map-final.efimapd", sizeof("map-final.efimapd"));
		rh->files[1].offset = at;
		rh->files[1].size = map_copy_len;
		rh->nr_files = 2;
		at += map_copy_len;
	}
	memcpy(rh->magic, RUN_STORE_MAGIC, sizeof(RUN_STORE_MAGIC));
	rh->version = RUN_STORE_VERSION;
	rh->header_size = sizeof(*rh);
	rh->run_number = h->run_number;
	rh->total_size = at;
	rh->chunk_size = p->chunk;
	rh->nr_vars = (at + p->chunk - 1) / p->chunk;
	rh->crc32 = crc32(0, blob + sizeof(*rh), at - sizeof(*rh));
	return at;
}

/*
 * Write the blob: EfimapRun01.. first, EfimapRun00 (the header) last, so a
 * stored header means every part is there. On failure the parts written
 * are deleted again. Returns the first failing status (0: stored).
 */
static u64 write_blob(const struct handoff *h, u32 size, u32 chunk, u32 *failed_var,
		      const char **not_called)
{
	u32 nr = (size + chunk - 1) / chunk;
	u64 st = EFIST_SUCCESS;
	u32 i;

	for (i = nr; i-- > 0;) {
		u32 off = i * chunk, len = size - off < chunk ? size - off : chunk;

		st = set_var(h, i, blob + off, len, not_called);
		if (*not_called || st != EFIST_SUCCESS)
			break;
	}
	if (!*not_called && st == EFIST_SUCCESS)
		return st;
	*failed_var = i;
	for (u32 k = i + 1; k < nr; k++)
		set_var(h, k, NULL, 0, not_called); /* size 0 deletes (UEFI 2.10 8.2.3) */
	return st;
}

/* Results of an earlier boot still stored? Then they are kept (says why on the console). */
static bool earlier_results_waiting(const struct handoff *h, const char **not_called)
{
	u16 name[RUN_VAR_NAME_CHARS];
	char stname[32];
	u64 size = 0, st;
	u32 attrs;
	u8 dummy;

	/* A zero-sized read only reports the size (UEFI 2.10 section 8.2.1). */
	run_store_var_name(name, 0);
	st = efi_get_variable(h, name, &vendor, &attrs, &size, &dummy, not_called);
	if (*not_called || st == EFIST_NOT_FOUND)
		return false;
	printk("efimap: report: stored=0 bytes=0 status=none");
	if (st == EFIST_BUFFER_TOO_SMALL || st == EFIST_SUCCESS)
		printk("efimap: report: not stored: the results of an earlier boot are still in "
		       "variables EfimapRun*, not yet saved by the stub; kept them, this run's "
		       "report is only on the console");
	else
		printk("efimap: report: not stored: cannot tell whether earlier results are "
		       "waiting (GetVariable: %s); not overwriting them blindly",
		       efi_status_str(stname, sizeof(stname), st));
	return true;
}

static bool query_store(const struct handoff *h, struct report_var_store *vs,
			const char **not_called)
{
	memset(vs, 0, sizeof(*vs));
	vs->known = !efi_query_variable_info(h, REPORT_VAR_ATTRS, &vs->max_storage, &vs->remaining,
					     &vs->max_variable, not_called) &&
		    !*not_called;
	return vs->known;
}

/* The report's own closing line: what goes into the store and what does not. */
static void say_contents(const struct handoff *h, const struct run_store_plan *p, u32 text_len)
{
	char map[96];

	if (p->map)
		fmt_snprintf(map, sizeof(map), "map-final.efimapd (%u bytes)", map_copy_len);
	else if (map_copy_missing)
		fmt_snprintf(map, sizeof(map), "no map (its %u entries are more than %u)",
			     map_copy_missing, MAP_COPY_ENTRIES);
	else if (!map_copy_len)
		fmt_snprintf(map, sizeof(map), "no map (none was usable)");
	else
		fmt_snprintf(map, sizeof(map), "no map (its %u bytes did not fit)", map_copy_len);
	printk("efimap: report: contents: run=%04u report.txt %s, %s; store: %s%llu bytes "
	       "allowed, %u per variable, %u kept free",
	       h->run_number, p->text_limit >= text_len ? "whole" : "cut", map,
	       p->blind ? "QueryVariableInfo unanswered, " : "", (unsigned long long)p->capacity,
	       p->chunk, RUN_STORE_MARGIN);
}

void report_finish(const struct handoff *h)
{
	/* Room for the closing lines printed after the plan. */
	const u32 slack = 2 * REPORT_LINE_MAX;
	struct report_var_store vs;
	struct run_store_plan p;
	const char *not_called = NULL;
	u32 size = 0, text_len = 0, left_out = 0, failed_var = 0, full;
	char stname[32];
	u64 st = 0;

	if (earlier_results_waiting(h, &not_called))
		return;
	if (!not_called && (kstate.opts.inject & INJECT_VARSTORE_FULL))
		fill_store(h);
	if (!not_called)
		query_store(h, &vs, &not_called);
	if (not_called) {
		printk("efimap: report: stored=0 bytes=0 status=none");
		printk("efimap: report: not stored: runtime services are off (%s)", not_called);
		return;
	}
	if (!blob) {
		u64 at = palloc_alloc(&kreclaim.pa, (BLOB_BYTES + PAGE_SIZE - 1) / PAGE_SIZE);

		blob = (u8 *)(uintptr_t)at;
	}
	if (!blob) {
		printk("efimap: report: stored=0 bytes=0 status=none");
		printk("efimap: report: not stored: no free memory for the %u-byte results",
		       (u32)BLOB_BYTES);
		return;
	}
	full = kreport.len + (kreport.dropped ? REPORT_MARKER_MAX : 0);
	run_store_plan(&vs, full, map_copy_len, slack, &p);
	say_contents(h, &p, full + slack);
	for (int attempt = 0; attempt < 3 && p.text_limit; attempt++) {
		size = build_blob(h, &p, &text_len, &left_out);
		st = write_blob(h, size, p.chunk, &failed_var, &not_called);
		if (not_called || st != EFIST_OUT_OF_RESOURCES)
			break;
		/* The store had less room than it said: ask again, and plan for less. */
		if (query_store(h, &vs, &not_called) && vs.remaining > size / 2)
			vs.remaining -= size / 2;
		run_store_plan(&vs, full, map_copy_len, slack, &p);
		printk("efimap: report: retrying with %u bytes: the store took less than it "
		       "reported",
		       p.capacity);
	}
	efi_status_str(stname, sizeof(stname), st);
	if (not_called) {
		printk("efimap: report: stored=0 bytes=%u status=none", size);
		printk("efimap: report: not stored: runtime services failed (%s)", not_called);
	} else if (!p.text_limit) {
		printk("efimap: report: stored=0 bytes=0 status=none");
		printk("efimap: report: not stored: %llu bytes free, %u must stay free; largest "
		       "variable %llu bytes",
		       (unsigned long long)vs.remaining, RUN_STORE_MARGIN,
		       (unsigned long long)vs.max_variable);
	} else if (st != EFIST_SUCCESS) {
		printk("efimap: report: stored=0 bytes=%u status=%s", size, stname);
		if (vs.known)
			printk("efimap: report: not stored: EfimapRun%02u: %s (%llu of %llu bytes "
			       "free, largest variable %llu bytes)",
			       failed_var, set_failure_text(st), (unsigned long long)vs.remaining,
			       (unsigned long long)vs.max_storage,
			       (unsigned long long)vs.max_variable);
		else
			printk("efimap: report: not stored: EfimapRun%02u: %s", failed_var,
			       set_failure_text(st));
	} else {
		u64 before = vs.remaining;

		query_store(h, &vs, &not_called);
		printk("efimap: report: stored=1 bytes=%u status=%s vars=%u text_bytes=%u "
		       "map=%s lines_left_out=%u free_before=%llu free_after=%llu",
		       size, stname, (size + p.chunk - 1) / p.chunk, text_len, p.map ? "1" : "0",
		       left_out, (unsigned long long)before,
		       vs.known ? (unsigned long long)vs.remaining : 0ull);
	}
}
