// SPDX-License-Identifier: BSD-2-Clause
/*
 * Validation: every rule a firmware map can break that efimap knows of,
 * checked in O(n) without touching the map. Descriptors are copied out with
 * memcpy before they are looked at, so that a hostile desc_size (say 44,
 * which leaves the 64-bit fields unaligned) is reported instead of being
 * undefined behaviour.
 */
#include "lib/printf.h"
#include "lib/string.h"
#include "memmap/validate.h"

struct check_info {
	const char *name;
	enum mm_severity severity; /* the usual one; a finding may differ */
	bool needs_order;
};

static const struct check_info checks[MM_NR_CHECKS] = {
	[MM_CHECK_DESC_SIZE] = { "desc-size", MM_SEV_ERROR, false },
	[MM_CHECK_DESC_VERSION] = { "desc-version", MM_SEV_WARNING, false },
	[MM_CHECK_TRAILING_ZERO] = { "trailing-zero", MM_SEV_WARNING, false },
	[MM_CHECK_ZERO_PAGES] = { "zero-pages", MM_SEV_WARNING, false },
	[MM_CHECK_OVERFLOW] = { "overflow", MM_SEV_ERROR, false },
	[MM_CHECK_UNALIGNED] = { "unaligned", MM_SEV_ERROR, false },
	[MM_CHECK_UNKNOWN_TYPE] = { "unknown-type", MM_SEV_WARNING, false },
	[MM_CHECK_UNDEFINED_ATTR] = { "undefined-attr", MM_SEV_WARNING, false },
	[MM_CHECK_RUNTIME_TYPE] = { "runtime-type", MM_SEV_WARNING, false },
	[MM_CHECK_RUNTIME_ALIGN_64K] = { "runtime-align-64k", MM_SEV_INFO, false },
	[MM_CHECK_MMIO_NO_UC] = { "mmio-no-uc", MM_SEV_WARNING, false },
	[MM_CHECK_RAM_NO_CACHE] = { "ram-no-cache", MM_SEV_WARNING, false },
	[MM_CHECK_UNSORTED] = { "unsorted", MM_SEV_WARNING, false },
	[MM_CHECK_OVERLAP] = { "overlap", MM_SEV_ERROR, true },
	[MM_CHECK_MERGEABLE] = { "mergeable", MM_SEV_INFO, true },
	[MM_CHECK_LAYOUT_NO_ROOM] = { "layout-no-room", MM_SEV_ERROR, false },
	[MM_CHECK_LAYOUT_BAD_ENTRY] = { "layout-bad-entry", MM_SEV_ERROR, false },
	[MM_CHECK_ISA_NO_VALID] = { "isa-no-valid", MM_SEV_WARNING, false },
	[MM_CHECK_RUNTIME_NO_ATTR] = { "runtime-no-attr", MM_SEV_WARNING, false },
	[MM_CHECK_ABOVE_4LEVEL] = { "above-4-level", MM_SEV_INFO, false },
};

static const char *const severity_names[MM_NR_SEVERITIES] = { "info", "warning", "error" };

const char *mm_check_name(enum mm_check check)
{
	return (unsigned)check < MM_NR_CHECKS ? checks[check].name : "unknown-check";
}

const char *mm_severity_name(enum mm_severity sev)
{
	return (unsigned)sev < MM_NR_SEVERITIES ? severity_names[sev] : "unknown";
}

const char *mm_arch_name(enum mm_arch arch)
{
	return arch == MM_ARCH_ARM64 ? "arm64" : "x86";
}

bool mm_check_needs_order(enum mm_check check)
{
	return (unsigned)check < MM_NR_CHECKS && checks[check].needs_order;
}

/*
 * A runtime region whose start or size is not a multiple of 64 KiB. UEFI
 * 2.10 section 2.3.6 (AArch64 platforms) requires runtime memory (runtime
 * code and data, reserved, ACPI NVS) to come in whole 64 KiB pages with one
 * set of attributes, since an OS may run with 64 KiB pages and must map each
 * region apart from its neighbours: an error on arm64. Runtime MMIO is
 * device memory an OS maps by its type, not part of that rule (edk2 aligns
 * its runtime memory to 64 KiB on AArch64 but not its MMIO pages, e.g. the
 * PL031 RTC's 4 KiB under QEMU): info, as any of it on x86.
 */
static enum mm_severity runtime_align_severity(enum mm_arch arch, u32 type)
{
	if (arch != MM_ARCH_ARM64 || type == MM_MMIO || type == MM_MMIO_PORT)
		return MM_SEV_INFO;
	return MM_SEV_ERROR;
}

