/* bench_boot.c - the machine every benchmark starts from. */
#include <stdio.h>

#include <mhpsim/mhpsim.h>

#include "bench_boot.h"

struct mhp_machine *bench_boot(const char *models)
{
	struct mhp_err err = { 0 };
	struct mhp_model *model = NULL;
	struct mhp_machine *m = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/bench-arm64-4k.yaml", models);
	if (mhp_model_load(path, &model, &err) || mhp_machine_boot(model, NULL, &m, &err))
		fprintf(stderr, "%s\n", err.msg);
	mhp_model_free(model);
	return m;
}
