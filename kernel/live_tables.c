// SPDX-License-Identifier: BSD-2-Clause
/*
 * Finding the live data inside (or outside) boot-services memory. Every
 * size comes from the table's own header, each checked before it is used:
 * a table with a bad header is reported and kept at its first page only
 * (which is all that can be known about it); a TPM log whose events cannot
 * all be sized keeps its header and the events sized before the bad one.
 */
#include "kernel/config_tables.h"
#include "accept/accept.h"
#include "kernel/live_tables.h"
#include "kernel/tcg_log.h"
#include "lib/crc32.h"
#include "lib/fdt.h"
#include "lib/string.h"

#define PAGE		4096ULL
#define MAX_ACPI_TABLES 128u

struct live {
	struct reclaim *rc;
	const struct memmap *map;
	live_say say;
	u32 tagged;
	struct live_records *rec;
	const struct accept_table *acc; /* its marked units are unmapped (issue 6) */
};

/* Whether [addr, end) touches a unit the unaccepted bitmap still marks. */
static bool touches_unaccepted(const struct accept_table *t, u64 addr, u64 end)
{
	u64 limit;

	if (!t)
		return false;
	limit = accept_table_limit(t);
	for (u64 u = ALIGN_DOWN(addr, t->unit_size); u < end && u < limit; u += t->unit_size)
		if (u >= t->phys_base && accept_unit_pending(t, u))
			return true;
	return false;
}

/*
 * Whether [addr, addr + len) is safe to read: inside map entries the
 * kernel maps as memory (not MMIO, not unaccepted, not in a unit the
 * unaccepted bitmap marks), above page 0 (never mapped), without wrapping.
 */
static bool readable(const struct live *l, u64 addr, u64 len)
{
	const struct memmap *map = l->map;
	u64 cur = addr, end = addr + len;

	if (addr < PAGE || end < addr || touches_unaccepted(l->acc, addr, end))
		return false;
	while (cur < end) {
		s64 i = memmap_find(map, cur);
		const struct mm_desc *md;

		if (i < 0)
			return false;
		md = memmap_desc(map, (u32)i);
		/* The kernel maps exactly the mappable entries (paging.c). */
		if (!mm_desc_mappable(md) || md->type == MM_MMIO || md->type == MM_MMIO_PORT ||
		    md->type == MM_UNACCEPTED)
			return false;
		cur = mm_desc_end(md);
	}
	return true;
}

