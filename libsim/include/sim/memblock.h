/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memblock.h - boot memory: reserved ranges and the pools boot allocations come from.
 * Kernel twin: include/linux/memblock.h.
 */
#ifndef MHPSIM_SIM_MEMBLOCK_H
#define MHPSIM_SIM_MEMBLOCK_H

#include "sim/machine.h"
#include "sim/page.h"

uint64_t memblock_reserved_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool cma);
bool memblock_first_unmovable(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn,
			      uint64_t *pfn, const char **what);
void memblock_free_all(struct mhp_machine *m);
int memblock_replay(struct mhp_machine *m, const char *cmdline, struct mhp_err *err);
int memblock_alloc_pages(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn);

#endif
