/*
 * page_alloc.c - zones: their boot layout and their counters.
 * Kernel twins: mm/page_alloc.c, mm/mm_init.c (free_area_init), arch/arm64/mm/init.c
 * (zone_sizes_init). The buddy free lists arrive with issue 5.
 */
#include <stdlib.h>
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

/* ---- page allocation -------------------------------------------------------
 * A first-fit allocator over the online sections of a zone, lowest pfn first,
 * that keeps what each allocated page holds. It gives the page tables and the
 * vmemmap their pages; the buddy allocator of issue 5 replaces its search
 * with free lists and keeps this interface.
 */

/* The first reserved range (boot allocations, CMA) overlapping [lo, hi). */
bool first_reserved_in(const struct mhp_machine *m, uint64_t lo, uint64_t hi, uint64_t *r0, uint64_t *r1)
{
	bool found = false;
	for (unsigned i = 0; i < m->model.nr_reserved; i++) {
		const struct model_range *r = &m->model.reserved[i];
		uint64_t a = PHYS_PFN(m, r->start), b = PHYS_PFN(m, r->start + r->size);
		if (a < hi && b > lo && (!found || a < *r0)) {
			*r0 = a;
			*r1 = b;
			found = true;
		}
	}
	return found;
}

enum page_kind page_kind_of(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || !ms->kinds)
		return PG_FREE;
	return (enum page_kind)ms->kinds[pfn & (m->pages_per_section - 1)];
}

/* Marks [pfn, pfn + n) as kind (or free); the per-page array exists only while needed. */
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	assert(ms && pfn_to_section_nr(m, pfn + n - 1) == pfn_to_section_nr(m, pfn));
	if (!ms->kinds) {
		if (kind == PG_FREE)
			return 0;
		ms->kinds = calloc(m->pages_per_section, 1);
		if (!ms->kinds)
			return -ENOMEM;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *k = &ms->kinds[(pfn + i) & (m->pages_per_section - 1)];
		ms->nr_alloc += (kind != PG_FREE) - (*k != PG_FREE);
		*k = (uint8_t)kind;
	}
	if (!ms->nr_alloc) {
		free(ms->kinds);
		ms->kinds = NULL;
	}
	return 0;
}

/* A free, unreserved, aligned run of 2^order pages in [lo, hi), or false. */
static bool find_free_run(const struct mhp_machine *m, uint64_t lo, uint64_t hi, unsigned order, uint64_t *out)
{
	uint64_t n = 1ull << order, r0, r1;
	const struct mem_section *ms = __pfn_to_section(m, lo);
	for (uint64_t p = (lo + n - 1) & ~(n - 1); p + n <= hi;) {
		if (first_reserved_in(m, p, p + n, &r0, &r1)) {
			p = (r1 + n - 1) & ~(n - 1);
			continue;
		}
		uint64_t busy = UINT64_MAX;
		for (uint64_t i = 0; ms->kinds && i < n && busy == UINT64_MAX; i++)
			if (ms->kinds[(p + i) & (m->pages_per_section - 1)] != PG_FREE)
				busy = p + i;
		if (busy == UINT64_MAX) {
			*out = p;
			return true;
		}
		p = (busy + n) & ~(n - 1);
	}
	return false;
}

struct zone_search {
	int nid, zid;
	unsigned order;
	uint64_t from, pfn;
};

static int zone_search_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct zone_search *s = arg;
	uint64_t base = section_nr_to_pfn(m, nr);
	if (!online_section(ms) || ms->nid != s->nid || ms->zone != s->zid ||
	    ms->nr_alloc + (1ull << s->order) > m->pages_per_section)
		return 0;
	return find_free_run(m, base > s->from ? base : s->from, base + m->pages_per_section, s->order, &s->pfn);
}

