// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_observe.c - the reference lane's observation format and its diff.
 */
#include "helpers.h"

#include <mhpsim/observe.h>
#include <mhpsim/scenario.h>
#include <stdlib.h>
#include <string.h>

/* A raw dump as the guest prints it: timestamps, dump_page's flag words, a per-boot memory banner. */
static const char guest_raw[] =
	"@@file pagesize\n4096\n"
	"@@file /sys/devices/system/memory/block_size_bytes\n8000000\n"
	"@@file /sys/devices/system/memory/auto_online_blocks\nonline\n"
	"@@file /sys/devices/system/memory/memory16/state\nonline\n"
	"@@file /sys/devices/system/memory/memory16/valid_zones\nNormal Movable\n"
	"@@file /sys/devices/system/memory/memory16/phys_device\n0\n"
	"@@file /sys/devices/system/memory/memory16/removable\n1\n"
	"@@file /sys/devices/system/memory/memory16/phys_index\n00000010\n"
	"@@file /sys/devices/system/memory/memory16/node\nnode0\n"
	"@@file /sys/devices/system/memory/memory8/state\nonline\n"
	"@@file /proc/zoneinfo\nNode 0, zone      DMA\n  pages free 1\n        spanned  262144\n        present  262144\n"
	"        managed  247904\n  start_pfn:           262144\nNode 0, zone   Normal\n        spanned  0\n"
	"        present  0\n        managed  0\n"
	"@@file /proc/meminfo\nMemTotal:         991616 kB\nMemFree: 1 kB\n"
	"@@file /proc/vmstat\nnr_memmap_pages 512\nnr_memmap_boot_pages 4096\n"
	"@@dmesg\n"
	"[    0.189337] Memory: 912576K/1048576K available (15552K kernel code)\n"
	"[    2.5] page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x80010\n"
	"[    2.5] anon flags: 0x5ffff0000000000(node=0|zone=2)\n"
	"[    2.5] raw: 05ffff0000000000 0000000000000000\n"
	"[    2.5] head: order:2 mapcount:0 entire_mapcount:0 nr_pages_mapped:0 pincount:0\n"
	"[    2.5] head: 05ffff0000000040 ffff051883004800 dead000000000122 0000000000000000\n"
	"[    2.6] page dumped because: unmovable page\n"
	"[    2.7] hrtimer: interrupt took 16766624 ns\n"
	"@@end-observe\n";

static char *format(const char *raw, bool boot)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal((boot ? mhp_observe_format_boot : mhp_observe_format)(raw, strlen(raw), f), 0);
	fclose(f);
	return out;
}

/* The canonical text: blocks by number, zones, counters, the log normalised. */
static void test_format_of_a_guest_dump(void **state)
{
	(void)state;
	char *t = format(guest_raw, false);
	assert_non_null(strstr(t, "  memory8: state=online valid_zones=? "));   /* what the dump lacks shows as ? */
	assert_non_null(strstr(t, "  memory16: state=online valid_zones=Normal,Movable phys_device=0 removable=1 "
				  "phys_index=00000010 node=0\n"));
	assert_true(strstr(t, "memory8:") < strstr(t, "memory16:"));
	assert_non_null(strstr(t, "  DMA     start_pfn=262144 spanned=262144 present=262144 managed=247904\n"));
	assert_non_null(strstr(t, "  Normal  start_pfn=- spanned=0 present=0 managed=0\n"));
	assert_non_null(strstr(t, "MemTotal: 991616 kB\n"));
	assert_non_null(strstr(t, "vmstat: nr_memmap_pages=512 nr_memmap_boot_pages=4096\n"));
	assert_non_null(strstr(t, "  Memory: <avail>K/1048576K available (15552K kernel code)\n"));
	assert_non_null(strstr(t, "  page: <first unmovable page> in memory16\n"));
	assert_null(strstr(t, "hrtimer"));   /* the host's timing, not the kernel's memory */
	assert_null(strstr(t, "flags:"));
	assert_null(strstr(t, "raw:"));
	assert_null(strstr(t, "head:"));   /* the folio of the tail page it met: which object, not which block */
	assert_null(strstr(t, "[ "));
	free(t);
	/* Boot keeps only the memory lines of the log. */
	t = format(guest_raw, true);
	assert_non_null(strstr(t, "Memory: <avail>K"));
	assert_null(strstr(t, "page dumped because"));
	free(t);
	/* Not an observation: refused. */
	FILE *f = fopen("/dev/null", "w");
	assert_int_equal(mhp_observe_format("@@file x\nabc\n", 14, f), -EINVAL);
	fclose(f);
}

/* The simulator's dump goes through the same formatter. */
static void test_simulator_observation(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	char *raw = NULL;
	size_t len = 0;
	uint64_t mark = 0;
	FILE *f = open_memstream(&raw, &len);
	assert_int_equal(mhp_observe_raw(m, &mark, f), 0);
	fclose(f);
	assert_true(mark > 0);   /* the boot log was shown, and will not be again */
	char *t = format(raw, true);
	assert_non_null(strstr(t, "  memory15: state=online valid_zones=DMA phys_device=0 removable=1 "
				  "phys_index=0000000f node=0\n"));
	assert_non_null(strstr(t, "MemTotal: 991616 kB\n"));
	free(t);
	free(raw);
	mhp_machine_free(m);
}

