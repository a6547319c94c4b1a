// SPDX-License-Identifier: GPL-2.0-only
/*
 * library.c - mhpsim as a library, whole: boot a machine model, add memory and
 * online it as root would, read what sysfs then says, check every invariant,
 * and run a scenario held in a string. docs/library.md shows this file; CI
 * builds it against the installed package and runs it (tests/install.cmake).
 *
 *   cc library.c $(pkg-config --cflags --libs mhpsim) -o library && ./library
 */
#include <stdio.h>
#include <string.h>

#include <mhpsim/mhpsim.h>

/* A scenario in a string: the host plugs 128 MiB through virtio-mem, which the guest onlines. */
static const char scenario[] =
	"scenario: from-a-string\n"
	"model: qemu-virt-arm64-4k\n"
	"steps:\n"
	"  - virtio_mem: { requested_size: 128M, plugged: 128M }\n"
	"  - read: /sys/devices/system/memory/memory16/state\n"
	"    expect: \"online\\n\"\n";

static int fail(const char *what, const struct mhp_err *err)
{
	fprintf(stderr, "%s: %s\n", what, err->msg);
	return 1;
}

int main(void)
{
	struct mhp_err err = { 0 };
	struct mhp_model *model = NULL;
	struct mhp_machine *m = NULL;
	char text[256];

	printf("mhpsim %s\n", mhp_version(NULL, NULL, NULL));
	/* A model by name: $MHPSIM_MODELS, ./models, then the installed share/mhpsim/models. */
	if (mhp_model_load_named("qemu-virt-arm64-4k", NULL, &model, &err))
		return fail("model", &err);
	/* Booted with new memory left offline, so that onlining it is ours to do. */
	struct mhp_boot_args args = { .cmdline = "memhp_default_state=offline" };
	int ret = mhp_machine_boot(model, &args, &m, &err);
	mhp_model_free(model);
	if (ret)
		return fail("boot", &err);

	/* 128 MiB at 2 GiB, as virtio-mem's driver adds it; the block appears offline (memory16). */
	if (mhp_add_memory(m, 0, 0x80000000, 128 << 20, "System RAM (virtio_mem)", &err))
		return fail("add_memory", &err);
	const char *state = "/sys/devices/system/memory/memory16/state";
	ssize_t n = mhp_sysfs_read(m, state, text, sizeof(text));
	printf("%s after the add: %s", state, n > 0 ? text : "?\n");
	/* echo online_movable > state: the errno of the write, as a shell would see it. */
	ret = mhp_sysfs_write(m, state, "online_movable\n", strlen("online_movable\n"));
	printf("echo online_movable > %s: %s\n", state, ret < 0 ? mhp_errno_name(ret) : "ok");
	n = mhp_sysfs_read(m, "/sys/devices/system/memory/memory16/valid_zones", text, sizeof(text));
	printf("valid_zones: %s", n > 0 ? text : "?\n");
	if (mhp_check_all(m, &err))
		return fail("invariants", &err);
	printf("all %zu invariants hold\n", mhp_invariant_count());
	mhp_machine_free(m);

	/* The scenario in the string, replayed quietly: every expectation and invariant after each step. */
	struct mhp_scenario *sc = NULL;
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET };
	struct mhp_run_result res;
	if (mhp_scenario_load_buffer(scenario, strlen(scenario), "from-a-string", NULL, &sc, &err))
		return fail("scenario", &err);
	ret = mhp_scenario_run(sc, &opt, &res, &err);
	mhp_scenario_free(sc);
	if (ret)
		return fail("run", &err);
	printf("scenario: %u steps, state-hash %016llx\n", res.steps_run, (unsigned long long)res.state_hash);
	return 0;
}
