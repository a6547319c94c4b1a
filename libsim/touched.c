// SPDX-License-Identifier: GPL-2.0-only
/*
 * touched.c - what a step changed, as physical ranges per kind of state.
 * The model records here what it writes; the checks after the step read it
 * and walk only that. No kernel twin: the kernel has no one watching.
 */
#include "sim/touched.h"

/*
 * Merges [start, end) into one kind's sorted list of touched ranges. When the
 * list is full, the two neighbours with the smallest gap become one range:
 * the check then walks a little more, never less.
 */
void touch_range_slow(struct touched *t, int what, uint64_t start, uint64_t end)
{
	uint64_t(*r)[2] = t->range[what];
	uint32_t n = t->n[what], lo = 0, hi = n;
	MHP_ASSERT(start < end && n <= TOUCHED_MAX);
	while (lo < hi) {   /* the first range that ends at or after start */
		uint32_t mid = lo + (hi - lo) / 2;
		if (r[mid][1] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t last = lo;   /* past the ranges the new one overlaps or touches */
	while (last < n && r[last][0] <= end)
		last++;
	if (last > lo) {   /* merge into r[lo], dropping the others it swallowed */
		r[lo][0] = r[lo][0] < start ? r[lo][0] : start;
		r[lo][1] = r[last - 1][1] > end ? r[last - 1][1] : end;
		memmove(&r[lo + 1], &r[last], (n - last) * sizeof(r[0]));
		t->n[what] = n - (last - lo - 1);
		return;
	}
	if (n == TOUCHED_MAX) {
		/* Full: the two neighbours with the smallest gap become one, the new range among them. */
		uint64_t tmp[TOUCHED_MAX + 1][2];
		memcpy(tmp, r, lo * sizeof(r[0]));
		tmp[lo][0] = start, tmp[lo][1] = end;
		memcpy(&tmp[lo + 1], &r[lo], (n - lo) * sizeof(r[0]));
		uint32_t best = 0;
		for (uint32_t k = 1; k < n; k++)
			if (tmp[k + 1][0] - tmp[k][1] < tmp[best + 1][0] - tmp[best][1])
				best = k;
		tmp[best][1] = tmp[best + 1][1];
		memmove(&tmp[best + 1], &tmp[best + 2], (n - best - 1) * sizeof(tmp[0]));
		memcpy(r, tmp, n * sizeof(r[0]));
		return;
	}
	memmove(&r[lo + 1], &r[lo], (n - lo) * sizeof(r[0]));
	r[lo][0] = start, r[lo][1] = end;
	t->n[what] = n + 1;
}
