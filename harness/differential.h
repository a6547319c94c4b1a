/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * differential.h - what must agree between two teardown strategies after a step.
 */
#ifndef MHPSIM_DIFFERENTIAL_H
#define MHPSIM_DIFFERENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mhp_machine;

struct diff_digest {
	uint64_t tables, count, allocated, freed, flushes[3], tlb, warns, reads, writes, freed_while_cached;
	int result, invariant;
};
void diff_digest_of(const struct mhp_machine *m, int result, int invariant, struct diff_digest *d);
bool diff_digest_equal(const struct diff_digest *a, const struct diff_digest *b);
void diff_explain(const struct mhp_machine *a, const struct mhp_machine *b, const char *na, const char *nb,
		  const struct diff_digest *x, const struct diff_digest *y, char *why, size_t cap);

#endif
