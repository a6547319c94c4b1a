/*
 * bench_migrate.c - offlining a 128 MiB block whose pages are all allocated
 * movable: migrated pages per second, median of interleaved repetitions,
 * each in a fresh machine. Timing lives here only.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mhpsim/mhpsim.h>

#include "bench_boot.h"

#define BLOCK_START 0x400000000ull
#define BLOCK (128ull << 20)
#define REPS 5

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One run: the block filled with anon pages, then offlined. Returns seconds, or < 0. */
static double run_once(const char *models, uint64_t *pages)
{
	struct mhp_err err = { 0 };
	struct mhp_machine *m = bench_boot(models);
	if (!m)
		return -1;
	const char *state = "/sys/devices/system/memory/memory128/state";
	if (mhp_add_memory(m, 0, BLOCK_START, BLOCK, "System RAM (kmem)", &err) ||
	    mhp_sysfs_write(m, state, "online_movable", 14) ||
	    mhp_workload_alloc(m, "anon", 0, BLOCK >> 12, 1, &err)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	double t0 = now();
	int ret = mhp_sysfs_write(m, state, "offline", 7);
	double t = now() - t0;
	*pages = BLOCK >> 12;
	if (ret || mhp_check_all(m, &err)) {
		fprintf(stderr, "offline: %s %s\n", mhp_errno_name(ret), err.msg);
		t = -1;
	}
	mhp_machine_free(m);
	return t;
}

int main(int argc, char **argv)
{
	const char *models = argc > 1 ? argv[1] : "models";
	double t[REPS];
	uint64_t pages = 0;
	for (int i = 0; i < REPS; i++)
		if ((t[i] = run_once(models, &pages)) < 0)
			return 1;
	qsort(t, REPS, sizeof(double), cmp);
	printf("offline of a 128 MiB block full of movable pages: %llu pages migrated\n", (unsigned long long)pages);
	printf("median %.4f s over %d runs: %.2f million migrated pages per second (min %.4f s, max %.4f s)\n",
	       t[REPS / 2], REPS, pages / t[REPS / 2] / 1e6, t[0], t[REPS - 1]);
	return 0;
}
