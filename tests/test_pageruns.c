// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pageruns.c - runs of pages handled at once give exactly what the
 * kernel's page-by-page order gives (issue 19): the allocator's runs, the
 * freeing of a run, migration of a run, every scenario and fuzz runs compared
 * with the reference path (mhp_machine_set_pagewise) after every step, and a
 * mutant of the run path that only this comparison catches.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "sim/migrate.h"
#include "sim/page_alloc.h"
#include "sim/page_isolation.h"
#include "sim/sparse.h"
#include "sim/workload.h"

#define MAX_STEPS 512

struct step_hashes {
	unsigned n;
	uint64_t state[MAX_STEPS], trace[MAX_STEPS], lists[MAX_STEPS];
};

static void record_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	struct step_hashes *h = ctx;
	(void)invariant;
	assert_true(step == h->n + 1 && h->n < MAX_STEPS);
	h->state[h->n] = mhp_machine_state_hash(m);
	h->trace[h->n] = mhp_trace_hash(m);
	h->lists[h->n] = mhp_testing_free_lists_hash(m);
	h->n++;
}

/* Replays file with or without the reference path; every step's hashes in h. */
static int replay(const char *file, bool pagewise, const char *mutant, struct step_hashes *h)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	struct mhp_run_result res;
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .pagewise = pagewise, .mutant = mutant,
				       .after_step = record_step, .after_ctx = h };
	h->n = 0;
	if (mhp_scenario_load(file, "models", &sc, &err))
		fail_msg("%s", err.msg);
	int ret = mhp_scenario_run(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	return ret;
}

/* The first step (1-based) where the two replays differ, or 0. */
static unsigned first_difference(const struct step_hashes *a, const struct step_hashes *b)
{
	for (unsigned i = 0; i < a->n && i < b->n; i++)
		if (a->state[i] != b->state[i] || a->trace[i] != b->trace[i] || a->lists[i] != b->lists[i])
			return i + 1;
	return a->n == b->n ? 0 : (a->n < b->n ? a->n : b->n) + 1;
}

/* Every scenario in dir: both paths, the same hashes after every step. */
static unsigned compare_dir(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	unsigned files = 0;
	static struct step_hashes runs, pagewise;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		int a = replay(path, false, NULL, &runs), b = replay(path, true, NULL, &pagewise);
		assert_int_equal(a, b);
		unsigned at = first_difference(&runs, &pagewise);
		if (at)
			fail_msg("%s: page runs and the pagewise path differ after step %u", path, at);
		files++;
	}
	closedir(d);
	return files;
}

static void test_every_scenario_agrees_after_every_step(void **state)
{
	(void)state;
	unsigned files = compare_dir("scenarios") + compare_dir("scenarios/teaching");
	printf("  %u scenarios: the same state, trace and free lists after every step\n", files);
	assert_true(files >= 50);
}

/* Allocations of nr pages on m, as runs; the pfns in order. */
static uint64_t alloc_runs(struct mhp_machine *m, uint64_t nr, uint64_t *pfns, uint64_t *calls)
{
	uint64_t done = 0;
	*calls = 0;
	while (done < nr) {
		uint64_t pfn, got;
		if (alloc_pages_run_take(m, 0, -1, PG_ANON, false, nr - done, &pfn, &got) ||
		    set_page_allocs(m, pfn, got, 0, PG_ANON))
			break;
		for (uint64_t i = 0; i < got; i++)
			pfns[done++] = pfn + i;
		(*calls)++;
	}
	return done;
}

/*
 * The allocator's runs: a run is as many pages as the split block's tail
 * gives, in the order single allocations take them, and the free lists are
 * left as those leave them; fault injection's countdown ends a run where it
 * would fail a single allocation.
 */
