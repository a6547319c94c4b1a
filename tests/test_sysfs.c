// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_sysfs.c - what a user reads and writes under /sys and /proc, with the
 * kernel's text and errno. Kernel twins: drivers/base/memory.c, node.c,
 * fs/proc/meminfo.c, mm/vmstat.c, kernel/resource.c.
 */
#include "helpers.h"

#include <string.h>

#define MEM "/sys/devices/system/memory/"

static struct mhp_machine *qemu(void)
{
	return boot_model("qemu-virt-arm64-4k", NULL);
}

/* block_size_bytes is hex without 0x (memory.c: block_size_bytes_show). */
static void test_block_size_bytes_is_bare_hex(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	assert_string_equal(sysfs_read(m, MEM "block_size_bytes"), "8000000\n");
	mhp_machine_free(m);
}

/* Boot RAM is memory8..15, online, in ZONE_DMA, with the fixed phys_device/removable. */
static void test_boot_blocks_read_as_on_the_reference_kernel(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	assert_string_equal(sysfs_read(m, MEM "memory8/state"), "online\n");
	assert_string_equal(sysfs_read(m, MEM "memory8/online"), "1\n");
	assert_string_equal(sysfs_read(m, MEM "memory8/valid_zones"), "DMA\n");
	assert_string_equal(sysfs_read(m, MEM "memory10/phys_index"), "0000000a\n");
	assert_string_equal(sysfs_read(m, MEM "memory15/phys_device"), "0\n");
	assert_string_equal(sysfs_read(m, MEM "memory15/removable"), "1\n");
	assert_string_equal(sysfs_read(m, "devices/system/memory/memory9/state"), "online\n");
	assert_string_equal(sysfs_read(m, "/sys/bus/memory/devices/memory9/state"), "online\n");
	mhp_machine_free(m);
}

/* memory8 holds kernel pages: isolation fails with EBUSY and dumps the page. */
static void test_offline_boot_block_with_kernel_pages_is_ebusy(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	uint64_t before = mhp_log_count(m);
	assert_int_equal(sysfs_write(m, MEM "memory8/state", "offline"), -EBUSY);
	assert_string_equal(mhp_log_line(m, before + 1, NULL), "page dumped because: unmovable page");
	assert_string_equal(last_log(m),
			    "memory offlining [mem 0x40000000-0x47ffffff] failed due to failure to isolate range");
	assert_string_equal(sysfs_read(m, MEM "memory8/state"), "online\n");
	mhp_machine_free(m);
}

/* A clean boot block is vetoed by arm64's notifier: EPERM (mmu.c: prevent_bootmem_remove_notifier). */
static void test_offline_clean_boot_block_is_eperm(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	uint64_t before = mhp_log_count(m);
	assert_int_equal(sysfs_write(m, MEM "memory14/state", "offline"), -EPERM);
	assert_string_equal(mhp_log_line(m, before, NULL), "Boot memory [70000000 78000000] offlining attempted");
	assert_int_equal(sysfs_write(m, MEM "memory12/online", "0"), -EPERM);
	mhp_machine_free(m);
}

/* Writing the state a block has to `state` is EINVAL; any online type counts. */
static void test_state_write_of_current_state_is_einval(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	assert_int_equal(sysfs_write(m, MEM "memory8/state", "online"), -EINVAL);
	assert_int_equal(sysfs_write(m, MEM "memory8/state", "online_movable"), -EINVAL);
	mhp_machine_free(m);
}

/* The same request through `online` succeeds (device_online returns 1, online_store takes it). */
static void test_online_file_write_of_current_state_succeeds(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	assert_int_equal(sysfs_write(m, MEM "memory8/online", "1"), 0);
	mhp_machine_free(m);
}

/* state accepts exactly the four words, case-sensitive, one trailing newline (sysfs_streq). */
static void test_state_parses_as_sysfs_streq(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	add_virtio_mem(m, 0x80000000, 128 << 20);   /* auto-onlined by the model's command line */
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "offline"), 0);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "foo"), -EINVAL);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "Online"), -EINVAL);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "online_movable_"), -EINVAL);
	assert_int_equal(mhp_sysfs_write(m, MEM "memory16/state", "online\n\n", 8), -EINVAL);
	assert_int_equal(mhp_sysfs_write(m, MEM "memory16/state", "online_kernel", 13), 0);
	assert_string_equal(sysfs_read(m, MEM "memory16/valid_zones"), "Normal\n");
	mhp_machine_free(m);
}

