// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_device_files.c - the files every device directory has (power/,
 * uevent, subsystem), the memory root's offline stores and a node's own
 * files, as Debian's 6.12 shows them on the reference machines (QEMU virt,
 * 2 CPUs; the two-node guest puts both CPUs on node 0). Kernel twins:
 * drivers/base/{core,node,memory}.c, drivers/base/power/sysfs.c,
 * lib/kobject_uevent.c, mm/memory-failure.c.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#define MEM "/sys/devices/system/memory/"
#define NODE "/sys/devices/system/node/"

static const char *list(struct mhp_machine *m, const char *path)
{
	static char buf[2048];
	ssize_t n = mhp_sysfs_list(m, path, buf, sizeof(buf));
	assert_true(n >= 0);
	return buf;
}

static unsigned mode_of(struct mhp_machine *m, const char *path)
{
	struct mhp_sysfs_stat st;
	assert_int_equal(mhp_sysfs_stat(m, path, &st), 0);
	return st.mode;
}

static ssize_t read_err(struct mhp_machine *m, const char *path)
{
	char buf[64];
	return mhp_sysfs_read(m, path, buf, sizeof(buf));
}

/* The memory root lists the offline stores, power and uevent beside the blocks (ls -1 order). */
static void test_memory_root_lists_what_the_kernel_lists(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_string_equal(list(m, "/sys/devices/system/memory"),
			    "auto_online_blocks\nblock_size_bytes\nhard_offline_page\nmemory10\nmemory11\nmemory12\n"
			    "memory13\nmemory14\nmemory15\nmemory8\nmemory9\npower\nsoft_offline_page\nuevent\n");
	assert_int_equal(mode_of(m, MEM "hard_offline_page"), 0200);
	assert_int_equal(mode_of(m, MEM "soft_offline_page"), 0200);
	assert_int_equal(mode_of(m, MEM "uevent"), 0644);
	assert_int_equal(read_err(m, MEM "soft_offline_page"), -EACCES);
	mhp_machine_free(m);
}

/* A node directory: its files, CPU links, memory links, hugepages/, memory_failure/, power/, subsystem, uevent. */
static void test_node_directories_list_what_the_kernel_lists(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-2node-4k", NULL);
	assert_string_equal(list(m, NODE "node0"),
			    "compact\ncpu0\ncpu1\ncpulist\ncpumap\ndistance\nhugepages\nmeminfo\nmemory10\nmemory11\n"
			    "memory8\nmemory9\nmemory_failure\nnumastat\npower\nsubsystem\nuevent\nvmstat\n");
	assert_string_equal(list(m, NODE "node1"),
			    "compact\ncpulist\ncpumap\ndistance\nhugepages\nmeminfo\nmemory12\nmemory13\nmemory14\n"
			    "memory15\nmemory_failure\nnumastat\npower\nsubsystem\nuevent\nvmstat\n");
	assert_int_equal(mode_of(m, NODE "node0/compact"), 0200);
	assert_int_equal(mode_of(m, NODE "node0/meminfo"), 0444);
	mhp_machine_free(m);
}

/* cpulist, cpumap and distance of the two-node guest: both CPUs on node 0, default distances 10 and 20. */
static void test_node_cpus_and_distances(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-2node-4k", NULL);
	assert_string_equal(sysfs_read(m, NODE "node0/cpulist"), "0-1\n");
	assert_string_equal(sysfs_read(m, NODE "node0/cpumap"), "3\n");
	assert_string_equal(sysfs_read(m, NODE "node1/cpulist"), "\n");
	assert_string_equal(sysfs_read(m, NODE "node1/cpumap"), "0\n");
	assert_string_equal(sysfs_read(m, NODE "node0/distance"), "10 20\n");
	assert_string_equal(sysfs_read(m, NODE "node1/distance"), "20 10\n");
	char buf[64];
	assert_int_equal(mhp_sysfs_readlink(m, NODE "node0/cpu1", buf, sizeof(buf)), 14);
	assert_string_equal(buf, "../../cpu/cpu1");
	assert_int_equal(mhp_sysfs_readlink(m, NODE "node1/cpu0", buf, sizeof(buf)), -ENOENT);
	mhp_machine_free(m);
	m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_string_equal(sysfs_read(m, NODE "node0/distance"), "10\n");
	mhp_machine_free(m);
}

