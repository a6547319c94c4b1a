// SPDX-License-Identifier: GPL-2.0-only
/*
 * mhpsim - command-line front end: replay scenarios, read simulated files,
 * fuzz, compare with the kernel. Each command reads its options with
 * getopt_long (cli/args.c); the table at the end is its help, usage, man
 * page and completion.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

#include "cli.h"

/* What mhpsim is, for mhpsim help and the man page. */
static const char general[] =
	"mhpsim replays Linux memory hot(un)plug on simulated machines (arm64 with 4K, 16K and 64K pages,\n"
	"x86-64): scenarios of add, online, offline and remove steps, each followed by a check of every\n"
	"invariant; a fuzzer whose violations are shrunk into scenarios; the kernel tree's own teardown\n"
	"code run against the same page tables; and the real kernel's recorded observations to compare.\n"
	"Machine models are found in --models DIR, else $MHPSIM_MODELS, ./models, then the installed\n"
	"data directory.\n";

static const char exit_status[] =
	"exit status: 0 ok; 1 a failed expectation, invariant or disagreement (or a file that could not\n"
	"be read or written); 2 bad input or usage\n";

struct save_ctx {
	const char *path;
	int ret;
};

/* After the last step of a scenario: the machine goes to a snapshot file. */
static void save_after(struct mhp_machine *m, void *ctx)
{
	struct save_ctx *s = ctx;
	struct mhp_err err = { 0 };
	if ((s->ret = mhp_machine_save(m, s->path, &err)))
		fprintf(stderr, "save: %s\n", err.msg);
}

#define RUN_MAX_FILES 4096

