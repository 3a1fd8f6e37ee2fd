// SPDX-License-Identifier: BSD-2-Clause
/*
 * The run folder (docs/run-folder.md): before ExitBootServices the stub
 * writes \EFI\efimap\runs\NNNN\ on the boot volume with the firmware's map
 * (binary and efi=debug text), the memory attributes table, the
 * configuration tables and what the machine is. Writing files allocates,
 * so this runs before the final sizing; run.txt says which map it is. A
 * volume that cannot be written (read-only, full, no file system) costs
 * the capture, never the boot: one line says why.
 */
#include "kernel/config_tables.h"
#include "kernel/efi_status.h"
#include "lib/printf.h"
#include "lib/smbios.h"
#include "lib/string.h"
#include "memmap/dump.h"
#include "memmap/memmap.h"
#include "stub/stub.h"

/* A growing text in pool memory; on allocation failure it stops growing and says so. */
struct text {
	char *buf;
	size_t len, cap;
	bool lost;
};

static void text_sink(char c, void *ctx)
{
	struct text *t = ctx;

	if (t->len + 1 < t->cap)
		t->buf[t->len++] = c;
	else
		t->lost = true;
}

static void __printf(2, 3) text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(text_sink, t, fmt, ap);
	va_end(ap);
	text_sink('\n', t);
}

static EFI_STATUS text_init(struct text *t, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap;
	return bs_call(AllocatePool, EfiLoaderData, cap, (void **)&t->buf);
}

static void text_free(struct text *t)
{
	if (t->buf)
		bs_call(FreePool, t->buf);
	t->buf = NULL;
}

static const struct handoff_guid *guid_of(EFI_CONFIGURATION_TABLE *ct)
{
	return (const struct handoff_guid *)&ct->VendorGuid;
}

/* The configuration table named so by kernel/config_tables.c, or NULL. */
static void *find_table(const char *name)
{
	for (UINTN i = 0; i < stub_st->NumberOfTableEntries; i++) {
		const char *n = config_table_name(guid_of(&stub_st->ConfigurationTable[i]));

		if (n && !strcmp(n, name))
			return stub_st->ConfigurationTable[i].VendorTable;
	}
	return NULL;
}

/* The SMBIOS keys of run.txt: 3.0 entry point first, as Linux prefers it. */
static void add_machine(struct text *t)
{
	struct smbios_id id;
	struct smbios_ep ep;
	const char *bad = "no SMBIOS table";
	const u8 *p = find_table("SMBIOS3");

	memset(&id, 0, sizeof(id));
	if (p)
		bad = smbios_read_entry_point(p, 0x18, &ep);
	if (!p || bad) {
		p = find_table("SMBIOS");
		if (p)
			bad = smbios_read_entry_point(p, 0x1f, &ep);
	}
	if (!bad) {
		/* Boot services: memory is identity mapped; the walk stops at type 127. */
		bad = smbios_read_identity((const u8 *)(uintptr_t)ep.table, ep.table_len, &id);
	}
#define KEY(k, v) text_add(t, "%s: %s", k, (v)[0] ? (v) : "unknown")
	KEY("system_manufacturer", id.sys_vendor);
	KEY("system_product", id.sys_product);
	KEY("system_version", id.sys_version);
	KEY("bios_vendor", id.bios_vendor);
	KEY("bios_version", id.bios_version);
	KEY("bios_date", id.bios_date);
#undef KEY
	if (!p)
		text_add(t, "smbios: none");
	else if (bad)
		text_add(t, "smbios: %u.%u (%s)", ep.major, ep.minor, bad);
	else
		text_add(t, "smbios: %u.%u", ep.major, ep.minor);
}

static void add_date(struct text *t)
{
	EFI_TIME tm;

	if (EFI_ERROR(rt_call(GetTime, &tm, NULL)) || tm.Month < 1 || tm.Month > 12 || tm.Day < 1 ||
	    tm.Day > 31 || tm.Hour > 23 || tm.Minute > 59 || tm.Second > 59)
		text_add(t, "date: unknown");
	else
		text_add(t, "date: %04u-%02u-%02uT%02u:%02u:%02u", tm.Year, tm.Month, tm.Day,
			 tm.Hour, tm.Minute, tm.Second);
}

/* UEFI 2.10 section 4.6.4: Version, NumberOfEntries, DescriptorSize, Reserved/Flags. */
struct mat_header {
	u32 version, nr_entries, desc_size, flags;
};

