// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pgtable.c - arm64 kernel page tables as arch/arm64/mm/mmu.c builds them.
 */
#include "helpers.h"
#include "sim/machine.h"
#include "arm64.h"
#include "differential.h"
#include "check/check.h"
#include "mhpsim/snapshot.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MiB (1ull << 20)

static uint64_t desc_at(struct mhp_machine *m, uint64_t va, enum desc_type *type, unsigned *depth)
{
	struct pt_walk w;
	pt_walk_va(m, va, &w);
	*type = w.type;
	*depth = w.depth;
	return w.desc[w.depth];
}

/* Levels and layout follow the granule (pgtable-hwdef.h, memory.h). */
static void test_geometry_per_granule(void **state)
{
	(void)state;
	struct { const char *model; unsigned levels; uint64_t ptrs_last, vmemmap_start; } cases[] = {
		{ "qemu-virt-arm64-4k", 4, 512, 0xfffffdffc0000000ull },
		{ "qemu-virt-arm64-16k", 4, 2048, 0xffffff7fc0000000ull },
		{ "qemu-virt-arm64-64k", 3, 8192, 0xffffffdfc0000000ull },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mhp_machine *m = boot_model(cases[i].model, NULL);
		assert_int_equal(m->pt_geom.levels, cases[i].levels);
		assert_int_equal(m->pt_geom.ptrs[cases[i].levels - 1], cases[i].ptrs_last);
		assert_int_equal(m->pt_geom.vmemmap_start, cases[i].vmemmap_start);
		assert_int_equal(m->pt_geom.page_offset, 0xffff000000000000ull);
		assert_string_equal(pt_level_name(m, 0), "PGD");
		assert_string_equal(pt_level_name(m, cases[i].levels - 1), "PTE");
		mhp_machine_free(m);
	}
}

/* The descriptor values 6.12 writes for hot-added memory (4K, no LPA2, no KPTI). */
static void test_hot_added_descriptors_are_the_kernels(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	enum desc_type type;
	unsigned depth;
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	uint64_t d = desc_at(m, linear_va(m, 0x80001000), &type, &depth);
	assert_int_equal(type, DESC_PAGE);
	assert_int_equal(d, 0x80001000ull | 0x00E8000000000707ull);
	d = desc_at(m, vmemmap_va(m, 0x80000), &type, &depth);
	assert_int_equal(type, DESC_BLOCK);
	assert_int_equal(d & ~0xfffffffff000ull, 0x0068000000000701ull);
	/* The PMD entry that holds the new linear PTE table: TABLE | UXNTable | PXNTable. */
	struct pt_walk w;
	pt_walk_va(m, linear_va(m, 0x80000000), &w);
	assert_int_equal(w.desc[2] & ~0xfffffffff000ull, 0x1800000000000003ull);
	/* A vmemmap table descriptor: TABLE | UXNTable only. */
	pt_walk_va(m, vmemmap_va(m, 0x80000), &w);
	assert_int_equal(w.desc[1] & ~0xfffffffff000ull, 0x1000000000000003ull);
	mhp_machine_free(m);
}

/* Without rodata=full (and with an early KFENCE pool) hot-added memory gets blocks and CONT runs. */
static void test_blocks_when_the_direct_map_cannot_change(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline rodata=on "
				       "kfence.sample_interval=100");
	enum desc_type type;
	unsigned depth;
	assert_false(m->can_set_direct_map);
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	uint64_t d = desc_at(m, linear_va(m, 0x80000000), &type, &depth);
	assert_int_equal(type, DESC_BLOCK);
	assert_true(d & PTE_CONT);   /* 16 PMD blocks of 2 MiB, 32 MiB aligned */
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
	/* rodata=on alone: KFENCE may still be set up late, so the direct map must stay splittable. */
	m = boot_model("qemu-virt-arm64-4k", "rodata=on");
	assert_true(m->can_set_direct_map);
	mhp_machine_free(m);
}

/* A range flush above one PTE table's worth of pages becomes a full flush (MAX_DVM_OPS). */
static void test_big_range_flush_is_a_full_flush(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	uint64_t before[3], after[3];
	assert_int_equal(tlb_touch(m, linear_va(m, 0x40000000)), 0);
	mhp_machine_tlb_flushes(m, before);
	flush_tlb_kernel_range(m, linear_va(m, 0x40000000), linear_va(m, 0x40000000) + 512 * 4096);
	mhp_machine_tlb_flushes(m, after);
	assert_int_equal(after[0], before[0] + 1);
	flush_tlb_kernel_range(m, linear_va(m, 0x40000000), linear_va(m, 0x40000000) + 513 * 4096);
	mhp_machine_tlb_flushes(m, after);
	assert_int_equal(after[2], before[2] + 1);
	mhp_machine_free(m);
}

