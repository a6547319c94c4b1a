/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_common.h - what the libFuzzer harnesses share: finding the models,
 * reading typed values off the input, and turning a broken invariant into a
 * crash libFuzzer records.
 */
#ifndef MHPSIM_FUZZ_COMMON_H
#define MHPSIM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <mhpsim/mhpsim.h>

/* libFuzzer's entry points, declared here for -Wmissing-prototypes. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The models directory: $MHPSIM_MODELS, else the source tree's models/, else
 * mhpsim-models/ beside the harness binary (where .clusterfuzzlite/build.sh
 * puts them). argv0 is the harness's argv[0].
 */
const char *fuzz_models_dir(const char *argv0);

/* Loads models_dir/<name>.yaml; a harness cannot run without it, so failure exits. */
struct mhp_model *fuzz_load_model(const char *models_dir, const char *name);

/* Boots model with its own command line and seed 0; failure exits. */
struct mhp_machine *fuzz_boot(const struct mhp_model *model);

/*
 * With MHPSIM_FUZZ_TRACE=1 (to see what a crash file does) fuzz_tracing is
 * true, fuzz_trace prints the machine's narrated events to stderr and
 * fuzz_log prints a harness line there.
 */
int fuzz_tracing(void);
void fuzz_trace(struct mhp_machine *m);
void fuzz_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A cursor over the input. Reads past the end give zeros, so every input
 * decodes to something; fuzz_done says when it ran out.
 */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

uint8_t fuzz_u8(struct fuzz_in *in);
uint16_t fuzz_u16(struct fuzz_in *in);
uint32_t fuzz_u32(struct fuzz_in *in);
uint64_t fuzz_u64(struct fuzz_in *in);
int fuzz_done(const struct fuzz_in *in);

/* A physical range [lo, hi); empty when lo >= hi. */
struct fuzz_range {
	uint64_t lo, hi;
};

/*
 * After an operation: every invariant, the memory walks limited to r
 * (mhp_check_range), or over the whole machine when MHPSIM_FUZZ_FULL_CHECK=1.
 * A violated invariant is a finding as a crash is: it prints and aborts.
 */
void fuzz_check_op(const struct mhp_machine *m, struct fuzz_range r, const char *after);

/*
 * After the last operation: the whole machine (mhp_check_all), which finds
 * what an operation broke outside its range (where migration put pages, say).
 * It costs about 50 ms under ASan, so it runs for one input in
 * FUZZ_FULL_CHECK_ONE_IN, chosen by a hash of the input so that a crash
 * replays; MHPSIM_FUZZ_FULL_CHECK=1 runs it for every input.
 */
#define FUZZ_FULL_CHECK_ONE_IN 16
void fuzz_check_end(const struct mhp_machine *m, const uint8_t *data, size_t size);

#endif
