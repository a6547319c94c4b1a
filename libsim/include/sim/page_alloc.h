/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * page_alloc.h - zones' counters, the buddy allocator and pageblocks.
 * Kernel twin: mm/page_alloc.c (mm/internal.h's share of it).
 */
#ifndef MHPSIM_SIM_PAGE_ALLOC_H
#define MHPSIM_SIM_PAGE_ALLOC_H

#include "sim/machine.h"
#include "sim/page.h"
#include "sim/sparse.h"

bool zone_intersects(const struct zone *z, uint64_t start_pfn, uint64_t nr_pages);
void resize_zone_range(struct zone *z, uint64_t start_pfn, uint64_t nr_pages);
void resize_pgdat_range(struct pglist_data *pgdat, uint64_t start_pfn, uint64_t nr_pages);
void adjust_managed_page_count(struct mhp_machine *m, struct zone *z, int64_t nr);
/* The same for the zone of pfn (free_reserved_page()'s count of a page freed from memblock). */
void adjust_managed_page_count_pfn(struct mhp_machine *m, uint64_t pfn, int64_t nr);
/*
 * Models free_reserved_page() on each of n memblock pages from pfn (a boot
 * memmap or table an arch's teardown frees): each its own free, noted as a
 * hazard if a cached translation still leads to it, each managed from now on.
 */
void free_reserved_pages(struct mhp_machine *m, uint64_t pfn, uint64_t n, const char *what);
void drain_all_pages(struct mhp_machine *m);
int alloc_pages_node(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn);
void free_pages_kind(struct mhp_machine *m, uint64_t pfn, unsigned order, enum page_kind kind);
void free_pages_owned(struct mhp_machine *m, uint64_t pfn, unsigned order);
void free_pages_run(struct mhp_machine *m, uint64_t pfn, uint64_t nr);
void free_range_to_buddy(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
uint64_t free_reserved_area(struct mhp_machine *m, uint64_t start, uint64_t end, const char *what);
uint64_t move_free_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int mt);
uint64_t take_free_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
/* The type of pfn's pageblock, which its section ms keeps. */
static inline int section_pageblock_mt(const struct mhp_machine *m, const struct mem_section *ms, uint64_t pfn)
{
	MHP_ASSERT(ms && ms->pb_mt);
	return ms->pb_mt[(pfn & (m->pages_per_section - 1)) >> m->pageblock_order];
}

/* Models get_pageblock_migratetype(). */
static inline int get_pageblock_migratetype(const struct mhp_machine *m, uint64_t pfn)
{
	return section_pageblock_mt(m, __pfn_to_section(m, pfn), pfn);
}
void set_pageblock_migratetype(struct mhp_machine *m, uint64_t pfn, int mt);
/* A section's MIGRATE_ISOLATE pageblocks (the machine keeps their sum, nr_isolated_pageblocks). */
uint64_t section_isolated_pageblocks(const struct mhp_machine *m, const struct mem_section *ms);
void zone_free_lists_free(struct zone *z);
bool page_is_free(const struct mhp_machine *m, uint64_t pfn);
void build_all_zonelists(struct mhp_machine *m, int nid);
void init_per_zone_wmark_min(struct mhp_machine *m);
void init_boot_watermarks(struct mhp_machine *m);

#endif