/* A last-level flush keeps cached walks; a page-table flush drops them (TLBI VAALE1IS vs VAAE1IS). */
static void test_leaf_flush_keeps_the_walk_cache(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	uint64_t va = linear_va(m, 0x40000000);
	unsigned walks = 0;
	assert_int_equal(tlb_touch(m, va), 0);
	flush_tlb_kernel_range(m, va, va + 4096);
	for (unsigned i = 0; i < TLB_ENTRIES; i++)
		walks += m->tlb.e[i].valid && !m->tlb.e[i].leaf;
	assert_int_equal(walks, 3);   /* PGD, PUD and PMD entries of the walk */
	__flush_tlb_kernel_pgtable(m, va);
	for (unsigned i = 0; i < TLB_ENTRIES; i++)
		assert_false(m->tlb.e[i].valid);
	mhp_machine_free(m);
}

/*
 * A load the TLB has cached replaces its entries, never adds to them: the
 * insert's filter (tlb.h) says when to look for one, and a loaded snapshot
 * rebuilds it from its entries. A second address adds its own.
 */
static void test_a_cached_walk_is_replaced_not_doubled(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL), *copy = NULL;
	uint64_t va = linear_va(m, 0x40000000);
	struct mhp_err err = { 0 };
	void *buf = NULL;
	size_t len = 0;
	assert_int_equal(tlb_touch(m, va), 0);
	unsigned valid = m->tlb.nr_valid;
	assert_int_equal(valid, 4);   /* PGD, PUD and PMD entries of the walk, and the leaf */
	assert_int_equal(tlb_touch(m, va + 8), 0);
	assert_int_equal(m->tlb.nr_valid, valid);
	assert_int_equal(mhp_machine_save_buffer(m, &buf, &len, &err), 0);
	assert_int_equal(mhp_machine_load_buffer(buf, len, "copy", NULL, NULL, &copy, &err), 0);
	assert_int_equal(tlb_touch(copy, va), 0);
	assert_int_equal(copy->tlb.nr_valid, valid);
	assert_int_equal(tlb_touch(copy, va + 4096), 0);   /* the next page: a leaf of its own */
	assert_int_equal(copy->tlb.nr_valid, valid + 1);
	free(buf);
	mhp_machine_free(copy);
	mhp_machine_free(m);
}

/* A table allocation failure in the linear map is a kernel BUG: reported, nothing added. */
static void test_linear_map_allocation_failure_is_reported(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	struct mhp_err err = { 0 };
	mhp_machine_fail_alloc(m, 3, 1);
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 * MiB, "System RAM (virtio_mem)", &err), -ENOMEM);
	assert_non_null(strstr(err.msg, "BUG"));
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Each strategy leaves the same tables after an aligned add/remove cycle. */
static void test_strategies_agree_on_what_is_left(void **state)
{
	(void)state;
	const char *names[] = { "arm64", "x86-whatif", "generic" };
	uint64_t counts[3];
	for (int i = 0; i < 3; i++) {
		struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
		struct mhp_err err = { 0 };
		assert_int_equal(mhp_machine_set_teardown(m, names[i]), 0);
		uint64_t boot = mhp_pgtable_count(m);
		add_virtio_mem(m, 0x80000000, 512 * MiB);
		assert_int_equal(mhp_remove_memory(m, 0x80000000, 512 * MiB, &err), 0);
		counts[i] = mhp_pgtable_count(m);
		assert_int_equal(counts[i], boot);
		assert_int_equal(mhp_check_all(m, &err), 0);
		mhp_machine_free(m);
	}
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_int_equal(mhp_machine_set_teardown(m, "riscv"), -EINVAL);
	mhp_machine_free(m);
}

