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
	uint32_t n = t->n[what], lo;
	MHP_ASSERT(start < end && n <= TOUCHED_MAX);
	PARTITION_POINT(lo, n, k, r[k][1] < start);   /* the first range that ends at or after start */
	uint32_t last = lo;   /* past the ranges the new one overlaps or touches */
	while (last < n && r[last][0] <= end)
		last++;
	if (last > lo) {   /* merge into r[lo], dropping the others it swallowed */
		r[lo][0] = r[lo][0] < start ? r[lo][0] : start;
		r[lo][1] = r[last - 1][1] > end ? r[last - 1][1] : end;
		if (last > lo + 1) {   /* it swallowed more than one: the rest move down */
			memmove(&r[lo + 1], &r[last], (n - last) * sizeof(r[0]));
			t->n[what] = n - (last - lo - 1);
		}
		t->hint[what] = lo;
		return;
	}
	if (n == TOUCHED_MAX) {
		/*
		 * Full: with the new range in its place (before r[lo]), the first two
		 * neighbours with the smallest gap become one. Range j of that list
		 * is r[j] before lo, the new one at lo, r[j - 1] after it.
		 */
		uint32_t best = 0;
		uint64_t best_gap = UINT64_MAX;
		for (uint32_t g = 0; g + 1 < lo; g++)   /* the gaps before the new range, in order */
			if (r[g + 1][0] - r[g][1] < best_gap)
				best = g, best_gap = r[g + 1][0] - r[g][1];
		if (lo && start - r[lo - 1][1] < best_gap)   /* its own two */
			best = lo - 1, best_gap = start - r[lo - 1][1];
		if (lo < n && r[lo][0] - end < best_gap)
			best = lo, best_gap = r[lo][0] - end;
		for (uint32_t g = lo; g + 1 < n; g++)   /* the gaps after it: list gap g + 1 */
			if (r[g + 1][0] - r[g][1] < best_gap)
				best = g + 1, best_gap = r[g + 1][0] - r[g][1];
		if (best + 1 == lo) {   /* the new range joins the one before it */
			r[lo - 1][1] = end;
			t->hint[what] = lo - 1;
			return;
		}
		if (best == lo) {   /* ... or the one after it */
			r[lo][0] = start;
			t->hint[what] = lo;
			return;
		}
		uint32_t k = best < lo ? best : best - 1;   /* two ranges of r become one, and the new one goes in */
		r[k][1] = r[k + 1][1];
		memmove(&r[k + 1], &r[k + 2], (n - k - 2) * sizeof(r[0]));
		n--;
		lo -= lo > k + 1;
	}
	memmove(&r[lo + 1], &r[lo], (n - lo) * sizeof(r[0]));
	r[lo][0] = start, r[lo][1] = end;
	t->n[what] = n + 1;
	t->hint[what] = lo;
}
