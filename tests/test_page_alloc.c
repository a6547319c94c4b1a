// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_page_alloc.c - the buddy allocator and workloads (mm/page_alloc.c, mm/migrate.c).
 */
#include "helpers.h"
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/mmzone.h"
#include "sim/page_alloc.h"
#include "sim/page_isolation.h"
#include "sim/touched.h"
#include "sim/workload.h"
#include "check/check.h"

#include <string.h>

#define MiB (1ull << 20)

static uint64_t free_of(struct mhp_machine *m, int zid)
{
	return m->nodes[0].zones[zid].free_pages;
}

/* Freed pages merge with their buddies back into max-order blocks (__free_one_page). */
static void test_free_merges_back_to_max_order(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_err err = { 0 };
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	struct zone *z = &m->nodes[0].zones[ZONE_MOVABLE];
	assert_int_equal(z->free_area[10][MIGRATE_MOVABLE].n, 32);   /* 128 MiB = 32 blocks of 4 MiB */
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 3, 1, &err), 0);
	assert_int_equal(z->free_area[10][MIGRATE_MOVABLE].n, 31);    /* one block split for three pages */
	assert_int_equal(free_of(m, ZONE_MOVABLE), 32768 - 3);
	assert_int_equal(mhp_workload_free(m, 1, 3, &err), 0);
	assert_int_equal(z->free_area[10][MIGRATE_MOVABLE].n, 32);
	for (unsigned o = 0; o < 10; o++)
		assert_int_equal(z->free_area[o][MIGRATE_MOVABLE].n, 0);
	mhp_machine_free(m);
}

/* The lowest free block goes first: placement is deterministic. */
static void test_placement_is_lowest_first(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_err err = { 0 };
	uint64_t a, b;
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	assert_int_equal(mhp_workload_alloc(m, "file", 0, 2, 7, &err), 0);
	assert_int_equal(mhp_workload_where(m, 7, &a), 0);
	assert_int_equal(mhp_workload_where(m, 8, &b), 0);
	assert_int_equal(a, 0x80000);
	assert_int_equal(b, 0x80001);
	mhp_machine_free(m);
}

