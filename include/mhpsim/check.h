/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - named invariants of the model, run after every step.
 */
#ifndef MHPSIM_CHECK_H
#define MHPSIM_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

struct mhp_invariant {
	const char *id;         /* "ZONE-SPAN" */
	const char *statement;  /* one line */
	const char *reference;  /* kernel file: function that keeps it true */
};

MHP_EXPORT size_t mhp_invariant_count(void);
MHP_EXPORT const struct mhp_invariant *mhp_invariant_get(size_t i);

/*
 * Runs every invariant. Returns 0, or -EUCLEAN with err->msg starting with the
 * id of the first invariant that failed ("ZONE-SPAN: ...").
 */
MHP_EXPORT int mhp_check_all(const struct mhp_machine *m, struct mhp_err *err);

/*
 * The same, with the checks that walk memory (PT-COVER, PT-ATTR,
 * VMEMMAP-COVER) limited to physical [lo, hi): the cheap check after a step
 * that touched only that range. An empty range (lo >= hi) skips them.
 */
MHP_EXPORT int mhp_check_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);

/*
 * The cheap check after a step: each invariant on what changed since the
 * last mhp_check_step_done() (ranges the model recorded as it wrote).
 */
MHP_EXPORT int mhp_check_touched(const struct mhp_machine *m, struct mhp_err *err);
/* The step is over: what it changed is forgotten. */
MHP_EXPORT void mhp_check_step_done(struct mhp_machine *m);

#ifdef __cplusplus
}
#endif

#endif
