// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz.c - random operation sequences over a model, invariant checks after
 * every step, and shrinking of any violation into a replayable scenario.
 *
 * Everything is a function of the seed: the generator's PRNG is seeded from
 * it, the machine is deterministic, so a seed names a run and its findings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mhpsim/mhpsim.h>
#include "inspect.h"
#include "util.h"
#include "differential.h"
#include "step.h"

enum fuzz_opcode { F_ADD, F_ONLINE, F_OFFLINE, F_REMOVE, F_ALLOC, F_FREE, F_TOUCH, F_INJECT, F_FAIL_ALLOC, F_VIRTIO_MEM,
		   F_MEMREMAP, F_MEMUNMAP };
_Static_assert(F_MEMREMAP == MHP_FUZZ_OP_ZONE_DEVICE, "--zone-device's kinds come last");

/* One operation, with absolute arguments so that it replays on any state. */
struct fuzz_op {
	uint8_t op;
	uint8_t arg;     /* add: driver | 4 memmap; online: type; alloc: kind; touch: 1 struct page; inject: event */
	uint32_t n;      /* blocks, pages, errno, nth */
	uint64_t a;      /* address, block id, tag, pfn, requested size */
};

#define FUZZ_MAX_OPS (1u << 22)
#define ZONE_DEVICE_SHIFT 21                 /* --zone-device's unit: a subsection, 2 MiB */
#define ZONE_DEVICE_WINDOW (1ull << 30)      /* and its window */
#define FUZZ_OFFLINE_RETRIES 3
#define SHRINK_BUDGET 400

static const char *const op_names[MHP_FUZZ_OP_KINDS] = { "add", "online", "offline", "remove", "alloc", "free",
								 "touch", "inject", "fail_alloc", "virtio_mem",
								 "memremap", "memunmap" };

/* xorshift64*: the generator's only source of randomness. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

struct fuzz_run {
	const struct mhp_fuzz_options *opt;
	const struct mhp_model *model;
	struct mhp_machine *m;
	struct mhp_machine *m2;    /* --differential: the same steps with the other strategy, or NULL */
	uint64_t seed;             /* names the run: given, or from the snapshot it started from */
	uint64_t rng;
	uint32_t next_tag;         /* the next allocation's first tag */
	uint32_t top_tag;          /* above every tag handed out: next_tag wraps to 1, this stays */
	uint64_t live_tags;        /* tags below next_tag that may be live */
	uint64_t base;             /* steps run before the snapshot this run started from */
	const uint8_t *snap;       /* that snapshot, or NULL: every machine of the run starts from it */
	size_t snap_len;
};

/* The generator's state, kept in a snapshot's caller section so a loaded run goes on as it would have. */
#define FUZZ_STATE_MAGIC 0x31325a5a5546504dull   /* "MPFUZZ21" */
struct fuzz_state {
	uint64_t magic, seed, rng, live_tags, base;
	uint32_t next_tag, top_tag;   /* top_tag 0 in a snapshot from before it was kept: next_tag stands for it */
};

/* Tags are 32-bit; an allocation's tags end below this, and past it they are handed out from 1 again. */
#define FUZZ_TAG_LIMIT (UINT32_MAX - (1u << 20))

static uint32_t tag_limit(const struct fuzz_run *r)
{
	return r->opt->tag_limit ? r->opt->tag_limit : FUZZ_TAG_LIMIT;
}

uint64_t mhp_fuzz_teardowns(const struct mhp_fuzz_result *res)
{
	return res->ops_ok[F_REMOVE];
}

const char *mhp_fuzz_op_name(unsigned kind)
{
	return kind < MHP_FUZZ_OP_KINDS ? op_names[kind] : NULL;
}

/* ---- executing --------------------------------------------------------------- */

/* Where a step made of an operation keeps its path and value. */
struct op_text {
	char path[128], value[24];
};

/* The scenario step an operation is: the fuzzer runs and writes what a scenario would. */
static void op_step(const struct mhp_machine *m, const struct fuzz_op *op, struct step *st, struct op_text *t)
{
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	*st = (struct step){ .start = op->a, .size = op->n, .newline = true, .path = t->path, .text = t->value };
	switch (op->op) {
	case F_ADD:
	case F_REMOVE:
		st->kind = op->op == F_ADD ? STEP_ADD : STEP_REMOVE;
		st->size = (uint64_t)op->n * g.block_size;
		st->driver = op->op == F_ADD ? op->arg & 3 : DRIVER_ACPI;
		st->flags = op->op == F_ADD && op->arg & 4 ? MHP_MEMMAP_ON_MEMORY : 0;
		break;
	case F_ONLINE:
	case F_OFFLINE:
		st->kind = STEP_WRITE;
		snprintf(t->path, sizeof(t->path), "/sys/devices/system/memory/memory%llu/state", (unsigned long long)op->a);
		snprintf(t->value, sizeof(t->value), "%s", inspect_online_type_name(op->op == F_OFFLINE ? INSPECT_ONLINE_TYPE_OFFLINE : op->arg));
		break;
	case F_INJECT:
		st->kind = STEP_WRITE;
		snprintf(t->path, sizeof(t->path), "/sys/kernel/debug/notifier-error-inject/memory/actions/%s/error",
			 op->arg ? "MEM_GOING_OFFLINE" : "MEM_GOING_ONLINE");
		snprintf(t->value, sizeof(t->value), "%d", -(int)op->n);
		break;
	case F_ALLOC:
		st->kind = STEP_ALLOC;
		snprintf(st->kind_name, sizeof(st->kind_name), "%s", step_workload_kinds[op->arg]);
		break;
	case F_FREE:
		st->kind = STEP_FREE;
		break;
	case F_TOUCH:
		st->kind = STEP_TOUCH;
		st->touch_kind = op->arg ? TOUCH_STRUCT_PAGE : TOUCH_PHYS;
		st->start = op->arg ? op->a : op->a << g.page_shift;
		break;
	case F_FAIL_ALLOC:
		st->kind = STEP_FAIL_ALLOC;
		st->start = op->n;
		st->size = 1;
		break;
	case F_VIRTIO_MEM:
		st->kind = STEP_VIRTIO_MEM;
		st->size = op->a;
		st->start = UINT64_MAX;   /* no plugged size to check */
		break;
	case F_MEMREMAP:
	case F_MEMUNMAP:
		st->kind = op->op == F_MEMREMAP ? STEP_MEMREMAP : STEP_MEMUNMAP;
		st->size = (uint64_t)op->n << ZONE_DEVICE_SHIFT;
		break;
	}
}

