/*
 * mhpsim - command-line front end: replay scenarios, read simulated files.
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

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mhpsim run [--json|--quiet|--observe|--narrate|--census] [--models DIR] [--teardown arm64|x86-whatif|generic|kernel] [--mutant NAME]\n"
		"                  [--max-memory SIZE] [--pagewise] [--save SNAPSHOT] SCENARIO.yaml\n"
		"       mhpsim run [--models DIR] [--teardown NAME] [--mutant NAME] [--max-memory SIZE] SCENARIO.yaml|DIR...\n"
		"       mhpsim cat [--models DIR] [--cmdline TEXT] MODEL PATH...\n"
		"       mhpsim cat --snapshot FILE PATH...\n"
		"       mhpsim ptdump [--models DIR] [--teardown NAME] SCENARIO.yaml|MODEL [START END]\n"
		"       mhpsim fuzz --seed S --steps N [--model M] [--models DIR] [--strategy X] [--mutant NAME]\n"
		"                   [--differential Y] [--check-every K] [--out DIR] [--save SNAPSHOT] [--load SNAPSHOT]\n"
		"                   [--virtio-mem] [--max-memory SIZE] [--pagewise]\n"
		"       mhpsim diff [--models DIR] [--mutant NAME] SCENARIO.yaml [A B]\n"
		"       mhpsim observe [--boot] RAW\n"
		"       mhpsim reference-steps [--models DIR] SCENARIO.yaml\n"
		"       mhpsim reference-diff [--models DIR] [--gaps FILE] SCENARIO.yaml GOLDEN.obs\n"
		"       mhpsim draw map|pgtables|zones [OPTIONS] SCENARIO.yaml   (mhpsim draw, alone, lists its options)\n"
		"       mhpsim report SCENARIO.yaml [-o FILE.html]\n"
		"       mhpsim mount [--state FILE] [--models DIR] [--cmdline TEXT] [--no-error-inject] SCENARIO.yaml|MODEL DIR\n"
		"       mhpsim invariants\n"
		"       mhpsim mutants\n"
		"\n"
		"run         replay a scenario: narrated trace (or JSON lines), then state-hash: <hex>; several\n"
		"            scenarios or a directory: one line each (ok or FAIL, steps, hashes), then a total\n"
		"cat         boot MODEL (or load a snapshot) and print simulated files (/sys/..., /proc/...)\n"
		"ptdump      the kernel page tables (kernel_page_tables format) after a scenario, or at boot\n"
		"fuzz        random operations, invariants after every step; a violation is shrunk to a scenario\n"
		"reference-steps  a scenario as the reference lane's guest actions (reference/driver.py)\n"
		"reference-diff   a scenario's observations against the real kernel's recorded ones\n"
		"observe     the canonical text of a raw observation (the reference lane's, or the guest's)\n"
		"draw        a scenario replayed, then an SVG picture: the memory map, page tables, zone spans\n"
		"report      a scenario replayed into one self-contained HTML page that steps through it\n"
		"mount       the simulated /sys and /proc over FUSE, for lsmem, chmem and the kernel's selftest\n"
		"diff        a scenario with two teardown strategies (default arm64 and kernel), compared after every step\n"
		"invariants  list the invariants checked after every step\n"
		"mutants     list the deliberately broken variants the tests use\n"
		"\n"
		"--max-memory SIZE: the host memory a machine's page tables and page arrays may hold (default 1G);\n"
		"a step that would pass it stops the run with an error that names the step and the figures\n"
		"--pagewise: the reference path, every page operation one page at a time (same hashes, slower)\n");
}

/* A size as "1073741824", "512M", "4G" or "1T": bytes, or 0 when it is none (said on stderr). */
static uint64_t parse_size(const char *v)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 0);
	unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : *end == 'T' ? 40 : 0;
	end += shift != 0;
	if (errno || end == v || *end || !n || n > (UINT64_MAX >> shift)) {
		fprintf(stderr, "%s: not a size (bytes, or a number with K, M, G or T)\n", v);
		return 0;
	}
	return (uint64_t)n << shift;
}

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

