// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kernel_loop.c - the differential test of the "kernel" strategy: every
 * scenario replayed with "arm64" (our model of arch/arm64/mm/mmu.c) and with
 * "kernel" (that file's own functions, from the tree the library was built
 * with). After every step the page tables, the tables freed, the TLB and its
 * flushes, the kernel's WARNs and the invariants' verdict must be the same;
 * the first difference fails the test, naming the step, table and entry.
 * The same for x86-64 (arch/x86/mm/init_64.c) and RISC-V (arch/riscv/mm/init.c,
 * whose hot-add of the linear map is the tree's too).
 *
 * Built without a kernel tree, the test says so and reports itself skipped.
 */
#include "helpers.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/mutant.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SKIPPED 77   /* ctest's SKIP_RETURN_CODE */

/* The model's strategy (broken by mutant, if any) against kernel: the first step that differs, or 0. */
static unsigned differential(const char *path, const char *mutant, char *why, size_t cap, unsigned *steps)
{
	struct mhp_scenario *sc;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(path, src_path("models"), &sc, &err))
		fail_msg("%s", err.msg);
	struct mhp_diff_options opt = { .a = mhp_scenario_teardown(sc), .b = "kernel", .mutant_a = mutant };
	struct mhp_diff_result res;
	if (mhp_scenario_diff(sc, &opt, &res, &err))
		fail_msg("%s", err.msg);
	mhp_scenario_free(sc);
	snprintf(why, cap, "%s", res.why);
	*steps = res.steps;
	return res.differs_at;
}

/* Every scenario of a directory (a path as it stands) agrees with the tree after every step; returns how many. */
static size_t every_scenario_in(const char *where)
{
	char dir[1024];   /* src_path() answers in one buffer, which differential() reuses */
	snprintf(dir, sizeof(dir), "%s", where);
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[256];
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) && n < 256;)
		if (strstr(e->d_name, ".yaml"))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), (int (*)(const void *, const void *))strcmp);
	unsigned steps = 0;
	for (size_t i = 0; i < n; i++) {
		char path[1400], why[512];
		unsigned k;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unsigned bad = differential(path, NULL, why, sizeof(why), &k);
		if (bad)
			fail_msg("%s: step %u differs: %s", path, bad, why);
		steps += k;
		free(names[i]);
	}
	printf("  %s: %zu scenarios, %u steps: page tables, frees, TLB, WARNs and invariants agree after every step\n",
	       dir, n, steps);
	return n;
}

/* The same for a directory of the source tree. */
static size_t every_scenario_agrees(const char *dir)
{
	return every_scenario_in(src_path(dir));
}

static void test_every_scenario_agrees(void **state)
{
	(void)state;
	assert_true(every_scenario_agrees("scenarios") >= 30);
}

/* x86-64: the model of init_64.c's remove_pagetable() against the tree's own, loads and stores counted alike. */
static void test_every_x86_scenario_agrees(void **state)
{
	(void)state;
	assert_true(every_scenario_agrees("scenarios/x86_64") >= 5);
}

/* The x86 differential can fail too: the model broken on purpose differs from the tree where it tears down. */
static void test_a_broken_x86_model_differs(void **state)
{
	(void)state;
	static const struct { const char *mutant, *expect; } cases[] = {
		{ "free-table-keep-parent", "table at pfn" },      /* a parent still points at a freed table */
		{ "no-leaf-flush", "all 0/" },                     /* the flush_tlb_all()s are missing */
		{ "tables-never-freed", "kernel 0" },              /* the kernel cleared the entry to a table it freed */
		{ "vmemmap-not-freed", "x86 0x8000000004400" },   /* the vmemmap leaf the kernel cleared stays */
	};
	char path[1024];
	snprintf(path, sizeof(path), "%s/scenarios/x86_64/02-flush-per-pte-table.yaml", src_path("."));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char why[512] = "";
		unsigned steps, bad = differential(path, cases[i].mutant, why, sizeof(why), &steps);
		printf("  %-24s step %u: %s\n", cases[i].mutant, bad, why);
		assert_true(bad > 0);
		if (!strstr(why, cases[i].expect))
			fail_msg("%s: expected \"%s\" in: %s", cases[i].mutant, cases[i].expect, why);
	}
}

/* Whether the tree the library was built with has RISC-V's hot-remove (6.12 has it, 6.1 not). */
static bool riscv_kernel_built(void)
{
	struct mhp_machine *m = boot_model("qemu-virt-riscv64-sv39", NULL);
	int ret = mhp_machine_set_teardown(m, "kernel");
	mhp_machine_free(m);
	return ret == 0;
}

