// SPDX-License-Identifier: BSD-2-Clause
/*
 * Names and numbers for people. Everything here is deterministic integer
 * arithmetic (no floating point), so reports are the same on every host.
 */
#include <stdio.h>
#include <string.h>

#include "tools/describe.h"
#include "tools/findings.h"

typedef unsigned __int128 u128;

/* Sizes up to 2^76 bytes (2^64 pages of 4 KiB) need 128 bits. */
static int size_u128(char *buf, size_t size, u128 bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB" };
	unsigned int u = 0;
	u128 hundredths;
	unsigned int frac;

	while (u + 1 < ARRAY_SIZE(units) && bytes >= ((u128)1 << (10 * (u + 1))))
		u++;
	hundredths = (bytes * 100) >> (10 * u); /* bytes < 2^77: no overflow */
	frac = (unsigned int)(hundredths % 100);
	if (frac == 0)
		return snprintf(buf, size, "%llu %s", (unsigned long long)(hundredths / 100),
				units[u]);
	if (frac % 10 == 0)
		return snprintf(buf, size, "%llu.%u %s", (unsigned long long)(hundredths / 100),
				frac / 10, units[u]);
	return snprintf(buf, size, "%llu.%02u %s", (unsigned long long)(hundredths / 100), frac,
			units[u]);
}

int describe_size(char *buf, size_t size, u64 bytes)
{
	return size_u128(buf, size, bytes);
}

int describe_pages(char *buf, size_t size, u64 pages)
{
	return size_u128(buf, size, (u128)pages << PAGE_SHIFT);
}

/* UEFI 2.10 section 7.2, EFI_MEMORY_DESCRIPTOR Attribute: the single bits it defines. */
const char *attr_bit_name(unsigned int bit)
{
	switch (bit) {
	case 0:
		return "UC";
	case 1:
		return "WC";
	case 2:
		return "WT";
	case 3:
		return "WB";
	case 4:
		return "UCE";
	case 12:
		return "WP";
	case 13:
		return "RP";
	case 14:
		return "XP";
	case 15:
		return "NV";
	case 16:
		return "MR"; /* EFI_MEMORY_MORE_RELIABLE */
	case 17:
		return "RO";
	case 18:
		return "SP"; /* EFI_MEMORY_SP, specific purpose */
	case 19:
		return "CC"; /* EFI_MEMORY_CPU_CRYPTO */
	case 20:
		return "HP"; /* EFI_MEMORY_HOT_PLUGGABLE */
	case 62:
		return "ISA_VALID";
	case 63:
		return "RUN";
	default:
		return NULL;
	}
}

u32 attr_names(u64 attr, char names[][ATTR_NAME_MAX], u32 max)
{
	u32 n = 0;
	u64 undefined = 0;

	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(attr & (1ULL << bit)))
			continue;
		if ((1ULL << bit) & MM_ATTR_ISA_MASK)
			continue; /* one field, named below */
		name = attr_bit_name(bit);
		if (!name)
			undefined |= 1ULL << bit;
		else if (n < max)
			snprintf(names[n++], ATTR_NAME_MAX, "%s", name);
	}
	if ((attr & MM_ATTR_ISA_MASK) && n < max)
		snprintf(names[n++], ATTR_NAME_MAX, "ISA=0x%llx",
			 (unsigned long long)((attr & MM_ATTR_ISA_MASK) >> 44));
	if (undefined && n < max)
		snprintf(names[n++], ATTR_NAME_MAX, "0x%llx", (unsigned long long)undefined);
	return n;
}

int describe_attrs(char *buf, size_t size, u64 attr)
{
	char names[ATTR_NAMES_MAX][ATTR_NAME_MAX];
	u32 n = attr_names(attr, names, ATTR_NAMES_MAX);
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	if (n == 0)
		return snprintf(buf, size, "none");
	for (u32 i = 0; i < n; i++)
		used += (size_t)snprintf(buf + (used < size ? used : size),
					 used < size ? size - used : 0, "%s%s", i ? "|" : "",
					 names[i]);
	return (int)used;
}