struct validator {
	const struct memmap *map;
	mm_finding_fn fn;
	void *ctx;
	struct mm_validation *v;
	enum mm_arch arch;
};

static void report_sev(struct validator *vs, enum mm_check check, enum mm_severity sev, u32 index,
		       u32 other, u64 value)
{
	struct mm_finding f = {
		.check = check, .severity = sev, .index = index, .other = other, .value = value
	};

	vs->v->by_severity[sev]++;
	vs->v->by_check[check]++;
	if (vs->fn)
		vs->fn(&f, vs->ctx);
}

static void report(struct validator *vs, enum mm_check check, u32 index, u32 other, u64 value)
{
	report_sev(vs, check, checks[check].severity, index, other, value);
}

/* Descriptor i copied out: safe at any stride of at least 40 bytes. */
static void read_desc(const struct memmap *map, u32 i, struct mm_desc *md)
{
	memcpy(md, (const u8 *)map->base + (size_t)i * map->desc_size, sizeof(*md));
}

static bool desc_all_zero(const struct mm_desc *md)
{
	return !md->type && !md->pad && !md->phys_addr && !md->virt_addr && !md->num_pages &&
	       !md->attribute;
}

/* start + pages * 4 KiB > 2^64 (an end of exactly 2^64 is fine). */
static bool desc_overflows(const struct mm_desc *md)
{
	const u64 all_pages = 1ULL << (64 - PAGE_SHIFT); /* the whole space */

	if (md->num_pages >= all_pages)
		return md->num_pages > all_pages || md->phys_addr;
	return md->phys_addr && (md->num_pages << PAGE_SHIFT) > 0 - md->phys_addr;
}

/* Types whose contents are memory an OS maps with a cacheability. */
static bool type_is_memory(u32 type)
{
	switch (type) {
	case MM_LOADER_CODE:
	case MM_LOADER_DATA:
	case MM_BOOT_CODE:
	case MM_BOOT_DATA:
	case MM_RUNTIME_CODE:
	case MM_RUNTIME_DATA:
	case MM_CONVENTIONAL:
	case MM_ACPI_RECLAIM:
	case MM_ACPI_NVS:
	case MM_PERSISTENT:
	case MM_UNACCEPTED:
		return true;
	default:
		return false;
	}
}

/* UEFI 2.10 section 7.2: only these may carry EFI_MEMORY_RUNTIME meaningfully. */
static bool type_may_be_runtime(u32 type)
{
	switch (type) {
	case MM_RESERVED:
	case MM_RUNTIME_CODE:
	case MM_RUNTIME_DATA:
	case MM_MMIO:
	case MM_MMIO_PORT:
	case MM_PAL_CODE:
		return true;
	default:
		return false;
	}
}

#define MM_TYPE_OEM_FIRST 0x70000000u
#define MM_TYPE_OS_FIRST  0x80000000u

/* 4-level paging: 48-bit addresses, the most an OS without LA57 can map. */
#define MM_4LEVEL_LIMIT (1ULL << 48)

