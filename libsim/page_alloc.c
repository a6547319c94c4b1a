/*
 * page_alloc.c - zones: their boot layout and their counters.
 * Kernel twins: mm/page_alloc.c, mm/mm_init.c (free_area_init), arch/arm64/mm/init.c
 * (zone_sizes_init). The buddy free lists arrive with issue 5.
 */
#include <string.h>

#include "internal.h"

static const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

const char *zone_name(int zid)
{
	assert(zid >= 0 && zid < MAX_NR_ZONES);
	return zone_names[zid];
}

/* Models zone_intersects(): an empty zone intersects nothing. */
bool zone_intersects(const struct zone *z, uint64_t start_pfn, uint64_t nr_pages)
{
	if (zone_is_empty(z))
		return false;
	return start_pfn < zone_end_pfn(z) && start_pfn + nr_pages > z->zone_start_pfn;
}

/* Models resize_zone_range(). */
void resize_zone_range(struct zone *z, uint64_t start_pfn, uint64_t nr_pages)
{
	uint64_t old_end = zone_end_pfn(z);
	if (zone_is_empty(z) || start_pfn < z->zone_start_pfn)
		z->zone_start_pfn = start_pfn;
	uint64_t end = start_pfn + nr_pages > old_end ? start_pfn + nr_pages : old_end;
	z->spanned_pages = end - z->zone_start_pfn;
}

/* Models resize_pgdat_range(). */
void resize_pgdat_range(struct pglist_data *pgdat, uint64_t start_pfn, uint64_t nr_pages)
{
	uint64_t old_end = pgdat->node_start_pfn + pgdat->node_spanned_pages;
	if (!pgdat->node_spanned_pages || start_pfn < pgdat->node_start_pfn)
		pgdat->node_start_pfn = start_pfn;
	uint64_t end = start_pfn + nr_pages > old_end ? start_pfn + nr_pages : old_end;
	pgdat->node_spanned_pages = end - pgdat->node_start_pfn;
}

/* Models adjust_managed_page_count(): the zone and totalram move together. */
void adjust_managed_page_count(struct mhp_machine *m, struct zone *z, int64_t nr)
{
	z->managed_pages += (uint64_t)nr;
	if (m->mutant == MUTANT_OFFLINE_FORGETS_TOTALRAM && nr < 0)
		return;   /* the bug: MemTotal keeps pages that left */
	m->totalram_pages += (uint64_t)nr;
}

/* Models max_zone_phys(): a zone limit clipped to the end of DRAM. */
static uint64_t max_zone_phys(uint64_t limit, uint64_t dram_end)
{
	return (limit < dram_end - 1 ? limit : dram_end - 1) + 1;
}

/*
 * Models zone_sizes_init() of arch/arm64/mm/init.c: the highest pfn of each
 * zone. DMA stops at the firmware's DMA limit, and at 4 GiB when RAM starts
 * below it; DMA32 at 4 GiB; Normal at max_pfn. Movable is empty at boot
 * (movablecore= and kernelcore= arrive with issue 5).
 */
static void zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
			    uint64_t max_zone_pfn[MAX_NR_ZONES])
{
	uint64_t dma_limit = m->model.fw_dma_limit;
	if (dram_start < 0xffffffffull && dma_limit > 0xffffffffull)
		dma_limit = 0xffffffffull;
	memset(max_zone_pfn, 0, MAX_NR_ZONES * sizeof(uint64_t));
	max_zone_pfn[ZONE_DMA] = PHYS_PFN(m, max_zone_phys(dma_limit, dram_end));
	max_zone_pfn[ZONE_DMA32] = PHYS_PFN(m, max_zone_phys(0xffffffffull, dram_end));
	max_zone_pfn[ZONE_NORMAL] = m->max_pfn;
}

/* RAM pages of node nid inside [lo, hi). */
static uint64_t node_ram_pages(const struct mhp_machine *m, int nid, uint64_t lo, uint64_t hi)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		uint64_t r0 = PHYS_PFN(m, r->start), r1 = PHYS_PFN(m, r->start + r->size);
		if (r->nid != nid)
			continue;
		uint64_t a = r0 > lo ? r0 : lo, b = r1 < hi ? r1 : hi;
		if (b > a)
			total += b - a;
	}
	return total;
}

/* Models zone_spanned_pages_in_node(): the zone's range clipped to the node. */
static void init_zone(struct mhp_machine *m, int nid, int zid, uint64_t zone_lo, uint64_t zone_hi)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	struct zone *z = &pgdat->zones[zid];
	uint64_t node_lo = pgdat->node_start_pfn, node_hi = node_lo + pgdat->node_spanned_pages;
	uint64_t lo = node_lo < zone_lo ? zone_lo : (node_lo > zone_hi ? zone_hi : node_lo);
	uint64_t hi = node_hi < zone_lo ? zone_lo : (node_hi > zone_hi ? zone_hi : node_hi);

	memset(z, 0, sizeof(*z));
	z->zone_start_pfn = lo;
	if (hi <= lo || !pgdat->node_spanned_pages)
		return;
	z->spanned_pages = hi - lo;
	z->present_pages = z->present_early_pages = node_ram_pages(m, nid, lo, hi);
	z->cma_pages = memblock_reserved_pages(m, lo, hi, true);
	/* Boot reservations never reach the buddy; CMA areas do (as MIGRATE_CMA). */
	z->managed_pages = z->present_pages - memblock_reserved_pages(m, lo, hi, false);
	z->free_pages = z->managed_pages;
	m->totalram_pages += z->managed_pages;
}

/* Models free_area_init(): node spans from memblock, then each zone's share. */
int free_area_init(struct mhp_machine *m)
{
	uint64_t dram_start = UINT64_MAX, dram_end = 0, max_zone_pfn[MAX_NR_ZONES];

	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		struct pglist_data *pgdat = &m->nodes[r->nid];
		if (r->start < dram_start)
			dram_start = r->start;
		if (r->start + r->size > dram_end)
			dram_end = r->start + r->size;
		resize_pgdat_range(pgdat, PHYS_PFN(m, r->start), PHYS_PFN(m, r->size));
		pgdat->node_present_pages += PHYS_PFN(m, r->size);
	}
	m->max_pfn = PHYS_PFN(m, dram_end);
	zone_sizes_init(m, dram_start, dram_end, max_zone_pfn);

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		uint64_t lo = PHYS_PFN(m, dram_start);
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			/* Movable and Device are empty at boot; each other zone starts where the last ended. */
			uint64_t hi = zid <= ZONE_NORMAL ? (max_zone_pfn[zid] > lo ? max_zone_pfn[zid] : lo) : lo;
			init_zone(m, nid, zid, lo, zid <= ZONE_NORMAL ? hi : lo);
			lo = hi;
		}
	}
	return 0;
}
