// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_hotplug.c - add, online, offline and remove memory ranges.
 * Kernel twin: mm/memory_hotplug.c (Linux 6.12).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ioport.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/migrate.h"
#include "sim/mmzone.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/page_isolation.h"
#include "sim/printk.h"
#include "sim/ptdump.h"
#include "sim/sparse.h"
#include "strbuf.h"
#include "sim/trace.h"

static const char *const online_type_names[] = {
	[MMOP_OFFLINE] = "offline", [MMOP_ONLINE] = "online",
	[MMOP_ONLINE_KERNEL] = "online_kernel", [MMOP_ONLINE_MOVABLE] = "online_movable",
};

const char *online_type_name(int online_type)
{
	MHP_ASSERT(online_type >= 0 && online_type < (int)ARRAY_SIZE(online_type_names));
	return online_type_names[online_type];
}

/* Models mhp_online_type_from_str() under sysfs_streq(): one optional trailing newline. */
int parse_online_type(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	for (int i = 0; i < (int)ARRAY_SIZE(online_type_names); i++)
		if (strlen(online_type_names[i]) == len && memcmp(online_type_names[i], buf, len) == 0)
			return i;
	return -EINVAL;
}

/* Models mhp_get_default_online_type(). */
int mhp_get_default_online_type(const struct mhp_machine *m)
{
	return m->default_online_type;
}

/* Models default_kernel_zone_for_pfn(): the first of DMA/DMA32 that intersects, else Normal. */
static int default_kernel_zone_for_pfn(const struct mhp_machine *m, int nid, uint64_t start_pfn,
				       uint64_t nr_pages)
{
	const struct pglist_data *pgdat = &m->nodes[nid];
	for (int zid = 0; zid < ZONE_NORMAL; zid++)
		if (zone_intersects(&pgdat->zones[zid], start_pfn, nr_pages))
			return zid;
	return ZONE_NORMAL;
}

/* Models default_zone_for_pfn(): the contig-zones policy. */
static int default_zone_for_pfn(const struct mhp_machine *m, int nid, uint64_t start_pfn,
				uint64_t nr_pages)
{
	int kernel_zone = default_kernel_zone_for_pfn(m, nid, start_pfn, nr_pages);
	const struct pglist_data *pgdat = &m->nodes[nid];
	bool in_kernel = zone_intersects(&pgdat->zones[kernel_zone], start_pfn, nr_pages);
	bool in_movable = zone_intersects(&pgdat->zones[ZONE_MOVABLE], start_pfn, nr_pages);

	if (in_kernel ^ in_movable)
		return in_kernel ? kernel_zone : ZONE_MOVABLE;
	return m->movable_node ? ZONE_MOVABLE : kernel_zone;
}

/*
 * Models auto_movable_can_online_movable() without memory groups: MOVABLE
 * (ZONE_MOVABLE and CMA) may grow by nr_pages if it stays within
 * auto_movable_ratio percent of the early kernel memory, system-wide
 * (nid < 0) or on one node.
 */
static bool auto_movable_can_online_movable(const struct mhp_machine *m, int nid, uint64_t nr_pages)
{
	uint64_t kernel_early = 0, movable = 0;
	for (int n = 0; n < MAX_NUMNODES; n++) {
		if (nid >= 0 && n != nid)
			continue;
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &m->nodes[n].zones[zid];
			if (!populated_zone(z))
				continue;
			if (zid == ZONE_MOVABLE) {
				movable += z->present_pages;
			} else {
				kernel_early += z->present_early_pages - z->cma_pages;
				movable += z->cma_pages;   /* CMA behaves like ZONE_MOVABLE */
			}
		}
	}
	if (!kernel_early)
		return false;
	return movable + nr_pages <= m->auto_movable_ratio * kernel_early / 100;
}

/* Models auto_movable_zone_for_pfn() for memory added without a memory group. */
static int auto_movable_zone_for_pfn(const struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages)
{
	if (m->auto_movable_ratio && auto_movable_can_online_movable(m, -1, nr_pages) &&
	    (!m->auto_movable_numa_aware || auto_movable_can_online_movable(m, nid, nr_pages)))
		return ZONE_MOVABLE;
	return default_kernel_zone_for_pfn(m, nid, pfn, nr_pages);
}

/* Models zone_for_pfn_range(). */
int zone_for_pfn_range(const struct mhp_machine *m, int online_type, int nid,
		       uint64_t start_pfn, uint64_t nr_pages)
{
	MHP_ASSERT(nid >= 0 && nid < MAX_NUMNODES);
	if (online_type == MMOP_ONLINE_KERNEL)
		return default_kernel_zone_for_pfn(m, nid, start_pfn, nr_pages);
	if (online_type == MMOP_ONLINE_MOVABLE)
		return ZONE_MOVABLE;
	if (m->online_policy == ONLINE_POLICY_AUTO_MOVABLE)
		return auto_movable_zone_for_pfn(m, nid, start_pfn, nr_pages);
	return default_zone_for_pfn(m, nid, start_pfn, nr_pages);
}

/* Sets the zone and node of every section's pages (memmap_init_range's links). */
static void set_section_zone(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid)
{
	/* Every section the range touches: a ZONE_DEVICE range may start and end inside one. */
	for (uint64_t nr = pfn_to_section_nr(m, pfn); nr <= pfn_to_section_nr(m, pfn + nr_pages - 1); nr++) {
		struct mem_section *ms = __nr_to_section(m, nr);
		MHP_ASSERT(present_section(ms));
		ms->zone = (int8_t)zid;
		ms->nid = (int16_t)nid;
	}
}