static int apply(struct mhp_machine *m, const struct fuzz_op *op)
{
	struct op_text t;
	struct step st;
	struct mhp_err err;
	struct step_env env = { .m = m, .err = &err, .file = "fuzz" };
	op_step(m, op, &st, &t);
	return step_table[st.kind].run(&env, &st);
}

/* --differential pagewise: the twin takes the reference path, page by page, with the same strategy. */
static bool pagewise_twin(const struct fuzz_run *r)
{
	return r->opt->differential && strcmp(r->opt->differential, "pagewise") == 0;
}

/*
 * The pagewise twin must end every step with the same result, trace and free
 * lists, and, at every full check (the state hash reads every page array, as
 * a full check does), the same state.
 */
static int compare_pagewise(struct mhp_machine *m, struct mhp_machine *twin, int result, int tresult, bool full,
			    struct mhp_err *err)
{
	uint64_t t[2] = { mhp_trace_hash(m), mhp_trace_hash(twin) };
	uint64_t f[2] = { mhp_testing_free_lists_hash(m), mhp_testing_free_lists_hash(twin) };
	uint64_t s[2] = { full ? mhp_machine_state_hash(m) : 0, full ? mhp_machine_state_hash(twin) : 0 };
	if (s[0] == s[1] && t[0] == t[1] && f[0] == f[1] && result == tresult)
		return 0;
	return mhp_err_set(err, -EUCLEAN,
			   "DIFFERENTIAL: runs and pagewise disagree: result %d vs %d, trace hash %016llx vs %016llx, "
			   "free lists %016llx vs %016llx, state hash %016llx vs %016llx", result, tresult,
			   (unsigned long long)t[0], (unsigned long long)t[1], (unsigned long long)f[0],
			   (unsigned long long)f[1], (unsigned long long)s[0], (unsigned long long)s[1]);
}

/* The machine every run starts from: boot, the injection module, a short offline budget. */
static int boot_state(const struct fuzz_run *r, struct mhp_machine **out, struct fuzz_state *st, bool second,
		      struct mhp_err *err)
{
	bool pagewise = r->opt->pagewise || (second && pagewise_twin(r));
	const char *teardown = second && !pagewise_twin(r) ? r->opt->differential : r->opt->teardown;
	/* A mutant breaks the first machine only; against the pagewise twin, which compares paths, both. */
	const char *mutant = second && !pagewise_twin(r) ? NULL : r->opt->mutant;
	/*
	 * Without the kernel's own allocations: they model what the reference lane's guest does around a
	 * scenario step, not a fuzz step, and would pin every first ZONE_NORMAL block, so that teardown,
	 * what the fuzzer exists for, would be reached less (docs/fuzzing.md).
	 */
	struct mhp_boot_args args = { .cmdline = r->opt->cmdline, .no_kernel_allocations = 1,
				      .max_memory = r->opt->max_memory };
	int ret = r->snap ? inspect_snapshot_decode(r->snap, r->snap_len, r->opt->load_snapshot, out, st, sizeof(*st), err)
			  : mhp_machine_boot(r->model, &args, out, err);
	if (ret)
		return ret;
	struct mhp_machine *m = *out;
	mhp_machine_set_max_memory(m, r->opt->max_memory);
	mhp_machine_set_pagewise(m, pagewise);
	int tret = teardown ? mhp_machine_set_teardown(m, teardown) : 0;
	if (tret)
		ret = mhp_teardown_error(m, err, tret, teardown);
	if (!ret && mutant && mhp_machine_set_mutant(m, mutant))
		ret = mhp_err_set(err, -EINVAL, "unknown mutant '%s'", mutant);
	if (!ret && !r->snap) {
		mhp_machine_set_offline_retries(m, FUZZ_OFFLINE_RETRIES);
		ret = mhp_modprobe(m, "memory-notifier-error-inject", 0, false, err);
	}
	if (ret) {
		mhp_machine_free(m);
		*out = NULL;
	}
	return ret;
}

/* The run's machine, and with --differential its twin under the other strategy. */
static int boot(const struct fuzz_run *r, struct mhp_machine **out, struct mhp_machine **twin, struct mhp_err *err)
{
	struct fuzz_state st;
	*twin = NULL;
	int ret = boot_state(r, out, &st, false, err);
	if (!ret && r->opt->differential && (ret = boot_state(r, twin, &st, true, err))) {
		mhp_machine_free(*out);
		*out = NULL;
	}
	return ret;
}

/* How often every invariant is checked in full: every K steps (--check-every K), 1000 by default. */
static unsigned full_check_every(const struct fuzz_run *r)
{
	return r->opt->full_check_every ? r->opt->full_check_every : 1000;
}

/* Whether the check after the step-th step was the full one. */
static bool full_check_step(const struct fuzz_run *r, uint64_t step)
{
	return step % full_check_every(r) == 0;
}

/* Whether a run of n steps needs the final full check: not when its last step's check was already full. */
static bool final_check_due(const struct fuzz_run *r, uint64_t n)
{
	return !n || !full_check_step(r, r->base + n);
}

/* Checks after one step: the touched range, and everything every K steps. */
static int check_step(struct mhp_machine *m, bool full, struct mhp_err *err)
{
	int ret = full ? mhp_check_all(m, err) : mhp_check_touched(m, err);
	mhp_check_step_done(m);
	return ret;
}

/*
 * One step on the machine and, with --differential, on its twin: the
 * invariants on both, then the two compared. Returns the step's errno in
 * *result and non-zero on a violation (DIFFERENTIAL when they disagree).
 */
