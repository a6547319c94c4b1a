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
		"       mhpsim invariants\n"
		"       mhpsim mutants\n"
		"\n"
		"run         replay a scenario: narrated trace (or JSON lines), then state-hash: <hex>\n"
		"cat         boot MODEL and print simulated files (/sys/..., /proc/...)\n"
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