/* An unmovable allocation from MOVABLE pageblocks claims a pageblock (fallback, simplified). */
static void test_unmovable_fallback_claims_a_pageblock(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online");
	struct mhp_err err = { 0 };
	uint64_t pfn;
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	assert_int_equal(mhp_workload_alloc(m, "kernel", 0, 1, 1, &err), 0);
	assert_int_equal(mhp_workload_where(m, 1, &pfn), 0);
	assert_int_equal(get_pageblock_migratetype(m, pfn), MIGRATE_UNMOVABLE);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Kernel allocations never come from ZONE_MOVABLE; when nothing else is left they fail. */
static void test_kernel_pages_never_in_movable(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_err err = { 0 };
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	uint64_t dma_free = free_of(m, ZONE_DMA) - m->nodes[0].zones[ZONE_DMA].cma_pages;
	assert_int_equal(mhp_workload_alloc(m, "kernel", 0, dma_free + 1, 1, &err), -ENOMEM);
	assert_int_equal(free_of(m, ZONE_MOVABLE), 32768);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Tags are unique; freeing an unknown tag is ENOENT; an unknown kind is EINVAL. */
static void test_workload_errors(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 1, 5, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 1, 5, &err), -EEXIST);
	assert_int_equal(mhp_workload_free(m, 6, 1, &err), -ENOENT);
	assert_int_equal(mhp_workload_alloc(m, "slab", 0, 1, 9, &err), -EINVAL);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Isolation moves a range's free blocks to MIGRATE_ISOLATE; undo brings them back. */
static void test_isolation_moves_free_blocks(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	struct zone *z = &m->nodes[0].zones[ZONE_MOVABLE];
	assert_int_equal(start_isolate_page_range(m, 0x80000, 0x88000), 0);
	assert_int_equal(z->free_area[10][MIGRATE_ISOLATE].n, 32);
	assert_int_equal(z->free_area[10][MIGRATE_MOVABLE].n, 0);
	assert_int_equal(get_pageblock_migratetype(m, 0x80000), MIGRATE_ISOLATE);
	assert_int_equal(move_free_blocks(m, 0x80000, 0x88000, MIGRATE_MOVABLE), 32768);
	for (uint64_t p = 0x80000; p < 0x88000; p += 512)
		set_pageblock_migratetype(m, p, MIGRATE_MOVABLE);
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Touched ranges stay sorted and disjoint; neighbours merge; past the cap the closest two merge. */
static void test_touched_ranges(void **state)
{
	(void)state;
	struct touched t = { 0 };
	touch_range_slow(&t, TOUCHED_PAGES, 100, 200);
	touch_range_slow(&t, TOUCHED_PAGES, 10, 20);
	touch_range_slow(&t, TOUCHED_PAGES, 20, 30);     /* adjacent: merges */
	touch_range_slow(&t, TOUCHED_PAGES, 150, 400);   /* overlapping: merges */
	assert_int_equal(t.n[TOUCHED_PAGES], 2);
	assert_int_equal(t.range[TOUCHED_PAGES][0][0], 10);
	assert_int_equal(t.range[TOUCHED_PAGES][0][1], 30);
	assert_int_equal(t.range[TOUCHED_PAGES][1][0], 100);
	assert_int_equal(t.range[TOUCHED_PAGES][1][1], 400);
	touch_range_slow(&t, TOUCHED_PAGES, 5, 1000);    /* swallows both */
	assert_int_equal(t.n[TOUCHED_PAGES], 1);
	for (uint64_t i = 0; i < TOUCHED_MAX; i++)
		touch_range_slow(&t, TOUCHED_PAGES, i == 3 ? 2215 : 2000 + i * 100, 2010 + i * 100);
	assert_int_equal(t.n[TOUCHED_PAGES], TOUCHED_MAX);
	/* The smallest gap was 2210..2215: those two ranges became one. */
	assert_int_equal(t.range[TOUCHED_PAGES][3][0], 2200);
	assert_int_equal(t.range[TOUCHED_PAGES][3][1], 2310);
	for (uint32_t i = 1; i < t.n[TOUCHED_PAGES]; i++)
		assert_true(t.range[TOUCHED_PAGES][i - 1][1] < t.range[TOUCHED_PAGES][i][0]);
	assert_int_equal(t.n[TOUCHED_SECTIONS], 0);
}

static void count_tag(uint32_t tag, uint64_t pfn, void *arg)
{
	uint64_t *acc = arg;
	assert_true(tag > acc[1]);   /* ascending */
	acc[0] += pfn;
	acc[1] = tag;
}

/* The tag map: runs, far-apart tags, moves, and leaves freed as they empty. */
static void test_tag_map(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	uint64_t pfn = 0, acc[2] = { 0, 0 };
	for (uint32_t tag = 1000; tag < 3100; tag++)
		assert_int_equal(tag_insert(&m->tags, tag, tag * 2), 0);
	assert_int_equal(tag_insert(&m->tags, UINT32_MAX, 7), 0);
	assert_int_equal(m->tags.count, 2101);
	assert_true(tag_lookup(m, 3099, &pfn) && pfn == 6198);
	assert_true(tag_lookup(m, UINT32_MAX, &pfn) && pfn == 7);
	assert_false(tag_lookup(m, 999, &pfn) || tag_lookup(m, 3100, &pfn) || tag_lookup(m, 1u << 31, &pfn));
	tag_moved(m, 1000, 5);
	tags_for_each(&m->tags, count_tag, acc);
	assert_int_equal(acc[1], UINT32_MAX);
	assert_int_equal(acc[0], (1000ull + 3099) * 2100 - 2000 + 5 + 7);
	mhp_machine_free(m);

	/* Tags freed by the workload take their leaves and mids with them. */
	struct mhp_err err = { 0 };
	m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 2100, 1, &err), 0);
	assert_non_null(m->tags.top[0]->leaf[2]);
	assert_int_equal(mhp_workload_free(m, 1, 2100, &err), 0);
	assert_int_equal(m->tags.count, 0);
	assert_null(m->tags.top[0]);
	mhp_machine_free(m);   /* frees the map; ASan reports a leak otherwise */
}

/*
 * The check after a step reads the possible nodes' zones only: memory goes
 * to no other node (add_memory() refuses it). The full check holds every
 * other node empty, so pages counted on one are caught there (COUNTERS): a
 * zone's free or managed count, a node's present count.
 */
