// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_fuzz.c - the fuzzer finds every mutant, shrinks it to a scenario that
 * replays to the same violation, does so byte for byte again, and finds
 * nothing in the real teardown strategies.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAUNTLET_STEPS 3000

/* The model on which a mutant is reachable; most show on the 4K QEMU machine. */
static const char *model_for(const char *mutant)
{
	/* A freed table that only a page-table flush would drop: the 64K vmemmap frees its PTE tables. */
	if (strcmp(mutant, "no-table-flush") == 0)
		return "qemu-virt-arm64-64k";
	/* Only RISC-V destroys tables it frees; memory far from boot's frees vmemmap PMD tables of its own. */
	if (strcmp(mutant, "vmemmap-pmd-dtor") == 0 || strcmp(mutant, "no-table-dtor") == 0)
		return "fuzz-riscv64-sv48";
	return "qemu-virt-arm64-4k";
}

static void fuzz(const char *model, const char *mutant, const char *strategy, uint64_t seed, uint64_t steps,
		 struct mhp_fuzz_result *res)
{
	struct mhp_fuzz_options opt = { .model = model, .mutant = mutant, .teardown = strategy, .seed = seed,
					.steps = steps, .out_dir = MHPSIM_BINARY_DIR };
	struct mhp_err err = { 0 };
	if (mhp_fuzz(&opt, res, &err))
		fail_msg("fuzz: %s", err.msg);
}

/*
 * The shrunk scenario, replayed as a user would, breaks the same invariant,
 * and at its last step: with every invariant checked after every step, the
 * steps before it leave the machine sound, so the fuzzer caught the damage
 * at the step that did it.
 */
static void assert_replays(const struct mhp_fuzz_result *res)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	struct mhp_run_result rr;
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET };
	if (mhp_scenario_load(res->scenario_path, "models", &sc, &err))
		fail_msg("%s", err.msg);
	int ret = mhp_scenario_run(sc, &opt, &rr, &err);
	unsigned last = mhp_scenario_steps(sc);
	mhp_scenario_free(sc);
	if (ret == -EUCLEAN && rr.failed_step != last)
		fail_msg("%s breaks %s at step %u of %u: before the step the fuzzer named", res->scenario_path,
			 res->invariant, rr.failed_step, last);
	char want[48];
	snprintf(want, sizeof(want), "invariant %s:", res->invariant);
	if (ret != -EUCLEAN || !strstr(err.msg, want))
		fail_msg("%s does not replay to %s: %s", res->scenario_path, res->invariant, err.msg);
}

/*
 * Mutants whose path the fuzzer never takes; test_invariants catches each on its scenario: a failed slab
 * allocation inside a memmap_on_memory add (the fuzzer fails page allocations only: scenarios/52), boot
 * memory removed (the fuzzer removes only what it added: scenarios/53), an add outside the hot-plug
 * regions (scenarios/54).
 */
static bool beyond_the_fuzzer(const char *mutant)
{
	static const char *const names[] = { "add-error-drops-altmap", "bootmem-no-veto", "mappable-range-any" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(mutant, names[i]) == 0)
			return true;
	return false;
}

/* Every mutant is found within the budget by the invariant it lists, shrunk, and the file replays (the gauntlet). */
static void test_mutant_gauntlet(void **state)
{
	(void)state;
	for (size_t i = 0; i < mhp_mutant_count(); i++) {
		const char *name = mhp_mutant_get(i)->name;
		if (strcmp(mhp_mutant_get(i)->caught_by, "DIFFERENTIAL") == 0)
			continue;   /* found by fuzz --differential pagewise: test_pageruns */
		if (beyond_the_fuzzer(name))
			continue;
		struct mhp_fuzz_result res;
		fuzz(model_for(name), name, NULL, 1, GAUNTLET_STEPS, &res);
		if (!res.violation)
			fail_msg("mutant %s survived %d steps", name, GAUNTLET_STEPS);
		/* Caught by the invariant the mutant breaks, not merely by some invariant. */
		if (strcmp(res.invariant, mhp_mutant_get(i)->caught_by) != 0)
			fail_msg("mutant %s was caught by %s, not by %s", name, res.invariant, mhp_mutant_get(i)->caught_by);
		assert_true(res.shrunk_steps <= res.found_at);
		assert_replays(&res);
		printf("  %-28s found at step %-5llu %-14s shrunk to %u steps\n", name, (unsigned long long)res.found_at,
		       res.invariant, res.shrunk_steps);
	}
}

