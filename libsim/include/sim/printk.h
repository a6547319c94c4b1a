/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk.h - the kernel log ring and its levels.
 * Kernel twin: include/linux/printk.h.
 */
#ifndef MHPSIM_SIM_PRINTK_H
#define MHPSIM_SIM_PRINTK_H

#include "sim/kernel.h"

struct log_line {
	uint8_t level;
	char text[LOG_LINE_MAX];
};

struct printk_ring {
	struct log_line *lines;     /* LOG_RING_LINES */
	uint64_t next;              /* sequence of the next line */
};

struct mhp_machine;
/* printk.c */
void printk(struct mhp_machine *m, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define pr_err(m, ...)   printk((m), MHP_LOG_ERR, __VA_ARGS__)
#define pr_warn(m, ...)  printk((m), MHP_LOG_WARN, __VA_ARGS__)
#define pr_info(m, ...)  printk((m), MHP_LOG_INFO, __VA_ARGS__)
#define pr_debug(m, ...) printk((m), MHP_LOG_DEBUG, __VA_ARGS__)

#endif