/* Models move_pfn_range_to_zone(): grow zone and node spans, link the pages. */
void move_pfn_range_to_zone(struct mhp_machine *m, int nid, int zid, uint64_t pfn, uint64_t nr_pages, int mt)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	struct zone *z = &pgdat->zones[zid];
	/* memmap_init_range(): every pageblock of the range gets the requested type. */
	for (uint64_t p = pfn; p < pfn + nr_pages; p += 1ull << m->pageblock_order)
		set_pageblock_migratetype(m, p, mt);

	if (m->mutant != MUTANT_ONLINE_NO_SPAN_GROW)
		resize_zone_range(z, pfn, nr_pages);
	resize_pgdat_range(pgdat, pfn, nr_pages);
	set_section_zone(m, pfn, nr_pages, nid, zid);

	struct mhp_trace_field f[] = { TF_U("nid", (uint64_t)nid), TF_S("zone", zone_name(zid)),
				       TF_X("start_pfn", z->zone_start_pfn), TF_U("spanned", z->spanned_pages) };
	TRACE(m, "zone_span_grow", f, "node %d zone %s now spans pfn %llu + %llu pages", nid,
	      zone_name(zid), (unsigned long long)z->zone_start_pfn, (unsigned long long)z->spanned_pages);
}

/* True if pfn is online and its page belongs to this zone and node (pfn_to_online_page + checks). */
static bool pfn_in_zone_online(const struct mhp_machine *m, uint64_t pfn, int nid, int zid)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	return online_section(ms) && pfn_valid(m, pfn) && ms->nid == nid && page_zone_id(m, ms, pfn) == zid;
}

struct span_search {
	int nid, zid;
	uint64_t lo, hi;        /* search window [lo, hi) */
	bool biggest;
	uint64_t found;         /* 0: none, as in the kernel */
};

/* Visits present sections in order; records the first (or last) qualifying subsection. */
static int span_search_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct span_search *s = arg;
	uint64_t base = section_nr_to_pfn(m, nr);
	(void)ms;
	for (uint64_t i = 0; i < m->subsections_per_section; i++) {
		uint64_t first = base + i * m->pages_per_subsection;
		uint64_t last = first + m->pages_per_subsection - 1;
		uint64_t probe = s->biggest ? last : first;
		if (probe < s->lo || probe >= s->hi || !pfn_in_zone_online(m, probe, s->nid, s->zid))
			continue;
		s->found = probe;
		if (!s->biggest)
			return 1;
	}
	return 0;
}

/*
 * find_smallest_section_pfn() / find_biggest_section_pfn(): the kernel steps
 * by subsection over the whole window; we visit only present sections, so the
 * cost follows what is populated, with the same answer.
 */
static uint64_t find_section_pfn(const struct mhp_machine *m, int nid, int zid,
				 uint64_t lo, uint64_t hi, bool biggest)
{
	struct span_search s = { .nid = nid, .zid = zid, .lo = lo, .hi = hi, .biggest = biggest };
	if (lo >= hi)
		return 0;
	for_each_present_section(m, pfn_to_section_nr(m, lo), pfn_to_section_nr(m, hi - 1) + 1,
				 span_search_cb, &s);
	return s.found;
}

/* Models shrink_zone_span(): only an edge can move. */
static void shrink_zone_span(struct mhp_machine *m, int nid, int zid, uint64_t start_pfn, uint64_t end_pfn)
{
	struct zone *z = &m->nodes[nid].zones[zid];
	uint64_t pfn;

	if (m->mutant == MUTANT_OFFLINE_SHRINK_WHOLE_ZONE) {
		z->zone_start_pfn = 0;   /* the bug: forgets the rest of the zone */
		z->spanned_pages = 0;
		return;
	}
	if (z->zone_start_pfn == start_pfn) {
		pfn = find_section_pfn(m, nid, zid, end_pfn, zone_end_pfn(z), false);
		if (pfn) {
			z->spanned_pages = zone_end_pfn(z) - pfn;
			z->zone_start_pfn = pfn;
		} else {
			z->zone_start_pfn = 0;
			z->spanned_pages = 0;
		}
	} else if (zone_end_pfn(z) == end_pfn) {
		pfn = find_section_pfn(m, nid, zid, z->zone_start_pfn, start_pfn, true);
		if (pfn) {
			z->spanned_pages = pfn - z->zone_start_pfn + 1;
		} else {
			z->zone_start_pfn = 0;
			z->spanned_pages = 0;
		}
	}
}

/* Models update_pgdat_span(): the node spans its non-empty zones. */
static void update_pgdat_span(struct pglist_data *pgdat)
{
	uint64_t start = 0, end = 0;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *z = &pgdat->zones[zid];
		if (!z->spanned_pages)
			continue;
		if (!end) {
			start = z->zone_start_pfn;
			end = zone_end_pfn(z);
			continue;
		}
		if (zone_end_pfn(z) > end)
			end = zone_end_pfn(z);
		if (z->zone_start_pfn < start)
			start = z->zone_start_pfn;
	}
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = end - start;
}

/* Models remove_pfn_range_from_zone(): unlink ("poison") the pages, shrink spans. */
static void remove_pfn_range_from_zone(struct mhp_machine *m, int nid, int zid, uint64_t pfn, uint64_t nr_pages)
{
	struct zone *z = &m->nodes[nid].zones[zid];
	set_section_zone(m, pfn, nr_pages, nid, NO_ZONE);
	shrink_zone_span(m, nid, zid, pfn, pfn + nr_pages);
	update_pgdat_span(&m->nodes[nid]);

	struct mhp_trace_field f[] = { TF_U("nid", (uint64_t)nid), TF_S("zone", zone_name(zid)),
				       TF_X("start_pfn", z->zone_start_pfn), TF_U("spanned", z->spanned_pages) };
	TRACE(m, "zone_span_shrink", f, "node %d zone %s now spans pfn %llu + %llu pages", nid,
	      zone_name(zid), (unsigned long long)z->zone_start_pfn, (unsigned long long)z->spanned_pages);
}

