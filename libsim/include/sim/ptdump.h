/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ptdump.h - page-table walkers that run beside hot-remove (mm/ptdump.c's
 * ptdump_walk_pgd(): the debugfs kernel_page_tables dump and
 * ptdump_check_wx()), and whether the hotplug lock keeps them apart.
 */
#ifndef MHPSIM_SIM_PTDUMP_H
#define MHPSIM_SIM_PTDUMP_H

#include <stdint.h>

struct mhp_machine;

/*
 * Around arch_remove_memory(start, size): when a walker may run without the
 * hotplug lock (a mutant puts the lock where an older tree had it), every
 * schedule of that walker against the remove is checked for a read of a
 * table the remove has freed (WALKER-UAF). With 6.12's locking it costs
 * nothing.
 */
void ptdump_race_begin(struct mhp_machine *m, uint64_t start, uint64_t size);
void ptdump_race_end(struct mhp_machine *m);
/* The remove has just freed the table at pfn (a schedule point): from pt_release(). */
void ptdump_race_table_freed(struct mhp_machine *m, uint64_t pfn);

#endif
