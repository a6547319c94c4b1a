// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tiny library built with -fvisibility=hidden, three ways: as it should be,
 * leaking an internal helper (MUTANT_LEAKS), and with one of its header's
 * functions left hidden (MUTANT_HIDES), the mistakes tests/exports.sh catches.
 */
#include <mhpsim/mutant.h>

#define EXPORTED __attribute__((visibility("default")))

EXPORTED int mhp_mutant_first(void)
{
	return 1;
}

#ifndef MUTANT_HIDES
EXPORTED
#endif
int mhp_mutant_second(void)
{
	return 2;
}

#ifdef MUTANT_LEAKS
int leaked_helper(void);
EXPORTED int leaked_helper(void)
{
	return 3;
}
#endif