static void test_pages_on_an_impossible_node_are_caught_by_the_full_check(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	assert_false(m->nodes[3].possible);
	m->nodes[3].zones[ZONE_NORMAL].free_pages = 8;
	assert_int_equal(mhp_check_touched(m, &err), 0);
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "COUNTERS: node 3 is not possible, but its zone Normal counts pages (present 0, "
				      "managed 0, free 8, spanned 0)"));
	m->nodes[3].zones[ZONE_NORMAL].free_pages = 0;
	m->nodes[3].node_present_pages = 512;
	assert_int_equal(mhp_check_touched(m, &err), 0);
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "COUNTERS: node 3 is not possible, but it counts pages (present 512, spanned 0)"));
	m->nodes[3].node_present_pages = 0;
	m->nodes[3].zones[ZONE_MOVABLE].managed_pages = 1;
	assert_int_equal(mhp_check_all(m, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "COUNTERS: node 3 is not possible, but its zone Movable counts pages (present 0, "
				      "managed 1, free 0, spanned 0)"));
	m->nodes[3].zones[ZONE_MOVABLE].managed_pages = 0;
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/*
 * memblock_first_unmovable() takes the regions one at a time; the kernel's
 * scan goes pageblock by pageblock from start_pfn and stops at the first
 * pageblock a reserved or CMA region meets. The two agree on the pfn and the
 * holder for ranges across the boot RAM, pageblock-aligned or not, short
 * and long (qemu-virt-arm64-4k: the kernel image, memblock's reservations
 * and a 64 MiB CMA area).
 */
static void test_first_unmovable_is_the_pageblock_scans(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	uint64_t pb = 1ull << m->pageblock_order, base = 0x40000000ull >> m->page_shift, checked = 0, found = 0;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (int t = 0; t < 4000; t++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t start = base + (seed >> 33) % (1u << 19), len = 1 + (seed >> 12) % (t % 2 ? 64 : 1u << 16);
		if (t % 4 == 0)
			start &= ~(pb - 1);
		uint64_t pfn = 0, want = 0;
		const char *what = NULL, *want_what = NULL;
		bool got = memblock_first_unmovable(m, start, start + len, &pfn, &what), hit = false;
		for (uint64_t blk = start; !hit && blk < start + len; blk += pb)   /* one pageblock at a time */
			hit = memblock_first_unmovable(m, blk, blk + pb, &want, &want_what);
		assert_int_equal(got, hit);
		if (got) {
			assert_int_equal(pfn, want);
			assert_string_equal(what, want_what);
			found++;
		}
		checked++;
	}
	assert_true(found > checked / 20 && found < checked);   /* both answers were tried, many times */
	mhp_machine_free(m);
}

/* The kernel log lines from seq on must include want[0..n) in order (other lines may come between). */
static void assert_logged(struct mhp_machine *m, uint64_t seq, const char *const *want, unsigned n)
{
	unsigned i = 0;
	for (; seq < mhp_log_count(m) && i < n; seq++)
		i += strcmp(mhp_log_line(m, seq, NULL), want[i]) == 0;
	if (i < n)
		fail_msg("no kernel log line \"%s\"", want[i]);
}

static void assert_zone_wmarks(struct mhp_machine *m, int zid, uint64_t min, uint64_t high)
{
	assert_int_equal(m->nodes[0].zones[zid]._watermark[WMARK_MIN], min);
	assert_int_equal(m->nodes[0].zones[zid]._watermark[WMARK_HIGH], high);
}

/*
 * A zone that gains its first pages, or loses its last, rebuilds the
 * zonelists (online_pages(), offline_pages()); "Total pages" counts managed
 * pages above each zone's high watermark at that moment. The numbers are
 * scenarios/reference/01-flagship-tour.obs, steps 11, 23 and 30.
 */
