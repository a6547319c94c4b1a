// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_hotplug.c - add, online, offline and remove, as mm/memory_hotplug.c does them.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"

#define MEM "/sys/devices/system/memory/"
#define MiB (1ull << 20)

static struct mhp_machine *qemu_offline(void)
{
	return boot_model("qemu-virt-arm64-4k", "memhp_default_state=offline");
}

/* add_memory wants whole memory blocks (check_hotplug_memory_range). */
static void test_add_misaligned_is_einval_with_log(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, 0x80100000, 128 * MiB, "System RAM (virtio_mem)", &err), -EINVAL);
	assert_string_equal(last_log(m), "Block size [0x8000000] unaligned hotplug range: start 0x80100000, size 0x8000000");
	/* Size 0 never reaches the alignment check: the range check refuses it first. */
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 0, "System RAM (virtio_mem)", &err), -E2BIG);
	/* The failed add left no resource behind. */
	assert_null(strstr(sysfs_read(m, "/proc/iomem"), "(virtio_mem)"));
	mhp_machine_free(m);
}

/* Beyond the linear map: E2BIG with the kernel's warning (mhp_range_allowed). */
static void test_add_beyond_linear_map_is_e2big(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	/* VA 48: the linear map covers 2^47 bytes from memstart_addr 0x40000000. */
	assert_int_equal(mhp_add_memory(m, 0, 0x800040000000ull, 128 * MiB, "System RAM (virtio_mem)", &err), -E2BIG);
	assert_string_equal(last_log(m), "Hotplug memory [0x800040000000-0x800048000000] exceeds maximum "
					 "addressable range [0x40000000-0x80003fffffff]");
	assert_int_equal(mhp_add_memory(m, 0, 0x80003ff8000000ull, 128 * MiB, "System RAM", &err), -E2BIG);
	mhp_machine_free(m);
}

/* Boot RAM is a busy resource: adding over it is EEXIST; so is adding twice. */
static void test_add_overlapping_is_eexist(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, 0x78000000, 256 * MiB, "System RAM (virtio_mem)", &err), -EEXIST);
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 * MiB, "System RAM (virtio_mem)", &err), -EEXIST);
	mhp_machine_free(m);
}

/* A driver-managed name must read "System RAM (...)" (add_memory_driver_managed). */
static void test_driver_managed_name_is_checked(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 * MiB, "my driver", &err), -EINVAL);
	mhp_machine_free(m);
}

/* New blocks are offline and counted nowhere until onlined; the memmap is counted at add. */
static void test_add_without_auto_online(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	assert_string_equal(sysfs_read(m, MEM "memory16/state"), "offline\n");
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 0);
	assert_non_null(strstr(sysfs_read(m, "/proc/vmstat"), "nr_memmap_pages 1024\n"));
	assert_non_null(strstr(sysfs_read(m, "/proc/meminfo"), "MemTotal:         991616 kB\n"));
	mhp_machine_free(m);
}

/* A bad memhp_default_state= is silently ignored: the Kconfig default stays. */
static void test_bad_memhp_default_state_is_ignored(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=sometimes");
	assert_string_equal(sysfs_read(m, MEM "auto_online_blocks"), "online\n");
	mhp_machine_free(m);
	m = boot_model("server-2node-arm64-4k", NULL);
	assert_string_equal(sysfs_read(m, MEM "auto_online_blocks"), "offline\n");
	mhp_machine_free(m);
}

/* Online grows the span, present and managed; MemTotal follows (online_pages). */
static void test_online_counts_pages(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	assert_int_equal(sysfs_write(m, MEM "memory17/state", "online"), 0);
	assert_int_equal(zoneinfo_value(m, "Normal", "start_pfn"), 0x88000);
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 32768);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "online"), 0);
	/* The start can drop: the span now begins at memory16. */
	assert_int_equal(zoneinfo_value(m, "Normal", "start_pfn"), 0x80000);
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 65536);
	assert_int_equal(zoneinfo_value(m, "Normal", "managed"), 65536);
	assert_non_null(strstr(sysfs_read(m, "/proc/meminfo"), "MemTotal:        1253760 kB\n"));
	mhp_machine_free(m);
}

