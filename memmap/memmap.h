/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firmware memory map as efimap sees it: an array of descriptors whose
 * stride is the firmware's desc_size (UEFI 2.10 section 7.2, GetMemoryMap:
 * "the size of an EFI_MEMORY_DESCRIPTOR may change in the future"), never
 * sizeof(struct mm_desc). The end is a count, nr_map, never a pointer.
 */
#ifndef EFIMAP_MEMMAP_H
#define EFIMAP_MEMMAP_H

#include "lib/types.h"

/* Memory types (UEFI 2.10 table 7-5). */
enum mm_type {
	MM_RESERVED = 0,
	MM_LOADER_CODE = 1,
	MM_LOADER_DATA = 2,
	MM_BOOT_CODE = 3,
	MM_BOOT_DATA = 4,
	MM_RUNTIME_CODE = 5,
	MM_RUNTIME_DATA = 6,
	MM_CONVENTIONAL = 7,
	MM_UNUSABLE = 8,
	MM_ACPI_RECLAIM = 9,
	MM_ACPI_NVS = 10,
	MM_MMIO = 11,
	MM_MMIO_PORT = 12,
	MM_PAL_CODE = 13,
	MM_PERSISTENT = 14,
	MM_UNACCEPTED = 15,
	MM_NR_TYPES = 16,
};

/* Attribute bits (UEFI 2.10 section 7.2, plus CPU_CRYPTO from 2.8). */
#define MM_ATTR_UC	      (1ULL << 0)
#define MM_ATTR_WC	      (1ULL << 1)
#define MM_ATTR_WT	      (1ULL << 2)
#define MM_ATTR_WB	      (1ULL << 3)
#define MM_ATTR_UCE	      (1ULL << 4)
#define MM_ATTR_WP	      (1ULL << 12)
#define MM_ATTR_RP	      (1ULL << 13)
#define MM_ATTR_XP	      (1ULL << 14)
#define MM_ATTR_NV	      (1ULL << 15)
#define MM_ATTR_MORE_RELIABLE (1ULL << 16)
#define MM_ATTR_RO	      (1ULL << 17)
#define MM_ATTR_SP	      (1ULL << 18)
#define MM_ATTR_CPU_CRYPTO    (1ULL << 19)
#define MM_ATTR_HOT_PLUGGABLE (1ULL << 20)	/* UEFI 2.11 */
#define MM_ATTR_ISA_MASK      (0xffffULL << 44) /* UEFI 2.5: ISA-specific, with ISA_VALID */
#define MM_ATTR_ISA_VALID     (1ULL << 62)
#define MM_ATTR_RUNTIME	      (1ULL << 63)

/* The version-1 descriptor layout: 40 bytes, the minimum desc_size. */
struct mm_desc {
	u32 type;
	u32 pad;
	u64 phys_addr;
	u64 virt_addr;
	u64 num_pages;
	u64 attribute;
};

#define MM_DESC_MIN_SIZE 40u
#define MM_DESC_VERSION	 1u

struct memmap {
	void *base;
	u32 desc_size;
	u32 desc_version;
	u32 nr_map;   /* valid descriptors */
	u32 capacity; /* descriptors the buffer can hold */
};

enum mm_init_error {
	MM_OK = 0,
	MM_ERR_DESC_SIZE, /* desc_size < 40 or not a multiple of 8 */
	MM_ERR_CAPACITY,  /* nr_map > capacity */
	MM_ERR_NULL,	  /* no buffer but entries claimed */
};

/*
 * Describe a buffer of nr_map descriptors of desc_size bytes. Returns MM_OK
 * or the first problem found; *map is filled either way so a caller can
 * still report what it was given.
 */
enum mm_init_error memmap_init(struct memmap *map, void *base, u32 desc_size, u32 desc_version,
			       u32 nr_map, u32 capacity);
const char *memmap_init_error_str(enum mm_init_error err);

/* Descriptor i, reached at base + i * desc_size. i must be < capacity. */
static inline struct mm_desc *memmap_desc(const struct memmap *map, u32 i)
{
	return (struct mm_desc *)((u8 *)map->base + (size_t)i * map->desc_size);
}

/* Exclusive end address; saturates at 2^64 - 1 instead of wrapping. */
u64 mm_desc_end(const struct mm_desc *md);

/*
 * Iteration: visit entries in order, optionally only those a predicate
 * accepts. for_each_mm_desc() is the plain form.
 */
typedef bool (*mm_pred)(const struct mm_desc *md, void *ctx);

struct mm_iter {
	const struct memmap *map;
	mm_pred pred;
	void *ctx;
	u32 next;  /* index of the next descriptor to look at */
	u32 index; /* index of the descriptor last returned */
};

void mm_iter_init(struct mm_iter *it, const struct memmap *map, mm_pred pred, void *ctx);
struct mm_desc *mm_iter_next(struct mm_iter *it);

