/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * proc_page.h - /proc/kpageflags, /proc/kpagecount and /proc/pagetypeinfo's
 * pageblock counts of the model (libsim/fs/proc_page.c). Kernel twins:
 * fs/proc/page.c, mm/vmstat.c.
 */
#ifndef MHPSIM_SIM_PROC_PAGE_H
#define MHPSIM_SIM_PROC_PAGE_H

#include "sim/mmzone.h"

struct mhp_machine;

void kpageflags_read(const struct mhp_machine *m, uint64_t pfn, uint64_t *flags, uint64_t *count);
void pagetypeinfo_block_counts(const struct mhp_machine *m, int nid, int zid, uint64_t counts[MIGRATE_TYPES]);

#endif