static int run_step(const struct fuzz_run *r, struct mhp_machine *m, struct mhp_machine *twin, const struct fuzz_op *op,
		    uint64_t step, int *result, struct mhp_err *err)
{
	bool full = full_check_step(r, step);
	*result = apply(m, op);
	const char *over = mhp_machine_host_check(m);
	if (over)   /* the simulator's limit: the run stops there, shrunk like a violation */
		return mhp_err_set(err, -E2BIG, "%s", over);
	int inv = check_step(m, full, err);
	if (!twin || inv)
		return inv;
	struct mhp_err terr = { 0 };
	int tresult = apply(twin, op), tinv = check_step(twin, full, &terr);
	if (tinv)
		return mhp_err_set(err, tinv, "%s (with %s only)", terr.msg, r->opt->differential);
	if (pagewise_twin(r))
		return compare_pagewise(m, twin, *result, tresult, full, err);
	struct diff_digest x, y;
	diff_digest_of(m, *result, 0, &x);
	diff_digest_of(twin, tresult, 0, &y);
	if (diff_digest_equal(&x, &y))
		return 0;
	char why[512];
	const char *a = mhp_machine_teardown(m);   /* a loaded snapshot's own strategy, unless --strategy set one */
	diff_explain(m, twin, a, r->opt->differential, &x, &y, why, sizeof(why));
	return mhp_err_set(err, -EUCLEAN, "DIFFERENTIAL: %s and %s disagree: %s", a, r->opt->differential, why);
}

/*
 * Replays ops on a fresh machine (and twin). Returns the 1-based step of the
 * first violation (its message in err), or 0 if none; results[i] gets each errno.
 */
static uint64_t replay(const struct fuzz_run *r, const struct fuzz_op *ops, uint64_t n, int *results,
		       struct mhp_err *err)
{
	struct mhp_machine *m, *twin;
	if (boot(r, &m, &twin, err))
		return 0;
	uint64_t found = 0;
	for (uint64_t i = 0; i < n && !found; i++) {
		int ret;
		if (run_step(r, m, twin, &ops[i], r->base + i + 1, &ret, err))
			found = i + 1;
		if (results)
			results[i] = ret;
	}
	if (!found && final_check_due(r, n) && (mhp_check_all(m, err) || (twin && mhp_check_all(twin, err))))
		found = n;
	mhp_machine_free(m);
	mhp_machine_free(twin);
	return found;
}

/* ---- generating ------------------------------------------------------------------ */

/* The i-th memory block of the machine; i below its count. */
static struct inspect_memory_block block_at(const struct mhp_machine *m, uint64_t i)
{
	struct inspect_memory_block b = { 0 };
	inspect_memory_block(m, i, &b);
	return b;
}

static uint64_t pages_per_block(const struct mhp_machine *m)
{
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	return g.pages_per_block;
}

/* How many blocks from block id on lie in the hot-plug region that holds it (0: none holds it). */
static uint64_t hot_blocks_left(const struct fuzz_run *r, uint64_t id)
{
	struct inspect_model mo;
	struct inspect_range h;
	inspect_model(r->model, &mo);
	for (unsigned i = 0; i < mo.nr_hotplug && inspect_model_range(r->model, INSPECT_HOTPLUG, i, &h); i++) {
		uint64_t first = h.start / mo.block_size, end = (h.start + h.size) / mo.block_size;
		if (id >= first && id < end)
			return end - id;
	}
	return 0;
}

/* A block of the model's hot-pluggable regions (or next to one already added); *left as hot_blocks_left(). */
static uint64_t pick_hot_block(struct fuzz_run *r, uint64_t *left)
{
	struct inspect_model mo;
	struct inspect_range h = { 0 };
	unsigned nr_blocks = inspect_memory_block_count(r->m);
	inspect_model(r->model, &mo);
	if (nr_blocks && below(&r->rng, 2)) {
		/* Bias: a neighbour of a block that exists, to share tables; inside the regions, as a device's memory is. */
		struct inspect_memory_block b = block_at(r->m, below(&r->rng, nr_blocks));
		uint64_t id = b.id + (below(&r->rng, 2) ? 1 : (uint64_t)-1);
		if (!b.early && (*left = hot_blocks_left(r, id)))
			return id;
	}
	inspect_model_range(r->model, INSPECT_HOTPLUG, (unsigned)below(&r->rng, mo.nr_hotplug), &h);
	uint64_t nblocks = h.size / mo.block_size;
	/* Bias: the first blocks of a region, where neighbours meet. */
	uint64_t off = below(&r->rng, 4) ? below(&r->rng, nblocks < 16 ? nblocks : 16) : below(&r->rng, nblocks);
	*left = hot_blocks_left(r, h.start / mo.block_size + off);
	return h.start / mo.block_size + off;
}

/* Any memory block of the machine, hot-added ones first. */
/* A boot block (offline ones only when asked), from a few random draws; else block 0. */
static uint64_t pick_boot_block(struct fuzz_run *r, bool offline)
{
	unsigned nr_blocks = inspect_memory_block_count(r->m);
	for (int tries = 0; nr_blocks && tries < 8; tries++) {
		struct inspect_memory_block b = block_at(r->m, below(&r->rng, nr_blocks));
		if (b.early && (!offline || b.state == INSPECT_MEM_OFFLINE))
			return b.id;
	}
	return 0;
}

static uint64_t pick_block(struct fuzz_run *r)
{
	unsigned nr_blocks = inspect_memory_block_count(r->m);
	if (!nr_blocks)
		return 0;
	for (int tries = 0; tries < 4; tries++) {
		struct inspect_memory_block b = block_at(r->m, below(&r->rng, nr_blocks));
		if (!b.early || tries == 3)
			return b.id;
	}
	return 0;
}

/* A pfn of a present block, for touches. */
static uint64_t pick_pfn(struct fuzz_run *r)
{
	uint64_t id = pick_block(r), per = pages_per_block(r->m);
	return id * per + below(&r->rng, per);
}