static void test_zonelist_rebuild_counts_pages_above_high_watermarks(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	uint64_t seq = mhp_log_count(m);
	add_virtio_mem(m, 0x80000000, 128 * MiB);   /* memory16 into ZONE_NORMAL */
	/* DMA alone held min_free_kbytes' 5632 pages (high 8448); Normal had no watermarks. */
	assert_logged(m, seq, (const char *const[]){ "Fallback order for Node 0: 0 ",
		"Built 1 zonelists, mobility grouping on.  Total pages: 272224", "Policy zone: Normal" }, 3);
	/* Then two zones up to Normal: eleven pageblocks each, shared as they manage pages (the lane's zoneinfo). */
	assert_int_equal(m->min_free_kbytes, 45056);
	assert_zone_wmarks(m, ZONE_DMA, 9948, 14922);
	assert_zone_wmarks(m, ZONE_NORMAL, 1315, 1971);
	seq = mhp_log_count(m);
	add_virtio_mem(m, 0x88000000, 128 * MiB);   /* memory17: Normal was populated, no rebuild */
	assert_int_equal(mhp_log_count(m), seq);

	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory17/state", "offline"), 0);
	assert_string_equal(last_log(m), "Offlined Pages 32768");   /* Normal keeps memory16: no rebuild */
	seq = mhp_log_count(m);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory17/state", "online_movable"), 0);
	/* The rebuild comes before init_per_zone_wmark_min(): Movable still has its empty-zone minimum, 32 pages. */
	assert_logged(m, seq, (const char *const[]){ "Built 1 zonelists, mobility grouping on.  Total pages: 296515" }, 1);
	seq = mhp_log_count(m);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory17/online", "0"), 0);
	assert_logged(m, seq, (const char *const[]){ "Offlined Pages 32768", "Fallback order for Node 0: 0 ",
		"Built 1 zonelists, mobility grouping on.  Total pages: 263779", "Policy zone: Normal" }, 4);
	mhp_machine_free(m);
}

/* Offline recomputes the watermarks before it rebuilds: DMA's are back to boot's. Policy zone never goes down. */
static void test_offline_rebuild_follows_the_new_watermarks(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	uint64_t seq = mhp_log_count(m);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory16/state", "offline"), 0);
	assert_logged(m, seq, (const char *const[]){ "Offlined Pages 32768", "Fallback order for Node 0: 0 ",
		"Built 1 zonelists, mobility grouping on.  Total pages: 239456", "Policy zone: Normal" }, 4);
	assert_int_equal(m->min_free_kbytes, 22528);
	assert_zone_wmarks(m, ZONE_DMA, 5632, 8448);
	mhp_machine_free(m);
}

/*
 * 16K pages: a pageblock is 2048 pages, so the 5% cap sets min_free_kbytes,
 * from the pages managed at the initcalls, before the initrd and the init
 * sections are freed (late_free). scenarios/reference/37-virtio-mem-granule-16k.obs, step 1.
 */
static void test_16k_watermarks_from_the_initcalls(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	struct mhp_machine *m = boot_model("qemu-virt-arm64-16k", NULL);
	assert_int_equal(m->min_free_kbytes, 49360);
	assert_zone_wmarks(m, ZONE_DMA, 3085, 4627);
	uint64_t seq = mhp_log_count(m);
	assert_int_equal(mhp_virtio_mem_set_requested(m, 100 * MiB, &err), 0);
	assert_logged(m, seq, (const char *const[]){ "Built 1 zonelists, mobility grouping on.  Total pages: 64288" }, 1);
	mhp_machine_free(m);
}

/* Two nodes: each possible node's fallback order, local first. scenarios/reference/38-virtio-mem-second-node.obs, steps 2 and 7. */
static void test_two_nodes_fallback_order(void **state)
{
	(void)state;
	struct mhp_err err = { 0 };
	struct mhp_machine *m = boot_model("qemu-virt-arm64-2node-4k", NULL);
	uint64_t seq = mhp_log_count(m);
	assert_int_equal(mhp_virtio_mem_set_requested(m, 256 * MiB, &err), 0);
	assert_logged(m, seq, (const char *const[]){ "Fallback order for Node 0: 0 1 ", "Fallback order for Node 1: 1 0 ",
		"Built 2 zonelists, mobility grouping on.  Total pages: 264160", "Policy zone: Normal" }, 4);
	seq = mhp_log_count(m);
	assert_int_equal(mhp_virtio_mem_set_requested(m, 0, &err), 0);
	assert_logged(m, seq, (const char *const[]){ "Built 2 zonelists, mobility grouping on.  Total pages: 231392" }, 1);
	mhp_machine_free(m);
}

/* A ZONE_MOVABLE machine whose memory16 holds tags 1..100 (anon), tag 42 with a short-term reference. */
static struct mhp_machine *movable_with_a_held_page(void)
{
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_err err = { 0 };
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 100, 1, &err), 0);
	assert_int_equal(mhp_workload_hold(m, 42, 1, &err), 0);
	return m;
}