/* Offline shrinks a span only at its edges (shrink_zone_span). */
static void test_offline_shrinks_span_only_at_edges(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	add_virtio_mem(m, 0x80000000, 384 * MiB);   /* memory16..18, auto-onlined to Normal */
	assert_int_equal(sysfs_write(m, MEM "memory17/state", "offline"), 0);
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 98304);   /* a hole in the middle */
	assert_int_equal(zoneinfo_value(m, "Normal", "present"), 65536);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "offline"), 0);
	assert_int_equal(zoneinfo_value(m, "Normal", "start_pfn"), 0x90000);
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 32768);
	mhp_machine_free(m);
}

/* The reference kernel: offline 18 with 16 online leaves span 98304 -> back to 32768. */
static void test_offline_last_block_shrinks_to_the_previous_online_one(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	assert_int_equal(sysfs_write(m, MEM "memory17/state", "offline"), 0);
	add_virtio_mem(m, 0x90000000, 128 * MiB);
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 98304);
	assert_int_equal(sysfs_write(m, MEM "memory18/state", "offline"), 0);
	assert_int_equal(zoneinfo_value(m, "Normal", "spanned"), 32768);
	mhp_machine_free(m);
}

/* Remove refuses while a block is online, with the kernel's warning (try_remove_memory). */
static void test_remove_online_is_ebusy(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "offline"), 0);
	assert_int_equal(mhp_remove_memory(m, 0x80000000, 256 * MiB, &err), -EBUSY);
	assert_string_equal(last_log(m), "removing memory fails, because memory "
					 "[0x0000000088000000-0x000000008fffffff] is onlined");
	assert_string_equal(sysfs_read(m, MEM "memory16/state"), "offline\n");
	mhp_machine_free(m);
}

/* Remove takes away blocks, sections, the memmap and the resource. */
static void test_remove_undoes_add(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	char *before = observable_state(m), diff[256];
	uint64_t tables = mhp_pgtable_count(m);
	add_virtio_mem(m, 0x80000000, 256 * MiB);
	assert_true(mhp_pgtable_count(m) > tables);   /* the add did build something to undo */
	assert_int_equal(mhp_remove_memory(m, 0x80000000, 256 * MiB, &err), 0);
	char buf[64];
	assert_int_equal(mhp_sysfs_read(m, MEM "memory16/state", buf, sizeof(buf)), -ENOENT);
	/*
	 * What a reader sees is as before the add: the ranges, the counters, the
	 * page tables. Not the free lists' types: the add's page tables came from
	 * two movable pageblocks that their unmovable allocations claimed, and a
	 * claimed pageblock stays unmovable when they are freed, as in the kernel.
	 */
	char *after = observable_state(m);
	observable_diff(before, after, diff, sizeof(diff));
	assert_string_equal(diff, "");
	free(before);
	free(after);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Remove of memory that was never added is refused, not crashed into. */
static void test_remove_of_unadded_range_is_refused(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_remove_memory(m, 0x80000000, 128 * MiB, &err), -EINVAL);
	assert_int_equal(mhp_remove_memory(m, 0x80000000, 1 * MiB, &err), -EINVAL);
	assert_int_equal(mhp_remove_memory(m, 0x40000000, 128 * MiB, &err), -EBUSY);  /* boot, online */
	mhp_machine_free(m);
}