static void test_allocation_runs_follow_the_kernel_order(void **state)
{
	(void)state;
	struct mhp_machine *a = boot_model("qemu-virt-arm64-4k", NULL), *b = boot_model("qemu-virt-arm64-4k", NULL);
	mhp_machine_set_pagewise(b, true);
	enum { N = 5000 };
	static uint64_t pa[N], pb[N];
	uint64_t calls_a, calls_b;
	mhp_machine_fail_alloc(a, 3000, 1);
	mhp_machine_fail_alloc(b, 3000, 1);
	uint64_t na = alloc_runs(a, N, pa, &calls_a), nb = alloc_runs(b, N, pb, &calls_b);
	assert_int_equal(na, nb);
	assert_int_equal(na, 2999);   /* the 3000th allocation is the injected failure */
	assert_memory_equal(pa, pb, na * sizeof(pa[0]));
	assert_int_equal(calls_b, na);           /* the reference path: one page per call */
	assert_true(calls_a * 100 < calls_b);    /* runs: a block's worth per call */
	assert_int_equal(mhp_testing_free_lists_hash(a), mhp_testing_free_lists_hash(b));
	assert_int_equal(mhp_machine_state_hash(a), mhp_machine_state_hash(b));
	assert_int_equal(mhp_trace_hash(a), mhp_trace_hash(b));

	/* Freed as runs, in pieces that cross pageblocks, the lists end as page-by-page frees leave them. */
	for (uint64_t i = 0; i < na;) {
		uint64_t n = 1;
		while (i + n < na && n < 700 && pa[i + n] == pa[i] + n &&
		       pfn_to_section_nr(a, pa[i + n]) == pfn_to_section_nr(a, pa[i]))
			n++;
		free_pages_run(a, pa[i], n);
		free_pages_run(b, pa[i], n);
		i += n;
		assert_int_equal(mhp_testing_free_lists_hash(a), mhp_testing_free_lists_hash(b));
	}
	assert_int_equal(mhp_machine_state_hash(a), mhp_machine_state_hash(b));
	mhp_machine_free(a);
	mhp_machine_free(b);
}

/* A fuzz run with the pagewise twin compared after every step, on each granule and with virtio-mem. */
static void fuzz_pagewise(const char *model, bool virtio_mem, const char *mutant, uint64_t seed, uint64_t steps,
			  unsigned every, struct mhp_fuzz_result *res)
{
	struct mhp_fuzz_options opt = { .model = model, .seed = seed, .steps = steps, .differential = "pagewise",
					.full_check_every = every, .virtio_mem = virtio_mem, .mutant = mutant,
					.out_dir = MHPSIM_BINARY_DIR };
	struct mhp_err err = { 0 };
	if (mhp_fuzz(&opt, res, &err))
		fail_msg("fuzz: %s", err.msg);
}

static void test_fuzz_agrees_with_pagewise(void **state)
{
	(void)state;
	static const struct { const char *model; bool virtio_mem; } runs[] = {
		{ "fuzz-arm64-4k", false }, { "qemu-virt-arm64-16k", false }, { "qemu-virt-arm64-64k", false },
		{ "qemu-virt-arm64-4k", true },
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct mhp_fuzz_result res;
		fuzz_pagewise(runs[i].model, runs[i].virtio_mem, NULL, 13, 1000, 100, &res);   /* a seed that migrates on each */
		if (res.violation)
			fail_msg("%s: %s at step %llu", runs[i].model, res.message, (unsigned long long)res.found_at);
		assert_true(res.pages_migrated > 0);   /* the run paths had work to do */
		printf("  %-22s%s 1000 steps, %llu pages migrated: both paths agree\n", runs[i].model,
		       runs[i].virtio_mem ? " virtio-mem" : "", (unsigned long long)res.pages_migrated);
	}
}

/*
 * The mutant page-run-reorders breaks no invariant: the scenario that
 * migrates runs passes them, and only the comparison with the pagewise
 * path sees it, in a replay and in the fuzzer.
 */
static void test_page_run_mutant_is_caught_only_by_the_comparison(void **state)
{
	(void)state;
	static struct step_hashes runs, pagewise;
	const char *file = "scenarios/19-offline-migrates-movable-pages.yaml";
	assert_int_equal(replay(file, false, "page-run-reorders", &runs), 0);
	assert_int_equal(replay(file, true, "page-run-reorders", &pagewise), 0);
	assert_true(first_difference(&runs, &pagewise) > 0);
	struct mhp_fuzz_result res;
	/* The state hash, which sees where contents went, is compared at every full check: every 5 steps here. */
	fuzz_pagewise("qemu-virt-arm64-4k", false, "page-run-reorders", 6, 200, 5, &res);
	assert_true(res.violation);
	assert_string_equal(res.invariant, "DIFFERENTIAL");
	assert_non_null(strstr(res.message, "runs and pagewise disagree"));
	printf("  page-run-reorders: found at step %llu, shrunk to %u steps\n", (unsigned long long)res.found_at,
	       res.shrunk_steps);
}