/* Models adjust_present_page_count() (no memory groups yet). */
void adjust_present_page_count(struct mhp_machine *m, uint64_t pfn, int nid, int zid, int64_t nr)
{
	struct zone *z = &m->nodes[nid].zones[zid];
	if (early_section(__pfn_to_section(m, pfn)))
		z->present_early_pages += (uint64_t)nr;
	z->present_pages += (uint64_t)nr;
	m->nodes[nid].node_present_pages += (uint64_t)nr;
}

/* Models mhp_init_memmap_on_memory(): the block's memmap pages join the zone, never the buddy. */
void mhp_init_memmap_on_memory(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid)
{
	move_pfn_range_to_zone(m, nid, zid, pfn, nr_pages, MIGRATE_UNMOVABLE);
	/* Whole sections of memmap would be marked online here; a block's memmap is less than a section. */
	MHP_ASSERT(nr_pages < m->pages_per_section);
}

/* Models mhp_deinit_memmap_on_memory(). */
void mhp_deinit_memmap_on_memory(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid)
{
	remove_pfn_range_from_zone(m, nid, zid, pfn, nr_pages);
}

/* Models generic_online_page(): every page of the range to the buddy. */
uint64_t generic_online_page(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	free_range_to_buddy(m, start_pfn, end_pfn);
	return end_pfn - start_pfn;
}

/* Models set_online_page_callback(): a driver (virtio-mem) takes over what onlining frees. */
void set_online_page_callback(struct mhp_machine *m,
			      uint64_t (*cb)(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn))
{
	m->online_page_callback = cb ? cb : generic_online_page;
}

/* __offline_isolated_pages() skips PageOffline pages: offline, they are memmap like the rest. */
static void offline_fake_offline_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {   /* a run of PageOffline pages at a time */
		const struct mem_section *ms = __pfn_to_section(m, pfn);
		uint64_t base = pfn & ~(m->pages_per_section - 1);
		uint64_t stop = end_pfn - base < m->pages_per_section ? end_pfn - base : m->pages_per_section;
		struct run_iter it = { 0 };
		if (ms && ms->nr_alloc)
			it = section_runs_from(ms, pfn - base);
		while (it.r && it.r->lo < stop && it.r->head.kind != PG_OFFLINE)
			run_iter_next(&it);
		if (!it.r || it.r->lo >= stop) {
			pfn = base + stop;
			continue;
		}
		uint64_t a = base + it.r->lo > pfn ? base + it.r->lo : pfn, b = base + (it.r->hi < stop ? it.r->hi : stop);
		set_page_kinds(m, a, b - a, PG_FREE);
		pfn = b;
	}
}

/*
 * Models online_pages(): link the range to the zone with its pageblocks
 * isolated, ask the notifiers, free every page to the buddy, count them,
 * then undo the isolation so the pages become MIGRATE_MOVABLE.
 */
int online_pages(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid)
{
	struct zone *z = &m->nodes[nid].zones[zid];

	if (!nr_pages || !is_aligned(pfn, 1ull << m->pageblock_order) ||
	    !is_aligned(pfn + nr_pages, m->pages_per_section))
		return -EINVAL;
	move_pfn_range_to_zone(m, nid, zid, pfn, nr_pages, MIGRATE_ISOLATE);

	int ret = memory_notify(m, MEM_GOING_ONLINE, pfn, nr_pages);
	if (ret) {
		pr_debug(m, "online_pages [mem %#010llx-%#010llx] failed",
			 (unsigned long long)PFN_PHYS(m, pfn),
			 (unsigned long long)PFN_PHYS(m, pfn + nr_pages) - 1);
		memory_notify(m, MEM_CANCEL_ONLINE, pfn, nr_pages);
		for (uint64_t p = pfn; p < pfn + nr_pages; p += 1ull << m->pageblock_order)
			set_pageblock_migratetype(m, p, MIGRATE_MOVABLE);
		remove_pfn_range_from_zone(m, nid, zid, pfn, nr_pages);
		return ret;
	}
	/* An unpopulated zone is in no zonelist: the lists are rebuilt once it has pages. */
	bool need_zonelists_rebuild = !populated_zone(z);
	/*
	 * online_pages_range(): the sections go online, the pages to the buddy in
	 * max-order chunks, through the online_page callback: virtio-mem's keeps
	 * its unplugged subblocks fake-offline. Only pages freed are managed.
	 */
	online_mem_sections(m, pfn, pfn + nr_pages);
	uint64_t freed = m->online_page_callback(m, pfn, pfn + nr_pages);
	adjust_managed_page_count(m, z, (int64_t)freed);
	adjust_present_page_count(m, pfn, nid, zid, (int64_t)nr_pages);
	/* node_states_set_node(): the model's node states follow present pages. */
	if (need_zonelists_rebuild)
		build_all_zonelists(m, NUMA_NO_NODE);   /* with the watermarks of before */
	undo_isolate_page_range(m, pfn, pfn + nr_pages, MIGRATE_MOVABLE);
	init_per_zone_wmark_min(m);

	struct mhp_trace_field f[] = { TF_X("start_pfn", pfn), TF_U("pages", nr_pages),
				       TF_U("nid", (uint64_t)nid), TF_S("zone", zone_name(zid)) };
	TRACE(m, "online_pages", f, "%llu pages from pfn %#llx freed to the buddy allocator of node %d zone %s",
	      (unsigned long long)nr_pages, (unsigned long long)pfn, nid, zone_name(zid));
	memory_notify(m, MEM_ONLINE, pfn, nr_pages);
	return 0;
}