/* A VA range of kernel_page_tables: the lines of that range, between its region's markers. */
static void test_ptdump_of_a_range(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	char buf[1024];
	assert_true(mhp_ptdump(m, 0xffff000000000000ull, 0xffff000080000000ull, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
		"---[ Linear Mapping start ]---\n"
		"0xffff000000000000-0xffff000040000000           1G PTE       RW NX SHD AF            UXN    MEM/NORMAL-TAGGED\n"
		"0xffff000040000000-0xffff000080000000           1G PUD\n"
		"---[ Linear Mapping end ]---\n");
	assert_int_equal(mhp_ptdump(m, 2, 1, buf, sizeof(buf)), -EINVAL);
	mhp_machine_free(m);
}

/*
 * The teardown's descriptor loads and stores, derived by hand from 6.12's
 * arch/arm64/mm/mmu.c for 128 MiB at 0x80000000 on the 4K QEMU machine (the
 * only memory in its GiB): the unmap pass loads the PGD entry twice (PGD and
 * folded P4D), one PUD entry, 64 PMD entries and 32768 PTEs, and clears the
 * PTEs; the free pass loads the same PGD, PUD and PMD entries, each of the 64
 * PTE tables twice over (its range re-checked, then the emptiness scan), the
 * emptied PMD table's 512 entries, and the PUD table's first entry (boot
 * memory's: it stays); it clears 64 PMD entries and one PUD entry.
 */
static void test_teardown_counts_are_the_kernels(void **state)
{
	(void)state;
	static const char *const strategies[] = { "arm64", "kernel" };
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++) {
		struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
		struct mhp_err err = { 0 };
		if (mhp_machine_set_teardown(m, strategies[i]) == -ENOTSUP) {
			mhp_machine_free(m);   /* built without a kernel tree: test_kernel_loop says so */
			continue;
		}
		assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 * MiB, "System RAM (kmem)", &err), 0);
		assert_int_equal(mhp_bench_remove_pgd_mapping(m, 0x80000000, 64 * MiB + 1), -EINVAL);
		assert_int_equal(mhp_bench_remove_pgd_mapping(m, 0x88000000, 128 * MiB), -EINVAL);   /* not present */
		struct mhp_pt_stats a, b;
		mhp_machine_pt_stats(m, &a);
		assert_int_equal(mhp_bench_remove_pgd_mapping(m, 0x80000000, 128 * MiB), 0);
		mhp_machine_pt_stats(m, &b);
		assert_int_equal(b.desc_reads - a.desc_reads, (2 + 1 + 64 + 32768) + (2 + 1 + 64 + 64 * 1024 + 512 + 1));
		assert_int_equal(b.desc_writes - a.desc_writes, 32768 + 64 + 1);
		assert_int_equal(b.freed - a.freed, 65);
		assert_int_equal(b.tables, a.tables - 65);
		assert_int_equal(b.flush_pgtable - a.flush_pgtable, 65);   /* one per table freed */
		assert_int_equal(b.flush_all - a.flush_all, 1);            /* 32768 pages: past MAX_DVM_OPS */
		assert_int_equal(b.flush_range - a.flush_range, 0);
		mhp_machine_free(m);
	}
}

/* The differential digest reads the TLB's fields, never the padding between them (stack garbage in the kernel loop). */
static void test_tlb_digest_ignores_padding(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct diff_digest before, after;
	diff_digest_of(m, 0, 0, &before);
	size_t fields_end = offsetof(struct tlb_entry, valid) + sizeof(bool);
	assert_true(fields_end < sizeof(struct tlb_entry));   /* there is padding to scribble on */
	for (unsigned i = 0; i < TLB_ENTRIES; i++)
		memset((unsigned char *)&m->tlb.e[i] + fields_end, 0xa5, sizeof(struct tlb_entry) - fields_end);
	diff_digest_of(m, 0, 0, &after);
	assert_true(diff_digest_equal(&before, &after));
	m->tlb.e[TLB_ENTRIES - 1].target ^= 1;                /* a field does count */
	diff_digest_of(m, 0, 0, &after);
	assert_false(diff_digest_equal(&before, &after));
	mhp_machine_free(m);
}

/* The last-level table that maps the first page of boot RAM (a page-granular linear map: one run). */
static struct pt_table *boot_pte_table(struct mhp_machine *m)
{
	struct pt_walk w;
	pt_walk_va(m, linear_va(m, 0x40000000), &w);
	assert_int_equal(w.type, DESC_PAGE);
	return (struct pt_table *)w.table[w.depth];
}

static void assert_pt_leak(struct mhp_machine *m, bool caught)
{
	struct mhp_err err = { 0 };
	int ret = mhp_check_all(m, &err);
	if (!caught) {
		assert_int_equal(ret, 0);
		return;
	}
	assert_int_not_equal(ret, 0);
	assert_non_null(strstr(err.msg, "PT-LEAK"));
	assert_non_null(strstr(err.msg, "bypassed pt_set"));
}

/*
 * A table is held as a run until a write breaks that shape; either form
 * gives the same entries and the same digest, and a write behind pt_set's
 * back, in either form, is what PT-LEAK's sum catches.
 */