static void assert_counts(const struct mem_section *ms, uint64_t pps, uint64_t vmemmap, uint64_t heads)
{
	uint64_t kinds[NR_PAGE_KINDS] = { 0 }, h[NR_PAGE_KINDS] = { 0 };
	section_count_kinds(ms, 0, pps, kinds, h);
	assert_int_equal(kinds[PG_VMEMMAP], vmemmap);
	assert_int_equal(kinds[PG_FREE], pps - vmemmap);
	assert_int_equal(h[PG_VMEMMAP], heads);
}

static uint64_t nr_runs(const struct mem_section *ms)
{
	uint64_t n = 0;
	for (uint32_t c = 0; c < ms->nr_chunks; c++)
		n += ms->chunks[c]->n;
	return n;
}

/* A snapshot of m taken back: its sections' runs rebuilt from the page array the format holds. */
static struct mhp_machine *reloaded(const struct mhp_machine *m)
{
	void *buf;
	size_t len;
	struct mhp_err err = { 0 };
	struct mhp_machine *copy = NULL;
	assert_int_equal(mhp_machine_save_buffer(m, &buf, &len, &err), 0);
	int ret = mhp_machine_load_buffer(buf, len, "copy", NULL, NULL, &copy, &err);
	if (ret)
		printf("reload: %s\n", err.msg);
	assert_int_equal(ret, 0);
	free(buf);
	return copy;
}

/*
 * A section's page states are runs of like allocations: a write splits a
 * run only where the states differ and joins the runs it continues; a
 * reloaded snapshot (whose runs are rebuilt page by page) reads, counts and
 * hashes the same.
 */