#define for_each_mm_desc(map, it, md) \
	for (mm_iter_init(&(it), (map), NULL, NULL); ((md) = mm_iter_next(&(it))) != NULL;)

/* Predicates used by more than one layer. */
bool mm_is_runtime(const struct mm_desc *md, void *ctx);
bool mm_is_boot_services(const struct mm_desc *md, void *ctx);
/*
 * Boot-services memory the OS may take back: the type, without
 * EFI_MEMORY_RUNTIME (UEFI 2.10 section 7.2: such a region is needed by
 * runtime services, whatever its type says; Linux keeps it too).
 */
bool mm_is_reclaimable(const struct mm_desc *md, void *ctx);

/* Highest physical address 4-level paging reaches (exclusive). */
#define MM_PHYS_LIMIT (1ULL << 48)

/*
 * Whether the entry can be mapped page by page as it stands: start 4 KiB
 * aligned, at least one page, end within mm_phys_limit(). The kernel maps
 * exactly these, so nothing may read, free or hand out any other.
 */
bool mm_desc_mappable(const struct mm_desc *md);

/*
 * The end mm_desc_mappable() allows: MM_PHYS_LIMIT until the kernel lowers
 * it for its CPU (min(2^MAXPHYADDR, 2^47), kernel/x86/cpu_features.h)
 * before anything maps, frees or hands out memory. Only ever lowered.
 */
u64 mm_phys_limit(void);
void mm_lower_phys_limit(u64 limit);

/*
 * Whether entry i shares a byte with any other entry (empty entries share
 * none). Memory two entries claim is trusted by neither. Quadratic: maps
 * hold hundreds of entries.
 */
bool memmap_entry_overlaps(const struct memmap *map, u32 i);

/* How many entries the predicate accepts (all of them for NULL). */
u32 memmap_count(const struct memmap *map, mm_pred pred, void *ctx);

/* Index of the entry containing addr, or -1. */
s64 memmap_find(const struct memmap *map, u64 addr);

/*
 * Keep only the entries keep() accepts, in place and in their order, in one
 * O(n) pass without allocating; nr_map shrinks. Returns how many went. This
 * is the only way entries ever leave a map (seed 000: no splitting, no
 * insertion, no reallocation).
 */
u32 memmap_filter(struct memmap *map, mm_pred keep, void *ctx);

/* True when every entry starts at or above the start of the one before it. */
bool memmap_is_sorted(const struct memmap *map);

/*
 * Sort by physical start, in place and stable (real maps list reserved and
 * MMIO ranges after the top of RAM, and equal starts must keep their order).
 * Merges use the buffer's spare descriptors [nr_map, capacity) as scratch:
 * with at least half of nr_map spare the sort is O(n log n); with less it
 * falls back to in-place rotations for the merges that do not fit. An
 * already-sorted map is left untouched after one O(n) pass. The spare
 * descriptors' contents are not preserved.
 */
void memmap_sort(struct memmap *map);

/* Pages and entries per type; types >= MM_NR_TYPES are counted as "other". */
struct mm_totals {
	u64 pages[MM_NR_TYPES];
	u32 entries[MM_NR_TYPES];
	u64 other_pages;
	u32 other_entries;
	u64 runtime_pages; /* entries with EFI_MEMORY_RUNTIME, any type */
	u32 runtime_entries;
	u64 total_pages; /* sums saturate at 2^64 - 1 */
};

void memmap_totals(const struct memmap *map, struct mm_totals *t);

/* Human names. */
const char *mm_type_name(u32 type); /* Linux's names, "" when unknown */
bool mm_type_is_ram(u32 type);	    /* usable by an OS once boot services end */

/*
 * Linux `efi=debug` formatting. mm_format_typeattr() writes the
 * "[Boot Data   |   |  |...|UC]" part; mm_format_line() the whole
 * "efi: memNN: [...] range=[0x...-0x...] (NMB)" line. Both return what
 * snprintf would.
 */
int mm_format_typeattr(char *buf, size_t size, const struct mm_desc *md);
int mm_format_line(char *buf, size_t size, u32 index, const struct mm_desc *md);

/* Bits Linux knows how to name; anything else makes it print attr=0x... */
#define MM_ATTR_KNOWN                                                                             \
	(MM_ATTR_UC | MM_ATTR_WC | MM_ATTR_WT | MM_ATTR_WB | MM_ATTR_UCE | MM_ATTR_WP |           \
	 MM_ATTR_RP | MM_ATTR_XP | MM_ATTR_NV | MM_ATTR_MORE_RELIABLE | MM_ATTR_RO | MM_ATTR_SP | \
	 MM_ATTR_CPU_CRYPTO | MM_ATTR_RUNTIME)

/* Every bit some UEFI version defines; the rest are "undefined attribute bits". */
#define MM_ATTR_DEFINED \
	(MM_ATTR_KNOWN | MM_ATTR_HOT_PLUGGABLE | MM_ATTR_ISA_MASK | MM_ATTR_ISA_VALID)

#endif
