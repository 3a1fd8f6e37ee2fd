// SPDX-License-Identifier: BSD-2-Clause
/*
 * The memory attributes table's rules (UEFI 2.10 section 4.6.4), checked
 * without trusting the table: every field is copied out before it is
 * used, every size is computed in 64 bits, and nothing past the bytes the
 * caller has is read.
 */
#include "lib/printf.h"
#include "lib/string.h"
#include "memmap/mat_check.h"

static const struct {
	const char *name;
	enum mm_severity severity;
} mat_checks[MM_NR_MAT_CHECKS] = {
	[MM_MAT_UNUSABLE] = { "mat-unusable", MM_SEV_ERROR },
	[MM_MAT_NO_RO_XP] = { "mat-no-ro-xp", MM_SEV_WARNING },
	[MM_MAT_TYPE] = { "mat-type", MM_SEV_ERROR },
	[MM_MAT_UNALIGNED] = { "mat-unaligned", MM_SEV_ERROR },
	[MM_MAT_OUTSIDE_RUNTIME] = { "mat-outside-runtime", MM_SEV_ERROR },
	[MM_MAT_OVERLAP] = { "mat-overlap", MM_SEV_ERROR },
};

const char *mm_mat_check_name(enum mm_mat_check check)
{
	return (unsigned)check < MM_NR_MAT_CHECKS ? mat_checks[check].name : "unknown-check";
}

void mm_mat_read_header(const void *mat, struct mm_mat_header *h)
{
	memcpy(h, mat, sizeof(*h));
}

u64 mm_mat_size(const struct mm_mat_header *h)
{
	return MM_MAT_HEADER_SIZE + (u64)h->nr_entries * h->desc_size;
}

void mm_mat_read_entry(const void *mat, u32 i, struct mm_desc *md)
{
	struct mm_mat_header h;

	mm_mat_read_header(mat, &h);
	memcpy(md, (const u8 *)mat + MM_MAT_HEADER_SIZE + (u64)i * h.desc_size, sizeof(*md));
}

struct mat_validator {
	mm_mat_finding_fn fn;
	void *ctx;
	struct mm_mat_validation *v;
};

static void report(struct mat_validator *vs, enum mm_mat_check check, u32 index, u32 other,
		   u64 value)
{
	struct mm_mat_finding f = { .check = check,
				    .severity = mat_checks[check].severity,
				    .index = index,
				    .other = other,
				    .value = value };

	vs->v->by_severity[f.severity]++;
	vs->v->by_check[check]++;
	if (vs->fn)
		vs->fn(&f, vs->ctx);
}

/* The header's first problem (UEFI 2.10 section 4.6.4), or -1 when it is sound. */
static int header_problem(const void *mat, u64 size, u64 *value)
{
	struct mm_mat_header h;

	if (size < MM_MAT_HEADER_SIZE) {
		*value = size;
		return MM_MAT_SHORT;
	}
	mm_mat_read_header(mat, &h);
	if (h.version < 1 || h.version > 2) {
		*value = h.version;
		return MM_MAT_VERSION;
	}
	/* DescriptorSize: the EFI_MEMORY_DESCRIPTOR's size, which may grow but never shrink. */
	if (h.desc_size < MM_DESC_MIN_SIZE || h.desc_size % 8) {
		*value = h.desc_size;
		return MM_MAT_DESC_SIZE;
	}
	if (size != mm_mat_size(&h)) {
		*value = size;
		return MM_MAT_SIZE;
	}
	return -1;
}

/* The map entry with EFI_MEMORY_RUNTIME that holds all of md, or false. */
static bool inside_runtime(const struct memmap *map, const struct mm_desc *md)
{
	u64 end = mm_desc_end(md);

	for (u32 i = 0; i < map->nr_map; i++) {
		struct mm_desc e;

		memcpy(&e, (const u8 *)map->base + (size_t)i * map->desc_size, sizeof(e));
		if ((e.attribute & MM_ATTR_RUNTIME) && e.num_pages &&
		    md->phys_addr >= e.phys_addr && end <= mm_desc_end(&e))
			return true;
	}
	return false;
}