/* The single failure path of offline_pages(): one log line, the kernel's reason. */
static int offline_failed(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn,
			  const char *reason, int ret)
{
	pr_debug(m, "memory offlining [mem %#010llx-%#010llx] failed due to %s",
		 (unsigned long long)PFN_PHYS(m, start_pfn),
		 (unsigned long long)PFN_PHYS(m, end_pfn) - 1, reason);
	return ret;
}

/* Undoes isolation and tells the notifiers (failed_removal_isolated). */
static int offline_cancel(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn,
			  const char *reason, int ret)
{
	/* The mutant forgets the first pageblock: it stays isolated, its free pages out of reach. */
	uint64_t from = m->mutant == MUTANT_CANCEL_KEEPS_ISOLATION ? start_pfn + (1ull << m->pageblock_order) : start_pfn;
	undo_isolate_page_range(m, from, end_pfn, MIGRATE_MOVABLE);
	memory_notify(m, MEM_CANCEL_OFFLINE, start_pfn, end_pfn - start_pfn);
	return offline_failed(m, start_pfn, end_pfn, reason, ret);
}

/*
 * Models test_pages_isolated(MEMORY_OFFLINE): every page of the range free in
 * the buddy, or PageOffline() and let go by its driver. *offline counts those.
 */
static bool test_pages_isolated(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *offline)
{
	*offline = 0;
	for (uint64_t s = start_pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms->nr_alloc)
			continue;
		uint64_t base = s & ~(m->pages_per_section - 1), i = s - base;
		uint64_t stop = end_pfn - base < m->pages_per_section ? end_pfn - base : m->pages_per_section;
		for (struct run_iter it = section_runs_from(ms, i); it.r && it.r->lo < stop; run_iter_next(&it)) {
			if (it.r->head.kind != PG_OFFLINE)   /* an allocated page: a run holds no free one */
				return false;
			*offline += (it.r->hi < stop ? it.r->hi : stop) - (it.r->lo > i ? it.r->lo : i);
		}
	}
	return true;
}

/*
 * The migrate loop of offline_pages(): scan for movable pages, migrate them,
 * again, until none is left. The kernel loops until a signal arrives; the
 * model's signal is the machine's retry budget (-EINTR once it is spent).
 */
static int offline_migrate_loop(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, const char **reason,
				uint64_t *already_offline)
{
	unsigned warned = 0;
	for (uint32_t pass = 0;; pass++) {
		if (pass >= m->offline_retry_budget) {
			*reason = "signal backoff";
			return -EINTR;
		}
		uint64_t pfn;
		int ret = scan_movable_pages(m, start_pfn, end_pfn, &pfn);
		if (ret == 0) {
			do_migrate_range(m, pfn, end_pfn, &warned);
			continue;
		}
		if (ret != -ENOENT) {
			*reason = "unmovable page";
			return ret;
		}
		/* dissolve_free_hugetlb_folios(): the model keeps no free hugetlb pool. */
		if (test_pages_isolated(m, start_pfn, end_pfn, already_offline))
			return 0;
	}
}

/*
 * Models offline_pages(): the range and zone checks, isolation, the
 * notifiers, the migrate loop, then the commit: in the kernel's order, with
 * its reasons and errnos.
 */
int offline_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t nr_pages, int nid, int zid)
{
	const uint64_t end_pfn = start_pfn + nr_pages;
	struct zone *z = &m->nodes[nid].zones[zid];
	const char *reason = NULL;

	if (!nr_pages || !is_aligned(start_pfn, 1ull << m->pageblock_order) ||
	    !is_aligned(end_pfn, m->pages_per_section))
		return -EINVAL;
	if (walk_system_ram_pages(m, start_pfn, nr_pages) != nr_pages)
		return offline_failed(m, start_pfn, end_pfn, "memory holes", -EINVAL);
	if (page_zone_id(m, __pfn_to_section(m, start_pfn), start_pfn) != zid ||
	    page_zone_id(m, __pfn_to_section(m, end_pfn - 1), end_pfn - 1) != zid)
		return offline_failed(m, start_pfn, end_pfn, "multizone range", -EINVAL);

	drain_all_pages(m);   /* zone_pcp_disable(): the per-cpu lists are emptied and stay off */
	int ret = start_isolate_page_range(m, start_pfn, end_pfn);
	if (ret)
		return offline_failed(m, start_pfn, end_pfn, "failure to isolate range", ret);
	ret = memory_notify(m, MEM_GOING_OFFLINE, start_pfn, nr_pages);
	if (ret)
		return offline_cancel(m, start_pfn, end_pfn, "notifier failure", ret);
	uint64_t already_offline = 0;
	ret = offline_migrate_loop(m, start_pfn, end_pfn, &reason, &already_offline);
	if (ret)
		return offline_cancel(m, start_pfn, end_pfn, reason, ret);

	/* __offline_isolated_pages(): the free pages leave the buddy, the sections go offline. */
	if (m->mutant != MUTANT_OFFLINE_KEEPS_SECTION_ONLINE)
		offline_mem_sections(m, start_pfn, end_pfn);
	uint64_t taken = m->mutant == MUTANT_OFFLINE_LEAVES_FREE_BLOCKS ? nr_pages - already_offline
										  : take_free_blocks(m, start_pfn, end_pfn);
	MHP_ASSERT(taken + already_offline == nr_pages);
	if (already_offline)   /* a driver's fake-offline pages go offline with the rest, never managed */
		offline_fake_offline_pages(m, start_pfn, end_pfn);
	pr_debug(m, "Offlined Pages %llu", (unsigned long long)nr_pages);
	for (uint64_t p = start_pfn; p < end_pfn; p += 1ull << m->pageblock_order)
		set_pageblock_migratetype(m, p, MIGRATE_MOVABLE);   /* the memmap is poisoned; types reset at online */
	adjust_managed_page_count(m, z, -(int64_t)taken);
	adjust_present_page_count(m, start_pfn, nid, zid, -(int64_t)nr_pages);
	init_per_zone_wmark_min(m);
	/* node_states_clear_node() first, so a node left without memory leaves the lists. */
	if (!populated_zone(z))
		build_all_zonelists(m, NUMA_NO_NODE);   /* zone_pcp_reset(): no pcp lists in the model */

	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_U("pages", nr_pages),
				       TF_U("nid", (uint64_t)nid), TF_S("zone", zone_name(zid)) };
	TRACE(m, "offline_pages", f, "%llu pages from pfn %#llx taken out of node %d zone %s",
	      (unsigned long long)nr_pages, (unsigned long long)start_pfn, nid, zone_name(zid));
	memory_notify(m, MEM_OFFLINE, start_pfn, nr_pages);
	remove_pfn_range_from_zone(m, nid, zid, start_pfn, nr_pages);
	return 0;
}