/* How many of n blocks from start lie in the resource that holds start (n when none does). */
static uint64_t blocks_in_resource(const struct mhp_machine *m, uint64_t start, uint64_t n)
{
	struct inspect_geometry g;
	struct inspect_resource res;
	inspect_geometry(m, &g);
	for (unsigned i = 0; inspect_resource(m, i, &res); i++) {
		if (res.start <= start && start <= res.end) {
			uint64_t fit = (res.end - start + 1) / g.block_size;
			return fit && fit < n ? fit : n;
		}
	}
	return n;
}

/* The model's memory block size. */
static uint64_t block_size(const struct fuzz_run *r)
{
	struct inspect_model mo;
	inspect_model(r->model, &mo);
	return mo.block_size;
}

/* Whether a resource lies in one of the model's hot-pluggable regions: a driver added it. */
static bool resource_hot_added(const struct fuzz_run *r, const struct inspect_resource *res)
{
	struct inspect_model mo;
	struct inspect_range h;
	inspect_model(r->model, &mo);
	for (unsigned i = 0; i < mo.nr_hotplug && inspect_model_range(r->model, INSPECT_HOTPLUG, i, &h); i++)
		if (res->start >= h.start && res->end < h.start + h.size)
			return true;
	return false;
}

/*
 * Whether more than an eighth of the hot-plug space is held by resources
 * with no memory left in them: what removes over two resources leave
 * (6.12's release_mem_region_adjustable() releases a single holder only), a
 * range no add can have again. Past that, removes keep to one resource, so
 * a long run goes on adding and removing (docs/fuzzing.md).
 */
static bool much_space_leaked(const struct fuzz_run *r)
{
	struct inspect_model mo;
	struct inspect_range h;
	struct inspect_resource res;
	struct inspect_memory_block b;
	inspect_model(r->model, &mo);
	uint64_t space = 0, held = 0, present = 0;
	for (unsigned i = 0; i < mo.nr_hotplug && inspect_model_range(r->model, INSPECT_HOTPLUG, i, &h); i++)
		space += h.size;
	for (unsigned i = 0; inspect_resource(r->m, i, &res); i++)
		held += resource_hot_added(r, &res) ? res.end + 1 - res.start : 0;
	for (unsigned i = 0; inspect_memory_block(r->m, i, &b); i++)
		present += b.early ? 0 : mo.block_size;
	return held > present && (held - present) * 8 > space;
}

/* The blocks of [start, end] that are online: how many, and the id of the k-th (k below that count). */
static uint64_t online_blocks(const struct fuzz_run *r, const struct inspect_resource *res, uint64_t k, uint64_t *id)
{
	uint64_t bs = block_size(r), n = 0, lo = 0, hi = inspect_memory_block_count(r->m);
	struct inspect_memory_block b;
	while (lo < hi) {   /* the blocks come in id order: the first at or after the resource's */
		uint64_t mid = lo + (hi - lo) / 2;
		inspect_memory_block(r->m, mid, &b);
		if (b.id < res->start / bs)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint64_t i = lo; inspect_memory_block(r->m, i, &b) && b.id <= res->end / bs; i++)
		if (b.state != INSPECT_MEM_OFFLINE && n++ == k)
			*id = b.id;
	return n;
}

/*
 * One of the resources drivers added, at random (with offline_only, one whose
 * blocks are all offline: it can go now); false when there is none. Teardown
 * works on what was added: a driver removes its own ranges whole.
 */
static bool pick_added_resource(struct fuzz_run *r, bool offline_only, struct inspect_resource *out)
{
	struct inspect_resource res, found[256];   /* the first 256 are enough: a model has a few dozen */
	uint64_t n = 0, id;
	for (unsigned i = 0; n < 256 && inspect_resource(r->m, i, &res); i++)
		if (resource_hot_added(r, &res) && (!offline_only || !online_blocks(r, &res, 0, &id)))
			found[n++] = res;
	if (!n)
		return false;
	*out = found[below(&r->rng, n)];
	return true;
}

/* A tag held in a block picked as pick_block does, from a random page onwards; false if none. */
static bool tag_in_block(struct fuzz_run *r, uint32_t *tag)
{
	uint64_t pfn = pick_pfn(r), per = pages_per_block(r->m), n, id;
	struct inspect_resource res;
	/* Half the time in an online block of something a driver added: what keeps that range from going. */
	if (below(&r->rng, 2) && pick_added_resource(r, false, &res) && (n = online_blocks(r, &res, 0, &id))) {
		online_blocks(r, &res, below(&r->rng, n), &id);
		pfn = id * per + below(&r->rng, per);
	}
	return (*tag = inspect_first_tag(r->m, pfn, (pfn / per + 1) * per)) != 0;
}

/* Less than an eighth of the managed pages is free. */
static bool memory_tight(const struct mhp_machine *m)
{
	struct inspect_counters c;
	inspect_counters(m, &c);
	return c.free_pages * 8 < c.totalram_pages;
}

/* Less than half the managed pages is free: the workload stops growing (generate()). */
static bool memory_half_used(const struct mhp_machine *m)
{
	struct inspect_counters c;
	inspect_counters(m, &c);
	return c.free_pages * 2 < c.totalram_pages;
}

/* An allocation of a kind the workload has, mostly small, sometimes a lot to fill zones nearly up. */
static void generate_alloc(struct fuzz_run *r, struct fuzz_op *op)
{
	static const uint8_t weights[] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5 };
	op->op = F_ALLOC;
	op->arg = weights[below(&r->rng, sizeof(weights))];
	op->n = 1 + (uint32_t)(below(&r->rng, 8) ? below(&r->rng, 64) : below(&r->rng, pages_per_block(r->m)));
	if (op->arg == 4)
		op->n = 1 + (uint32_t)below(&r->rng, 4);
	/* A tag still live where they start again ends that allocation early (-EEXIST), as the step says. */
	if (r->next_tag >= tag_limit(r) || op->n > tag_limit(r) - r->next_tag)
		r->next_tag = 1;
	op->a = r->next_tag;
	r->next_tag += op->n;
	r->top_tag = r->next_tag > r->top_tag ? r->next_tag : r->top_tag;
}