/* "%*pb" of more than 32 CPUs: 32-bit words, the first only as wide as its bits; "%*pbl" a range. */
static void test_cpumap_of_many_cpus(void **state)
{
	(void)state;
	static const char text[] = "model: many\ngranule: 4K\nva_bits: 48\npa_bits: 48\n"
				   "nodes:\n  - id: 0\n    cpus: 40\n    memory:\n      - { start: 0x40000000, size: 1G }\n"
				   "  - id: 1\n    cpus: 2\n    memory:\n      - { start: 0x80000000, size: 1G }\n"
				   "reserved:\n  - { start: 0x60000000, size: 8M, name: pt, pool: pgtable }\n"
				   "  - { start: 0x61000000, size: 32M, name: memmap, pool: memmap }\n";
	struct mhp_model *mo;
	struct mhp_machine *m;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_model_load_buffer(text, strlen(text), "many", &mo, &err), 0);
	assert_int_equal(mhp_machine_boot(mo, NULL, &m, &err), 0);
	assert_string_equal(sysfs_read(m, NODE "node0/cpumap"), "0ff,ffffffff\n");
	assert_string_equal(sysfs_read(m, NODE "node1/cpumap"), "300,00000000\n");
	assert_string_equal(sysfs_read(m, NODE "node1/cpulist"), "40-41\n");
	mhp_machine_free(m);
	mhp_model_free(mo);
}

/* The value of one "Node N Label:" line of nodeN/meminfo, in kB. */
static unsigned long long meminfo_kb(struct mhp_machine *m, const char *label)
{
	const char *text = sysfs_read(m, NODE "node0/meminfo"), *at = strstr(text, label);
	assert_non_null(at);
	return strtoull(at + strlen(label), NULL, 10);
}

/* node_read_meminfo(): totals from the zones, the workload pages by kind, each line in the kernel's columns. */
static void test_node_meminfo_counts_the_model_pages(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-2node-4k", NULL);
	struct mhp_err err = { 0 };
	const char *text = sysfs_read(m, NODE "node0/meminfo");
	assert_memory_equal(text, "Node 0 MemTotal:         480272 kB\nNode 0 MemFree:          480272 kB\n"
				  "Node 0 MemUsed:               0 kB\n", 105);
	assert_non_null(strstr(text, "Node 0 FilePmdMapped:         0 kB\nNode 0 HugePages_Total:     0\n"
				     "Node 0 HugePages_Free:      0\nNode 0 HugePages_Surp:      0\n"));
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 100, 1, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "file", 0, 10, 1000, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "hugetlb", 0, 2, 2000, &err), 0);
	assert_int_equal(meminfo_kb(m, "AnonPages:"), 400);
	assert_int_equal(meminfo_kb(m, "Active(anon):"), 400);
	assert_int_equal(meminfo_kb(m, "Inactive(file):"), 40);
	assert_int_equal(meminfo_kb(m, "FilePages:"), 40);
	assert_int_equal(meminfo_kb(m, "MemUsed:"), 440 + 4096);
	assert_int_equal(meminfo_kb(m, "HugePages_Total:"), 2);
	mhp_machine_free(m);
}

/* What the model does not keep exists and says so: numastat, vmstat, hugepages/; memory_failure counts nothing. */
static void test_node_files_the_model_cannot_fill(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	char buf[64];
	assert_int_equal(read_err(m, NODE "node0/numastat"), -EOPNOTSUPP);
	assert_int_equal(read_err(m, NODE "node0/vmstat"), -EOPNOTSUPP);
	assert_int_equal(mhp_sysfs_list(m, NODE "node0/hugepages", buf, sizeof(buf)), -EOPNOTSUPP);
	assert_int_equal(read_err(m, NODE "node0/compact"), -EACCES);
	assert_int_equal(sysfs_write(m, NODE "node0/compact", "1"), -EOPNOTSUPP);
	assert_int_equal(sysfs_write(m, NODE "node0/meminfo", "1"), -EACCES);
	assert_string_equal(list(m, NODE "node0/memory_failure"), "delayed\nfailed\nignored\nrecovered\ntotal\n");
	assert_string_equal(sysfs_read(m, NODE "node0/memory_failure/total"), "0\n");
	assert_int_equal(sysfs_write(m, NODE "node0/memory_failure/total", "1"), -EACCES);
	mhp_machine_free(m);
}

