/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario.h - scripted steps with expectations (scenarios/NAME.yaml).
 */
#ifndef MHPSIM_SCENARIO_H
#define MHPSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

struct mhp_scenario;

/*
 * Parses a scenario and the model it names; models are looked up in
 * models_dir (NULL: "models" next to the scenario's directory, then "models").
 * Every error reads "file:line:column: error: ...".
 */
MHP_EXPORT int mhp_scenario_load(const char *path, const char *models_dir,
				 struct mhp_scenario **out, struct mhp_err *err);
/*
 * The same from len bytes in memory (no NUL needed). name (NULL: "<scenario>")
 * stands for the file in messages ("name:line:column: error: ...") and, when
 * it holds a '/', for the directory the models may lie beside.
 */
MHP_EXPORT int mhp_scenario_load_buffer(const void *buf, size_t len, const char *name, const char *models_dir,
					struct mhp_scenario **out, struct mhp_err *err);
MHP_EXPORT void mhp_scenario_free(struct mhp_scenario *sc);

/*
 * MHP_OUT_OBSERVE: after boot and each step, its result and the canonical observation (mhpsim/observe.h).
 * MHP_OUT_CENSUS: after boot and each step, the page census of every block, as the reference lane's
 * guest takes it from /proc/kpageflags (reference/census.c, docs/reference.md).
 * MHP_OUT_NARRATE: for reading and for docs: the steps, narration as prose, each event under the name of
 * the kernel function its model mirrors (runs of one kind shortened), those functions' files at the end;
 * boot's events are counted, not shown.
 */
enum mhp_output { MHP_OUT_TEXT, MHP_OUT_JSON, MHP_OUT_QUIET, MHP_OUT_OBSERVE, MHP_OUT_NARRATE, MHP_OUT_CENSUS };

/*
 * Booted machines kept as snapshots, by model file, command line, seed and
 * boot flags, so that runs of many scenarios boot each machine once; a run
 * that finds its machine loads it, trace hash and log included, and ends with
 * the same hashes as a run that booted. For MHP_OUT_QUIET only: boot's events
 * are not replayed to the sink.
 */
struct mhp_boot_cache;
MHP_EXPORT struct mhp_boot_cache *mhp_boot_cache_new(void);
MHP_EXPORT void mhp_boot_cache_free(struct mhp_boot_cache *c);

struct mhp_run_options {
	enum mhp_output output;
	FILE *out;                /* where the trace goes */
	const char *mutant;       /* NULL, or a mutant name (tests only) */
	const char *teardown;     /* NULL, or a teardown strategy that overrides the scenario's */
	const char *cmdline_append; /* NULL, or words added after the scenario's kernel command line */
	uint64_t max_memory;      /* the machine's host memory budget in bytes (mhp_boot_args); 0: the default */
	struct mhp_boot_cache *boot_cache;   /* NULL, or booted machines to reuse (MHP_OUT_QUIET only) */
	bool pagewise;            /* the reference path: page by page (mhp_machine_set_pagewise) */
	/* Called with the machine after the last step (e.g. to dump its state), unless a step failed. */
	void (*after)(struct mhp_machine *m, void *ctx);
	void *after_ctx;
	/* Called after each step and its checks (invariant: 0, or the errno of the violation), with after_ctx. */
	void (*after_step)(struct mhp_machine *m, unsigned step, int invariant, void *ctx);
	/* Called once the machine has booted and passed every invariant, before the first step, with after_ctx. */
	void (*after_boot)(struct mhp_machine *m, void *ctx);
};

struct mhp_run_result {
	uint64_t state_hash;
	uint64_t trace_hash;
	unsigned steps_run;
	unsigned failed_step;      /* 1-based; 0 when all passed */
};

/*
 * Replays the scenario, checking expectations and every invariant after each
 * step. Returns 0 when all hold; otherwise -EUCLEAN (an expectation or
 * invariant failed) with err naming the step's file:line:column.
 */
MHP_EXPORT int mhp_scenario_run(const struct mhp_scenario *sc, const struct mhp_run_options *opt,
				struct mhp_run_result *res, struct mhp_err *err);

/*
 * The reference lane's words for a scenario (reference/driver.py): a header
 * with the kernel flavour and command line, then one line per step, the
 * guest action or "skip REASON" for a step a real guest cannot take.
 * -EINVAL when the scenario's model is not one the lane boots.
 */
MHP_EXPORT int mhp_scenario_reference_steps(const struct mhp_scenario *sc, FILE *out, struct mhp_err *err);

/* The number of steps in a scenario. */
MHP_EXPORT unsigned mhp_scenario_steps(const struct mhp_scenario *sc);
/* The teardown strategy it names, or its model's arch's first ("arm64", "x86"). */
MHP_EXPORT const char *mhp_scenario_teardown(const struct mhp_scenario *sc);

/* Two teardown strategies, one scenario: see mhp_scenario_diff(). */
struct mhp_diff_options {
	const char *a, *b;        /* strategies, e.g. "arm64" (the model) and "kernel" (the tree's code) */
	const char *mutant_a;     /* NULL, or a mutant for a's run only (to show the comparison can fail) */
};

struct mhp_diff_result {
	unsigned steps;           /* steps compared */
	unsigned differs_at;      /* the first step that differs (1-based), or 0 */
	char why[512];            /* what differs there: the table and entry, or the counts */
};

/*
 * Replays the scenario with strategy a and with strategy b and compares,
 * after every step, the page tables, tables allocated and freed, the TLB and
 * its flushes, the kernel's WARNs and the invariants' verdict. Returns 0
 * (res says whether and where they differ) or a negative errno.
 */
MHP_EXPORT int mhp_scenario_diff(const struct mhp_scenario *sc, const struct mhp_diff_options *opt,
				 struct mhp_diff_result *res, struct mhp_err *err);

#ifdef __cplusplus
}
#endif

#endif