/*
 * A run of live tags, often one held in a hot-added block (its workload
 * exits, and the block can go offline again); when memory is tight, often a
 * long run, so that offline and remove go on.
 */
static void generate_free(struct fuzz_run *r, struct fuzz_op *op)
{
	uint64_t per = pages_per_block(r->m);
	uint32_t top = r->top_tag > r->next_tag ? r->top_tag : r->next_tag;   /* over every tag handed out */
	uint32_t from = 1 + (uint32_t)below(&r->rng, top > 1 ? top - 1 : 1), live;
	op->op = F_FREE;
	if (below(&r->rng, 2) && tag_in_block(r, &live)) {
		op->a = live;
		op->n = (uint32_t)per;   /* the whole run: it stops at the first tag not live */
		return;
	}
	op->a = inspect_next_live_tag(r->m, from, &live) || inspect_next_live_tag(r->m, 1, &live) ? live : from;
	/* As long as an allocation: up to a block one time in eight, as alloc asks, and more when memory is tight. */
	bool long_run = below(&r->rng, 8) == 0 || (memory_tight(r->m) && below(&r->rng, 2));
	op->n = 1 + (uint32_t)(long_run ? below(&r->rng, per) : below(&r->rng, 32));
}

/*
 * A requested-size change: up or down by a few units of the device (a
 * subblock or a big block), sometimes to 0 or the whole region; a multiple of
 * the device's block size, as QEMU takes it.
 */
static void virtio_mem_request(struct fuzz_run *r, struct fuzz_op *op)
{
	struct mhp_virtio_mem_info vi;
	op->op = F_VIRTIO_MEM;
	op->n = 0;
	if (mhp_virtio_mem_info(r->m, &vi))
		return;   /* no device: the request fails with ENODEV, as it should */
	uint64_t units = vi.region_size / vi.unit, now = vi.requested / vi.unit, roll = below(&r->rng, 8);
	uint64_t step = 1 + below(&r->rng, below(&r->rng, 2) ? 4 : 2 * block_size(r) / vi.unit + 1);
	uint64_t want = roll == 0 ? 0 : roll == 1 ? units : below(&r->rng, 2) ? now + step : (now > step ? now - step : 0);
	op->a = (want < units ? want : units) * vi.unit;
	/* Now and then a size that is not a whole subblock: the driver plugs what it can. */
	if (below(&r->rng, 8) == 0 && op->a >= vi.unit)
		op->a -= vi.block_size;
}

/* The end of the model's RAM and hot-plug regions, rounded up to a GiB: --zone-device's window starts there. */
static uint64_t device_window(const struct fuzz_run *r)
{
	struct inspect_model mo;
	struct inspect_range h;
	uint64_t end = 0;
	inspect_model(r->model, &mo);
	for (unsigned i = 0; i < mo.nr_ram && inspect_model_range(r->model, INSPECT_RAM, i, &h); i++)
		end = h.start + h.size > end ? h.start + h.size : end;
	for (unsigned i = 0; i < mo.nr_hotplug && inspect_model_range(r->model, INSPECT_HOTPLUG, i, &h); i++)
		end = h.start + h.size > end ? h.start + h.size : end;
	return (end + (1ull << 30) - 1) & ~((1ull << 30) - 1);
}

/*
 * --zone-device: a map of 1 to 4 subsections in a 1 GiB window, often just
 * after a range already mapped, so that two share a section and its memmap;
 * an unmap of a range that is mapped (now and then of one that is not).
 */
static void zone_device_op(struct fuzz_run *r, struct fuzz_op *op)
{
	struct inspect_resource pg;
	unsigned n = 0;
	while (inspect_pgmap(r->m, n, &pg))
		n++;
	op->op = op->op == F_REMOVE && n ? F_MEMUNMAP : F_MEMREMAP;
	op->n = 1 + (uint32_t)below(&r->rng, 4);
	op->a = device_window(r) + (below(&r->rng, ZONE_DEVICE_WINDOW >> ZONE_DEVICE_SHIFT) << ZONE_DEVICE_SHIFT);
	if (n && below(&r->rng, 8) && inspect_pgmap(r->m, (unsigned)below(&r->rng, n), &pg)) {
		/* The unmap of that range, or a map right after it. */
		op->a = op->op == F_MEMUNMAP ? pg.start : pg.end + 1;
		op->n = op->op == F_MEMUNMAP ? (uint32_t)((pg.end + 1 - pg.start) >> ZONE_DEVICE_SHIFT) : op->n;
	}
}