static const char *const riscv_models[] = { "qemu-virt-riscv64-sv39", "qemu-virt-riscv64-sv48",
					    "qemu-virt-riscv64-sv57" };

/*
 * The test's own RISC-V scenarios, one set per paging mode, written to the
 * build directory: what every mode's teardown must get right whatever
 * scenarios/riscv64 holds. A virtio-mem plug and unplug (2M linear leaves,
 * a new PTE-less PMD table in Sv48/57 freed before its PUD entry is
 * cleared); 1 GiB added by hand (a 1G leaf in Sv48/57), onlined, offlined
 * and removed, then a block with its memmap on itself (an altmap); and
 * with debug_pagealloc a boot block removed (its boot PTE tables and boot
 * memmap come back through free_reserved_page()). And with debug_pagealloc
 * (4K PTEs, so PTE tables) a hot-add whose second page-table allocation
 * fails: the tree's create_linear_mapping_range() stops at its BUG_ON with
 * the first table linked and filled, as the model's does, and the linear
 * map is removed again; then the same add succeeds and goes.
 */
static const struct { const char *name, *cmdline, *steps; } riscv_cases[] = {
	{ "plug-unplug", "console=ttyS0 memhp_default_state=online",
	  "  - virtio_mem: { requested_size: 256M, plugged: 256M }\n"
	  "  - touch: { phys: 0x100000000 }\n"
	  "  - touch: { struct_page: 0x100000 }\n"
	  "  - virtio_mem: { requested_size: 0, plugged: 0 }\n"
	  "  - touch: { phys: 0x100000000 }\n"
	  "    expect: EFAULT\n" },
	{ "manual", "console=ttyS0 memhp_default_state=offline",
	  "  - add_memory: { start: 0x100000000, size: 1G }\n"
	  "  - write: /sys/devices/system/memory/memory32/state\n"
	  "    value: online_movable\n"
	  "  - write: /sys/devices/system/memory/memory33/state\n"
	  "    value: online\n"
	  "  - touch: { phys: 0x108000000 }\n"
	  "  - write: /sys/devices/system/memory/memory32/state\n"
	  "    value: offline\n"
	  "  - write: /sys/devices/system/memory/memory33/state\n"
	  "    value: offline\n"
	  "  - remove_memory: { start: 0x100000000, size: 1G }\n"
	  "  - add_memory: { start: 0x100000000, size: 128M, memmap_on_memory: true }\n"
	  "  - write: /sys/devices/system/memory/memory32/state\n"
	  "    value: online\n"
	  "  - write: /sys/devices/system/memory/memory32/state\n"
	  "    value: offline\n"
	  "  - remove_memory: { start: 0x100000000, size: 128M }\n" },
	{ "boot-remove", "console=ttyS0 memhp_default_state=online debug_pagealloc=on",
	  "  - write: /sys/devices/system/memory/memory24/state\n"
	  "    value: offline\n"
	  "  - touch: { struct_page: 0xc0000 }\n"
	  "  - remove_memory: { start: 0xc0000000, size: 128M }\n"
	  "  - virtio_mem: { requested_size: 256M, plugged: 256M }\n"
	  "  - virtio_mem: { requested_size: 0, plugged: 0 }\n" },
	{ "add-enomem", "console=ttyS0 memhp_default_state=offline debug_pagealloc=on",
	  "  - fail_alloc: { at: 2, count: 1 }\n"
	  "  - add_memory: { start: 0x100000000, size: 128M }\n"
	  "    expect: ENOMEM\n"
	  "  - touch: { phys: 0x100000000 }\n"
	  "    expect: EFAULT\n"
	  "  - add_memory: { start: 0x100000000, size: 128M }\n"
	  "  - write: /sys/devices/system/memory/memory32/state\n"
	  "    value: online\n"
	  "  - touch: { phys: 0x107fff000 }\n"
	  "  - write: /sys/devices/system/memory/memory32/state\n"
	  "    value: offline\n"
	  "  - remove_memory: { start: 0x100000000, size: 128M }\n" },
};