/* Checks that look at one entry alone. */
static void check_entry(struct validator *vs, u32 i, const struct mm_desc *md)
{
	u64 cache = md->attribute & (MM_ATTR_UC | MM_ATTR_WC | MM_ATTR_WT | MM_ATTR_WB);
	u64 undefined = md->attribute & ~MM_ATTR_DEFINED;

	if (!md->num_pages)
		report(vs, MM_CHECK_ZERO_PAGES, i, MM_NO_INDEX, 0);
	if (md->phys_addr & (PAGE_SIZE - 1))
		report(vs, MM_CHECK_UNALIGNED, i, MM_NO_INDEX, md->phys_addr);
	if (desc_overflows(md))
		report(vs, MM_CHECK_OVERFLOW, i, MM_NO_INDEX, md->num_pages);
	if (md->type >= MM_NR_TYPES)
		/* OEM and OS-loader types are allowed by the spec; unassigned ones are not. */
		report_sev(vs, MM_CHECK_UNKNOWN_TYPE,
			   md->type >= MM_TYPE_OEM_FIRST ? MM_SEV_INFO : MM_SEV_WARNING, i,
			   MM_NO_INDEX, md->type);
	if (undefined)
		report(vs, MM_CHECK_UNDEFINED_ATTR, i, MM_NO_INDEX, undefined);
	if ((md->attribute & MM_ATTR_RUNTIME) && !type_may_be_runtime(md->type))
		report(vs, MM_CHECK_RUNTIME_TYPE, i, MM_NO_INDEX, md->type);
	if ((md->attribute & MM_ATTR_RUNTIME) &&
	    ((md->phys_addr | (md->num_pages << PAGE_SHIFT)) & (SZ_64K - 1)))
		report_sev(vs, MM_CHECK_RUNTIME_ALIGN_64K, runtime_align_severity(vs->arch, md->type),
			   i, MM_NO_INDEX, md->phys_addr);
	if ((md->attribute & MM_ATTR_ISA_MASK) && !(md->attribute & MM_ATTR_ISA_VALID))
		report(vs, MM_CHECK_ISA_NO_VALID, i, MM_NO_INDEX, md->attribute & MM_ATTR_ISA_MASK);
	if ((md->type == MM_RUNTIME_CODE || md->type == MM_RUNTIME_DATA) &&
	    !(md->attribute & MM_ATTR_RUNTIME))
		report(vs, MM_CHECK_RUNTIME_NO_ATTR, i, MM_NO_INDEX, md->type);
	/* Past 2^64 is the overflow check's; the end is exclusive, so 2^48 itself fits. */
	if (md->num_pages && !desc_overflows(md) &&
	    (md->phys_addr >= MM_4LEVEL_LIMIT ||
	     md->num_pages > (MM_4LEVEL_LIMIT - md->phys_addr) >> PAGE_SHIFT))
		report(vs, MM_CHECK_ABOVE_4LEVEL, i, MM_NO_INDEX, md->phys_addr);
	if ((md->type == MM_MMIO || md->type == MM_MMIO_PORT) && !(md->attribute & MM_ATTR_UC))
		report(vs, MM_CHECK_MMIO_NO_UC, i, MM_NO_INDEX, md->attribute);
	if (type_is_memory(md->type) && !cache)
		report(vs, MM_CHECK_RAM_NO_CACHE, i, MM_NO_INDEX, md->attribute);
}

/*
 * Overlap and mergeable neighbours on a sorted map: an entry overlaps an
 * earlier one exactly when it starts below the furthest end seen so far.
 */
static void check_order(struct validator *vs, u32 n)
{
	struct mm_desc md, prev = { 0 };
	u64 max_end = 0;
	u32 max_end_index = MM_NO_INDEX, prev_index = MM_NO_INDEX;

	for (u32 i = 0; i < n; i++) {
		read_desc(vs->map, i, &md);
		if (!md.num_pages)
			continue;
		if (max_end_index != MM_NO_INDEX && md.phys_addr < max_end)
			report(vs, MM_CHECK_OVERLAP, i, max_end_index, max_end - md.phys_addr);
		else if (prev_index != MM_NO_INDEX && mm_desc_end(&prev) == md.phys_addr &&
			 prev.type == md.type && prev.attribute == md.attribute)
			report(vs, MM_CHECK_MERGEABLE, i, prev_index, md.phys_addr);
		if (max_end_index == MM_NO_INDEX || mm_desc_end(&md) > max_end) {
			max_end = mm_desc_end(&md);
			max_end_index = i;
		}
		prev = md;
		prev_index = i;
	}
}

void memmap_validate(const struct memmap *map, mm_finding_fn fn, void *ctx,
		     struct mm_validation *v)
{
	memmap_validate_arch(map, MM_ARCH_X86, fn, ctx, v);
}

void memmap_validate_arch(const struct memmap *map, enum mm_arch arch, mm_finding_fn fn, void *ctx,
			  struct mm_validation *v)
{
	struct mm_validation local = { 0 };
	struct validator vs = {
		.map = map, .fn = fn, .ctx = ctx, .v = v ? v : &local, .arch = arch
	};
	struct mm_desc md;
	u32 n = map->nr_map, prev = MM_NO_INDEX, bad = MM_NO_INDEX, bad_prev = MM_NO_INDEX;
	u64 prev_start = 0;

	memset(vs.v, 0, sizeof(*vs.v));
	/* UEFI 2.10 section 7.2 GetMemoryMap: DescriptorSize may exceed the struct, never shrink it. */
	if (map->desc_size < MM_DESC_MIN_SIZE || map->desc_size % 8) {
		report(&vs, MM_CHECK_DESC_SIZE, MM_NO_INDEX, MM_NO_INDEX, map->desc_size);
		if (map->desc_size < MM_DESC_MIN_SIZE)
			return;
	}
	if (map->desc_version != MM_DESC_VERSION)
		report(&vs, MM_CHECK_DESC_VERSION, MM_NO_INDEX, MM_NO_INDEX, map->desc_version);
	if (!map->base)
		return;