static struct fuzz_op generate(struct fuzz_run *r)
{
	struct fuzz_op op = { 0 };
	uint64_t roll = below(&r->rng, 100);
	uint64_t bs = block_size(r);
	if (roll < 10) {
		op.op = F_ADD;
		uint64_t left, id = pick_hot_block(r, &left);
		op.a = id * bs;
		op.n = 1 + (uint32_t)below(&r->rng, below(&r->rng, 4) ? 2 : 4);
		op.n = left && op.n > left ? (uint32_t)left : op.n;   /* a device's region ends where it ends */
		op.arg = (uint8_t)(below(&r->rng, 3) | (below(&r->rng, 4) ? 0 : 4));
	} else if (roll < 24) {
		static const uint8_t types[] = { 1, 2, 3, 3, 3, 3, 3, 3 };   /* online, online_kernel, online_movable 6 in 8 */
		op.op = F_ONLINE;
		op.a = pick_block(r);
		op.arg = types[below(&r->rng, sizeof(types))];
	} else if (roll < 36) {
		struct inspect_resource res;
		op.op = F_OFFLINE;
		op.a = pick_block(r);
		/* Half the time an online block of something a driver added, so that whole ranges become removable. */
		uint64_t n, id;
		if (below(&r->rng, 2) && pick_added_resource(r, false, &res) && (n = online_blocks(r, &res, 0, &id)))
			online_blocks(r, &res, below(&r->rng, n), &op.a);
		else if (inspect_bootmem_removable(r->m) && below(&r->rng, 4) == 0)
			op.a = pick_boot_block(r, false);   /* the what-if lets boot memory go (mhpsim.bootmem=) */
	} else if (roll < 44) {
		struct inspect_resource res;
		uint64_t left;   /* a remove is clipped to its resource below, not to the region */
		op.op = F_REMOVE;
		op.a = pick_hot_block(r, &left) * bs;
		op.n = 1 + (uint32_t)below(&r->rng, 2);
		if (below(&r->rng, 4) && (pick_added_resource(r, true, &res) || pick_added_resource(r, false, &res))) {
			/* Mostly a range a driver added, whole: what drivers remove, and what lets it be added again. */
			op.a = res.start;
			op.n = (uint32_t)((res.end + 1 - res.start) / bs);
		} else if (inspect_bootmem_removable(r->m) && below(&r->rng, 4) == 0) {
			/* The what-if lets boot memory go (mhpsim.bootmem=): now and then a boot block that is offline. */
			op.a = pick_boot_block(r, true) * bs;
			op.n = 1;
		} else if (below(&r->rng, 16) || much_space_leaked(r)) {
			/*
			 * Else keep inside one resource. A range over two is refused nothing but
			 * keeps both resources (6.12 releases only a single holder), and the
			 * range can never be added again: rarely.
			 */
			op.n = (uint32_t)blocks_in_resource(r->m, op.a, op.n);
		}
	} else if (roll < 64 && !memory_half_used(r->m)) {
		generate_alloc(r, &op);
	} else if (roll < 76) {
		/* When half the memory is in use an allocation frees instead, so workloads come and go over a long run. */
		generate_free(r, &op);
	} else if (roll < 94) {
		op.op = F_TOUCH;
		op.arg = (uint8_t)below(&r->rng, 2);
		op.a = pick_pfn(r);
	} else if (roll < 98) {
		op.op = F_INJECT;
		op.arg = (uint8_t)below(&r->rng, 2);
		op.n = below(&r->rng, 3) ? 0 : (below(&r->rng, 2) ? ENOMEM : EBUSY);
	} else {
		op.op = F_FAIL_ALLOC;
		op.n = 1 + (uint32_t)below(&r->rng, 200);
	}
	if (r->opt->virtio_mem && (op.op == F_ADD || op.op == F_REMOVE))
		virtio_mem_request(r, &op);
	else if (r->opt->zone_device && (op.op == F_ADD || op.op == F_REMOVE) && below(&r->rng, 2))
		zone_device_op(r, &op);
	return op;
}

/* ---- shrinking --------------------------------------------------------------------- */

/* The invariant id at the front of a message ("ZONE-SPAN: ..."). */
static void invariant_of(const char *msg, char *id, size_t cap)
{
	size_t n = strcspn(msg, ":");
	snprintf(id, cap, "%.*s", (int)(n < cap ? n : cap - 1), msg);
}

struct shrink {
	const struct fuzz_run *r;
	const char *want;          /* the invariant to keep breaking */
	unsigned replays;
};

static bool reproduces(struct shrink *s, const struct fuzz_op *ops, uint64_t n)
{
	struct mhp_err err = { 0 };
	char id[32];
	if (s->replays >= SHRINK_BUDGET)
		return false;
	s->replays++;
	if (!replay(s->r, ops, n, NULL, &err))
		return false;
	invariant_of(err.msg, id, sizeof(id));
	return strcmp(id, s->want) == 0;
}

/* ddmin over the operations: drop chunks while the same invariant still breaks. */
static uint64_t shrink_ops(struct shrink *s, struct fuzz_op *ops, uint64_t n)
{
	struct fuzz_op *tmp = malloc(n * sizeof(*ops));
	if (!tmp)
		return n;
	for (uint64_t chunks = 2; n > 1 && s->replays < SHRINK_BUDGET;) {
		uint64_t size = (n + chunks - 1) / chunks;
		bool removed = false;
		for (uint64_t start = 0; start < n && s->replays < SHRINK_BUDGET; start += size) {
			uint64_t end = start + size < n ? start + size : n, k = 0;
			for (uint64_t i = 0; i < n; i++)
				if (i < start || i >= end)
					tmp[k++] = ops[i];
			if (k && reproduces(s, tmp, k)) {
				memcpy(ops, tmp, k * sizeof(*ops));
				n = k;
				chunks = chunks > 2 ? chunks - 1 : 2;
				removed = true;
				break;
			}
		}
		if (!removed) {
			if (size == 1)
				break;
			chunks = chunks * 2 < n ? chunks * 2 : n;
		}
	}
	free(tmp);
	return n;
}

/* Then smaller counts: halve each operation's size while the violation stays. */
static void shrink_sizes(struct shrink *s, struct fuzz_op *ops, uint64_t n)
{
	for (uint64_t i = 0; i < n && s->replays < SHRINK_BUDGET; i++) {
		while (ops[i].n > 1 && ops[i].op != F_INJECT && s->replays < SHRINK_BUDGET) {
			uint32_t old = ops[i].n;
			ops[i].n = old / 2;
			if (!reproduces(s, ops, n)) {
				ops[i].n = old;
				break;
			}
		}
	}
}

/* ---- the scenario file ---------------------------------------------------------------- */

/* One operation as a scenario step, expecting the result it had. */
static void write_step(FILE *f, const struct mhp_machine *m, const struct fuzz_op *op, int result)
{
	struct op_text t;
	struct step st;
	op_step(m, op, &st, &t);
	st.expect_err = result;
	step_write(f, &st);
}

