// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_boot.c - what a boot prints about memory, and the accounting behind
 * it: the lines are the reference kernel's (Debian 6.12.95 under QEMU, the
 * lane's machines), each a fact the model must keep.
 */
#include "helpers.h"
#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/printk.h"

#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* The index of the first log line that starts with prefix, or -1. */
static long log_find(struct mhp_machine *m, const char *prefix)
{
	for (uint64_t i = 0; i < mhp_log_count(m); i++)
		if (strncmp(mhp_log_line(m, i, NULL), prefix, strlen(prefix)) == 0)
			return (long)i;
	return -1;
}

static const char *log_at(struct mhp_machine *m, long i)
{
	assert_true(i >= 0);
	return mhp_log_line(m, (uint64_t)i, NULL);
}

/* mem_init_print_info(): the banner counts init and initrd as reserved, CMA apart (mm/mm_init.c). */
static void test_banner_counts_init_and_initrd_as_reserved(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_string_equal(log_at(m, log_find(m, "Memory: ")),
			    "Memory: 915424K/1048576K available (15552K kernel code, 3826K rwdata, 13928K rodata, "
			    "9664K init, 941K bss, 67616K reserved, 65536K cma-reserved)");
	mhp_machine_free(m);
}

/* free_initrd_mem() then free_initmem() follow the banner, each freeing whole pages (init/initramfs.c, arm64). */
static void test_initrd_then_init_sections_are_freed(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	long banner = log_find(m, "Memory: ");
	assert_string_equal(log_at(m, banner + 1), "Freeing initrd memory: 992K");
	assert_string_equal(log_at(m, banner + 2), "Freeing unused kernel memory: 9664K");
	/* 16904 pages reserved at the banner, 248 + 2416 freed since: 14240 left unmanaged. */
	assert_int_equal(m->nodes[0].zones[ZONE_DMA].managed_pages, 262144 - 14240);
	assert_string_equal(sysfs_read(m, "/proc/meminfo"), "MemTotal:         991616 kB\n"
			    "MemFree:          991616 kB\nPageTables:            0 kB\nCmaTotal:          65536 kB\n"
			    "CmaFree:           65536 kB\n");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* free_reserved_area() frees whole pages only: the initrd's partly used last page stays reserved. */
static void test_initrd_last_page_stays_reserved(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory9/state", "offline"), -EBUSY);
	assert_int_equal(log_find(m, "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x480f8"),
			 (long)mhp_log_count(m) - 3);
	mhp_machine_free(m);
}

/* The 16K kernel's own sections, and the same initrd in 16 KiB pages: 63 reserved, 62 freed. */
static void test_banner_of_the_16k_kernel(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-16k", NULL);
	long banner = log_find(m, "Memory: ");
	assert_string_equal(strstr(log_at(m, banner), "(15552K"),
			    "(15552K kernel code, 3850K rwdata, 14032K rodata, 9920K init, 1041K bss, 55152K reserved, "
			    "65536K cma-reserved)");
	assert_string_equal(log_at(m, banner + 1), "Freeing initrd memory: 992K");
	assert_string_equal(log_at(m, banner + 2), "Freeing unused kernel memory: 9920K");
	mhp_machine_free(m);
}

/* Two nodes: physpages and reserved span both; free_area_init_node() says each node's span. */
static void test_two_node_boot_lines(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"Zone ranges:",
		"  DMA      [mem 0x0000000040000000-0x000000007fffffff]",
		"  DMA32    empty",
		"  Normal   empty",
		"  Device   empty",
		"Movable zone start for each node",
		"Early memory node ranges",
		"  node   0: [mem 0x0000000040000000-0x000000005fffffff]",
		"  node   1: [mem 0x0000000060000000-0x000000007fffffff]",
		"Initmem setup node 0 [mem 0x0000000040000000-0x000000005fffffff]",
		"Initmem setup node 1 [mem 0x0000000060000000-0x000000007fffffff]",
	};
	struct mhp_machine *m = boot_model("qemu-virt-arm64-2node-4k", NULL);
	long first = log_find(m, "Zone ranges:");
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		assert_string_equal(log_at(m, first + (long)i), lines[i]);
	assert_non_null(strstr(log_at(m, log_find(m, "Memory: ")), " 66092K reserved, 65536K cma-reserved)"));
	mhp_machine_free(m);
}

/* movablecore=512M: the "Node 0:" line, and the reserved pages below the boundary as the kernel has them. */
static void test_movablecore_splits_reserved_pages_as_the_kernel(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online movablecore=512M");
	assert_string_equal(log_at(m, log_find(m, "Movable zone start for each node") + 1), "  Node 0: 0x0000000060000000");
	assert_int_equal(m->nodes[0].zones[ZONE_DMA].managed_pages, 122191);
	assert_int_equal(m->nodes[0].zones[ZONE_MOVABLE].managed_pages, 125713);
	mhp_machine_free(m);
}

/*
 * setup_command_line()'s two copies of the command line (length + 1 bytes,
 * 64-byte aligned) shift the small allocations after them: with 64 to 127
 * characters, swiotlb's 32 bytes fit beside the others and one page fewer is
 * reserved (the lane measured lengths 45 to 240 on the 4K machine).
 */
