// SPDX-License-Identifier: GPL-2.0-only
/*
 * census.c - the simulator's page census, in the reference lane's words: the
 * classifier and printer are reference/census.c's own (the guest's helper),
 * reading the model's pages through what /proc/kpageflags and kpagecount
 * would show of them (libsim/fs/proc_page.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "census.h"
#include "inspect.h"

#define CENSUS_NO_MAIN
#include "../reference/census.c"

struct model_ctx {
	const struct mhp_machine *m;
	uint64_t pages;              /* per block */
};

static int read_model(void *ctx, uint64_t pfn, uint64_t len, uint64_t *flags, uint64_t *counts)
{
	const struct model_ctx *c = ctx;
	for (uint64_t i = 0; i < len; i++)
		inspect_kpageflags(c->m, pfn + i, &flags[i], &counts[i]);
	return 0;
}

static int model_block_exists(void *ctx, long b)
{
	const struct model_ctx *c = ctx;
	struct inspect_memory_block mb;
	for (unsigned i = 0; inspect_memory_block(c->m, i, &mb); i++)
		if (mb.id == (uint64_t)b)
			return 1;
	return 0;
}

/* pagetypeinfo's block counts, as the guest's `sed` cuts them out of /proc/pagetypeinfo. */
static void pagetype_blocks(const struct mhp_machine *m, FILE *out)
{
	static const char *const types[INSPECT_MIGRATE_TYPES] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic",
								   "CMA", "Isolate" };
	fprintf(out, "%-23s", "Number of blocks type ");
	for (int t = 0; t < INSPECT_MIGRATE_TYPES; t++)
		fprintf(out, "%12s ", types[t]);
	fputc('\n', out);
	for (int nid = 0; nid < INSPECT_MAX_NODES; nid++) {
		for (int zid = 0; zid < INSPECT_NR_ZONES; zid++) {
			struct inspect_zone z;
			uint64_t n[INSPECT_MIGRATE_TYPES];
			if (!inspect_zone(m, nid, zid, &z) || !z.present)
				continue;
			inspect_pageblock_counts(m, nid, zid, n);
			fprintf(out, "Node %d, zone %8s ", nid, inspect_zone_name(zid));
			for (int t = 0; t < INSPECT_MIGRATE_TYPES; t++)
				fprintf(out, "%12llu ", (unsigned long long)n[t]);
			fputc('\n', out);
		}
	}
}

void harness_census(const struct mhp_machine *m, FILE *out)
{
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	struct model_ctx c = { m, g.pages_per_block };
	struct census_source src = { read_model, model_block_exists, &c, out };
	census(&src, g.pages_per_block, 1ull << g.pageblock_order);
	pagetype_blocks(m, out);
}