/* Writes the test's RISC-V scenarios; returns their directory. */
static const char *riscv_scenarios_written(void)
{
	static char dir[1024];
	snprintf(dir, sizeof(dir), "%s/riscv-kernel-loop", MHPSIM_BINARY_DIR);
	mkdir(dir, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(riscv_models); i++)
		for (size_t j = 0; j < ARRAY_SIZE(riscv_cases); j++) {
			char path[1200];
			snprintf(path, sizeof(path), "%s/%s-%s.yaml", dir, riscv_models[i] + strlen("qemu-virt-riscv64-"),
				 riscv_cases[j].name);
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fprintf(f, "scenario: riscv-kernel-loop-%s\ndescription: >\n  Written by tests/test_kernel_loop.c.\n"
				"model: %s\ncmdline: \"%s\"\nsteps:\n%s", riscv_cases[j].name, riscv_models[i],
				riscv_cases[j].cmdline, riscv_cases[j].steps);
			assert_int_equal(fclose(f), 0);
		}
	return dir;
}

/*
 * RISC-V: the model of 6.12's remove_pgd_mapping() (libsim/arch/riscv/init.c)
 * against the tree's own arch/riscv/mm/init.c, in Sv39, Sv48 and Sv57: tables,
 * frees, loads and stores, flushes, TLB, WARNs and invariants alike after
 * every step. Over the test's own scenarios, and scenarios/riscv64 when it
 * is there.
 */
static void test_every_riscv_scenario_agrees(void **state)
{
	(void)state;
	if (!riscv_kernel_built())
		skip();   /* a tree from before RISC-V hot-remove (6.1) */
	assert_int_equal(every_scenario_in(riscv_scenarios_written()), ARRAY_SIZE(riscv_models) * ARRAY_SIZE(riscv_cases));
	DIR *d = opendir(src_path("scenarios/riscv64"));
	if (!d) {
		printf("  scenarios/riscv64: not there yet\n");
		return;
	}
	closedir(d);
	assert_true(every_scenario_agrees("scenarios/riscv64") >= 1);
}

/* The RISC-V differential can fail too: the model broken on purpose differs from the tree, in every mode. */
static void test_a_broken_riscv_model_differs(void **state)
{
	(void)state;
	if (!riscv_kernel_built())
		skip();
	static const struct { const char *mutant, *expect; } cases[] = {
		{ "free-table-keep-parent", "table at pfn" },      /* a parent still points at a freed table */
		{ "no-leaf-flush", "all 0/" },                     /* the flush_tlb_all()s are missing */
		{ "tables-never-freed", "live with riscv only" },  /* tables the kernel frees stay */
		{ "vmemmap-not-freed", "kernel 0" },               /* the vmemmap leaf the kernel cleared stays */
	};
	const char *dir = riscv_scenarios_written();
	for (size_t m = 0; m < ARRAY_SIZE(riscv_models); m++) {
		char path[1200];
		snprintf(path, sizeof(path), "%s/%s-boot-remove.yaml", dir, riscv_models[m] + strlen("qemu-virt-riscv64-"));
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			char why[512] = "";
			unsigned steps, bad = differential(path, cases[i].mutant, why, sizeof(why), &steps);
			printf("  %s %-24s step %u: %s\n", riscv_models[m] + strlen("qemu-virt-riscv64-"), cases[i].mutant, bad,
			       why);
			assert_true(bad > 0);
			if (!strstr(why, cases[i].expect))
				fail_msg("%s: expected \"%s\" in: %s", cases[i].mutant, cases[i].expect, why);
		}
	}
}

/*
 * The add side can fail the RISC-V differential too: the model's
 * create_linear_mapping_range() broken to map one page less than it adds
 * (the mutant leaves the tree's own alone) differs from the tree's at the
 * first add, in every mode: the last 2 MiB as PTEs under a PTE table the
 * tree never allocated.
 */
static void test_a_broken_riscv_add_differs(void **state)
{
	(void)state;
	if (!riscv_kernel_built())
		skip();
	static const char *const expect[] = { "entry 511: riscv 0x", "is live with riscv only", "is live with riscv only" };
	const char *dir = riscv_scenarios_written();
	for (size_t m = 0; m < ARRAY_SIZE(riscv_models); m++) {
		char path[1200], why[512] = "";
		snprintf(path, sizeof(path), "%s/%s-manual.yaml", dir, riscv_models[m] + strlen("qemu-virt-riscv64-"));
		unsigned steps, bad = differential(path, "linear-map-short", why, sizeof(why), &steps);
		printf("  %s linear-map-short step %u: %s\n", riscv_models[m] + strlen("qemu-virt-riscv64-"), bad, why);
		assert_int_equal(bad, 1);   /* the add itself */
		if (!strstr(why, expect[m]))
			fail_msg("%s: expected \"%s\" in: %s", riscv_models[m], expect[m], why);
	}
}

