// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86_whatif.c - a what-if, not x86: the shape of x86's teardown
 * (arch/x86/mm/init_64.c: remove_pagetable()) idealised onto arm64's tables:
 * leaves cleared without a flush, every table freed as it empties whatever
 * its alignment, one flush_tlb_all() at the end. 6.12's x86 differs in at
 * least three ways (docs/teardown.md): remove_pte_table() flushes after every
 * PTE table it walks, PUD tables are freed only with 5-level paging, and a
 * vmemmap backing page is freed before its entry is cleared.
 */
#include "sim/machine.h"
#include "arm64.h"
#include "teardown.h"

static void x86_whatif_free_table(struct mhp_machine *m, struct teardown *td, struct pt_table *t, uint64_t addr)
{
	(void)td, (void)addr;
	pt_release(m, t);   /* flushed once, with flush_tlb_all, at the end */
}

/* remove_pagetable()'s shape, idealised: the leaves, then the tables, then one flush of everything. */
static void x86_whatif_teardown_range(struct mhp_machine *m, struct teardown *td)
{
	const struct teardown_req *req = td->req;
	unmap_hotplug_leaves(m, req->start, req->end, req->free_mapped);
	free_empty_tables(m, req->start, req->end, td);
	flush_tlb_all(m);
}

const struct teardown_strategy teardown_x86_whatif = {
	.name = "x86-whatif",
	.formerly = "x86",   /* renamed: it is not 6.12's x86 (issue 20) */
	.summary = "what-if, not x86: remove_pagetable()'s shape idealised on arm64 tables (tables freed as they "
		   "empty, one flush_tlb_all)",
	.teardown_range = x86_whatif_teardown_range,
	.free_table = x86_whatif_free_table,
	.ignores_alignment = true,
	.quiet_bootmem = true,
};
