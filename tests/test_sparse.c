// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_sparse.c - the section table (mm/sparse.c) through its internals.
 */
#include "helpers.h"
#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/sparse.h"

#include <string.h>

#define MiB (1ull << 20)

/* The table grows with present sections, not with the physical address space. */
static void test_section_table_grows_with_population(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("server-2node-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	uint64_t base = sparse_memory_bytes(m);
	size_t roots = m->sparse.nr_roots;
	/* One block far away (64 TiB) costs one more root, not 64 TiB worth of table. */
	assert_int_equal(mhp_add_memory(m, 1, 0x400000000000ull, 128 * MiB, "System RAM (kmem)", &err), 0);
	assert_int_equal(m->sparse.nr_roots, roots + 1);
	assert_true(sparse_memory_bytes(m) - base <= 256 * sizeof(struct mem_section) + 8 * sizeof(struct section_root));
	/* Removing it frees the root again. */
	assert_int_equal(mhp_remove_memory(m, 0x400000000000ull, 128 * MiB, &err), 0);
	assert_int_equal(m->sparse.nr_roots, roots);
	mhp_machine_free(m);
}

/* Boot sections are present, online and early; hot-added ones are not early. */
static void test_section_flags(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	const struct mem_section *ms = __nr_to_section(m, 8);
	assert_true(present_section(ms) && online_section(ms) && early_section(ms));
	assert_true(ms->flags & SECTION_HAS_MEM_MAP);
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	ms = __nr_to_section(m, 16);
	assert_true(present_section(ms) && !online_section(ms) && !early_section(ms));
	assert_int_equal(ms->subsection_map[0], UINT64_MAX);   /* 64 subsections of 2 MiB */
	assert_null(__nr_to_section(m, 1u << 20));              /* never touched: no root */
	mhp_machine_free(m);
}

/* A subsection that is already present cannot be added again (-EEXIST). */
static void test_subsection_double_add_is_eexist(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	uint64_t pfn = 0x80000;
	assert_int_equal(sparse_add_section(m, 0, pfn, 512, false), 0);            /* first 2 MiB */
	assert_int_equal(sparse_add_section(m, 0, pfn + 512, 512, false), 0);      /* next 2 MiB */
	assert_int_equal(sparse_add_section(m, 0, pfn + 512, 1024, false), -EEXIST);
	assert_true(pfn_valid(m, pfn + 1023));
	assert_false(pfn_valid(m, pfn + 1024));   /* a valid section, an absent subsection */
	sparse_remove_section(m, pfn, 1024);
	assert_false(present_section(__pfn_to_section(m, pfn)));
	mhp_machine_free(m);
}

/* The memmap costs 64 bytes per page: 512 pages per 128 MiB section with 4K pages. */
static void test_memmap_accounting(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	assert_int_equal(m->nr_memmap_boot_pages, 8 * 512);
	add_virtio_mem(m, 0x80000000, 384 * MiB);
	assert_int_equal(m->nr_memmap_pages, 3 * 512);
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_section_table_grows_with_population),
		cmocka_unit_test(test_section_flags),
		cmocka_unit_test(test_subsection_double_add_is_eexist),
		cmocka_unit_test(test_memmap_accounting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
