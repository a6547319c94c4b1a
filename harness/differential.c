/*
 * differential.c - two teardown strategies on the same operations, compared
 * after every step: the page tables (by the store's running digest, then
 * table by table to name a difference), the tables allocated and freed, the
 * TLB and its flushes, the kernel's WARNs, each step's result and the
 * invariants' verdict. The "kernel" strategy against the "arm64" model is
 * the use it was built for (docs/kernel-in-the-loop.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/mutant.h"
#include "differential.h"
#include "teardown.h"

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

void diff_digest_of(const struct mhp_machine *m, int result, int invariant, struct diff_digest *d)
{
	*d = (struct diff_digest){ .tables = m->pt.digest, .count = m->pt.count, .allocated = m->pt.nr_allocated,
				   .freed = m->pt.nr_freed, .warns = m->nr_kernel_warns, .reads = m->pt.nr_reads,
				   .writes = m->pt.nr_writes, .result = result, .invariant = invariant };
	mhp_machine_tlb_flushes(m, d->flushes);
	d->tlb = tlb_digest(m);
}

bool diff_digest_equal(const struct diff_digest *a, const struct diff_digest *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* A machine's live tables, copied and sorted by pfn: what a difference is named from. */
struct table_copy {
	uint64_t pfn, n, *e;
	unsigned depth;
};

struct tables {
	struct table_copy *v;
	uint64_t n;
	bool oom;
};

static int copy_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct tables *c = arg;
	struct table_copy *x = &c->v[c->n];
	*x = (struct table_copy){ .pfn = t->pfn, .depth = t->depth, .n = m->pt_geom.ptrs[t->depth] };
	if (!(x->e = malloc(x->n * sizeof(*x->e)))) {
		c->oom = true;
		return 1;
	}
	memcpy(x->e, t->e, x->n * sizeof(*x->e));
	c->n++;
	return 0;
}

static int cmp_pfn(const void *a, const void *b)
{
	const struct table_copy *x = a, *y = b;
	return (x->pfn > y->pfn) - (x->pfn < y->pfn);
}

static void tables_free(struct tables *c)
{
	for (uint64_t i = 0; c->v && i < c->n; i++)
		free(c->v[i].e);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static bool tables_copy(const struct mhp_machine *m, struct tables *c)
{
	*c = (struct tables){ .v = calloc(m->pt.count + 1, sizeof(*c->v)) };
	if (c->v)
		pt_for_each(m, copy_table, c);
	if (!c->v || c->oom) {
		tables_free(c);
		return false;
	}
	qsort(c->v, c->n, sizeof(*c->v), cmp_pfn);
	return true;
}

/* A merge walk: the lowest table only one side has, or the first entry that differs; false when they agree. */
static bool tables_diff(const struct tables *a, const struct tables *b, const char *na, const char *nb, char *why,
			size_t cap)
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

static void counts_diff(const char *na, const char *nb, const struct diff_digest *x, const struct diff_digest *y,
			char *why, size_t cap)
{
	snprintf(why, cap, "%s/%s: tables %llu/%llu, allocated %llu/%llu, freed %llu/%llu, flushes range %llu/%llu "
		 "pgtable %llu/%llu all %llu/%llu, TLB %s, WARNs %llu/%llu, descriptor reads %llu/%llu writes %llu/%llu, "
		 "result %d/%d, invariant %d/%d", na, nb,
		 (unsigned long long)x->count, (unsigned long long)y->count, (unsigned long long)x->allocated,
		 (unsigned long long)y->allocated, (unsigned long long)x->freed, (unsigned long long)y->freed,
		 (unsigned long long)x->flushes[0], (unsigned long long)y->flushes[0], (unsigned long long)x->flushes[1],
		 (unsigned long long)y->flushes[1], (unsigned long long)x->flushes[2], (unsigned long long)y->flushes[2],
		 x->tlb == y->tlb ? "same" : "differs", (unsigned long long)x->warns, (unsigned long long)y->warns,
		 (unsigned long long)x->reads, (unsigned long long)y->reads, (unsigned long long)x->writes,
		 (unsigned long long)y->writes, x->result, y->result, x->invariant, y->invariant);
}

void diff_explain(const struct mhp_machine *a, const struct mhp_machine *b, const char *na, const char *nb,
		  const struct diff_digest *x, const struct diff_digest *y, char *why, size_t cap)
{
	struct tables ta, tb;
	bool named = false;
	if (x->tables != y->tables && tables_copy(a, &ta)) {
		if (tables_copy(b, &tb)) {
			named = tables_diff(&ta, &tb, na, nb, why, cap);
			tables_free(&tb);
		}
		tables_free(&ta);
	}
	if (!named)
		counts_diff(na, nb, x, y, why, cap);
}

/* ---- a scenario, both ways -------------------------------------------------------- */

struct side {
	struct diff_digest *steps;
	unsigned n, max;
	unsigned keep_at;            /* a step whose tables to keep, or 0 */
	struct tables kept;
	bool have;
};

static void after_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	struct side *s = ctx;
	if (step > s->max)
		return;
	diff_digest_of(m, 0, invariant, &s->steps[step - 1]);
	s->n = step;
	if (step == s->keep_at)
		s->have = tables_copy(m, &s->kept);
}

