// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_scale.c - how the simulator scales: an add / online_movable / offline
 * / remove cycle of 1 GiB up to 16 TiB of hot-added memory (doubling to 1 TiB,
 * then 4 and 16 TiB), with a page-granular and a block-mapped linear map
 * (and the x86-64 machine's 1 TiB cycle with each, strategy "x86")
 * (a size the machine's host memory budget refuses is reported as refused,
 * and the larger ones of that mapping are not tried), each cycle in its own process
 * so that its peak memory is its own; then the throughput of scenario replay
 * and of fuzzing, in steps per second.
 *
 *   bench_scale [--smoke] [--reps N] [--max-size GIB] [--mapping page|block] [--strategies] [--json FILE]
 *               [--profile FILE]
 *
 * Peak memory is set beside the bytes the real kernel would hold for the same
 * machine at the same moment: its page tables and its memmap (64 bytes a page).
 * --strategies also runs the 64 GiB page-granular cycle with every strategy.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/mhpsim.h>

#include "bench_common.h"
#include "bench_profile.h"

struct cycle_arg {
	uint64_t size;
	bool block;
	const char *strategy;   /* "x86": the x86-64 bench machine (page: debug_pagealloc's 4K map; block: 2M/1G) */
};

struct cycle {
	double add, online, offline, remove;
	uint64_t peak_tables;
	int ok;
	int refused;   /* the host memory budget refused a page table */
};

static int write_all_blocks(struct mhp_machine *m, uint64_t size, const char *value)
{
	char path[128];
	uint64_t block = bench_block_size(4);
	for (uint64_t id = BENCH_HOT_START / block; id < (BENCH_HOT_START + size) / block; id++) {
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state", (unsigned long long)id);
		if (mhp_sysfs_write(m, path, value, strlen(value)))
			return -1;
	}
	return 0;
}

/* One cycle, in the child: each phase timed, then every invariant checked (not timed). */
static void run_cycle(void *argp, void *outp)
{
	const struct cycle_arg *a = argp;
	struct cycle *c = outp;
	struct mhp_err err = { 0 };
	bool x86 = strcmp(a->strategy, "x86") == 0;
	struct mhp_machine *m = x86 ? bench_machine_x86(a->size, a->block) : bench_machine(4, a->size, a->block);
	if (!m || mhp_machine_set_teardown(m, a->strategy))
		return;
	struct mhp_pt_stats st;
	mhp_machine_pt_stats(m, &st);
	double t0 = bench_now();
	int ret = mhp_add_memory(m, 0, BENCH_HOT_START, a->size, "System RAM (kmem)", &err);
	double t1 = bench_now();
	mhp_machine_pt_stats(m, &st);
	c->peak_tables = st.tables;
	ret = ret ? ret : write_all_blocks(m, a->size, "online_movable");
	double t2 = bench_now();
	ret = ret ? ret : write_all_blocks(m, a->size, "offline");
	double t3 = bench_now();
	ret = ret ? ret : mhp_remove_memory(m, BENCH_HOT_START, a->size, &err);
	double t4 = bench_now();
	if (ret && mhp_machine_host_refused(m)) {
		c->refused = 1;
	} else if (ret || mhp_check_all(m, &err)) {
		fprintf(stderr, "cycle of %llu MiB: %d %s\n", (unsigned long long)(a->size / MiB), ret, err.msg);
	} else {
		*c = (struct cycle){ .add = t1 - t0, .online = t2 - t1, .offline = t3 - t2, .remove = t4 - t3,
				     .peak_tables = c->peak_tables, .ok = 1 };
	}
	mhp_machine_free(m);
}

/* The kernel's bytes at the peak: page tables and the memmap of boot RAM and of the hot range. */
static double kernel_bytes(const struct cycle *c, uint64_t size)
{
	return (double)c->peak_tables * 4 * KiB + (double)(bench_boot_ram(4, size) + size) / (4 * KiB) * 64;
}

struct opts {
	bool smoke, strategies;
	unsigned reps;
	uint64_t max_size;
	const char *json, *profile, *mapping;   /* mapping NULL: both */
};

#define MAX_REPS 9

static int one_size(const struct opts *o, uint64_t size, bool block, const char *strategy, FILE *json, bool *first)
{
	struct cycle_arg a = { .size = size, .block = block, .strategy = strategy };
	double add[MAX_REPS], on[MAX_REPS], off[MAX_REPS], rm[MAX_REPS], tot[MAX_REPS];
	long rss = 0;
	struct cycle c = { 0 };
	char sz[16];
	for (unsigned i = 0; i < o->reps; i++) {
		if (bench_child(run_cycle, &a, &c, sizeof(c), &rss))
			return -1;
		if (c.refused) {
			printf("%-6s %-8s %5s refused by the host memory budget (%.0f MiB peak)\n", block ? "block" : "page",
			       strategy, bench_size_name(size, sz), rss / 1024.0);
			if (json)
				fprintf(json, "%s\n  {\"kind\": \"cycle\", \"mapping\": \"%s\", \"strategy\": \"%s\", "
					"\"size\": %llu, \"refused\": true, \"peak_rss_bytes\": %.0f}", *first ? "" : ",",
					block ? "block" : "page", strategy, (unsigned long long)size, rss * 1024.0);
			*first = false;
			return 1;
		}
		if (!c.ok)
			return -1;
		add[i] = c.add, on[i] = c.online, off[i] = c.offline, rm[i] = c.remove;
		tot[i] = c.add + c.online + c.offline + c.remove;
	}
	double kb = kernel_bytes(&c, size), peak = rss * 1024.0;
	double ta = bench_median(add, o->reps), tn = bench_median(on, o->reps), tf = bench_median(off, o->reps),
	       tr = bench_median(rm, o->reps), tt = bench_median(tot, o->reps);
	printf("%-6s %-8s %5s %8.3f %8.3f %8.3f %8.3f %8.3f %10.1f %10.1f %6.3f\n", block ? "block" : "page", strategy,
	       bench_size_name(size, sz), ta, tn, tf, tr, tt, peak / MiB, kb / MiB, peak / kb);
	if (json)
		fprintf(json,
			"%s\n  {\"kind\": \"cycle\", \"mapping\": \"%s\", \"strategy\": \"%s\", \"size\": %llu, \"add\": %.6f, "
			"\"online\": %.6f, \"offline\": %.6f, \"remove\": %.6f, \"total\": %.6f, \"peak_rss_bytes\": %.0f, "
			"\"kernel_bytes\": %.0f, \"peak_tables\": %llu}",
			*first ? "" : ",", block ? "block" : "page", strategy, (unsigned long long)size, ta, tn, tf, tr, tt,
			peak, kb, (unsigned long long)c.peak_tables);
	*first = false;
	return 0;
}

/* Every scenario in dir replayed once, quietly: steps per second over all of them. */
static int replay_throughput(const char *dir, FILE *json, bool *first)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	unsigned steps = 0, files = 0;
	double seconds = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".yaml"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct mhp_scenario *sc = NULL;
		struct mhp_err err = { 0 };
		struct mhp_run_result res = { 0 };
		struct mhp_run_options opt = { .output = MHP_OUT_QUIET };
		if (mhp_scenario_load(path, NULL, &sc, &err))
			continue;
		double t0 = bench_now();
		mhp_scenario_run(sc, &opt, &res, &err);
		seconds += bench_now() - t0;
		steps += res.steps_run;
		files++;
		mhp_scenario_free(sc);
	}
	closedir(d);
	printf("scenario replay: %u scenarios, %u steps in %.3f s: %.0f steps/s (boot included)\n", files, steps,
	       seconds, steps / seconds);
	if (json)
		fprintf(json, "%s\n  {\"kind\": \"replay\", \"scenarios\": %u, \"steps\": %u, \"seconds\": %.6f, "
			"\"steps_per_second\": %.1f}", *first ? "" : ",", files, steps, seconds, steps / seconds);
	*first = false;
	return files ? 0 : -1;
}

