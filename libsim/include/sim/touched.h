/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * touched.h - what a step changed, as physical ranges per kind of state (touched.c).
 */
#ifndef MHPSIM_SIM_TOUCHED_H
#define MHPSIM_SIM_TOUCHED_H

#include "sim/kernel.h"

/*
 * What a step changed, as physical ranges per kind of state, so that the
 * check after it walks only that: sections and blocks (add, remove, online,
 * offline), page tables (add, remove), pages (allocations, frees, online, offline).
 */
enum { TOUCHED_SECTIONS, TOUCHED_PT, TOUCHED_PAGES, NR_TOUCHED };
#define TOUCHED_MAX 8   /* ranges kept per kind; past that the two closest merge (docs/fuzzing.md: why 8) */
struct touched {
	uint64_t range[NR_TOUCHED][TOUCHED_MAX][2];   /* sorted, disjoint, not adjacent */
	uint32_t n[NR_TOUCHED];
	uint32_t hint[NR_TOUCHED];   /* the range last grown or added; any index below n is as good (not state) */
};

void touch_range_slow(struct touched *t, int what, uint64_t start, uint64_t end);

#endif