/* Memory added on node 1 links to node1 and can be onlined there. */
static void test_hot_add_on_second_node(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("server-2node-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	assert_string_equal(sysfs_read(m, "/sys/devices/system/node/has_memory"), "0-1\n");
	assert_int_equal(mhp_add_memory(m, 1, 0x400000000000ull, 1ull << 30, "System RAM (kmem)", &err), 0);
	assert_string_equal(sysfs_read(m, MEM "memory524288/valid_zones"), "Normal Movable\n");
	char buf[64];
	assert_int_equal(mhp_sysfs_readlink(m, MEM "memory524288/node1", buf, sizeof(buf)), 16);
	assert_int_equal(sysfs_write(m, MEM "memory524288/state", "online_movable"), 0);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/*
 * The host memory budget (mhp_boot_args.max_memory): a page table past it is
 * refused, the kernel's add fails with -ENOMEM and leaves a consistent machine,
 * and the refusal says which figures; a boot that cannot fit says so too.
 */
/* qemu-virt-arm64-4k booted under a host budget of max_memory bytes (no kernel allocations): ret is the boot's. */
static struct mhp_machine *boot_with_budget(uint64_t max_memory, int ret, struct mhp_err *err)
{
	struct mhp_model *model;
	struct mhp_machine *m = NULL;
	assert_int_equal(mhp_model_load(src_path("models/qemu-virt-arm64-4k.yaml"), &model, err), 0);
	struct mhp_boot_args args = { .max_memory = max_memory, .no_kernel_allocations = 1 };
	assert_int_equal(mhp_machine_boot(model, &args, &m, err), ret);
	mhp_model_free(model);
	return m;
}

static void test_host_memory_budget_refuses_a_page_table(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	assert_null(boot_with_budget(32 << 10, -E2BIG, &err));
	assert_non_null(strstr(err.msg, "host memory budget: "));
	assert_non_null(strstr(err.msg, "would pass its budget of 32768 (--max-memory)"));
	/*
	 * The boot's 517 tables and its memblock allocations (each table a
	 * header while its entries are one run; each section's pages a few
	 * runs) fit in 64K; the tables of a 128 MiB add do not. Each new table
	 * asks for room for its entries, should a write make an array of them.
	 */
	struct mhp_machine *m = boot_with_budget(64 << 10, 0, &err);
	assert_null(mhp_machine_host_refused(m));
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 << 20, "System RAM (virtio_mem)", &err), -ENOMEM);
	assert_non_null(mhp_machine_host_refused(m));
	assert_non_null(strstr(mhp_machine_host_refused(m), "a page table of 4152 more would pass its budget of 65536"));
	assert_int_equal(mhp_check_all(m, &err), 0);
	/* A larger budget lets the same add through; the first refusal is still reported. */
	mhp_machine_set_max_memory(m, 0);
	assert_int_equal(mhp_add_memory(m, 0, 0x80000000, 128 << 20, "System RAM (virtio_mem)", &err), 0);
	assert_non_null(mhp_machine_host_refused(m));
	mhp_machine_free(m);
}

/*
 * The tag map counts too: a workload's first tag needs the map's top, a mid
 * and a leaf (49168 bytes), which a 64K budget the boot has mostly taken
 * does not hold. The allocation fails, the refusal names the figures, and
 * the machine stays consistent; under the default budget the same one goes.
 */
static void test_host_memory_budget_refuses_tag_records(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	struct mhp_machine *m = boot_with_budget(64 << 10, 0, &err);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 16, 1, &err), -ENOMEM);
	assert_non_null(mhp_machine_host_refused(m));
	assert_non_null(strstr(mhp_machine_host_refused(m), "tag records hold "));
	assert_non_null(strstr(mhp_machine_host_refused(m), "a tag record of 49168 more would pass its budget of 65536"));
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_set_max_memory(m, 0);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 16, 100, &err), 0);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/*
 * Page runs are counted as they are written and never refused, so the check
 * after a step stops a machine they took past its budget: freeing every
 * other page of a run of 2048 cuts it into a run a page (28 bytes each, a
 * chunk of 1796 bytes every 64 runs), and with a budget 8 KiB above what the
 * machine holds, a few chunks pass it. Until then the check says nothing.
 */
