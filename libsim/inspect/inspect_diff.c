// SPDX-License-Identifier: GPL-2.0-only
/*
 * inspect_diff.c - what two teardown strategies must agree on, computed over
 * one machine's page tables and TLB (inspect.h): a digest compared after every
 * step, and the tables copied out to name the first difference when it differs.
 * harness/differential.c drives the two machines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "inspect.h"

/* The TLB's entries, field by field: their padding bytes are whatever the stack held. */
static uint64_t tlb_digest(const struct mhp_machine *m)
{
	uint64_t h = FNV1A64_INIT;
	for (unsigned i = 0; i < TLB_ENTRIES; i++) {
		const struct tlb_entry *e = &m->tlb.e[i];
		uint64_t v[4] = { e->va, e->span, e->target, (uint64_t)e->depth | (uint64_t)e->leaf << 8 | (uint64_t)e->valid << 16 };
		h = fnv1a64(h, v, sizeof(v));
	}
	return h;
}

void inspect_diff_digest(const struct mhp_machine *m, struct inspect_diff_digest *out)
{
	*out = (struct inspect_diff_digest){ .tables = m->pt.digest, .count = m->pt.count,
					     .allocated = m->pt.nr_allocated, .freed = m->pt.nr_freed,
					     .warns = m->nr_kernel_warns, .reads = m->pt.nr_reads,
					     .writes = m->pt.nr_writes, .freed_while_cached = m->tlb.nr_freed_while_cached };
	mhp_machine_tlb_flushes(m, out->flushes);
	out->tlb = tlb_digest(m);
}

struct table_copy {
	uint64_t pfn, n, *e;
	unsigned depth;
};

struct inspect_diff_tables {
	struct table_copy *v;
	uint64_t n;
	bool oom;
};

static int copy_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct inspect_diff_tables *c = arg;
	struct table_copy *x = &c->v[c->n];
	*x = (struct table_copy){ .pfn = t->pfn, .depth = t->depth, .n = m->pt_geom.ptrs[t->depth] };
	if (!(x->e = malloc(x->n * sizeof(*x->e)))) {
		c->oom = true;
		return 1;
	}
	pt_copy(t, 0, x->n, x->e);
	c->n++;
	return 0;
}

static int cmp_pfn(const void *a, const void *b)
{
	const struct table_copy *x = a, *y = b;
	return (x->pfn > y->pfn) - (x->pfn < y->pfn);
}

void inspect_diff_tables_free(struct inspect_diff_tables *c)
{
	if (!c)
		return;
	for (uint64_t i = 0; i < c->n; i++)   /* n counts whole copies only */
		free(c->v[i].e);
	free(c->v);
	free(c);
}

struct inspect_diff_tables *inspect_diff_tables_copy(const struct mhp_machine *m)
{
	struct inspect_diff_tables *c = calloc(1, sizeof(*c));
	if (!c || !(c->v = calloc(m->pt.count + 1, sizeof(*c->v))))
		goto oom;
	pt_for_each(m, copy_table, c);
	if (c->oom)
		goto oom;
	qsort(c->v, c->n, sizeof(*c->v), cmp_pfn);
	return c;
oom:
	inspect_diff_tables_free(c);
	return NULL;
}

/* A merge walk over both sorted copies. */
bool inspect_diff_tables_differ(const struct inspect_diff_tables *a, const struct inspect_diff_tables *b,
				const char *na, const char *nb, char *why, size_t cap)
{
	for (uint64_t i = 0, j = 0; i < a->n || j < b->n;) {
		const struct table_copy *s = i < a->n ? &a->v[i] : NULL, *t = j < b->n ? &b->v[j] : NULL;
		if (!t || (s && s->pfn < t->pfn) || !s || t->pfn < s->pfn) {
			const struct table_copy *x = !t || (s && s->pfn < t->pfn) ? s : t;
			snprintf(why, cap, "table at pfn %#llx (depth %u) is live with %s only", (unsigned long long)x->pfn,
				 x->depth, x == s ? na : nb);
			return true;
		}
		uint64_t e = 0;
		while (s->depth == t->depth && e < s->n && s->e[e] == t->e[e])
			e++;
		if (s->depth != t->depth || e < s->n) {
			snprintf(why, cap, "table at pfn %#llx (depth %u) entry %llu: %s %#llx, %s %#llx",
				 (unsigned long long)s->pfn, s->depth, (unsigned long long)e, na,
				 (unsigned long long)(e < s->n ? s->e[e] : 0), nb, (unsigned long long)(e < t->n ? t->e[e] : 0));
			return true;
		}
		i++, j++;
	}
	return false;
}
