// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_common.c - helpers the libFuzzer harnesses share (see fuzz_common.h).
 */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef MHPSIM_SOURCE_DIR
#define MHPSIM_SOURCE_DIR "."
#endif

const char *fuzz_models_dir(const char *argv0)
{
	static char dir[4096];
	const char *env = getenv("MHPSIM_MODELS");
	if (env && *env)
		return env;
	snprintf(dir, sizeof(dir), "%s/models", MHPSIM_SOURCE_DIR);
	if (access(dir, R_OK) == 0)
		return dir;
	/* A deployed harness (ClusterFuzzLite) runs far from the source tree. */
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	int len = slash ? (int)(slash - argv0) : 1;
	snprintf(dir, sizeof(dir), "%.*s/mhpsim-models", len, slash ? argv0 : ".");
	return dir;
}

struct mhp_model *fuzz_load_model(const char *models_dir, const char *name)
{
	char path[4200];
	struct mhp_model *model = NULL;
	struct mhp_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s.yaml", models_dir, name);
	if (mhp_model_load(path, &model, &err)) {
		fprintf(stderr, "fuzz: cannot load model %s: %s (set MHPSIM_MODELS)\n", path, err.msg);
		exit(1);
	}
	return model;
}

struct mhp_machine *fuzz_boot(const struct mhp_model *model)
{
	struct mhp_machine *m = NULL;
	struct mhp_err err = { 0 };
	struct mhp_boot_args args = { 0 };
	if (mhp_machine_boot(model, &args, &m, &err)) {
		fprintf(stderr, "fuzz: boot failed: %s\n", err.msg);
		exit(1);
	}
	return m;
}

static int env_flag(const char *name)
{
	const char *env = getenv(name);
	return env && *env && strcmp(env, "0") != 0;
}

int fuzz_tracing(void)
{
	static int on = -1;
	if (on < 0)
		on = env_flag("MHPSIM_FUZZ_TRACE");
	return on;
}

static void print_event(const struct mhp_trace_event *ev, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "    %s\n", ev->text);
}

void fuzz_trace(struct mhp_machine *m)
{
	if (fuzz_tracing())
		mhp_trace_set_sink(m, print_event, NULL);
}

void fuzz_log(const char *fmt, ...)
{
	if (!fuzz_tracing())
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t lo = fuzz_u8(in);
	return (uint16_t)(lo | (uint16_t)fuzz_u8(in) << 8);
}

uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t lo = fuzz_u16(in);
	return lo | (uint32_t)fuzz_u16(in) << 16;
}

uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint64_t lo = fuzz_u32(in);
	return lo | (uint64_t)fuzz_u32(in) << 32;
}

int fuzz_done(const struct fuzz_in *in)
{
	return in->left == 0;
}

static int full_checks(void)
{
	static int full = -1;
	if (full < 0)
		full = env_flag("MHPSIM_FUZZ_FULL_CHECK");
	return full;
}

static void check(const struct mhp_machine *m, uint64_t lo, uint64_t hi, const char *after)
{
	struct mhp_err err = { 0 };
	if (mhp_check_range(m, lo, hi, &err) == 0)
		return;
	fprintf(stderr, "fuzz: invariant violated after %s: %s\n", after, err.msg);
	abort();
}

void fuzz_check_op(const struct mhp_machine *m, struct fuzz_range r, const char *after)
{
	if (full_checks())
		check(m, 0, UINT64_MAX, after);
	else
		check(m, r.lo, r.hi, after);
}

/* FNV-1a: any fixed function of the bytes would do. */
static uint32_t input_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

void fuzz_check_end(const struct mhp_machine *m, const uint8_t *data, size_t size)
{
	if (full_checks() || input_hash(data, size) % FUZZ_FULL_CHECK_ONE_IN == 0)
		check(m, 0, UINT64_MAX, "the last operation (whole machine)");
}
