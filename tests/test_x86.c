// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_x86.c - the x86-64 machine: its geometry and descriptors
 * (asm/pgtable_64_types.h, pgtable_types.h), the direct map's counts
 * (init.c, set_memory.c), the leftovers of a failed add, and the hazard
 * 6.12's remove_pud_table() meets in a partly removed 1G leaf.
 */
#include "helpers.h"
#include "sim/machine.h"
#include "sim/memory_hotplug.h"
#include "arch/x86/x86.h"

#include <string.h>

#define GiB (1ull << 30)
#define MiB (1ull << 20)

/* 4-level and 5-level paging: levels, the fixed bases without KASLR, where leaves may be. */
static void test_geometry_per_paging_mode(void **state)
{
	(void)state;
	struct { const char *model; unsigned levels; uint64_t page_offset, vmemmap; } cases[] = {
		{ "qemu-q35-x86_64", 4, 0xffff888000000000ull, 0xffffea0000000000ull },
		{ "qemu-q35-x86_64-la57", 5, 0xff11000000000000ull, 0xffd4000000000000ull },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mhp_machine *m = boot_model(cases[i].model, NULL);
		const struct pt_geom *g = &m->pt_geom;
		assert_int_equal(g->levels, cases[i].levels);
		assert_int_equal(g->page_offset, cases[i].page_offset);
		assert_int_equal(g->vmemmap_start, cases[i].vmemmap);
		assert_int_equal(g->shift[g->levels - 1], 12);
		/* PMD and PUD leaves; never at the P4D or the PGD. */
		for (unsigned d = 0; d < g->levels; d++)
			assert_int_equal(g->block_ok[d], d == g->levels - 2 || d == g->levels - 3);
		assert_string_equal(pt_level_name(m, g->levels - 3), "PUD");
		mhp_machine_free(m);
	}
}

/* A direct-map leaf reads back as the kernel wrote it: PSE above the PTE level, NX, global, its address. */
static void test_descriptors(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-q35-x86_64", NULL);
	struct pt_walk w;
	pt_walk_va(m, linear_va(m, 64 * MiB), &w);
	assert_int_equal(w.type, DESC_BLOCK);
	assert_int_equal(w.depth, 2);   /* PMD */
	assert_int_equal(w.desc[2], (64 * MiB) | X86_PAGE_KERNEL_LARGE);
	assert_int_equal(desc_pa(m, w.desc[2]), 64 * MiB);
	pt_walk_va(m, linear_va(m, 0x1000), &w);   /* [0, 2 MiB): the ISA range and the 4K head */
	assert_int_equal(w.type, DESC_PAGE);
	assert_int_equal(w.desc[3], 0x1000 | X86_PAGE_KERNEL);
	/* A table descriptor: _PAGE_TABLE (p?d_populate() sets _PAGE_USER too), no PSE; a non-present one with bits is invalid. */
	assert_int_equal(w.desc[2] & ~PTE_PFN_MASK, X86_KERNPG_TABLE | _PAGE_USER);
	assert_int_equal(desc_type(m, 2, 0x1000 | _PAGE_RW), DESC_INVALID);
	mhp_machine_free(m);
}

/* Boots the la57 model with SeaBIOS's tail below 2 GiB as RAM: boot RAM then ends on a GiB. */
static struct mhp_machine *boot_la57_ram_to_2g(void)
{
	struct mhp_err err = { 0 };
	struct mhp_model *model = NULL;
	struct mhp_machine *m = NULL;
	struct mhp_boot_args args = { .cmdline = "memhp_default_state=offline", .no_kernel_allocations = 1 };
	assert_int_equal(mhp_model_load(src_path("models/qemu-q35-x86_64-la57.yaml"), &model, &err), 0);
	unsigned cleared = 0;
	for (unsigned i = 0; i < model->nr_reserved; i++)
		if (model->reserved[i].firmware && model->reserved[i].start >= GiB)
			model->reserved[i].firmware = false, cleared++;
	assert_int_equal(cleared, 1);
	assert_int_equal(mhp_machine_boot(model, &args, &m, &err), 0);
	mhp_model_free(model);
	return m;
}

/*
 * e820's RAM ends at 0x7ffdf000: no GiB below 2 GiB is all RAM, so boot maps
 * none with a GiB leaf and its last 1916K with 4K pages. On RAM that ends on
 * a GiB, boot counts a GiB leaf each time memory_map_top_down() passes it
 * (phys_pud_init() counts a kept leaf before after_bootmem); hot-add counts
 * only what it sets. Without pdpe1gb there is no DirectMap1G line at all.
 */