/* One scenario of a summary run: 0 ok, 1 failed, 2 not loaded. */
static int run_one_summary(const char *file, const char *models, const struct mhp_run_options *base, FILE *sink)
{
	struct mhp_run_options opt = *base;
	opt.output = MHP_OUT_QUIET;
	opt.out = sink;
	struct mhp_err err = { 0 };
	struct mhp_scenario *sc;
	if (mhp_scenario_load(file, models, &sc, &err)) {
		printf("ERROR %s: %s\n", file, err.msg);
		return 2;
	}
	struct mhp_run_result res = { 0 };
	int ret = mhp_scenario_run(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	if (ret)
		printf("FAIL  %s: %s\n", file, err.msg);
	else
		printf("ok    %s: %u steps, state-hash %016llx, trace-hash %016llx\n", file, res.steps_run,
		       (unsigned long long)res.state_hash, (unsigned long long)res.trace_hash);
	return ret ? 1 : 0;
}

/* Several scenarios in one process, as a test runner shows them; the worst outcome is the exit status. */
static int run_summary(const struct run_files *f, const char *models, const struct mhp_run_options *opt)
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
	if (!sink) {
		fprintf(stderr, "run: /dev/null: %s\n", strerror(errno));
		return 2;
	}
	for (int i = 0; i < f->n; i++) {
		int r = run_one_summary(f->path[i], models, &each, sink);
		count[r]++;
		worst = r > worst ? r : worst;
		fflush(stdout);
	}
	fclose(sink);
	printf("%d scenarios: %d passed, %d failed, %d not loaded\n", f->n, count[0], count[1], count[2]);
	return worst;
}

