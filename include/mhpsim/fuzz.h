/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h - seeded random operation sequences that hunt invariant violations,
 * and shrink each one into a scenario file that `mhpsim run` replays.
 */
#ifndef MHPSIM_FUZZ_H
#define MHPSIM_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MHP_FUZZ_OP_KINDS 12
#define MHP_FUZZ_OP_ZONE_DEVICE 10   /* the kinds from here on are --zone-device's: memremap, memunmap */

struct mhp_fuzz_options {
	const char *models_dir;     /* NULL: "models" */
	const char *model;          /* NULL: qemu-virt-arm64-4k */
	const char *cmdline;        /* NULL: the model's */
	uint64_t seed;
	uint64_t steps;
	const char *teardown;       /* NULL: arm64 */
	const char *mutant;         /* NULL: none */
	uint64_t max_memory;        /* each machine's host memory budget in bytes (mhp_boot_args); 0: the default */
	/*
	 * Another teardown strategy (e.g. "kernel") run on a twin machine with the
	 * same steps; after each step the two are compared, and a difference is a
	 * DIFFERENTIAL violation, shrunk like any other. The mutant breaks the
	 * first machine only. "pagewise": the twin keeps the strategy and takes
	 * the reference path, page by page (mhp_machine_set_pagewise), and its
	 * state hash, trace hash and step results must equal the first's after
	 * every step (the mutant then breaks both). NULL: none.
	 */
	const char *differential;
	unsigned full_check_every;  /* 0: 1000 */
	/* Workload tags stay below this, then start from 1 again; 0: 2^32 - 2^20 (a small one lets tests reach it). */
	uint32_t tag_limit;
	bool pagewise;              /* the reference path on every machine: page by page (mhp_machine_set_pagewise) */
	/*
	 * Memory comes and goes through the model's virtio-mem device only: adds
	 * and removes become requested-size changes its driver carries out (the
	 * other operations stay: onlining, offlining, workloads, injection).
	 */
	bool virtio_mem;
	/*
	 * Half the adds and removes map or unmap ZONE_DEVICE memory instead
	 * (memremap_pages()): ranges of 2 to 8 MiB, subsection-aligned, in a
	 * window above the model's RAM and hot-plug regions, often sharing a
	 * section with one already there.
	 */
	bool zone_device;
	const char *out_dir;        /* where the shrunk scenario goes; NULL: "." */
	/*
	 * Save the machine and the generator when the run stops: at its end, or
	 * just before the step that broke an invariant. NULL: no snapshot.
	 */
	const char *save_snapshot;
	/* Start from a snapshot saved by a fuzz run (model, strategy and seed come from it). */
	const char *load_snapshot;
	/* Called every 1024 steps with the steps done (the caller keeps time). */
	void (*progress)(uint64_t done, uint64_t total, void *ctx);
	void *progress_ctx;
};

struct mhp_fuzz_result {
	uint64_t steps_run;
	uint64_t seed;              /* the run's seed (from the snapshot, after --load) */
	int violation;              /* 1 when an invariant failed */
	char invariant[32];         /* its id */
	char message[512];
	uint64_t found_at;          /* step that broke it (1-based, counting steps before a loaded snapshot) */
	uint64_t state_hash;        /* of the machine when the run stopped */
	uint64_t trace_hash;
	unsigned shrunk_steps;      /* operations in the shrunk scenario */
	unsigned replays;           /* replays spent shrinking */
	char scenario_path[512];
	/* What the run did (for benchmarks): operations tried and succeeded by kind, and page work. */
	uint64_t ops_tried[MHP_FUZZ_OP_KINDS], ops_ok[MHP_FUZZ_OP_KINDS];
	uint64_t page_writes;       /* struct page states written (allocations, frees, add, remove) */
	uint64_t pages_migrated;
};

/* Teardowns a run made: its removes that succeeded (what the fuzzer exists to reach). */
MHP_EXPORT uint64_t mhp_fuzz_teardowns(const struct mhp_fuzz_result *res);
/* The name of an operation kind (0 .. MHP_FUZZ_OP_KINDS - 1): "add", "online", ... */
MHP_EXPORT const char *mhp_fuzz_op_name(unsigned kind);

/*
 * Runs opt->steps random operations. Returns 0 whether or not a violation
 * was found (see res), or a negative errno when the fuzzer itself could not
 * run (bad model, bad option), with err saying why.
 */
MHP_EXPORT int mhp_fuzz(const struct mhp_fuzz_options *opt, struct mhp_fuzz_result *res, struct mhp_err *err);

#ifdef __cplusplus
}
#endif

#endif
