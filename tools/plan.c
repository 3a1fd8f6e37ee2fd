// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap plan FILE`: the virtual layout efimap would give the runtime
 * regions (memmap_layout_runtime(), the function the stub runs), the
 * SetVirtualAddressMap input it would pass, and what the kernel's reclaim
 * (plan_reclaim(): kernel/reclaim.c itself) frees, keeps and drops from
 * the map, printed in the kernel's own "reclaim:" lines.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "kernel/reclaim_lines.h"
#include "memmap/layout.h"
#include "tools/describe.h"
#include "tools/json.h"
#include "tools/plan.h"
#include "tools/tool.h"

#define KERN_UNKNOWN_NOTE                                                                    \
	"the kernel also keeps (KERN) the pages of configuration tables that live in "       \
	"boot-services memory (memory attributes table, ESRT, boot logo...) and of its own " \
	"data; without its \"efimap: resv: KERN\" lines those are unknown, so freed is an "  \
	"upper bound and kept a lower one"

struct layout_failure {
	bool failed;
	struct mm_finding f;
};

static void record_failure(const struct mm_finding *f, void *ctx)
{
	struct layout_failure *lf = ctx;

	if (!lf->failed) {
		lf->failed = true;
		lf->f = *f;
	}
}

struct plan {
	const char *name;
	const struct parsed_map *pm;
	const struct kernel_lines *kl;
	struct memmap map; /* a copy: the layout writes virt_addr */
	struct mm_layout lay;
	bool layout_ok;
	struct layout_failure lf;
	char failure[256];
	u32 svam_descs;
	u32 svam_desc_size; /* the firmware's, when the kernel's map line gives it */
	u64 svam_bytes;
	u32 bs_entries;
	struct plan_reclaim rc;
	u64 window_base, window_size;
};

static u32 line_of(const struct plan *p, u32 i)
{
	return p->pm->lines && i < p->pm->map.nr_map ? p->pm->lines[i] : 0;
}