static const char kernel_obs[] = "### step 0: boot\nresult: ok\nMemTotal: 100 kB\n"
				 "### step 1: echo\nresult: ok\nblocks:\n  memory16: state=online\ndmesg:\n  hello\n"
				 "### step 2: alloc\nresult: departs: workloads\n  memory16: state=offline\n";
static const char sim_obs[] = "### step 0: boot\nresult: ok\nMemTotal: 104 kB\n"
			      "### step 1: write\nresult: ok\nblocks:\n  memory16: state=offline\ndmesg:\n  hello\n"
			      "### step 2: alloc\nresult: ok\n  memory16: state=online\n";

/* The diff finds what differs, explains it by a known gap or not, and stops where the kernel's run departs. */
static void test_fidelity_compare(void **state)
{
	(void)state;
	struct mhp_fidelity r;
	assert_int_equal(mhp_fidelity_compare(kernel_obs, kernel_obs, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.different, 0);
	assert_int_equal(r.departs_at, 2);
	assert_int_equal(mhp_fidelity_compare(kernel_obs, sim_obs, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.different, 4);   /* MemTotal and memory16, each on both sides; step 2 is not compared */
	assert_int_equal(r.equal, 3);       /* two results and the log line */
	assert_string_equal(r.departs_why, "workloads");
	/* The score: 5 kernel lines and 2 the simulator alone has; both results compared, both the same. */
	assert_int_equal(r.fields, 7);
	assert_int_equal(r.results, 2);
	assert_int_equal(r.results_equal, 2);
	assert_int_equal(r.changed, 7);        /* step 1's memory16 is new, and so is everything at boot */
	assert_int_equal(r.changed_equal, 3);
	assert_int_equal(mhp_fidelity_compare(kernel_obs, sim_obs, "MemTotal | a reason\n", NULL, NULL, &r), 0);
	assert_int_equal(r.different, 2);
	assert_int_equal(r.known, 2);
	/* A scenario's own departure, earlier than the guest's. */
	assert_int_equal(mhp_fidelity_compare(kernel_obs, sim_obs, "@s:1 | the kernel's own allocations\n", "s", NULL, &r), 0);
	assert_int_equal(r.departs_at, 1);
	assert_string_equal(r.departs_why, "the kernel's own allocations");
	assert_int_equal(r.different, 2);   /* MemTotal of step 0 only */
	assert_true(r.known_departure);
	assert_int_equal(r.results, 2);     /* boot, and step 1 where the model parts: a result that differs */
	assert_int_equal(r.results_equal, 1);
	/* A field a step left alone is not a changed one; a known gap still counts against the score. */
	assert_int_equal(mhp_fidelity_compare("### step 0\nMemTotal: 104 kB\n### step 1\nresult: ok\nMemTotal: 104 kB\n",
					      "### step 0\nMemTotal: 100 kB\n### step 1\nresult: ok\nMemTotal: 100 kB\n",
					      "MemTotal | a reason\n", NULL, NULL, &r), 0);
	assert_int_equal(r.different, 0);
	assert_int_equal(r.fields, 5);      /* three kernel lines, two the simulator alone has */
	assert_int_equal(r.equal, 1);
	assert_int_equal(r.changed, 3);     /* boot's MemTotal on each side and step 1's result */
	assert_int_equal(r.changed_equal, 1);
	/* An exact offset is known; any other difference is not. */
	const char *gap = "~MemTotal MemTotal: 4 | one page\n";
	assert_int_equal(mhp_fidelity_compare("### step 0\nMemTotal: 104 kB\n", "### step 0\nMemTotal: 100 kB\n", gap, NULL,
					      NULL, &r), 0);
	assert_int_equal(r.known, 1);
	assert_int_equal(r.different, 0);
	assert_int_equal(mhp_fidelity_compare("### step 0\nMemTotal: 104 kB\n", "### step 0\nMemTotal: 96 kB\n", gap, NULL,
					      NULL, &r), 0);
	assert_int_equal(r.known, 0);
	assert_int_equal(r.different, 2);
	/* A step the guest skipped: neither its result nor what the simulator read there is a field. */
	assert_int_equal(mhp_fidelity_compare("### step 0\nresult: ok\n### step 1\nresult: skipped: no such file\n",
					      "### step 0\nresult: ok\n### step 1\nresult: ok\noutput: a dump\n", NULL,
					      NULL, NULL, &r), 0);
	assert_int_equal(r.different, 0);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.fields, 1);
}

/* The translation to guest words: movable workloads become tmpfs files, the rest is marked, never faked. */
static void test_reference_steps_of_workloads(void **state)
{
	(void)state;
	static const char yaml[] =
		"scenario: t\nmodel: qemu-virt-arm64-4k\nsteps:\n"
		"  - add_memory: { start: 0x80000000, size: 128M, driver: virtio_mem }\n"
		"  - alloc: { kind: anon, pages: 10, tag: 1 }\n"
		"  - alloc: { kind: file, pages: 5, tag: 100 }\n"
		"  - free: { tag: 1, pages: 10 }\n"
		"  - free: { tag: 100, pages: 2 }\n"
		"  - alloc: { kind: file, pages: 200000, tag: 500 }\n"
		"  - alloc: { kind: kernel, pages: 1, tag: 200 }\n"
		"  - alloc: { kind: hugetlb, pages: 1, tag: 300 }\n"
		"  - free: { tag: 1, pages: 10 }\n";
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_scenario_load_buffer(yaml, strlen(yaml), MHPSIM_SOURCE_DIR "/scenarios/t.yaml", NULL, &sc,
						  &err), 0);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_int_equal(mhp_scenario_reference_steps(sc, f, &err), 0);
	fclose(f);
	assert_non_null(strstr(out, "\n# machine vm-block-size=2M vm-node=0 vm-requested-size=0M nodes=1024M\n"));
	assert_string_equal(strchr(strchr(strchr(out, '\n') + 1, '\n') + 1, '\n') + 1,
			    "plug 128M\nfill 1 10\nfill 100 5\ndrop 1\n"
			    "depart the free is not one whole tmpfs file the guest wrote\n"
			    "depart tmpfs past half of the guest's memory: the guest would OOM-kill its shell\n"
			    "depart kernel pages have no guest-side workload (only anon and file map to tmpfs)\n"
			    "depart hugetlb pages have no guest-side workload (only anon and file map to tmpfs)\n"
			    "depart the free is not one whole tmpfs file the guest wrote\n");
	free(out);
	mhp_scenario_free(sc);
}