/* online takes kstrtobool: 1/0, y/n, on/off; "2" is EINVAL. */
static void test_online_file_parses_as_kstrtobool(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	add_virtio_mem(m, 0x80000000, 128 << 20);
	assert_string_equal(sysfs_read(m, MEM "memory16/online"), "0\n");
	assert_int_equal(sysfs_write(m, MEM "memory16/online", "2"), -EINVAL);
	assert_int_equal(sysfs_write(m, MEM "memory16/online", "on"), 0);
	assert_string_equal(sysfs_read(m, MEM "memory16/state"), "online\n");
	assert_int_equal(sysfs_write(m, MEM "memory16/online", "N"), 0);
	assert_string_equal(sysfs_read(m, MEM "memory16/state"), "offline\n");
	mhp_machine_free(m);
}

/* Read-only files refuse writes with EACCES; missing paths are ENOENT; directories EISDIR. */
static void test_paths_and_permissions(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	char buf[64];
	assert_int_equal(sysfs_write(m, MEM "block_size_bytes", "0x1000"), -EACCES);
	assert_int_equal(sysfs_write(m, MEM "memory8/valid_zones", "Movable"), -EACCES);
	assert_int_equal(sysfs_write(m, MEM "memory99/state", "offline"), -ENOENT);
	assert_int_equal(mhp_sysfs_read(m, MEM "memory08/state", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8/probe", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(mhp_sysfs_read(m, MEM "probe", buf, sizeof(buf)), -ENOENT);   /* no probe on arm64 */
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8", buf, sizeof(buf)), -EISDIR);
	mhp_machine_free(m);
}

/*
 * Paths walk as the kernel's do (fs/namei.c): "." and ".." by the directories
 * walked through, the node and memory links followed to where they lead, and
 * a file is not a directory (ENOTDIR), also before a trailing '/'.
 */
static void test_paths_walk_as_the_kernel_walks_them(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	char buf[4096];
	assert_string_equal(sysfs_read(m, MEM "../memory/memory8/state"), "online\n");
	assert_string_equal(sysfs_read(m, MEM "./memory8/./state"), "online\n");
	assert_string_equal(sysfs_read(m, "/../../sys/devices/system/memory/memory8/state"), "online\n");
	/* memory8/node0 is a link to ../../node/node0, and node0/memory8 back. */
	assert_string_equal(sysfs_read(m, MEM "memory8/node0/memory8/state"), "online\n");
	assert_string_equal(sysfs_read(m, MEM "memory8/node0/../../memory/memory9/state"), "online\n");
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8/node0/../../memory/memory8/node0/..", buf, sizeof(buf)),
			 -EISDIR);
	assert_true(mhp_sysfs_read(m, "/sys/devices/system/node/node0/memory8/node0/meminfo", buf, sizeof(buf)) > 0);
	/* node0/memory8 leads into memory/, so its ".." is memory/, which has no node0. */
	assert_int_equal(mhp_sysfs_read(m, "/sys/devices/system/node/node0/memory8/../node0/meminfo", buf, sizeof(buf)),
			 -ENOENT);
	/* A file is not a directory. */
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8/state/", buf, sizeof(buf)), -ENOTDIR);
	assert_int_equal(sysfs_write(m, MEM "memory8/state/", "offline"), -ENOTDIR);
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8/state/x", buf, sizeof(buf)), -ENOTDIR);
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8/state/..", buf, sizeof(buf)), -ENOTDIR);
	assert_int_equal(mhp_sysfs_read(m, "/proc/meminfo/", buf, sizeof(buf)), -ENOTDIR);
	/* A link is a link to lstat and readlink, and what it leads to with a trailing '/'. */
	struct mhp_sysfs_stat st;
	assert_int_equal(mhp_sysfs_stat(m, MEM "memory8/node0", &st), 0);
	assert_int_equal(st.type, MHP_SYSFS_LINK);
	assert_int_equal(mhp_sysfs_stat(m, MEM "memory8/node0/", &st), 0);
	assert_int_equal(st.type, MHP_SYSFS_DIR);
	assert_int_equal(mhp_sysfs_readlink(m, MEM "memory8/node0", buf, sizeof(buf)), 16);
	assert_memory_equal(buf, "../../node/node0", 16);
	assert_int_equal(mhp_sysfs_list(m, MEM "memory8/node0", buf, sizeof(buf)) > 0, true);
	assert_non_null(strstr(buf, "memory8\n"));
	/* Links the model does not go past (cpu, bus) lead nowhere. */
	assert_int_equal(mhp_sysfs_read(m, MEM "memory8/subsystem/devices", buf, sizeof(buf)), -ENOENT);
	mhp_machine_free(m);
}

/* auto_online_blocks reads and takes the online types (memory.c: auto_online_blocks_store). */
static void test_auto_online_blocks(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	assert_string_equal(sysfs_read(m, MEM "auto_online_blocks"), "online\n");
	assert_int_equal(sysfs_write(m, MEM "auto_online_blocks", "foo"), -EINVAL);
	assert_int_equal(sysfs_write(m, MEM "auto_online_blocks", "online_movable"), 0);
	assert_string_equal(sysfs_read(m, MEM "auto_online_blocks"), "online_movable\n");
	add_virtio_mem(m, 0x80000000, 128 << 20);
	assert_string_equal(sysfs_read(m, MEM "memory16/valid_zones"), "Movable\n");
	mhp_machine_free(m);
}

/* An offline hot-added block lists its default zone first, then the other allowed one. */
static void test_valid_zones_of_offline_block_lists_two(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	add_virtio_mem(m, 0x80000000, 256 << 20);
	assert_string_equal(sysfs_read(m, MEM "memory17/valid_zones"), "Normal Movable\n");
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "online_movable"), 0);
	/* Movable now intersects memory17's neighbour only; memory17 itself intersects neither. */
	assert_string_equal(sysfs_read(m, MEM "memory17/valid_zones"), "Normal Movable\n");
	mhp_machine_free(m);
}