/* Writes the shrunk run as a scenario: the last step breaks the invariant. */
static int write_scenario(const struct fuzz_run *r, const struct fuzz_op *ops, uint64_t n, const char *invariant,
			  char *path, size_t cap, struct mhp_err *err)
{
	int *results = calloc(n ? n : 1, sizeof(int));
	struct mhp_err rerr = { 0 };
	if (!results)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	replay(r, ops, n, results, &rerr);
	snprintf(path, cap, "%s/fuzz-%s-seed%llu.yaml", r->opt->out_dir ? r->opt->out_dir : ".",
		 r->opt->mutant ? r->opt->mutant : "real", (unsigned long long)r->seed);
	char snap_path[600];
	const char *snap_name = NULL;
	if (r->snap) {
		snprintf(snap_path, sizeof(snap_path), "%.*s.snap", (int)(strlen(path) - 5), path);
		snap_name = strrchr(snap_path, '/') ? strrchr(snap_path, '/') + 1 : snap_path;
		if (write_file(snap_path, r->snap, r->snap_len, err)) {
			free(results);
			return err->code;
		}
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		free(results);
		return mhp_err_set(err, -errno, "%s: cannot write: %s", path, strerror(errno));
	}
	struct mhp_machine *m, *twin;
	if (boot(r, &m, &twin, err)) {
		fclose(f);
		free(results);
		return err->code;
	}
	mhp_machine_free(twin);
	const char *diff = r->opt->differential, *strategy = mhp_machine_teardown(m);
	/* A budget is the host's, not the scenario's: the replay needs it given again. */
	char budget[48] = "";
	if (r->opt->max_memory)
		snprintf(budget, sizeof(budget), " --max-memory %llu", (unsigned long long)r->opt->max_memory);
	fprintf(f, "# Found by mhpsim fuzz --seed %llu%s%s%s%s%s%s%s, shrunk to %llu steps.\n", (unsigned long long)r->seed,
		r->opt->mutant ? " --mutant " : "", r->opt->mutant ? r->opt->mutant : "",
		r->opt->teardown ? " --strategy " : "", r->opt->teardown ? r->opt->teardown : "",
		diff ? " --differential " : "", diff ? diff : "", budget, (unsigned long long)n);
	if (diff && strcmp(invariant, "DIFFERENTIAL") == 0 && pagewise_twin(r))
		fprintf(f, "# Replay: mhpsim run --json %s; mhpsim run --json --pagewise %s  (they differ)\n", path, path);
	else if (diff && strcmp(invariant, "DIFFERENTIAL") == 0)
		fprintf(f, "# Replay: mhpsim diff%s%s %s %s %s  (they disagree)\n", r->opt->mutant ? " --mutant " : "",
			r->opt->mutant ? r->opt->mutant : "", path, strategy, diff);
	else
		fprintf(f, "# Replay: mhpsim run%s %s  (breaks %s)\n", budget, path, invariant);
	fprintf(f, "scenario: fuzz-seed-%llu\n", (unsigned long long)r->seed);
	if (r->snap)   /* the run started from a snapshot: so does its replay, from a copy beside it */
		fprintf(f, "snapshot: %s\n", snap_name);
	else
		fprintf(f, "model: %s\n", mhp_model_name(r->model));
	if (r->opt->cmdline && !r->snap)
		fprintf(f, "cmdline: \"%s\"\n", r->opt->cmdline);
	if (!r->snap)   /* as the fuzzer booted (a snapshot keeps its own setting) */
		fprintf(f, "kernel_allocations: false\n");
	if (r->opt->teardown || !r->snap)
		fprintf(f, "teardown: %s\n", strategy);
	/* Differential: the mutant breaks one side only, given to mhpsim diff; against pagewise, both. */
	if (r->opt->mutant && (!diff || pagewise_twin(r)))
		fprintf(f, "mutant: %s\n", r->opt->mutant);
	fprintf(f, "steps:\n");
	if (!r->snap)
		fprintf(f, "  - offline_retries: %d\n  - modprobe: { module: memory-notifier-error-inject }\n",
			FUZZ_OFFLINE_RETRIES);
	for (uint64_t i = 0; i < n; i++)
		write_step(f, m, &ops[i], results[i]);
	mhp_machine_free(m);
	free(results);
	if (fclose(f))
		return mhp_err_set(err, -EIO, "%s: write failed", path);
	return 0;
}

/* ---- the run ---------------------------------------------------------------------------- */

static int load_model(const struct mhp_fuzz_options *opt, struct mhp_model **model, struct mhp_err *err)
{
	struct inspect_model mo = { 0 };
	int ret = mhp_model_load_named(opt->model ? opt->model : "qemu-virt-arm64-4k", opt->models_dir, model, err);
	if (!ret)
		inspect_model(*model, &mo);
	if (!ret && !mo.nr_hotplug) {
		mhp_model_free(*model);
		ret = mhp_err_set(err, -EINVAL, "model %s has no hot-pluggable region to fuzz", opt->model);
	}
	return ret;
}

/* Generates and runs steps until limit or a violation (its 1-based step, else 0); *ran counts them. */
static uint64_t fuzz_loop(struct fuzz_run *r, struct fuzz_op *ops, uint64_t limit, struct mhp_fuzz_result *res,
			  uint64_t *ran, struct mhp_err *verr)
{
	uint64_t i = 0, found = 0;
	for (; i < limit && !found; i++) {
		ops[i] = generate(r);
		int ret;
		if (run_step(r, r->m, r->m2, &ops[i], r->base + i + 1, &ret, verr))
			found = i + 1;
		if (res) {
			res->ops_tried[ops[i].op]++;
			res->ops_ok[ops[i].op] += ret == 0;
		}
		if (res && r->opt->progress && (i + 1) % 1024 == 0)
			r->opt->progress(i + 1, r->opt->steps, r->opt->progress_ctx);
	}
	*ran = i;
	return found;
}