static int cmd_run(int argc, char **argv)
{
	struct mhp_run_options opt = { .output = MHP_OUT_TEXT, .out = stdout };
	struct save_ctx save = { 0 };
	struct run_files files = { 0 };
	const char *models = NULL, *file = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			opt.output = MHP_OUT_JSON;
		else if (strcmp(argv[i], "--quiet") == 0)
			opt.output = MHP_OUT_QUIET;
		else if (strcmp(argv[i], "--observe") == 0)
			opt.output = MHP_OUT_OBSERVE;
		else if (strcmp(argv[i], "--narrate") == 0)
			opt.output = MHP_OUT_NARRATE;
		else if (strcmp(argv[i], "--census") == 0)
			opt.output = MHP_OUT_CENSUS;
		else if (strcmp(argv[i], "--pagewise") == 0)
			opt.pagewise = true;
		else if (strcmp(argv[i], "--models") == 0 && i + 1 < argc)
			models = argv[++i];
		else if (strcmp(argv[i], "--mutant") == 0 && i + 1 < argc)
			opt.mutant = argv[++i];
		else if (strcmp(argv[i], "--teardown") == 0 && i + 1 < argc)
			opt.teardown = argv[++i];
		else if (strcmp(argv[i], "--max-memory") == 0 && i + 1 < argc) {
			if (!(opt.max_memory = parse_size(argv[++i]))) {
				run_files_free(&files);
				return 2;
			}
		} else if (strcmp(argv[i], "--save") == 0 && i + 1 < argc) {
			save.path = argv[++i];
			opt.after = save_after;
			opt.after_ctx = &save;
		} else if (argv[i][0] != '-') {
			if (run_files_add(&files, argv[i])) {
				run_files_free(&files);
				return 2;
			}
		} else {
			run_files_free(&files);
			usage(stderr);
			return 2;
		}
	}
	if (files.n > 1 || files.dir) {
		/* The summary has no place for a trace, an observation or a snapshot. */
		bool summary = opt.output == MHP_OUT_TEXT && !save.path;
		if (!summary)
			usage(stderr);
		int ret = summary ? run_summary(&files, models, &opt) : 2;
		run_files_free(&files);
		return ret;
	}
	if (files.n == 1)
		file = files.path[0];
	if (!file) {
		usage(stderr);
		return 2;
	}
	struct mhp_err err = { 0 };
	struct mhp_scenario *sc;
	if (mhp_scenario_load(file, models, &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		run_files_free(&files);
		return 2;
	}
	struct mhp_run_result res;
	int ret = mhp_scenario_run(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	run_files_free(&files);
	fflush(stdout);
	if (ret)
		fprintf(stderr, "FAIL: %s\n", err.msg);
	printf("state-hash: %016llx\n", (unsigned long long)res.state_hash);
	if (!ret && save.path && !save.ret)
		printf("snapshot: %s\n", save.path);
	return ret || save.ret ? 1 : 0;
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

static int cmd_cat(int argc, char **argv)
{
	const char *models = "models", *cmdline = NULL, *snapshot = NULL;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--models") == 0 && i + 1 < argc)
			models = argv[++i];
		else if (strcmp(argv[i], "--cmdline") == 0 && i + 1 < argc)
			cmdline = argv[++i];
		else if (strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc)
			snapshot = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (argc - i < (snapshot ? 1 : 2)) {
		usage(stderr);
		return 2;
	}
	if (snapshot)
		return cat_files(load_snapshot(snapshot), argc - i, argv + i);
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s.yaml", models, argv[i]);
	struct mhp_err err = { 0 };
	struct mhp_model *model;
	struct mhp_machine *m;
	if (mhp_model_load(path, &model, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	struct mhp_boot_args args = { .cmdline = cmdline };
	int ret = mhp_machine_boot(model, &args, &m, &err);
	mhp_model_free(model);
	if (ret) {
		fprintf(stderr, "boot: %s\n", err.msg);
		return 2;
	}
	return cat_files(m, argc - i - 1, argv + i + 1);
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
		printf(" %s %llu/%llu", mhp_fuzz_op_name(k), (unsigned long long)res->ops_ok[k],
		       (unsigned long long)res->ops_tried[k]);
	double steps = res->steps_run ? (double)res->steps_run : 1.0;
	printf("\nwork: %llu page-state writes (%.0f per step), %llu pages migrated (%.0f per step)\n",
	       (unsigned long long)res->page_writes, (double)res->page_writes / steps,
	       (unsigned long long)res->pages_migrated, (double)res->pages_migrated / steps);
}

/* The progress bar, on a terminal only: output that is captured stays free of it. */
static void show_progress(uint64_t done, uint64_t total, void *ctx)
{
	struct progress *p = ctx;
	if (!p->tty)
		return;
	double s = seconds_since(&p->start);
	int width = 40, filled = total ? (int)(done * (uint64_t)width / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %llu/%llu steps, %.0f steps/s", filled,
		"########################################", width - filled, "", (unsigned long long)done,
		(unsigned long long)total, s > 0 ? (double)done / s : 0.0);
	fflush(stderr);
}

static int cmd_fuzz(int argc, char **argv)
{
	struct mhp_fuzz_options opt = { .steps = 10000 };
	struct progress prog = { .tty = isatty(2) };
	for (int i = 0; i < argc; i += 2) {   /* every option takes a value, but --virtio-mem and --pagewise */
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool flag = true;
		if (strcmp(a, "--virtio-mem") == 0)
			opt.virtio_mem = true;
		else if (strcmp(a, "--pagewise") == 0)
			opt.pagewise = true;
		else
			flag = false;
		if (flag) {
			i--;
			continue;
		}
		if (!v) {
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "--seed") == 0)
			opt.seed = strtoull(v, NULL, 0);
		else if (strcmp(a, "--steps") == 0)
			opt.steps = strtoull(v, NULL, 0);
		else if (strcmp(a, "--model") == 0)
			opt.model = v;
		else if (strcmp(a, "--models") == 0)
			opt.models_dir = v;
		else if (strcmp(a, "--strategy") == 0)
			opt.teardown = v;
		else if (strcmp(a, "--differential") == 0)
			opt.differential = v;
		else if (strcmp(a, "--mutant") == 0)
			opt.mutant = v;
		else if (strcmp(a, "--check-every") == 0)
			opt.full_check_every = (unsigned)strtoul(v, NULL, 0);
		else if (strcmp(a, "--out") == 0)
			opt.out_dir = v;
		else if (strcmp(a, "--cmdline") == 0)
			opt.cmdline = v;
		else if (strcmp(a, "--save") == 0)
			opt.save_snapshot = v;
		else if (strcmp(a, "--load") == 0)
			opt.load_snapshot = v;
		else if (strcmp(a, "--max-memory") == 0) {
			if (!(opt.max_memory = parse_size(v)))
				return 2;
		} else {
			usage(stderr);
			return 2;
		}
	}
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
		fprintf(stderr, "fuzz: %s\n", err.msg);
		return 2;
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
		return 0;
	}
	printf("violation at step %llu: %s\n", (unsigned long long)res.found_at, res.message);
	printf("shrunk to %u steps in %u replays: %s\n", res.shrunk_steps, res.replays, res.scenario_path);
	if (err.code)
		fprintf(stderr, "fuzz: %s\n", err.msg);
	return 1;
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

/* mhpsim reference-diff SCENARIO GOLDEN: the simulator's observations against the kernel's. */
static int cmd_reference_diff(int argc, char **argv)
{
	const char *models = "models", *gaps_path = NULL;
	int i = 0;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--models") == 0)
			models = argv[i + 1];
		else if (strcmp(argv[i], "--gaps") == 0)
			gaps_path = argv[i + 1];
		else
			break;
	}
	if (argc - i != 2) {
		usage(stderr);
		return 2;
	}
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

/* mhpsim reference-steps SCENARIO: the scenario as the reference lane's guest actions. */
static int cmd_reference_steps(int argc, char **argv)
{
	const char *models = argc == 3 && strcmp(argv[0], "--models") == 0 ? argv[1] : "models";
	if (argc != 1 && argc != 3) {
		usage(stderr);
		return 2;
	}
	struct mhp_scenario *sc;
	struct mhp_err err = { 0 };
	int ret = mhp_scenario_load(argv[argc - 1], models, &sc, &err);
	if (!ret) {
		ret = mhp_scenario_reference_steps(sc, stdout, &err);
		mhp_scenario_free(sc);
	}
	if (ret)
		fprintf(stderr, "reference-steps: %s\n", err.msg);
	return ret ? 2 : 0;
}

/* mhpsim observe RAW: the canonical text of a raw observation (the reference lane's formatter). */
static int cmd_observe(int argc, char **argv)
{
	bool boot = argc == 2 && strcmp(argv[0], "--boot") == 0;
	argc -= boot;
	argv += boot;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	size_t len;
	char *raw = slurp(argv[0], 1u << 24, &len);   /* 16 MiB: far above one observation */
	if (!raw)
		return 2;
	int ret = (boot ? mhp_observe_format_boot : mhp_observe_format)(raw, len, stdout);
	free(raw);
	if (ret)
		fprintf(stderr, "observe: %s: %s\n", argv[0],
			ret == -EINVAL ? "not a raw observation (no @@end-observe)" : strerror(-ret));
	return ret ? 2 : 0;
}

/* mhpsim diff: the first step at which two strategies disagree on a scenario (exit 1), or none (exit 0). */
static int cmd_diff(int argc, char **argv)
{
	const char *models = NULL, *mutant = NULL;
	int i = 0;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--models") == 0)
			models = argv[i + 1];
		else if (strcmp(argv[i], "--mutant") == 0)
			mutant = argv[i + 1];
		else
			break;
	}
	if (argc - i != 1 && argc - i != 3) {
		usage(stderr);
		return 2;
	}
	struct mhp_diff_options opt = { .a = argc - i == 3 ? argv[i + 1] : NULL,
					.b = argc - i == 3 ? argv[i + 2] : "kernel", .mutant_a = mutant };
	struct mhp_scenario *sc;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(argv[i], models ? models : "models", &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	if (!opt.a)
		opt.a = mhp_scenario_teardown(sc);   /* the model's own: arm64, or x86 on an x86-64 machine */
	struct mhp_diff_result res;
	int ret = mhp_scenario_diff(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	if (ret) {
		fprintf(stderr, "diff: %s\n", err.msg);
		return 2;
	}
	if (!res.differs_at) {
		printf("%u steps: %s and %s agree after every step\n", res.steps, opt.a, opt.b);
		return 0;
	}
	printf("step %u: %s and %s disagree: %s\n", res.differs_at, opt.a, opt.b, res.why);
	return 1;
}

/* mhpsim ptdump: replay a scenario quietly (or boot a model), then dump the tables. */
static int cmd_ptdump(int argc, char **argv)
{
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .out = stdout, .after = print_ptdump };
	struct dump_range range = { 0 };
	const char *models = NULL, *what = NULL;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--models") == 0 && i + 1 < argc)
			models = argv[++i];
		else if (strcmp(argv[i], "--teardown") == 0 && i + 1 < argc)
			opt.teardown = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc || (argc - i != 1 && argc - i != 3)) {
		usage(stderr);
		return 2;
	}
	what = argv[i];
	if (argc - i == 3) {
		range.start = strtoull(argv[i + 1], NULL, 0);
		range.end = strtoull(argv[i + 2], NULL, 0);
	}
	opt.after_ctx = &range;
	struct mhp_err err = { 0 };
	size_t len = strlen(what);
	if (len > 5 && strcmp(what + len - 5, ".yaml") == 0) {
		struct mhp_scenario *sc;
		struct mhp_run_result res;
		if (mhp_scenario_load(what, models, &sc, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 2;
		}
		int ret = mhp_scenario_run(sc, &opt, &res, &err);
		mhp_scenario_free(sc);
		if (ret)
			fprintf(stderr, "FAIL: %s\n", err.msg);
		return ret ? 1 : range.ret;
	}
	char path[1024];
	struct mhp_model *model;
	struct mhp_machine *m;
	snprintf(path, sizeof(path), "%s/%s.yaml", models ? models : "models", what);
	if (mhp_model_load(path, &model, &err) || mhp_machine_boot(model, NULL, &m, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	mhp_model_free(model);
	print_ptdump(m, &range);
	mhp_machine_free(m);
	return range.ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(argv[1], "cat") == 0)
		return cmd_cat(argc - 2, argv + 2);
	if (strcmp(argv[1], "ptdump") == 0)
		return cmd_ptdump(argc - 2, argv + 2);
	if (strcmp(argv[1], "reference-diff") == 0)
		return cmd_reference_diff(argc - 2, argv + 2);
	if (strcmp(argv[1], "reference-steps") == 0)
		return cmd_reference_steps(argc - 2, argv + 2);
	if (strcmp(argv[1], "observe") == 0)
		return cmd_observe(argc - 2, argv + 2);
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 2, argv + 2);
	if (strcmp(argv[1], "fuzz") == 0)
		return cmd_fuzz(argc - 2, argv + 2);
	if (strcmp(argv[1], "draw") == 0)
		return cmd_draw(argc - 2, argv + 2);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 2, argv + 2);
	if (strcmp(argv[1], "mount") == 0)
		return cmd_mount(argc - 2, argv + 2);
	if (strcmp(argv[1], "invariants") == 0) {
		for (size_t i = 0; i < mhp_invariant_count(); i++) {
			const struct mhp_invariant *inv = mhp_invariant_get(i);
			printf("%-14s %s\n%-14s (%s)\n", inv->id, inv->statement, "", inv->reference);
		}
		return 0;
	}
	if (strcmp(argv[1], "mutants") == 0) {
		for (size_t i = 0; i < mhp_mutant_count(); i++) {
			const struct mhp_mutant *mu = mhp_mutant_get(i);
			printf("%-30s caught by %-14s %s\n", mu->name, mu->caught_by, mu->breaks);
		}
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
