/*
 * memblock.c - boot-time reserved memory, as the model file lists it.
 * Kernel twin: mm/memblock.c (memblock.reserved) and mm/cma.c for CMA areas.
 *
 * A simplification, written in each model: the kernel's boot allocations
 * (kernel image, memmap, page tables, FDT, CMA) are given as fixed ranges,
 * not computed. Their pages are PageReserved, or MIGRATE_CMA for CMA areas.
 * The kernel's init sections and the initrd are reserved until boot frees them.
 */
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/sparse.h"

static uint64_t overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	uint64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
	return hi > lo ? hi - lo : 0;
}

/* One region of memblock.reserved, in pfns. */
struct mb_region {
	uint64_t lo, hi;
	bool cma;
	const char *name;
};

/* Whether boot has yet freed the init sections and the initrd (boot() frees both before it returns). */
enum mb_when { MB_BOOTING, MB_BOOTED };

/* The initrd's pages split three ways: its first and last partial pages, and the whole pages between. */
static void initrd_pages(const struct mhp_machine *m, uint64_t *lo, uint64_t *whole_lo, uint64_t *whole_hi,
			 uint64_t *hi)
{
	const struct model_range *r = &m->model.initrd;
	uint64_t page = m->page_size, end = r->start + r->size;
	*lo = PHYS_PFN(m, r->start);
	*hi = PHYS_PFN(m, end + page - 1);
	*whole_lo = PHYS_PFN(m, r->start + page - 1);
	*whole_hi = PHYS_PFN(m, end) > *whole_lo ? PHYS_PFN(m, end) : *whole_lo;
}

/*
 * Region i of memblock.reserved, false past the last: the model file's
 * ranges; while booting also the kernel's init sections and the initrd
 * rounded out to whole pages (reserve_initrd_mem); once booted, what
 * free_reserved_area() left of the initrd: the partial pages at its ends.
 */
static bool reserved_region(const struct mhp_machine *m, unsigned i, enum mb_when when, struct mb_region *out)
{
	const struct mhp_model *mo = &m->model;
	uint64_t lo, whole_lo, whole_hi, hi;
	if (i < mo->nr_reserved) {
		const struct model_range *r = &mo->reserved[i];
		*out = (struct mb_region){ PHYS_PFN(m, r->start), PHYS_PFN(m, r->start + r->size), r->cma, r->name };
		return true;
	}
	i -= mo->nr_reserved;
	initrd_pages(m, &lo, &whole_lo, &whole_hi, &hi);
	if (i >= 2)
		return false;
	if (when == MB_BOOTING && i == 0) {
		const struct model_range *init = &mo->kernel.init;
		uint64_t n = mo->kernel.present ? PHYS_PFN(m, init->size) : 0;
		*out = (struct mb_region){ PHYS_PFN(m, init->start), PHYS_PFN(m, init->start) + n, false,
					   "kernel init sections" };
	} else if (when == MB_BOOTING) {
		*out = (struct mb_region){ lo, hi, false, "initrd" };
	} else {
		*out = i == 0 ? (struct mb_region){ lo, whole_lo, false, "initrd: a partial page" }
			      : (struct mb_region){ whole_hi, hi, false, "initrd: a partial page" };
	}
	return true;
}

/* Pages in [start_pfn, end_pfn) that boot reserved (cma: in CMA areas instead), before free_initmem(). */
uint64_t memblock_reserved_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool cma)
{
	uint64_t total = 0;
	struct mb_region r;
	for (unsigned i = 0; reserved_region(m, i, MB_BOOTING, &r); i++)
		if (r.cma == cma)
			total += overlap(start_pfn, end_pfn, r.lo, r.hi);
	return total;
}

/*
 * The first pfn in [start_pfn, end_pfn) that isolation must refuse, scanning
 * pageblock by pageblock as has_unmovable_pages() does: a CMA pageblock is
 * reported at its first page, a reserved page at itself.
 */