struct run_files {
	char *path[RUN_MAX_FILES];
	int n;
	bool dir;      /* a directory was named: the summary even for one file */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds dir/name (name "": dir alone); -1 after saying why not. */
static int run_files_push(struct run_files *f, const char *dir, const char *name)
{
	if (f->n == RUN_MAX_FILES) {
		fprintf(stderr, "run: more than %d scenarios\n", RUN_MAX_FILES);
		return -1;
	}
	size_t len = strlen(dir);
	const char *sep = !name[0] || (len && dir[len - 1] == '/') ? "" : "/";
	char *p = malloc(len + strlen(name) + 2);
	if (!p) {
		fprintf(stderr, "run: out of memory\n");
		return -1;
	}
	snprintf(p, len + strlen(name) + 2, "%s%s%s", dir, sep, name);
	f->path[f->n++] = p;
	return 0;
}

/* Adds a scenario file, or a directory's *.yaml files in name order; -1 after saying why not. */
static int run_files_add(struct run_files *f, const char *arg)
{
	struct stat st;
	if (stat(arg, &st) || !S_ISDIR(st.st_mode))
		return run_files_push(f, arg, "");
	DIR *d = opendir(arg);
	if (!d) {
		fprintf(stderr, "run: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	int first = f->n, ret = 0;
	f->dir = true;
	for (struct dirent *e; !ret && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
			ret = run_files_push(f, arg, e->d_name);
	}
	closedir(d);
	qsort(f->path + first, (size_t)(f->n - first), sizeof(f->path[0]), cmp_str);
	return ret;
}

static void run_files_free(struct run_files *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->path[i]);
}

/* How a run of several scenarios reports: a line each (text), TAP for a CI system, and JUnit XML beside. */
struct run_report {
	bool tap;
	const char *junit;   /* a file, or NULL */
	FILE *xml;           /* its cases, collected until the counts are known */
	char *xml_buf;
	size_t xml_len;
};

/* One scenario's outcome: 0 ok, 1 failed, 2 not loaded; what it ran and why it failed. */
struct run_outcome {
	int status;
	struct mhp_run_result res;
	struct mhp_err err;
};

static void run_one(const char *file, const char *models, const struct mhp_run_options *base, FILE *sink,
		    struct run_outcome *o)
{
	struct mhp_run_options opt = *base;
	struct mhp_scenario *sc;
	opt.output = MHP_OUT_QUIET;
	opt.out = sink;
	memset(o, 0, sizeof(*o));
	if (mhp_scenario_load(file, models, &sc, &o->err)) {
		o->status = 2;
		return;
	}
	o->status = mhp_scenario_run(sc, &opt, &o->res, &o->err) ? 1 : 0;
	mhp_scenario_free(sc);
}

/* s in XML text or an attribute value. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
		if (e)
			fputs(e, f);
		else if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
			fputc(*s, f);
	}
}

/* The outcome of scenario i (1-based) as the report shows it. */
static void report_case(struct run_report *rep, int i, const char *file, const struct run_outcome *o)
{
	static const char *const words[] = { "ok   ", "FAIL ", "ERROR" };
	if (rep->tap && o->status)
		printf("not ok %d %s\n# %s\n", i, file, o->err.msg);
	else if (rep->tap)
		printf("ok %d %s # %u steps, state-hash %016llx\n", i, file, o->res.steps_run,
		       (unsigned long long)o->res.state_hash);
	else if (o->status)
		printf("%s %s: %s\n", words[o->status], file, o->err.msg);
	else
		printf("%s %s: %u steps, state-hash %016llx, trace-hash %016llx\n", words[0], file, o->res.steps_run,
		       (unsigned long long)o->res.state_hash, (unsigned long long)o->res.trace_hash);
	if (rep->xml) {
		fputs("  <testcase classname=\"mhpsim.scenario\" name=\"", rep->xml);
		xml_text(rep->xml, file);
		fputs("\"", rep->xml);
		if (o->status) {
			fprintf(rep->xml, ">\n    <%s message=\"", o->status == 1 ? "failure" : "error");
			xml_text(rep->xml, o->err.msg);
			fprintf(rep->xml, "\"/>\n  </testcase>\n");
		} else {
			fprintf(rep->xml, "/>\n");
		}
	}
}

/* Writes the JUnit file: the suite with its counts, then the cases. 0, or -1 after saying why not. */
static int write_junit(struct run_report *rep, int n, const int count[3])
{
	fclose(rep->xml);
	rep->xml = NULL;
	FILE *f = cli_open_out(rep->junit);
	if (!f)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"mhpsim\" tests=\"%d\" failures=\"%d\" "
		   "errors=\"%d\">\n%s</testsuite>\n", n, count[1], count[2], rep->xml_buf ? rep->xml_buf : "");
	return cli_close_out(f, rep->junit);
}

/* Several scenarios in one process, as a test runner shows them; the worst outcome is the exit status. */
static int run_summary(const struct run_files *f, const char *models, const struct mhp_run_options *opt,
		       struct run_report *rep)
{
	int count[3] = { 0 }, worst = 0;
	struct mhp_run_options each = *opt;
	FILE *sink = fopen("/dev/null", "w");
	/*
	 * Every run boots: no boot cache. Measured on the 45 recorded scenarios in
	 * one process, booting (memblock replay, paging init) now costs less than
	 * loading and checking a kept snapshot: 0.59-0.84 s without, 0.85-1.07 s with.
	 */
	each.boot_cache = NULL;
	if (!sink || (rep->junit && !(rep->xml = open_memstream(&rep->xml_buf, &rep->xml_len)))) {
		fprintf(stderr, "mhpsim run: %s\n", strerror(errno));
		if (sink)
			fclose(sink);
		return CLI_USAGE;
	}
	if (rep->tap)
		printf("TAP version 13\n1..%d\n", f->n);
	for (int i = 0; i < f->n; i++) {
		struct run_outcome o;
		run_one(f->path[i], models, &each, sink, &o);
		report_case(rep, i + 1, f->path[i], &o);
		count[o.status]++;
		worst = o.status > worst ? o.status : worst;
		fflush(stdout);
	}
	fclose(sink);
	printf("%s%d scenarios: %d passed, %d failed, %d not loaded\n", rep->tap ? "# " : "", f->n, count[0], count[1],
	       count[2]);
	if (rep->junit && write_junit(rep, f->n, count))
		worst = CLI_FAILED > worst ? CLI_FAILED : worst;
	free(rep->xml_buf);
	return worst;
}

/* A machine from a snapshot file, or NULL after saying why not. */
static struct mhp_machine *load_snapshot(const char *path)
{
	struct mhp_machine *m;
	struct mhp_err err = { 0 };
	if (mhp_machine_load(path, NULL, NULL, &m, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return NULL;
	}
	return m;
}

/* Prints each file (a directory: its listing), then frees the machine. */
static int cat_files(struct mhp_machine *m, int n, char **paths)
{
	static char buf[1 << 20];
	int ret = 0;
	if (!m)
		return 2;
	for (int i = 0; i < n; i++) {
		ssize_t len = mhp_sysfs_read(m, paths[i], buf, sizeof(buf));
		if (len == -21) /* EISDIR: list the directory instead */
			len = mhp_sysfs_list(m, paths[i], buf, sizeof(buf));
		if (len < 0) {
			fprintf(stderr, "%s: %s\n", paths[i], mhp_errno_name((int)len));
			ret = 1;
			continue;
		}
		fputs(buf, stdout);
	}
	mhp_machine_free(m);
	return ret;
}

struct dump_range {
	uint64_t start, end;
	int ret;
};

static void print_ptdump(struct mhp_machine *m, void *ctx)
{
	struct dump_range *r = ctx;
	static char buf[1 << 22];
	ssize_t n = mhp_ptdump(m, r->start, r->end, buf, sizeof(buf));
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		fprintf(stderr, "ptdump: bad range or too large\n");
		r->ret = 1;
		return;
	}
	fputs(buf, stdout);
}

struct progress {
	struct timespec start;
	int tty;
	double last;   /* when the last status line went out (not on a terminal) */
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* What the steps were and how much page work they did: what a steps/s figure depends on. */
static void print_fuzz_work(const struct mhp_fuzz_result *res)
{
	printf("ops (ok/tried):");
	for (unsigned k = 0; k < MHP_FUZZ_OP_KINDS; k++)
		if (k < MHP_FUZZ_OP_ZONE_DEVICE || res->ops_tried[k])   /* --zone-device's kinds when it ran them */
			printf(" %s %llu/%llu", mhp_fuzz_op_name(k), (unsigned long long)res->ops_ok[k],
			       (unsigned long long)res->ops_tried[k]);
	double steps = res->steps_run ? (double)res->steps_run : 1.0;
	printf("\nwork: %llu page-state writes (%.0f per step), %llu pages migrated (%.0f per step)\n",
	       (unsigned long long)res->page_writes, (double)res->page_writes / steps,
	       (unsigned long long)res->pages_migrated, (double)res->pages_migrated / steps);
}

/*
 * Progress, on stderr: a bar with an ETA on a terminal; elsewhere (a CI log)
 * a status line every 10 s. Wall-clock time reaches stderr only, never the
 * run's output.
 */
static void show_progress(uint64_t done, uint64_t total, void *ctx)
{
	struct progress *p = ctx;
	double s = seconds_since(&p->start), rate = s > 0 ? (double)done / s : 0.0;
	double eta = rate > 0 && total > done ? (double)(total - done) / rate : 0.0;
	if (p->tty) {
		int width = 40, filled = total ? (int)(done * (uint64_t)width / total) : width;
		fprintf(stderr, "\r[%.*s%*s] %llu/%llu steps, %.0f steps/s, ETA %.0f s ", filled,
			"########################################", width - filled, "", (unsigned long long)done,
			(unsigned long long)total, rate, eta);
	} else if (s - p->last >= 10.0 && done < total) {
		p->last = s;
		fprintf(stderr, "fuzz: %llu/%llu steps (%.0f%%), %.0f steps/s, ETA %.0f s\n", (unsigned long long)done,
			(unsigned long long)total, total ? 100.0 * (double)done / (double)total : 100.0, rate, eta);
	}
	fflush(stderr);
}

/* A whole text file ("-": standard input), at most cap bytes, NUL-terminated; NULL with a message on error. */
static char *slurp(const char *path, size_t cap, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *buf = f ? malloc(cap + 1) : NULL;
	size_t n = buf ? fread(buf, 1, cap + 1, f) : 0;
	if (f && f != stdin)
		fclose(f);
	if (!buf || n > cap) {
		fprintf(stderr, "%s: %s\n", path, !f ? strerror(errno) : !buf ? "out of memory" : "too large");
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}


/* A machine booted from the model NAME (models found as mhp_model_load_named() finds them); NULL after saying why. */
static struct mhp_machine *boot_named(const struct cli_cmd *cmd, const char *name, const char *models,
				      const char *cmdline)
{
	struct mhp_err err = { 0 };
	struct mhp_model *model;
	struct mhp_machine *m = NULL;
	if (mhp_model_load_named(name, models, &model, &err)) {
		fprintf(stderr, "mhpsim %s: %s\n", cmd->name, err.msg);
		return NULL;
	}
	struct mhp_boot_args args = { .cmdline = cmdline };
	int ret = mhp_machine_boot(model, &args, &m, &err);
	mhp_model_free(model);
	if (ret)
		fprintf(stderr, "mhpsim %s: boot: %s\n", cmd->name, err.msg);
	return ret ? NULL : m;
}

/* A scenario loaded, or NULL after printing the file:line:column error. */
static struct mhp_scenario *load_scenario(const char *file, const char *models)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(file, models, &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return NULL;
	}
	return sc;
}

/* 0, or -1 after one line saying that the named teardown strategy is not built in, and what builds it. */
static int strategy_built(const struct cli_cmd *cmd, const char *name)
{
	if (!name || mhp_teardown_strategy_built(name) != 0)
		return 0;   /* built, or not a strategy: the run names what is wrong with it */
	fprintf(stderr, "mhpsim %s: the %s teardown strategy is not built into this mhpsim: " MHP_HOW_TO_BUILD_KERNEL "\n",
		cmd->name, name);
	return -1;
}

/* The option cases every command shares: --help and a bad option. */
#define CLI_COMMON_CASES(cmd)                                                                                        \
	case CLI_HELP:                                                                                               \
		return cli_help(cmd);                                                                                \
	case CLI_BAD:                                                                                                \
		return CLI_USAGE

enum { OPT_MODELS = 256, OPT_TEARDOWN, OPT_MUTANT, OPT_MAX_MEMORY, OPT_PAGEWISE, OPT_SAVE, OPT_LOAD, OPT_CMDLINE,
       OPT_SNAPSHOT, OPT_JSON, OPT_QUIET, OPT_OBSERVE, OPT_NARRATE, OPT_CENSUS, OPT_SEED, OPT_STEPS, OPT_MODEL,
       OPT_STRATEGY, OPT_DIFFERENTIAL, OPT_CHECK_EVERY, OPT_OUT, OPT_VIRTIO_MEM, OPT_GAPS, OPT_BOOT, OPT_MAN, OPT_TAP,
       OPT_JUNIT, OPT_ZONE_DEVICE };

static const struct option run_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },         { "quiet", no_argument, NULL, OPT_QUIET },
	{ "observe", no_argument, NULL, OPT_OBSERVE },   { "narrate", no_argument, NULL, OPT_NARRATE },
	{ "census", no_argument, NULL, OPT_CENSUS },     { "models", required_argument, NULL, OPT_MODELS },
	{ "teardown", required_argument, NULL, OPT_TEARDOWN }, { "mutant", required_argument, NULL, OPT_MUTANT },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY }, { "pagewise", no_argument, NULL, OPT_PAGEWISE },
	{ "save", required_argument, NULL, OPT_SAVE },   { "tap", no_argument, NULL, OPT_TAP },
	{ "junit", required_argument, NULL, OPT_JUNIT }, { "cmdline", required_argument, NULL, OPT_CMDLINE },
	CLI_HELP_OPTION, { 0 },
};

