/*
 * x86.c - x86's teardown shape (arch/x86/mm/init_64.c: remove_pagetable()):
 * leaves cleared without a flush, every table freed as it empties whatever
 * its alignment, one flush_tlb_all() at the end.
 */
#include "sim/machine.h"
#include "teardown.h"

static void x86_free_table(struct mhp_machine *m, struct teardown *td, struct pt_table *t, uint64_t addr)
{
	(void)td, (void)addr;
	pt_release(m, t);   /* flushed once, with flush_tlb_all, at the end */
}

/* Models remove_pagetable(): the leaves, then the tables, then one flush of everything. */
static void x86_teardown_range(struct mhp_machine *m, struct teardown *td)
{
	const struct teardown_req *req = td->req;
	unmap_hotplug_leaves(m, req->start, req->end, req->free_mapped);
	free_empty_tables(m, req->start, req->end, td);
	flush_tlb_all(m);
}

const struct teardown_strategy teardown_x86 = {
	.name = "x86",
	.summary = "arch/x86/mm/init_64.c remove_pagetable(): tables freed as they empty, one flush_tlb_all",
	.teardown_range = x86_teardown_range,
	.free_table = x86_free_table,
	.ignores_alignment = true,
	.quiet_bootmem = true,
};