int describe_type(char *buf, size_t size, u32 type)
{
	if (type < MM_NR_TYPES)
		return snprintf(buf, size, "%s", mm_type_name(type));
	if (type >= 0x80000000u)
		return snprintf(buf, size, "OS type 0x%08x", type);
	if (type >= 0x70000000u)
		return snprintf(buf, size, "OEM type 0x%08x", type);
	return snprintf(buf, size, "reserved type %u", type);
}

bool describe_last_byte(char *buf, size_t size, const struct mm_desc *md)
{
	u128 last;

	if (md->num_pages == 0) {
		snprintf(buf, size, "-");
		return false;
	}
	last = (u128)md->phys_addr + ((u128)md->num_pages << PAGE_SHIFT) - 1;
	if (last >> 64)
		snprintf(buf, size, "0x%llx%016llx", (unsigned long long)(last >> 64),
			 (unsigned long long)last);
	else
		snprintf(buf, size, "0x%016llx", (unsigned long long)last);
	return true;
}

/*
 * Keep one entry per enum mm_check and per parser note (TOOL_CHECK_NOTE):
 * tests/tools/report_test.c fails on a gap.
 */
static const struct check_help helps[TOOL_NR_CHECKS] = {
	[MM_CHECK_DESC_SIZE] = {
		"The map's DescriptorSize is below 40 bytes (the version 1 descriptor) or not a "
		"multiple of 8.",
		"An OS steps through the map by DescriptorSize; a smaller size makes every field "
		"after the first descriptor wrong, and one that is not a multiple of 8 leaves the "
		"64-bit fields unaligned. Below 40, no entry can be read at all.",
		"UEFI 2.10 section 7.2, EFI_BOOT_SERVICES.GetMemoryMap(): DescriptorSize",
		"Report sizeof(EFI_MEMORY_DESCRIPTOR) or more, rounded up to a multiple of 8, and "
		"step by that same value when building the map.",
	},
	[MM_CHECK_DESC_VERSION] = {
		"The map's DescriptorVersion is not 1 (EFI_MEMORY_DESCRIPTOR_VERSION).",
		"Version 1 is the only layout defined; an OS reads entries as version 1 anyway and "
		"cannot know what else changed.",
		"UEFI 2.10 section 7.2, GetMemoryMap(): DescriptorVersion",
		"Return EFI_MEMORY_DESCRIPTOR_VERSION (1).",
	},
	[MM_CHECK_TRAILING_ZERO] = {
		"All-zero descriptors at the end of the map: the map size counted entries that "
		"were never filled in.",
		"An OS takes them as 0-page Reserved entries at address 0, or as a truncated map; "
		"Linux prints them and may mis-size its own copy.",
		"UEFI 2.10 section 7.2, GetMemoryMap(): MemoryMapSize",
		"Return MemoryMapSize for the descriptors actually written, not the buffer's size.",
	},
	[MM_CHECK_ZERO_PAGES] = {
		"An entry with NumberOfPages 0.",
		"It describes nothing; an OS computing its last byte as start + size - 1 gets an "
		"address below its start, and range code may wrap.",
		"UEFI 2.10 section 7.2, EFI_MEMORY_DESCRIPTOR: NumberOfPages",
		"Drop empty entries from the map instead of reporting them.",
	},
	[MM_CHECK_OVERFLOW] = {
		"An entry whose PhysicalStart + NumberOfPages * 4 KiB runs past 2^64.",
		"No such memory exists; an OS computing the entry's end wraps around to low "
		"addresses and may treat memory there as this entry's.",
		"UEFI 2.10 section 7.2, EFI_MEMORY_DESCRIPTOR",
		"Fix the page count (a byte count or a negative value stored as pages is the usual "
		"cause).",
	},
	[MM_CHECK_UNALIGNED] = {
		"An entry whose PhysicalStart is not on a 4 KiB boundary.",
		"Descriptors describe whole 4 KiB pages; an OS rounds the start one way or the other "
		"and either loses a page or claims a page that belongs to a neighbour.",
		"UEFI 2.10 section 7.2, EFI_MEMORY_DESCRIPTOR: PhysicalStart (aligned on a 4 KiB "
		"boundary)",
		"Align the region to 4 KiB, allocating whole pages.",
	},
	[MM_CHECK_UNKNOWN_TYPE] = {
		"A memory type of 16 or above: a value reserved for future UEFI versions (warning), "
		"or in the OEM (0x70000000-0x7fffffff) or OS loader (0x80000000-) ranges (info).",
		"An OS does not know what the memory is, so it must leave it alone: it is neither "
		"used as RAM nor mapped for runtime services unless EFI_MEMORY_RUNTIME is set.",
		"UEFI 2.10 section 7.2, EFI_MEMORY_TYPE (values from 0x70000000 OEM, from "
		"0x80000000 OS loaders)",
		"Use a defined type; an OEM type only for memory the OS must ignore, and a reserved "
		"value never.",
	},
	[MM_CHECK_UNDEFINED_ATTR] = {
		"Attribute bits no UEFI version defines (anything but UC, WC, WT, WB, UCE, WP, RP, "
		"XP, NV, MORE_RELIABLE, RO, SP, CPU_CRYPTO, HOT_PLUGGABLE, the ISA field, ISA_VALID "
		"and RUNTIME); the finding names each bit.",
		"An OS cannot know what they mean and ignores them; a bit a later UEFI version "
		"defines would then change how old data is read.",
		"UEFI 2.10 section 7.2, memory attribute definitions; UEFI 2.11 adds "
		"EFI_MEMORY_HOT_PLUGGABLE",
		"Clear the bits, or use the ISA-specific field with EFI_MEMORY_ISA_VALID for "
		"processor-specific attributes.",
	},
	[MM_CHECK_RUNTIME_TYPE] = {
		"EFI_MEMORY_RUNTIME on a type other than Runtime Code/Data, MMIO, MMIO port space, "
		"PAL code or Reserved.",
		"The OS must then map the region for runtime services and keep it from its "
		"allocator; on boot-services or conventional memory that keeps memory the OS "
		"would otherwise free, and shows firmware using memory it gave away.",
		"UEFI 2.10 section 7.2, EFI_MEMORY_RUNTIME and the memory type usage tables",
		"Allocate runtime memory as EfiRuntimeServicesCode/Data, and set the bit only on "
		"regions runtime services use.",
	},
	[MM_CHECK_RUNTIME_ALIGN_64K] = {
		"A runtime region (EFI_MEMORY_RUNTIME) whose start or size is not a multiple of "
		"64 KiB. An error in arm64 maps for runtime memory (code, data, reserved, ACPI "
		"NVS); info for runtime MMIO, and for everything on x86.",
		"On AArch64 an OS may use 64 KiB pages and must map each runtime region with its "
		"own permissions; a region sharing a 64 KiB page with another cannot be. Device "
		"memory is mapped by its type, and x86 maps 4 KiB pages, where it does no harm.",
		"UEFI 2.10 section 2.3.6 (AArch64 platforms: runtime regions 64 KiB aligned)",
		"Allocate runtime code and data in 64 KiB granules (EDK II: "
		"RUNTIME_PAGE_ALLOCATION_GRANULARITY 0x10000 for AArch64).",
	},
	[MM_CHECK_MMIO_NO_UC] = {
		"An MMIO or MMIO port space entry without EFI_MEMORY_UC.",
		"Device registers mapped cacheable give stale reads and lost or merged writes; an "
		"OS mapping runtime MMIO by the attributes has nothing to go by.",
		"UEFI 2.10 section 7.2, memory attribute definitions",
		"Set EFI_MEMORY_UC on every MMIO entry.",
	},
	[MM_CHECK_RAM_NO_CACHE] = {
		"A memory type (RAM, ACPI, runtime, persistent, unaccepted) with none of "
		"EFI_MEMORY_UC, WC, WT, WB.",
		"The attributes say how the memory may be mapped; with none, an OS has no "
		"cacheability it is allowed to use (Linux maps such RAM as it likes, others "
		"refuse it).",
		"UEFI 2.10 section 7.2, memory attribute definitions",
		"Report the cacheabilities the memory supports (WB at least for RAM).",
	},
	[MM_CHECK_UNSORTED] = {
		"An entry starting below the entry before it: the map is not sorted by address.",
		"The spec does not require order, but OSes and tools that assume it (binary "
		"searches, overlap scans, merge passes) then get wrong answers; efimap sorts a "
		"copy and runs its order checks on that.",
		"UEFI 2.10 section 7.2, GetMemoryMap() (no order is required)",
		"Emit the map sorted by PhysicalStart; most firmware already does.",
	},
	[MM_CHECK_OVERLAP] = {
		"An entry overlapping an earlier one, in address order.",
		"The same page has two types: an OS may give memory the firmware still uses "
		"(runtime, ACPI NVS) to its allocator, and corrupt it.",
		"UEFI 2.10 section 7.2, GetMemoryMap() (each page is described once)",
		"Split the regions so that each page belongs to one entry; usually a "
		"reservation made without removing the memory from the entry it came from.",
	},
	[MM_CHECK_MERGEABLE] = {
		"Two adjacent entries of the same type and attributes.",
		"Harmless, but each entry costs the OS a descriptor (and a SetVirtualAddressMap "
		"entry when runtime); many of them mean a fragmented allocator.",
		"UEFI 2.10 section 7.2",
		"Merge neighbouring free-memory descriptors before returning the map.",
	},
	[MM_CHECK_LAYOUT_NO_ROOM] = {
		"efimap plan: the runtime regions do not fit the virtual window.",
		"SetVirtualAddressMap needs every runtime region given a virtual address; a window "
		"too small means runtime services cannot be used at those addresses.",
		"UEFI 2.10 section 8.4, SetVirtualAddressMap()",
		"A property of the window chosen (--window), or of very large runtime regions: keep "
		"runtime regions small.",
	},
	[MM_CHECK_LAYOUT_BAD_ENTRY] = {
		"efimap plan: a runtime entry that cannot be given a virtual address (zero pages, "
		"unaligned, past 2^64), or a window base not 2 MiB aligned.",
		"SetVirtualAddressMap must cover every runtime region; one that cannot be placed "
		"leaves runtime services with an unmapped region.",
		"UEFI 2.10 sections 7.2 and 8.4",
		"Fix the entry (see its other findings).",
	},
	[MM_CHECK_ISA_NO_VALID] = {
		"Attribute bits in the ISA-specific field (EFI_MEMORY_ISA_MASK, "
		"0x0FFFF00000000000) without EFI_MEMORY_ISA_VALID (0x4000000000000000).",
		"Without ISA_VALID the field carries no meaning and an OS ignores it, so whatever "
		"the firmware meant by the bits (a processor-specific permission or cache policy) "
		"is not applied.",
		"UEFI 2.10 section 7.2, memory attribute definitions: EFI_MEMORY_ISA_VALID, "
		"EFI_MEMORY_ISA_MASK",
		"Set EFI_MEMORY_ISA_VALID with the field, or clear the field.",
	},
	[MM_CHECK_RUNTIME_NO_ATTR] = {
		"A Runtime Services Code or Data entry without EFI_MEMORY_RUNTIME.",
		"An OS maps for runtime services, and passes to SetVirtualAddressMap, only entries "
		"with EFI_MEMORY_RUNTIME; runtime code or data without it is unmapped after "
		"ExitBootServices and a runtime call that touches it faults.",
		"UEFI 2.10 section 7.2, EFI_MEMORY_RUNTIME and the memory type usage tables",
		"Set EFI_MEMORY_RUNTIME on every EfiRuntimeServicesCode/Data entry.",
	},
	[MM_CHECK_ABOVE_4LEVEL] = {
		"An entry that ends above 2^48 (256 TiB).",
		"An x86-64 OS with 4-level paging has 48-bit virtual addresses and cannot map it "
		"1:1 or in its direct map; only 5-level paging (LA57) reaches it. efimap's "
		"kernel leaves it unmapped.",
		"Intel SDM vol. 3A 4.5 (4-level paging); UEFI 2.10 section 2.3.4 (x64: identity "
		"mapping of all memory)",
		"Nothing, if the platform has that much memory; otherwise fix the entry's address.",
	},
	[TOOL_CHECK_NOTE(PARSE_NOTE_DAMAGED)] = {
		"A map line in the input that cannot be read: serial noise, a line cut short, two "
		"lines run together, or an entry unlike the rest of its map. The rest of the map "
		"is still analysed.",
		"The entry on that line is missing from the analysis, so totals and overlaps "
		"around it may be wrong; the damage is usually in the capture, not the firmware.",
		"none: a property of the log, not of the firmware",
		"Nothing in the firmware; capture the log again (a slower serial port, a larger "
		"kernel log buffer) if the entry matters.",
	},
	[TOOL_CHECK_NOTE(PARSE_NOTE_LINUX_INVALID)] = {
		"A descriptor Linux printed as \"(invalid)\": it failed Linux's own checks (zero "
		"pages, or an end that overflows) and Linux dropped it.",
		"The OS ignores that memory: if it was RAM it is lost, if it was a firmware region "
		"the OS may hand it out or fail to map it for runtime services.",
		"UEFI 2.10 section 7.2 (EFI_MEMORY_DESCRIPTOR: NumberOfPages must be nonzero and "
		"the range must fit the address space)",
		"Report only real regions, each with at least one page and an end below 2^64.",
	},
	[TOOL_CHECK_NOTE(PARSE_NOTE_FIRMWARE_BUG)] = {
		"An EFI line Linux tagged \"[Firmware Bug]\": the kernel found the firmware "
		"breaking a rule while it read the EFI tables.",
		"Linux works around the bug or gives up on the feature; the line says which.",
		"the one the Linux message names (often UEFI 2.10 section 4.6 or 7.2)",
		"What the line says; the message names the table or region at fault.",
	},
	[TOOL_CHECK_MAT(MM_MAT_UNUSABLE)] = {
		"A memory attributes table (EFI_MEMORY_ATTRIBUTES_TABLE) whose header cannot be "
		"trusted. Its Version is not 1 or 2, its DescriptorSize is below the 40-byte "
		"EFI_MEMORY_DESCRIPTOR or not a multiple of 8, or its size is not 16 + "
		"NumberOfEntries x DescriptorSize.",
		"An OS must then ignore the whole table (Linux does), so runtime services lose "
		"the per-page permissions it carries: their code is mapped writable and "
		"executable, as if there were no table.",
		"UEFI 2.10 section 4.6.4, EFI_MEMORY_ATTRIBUTES_TABLE (Version, NumberOfEntries, "
		"DescriptorSize)",
		"Publish version 2 (or 1) with DescriptorSize = the memory map's descriptor size "
		"and exactly NumberOfEntries descriptors after the 16-byte header.",
	},
	[TOOL_CHECK_MAT(MM_MAT_NO_RO_XP)] = {
		"A memory attributes table entry with neither EFI_MEMORY_RO nor EFI_MEMORY_XP.",
		"The entry tells the OS nothing: the pages keep write and execute permission, "
		"so a runtime service region stays writable and executable (W+X), the hole the "
		"table exists to close. Linux skips such entries.",
		"UEFI 2.10 section 4.6.4 (each entry's Attribute: EFI_MEMORY_RO for code, "
		"EFI_MEMORY_XP for data)",
		"Split each runtime image by section: code RO (and not XP), data and headers XP; "
		"EDK II's PropertiesTable/MemoryAttributesTable code does this when images are "
		"section aligned to 4 KiB.",
	},
	[TOOL_CHECK_MAT(MM_MAT_TYPE)] = {
		"A memory attributes table entry whose Type is not EfiRuntimeServicesCode (5) or "
		"EfiRuntimeServicesData (6).",
		"The table only describes runtime services memory; an entry of another type "
		"means the table and the memory map disagree, and an OS applying it would "
		"change permissions of memory it does not map for runtime services (Linux "
		"skips it with a warning).",
		"UEFI 2.10 section 4.6.4 (entries describe EfiRuntimeServicesCode and "
		"EfiRuntimeServicesData regions)",
		"Emit entries only for runtime code and data, with the type the memory map "
		"gives that region.",
	},
	[TOOL_CHECK_MAT(MM_MAT_UNALIGNED)] = {
		"A memory attributes table entry whose PhysicalStart is not on a 4 KiB boundary.",
		"Permissions are set per 4 KiB page; an OS cannot give part of a page other "
		"permissions, so it must round (granting too much or too little) or drop the "
		"entry (Linux drops it).",
		"UEFI 2.10 section 4.6.4 (entries are EFI_MEMORY_DESCRIPTORs: 4 KiB aligned, "
		"section 7.2)",
		"Align runtime image sections to 4 KiB (EDK II: /ALIGN:4096, "
		"-z common-page-size=0x1000) so that each entry starts and ends on a page.",
	},
	[TOOL_CHECK_MAT(MM_MAT_OUTSIDE_RUNTIME)] = {
		"A memory attributes table entry that lies in no runtime region "
		"(EFI_MEMORY_RUNTIME) of the memory map of the same boot. The finding names the "
		"map entry holding its start, if any.",
		"An OS applies the table only inside the runtime regions it maps for runtime "
		"services; an entry elsewhere is ignored (Linux) or, worse, changes permissions "
		"of memory the OS owns.",
		"UEFI 2.10 section 4.6.4 (the table describes runtime memory regions of the "
		"UEFI memory map)",
		"Build the table from the final memory map, after the last runtime allocation, "
		"and only from EFI_MEMORY_RUNTIME regions.",
	},
	[TOOL_CHECK_MAT(MM_MAT_OVERLAP)] = {
		"Two memory attributes table entries sharing a page.",
		"The same page gets two sets of permissions; which one an OS applies depends on "
		"its order of processing, and a code page may end up writable or a data page "
		"executable.",
		"UEFI 2.10 section 4.6.4 (each page is described once)",
		"Emit one entry per section of each runtime image, without overlap.",
	},
};

