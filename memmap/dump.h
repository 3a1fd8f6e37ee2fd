/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EFIMAPD, the binary map dump: written by the stub into a run folder
 * (docs/run-folder.md) and by the kernel into its stored results, read by
 * the host tool. Little-endian.
 */
#ifndef EFIMAP_MEMMAP_DUMP_H
#define EFIMAP_MEMMAP_DUMP_H

#include "lib/types.h"

/*
 * The raw binary dump: this header, then nr_map descriptors of desc_size
 * bytes each, little-endian, exactly as GetMemoryMap returned them.
 *   offset 0  magic "EFIMAPD\0"
 *   offset 8  header_size: 32; descriptors start at this offset (a larger
 *             value is accepted, the extra header bytes are skipped)
 *   offset 12 desc_size, as GetMemoryMap reported it (kept even when < 40)
 *   offset 16 desc_version, as GetMemoryMap reported it
 *   offset 20 nr_map: descriptors that follow
 *   offset 24 reserved: 0
 * The file must be exactly header_size + nr_map * desc_size bytes long.
 */
#define MM_DUMP_MAGIC "EFIMAPD\0" /* 8 bytes */
struct mm_dump_header {
	char magic[8];
	u32 header_size; /* sizeof(struct mm_dump_header) = 32 */
	u32 desc_size;
	u32 desc_version;
	u32 nr_map;
	u64 reserved; /* 0 */
};

#endif