	/* A tail of all-zero descriptors: entries counted but never filled in. */
	while (n > 0) {
		read_desc(map, n - 1, &md);
		if (!desc_all_zero(&md))
			break;
		n--;
	}
	if (n < map->nr_map)
		report(&vs, MM_CHECK_TRAILING_ZERO, n, map->nr_map - n, 0);

	/*
	 * One pass for the per-entry checks and the order: entries that cover
	 * something must each start at or after the one before.
	 */
	for (u32 i = 0; i < n; i++) {
		read_desc(map, i, &md);
		check_entry(&vs, i, &md);
		if (!md.num_pages)
			continue;
		if (bad == MM_NO_INDEX && prev != MM_NO_INDEX && md.phys_addr < prev_start) {
			bad = i;
			bad_prev = prev;
		}
		prev = i;
		prev_start = md.phys_addr;
	}

	vs.v->sorted = bad == MM_NO_INDEX;
	if (!vs.v->sorted)
		report(&vs, MM_CHECK_UNSORTED, bad, bad_prev, 0);
	else
		check_order(&vs, n);
}

/* Entry i's type, or 0xffffffff when map cannot give it (no map, index out of range). */
static u32 entry_type(const struct memmap *map, u32 i)
{
	struct mm_desc md;

	if (!map || !map->base || i >= map->nr_map || map->desc_size < MM_DESC_MIN_SIZE)
		return 0xffffffffu;
	read_desc(map, i, &md);
	return md.type;
}

/* "entry 7 (Boot Data [0x...-0x...])", the way every message names an entry. */
static int format_entry(char *buf, size_t size, const struct memmap *map, u32 i)
{
	struct mm_desc md;
	char type[24], last[24];

	if (!map || !map->base || i >= map->nr_map || map->desc_size < MM_DESC_MIN_SIZE)
		return fmt_snprintf(buf, size, "entry %u (mem%02u)", i, i);
	read_desc(map, i, &md);
	if (*mm_type_name(md.type))
		fmt_snprintf(type, sizeof(type), "%s", mm_type_name(md.type));
	else
		fmt_snprintf(type, sizeof(type), "type %u", md.type);
	/* The last byte, as Linux prints ranges; an end past 2^64 cannot be printed as one. */
	if (desc_overflows(&md))
		fmt_snprintf(last, sizeof(last), "past 2^64");
	else
		fmt_snprintf(last, sizeof(last), "0x%llx",
			     (unsigned long long)(md.phys_addr + (md.num_pages << PAGE_SHIFT) -
						  !!md.num_pages));
	/* memNN: the name Linux's efi=debug lines give the entry, to grep dmesg with. */
	return fmt_snprintf(buf, size, "entry %u (%s [0x%llx-%s], mem%02u)", i, type,
			    (unsigned long long)md.phys_addr, last, i);
}

static const char *type_range(u64 type)
{
	if (type >= MM_TYPE_OS_FIRST)
		return "the range reserved for OS loaders (0x80000000-0xffffffff)";
	if (type >= MM_TYPE_OEM_FIRST)
		return "the OEM range (0x70000000-0x7fffffff)";
	return "the range reserved for future UEFI versions (16-0x6fffffff)";
}

/* "bit 5, bit 21": the bits of attr, in order; "..." when they do not all fit. */
static void undefined_bits(char *buf, size_t size, u64 attr)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < 64; bit++) {
		int n;

		if (!(attr & (1ULL << bit)))
			continue;
		if (used + 12 >= size) {
			fmt_snprintf(buf + used, size - used, ", ...");
			return;
		}
		n = fmt_snprintf(buf + used, size - used, "%sbit %u", used ? ", " : "", bit);
		used += (size_t)n;
	}
}

