// SPDX-License-Identifier: GPL-2.0-only
/* Uses the installed library: boots nothing, lists the invariants. */
#include <mhpsim/mhpsim.h>
#include <stdio.h>

int main(void)
{
	printf("%zu invariants, first %s\n", mhp_invariant_count(), mhp_invariant_get(0)->id);
	return mhp_invariant_count() > 0 ? 0 : 1;
}