static const char *plural(u64 n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The kernel's trampoline line for this page (kernel/reclaim_boot.c), without "efimap: ". */
static void format_trampoline(char *buf, size_t size, u64 page, bool from_bs)
{
	if (page == ~0ULL)
		snprintf(buf, size, "reclaim: trampoline: no free page below 1 MiB at all");
	else if (from_bs)
		snprintf(buf, size,
			 "reclaim: trampoline: no conventional page below 1 MiB; keeping "
			 "boot-services page 0x%llx for it",
			 (unsigned long long)page);
	else
		snprintf(buf, size, "reclaim: trampoline: conventional page 0x%llx set aside",
			 (unsigned long long)page);
}

static bool trampoline_agrees(const struct plan *p)
{
	const struct reclaim_stats *st = &p->rc.rc.st;

	return !p->kl || !p->kl->trampoline_said ||
	       (p->kl->trampoline == st->trampoline &&
		p->kl->trampoline_from_bs == st->trampoline_from_bs);
}

struct line_out {
	FILE *out;
	bool tail_known;
};

/* The summary line, with tail_freed_kib "unknown" when the map buffer's size is. */
static void print_reclaim_line(void *ctx, const char *line)
{
	const struct line_out *lo = ctx;
	const char *tail = strstr(line, " tail_freed_kib=");

	if (tail && !lo->tail_known)
		fprintf(lo->out, "%.*s tail_freed_kib=unknown\n", (int)(tail - line), line);
	else
		fprintf(lo->out, "%s\n", line);
}

static void print_text_reclaim(FILE *out, const struct plan *p)
{
	const struct plan_reclaim *r = &p->rc;
	const struct reclaim_stats *st = &r->rc.st;
	struct line_out lo = { out, r->tail_known };
	char line[RECLAIM_LINE_MAX];

	fprintf(out, "\nboot-services memory (Boot Code, Boot Data): the kernel's reclaim "
		     "(kernel/reclaim.c) on this map, in its own lines\n");
	if (r->kern_known)
		fprintf(out,
			"reservations: the kernel's, %u KERN %s (input lines %u-%u), %u applied "
			"(overlapping, malformed and runtime-attribute ones follow from the map)\n",
			p->kl->nr_kern, plural(p->kl->nr_kern, "range", "ranges"),
			p->kl->first_line, p->kl->last_line, r->kern_applied);
	else
		fprintf(out, "reservations: unknown (%s): %s\n", r->kern_unknown,
			KERN_UNKNOWN_NOTE);
	if (p->kl && p->kl->nothing_freed[0] && !r->kern_known)
		fprintf(out, "note: the kernel of this boot freed nothing: %s\n",
			p->kl->nothing_freed);
	if (r->sorted)
		fprintf(out, "note: the map is not sorted; the kernel sorts it first, and so does "
			     "this plan\n");
	if (st->overlapping_entries || st->malformed_entries)
		fprintf(out,
			"resv: keeping %u overlapping and %u malformed boot-services entries "
			"whole\n",
			st->overlapping_entries, st->malformed_entries);
	if (r->not_run) {
		fprintf(out, "reclaim not simulated: %s\n", r->why_not);
		return;
	}
	if (r->why_not) {
		fprintf(out, "reclaim: nothing freed: %s\n", r->why_not);
		return;
	}
	format_trampoline(line, sizeof(line), st->trampoline, st->trampoline_from_bs);
	fprintf(out, "%s\n", line);
	if (!trampoline_agrees(p)) {
		format_trampoline(line, sizeof(line), p->kl->trampoline, p->kl->trampoline_from_bs);
		fprintf(out, "note: the kernel's log differs: \"%s\"\n", line);
	}
	for (u32 i = 0; i < r->nr_kept_lines; i++)
		fprintf(out, "%s\n", r->kept_lines[i]);
	if (st->runtime_attr_entries)
		fprintf(out,
			"reclaim: %u boot-services entries carry EFI_MEMORY_RUNTIME: kept whole, "
			"the "
			"firmware still uses them\n",
			st->runtime_attr_entries);
	if (r->refused_frees)
		fprintf(out, "note: the page allocator refused %u frees (memory already free)\n",
			r->refused_frees);
	reclaim_emit_accounting(st, print_reclaim_line, &lo);
	fprintf(out, "map compaction: %u fully freed %s go, %u of %u entries remain\n",
		st->entries_before - st->entries_after,
		plural(st->entries_before - st->entries_after, "entry", "entries"),
		st->entries_after, st->entries_before);
}

static void print_text(FILE *out, const struct plan *p)
{
	const struct memmap *m = &p->map;
	char a[32], b[32], c[40];
	struct mm_iter it;
	struct mm_desc *md;

	describe_size(a, sizeof(a), p->window_size);
	fprintf(out, "# %s: %u %s, %s; desc_size %u\n", p->name, m->nr_map,
		m->nr_map == 1 ? "entry" : "entries", log_format_name(p->pm->format), m->desc_size);
	{
		char which[MAP_DESCRIBE_MAX];

		parsed_map_describe(which, sizeof(which), p->pm);
		fprintf(out, "# %s\n", which);
	}
	fprintf(out, "\nruntime regions (EFI_MEMORY_RUNTIME) in map order, virtual = physical "
		     "modulo 2 MiB\n");
	fprintf(out, "window: 0x%016llx + %s%s\n", (unsigned long long)p->window_base, a,
		p->window_base == MM_VA_WINDOW_BASE && p->window_size == MM_VA_WINDOW_SIZE
			? " (efimap's default)"
			: "");
	if (!p->layout_ok) {
		fprintf(out, "layout refused: %s: %s\n", mm_check_name(p->lf.f.check), p->failure);
	} else {
		fprintf(out, "%5s %6s  %-14s %-37s    %-37s %s\n", "entry", "line", "type",
			"physical (inclusive)", "virtual (inclusive)", "size");
		mm_iter_init(&it, m, mm_is_runtime, NULL);
		while ((md = mm_iter_next(&it)) != NULL) {
			u64 len = md->num_pages << PAGE_SHIFT;
			char line[16];

			if (line_of(p, it.index))
				snprintf(line, sizeof(line), "%u", line_of(p, it.index));
			else
				snprintf(line, sizeof(line), "-");
			describe_type(c, sizeof(c), md->type);
			describe_pages(b, sizeof(b), md->num_pages);
			fprintf(out,
				"%5u %6s  %-14s 0x%016llx-0x%016llx -> 0x%016llx-0x%016llx %s\n",
				it.index, line, c, (unsigned long long)md->phys_addr,
				(unsigned long long)(md->phys_addr + len - 1),
				(unsigned long long)md->virt_addr,
				(unsigned long long)(md->virt_addr + len - 1), b);
		}
		describe_size(a, sizeof(a), p->lay.va_end - p->window_base);
		describe_size(b, sizeof(b), p->lay.bytes);
		fprintf(out,
			"window used: %s (up to 0x%016llx) for %s of runtime regions in %u %s\n", a,
			(unsigned long long)p->lay.va_end, b, p->lay.nr_runtime,
			p->lay.nr_runtime == 1 ? "entry" : "entries");
	}
	fprintf(out, "SetVirtualAddressMap input: %u descriptors x %u bytes = %llu bytes%s\n",
		p->svam_descs, p->svam_desc_size, (unsigned long long)p->svam_bytes,
		p->pm->format == LOG_FMT_BINARY ? ""
		: p->svam_desc_size != m->desc_size
			? " (desc_size from the kernel's \"efimap: map:\" line)"
			: " (a log does not give the firmware's desc_size: 40 assumed, OVMF uses "
			  "48)");
	print_text_reclaim(out, p);
}

static void json_trampoline(struct json_writer *j, const char *key, u64 page)
{
	if (page == ~0ULL) {
		json_key(j, key);
		json_null(j);
	} else {
		json_kv_hex(j, key, page);
	}
}

static void print_json_reclaim(struct json_writer *j, const struct plan *p)
{
	static const char *const type_names[2] = { "Boot Code", "Boot Data" };
	const struct plan_reclaim *r = &p->rc;
	const struct reclaim_stats *st = &r->rc.st;

	json_key(j, "boot_services");
	json_object(j, false);
	json_kv_u64(j, "entries", p->bs_entries);
	json_kv_u64(j, "pages", st->bs_total);
	json_kv_u64(j, "freed_pages", st->freed);
	json_kv_u64(j, "kept_pages", st->kept);
	json_kv_u64(j, "kept_below_1m_pages",
		    st->type[0].kept[RSN_BELOW_1M] + st->type[1].kept[RSN_BELOW_1M]);
	json_kv_u64(j, "leak_pages", st->leak);
	json_kv_bool(j, "upper_bound", !r->kern_known);
	if (r->not_run)
		json_kv_str(j, "not_simulated", r->why_not);
	else if (r->why_not)
		json_kv_str(j, "nothing_freed", r->why_not);
	json_key(j, "types");
	json_array(j, false);
	for (u32 t = 0; t < 2; t++) {
		u64 kept = 0;

		for (u32 k = 0; k < RSN_NR; k++)
			kept += st->type[t].kept[k];
		json_object(j, true);
		json_kv_str(j, "type_name", type_names[t]);
		json_kv_u64(j, "total_pages", st->type[t].total);
		json_kv_u64(j, "freed_pages", st->type[t].freed);
		json_kv_u64(j, "kept_pages", kept);
		json_end(j);
	}
	json_end(j);
	json_key(j, "kept_by");
	json_object(j, true);
	for (u32 k = 0; k < RSN_NR; k++) {
		u64 pages = st->type[0].kept[k] + st->type[1].kept[k];

		if (pages)
			json_kv_u64(j, resv_reason_name((enum resv_reason)k), pages);
	}
	json_end(j);
	json_key(j, "kept_runs");
	json_array(j, false);
	for (u32 i = 0; i < r->nr_kept_lines; i++)
		json_str(j, r->kept_lines[i]);
	json_end(j);
	json_key(j, "entries_kept_whole");
	json_object(j, true);
	json_kv_u64(j, "overlapping", st->overlapping_entries);
	json_kv_u64(j, "malformed", st->malformed_entries);
	json_kv_u64(j, "runtime_attribute", st->runtime_attr_entries);
	json_end(j);
	json_key(j, "trampoline");
	json_object(j, true);
	json_trampoline(j, "page", r->why_not ? ~0ULL : st->trampoline);
	json_kv_bool(j, "from_boot_services", st->trampoline_from_bs);
	if (p->kl && p->kl->trampoline_said) {
		json_trampoline(j, "kernel_page", p->kl->trampoline);
		json_kv_bool(j, "agrees", trampoline_agrees(p));
	}
	json_end(j);
	json_key(j, "reservations");
	json_object(j, true);
	json_kv_bool(j, "known", r->kern_known);
	if (r->kern_known) {
		json_kv_u64(j, "kern_ranges", p->kl->nr_kern);
		json_kv_u64(j, "applied", r->kern_applied);
		json_kv_u64(j, "first_line", p->kl->first_line);
		json_kv_u64(j, "last_line", p->kl->last_line);
	} else {
		json_kv_str(j, "unknown", r->kern_unknown);
		json_kv_str(j, "note", KERN_UNKNOWN_NOTE);
	}
	json_end(j);
	if (p->kl && p->kl->nothing_freed[0])
		json_kv_str(j, "kernel_nothing_freed", p->kl->nothing_freed);
	json_kv_bool(j, "sorted_first", r->sorted);
	json_kv_u64(j, "refused_frees", r->refused_frees);
	json_end(j);
	json_key(j, "compaction");
	json_object(j, true);
	json_kv_u64(j, "entries_before", st->entries_before);
	json_kv_u64(j, "entries_removed", st->entries_before - st->entries_after);
	json_kv_u64(j, "entries_after", st->entries_after);
	json_key(j, "tail_freed_kib");
	if (r->tail_known)
		json_u64(j, st->tail_freed_pages * 4);
	else
		json_null(j);
	json_end(j);
}

static void print_json(FILE *out, const struct plan *p)
{
	const struct memmap *m = &p->map;
	struct json_writer j;
	struct mm_iter it;
	struct mm_desc *md;
	char buf[64];

	json_init(&j, out);
	json_object(&j, false);
	json_kv_str(&j, "command", "plan");
	json_kv_str(&j, "file", p->name);
	json_kv_str(&j, "format", log_format_name(p->pm->format));
	json_kv_u64(&j, "map", p->pm->map_number);
	json_kv_u64(&j, "maps_seen", p->pm->maps_seen);
	json_kv_str(&j, "map_kind", map_kind_name(p->pm->map_kind));
	tool_json_run_map(&j, p->pm);
	json_kv_u64(&j, "entries", m->nr_map);
	json_kv_u64(&j, "desc_size", m->desc_size);
	json_key(&j, "window");
	json_object(&j, true);
	json_kv_hex(&j, "base", p->window_base);
	json_kv_hex(&j, "size", p->window_size);
	json_end(&j);
	json_key(&j, "layout");
	json_object(&j, false);
	json_kv_bool(&j, "ok", p->layout_ok);
	if (!p->layout_ok) {
		json_kv_str(&j, "check", mm_check_name(p->lf.f.check));
		json_kv_str(&j, "message", p->failure);
	} else {
		json_kv_u64(&j, "regions", p->lay.nr_runtime);
		json_kv_u64(&j, "bytes", p->lay.bytes);
		json_kv_hex(&j, "va_end", p->lay.va_end);
		json_key(&j, "runtime");
		json_array(&j, false);
		mm_iter_init(&it, m, mm_is_runtime, NULL);
		while ((md = mm_iter_next(&it)) != NULL) {
			u64 len = md->num_pages << PAGE_SHIFT;

			json_object(&j, true);
			json_kv_u64(&j, "entry", it.index);
			json_key(&j, "line");
			if (line_of(p, it.index))
				json_u64(&j, line_of(p, it.index));
			else
				json_null(&j);
			json_kv_u64(&j, "type", md->type);
			describe_type(buf, sizeof(buf), md->type);
			json_kv_str(&j, "type_name", buf);
			json_kv_hex(&j, "start", md->phys_addr);
			json_kv_hex(&j, "end", md->phys_addr + len - 1);
			json_kv_hex(&j, "virt_start", md->virt_addr);
			json_kv_hex(&j, "virt_end", md->virt_addr + len - 1);
			json_kv_u64(&j, "pages", md->num_pages);
			json_end(&j);
		}
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "svam");
	json_object(&j, true);
	json_kv_u64(&j, "descriptors", p->svam_descs);
	json_kv_u64(&j, "desc_size", p->svam_desc_size);
	json_kv_u64(&j, "bytes", p->svam_bytes);
	json_end(&j);
	print_json_reclaim(&j, p);
	json_end(&j);
}

int plan_report(const char *name, const struct parsed_map *pm, const struct kernel_lines *kl,
		const struct tool_opts *o, FILE *out, FILE *err)
{
	struct plan p = { .name = name, .pm = pm, .kl = kl };
	enum mm_init_error merr;
	size_t bytes;
	void *buf;
	int status;

	p.window_base = o->window_base;
	p.window_size = o->window_size;

	/* The stub refuses a map memmap_init() refuses; so does the plan. */
	bytes = (size_t)pm->map.nr_map * pm->map.desc_size;
	buf = malloc(bytes ? bytes : 1);
	if (!buf) {
		fprintf(err, "%s: out of memory\n", name);
		return TOOL_EXIT_FINDINGS;
	}
	if (bytes)
		memcpy(buf, pm->map.base, bytes);
	merr = memmap_init(&p.map, buf, pm->map.desc_size, pm->map.desc_version, pm->map.nr_map,
			   pm->map.nr_map);
	if (merr != MM_OK) {
		fprintf(err, "%s: efimap would refuse this map: %s (desc_size %u)\n", name,
			memmap_init_error_str(merr), pm->map.desc_size);
		free(buf);
		return TOOL_EXIT_FINDINGS;
	}

	p.layout_ok = memmap_layout_runtime(&p.map, p.window_base, p.window_size, &p.lay,
					    record_failure, &p.lf);
	if (!p.layout_ok) {
		if (p.lf.failed)
			mm_finding_format(p.failure, sizeof(p.failure), &p.lf.f, &p.map);
		else
			snprintf(p.failure, sizeof(p.failure), "refused without a finding");
		if (!p.lf.failed)
			p.lf.f.check = MM_CHECK_LAYOUT_BAD_ENTRY;
	}
	p.svam_descs = memmap_count(&p.map, mm_is_runtime, NULL);
	p.bs_entries = memmap_count(&p.map, mm_is_boot_services, NULL);
	if (plan_reclaim(&p.map, kl, &p.rc)) {
		fprintf(err, "%s: out of memory\n", name);
		plan_reclaim_free(&p.rc);
		free(buf);
		return TOOL_EXIT_FINDINGS;
	}
	/* The SVAM input is a copy of the runtime descriptors at the firmware's desc_size. */
	p.svam_desc_size = p.rc.map.desc_size;
	p.svam_bytes = (u64)p.svam_descs * p.svam_desc_size;

	if (o->json)
		print_json(out, &p);
	else
		print_text(out, &p);
	status = p.layout_ok ? TOOL_EXIT_OK : TOOL_EXIT_FINDINGS;
	if (!p.layout_ok)
		fprintf(err, "%s: the runtime regions cannot be laid out: %s\n", name, p.failure);
	if (p.rc.rc.st.leak && !p.rc.why_not) {
		fprintf(err,
			"%s: the reclaim's books do not balance: %llu pages neither freed nor "
			"kept (an efimap bug)\n",
			name, (unsigned long long)p.rc.rc.st.leak);
		status = TOOL_EXIT_FINDINGS;
	}
	plan_reclaim_free(&p.rc);
	free(buf);
	return status;
}

/*
 * A run folder (docs/run-folder.md) keeps the kernel's lines in report.txt
 * (any case: a FAT volume may show REPORT.TXT): its path into buf, or -1.
 */
static int find_report(const char *dir, char *buf, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while (found && (e = readdir(d)) != NULL)
		if (!strcasecmp(e->d_name, "report.txt") &&
		    (size_t)snprintf(buf, size, "%s/%s", dir, e->d_name) < size)
			found = 0;
	closedir(d);
	return found;
}

int cmd_plan(const char *path, const struct tool_opts *o, FILE *out, FILE *err)
{
	const char *name = tool_display_name(path);
	struct kernel_lines kl;
	struct parsed_map pm;
	bool have_lines = false;
	char report[4096];
	struct stat st;
	int status;

	if (tool_load(path, &pm, err) != 0) {
		parsed_map_free(&pm);
		return TOOL_EXIT_UNREADABLE;
	}
	kernel_lines_init(&kl);
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		/*
		 * A run folder: the map is a dump, the kernel's lines are in its
		 * report (none yet before the next boot). They name their map's
		 * entry count, so a capture map does not take the final map's.
		 */
		if (find_report(path, report, sizeof(report)) == 0) {
			if (kernel_lines_read_file(&kl, report, 0) == 0)
				have_lines = true;
			else
				fprintf(err, "%s: cannot read the kernel's lines: %s\n", report,
					strerror(errno));
		}
	} else if (pm.format != LOG_FMT_BINARY && strcmp(path, "-")) {
		/*
		 * A text input may hold the kernel's lines of the map's boot, after
		 * the map. Standard input was consumed by the parser: not read.
		 */
		if (kernel_lines_read_file(&kl, path, pm.lines ? pm.lines[0] : 0) == 0)
			have_lines = true;
		else
			fprintf(err, "%s: cannot read the kernel's lines again: %s\n", name,
				strerror(errno));
	}
	status = plan_report(name, &pm, have_lines ? &kl : NULL, o, out, err);
	kernel_lines_free(&kl);
	parsed_map_free(&pm);
	return status;
}
