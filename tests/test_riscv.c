// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_riscv.c - the RISC-V machine: each paging mode's geometry and entry
 * format (asm/pgtable*.h), the level pgtable_cache_init() preallocates,
 * arch_get_mappable_range() per mode, and the teardown's counts that
 * docs/riscv.md derives from 6.12's arch/riscv/mm/init.c: N + 2 full
 * flushes for N sections, the loads and stores of a 128 MiB block.
 */
#include "helpers.h"
#include "sim/machine.h"
#include "sim/memory_hotplug.h"
#include "arch/riscv/riscv.h"
#include "inspect.h"

#include <string.h>

#define GiB (1ull << 30)
#define MiB (1ull << 20)
#define HOT 0x100000000ull

static const struct {
	const char *model;
	unsigned levels;
	uint64_t page_offset, vmemmap, mappable_end;
	uint64_t kept;   /* tables under the PGD: the direct-map window to PAGE_END, and the vmemmap */
} modes[] = {
	/* Sv39: __pa(PAGE_END - 1) misses the linear window and wraps: everything to PHYSMEM_END passes. */
	{ "qemu-virt-riscv64-sv39", 3, 0xffffffd600000000ull, 0xffffffc500000000ull, (1ull << 56) - 1, 132 + 4 },
	{ "qemu-virt-riscv64-sv48", 4, 0xffffaf8000000000ull, 0xffff8d8000000000ull, 0x80000000ull + (64ull << 40) - 1,
	  128 + 4 },
	{ "qemu-virt-riscv64-sv57", 5, 0xff60000000000000ull, 0xff1c000000000000ull,
	  0x80000000ull + 0x7f000000000000ull - 1, 127 + 4 },
};
#define NR_MODES (sizeof(modes) / sizeof(modes[0]))

/* Tables at depth d of machine m. */
static uint64_t count_tables_at(const struct mhp_machine *m, unsigned d)
{
	uint64_t n[INSPECT_PT_MAX_DEPTH];
	inspect_pt_table_counts(m, n);
	return n[d];
}

/* Levels, fixed bases, where leaves may be; the mappable range; the preallocated level. */
static void test_geometry_per_mode(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_MODES; i++) {
		struct mhp_machine *m = boot_model(modes[i].model, NULL);
		const struct pt_geom *g = &m->pt_geom;
		assert_int_equal(g->levels, modes[i].levels);
		assert_int_equal(g->page_offset, modes[i].page_offset);
		assert_int_equal(g->vmemmap_start, modes[i].vmemmap);
		/* 2M PMD leaves always, 1G PUD leaves from Sv48 on, never a P4D leaf (p4d_leaf() is false). */
		for (unsigned d = 0; d < g->levels; d++)
			assert_int_equal(g->block_ok[d], d == g->levels - 2 || (d == g->levels - 3 && g->levels >= 4));
		assert_int_equal(m->mappable_start, 0x80000000ull);
		assert_int_equal(m->mappable_end, modes[i].mappable_end);
		assert_int_equal(count_tables_at(m, 1), modes[i].kept);
		mhp_machine_free(m);
	}
}

/* A linear-map leaf holds PA >> 2 with PAGE_KERNEL; a table entry is V alone; R, W or X make a leaf. */
static void test_entry_format(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-riscv64-sv48", NULL);
	struct pt_walk w;
	pt_walk_va(m, linear_va(m, 0xc0000000ull), &w);   /* [3 GiB, 4 GiB): one PUD leaf */
	assert_int_equal(w.type, DESC_BLOCK);
	assert_int_equal(w.depth, 1);
	assert_int_equal(w.desc[1], (0xc0000000ull >> 2) | _PAGE_KERNEL);
	assert_int_equal(desc_pa(m, w.desc[1]), 0xc0000000ull);
	pt_walk_va(m, linear_va(m, 0x80060000ull), &w);   /* above OpenSBI's no-map ranges: 4K to 2 MiB */
	assert_int_equal(w.type, DESC_PAGE);
	assert_int_equal(w.desc[3], (0x80060000ull >> 2) | _PAGE_KERNEL);
	assert_int_equal(w.desc[2] & ~_PAGE_PFN_MASK, _PAGE_TABLE);
	pt_walk_va(m, linear_va(m, 0x80000000ull), &w);   /* OpenSBI's own memory is not mapped */
	assert_int_equal(w.type, DESC_NONE);
	assert_int_equal(desc_type(m, 2, _PAGE_PRESENT | _PAGE_EXEC), DESC_BLOCK);
	assert_int_equal(desc_type(m, 3, _PAGE_PRESENT), DESC_INVALID);   /* a "table" at the last level */
	assert_int_equal(desc_type(m, 3, _PAGE_READ), DESC_INVALID);      /* not valid */
	mhp_machine_free(m);
}

