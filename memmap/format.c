// SPDX-License-Identifier: BSD-2-Clause
/*
 * Names and the Linux `efi=debug` line format, so that an efimap log can be
 * diffed against a Linux boot log of the same machine.
 */
#include "lib/printf.h"
#include "memmap/memmap.h"

/* Linux's spelling, at most 12 characters so the column lines up. */
static const char *const type_names[MM_NR_TYPES] = {
	[MM_RESERVED] = "Reserved",	    [MM_LOADER_CODE] = "Loader Code",
	[MM_LOADER_DATA] = "Loader Data",   [MM_BOOT_CODE] = "Boot Code",
	[MM_BOOT_DATA] = "Boot Data",	    [MM_RUNTIME_CODE] = "Runtime Code",
	[MM_RUNTIME_DATA] = "Runtime Data", [MM_CONVENTIONAL] = "Conventional",
	[MM_UNUSABLE] = "Unusable",	    [MM_ACPI_RECLAIM] = "ACPI Reclaim",
	[MM_ACPI_NVS] = "ACPI Mem NVS",	    [MM_MMIO] = "MMIO",
	[MM_MMIO_PORT] = "MMIO Port",	    [MM_PAL_CODE] = "PAL Code",
	[MM_PERSISTENT] = "Persistent",	    [MM_UNACCEPTED] = "Unaccepted",
};

const char *mm_type_name(u32 type)
{
	return type < MM_NR_TYPES ? type_names[type] : "";
}

bool mm_type_is_ram(u32 type)
{
	switch (type) {
	case MM_LOADER_CODE:
	case MM_LOADER_DATA:
	case MM_BOOT_CODE:
	case MM_BOOT_DATA:
	case MM_CONVENTIONAL:
	case MM_PERSISTENT:
	case MM_UNACCEPTED:
		return true;
	default:
		return false;
	}
}

int mm_format_typeattr(char *buf, size_t size, const struct mm_desc *md)
{
	u64 a = md->attribute;
	int n;

	if (md->type < MM_NR_TYPES)
		n = fmt_snprintf(buf, size, "[%-12s", type_names[md->type]);
	else
		n = fmt_snprintf(buf, size, "[type=%u", md->type);
	if ((size_t)n >= size)
		return n;
	buf += n;
	size -= (size_t)n;

	/* Like Linux: bits nobody named make the whole value print raw. */
	if (a & ~MM_ATTR_KNOWN)
		return n + fmt_snprintf(buf, size, "|attr=0x%016llx]", (unsigned long long)a);
	return n +
	       fmt_snprintf(buf, size, "|%3s|%2s|%2s|%2s|%2s|%2s|%2s|%2s|%2s|%3s|%2s|%2s|%2s|%2s]",
			    a & MM_ATTR_RUNTIME ? "RUN" : "", a & MM_ATTR_MORE_RELIABLE ? "MR" : "",
			    a & MM_ATTR_CPU_CRYPTO ? "CC" : "", a & MM_ATTR_SP ? "SP" : "",
			    a & MM_ATTR_NV ? "NV" : "", a & MM_ATTR_XP ? "XP" : "",
			    a & MM_ATTR_RP ? "RP" : "", a & MM_ATTR_WP ? "WP" : "",
			    a & MM_ATTR_RO ? "RO" : "", a & MM_ATTR_UCE ? "UCE" : "",
			    a & MM_ATTR_WB ? "WB" : "", a & MM_ATTR_WT ? "WT" : "",
			    a & MM_ATTR_WC ? "WC" : "", a & MM_ATTR_UC ? "UC" : "");
}

int mm_format_line(char *buf, size_t size, u32 index, const struct mm_desc *md)
{
	char typeattr[80];

	mm_format_typeattr(typeattr, sizeof(typeattr), md);
	/* The last byte, and the size truncated to whole MiB, as Linux prints them. */
	return fmt_snprintf(buf, size, "efi: mem%02u: %s range=[0x%016llx-0x%016llx] (%lluMB)",
			    index, typeattr, (unsigned long long)md->phys_addr,
			    (unsigned long long)(md->phys_addr + (md->num_pages << PAGE_SHIFT) - 1),
			    (unsigned long long)(md->num_pages >> (20 - PAGE_SHIFT)));
}
