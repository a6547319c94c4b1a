/*
 * test_kernel_loop.c - the differential test of the "kernel" strategy: every
 * scenario replayed with "arm64" (our model of arch/arm64/mm/mmu.c) and with
 * "kernel" (that file's own functions, from the tree the library was built
 * with). After every step the page tables, the tables freed, the TLB and its
 * flushes, the kernel's WARNs and the invariants' verdict must be the same;
 * the first difference fails the test, naming the step, table and entry.
 *
 * Built without a kernel tree, the test says so and reports itself skipped.
 */
#include "helpers.h"
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 512
#define SKIPPED 77   /* ctest's SKIP_RETURN_CODE */

/* What must agree after a step, small enough to keep for every step. */
struct digest {
	uint64_t tables, count, allocated, freed, flushes[3], tlb, warns;
	int invariant;
};

static int sum_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	uint64_t *sum = arg, h = fnv1a64(FNV1A64_INIT, &t->pfn, sizeof(t->pfn));
	h = fnv1a64(h, &t->depth, sizeof(t->depth));
	*sum += fnv1a64(h, t->e, m->pt_geom.ptrs[t->depth] * sizeof(*t->e));
	return 0;
}

static struct digest digest_of(const struct mhp_machine *m, int invariant)
{
	struct digest d = { .count = m->pt.count, .allocated = m->pt.nr_allocated, .freed = m->pt.nr_freed,
			    .warns = m->nr_kernel_warns, .invariant = invariant };
	pt_for_each(m, sum_table, &d.tables);
	mhp_machine_tlb_flushes(m, d.flushes);
	d.tlb = fnv1a64(FNV1A64_INIT, m->tlb.e, sizeof(m->tlb.e));
	return d;
}

struct run {
	struct digest steps[MAX_STEPS];
	unsigned n;
	unsigned dump_at;                 /* a step whose tables to keep whole, or 0 */
	struct pt_table *dump;            /* copies, sorted by pfn */
	uint64_t ndump, ptrs[PT_MAX_DEPTH];
};

static int cmp_pfn(const void *a, const void *b)
{
	const struct pt_table *x = a, *y = b;
	return (x->pfn > y->pfn) - (x->pfn < y->pfn);
}

static int copy_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct run *r = arg;
	struct pt_table *c = &r->dump[r->ndump++];
	*c = *t;
	c->e = malloc(m->pt_geom.ptrs[t->depth] * sizeof(*t->e));
	assert_non_null(c->e);
	memcpy(c->e, t->e, m->pt_geom.ptrs[t->depth] * sizeof(*t->e));
	return 0;
}

static void after_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	struct run *r = ctx;
	assert_true(step <= MAX_STEPS);
	r->steps[step - 1] = digest_of(m, invariant);
	r->n = step;
	if (step == r->dump_at) {
		memcpy(r->ptrs, m->pt_geom.ptrs, sizeof(r->ptrs));
		r->dump = calloc(m->pt.count, sizeof(*r->dump));
		assert_non_null(r->dump);
		pt_for_each(m, copy_table, r);
		qsort(r->dump, r->ndump, sizeof(*r->dump), cmp_pfn);
	}
}

static void free_dump(struct run *r)
{
	for (uint64_t i = 0; i < r->ndump; i++)
		free(r->dump[i].e);
	free(r->dump);
}

static void replay(const struct mhp_scenario *sc, const char *teardown, const char *mutant, struct run *r)
{
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .teardown = teardown, .mutant = mutant,
					.after_step = after_step, .after_ctx = r };
	struct mhp_run_result res;
	struct mhp_err err = { 0 };
	mhp_scenario_run(sc, &opt, &res, &err);   /* a failing scenario fails the same way with both: the digests say */
}

/* The first table, entry or count that differs at a step, as a sentence. */
static void explain(const struct run *a, const struct run *b, unsigned step, char *out, size_t cap)
{
	const struct digest *x = &a->steps[step - 1], *y = &b->steps[step - 1];
	/* A merge walk of the two sorted lists: the first table only one side has, or the first entry that differs. */
	for (uint64_t i = 0, j = 0; i < a->ndump || j < b->ndump;) {
		const struct pt_table *s = i < a->ndump ? &a->dump[i] : NULL, *t = j < b->ndump ? &b->dump[j] : NULL;
		if (!t || (s && s->pfn < t->pfn)) {
			snprintf(out, cap, "table at pfn %#llx (depth %u) is live with arm64 only", (unsigned long long)s->pfn,
				 s->depth);
			return;
		}
		if (!s || t->pfn < s->pfn) {
			snprintf(out, cap, "table at pfn %#llx (depth %u) is live with kernel only", (unsigned long long)t->pfn,
				 t->depth);
			return;
		}
		uint64_t e = 0, n = a->ptrs[s->depth];
		while (e < n && s->e[e] == t->e[e])
			e++;
		if (s->depth != t->depth || e < n) {
			snprintf(out, cap, "table at pfn %#llx (depth %u) entry %llu: arm64 %#llx, kernel %#llx",
				 (unsigned long long)s->pfn, s->depth, (unsigned long long)e,
				 (unsigned long long)(e < n ? s->e[e] : 0), (unsigned long long)(e < n ? t->e[e] : 0));
			return;
		}
		i++, j++;
	}
	snprintf(out, cap, "tables %llu/%llu, freed %llu/%llu, flushes range %llu/%llu pgtable %llu/%llu all %llu/%llu, "
		 "TLB %s, WARNs %llu/%llu, invariant %d/%d (arm64/kernel)", (unsigned long long)x->count,
		 (unsigned long long)y->count, (unsigned long long)x->freed, (unsigned long long)y->freed,
		 (unsigned long long)x->flushes[0], (unsigned long long)y->flushes[0], (unsigned long long)x->flushes[1],
		 (unsigned long long)y->flushes[1], (unsigned long long)x->flushes[2], (unsigned long long)y->flushes[2],
		 x->tlb == y->tlb ? "same" : "differs", (unsigned long long)x->warns, (unsigned long long)y->warns,
		 x->invariant, y->invariant);
}

