// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_invariants.c - every invariant can fail: each mutant is caught by the
 * invariant it breaks, and the unbroken model passes the same scenario.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

/* The scenario each mutant runs: one that exercises the code the mutant breaks. */
static const char *scenario_for(const char *mutant)
{
	static const struct { const char *mutant, *scenario; } special[] = {
		{ "no-leaf-flush", "scenarios/12-tlb-and-table-flushes.yaml" },
		{ "no-table-flush", "scenarios/12-tlb-and-table-flushes.yaml" },
		{ "free-table-keep-parent", "scenarios/11-pgtable-teardown.yaml" },
		{ "tables-never-freed", "scenarios/11-pgtable-teardown.yaml" },
		{ "free-linear-pages", "scenarios/11-pgtable-teardown.yaml" },
		{ "linear-map-short", "scenarios/11-pgtable-teardown.yaml" },
		{ "hotplug-blocks", "scenarios/11-pgtable-teardown.yaml" },
		{ "vmemmap-not-freed", "scenarios/11-pgtable-teardown.yaml" },
		{ "cancel-keeps-isolation", "scenarios/21-offline-interrupted.yaml" },
		{ "offline-leaves-free-blocks", "scenarios/19-offline-migrates-movable-pages.yaml" },
		{ "migrate-drops-tag", "scenarios/19-offline-migrates-movable-pages.yaml" },
		{ "kernel-alloc-from-movable", "scenarios/24-movable-zone-keeps-kernel-out.yaml" },
		{ "add-error-drops-altmap", "scenarios/52-failed-add-returns-the-altmap.yaml" },
		{ "bootmem-no-veto", "scenarios/53-boot-memory-guard.yaml" },
		{ "mappable-range-any", "scenarios/54-add-past-the-linear-map.yaml" },
		{ "vmemmap-pmd-dtor", "scenarios/riscv64/13-vmemmap-pmd-table-without-destructor.yaml" },
		{ "no-table-dtor", "scenarios/riscv64/13-vmemmap-pmd-table-without-destructor.yaml" },
		{ "free-to-wrong-list", "scenarios/20-offline-blocked-by-kernel-allocation.yaml" },
		{ "page-run-reorders", "scenarios/19-offline-migrates-movable-pages.yaml" },
	};
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcmp(special[i].mutant, mutant) == 0)
			return special[i].scenario;
	return "scenarios/01-flagship-tour.yaml";
}

static int run(const char *file, const char *mutant, struct mhp_err *err)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_run_result res;
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .mutant = mutant };
	if (mhp_scenario_load(file, "models", &sc, err))
		fail_msg("%s", err->msg);
	int ret = mhp_scenario_run(sc, &opt, &res, err);
	mhp_scenario_free(sc);
	return ret;
}

/* The registry: every invariant has an id, a statement and a kernel reference. */
static void test_registry_is_complete(void **state)
{
	(void)state;
	const char *required[] = { "SECTION-STATE", "BLOCK-ZONE", "ZONE-SPAN", "COUNTERS", "BUDDY", "ISOLATION-CLEAN",
				   "ZONE-MOVABLE", "DATA-LOST" };
	for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		bool found = false;
		for (size_t i = 0; i < mhp_invariant_count(); i++) {
			const struct mhp_invariant *inv = mhp_invariant_get(i);
			assert_true(strlen(inv->statement) > 20 && strchr(inv->reference, ':'));
			found |= strcmp(inv->id, required[r]) == 0;
		}
		if (!found)
			fail_msg("invariant %s missing", required[r]);
	}
}

/* Without a mutant, every scenario used below passes all invariants. */
static void test_unbroken_model_passes(void **state)
{
	(void)state;
	const char *files[] = { "scenarios/01-flagship-tour.yaml", "scenarios/11-pgtable-teardown.yaml",
				"scenarios/12-tlb-and-table-flushes.yaml", "scenarios/19-offline-migrates-movable-pages.yaml",
				"scenarios/21-offline-interrupted.yaml", "scenarios/24-movable-zone-keeps-kernel-out.yaml",
				"scenarios/riscv64/13-vmemmap-pmd-table-without-destructor.yaml",
				"scenarios/52-failed-add-returns-the-altmap.yaml", "scenarios/53-boot-memory-guard.yaml",
				"scenarios/54-add-past-the-linear-map.yaml" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct mhp_err err = { 0 };
		if (run(files[i], NULL, &err))
			fail_msg("%s", err.msg);
	}
}

/* Each mutant fails the run, and the failure names the invariant that should catch it. */
static void test_each_mutant_is_caught_by_its_invariant(void **state)
{
	(void)state;
	assert_true(mhp_mutant_count() >= 4);
	for (size_t i = 0; i < mhp_mutant_count(); i++) {
		const struct mhp_mutant *mu = mhp_mutant_get(i);
		struct mhp_err err = { 0 };
		int ret = run(scenario_for(mu->name), mu->name, &err);
		if (strcmp(mu->caught_by, "DIFFERENTIAL") == 0) {
			/* No invariant sees it: the pagewise comparison does (test_pageruns). */
			assert_int_equal(ret, 0);
			continue;
		}
		if (ret != -EUCLEAN)
			fail_msg("mutant %s was not caught (ret %d: %s)", mu->name, ret, err.msg);
		char want[64];
		snprintf(want, sizeof(want), "invariant %s:", mu->caught_by);
		if (!strstr(err.msg, want))
			fail_msg("mutant %s: expected %s, got: %s", mu->name, want, err.msg);
		printf("  %-30s caught: %s\n", mu->name, err.msg);
	}
}

/*
 * ZONE-SPAN's Device rule fails too: with the zone spans never grown
 * (online-no-span-grow), the first ZONE_DEVICE range lies outside its
 * node's Device zone (scenarios/56 onlines nothing).
 */
static void test_device_span_rule_can_fail(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	int ret = run("scenarios/56-zone-device-subsections.yaml", "online-no-span-grow", &err);
	assert_int_equal(ret, -EUCLEAN);
	if (!strstr(err.msg, "invariant ZONE-SPAN: ZONE_DEVICE pfn [0xc0000, 0xc0200) lies outside node 0's Device zone"))
		fail_msg("expected the Device span rule, got: %s", err.msg);
}

/* Every invariant in the registry is the target of at least one mutant. */
static void test_every_invariant_has_a_mutant(void **state)
{
	(void)state;
	for (size_t i = 0; i < mhp_invariant_count(); i++) {
		const char *id = mhp_invariant_get(i)->id;
		bool covered = false;
		for (size_t j = 0; j < mhp_mutant_count(); j++)
			covered |= strcmp(mhp_mutant_get(j)->caught_by, id) == 0;
		if (!covered)
			fail_msg("invariant %s has no mutant", id);
	}
}

/* An unknown mutant name is an error, not a silent pass. */
static void test_unknown_mutant_is_refused(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	assert_int_equal(run("scenarios/01-flagship-tour.yaml", "no-such-mutant", &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_is_complete),
		cmocka_unit_test(test_unbroken_model_passes),
		cmocka_unit_test(test_each_mutant_is_caught_by_its_invariant),
		cmocka_unit_test(test_every_invariant_has_a_mutant),
		cmocka_unit_test(test_device_span_rule_can_fail),
		cmocka_unit_test(test_unknown_mutant_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
