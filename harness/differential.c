// SPDX-License-Identifier: GPL-2.0-only
/*
 * differential.c - two teardown strategies on the same operations, compared
 * after every step: the page tables (by the store's running digest, then
 * table by table to name a difference), the tables allocated and freed, the
 * TLB and its flushes, the kernel's WARNs, each step's result and the
 * invariants' verdict. The "kernel" strategy against the "arm64" model is
 * the use it was built for (docs/kernel-in-the-loop.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/mhpsim.h>
#include "inspect.h"
#include "util.h"
#include "differential.h"

void diff_digest_of(const struct mhp_machine *m, int result, int invariant, struct diff_digest *d)
{
	struct inspect_diff_digest v;
	inspect_diff_digest(m, &v);
	*d = (struct diff_digest){ .tables = v.tables, .count = v.count, .allocated = v.allocated, .freed = v.freed,
				   .flushes = { v.flushes[0], v.flushes[1], v.flushes[2] }, .tlb = v.tlb,
				   .warns = v.warns, .reads = v.reads, .writes = v.writes,
				   .freed_while_cached = v.freed_while_cached, .result = result,
				   .invariant = invariant };
}

bool diff_digest_equal(const struct diff_digest *a, const struct diff_digest *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void counts_diff(const char *na, const char *nb, const struct diff_digest *x, const struct diff_digest *y,
			char *why, size_t cap)
{
	snprintf(why, cap, "%s/%s: tables %llu/%llu, allocated %llu/%llu, freed %llu/%llu, flushes range %llu/%llu "
		 "pgtable %llu/%llu all %llu/%llu, TLB %s, WARNs %llu/%llu, descriptor reads %llu/%llu writes %llu/%llu, "
		 "freed while cached %llu/%llu, result %d/%d, invariant %d/%d", na, nb,
		 (unsigned long long)x->count, (unsigned long long)y->count, (unsigned long long)x->allocated,
		 (unsigned long long)y->allocated, (unsigned long long)x->freed, (unsigned long long)y->freed,
		 (unsigned long long)x->flushes[0], (unsigned long long)y->flushes[0], (unsigned long long)x->flushes[1],
		 (unsigned long long)y->flushes[1], (unsigned long long)x->flushes[2], (unsigned long long)y->flushes[2],
		 x->tlb == y->tlb ? "same" : "differs", (unsigned long long)x->warns, (unsigned long long)y->warns,
		 (unsigned long long)x->reads, (unsigned long long)y->reads, (unsigned long long)x->writes,
		 (unsigned long long)y->writes, (unsigned long long)x->freed_while_cached,
		 (unsigned long long)y->freed_while_cached, x->result, y->result, x->invariant, y->invariant);
}

void diff_explain(const struct mhp_machine *a, const struct mhp_machine *b, const char *na, const char *nb,
		  const struct diff_digest *x, const struct diff_digest *y, char *why, size_t cap)
{
	bool named = false;
	if (x->tables != y->tables) {
		struct inspect_diff_tables *ta = inspect_diff_tables_copy(a), *tb = ta ? inspect_diff_tables_copy(b) : NULL;
		named = tb && inspect_diff_tables_differ(ta, tb, na, nb, why, cap);
		inspect_diff_tables_free(tb);
		inspect_diff_tables_free(ta);
	}
	if (!named)
		counts_diff(na, nb, x, y, why, cap);
}

/* ---- a scenario, both ways -------------------------------------------------------- */

struct side {
	struct diff_digest *steps;
	unsigned n, max;
	unsigned keep_at;            /* a step whose tables to keep, or 0 */
	struct inspect_diff_tables *kept;   /* that step's tables, or NULL */
};

static void after_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	struct side *s = ctx;
	if (step > s->max)
		return;
	diff_digest_of(m, 0, invariant, &s->steps[step - 1]);
	s->n = step;
	if (step == s->keep_at)
		s->kept = inspect_diff_tables_copy(m);
}

/* One way: a failing step fails both ways alike, or the digests differ; a run that could not start is an error. */
static int run_side(const struct mhp_scenario *sc, const char *teardown, const char *mutant, struct side *s,
		    struct mhp_err *err)
{
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .teardown = teardown, .mutant = mutant,
					.after_step = after_step, .after_ctx = s };
	struct mhp_run_result res;
	int ret = mhp_scenario_run(sc, &opt, &res, err);
	return ret && !res.failed_step && !s->n ? ret : 0;   /* failed before its first step */
}

/* Runs both ways again, keeping the tables of the step that differs, to name what differs. */
static void explain_step(const struct mhp_scenario *sc, const struct mhp_diff_options *o, struct side *a,
			 struct side *b, unsigned step, char *why, size_t cap)
{
	const struct diff_digest *x = &a->steps[step - 1], *y = &b->steps[step - 1];
	bool named = false;
	if (x->tables != y->tables) {
		a->keep_at = b->keep_at = step;
		struct mhp_err err;
		run_side(sc, o->a, o->mutant_a, a, &err);
		run_side(sc, o->b, NULL, b, &err);
		named = a->kept && b->kept && inspect_diff_tables_differ(a->kept, b->kept, o->a, o->b, why, cap);
		inspect_diff_tables_free(a->kept);
		inspect_diff_tables_free(b->kept);
		a->kept = b->kept = NULL;
	}
	if (!named)
		counts_diff(o->a, o->b, x, y, why, cap);
}

int mhp_scenario_diff(const struct mhp_scenario *sc, const struct mhp_diff_options *opt, struct mhp_diff_result *res,
		      struct mhp_err *err)
{
	memset(res, 0, sizeof(*res));
	/* A strategy that is not there is said as such: never a disagreement nobody observed. */
	const char *names[2] = { opt->a, opt->b };
	for (int i = 0; i < 2; i++)
		if (names[i] && mhp_teardown_strategy_built(names[i]) == 0)
			return mhp_err_set(err, -ENOTSUP, "the %s teardown strategy is not built into this mhpsim: "
					   MHP_HOW_TO_BUILD_KERNEL, names[i]);
	unsigned max = mhp_scenario_steps(sc);
	struct side a = { .max = max }, b = { .max = max };
	a.steps = calloc(max + 1, sizeof(*a.steps));
	b.steps = calloc(max + 1, sizeof(*b.steps));
	if (!a.steps || !b.steps) {
		free(a.steps);
		free(b.steps);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	int ret = run_side(sc, opt->a, opt->mutant_a, &a, err);
	if (!ret)
		ret = run_side(sc, opt->b, NULL, &b, err);
	if (ret) {   /* a side that could not even start: its error, not a difference */
		free(a.steps);
		free(b.steps);
		return ret;
	}
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