bool memblock_first_unmovable(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn,
			      uint64_t *pfn, const char **what)
{
	uint64_t pb = 1ull << m->pageblock_order;
	for (uint64_t blk = start_pfn; blk < end_pfn; blk += pb) {
		uint64_t best = UINT64_MAX;
		struct mb_region r;
		for (unsigned i = 0; reserved_region(m, i, MB_BOOTED, &r); i++) {
			if (!overlap(blk, blk + pb, r.lo, r.hi))
				continue;
			uint64_t first = r.cma ? blk : (r.lo > blk ? r.lo : blk);
			if (first < best) {
				best = first;
				*what = r.name;
			}
		}
		if (best != UINT64_MAX) {
			*pfn = best;
			return true;
		}
	}
	return false;
}

/* The node whose boot RAM holds pfn (memblock's nid of a region). */
static int pfn_boot_nid(const struct mhp_machine *m, uint64_t pfn)
{
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		if (pfn >= PHYS_PFN(m, r->start) && pfn < PHYS_PFN(m, r->start + r->size))
			return r->nid;
	}
	return -1;
}

/*
 * Models memblock_alloc_try_nid() for boot page tables and the boot memmap:
 * top-down inside the reserved ranges the model marks as that kind's pool,
 * on the requested node first. The pages stay reserved (never in the buddy).
 */
int memblock_alloc_pages(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn)
{
	int pool = kind == PG_PGTABLE_BOOT ? POOL_PGTABLE : POOL_MEMMAP;
	uint64_t n = 1ull << order;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < m->model.nr_reserved; i++) {
			const struct model_range *r = &m->model.reserved[i];
			uint64_t lo = PHYS_PFN(m, r->start), hi = PHYS_PFN(m, r->start + r->size) - m->pool_used[i];
			if (r->pool != pool || (pass == 0 && pfn_boot_nid(m, lo) != nid))
				continue;
			uint64_t p = (hi - n) & ~(n - 1);
			if (hi < n || p < lo)
				continue;
			m->pool_used[i] = PHYS_PFN(m, r->start + r->size) - p;
			*pfn = p;
			return set_page_kinds(m, p, n, kind);
		}
	}
	return -ENOMEM;
}

/* The first reserved region at boot that is not CMA overlapping [lo, hi) (CMA pages go to the buddy). */
static bool first_noncma_reserved(const struct mhp_machine *m, uint64_t lo, uint64_t hi, uint64_t *r0, uint64_t *r1)
{
	bool found = false;
	struct mb_region r;
	for (unsigned i = 0; reserved_region(m, i, MB_BOOTING, &r); i++) {
		if (!r.cma && r.lo < r.hi && r.lo < hi && r.hi > lo && (!found || r.lo < *r0)) {
			*r0 = r.lo;
			*r1 = r.hi;
			found = true;
		}
	}
	return found;
}

/*
 * Models reset_all_zones_managed_pages() and the count memblock_free_all()
 * and the CMA setup make: each zone manages its pages that boot has not
 * reserved (the init sections and the initrd still are), CMA areas included.
 */
static void count_managed_pages(struct mhp_machine *m)
{
	m->totalram_pages = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *z = &m->nodes[nid].zones[zid];
			z->managed_pages = z->present_pages -
					   memblock_reserved_pages(m, z->zone_start_pfn, zone_end_pfn(z), false);
			m->totalram_pages += z->managed_pages;
		}
}

/*
 * Models memblock_free_all() and the CMA setup: every boot page that is not
 * reserved goes to the buddy; CMA areas get MIGRATE_CMA pageblocks first.
 * The init sections and the initrd stay out until their own frees.
 */
void memblock_free_all(struct mhp_machine *m)
{
	for (unsigned i = 0; i < m->model.nr_reserved; i++) {
		const struct model_range *r = &m->model.reserved[i];
		for (uint64_t p = PHYS_PFN(m, r->start); r->cma && p < PHYS_PFN(m, r->start + r->size);
		     p += 1ull << m->pageblock_order)
			set_pageblock_migratetype(m, p, MIGRATE_CMA);
	}
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		uint64_t pfn = PHYS_PFN(m, r->start), end = PHYS_PFN(m, r->start + r->size), r0 = 0, r1 = 0;
		while (pfn < end) {
			if (!first_noncma_reserved(m, pfn, end, &r0, &r1)) {
				free_range_to_buddy(m, pfn, end);
				break;
			}
			if (r0 > pfn)
				free_range_to_buddy(m, pfn, r0);
			pfn = r1;
		}
	}
	count_managed_pages(m);
}