/* The machine a run starts from, and the generator's state: a fresh boot, or a snapshot. */
/* The directory a shrunk scenario goes to, made if it is missing: checked before the run, not after its shrinking. */
static int out_dir_ready(const char *dir, struct mhp_err *err)
{
	struct stat st;
	if (!dir || (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
		return 0;
	if (mkdir(dir, 0777) == 0)
		return 0;
	return mhp_err_set(err, -errno, "--out %s: cannot make the directory: %s", dir, strerror(errno));
}

static int start_run(struct fuzz_run *r, const struct mhp_fuzz_options *opt, struct mhp_err *err)
{
	*r = (struct fuzz_run){ .opt = opt, .seed = opt->seed, .rng = opt->seed * 0x9e3779b97f4a7c15ull + 1,
				.next_tag = 1 };
	if (!opt->load_snapshot) {
		int ret = load_model(opt, (struct mhp_model **)&r->model, err);
		if (!ret && (ret = boot(r, &r->m, &r->m2, err)))
			mhp_model_free((struct mhp_model *)r->model);
		return ret;
	}
	uint8_t *buf;
	size_t len;
	struct fuzz_state st = { 0 };
	int ret = inspect_snapshot_read_file(opt->load_snapshot, &buf, &len, err);
	if (ret)
		return ret;
	r->snap = buf;
	r->snap_len = len;
	ret = boot_state(r, &r->m, &st, false, err);
	if (!ret && opt->differential && (ret = boot_state(r, &r->m2, &st, true, err)))
		mhp_machine_free(r->m), r->m = NULL;
	struct mhp_model *model = ret ? NULL : inspect_model_dup(r->m);
	if (!ret && !model)
		ret = mhp_err_set(err, -ENOMEM, "out of memory");
	if (!ret && st.magic != FUZZ_STATE_MAGIC)
		ret = mhp_err_set(err, -EINVAL, "%s: a machine snapshot, but not one saved by mhpsim fuzz",
				  opt->load_snapshot);
	if (ret) {
		mhp_machine_free(r->m);
		mhp_machine_free(r->m2);
		free(model);
		free(buf);
		return ret;
	}
	r->model = model;
	r->seed = st.seed;
	r->rng = st.rng;
	r->next_tag = st.next_tag;
	r->top_tag = st.top_tag;
	r->live_tags = st.live_tags;
	r->base = st.base;
	return 0;
}

static void end_run(struct fuzz_run *r)
{
	mhp_machine_free(r->m);
	mhp_machine_free(r->m2);
	mhp_model_free((struct mhp_model *)r->model);
	free((void *)r->snap);
}

/* Saves the machine with the generator's state, steps_done after the run's start. */
static int save_run(const struct fuzz_run *r, uint64_t steps_done, struct mhp_err *err)
{
	struct fuzz_state st = { .magic = FUZZ_STATE_MAGIC, .seed = r->seed, .rng = r->rng,
				 .live_tags = r->live_tags, .base = r->base + steps_done, .next_tag = r->next_tag,
				 .top_tag = r->top_tag };
	uint8_t *buf = NULL;
	size_t len;
	int ret = inspect_snapshot_encode(r->m, &st, sizeof(st), &buf, &len, err);
	if (!ret)
		ret = write_file(r->opt->save_snapshot, buf, len, err);
	free(buf);
	return ret;
}

/* The state just before the step that broke an invariant: the same run again, one step short. */
static int save_before(const struct mhp_fuzz_options *opt, uint64_t found, struct mhp_err *err)
{
	struct fuzz_run r;
	struct mhp_err verr = { 0 };
	uint64_t ran;
	struct fuzz_op *ops = malloc((found ? found : 1) * sizeof(*ops));
	int ret = ops ? start_run(&r, opt, err) : mhp_err_set(err, -ENOMEM, "out of memory");
	if (!ret) {
		if (fuzz_loop(&r, ops, found - 1, NULL, &ran, &verr))
			ret = mhp_err_set(err, -EINVAL, "the run did not repeat itself: %s", verr.msg);
		else
			ret = save_run(&r, ran, err);
		end_run(&r);
	}
	free(ops);
	return ret;
}

static void found_violation(struct fuzz_run *r, struct fuzz_op *ops, uint64_t n, const struct mhp_err *verr,
			    struct mhp_fuzz_result *res, struct mhp_err *err)
{
	res->violation = 1;
	res->found_at = r->base + n;
	snprintf(res->message, sizeof(res->message), "%s", verr->msg);
	invariant_of(verr->msg, res->invariant, sizeof(res->invariant));
	struct shrink s = { .r = r, .want = res->invariant };
	n = shrink_ops(&s, ops, n);
	shrink_sizes(&s, ops, n);
	res->shrunk_steps = (unsigned)n;
	res->replays = s.replays;
	write_scenario(r, ops, n, res->invariant, res->scenario_path, sizeof(res->scenario_path), err);
}

int mhp_fuzz(const struct mhp_fuzz_options *opt, struct mhp_fuzz_result *res, struct mhp_err *err)
{
	struct fuzz_run r;
	memset(res, 0, sizeof(*res));
	if (opt->steps > FUZZ_MAX_OPS)
		return mhp_err_set(err, -E2BIG, "at most %u steps per run", FUZZ_MAX_OPS);
	if (out_dir_ready(opt->out_dir, err))
		return err->code;
	struct fuzz_op *ops = malloc((opt->steps ? opt->steps : 1) * sizeof(*ops));
	if (!ops)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	int ret = start_run(&r, opt, err);
	if (ret) {
		free(ops);
		return ret;
	}
	struct mhp_err verr = { 0 };
	uint64_t ran;
	struct inspect_counters c0, c1;
	inspect_counters(r.m, &c0);
	uint64_t found = fuzz_loop(&r, ops, opt->steps, res, &ran, &verr);
	inspect_counters(r.m, &c1);
	res->page_writes = c1.page_writes - c0.page_writes;
	res->pages_migrated = c1.migrated - c0.migrated;
	if (!found && ran && final_check_due(&r, ran) && mhp_check_all(r.m, &verr))
		found = ran;
	res->steps_run = ran;
	res->seed = r.seed;
	res->state_hash = mhp_machine_state_hash(r.m);
	res->trace_hash = mhp_trace_hash(r.m);
	if (opt->save_snapshot)
		ret = found ? save_before(opt, found, err) : save_run(&r, ran, err);
	if (found)
		found_violation(&r, ops, found, &verr, res, err);
	end_run(&r);
	free(ops);
	return ret;
}