/* How many bytes from addr on are readable (readable() is monotone in the length), at most cap. */
static u64 readable_span(const struct live *l, u64 addr, u64 cap)
{
	u64 lo = 0, hi = cap;

	while (lo < hi) {
		u64 mid = hi - (hi - lo) / 2;

		if (readable(l, addr, mid))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static const void *ptr(u64 addr)
{
	return (const void *)(uintptr_t)addr;
}

static u64 rd(u64 addr, u32 bytes)
{
	u64 v = 0;

	memcpy(&v, ptr(addr), bytes);
	return v;
}

/* The kernel's own memory changes while it runs; the firmware's tables must not. */
static bool firmware_data(enum resv_reason why)
{
	return why != RSN_IMAGE && why != RSN_STACK && why != RSN_PAGE_TABLES &&
	       why != RSN_HANDOFF && why != RSN_MEMORY_MAP && why != RSN_KEXEC_IMAGE;
}

static void tag(struct live *l, u64 base, u64 len, enum resv_reason why)
{
	if (!len || !reclaim_tag(l->rc, base, base + len, why))
		return;
	l->tagged++;
	if (!l->rec || !firmware_data(why) || !readable(l, base, len))
		return;
	if (l->rec->n == LIVE_MAX_RECORDS) {
		l->rec->missed++;
		return;
	}
	/* The unaccepted bitmap changes as memory is accepted; its header must not. */
	if (why == RSN_UNACCEPTED_TABLE && len > ACCEPT_HEADER_BYTES)
		len = ACCEPT_HEADER_BYTES;
	l->rec->r[l->rec->n++] = (struct live_record){
		.base = base, .len = len, .crc = crc32(0, ptr(base), len), .reason = (u8)why
	};
}

/* A table whose header could not be trusted: say so, keep what is known (its first page). */
static void bad(struct live *l, const char *what, u64 addr, const char *why,
		enum resv_reason reason)
{
	if (l->say)
		l->say(what, addr, why);
	if (addr >= PAGE)
		tag(l, addr, 1, reason);
}

/* UEFI 2.10 section 4.6.4: header of four u32 (version, entries, descriptor size, reserved). */
static void tag_memattr(struct live *l, u64 addr)
{
	u64 n, ds;

	if (!readable(l, addr, 16)) {
		bad(l, "memory attributes table", addr, "header not in memory", RSN_MEMATTR_TABLE);
		return;
	}
	n = rd(addr + 4, 4);
	ds = rd(addr + 8, 4);
	if (ds < MM_DESC_MIN_SIZE || ds > PAGE || n > 65536 || !readable(l, addr, 16 + n * ds)) {
		bad(l, "memory attributes table", addr, "implausible size", RSN_MEMATTR_TABLE);
		return;
	}
	tag(l, addr, 16 + n * ds, RSN_MEMATTR_TABLE);
}

/* UEFI 2.10 section 23.3: count, max, version, then 40-byte resource entries. */
static void tag_esrt(struct live *l, u64 addr)
{
	u64 n;

	if (!readable(l, addr, 16)) {
		bad(l, "ESRT", addr, "header not in memory", RSN_ESRT);
		return;
	}
	n = rd(addr, 4);
	if (n > 4096 || !readable(l, addr, 16 + n * 40)) {
		bad(l, "ESRT", addr, "implausible entry count", RSN_ESRT);
		return;
	}
	tag(l, addr, 16 + n * 40, RSN_ESRT);
}

/*
 * The device tree (Devicetree Specification v0.4 section 5.2): the header's
 * totalsize covers the whole blob. The console and PSCI of an AArch64
 * kernel come from it, in this instance and any re-entered one.
 */
#define FDT_MAX_BYTES (8u << 20) /* larger is not a tree a firmware hands over */

static void tag_fdt(struct live *l, u64 addr)
{
	struct fdt f;
	enum fdt_error e;

	if (!readable(l, addr, 40)) {
		bad(l, "device tree", addr, "header not in memory", RSN_DEVICE_TREE);
		return;
	}
	e = fdt_open(&f, ptr(addr), FDT_MAX_BYTES);
	if (e != FDT_OK || !readable(l, addr, f.total)) {
		bad(l, "device tree", addr, e != FDT_OK ? fdt_error_str(e) : "blob not in memory",
		    RSN_DEVICE_TREE);
		return;
	}
	tag(l, addr, f.total, RSN_DEVICE_TREE);
}

/* UEFI 2.10 section 4.6.2: u16 version, u16 length, u32 supported services. */
static void tag_rt_properties(struct live *l, u64 addr)
{
	u64 len;

	if (!readable(l, addr, 8)) {
		bad(l, "RT properties table", addr, "not in memory", RSN_RT_PROPERTIES);
		return;
	}
	len = rd(addr + 2, 2);
	/* Version 1 is 8 bytes; a later version may be longer, but not by pages. */
	if (len < 8 || len > PAGE || !readable(l, addr, len)) {
		if (l->say)
			l->say("RT properties table", addr, "implausible length");
		len = 8;
	}
	tag(l, addr, len, RSN_RT_PROPERTIES);
}

/* SMBIOS 3.7 sections 5.2.1 and 5.2.2: the entry point and the structure table it names. */
static void tag_smbios(struct live *l, u64 addr, bool v3)
{
	u64 ep_len, table, table_len;

	if (!readable(l, addr, v3 ? 0x18 : 0x1f)) {
		bad(l, "SMBIOS entry point", addr, "not in memory", RSN_SMBIOS);
		return;
	}
	if (memcmp(ptr(addr), v3 ? "_SM3_" : "_SM_", v3 ? 5 : 4)) {
		bad(l, "SMBIOS entry point", addr, "bad anchor string", RSN_SMBIOS);
		return;
	}
	ep_len = rd(addr + (v3 ? 6 : 5), 1);
	if (ep_len < (v3 ? 0x18u : 0x1fu))
		ep_len = v3 ? 0x18 : 0x1f; /* at least the structure the spec defines */
	table = v3 ? rd(addr + 0x10, 8) : rd(addr + 0x18, 4);
	table_len = v3 ? rd(addr + 0x0c, 4) : rd(addr + 0x16, 2);
	tag(l, addr, ep_len, RSN_SMBIOS);
	if (table_len && readable(l, table, table_len))
		tag(l, table, table_len, RSN_SMBIOS);
	else if (table_len)
		bad(l, "SMBIOS structure table", table, "not in memory", RSN_SMBIOS);
}

/* The length of the ACPI table at addr (ACPI 6.5 section 5.2.6), or 0 if unusable. */
static u64 acpi_table_len(struct live *l, u64 addr)
{
	u64 len;

	if (!readable(l, addr, 36))
		return 0;
	len = rd(addr + 4, 4);
	return len >= 36 && len <= (64u << 20) && readable(l, addr, len) ? len : 0;
}

/* BGRT (ACPI 6.5 section 5.2.23): the boot logo, a BMP whose header says its size. */
static void tag_bgrt_image(struct live *l, u64 bgrt, u64 len)
{
	u64 image, size;

	if (len < 56 || rd(bgrt + 39, 1) != 0) /* image type 0: bitmap */
		return;
	image = rd(bgrt + 40, 8);
	if (!readable(l, image, 6) || memcmp(ptr(image), "BM", 2)) {
		bad(l, "BGRT logo", image, "not a BMP in memory", RSN_BGRT_LOGO);
		return;
	}
	size = rd(image + 2, 4);
	if (size < 6 || !readable(l, image, size)) {
		bad(l, "BGRT logo", image, "implausible size", RSN_BGRT_LOGO);
		return;
	}
	tag(l, image, size, RSN_BGRT_LOGO);
}

/* The FACS (ACPI 6.5 section 5.2.10): "FACS", then its length (at least 64 bytes). */
static void tag_facs(struct live *l, u64 facs)
{
	u64 len;

	if (!readable(l, facs, 64) || memcmp(ptr(facs), "FACS", 4)) {
		bad(l, "ACPI FACS", facs, "no \"FACS\" signature in memory", RSN_ACPI);
		return;
	}
	len = rd(facs + 4, 4);
	if (len < 64 || len > 64 * 1024 || !readable(l, facs, len)) {
		bad(l, "ACPI FACS", facs, "implausible length", RSN_ACPI);
		return;
	}
	tag(l, facs, len, RSN_ACPI);
}

/*
 * FADT (ACPI 6.5 section 5.2.9): FIRMWARE_CTRL at 36 and DSDT at 40, and
 * their 64-bit forms X_FIRMWARE_CTRL at 132 and X_DSDT at 140, which win
 * when the table is long enough to hold them and they are set.
 */
static void tag_fadt_children(struct live *l, u64 fadt, u64 len)
{
	u64 facs = rd(fadt + 36, 4), dsdt = rd(fadt + 40, 4);

	if (len >= 132 + 8 && rd(fadt + 132, 8))
		facs = rd(fadt + 132, 8);
	if (len >= 140 + 8 && rd(fadt + 140, 8))
		dsdt = rd(fadt + 140, 8);
	if (facs)
		tag_facs(l, facs);
	if (dsdt && acpi_table_len(l, dsdt))
		tag(l, dsdt, acpi_table_len(l, dsdt), RSN_ACPI);
	else if (dsdt)
		bad(l, "ACPI DSDT", dsdt, "header not in memory or bad length", RSN_ACPI);
}

/* One ACPI table: keep it, and follow what it points to that an OS reads later. */
static void tag_acpi_table(struct live *l, u64 addr)
{
	u64 len = acpi_table_len(l, addr);

	if (!len) {
		bad(l, "ACPI table", addr, "header not in memory or bad length", RSN_ACPI);
		return;
	}
	tag(l, addr, len, RSN_ACPI);
	if (!memcmp(ptr(addr), "BGRT", 4))
		tag_bgrt_image(l, addr, len);
	if (!memcmp(ptr(addr), "FACP", 4))
		tag_fadt_children(l, addr, len);
}

/* ACPI 6.5 section 5.2.5: the RSDP, then every table the XSDT (or RSDT) lists. */
static void tag_acpi(struct live *l, u64 rsdp)
{
	u64 root, len, entry_size, n;

	if (!readable(l, rsdp, 20) || memcmp(ptr(rsdp), "RSD PTR ", 8)) {
		bad(l, "ACPI RSDP", rsdp, "no \"RSD PTR \" signature", RSN_ACPI);
		return;
	}
	if (rd(rsdp + 15, 1) >= 2 && readable(l, rsdp, 36) && rd(rsdp + 24, 8)) {
		tag(l, rsdp, 36, RSN_ACPI);
		root = rd(rsdp + 24, 8);
		entry_size = 8;
	} else {
		tag(l, rsdp, 20, RSN_ACPI);
		root = rd(rsdp + 16, 4);
		entry_size = 4;
	}
	len = acpi_table_len(l, root);
	if (!len) {
		bad(l, "ACPI root table", root, "header not in memory or bad length", RSN_ACPI);
		return;
	}
	tag(l, root, len, RSN_ACPI);
	n = (len - 36) / entry_size;
	if (n > MAX_ACPI_TABLES) {
		bad(l, "ACPI root table", root, "more than 128 tables; the rest are not kept",
		    RSN_ACPI);
		n = MAX_ACPI_TABLES;
	}
	for (u64 i = 0; i < n; i++)
		tag_acpi_table(l, rd(root + 36 + i * entry_size, (u32)entry_size));
}

/* Linux's unaccepted-memory table: u32 version, u32 unit, u64 base, u64 bitmap bytes, bitmap. */
static void tag_unaccepted(struct live *l, u64 addr)
{
	u64 bytes;

	if (!readable(l, addr, 24)) {
		bad(l, "unaccepted-memory table", addr, "header not in memory",
		    RSN_UNACCEPTED_TABLE);
		return;
	}
	bytes = rd(addr + 16, 8);
	if (bytes > (1ULL << 32) || !readable(l, addr, 24 + bytes)) {
		bad(l, "unaccepted-memory table", addr, "implausible bitmap size",
		    RSN_UNACCEPTED_TABLE);
		return;
	}
	tag(l, addr, 24 + bytes, RSN_UNACCEPTED_TABLE);
}

/*
 * The TCG2 event log the stub sized from GetEventLog (TCG EFI Protocol
 * spec, EFI_TCG2_PROTOCOL.GetEventLog; Linux keeps it in
 * efi_tpm_eventlog_init). The firmware allocates it in boot-services
 * memory (edk2: Boot Data), so without this it would be freed.
 */
static void tag_tpm_log(struct live *l, const struct handoff *h)
{
	u64 base = h->tpm_log_base, size = h->tpm_log_size;

	if (!base)
		return;
	if (!size || size > TCG_MAX_LOG_BYTES || !readable(l, base, size)) {
		bad(l, "TCG2 event log", base, "implausible size or not in memory",
		    RSN_TPM_EVENT_LOG);
		return;
	}
	tag(l, base, size, RSN_TPM_EVENT_LOG);
}

/* The digest sizes of the stub's event log, needed to size final events; NULL, or why not. */
static const char *log_spec_id(const struct live *l, const struct handoff *h,
			       struct tcg_spec_id *sid)
{
	if (!h->tpm_log_base || h->tpm_log_format != TCG_LOG_FORMAT_2)
		return "no crypto-agile TCG2 event log to take digest sizes from";
	if (!h->tpm_log_size || h->tpm_log_size > TCG_MAX_LOG_BYTES ||
	    !readable(l, h->tpm_log_base, h->tpm_log_size))
		return "the TCG2 event log is not in memory";
	return tcg_spec_id_read(ptr(h->tpm_log_base), h->tpm_log_size, sid);
}

/*
 * TCG EFI Protocol spec, EFI_TCG2_FINAL_EVENTS_TABLE: u64 version, u64
 * number of events, then that many TCG_PCR_EVENT2 records (the events
 * logged after the first GetEventLog), sized with the digest sizes of the
 * event log's Spec ID event. What cannot be sized is said; the header and
 * every event sized before it are kept.
 */
static void tag_tpm_final_events(struct live *l, const struct handoff *h, u64 addr)
{
	struct tcg_spec_id sid;
	const char *why = NULL;
	u64 n, off = 16, avail;

	if (!readable(l, addr, 16)) {
		bad(l, "TCG2 final events table", addr, "header not in memory",
		    RSN_TPM_FINAL_EVENTS);
		return;
	}
	n = rd(addr + 8, 8);
	if (n > TCG_MAX_EVENTS)
		why = "implausible number of events";
	else if (n)
		why = log_spec_id(l, h, &sid);
	if (n && !why) {
		avail = readable_span(l, addr, TCG_MAX_LOG_BYTES);
		for (u64 i = 0; i < n; i++) {
			u64 size = tcg_event2_size(ptr(addr + off), avail - off, &sid);

			if (!size) {
				why = "an event is malformed or runs out of memory";
				break;
			}
			off += size;
		}
	}
	tag(l, addr, off, RSN_TPM_FINAL_EVENTS);
	if (why && l->say)
		l->say("TCG2 final events table", addr, why);
}

u32 live_tables_tag(struct reclaim *rc, const struct handoff *h, const struct memmap *map,
		    live_say say, struct live_records *rec)
{
	struct live l = { .rc = rc, .map = map, .say = say, .rec = rec };
	const struct accept_table *acc = (const struct accept_table *)(uintptr_t)h->accept_table;
	u64 a;

	/* The stub's table, when it can be read and is sane: nothing in its marked units is. */
	if (acc && readable(&l, h->accept_table, ACCEPT_HEADER_BYTES) &&
	    !accept_table_check(acc, h->accept_table_bytes) &&
	    readable(&l, h->accept_table, ACCEPT_HEADER_BYTES + acc->size))
		l.acc = acc;

	tag(&l, h->image_base, h->image_size, RSN_IMAGE);
	tag(&l, h->stack_base, h->stack_size, RSN_STACK);
	tag(&l, h->pt_pool_base, h->pt_pool_pages * PAGE, RSN_PAGE_TABLES);
	tag(&l, (u64)(uintptr_t)h, h->handoff_pages * PAGE, RSN_HANDOFF);
	tag(&l, h->map_base, h->map_buffer_bytes, RSN_MEMORY_MAP);
	/* The copy every later instance starts from (efimap.kexec; 0 without it). */
	tag(&l, h->kexec_image, h->kexec_image_bytes, RSN_KEXEC_IMAGE);

	if ((a = config_table_find_named(h, "EFI_MEMORY_ATTRIBUTES_TABLE")))
		tag_memattr(&l, a);
	if ((a = config_table_find_named(h, "ESRT")))
		tag_esrt(&l, a);
	if ((a = config_table_find_named(h, "EFI_RT_PROPERTIES_TABLE")))
		tag_rt_properties(&l, a);
	if ((a = config_table_find_named(h, "SMBIOS")))
		tag_smbios(&l, a, false);
	if ((a = config_table_find_named(h, "SMBIOS3")))
		tag_smbios(&l, a, true);
	if ((a = config_table_find_named(h, "ACPI 2.0 RSDP")) ||
	    (a = config_table_find_named(h, "ACPI 1.0 RSDP")))
		tag_acpi(&l, a);
	if ((a = config_table_find_named(h, "unaccepted memory")))
		tag_unaccepted(&l, a);
	if ((a = config_table_find_named(h, "device tree")))
		tag_fdt(&l, a);
	tag_tpm_log(&l, h);
	if ((a = config_table_find_named(h, "TCG2 final events")))
		tag_tpm_final_events(&l, h, a);
	return l.tagged;
}