/* power/ of a device without runtime PM, as 6.12 shows the memory and node devices. */
static void test_power_files(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_string_equal(list(m, MEM "memory8/power"),
			    "async\nautosuspend_delay_ms\ncontrol\nruntime_active_kids\nruntime_active_time\n"
			    "runtime_enabled\nruntime_status\nruntime_suspended_time\nruntime_usage\n");
	assert_string_equal(sysfs_read(m, NODE "power/control"), "auto\n");
	assert_string_equal(sysfs_read(m, MEM "power/runtime_status"), "unsupported\n");
	assert_int_equal(read_err(m, NODE "node0/power/autosuspend_delay_ms"), -EIO);
	assert_int_equal(sysfs_write(m, MEM "memory8/power/autosuspend_delay_ms", "5"), -EIO);
	assert_int_equal(sysfs_write(m, MEM "memory8/power/runtime_usage", "1"), -EACCES);
	assert_int_equal(mode_of(m, NODE "node0/power/control"), 0644);
	mhp_machine_free(m);
}

/* uevent reads empty; an action alone is sent; a bad one is EINVAL with kobject_synth_uevent()'s lines. */
static void test_uevent_files(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_string_equal(sysfs_read(m, NODE "node0/uevent"), "");
	assert_int_equal(sysfs_write(m, NODE "node0/uevent", "add"), 0);
	assert_int_equal(sysfs_write(m, NODE "node0/uevent", "add 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 A=b"), 0);
	assert_int_equal(sysfs_write(m, MEM "memory8/uevent", "bogus"), -EINVAL);
	assert_string_equal(last_log(m), "memory memory8: uevent: failed to send synthetic uevent: -22");
	assert_int_equal(sysfs_write(m, MEM "uevent", "bogus"), -EINVAL);
	assert_string_equal(mhp_log_line(m, mhp_log_count(m) - 2, NULL),
			    "synth uevent: /devices/system/memory: unknown uevent action string");
	assert_string_equal(last_log(m), " memory: uevent: failed to send synthetic uevent: -22");
	assert_int_equal(sysfs_write(m, NODE "node0/uevent", "add extra"), -EINVAL);
	assert_string_equal(mhp_log_line(m, mhp_log_count(m) - 2, NULL),
			    "synth uevent: /devices/system/node/node0: incorrect uevent action arguments");
	char buf[64];
	assert_int_equal(mhp_sysfs_readlink(m, NODE "node0/subsystem", buf, sizeof(buf)), 20);
	assert_string_equal(buf, "../../../../bus/node");
	mhp_machine_free(m);
}

/* soft_/hard_offline_page take a physical address: kstrtoull, then the pfn must be an online page. */
static void test_offline_page_stores(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_int_equal(sysfs_write(m, MEM "soft_offline_page", "bogus"), -EINVAL);
	assert_int_equal(sysfs_write(m, MEM "soft_offline_page", "0x200000000"), -ENXIO);
	assert_int_equal(sysfs_write(m, MEM "hard_offline_page", "0x1000"), -ENXIO);
	assert_string_equal(last_log(m), "Memory failure: 0x1: memory outside kernel control");
	assert_int_equal(sysfs_write(m, MEM "hard_offline_page", "0x40000000"), -EOPNOTSUPP);
	assert_int_equal(sysfs_write(m, MEM "soft_offline_page", "010000000000"), -EOPNOTSUPP);   /* octal: 0x40000000 */
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_root_lists_what_the_kernel_lists),
		cmocka_unit_test(test_node_directories_list_what_the_kernel_lists),
		cmocka_unit_test(test_node_cpus_and_distances),
		cmocka_unit_test(test_cpumap_of_many_cpus),
		cmocka_unit_test(test_node_meminfo_counts_the_model_pages),
		cmocka_unit_test(test_node_files_the_model_cannot_fill),
		cmocka_unit_test(test_power_files),
		cmocka_unit_test(test_uevent_files),
		cmocka_unit_test(test_offline_page_stores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
