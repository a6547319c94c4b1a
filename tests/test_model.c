// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_model.c - the shipped models load and boot to the layout they describe.
 */
#include "helpers.h"
#include "sim/machine.h"
#include "sim/mmzone.h"
#include "util.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* arm64 granule constants (asm/sparsemem.h, pgtable-hwdef.h). */
static void test_qemu_model_geometry(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_int_equal(m->pages_per_section, 32768);
	assert_int_equal(m->pageblock_order, 9);
	assert_int_equal(m->max_page_order, 10);
	assert_int_equal(m->subsections_per_section, 64);
	assert_int_equal(m->memstart_addr, 0x40000000);
	mhp_machine_free(m);
}

/* The server's DMA zone stops at 4 GiB; Normal holds the rest of each node. */
static void test_server_zones(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("server-2node-arm64-4k", NULL);
	assert_int_equal(m->nodes[0].zones[ZONE_DMA].zone_start_pfn, 0x40000);
	assert_int_equal(zone_end_pfn(&m->nodes[0].zones[ZONE_DMA]), 0x100000);
	assert_int_equal(m->nodes[0].zones[ZONE_DMA32].spanned_pages, 0);
	assert_int_equal(m->nodes[1].zones[ZONE_NORMAL].present_pages, 64ull << 18);
	assert_string_equal(sysfs_read(m, "/sys/devices/system/memory/memory32/valid_zones"), "Normal\n");
	assert_string_equal(sysfs_read(m, "/sys/devices/system/memory/memory31/valid_zones"), "DMA\n");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Every model states what it simplifies. */
static void test_models_list_simplifications(void **state)
{
	(void)state;
	const char *names[] = { "qemu-virt-arm64-4k", "server-2node-arm64-4k" };
	for (size_t i = 0; i < 2; i++) {
		struct mhp_machine *m = boot_model(names[i], NULL);
		assert_true(m->model.nr_simplifications >= 2);
		mhp_machine_free(m);
	}
}

/* A model names its architecture with arch:, arm64 when it says nothing; the machine boots on it. */
static void test_model_chooses_its_architecture(void **state)
{
	(void)state;
	static const char text[] = "model: named\narch: arm64\ngranule: 4K\nva_bits: 48\npa_bits: 48\n"
				   "nodes:\n  - id: 0\n    memory:\n      - { start: 0x40000000, size: 1G }\n"
				   "reserved:\n  - { start: 0x60000000, size: 8M, name: pt, pool: pgtable }\n"
				   "  - { start: 0x61000000, size: 32M, name: memmap, pool: memmap }\n";
	struct mhp_model *mo;
	struct mhp_machine *m;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_model_load_buffer(text, strlen(text), "named", &mo, &err), 0);
	assert_string_equal(mo->arch, "arm64");
	assert_int_equal(mhp_machine_boot(mo, NULL, &m, &err), 0);
	assert_ptr_equal(m->arch, arch_find("arm64"));
	mhp_machine_free(m);
	mhp_model_free(mo);
	struct mhp_machine *d = boot_model("qemu-virt-arm64-4k", NULL);   /* its file has no arch: key */
	assert_string_equal(d->model.arch, "arm64");
	mhp_machine_free(d);
}

/* MHP_ASSERT holds in every build: a broken one aborts even where NDEBUG turns assert() off. */
static void test_mhp_assert_aborts_in_every_build(void **state)
{
	(void)state;
#ifdef NDEBUG
	print_message("built with NDEBUG: assert() is off here, MHP_ASSERT must not be\n");
#endif
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int zero = 0;
		MHP_ASSERT(zero == 1);
		_exit(0);   /* reached only if the assertion did nothing */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* The state hash passes over free pages by the prime's power: the same hash as zero bytes one by one. */
static void test_fnv1a64_zeros_is_fnv1a64_of_zeros(void **state)
{
	(void)state;
	static unsigned char zeros[1 << 16];
	for (uint64_t n = 0; n < 600; n++)
		assert_true(fnv1a64_zeros(0x1234 + n, n) == fnv1a64(0x1234 + n, zeros, n));
	assert_true(fnv1a64_zeros(FNV1A64_INIT, sizeof(zeros)) == fnv1a64(FNV1A64_INIT, zeros, sizeof(zeros)));
	assert_true(fnv1a64_zeros(7, 262144) == fnv1a64(fnv1a64(fnv1a64(fnv1a64(7, zeros, 65536), zeros, 65536), zeros,
								  65536), zeros, 65536));
}

/*
 * The searches of sorted arrays (runs, free lists, sections, blocks) count a
 * prefix: every length and split to 130 against a count, and lengths past
 * PARTITION_BRANCHY (its branch steps, then its conditional moves) against
 * the odd keys' closed form, p / 2 keys below probe p.
 */
static void test_partition_point_counts_the_prefix(void **state)
{
	(void)state;
	static uint32_t keys[5000];
	for (uint32_t i = 0; i < ARRAY_SIZE(keys); i++)
		keys[i] = 2 * i + 1;   /* odd keys: an even probe lies between two */
	for (uint64_t n = 0; n <= 130; n++)
		for (uint64_t probe = 0; probe <= 2 * n + 2; probe++) {
			uint64_t want = 0, got = UINT64_MAX;
			while (want < n && keys[want] < probe)
				want++;
			assert_int_equal(want, probe / 2 < n ? probe / 2 : n);
			PARTITION_POINT(got, n, k, keys[k] < probe);
			assert_int_equal(got, want);
		}
	const uint64_t large[] = { PARTITION_BRANCHY - 1, PARTITION_BRANCHY, PARTITION_BRANCHY + 1, 2 * PARTITION_BRANCHY + 3,
				   1000, ARRAY_SIZE(keys) };
	for (size_t j = 0; j < ARRAY_SIZE(large); j++)
		for (uint64_t n = large[j], probe = 0; probe <= 2 * n + 2; probe++) {
			uint64_t got = UINT64_MAX;
			PARTITION_POINT(got, n, k, keys[k] < probe);
			assert_int_equal(got, probe / 2 < n ? probe / 2 : n);
		}
}

/* The state hash takes page tables four at a time: each of the four hashes is fnv1a64()'s, whatever the bytes. */
static void test_fnv1a64_x4_is_four_fnv1a64(void **state)
{
	(void)state;
	static unsigned char buf[4][4096];
	uint64_t x = 7;
	for (size_t j = 0; j < 4; j++)
		for (size_t i = 0; i < sizeof(buf[j]); i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			buf[j][i] = (unsigned char)(x >> 56);
		}
	for (size_t len = 0; len <= sizeof(buf[0]); len += len < 16 ? 1 : 1021) {
		uint64_t h[4] = { FNV1A64_INIT, 1, 2, FNV1A64_INIT + len };
		uint64_t want[4];
		for (size_t j = 0; j < 4; j++)
			want[j] = fnv1a64(h[j], buf[j], len);
		fnv1a64_x4(h, (const void *const[4]){ buf[0], buf[1], buf[2], buf[3] }, len);
		for (size_t j = 0; j < 4; j++)
			assert_true(h[j] == want[j]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_model_geometry),
		cmocka_unit_test(test_server_zones),
		cmocka_unit_test(test_models_list_simplifications),
		cmocka_unit_test(test_model_chooses_its_architecture),
		cmocka_unit_test(test_mhp_assert_aborts_in_every_build),
		cmocka_unit_test(test_fnv1a64_x4_is_four_fnv1a64),
		cmocka_unit_test(test_fnv1a64_zeros_is_fnv1a64_of_zeros),
		cmocka_unit_test(test_partition_point_counts_the_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
