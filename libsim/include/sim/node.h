/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * node.h - what a node device's sysfs files show. Kernel twin: include/linux/node.h
 * (drivers/base/node.c).
 */
#ifndef MHPSIM_SIM_NODE_H
#define MHPSIM_SIM_NODE_H

#include "sim/kernel.h"

struct mhp_machine;
struct strbuf;

/* nodeN/<name>: cpumap, cpulist, distance, meminfo; -EACCES (compact) or -EOPNOTSUPP (not modelled) else. */
int node_attr_show(const struct mhp_machine *m, int nid, const char *name, struct strbuf *sb);
/* nodeN/memory_failure/<name>, and the names of that directory. */
int node_memory_failure_show(const char *name, struct strbuf *sb);
const char *const *node_memory_failure_files(void);
/* global_node_page_state(NR_PAGETABLE): the user page-table pages of every node (PageTables, nr_page_table_pages). */
uint64_t nr_page_table_pages(const struct mhp_machine *m);

#endif