/* The MAT's size in bytes, or 0 (with *why) when its header is not believable. */
static UINTN mat_size(const struct mat_header *m, const char **why)
{
	if (m->desc_size < sizeof(struct mm_desc) || m->desc_size > 4096 || m->nr_entries > 65536) {
		*why = "implausible header";
		return 0;
	}
	return sizeof(*m) + (UINTN)m->nr_entries * m->desc_size;
}

static void ascii_from_ucs2(char *out, size_t size, const CHAR16 *in)
{
	size_t i = 0;

	for (; in && in[i] && i + 1 < size; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '?';
	out[i] = '\0';
}

/* Everything the folder gets: built in memory first, so the map is the one just taken. */
struct capture {
	struct text run, map_txt, tables;
	u8 *dump;
	UINTN dump_size;
	const struct mat_header *mat;
	UINTN mat_bytes;
};

static EFI_STATUS build_capture(struct capture *c, int number, const char *cmdline,
				const struct stub_sb *sb)
{
	struct mm_dump_header *dh;
	struct memmap map;
	void *buf;
	const char *why = NULL;
	char vendor[64], guid[37];
	EFI_STATUS st;
	u32 i;

	st = stub_snapshot_map(&map, &buf);
	if (EFI_ERROR(st))
		return st;
	c->dump_size = sizeof(*dh) + (UINTN)map.nr_map * map.desc_size;
	st = bs_call(AllocatePool, EfiLoaderData, c->dump_size, (void **)&c->dump);
	if (!EFI_ERROR(st))
		st = text_init(&c->map_txt, (UINTN)map.nr_map * 128 + 256);
	if (!EFI_ERROR(st))
		st = text_init(&c->run, 4096);
	if (!EFI_ERROR(st))
		st = text_init(&c->tables, stub_st->NumberOfTableEntries * 96 + 64);
	if (EFI_ERROR(st)) {
		bs_call(FreePool, buf);
		return st;
	}
	/* The EFIMAPD dump (README, "binary dump"): the descriptors byte for byte. */
	dh = (struct mm_dump_header *)c->dump;
	memset(dh, 0, sizeof(*dh));
	memcpy(dh->magic, MM_DUMP_MAGIC, sizeof(dh->magic));
	dh->header_size = sizeof(*dh);
	dh->desc_size = map.desc_size;
	dh->desc_version = map.desc_version;
	dh->nr_map = map.nr_map;
	memcpy(c->dump + sizeof(*dh), map.base, (UINTN)map.nr_map * map.desc_size);
	for (i = 0; i < map.nr_map; i++) {
		char line[160];

		mm_format_line(line, sizeof(line), i, memmap_desc(&map, i));
		text_add(&c->map_txt, "%s", line);
	}

	for (i = 0; i < stub_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *ct = &stub_st->ConfigurationTable[i];
		const char *name = config_table_name(guid_of(ct));

		guid_format(guid, guid_of(ct));
		text_add(&c->tables, "%u %s 0x%llx %s", i, guid,
			 (unsigned long long)(uintptr_t)ct->VendorTable, name ? name : "-");
	}
	c->mat = find_table("EFI_MEMORY_ATTRIBUTES_TABLE");
	if (c->mat)
		c->mat_bytes = mat_size(c->mat, &why);

	ascii_from_ucs2(vendor, sizeof(vendor), stub_st->FirmwareVendor);
	text_add(&c->run, "efimap-run: 1");
	text_add(&c->run, "run: %04d", number);
	add_date(&c->run);
	text_add(&c->run, "firmware_vendor: %s", vendor[0] ? vendor : "unknown");
	text_add(&c->run, "firmware_revision: 0x%x", stub_st->FirmwareRevision);
	text_add(&c->run, "uefi_revision: %u.%02u", stub_st->Hdr.Revision >> 16,
		 stub_st->Hdr.Revision & 0xffff);
	text_add(&c->run, "secure_boot: %u", sb->secure_boot);
	text_add(&c->run, "setup_mode: %u", sb->setup_mode);
	text_add(&c->run, "options: %s", cmdline);
	add_machine(&c->run);
	text_add(&c->run,
		 "map: map-capture.efimapd entries=%u desc_size=%u desc_version=%u (taken before "
		 "ExitBootServices, before efimap's final allocations)",
		 map.nr_map, map.desc_size, map.desc_version);
	if (!c->mat)
		text_add(&c->run, "mat: none");
	else if (!c->mat_bytes)
		text_add(&c->run, "mat: not saved (%s: version=%u entries=%u desc_size=%u)", why,
			 c->mat->version, c->mat->nr_entries, c->mat->desc_size);
	else
		text_add(&c->run, "mat: mat.bin version=%u entries=%u desc_size=%u",
			 c->mat->version, c->mat->nr_entries, c->mat->desc_size);
	text_add(&c->run, "config_tables: %llu", (unsigned long long)stub_st->NumberOfTableEntries);
	bs_call(FreePool, buf);
	return c->run.lost || c->map_txt.lost || c->tables.lost ? EFI_BUFFER_TOO_SMALL
								: EFI_SUCCESS;
}

static void free_capture(struct capture *c)
{
	text_free(&c->run);
	text_free(&c->map_txt);
	text_free(&c->tables);
	if (c->dump)
		bs_call(FreePool, c->dump);
	c->dump = NULL;
}

/* run.txt goes last: a folder with run.txt holds every file it names. */
static EFI_STATUS write_capture(EFI_FILE_PROTOCOL *dir, const struct capture *c, const char **what)
{
	EFI_STATUS st;

	st = stub_write_file(dir, "map-capture.efimapd", c->dump, c->dump_size, what);
	if (!EFI_ERROR(st))
		st = stub_write_file(dir, "map-capture.txt", c->map_txt.buf, c->map_txt.len, what);
	if (!EFI_ERROR(st) && c->mat_bytes)
		st = stub_write_file(dir, "mat.bin", c->mat, c->mat_bytes, what);
	if (!EFI_ERROR(st))
		st = stub_write_file(dir, "config-tables.txt", c->tables.buf, c->tables.len, what);
	if (!EFI_ERROR(st))
		st = stub_write_file(dir, "run.txt", c->run.buf, c->run.len, what);
	return st;
}

static const char *const runs_path[] = { "EFI", "efimap", "runs" };

EFI_STATUS stub_open_runs(EFI_LOADED_IMAGE *li, EFI_FILE_PROTOCOL **root, EFI_FILE_PROTOCOL **runs,
			  const char **what)
{
	EFI_STATUS st = stub_open_volume(li, root, what);

	if (EFI_ERROR(st))
		return st;
	st = stub_open_path(*root, runs_path, ARRAY_SIZE(runs_path), runs, what);
	if (EFI_ERROR(st))
		(*root)->Close(*root);
	return st;
}

u32 stub_capture_run(EFI_LOADED_IMAGE *li, const char *cmdline, const struct stub_sb *sb,
		     u32 *flags)
{
	EFI_FILE_PROTOCOL *root, *runs, *dir;
	struct capture c;
	const char *what = "";
	char st_text[32];
	int number = 0;
	EFI_STATUS st;

	*flags = 0;
	memset(&c, 0, sizeof(c));
	st = stub_open_runs(li, &root, &runs, &what);
	if (EFI_ERROR(st))
		goto out;
	number = stub_next_number(runs, &st);
	if (number < 0) {
		what = "cannot list \\EFI\\efimap\\runs";
	} else {
		st = stub_new_numbered_dir(runs, number, &dir, &number, &what);
		if (!EFI_ERROR(st)) {
			st = build_capture(&c, number, cmdline, sb);
			if (EFI_ERROR(st))
				what = "cannot build the capture in memory";
			else
				st = write_capture(dir, &c, &what);
			dir->Close(dir);
		}
	}
	runs->Close(runs);
	root->Close(root);
out:
	if (EFI_ERROR(st)) {
		stub_log("efimap: run: folder=none: %s (%s); this boot's results still go to "
			 "the variable store",
			 what, efi_status_str(st_text, sizeof(st_text), st));
		free_capture(&c);
		/* A half-written folder has no run.txt: the results go to a new one. */
		return 0;
	}
	*flags = HANDOFF_RUN_CAPTURED;
	stub_log("efimap: run: folder=\\EFI\\efimap\\runs\\%04d captured=1 map_entries=%u "
		 "mat=%s config_tables=%llu",
		 number, ((struct mm_dump_header *)c.dump)->nr_map, c.mat_bytes ? "saved" : "none",
		 (unsigned long long)stub_st->NumberOfTableEntries);
	free_capture(&c);
	return (u32)number;
}