static void test_runs_and_arrays_agree_and_bypasses_are_caught(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct pt_table *t = boot_pte_table(m);
	uint64_t n = m->pt_geom.ptrs[t->depth], digest = m->pt.digest, e3 = pt_get(t, 3), e5 = pt_get(t, 5);
	assert_null(t->e);
	assert_int_equal(t->hi - t->lo, n);
	assert_int_equal(pt_table_mix(m, t), pt_table_kept_mix(t));
	assert_pt_leak(m, false);
	t->first += m->page_size;   /* the run moved without pt_set */
	assert_pt_leak(m, true);
	t->first -= m->page_size;
	/* Swapping two entries breaks the run: an array, and the digest moves; swapped back, it returns. */
	pt_set(m, t, 3, e5);
	pt_set(m, t, 5, e3);
	assert_non_null(t->e);
	assert_true(m->pt.digest != digest);
	pt_set(m, t, 3, e3);
	pt_set(m, t, 5, e5);
	assert_int_equal(m->pt.digest, digest);
	assert_pt_leak(m, false);
	t->e[7] ^= PTE_PXN;   /* an array entry changed without pt_set */
	assert_pt_leak(m, true);
	t->e[7] ^= PTE_PXN;
	/* Cleared at both ends, a run stays a run; a hole in the middle makes an array of it. */
	uint64_t before = m->pt.digest;
	assert_int_equal(pt_clear_range(m, t, 0, 2), 2);
	assert_int_equal(pt_get(t, 1), 0);
	assert_int_equal(pt_get(t, 2), pt_get(t, 3) - m->page_size);
	assert_int_equal(pt_table_mix(m, t), pt_table_kept_mix(t));
	assert_true(m->pt.digest != before);
	mhp_machine_free(m);
	m = boot_model("qemu-virt-arm64-4k", NULL);
	t = boot_pte_table(m);
	assert_int_equal(pt_clear_range(m, t, n - 4, 4), 4);
	assert_null(t->e);
	assert_int_equal(pt_clear_range(m, t, 10, 1), 1);
	assert_non_null(t->e);
	assert_int_equal(pt_get(t, 10), 0);
	assert_int_equal(pt_get(t, 11), pt_get(t, 9) + 2 * m->page_size);
	assert_int_equal(pt_table_mix(m, t), pt_table_kept_mix(t));
	/* The linear map of boot RAM is wrong now: PT-COVER says so, PT-LEAK does not. */
	struct mhp_err err = { 0 };
	assert_int_not_equal(mhp_check_all(m, &err), 0);
	assert_non_null(strstr(err.msg, "PT-COVER"));
	mhp_machine_free(m);
}

/*
 * PT-DANGLING: a table two descriptors point to. With two such tables the
 * message names the lower, as a sorted list of the descriptors' targets
 * would show first; put back, the tables pass again.
 */
static void test_a_table_with_two_parents_is_caught(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct pt_walk w;
	uint64_t va = linear_va(m, 0x40000000), d[4], pfn[4];
	pt_walk_va(m, va, &w);
	struct pt_table *pmd = (struct pt_table *)w.table[w.depth - 1];
	uint64_t i = pt_index(m, pmd->depth, va);
	for (int k = 0; k < 4; k++) {
		d[k] = pt_get(pmd, i + (uint64_t)k);
		assert_int_equal(desc_type(m, pmd->depth, d[k]), DESC_TABLE);
		pfn[k] = desc_pa(m, d[k]) >> m->page_shift;
	}
	struct mhp_err err = { 0 };
	assert_int_equal(check_pt_dangling(m, &err), 0);
	for (int order = 0; order < 2; order++) {   /* the higher table doubled first, then the lower first */
		int hi = pfn[0] > pfn[3] ? 0 : 3, lo = 3 - hi;
		pt_set(m, pmd, i + 1, d[order ? lo : hi]);
		pt_set(m, pmd, i + 2, d[order ? hi : lo]);
		assert_int_equal(check_pt_dangling(m, &err), -EUCLEAN);
		char want[80];
		snprintf(want, sizeof(want), "the table at pfn %#llx has two parents", (unsigned long long)pfn[lo]);
		assert_non_null(strstr(err.msg, want));
		pt_set(m, pmd, i + 1, d[1]);
		pt_set(m, pmd, i + 2, d[2]);
		assert_int_equal(check_pt_dangling(m, &err), 0);
	}
	mhp_machine_free(m);
}

int main(void)

{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_per_granule),
		cmocka_unit_test(test_hot_added_descriptors_are_the_kernels),
		cmocka_unit_test(test_blocks_when_the_direct_map_cannot_change),
		cmocka_unit_test(test_big_range_flush_is_a_full_flush),
		cmocka_unit_test(test_leaf_flush_keeps_the_walk_cache),
		cmocka_unit_test(test_a_cached_walk_is_replaced_not_doubled),
		cmocka_unit_test(test_linear_map_allocation_failure_is_reported),
		cmocka_unit_test(test_strategies_agree_on_what_is_left),
		cmocka_unit_test(test_ptdump_of_a_range),
		cmocka_unit_test(test_teardown_counts_are_the_kernels),
		cmocka_unit_test(test_tlb_digest_ignores_padding),
		cmocka_unit_test(test_runs_and_arrays_agree_and_bypasses_are_caught),
		cmocka_unit_test(test_a_table_with_two_parents_is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
