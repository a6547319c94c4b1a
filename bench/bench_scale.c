/*
 * bench_cycle.c - an add/online/offline/remove cycle of 64 GiB with a
 * page-granular linear map (4K pages), for each teardown strategy side by
 * side, each in its own process so that its peak memory is its own.
 *
 * Reports wall time per phase, the ratio of each strategy to arm64's, and
 * peak resident memory against the bytes of page tables the kernel would
 * hold at the peak. Timing lives here only: the library has no clock.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mhpsim/mhpsim.h>

#include "bench_boot.h"

#define GiB (1ull << 30)
#define ADD_START 0x400000000ull
static unsigned long long ADD_SIZE = 64 * GiB;
#define BLOCK (128ull << 20)

struct result {
	double add, online, offline, remove, total;
	long peak_rss_kib;
	unsigned long long peak_tables;
	unsigned long long flushes[3];   /* during the removal: range, page-table, all */
	int ok;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_all_blocks(struct mhp_machine *m, const char *value)
{
	char path[128];
	for (unsigned long long id = ADD_START / BLOCK; id < (ADD_START + ADD_SIZE) / BLOCK; id++) {
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state", id);
		if (mhp_sysfs_write(m, path, value, strlen(value)))
			return -1;
	}
	return 0;
}

static void run_strategy(const char *models, const char *strategy, struct result *r)
{
	struct mhp_err err = { 0 };
	struct mhp_machine *m = bench_boot(models);
	if (!m)
		return;
	mhp_machine_set_teardown(m, strategy);
	double t0 = now();
	if (mhp_add_memory(m, 0, ADD_START, ADD_SIZE, "System RAM (kmem)", &err)) {
		fprintf(stderr, "add: %s\n", err.msg);
		return;
	}
	double t1 = now();
	r->peak_tables = mhp_pgtable_count(m);
	if (write_all_blocks(m, "online_movable"))
		return;
	double t2 = now();
	if (write_all_blocks(m, "offline"))
		return;
	double t3 = now();
	uint64_t before[3], after[3];
	mhp_machine_tlb_flushes(m, before);
	if (mhp_remove_memory(m, ADD_START, ADD_SIZE, &err)) {
		fprintf(stderr, "remove: %s\n", err.msg);
		return;
	}
	double t4 = now();
	mhp_machine_tlb_flushes(m, after);
	for (int k = 0; k < 3; k++)
		r->flushes[k] = after[k] - before[k];
	r->ok = mhp_check_all(m, &err) == 0;   /* not timed: the cycle must also be right */
	if (!r->ok)
		fprintf(stderr, "%s: %s\n", strategy, err.msg);
	r->add = t1 - t0;
	r->online = t2 - t1;
	r->offline = t3 - t2;
	r->remove = t4 - t3;
	r->total = t4 - t0;
	mhp_machine_free(m);
}

/* Runs one strategy in a child process; its peak RSS is its own. */
static int run_child(const char *models, const char *strategy, struct result *r)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct result mine = { 0 };
		run_strategy(models, strategy, &mine);
		_exit(write(fds[1], &mine, sizeof(mine)) == sizeof(mine) ? 0 : 1);
	}
	int status;
	struct rusage ru;
	ssize_t n = read(fds[0], r, sizeof(*r));
	close(fds[0]);
	close(fds[1]);
	if (n != sizeof(*r) || wait4(pid, &status, 0, &ru) < 0)
		return -1;
	r->peak_rss_kib = ru.ru_maxrss;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define REPS 5
#define NSTRAT 4

static double median(double v[REPS])
{
	qsort(v, REPS, sizeof(double), cmp_double);
	return v[REPS / 2];
}

int main(int argc, char **argv)
{
	const char *models = argc > 1 ? argv[1] : "models";
	/* bench_cycle MODELS STRATEGY GIB: one cycle in this process (for callgrind). */
	if (argc == 4) {
		struct result r = { 0 };
		ADD_SIZE = strtoull(argv[3], NULL, 10) * GiB;
		run_strategy(models, argv[2], &r);
		printf("%s: %llu GiB cycle, invariants %s\n", argv[2], ADD_SIZE / GiB, r.ok ? "ok" : "FAILED");
		return r.ok ? 0 : 1;
	}
	const char *strategies[NSTRAT] = { "arm64", "x86", "generic", "kernel" };
	static struct result res[REPS][NSTRAT];
	/* "kernel" (the tree's own mmu.c) only when the library was built with a kernel tree. */
	struct mhp_machine *probe = bench_boot(models);
	if (!probe)
		return 1;
	int nstrat = mhp_machine_set_teardown(probe, "kernel") == 0 ? NSTRAT : NSTRAT - 1;
	mhp_machine_free(probe);
	/* Interleaved: every repetition runs each strategy once, so drift hits all alike. */
	for (int rep = 0; rep < REPS; rep++)
		for (int i = 0; i < nstrat; i++)
			if (run_child(models, strategies[i], &res[rep][i]) || !res[rep][i].ok)
				return 1;
	printf("64 GiB add, online_movable, offline, remove; 4K pages, page-granular linear map (rodata=full)\n");
	printf("median of %d interleaved runs, each in its own process\n\n", REPS);
	printf("%-8s %8s %8s %8s %8s %8s %13s %12s %10s %7s\n", "teardown", "add s", "online s", "offline s",
	       "remove s", "total s", "remove/arm64", "peak RSS MiB", "tables MiB", "RSS/PT");
	double arm64_remove = 0;
	for (int i = 0; i < nstrat; i++) {
		double add[REPS], on[REPS], off[REPS], rm[REPS], tot[REPS];
		long rss = 0;
		for (int rep = 0; rep < REPS; rep++) {
			add[rep] = res[rep][i].add;
			on[rep] = res[rep][i].online;
			off[rep] = res[rep][i].offline;
			rm[rep] = res[rep][i].remove;
			tot[rep] = res[rep][i].total;
			rss = res[rep][i].peak_rss_kib > rss ? res[rep][i].peak_rss_kib : rss;
		}
		double remove = median(rm);
		if (i == 0)
			arm64_remove = remove;
		double table_mib = res[0][i].peak_tables * 4096.0 / (1 << 20);
		printf("%-8s %8.3f %8.3f %8.3f %8.3f %8.3f %13.2f %12.1f %10.1f %7.2f\n", strategies[i], median(add),
		       median(on), median(off), remove, median(tot), remove / arm64_remove, rss / 1024.0, table_mib,
		       rss / 1024.0 / table_mib);
	}
	printf("\nTLB maintenance during the removal (the kernel's cost that differs between strategies):\n");
	printf("%-8s %14s %16s %12s\n", "teardown", "range flushes", "table flushes", "full flushes");
	for (int i = 0; i < nstrat; i++)
		printf("%-8s %14llu %16llu %12llu\n", strategies[i], res[0][i].flushes[0], res[0][i].flushes[1],
		       res[0][i].flushes[2]);
	printf("\nAll invariants held after every cycle.\n");
	return 0;
}
