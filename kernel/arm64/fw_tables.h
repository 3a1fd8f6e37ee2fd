/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Finding platform devices in the firmware's own descriptions on AArch64,
 * where nothing sits at a fixed address: ACPI tables through the RSDP in
 * the handoff's configuration tables, or the flattened device tree the
 * firmware installed as a configuration table.
 */
#ifndef EFIMAP_KERNEL_ARM64_FW_TABLES_H
#define EFIMAP_KERNEL_ARM64_FW_TABLES_H

#include "kernel/handoff.h"
#include "lib/types.h"

/*
 * The handoff as kernel_start() received it (entry.S stores it), for the
 * console, which starts before kernel_main() has validated the block.
 */
extern struct handoff *arm64_boot_handoff;

/*
 * The handoff block to read tables from: h when non-NULL, else
 * arm64_boot_handoff; NULL when neither carries HANDOFF_MAGIC and a sane
 * configuration table count (the only fields the lookups rely on; a block
 * whose checksum is bad still names the firmware's tables).
 */
const struct handoff *fw_tables_handoff(const struct handoff *h);

/* ACPI system description table header (ACPI 6.5 section 5.2.6, table 5.4). */
struct __packed acpi_sdt_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
};

/*
 * The ACPI table with this 4-character signature, found through the RSDP
 * (ACPI 2.0 GUID, revision 2+: the XSDT; otherwise the RSDT), or NULL. Only
 * tables whose signature, length (at least min_len) and checksum are right
 * are returned (ACPI 6.5 sections 5.2.5.3, 5.2.7, 5.2.8).
 */
const struct acpi_sdt_header *acpi_table_find(const struct handoff *h, const char *sig,
					      u32 min_len);

/*
 * The flattened device tree the firmware installed as a configuration
 * table (GUID b1b621d5-f19c-41a5-830b-d9152c69aae0, UEFI 2.10 section
 * 4.6.1.3 / EBBR), or NULL. Its header is not checked here (lib/fdt.c does).
 */
const void *fdt_config_blob(const struct handoff *h);

#endif