/*
 * The boot-memory what-if (mhpsim.bootmem=, tutorial chapter 12): with the
 * notifier dropped the fuzzer removes boot blocks and COUNTERS fails; with
 * boot memory given back as reserved pages it holds on a page-granular boot
 * map, and PT-COVER fails where 1 GiB boot blocks are cleared whole.
 */
static void test_bootmem_whatif(void **state)
{
	(void)state;
	static const struct { const char *model, *cmdline, *breaks; } cases[] = {
		{ "qemu-virt-arm64-4k", "memhp_default_state=online mhpsim.bootmem=allow", "COUNTERS" },
		{ "qemu-virt-arm64-4k", "memhp_default_state=online mhpsim.bootmem=reserved", NULL },
		{ "server-2node-arm64-4k", "rodata=on kfence.sample_interval=100 memhp_default_state=online "
					   "mhpsim.bootmem=reserved", "PT-COVER" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mhp_fuzz_options opt = { .model = cases[i].model, .cmdline = cases[i].cmdline, .seed = 1,
						.steps = 3000, .out_dir = MHPSIM_BINARY_DIR };
		struct mhp_fuzz_result res;
		struct mhp_err err = { 0 };
		if (mhp_fuzz(&opt, &res, &err))
			fail_msg("fuzz: %s", err.msg);
		if (!cases[i].breaks) {
			assert_false(res.violation);
			continue;
		}
		if (!res.violation || strcmp(res.invariant, cases[i].breaks) != 0)
			fail_msg("%s: %s, not %s", cases[i].cmdline, res.violation ? res.invariant : "nothing broke",
				 cases[i].breaks);
		assert_replays(&res);
	}
}

/* Each of names is caught on model by the invariant it lists, and its shrunk scenario replays. */
static void arch_mutant_gauntlet(const char *model, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mhp_mutant *mu = NULL;
		for (size_t k = 0; k < mhp_mutant_count(); k++)
			if (strcmp(mhp_mutant_get(k)->name, names[i]) == 0)
				mu = mhp_mutant_get(k);
		assert_non_null(mu);
		struct mhp_fuzz_result res;
		fuzz(model, names[i], NULL, 1, GAUNTLET_STEPS, &res);
		if (!res.violation || strcmp(res.invariant, mu->caught_by) != 0)
			fail_msg("%s mutant %s: %s", model, names[i], res.violation ? res.invariant : "survived");
		assert_replays(&res);
		printf("  %s %-24s found at step %-5llu %-14s shrunk to %u steps\n", model, names[i],
		       (unsigned long long)res.found_at, res.invariant, res.shrunk_steps);
	}
}

/* The mutants each arch's own teardown and add path take: the same ones, wired into each. */
static const char *const arch_mutants[] = { "tables-never-freed", "free-table-keep-parent", "no-leaf-flush",
					     "free-linear-pages", "vmemmap-not-freed", "linear-map-short" };

/* x86-64 (arch/x86/init_64.c): caught on the x86-64 machine too, by the invariant each lists. */
static void test_x86_mutant_gauntlet(void **state)
{
	(void)state;
	arch_mutant_gauntlet("qemu-q35-x86_64", arch_mutants, sizeof(arch_mutants) / sizeof(arch_mutants[0]));
}

/*
 * RISC-V (arch/riscv/init.c), in Sv48, where hot-added memory gets a PMD
 * table that teardown frees (with Sv39 the only tables it could free are PTE
 * tables, which 2 MiB leaves never need).
 */
static void test_riscv_mutant_gauntlet(void **state)
{
	(void)state;
	arch_mutant_gauntlet("qemu-virt-riscv64-sv48", arch_mutants, sizeof(arch_mutants) / sizeof(arch_mutants[0]));
}

/*
 * A tag a migration loses shows in the check after that step, with full
 * checks off: the sections' tag counts no longer add up to the live tags.
 */
