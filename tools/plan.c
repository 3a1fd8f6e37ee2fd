// SPDX-License-Identifier: BSD-2-Clause
/*
 * `efimap plan FILE`: the virtual layout efimap would give the runtime
 * regions (memmap_layout_runtime(), the function the stub runs), the
 * SetVirtualAddressMap input it would pass, and what the kernel would free
 * of boot-services memory and drop from the map afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "memmap/layout.h"
#include "tools/describe.h"
#include "tools/json.h"
#include "tools/plan.h"
#include "tools/tool.h"

#define KEPT_LOW_REASON "below 1 MiB (real-mode trampoline/BIOS area)"
#define KERN_NOTE                                                                             \
	"configuration tables that live in boot-services data (such as "                      \
	"EFI_MEMORY_ATTRIBUTES_TABLE and ESRT) are reserved (KERN) and kept too; a log does " \
	"not show where they are, so the freed count is an upper bound"

void plan_boot_services(const struct memmap *m, struct bs_plan *p)
{
	struct mm_iter it;
	struct mm_desc *md;

	memset(p, 0, sizeof(*p));
	mm_iter_init(&it, m, mm_is_boot_services, NULL);
	while ((md = mm_iter_next(&it)) != NULL) {
		u64 low = 0;

		p->entries++;
		p->pages = p->pages + md->num_pages < p->pages ? ~0ULL : p->pages + md->num_pages;
		/* Pages whose first byte is below 1 MiB (an unaligned page straddling it counts).
		 */
		if (md->phys_addr < PLAN_LOW_LIMIT) {
			low = (PLAN_LOW_LIMIT - md->phys_addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
			if (low > md->num_pages)
				low = md->num_pages;
		}
		p->kept_low_pages += low;
		if (low == 0 && md->num_pages)
			p->removed_entries++;
	}
	p->freed_pages = p->pages - p->kept_low_pages;
}

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
	struct memmap map; /* a copy: the layout writes virt_addr */
	struct mm_layout lay;
	bool layout_ok;
	struct layout_failure lf;
	char failure[256];
	u32 svam_descs;
	u64 svam_bytes;
	struct bs_plan bs;
	u64 window_base, window_size;
};

static u32 line_of(const struct plan *p, u32 i)
{
	return p->pm->lines && i < p->pm->map.nr_map ? p->pm->lines[i] : 0;
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
		char which[160];

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
		p->svam_descs, m->desc_size, (unsigned long long)p->svam_bytes,
		p->pm->format == LOG_FMT_BINARY
			? ""
			: " (a log does not give the firmware's desc_size: 40 "
			  "assumed, OVMF uses 48)");

	fprintf(out,
		"\nboot-services memory (Boot Code, Boot Data), freed by the kernel's deferred "
		"free phase\n");
	describe_pages(a, sizeof(a), p->bs.pages);
	fprintf(out, "  total: %llu %s (%s) in %u %s\n", (unsigned long long)p->bs.pages,
		p->bs.pages == 1 ? "page" : "pages", a, p->bs.entries,
		p->bs.entries == 1 ? "entry" : "entries");
	describe_pages(a, sizeof(a), p->bs.kept_low_pages);
	fprintf(out, "  kept:  %llu %s (%s) %s\n", (unsigned long long)p->bs.kept_low_pages,
		p->bs.kept_low_pages == 1 ? "page" : "pages", a, KEPT_LOW_REASON);
	describe_pages(a, sizeof(a), p->bs.freed_pages);
	fprintf(out, "  freed: %llu pages (%s) at most\n", (unsigned long long)p->bs.freed_pages,
		a);
	fprintf(out, "  note:  %s\n", KERN_NOTE);
	fprintf(out, "map compaction: %u fully freed %s go, %u of %u entries remain\n",
		p->bs.removed_entries, p->bs.removed_entries == 1 ? "entry" : "entries",
		m->nr_map - p->bs.removed_entries, m->nr_map);
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
	json_kv_u64(&j, "desc_size", m->desc_size);
	json_kv_u64(&j, "bytes", p->svam_bytes);
	json_end(&j);
	json_key(&j, "boot_services");
	json_object(&j, false);
	json_kv_u64(&j, "entries", p->bs.entries);
	json_kv_u64(&j, "pages", p->bs.pages);
	json_kv_u64(&j, "kept_below_1m_pages", p->bs.kept_low_pages);
	json_kv_str(&j, "kept_below_1m_reason", KEPT_LOW_REASON);
	json_kv_u64(&j, "freed_pages", p->bs.freed_pages);
	json_kv_str(&j, "note", KERN_NOTE);
	json_end(&j);
	json_key(&j, "compaction");
	json_object(&j, true);
	json_kv_u64(&j, "entries_before", m->nr_map);
	json_kv_u64(&j, "entries_removed", p->bs.removed_entries);
	json_kv_u64(&j, "entries_after", m->nr_map - p->bs.removed_entries);
	json_end(&j);
	json_end(&j);
}

int cmd_plan(const char *path, const struct tool_opts *o, FILE *out, FILE *err)
{
	struct plan p = { .name = tool_display_name(path) };
	struct parsed_map pm;
	enum mm_init_error merr;
	size_t bytes;
	void *buf;

	if (tool_load(path, &pm, err) != 0) {
		parsed_map_free(&pm);
		return TOOL_EXIT_UNREADABLE;
	}
	p.pm = &pm;
	p.window_base = o->window_base;
	p.window_size = o->window_size;

	/* The stub refuses a map memmap_init() refuses; so does the plan. */
	bytes = (size_t)pm.map.nr_map * pm.map.desc_size;
	buf = malloc(bytes ? bytes : 1);
	if (!buf) {
		fprintf(err, "%s: out of memory\n", p.name);
		parsed_map_free(&pm);
		return TOOL_EXIT_FINDINGS;
	}
	if (bytes)
		memcpy(buf, pm.map.base, bytes);
	merr = memmap_init(&p.map, buf, pm.map.desc_size, pm.map.desc_version, pm.map.nr_map,
			   pm.map.nr_map);
	if (merr != MM_OK) {
		fprintf(err, "%s: efimap would refuse this map: %s (desc_size %u)\n", p.name,
			memmap_init_error_str(merr), pm.map.desc_size);
		free(buf);
		parsed_map_free(&pm);
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
	p.svam_bytes = memmap_runtime_bytes(&p.map);
	plan_boot_services(&p.map, &p.bs);

	if (o->json)
		print_json(out, &p);
	else
		print_text(out, &p);
	if (!p.layout_ok)
		fprintf(err, "%s: the runtime regions cannot be laid out: %s\n", p.name, p.failure);
	free(buf);
	parsed_map_free(&pm);
	return p.layout_ok ? TOOL_EXIT_OK : TOOL_EXIT_FINDINGS;
}
