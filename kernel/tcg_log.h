/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sizing TPM event log records without trusting them, for the stub (the
 * size of the TCG2 event log from its last entry) and the kernel (the
 * events of the TCG2 final events table); Linux does the same sizing in
 * efi_tpm_eventlog_init. Freestanding: every read stays inside an explicit
 * number of bytes the caller vouches for.
 *
 * Layouts, from the TCG PC Client Platform Firmware Profile spec (PFP) 1.05:
 *   TCG_PCClientPCREvent (section 10.2.1): u32 PCR index, u32 event type,
 *     20-byte SHA1 digest, u32 event size, event data. The record of a
 *     TCG 1.2 (SHA1) log, and the first record of a crypto-agile log.
 *   TCG_PCR_EVENT2 (section 10.2.2): u32 PCR index, u32 event type, u32
 *     digest count, then per digest a u16 algorithm id and the digest (its
 *     size is not in the record), then u32 event size and event data.
 *   TCG_EfiSpecIDEvent (section 10.4.5.1): the first record's event data in
 *     a crypto-agile log: "Spec ID Event03\0", u32 platform class, four u8
 *     (version minor, major, errata, uintn size), u32 algorithm count, then
 *     per algorithm u16 id and u16 digest size: where digest sizes come from.
 */
#ifndef EFIMAP_KERNEL_TCG_LOG_H
#define EFIMAP_KERNEL_TCG_LOG_H

#include "lib/types.h"

/* EFI_TCG2_EVENT_LOG_FORMAT (TCG EFI Protocol spec, GetEventLog). */
#define TCG_LOG_FORMAT_1_2 1u
#define TCG_LOG_FORMAT_2   2u

#define TCG_PCR_EVENT_HEAD  32u /* TCG_PCClientPCREvent up to its event data */
#define TCG_PCR_EVENT2_HEAD 12u /* TCG_PCR_EVENT2 up to its first digest */
#define TCG_SPEC_ID_HEAD    28u /* TCG_EfiSpecIDEvent up to its digest sizes */

/* Sane limits: more than this is a broken log, not a big one. */
#define TCG_MAX_ALGS	   16u
#define TCG_MAX_DIGEST	   64u	       /* SHA-512, the largest digest a TPM 2.0 offers */
#define TCG_MAX_EVENT_DATA (16u << 20) /* one event's data */
#define TCG_MAX_LOG_BYTES  (64u << 20) /* a whole log */
#define TCG_MAX_EVENTS	   65536u      /* events in a final events table */

/* The digest sizes a crypto-agile log declares in its Spec ID event. */
struct tcg_spec_id {
	u32 nr_algs;
	u16 alg[TCG_MAX_ALGS];
	u16 size[TCG_MAX_ALGS];
};

/*
 * The size of the TCG_PCClientPCREvent at p (32 bytes + its event size), or
 * 0 when it does not fit in avail bytes or its event is implausibly large.
 */
u64 tcg_event1_size(const void *p, u64 avail);

/*
 * Read the Spec ID event that opens a crypto-agile log at log (avail bytes
 * readable). NULL when it is one (sid filled), else what is wrong with it.
 */
const char *tcg_spec_id_read(const void *log, u64 avail, struct tcg_spec_id *sid);

/*
 * The size of the TCG_PCR_EVENT2 at p, or 0 when it is malformed (more
 * digests than the Spec ID event declares, an algorithm it does not name,
 * event type 0 with no data: what Linux treats as the end), implausibly
 * large, or does not fit in avail bytes.
 */
u64 tcg_event2_size(const void *p, u64 avail, const struct tcg_spec_id *sid);

/*
 * The size of a whole log in this format (TCG_LOG_FORMAT_*), from its start
 * and the offset of its last entry, as EFI_TCG2_PROTOCOL.GetEventLog gives
 * them, with avail bytes readable from log: last + the last entry's size.
 * In a crypto-agile log a last entry at offset 0 is the Spec ID event
 * itself (TCG_PCClientPCREvent). 0 with *why set when it cannot be sized.
 */
u64 tcg_log_size(const void *log, u64 last, u32 format, u64 avail, const char **why);

#endif
