// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_yaml_errors.c - every bad scenario or model file gets one exact error.
 *
 * Each file in tests/bad/ (scenarios) and tests/bad-models/ (models) starts
 * with a line "# expect: <message>"; loading it must fail with exactly that
 * message, which names file:line:column and what was expected.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 256

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the .yaml files of dir, sorted, as paths relative to the source tree. */
static size_t list_yaml(const char *dir, char **out)
{
	DIR *d = opendir(src_path(dir));
	size_t n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d)) && n < MAX_FILES;) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		out[n] = malloc(strlen(dir) + len + 2);
		sprintf(out[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(out, n, sizeof(*out), cmp);
	return n;
}

static void expected_message(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(src_path(path), "r");
	assert_non_null(f);
	char line[1024];
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	const char *tag = "# expect: ";
	if (strncmp(line, tag, strlen(tag)) != 0)
		fail_msg("%s: first line must be '# expect: <message>'", path);
	snprintf(buf, cap, "%s", line + strlen(tag));
	buf[strcspn(buf, "\n")] = '\0';
}

/* The same bytes loaded from memory under the file's name fail the same way. */
static void assert_buffer_load_agrees(const char *path, int ret, const char *msg)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];
	assert_non_null(f);
	size_t len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_scenario_load_buffer(buf, len, path, "models", &sc, &err), ret);
	mhp_scenario_free(sc);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("%s from a buffer:\n  expected: %s\n  got:      %s", path, msg, err.msg);
}

static size_t check_dir(const char *dir, bool models)
{
	char *files[MAX_FILES];
	size_t n = list_yaml(dir, files);
	for (size_t i = 0; i < n; i++) {
		char want[1024];
		struct mhp_err err = { 0 };
		expected_message(files[i], want, sizeof(want));
		int ret;
		if (models) {
			struct mhp_model *mo = NULL;
			ret = mhp_model_load(files[i], &mo, &err);
			mhp_model_free(mo);
		} else {
			struct mhp_scenario *sc = NULL;
			ret = mhp_scenario_load(files[i], "models", &sc, &err);
			mhp_scenario_free(sc);
			assert_buffer_load_agrees(files[i], ret, err.msg);
		}
		if (ret == 0)
			fail_msg("%s: loaded without error", files[i]);
		if (strcmp(err.msg, want) != 0)
			fail_msg("%s:\n  expected: %s\n  got:      %s", files[i], want, err.msg);
		free(files[i]);
	}
	return n;
}

/* Bad scenarios: unknown keys, wrong types, bad sizes, duplicates, missing models... */
static void test_bad_scenarios_give_exact_errors(void **state)
{
	(void)state;
	assert_true(check_dir("tests/bad", false) >= 20);
}

/* Bad models: misaligned ranges, overlaps, unknown granules... */
static void test_bad_models_give_exact_errors(void **state)
{
	(void)state;
	assert_true(check_dir("tests/bad-models", true) >= 5);
}

/* A file that does not exist is reported with its path and the system's reason. */
static void test_missing_file_is_reported(void **state)
{
	(void)state;
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_scenario_load("tests/bad/does-not-exist.yaml", "models", &sc, &err), -ENOENT);
	assert_string_equal(err.msg, "tests/bad/does-not-exist.yaml: error: cannot open: No such file or directory");
}

/*
 * Input past the 1 MiB cap is refused, file or buffer alike, with the
 * line:column where the cap falls, as every other input error has one.
 */
static void test_oversized_input_is_refused_with_its_position(void **state)
{
	(void)state;
	size_t len = (1u << 20) + 10;
	char *big = malloc(len);
	assert_non_null(big);
	for (size_t i = 0; i < len; i++)   /* lines of 100 bytes: the cap falls on line 10486, column 77 */
		big[i] = i % 100 == 99 ? '\n' : '#';
	const char *path = MHPSIM_BINARY_DIR "/oversized.yaml";
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(big, 1, len, f), len);
	fclose(f);
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	char want[256];
	snprintf(want, sizeof(want), "%s:10486:77: error: input larger than 1048576 bytes: it would end before this point",
		 path);
	assert_int_equal(mhp_scenario_load(path, "models", &sc, &err), -EFBIG);
	assert_string_equal(err.msg, want);
	assert_int_equal(mhp_scenario_load_buffer(big, len, "big.yaml", "models", &sc, &err), -EFBIG);
	assert_string_equal(err.msg, "big.yaml:10486:77: error: input larger than 1048576 bytes: it would end before "
				     "this point");
	remove(path);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_scenarios_give_exact_errors),
		cmocka_unit_test(test_bad_models_give_exact_errors),
		cmocka_unit_test(test_missing_file_is_reported),
		cmocka_unit_test(test_oversized_input_is_refused_with_its_position),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