static int fuzz_throughput(const char *model, uint64_t steps, FILE *json, bool *first)
{
	struct mhp_fuzz_options opt = { .models_dir = "models", .model = model, .seed = 1, .steps = steps,
					.out_dir = "/tmp" };
	struct mhp_fuzz_result res;
	struct mhp_err err = { 0 };
	double t0 = bench_now();
	int ret = mhp_fuzz(&opt, &res, &err);
	double t = bench_now() - t0;
	if (ret || res.violation) {
		fprintf(stderr, "fuzz %s: %s\n", model, ret ? err.msg : res.message);
		return -1;
	}
	uint64_t teardowns = mhp_fuzz_teardowns(&res);
	printf("fuzz %s, seed 1: %llu steps in %.3f s: %.0f steps/s, %llu teardowns: %.0f teardowns/s\n", model,
	       (unsigned long long)res.steps_run, t, res.steps_run / t, (unsigned long long)teardowns, teardowns / t);
	if (json)
		fprintf(json, "%s\n  {\"kind\": \"fuzz\", \"model\": \"%s\", \"steps\": %llu, \"seconds\": %.6f, "
			"\"steps_per_second\": %.1f, \"teardowns\": %llu, \"teardowns_per_second\": %.1f}",
			*first ? "" : ",", model, (unsigned long long)res.steps_run, t, res.steps_run / t,
			(unsigned long long)teardowns, teardowns / t);
	*first = false;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .reps = 3, .max_size = 16 * TiB };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--smoke") == 0)
			o->smoke = true, o->reps = 1, o->max_size = 2 * GiB;
		else if (strcmp(a, "--strategies") == 0)
			o->strategies = true;
		else if (strcmp(a, "--reps") == 0 && v && atoi(v) >= 1 && atoi(v) <= MAX_REPS)
			o->reps = (unsigned)atoi(v), i++;
		else if (strcmp(a, "--max-size") == 0 && v && atoi(v) >= 1 && atoi(v) <= 16384)
			o->max_size = (uint64_t)atoi(v) * GiB, i++;
		else if (strcmp(a, "--mapping") == 0 && v)
			o->mapping = v, i++;
		else if (strcmp(a, "--json") == 0 && v)
			o->json = v, i++;
		else if (strcmp(a, "--profile") == 0 && v)
			o->profile = v, i++;
		else
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: bench_scale [--smoke] [--reps N] [--max-size GIB] [--mapping page|block] "
				"[--strategies] [--json FILE] [--profile FILE]\n");
		return 2;
	}
	FILE *json = o.json ? fopen(o.json, "w") : NULL;
	if ((o.json && !json) || bench_profile_start(o.profile))
		return 1;
	bool first = true;
	int ret = 0;
	if (json)
		fprintf(json, "[");
	printf("add / online_movable / offline / remove cycles, 4K pages, arm64 teardown, median of %u, seconds;\n"
	       "peak RSS of the simulator against the kernel's page tables and memmap for the same machine\n", o.reps);
	printf("%-6s %-8s %5s %8s %8s %8s %8s %8s %10s %10s %6s\n", "map", "strategy", "size", "add", "online",
	       "offline", "remove", "total", "RSS MiB", "kernel MiB", "ratio");
	for (int block = 0; block < 2 && ret >= 0; block++) {
		ret = 0;   /* a refusal ends this mapping's sizes only */
		for (uint64_t size = GiB; (!o.mapping || !strcmp(o.mapping, block ? "block" : "page")) && size <= o.max_size && !ret;
		     size *= size < TiB ? 2 : 4)
			ret = one_size(&o, size, block, "arm64", json, &first);
	}
	ret = ret > 0 ? 0 : ret;
	/* x86-64 beside it: the 1 TiB cycle with each mapping (1 GiB in a smoke run). */
	for (int block = 0; block < 2 && !ret; block++)
		if (!o.mapping || !strcmp(o.mapping, block ? "block" : "page"))
			ret = one_size(&o, o.smoke ? GiB : TiB, block, "x86", json, &first) < 0 ? -1 : 0;
	static const char *const others[] = { "x86-whatif", "generic", "kernel" };
	for (size_t i = 0; o.strategies && !ret && i < 3; i++)
		if (one_size(&o, 64 * GiB, false, others[i], json, &first) && i < 2)
			ret = -1;   /* the kernel's needs a tree: optional */
	if (!ret)
		ret = replay_throughput("scenarios", json, &first);
	if (!ret)
		ret = fuzz_throughput("fuzz-arm64-4k", o.smoke ? 2000 : 20000, json, &first);
	if (json) {
		fprintf(json, "\n]\n");
		fclose(json);
	}
	bench_profile_stop(o.profile);
	return ret ? 1 : 0;
}