static void test_lost_tag_caught_at_its_step(void **state)
{
	(void)state;
	struct mhp_fuzz_options opt = { .model = "qemu-virt-arm64-4k", .mutant = "migrate-drops-tag", .seed = 1,
					.steps = GAUNTLET_STEPS, .full_check_every = 1000000, .out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result res;
	struct mhp_err err = { 0 };
	if (mhp_fuzz(&opt, &res, &err))
		fail_msg("fuzz: %s", err.msg);
	assert_true(res.violation);
	assert_true(res.found_at < opt.steps);   /* not the full check at the end of the run */
	assert_string_equal(res.invariant, "DATA-LOST");
	assert_non_null(strstr(res.message, "tags are live but"));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

/* Same seed, same file, byte for byte. */
static void test_shrinking_is_deterministic(void **state)
{
	(void)state;
	struct mhp_fuzz_result a, b;
	fuzz("qemu-virt-arm64-4k", "free-to-wrong-list", NULL, 7, GAUNTLET_STEPS, &a);
	assert_true(a.violation);
	char *x = slurp(a.scenario_path);
	fuzz("qemu-virt-arm64-4k", "free-to-wrong-list", NULL, 7, GAUNTLET_STEPS, &b);
	char *y = slurp(b.scenario_path);
	assert_string_equal(x, y);
	assert_int_equal(a.found_at, b.found_at);
	free(x);
	free(y);
}

/* The real strategies keep every invariant over random runs on each granule (CI size). */
static void test_real_strategies_survive(void **state)
{
	(void)state;
	const char *models[] = { "qemu-virt-arm64-4k", "qemu-virt-arm64-16k", "qemu-virt-arm64-64k" };
	const char *strategies[] = { "arm64", "x86-whatif", "generic" };
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			struct mhp_fuzz_result res;
			fuzz(models[i], NULL, strategies[j], 11 + i, 4000, &res);
			if (res.violation)
				fail_msg("%s/%s: %s (shrunk: %s)", models[i], strategies[j], res.message, res.scenario_path);
			/* Teardown is what the runs are for: each reaches it, and a teardown is a remove that worked. */
			assert_true(mhp_fuzz_teardowns(&res) >= 1);   /* 23, 18 and 1 on the three granules today */
			assert_int_equal(mhp_fuzz_teardowns(&res), res.ops_ok[3]);
			assert_string_equal(mhp_fuzz_op_name(3), "remove");
		}
	}
}

/* The x86-64 machines, 4- and 5-level, plain, through virtio-mem, and against the page-by-page path. */
static void test_x86_survives(void **state)
{
	(void)state;
	const char *models[] = { "qemu-q35-x86_64", "qemu-q35-x86_64-la57" };
	for (size_t i = 0; i < 2; i++) {
		struct mhp_fuzz_options opts[] = {
			{ .model = models[i], .seed = 21 + i, .steps = 4000 },
			{ .model = models[i], .seed = 31 + i, .steps = 2000, .virtio_mem = true },
			{ .model = models[i], .seed = 41 + i, .steps = 2000, .differential = "pagewise" },
		};
		for (size_t k = 0; k < 3; k++) {
			struct mhp_fuzz_result res;
			opts[k].out_dir = MHPSIM_BINARY_DIR;
			struct mhp_err err = { 0 };
			if (mhp_fuzz(&opts[k], &res, &err))
				fail_msg("fuzz: %s", err.msg);
			if (res.violation)
				fail_msg("%s (run %zu): %s (shrunk: %s)", models[i], k, res.message, res.scenario_path);
			assert_true(k || mhp_fuzz_teardowns(&res) >= 1);
		}
	}
}

static void fuzz_opt(const struct mhp_fuzz_options *opt, struct mhp_fuzz_result *res)
{
	struct mhp_err err = { 0 };
	if (mhp_fuzz(opt, res, &err))
		fail_msg("fuzz: %s", err.msg);
}

