/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - the invariants' entry points inside the library. The model never
 * includes this: it raises hooks (sim/machine.h) that the checks install.
 */
#ifndef MHPSIM_CHECK_INTERNAL_H
#define MHPSIM_CHECK_INTERNAL_H

#include "sim/machine.h"

/*
 * Whether a check reads node nid: the full check every node, the check
 * after a step the possible ones only, as memory is added to no other
 * (add_memory_resource() refuses it) and the full check holds the rest
 * empty (COUNTERS).
 */
static inline bool check_reads_node(const struct mhp_machine *m, int nid, bool full)
{
	return full || m->nodes[nid].possible;
}

/* check_pgtable.c */
int check_pt_dangling(const struct mhp_machine *m, struct mhp_err *err);
int check_pt_leak(const struct mhp_machine *m, struct mhp_err *err);
int check_pt_leak_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_linear_map(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_vmemmap(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_tlb_stale(const struct mhp_machine *m, struct mhp_err *err);
int check_tlb_stale_returned(const struct mhp_machine *m, struct mhp_err *err);
int check_page_owner(const struct mhp_machine *m, struct mhp_err *err);

/* check_page.c */
int check_buddy(const struct mhp_machine *m, struct mhp_err *err);
int check_buddy_counts(const struct mhp_machine *m, struct mhp_err *err);
int check_buddy_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_buddy_ranges(const struct mhp_machine *m, const uint64_t (*r)[2], uint32_t n, struct mhp_err *err);
int check_isolation_clean(const struct mhp_machine *m, uint64_t s0, uint64_t s1, struct mhp_err *err);
int check_tags_counted(const struct mhp_machine *m, struct mhp_err *err);
int check_pages(const struct mhp_machine *m, uint64_t s0, uint64_t s1, uint64_t lo_pfn, uint64_t hi_pfn,
		struct mhp_err *err);
int check_bad_frees(const struct mhp_machine *m, struct mhp_err *err);
int check_walker_uaf(const struct mhp_machine *m, struct mhp_err *err);
int check_pt_dangling_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);

void check_install_hooks(struct mhp_machine *m);
int check_touched(const struct mhp_machine *m, struct mhp_err *err);

#endif
