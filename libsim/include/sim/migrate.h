/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * migrate.h - page migration as offline_pages() drives it.
 * Kernel twin: include/linux/migrate.h.
 */
#ifndef MHPSIM_SIM_MIGRATE_H
#define MHPSIM_SIM_MIGRATE_H

#include "sim/machine.h"
#include "sim/page.h"

int scan_movable_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *pfn);
void do_migrate_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, unsigned *warned);
int alloc_pages_take(struct mhp_machine *m, int nid, int skip_nid, unsigned order, enum page_kind kind, bool pinned,
		     uint64_t *pfn);
int alloc_pages_run_take(struct mhp_machine *m, int nid, int skip_nid, enum page_kind kind, bool pinned, uint64_t nr,
			 uint64_t *pfn, uint64_t *got);

#endif
