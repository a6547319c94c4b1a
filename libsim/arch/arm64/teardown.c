// SPDX-License-Identifier: GPL-2.0-only
/*
 * teardown.c - the one table of teardown strategies: it names them for the
 * command line and scenarios, and its index is what a snapshot saves.
 */
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "arm64.h"
#include "teardown.h"

/* Append only: a snapshot stores the index. */
const struct teardown_strategy *const teardown_strategies[] = {
	&teardown_arm64,
	&teardown_x86_whatif,
	&teardown_generic,
	&teardown_kernel,
};
const unsigned nr_teardown_strategies = ARRAY_SIZE(teardown_strategies);

const struct teardown_strategy *teardown_strategy_of(const struct mhp_machine *m)
{
	MHP_ASSERT(m->teardown >= 0 && (unsigned)m->teardown < nr_teardown_strategies);
	return teardown_strategies[m->teardown];
}

int teardown_strategy_find(const char *name)
{
	for (unsigned i = 0; i < nr_teardown_strategies; i++)
		if (strcmp(teardown_strategies[i]->name, name) == 0)
			return (int)i;
	return -1;
}

bool teardown_strategy_built(const struct teardown_strategy *s)
{
	return !s->built || s->built();
}

const char *arm64_teardown_name(unsigned i)
{
	return i < nr_teardown_strategies ? teardown_strategies[i]->name : NULL;
}

const char *arm64_teardown_formerly(unsigned i)
{
	return i < nr_teardown_strategies ? teardown_strategies[i]->formerly : NULL;
}

bool arm64_teardown_built(unsigned i)
{
	return i < nr_teardown_strategies && teardown_strategy_built(teardown_strategies[i]);
}