const struct check_help *check_help(u32 check)
{
	if (check >= TOOL_NR_CHECKS || !helps[check].finds)
		return NULL;
	return &helps[check];
}

int check_by_name(const char *name)
{
	for (u32 c = 0; c < TOOL_NR_CHECKS; c++)
		if (!strcmp(tool_check_name(c), name))
			return (int)c;
	return -1;
}

/* text wrapped at 76 columns, each line indented by 4 spaces. */
static void print_wrapped(FILE *out, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t len = strlen(p), cut = len;

		if (len > 76) {
			cut = 76;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = 76;
		}
		fprintf(out, "    %.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

int check_help_print(FILE *out, const char *name)
{
	int c = check_by_name(name);
	const struct check_help *h = c < 0 ? NULL : check_help((u32)c);

	if (!h)
		return -1;
	fprintf(out, "%s\n  finds:\n", name);
	print_wrapped(out, h->finds);
	fputs("  why it matters to an OS:\n", out);
	print_wrapped(out, h->why);
	fputs("  spec:\n", out);
	print_wrapped(out, h->spec);
	fputs("  what the firmware should fix:\n", out);
	print_wrapped(out, h->fix);
	return 0;
}

void check_help_list(FILE *out)
{
	fputs("\nchecks (efimap help CHECK says more):\n", out);
	for (u32 c = 0; c < TOOL_NR_CHECKS; c++) {
		const struct check_help *h = check_help(c);
		const char *end = h ? strstr(h->finds, ". ") : NULL;
		int len = !h ? 0 : end ? (int)(end - h->finds) + 1 : (int)strlen(h->finds);

		fprintf(out, "  %-18s %.*s\n", tool_check_name(c), len, h ? h->finds : "");
	}
}
