// SPDX-License-Identifier: GPL-2.0-only
/*
 * scenario.c - scenario files: parse them, replay them, check every step.
 *
 * A scenario names a model and a kernel command line, then lists steps that
 * mirror what a person or a driver does on a real machine, each with what the
 * kernel is expected to answer. Format: docs/scenarios.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "census.h"
#include "util.h"
#include "strbuf.h"
#include "step.h"
#include "yamltree.h"

#define SCENARIO_MAX_STEPS 10000u

struct mhp_scenario {
	char teardown[16];
	char mutant[40];
	char file[512];
	char name[64];
	char cmdline[512];
	bool has_cmdline, has_teardown;
	bool no_bootmem_notifier;
	bool memory_probe;          /* CONFIG_ARCH_MEMORY_PROBE for this run (mhp_boot_args.memory_probe) */
	bool no_kernel_allocations;   /* kernel_allocations: false */
	uint8_t *snap;              /* snapshot: the machine starts from these bytes instead of a boot */
	size_t snap_len;
	uint64_t seed;
	struct mhp_model *model;
	struct step *steps;
	unsigned nsteps;
};

struct parse_ctx {
	struct ydoc *doc;
	struct mhp_scenario *sc;
	struct mhp_err *err;
};

/* ---- parsing ---------------------------------------------------------------- */

static void scenario_dir(const struct mhp_scenario *sc, char *dir, size_t cap)
{
	snprintf(dir, cap, "%s", sc->file);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, cap, ".");
}

/* Finds models/<name>.yaml along models_search_path(): models_dir, beside the scenario's tree, ... */
static int find_model(struct parse_ctx *c, const struct ynode *n, const char *models_dir, char *path, size_t cap)
{
	const char *name = n->str;
	if (strlen(name) > 63)
		return yerr(c->doc, n, c->err, "model: a model name is at most 63 bytes");
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name))
		return yerr(c->doc, n, c->err, "model: expected a model name (letters, digits, - and _), found '%s'",
			    name);
	char dir[512];
	struct mhp_err e = { 0 };
	scenario_dir(c->sc, dir, sizeof(dir));
	if (models_find(name, models_dir, dir, path, cap, &e))
		return yerr(c->doc, n, c->err, "%s", e.msg);
	return 0;
}

/*
 * snapshot: FILE (relative to the scenario's directory): the steps start from
 * a saved machine, which also gives the model; a boot's keys make no sense then.
 */
