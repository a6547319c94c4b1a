/*
 * memblock.c - boot-time reserved memory, as the model file lists it.
 * Kernel twin: mm/memblock.c (memblock.reserved) and mm/cma.c for CMA areas.
 *
 * A simplification, written in each model: the kernel's boot allocations
 * (kernel image, memmap, page tables, FDT, CMA) are given as fixed ranges,
 * not computed. Their pages are PageReserved, or MIGRATE_CMA for CMA areas.
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

/* Pages in [start_pfn, end_pfn) that boot reserved (cma: in CMA areas instead). */
uint64_t memblock_reserved_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool cma)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->model.nr_reserved; i++) {
		const struct model_range *r = &m->model.reserved[i];
		if (r->cma != cma)
			continue;
		total += overlap(start_pfn, end_pfn, PHYS_PFN(m, r->start), PHYS_PFN(m, r->start + r->size));
	}
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
		for (unsigned i = 0; i < m->model.nr_reserved; i++) {
			const struct model_range *r = &m->model.reserved[i];
			uint64_t r0 = PHYS_PFN(m, r->start), r1 = PHYS_PFN(m, r->start + r->size);
			if (!overlap(blk, blk + pb, r0, r1))
				continue;
			uint64_t first = r->cma ? blk : (r0 > blk ? r0 : blk);
			if (first < best) {
				best = first;
				*what = r->name;
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

/* The first reserved range that is not CMA overlapping [lo, hi) (CMA pages go to the buddy). */
static bool first_noncma_reserved(const struct mhp_machine *m, uint64_t lo, uint64_t hi, uint64_t *r0, uint64_t *r1)
{
	bool found = false;
	for (unsigned i = 0; i < m->model.nr_reserved; i++) {
		const struct model_range *r = &m->model.reserved[i];
		uint64_t a = PHYS_PFN(m, r->start), b = PHYS_PFN(m, r->start + r->size);
		if (!r->cma && a < hi && b > lo && (!found || a < *r0)) {
			*r0 = a;
			*r1 = b;
			found = true;
		}
	}
	return found;
}

/* The zone of the first boot page: the kernel image starts boot RAM, and QEMU puts the initrd 128 MiB in. */
static struct zone *late_free_zone(struct mhp_machine *m)
{
	const struct model_range *r = &m->model.ram[0];
	return &m->nodes[r->nid].zones[__pfn_to_section(m, PHYS_PFN(m, r->start))->zone];
}

/*
 * Models reset_all_zones_managed_pages() and the count memblock_free_all()
 * and the CMA setup make: each zone manages its pages that are not reserved,
 * CMA areas included. What the model file's late_free holds stays reserved
 * until free_late_reserved(); its pages are in the buddy already (the model's
 * reserved ranges describe memory after boot): only the count waits.
 */
static int count_managed_pages(struct mhp_machine *m, struct mhp_err *err)
{
	m->totalram_pages = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *z = &m->nodes[nid].zones[zid];
			z->managed_pages = z->present_pages -
					   memblock_reserved_pages(m, z->zone_start_pfn, zone_end_pfn(z), false);
			m->totalram_pages += z->managed_pages;
		}
	uint64_t late = PHYS_PFN(m, m->model.late_free_initrd + m->model.late_free_initmem);
	struct zone *z = late_free_zone(m);
	if (late > z->managed_pages)
		return mhp_err_set(err, -EINVAL, "model %s: late_free holds %llu pages, more than the %llu its zone manages",
				   m->model.name, (unsigned long long)late, (unsigned long long)z->managed_pages);
	z->managed_pages -= late;
	m->totalram_pages -= late;
	return 0;
}

/* Models free_reserved_area() of the initrd (free_initrd_mem()) and the init sections (free_initmem()). */
void free_late_reserved(struct mhp_machine *m)
{
	static const char *const what[] = { "initrd", "unused kernel" };
	const uint64_t bytes[] = { m->model.late_free_initrd, m->model.late_free_initmem };
	for (unsigned i = 0; i < ARRAY_SIZE(what); i++) {
		if (!bytes[i])
			continue;
		adjust_managed_page_count(m, late_free_zone(m), (int64_t)PHYS_PFN(m, bytes[i]));
		pr_info(m, "Freeing %s memory: %lluK", what[i], (unsigned long long)(bytes[i] >> 10));
	}
}

/*
 * Models memblock_free_all() and the CMA setup: every boot page that is not
 * reserved goes to the buddy; CMA areas get MIGRATE_CMA pageblocks first.
 */
int memblock_free_all(struct mhp_machine *m, struct mhp_err *err)
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
	return count_managed_pages(m, err);
}