/* Adds stay inside the model's hot-plug regions, as a device's memory does (they once crept past the end). */
static void test_adds_stay_in_the_hotplug_regions(void **state)
{
	(void)state;
	const char *snap = MHPSIM_BINARY_DIR "/fuzz-regions.snapshot";
	struct mhp_fuzz_options opt = { .model = "qemu-virt-arm64-64k", .seed = 1, .steps = 5000, .save_snapshot = snap,
					.out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result res;
	struct mhp_machine *m;
	struct mhp_err err = { 0 };
	fuzz_opt(&opt, &res);
	assert_true(res.ops_ok[0] > 0);   /* "add": the run did add */
	if (mhp_machine_load(snap, NULL, NULL, &m, &err))
		fail_msg("%s", err.msg);
	/* models/qemu-virt-arm64-64k.yaml: boot RAM from 0x40000000, the hot-plug region up to 0xc0000000. */
	for (const char *line = sysfs_read(m, "/proc/iomem"); *line; line = strchr(line, '\n') + 1) {
		unsigned long long start, end;
		char name[64];
		if (sscanf(line, "%llx-%llx : %63[^\n]", &start, &end, name) == 3 && strncmp(name, "System RAM", 10) == 0 &&
		    (start < 0x40000000ull || end >= 0xc0000000ull))
			fail_msg("memory at %llx-%llx, outside boot RAM and the hot-plug region", start, end);
	}
	mhp_machine_free(m);
	remove(snap);
}

/* Tags are handed out from 1 again past the limit, and the run goes on (it used to stop there). */
static void test_tags_wrap_and_the_run_goes_on(void **state)
{
	(void)state;
	struct mhp_fuzz_options opt = { .seed = 3, .steps = 3000, .tag_limit = 300000, .out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result wrapped, whole;
	fuzz_opt(&opt, &wrapped);
	assert_false(wrapped.violation);
	assert_int_equal(wrapped.steps_run, 3000);
	opt.tag_limit = 0;
	fuzz_opt(&opt, &whole);
	assert_int_not_equal(wrapped.state_hash, whole.state_hash);   /* the seed reaches the limit: tags wrapped */
	/* Most allocations still find their tags free, where old ones have gone. */
	assert_string_equal(mhp_fuzz_op_name(4), "alloc");
	assert_true(wrapped.ops_ok[4] * 2 > wrapped.ops_tried[4]);
}

/*
 * A differential run from a snapshot compares the snapshot's own strategy:
 * its finding and the replay line it writes name that strategy, not arm64
 * (they once said "arm64 and ... disagree", and the replay then agreed).
 */
static void test_loaded_differential_names_the_snapshot_strategy(void **state)
{
	(void)state;
	const char *snap = MHPSIM_BINARY_DIR "/fuzz-whatif.snapshot";
	struct mhp_fuzz_options opt = { .seed = 5, .steps = 300, .teardown = "x86-whatif", .save_snapshot = snap,
					.out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result res;
	fuzz_opt(&opt, &res);
	struct mhp_fuzz_options next = { .steps = 2000, .load_snapshot = snap, .differential = "generic",
					 .out_dir = MHPSIM_BINARY_DIR };
	fuzz_opt(&next, &res);
	assert_true(res.violation);
	assert_non_null(strstr(res.message, "DIFFERENTIAL: x86-whatif and generic disagree"));
	char *text = slurp(res.scenario_path);
	assert_non_null(strstr(text, " x86-whatif generic  (they disagree)\n"));
	free(text);
	remove(snap);
}

/* Run 1500 steps, or 600, save, load and run 900: the same machine, the same trace. */
static void test_snapshot_continues_the_run(void **state)
{
	(void)state;
	const char *snap = MHPSIM_BINARY_DIR "/fuzz-continue.snapshot";
	struct mhp_fuzz_options opt = { .seed = 11, .steps = 1500, .full_check_every = 100, .out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result whole, first, rest;
	fuzz_opt(&opt, &whole);
	opt.steps = 600;
	opt.save_snapshot = snap;
	fuzz_opt(&opt, &first);
	assert_int_not_equal(first.state_hash, whole.state_hash);
	struct mhp_fuzz_options next = { .steps = 900, .full_check_every = 100, .load_snapshot = snap };
	fuzz_opt(&next, &rest);
	assert_false(whole.violation || first.violation || rest.violation);
	assert_int_equal(rest.seed, 11);
	assert_int_equal(rest.state_hash, whole.state_hash);
	assert_int_equal(rest.trace_hash, whole.trace_hash);
	remove(snap);
}

/*
 * Memory through the virtio-mem driver only, on every granule (SBM with 4K
 * and 16K, BBM with 64K): every invariant holds, the driver is driven, and a
 * run saved half way and loaded again ends as the whole run does (the
 * device's state travels in the snapshot).
 */
static void test_virtio_mem_driver_survives(void **state)
{
	(void)state;
	const char *models[] = { "qemu-virt-arm64-4k", "qemu-virt-arm64-16k", "qemu-virt-arm64-64k" };
	const char *snap = MHPSIM_BINARY_DIR "/fuzz-virtio-mem.snapshot";
	for (size_t i = 0; i < 3; i++) {
		struct mhp_fuzz_options opt = { .model = models[i], .seed = 21 + i, .steps = 3000, .virtio_mem = true,
						.full_check_every = 100, .out_dir = MHPSIM_BINARY_DIR };
		struct mhp_fuzz_result whole, first, rest;
		fuzz_opt(&opt, &whole);
		if (whole.violation)
			fail_msg("%s: %s (shrunk: %s)", models[i], whole.message, whole.scenario_path);
		assert_true(whole.ops_tried[9] > 100);   /* "virtio_mem" */
		assert_int_equal(whole.ops_tried[0], 0);   /* no add_memory of its own */
		opt.steps = 1200;
		opt.save_snapshot = snap;
		fuzz_opt(&opt, &first);
		struct mhp_fuzz_options next = { .steps = 1800, .full_check_every = 100, .load_snapshot = snap,
						 .virtio_mem = true, .out_dir = MHPSIM_BINARY_DIR };
		fuzz_opt(&next, &rest);
		assert_false(first.violation || rest.violation);
		assert_int_equal(rest.state_hash, whole.state_hash);
		remove(snap);
	}
}

/* A violation found late: the snapshot holds the state one step before it, and a loaded run breaks at once. */
static void test_snapshot_hands_over_a_violation(void **state)
{
	(void)state;
	const char *snap = MHPSIM_BINARY_DIR "/fuzz-violation.snapshot";
	struct mhp_fuzz_options opt = { .seed = 1, .steps = GAUNTLET_STEPS, .mutant = "offline-forgets-totalram",
					.save_snapshot = snap, .out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result found, again;
	fuzz_opt(&opt, &found);
	assert_true(found.violation && found.found_at > 10);
	struct mhp_fuzz_options next = { .steps = 1, .load_snapshot = snap, .out_dir = MHPSIM_BINARY_DIR };
	fuzz_opt(&next, &again);
	assert_true(again.violation);
	assert_int_equal(again.found_at, found.found_at);
	assert_string_equal(again.message, found.message);
	assert_int_equal(again.state_hash, found.state_hash);
	assert_int_equal(again.shrunk_steps, 1);
	assert_replays(&again);   /* a scenario that starts from the copy of the snapshot beside it */
	/* A snapshot that is not a fuzz run's is named as such. */
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_machine_save(m, snap, &err), 0);
	mhp_machine_free(m);
	assert_int_equal(mhp_fuzz(&next, &again, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "fuzz-violation.snapshot: a machine snapshot, but not one saved by mhpsim fuzz"));
	remove(snap);
}

/* Bad options are refused with a reason. */
static void test_bad_options(void **state)
{
	(void)state;
	struct mhp_fuzz_options opt = { .model = "no-such-model", .steps = 10 };
	struct mhp_fuzz_result res;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_fuzz(&opt, &res, &err), -ENOENT);
	opt.model = NULL;
	opt.mutant = "no-such-mutant";
	assert_int_equal(mhp_fuzz(&opt, &res, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutant_gauntlet),
		cmocka_unit_test(test_x86_mutant_gauntlet),
		cmocka_unit_test(test_riscv_mutant_gauntlet),
		cmocka_unit_test(test_bootmem_whatif),
		cmocka_unit_test(test_x86_survives),
		cmocka_unit_test(test_lost_tag_caught_at_its_step),
		cmocka_unit_test(test_tags_wrap_and_the_run_goes_on),
		cmocka_unit_test(test_adds_stay_in_the_hotplug_regions),
		cmocka_unit_test(test_loaded_differential_names_the_snapshot_strategy),
		cmocka_unit_test(test_shrinking_is_deterministic),
		cmocka_unit_test(test_real_strategies_survive),
		cmocka_unit_test(test_snapshot_continues_the_run),
		cmocka_unit_test(test_snapshot_hands_over_a_violation),
		cmocka_unit_test(test_virtio_mem_driver_survives),
		cmocka_unit_test(test_bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