/* A short-term reference (vmsplice, O_DIRECT) leaves the page in ZONE_MOVABLE: no FOLL_LONGTERM migration. */
static void test_short_term_reference_stays_in_movable(void **state)
{
	(void)state;
	struct mhp_machine *m = movable_with_a_held_page();
	struct mhp_err err = { 0 };
	uint64_t pfn;
	assert_int_equal(mhp_workload_where(m, 42, &pfn), 0);
	assert_int_equal(pfn, 0x80029);
	assert_int_equal(mhp_check_all(m, &err), 0);   /* ZONE-MOVABLE: only long-term pins are kept out */
	mhp_machine_free(m);
}

/*
 * The referenced folio fails each migrate_pages() call, which returns the
 * number of folios left (1), not -EAGAIN; offline_pages() loops until the
 * signal (mm/migrate.c: folio_migrate_mapping; mm/memory_hotplug.c).
 */
static void test_referenced_page_makes_offline_retry_until_a_signal(void **state)
{
	(void)state;
	struct mhp_machine *m = movable_with_a_held_page();
	uint64_t seq = mhp_log_count(m), pfn;
	mhp_machine_set_offline_retries(m, 2);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory16/state", "offline"), -EINTR);
	assert_int_equal(mhp_log_count(m) - seq, 3);
	assert_string_equal(mhp_log_line(m, seq, NULL), "migrating pfn 80029 failed ret:1");
	assert_string_equal(mhp_log_line(m, seq + 1, NULL), "migrating pfn 80029 failed ret:1");
	assert_string_equal(last_log(m), "memory offlining [mem 0x80000000-0x87ffffff] failed due to signal backoff");
	assert_int_equal(mhp_workload_where(m, 42, &pfn), 0);
	assert_int_equal(pfn, 0x80029);
	assert_int_equal(mhp_workload_where(m, 43, &pfn), 0);
	assert_true(pfn < 0x80000);   /* the others moved on the way */
	mhp_machine_free(m);
}

/* Once the reference is dropped, the same offline migrates the page and succeeds. */
static void test_released_page_lets_the_offline_succeed(void **state)
{
	(void)state;
	struct mhp_machine *m = movable_with_a_held_page();
	struct mhp_err err = { 0 };
	uint64_t pfn;
	mhp_machine_set_offline_retries(m, 2);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory16/state", "offline"), -EINTR);
	assert_int_equal(mhp_workload_release(m, 42, 1, &err), 0);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory16/state", "offline"), 0);
	assert_int_equal(mhp_workload_where(m, 42, &pfn), 0);
	assert_true(pfn < 0x80000);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/* Two references need two releases: the count is the folio's refcount, not a flag. */
static void test_references_are_counted(void **state)
{
	(void)state;
	struct mhp_machine *m = movable_with_a_held_page();
	struct mhp_err err = { 0 };
	mhp_machine_set_offline_retries(m, 1);
	assert_int_equal(mhp_workload_hold(m, 42, 1, &err), 0);
	assert_int_equal(mhp_workload_release(m, 42, 1, &err), 0);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory16/state", "offline"), -EINTR);
	assert_int_equal(mhp_workload_release(m, 42, 1, &err), 0);
	mhp_machine_set_offline_retries(m, 1000);
	assert_int_equal(sysfs_write(m, "/sys/devices/system/memory/memory16/state", "offline"), 0);
	mhp_machine_free(m);
}

/* virtio-mem's alloc_contig_range() meets the reference too: the subblock that holds it stays plugged. */
static void test_referenced_page_keeps_its_virtio_mem_subblock(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_err err = { 0 };
	struct mhp_virtio_mem_info vi;
	assert_int_equal(mhp_virtio_mem_set_requested(m, 128 * MiB, &err), 0);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 1, 1, &err), 0);
	assert_int_equal(mhp_workload_hold(m, 1, 1, &err), 0);
	assert_int_equal(mhp_virtio_mem_set_requested(m, 0, &err), 0);
	assert_int_equal(mhp_virtio_mem_info(m, &vi), 0);
	assert_int_equal(vi.plugged, 2 * MiB);
	assert_int_equal(mhp_workload_release(m, 1, 1, &err), 0);
	assert_int_equal(mhp_virtio_mem_set_requested(m, 0, &err), 0);
	assert_int_equal(mhp_virtio_mem_info(m, &vi), 0);
	assert_int_equal(vi.plugged, 0);
	mhp_machine_free(m);
}