static void run_side(const struct mhp_scenario *sc, const char *teardown, const char *mutant, struct side *s)
{
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .teardown = teardown, .mutant = mutant,
					.after_step = after_step, .after_ctx = s };
	struct mhp_run_result res;
	struct mhp_err err = { 0 };
	mhp_scenario_run(sc, &opt, &res, &err);   /* a failing step fails both ways alike, or the digests differ */
}

/* Runs both ways again, keeping the tables of the step that differs, to name what differs. */
static void explain_step(const struct mhp_scenario *sc, const struct mhp_diff_options *o, struct side *a,
			 struct side *b, unsigned step, char *why, size_t cap)
{
	const struct diff_digest *x = &a->steps[step - 1], *y = &b->steps[step - 1];
	bool named = false;
	if (x->tables != y->tables) {
		a->keep_at = b->keep_at = step;
		run_side(sc, o->a, o->mutant_a, a);
		run_side(sc, o->b, NULL, b);
		named = a->have && b->have && tables_diff(&a->kept, &b->kept, o->a, o->b, why, cap);
		tables_free(&a->kept);
		tables_free(&b->kept);
	}
	if (!named)
		counts_diff(o->a, o->b, x, y, why, cap);
}

int mhp_scenario_diff(const struct mhp_scenario *sc, const struct mhp_diff_options *opt, struct mhp_diff_result *res,
		      struct mhp_err *err)
{
	memset(res, 0, sizeof(*res));
	unsigned max = mhp_scenario_steps(sc);
	struct side a = { .max = max }, b = { .max = max };
	a.steps = calloc(max + 1, sizeof(*a.steps));
	b.steps = calloc(max + 1, sizeof(*b.steps));
	if (!a.steps || !b.steps) {
		free(a.steps);
		free(b.steps);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	run_side(sc, opt->a, opt->mutant_a, &a);
	run_side(sc, opt->b, NULL, &b);
	for (unsigned i = 0; i < a.n && i < b.n && !res->differs_at; i++)
		if (!diff_digest_equal(&a.steps[i], &b.steps[i]))
			res->differs_at = i + 1;
	res->steps = a.n < b.n ? a.n : b.n;
	if (res->differs_at)
		explain_step(sc, opt, &a, &b, res->differs_at, res->why, sizeof(res->why));
	else if (a.n != b.n)
		snprintf(res->why, sizeof(res->why), "%u steps ran with %s, %u with %s", a.n, opt->a, b.n, opt->b),
			res->differs_at = res->steps + 1;
	free(a.steps);
	free(b.steps);
	return 0;
}
