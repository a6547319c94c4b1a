/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ptdump.h - what an arch tells the common page-table dump (arch/ptdump.c):
 * the descriptor bits it shows, how a line reads, and its region markers.
 */
#ifndef MHPSIM_ARCH_PTDUMP_H
#define MHPSIM_ARCH_PTDUMP_H

#include <stdbool.h>
#include <stdint.h>

struct strbuf;
struct mhp_machine;

struct ptdump_fmt {
	uint64_t prot_mask;         /* the bits whose change starts a new line */
	/* One line: [start, end) at kernel level (0 PGD .. 4 PTE) with prot (0: not mapped), from physical pa. */
	void (*print_line)(struct strbuf *sb, uint64_t start, uint64_t end, int level, uint64_t prot, uint64_t pa);
	const char *markers[4];     /* the linear map's start and end, the vmemmap's start and end */
	bool mapped_only;           /* no line for what is not mapped (RISC-V) */
	bool vmemmap_first;         /* the vmemmap lies below the linear map, and the dump goes up (RISC-V) */
};

/* /sys/kernel/debug/kernel_page_tables */
void ptdump_show(const struct mhp_machine *m, struct strbuf *sb);

#endif