/* Models check_hotplug_memory_range(): whole memory blocks only. */
static int check_hotplug_memory_range(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	uint64_t bs = m->model.block_size;
	if (!size || !is_aligned(start, bs) || !is_aligned(size, bs)) {
		pr_err(m, "Block size [%#llx] unaligned hotplug range: start %#llx, size %#llx",
		       (unsigned long long)bs, (unsigned long long)start, (unsigned long long)size);
		return -EINVAL;
	}
	return 0;
}

/* Models mhp_range_allowed(start, size, need_mapping = true). */
bool mhp_range_allowed(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	uint64_t end = start + size;
	if (m->mutant == MUTANT_MAPPABLE_RANGE_ANY)   /* the generic arch_get_mappable_range(): all PA bits */
		return start < end && end - 1 <= (1ull << m->model.pa_bits) - 1;
	if (start < end && start >= m->mappable_start && end - 1 <= m->mappable_end)
		return true;
	pr_warn(m, "Hotplug memory [%#llx-%#llx] exceeds maximum addressable range [%#llx-%#llx]",
		(unsigned long long)start, (unsigned long long)end,
		(unsigned long long)m->mappable_start, (unsigned long long)m->mappable_end);
	return false;
}

/*
 * Models check_pfn_span(): SPARSEMEM_VMEMMAP takes subsections (2 MiB) and
 * up; the kernel WARNs on anything smaller, which only a direct
 * arch_add_memory() user (memremap_pages()) can ask for.
 */
static int check_pfn_span(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, const char *fn)
{
	if (is_aligned(pfn | nr_pages, m->pages_per_subsection))
		return 0;
	pr_warn(m, "WARNING: Misaligned %s start: %#llx end: %#llx", fn, (unsigned long long)pfn,
		(unsigned long long)(pfn + nr_pages - 1));
	return -EINVAL;
}

/* The pages from pfn to the next section boundary, or to end (SECTION_ALIGN_UP). */
static uint64_t to_section_end(const struct mhp_machine *m, uint64_t pfn, uint64_t end)
{
	uint64_t next = (pfn | (m->pages_per_section - 1)) + 1;
	return (next < end ? next : end) - pfn;
}

/* Models __add_pages(): up to each section boundary at a time; a failure stops the loop. */
int __add_pages(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages)
{
	int ret = check_pfn_span(m, pfn, nr_pages, "__add_pages");
	for (uint64_t p = pfn, n; !ret && p < pfn + nr_pages; p += n) {
		n = to_section_end(m, p, pfn + nr_pages);
		ret = sparse_add_section(m, nid, p, n, false);
	}
	return ret;
}

void mark_orphan_sections(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	/* A section the range left present: its part of the range is (a section may hold other ranges too). */
	for (uint64_t pfn = PHYS_PFN(m, start), end = PHYS_PFN(m, start + size); pfn < end;
	     pfn += to_section_end(m, pfn, end)) {
		struct mem_section *ms = __pfn_to_section(m, pfn);
		if (present_section(ms) && pfn_valid(m, pfn))
			ms->flags |= SECTION_ORPHAN;
	}
}

/* The leftovers stay sorted and apart: a new range merges with those it touches. */
bool linear_map_left_add(struct mhp_machine *m, uint64_t start, uint64_t end)
{
	unsigned n = m->nr_linear_left, i = 0, j;
	while (i < n && m->linear_left[i].end < start)
		i++;
	for (j = i; j < n && m->linear_left[j].start <= end; j++) {
		start = m->linear_left[j].start < start ? m->linear_left[j].start : start;
		end = m->linear_left[j].end > end ? m->linear_left[j].end : end;
	}
	if (i == j && n == LINEAR_LEFT_MAX)
		return false;
	memmove(&m->linear_left[i + 1], &m->linear_left[j], (n - j) * sizeof(m->linear_left[0]));
	m->linear_left[i].start = start, m->linear_left[i].end = end;
	m->nr_linear_left = n - (j - i) + 1;
	return true;
}

/* Drops [start, end) from the leftovers; one it splits takes a second entry (when full it stays whole: a superset). */
void linear_map_left_clear(struct mhp_machine *m, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < m->nr_linear_left; i++) {
		uint64_t a = m->linear_left[i].start, b = m->linear_left[i].end;
		if (b <= start || a >= end)
			continue;
		if (a < start && b > end) {
			if (m->nr_linear_left == LINEAR_LEFT_MAX)
				return;
			memmove(&m->linear_left[i + 1], &m->linear_left[i], (m->nr_linear_left - i) * sizeof(m->linear_left[0]));
			m->nr_linear_left++;
			m->linear_left[i].end = start, m->linear_left[i + 1].start = end;
			return;
		}
		if (a < start || b > end) {
			m->linear_left[i].start = a < start ? a : end, m->linear_left[i].end = a < start ? start : b;
			continue;
		}
		memmove(&m->linear_left[i], &m->linear_left[i + 1], (m->nr_linear_left - i - 1) * sizeof(m->linear_left[0]));
		m->nr_linear_left--;
		i--;
	}
}