static int parse_snapshot(struct parse_ctx *c, const struct ynode *root, const struct ynode *v)
{
	static const char *const boot_keys[] = { "model", "cmdline", "seed", "bootmem_notifier", "kernel_allocations" };
	struct mhp_scenario *sc = c->sc;
	char name[400], dir[512], path[1000];
	for (size_t i = 0; i < ARRAY_SIZE(boot_keys); i++)
		if (ymap_get(root, boot_keys[i]))
			return yerr(c->doc, ymap_get(root, boot_keys[i]), c->err,
				    "%s: a scenario that starts from a snapshot boots nothing; remove '%s'", boot_keys[i],
				    boot_keys[i]);
	int ret = yget_str(c->doc, v, "snapshot", name, sizeof(name), c->err);
	if (ret)
		return ret;
	scenario_dir(sc, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s%s%s", name[0] == '/' ? "" : dir, name[0] == '/' ? "" : "/", name);
	struct mhp_err lerr;
	struct mhp_machine *m = NULL;
	if (inspect_snapshot_read_file(path, &sc->snap, &sc->snap_len, &lerr) ||
	    mhp_machine_load_buffer(sc->snap, sc->snap_len, path, NULL, NULL, &m, &lerr))
		return yerr(c->doc, v, c->err, "snapshot: %s", lerr.msg);
	sc->model = inspect_model_dup(m);
	mhp_machine_free(m);
	return sc->model ? 0 : mhp_err_set(c->err, -ENOMEM, "out of memory");
}

static int parse_scenario(struct parse_ctx *c, const char *models_dir)
{
	static const char *const top_keys[] = { "scenario", "description", "model", "cmdline", "seed", "teardown",
						"bootmem_notifier", "kernel_allocations", "memory_probe", "mutant", "snapshot",
						"steps",
						NULL };
	const char *teardowns[17] = { NULL };   /* the registry's names: a new strategy needs no edit here */
	for (unsigned i = 0; i + 1 < ARRAY_SIZE(teardowns) && mhp_teardown_strategy_name(i); i++)
		teardowns[i] = mhp_teardown_strategy_name(i);
	struct ynode *root = c->doc->root, *v, *steps;
	struct mhp_scenario *sc = c->sc;
	char model_path[1200];

	int ret = yexpect(c->doc, root, Y_MAP, "scenario file", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, root, "scenario", top_keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, root, "scenario", "scenario", &v, c->err);
	if (!ret)
		ret = yget_str(c->doc, v, "scenario", sc->name, sizeof(sc->name), c->err);
	if (!ret && (v = ymap_get(root, "description")))
		ret = yexpect(c->doc, v, Y_SCALAR, "description", c->err);
	if (!ret && (v = ymap_get(root, "cmdline"))) {
		sc->has_cmdline = true;
		ret = yget_str(c->doc, v, "cmdline", sc->cmdline, sizeof(sc->cmdline), c->err);
	}
	if (!ret && (v = ymap_get(root, "seed")))
		ret = yget_u64(c->doc, v, "seed", 0, UINT64_MAX, &sc->seed, c->err);
	if (!ret && (v = ymap_get(root, "mutant")))
		ret = yget_str(c->doc, v, "mutant", sc->mutant, sizeof(sc->mutant), c->err);
	if (!ret && (v = ymap_get(root, "bootmem_notifier"))) {
		bool on = true;
		ret = yget_bool(c->doc, v, "bootmem_notifier", &on, c->err);
		sc->no_bootmem_notifier = !on;
	}
	if (!ret && (v = ymap_get(root, "memory_probe"))) {
		bool on = false;
		ret = yget_bool(c->doc, v, "memory_probe", &on, c->err);
		sc->memory_probe = on;
	}
	if (!ret && (v = ymap_get(root, "kernel_allocations"))) {
		bool on = true;
		ret = yget_bool(c->doc, v, "kernel_allocations", &on, c->err);
		sc->no_kernel_allocations = !on;
	}
	if (!ret && (v = ymap_get(root, "teardown"))) {
		int t;
		if (!(ret = yget_enum(c->doc, v, "teardown", teardowns, &t, c->err)))
			snprintf(sc->teardown, sizeof(sc->teardown), "%s", teardowns[t]);
		sc->has_teardown = true;
	}
	if (!ret && (v = ymap_get(root, "snapshot")))
		ret = parse_snapshot(c, root, v);
	else if (!ret)
		ret = ymap_need(c->doc, root, "scenario", "model", &v, c->err);
	if (!ret && !sc->snap)
		ret = yexpect(c->doc, v, Y_SCALAR, "model", c->err);
	if (!ret && !sc->snap)
		ret = find_model(c, v, models_dir, model_path, sizeof(model_path));
	if (!ret && !sc->snap)
		ret = mhp_model_load(model_path, &sc->model, c->err);
	if (!ret)
		ret = ymap_need(c->doc, root, "scenario", "steps", &steps, c->err);
	if (!ret)
		ret = yexpect(c->doc, steps, Y_SEQ, "steps", c->err);
	if (ret)
		return ret;
	if (steps->n == 0 || steps->n > SCENARIO_MAX_STEPS)
		return yerr(c->doc, steps, c->err, "steps: expected 1 to %u steps, found %u", SCENARIO_MAX_STEPS, steps->n);
	sc->steps = calloc(steps->n, sizeof(*sc->steps));
	if (!sc->steps)
		return mhp_err_set(c->err, -ENOMEM, "out of memory");
	for (unsigned i = 0; i < steps->n; i++) {
		sc->nsteps++;
		ret = step_parse(&(struct step_parse){ .doc = c->doc, .err = c->err }, steps->items[i], &sc->steps[i]);
		if (ret)
			return ret;
		/* A step that breaks an invariant on purpose ends the scenario: nothing after it can be trusted. */
		if (sc->steps[i].violates[0] && i + 1 < steps->n)
			return yerr(c->doc, steps->items[i + 1], c->err, "no step may follow one with 'violates'");
	}
	return 0;
}

/* Builds a scenario from a loaded document, which it frees; the file or buffer name comes from it. */
static int scenario_from_doc(struct ydoc *doc, const char *models_dir, struct mhp_scenario **out,
			     struct mhp_err *err)
{
	struct mhp_scenario *sc = calloc(1, sizeof(*sc));
	if (!sc) {
		ydoc_free(doc);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	snprintf(sc->file, sizeof(sc->file), "%s", doc->file);
	struct parse_ctx c = { .doc = doc, .sc = sc, .err = err };
	int ret = parse_scenario(&c, models_dir);
	ydoc_free(doc);
	if (ret) {
		mhp_scenario_free(sc);
		return ret;
	}
	*out = sc;
	return 0;
}

int mhp_scenario_load(const char *path, const char *models_dir, struct mhp_scenario **out, struct mhp_err *err)
{
	struct ydoc doc;
	*out = NULL;
	int ret = ydoc_load(path, &doc, err);
	if (ret)
		return ret;
	return scenario_from_doc(&doc, models_dir, out, err);
}

int mhp_scenario_load_buffer(const void *buf, size_t len, const char *name, const char *models_dir,
			     struct mhp_scenario **out, struct mhp_err *err)
{
	struct ydoc doc;
	*out = NULL;
	int ret = ydoc_load_buffer(buf, len, name ? name : "<scenario>", &doc, err);
	if (ret)
		return ret;
	return scenario_from_doc(&doc, models_dir, out, err);
}

void mhp_scenario_free(struct mhp_scenario *sc)
{
	if (!sc)
		return;
	for (unsigned i = 0; i < sc->nsteps; i++)
		step_free(&sc->steps[i]);
	free(sc->steps);
	free(sc->snap);
	mhp_model_free(sc->model);
	free(sc);
}

/* ---- replay ------------------------------------------------------------------- */

struct run {
	const struct mhp_scenario *sc;
	const struct mhp_run_options *opt;
	struct mhp_machine *m;
	struct mhp_err *err;
	char *buf;              /* STEP_BUF_MAX bytes for file contents */
	unsigned step;          /* 1-based number of the step running */
	int result;             /* the errno of the step's action (0: ok, or no action) */
	uint64_t log_mark;      /* MHP_OUT_OBSERVE: the first log line not yet observed */
	struct narration *nar;  /* MHP_OUT_NARRATE */
};

/* MHP_OUT_NARRATE's state: a run of events of one kind is shown by its first few. */
#define NARRATE_RUN_SHOWN 3
#define NARRATE_MAX_FUNCTIONS 64

struct narration {
	unsigned boot_events;
	bool stepped;
	char run_type[32];
	unsigned run_len;
	char run_last[640];     /* a long run's last event, shown after the count of those in between */
	const char *functions[NARRATE_MAX_FUNCTIONS];   /* as first named, for the list at the end */
	unsigned nfunctions;
};

static void narrate_flush_run(struct narration *n, FILE *out)
{
	if (n->run_len > NARRATE_RUN_SHOWN + 1)
		fprintf(out, "    ... %u more like these ...\n", n->run_len - NARRATE_RUN_SHOWN - 1);
	if (n->run_len > NARRATE_RUN_SHOWN)
		fputs(n->run_last, out);
	n->run_len = 0;
	n->run_type[0] = 0;
}

/* "online_pages() mm/memory_hotplug.c" -> "online_pages", remembered for the list at the end. */
static void narrate_name(struct narration *n, const char *fn, char *name, size_t cap)
{
	size_t len = strcspn(fn, "(");
	snprintf(name, cap, "%.*s", (int)len, fn);
	for (unsigned i = 0; i < n->nfunctions; i++)
		if (strcmp(n->functions[i], fn) == 0)
			return;
	if (n->nfunctions < NARRATE_MAX_FUNCTIONS)
		n->functions[n->nfunctions++] = fn;
}

static void narrate_event(struct run *r, const struct mhp_trace_event *ev)
{
	struct narration *n = r->nar;
	FILE *out = r->opt->out;
	if (!n->stepped && strcmp(ev->type, "step") != 0) {
		n->boot_events++;
		return;
	}
	if (strcmp(ev->type, "step") == 0) {
		narrate_flush_run(n, out);
		const char *what = strstr(ev->text, "): ");
		what = what ? what + 3 : ev->text;
		if (what[0] == '#')
			fprintf(out, "\n> %s\n", what + 2);
		else
			fprintf(out, "\nstep %llu: %s\n", (unsigned long long)ev->fields[0].num, what);
		return;
	}
	if (strcmp(ev->type, "step_result") == 0) {
		narrate_flush_run(n, out);
		fprintf(out, "  %s\n", ev->text);
		return;
	}
	if (strcmp(ev->type, n->run_type) != 0) {
		narrate_flush_run(n, out);
		snprintf(n->run_type, sizeof(n->run_type), "%s", ev->type);
	}
	const char *fn = mhp_machine_trace_function(r->m, ev);
	char name[64] = "";
	if (fn)
		narrate_name(n, fn, name, sizeof(name));
	snprintf(n->run_last, sizeof(n->run_last), "    %s%s%s\n", name, fn ? "(): " : "", ev->text);
	if (++n->run_len <= NARRATE_RUN_SHOWN)
		fputs(n->run_last, out);
}

/* Boot is over: its events were counted, not shown. */
static void narrate_booted(struct run *r)
{
	fprintf(r->opt->out, "boot: %u events (mhpsim run shows them)\n", r->nar->boot_events);
	r->nar->stepped = true;
}

/* The end of a narration: the kernel functions it named, with their files. */
static void narrate_end(struct run *r)
{
	struct narration *n = r->nar;
	narrate_flush_run(n, r->opt->out);
	if (!n->nfunctions)
		return;
	fprintf(r->opt->out, "\nkernel functions named above (Linux 6.12):\n");
	for (unsigned i = 0; i < n->nfunctions; i++)
		fprintf(r->opt->out, "  %s\n", n->functions[i]);
}

static void sink(const struct mhp_trace_event *ev, void *ctx)
{
	struct run *r = ctx;
	if (r->opt->output == MHP_OUT_QUIET || r->opt->output == MHP_OUT_OBSERVE || r->opt->output == MHP_OUT_CENSUS ||
	    !r->opt->out)
		return;
	if (r->opt->output == MHP_OUT_NARRATE) {
		narrate_event(r, ev);
		return;
	}
	if (r->opt->output == MHP_OUT_JSON) {
		char json[4096];
		int n = mhp_trace_format_json(ev, json, sizeof(json));
		(void)n;
		fprintf(r->opt->out, "%s\n", json);
		return;
	}
	/* Steps flush left, their results under them, the events they caused indented. */
	const char *indent = strcmp(ev->type, "step") == 0 ? "" : strcmp(ev->type, "step_result") == 0 ? "  " : "    ";
	fprintf(r->opt->out, "%s%s\n", indent, ev->text);
}

/* A step failure: "file:line:col: step N (kind): <what>". */
static int step_fail(struct run *r, const struct step *st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int step_fail(struct run *r, const struct step *st, const char *fmt, ...)
{
	struct step_env env = { .err = r->err, .file = r->sc->file, .step = r->step };
	va_list ap;
	va_start(ap, fmt);
	int ret = step_vfail_at(&env, st, st->line, st->col, fmt, ap);
	va_end(ap);
	return ret;
}

/* Copies an error's message out, so that a new message can wrap the old one. */
static const char *err_copy(const struct mhp_err *err, char copy[MHP_ERR_MSG_MAX])
{
	memcpy(copy, err->msg, MHP_ERR_MSG_MAX);
	return copy;
}

static const char *result_name(int ret)
{
	return ret ? mhp_errno_name(ret) : "ok";
}

static int check_result(struct run *r, const struct step *st, int ret)
{
	if (st->expect_err == EXPECT_ANY || ret == st->expect_err)
		return 0;
	return step_fail(r, st, "expected %s, got %s", result_name(st->expect_err), result_name(ret));
}

/* The kernel log lines the step printed must be exactly the expected ones. */
static int check_log(struct run *r, const struct step *st, uint64_t first)
{
	uint64_t count = mhp_log_count(r->m) - first;
	for (unsigned i = 0; i < st->nlog; i++) {
		const char *line = i < count ? mhp_log_line(r->m, first + i, NULL) : NULL;
		if (!line || strcmp(line, st->log[i]) != 0)
			return step_fail(r, st, "log line %u: expected \"%s\", got %s%s%s", i + 1, st->log[i],
					 line ? "\"" : "", line ? line : "no line", line ? "\"" : "");
	}
	if (count > st->nlog)
		return step_fail(r, st, "unexpected log line %u: \"%s\"", st->nlog + 1,
				 mhp_log_line(r->m, first + st->nlog, NULL));
	return 0;
}

/* A step begins: one trace event, so JSON readers see step boundaries too. */
static void announce(struct run *r, const struct step *st)
{
	char what[600];
	step_describe(st, what, sizeof(what));
	struct mhp_trace_field f[] = { { .key = "step", .num = r->step }, { .key = "line", .num = st->line },
				       { .key = "kind", .str = step_table[st->kind].word } };
	mhp_trace_emit(r->m, "step", f, ARRAY_SIZE(f), "step %u (line %u): %s", r->step, st->line, what);
}

/* The step's action or check; an action's result is traced, then checked against expect. */
static int run_step(struct run *r, const struct step *st)
{
	/* What a read read: shown under its step in a narration and a plain run, a JSON line in --json. */
	bool shown = r->opt->output == MHP_OUT_NARRATE || r->opt->output == MHP_OUT_TEXT;
	struct step_env env = { .m = r->m, .err = r->err, .file = r->sc->file, .step = r->step, .buf = r->buf,
				.narrate = shown ? r->opt->out : NULL,
				.json = r->opt->output == MHP_OUT_JSON ? r->opt->out : NULL };
	int ret = step_table[st->kind].run(&env, st);
	/* A refusal of the host's budget is the simulator's limit, not the kernel's answer: the run stops. */
	const char *over = mhp_machine_host_check(r->m);
	if (over)
		return step_fail(r, st, "%s", over);
	if (env.failed || step_table[st->kind].expect != EXPECT_ERRNO)
		return ret;
	struct mhp_trace_field f[] = { { .key = "step", .num = r->step }, { .key = "result", .str = result_name(ret) } };
	mhp_trace_emit(r->m, "step_result", f, ARRAY_SIZE(f), "=> %s%s%s", result_name(ret), ret && env.op_err.msg[0] ? ": " : "",
	      ret ? env.op_err.msg : "");
	r->result = ret;
	if (ret == -EUCLEAN)   /* the model caught its own inconsistency mid-step: an invariant, not a result */
		return step_fail(r, st, "invariant %s", env.op_err.msg);
	return check_result(r, st, ret);
}

#define BOOT_CACHE_MAX 64
#define BOOT_KEY_MAX 2048

struct mhp_boot_cache {
	struct {
		char key[BOOT_KEY_MAX];
		void *snap;
		size_t len;
	} e[BOOT_CACHE_MAX];
	unsigned n;
};

struct mhp_boot_cache *mhp_boot_cache_new(void)
{
	return calloc(1, sizeof(struct mhp_boot_cache));
}

void mhp_boot_cache_free(struct mhp_boot_cache *c)
{
	for (unsigned i = 0; c && i < c->n; i++)
		free(c->e[i].snap);
	free(c);
}

/* What decides a booted machine: the model file, and every boot argument; false if that does not fit. */
static bool boot_key(const struct mhp_scenario *sc, const struct mhp_boot_args *args, char *key, size_t cap)
{
	int n = snprintf(key, cap, "%s|%s|%s|%llu|%d|%d|%d|%llu", mhp_model_name(sc->model), mhp_model_path(sc->model),
			 args->cmdline, (unsigned long long)args->seed, args->no_bootmem_notifier,
			 args->no_kernel_allocations, args->memory_probe, (unsigned long long)args->max_memory);
	return n > 0 && (size_t)n < cap;
}

/* Boots, or loads the machine the cache kept for the same model and arguments (and keeps a new one). */
static int boot_cached(struct run *r, const struct mhp_boot_args *args)
{
	struct mhp_boot_cache *c = r->opt->output == MHP_OUT_QUIET ? r->opt->boot_cache : NULL;
	char key[BOOT_KEY_MAX];
	if (!c || !boot_key(r->sc, args, key, sizeof(key)))
		return mhp_machine_boot(r->sc->model, args, &r->m, r->err);
	for (unsigned i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0) {
			int ret = mhp_machine_load_buffer(c->e[i].snap, c->e[i].len, r->sc->file, sink, r, &r->m, r->err);
			if (!ret)
				mhp_machine_set_max_memory(r->m, args->max_memory);
			return ret;
		}
	struct mhp_err serr = { 0 };   /* a machine the cache cannot keep is booted again next time: no error */
	int ret = mhp_machine_boot(r->sc->model, args, &r->m, r->err);
	if (!ret && c->n < BOOT_CACHE_MAX && !mhp_machine_save_buffer(r->m, &c->e[c->n].snap, &c->e[c->n].len, &serr)) {
		memcpy(c->e[c->n].key, key, sizeof(key));
		c->n++;
	}
	return ret;
}

static int boot_machine(struct run *r)
{
	char inner[MHP_ERR_MSG_MAX];
	const struct mhp_scenario *sc = r->sc;
	struct inspect_model mo;
	inspect_model(sc->model, &mo);
	const char *cmdline = sc->has_cmdline ? sc->cmdline : mo.cmdline;
	char joined[1024];
	if (r->opt->cmdline_append) {
		if ((size_t)snprintf(joined, sizeof(joined), "%s%s%s", cmdline, *cmdline ? " " : "", r->opt->cmdline_append) >=
		    sizeof(joined))
			return mhp_err_set(r->err, -E2BIG, "kernel command line longer than %zu bytes", sizeof(joined) - 1);
		cmdline = joined;
	}
	bool text = (r->opt->output == MHP_OUT_TEXT || r->opt->output == MHP_OUT_NARRATE) && r->opt->out;
	int ret;
	if (sc->snap) {
		if (text)
			fprintf(r->opt->out, "scenario %s: from a snapshot of model %s\n", sc->name, mhp_model_name(sc->model));
		ret = mhp_machine_load_buffer(sc->snap, sc->snap_len, sc->file, sink, r, &r->m, r->err);
		if (!ret)
			mhp_machine_set_max_memory(r->m, r->opt->max_memory);
	} else {
		if (text)
			fprintf(r->opt->out, "scenario %s: model %s, cmdline \"%s\", teardown %s\n%s", sc->name,
				mhp_model_name(sc->model), cmdline, r->opt->teardown ? r->opt->teardown
				: sc->teardown[0] ? sc->teardown : mhp_model_teardown(sc->model),
				r->opt->output == MHP_OUT_TEXT ? "boot:\n" : "");
		struct mhp_boot_args args = { .cmdline = cmdline, .seed = sc->seed, .sink = sink, .sink_ctx = r,
					      .no_bootmem_notifier = sc->no_bootmem_notifier,
					      .no_kernel_allocations = sc->no_kernel_allocations,
					      .memory_probe = sc->memory_probe,
					      .max_memory = r->opt->max_memory };
		ret = boot_cached(r, &args);
	}
	if (ret)
		return mhp_err_set(r->err, ret, "%s:1:1: error: boot failed: %s", sc->file, err_copy(r->err, inner));
	const char *teardown = r->opt->teardown ? r->opt->teardown : sc->teardown[0] ? sc->teardown : NULL;
	/* A snapshot keeps its own strategy, and a machine its arch's first, unless the scenario or the caller names one. */
	int tret = teardown ? mhp_machine_set_teardown(r->m, teardown) : 0;
	if (tret)
		return mhp_teardown_error(r->m, r->err, tret, teardown);
	mhp_machine_set_pagewise(r->m, r->opt->pagewise);
	const char *mutant = r->opt->mutant ? r->opt->mutant : sc->mutant[0] ? sc->mutant : NULL;
	if (mutant && mhp_machine_set_mutant(r->m, mutant))
		return mhp_err_set(r->err, -EINVAL, "unknown mutant '%s'", mutant);
	ret = mhp_check_all(r->m, r->err);
	if (ret)
		return mhp_err_set(r->err, ret, "%s:1:1: after boot: invariant %s", sc->file, err_copy(r->err, inner));
	return 0;
}

/*
 * What a read step read, its lines joined by " | ", as the reference lane's
 * driver prints it: "output: " then the lines, empty ones too ("\n" reads as
 * one empty line, an empty file as none: both print "output: ").
 */
static void observe_output(struct run *r, const struct step *st)
{
	ssize_t n = step_table[st->kind].read(r->m, st->path, r->buf, STEP_BUF_MAX);
	if (n < 0) {
		fprintf(r->opt->out, "output: error %s\n", mhp_errno_name((int)n));
		return;
	}
	size_t len = (size_t)n < STEP_BUF_MAX ? (size_t)n : STEP_BUF_MAX - 1;   /* a longer file was cut */
	fprintf(r->opt->out, "output: ");
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(r->buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - r->buf) : len;
		fprintf(r->opt->out, "%s%.*s", i ? " | " : "", (int)(end - i), r->buf + i);
		i = end + 1;
	}
	fputc('\n', r->opt->out);
}

/* MHP_OUT_OBSERVE: the step's heading and result, then the machine as the reference lane observes it. */
static void observe_step(struct run *r, const struct step *st)
{
	char *raw = NULL, what[600];
	size_t len = 0;
	FILE *f = open_memstream(&raw, &len);
	if (!f)
		return;
	mhp_observe_raw(r->m, &r->log_mark, f);
	fclose(f);
	if (st)
		step_describe(st, what, sizeof(what));
	fprintf(r->opt->out, "### step %u: %s\n", st ? r->step : 0, st ? what : "boot");
	if (r->result)
		fprintf(r->opt->out, "result: error %s (%s)\n", mhp_errno_name(r->result), strerror(-r->result));
	else
		fprintf(r->opt->out, "result: ok\n");
	if (st && step_table[st->kind].read)
		observe_output(r, st);
	struct mhp_virtio_mem_info vi;   /* what QMP qom-get shows of the device, as the reference lane asks it */
	if (!mhp_virtio_mem_info(r->m, &vi))
		fprintf(r->opt->out, "virtio-mem vm0: requested-size=%lluM size=%lluM\n",
			(unsigned long long)(vi.requested >> 20), (unsigned long long)(vi.plugged >> 20));
	(st ? mhp_observe_format : mhp_observe_format_boot)(raw, len, r->opt->out);
	fputc('\n', r->opt->out);
	free(raw);
}

/* MHP_OUT_CENSUS: the step's heading, then the page census (harness/census.c). */
static void census_step(struct run *r, const struct step *st)
{
	char what[600];
	if (st)
		step_describe(st, what, sizeof(what));
	fprintf(r->opt->out, "### step %u: %s\n", st ? r->step : 0, st ? what : "boot");
	harness_census(r->m, r->opt->out);
}

/* The model's one virtio-mem region: the device the reference lane plugs through. */
static bool virtio_mem_region(const struct mhp_model *mo, struct inspect_range *vm)
{
	for (unsigned i = 0; inspect_model_range(mo, INSPECT_HOTPLUG, i, vm); i++)
		if (strcmp(vm->name, "virtio_mem") == 0)
			return true;
	return false;
}

int mhp_scenario_reference_steps(const struct mhp_scenario *sc, FILE *out, struct mhp_err *err)
{
	if (!sc->model || sc->snap)
		return mhp_err_set(err, -EINVAL, "%s: a scenario that starts from a snapshot has no real machine", sc->file);
	struct inspect_model mo;
	struct inspect_range vm, ram;
	inspect_model(sc->model, &mo);
	/*
	 * The lane's QEMU machines: arm64's virt (4K or 16K pages), x86-64's q35 (4-level paging, no
	 * pdpe1gb), riscv64's virt (one Debian kernel for Sv57, Sv48 and Sv39: the model's command line
	 * says no5lvl or no4lvl). QEMU 10 has no virtio-mem device on riscv64 (and Debian's riscv64
	 * kernel no virtio_mem driver): that machine has boot memory only, and a virtio-mem step departs.
	 */
	bool x86 = strcmp(mo.arch, "x86_64") == 0, riscv = strcmp(mo.arch, "riscv64") == 0;
	const char *flavour = x86 ? (strcmp(mo.name, "qemu-q35-x86_64") == 0 ? "x86_64" : NULL)
			    : riscv ? (strncmp(mo.name, "qemu-virt-riscv64-", 18) == 0 ? "riscv64" : NULL)
			    : mo.page_shift == 12 ? "arm64" : mo.page_shift == 14 ? "arm64-16k" : NULL;
	bool has_vm = virtio_mem_region(sc->model, &vm);
	if (!flavour || (!riscv && !has_vm) || (!x86 && strncmp(mo.name, "qemu-virt-", 10) != 0))
		return mhp_err_set(err, -EINVAL, "%s: model %s is not one the reference lane boots "
				   "(qemu-virt-arm64-4k or -16k, or qemu-q35-x86_64, with a virtio-mem region; "
				   "or qemu-virt-riscv64-*)", sc->file, mo.name);
	fprintf(out, "# flavour %s\n# cmdline %s\n", flavour, sc->has_cmdline ? sc->cmdline : mo.cmdline);
	/*
	 * The QEMU machine: the virtio-mem device's block-size, node and requested-size (what its
	 * driver plugs at probe), and each NUMA node's boot RAM; riscv64's has no device (vm=none).
	 */
	if (riscv) {
		memset(&vm, 0, sizeof(vm));
		fprintf(out, "# machine vm=none ");
	} else {
		fprintf(out, "# machine vm-block-size=%lluM vm-node=%d vm-requested-size=%lluM ",
			(unsigned long long)(vm.block_size >> 20), vm.nid, (unsigned long long)(vm.requested_size >> 20));
		if (vm.size != 1ull << 30)   /* arm64's lane machines all have 1 GiB: their lines stay as they were */
			fprintf(out, "vm-size=%lluM ", (unsigned long long)(vm.size >> 20));
	}
	fprintf(out, "nodes=");
	struct reference_state rs = { .vm = vm, .page_size = 1ull << mo.page_shift, .plugged = vm.requested_size };
	for (unsigned i = 0; inspect_model_range(sc->model, INSPECT_RAM, i, &ram); i++) {
		fprintf(out, "%s%lluM", i ? "," : "", (unsigned long long)(ram.size >> 20));
		rs.boot_ram += ram.size;
	}
	fputc('\n', out);
	for (unsigned i = 0; i < sc->nsteps; i++) {
		if (sc->no_bootmem_notifier)   /* the change proposed in 2020 is not in any kernel the lane boots */
			fprintf(out, "depart the real 6.12 kernel has arm64's prevent_bootmem_remove_notifier\n");
		else if (sc->memory_probe)
			fprintf(out, "depart the lane's kernels are built without CONFIG_ARCH_MEMORY_PROBE\n");
		else
			reference_step(&sc->steps[i], &rs, out);
	}
	return 0;
}

unsigned mhp_scenario_steps(const struct mhp_scenario *sc)
{
	return sc->nsteps;
}

const char *mhp_scenario_teardown(const struct mhp_scenario *sc)
{
	return sc->teardown[0] ? sc->teardown : mhp_model_teardown(sc->model);
}

/* The JSON Lines schema version (docs/json.md): a reader checks it on the first line. */
#define JSON_SCHEMA 1

/* One JSON line of the run itself (not a trace event): the type, then name/value pairs already in JSON. */
static void json_line(const struct run *r, const char *type, const char *fields)
{
	fprintf(r->opt->out, "{\"type\":\"%s\"%s%s}\n", type, fields[0] ? "," : "", fields);
}

/* {"type":"run",...}: the first line, with the schema version. */
static void json_begin(const struct run *r)
{
	char fields[1200];
	struct strbuf sb;
	sb_init(&sb, fields, sizeof(fields));
	sb_printf(&sb, "\"schema\":%d,\"mhpsim\":\"%s\",\"scenario\":", JSON_SCHEMA, mhp_version(NULL, NULL, NULL));
	sb_put_json_string(&sb, r->sc->file);
	json_line(r, "run", fields);
}

/* A failure (the message names file:line:column), a shown violation, then {"type":"end",...} with the hashes. */
static void json_end(const struct run *r, int ret, bool shown, const struct mhp_run_result *res,
		     const struct mhp_err *err)
{
	char fields[MHP_ERR_MSG_MAX * 7];
	struct strbuf sb;
	if (ret || shown) {
		sb_init(&sb, fields, sizeof(fields));
		sb_printf(&sb, "\"step\":%u,\"message\":", ret ? res->failed_step : res->steps_run);
		sb_put_json_string(&sb, err->msg);
		json_line(r, ret ? "failure" : "violation_shown", fields);
	}
	sb_init(&sb, fields, sizeof(fields));
	sb_printf(&sb, "\"result\":\"%s\",\"steps\":%u,\"state_hash\":\"%016llx\",\"trace_hash\":\"%016llx\"",
		  ret ? "failed" : "ok", res->steps_run, (unsigned long long)res->state_hash,
		  (unsigned long long)res->trace_hash);
	json_line(r, "end", fields);
}

int mhp_scenario_run(const struct mhp_scenario *sc, const struct mhp_run_options *opt,
		     struct mhp_run_result *res, struct mhp_err *err)
{
	struct narration nar = { 0 };
	struct run r = { .sc = sc, .opt = opt, .err = err, .nar = &nar };
	memset(res, 0, sizeof(*res));
	r.buf = malloc(STEP_BUF_MAX);
	if (!r.buf)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	char inner[MHP_ERR_MSG_MAX];
	bool ended_by_violation = false, json = opt->output == MHP_OUT_JSON && opt->out;
	if (json)
		json_begin(&r);
	int ret = boot_machine(&r);
	bool observe = opt->output == MHP_OUT_OBSERVE && opt->out;
	if (!ret && observe)
		observe_step(&r, NULL);
	if (!ret && opt->output == MHP_OUT_CENSUS && opt->out)
		census_step(&r, NULL);
	if (!ret && opt->output == MHP_OUT_NARRATE && opt->out)
		narrate_booted(&r);
	if (!ret && opt->after_boot)
		opt->after_boot(r.m, opt->after_ctx);
	for (unsigned i = 0; !ret && i < sc->nsteps; i++) {
		const struct step *st = &sc->steps[i];
		r.step = i + 1;
		r.result = 0;
		announce(&r, st);
		uint64_t first_log = mhp_log_count(r.m);
		mhp_machine_step_begin(r.m);
		ret = run_step(&r, st);
		mhp_machine_step_end(r.m);
		if (!ret && st->has_log)
			ret = check_log(&r, st, first_log);
		/* The cheap check: memory walks limited to what the step touched. */
		if (!ret) {
			int inv = mhp_check_touched(r.m, err);
			if (opt->after_step)
				opt->after_step(r.m, r.step, inv, opt->after_ctx);
			if (observe)
				observe_step(&r, st);
			if (opt->output == MHP_OUT_CENSUS && opt->out)
				census_step(&r, st);
			size_t n = strlen(st->violates);
			if (!n && inv)
				ret = step_fail(&r, st, "invariant %s", err_copy(err, inner));
			else if (n && !inv)
				ret = step_fail(&r, st, "expected invariant %s to fail, but every invariant held", st->violates);
			else if (n && (strncmp(err->msg, st->violates, n) || err->msg[n] != ':'))
				ret = step_fail(&r, st, "expected invariant %s to fail, got %s", st->violates, err_copy(err, inner));
			else if (n) {
				/* The kernel's own bug, shown on purpose: the scenario ends here. */
				if ((r.opt->output == MHP_OUT_TEXT || r.opt->output == MHP_OUT_NARRATE) && r.opt->out)
					fprintf(r.opt->out, "  => invariant broken, as this scenario shows: %s\n", err->msg);
				res->steps_run = r.step;
				ended_by_violation = true;
				break;
			}
		}
		mhp_check_step_done(r.m);
		res->steps_run = r.step;
		if (ret)
			res->failed_step = r.step;
	}
	if (opt->output == MHP_OUT_NARRATE && opt->out)
		narrate_end(&r);
	/* The full check once at the end: every walk over the whole machine. */
	if (!ret && !ended_by_violation && r.m && (ret = mhp_check_all(r.m, err)))
		ret = mhp_err_set(err, ret, "%s: after the last step: invariant %s", sc->file, err_copy(err, inner));
	if (!ret && r.m && opt->after)
		opt->after(r.m, opt->after_ctx);
	if (r.m) {
		res->state_hash = mhp_machine_state_hash(r.m);
		res->trace_hash = mhp_trace_hash(r.m);
	}
	if (json)
		json_end(&r, ret, ended_by_violation, res, err);
	mhp_machine_free(r.m);
	free(r.buf);
	return ret;
}