static void test_command_line_length_moves_a_reserved_page(void **state)
{
	(void)state;
	static const struct { size_t len; const char *reserved; uint64_t managed; } cases[] = {
		{ 63, " 67616K reserved,", 247904 }, { 64, " 67612K reserved,", 247905 },
		{ 127, " 67612K reserved,", 247905 }, { 128, " 67616K reserved,", 247904 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char cmdline[160] = "nokaslr memhp_default_state=online pad=";
		size_t at = strlen(cmdline);
		assert_true(cases[i].len > at && cases[i].len < sizeof(cmdline));
		memset(cmdline + at, 'x', cases[i].len - at);
		cmdline[cases[i].len] = '\0';
		struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", cmdline);
		assert_non_null(strstr(log_at(m, log_find(m, "Memory: ")), cases[i].reserved));
		assert_int_equal(m->nodes[0].zones[ZONE_DMA].managed_pages, cases[i].managed);
		mhp_machine_free(m);
	}
}

/*
 * The two-node machine's memblock calls, replayed per node: its recordings
 * (26 characters of command line, scenarios/38) say 66092K reserved, a
 * memblock=debug boot with 85 characters said 66096K (2026-12-05).
 */
static void test_two_node_reservations_follow_the_command_line(void **state)
{
	(void)state;
	static const char *const cmdlines[] = {
		"memhp_default_state=online",
		"nokaslr norandmaps memhp_default_state=online memblock=debug earlycon=pl011,0x9000000",
	};
	static const char *const reserved[] = { " 66092K reserved,", " 66096K reserved," };
	for (unsigned i = 0; i < ARRAY_SIZE(cmdlines); i++) {
		struct mhp_machine *m = boot_model("qemu-virt-arm64-2node-4k", cmdlines[i]);
		assert_non_null(strstr(log_at(m, log_find(m, "Memory: ")), reserved[i]));
		mhp_machine_free(m);
	}
}

/* A model that gives no kernel sizes (no recording has them) prints no banner and frees nothing. */
static void test_no_banner_without_kernel_sizes(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-64k", NULL);
	assert_int_equal(log_find(m, "Memory: "), -1);
	assert_int_equal(log_find(m, "Freeing "), -1);
	mhp_machine_free(m);
}

/*
 * printk() formats as the C library does but for the kernel's "%#x" of 0
 * ("0x0"): plain conversions take a path without printf, the rest go
 * through it; both must give the C library's text.
 */
static void test_printk_formats_as_printf(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	char want[256];
#define SAME(...)                                                                   \
	do {                                                                        \
		printk(m, MHP_LOG_INFO, __VA_ARGS__);                               \
		snprintf(want, sizeof(want), __VA_ARGS__);                          \
		assert_string_equal(mhp_log_line(m, mhp_log_count(m) - 1, NULL), want); \
	} while (0)
	SAME("%u %d %d %x %X", 4000000000u, -7, 2147483647, 0xdeadbeefu, 0xabcu);
	SAME("%llu %lld %lld %llx %llX", 18446744073709551615ull, -9223372036854775807ll - 1, 0ll, 0x1234abcdull, 0xfull);
	SAME("%lu %zu %zd %ld", 123456789ul, (size_t)42, (ssize_t)-42, -1l);
	SAME("%#x %#llx %#X %#lx", 0x10u, 0x80000000ull, 0xabu, 0x1ul);
	SAME("[%s] [%5d] [%-8s] [%08x] [%#010llx] [%c] [%%] [%+d] [% d]", "text", 42, "left", 0xbeefu, 0x1234ull, 'z', 5, 7);
	SAME("pfn %#llx + %llu pages: %s", 0x88200ull, 32256ull, "ok");
	SAME("%s", "");
	/* Zero-padded widths, put without printf: shorter and longer than the width, signs, 0x. */
	SAME("[%#010llx] [%#018llx] [%016llx] [%08X] [%#04x] [%05d] [%05d] [%03u] [%02llx]", 0x40000000ull,
	     0xffff000000000000ull, 0xabcull, 0x1234u, 0xabcdefu, -42, 42, 123456u, 0ull);
#undef SAME
	printk(m, MHP_LOG_INFO, "%#x %#llx", 0u, 0ull);   /* the kernel's own: "0x0", where C prints "0" */
	assert_string_equal(mhp_log_line(m, mhp_log_count(m) - 1, NULL), "0x0 0x0");
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_banner_counts_init_and_initrd_as_reserved),
		cmocka_unit_test(test_initrd_then_init_sections_are_freed),
		cmocka_unit_test(test_initrd_last_page_stays_reserved),
		cmocka_unit_test(test_banner_of_the_16k_kernel),
		cmocka_unit_test(test_two_node_boot_lines),
		cmocka_unit_test(test_movablecore_splits_reserved_pages_as_the_kernel),
		cmocka_unit_test(test_command_line_length_moves_a_reserved_page),
		cmocka_unit_test(test_two_node_reservations_follow_the_command_line),
		cmocka_unit_test(test_no_banner_without_kernel_sizes),
		cmocka_unit_test(test_printk_formats_as_printf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
