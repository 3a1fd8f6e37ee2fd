/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unaccepted memory (UEFI 2.9 EfiUnacceptedMemory, seed 004). Confidential
 * VMs hand over memory that must be accepted before its first use; doing
 * that for all of it at boot is slow, so one bit per 2 MiB unit records
 * what is still unaccepted and the OS accepts on first use.
 *
 * The table is the configuration table Linux consumes (LINUX_EFI_UNACCEPTED_
 * MEM_TABLE_GUID, struct efi_unaccepted_memory), so a real OS can read ours.
 * The bitmap is bytes, bit n of the bitmap in byte n / 8 at bit n % 8: the
 * same bits as Linux's unsigned long bitmap on a little-endian CPU.
 *
 * Freestanding; no map, no firmware. Callers hand in ranges (the memory map
 * glue is kernel/accept_map.c) and a backend that does the accepting.
 */
#ifndef EFIMAP_ACCEPT_ACCEPT_H
#define EFIMAP_ACCEPT_ACCEPT_H

#include "lib/types.h"

/* d5d1de3c-105c-44f9-9ea9-bcef98120031, in EFI_GUID field order. */
#define ACCEPT_TABLE_GUID_DATA1 0xd5d1de3cu
#define ACCEPT_TABLE_GUID_DATA2 0x105cu
#define ACCEPT_TABLE_GUID_DATA3 0x44f9u
#define ACCEPT_TABLE_GUID_DATA4                                \
	{                                                      \
		0x9e, 0xa9, 0xbc, 0xef, 0x98, 0x12, 0x00, 0x31 \
	}

#define ACCEPT_TABLE_VERSION 1u
#define ACCEPT_UNIT	     SZ_2M /* x86: one bit per 2 MiB, 4 KiB of bitmap per 64 GiB */
#define ACCEPT_PAGE	     4096ULL

struct accept_table {
	u32 version;   /* ACCEPT_TABLE_VERSION */
	u32 unit_size; /* bytes one bit stands for */
	u64 phys_base; /* address of bit 0's unit: unit aligned */
	u64 size;      /* bitmap bytes */
	u8 bitmap[];   /* set bit: the unit is unaccepted */
};
#define ACCEPT_HEADER_BYTES 24u

/* Does the accepting: [start, end) is page aligned. Returns 0, or nonzero on failure. */
struct accept_ops {
	const char *name;
	int (*accept)(void *ctx, u64 start, u64 end);
	void *ctx;
};

/* A backend that accepts nothing (no way to accept here): every call fails. */
int accept_refuse(void *ctx, u64 start, u64 end);

/* One accepted range, for logs that tests check against. */
struct accept_extent {
	u64 start, end;
};

/*
 * Append [start, end) to log[0..*n) (capacity cap), merged into the last
 * entry when it starts where that one ends; *dropped counts what did not fit.
 */
void accept_log_add(struct accept_extent *log, u32 cap, u32 *n, u32 *dropped, u64 start, u64 end);

/* What the backend was asked to do, for the summary line. */
struct accept_stats {
	u64 calls;
	u64 bytes;
	u64 failures;
	u64 failed_bytes;
};

/* Bounds of the unaccepted ranges seen so far, for sizing the bitmap. */
struct accept_sizing {
	u64 lowest;  /* ~0 until a range is added */
	u64 highest; /* end of the highest range */
	u64 ranges;  /* non-empty ranges added */
};

void accept_sizing_init(struct accept_sizing *s);
/* Take [start, end) into account; empty or wrapping ranges are ignored. */
void accept_sizing_add(struct accept_sizing *s, u64 start, u64 end);
/*
 * The table for what was added: base = lowest start rounded down to the
 * unit, bitmap bytes = ceil(span / (unit * 8)) with span measured from
 * base to the highest end. Both 0 when nothing was added.
 */
void accept_sizing_result(const struct accept_sizing *s, u64 *base, u64 *bitmap_bytes);

/* Bytes the whole table takes (header + bitmap). */
static inline u64 accept_table_bytes(u64 bitmap_bytes)
{
	return ACCEPT_HEADER_BYTES + bitmap_bytes;
}

/* Fill the header (version 1, 2 MiB units) and clear the bitmap. */
void accept_table_init(struct accept_table *t, u64 base, u64 bitmap_bytes);

/*
 * Check a table someone else built before trusting it: version 1, a unit
 * that is a power of two and at least a page, a unit-aligned base, and a
 * bitmap that fits in avail bytes (the table's allocation; 0 = unknown)
 * and describes no address past 2^64. NULL when usable, else why not.
 */
const char *accept_table_check(const struct accept_table *t, u64 avail);

/* First address past what the bitmap can describe. */
u64 accept_table_limit(const struct accept_table *t);

/*
 * Building the table from the unaccepted ranges is two passes, so that the
 * result holds however the ranges overlap or are ordered (docs/architecture.md
 * invariant 6: every unaccepted byte accepted or under a set bit, never
 * both, never neither, no bit outside the ranges):
 *  1. accept_mark() every range: set the bits of its aligned interior.
 *  2. accept_edges() every range: accept what pass 1 left uncovered.
 * Seed 004's rules, per range: shorter than two units, it is accepted
 * whole; an unaligned head and tail are accepted; whatever lies below
 * the base or beyond the bitmap is accepted; the aligned rest is marked.
 * Pages are the granule; ranges need not be page aligned (they are
 * widened to whole pages).
 */
void accept_mark(struct accept_table *t, u64 start, u64 end);
int accept_edges(const struct accept_table *t, u64 start, u64 end, const struct accept_ops *ops,
		 struct accept_stats *st);

/*
 * Make [start, end) usable: accept every unit of it whose bit is set and
 * clear those bits. The range grows to whole units, plus one guard unit
 * past an end that is already unit aligned (a load that runs over a page
 * boundary into unaccepted memory would kill a real confidential guest,
 * Linux's load_unaligned_zeropad() case), then is clamped to the bitmap.
 * The backend sees each run of set bits once; a failure leaves that run's
 * bits set. Returns 0, or the first nonzero backend status. Accepting
 * again does nothing (invariant 7).
 */
int accept_range(struct accept_table *t, u64 start, u64 end, const struct accept_ops *ops,
		 struct accept_stats *st);

/* Whether accept_range(start, end) would accept anything: the same widening and guard. */
bool accept_has_unaccepted(const struct accept_table *t, u64 start, u64 end);

/* Bit of the unit holding addr; addr must lie in [phys_base, limit). */
bool accept_unit_pending(const struct accept_table *t, u64 addr);

/*
 * Where the stretch of [at, end) that starts at at ends (at most end):
 * a stretch is all in marked units or all outside them; *marked says
 * which. For callers that treat marked units apart from the rest (the
 * kernel's page tables, the page allocator's intake).
 */
u64 accept_stretch(const struct accept_table *t, u64 at, u64 end, bool *marked);

/* Set bits in the whole bitmap. */
u64 accept_pending_units(const struct accept_table *t);

/*
 * The lowest run of at least `units` (non-zero) set bits: its address in
 * *at. False when there is none. Where lazy acceptance takes memory from.
 */
bool accept_find_pending(const struct accept_table *t, u64 units, u64 *at);

#endif