/* The reference-steps text of a scenario given as YAML: its caller frees it. */
static char *reference_steps_of(const char *yaml)
{
	struct mhp_scenario *sc = NULL;
	struct mhp_err err = { 0 };
	if (mhp_scenario_load_buffer(yaml, strlen(yaml), MHPSIM_SOURCE_DIR "/scenarios/t.yaml", NULL, &sc, &err))
		fail_msg("%s", err.msg);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_int_equal(mhp_scenario_reference_steps(sc, f, &err), 0);
	fclose(f);
	mhp_scenario_free(sc);
	return out;
}

/*
 * A device started with requested-size= tells QEMU so on the machine line, and
 * the translation counts what the driver plugged at probe: an add of the next
 * block (an older scenario's way to plug) asks for 384M, not 128M.
 */
static void test_reference_machine_of_a_device_plugged_at_boot(void **state)
{
	(void)state;
	char *out = reference_steps_of("scenario: t\nmodel: qemu-virt-arm64-4k-plugged-at-boot\nsteps:\n"
				       "  - add_memory: { start: 0x90000000, size: 128M, driver: virtio_mem }\n");
	assert_non_null(strstr(out, "\n# machine vm-block-size=2M vm-node=0 vm-requested-size=256M nodes=1024M\n"));
	assert_non_null(strstr(out, "\nplug 384M\n"));
	free(out);
}

/* A short-term page reference has no guest-side tool: the lane departs there and says why. */
static void test_reference_departs_at_a_short_term_reference(void **state)
{
	(void)state;
	char *out = reference_steps_of("scenario: t\nmodel: qemu-virt-arm64-4k\nsteps:\n"
				       "  - alloc: { kind: anon, pages: 1, tag: 1 }\n  - hold: { tag: 1 }\n"
				       "  - release: { tag: 1 }\n");
	const char *depart = "depart a short-term page reference (vmsplice, O_DIRECT in flight) has no guest-side "
			     "tool: the guest's busybox has no vmsplice\n";
	char *hold = strstr(out, depart);
	assert_non_null(hold);
	assert_non_null(strstr(hold + 1, depart));   /* release too */
	free(out);
}

/* The page-table dump is a file Debian's kernel does not build: the guest skips the read, other reads run. */
static void test_reference_skips_the_page_table_dump(void **state)
{
	(void)state;
	char *out = reference_steps_of("scenario: t\nmodel: qemu-virt-arm64-4k\nsteps:\n"
				       "  - read: /sys/kernel/debug/kernel_page_tables\n    expect: \"x\"\n"
				       "  - read: /sys/devices/system/memory/block_size_bytes\n    expect: \"x\"\n");
	assert_non_null(strstr(out, "\nskip the reference kernel is built without CONFIG_PTDUMP_DEBUGFS "
				    "(no kernel_page_tables)\nread /sys/devices/system/memory/block_size_bytes\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_of_a_guest_dump),
		cmocka_unit_test(test_simulator_observation),
		cmocka_unit_test(test_fidelity_compare),
		cmocka_unit_test(test_reference_skips_the_page_table_dump),
		cmocka_unit_test(test_reference_steps_of_workloads),
		cmocka_unit_test(test_reference_machine_of_a_device_plugged_at_boot),
		cmocka_unit_test(test_reference_departs_at_a_short_term_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