/* The map entry holding addr (any type), or MM_NO_INDEX. */
static u32 map_entry_at(const struct memmap *map, u64 addr)
{
	for (u32 i = 0; i < map->nr_map; i++) {
		struct mm_desc e;

		memcpy(&e, (const u8 *)map->base + (size_t)i * map->desc_size, sizeof(e));
		if (e.num_pages && addr >= e.phys_addr && addr < mm_desc_end(&e))
			return i;
	}
	return MM_NO_INDEX;
}

/* The first earlier entry sharing a byte with entry i (empty entries share none), or MM_NO_INDEX.
 */
static u32 earlier_overlap(const void *mat, u32 i, const struct mm_desc *md, u64 *bytes)
{
	u64 end = mm_desc_end(md);

	if (!md->num_pages)
		return MM_NO_INDEX;
	for (u32 k = 0; k < i; k++) {
		struct mm_desc o;
		u64 oend, lo, hi;

		mm_mat_read_entry(mat, k, &o);
		oend = mm_desc_end(&o);
		if (!o.num_pages || o.phys_addr >= end || md->phys_addr >= oend)
			continue;
		lo = o.phys_addr > md->phys_addr ? o.phys_addr : md->phys_addr;
		hi = oend < end ? oend : end;
		*bytes = hi - lo;
		return k;
	}
	return MM_NO_INDEX;
}

void mm_mat_validate(const void *mat, u64 size, const struct memmap *map, mm_mat_finding_fn fn,
		     void *ctx, struct mm_mat_validation *v)
{
	struct mm_mat_validation local = { 0 };
	struct mat_validator vs = { .fn = fn, .ctx = ctx, .v = v ? v : &local };
	struct mm_mat_header h;
	bool map_ok = map && map->base && map->desc_size >= MM_DESC_MIN_SIZE;
	u64 value = 0;
	int problem;

	memset(vs.v, 0, sizeof(*vs.v));
	problem = mat ? header_problem(mat, size, &value) : MM_MAT_SHORT;
	if (problem >= 0) {
		report(&vs, MM_MAT_UNUSABLE, MM_NO_INDEX, (u32)problem, value);
		return;
	}
	vs.v->usable = true;
	mm_mat_read_header(mat, &h);
	for (u32 i = 0; i < h.nr_entries; i++) {
		struct mm_desc md;
		u64 bytes = 0;
		u32 other;

		mm_mat_read_entry(mat, i, &md);
		if (md.type != MM_RUNTIME_CODE && md.type != MM_RUNTIME_DATA)
			report(&vs, MM_MAT_TYPE, i, MM_NO_INDEX, md.type);
		if (md.phys_addr & (PAGE_SIZE - 1))
			report(&vs, MM_MAT_UNALIGNED, i, MM_NO_INDEX, md.phys_addr);
		if (!(md.attribute & (MM_ATTR_RO | MM_ATTR_XP)))
			report(&vs, MM_MAT_NO_RO_XP, i, MM_NO_INDEX, md.attribute);
		if (map_ok && !inside_runtime(map, &md))
			report(&vs, MM_MAT_OUTSIDE_RUNTIME, i, map_entry_at(map, md.phys_addr),
			       md.phys_addr);
		other = earlier_overlap(mat, i, &md, &bytes);
		if (other != MM_NO_INDEX)
			report(&vs, MM_MAT_OVERLAP, i, other, bytes);
	}
}

/* "MAT entry 3 (Runtime Code [0x...-0x...], RO|RUN)": how every message names an entry. */
static int format_mat_entry(char *buf, size_t size, const void *mat, u32 i)
{
	struct mm_desc md;
	char type[24];
	u64 last;

	mm_mat_read_entry(mat, i, &md);
	if (*mm_type_name(md.type))
		fmt_snprintf(type, sizeof(type), "%s", mm_type_name(md.type));
	else
		fmt_snprintf(type, sizeof(type), "type %u", md.type);
	last = md.phys_addr + (md.num_pages << PAGE_SHIFT) - !!md.num_pages;
	return fmt_snprintf(buf, size, "MAT entry %u (%s [0x%llx-0x%llx], %s%s%s)", i, type,
			    (unsigned long long)md.phys_addr, (unsigned long long)last,
			    (md.attribute & MM_ATTR_RO) ? "RO " : "",
			    (md.attribute & MM_ATTR_XP) ? "XP " : "",
			    (md.attribute & MM_ATTR_RUNTIME) ? "RUN" : "no RUN");
}