bool linear_map_left_at(const struct mhp_machine *m, uint64_t pa)
{
	for (unsigned i = 0; i < m->nr_linear_left; i++)
		if (pa >= m->linear_left[i].start && pa < m->linear_left[i].end)
			return true;
	return false;
}

/* Models __remove_pages(): up to each section boundary at a time, each part taking its vmemmap along. */
void __remove_pages(struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	if (check_pfn_span(m, pfn, nr, "__remove_pages"))
		return;
	for (uint64_t p = pfn, n; p < pfn + nr; p += n) {
		n = to_section_end(m, p, pfn + nr);
		sparse_remove_section(m, p, n);
	}
}

/* Models __try_online_node(): a node without a pgdat gets one at add, and a zonelist (hotadd_init_pgdat()). */
static bool try_online_node(struct mhp_machine *m, int nid)
{
	if (m->nodes[nid].online)
		return false;
	build_all_zonelists(m, nid);
	return true;
}

static void node_set_online(struct mhp_machine *m, int nid)
{
	m->nodes[nid].online = true;
	struct mhp_trace_field f[] = { TF_U("nid", (uint64_t)nid) };
	TRACE(m, "node_online", f, "node %d is online", nid);
}

/*
 * arch_remove_memory() under mem_hotplug_begin(), as every caller holds it:
 * a page-table walker that does not take the lock may run beside it (mm/ptdump.c).
 */
void arch_remove_memory_locked(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	ptdump_race_begin(m, start, size);
	m->arch->arch_remove_memory(m, start, size);
	ptdump_race_end(m);
}

/* Models add_memory_resource() after register_memory_resource(). */
/* arch_add_memory() then create_memory_block_devices() for one range, with an optional altmap. */
static int add_pages_and_blocks(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
				struct vmem_altmap *altmap, struct mhp_err *err)
{
	m->altmap = altmap;
	int ret = m->arch->arch_add_memory(m, nid, start, size, err);
	m->altmap = NULL;
	if (ret)
		return ret;
	ret = create_memory_block_devices(m, start, size, nid, false, altmap ? altmap->free : 0);
	if (ret) {
		m->altmap_dropped = altmap && m->mutant == MUTANT_ADD_ERROR_DROPS_ALTMAP;
		arch_remove_memory_locked(m, start, size);
		m->altmap_dropped = false;
		return mhp_err_set(err, ret, "cannot create memory block devices: %s", mhp_errno_name(ret));
	}
	return 0;
}

/* memory_block_memmap_on_memory_pages(): the block's memmap, padded to pageblocks when forced. */
static uint64_t memory_block_memmap_on_memory_pages(const struct mhp_machine *m)
{
	uint64_t pages = (m->pages_per_block * 64 + m->page_size - 1) / m->page_size;
	uint64_t pb = 1ull << m->pageblock_order;
	return m->memmap_mode == MEMMAP_ON_MEMORY_FORCE ? (pages + pb - 1) & ~(pb - 1) : pages;
}

/*
 * Models mhp_supports_memmap_on_memory(): enabled, the memmap a whole number
 * of pages and of pageblocks, smaller than the block, and (arm64 keeps the
 * generic arch check) a multiple of PMD_SIZE: with 4K pages only.
 */
static bool mhp_supports_memmap_on_memory(const struct mhp_machine *m)
{
	uint64_t vmemmap_size = m->pages_per_block * 64;
	uint64_t memmap_pages = memory_block_memmap_on_memory_pages(m);
	uint64_t pmd_size = pt_span(m, m->pt_geom.levels - 2);
	return m->memmap_mode != MEMMAP_ON_MEMORY_DISABLE && is_aligned(vmemmap_size, m->page_size) &&
	       is_aligned(memmap_pages, 1ull << m->pageblock_order) && memmap_pages != m->pages_per_block &&
	       is_aligned(vmemmap_size, pmd_size);
}

/* Models create_altmaps_and_memory_blocks(): block by block, each with its own altmap. */
static int create_altmaps_and_memory_blocks(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
					    struct mhp_err *err)
{
	uint64_t bs = m->model.block_size;
	for (uint64_t cur = start; cur < start + size; cur += bs) {
		struct vmem_altmap altmap = { .base_pfn = PHYS_PFN(m, cur), .free = memory_block_memmap_on_memory_pages(m) };
		int ret = add_pages_and_blocks(m, nid, cur, bs, &altmap, err);
		if (ret) {
			if (cur != start) {
				remove_memory_block_devices(m, start, cur - start);
				arch_remove_memory_locked(m, start, cur - start);
			}
			return ret;
		}
	}
	return 0;
}

static int add_memory_resource(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
			       bool merge, bool memmap_on_memory, struct mhp_err *err)
{
	int ret = check_hotplug_memory_range(m, start, size);
	if (ret)
		return mhp_err_set(err, ret, "range %#llx+%#llx is not aligned to the %#llx-byte memory block",
				   (unsigned long long)start, (unsigned long long)size,
				   (unsigned long long)m->model.block_size);
	if (nid < 0 || nid >= MAX_NUMNODES || !m->nodes[nid].possible)
		return mhp_err_set(err, -EINVAL, "node %d is not possible (the kernel WARNs: absent from node_possible_map)", nid);

	bool new_node = try_online_node(m, nid);
	if (memmap_on_memory && mhp_supports_memmap_on_memory(m))
		ret = create_altmaps_and_memory_blocks(m, nid, start, size, err);
	else
		ret = add_pages_and_blocks(m, nid, start, size, NULL, err);
	if (ret)
		return ret;
	if (new_node)
		node_set_online(m, nid);
	if (merge)
		merge_system_ram_resource(m, start);

	/* Auto-online: the walk stops at the first failure and the result is ignored. */
	int type = mhp_get_default_online_type(m);
	if (type != MMOP_OFFLINE) {
		for (uint64_t id = start / m->model.block_size; id < (start + size) / m->model.block_size; id++) {
			struct memory_block *mem = find_memory_block_by_id(m, id);
			MHP_ASSERT(mem);
			mem->online_type = type;
			if (device_online(m, mem))
				break;
		}
	}
	return 0;
}