/* With movable_node, a block no zone covers defaults to Movable (contig-zones policy). */
static void test_movable_node_makes_movable_the_default(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline movable_node");
	add_virtio_mem(m, 0x80000000, 128 << 20);
	assert_string_equal(sysfs_read(m, MEM "memory16/valid_zones"), "Movable Normal\n");
	mhp_machine_free(m);
}

/* Node links both ways, and node masks in list format (drivers/base/node.c). */
static void test_node_links_and_masks(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	char buf[256];
	assert_int_equal(mhp_sysfs_readlink(m, MEM "memory8/node0", buf, sizeof(buf)), 16);
	assert_string_equal(buf, "../../node/node0");
	assert_int_equal(mhp_sysfs_readlink(m, "/sys/devices/system/node/node0/memory15", buf, sizeof(buf)), 21);
	assert_string_equal(buf, "../../memory/memory15");
	assert_string_equal(sysfs_read(m, "/sys/devices/system/node/has_memory"), "0\n");
	assert_string_equal(sysfs_read(m, "/sys/devices/system/node/has_normal_memory"), "0\n");
	assert_int_equal(mhp_sysfs_readlink(m, MEM "memory8/node1", buf, sizeof(buf)), -ENOENT);
	mhp_machine_free(m);
}

/* Lists are sorted as ls sorts them; a block link lists the node directory. */
static void test_directory_listing(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	char buf[1024];
	assert_true(mhp_sysfs_list(m, MEM "memory8", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "node0\nonline\nphys_device\nphys_index\npower\nremovable\nstate\nsubsystem\nuevent\n"
			    "valid_zones\n");
	assert_true(mhp_sysfs_list(m, "/sys/devices/system/node", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "has_cpu\nhas_generic_initiator\nhas_memory\nhas_normal_memory\nnode0\nonline\npossible\n"
			    "power\nuevent\n");
	assert_int_equal(mhp_sysfs_list(m, MEM "block_size_bytes", buf, sizeof(buf)), -ENOTDIR);
	mhp_machine_free(m);
}

/* meminfo lines: a 16-column label, an 8-column value, " kB" (fs/proc/meminfo.c). */
static void test_meminfo_format(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	const char *text = sysfs_read(m, "/proc/meminfo");
	assert_memory_equal(text, "MemTotal:         991616 kB\n", 27);
	assert_non_null(strstr(text, "CmaTotal:          65536 kB\n"));
	mhp_machine_free(m);
}

/*
 * zoneinfo: the header pads the zone name to 8; start_pfn only for populated
 * zones. The watermarks are the lane's boot (min_free_kbytes 22528: eleven
 * pageblocks, khugepaged's set_recommended_min_free_kbytes()).
 */
static void test_zoneinfo_format(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	const char *text = sysfs_read(m, "/proc/zoneinfo");
	assert_non_null(strstr(text, "Node 0, zone      DMA\n  pages free     247904\n"
				     "        min      5632\n        low      7040\n"
				     "        high     8448\n        promo    9856\n"
				     "        spanned  262144\n        present  262144\n"
				     "        managed  247904\n        cma      16384\n"
				     "  start_pfn:           262144\n"));
	assert_non_null(strstr(text, "Node 0, zone   Normal\n"));
	assert_null(strstr(strstr(text, "Node 0, zone   Normal\n"), "start_pfn"));
	mhp_machine_free(m);
}

/* virtio-mem resources merge with their neighbours; kmem ones do not (MHP_MERGE_RESOURCE). */
static void test_iomem_merges_virtio_mem_only(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	struct mhp_err err;
	add_virtio_mem(m, 0x80000000, 128 << 20);
	add_virtio_mem(m, 0x88000000, 128 << 20);
	assert_int_equal(mhp_add_memory(m, 0, 0x90000000, 128 << 20, "System RAM (kmem)", &err), 0);
	assert_int_equal(mhp_add_memory(m, 0, 0x98000000, 128 << 20, "System RAM (kmem)", &err), 0);
	/* Inside the virtio-mem device's region, which the model file's iomem lists as the platform's. */
	assert_non_null(strstr(sysfs_read(m, "/proc/iomem"),
			       "\n80000000-bfffffff : virtio0\n"
			       "  80000000-8fffffff : System RAM (virtio_mem)\n"
			       "  90000000-97ffffff : System RAM (kmem)\n"
			       "  98000000-9fffffff : System RAM (kmem)\n"
			       "4010000000-401fffffff : PCI ECAM\n"));
	/* Removing the middle of a merged resource splits it (release_mem_region_adjustable). */
	assert_int_equal(mhp_remove_memory(m, 0x80000000, 128 << 20, &err), 0);
	assert_non_null(strstr(sysfs_read(m, "/proc/iomem"), "virtio0\n"
			       "  88000000-8fffffff : System RAM (virtio_mem)\n"
			       "  90000000-97ffffff : System RAM (kmem)\n"
			       "  98000000-9fffffff : System RAM (kmem)\n"));
	mhp_machine_free(m);
}

/* A short buffer still learns the full length, like snprintf. */
static void test_read_reports_full_length(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu();
	char buf[4];
	assert_int_equal(mhp_sysfs_read(m, MEM "block_size_bytes", buf, sizeof(buf)), 8);
	assert_string_equal(buf, "800");
	mhp_machine_free(m);
}

/* What ls -l shows: the modes 6.12 gives each file, the directories above them, the links. */
static void test_stat_modes(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	static const struct { const char *path; enum mhp_sysfs_type type; unsigned mode; } cases[] = {
		{ "/", MHP_SYSFS_DIR, 0755 },
		{ "/sys/devices/system", MHP_SYSFS_DIR, 0755 },
		{ "/sys/devices/system/memory", MHP_SYSFS_DIR, 0755 },
		{ "/sys/devices/system/memory/block_size_bytes", MHP_SYSFS_FILE, 0444 },
		{ "/sys/devices/system/memory/auto_online_blocks", MHP_SYSFS_FILE, 0644 },
		{ "/sys/devices/system/memory/memory8/state", MHP_SYSFS_FILE, 0644 },
		{ "/sys/devices/system/memory/memory8/online", MHP_SYSFS_FILE, 0644 },
		{ "/sys/devices/system/memory/memory8/valid_zones", MHP_SYSFS_FILE, 0444 },
		{ "/sys/devices/system/memory/memory8/node0", MHP_SYSFS_LINK, 0777 },
		{ "/sys/devices/system/node/has_memory", MHP_SYSFS_FILE, 0444 },
		{ "/sys/module/memory_hotplug/parameters/memmap_on_memory", MHP_SYSFS_FILE, 0444 },
		{ "/sys/module/memory_hotplug/parameters/online_policy", MHP_SYSFS_FILE, 0644 },
		{ "/proc/zoneinfo", MHP_SYSFS_FILE, 0444 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mhp_sysfs_stat st;
		assert_int_equal(mhp_sysfs_stat(m, cases[i].path, &st), 0);
		if (st.type != cases[i].type || st.mode != cases[i].mode)
			fail_msg("%s: type %d mode %o", cases[i].path, st.type, st.mode);
	}
	struct mhp_sysfs_stat st;
	char buf[256];
	/* The injector's tree is there only while its module is loaded. */
	const char *inject = "/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error";
	assert_int_equal(mhp_sysfs_stat(m, inject, &st), -ENOENT);
	assert_int_equal(mhp_sysfs_stat(m, "/sys/kernel/debug/notifier-error-inject", &st), -ENOENT);
	assert_true(mhp_sysfs_list(m, "/sys/kernel/debug", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "kernel_page_tables\n");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_modprobe(m, "memory-notifier-error-inject", 0, false, &err), 0);
	assert_int_equal(mhp_sysfs_stat(m, inject, &st), 0);
	assert_int_equal(st.mode, 0600);
	assert_true(mhp_sysfs_list(m, "/sys/kernel/debug", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "kernel_page_tables\nnotifier-error-inject\n");
	assert_true(mhp_sysfs_list(m, "/", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "proc\nsys\n");
	assert_int_equal(mhp_sysfs_stat(m, "/sys/devices/system/memory/memory99", &st), -ENOENT);
	assert_int_equal(mhp_sysfs_read(m, "/sys/devices", buf, sizeof(buf)), -EISDIR);
	mhp_machine_free(m);
}

/*
 * The probe file exists only with CONFIG_ARCH_MEMORY_PROBE. On arm64 (a
 * what-if: 6.12's arm64 has no such option) its node comes from mm/numa.c's
 * memory_add_physaddr_to_nid(), which says so and picks node 0.
 */
static void test_probe_what_if_on_arm64(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
	/* No such file: echo's O_CREAT meets a directory that cannot create (EACCES, as the x86 lane recorded). */
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/probe", "0x80000000"), -EACCES);
	mhp_machine_free(m);
	struct mhp_boot_args args = { .cmdline = "memhp_default_state=offline", .memory_probe = 1 };
	m = boot_model_args("qemu-virt-arm64-4k", &args);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/probe", "0x80000000"), 0);
	assert_string_equal(last_log(m), "Unknown online node for memory at 0x80000000, assuming node 0");
	assert_string_equal(sysfs_read(m, "/sys/devices/system/memory/memory16/state"), "offline\n");
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/probe", "0x80000001"), -EINVAL);
	struct mhp_sysfs_stat st;
	assert_int_equal(mhp_sysfs_stat(m, "/sys/devices/system/memory/probe", &st), 0);
	assert_int_equal(st.mode, 0200);
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_modes),
		cmocka_unit_test(test_probe_what_if_on_arm64),
		cmocka_unit_test(test_block_size_bytes_is_bare_hex),
		cmocka_unit_test(test_boot_blocks_read_as_on_the_reference_kernel),
		cmocka_unit_test(test_offline_boot_block_with_kernel_pages_is_ebusy),
		cmocka_unit_test(test_offline_clean_boot_block_is_eperm),
		cmocka_unit_test(test_state_write_of_current_state_is_einval),
		cmocka_unit_test(test_online_file_write_of_current_state_succeeds),
		cmocka_unit_test(test_state_parses_as_sysfs_streq),
		cmocka_unit_test(test_online_file_parses_as_kstrtobool),
		cmocka_unit_test(test_paths_and_permissions),
		cmocka_unit_test(test_paths_walk_as_the_kernel_walks_them),
		cmocka_unit_test(test_auto_online_blocks),
		cmocka_unit_test(test_valid_zones_of_offline_block_lists_two),
		cmocka_unit_test(test_movable_node_makes_movable_the_default),
		cmocka_unit_test(test_node_links_and_masks),
		cmocka_unit_test(test_directory_listing),
		cmocka_unit_test(test_meminfo_format),
		cmocka_unit_test(test_zoneinfo_format),
		cmocka_unit_test(test_iomem_merges_virtio_mem_only),
		cmocka_unit_test(test_read_reports_full_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
