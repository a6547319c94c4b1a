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

/* The JSON form is one object per line, each with seq, type and text. */
static void test_json_lines_are_objects(void **state)
{
	(void)state;
	struct mhp_run_result r;
	char *text = run_to_buffer("scenarios/01-flagship-tour.yaml", MHP_OUT_JSON, &r);
	unsigned lines = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++) {
		assert_true(line[0] == '{' && line[strlen(line) - 1] == '}');
		assert_non_null(strstr(line, "\"seq\":"));
		assert_non_null(strstr(line, "\"type\":"));
		assert_non_null(strstr(line, "\"text\":"));
	}
	assert_true(lines > 50);
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
		cmocka_unit_test(test_json_lines_are_objects),
		cmocka_unit_test(test_state_hash_tracks_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