/* Models the search of one zone: its online sections from the hint upward, then from the start. */
static bool zone_alloc(struct mhp_machine *m, int nid, int zid, unsigned order, uint64_t *pfn)
{
	struct zone *z = &m->nodes[nid].zones[zid];
	uint64_t start = z->zone_start_pfn, end = zone_end_pfn(z);
	uint64_t hint = z->alloc_hint > start && z->alloc_hint < end ? z->alloc_hint : start;
	for (int pass = 0; pass < 2; pass++) {
		struct zone_search s = { .nid = nid, .zid = zid, .order = order, .from = pass ? start : hint };
		uint64_t hi = pass ? pfn_to_section_nr(m, hint) + 1 : pfn_to_section_nr(m, end - 1) + 1;
		if (for_each_present_section(m, pfn_to_section_nr(m, s.from), hi, zone_search_cb, &s)) {
			*pfn = s.pfn;
			z->alloc_hint = s.pfn;
			return true;
		}
	}
	return false;
}

/* Fault injection: the armed allocation fails once (scenario step fail_alloc). */
static bool injected_failure(struct mhp_machine *m)
{
	if (m->fail_alloc_after < 0)
		return false;
	if (m->fail_alloc_after > 0) {
		m->fail_alloc_after--;
		return false;
	}
	if (--m->fail_alloc_count == 0)
		m->fail_alloc_after = -1;
	struct mhp_trace_field f[] = { TF_S("what", "page allocation") };
	TRACE(m, "fault_injected", f, "injected failure: this page allocation fails");
	return true;
}

/*
 * Models alloc_pages_node(nid, GFP_KERNEL, order): the node first, then the
 * others; in each node the zonelist order Normal, DMA32, DMA. Kernel
 * allocations never come from ZONE_MOVABLE.
 */
int alloc_pages_node(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn)
{
	static const int zonelist[] = { ZONE_NORMAL, ZONE_DMA32, ZONE_DMA };
	if (injected_failure(m))
		return -ENOMEM;
	for (int i = 0; i <= MAX_NUMNODES; i++) {
		int n = i == 0 ? nid : i - 1;
		if (n < 0 || n >= MAX_NUMNODES || (i > 0 && n == nid) || !m->nodes[n].online)
			continue;
		for (size_t z = 0; z < ARRAY_SIZE(zonelist); z++) {
			struct zone *zone = &m->nodes[n].zones[zonelist[z]];
			if (zone->free_pages < (1ull << order) || !zone_alloc(m, n, zonelist[z], order, pfn))
				continue;
			if (set_page_kinds(m, *pfn, 1ull << order, kind))
				return -ENOMEM;
			zone->free_pages -= 1ull << order;
			return 0;
		}
	}
	return -ENOMEM;
}

/*
 * Models free_pages(): the pages must hold what the caller says (a page-table
 * free of a page that is no table is a bug the invariants report). A page
 * from memblock becomes an ordinary managed page (free_reserved_page).
 */
void free_pages_kind(struct mhp_machine *m, uint64_t pfn, unsigned order, enum page_kind kind)
{
	uint64_t n = 1ull << order;
	struct mem_section *ms = __pfn_to_section(m, pfn);
	for (uint64_t i = 0; i < n; i++) {
		if (page_kind_of(m, pfn + i) != kind) {
			m->nr_bad_frees++;
			struct mhp_trace_field f[] = { TF_X("pfn", pfn + i) };
			TRACE(m, "bad_free", f, "pfn %#llx freed as a page it does not hold", (unsigned long long)(pfn + i));
			return;
		}
	}
	set_page_kinds(m, pfn, n, PG_FREE);
	assert(ms && ms->zone != NO_ZONE);
	struct zone *z = &m->nodes[ms->nid].zones[ms->zone];
	if (kind == PG_PGTABLE_BOOT || kind == PG_VMEMMAP_BOOT)
		adjust_managed_page_count(m, z, (int64_t)n);
	z->free_pages += n;
	if (pfn < z->alloc_hint)
		z->alloc_hint = pfn;
}