static int cmd_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct mhp_run_options opt = { .output = MHP_OUT_TEXT, .out = stdout };
	struct save_ctx save = { 0 };
	struct run_files files = { 0 };
	struct run_report rep = { 0 };
	const char *models = NULL;
	int c, ret = CLI_OK;
	cli_opts_start(cmd, argv);
	while (ret == CLI_OK && (c = cli_opts(cmd, argc, argv)) != CLI_END) {
		switch (c) {
		CLI_COMMON_CASES(cmd);
		case OPT_JSON: opt.output = MHP_OUT_JSON; break;
		case OPT_QUIET: opt.output = MHP_OUT_QUIET; break;
		case OPT_OBSERVE: opt.output = MHP_OUT_OBSERVE; break;
		case OPT_NARRATE: opt.output = MHP_OUT_NARRATE; break;
		case OPT_CENSUS: opt.output = MHP_OUT_CENSUS; break;
		case OPT_PAGEWISE: opt.pagewise = true; break;
		case OPT_MODELS: models = optarg; break;
		case OPT_MUTANT: opt.mutant = optarg; break;
		case OPT_TEARDOWN: opt.teardown = optarg; break;
		case OPT_CMDLINE: opt.cmdline_append = optarg; break;
		case OPT_MAX_MEMORY: ret = cli_size(cmd, "--max-memory", optarg, &opt.max_memory) ? CLI_USAGE : CLI_OK; break;
		case OPT_SAVE: save.path = optarg, opt.after = save_after, opt.after_ctx = &save; break;
		case OPT_TAP: rep.tap = true; break;
		case OPT_JUNIT: rep.junit = optarg; break;
		}
	}
	for (int i = optind; ret == CLI_OK && i < argc; i++)
		ret = run_files_add(&files, argv[i]) ? CLI_USAGE : CLI_OK;
	if (ret == CLI_OK && !files.n)
		ret = cli_usage_error(cmd, "no scenario given");
	if (ret == CLI_OK && strategy_built(cmd, opt.teardown))
		ret = CLI_USAGE;
	if (ret == CLI_OK && (files.n > 1 || files.dir || rep.tap || rep.junit)) {
		/* The summary has no place for a trace, an observation or a snapshot. */
		if (opt.output != MHP_OUT_TEXT || save.path)
			ret = cli_usage_error(cmd, "several scenarios (or --tap, --junit) give one line each: no --json, "
						   "--quiet, --observe, --narrate, --census or --save");
		else
			ret = run_summary(&files, models, &opt, &rep);
		run_files_free(&files);
		return ret;
	}
	struct mhp_scenario *sc = ret == CLI_OK ? load_scenario(files.path[0], models) : NULL;
	run_files_free(&files);
	if (!sc)
		return CLI_USAGE;
	struct mhp_err err = { 0 };
	struct mhp_run_result res;
	ret = mhp_scenario_run(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	fflush(stdout);
	if (ret)
		fprintf(stderr, "FAIL: %s\n", err.msg);
	if (opt.output != MHP_OUT_JSON)   /* JSON Lines end with their own "end" line, which holds the hashes */
		printf("state-hash: %016llx\n", (unsigned long long)res.state_hash);
	if (!ret && save.path && !save.ret)
		fprintf(opt.output == MHP_OUT_JSON ? stderr : stdout, "snapshot: %s\n", save.path);
	return ret || save.ret ? CLI_FAILED : CLI_OK;
}

