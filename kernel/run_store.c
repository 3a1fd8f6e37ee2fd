// SPDX-License-Identifier: BSD-2-Clause
/*
 * Planning the stored results (kernel/run_store.h): pure arithmetic over
 * what QueryVariableInfo said (UEFI 2.10 section 8.2.5), built for the host
 * too.
 */
#include "kernel/run_store.h"
#include "lib/string.h"

_Static_assert(sizeof(struct run_store_header) == 40 + 32 * RUN_STORE_FILES,
	       "run store header layout");

u32 run_store_capacity(const struct report_var_store *vs, u32 *chunk)
{
	u64 per_var, avail, best = 0;

	if (!vs->known) {
		*chunk = RUN_BLIND_CHUNK;
		return RUN_BLIND_TOTAL;
	}
	/* edk2 checks name + data against MaximumVariableSize. */
	per_var = vs->max_variable > RUN_VAR_NAME_BYTES ? vs->max_variable - RUN_VAR_NAME_BYTES : 0;
	if (per_var > RUN_VAR_DATA_MAX)
		per_var = RUN_VAR_DATA_MAX;
	*chunk = (u32)per_var;
	if (!per_var || vs->remaining <= RUN_STORE_MARGIN)
		return 0;
	avail = vs->remaining - RUN_STORE_MARGIN;
	/* n variables hold up to n * per_var bytes and cost their names and overhead too. */
	for (u64 n = 1; n <= RUN_STORE_MAX_VARS; n++) {
		u64 cost = n * (RUN_VAR_NAME_BYTES + RUN_VAR_OVERHEAD), room;

		if (cost >= avail)
			break;
		room = avail - cost;
		if (room > n * per_var)
			room = n * per_var;
		if (room > best)
			best = room;
	}
	return best > 0xffffffffu ? 0xffffffffu : (u32)best;
}

void run_store_plan(const struct report_var_store *vs, u32 text_len, u32 map_len, u32 slack,
		    struct run_store_plan *p)
{
	u64 hdr = sizeof(struct run_store_header);
	u64 text = (u64)text_len + slack;

	p->capacity = run_store_capacity(vs, &p->chunk);
	p->blind = !vs->known;
	p->map = map_len && hdr + text + map_len <= p->capacity;
	if (p->map || hdr + text <= p->capacity) {
		p->text_limit = (u32)text;
		return;
	}
	/* Cut the text: what is left after the header, if it is worth anything. */
	p->text_limit = p->capacity > hdr + RUN_TEXT_MIN ? (u32)(p->capacity - hdr) : 0;
}

void run_store_var_name(u16 *out, u32 i)
{
	static const char base[] = "EfimapRun";
	u32 k = 0;

	for (; base[k]; k++)
		out[k] = (u16)base[k];
	out[k++] = (u16)('0' + i / 10 % 10);
	out[k++] = (u16)('0' + i % 10);
	out[k] = 0;
}

const char *run_store_check_header(const struct run_store_header *rh, size_t first)
{
	if (first < sizeof(*rh) || memcmp(rh->magic, RUN_STORE_MAGIC, sizeof(RUN_STORE_MAGIC)))
		return "EfimapRun00 has no run-store header";
	if (rh->version != RUN_STORE_VERSION || rh->header_size != sizeof(*rh))
		return "the run-store header is of another version";
	if (!rh->nr_vars || rh->nr_vars > RUN_STORE_MAX_VARS || rh->total_size < sizeof(*rh) ||
	    rh->nr_files > RUN_STORE_FILES || !rh->chunk_size ||
	    (u64)rh->chunk_size * rh->nr_vars < rh->total_size ||
	    (u64)rh->chunk_size * (rh->nr_vars - 1) >= rh->total_size)
		return "the run-store header's sizes do not add up";
	for (u32 i = 0; i < rh->nr_files; i++) {
		const struct run_store_file *f = &rh->files[i];

		if (f->offset < sizeof(*rh) || f->offset > rh->total_size ||
		    f->size > rh->total_size - f->offset || !f->name[0] ||
		    f->name[sizeof(f->name) - 1])
			return "a file of the run store lies outside it";
		for (const char *c = f->name; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
			      *c == '-'))
				return "a file of the run store has a name that is not lower-case "
				       "a-z0-9.-";
	}
	return NULL;
}
