// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_teardown.c - the linear map's teardown (arm64: the model of
 * __remove_pgd_mapping and its alternatives; x86-64: of
 * kernel_physical_mapping_remove; RISC-V: of remove_linear_mapping), side
 * by side: for each machine (arm64 with 4K, 16K, 64K pages; x86-64 and
 * RISC-V Sv48 with 4K), linear-map mapping
 * (page-granular, blocks), strategy (the tree's own code included) and
 * range (one memory block up to 64 GiB, doubling), the time per removed
 * descriptor, the tables freed, the TLB flushes and the descriptor loads and
 * stores. In the same run, interleaved with each repetition: the floor, a
 * plain scan that loads as many descriptors as the teardown removed; every
 * time is also given as a ratio to it.
 *
 *   bench_teardown [--smoke] [--reps N] [--min-size GIB] [--max-size GIB] [--granule 4K|16K|64K|x86-4K|riscv-4K]
 *                  [--mapping page|block] [--strategy NAME] [--json FILE] [--profile FILE] [--callgrind]
 *
 * --callgrind: under valgrind --tool=callgrind --collect-atstart=no, each
 * teardown and each floor scan is collected alone and dumped with its case's
 * name (bench/report.py reads the dumps): instruction counts that repeat run
 * to run where wall time on a shared machine does not.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

#include "bench_common.h"
#include "bench_profile.h"

struct opts {
	bool smoke, callgrind;
	unsigned reps;
	uint64_t min_size, max_size;
	const char *json, *profile;
	const char *granule, *mapping, *strategy;   /* NULL: all */
};

/*
 * The machines: arm64 by granule, x86-64 and RISC-V ("x86-4K", "riscv-4K":
 * page = debug_pagealloc's 4K map, block = 2M/1G leaves).
 */
struct kind {
	const char *name;
	unsigned g;
	struct mhp_machine *(*machine)(uint64_t hot_size, bool block_map);   /* NULL: arm64's, by granule */
	const char *strategies[5];   /* NULL-terminated; "kernel" last: it needs a kernel tree */
};
static const struct kind kinds[] = {
	{ "4K", 4, NULL, { "arm64", "x86-whatif", "generic", "kernel", NULL } },
	{ "16K", 16, NULL, { "arm64", "x86-whatif", "generic", "kernel", NULL } },
	{ "64K", 64, NULL, { "arm64", "x86-whatif", "generic", "kernel", NULL } },
	{ "x86-4K", 4, bench_machine_x86, { "x86", "kernel", NULL } },
	{ "riscv-4K", 4, bench_machine_riscv, { "riscv", "kernel", NULL } },
};

struct sample {
	double seconds, floor_seconds;
	struct mhp_pt_stats delta;
	int ok;
};

/* The floor's descriptors: as many as the largest teardown removes, each not none. */
static uint64_t *floor_table;
static uint64_t floor_cap;

/* A plain scan: load n descriptors and count those in use (the least a teardown must look at). */
static __attribute__((noinline)) uint64_t floor_scan(const uint64_t *d, uint64_t n)
{
	uint64_t used = 0;
	for (uint64_t i = 0; i < n; i++)
		used += d[i] != 0;
	return used;
}

static void stats_delta(const struct mhp_pt_stats *a, const struct mhp_pt_stats *b, struct mhp_pt_stats *d)
{
	*d = (struct mhp_pt_stats){ .tables = b->tables, .allocated = b->allocated - a->allocated,
				    .freed = b->freed - a->freed, .desc_reads = b->desc_reads - a->desc_reads,
				    .desc_writes = b->desc_writes - a->desc_writes,
				    .flush_range = b->flush_range - a->flush_range, .flush_leaf = b->flush_leaf - a->flush_leaf,
				    .flush_pgtable = b->flush_pgtable - a->flush_pgtable,
				    .flush_all = b->flush_all - a->flush_all };
}

/* --callgrind: instructions are collected between these two, then dumped under "what label". */
static void collect_start(const struct opts *o)
{
	if (o->callgrind)
		CALLGRIND_TOGGLE_COLLECT;
}

static void collect_stop(const struct opts *o, const char *what, const char *label)
{
	if (!o->callgrind)
		return;
	CALLGRIND_TOGGLE_COLLECT;
	char name[160];
	snprintf(name, sizeof(name), "%s %s", what, label);
	CALLGRIND_DUMP_STATS_AT(name);
}

/* One repetition of one case: a fresh machine, the range added, its linear map torn down; then the floor. */
static void run_once(const struct kind *k, bool block, const char *strategy, uint64_t size, const char *label,
		     const struct opts *o, struct sample *s)
{
	struct mhp_err err = { 0 };
	struct mhp_machine *m = k->machine ? k->machine(size, block) : bench_machine(k->g, size, block);
	if (!m)
		return;
	struct mhp_pt_stats before, after;
	if (mhp_machine_set_teardown(m, strategy) ||
	    mhp_add_memory(m, 0, BENCH_HOT_START, size, "System RAM (kmem)", &err)) {
		fprintf(stderr, "%s: %s\n", label, err.msg[0] ? err.msg : "no such strategy");
		mhp_machine_free(m);
		return;
	}
	mhp_machine_pt_stats(m, &before);
	collect_start(o);
	double t0 = bench_now();
	int ret = mhp_bench_remove_pgd_mapping(m, BENCH_HOT_START, size);
	double t1 = bench_now();
	collect_stop(o, "teardown", label);
	mhp_machine_pt_stats(m, &after);
	mhp_machine_free(m);
	stats_delta(&before, &after, &s->delta);
	uint64_t n = s->delta.desc_writes;
	if (ret || n > floor_cap) {
		fprintf(stderr, "%s: teardown refused (%d) or past the floor's table\n", label, ret);
		return;
	}
	collect_start(o);
	double f0 = bench_now();
	volatile uint64_t used = floor_scan(floor_table, n);
	double f1 = bench_now();
	collect_stop(o, "floor", label);
	(void)used;
	s->seconds = t1 - t0;
	s->floor_seconds = f1 - f0;
	s->ok = 1;
}

struct result {
	const struct kind *k;
	bool block;
	const char *strategy;
	uint64_t size;
	double seconds, floor_seconds;
	struct mhp_pt_stats delta;
};

static void print_row(const struct result *r, FILE *json, bool *first)
{
	char sz[16];
	uint64_t n = r->delta.desc_writes;
	double ns = n ? r->seconds * 1e9 / n : 0, floor_ns = n ? r->floor_seconds * 1e9 / n : 0;
	printf("%-6s %-6s %-10s %6s %11llu %9.2f %9.2f %7.2f %7llu %8llu %9llu %8llu %6llu %6llu\n",
	       r->k->name, r->block ? "block" : "page", r->strategy, bench_size_name(r->size, sz),
	       (unsigned long long)n, ns, floor_ns, floor_ns > 0 ? ns / floor_ns : 0, (unsigned long long)r->delta.freed,
	       (unsigned long long)r->delta.desc_reads, (unsigned long long)r->delta.flush_range - r->delta.flush_leaf,
	       (unsigned long long)r->delta.flush_leaf, (unsigned long long)r->delta.flush_pgtable,
	       (unsigned long long)r->delta.flush_all);
	if (!json)
		return;
	fprintf(json,
		"%s\n  {\"granule\": \"%s\", \"mapping\": \"%s\", \"strategy\": \"%s\", \"size\": %llu, "
		"\"descriptors_removed\": %llu, \"seconds\": %.9f, \"floor_seconds\": %.9f, \"ns_per_descriptor\": %.4f, "
		"\"floor_ns_per_descriptor\": %.4f, \"ratio_to_floor\": %.4f, \"tables_freed\": %llu, "
		"\"descriptor_reads\": %llu, \"descriptor_writes\": %llu, \"range_flushes\": %llu, \"leaf_flushes\": %llu, "
		"\"table_flushes\": %llu, \"full_flushes\": %llu}",
		*first ? "" : ",", r->k->name, r->block ? "block" : "page", r->strategy,
		(unsigned long long)r->size, (unsigned long long)n, r->seconds, r->floor_seconds, ns, floor_ns,
		floor_ns > 0 ? ns / floor_ns : 0, (unsigned long long)r->delta.freed,
		(unsigned long long)r->delta.desc_reads, (unsigned long long)r->delta.desc_writes,
		(unsigned long long)(r->delta.flush_range - r->delta.flush_leaf), (unsigned long long)r->delta.flush_leaf,
		(unsigned long long)r->delta.flush_pgtable, (unsigned long long)r->delta.flush_all);
	*first = false;
}

#define MAX_REPS 15

/* Every repetition of one case; false if the strategy is not built (the kernel's, without a tree). */
static bool run_case(const struct kind *k, bool block, const char *strategy, uint64_t size, const struct opts *o,
		     struct result *r)
{
	char sz[16], label[128];
	snprintf(label, sizeof(label), "%s %s %s %s", k->name, block ? "block" : "page", strategy,
		 bench_size_name(size, sz));
	double t[MAX_REPS], f[MAX_REPS];
	struct sample s = { 0 };
	for (unsigned i = 0; i < o->reps; i++) {
		s = (struct sample){ 0 };
		run_once(k, block, strategy, size, label, o, &s);
		if (!s.ok)
			return false;
		t[i] = s.seconds;
		f[i] = s.floor_seconds;
	}
	*r = (struct result){ .k = k, .block = block, .strategy = strategy, .size = size,
			      .seconds = bench_median(t, o->reps), .floor_seconds = bench_median(f, o->reps),
			      .delta = s.delta };
	return true;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_teardown [--smoke] [--reps N] [--min-size GIB] [--max-size GIB] [--granule 4K|16K|64K|x86-4K|riscv-4K] "
			"[--mapping page|block] [--strategy NAME] [--json FILE] [--profile FILE] [--callgrind]\n");
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .reps = 5, .max_size = 64 * GiB };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--smoke") == 0) {
			o->smoke = true;
			o->reps = 1;
			o->max_size = 512 * MiB;
		} else if (strcmp(a, "--callgrind") == 0) {
			o->callgrind = true;
			o->reps = 1;
		} else if (strcmp(a, "--reps") == 0 && v && atoi(v) >= 1 && atoi(v) <= MAX_REPS) {
			o->reps = (unsigned)atoi(v), i++;
		} else if (strcmp(a, "--max-size") == 0 && v && atoi(v) >= 1 && atoi(v) <= 64) {
			o->max_size = (uint64_t)atoi(v) * GiB, i++;
		} else if (strcmp(a, "--min-size") == 0 && v && atoi(v) >= 1 && atoi(v) <= 64) {
			o->min_size = (uint64_t)atoi(v) * GiB, i++;
		} else if (strcmp(a, "--granule") == 0 && v) {
			o->granule = v, i++;
		} else if (strcmp(a, "--mapping") == 0 && v) {
			o->mapping = v, i++;
		} else if (strcmp(a, "--strategy") == 0 && v) {
			o->strategy = v, i++;
		} else if (strcmp(a, "--json") == 0 && v) {
			o->json = v, i++;
		} else if (strcmp(a, "--profile") == 0 && v) {
			o->profile = v, i++;
		} else {
			return usage();
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	floor_cap = o.max_size / (4 * KiB) * 2;   /* the leaves, and more than every table above them */
	floor_table = malloc(floor_cap * sizeof(*floor_table));
	if (!floor_table)
		return 1;
	for (uint64_t i = 0; i < floor_cap; i++)
		floor_table[i] = 0x0060000040000703ull + (i << 12);   /* PTE-like: valid, page, AF, the next pfn */
	FILE *json = o.json ? fopen(o.json, "w") : NULL;
	if (o.json && !json) {
		perror(o.json);
		return 1;
	}
	if (bench_profile_start(o.profile))
		return 1;
	if (json)
		fprintf(json, "[");
	bool first = true;
	int failed = 0;
	printf("linear-map teardown (arm64 __remove_pgd_mapping, x86 kernel_physical_mapping_remove, riscv "
	       "remove_linear_mapping), median of %u; "
	       "ns per removed descriptor, floor = plain scan of as many\n", o.reps);
	printf("%-6s %-6s %-10s %6s %11s %9s %9s %7s %7s %8s %9s %8s %6s %6s\n", "mach", "map", "strategy", "size",
	       "removed", "ns/desc", "floor ns", "ratio", "freed", "reads", "range-fl", "leaf-fl", "tbl-fl", "all-fl");
	for (size_t ki = 0; ki < sizeof(kinds) / sizeof(kinds[0]); ki++)
		for (int block = 0; block < 2; block++)
			for (const char *const *st = kinds[ki].strategies; *st; st++) {
				const struct kind *k = &kinds[ki];
				if ((o.granule && strcmp(o.granule, k->name)) ||
				    (o.mapping && strcmp(o.mapping, block ? "block" : "page")) ||
				    (o.strategy && strcmp(o.strategy, *st)))
					continue;
				uint64_t size = bench_block_size(k->g);
				while (size < o.min_size)
					size *= 2;
				for (; size <= o.max_size; size *= 2) {
					struct result r;
					if (!run_case(k, block, *st, size, &o, &r)) {
						failed |= strcmp(*st, "kernel") != 0;   /* the kernel's is optional */
						break;
					}
					print_row(&r, json, &first);
				}
			}
	if (json) {
		fprintf(json, "\n]\n");
		fclose(json);
	}
	bench_profile_stop(o.profile);
	free(floor_table);
	return failed;
}