static const struct option cat_options[] = {
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	CLI_HELP_OPTION,
	{ 0 },
};

static int cmd_cat(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *models = NULL, *cmdline = NULL, *snapshot = NULL;
	const struct cli_binding b[] = {
		CLI_STR(OPT_MODELS, &models), CLI_STR(OPT_CMDLINE, &cmdline), CLI_STR(OPT_SNAPSHOT, &snapshot),
		CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	int n = argc - optind;
	if (n < (snapshot ? 1 : 2))
		return cli_usage_error(cmd, snapshot ? "no file to read" : "a model and at least one file to read");
	if (snapshot)
		return cat_files(load_snapshot(snapshot), n, argv + optind);
	return cat_files(boot_named(cmd, argv[optind], models, cmdline), n - 1, argv + optind + 1);
}

static const struct option ptdump_options[] = {
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "teardown", required_argument, NULL, OPT_TEARDOWN },
	CLI_HELP_OPTION,
	{ 0 },
};

/* mhpsim ptdump: replay a scenario quietly (or boot a model), then dump the tables. */
static int cmd_ptdump(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .out = stdout, .after = print_ptdump };
	struct dump_range range = { 0, UINT64_MAX, 0 };
	const char *models = NULL;
	const struct cli_binding b[] = {
		CLI_STR(OPT_MODELS, &models), CLI_STR(OPT_TEARDOWN, &opt.teardown), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	int n = argc - optind;
	if (n != 1 && n != 3)
		return cli_usage_error(cmd, "a scenario or a model, and optionally a START and END address");
	if (n == 3 && (cli_u64(cmd, "START", argv[optind + 1], 0, UINT64_MAX, &range.start) ||
		       cli_u64(cmd, "END", argv[optind + 2], 0, UINT64_MAX, &range.end)))
		return CLI_USAGE;
	if (n == 3 && range.end <= range.start)
		return cli_usage_error(cmd, "END must lie above START");
	if (n == 1)
		range.end = 0;   /* mhp_ptdump(): 0, 0 is everything */
	if (strategy_built(cmd, opt.teardown))
		return CLI_USAGE;
	const char *what = argv[optind];
	opt.after_ctx = &range;
	size_t len = strlen(what);
	if (len > 5 && strcmp(what + len - 5, ".yaml") == 0) {
		struct mhp_scenario *sc = load_scenario(what, models);
		if (!sc)
			return CLI_USAGE;
		struct mhp_err err = { 0 };
		struct mhp_run_result res;
		int ret = mhp_scenario_run(sc, &opt, &res, &err);
		mhp_scenario_free(sc);
		if (ret)
			fprintf(stderr, "FAIL: %s\n", err.msg);
		return ret ? CLI_FAILED : range.ret;
	}
	struct mhp_machine *m = boot_named(cmd, what, models, NULL);
	if (!m)
		return CLI_USAGE;
	print_ptdump(m, &range);
	mhp_machine_free(m);
	return range.ret;
}

