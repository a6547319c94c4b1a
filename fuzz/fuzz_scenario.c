// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_scenario.c - libFuzzer harness for the scenario parser and runner.
 *
 * Covers: YAML loading (libyaml through yamltree.c: limits, positions,
 * errors), every step's parsing in scenario.c, model lookup and loading, and
 * - when the input parses - replaying it with MHP_OUT_QUIET, every step's
 * expectations and checks included. Parse and run errors are expected
 * answers; crashes, leaks and undefined behaviour are findings.
 *
 * Work per input: the parser caps a scenario at 1 MiB, 100000 YAML nodes and
 * 10000 steps; this harness replays only inputs of at most FUZZ_MAX_RUN_BYTES
 * (a few hundred steps at most; every seed fits). A replay costs two whole-
 * machine checks (after boot, after the last step): about 100-250 ms on
 * qemu-virt-arm64-4k under ASan, up to a second on server-2node; an input that
 * does not parse costs about a millisecond. MHPSIM_FUZZ_SCENARIO_RUN=0 only
 * parses, for fast parser fuzzing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define FUZZ_MAX_RUN_BYTES (8u << 10)

/*
 * What messages call the input. Its directory does not exist, so the paths
 * a scenario gives relative to itself (the models beside it, a snapshot:
 * file) find nothing: only models_dir and ./models serve.
 */
#define INPUT_NAME "<fuzz>/scenario.yaml"

static const char *models_dir;
static int run_scenarios = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	models_dir = fuzz_models_dir((*argv)[0]);
	const char *run = getenv("MHPSIM_FUZZ_SCENARIO_RUN");
	run_scenarios = !run || strcmp(run, "0") != 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load_buffer(data, size, INPUT_NAME, models_dir, &sc, &err)) {
		fuzz_log("%s\n", err.msg);
		return 0;
	}
	if (run_scenarios && size <= FUZZ_MAX_RUN_BYTES) {
		/* QUIET writes nothing, so no stream is needed; tracing narrates to stderr. */
		struct mhp_run_options opt = { .output = fuzz_tracing() ? MHP_OUT_TEXT : MHP_OUT_QUIET,
					       .out = fuzz_tracing() ? stderr : NULL };
		struct mhp_run_result res;
		int ret = mhp_scenario_run(sc, &opt, &res, &err);
		fuzz_log("ran %u steps: %s\n", res.steps_run, ret ? err.msg : "ok");
	}
	mhp_scenario_free(sc);
	return 0;
}