/* Drivers known to the model: the resource name they use and whether they merge. */
static bool driver_merges(const char *name)
{
	return strcmp(name, "System RAM (virtio_mem)") == 0;
}

/* Models add_memory() and add_memory_driver_managed() (with the device hotplug lock). */
int mhp_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
		   const char *resource_name, struct mhp_err *err)
{
	return mhp_add_memory_flags(m, nid, start, size, resource_name, 0, err);
}

int mhp_add_memory_flags(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
			 const char *resource_name, unsigned flags, struct mhp_err *err)
{
	const char *name = resource_name ? resource_name : "System RAM";
	bool driver_managed = strcmp(name, "System RAM") != 0;

	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("size", size), TF_U("nid", (uint64_t)nid),
				       TF_S("resource", name) };
	TRACE(m, "add_memory", f, "driver adds [%#llx-%#llx] (%s) on node %d", (unsigned long long)start,
	      (unsigned long long)(start + size - 1), name, nid);

	if (driver_managed && strncmp(name, "System RAM (", 12) != 0)
		return mhp_err_set(err, -EINVAL, "a driver-managed resource name must look like \"System RAM (driver)\"");
	if (size > UINT64_MAX - start || !mhp_range_allowed(m, start, size))
		return mhp_err_set(err, -E2BIG, "[%#llx-%#llx] is outside the mappable range [%#llx-%#llx]",
				   (unsigned long long)start, (unsigned long long)(start + size),
				   (unsigned long long)m->mappable_start, (unsigned long long)m->mappable_end);
	int ret = request_region(m, start, size, name, driver_managed, driver_merges(name));
	if (ret) {
		/* register_memory_resource(): any NULL from __request_region() is -EEXIST */
		pr_debug(m, "Unable to reserve System RAM region: %016llx->%016llx",
			 (unsigned long long)start, (unsigned long long)(start + size));
		return mhp_err_set(err, -EEXIST, "[%#llx-%#llx] %s", (unsigned long long)start,
				   (unsigned long long)(start + size - 1),
				   ret == -ENOMEM ? "cannot be requested: its resource could not be allocated"
						  : "overlaps a busy resource");
	}
	ret = add_memory_resource(m, nid, start, size, driver_merges(name), flags & MHP_MEMMAP_ON_MEMORY, err);
	if (ret)
		release_mem_region_adjustable(m, start, size);
	return ret;
}

/* Models try_offline_node(): a node left with nothing goes offline. */
static void try_offline_node(struct mhp_machine *m, int nid)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	if (pgdat->node_spanned_pages || pgdat->has_cpu)
		return;
	for (size_t i = 0; i < m->nr_blocks; i++)
		if (m->blocks[i]->nid == nid)
			return;
	pgdat->online = false;
	struct mhp_trace_field f[] = { TF_U("nid", (uint64_t)nid) };
	TRACE(m, "node_offline", f, "node %d has no memory left and goes offline", nid);
}

/* Models check_memblock_offlined_cb() over the range; returns the node or an errno. */
static int check_blocks_offlined(struct mhp_machine *m, uint64_t start, uint64_t size, int *nid)
{
	uint64_t bs = m->model.block_size;
	*nid = -1;
	for (uint64_t id = start / bs; id < (start + size) / bs; id++) {
		struct memory_block *mem = find_memory_block_by_id(m, id);
		if (!mem)
			continue;
		if (mem->state != MEM_OFFLINE) {
			uint64_t begin = id * bs, end = begin + bs - 1;
			pr_warn(m, "removing memory fails, because memory [0x%016llx-0x%016llx] is onlined",
				(unsigned long long)begin, (unsigned long long)end);
			return -EBUSY;
		}
		*nid = mem->nid;
	}
	return 0;
}

static bool range_fully_added(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	for (uint64_t pa = start; pa < start + size; pa += m->model.block_size) {
		const struct mem_section *ms = __pfn_to_section(m, PHYS_PFN(m, pa));
		if (!present_section(ms))
			return false;
	}
	return true;
}

/* Models memory_blocks_have_altmaps(): 1 all, 0 none, -EINVAL some. */
static int memory_blocks_have_altmaps(const struct mhp_machine *m, uint64_t start, uint64_t size)
{
	uint64_t with = 0, all = 0;
	for (uint64_t id = start / m->model.block_size; id < (start + size) / m->model.block_size; id++) {
		const struct memory_block *mem = find_memory_block_by_id(m, id);
		if (!mem)
			continue;
		all++;
		with += mem->nr_vmemmap_pages != 0;
	}
	return with == 0 ? 0 : with == all ? 1 : -EINVAL;
}

