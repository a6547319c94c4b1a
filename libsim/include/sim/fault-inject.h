/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fault-inject.h - fault injection as the kernel's fault-inject attributes
 * have it: a countdown, then failures, one in interval, times in all.
 * Kernel twin: include/linux/fault-inject.h.
 */
#ifndef SIM_FAULT_INJECT_H
#define SIM_FAULT_INJECT_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;

/* One class of fault point (fail_page_alloc, failslab): its armed pattern. */
struct fault_attr {
	int64_t after;       /* calls to let through before the next failure (-1: disarmed) */
	uint32_t times;      /* failures left (MHP_FAIL_ALLOC_UNLIMITED: no limit) */
	uint32_t interval;   /* after a failure, calls to the next one (1: the next) */
};

/* Arms attr: call nth from now fails, then one in interval after it, times in all (nth 0: disarmed). */
void fault_attr_arm(struct fault_attr *attr, unsigned nth, unsigned interval, unsigned times);
/* Models should_fail(): whether this call fails; a failure is traced as "injected failure: this WHAT fails". */
bool should_fail(struct mhp_machine *m, struct fault_attr *attr, const char *what);

#endif
