/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * page_isolation.h - isolating pageblocks for offline and alloc_contig_range().
 * Kernel twin: include/linux/page-isolation.h.
 */
#ifndef MHPSIM_SIM_PAGE_ISOLATION_H
#define MHPSIM_SIM_PAGE_ISOLATION_H

#include "sim/machine.h"

int start_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
int alloc_contig_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void split_free_block_at(struct mhp_machine *m, uint64_t pfn);
void undo_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int mt);

#endif
