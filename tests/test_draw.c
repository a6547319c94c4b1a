// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_draw.c - the pictures of mhpsim/draw.h: what they show, and that they
 * stay bounded whatever the machine holds.
 */
#define _GNU_SOURCE
#include "helpers.h"

#include <mhpsim/draw.h>
#include <stdlib.h>
#include <string.h>

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static char *draw_map(struct mhp_machine *m, size_t *len)
{
	char *svg = NULL;
	FILE *f = open_memstream(&svg, len);
	assert_non_null(f);
	assert_int_equal(mhp_draw_memory_map(m, "t <&>", f), 0);
	fclose(f);
	return svg;
}

static unsigned count(const char *s, const char *what)
{
	unsigned n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Each block of the QEMU machine its own cell, by state and zone; the title escaped. */
static void test_memory_map_shows_each_block(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory17/state", "online_movable"), 0);
	size_t len;
	char *svg = draw_map(m, &len);
	assert_non_null(strstr(svg, "t &lt;&amp;&gt;"));
	assert_int_equal(count(svg, "<g>"), 16);                    /* 8 boot, 2 added, 6 not added */
	assert_non_null(strstr(svg, "<title>memory16: offline</title>"));
	assert_non_null(strstr(svg, "<title>memory17: online</title><rect x=\"758\" y=\"56\" width=\"76\" height=\"44\" fill=\"#f9c48e\""));
	assert_non_null(strstr(svg, "<title>memory18: not added</title>"));
	free(svg);
	mhp_machine_free(m);
}

/* A virtio-mem block with unplugged subblocks: its plugged share drawn and said. */
static void test_memory_map_shows_a_partly_plugged_block(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_virtio_mem_set_requested(m, 300ull << 20, &err), 0);
	size_t len;
	char *svg = draw_map(m, &len);
	assert_int_equal(count(svg, "% plugged</text>"), 1);   /* memory18 alone: 22 of 64 subblocks */
	assert_non_null(strstr(svg, ">34% plugged</text>"));
	free(svg);
	mhp_machine_free(m);
}

/* A machine with thousands of blocks and hundreds of runs: the picture stays small and says what it left out. */
static void test_memory_map_is_bounded(void **state)
{
	(void)state;
	static const char model[] =
		"model: big\ngranule: 4K\nva_bits: 48\npa_bits: 48\nkconfig:\n  default_online_type: offline\n"
		"cmdline: \"rodata=on kfence.sample_interval=100\"\n"
		"nodes:\n  - id: 0\n    cpus: true\n    memory:\n      - { start: 0x40000000, size: 4G }\n"
		"hotplug:\n  - { start: 0x10000000000, size: 16T, node: 0, driver: dax_kmem }\n"
		"reserved:\n  - { start: 0x40000000, size: 64M, name: kernel }\n"
		"  - { start: 0x100000000, size: 64M, name: pt, pool: pgtable }\n"
		"  - { start: 0x110000000, size: 256M, name: memmap, pool: memmap }\n";
	struct mhp_model *mo = NULL;
	struct mhp_machine *m = NULL;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_model_load_buffer(model, strlen(model), "big", &mo, &err), 0);
	assert_int_equal(mhp_machine_boot(mo, NULL, &m, &err), 0);
	mhp_model_free(mo);
	size_t empty_len;
	free(draw_map(m, &empty_len));   /* 131072 hot-pluggable blocks, none added: one cell */
	assert_true(empty_len < 4000);
	/* 600 blocks added, every other one onlined: 600 runs, more than a picture holds. */
	assert_int_equal(mhp_add_memory(m, 0, 0x10000000000, 600 * 128 * MiB, "System RAM (kmem)", &err), 0);
	char path[96];
	for (unsigned i = 0; i < 600; i += 2) {
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%u/state", 8192 + i);
		assert_int_equal(sysfs_write(m, path, "online_movable"), 0);
	}
	size_t len;
	char *svg = draw_map(m, &len);
	assert_true(len < 200000);
	assert_int_equal(count(svg, "<g>"), 256);
	assert_non_null(strstr(svg, "more runs of blocks, not drawn"));
	free(svg);
	mhp_machine_free(m);
}

/* The page tables of a removed range: freed tables marked, kept ones kept, long runs folded. */
static void test_pgtables_before_and_after(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	struct mhp_err err = { 0 };
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	uint64_t lo = mhp_linear_map_va(m, 0x40000000), hi = mhp_linear_map_va(m, 0xc0000000);
	struct mhp_pt_capture *before, *after, *none;
	assert_int_equal(mhp_pt_capture(m, lo, hi, &before, &err), 0);
	assert_int_equal(mhp_remove_memory(m, 0x80000000, 256 * MiB, &err), 0);
	assert_int_equal(mhp_pt_capture(m, lo, hi, &after, &err), 0);
	assert_int_equal(mhp_pt_capture(m, hi, lo, &none, &err), -EINVAL);
	assert_null(none);
	char *svg = NULL;
	size_t len;
	FILE *f = open_memstream(&svg, &len);
	assert_int_equal(mhp_draw_pgtables(before, after, "teardown", f), 0);
	fclose(f);
	/* The PMD table of the second GiB, its first and last PTE tables and a fold of the 126 between: freed. */
	assert_int_equal(count(svg, "stroke-dasharray=\"4 3\""), 4);
	assert_non_null(strstr(svg, "... 126 more"));
	assert_non_null(strstr(svg, "... 510 more"));   /* the boot PTE tables, kept */
	assert_non_null(strstr(svg, "freed, had 512 used"));
	free(svg);
	mhp_pt_capture_free(before);
	mhp_pt_capture_free(after);
	mhp_machine_free(m);
}

/* Zone history: one sample per call, bounded. */
static void test_zone_history(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_zone_history *h = mhp_zone_history_new();
	assert_int_equal(mhp_zone_history_add(h, m, 0), 0);
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	assert_int_equal(mhp_zone_history_add(h, m, 1), 0);
	char *svg = NULL;
	size_t len;
	FILE *f = open_memstream(&svg, &len);
	assert_int_equal(mhp_draw_zone_history(h, "zones", f), 0);
	fclose(f);
	assert_int_equal(count(svg, "<title>step 0:"), 1);
	assert_non_null(strstr(svg, "<title>step 1: node 0 Movable spans pfn 0x80000 + 32768, 32768 present</title>"));
	free(svg);
	unsigned i = 2;
	while (mhp_zone_history_add(h, m, i) == 0)
		i++;
	assert_int_equal(i, 4096);
	mhp_zone_history_free(h);
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_map_shows_each_block),
		cmocka_unit_test(test_memory_map_shows_a_partly_plugged_block),
		cmocka_unit_test(test_memory_map_is_bounded),
		cmocka_unit_test(test_pgtables_before_and_after),
		cmocka_unit_test(test_zone_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