static void test_page_states_as_runs(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 << 20, "System RAM (kmem)", &err), 0);
	uint64_t pfn = 0x80000000 >> m->page_shift, pps = m->pages_per_section;
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	assert_int_equal(ms->nr_alloc, 0);
	/* Two order-9 allocations, one after the other: one run. */
	assert_int_equal(set_page_allocs(m, pfn, 512, 9, PG_VMEMMAP), 0);
	assert_int_equal(set_page_allocs(m, pfn + 512, 512, 9, PG_VMEMMAP), 0);
	assert_int_equal(nr_runs(ms), 1);
	assert_int_equal(ms->nr_alloc, 1024);
	assert_int_equal(page_state_of(m, pfn).head, 1);
	assert_int_equal(page_state_of(m, pfn).order, 9);
	assert_int_equal(page_state_of(m, pfn + 1).head, 0);
	assert_int_equal(page_state_of(m, pfn + 512).head, 1);
	assert_int_equal(page_kind_of(m, pfn + 1024), PG_FREE);
	assert_counts(ms, pps, 1024, 2);
	assert_int_equal(set_page_kinds(m, pfn, 1024, PG_FREE), 0);
	assert_int_equal(nr_runs(ms), 0);
	assert_null(ms->chunks);
	assert_int_equal(ms->nr_alloc, 0);
	/* Freeing a whole allocation at the run's start keeps one run. */
	assert_int_equal(set_page_allocs(m, pfn, 1024, 9, PG_VMEMMAP), 0);
	assert_int_equal(set_page_kinds(m, pfn, 512, PG_FREE), 0);
	assert_int_equal(nr_runs(ms), 1);
	assert_int_equal(page_state_of(m, pfn + 512).head, 1);
	assert_counts(ms, pps, 512, 1);
	/* Freeing one page of an allocation: the others as they were, its tails a run of their own. */
	assert_int_equal(set_page_kinds(m, pfn + 512, 1, PG_FREE), 0);
	assert_int_equal(nr_runs(ms), 1);
	assert_int_equal(page_kind_of(m, pfn + 513), PG_VMEMMAP);
	assert_int_equal(page_state_of(m, pfn + 513).head, 0);
	assert_counts(ms, pps, 511, 0);
	/* A hole in the middle: two runs; filling it as it was joins them again. */
	assert_int_equal(set_page_kinds(m, pfn + 513, 511, PG_FREE), 0);
	assert_int_equal(set_page_allocs(m, pfn, 2048, 0, PG_ANON), 0);
	assert_int_equal(set_page_kinds(m, pfn + 100, 10, PG_FREE), 0);
	assert_int_equal(nr_runs(ms), 2);
	assert_int_equal(set_page_allocs(m, pfn + 100, 10, 0, PG_ANON), 0);
	assert_int_equal(nr_runs(ms), 1);
	/* Tags in order are one run however many pages hold them; one tag changed splits it in three. */
	assert_int_equal(set_page_allocs_owned(m, pfn, 2048, 0, PG_ANON, 7, 0), 0);
	assert_int_equal(nr_runs(ms), 1);
	assert_int_equal(page_state_of(m, pfn + 1000).tag, 1007);
	assert_int_equal(ms->nr_tagged, 2048);
	set_page_owner(m, pfn + 1000, 1007, 1);
	assert_int_equal(nr_runs(ms), 3);
	set_page_owner(m, pfn + 1000, 1007, 0);
	assert_int_equal(nr_runs(ms), 1);
	assert_int_equal(set_page_kinds(m, pfn, 2048, PG_FREE), 0);
	/* Many runs: more than a chunk holds, each a write apart, read back in order. */
	for (uint64_t i = 0; i < 4 * RUN_CHUNK; i++)
		assert_int_equal(set_page_kinds(m, pfn + 4096 + 2 * i, 1, i & 1 ? PG_KERNEL : PG_SLAB), 0);
	assert_int_equal(nr_runs(ms), 4 * RUN_CHUNK);
	assert_true(ms->nr_chunks > 1);
	for (uint64_t i = 0; i < 4 * RUN_CHUNK; i++) {
		assert_int_equal(page_kind_of(m, pfn + 4096 + 2 * i), i & 1 ? PG_KERNEL : PG_SLAB);
		assert_int_equal(page_kind_of(m, pfn + 4097 + 2 * i), PG_FREE);
	}
	assert_int_equal(set_page_kinds(m, pfn, pps, PG_FREE), 0);
	assert_null(ms->chunks);
	assert_int_equal(mhp_check_all(m, &err), 0);
	/*
	 * Workloads, tagged and pinned, with holes freed between them, rebuilt
	 * from the page array a snapshot holds: the same states, counts and
	 * state hash.
	 */
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 3000, 1, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "pinned", 0, 300, 5000, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "hugetlb", 0, 2, 6000, &err), 0);
	for (uint32_t tag = 10; tag < 3000; tag += 97)
		assert_int_equal(mhp_workload_free(m, tag, 5, &err), 0);
	struct mhp_machine *copy = reloaded(m);
	assert_int_equal(mhp_machine_state_hash(copy), mhp_machine_state_hash(m));
	assert_int_equal(mhp_check_all(copy, &err), 0);
	uint64_t where;
	assert_true(tag_lookup(copy, 2999, &where) && page_state_of(copy, where).tag == 2999);
	mhp_machine_free(copy);
	mhp_machine_free(m);
}

static int add_section_counts(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	(void)m, (void)nr;
	((uint64_t *)arg)[0] += ms->nr_tagged;
	((uint64_t *)arg)[1] += ms->nr_barred;
	return 0;
}

/*
 * A section counts its tagged pages and those ZONE_MOVABLE may not hold, so
 * that the check after a step need not read its pages; the full check holds
 * the counts to the pages, and a count gone wrong is named; it holds the tag
 * records to the pages by a digest, and names the page whose record is wrong.
 */