/* The test can fail: a model broken on purpose differs from the tree at the first teardown, and says where. */
static void test_a_broken_model_differs(void **state)
{
	(void)state;
	static const struct { const char *mutant, *expect; } cases[] = {
		{ "free-table-keep-parent", "table at pfn" },   /* a parent still points at a freed table */
		{ "no-table-flush", "pgtable" },                /* the page-table flushes are missing */
		{ "tables-never-freed", "live with arm64 only" },   /* tables the kernel frees stay */
	};
	char path[1024];
	snprintf(path, sizeof(path), "%s/scenarios/11-pgtable-teardown.yaml", src_path("."));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char why[512] = "";
		unsigned steps, bad = differential(path, cases[i].mutant, why, sizeof(why), &steps);
		printf("  %-24s step %u: %s\n", cases[i].mutant, bad, why);
		assert_true(bad > 0);
		assert_non_null(strstr(why, cases[i].expect));
	}
}

/* Fuzzing both: the model against the tree on every granule, same seeds; nothing may differ. */
static void test_fuzz_both_agree(void **state)
{
	(void)state;
	static const char *const models[] = { "qemu-virt-arm64-4k", "qemu-virt-arm64-16k", "qemu-virt-arm64-64k",
					      "qemu-q35-x86_64", "qemu-q35-x86_64-la57", "qemu-virt-riscv64-sv39",
					      "qemu-virt-riscv64-sv48", "qemu-virt-riscv64-sv57" };
	bool riscv = riscv_kernel_built();
	for (size_t i = 0; i < ARRAY_SIZE(models); i++) {
		if (!riscv && strstr(models[i], "riscv64")) {
			printf("  %s: skipped (the tree has no RISC-V hot-remove)\n", models[i]);
			continue;
		}
		struct mhp_fuzz_options opt = { .models_dir = src_path("models"), .model = models[i], .seed = 2026,
						.steps = 3000, .differential = "kernel", .out_dir = MHPSIM_BINARY_DIR };
		struct mhp_fuzz_result res;
		struct mhp_err err = { 0 };
		assert_int_equal(mhp_fuzz(&opt, &res, &err), 0);
		if (res.violation)
			fail_msg("%s: %s (%s)", models[i], res.message, res.scenario_path);
		assert_int_equal(res.steps_run, 3000);
	}
}

/*
 * A difference is a finding like any other: the table-flush mutant, which
 * the invariants catch only once a cached walk goes stale, differs from the
 * tree at the first table freed; it is shrunk, and mhpsim diff replays it.
 */
static void test_fuzz_finds_a_difference(void **state)
{
	(void)state;
	struct mhp_fuzz_options opt = { .models_dir = src_path("models"), .seed = 1, .steps = 3000,
					.mutant = "no-table-flush", .differential = "kernel", .out_dir = MHPSIM_BINARY_DIR };
	struct mhp_fuzz_result res;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_fuzz(&opt, &res, &err), 0);
	assert_true(res.violation);
	assert_string_equal(res.invariant, "DIFFERENTIAL");
	assert_true(res.shrunk_steps <= 5);
	char why[512];
	unsigned steps, bad = differential(res.scenario_path, "no-table-flush", why, sizeof(why), &steps);
	printf("  found at step %llu, shrunk to %u steps: %s\n  replayed: step %u: %s\n",
	       (unsigned long long)res.found_at, res.shrunk_steps, res.scenario_path, bad, why);
	assert_true(bad > 0);
	assert_non_null(strstr(why, "pgtable 0/"));
	/* Without the differential the same seed and budget miss it: no cached walk went stale. */
	opt.differential = NULL;
	assert_int_equal(mhp_fuzz(&opt, &res, &err), 0);
	assert_false(res.violation);
}

int main(void)
{
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	int built = mhp_machine_set_teardown(m, "kernel");
	mhp_machine_free(m);
	if (built == -ENOTSUP) {
		printf("SKIPPED: built without a kernel tree (cmake -DMHPSIM_KERNEL_TREE=DIR; scripts/kernel-tree.sh)\n");
		return SKIPPED;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario_agrees),
		cmocka_unit_test(test_every_x86_scenario_agrees),
		cmocka_unit_test(test_a_broken_x86_model_differs),
		cmocka_unit_test(test_every_riscv_scenario_agrees),
		cmocka_unit_test(test_a_broken_riscv_model_differs),
		cmocka_unit_test(test_a_broken_riscv_add_differs),
		cmocka_unit_test(test_a_broken_model_differs),
		cmocka_unit_test(test_fuzz_both_agree),
		cmocka_unit_test(test_fuzz_finds_a_difference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
