/*
 * check.h - named invariants of the model, run after every step.
 */
#ifndef MHPSIM_CHECK_H
#define MHPSIM_CHECK_H

#include <stddef.h>
#include <mhpsim/error.h>

struct mhp_machine;

struct mhp_invariant {
	const char *id;         /* "ZONE-SPAN" */
	const char *statement;  /* one line */
	const char *reference;  /* kernel file: function that keeps it true */
};

size_t mhp_invariant_count(void);
const struct mhp_invariant *mhp_invariant_get(size_t i);

/*
 * Runs every invariant. Returns 0, or -EUCLEAN with err->msg starting with the
 * id of the first invariant that failed ("ZONE-SPAN: ...").
 */
int mhp_check_all(const struct mhp_machine *m, struct mhp_err *err);

#endif
