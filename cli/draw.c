// SPDX-License-Identifier: GPL-2.0-only
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

enum { OPT_STEP = 256, OPT_BEFORE, OPT_AFTER, OPT_LINEAR, OPT_VA };

const struct option cli_draw_options[] = {
	{ "step", required_argument, NULL, OPT_STEP },
	{ "before", required_argument, NULL, OPT_BEFORE },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ "linear", required_argument, NULL, OPT_LINEAR },
	{ "va", required_argument, NULL, OPT_VA },
	CLI_HELP_OPTION,
	{ 0 },
};

static int parse_step(const struct cli_cmd *cmd, const char *what, const char *s, long *out)
{
	uint64_t v;
	if (cli_u64(cmd, what, s, 0, 1000000, &v))
		return -1;
	*out = (long)v;
	return 0;
}

/*
 * --linear PA SIZE and --va START END take two values: the second is the
 * word after the option's own, taken before getopt moves past it.
 */
static int parse_pair(const struct cli_cmd *cmd, struct draw *d, int c, int argc, char **argv)
{
	const char *what = c == OPT_LINEAR ? "--linear" : "--va";
	if (optind >= argc || argv[optind][0] == '-')
		return cli_usage_error(cmd, c == OPT_LINEAR ? "--linear takes PA and SIZE" : "--va takes START and END");
	if (cli_u64(cmd, what, optarg, 0, UINT64_MAX, &d->a) ||
	    (c == OPT_LINEAR ? cli_size(cmd, what, argv[optind], &d->b)
			     : cli_u64(cmd, what, argv[optind], 1, UINT64_MAX, &d->b)))
		return CLI_USAGE;
	optind++;
	d->linear = c == OPT_LINEAR;
	return 0;
}

/* The options of a picture; 0, CLI_HELP's 0 with *help set, or CLI_USAGE after saying why. */
static int parse_draw(const struct cli_cmd *cmd, int argc, char **argv, struct draw *d, const char **file,
		      const char **out_path, bool *help)
{
	int c, ret = 0;
	cli_opts_start(cmd, argv);
	while (!ret && (c = cli_opts(cmd, argc, argv)) != CLI_END) {
		switch (c) {
		case CLI_HELP: *help = true; return 0;
		case CLI_BAD: return CLI_USAGE;
		case 'o': *out_path = optarg; break;
		case OPT_STEP: ret = parse_step(cmd, "--step", optarg, &d->step) ? CLI_USAGE : 0; break;
		case OPT_BEFORE: ret = parse_step(cmd, "--before", optarg, &d->before) ? CLI_USAGE : 0; break;
		case OPT_AFTER: ret = parse_step(cmd, "--after", optarg, &d->after) ? CLI_USAGE : 0; break;
		case OPT_LINEAR: case OPT_VA: ret = parse_pair(cmd, d, c, argc, argv); break;
		}
	}
	if (ret)
		return ret;
	if (argc - optind != 2)
		return cli_usage_error(cmd, "a picture (map, pgtables or zones) and one scenario");
	const char *what = argv[optind];
	d->what = strcmp(what, "map") == 0 ? PIC_MAP : strcmp(what, "pgtables") == 0 ? PIC_PGTABLES
		: strcmp(what, "zones") == 0 ? PIC_ZONES : (enum picture)-1;
	if ((int)d->what < 0)
		return cli_usage_error(cmd, "the pictures are map, pgtables and zones");
	if (d->what == PIC_PGTABLES && (d->before < 0 || d->after < 0 || !d->b))
		return cli_usage_error(cmd, "pgtables needs --before, --after, and --linear or --va");
	*file = argv[optind + 1];
	return 0;
}

int cmd_draw(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct draw d = { .step = -1, .before = -1, .after = -1 };
	const char *file = NULL, *out_path = NULL;
	bool help = false;
	int bad = parse_draw(cmd, argc, argv, &d, &file, &out_path, &help);
	if (bad || help)
		return help ? cli_help(cmd) : bad;
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