static void test_host_memory_budget_stops_after_page_runs_pass_it(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	struct mhp_machine *m = boot_with_budget(0, 0, &err);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 2048, 1, &err), 0);
	uint64_t held = mhp_testing_host_bytes(m), budget = held + (8 << 10);
	mhp_machine_set_max_memory(m, budget);
	uint32_t tag = 1;
	for (; tag <= 2048 && !mhp_machine_host_check(m); tag += 2)
		assert_int_equal(mhp_workload_free(m, tag, 1, &err), 0);
	const char *why = mhp_machine_host_check(m);
	assert_non_null(why);
	assert_true(tag > 9 && tag < 2048);   /* five chunks' worth of runs, then the frees stopped */
	assert_true(mhp_testing_host_bytes(m) > budget);
	assert_non_null(strstr(why, "page runs and tag records hold "));
	char tail[128];
	snprintf(tail, sizeof(tail), "past its budget of %llu (--max-memory): the page runs this step wrote",
		 (unsigned long long)budget);
	assert_non_null(strstr(why, tail));
	assert_int_equal(mhp_check_all(m, &err), 0);
	/* Tags whose leaf is there need no more host memory: a machine past its budget still takes them. */
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 1, 1, &err), 0);
	assert_string_equal(mhp_machine_host_check(m), why);   /* the first stop is the one reported */
	mhp_machine_free(m);
}

/* Parameters not modelled yet are refused at boot, never silently ignored; bad values are logged. */
static void test_unmodelled_boot_parameters_are_refused(void **state)
{
	(void)state;
	struct mhp_model *model;
	struct mhp_machine *m = NULL;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_model_load(src_path("models/qemu-virt-arm64-4k.yaml"), &model, &err), 0);
	const char *refused[] = { "kernelcore=mirror", "movablecore=100M" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct mhp_boot_args args = { .cmdline = refused[i] };
		assert_int_equal(mhp_machine_boot(model, &args, &m, &err), -EOPNOTSUPP);
		assert_null(m);
	}
	mhp_model_free(model);
	/* A bad module parameter is refused by parse_args(), which logs it and boots on. */
	m = boot_model("qemu-virt-arm64-4k", "memory_hotplug.online_policy=zigzag");
	assert_string_equal(sysfs_read(m, "/sys/module/memory_hotplug/parameters/online_policy"), "contig-zones\n");
	bool logged = false;
	for (uint64_t i = 0; i < mhp_log_count(m); i++)
		logged |= strcmp(mhp_log_line(m, i, NULL),
				 "Booting kernel: `zigzag' invalid for parameter `memory_hotplug.online_policy'") == 0;
	assert_true(logged);
	mhp_machine_free(m);
}

/* memmap_on_memory=force pads the memmap to pageblocks and says what it wastes (set_memmap_mode). */
static void test_memmap_on_memory_force_logs_its_waste(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memory_hotplug.memmap_on_memory=force");
	bool found = false;
	for (uint64_t i = 0; i < mhp_log_count(m); i++)
		found |= strcmp(mhp_log_line(m, i, NULL), "Memory hotplug will waste 0 pages in each memory block") == 0;
	assert_true(found);
	mhp_machine_free(m);
}

/* With 16K pages the memmap of a block is no multiple of PMD_SIZE: the flag is ignored. */
static void test_memmap_on_memory_needs_4k_pages(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-16k", "memhp_default_state=online memory_hotplug.memmap_on_memory=1");
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_add_memory_flags(m, 0, 0x80000000, 128 * MiB, "System RAM", MHP_MEMMAP_ON_MEMORY, &err), 0);
	assert_int_equal(zoneinfo_value(m, "Normal", "managed"), zoneinfo_value(m, "Normal", "present"));
	mhp_machine_free(m);
	m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online memory_hotplug.memmap_on_memory=1");
	assert_int_equal(mhp_add_memory_flags(m, 0, 0x80000000, 128 * MiB, "System RAM", MHP_MEMMAP_ON_MEMORY, &err), 0);
	assert_int_equal(zoneinfo_value(m, "Normal", "managed"), 32768 - 512);
	mhp_machine_free(m);
}

