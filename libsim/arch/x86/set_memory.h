/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * set_memory.h - the direct map's counts by level (pat/set_memory.c), for
 * init_64.c and the tree's own code (kernel.c), which cannot see x86.h.
 */
#ifndef MHPSIM_X86_SET_MEMORY_H
#define MHPSIM_X86_SET_MEMORY_H

#include <stdint.h>

struct mhp_machine;
/* Models update_page_count(): unsigned, so a removal wraps below zero rather than being refused, as in 6.12. */
void update_page_count(struct mhp_machine *m, int level, int64_t pages);

#endif
