/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mm_init.h - the boot layout of nodes and zones, and the words of the command line mm/ reads.
 * Kernel twin: mm/mm_init.c.
 */
#ifndef MHPSIM_SIM_MM_INIT_H
#define MHPSIM_SIM_MM_INIT_H

#include "sim/machine.h"

int free_area_init(struct mhp_machine *m);
int memmap_init(struct mhp_machine *m, struct mhp_err *err);
void log_zone_ranges(struct mhp_machine *m);
void mem_init_print_info(struct mhp_machine *m);
void free_initrd_mem(struct mhp_machine *m);
int cmdline_parse_core(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int early_debug_pagealloc(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int kfence_sample_interval(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int parse_cmdline(struct mhp_machine *m, const char *cmdline, struct mhp_err *err);

#endif
