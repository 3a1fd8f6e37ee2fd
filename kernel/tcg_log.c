// SPDX-License-Identifier: BSD-2-Clause
/*
 * TPM event log records, sized (tcg_log.h). Each length field is read only
 * after checking that it lies inside the bytes the caller vouched for, and
 * every sum is checked against those bytes before it is used.
 */
#include "kernel/tcg_log.h"
#include "lib/string.h"

static u32 rd16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, 2);
	return v;
}

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

/* PFP 1.05 section 10.2.1: 32 bytes of header, the last field being the event size. */
u64 tcg_event1_size(const void *p, u64 avail)
{
	u64 size;

	if (avail < TCG_PCR_EVENT_HEAD)
		return 0;
	size = TCG_PCR_EVENT_HEAD + (u64)rd32((const u8 *)p + 28);
	if (size - TCG_PCR_EVENT_HEAD > TCG_MAX_EVENT_DATA || size > avail)
		return 0;
	return size;
}

/* PFP 1.05 section 10.4.5.1: the first record, EV_NO_ACTION in PCR 0, "Spec ID Event03". */
const char *tcg_spec_id_read(const void *log, u64 avail, struct tcg_spec_id *sid)
{
	static const char sig[16] = "Spec ID Event03";
	const u8 *p = log, *ev = p + TCG_PCR_EVENT_HEAD;
	u64 size = tcg_event1_size(log, avail);
	u32 n;

	if (!size)
		return "first event does not fit";
	if (rd32(p) != 0 || rd32(p + 4) != 3) /* PCR 0, EV_NO_ACTION */
		return "first event is not EV_NO_ACTION in PCR 0";
	if (size < TCG_PCR_EVENT_HEAD + TCG_SPEC_ID_HEAD || memcmp(ev, sig, sizeof(sig)))
		return "no \"Spec ID Event03\" signature";
	n = rd32(ev + 24);
	if (n == 0 || n > TCG_MAX_ALGS)
		return "implausible number of algorithms";
	if (size < TCG_PCR_EVENT_HEAD + TCG_SPEC_ID_HEAD + 4ull * n)
		return "algorithm list longer than the event";
	sid->nr_algs = n;
	for (u32 i = 0; i < n; i++) {
		sid->alg[i] = (u16)rd16(ev + TCG_SPEC_ID_HEAD + 4 * i);
		sid->size[i] = (u16)rd16(ev + TCG_SPEC_ID_HEAD + 4 * i + 2);
		if (sid->size[i] == 0 || sid->size[i] > TCG_MAX_DIGEST)
			return "implausible digest size";
	}
	return NULL;
}

/* The digest size the Spec ID event gives this algorithm, or 0 if it names none. */
static u32 digest_size(const struct tcg_spec_id *sid, u32 alg)
{
	for (u32 i = 0; i < sid->nr_algs && i < TCG_MAX_ALGS; i++)
		if (sid->alg[i] == alg)
			return sid->size[i];
	return 0;
}

/* PFP 1.05 section 10.2.2: the header, the digests (sizes from the Spec ID event), the event. */
u64 tcg_event2_size(const void *p, u64 avail, const struct tcg_spec_id *sid)
{
	const u8 *b = p;
	u64 off = TCG_PCR_EVENT2_HEAD;
	u32 count, type, data;

	if (avail < TCG_PCR_EVENT2_HEAD)
		return 0;
	type = rd32(b + 4);
	count = rd32(b + 8);
	if (count > sid->nr_algs) /* Linux's check too: one digest per bank at most */
		return 0;
	for (u32 i = 0; i < count; i++) {
		u32 ds;

		if (off + 2 > avail)
			return 0;
		ds = digest_size(sid, rd16(b + off));
		if (!ds)
			return 0;
		off += 2 + ds;
	}
	if (off + 4 > avail)
		return 0;
	data = rd32(b + off);
	off += 4;
	if (data > TCG_MAX_EVENT_DATA || off + data > avail || (type == 0 && data == 0))
		return 0;
	return off + data;
}

u64 tcg_log_size(const void *log, u64 last, u32 format, u64 avail, const char **why)
{
	struct tcg_spec_id sid;
	const char *bad;
	u64 size;

	*why = NULL;
	if (avail > TCG_MAX_LOG_BYTES)
		avail = TCG_MAX_LOG_BYTES;
	if (last >= avail) {
		*why = "last entry implausibly far from the start";
		return 0;
	}
	if (format == TCG_LOG_FORMAT_1_2 || (format == TCG_LOG_FORMAT_2 && last == 0)) {
		size = tcg_event1_size((const u8 *)log + last, avail - last);
	} else if (format == TCG_LOG_FORMAT_2) {
		bad = tcg_spec_id_read(log, avail, &sid);
		if (bad) {
			*why = bad;
			return 0;
		}
		size = tcg_event2_size((const u8 *)log + last, avail - last, &sid);
	} else {
		*why = "unknown log format";
		return 0;
	}
	if (!size)
		*why = "last entry malformed or too large";
	return size ? last + size : 0;
}