/* What the model refuses: kernel pages, unknown tags, a release without a reference, a free still held. */
static void test_short_term_reference_errors(void **state)
{
	(void)state;
	struct mhp_machine *m = movable_with_a_held_page();
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_workload_alloc(m, "kernel", 0, 1, 500, &err), 0);
	assert_int_equal(mhp_workload_hold(m, 500, 1, &err), -EINVAL);
	assert_int_equal(mhp_workload_hold(m, 99, 3, &err), -ENOENT);   /* 101 is no one's */
	assert_int_equal(mhp_workload_release(m, 99, 1, &err), -EINVAL);
	assert_int_equal(mhp_workload_free(m, 42, 1, &err), -EBUSY);
	assert_int_equal(mhp_workload_release(m, 41, 2, &err), -EINVAL);   /* all or none: 42 keeps its reference */
	assert_int_equal(mhp_workload_free(m, 42, 1, &err), -EBUSY);
	assert_int_equal(mhp_workload_release(m, 42, 1, &err), 0);
	assert_int_equal(mhp_workload_free(m, 42, 1, &err), 0);
	assert_int_equal(mhp_check_all(m, &err), 0);
	mhp_machine_free(m);
}

/*
 * BUDDY after a step: a listed block with an allocated page is caught by the
 * range check, whatever the block's size: inside one word of the allocation
 * map (order 2), one whole word (order 6), several words (order 9). The page
 * named is the allocated one; cleared again, the block passes.
 */
static void test_an_allocated_page_in_a_listed_block_is_caught(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", "memhp_default_state=online_movable");
	struct mhp_err err = { 0 };
	uint64_t base;
	add_virtio_mem(m, 0x80000000, 128 * MiB);
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 3, 1, &err), 0);   /* splits a block: 3 pages taken */
	assert_true(tag_lookup(m, 1, &base));
	struct mem_section *ms = __pfn_to_section(m, base);
	const struct { uint64_t off; unsigned order; } blocks[] = { { 4, 2 }, { 64, 6 }, { 512, 9 } };
	for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++) {
		uint64_t pfn = base + blocks[k].off, n = 1ull << blocks[k].order, bad = pfn + n - 1;
		uint64_t i = bad & (m->pages_per_section - 1);
		assert_int_equal(check_buddy_range(m, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n), &err), 0);
		ms->alloc_map[i / 64] |= 1ull << (i % 64);
		assert_int_equal(check_buddy_range(m, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n), &err), -EUCLEAN);
		char want[64];
		snprintf(want, sizeof(want), "pfn %#llx is both free and allocated", (unsigned long long)bad);
		assert_non_null(strstr(err.msg, want));
		ms->alloc_map[i / 64] &= ~(1ull << (i % 64));
		assert_int_equal(check_buddy_range(m, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n), &err), 0);
	}
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_merges_back_to_max_order),
		cmocka_unit_test(test_placement_is_lowest_first),
		cmocka_unit_test(test_unmovable_fallback_claims_a_pageblock),
		cmocka_unit_test(test_kernel_pages_never_in_movable),
		cmocka_unit_test(test_workload_errors),
		cmocka_unit_test(test_isolation_moves_free_blocks),
		cmocka_unit_test(test_touched_ranges),
		cmocka_unit_test(test_tag_map),
		cmocka_unit_test(test_pages_on_an_impossible_node_are_caught_by_the_full_check),
		cmocka_unit_test(test_first_unmovable_is_the_pageblock_scans),
		cmocka_unit_test(test_zonelist_rebuild_counts_pages_above_high_watermarks),
		cmocka_unit_test(test_offline_rebuild_follows_the_new_watermarks),
		cmocka_unit_test(test_16k_watermarks_from_the_initcalls),
		cmocka_unit_test(test_two_nodes_fallback_order),
		cmocka_unit_test(test_short_term_reference_stays_in_movable),
		cmocka_unit_test(test_referenced_page_makes_offline_retry_until_a_signal),
		cmocka_unit_test(test_released_page_lets_the_offline_succeed),
		cmocka_unit_test(test_references_are_counted),
		cmocka_unit_test(test_referenced_page_keeps_its_virtio_mem_subblock),
		cmocka_unit_test(test_short_term_reference_errors),
		cmocka_unit_test(test_an_allocated_page_in_a_listed_block_is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