/*
 * Replays one scenario with arm64 (broken by mutant, if any) and with kernel.
 * Returns the first step that differs, its difference in why, or 0; *steps
 * gets the steps compared.
 */
static unsigned differential(const char *path, const char *mutant, char *why, size_t cap, unsigned *steps)
{
	struct mhp_scenario *sc;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(path, src_path("models"), &sc, &err))
		fail_msg("%s", err.msg);
	struct run *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	assert_true(a && b);
	replay(sc, "arm64", mutant, a);
	replay(sc, "kernel", NULL, b);
	unsigned bad = 0;
	for (unsigned i = 0; i < a->n && i < b->n && !bad; i++)
		if (memcmp(&a->steps[i], &b->steps[i], sizeof(a->steps[i])) != 0)
			bad = i + 1;
	if (!bad && a->n != b->n) {
		bad = a->n < b->n ? a->n : b->n;
		snprintf(why, cap, "%u steps ran with arm64, %u with kernel", a->n, b->n);
	} else if (bad) {
		/* Again, keeping the tables of that step whole, to name the difference. */
		free(a), free(b);
		a = calloc(1, sizeof(*a)), b = calloc(1, sizeof(*b));
		assert_true(a && b);
		a->dump_at = b->dump_at = bad;
		replay(sc, "arm64", mutant, a);
		replay(sc, "kernel", NULL, b);
		explain(a, b, bad, why, cap);
	}
	*steps = a->n;
	free_dump(a), free_dump(b);
	free(a), free(b);
	mhp_scenario_free(sc);
	return bad;
}

static void test_every_scenario_agrees(void **state)
{
	(void)state;
	DIR *d = opendir(src_path("scenarios"));
	assert_non_null(d);
	char *names[256];
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) && n < 256;)
		if (strstr(e->d_name, ".yaml"))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), (int (*)(const void *, const void *))strcmp);
	unsigned steps = 0;
	for (size_t i = 0; i < n; i++) {
		char path[1024], why[512];
		unsigned k;
		snprintf(path, sizeof(path), "%s/%s", src_path("scenarios"), names[i]);
		unsigned bad = differential(path, NULL, why, sizeof(why), &k);
		if (bad)
			fail_msg("%s: step %u differs: %s", path, bad, why);
		steps += k;
		free(names[i]);
	}
	printf("  %zu scenarios, %u steps: page tables, frees, TLB, WARNs and invariants agree after every step\n", n,
	       steps);
	assert_true(n >= 30);
}

/* The test can fail: a model broken on purpose differs from the tree at the first teardown, and says where. */
static void test_a_broken_model_differs(void **state)
{
	(void)state;
	static const struct { const char *mutant, *expect; } cases[] = {
		{ "free-table-keep-parent", "table at pfn" },   /* a parent still points at a freed table */
		{ "no-table-flush", "pgtable" },                /* the page-table flushes are missing */
		{ "tables-never-freed", "live with arm64 only" },   /* tables the kernel frees stay */
	};
	char path[1024];
	snprintf(path, sizeof(path), "%s/scenarios/11-pgtable-teardown.yaml", src_path("."));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char why[512] = "";
		unsigned steps, bad = differential(path, cases[i].mutant, why, sizeof(why), &steps);
		printf("  %-24s step %u: %s\n", cases[i].mutant, bad, why);
		assert_true(bad > 0);
		assert_non_null(strstr(why, cases[i].expect));
	}
}

int main(void)
{
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	int built = mhp_machine_set_teardown(m, "kernel");
	mhp_machine_free(m);
	if (built == -ENOTSUP) {
		printf("SKIPPED: built without a kernel tree (cmake -DMHPSIM_KERNEL_TREE=DIR; scripts/kernel-tree.sh)\n");
		return SKIPPED;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario_agrees),
		cmocka_unit_test(test_a_broken_model_differs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
