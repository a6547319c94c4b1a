// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_slab.c - the kernel's own allocations by cause (libsim/mm/slab.c):
 * where they land, what they refuse, that they survive a snapshot, and that
 * each scenario showing them depends on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct mhp_machine *boot_with_kalloc(const char *cmdline)
{
	struct mhp_boot_args args = { .cmdline = cmdline };
	return boot_model_args("qemu-virt-arm64-4k", &args);
}

/* One step of the lane: the action, bracketed by the kernel's activity around it. */
static int step_write(struct mhp_machine *m, const char *path, const char *value)
{
	mhp_machine_step_begin(m);
	int ret = sysfs_write(m, path, value);
	mhp_machine_step_end(m);
	return ret;
}

/* The first ZONE_NORMAL block gets the kernel's slab and claims unmovable and reclaimable pageblocks. */
static void test_first_normal_block_takes_them(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_with_kalloc("memhp_default_state=offline");
	add_virtio_mem(m, 0x80000000, 256ull << 20);
	assert_int_equal(step_write(m, "/sys/devices/system/memory/memory16/state", "online_kernel"), 0);
	assert_int_equal(step_write(m, "/sys/devices/system/memory/memory17/state", "online_kernel"), 0);
	uint64_t flags, count, slab = 0;
	for (uint64_t pfn = 0x80000; pfn < 0x88000; pfn++) {
		mhp_testing_kpageflags(m, pfn, &flags, &count);
		slab += (flags >> 7) & 1;   /* KPF_SLAB */
	}
	assert_true(slab > 0);
	for (uint64_t pfn = 0x88000; pfn < 0x90000; pfn++) {
		mhp_testing_kpageflags(m, pfn, &flags, &count);
		assert_int_equal(flags & (1ull << 7), 0);   /* memory17 came second: none there */
	}
	/* Isolation meets them: memory16 stays, memory17 goes. */
	assert_int_equal(step_write(m, "/sys/devices/system/memory/memory16/state", "offline"), -EBUSY);
	assert_int_equal(step_write(m, "/sys/devices/system/memory/memory17/state", "offline"), 0);
	mhp_machine_free(m);
}

/* ZONE_MOVABLE keeps them out: the kernel's allocations have no __GFP_MOVABLE. */
static void test_movable_keeps_them_out(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_with_kalloc("memhp_default_state=offline");
	add_virtio_mem(m, 0x80000000, 128ull << 20);
	assert_int_equal(step_write(m, "/sys/devices/system/memory/memory16/state", "online_movable"), 0);
	for (int i = 0; i < 20; i++) {   /* twenty steps of the lane's activity */
		mhp_machine_step_begin(m);
		assert_string_equal(sysfs_read(m, "/sys/devices/system/memory/memory16/state"), "online\n");
		mhp_machine_step_end(m);
	}
	assert_int_equal(step_write(m, "/sys/devices/system/memory/memory16/state", "offline"), 0);
	mhp_machine_free(m);
}

/* The objects' bytes and held pages are state: a snapshot carries them, the hash sees them. */
static void test_snapshot_keeps_them(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_with_kalloc("memhp_default_state=online");
	add_virtio_mem(m, 0x80000000, 256ull << 20);
	mhp_machine_step_begin(m);
	mhp_machine_step_end(m);
	void *buf;
	size_t len;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_machine_save_buffer(m, &buf, &len, &err), 0);
	struct mhp_machine *b = NULL;
	assert_int_equal(mhp_machine_load_buffer(buf, len, "slab.snap", NULL, NULL, &b, &err), 0);
	assert_int_equal(mhp_machine_state_hash(m), mhp_machine_state_hash(b));
	mhp_machine_step_begin(m);
	mhp_machine_step_end(m);
	mhp_machine_step_begin(b);
	mhp_machine_step_end(b);
	assert_int_equal(mhp_machine_state_hash(m), mhp_machine_state_hash(b));
	free(buf);
	mhp_machine_free(b);
	mhp_machine_free(m);
}

/*
 * Scenarios whose outcome the kernel's slab decides fail when the model leaves
 * it out (41 and 42 are decided by the next block's memmap, modelled before).
 */
static void test_scenarios_depend_on_them(void **state)
{
	(void)state;
	static const char *const files[] = { "scenarios/33-virtio-mem-plug-unplug.yaml",
					     "scenarios/44-normal-big-block-unplug.yaml" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(src_path(files[i]), "r");
		assert_non_null(f);
		static char text[1 << 16], off[(1 << 16) + 64];
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = 0;
		char *steps = strstr(text, "\nsteps:\n");
		assert_non_null(steps);
		snprintf(off, sizeof(off), "%.*s\nkernel_allocations: false%s", (int)(steps - text), text, steps);
		struct mhp_err err = { 0 };
		struct mhp_scenario *sc;
		struct mhp_run_options opt = { .output = MHP_OUT_QUIET };
		struct mhp_run_result res;
		assert_int_equal(mhp_scenario_load_buffer(text, n, src_path(files[i]), NULL, &sc, &err), 0);
		if (mhp_scenario_run(sc, &opt, &res, &err))
			fail_msg("%s: %s", files[i], err.msg);
		mhp_scenario_free(sc);
		assert_int_equal(mhp_scenario_load_buffer(off, strlen(off), src_path(files[i]), NULL, &sc, &err), 0);
		assert_int_not_equal(mhp_scenario_run(sc, &opt, &res, &err), 0);
		mhp_scenario_free(sc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_normal_block_takes_them),
		cmocka_unit_test(test_movable_keeps_them_out),
		cmocka_unit_test(test_snapshot_keeps_them),
		cmocka_unit_test(test_scenarios_depend_on_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