/* A block holding page tables is unmovable: its offline is EBUSY (has_unmovable_pages). */
static void test_block_holding_page_tables_cannot_go(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	add_virtio_mem(m, 0x80000000, 128 * MiB);   /* online, Normal: the next tables come from here */
	assert_int_equal(mhp_add_memory(m, 0, 0x88000000, 128 * MiB, "System RAM (virtio_mem)", &err), 0);
	assert_int_equal(sysfs_write(m, MEM "memory16/state", "offline"), -EBUSY);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* The first kernel log line from seq on that equals line: its number, or fails. */
static uint64_t log_line_at(struct mhp_machine *m, uint64_t seq, const char *line)
{
	for (; seq < mhp_log_count(m); seq++)
		if (strcmp(mhp_log_line(m, seq, NULL), line) == 0)
			return seq;
	fail_msg("no kernel log line \"%s\"", line);
	return 0;
}

/*
 * QEMU's requested-size= on its command line: the probe's first run of the
 * workqueue (virtio_mem_probe queues it with the config changed) logs the
 * sizes after the init lines and plugs, before anyone asks.
 */
static void test_device_requested_at_boot_is_plugged_at_probe(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k-plugged-at-boot", NULL);
	struct mhp_virtio_mem_info vi;
	uint64_t at = log_line_at(m, 0, "virtio_mem virtio0: subblock size: 0x200000");
	at = log_line_at(m, at, "virtio_mem virtio0: plugged size: 0x0");
	assert_string_equal(mhp_log_line(m, at + 1, NULL), "virtio_mem virtio0: requested size: 0x10000000");
	assert_int_equal(mhp_virtio_mem_info(m, &vi), 0);
	assert_int_equal(vi.requested, 256 * MiB);
	assert_int_equal(vi.plugged, 256 * MiB);
	assert_string_equal(sysfs_read(m, MEM "memory17/valid_zones"), "Normal\n");
	mhp_machine_free(m);
}

/* The blocks plugged at probe are onlined as memhp_default_state says, or not at all. */
static void test_device_requested_at_boot_follows_memhp_default_state(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k-plugged-at-boot", "memhp_default_state=online_movable");
	assert_string_equal(sysfs_read(m, MEM "memory16/valid_zones"), "Movable\n");
	assert_int_equal(zoneinfo_value(m, "Movable", "managed"), 65536);
	mhp_machine_free(m);
	m = boot_model("qemu-virt-arm64-4k-plugged-at-boot", "memhp_default_state=offline");
	assert_string_equal(sysfs_read(m, MEM "memory16/state"), "offline\n");
	assert_string_equal(sysfs_read(m, MEM "memory17/state"), "offline\n");
	assert_int_equal(zoneinfo_value(m, "Normal", "present"), 0);
	mhp_machine_free(m);
}

/*
 * ZONE_DEVICE (memremap_pages()): the driver's resource in /proc/iomem, the
 * Device zone's span, no memory block, nothing in MemTotal; the refusals, and
 * the model's bound of MAX_PGMAPS ranges.
 */
static void test_zone_device_ranges(void **state)
{
	(void)state;
	struct mhp_machine *m = qemu_offline();
	struct mhp_err err = { 0 };
	const char *meminfo = strstr(sysfs_read(m, "/proc/meminfo"), "MemTotal:");
	char before[64];
	snprintf(before, sizeof(before), "%.*s", (int)strcspn(meminfo, "\n"), meminfo);
	assert_int_equal(mhp_memremap_pages(m, 0, 0xc0200000, 4 * MiB, &err), 0);
	assert_non_null(strstr(sysfs_read(m, "/proc/iomem"), "c0200000-c05fffff : Persistent Memory\n"));
	assert_int_equal(zoneinfo_value(m, "Device", "spanned"), 1024);
	assert_int_equal(zoneinfo_value(m, "Device", "present"), 0);
	assert_non_null(strstr(sysfs_read(m, "/proc/meminfo"), before));
	assert_int_equal(sysfs_write(m, MEM "memory24/state", "online"), -ENOENT);   /* no memory block */
	/* Refused: a node that is not online, a range over it again (the resource), one that is not whole pages. */
	assert_int_equal(mhp_memremap_pages(m, 1, 0xd0000000, 2 * MiB, &err), -EINVAL);
	assert_int_equal(mhp_memremap_pages(m, 0, 0xc0400000, 2 * MiB, &err), -EBUSY);
	assert_int_equal(mhp_memremap_pages(m, 0, 0xd0000000, 2 * MiB + 1, &err), -EINVAL);
	assert_int_equal(mhp_memunmap_pages(m, 0xc0200000, 2 * MiB, &err), -EINVAL);   /* not as it was mapped */
	/* The model keeps MAX_PGMAPS ranges (63 more here), then says so. */
	for (uint64_t i = 0; i < 63; i++)
		assert_int_equal(mhp_memremap_pages(m, 0, 0x100000000ull + i * 2 * MiB, 2 * MiB, &err), 0);
	assert_int_equal(mhp_memremap_pages(m, 0, 0x200000000ull, 2 * MiB, &err), -ENOMEM);
	assert_non_null(strstr(err.msg, "64 ZONE_DEVICE ranges"));
	/* Unmapped, its span stays (6.12 never shrinks ZONE_DEVICE); its resource goes. */
	assert_int_equal(mhp_memunmap_pages(m, 0xc0200000, 4 * MiB, &err), 0);
	assert_null(strstr(sysfs_read(m, "/proc/iomem"), "c0200000-c05fffff"));
	assert_int_equal(mhp_memremap_pages(m, 0, 0x200000000ull, 2 * MiB, &err), 0);
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_misaligned_is_einval_with_log),
		cmocka_unit_test(test_add_beyond_linear_map_is_e2big),
		cmocka_unit_test(test_add_overlapping_is_eexist),
		cmocka_unit_test(test_driver_managed_name_is_checked),
		cmocka_unit_test(test_add_without_auto_online),
		cmocka_unit_test(test_bad_memhp_default_state_is_ignored),
		cmocka_unit_test(test_online_counts_pages),
		cmocka_unit_test(test_offline_shrinks_span_only_at_edges),
		cmocka_unit_test(test_offline_last_block_shrinks_to_the_previous_online_one),
		cmocka_unit_test(test_remove_online_is_ebusy),
		cmocka_unit_test(test_remove_undoes_add),
		cmocka_unit_test(test_remove_of_unadded_range_is_refused),
		cmocka_unit_test(test_hot_add_on_second_node),
		cmocka_unit_test(test_unmodelled_boot_parameters_are_refused),
		cmocka_unit_test(test_host_memory_budget_refuses_a_page_table),
		cmocka_unit_test(test_host_memory_budget_refuses_tag_records),
		cmocka_unit_test(test_host_memory_budget_stops_after_page_runs_pass_it),
		cmocka_unit_test(test_memmap_on_memory_force_logs_its_waste),
		cmocka_unit_test(test_memmap_on_memory_needs_4k_pages),
		cmocka_unit_test(test_block_holding_page_tables_cannot_go),
		cmocka_unit_test(test_device_requested_at_boot_is_plugged_at_probe),
		cmocka_unit_test(test_device_requested_at_boot_follows_memhp_default_state),
		cmocka_unit_test(test_zone_device_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