static void test_direct_map_counts(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-q35-x86_64-la57", "memhp_default_state=offline");
	assert_int_equal(m->direct_pages_count[PG_LEVEL_1G], 0);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_2M], 1022);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_4K], 512 + (0x7ffdf000 - 0x7fe00000) / 4096);
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, 4 * GiB, 1 * GiB + 256 * MiB, "System RAM", &err), 0);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_1G], 1);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_2M], 1022 + 128);
	assert_int_equal(mhp_remove_memory(m, 4 * GiB, 1 * GiB + 256 * MiB, &err), 0);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_1G], 0);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_2M], 1022);
	mhp_machine_free(m);
	m = boot_la57_ram_to_2g();   /* [1 GiB, 2 GiB): one leaf, passed by each of the 4 calls of init_memory_mapping() */
	assert_int_equal(m->direct_pages_count[PG_LEVEL_1G], 4);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_2M], 511);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_4K], 512);
	assert_int_equal(mhp_add_memory(m, 0, 4 * GiB, 1 * GiB, "System RAM", &err), 0);
	assert_int_equal(m->direct_pages_count[PG_LEVEL_1G], 5);
	mhp_machine_free(m);
	m = boot_model("qemu-q35-x86_64", NULL);
	assert_null(strstr(sysfs_read(m, "/proc/meminfo"), "DirectMap1G"));
	mhp_machine_free(m);
	m = boot_model("qemu-q35-x86_64-la57", "nogbpages");
	assert_null(strstr(sysfs_read(m, "/proc/meminfo"), "DirectMap1G"));
	assert_int_equal(m->direct_pages_count[PG_LEVEL_1G], 0);
	mhp_machine_free(m);
}

/*
 * Removing part of a GiB added as one leaf: 6.12's remove_pud_table() does
 * not split the leaf (it would walk the mapped memory as a PMD table). The
 * model reports the hazard and leaves the leaf, which PT-COVER then finds
 * mapping memory that is gone.
 */
static void test_partial_gib_leaf_is_reported(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-q35-x86_64-la57", "memhp_default_state=offline");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, 4 * GiB, GiB, "System RAM", &err), 0);
	uint64_t warns = m->nr_kernel_warns;
	assert_int_equal(mhp_remove_memory(m, 4 * GiB, 128 * MiB, &err), 0);
	assert_int_equal(m->nr_kernel_warns, warns + 1);
	assert_int_not_equal(mhp_check_all(m, &err), 0);
	assert_non_null(strstr(err.msg, "PT-COVER"));
	mhp_machine_free(m);
}

/* The record of a failed add's linear map: merged, split by a removal, bounded. */
static void test_linear_map_leftovers(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-q35-x86_64", NULL);
	assert_true(linear_map_left_add(m, 4 * GiB, 5 * GiB));
	assert_true(linear_map_left_add(m, 5 * GiB, 6 * GiB));   /* touching: one range */
	assert_int_equal(m->nr_linear_left, 1);
	linear_map_left_clear(m, 4 * GiB + 128 * MiB, 4 * GiB + 256 * MiB);   /* a hole in the middle */
	assert_int_equal(m->nr_linear_left, 2);
	assert_true(linear_map_left_at(m, 4 * GiB));
	assert_false(linear_map_left_at(m, 4 * GiB + 128 * MiB));
	assert_true(linear_map_left_at(m, 4 * GiB + 256 * MiB));
	linear_map_left_clear(m, 0, 8 * GiB);
	assert_int_equal(m->nr_linear_left, 0);
	for (unsigned i = 0; i < LINEAR_LEFT_MAX; i++)
		assert_true(linear_map_left_add(m, (8 + 2 * i) * GiB, (9 + 2 * i) * GiB));
	assert_false(linear_map_left_add(m, 1000 * GiB, 1001 * GiB));   /* full: the caller unmaps instead */
	mhp_machine_free(m);
}

/* The count of pages freed while cached, after each step: the last one seen. */
static void count_after_step(struct mhp_machine *m, unsigned step, int invariant, void *ctx)
{
	(void)step, (void)invariant;
	struct mhp_pt_stats st;
	mhp_machine_pt_stats(m, &st);
	*(uint64_t *)ctx = st.freed_while_cached;
}

/* Replays a scenario (with a mutant, or none) and returns its machine's count of pages freed while cached. */
static uint64_t freed_while_cached(const char *scenario, const char *mutant)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load(src_path(scenario), src_path("models"), &sc, &err))
		fail_msg("%s", err.msg);
	uint64_t count = 0;
	struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .mutant = mutant, .after_step = count_after_step,
				       .after_ctx = &count };
	struct mhp_run_result res;
	mhp_scenario_run(sc, &opt, &res, &err);   /* a mutant's run may end in a violation: the count is what is asked */
	mhp_scenario_free(sc);
	return count;
}

/*
 * The hazard follows the order of clear, flush and free: x86 frees a cached
 * vmemmap block before its flush (1 in the scenario), RISC-V clears it and
 * then frees it, still before its flush (1), arm64 flushes first (0); an
 * arm64 that skips the leaf flush frees while cached, and is counted.
 */
static void test_freed_while_cached_follows_the_order(void **state)
{
	(void)state;
	assert_int_equal(freed_while_cached("scenarios/x86_64/07-vmemmap-freed-while-cached.yaml", NULL), 1);
	assert_int_equal(freed_while_cached("scenarios/riscv64/03-freed-before-the-flush.yaml", NULL), 1);
	assert_int_equal(freed_while_cached("scenarios/50-vmemmap-freed-after-the-flush.yaml", NULL), 0);
	assert_true(freed_while_cached("scenarios/50-vmemmap-freed-after-the-flush.yaml", "no-leaf-flush") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_per_paging_mode),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_direct_map_counts),
		cmocka_unit_test(test_partial_gib_leaf_is_reported),
		cmocka_unit_test(test_linear_map_leftovers),
		cmocka_unit_test(test_freed_while_cached_follows_the_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