int mm_finding_format(char *buf, size_t size, const struct mm_finding *f, const struct memmap *map)
{
	char e[96], o[96], bits[64];
	unsigned long long val = f->value;

	format_entry(e, sizeof(e), map, f->index);
	format_entry(o, sizeof(o), map, f->other);
	switch (f->check) {
	case MM_CHECK_DESC_SIZE:
		return fmt_snprintf(buf, size,
				    "descriptor size is %llu bytes: it must be at least 40 (the "
				    "version 1 descriptor) and a multiple of 8",
				    val);
	case MM_CHECK_DESC_VERSION:
		return fmt_snprintf(buf, size,
				    "descriptor version is %llu, not 1; entries are read as version 1",
				    val);
	case MM_CHECK_TRAILING_ZERO:
		return fmt_snprintf(buf, size,
				    "%u all-zero descriptors end the map, from entry %u: counted "
				    "but never filled in",
				    f->other, f->index);
	case MM_CHECK_ZERO_PAGES:
		return fmt_snprintf(buf, size, "%s has NumberOfPages 0", e);
	case MM_CHECK_OVERFLOW:
		return fmt_snprintf(buf, size, "%s: 0x%llx pages run past the top of the 64-bit "
				    "address space", e, val);
	case MM_CHECK_UNALIGNED:
		return fmt_snprintf(buf, size, "%s starts at 0x%llx, not on a 4 KiB page boundary",
				    e, val);
	case MM_CHECK_UNKNOWN_TYPE:
		return fmt_snprintf(buf, size, "%s has type %llu (0x%llx), in %s", e, val, val,
				    type_range(val));
	case MM_CHECK_UNDEFINED_ATTR:
		undefined_bits(bits, sizeof(bits), f->value);
		return fmt_snprintf(buf, size,
				    "%s sets attribute bits 0x%llx (%s) that no UEFI version defines",
				    e, val, bits);
	case MM_CHECK_RUNTIME_TYPE:
		return fmt_snprintf(buf, size,
				    "%s has EFI_MEMORY_RUNTIME; only runtime code/data, MMIO and "
				    "reserved memory should",
				    e);
	case MM_CHECK_RUNTIME_ALIGN_64K:
		if (f->severity == MM_SEV_ERROR)
			return fmt_snprintf(buf, size,
					    "%s is a runtime region not 64 KiB aligned (required on "
					    "AArch64, UEFI 2.10 section 2.3.6: an OS with 64 KiB pages "
					    "cannot map it apart from its neighbours)",
					    e);
		if (runtime_align_severity(MM_ARCH_ARM64, entry_type(map, f->index)) == MM_SEV_INFO)
			return fmt_snprintf(buf, size,
					    "%s is runtime MMIO not 64 KiB aligned (AArch64's 64 KiB "
					    "rule, UEFI 2.10 section 2.3.6, is for runtime memory; an "
					    "OS maps device memory by its type)",
					    e);
		return fmt_snprintf(buf, size,
				    "%s is a runtime region not 64 KiB aligned (required on "
				    "AArch64, UEFI 2.10 section 2.3.6; harmless on x86)",
				    e);
	case MM_CHECK_MMIO_NO_UC:
		return fmt_snprintf(buf, size, "%s is MMIO without EFI_MEMORY_UC (attributes 0x%llx)",
				    e, val);
	case MM_CHECK_RAM_NO_CACHE:
		return fmt_snprintf(buf, size,
				    "%s is memory with none of UC/WC/WT/WB (attributes 0x%llx): "
				    "nothing says how to map it",
				    e, val);
	case MM_CHECK_UNSORTED:
		return fmt_snprintf(buf, size,
				    "%s starts below %s: the map is not sorted by address "
				    "(order checks run after sorting)",
				    e, o);
	case MM_CHECK_OVERLAP:
		return fmt_snprintf(buf, size, "%s overlaps %s by 0x%llx bytes", e, o, val);
	case MM_CHECK_MERGEABLE:
		return fmt_snprintf(buf, size,
				    "%s continues %s with the same type and attributes",
				    e, o);
	case MM_CHECK_LAYOUT_NO_ROOM:
		return fmt_snprintf(buf, size,
				    "the runtime regions need 0x%llx bytes of virtual space; the "
				    "window is smaller",
				    val);
	case MM_CHECK_LAYOUT_BAD_ENTRY:
		if (f->index == MM_NO_INDEX)
			return fmt_snprintf(buf, size,
					    "the virtual window base 0x%llx is not 2 MiB aligned",
					    val);
		return fmt_snprintf(buf, size,
				    "%s cannot be given a virtual address: no pages, not page "
				    "aligned or past 2^64",
				    e);
	case MM_CHECK_ISA_NO_VALID:
		return fmt_snprintf(buf, size,
				    "%s sets ISA-specific attribute bits 0x%llx without "
				    "EFI_MEMORY_ISA_VALID: they must be ignored (UEFI 2.10 section 7.2)",
				    e, val);
	case MM_CHECK_RUNTIME_NO_ATTR:
		return fmt_snprintf(buf, size,
				    "%s is runtime code/data without EFI_MEMORY_RUNTIME: an OS does not "
				    "map it for runtime services",
				    e);
	case MM_CHECK_ABOVE_4LEVEL:
		return fmt_snprintf(buf, size,
				    "%s ends above 2^48: 4-level paging cannot map it (5-level "
				    "paging needed)",
				    e);
	case MM_NR_CHECKS:
		break;
	}
	return fmt_snprintf(buf, size, "finding %u on %s", (unsigned)f->check, e);
}
