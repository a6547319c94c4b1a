/*
 * fuzz.h - seeded random operation sequences that hunt invariant violations,
 * and shrink each one into a scenario file that `mhpsim run` replays.
 */
#ifndef MHPSIM_FUZZ_H
#define MHPSIM_FUZZ_H

#include <stdint.h>
#include <mhpsim/error.h>

struct mhp_fuzz_options {
	const char *models_dir;     /* NULL: "models" */
	const char *model;          /* NULL: qemu-virt-arm64-4k */
	const char *cmdline;        /* NULL: the model's */
	uint64_t seed;
	uint64_t steps;
	const char *teardown;       /* NULL: arm64 */
	const char *mutant;         /* NULL: none */
	unsigned full_check_every;  /* 0: 1000 */
	const char *out_dir;        /* where the shrunk scenario goes; NULL: "." */
	/* Called every 1024 steps with the steps done (the caller keeps time). */
	void (*progress)(uint64_t done, uint64_t total, void *ctx);
	void *progress_ctx;
};

struct mhp_fuzz_result {
	uint64_t steps_run;
	int violation;              /* 1 when an invariant failed */
	char invariant[32];         /* its id */
	char message[512];
	uint64_t found_at;          /* step that broke it (1-based) */
	unsigned shrunk_steps;      /* operations in the shrunk scenario */
	unsigned replays;           /* replays spent shrinking */
	char scenario_path[512];
};

/*
 * Runs opt->steps random operations. Returns 0 whether or not a violation
 * was found (see res), or a negative errno when the fuzzer itself could not
 * run (bad model, bad option), with err saying why.
 */
int mhp_fuzz(const struct mhp_fuzz_options *opt, struct mhp_fuzz_result *res, struct mhp_err *err);

#endif
