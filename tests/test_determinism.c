// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_determinism.c - the same scenario gives the same bytes, every run.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs a scenario into a memory buffer; returns the text and the hashes. */
static char *run_to_buffer(const char *file, enum mhp_output mode, struct mhp_run_result *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	struct mhp_run_options opt = { .output = mode, .out = out };
	assert_non_null(out);
	if (mhp_scenario_load(file, "models", &sc, &err))
		fail_msg("%s", err.msg);
	if (mhp_scenario_run(sc, &opt, res, &err))
		fail_msg("%s", err.msg);
	mhp_scenario_free(sc);
	fclose(out);
	return text;
}

/* One quiet run of file, through cache (NULL: it boots); the number of steps it ran. */
static unsigned run_quiet(const char *file, struct mhp_boot_cache *cache, struct mhp_run_result *res)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .boot_cache = cache };
	if (mhp_scenario_load(file, "models", &sc, &err))
		fail_msg("%s", err.msg);
	if (mhp_scenario_run(sc, &opt, res, &err))
		fail_msg("%s", err.msg);
	mhp_scenario_free(sc);
	return res->steps_run;
}

/*
 * A machine the boot cache kept (loaded, not booted) ends a scenario with the
 * same state and trace hashes as a boot: every machine the models give, two
 * nodes, 16K and 64K pages, a device plugged at boot, the kernel's own
 * allocations on and off, and a second scenario on the same machine.
 */
static void test_boot_cache_keeps_the_hashes(void **state)
{
	(void)state;
	static const char *const files[] = {
		"scenarios/01-flagship-tour.yaml", "scenarios/11-pgtable-teardown.yaml", "scenarios/13-granule-16k.yaml",
		"scenarios/14-granule-64k.yaml", "scenarios/33-virtio-mem-plug-unplug.yaml",
		"scenarios/38-virtio-mem-second-node.yaml", "scenarios/47-virtio-mem-plugged-at-boot.yaml",
		"scenarios/08-server-two-nodes.yaml",
	};
	struct mhp_boot_cache *cache = mhp_boot_cache_new();
	assert_non_null(cache);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct mhp_run_result booted, first, cached;
		assert_true(run_quiet(files[i], NULL, &booted) > 0);
		run_quiet(files[i], cache, &first);    /* boots, and keeps the machine */
		run_quiet(files[i], cache, &cached);   /* loads it */
		assert_int_equal(first.state_hash, booted.state_hash);
		assert_int_equal(cached.state_hash, booted.state_hash);
		assert_int_equal(cached.trace_hash, booted.trace_hash);
		assert_int_equal(cached.steps_run, booted.steps_run);
	}
	mhp_boot_cache_free(cache);
}

/* Two runs: identical narrated text, identical JSON lines, identical hashes. */
static void test_two_runs_are_byte_identical(void **state)
{
	(void)state;
	const enum mhp_output modes[] = { MHP_OUT_TEXT, MHP_OUT_JSON };
	for (size_t i = 0; i < 2; i++) {
		struct mhp_run_result a, b;
		char *x = run_to_buffer("scenarios/01-flagship-tour.yaml", modes[i], &a);
		char *y = run_to_buffer("scenarios/01-flagship-tour.yaml", modes[i], &b);
		assert_true(strlen(x) > 1000);
		assert_string_equal(x, y);
		assert_int_equal(a.state_hash, b.state_hash);
		assert_int_equal(a.trace_hash, b.trace_hash);
		free(x);
		free(y);
	}
}

/*
 * The JSON form is one object per line with a type (tests/json_lines.py holds
 * each to docs/json.md): the run line first, trace events with seq and text,
 * the end line last with the run's state hash.
 */
#define RUN_LINE "{\"type\":\"run\",\"schema\":"
#define END_LINE "{\"type\":\"end\",\"result\":\"ok\""
static void test_json_lines_are_objects(void **state)
{
	(void)state;
	struct mhp_run_result r;
	char *text = run_to_buffer("scenarios/01-flagship-tour.yaml", MHP_OUT_JSON, &r);
	unsigned lines = 0, events = 0;
	char *last = NULL;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++) {
		assert_true(line[0] == '{' && line[strlen(line) - 1] == '}');
		assert_non_null(strstr(line, "{\"type\":") ? line : strstr(line, ",\"type\":"));
		if (lines == 0)
			assert_true(strncmp(line, RUN_LINE, sizeof(RUN_LINE) - 1) == 0);
		events += strncmp(line, "{\"seq\":", 7) == 0 && strstr(line, ",\"text\":") != NULL;
		last = line;
	}
	char end[160];
	snprintf(end, sizeof(end), "\"state_hash\":\"%016llx\"", (unsigned long long)r.state_hash);
	assert_non_null(last);
	assert_true(strncmp(last, END_LINE, sizeof(END_LINE) - 1) == 0);
	assert_non_null(strstr(last, end));
	assert_true(events > 50);
	free(text);
}

/* Different histories give different state hashes: the hash sees the state. */
static void test_state_hash_tracks_state(void **state)
{
	(void)state;
	struct mhp_machine *a = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	struct mhp_machine *b = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	assert_int_equal(mhp_machine_state_hash(a), mhp_machine_state_hash(b));
	add_virtio_mem(a, 0x80000000, 128 << 20);
	assert_int_not_equal(mhp_machine_state_hash(a), mhp_machine_state_hash(b));
	add_virtio_mem(b, 0x80000000, 128 << 20);
	assert_int_equal(mhp_machine_state_hash(a), mhp_machine_state_hash(b));
	assert_int_equal(sysfs_write(a, "/sys/devices/system/memory/memory16/state", "online_movable"), 0);
	assert_int_equal(sysfs_write(b, "/sys/devices/system/memory/memory16/state", "online_kernel"), 0);
	assert_int_not_equal(mhp_machine_state_hash(a), mhp_machine_state_hash(b));
	mhp_machine_free(a);
	mhp_machine_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_runs_are_byte_identical),
		cmocka_unit_test(test_boot_cache_keeps_the_hashes),
		cmocka_unit_test(test_json_lines_are_objects),
		cmocka_unit_test(test_state_hash_tracks_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
