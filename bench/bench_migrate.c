// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_migrate.c - offlining a 128 MiB block whose pages are all allocated
 * movable: migrated pages per second, median of repetitions, each in a fresh
 * machine.   bench_migrate [--smoke] [--json FILE]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/mhpsim.h>

#include "bench_common.h"

#define BLOCK (128 * MiB)
#define REPS 5

/* One run: the block filled with anon pages, then offlined. Returns seconds, or < 0. */
static double run_once(uint64_t *pages)
{
	struct mhp_err err = { 0 };
	struct mhp_machine *m = bench_machine(4, BLOCK, false);
	if (!m)
		return -1;
	char state[96];
	snprintf(state, sizeof(state), "/sys/devices/system/memory/memory%llu/state",
		 (unsigned long long)(BENCH_HOT_START / BLOCK));
	*pages = BLOCK / (4 * KiB);
	if (mhp_add_memory(m, 0, BENCH_HOT_START, BLOCK, "System RAM (kmem)", &err) ||
	    mhp_sysfs_write(m, state, "online_movable", 14) || mhp_workload_alloc(m, "anon", 0, *pages, 1, &err)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		mhp_machine_free(m);
		return -1;
	}
	double t0 = bench_now();
	int ret = mhp_sysfs_write(m, state, "offline", 7);
	double t = bench_now() - t0;
	mhp_machine_free(m);
	return ret ? -1 : t;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 && strcmp(argv[1], "--smoke") == 0 ? 1 : REPS;
	const char *json = argc > 2 && strcmp(argv[argc - 2], "--json") == 0 ? argv[argc - 1] : NULL;
	double t[REPS];
	uint64_t pages = 0;
	for (int i = 0; i < reps; i++)
		if ((t[i] = run_once(&pages)) < 0)
			return 1;
	double med = bench_median(t, (size_t)reps);
	printf("offline of a 128 MiB block full of movable pages: %llu pages migrated\n", (unsigned long long)pages);
	printf("median %.4f s over %d runs: %.2f million migrated pages per second (min %.4f s, max %.4f s)\n", med,
	       reps, pages / med / 1e6, t[0], t[reps - 1]);
	FILE *f = json ? fopen(json, "w") : NULL;
	if (f) {
		fprintf(f, "{\"pages\": %llu, \"seconds\": %.6f, \"pages_per_second\": %.0f}\n", (unsigned long long)pages,
			med, pages / med);
		fclose(f);
	}
	return json && !f;
}
