// SPDX-License-Identifier: GPL-2.0-only
/*
 * generic.c - the mmu_gather shape (mm/memory.c: free_pgd_range()): empty
 * tables are gathered in one pass and freed after a single flush.
 */
#include "sim/machine.h"
#include "arm64.h"
#include "teardown.h"

static void generic_free_table(struct mhp_machine *m, struct teardown *td, struct pt_table *t, uint64_t addr)
{
	(void)addr;
	if (td->nr_gather == GATHER_MAX)
		teardown_gather_flush(m, td);
	td->gather[td->nr_gather++] = t;
}

static void generic_teardown_range(struct mhp_machine *m, struct teardown *td)
{
	const struct teardown_req *req = td->req;
	unmap_hotplug_range(m, req->start, req->end, req->free_mapped);
	free_empty_tables(m, req->start, req->end, td);
	teardown_gather_flush(m, td);
}

const struct teardown_strategy teardown_generic = {
	.name = "generic",
	.summary = "mm/memory.c free_pgd_range(): empty tables gathered, freed after one flush",
	.teardown_range = generic_teardown_range,
	.free_table = generic_free_table,
};