/* "entry 7 (Boot Data [0x...-0x...], mem07)": a map entry, as memmap/validate.c names it. */
static int format_map_entry(char *buf, size_t size, const struct memmap *map, u32 i)
{
	struct mm_desc md;

	if (!map || !map->base || i >= map->nr_map || map->desc_size < MM_DESC_MIN_SIZE)
		return fmt_snprintf(buf, size, "no entry of the map");
	memcpy(&md, (const u8 *)map->base + (size_t)i * map->desc_size, sizeof(md));
	return fmt_snprintf(
		buf, size, "map entry %u (%s [0x%llx-0x%llx], mem%02u)", i,
		*mm_type_name(md.type) ? mm_type_name(md.type) : "unknown type",
		(unsigned long long)md.phys_addr,
		(unsigned long long)(md.phys_addr + (md.num_pages << PAGE_SHIFT) - !!md.num_pages),
		i);
}

int mm_mat_finding_format(char *buf, size_t size, const struct mm_mat_finding *f, const void *mat,
			  const struct memmap *map)
{
	static const char spec[] = "UEFI 2.10 section 4.6.4";
	char e[112], o[112];
	unsigned long long val = f->value;

	if (f->check == MM_MAT_UNUSABLE) {
		switch (f->other) {
		case MM_MAT_SHORT:
			return fmt_snprintf(
				buf, size,
				"the memory attributes table is %llu bytes, shorter than "
				"its 16-byte header (%s)",
				val, spec);
		case MM_MAT_VERSION:
			return fmt_snprintf(buf, size,
					    "the memory attributes table has version %llu; only 1 "
					    "and 2 are defined, so an OS must ignore it (%s)",
					    val, spec);
		case MM_MAT_DESC_SIZE:
			return fmt_snprintf(buf, size,
					    "the memory attributes table's DescriptorSize is %llu: "
					    "it must hold a 40-byte EFI_MEMORY_DESCRIPTOR and be a "
					    "multiple of 8 (%s)",
					    val, spec);
		default: {
			struct mm_mat_header h;

			mm_mat_read_header(mat, &h);
			return fmt_snprintf(buf, size,
					    "the memory attributes table is %llu bytes, but its "
					    "header says 16 + %u entries x %u bytes = %llu (%s)",
					    val, h.nr_entries, h.desc_size,
					    (unsigned long long)mm_mat_size(&h), spec);
		}
		}
	}
	format_mat_entry(e, sizeof(e), mat, f->index);
	switch (f->check) {
	case MM_MAT_NO_RO_XP:
		return fmt_snprintf(
			buf, size,
			"%s has neither EFI_MEMORY_RO nor EFI_MEMORY_XP: an OS must map "
			"it writable and executable (%s)",
			e, spec);
	case MM_MAT_TYPE:
		return fmt_snprintf(buf, size,
				    "%s has memory type %llu: only Runtime Services Code (5) and "
				    "Data (6) belong in the table (%s)",
				    e, val, spec);
	case MM_MAT_UNALIGNED:
		return fmt_snprintf(buf, size, "%s starts at 0x%llx, not on a 4 KiB boundary (%s)",
				    e, val, spec);
	case MM_MAT_OUTSIDE_RUNTIME:
		format_map_entry(o, sizeof(o), map, f->other);
		return fmt_snprintf(
			buf, size,
			"%s lies in no runtime region (EFI_MEMORY_RUNTIME) of the memory "
			"map; its start is in %s (%s)",
			e, o, spec);
	case MM_MAT_OVERLAP:
		format_mat_entry(o, sizeof(o), mat, f->other);
		return fmt_snprintf(buf, size, "%s overlaps %s by 0x%llx bytes (%s)", e, o, val,
				    spec);
	default:
		break;
	}
	return fmt_snprintf(buf, size, "finding %u on %s (%s)", (unsigned)f->check, e, spec);
}
