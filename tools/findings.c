// SPDX-License-Identifier: BSD-2-Clause
/*
 * Collecting findings for the host tool. The library validates in one pass
 * and reports through a callback; here they are gathered, mapped back to
 * the input's numbering and ordered for people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/findings.h"
#include "tools/mapcopy.h"

struct collect_ctx {
	struct finding_list *list;
	const struct parsed_map *pm;
	const struct memmap *copy; /* non-NULL while validating the sorted copy */
	enum mm_arch arch;
	bool oom;
};

bool finding_other_is_entry(const struct mm_finding *f)
{
	/*
	 * The earlier entry for overlap and mergeable (validate.h) and the entry
	 * just before for unsorted (validate.c); a count (trailing-zero) or
	 * nothing otherwise.
	 */
	return f->other != MM_NO_INDEX &&
	       (f->check == MM_CHECK_OVERLAP || f->check == MM_CHECK_MERGEABLE ||
		f->check == MM_CHECK_UNSORTED);
}

static u32 line_of(const struct parsed_map *pm, u32 index)
{
	if (!pm->lines || index >= pm->map.nr_map)
		return 0;
	return pm->lines[index];
}

/* A zeroed slot at the end of the list (grown as needed), or NULL when memory ran out. */
static struct tool_finding *push_finding(struct collect_ctx *c)
{
	struct finding_list *l = c->list;
	struct tool_finding *t;