/* Adds, onlines, offlines and removes [start, start + size) in one call each; returns the removal's stats delta. */
static struct mhp_pt_stats cycle(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, start, size, "System RAM (test)", &err), 0);
	struct mhp_pt_stats a, b;
	mhp_machine_pt_stats(m, &a);
	assert_int_equal(mhp_remove_memory(m, start, size, &err), 0);
	mhp_machine_pt_stats(m, &b);
	return (struct mhp_pt_stats){ .freed = b.freed - a.freed, .desc_reads = b.desc_reads - a.desc_reads,
				      .desc_writes = b.desc_writes - a.desc_writes, .flush_all = b.flush_all - a.flush_all,
				      .flush_range = b.flush_range - a.flush_range };
}

/*
 * One flush_tlb_all() per remove_pgd_mapping(), one per section's
 * vmemmap_free() and the linear map's, plus arch_remove_memory()'s own: N + 2
 * for N sections removed in one call, whatever the tables held; never a
 * flush by address.
 */
static void test_flushes_n_plus_two(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_MODES; i++) {
		struct mhp_machine *m = boot_model(modes[i].model, "memhp_default_state=offline");
		for (uint64_t n = 1; n <= 4; n *= 2) {
			struct mhp_pt_stats d = cycle(m, HOT, n * 128 * MiB);
			assert_int_equal(d.flush_all, n + 2);
			assert_int_equal(d.flush_range, 0);
		}
		mhp_machine_free(m);
	}
}

/*
 * A 128 MiB block's loads and stores in Sv39 (docs/riscv.md, 3.12): the
 * vmemmap's walk reads the P4D, PUD (twice) and PMD slots and clears one
 * leaf; the linear map's reads the P4D and PUD slots, then each of 64 PMD
 * leaves once, and clears them. No table is freed: none empties.
 */
static void test_block_loads_and_stores_sv39(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-riscv64-sv39", "memhp_default_state=offline");
	struct mhp_pt_stats d = cycle(m, HOT, 128 * MiB);
	assert_int_equal(d.desc_reads, 4 + 3 + 64);
	assert_int_equal(d.desc_writes, 1 + 64);
	assert_int_equal(d.freed, 0);
	mhp_machine_free(m);
}

/* Sv48: the linear map's PMD table empties and goes (scanned whole: 512 loads, after its PUD entry is read again). */
static void test_block_loads_and_stores_sv48(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-riscv64-sv48", "memhp_default_state=offline");
	struct mhp_pt_stats d = cycle(m, HOT, 128 * MiB);
	/* vmemmap: P4D 2, PUD 2, PMD 1, then free_pmd_table()'s parent read and scan up to the boot leaf in use. */
	uint64_t vmemmap = 2 + 2 + 1 + 1 + 1, linear = 2 + 2 + 64 + 1 + 512;
	assert_int_equal(d.desc_reads, vmemmap + linear);
	assert_int_equal(d.desc_writes, 1 + 64 + 1);   /* the leaves, and the PUD entry of the freed PMD table */
	assert_int_equal(d.freed, 1);
	mhp_machine_free(m);
}

/*
 * arch_add_memory() sets max_pfn to the end of what it added, even below the
 * top: a block added under another lowers it (6.12 assigns, not raises).
 */
static void test_max_pfn_is_assigned(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-riscv64-sv39", "memhp_default_state=offline");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, HOT + 256 * MiB, 128 * MiB, "System RAM (test)", &err), 0);
	assert_int_equal(m->max_pfn, (HOT + 384 * MiB) >> 12);
	assert_int_equal(mhp_add_memory(m, 0, HOT, 128 * MiB, "System RAM (test)", &err), 0);
	assert_int_equal(m->max_pfn, (HOT + 128 * MiB) >> 12);
	mhp_machine_free(m);
}

/* The command line's no4lvl and no5lvl must agree with the model's mode. */
static void test_mode_words_agree(void **state)
{
	(void)state;
	struct mhp_model *mo = NULL;
	struct mhp_machine *m = NULL;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_model_load(src_path("models/qemu-virt-riscv64-sv57.yaml"), &mo, &err), 0);
	struct mhp_boot_args args = { .cmdline = "console=ttyS0 no4lvl" };
	assert_int_equal(mhp_machine_boot(mo, &args, &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no4lvl"));
	mhp_model_free(mo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_per_mode),
		cmocka_unit_test(test_entry_format),
		cmocka_unit_test(test_flushes_n_plus_two),
		cmocka_unit_test(test_block_loads_and_stores_sv39),
		cmocka_unit_test(test_block_loads_and_stores_sv48),
		cmocka_unit_test(test_max_pfn_is_assigned),
		cmocka_unit_test(test_mode_words_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