static void test_section_counts_follow_the_pages(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 100, 1, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "pinned", 0, 10, 1000, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "kernel", 0, 5, 2000, &err), 0);
	uint64_t sums[2] = { 0 }, pfn;
	for_each_present_section(m, 0, UINT64_MAX, add_section_counts, sums);
	assert_int_equal(sums[0], 115);
	assert_true(sums[1] >= 15);   /* the pins and kernel pages, and the kernel's own allocations at boot */
	assert_int_equal(mhp_workload_free(m, 1000, 10, &err), 0);
	assert_true(tag_lookup(m, 1, &pfn));
	struct mem_section *ms = (struct mem_section *)__pfn_to_section(m, pfn);
	assert_int_equal(mhp_check_all(m, &err), 0);
	ms->nr_tagged++;
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "DATA-LOST: section"));
	ms->nr_tagged--;
	/* The sections' tagged pages added up, which the check after a step reads: held to the pages too. */
	char msg[128];
	uint64_t live = m->tags.count;
	m->nr_tagged_pages++;
	assert_int_equal(mhp_check_touched(m, &err), -EUCLEAN);
	snprintf(msg, sizeof(msg), "DATA-LOST: %llu tags are live but %llu pages carry one", (unsigned long long)live,
		 (unsigned long long)live + 1);
	assert_non_null(strstr(err.msg, msg));
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	snprintf(msg, sizeof(msg), "DATA-LOST: the sections count %llu tagged pages but their pages hold %llu",
		 (unsigned long long)live + 1, (unsigned long long)live);
	assert_non_null(strstr(err.msg, msg));
	m->nr_tagged_pages--;
	ms->nr_barred++;
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "ZONE-MOVABLE: section"));
	ms->nr_barred--;
	assert_int_equal(mhp_check_all(m, &err), 0);
	/* The allocation map BUDDY reads: a page it calls free that a run holds, and a free page it calls allocated. */
	uint64_t i = pfn & (m->pages_per_section - 1), hole = m->pages_per_section - 1;
	ms->alloc_map[i / 64] ^= 1ull << (i % 64);
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "BUDDY: section"));
	assert_non_null(strstr(err.msg, "allocation map"));
	ms->alloc_map[i / 64] ^= 1ull << (i % 64);
	assert_int_equal(page_kind_of(m, (pfn & ~(m->pages_per_section - 1)) + hole), PG_FREE);
	ms->alloc_map[hole / 64] ^= 1ull << (hole % 64);   /* in a free block: its check sees it first */
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "BUDDY: pfn"));
	assert_non_null(strstr(err.msg, "is both free and allocated"));
	ms->alloc_map[hole / 64] ^= 1ull << (hole % 64);
	assert_int_equal(mhp_check_all(m, &err), 0);
	/*
	 * The isolated pageblocks the machine counts, which the check after a step
	 * trusts (it walks its touched ranges only when the count is not 0): the
	 * full walk holds the count to the pageblocks, both ways.
	 */
	uint64_t pb = 1ull << m->pageblock_order, iso_pfn = 0;
	for (uint64_t p = pfn & ~(pb - 1); p < pfn + 4096 * pb && !iso_pfn; p += pb)   /* a pageblock that isolates */
		if (pfn_valid(m, p) && pages_of_kind(m, p, pb, PG_FREE) == pb && !start_isolate_page_range(m, p, p + pb))
			iso_pfn = p;
	assert_true(iso_pfn);
	assert_int_equal(m->nr_isolated_pageblocks, 1);
	char iso[96];
	snprintf(iso, sizeof(iso), "ISOLATION-CLEAN: the pageblock at pfn %#llx is still isolated", (unsigned long long)iso_pfn);
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, iso));
	m->nr_isolated_pageblocks--;   /* a count that lost it: the full walk still finds the pageblock */
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, iso));
	m->nr_isolated_pageblocks++;
	undo_isolate_page_range(m, iso_pfn, iso_pfn + pb, MIGRATE_MOVABLE);
	assert_int_equal(m->nr_isolated_pageblocks, 0);
	assert_int_equal(mhp_check_all(m, &err), 0);
	m->nr_isolated_pageblocks++;   /* a count with nothing behind it */
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "ISOLATION-CLEAN: the machine counts 1 isolated pageblocks but its sections hold none"));
	m->nr_isolated_pageblocks--;
	assert_int_equal(mhp_check_all(m, &err), 0);
	/* A record that points at another page: the digests differ, and the page is named. */
	tag_moved(m, 1, pfn + 1);
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	char want[96];
	snprintf(want, sizeof(want), "DATA-LOST: pfn %#llx holds tag 1, which should be elsewhere", (unsigned long long)pfn);
	assert_non_null(strstr(err.msg, want));
	tag_moved(m, 1, pfn);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

int main(void)

{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocation_runs_follow_the_kernel_order),
		cmocka_unit_test(test_page_states_as_runs),
		cmocka_unit_test(test_section_counts_follow_the_pages),
		cmocka_unit_test(test_every_scenario_agrees_after_every_step),
		cmocka_unit_test(test_fuzz_agrees_with_pagewise),
		cmocka_unit_test(test_page_run_mutant_is_caught_only_by_the_comparison),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
