// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault-inject.c - one countdown for every class of injected fault (page
 * allocations, slab objects). Kernel twin: lib/fault-inject.c (should_fail()
 * with interval and times; the model has no probability, only a pattern).
 */
#include "sim/fault-inject.h"
#include "sim/machine.h"
#include "sim/trace.h"

void fault_attr_arm(struct fault_attr *attr, unsigned nth, unsigned interval, unsigned times)
{
	bool armed = nth && times && interval;
	attr->after = armed ? (int64_t)nth - 1 : -1;
	attr->times = armed ? times : 0;
	attr->interval = armed ? interval : 1;
}

bool should_fail(struct mhp_machine *m, struct fault_attr *attr, const char *what)
{
	if (attr->after < 0)
		return false;
	if (attr->after > 0) {
		attr->after--;
		return false;
	}
	if (attr->times != MHP_FAIL_ALLOC_UNLIMITED && --attr->times == 0)
		attr->after = -1;
	else
		attr->after = (int64_t)attr->interval - 1;   /* the next failure's countdown */
	struct mhp_trace_field f[] = { TF_S("what", what) };
	TRACE(m, "fault_injected", f, "injected failure: this %s fails", what);
	return true;
}