/* Models remove_memory() -> try_remove_memory(). */
int mhp_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size, struct mhp_err *err)
{
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("size", size) };
	TRACE(m, "remove_memory", f, "driver removes [%#llx-%#llx]", (unsigned long long)start,
	      (unsigned long long)(start + size - 1));

	uint64_t bs = m->model.block_size;
	if (!size || !is_aligned(start, bs) || !is_aligned(size, bs) || size > UINT64_MAX - start)
		return mhp_err_set(err, -EINVAL,
				   "BUG: remove_memory of an unaligned range %#llx+%#llx (the kernel would crash)",
				   (unsigned long long)start, (unsigned long long)size);
	int nid, ret = check_blocks_offlined(m, start, size, &nid);
	if (ret)
		return mhp_err_set(err, ret, "a memory block in [%#llx-%#llx] is online",
				   (unsigned long long)start, (unsigned long long)(start + size - 1));
	if (!range_fully_added(m, start, size))
		return mhp_err_set(err, -EINVAL,
				   "[%#llx-%#llx] is not all present (the kernel would WARN in __remove_pages); refused",
				   (unsigned long long)start, (unsigned long long)(start + size - 1));
	int altmaps = memory_blocks_have_altmaps(m, start, size);
	if (altmaps < 0) {
		pr_warn(m, "WARNING: memory_blocks_have_altmaps: only some blocks of the range have an altmap");
		return mhp_err_set(err, -EINVAL, "[%#llx-%#llx] mixes blocks with and without memmap_on_memory",
				   (unsigned long long)start, (unsigned long long)(start + size - 1));
	}
	/* With altmaps the kernel goes block by block (remove_memory_blocks_and_altmaps): the same end state. */
	remove_memory_block_devices(m, start, size);
	arch_remove_memory_locked(m, start, size);
	release_mem_region_adjustable(m, start, size);
	if (nid >= 0)
		try_offline_node(m, nid);
	return 0;
}

/* ---- module parameters: /sys/module/memory_hotplug/parameters ------------- */

static const char *const online_policy_names[] = { "contig-zones", "auto-movable" };

/*
 * Models the parameters' set callbacks: online_policy by sysfs_match_string,
 * auto_movable_ratio by kstrtouint, auto_movable_numa_aware by kstrtobool.
 * memmap_on_memory is 0444: set at boot only. -EINVAL leaves the value.
 */
int memory_hotplug_param_set(struct mhp_machine *m, const char *name, const char *value, size_t len)
{
	char buf[32];
	if (len && value[len - 1] == '\n')
		len--;
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, value, len);
	buf[len] = '\0';
	if (strcmp(name, "online_policy") == 0) {
		for (int i = 0; i < 2; i++) {
			if (strcmp(buf, online_policy_names[i]) == 0) {
				m->online_policy = i;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (strcmp(name, "auto_movable_ratio") == 0) {
		char *end;
		unsigned long long v = strtoull(buf, &end, 0);
		if (!len || *end || buf[0] == '-' || v > UINT32_MAX)
			return -EINVAL;
		m->auto_movable_ratio = (uint32_t)v;
		return 0;
	}
	if (strcmp(name, "auto_movable_numa_aware") == 0)
		return kstrtobool(buf, len, &m->auto_movable_numa_aware);
	return strcmp(name, "memmap_on_memory") == 0 ? -EACCES : -ENOENT;
}

int memory_hotplug_param_show(const struct mhp_machine *m, const char *name, struct strbuf *sb)
{
	if (strcmp(name, "online_policy") == 0)
		sb_printf(sb, "%s\n", online_policy_names[m->online_policy]);
	else if (strcmp(name, "auto_movable_ratio") == 0)
		sb_printf(sb, "%u\n", m->auto_movable_ratio);
	else if (strcmp(name, "auto_movable_numa_aware") == 0)
		sb_printf(sb, "%c\n", m->auto_movable_numa_aware ? 'Y' : 'N');
	else if (strcmp(name, "memmap_on_memory") == 0)
		sb_printf(sb, "%s\n", m->memmap_mode == MEMMAP_ON_MEMORY_FORCE ? "force" : m->memmap_mode ? "Y" : "N");
	else
		return -ENOENT;
	return 0;
}

/* Models setup_memhp_default_state(): a bad value is silently ignored. */
int setup_memhp_default_state(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)word, (void)err;
	int type = value ? parse_online_type(value, strlen(value)) : -EINVAL;
	if (type >= 0)
		m->default_online_type = type;
	return 0;
}

/* Models cmdline_parse_movable_node(): a bare word. */
int cmdline_parse_movable_node(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)word, (void)err;
	if (!value)
		m->movable_node = true;
	return 0;
}

/* memory_hotplug.* on the command line: an invalid value is refused (parse_args() says so) and the default stays. */
int memory_hotplug_module_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)err;
	int ret = memory_hotplug_param_set(m, word + strlen("memory_hotplug."), value ? value : "",
					   value ? strlen(value) : 0);
	if (ret)
		pr_err(m, "Booting kernel: `%s' invalid for parameter `%s'", value ? value : "", word);
	return 0;
}

/* Models set_memmap_mode(): "force"/"FORCE" or a boolean; anything else keeps the old mode. */
int set_memmap_mode(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)err;
	if (value && (strcmp(value, "force") == 0 || strcmp(value, "FORCE") == 0)) {
		m->memmap_mode = MEMMAP_ON_MEMORY_FORCE;
		uint64_t bytes = m->pages_per_block * 64, pages = (bytes + m->page_size - 1) / m->page_size;
		uint64_t pb = 1ull << m->pageblock_order;
		pr_info(m, "Memory hotplug will waste %lld pages in each memory block",
			(long long)(((pages + pb - 1) & ~(pb - 1)) - pages));
	} else if (value && strchr("yYtT1", value[0])) {
		m->memmap_mode = MEMMAP_ON_MEMORY_ENABLE;
	} else if (value && strchr("nNfF0", value[0])) {
		m->memmap_mode = MEMMAP_ON_MEMORY_DISABLE;
	} else {
		pr_err(m, "Booting kernel: `%s' invalid for parameter `%s'", value ? value : "", word);
	}
	return 0;
}
