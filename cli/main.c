/*
 * mhpsim - command-line front end: replay scenarios, read simulated files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mhpsim run [--json|--quiet] [--models DIR] [--teardown arm64|x86|generic] [--mutant NAME] SCENARIO.yaml\n"
		"       mhpsim cat [--models DIR] [--cmdline TEXT] MODEL PATH...\n"
		"       mhpsim ptdump [--models DIR] [--teardown NAME] SCENARIO.yaml|MODEL [START END]\n"
		"       mhpsim invariants\n"
		"       mhpsim mutants\n"
		"\n"
		"run         replay a scenario: narrated trace (or JSON lines), then state-hash: <hex>\n"
		"cat         boot MODEL and print simulated files (/sys/..., /proc/...)\n"
		"ptdump      the kernel page tables (kernel_page_tables format) after a scenario, or at boot\n"
		"invariants  list the invariants checked after every step\n"
		"mutants     list the deliberately broken variants the tests use\n");
}

static int cmd_run(int argc, char **argv)
{
	struct mhp_run_options opt = { .output = MHP_OUT_TEXT, .out = stdout };
	const char *models = NULL, *file = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			opt.output = MHP_OUT_JSON;
		else if (strcmp(argv[i], "--quiet") == 0)
			opt.output = MHP_OUT_QUIET;
		else if (strcmp(argv[i], "--models") == 0 && i + 1 < argc)
			models = argv[++i];
		else if (strcmp(argv[i], "--mutant") == 0 && i + 1 < argc)
			opt.mutant = argv[++i];
		else if (strcmp(argv[i], "--teardown") == 0 && i + 1 < argc)
			opt.teardown = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!file) {
		usage(stderr);
		return 2;
	}
	struct mhp_err err = { 0 };
	struct mhp_scenario *sc;
	if (mhp_scenario_load(file, models, &sc, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	struct mhp_run_result res;
	int ret = mhp_scenario_run(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	fflush(stdout);
	if (ret)
		fprintf(stderr, "FAIL: %s\n", err.msg);
	printf("state-hash: %016llx\n", (unsigned long long)res.state_hash);
	return ret ? 1 : 0;
}

static int cmd_cat(int argc, char **argv)
{
	const char *models = "models", *cmdline = NULL;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--models") == 0 && i + 1 < argc)
			models = argv[++i];
		else if (strcmp(argv[i], "--cmdline") == 0 && i + 1 < argc)
			cmdline = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (argc - i < 2) {
		usage(stderr);
		return 2;
	}
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
	static char buf[1 << 20];
	for (i++; i < argc; i++) {
		ssize_t n = mhp_sysfs_read(m, argv[i], buf, sizeof(buf));
		if (n == -21) /* EISDIR: list the directory instead */
			n = mhp_sysfs_list(m, argv[i], buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], mhp_errno_name((int)n));
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
