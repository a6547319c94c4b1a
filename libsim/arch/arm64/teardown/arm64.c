// SPDX-License-Identifier: GPL-2.0-only
/*
 * arm64.c - the reference teardown: arch/arm64/mm/mmu.c of 6.12. Each empty
 * table is unlinked, flushed with __flush_tlb_kernel_pgtable() and freed at
 * once, where pgtable_range_aligned() allows.
 */
#include "sim/machine.h"
#include "arm64.h"
#include "teardown.h"

/* Models free_empty_pte_table() and its siblings: flush the table's walk cache entry, free it. */
static void arm64_free_table(struct mhp_machine *m, struct teardown *td, struct pt_table *t, uint64_t addr)
{
	(void)td;
	teardown_table_flush(m, addr);
	pt_release(m, t);
}

static void arm64_teardown_range(struct mhp_machine *m, struct teardown *td)
{
	const struct teardown_req *req = td->req;
	unmap_hotplug_range(m, req->start, req->end, req->free_mapped);
	free_empty_tables(m, req->start, req->end, td);
}

const struct teardown_strategy teardown_arm64 = {
	.name = "arm64",
	.summary = "arch/arm64/mm/mmu.c: each empty table flushed and freed at once",
	.teardown_range = arm64_teardown_range,
	.free_table = arm64_free_table,
};