static const struct option fuzz_options[] = {
	{ "seed", required_argument, NULL, OPT_SEED },     { "steps", required_argument, NULL, OPT_STEPS },
	{ "model", required_argument, NULL, OPT_MODEL },   { "models", required_argument, NULL, OPT_MODELS },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "differential", required_argument, NULL, OPT_DIFFERENTIAL },
	{ "mutant", required_argument, NULL, OPT_MUTANT }, { "check-every", required_argument, NULL, OPT_CHECK_EVERY },
	{ "out", required_argument, NULL, OPT_OUT },       { "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "save", required_argument, NULL, OPT_SAVE },     { "load", required_argument, NULL, OPT_LOAD },
	{ "virtio-mem", no_argument, NULL, OPT_VIRTIO_MEM }, { "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ "zone-device", no_argument, NULL, OPT_ZONE_DEVICE },
	{ "pagewise", no_argument, NULL, OPT_PAGEWISE },   CLI_HELP_OPTION,
	{ 0 },
};

static int fuzz_option(const struct cli_cmd *cmd, int c, struct mhp_fuzz_options *opt)
{
	uint64_t v = 0;
	switch (c) {
	case OPT_SEED: return cli_u64(cmd, "--seed", optarg, 0, UINT64_MAX, &opt->seed);
	case OPT_STEPS: return cli_u64(cmd, "--steps", optarg, 1, UINT64_MAX, &opt->steps);
	case OPT_CHECK_EVERY:
		if (cli_u64(cmd, "--check-every", optarg, 0, UINT32_MAX, &v))
			return -1;
		opt->full_check_every = (unsigned)v;
		return 0;
	case OPT_MAX_MEMORY: return cli_size(cmd, "--max-memory", optarg, &opt->max_memory);
	case OPT_MODEL: opt->model = optarg; return 0;
	case OPT_MODELS: opt->models_dir = optarg; return 0;
	case OPT_STRATEGY: opt->teardown = optarg; return 0;
	case OPT_DIFFERENTIAL: opt->differential = optarg; return 0;
	case OPT_MUTANT: opt->mutant = optarg; return 0;
	case OPT_OUT: opt->out_dir = optarg; return 0;
	case OPT_CMDLINE: opt->cmdline = optarg; return 0;
	case OPT_SAVE: opt->save_snapshot = optarg; return 0;
	case OPT_LOAD: opt->load_snapshot = optarg; return 0;
	case OPT_VIRTIO_MEM: opt->virtio_mem = true; return 0;
	case OPT_ZONE_DEVICE: opt->zone_device = true; return 0;
	case OPT_PAGEWISE: opt->pagewise = true; return 0;
	}
	return -1;
}

static int cmd_fuzz(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct mhp_fuzz_options opt = { .steps = 10000 };
	struct progress prog = { .tty = isatty(2) };
	int c;
	cli_opts_start(cmd, argv);
	while ((c = cli_opts(cmd, argc, argv)) != CLI_END) {
		switch (c) {
		CLI_COMMON_CASES(cmd);
		default:
			if (fuzz_option(cmd, c, &opt))
				return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "fuzz takes options only");
	if (strategy_built(cmd, opt.teardown) || strategy_built(cmd, opt.differential))
		return CLI_USAGE;
	opt.progress = show_progress;
	opt.progress_ctx = &prog;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	struct mhp_fuzz_result res;
	struct mhp_err err = { 0 };
	int ret = mhp_fuzz(&opt, &res, &err);
	double s = seconds_since(&prog.start);
	if (prog.tty)
		fprintf(stderr, "\n");
	if (ret) {
		fprintf(stderr, "mhpsim fuzz: %s\n", err.msg);
		return CLI_USAGE;
	}
	printf("%llu steps in %.2f s: %.0f steps/s, %.0f teardowns/s (seed %llu)\n", (unsigned long long)res.steps_run,
	       s, s > 0 ? (double)res.steps_run / s : 0.0, s > 0 ? (double)mhp_fuzz_teardowns(&res) / s : 0.0,
	       (unsigned long long)res.seed);
	printf("state-hash: %016llx\n", (unsigned long long)res.state_hash);
	print_fuzz_work(&res);
	if (opt.save_snapshot)
		printf("snapshot: %s%s\n", opt.save_snapshot, res.violation ? " (the state before the violating step)" : "");
	if (!res.violation) {
		printf("no invariant violated\n");
		return CLI_OK;
	}
	printf("violation at step %llu: %s\n", (unsigned long long)res.found_at, res.message);
	if (err.code) {   /* shrunk, but the scenario could not be written: no path to claim */
		printf("shrunk to %u steps in %u replays, not written\n", res.shrunk_steps, res.replays);
		fprintf(stderr, "mhpsim fuzz: %s\n", err.msg);
	} else {
		printf("shrunk to %u steps in %u replays: %s\n", res.shrunk_steps, res.replays, res.scenario_path);
	}
	return CLI_FAILED;
}

static const struct option refdiff_options[] = {
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "gaps", required_argument, NULL, OPT_GAPS },
	CLI_HELP_OPTION,
	{ 0 },
};

/* mhpsim reference-diff SCENARIO GOLDEN: the simulator's observations against the kernel's. */
static int cmd_reference_diff(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *models = NULL, *gaps_path = NULL;
	const struct cli_binding b[] = {
		CLI_STR(OPT_MODELS, &models), CLI_STR(OPT_GAPS, &gaps_path), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (argc - optind != 2)
		return cli_usage_error(cmd, "a scenario and the kernel's recorded observations");
	argv += optind;
	int i = 0;
	char *golden = slurp(argv[i + 1], 1u << 24, NULL), *gaps = gaps_path ? slurp(gaps_path, 1u << 20, NULL) : NULL;
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	char *sim = NULL;
	size_t sim_len = 0;
	int ret = !golden || (gaps_path && !gaps) ? 2 : 0;
	if (!ret && mhp_scenario_load(argv[i], models, &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		ret = 2;
	}
	if (!ret) {
		FILE *f = open_memstream(&sim, &sim_len);
		struct mhp_run_options opt = { .output = MHP_OUT_OBSERVE, .out = f };
		struct mhp_run_result res;
		mhp_scenario_run(sc, &opt, &res, &err);
		fclose(f);
		struct mhp_fidelity fid;
		char name[256];
		const char *base = strrchr(argv[i], '/');
		snprintf(name, sizeof(name), "%s", base ? base + 1 : argv[i]);
		if (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".yaml") == 0)
			name[strlen(name) - 5] = 0;
		if (mhp_fidelity_compare(golden, sim, gaps, name, stdout, &fid)) {
			fprintf(stderr, "reference-diff: out of memory\n");
			ret = 2;
		} else {
			if (fid.departs_at)
				printf("%s: the kernel's run departs at step %u (%s): steps 0-%u compared\n", argv[i],
				       fid.departs_at, fid.departs_why, fid.departs_at - 1);
			printf("%s: %u fields equal, %u different, %u known gaps, %u steps the guest skipped\n", argv[i],
			       fid.equal, fid.different, fid.known, fid.skipped);
			printf("%s: score, known gaps counted as different: fields %u/%u, fields a step changed %u/%u, "
			       "step results %u/%u\n", argv[i], fid.equal, fid.fields, fid.changed_equal, fid.changed,
			       fid.results_equal, fid.results);
			ret = fid.different ? 1 : 0;
		}
	}
	mhp_scenario_free(sc);
	free(sim);
	free(golden);
	free(gaps);
	return ret;
}

static const struct option models_only_options[] = {
	{ "models", required_argument, NULL, OPT_MODELS },
	CLI_HELP_OPTION,
	{ 0 },
};

/* mhpsim reference-steps SCENARIO: the scenario as the reference lane's guest actions. */
static int cmd_reference_steps(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *models = NULL;
	const struct cli_binding b[] = { CLI_STR(OPT_MODELS, &models), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "one scenario");
	struct mhp_scenario *sc = load_scenario(argv[optind], models);
	if (!sc)
		return CLI_USAGE;
	struct mhp_err err = { 0 };
	int ret = mhp_scenario_reference_steps(sc, stdout, &err);
	mhp_scenario_free(sc);
	if (ret)
		fprintf(stderr, "mhpsim reference-steps: %s\n", err.msg);
	return ret ? CLI_USAGE : CLI_OK;
}

static const struct option observe_options[] = {
	{ "boot", no_argument, NULL, OPT_BOOT },
	CLI_HELP_OPTION,
	{ 0 },
};

/* mhpsim observe RAW: the canonical text of a raw observation (the reference lane's formatter). */
static int cmd_observe(const struct cli_cmd *cmd, int argc, char **argv)
{
	bool boot = false;
	const struct cli_binding b[] = { CLI_FLAG(OPT_BOOT, &boot), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "one raw observation (a file, or - for standard input)");
	size_t len;
	const char *path = argv[optind];
	char *raw = slurp(path, 1u << 24, &len);   /* 16 MiB: far above one observation */
	if (!raw)
		return CLI_USAGE;
	int ret = (boot ? mhp_observe_format_boot : mhp_observe_format)(raw, len, stdout);
	free(raw);
	if (ret)
		fprintf(stderr, "mhpsim observe: %s: %s\n", path,
			ret == -EINVAL ? "not a raw observation (no @@end-observe)" : strerror(-ret));
	return ret ? CLI_USAGE : CLI_OK;
}

static const struct option diff_options[] = {
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "mutant", required_argument, NULL, OPT_MUTANT },
	CLI_HELP_OPTION,
	{ 0 },
};

/* mhpsim diff: the first step at which two strategies disagree on a scenario (exit 1), or none (exit 0). */
static int cmd_diff(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *models = NULL, *mutant = NULL;
	const struct cli_binding b[] = {
		CLI_STR(OPT_MODELS, &models), CLI_STR(OPT_MUTANT, &mutant), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	int n = argc - optind;
	if (n != 1 && n != 3)
		return cli_usage_error(cmd, "a scenario, and optionally the two strategies to compare");
	struct mhp_diff_options opt = { .a = n == 3 ? argv[optind + 1] : NULL, .b = n == 3 ? argv[optind + 2] : "kernel",
					.mutant_a = mutant };
	struct mhp_scenario *sc = load_scenario(argv[optind], models);
	if (!sc)
		return CLI_USAGE;
	if (!opt.a)
		opt.a = mhp_scenario_teardown(sc);   /* the model's own: arm64, or x86 on an x86-64 machine */
	struct mhp_diff_result res;
	struct mhp_err err = { 0 };
	int ret = mhp_scenario_diff(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	if (ret) {
		fprintf(stderr, "mhpsim diff: %s\n", err.msg);
		return CLI_USAGE;
	}
	if (!res.differs_at) {
		printf("%u steps: %s and %s agree after every step\n", res.steps, opt.a, opt.b);
		return CLI_OK;
	}
	printf("step %u: %s and %s disagree: %s\n", res.differs_at, opt.a, opt.b, res.why);
	return CLI_FAILED;
}

static const struct option help_only_options[] = { CLI_HELP_OPTION, { 0 } };

/* Commands without operands: invariants, mutants. */
static int no_operands(const struct cli_cmd *cmd, int argc, char **argv)
{
	const struct cli_binding b[] = { CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	return optind < argc ? cli_usage_error(cmd, "no operands") : -1;
}

static int cmd_invariants(const struct cli_cmd *cmd, int argc, char **argv)
{
	int ret = no_operands(cmd, argc, argv);
	for (size_t i = 0; ret < 0 && i < mhp_invariant_count(); i++) {
		const struct mhp_invariant *inv = mhp_invariant_get(i);
		printf("%-14s %s\n%-14s (%s)\n", inv->id, inv->statement, "", inv->reference);
	}
	return ret < 0 ? CLI_OK : ret;
}

static int cmd_mutants(const struct cli_cmd *cmd, int argc, char **argv)
{
	int ret = no_operands(cmd, argc, argv);
	for (size_t i = 0; ret < 0 && i < mhp_mutant_count(); i++) {
		const struct mhp_mutant *mu = mhp_mutant_get(i);
		printf("%-30s caught by %-14s %s\n", mu->name, mu->caught_by, mu->breaks);
	}
	return ret < 0 ? CLI_OK : ret;
}

static const struct cli_cmd *find_command(const char *name);
static void print_overview(FILE *f);

static const struct option help_options[] = {
	{ "man", no_argument, NULL, OPT_MAN },
	CLI_HELP_OPTION,
	{ 0 },
};

/* mhpsim help [CMD]: the overview, or one command's help; --man: the man page. */
static int cmd_help(const struct cli_cmd *cmd, int argc, char **argv)
{
	bool man = false;
	const struct cli_binding b[] = { CLI_FLAG(OPT_MAN, &man), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (man && optind == argc) {
		cli_man_page(stdout, general);
		return CLI_OK;
	}
	if (man || argc - optind > 1)
		return cli_usage_error(cmd, NULL);
	if (optind == argc) {
		print_overview(stdout);
		return CLI_OK;
	}
	const struct cli_cmd *which = find_command(argv[optind]);
	if (!which) {
		fprintf(stderr, "mhpsim help: '%s' is not a command; 'mhpsim help' lists them\n", argv[optind]);
		return CLI_USAGE;
	}
	return cli_help(which);
}

/* mhpsim completion bash: the completion script the install puts in share/bash-completion. */
static int cmd_completion(const struct cli_cmd *cmd, int argc, char **argv)
{
	const struct cli_binding b[] = { CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (argc - optind != 1 || strcmp(argv[optind], "bash") != 0)
		return cli_usage_error(cmd, "the one shell it knows is bash");
	cli_bash_completion(stdout);
	return CLI_OK;
}

#define MODELS_HELP "  --models DIR      where models/NAME.yaml are (default: $MHPSIM_MODELS, ./models, the installed ones)\n"
#define TEARDOWN_HELP "  --teardown NAME   the teardown strategy: the machine's own (arm64, x86), kernel (the kernel tree's\n" \
		      "                    code), generic, or a what-if (x86-whatif)\n"

const struct cli_cmd cli_commands[] = {
	{ "run", "[OPTIONS] SCENARIO.yaml\n[--tap] [--junit FILE] [--models DIR] [--teardown NAME] [--mutant NAME] SCENARIO.yaml|DIR...",
	  "Replay a scenario: its narrated trace (or another form of output), then state-hash: HEX. Several scenarios or\n"
	  "a directory: one line each (ok, FAIL or ERROR, its steps and hashes), then a total; --tap and --junit report\n"
	  "them for a CI system.",
	  "  --json            JSON Lines: a run line, every event, each read, an end line (docs/json.md)\n"
	  "  --quiet           nothing but a failure and the state hash\n"
	  "  --observe         what the reference lane compares with the real kernel\n"
	  "  --narrate         each event under the kernel function it models, and what each read returned\n"
	  "  --census          the page census of every block after each step\n" MODELS_HELP TEARDOWN_HELP
	  "  --mutant NAME     run a deliberately broken variant (mhpsim mutants)\n"
	  "  --cmdline TEXT    words added to the scenario's kernel command line (e.g. mhpsim.bootmem=reserved)\n"
	  "  --max-memory SIZE the host memory a machine's page tables, page runs and tag records may hold (default 1G)\n"
	  "  --pagewise        the reference path: every page operation one page at a time (same hashes, slower)\n"
	  "  --save SNAPSHOT   save the machine after the last step\n"
	  "  --tap             several scenarios as TAP version 13 (ok / not ok N FILE, the failure as a comment)\n"
	  "  --junit FILE      several scenarios as JUnit XML in FILE too (a failure or an error per case)\n",
	  "h", run_options, cmd_run },
	{ "cat", "[--models DIR] [--cmdline TEXT] MODEL PATH...\n--snapshot FILE PATH...",
	  "Boot MODEL (or load a snapshot) and print simulated files (/sys/..., /proc/...); a directory is listed.",
	  MODELS_HELP "  --cmdline TEXT    the kernel command line to boot with\n"
	  "  --snapshot FILE   read a saved machine instead of booting one\n",
	  "h", cat_options, cmd_cat },
	{ "ptdump", "[--models DIR] [--teardown NAME] SCENARIO.yaml|MODEL [START END]",
	  "The kernel page tables, as /sys/kernel/debug/kernel_page_tables prints them, after a scenario or at boot;\n"
	  "START and END (virtual addresses) limit it to a range.",
	  MODELS_HELP TEARDOWN_HELP, "h", ptdump_options, cmd_ptdump },
	{ "fuzz", "[--seed S] [--steps N] [--model M] [OPTIONS]",
	  "Random add, online, offline, remove and workload steps with the invariants checked after each; a violation is\n"
	  "shrunk to a scenario that replays it.",
	  "  --seed S          the run's seed (default 0)\n"
	  "  --steps N         how many steps (default 10000)\n"
	  "  --model M         the machine (default qemu-virt-arm64-4k)\n" MODELS_HELP
	  "  --strategy NAME   the teardown strategy\n"
	  "  --differential X  run strategy X beside it and compare after every step (kernel, pagewise)\n"
	  "  --mutant NAME     a deliberately broken variant to find\n"
	  "  --check-every K   the full invariant walk every K steps (the incremental checks run after each)\n"
	  "  --out DIR         where the shrunk scenario is written (made if missing, before the run)\n"
	  "  --cmdline TEXT    the kernel command line\n"
	  "  --save SNAPSHOT   save the machine at the end (before a violating step)\n"
	  "  --load SNAPSHOT   go on from a saved machine\n"
	  "  --virtio-mem      add and remove through the virtio-mem driver\n"
	  "  --zone-device     half the adds and removes map ZONE_DEVICE memory instead (2-8 MiB)\n"
	  "  --max-memory SIZE the host memory the machine may hold\n"
	  "  --pagewise        the reference path, one page at a time\n",
	  "h", fuzz_options, cmd_fuzz },
	{ "diff", "[--models DIR] [--mutant NAME] SCENARIO.yaml [A B]",
	  "A scenario under two teardown strategies (the machine's own and kernel by default), compared after every\n"
	  "step: the first step where they disagree (exit 1), or none.",
	  MODELS_HELP "  --mutant NAME     break strategy A with a mutant (the differential must see it)\n",
	  "h", diff_options, cmd_diff },
	{ "observe", "[--boot] RAW",
	  "The canonical text of a raw observation (the reference lane's, or the guest's); RAW - is standard input.",
	  "  --boot            the boot's observation\n", "h", observe_options, cmd_observe },
	{ "reference-steps", "[--models DIR] SCENARIO.yaml",
	  "A scenario as the reference lane's guest actions (reference/driver.py).", MODELS_HELP, "h",
	  models_only_options, cmd_reference_steps },
	{ "reference-diff", "[--models DIR] [--gaps FILE] SCENARIO.yaml GOLDEN.obs",
	  "A scenario's observations against the real kernel's recorded ones, field by field.",
	  MODELS_HELP "  --gaps FILE       the known gaps, each with its reason\n", "h", refdiff_options,
	  cmd_reference_diff },
	{ "draw", "map [--step N] [-o FILE] SCENARIO.yaml\npgtables --before N --after M (--linear PA SIZE | --va START END) [-o FILE] SCENARIO.yaml\nzones [-o FILE] SCENARIO.yaml",
	  "A scenario replayed, then an SVG picture: the memory map at a step, the page tables at two steps, or the\n"
	  "zone spans step by step.",
	  "  --step N          the map at step N (default: the last)\n"
	  "  --before N, --after M  the two steps whose page tables are drawn\n"
	  "  --linear PA SIZE  the linear map of [PA, PA + SIZE)\n"
	  "  --va START END    the virtual range [START, END)\n"
	  "  -o FILE           where the SVG goes (default: standard output)\n",
	  "ho:", cli_draw_options, cmd_draw },
	{ "report", "[-o FILE.html] SCENARIO.yaml",
	  "A scenario replayed into one self-contained HTML page that steps through it.",
	  "  -o FILE           where the page goes (default: standard output)\n", "ho:", cli_report_options, cmd_report },
	{ "mount", "[--state FILE] [--models DIR] [--cmdline TEXT] [--no-error-inject] SCENARIO.yaml|MODEL DIR",
	  "The simulated /sys and /proc over FUSE at DIR, for lsmem, chmem and the kernel's memory-hotplug selftest.",
	  "  --state FILE      keep the machine in FILE between mounts\n" MODELS_HELP
	  "  --cmdline TEXT    the kernel command line\n"
	  "  --no-error-inject leave memory-notifier-error-inject unloaded\n",
	  "h", cli_mount_options, cmd_mount },
	{ "invariants", "", "List the invariants checked after every step.", NULL, "h", help_only_options,
	  cmd_invariants },
	{ "mutants", "", "List the deliberately broken variants the tests use, and the invariant that catches each.",
	  NULL, "h", help_only_options, cmd_mutants },
	{ "help", "[COMMAND]\n--man", "The overview, or a command's help; --man prints the man page mhpsim(1).",
	  "  --man             the man page, in roff\n", "h", help_options, cmd_help },
	{ "completion", "bash", "A bash completion script for mhpsim (the install puts it in share/bash-completion).",
	  NULL, "h", help_only_options, cmd_completion },
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

static const struct cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

/* mhpsim help: every command's first usage line and what it does, in brief. */
static void print_overview(FILE *f)
{
	fprintf(f, "usage: mhpsim COMMAND [OPTIONS] [ARGS]\n       mhpsim --version | --help\n\n%s\ncommands:\n",
		general);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_cmd *c = &cli_commands[i];
		size_t n = strcspn(c->summary, ".\n");
		fprintf(f, "  %-16s %.*s\n", c->name, (int)n, c->summary);
	}
	fprintf(f, "\n'mhpsim help COMMAND' or 'mhpsim COMMAND --help' shows a command's usage and options.\n%s",
		exit_status);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("mhpsim %s\n", mhp_version(NULL, NULL, NULL));
		return CLI_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_overview(stdout);
		return CLI_OK;
	}
	const struct cli_cmd *cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "mhpsim: '%s' is not a command; 'mhpsim help' lists them\n", argv[1]);
		return CLI_USAGE;
	}
	return cmd->run(cmd, argc - 1, argv + 1);
}