	if (l->n == l->cap) {
		u32 cap = l->cap ? 2 * l->cap : 64;
		struct tool_finding *v = realloc(l->v, (size_t)cap * sizeof(*v));

		if (!v) {
			c->oom = true;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	t = &l->v[l->n];
	memset(t, 0, sizeof(*t));
	return t;
}

static void add_finding(const struct mm_finding *f, void *data)
{
	struct collect_ctx *c = data;
	struct finding_list *l = c->list;
	struct tool_finding *t;
	struct mm_finding g = *f;

	if (c->copy) {
		if (!mm_check_needs_order(f->check))
			return; /* already reported from the map as parsed */
		if (g.index != MM_NO_INDEX && g.index < c->copy->nr_map)
			g.index = mapcopy_orig_index(c->copy, g.index);
		if (finding_other_is_entry(&g) && g.other < c->copy->nr_map)
			g.other = mapcopy_orig_index(c->copy, g.other);
	}
	t = push_finding(c);
	if (!t)
		return;
	t->f = g;
	t->seq = l->n;
	/*
	 * The message names entries and their ranges; with the indexes mapped
	 * back, formatting against the map as parsed names the input's entries
	 * (the copy's descriptors are byte copies of those).
	 */
	mm_finding_format(t->message, sizeof(t->message), &g, &c->pm->map);
	t->line = g.index == MM_NO_INDEX ? line_of(c->pm, 0) : line_of(c->pm, g.index);
	if (finding_other_is_entry(&g))
		t->other_line = line_of(c->pm, g.other);
	if ((unsigned int)g.severity < MM_NR_SEVERITIES)
		l->by_severity[g.severity]++;
	l->n++;
}

const char *tool_check_name(u32 check)
{
	if (TOOL_CHECK_IS_MAT(check) && check < TOOL_NR_CHECKS)
		return mm_mat_check_name((enum mm_mat_check)(check - TOOL_CHECK_MAT(0)));
	if (check >= MM_NR_CHECKS && check < TOOL_NR_CHECKS)
		return parse_note_name((enum parse_note_kind)(check - MM_NR_CHECKS));
	return mm_check_name((enum mm_check)check);
}

/* The parser's notes about the input become findings on their lines. */
static void add_notes(struct collect_ctx *c)
{
	struct finding_list *l = c->list;

	for (u32 k = 0; k < c->pm->nr_notes && !c->oom; k++) {
		const struct parse_note *n = &c->pm->notes[k];
		struct tool_finding *t;

		t = push_finding(c);
		if (!t)
			return;
		t->f.check = TOOL_CHECK_NOTE(n->kind);
		t->f.index = MM_NO_INDEX;
		t->f.other = MM_NO_INDEX;
		t->f.severity = n->kind == PARSE_NOTE_FIRMWARE_BUG ? MM_SEV_WARNING : MM_SEV_ERROR;
		t->seq = l->n;
		t->line = n->line;
		if (n->kind == PARSE_NOTE_DAMAGED)
			snprintf(t->message, sizeof(t->message), "line not read (%.110s): '%.120s'", n->why,
				 n->text);
		else if (n->kind == PARSE_NOTE_LINUX_INVALID)
			snprintf(t->message, sizeof(t->message),
				 "Linux found this entry invalid and dropped it: '%.127s'", n->text);
		else
			snprintf(t->message, sizeof(t->message), "Linux reports: '%.127s'", n->text);
		l->by_severity[t->f.severity]++;
		l->n++;
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const struct tool_finding *x = a, *y = b;
	/* Map-wide findings (MM_NO_INDEX) first: shift so they sort below entry 0. */
	u64 xi = (u64)x->f.index + 1, yi = (u64)y->f.index + 1;

	/* The memory attributes table's findings come after the map's. */
	if (TOOL_CHECK_IS_MAT(x->f.check) != TOOL_CHECK_IS_MAT(y->f.check))
		return TOOL_CHECK_IS_MAT(x->f.check) ? 1 : -1;
	if (x->f.index == MM_NO_INDEX)
		xi = 0;
	if (y->f.index == MM_NO_INDEX)
		yi = 0;
	if (xi != yi)
		return xi < yi ? -1 : 1;
	/* Findings about input lines (the parser's notes) go in line order. */
	if ((u32)x->f.check >= MM_NR_CHECKS && (u32)y->f.check >= MM_NR_CHECKS &&
	    x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->f.check != y->f.check)
		return x->f.check < y->f.check ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int findings_collect(const struct parsed_map *pm, struct finding_list *out)
{
	return findings_collect_arch(pm, MM_ARCH_X86, out);
}

int findings_collect_arch(const struct parsed_map *pm, enum mm_arch arch, struct finding_list *out)
{
	struct collect_ctx c = { .list = out, .pm = pm, .arch = arch };
	struct mm_validation v;
	struct memmap copy;

	memset(out, 0, sizeof(*out));
	memmap_validate_arch(&pm->map, arch, add_finding, &c, &v);
	if (v.by_check[MM_CHECK_UNSORTED] && !c.oom) {
		out->sorted_copy = true;
		if (mapcopy_indexed(&pm->map, &copy) == 0) {
			memmap_sort(&copy);
			c.copy = &copy;
			memmap_validate_arch(&copy, arch, add_finding, &c, NULL);
			mapcopy_free(&copy);
		} else {
			out->copy_failed = true;
		}
	}
	add_notes(&c);
	if (c.oom)
		return -1;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), cmp_finding);
	return 0;
}

struct mat_ctx {
	struct collect_ctx *c;
	const void *mat;
};

static void add_mat_finding(const struct mm_mat_finding *f, void *data)
{
	struct mat_ctx *m = data;
	struct finding_list *l = m->c->list;
	struct tool_finding *t = push_finding(m->c);

	if (!t)
		return;
	t->f.check = TOOL_CHECK_MAT(f->check);
	t->f.severity = f->severity;
	t->f.index = f->index;
	t->f.other = f->other;
	t->f.value = f->value;
	t->seq = l->n;
	/* A map entry named by outside-runtime: the line it was read from. */
	if (f->check == MM_MAT_OUTSIDE_RUNTIME)
		t->other_line = line_of(m->c->pm, f->other);
	mm_mat_finding_format(t->message, sizeof(t->message), f, m->mat, &m->c->pm->map);
	if ((unsigned int)f->severity < MM_NR_SEVERITIES)
		l->by_severity[f->severity]++;
	l->n++;
}

int findings_add_mat(const struct parsed_map *pm, const void *mat, size_t size,
		     struct finding_list *list)
{
	struct collect_ctx c = { .list = list, .pm = pm };
	struct mat_ctx m = { .c = &c, .mat = mat };

	mm_mat_validate(mat, size, &pm->map, add_mat_finding, &m, NULL);
	if (c.oom)
		return -1;
	if (list->n > 1)
		qsort(list->v, list->n, sizeof(list->v[0]), cmp_finding);
	return 0;
}

void findings_free(struct finding_list *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}
