/*
 * draw.c - mhpsim draw: a scenario replayed, and a picture of it as SVG:
 *
 *   mhpsim draw map [--step N] [-o FILE] SCENARIO.yaml
 *   mhpsim draw pgtables --before N --after M (--linear PA SIZE | --va START END) [-o FILE] SCENARIO.yaml
 *   mhpsim draw zones [-o FILE] SCENARIO.yaml
 *
 * Step 0 is the machine after boot; a map without --step is the one after the last step.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum picture { PIC_MAP, PIC_PGTABLES, PIC_ZONES };

struct draw {
	enum picture what;
	const char *name;             /* the scenario's, for titles */
	long step, before, after;     /* -1: not given */
	bool linear;
	uint64_t a, b;                /* --linear PA SIZE, or --va START END */
	FILE *out;
	struct mhp_pt_capture *cap[2];
	struct mhp_zone_history *hist;
	bool drawn;
	int ret;
	struct mhp_err err;
};

int cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : *end == 'T' ? 40 : 0;
	if (errno || end == s || *s == '-' || (shift && end[1]) || (!shift && *end) || (shift && v >> (64 - shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

FILE *cli_open_out(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "mhpsim: %s: %s\n", path, strerror(errno));
	return f;
}

int cli_close_out(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) ? -1 : 0;
	if (fclose(f)) {
		fprintf(stderr, "mhpsim: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void capture(struct draw *d, struct mhp_machine *m, int which)
{
	uint64_t lo = d->linear ? mhp_linear_map_va(m, d->a) : d->a;
	uint64_t hi = d->linear ? lo + d->b : d->b;
	if (!d->ret)
		d->ret = mhp_pt_capture(m, lo, hi, &d->cap[which], &d->err);
}

static void draw_map(struct draw *d, struct mhp_machine *m, const char *when)
{
	char title[256];
	snprintf(title, sizeof(title), "%s: physical memory after %s", d->name, when);
	d->ret = mhp_draw_memory_map(m, title, d->out);
	d->drawn = true;
}

/* The machine after step (0: boot): what the picture needs of it. */
static void at_step(struct draw *d, struct mhp_machine *m, long step)
{
	char when[32];
	switch (d->what) {
	case PIC_MAP:
		if (d->step == step && !d->drawn) {
			snprintf(when, sizeof(when), step ? "step %ld" : "boot", step);
			draw_map(d, m, when);
		}
		break;
	case PIC_PGTABLES:
		if (d->before == step)
			capture(d, m, 0);
		if (d->after == step)
			capture(d, m, 1);
		break;
	case PIC_ZONES:
		if (!d->ret && mhp_zone_history_add(d->hist, m, (unsigned)step)) {
			snprintf(d->err.msg, sizeof(d->err.msg), "more steps than a zone picture holds");
			d->ret = -ENOSPC;
		}
		break;
	}
}

static void after_boot(struct mhp_machine *m, void *ctx)
{
	at_step(ctx, m, 0);
}

static void after_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	(void)invariant;
	at_step(ctx, m, step);
}

static void after_last(struct mhp_machine *m, void *ctx)
{
	struct draw *d = ctx;
	if (d->what == PIC_MAP && d->step < 0)
		draw_map(d, m, "the last step");
}

static int draw_usage(void)
{
	fprintf(stderr, "usage: mhpsim draw map [--step N] [-o FILE] SCENARIO.yaml\n"
			"       mhpsim draw pgtables --before N --after M (--linear PA SIZE | --va START END) [-o FILE] "
			"SCENARIO.yaml\n"
			"       mhpsim draw zones [-o FILE] SCENARIO.yaml\n");
	return 2;
}

static int parse_step(const char *s, long *out)
{
	uint64_t v;
	if (!s || cli_parse_size(s, &v) || v > 1000000)
		return -1;
	*out = (long)v;
	return 0;
}

static int parse_draw(int argc, char **argv, struct draw *d, const char **file, const char **out_path)
{
	if (argc < 2)
		return -1;
	d->what = strcmp(argv[0], "map") == 0 ? PIC_MAP : strcmp(argv[0], "pgtables") == 0 ? PIC_PGTABLES
		: strcmp(argv[0], "zones") == 0 ? PIC_ZONES : (enum picture)-1;
	if ((int)d->what < 0)
		return -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL, *w = i + 2 < argc ? argv[i + 2] : NULL;
		if (strcmp(a, "-o") == 0 && v)
			*out_path = v, i++;
		else if (strcmp(a, "--step") == 0 && !parse_step(v, &d->step))
			i++;
		else if (strcmp(a, "--before") == 0 && !parse_step(v, &d->before))
			i++;
		else if (strcmp(a, "--after") == 0 && !parse_step(v, &d->after))
			i++;
		else if ((strcmp(a, "--linear") == 0 || strcmp(a, "--va") == 0) && w && !cli_parse_size(v, &d->a) &&
			 !cli_parse_size(w, &d->b))
			d->linear = a[2] == 'l', i += 2;
		else if (a[0] != '-' && !*file)
			*file = a;
		else
			return -1;
	}
	if (!*file || (d->what == PIC_PGTABLES && (d->before < 0 || d->after < 0 || !d->b)))
		return -1;
	return 0;
}

int cmd_draw(int argc, char **argv)
{
	struct draw d = { .step = -1, .before = -1, .after = -1 };
	const char *file = NULL, *out_path = NULL;
	if (parse_draw(argc, argv, &d, &file, &out_path))
		return draw_usage();
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(file, NULL, &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	if (!(d.out = cli_open_out(out_path))) {
		mhp_scenario_free(sc);
		return 1;
	}
	d.name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	if (d.what == PIC_ZONES && !(d.hist = mhp_zone_history_new()))
		d.ret = -ENOMEM;
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .after_boot = after_boot, .after_step = after_step,
				       .after = after_last, .after_ctx = &d };
	struct mhp_run_result res;
	int ret = d.ret ? d.ret : mhp_scenario_run(sc, &opt, &res, &err);
	if (ret)
		fprintf(stderr, "%s\n", err.msg);
	else if (d.ret)
		fprintf(stderr, "%s\n", d.err.msg[0] ? d.err.msg : strerror(-d.ret));
	else if (d.what == PIC_PGTABLES && !(d.cap[0] && d.cap[1]))
		fprintf(stderr, "%s: the scenario has no step %ld\n", file, d.cap[0] ? d.after : d.before), d.ret = -EINVAL;
	else if (d.what == PIC_MAP && !d.drawn)
		fprintf(stderr, "%s: the scenario has no step %ld\n", file, d.step), d.ret = -EINVAL;
	if (!ret && !d.ret && d.what == PIC_PGTABLES) {
		char title[256];
		snprintf(title, sizeof(title), "%s: page tables at step %ld and at step %ld", d.name, d.before, d.after);
		d.ret = mhp_draw_pgtables(d.cap[0], d.cap[1], title, d.out);
	}
	if (!ret && !d.ret && d.what == PIC_ZONES) {
		char title[256];
		snprintf(title, sizeof(title), "%s: zone spans, step by step", d.name);
		d.ret = mhp_draw_zone_history(d.hist, title, d.out);
	}
	mhp_pt_capture_free(d.cap[0]);
	mhp_pt_capture_free(d.cap[1]);
	mhp_zone_history_free(d.hist);
	mhp_scenario_free(sc);
	int closed = cli_close_out(d.out, out_path);
	return ret || d.ret || closed ? 1 : 0;
}
