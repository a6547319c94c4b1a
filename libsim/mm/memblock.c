// SPDX-License-Identifier: GPL-2.0-only
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

#include <stdlib.h>
#include <string.h>

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
		/* whole pages: a firmware hole that cuts a page takes all of it */
		uint64_t end_pfn = PHYS_PFN(m, r->start + r->size + (1ull << m->page_shift) - 1);
		*out = (struct mb_region){ PHYS_PFN(m, r->start), end_pfn, r->cma, r->name };
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
 * The first pfn in [start_pfn, end_pfn) that isolation must refuse, as
 * has_unmovable_pages() finds it scanning pageblock by pageblock from
 * start_pfn: a CMA pageblock is reported at its first page, a reserved page
 * at itself. A region's first hit lies in the pageblock it starts in (or the
 * first), and hits of later pageblocks are higher, so the lowest hit over
 * the regions is the scan's: a region at a time, not a pageblock at a time.
 */
bool memblock_first_unmovable(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn,
			      uint64_t *pfn, const char **what)
{
	uint64_t pb = 1ull << m->pageblock_order, best = UINT64_MAX;
	if (start_pfn >= end_pfn)
		return false;
	uint64_t scan_end = start_pfn + (end_pfn - start_pfn + pb - 1) / pb * pb;   /* the last pageblock read, whole */
	struct mb_region r;
	for (unsigned i = 0; reserved_region(m, i, MB_BOOTED, &r); i++) {
		if (!overlap(start_pfn, scan_end, r.lo, r.hi))
			continue;
		uint64_t blk = r.lo > start_pfn ? start_pfn + (r.lo - start_pfn) / pb * pb : start_pfn;
		uint64_t first = r.cma ? blk : (r.lo > blk ? r.lo : blk);
		if (first < best) {   /* ties: the first region, as the scan keeps it */
			best = first;
			*what = r.name;
		}
	}
	if (best == UINT64_MAX)
		return false;
	*pfn = best;
	return true;
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

/* ---- the boot's memblock calls, replayed (the model file's memblock) ---------------- */

/* A byte range of memblock.reserved while the calls replay; op -1: there before them. */
struct mb_span {
	uint64_t lo, hi;
	int op;
};

#define MB_MAX_SPANS (MODEL_MAX_MEMBLOCK * 8 + MODEL_MAX_RANGES + 2)

struct mb_replay {
	struct mb_span s[MB_MAX_SPANS];   /* in the order the calls made them (a free finds the latest) */
	unsigned n;
	/* Their union as disjoint ranges by address, so a search steps over a cluster at once. */
	struct { uint64_t lo, hi; } u[MB_MAX_SPANS];
	unsigned nu;
};

/* How many ranges of the union start below addr (or, by_hi, end below it): both are sorted. */
static unsigned mb_union_count_below(const struct mb_replay *r, uint64_t addr, bool by_hi)
{
	unsigned lo;
	PARTITION_POINT(lo, r->nu, k, (by_hi ? r->u[k].hi : r->u[k].lo) < addr);
	return lo;
}

/* Adds [lo, hi) to the union, merged with the ranges it overlaps or touches. */
static void mb_union_add(struct mb_replay *r, uint64_t lo, uint64_t hi)
{
	unsigned first = mb_union_count_below(r, lo, true), last = first;
	while (last < r->nu && r->u[last].lo <= hi) {
		lo = r->u[last].lo < lo ? r->u[last].lo : lo;
		hi = r->u[last].hi > hi ? r->u[last].hi : hi;
		last++;
	}
	MHP_ASSERT(r->nu - (last - first) < MB_MAX_SPANS);
	memmove(&r->u[first + 1], &r->u[last], (r->nu - last) * sizeof(r->u[0]));
	r->nu = r->nu - (last - first) + 1;
	r->u[first].lo = lo, r->u[first].hi = hi;
}

/* After a free: the union again, from the spans left. */
static void mb_union_rebuild(struct mb_replay *r)
{
	r->nu = 0;
	for (unsigned i = 0; i < r->n; i++)
		mb_union_add(r, r->s[i].lo, r->s[i].hi);
}

static int mb_add(struct mb_replay *r, uint64_t lo, uint64_t hi, int op)
{
	if (r->n >= MB_MAX_SPANS)
		return -ENOSPC;
	r->s[r->n++] = (struct mb_span){ lo, hi, op };
	mb_union_add(r, lo, hi);
	return 0;
}

/*
 * Models memblock_find_in_range_node() top-down: the highest address in
 * the free gaps of boot RAM (of the call's node, if it names one), within
 * [min, max), where size bytes aligned to align fit. Gaps are walked from
 * the top of each RAM range down. memblock_alloc_range_nid() would retry
 * on any node when the named one is full; the models' boots never fill one,
 * so the model reports it as an error instead.
 */
static bool mb_find_top_down(const struct mhp_machine *m, const struct mb_replay *r,
			     const struct model_memblock_op *op, uint64_t size, uint64_t *out)
{
	uint64_t max = op->max ? op->max : UINT64_MAX;
	for (unsigned i = m->model.nr_ram; i-- > 0;) {
		const struct model_range *ram = &m->model.ram[i];
		if (op->nid >= 0 && ram->nid != op->nid)
			continue;
		uint64_t top = ram->start + ram->size < max ? ram->start + ram->size : max;
		/* Down the union's ranges that start below top; each pass steps below one. */
		for (unsigned k = mb_union_count_below(r, top, false); top > ram->start; k--) {
			bool below = k > 0 && r->u[k - 1].hi > ram->start;   /* the highest reservation under top */
			uint64_t floor = below ? r->u[k - 1].hi : ram->start;
			if (floor < op->min)
				floor = op->min;
			if (top >= size + floor) {
				uint64_t cand = (top - size) & ~(op->align - 1);
				if (cand >= floor) {
					*out = cand;
					return true;
				}
			}
			if (!below || r->u[k - 1].lo <= op->min)
				break;
			top = r->u[k - 1].lo;
		}
	}
	return false;
}

/* The latest allocation still held that the function by made (a free's target). */
static struct mb_span *mb_last_by(const struct mhp_machine *m, struct mb_replay *r, const char *by)
{
	for (unsigned i = r->n; i-- > 0;)
		if (r->s[i].op >= 0 && strcmp(m->model.memblock[r->s[i].op].by, by) == 0)
			return &r->s[i];
	return NULL;
}

/* Replays call i of the model's list; the command line sizes setup_command_line()'s copies. */
static int mb_replay_op(struct mhp_machine *m, struct mb_replay *r, unsigned i, size_t cmdline_len,
			struct mhp_err *err)
{
	const struct model_memblock_op *op = &m->model.memblock[i];
	if (op->free) {
		struct mb_span *s = mb_last_by(m, r, op->by);
		if (!s)
			return mhp_err_set(err, -EINVAL, "model %s: memblock: free of %s, which holds nothing",
					   m->model.name, op->by);
		if (op->size && op->size >= s->hi - s->lo)
			return mhp_err_set(err, -EINVAL, "model %s: memblock (line %u): %s keeps %llu bytes of its %llu",
					   m->model.name, op->line, op->by, (unsigned long long)op->size,
					   (unsigned long long)(s->hi - s->lo));
		if (op->size)
			s->hi = s->lo + op->size;
		else   /* keep the order of the rest: a later free looks for its function's latest allocation */
			memmove(s, s + 1, (size_t)(&r->s[--r->n] - s) * sizeof(*s));
		mb_union_rebuild(r);
		return 0;
	}
	uint64_t size = op->cmdline ? cmdline_len + 1 : op->size, at;
	for (unsigned k = 0; k < op->count; k++) {
		if (!mb_find_top_down(m, r, op, size, &at))
			return mhp_err_set(err, -ENOMEM, "model %s: memblock: no room for %s's %llu bytes",
					   m->model.name, op->by, (unsigned long long)size);
		if (mb_add(r, at, at + size, (int)i))
			return mhp_err_set(err, -ENOSPC, "model %s: memblock: more than %u reservations",
					   m->model.name, MB_MAX_SPANS);
	}
	return 0;
}

static int mb_span_cmp(const void *a, const void *b)
{
	const struct mb_span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * The pages the replayed calls left reserved, as reserved ranges of the
 * model: each call's bytes rounded out to pages, neighbours merged as
 * memblock merges regions (CMA apart); a range is a pool if a call in it is.
 */
static int mb_publish(struct mhp_machine *m, struct mb_replay *r, struct mhp_err *err)
{
	struct mhp_model *mo = &m->model;
	uint64_t page = m->page_size;
	qsort(r->s, r->n, sizeof(r->s[0]), mb_span_cmp);
	for (unsigned i = 0; i < r->n;) {
		if (r->s[i].op < 0) {
			i++;
			continue;
		}
		const struct model_memblock_op *first = &mo->memblock[r->s[i].op];
		uint64_t lo = r->s[i].lo & ~(page - 1), hi = (r->s[i].hi + page - 1) & ~(page - 1);
		int pool = first->pool;
		unsigned j = i + 1, members = 1;
		for (; j < r->n && r->s[j].op >= 0 && (r->s[j].lo & ~(page - 1)) <= hi &&
		       mo->memblock[r->s[j].op].cma == first->cma; j++, members++) {
			uint64_t end = (r->s[j].hi + page - 1) & ~(page - 1);
			hi = end > hi ? end : hi;
			pool = pool ? pool : mo->memblock[r->s[j].op].pool;
		}
		if (mo->nr_reserved >= MODEL_MAX_RANGES)
			return mhp_err_set(err, -ENOSPC, "model %s: memblock: more than %u reserved ranges", mo->name,
					   MODEL_MAX_RANGES);
		struct model_range out = { .start = lo, .size = hi - lo, .cma = first->cma, .pool = pool,
					   .nid = pfn_boot_nid(m, PHYS_PFN(m, lo)) };
		snprintf(out.name, sizeof(out.name), "memblock: %s%s", first->by, members > 1 ? " and more" : "");
		mo->reserved[mo->nr_reserved++] = out;
		i = j;
	}
	return 0;
}

/*
 * Models the boot's memblock_alloc() and memblock_free() calls the model
 * lists, on top of what the model reserves already (kernel image, initrd):
 * where each lands follows memblock's top-down search, so a longer command
 * line can move the small allocations that follow it onto another page.
 */
int memblock_replay(struct mhp_machine *m, const char *cmdline, struct mhp_err *err)
{
	struct mb_replay *r = calloc(1, sizeof(*r));
	struct mb_region reg;
	int ret = 0;
	if (!r)
		return mhp_err_set(err, -ENOMEM, "memblock: out of host memory");
	for (unsigned i = 0; !ret && reserved_region(m, i, MB_BOOTING, &reg); i++)
		ret = mb_add(r, PFN_PHYS(m, reg.lo), PFN_PHYS(m, reg.hi), -1);
	if (ret)
		ret = mhp_err_set(err, ret, "model %s: memblock: too many reserved ranges", m->model.name);
	for (unsigned i = 0; i < m->model.nr_memblock && !ret; i++)
		ret = mb_replay_op(m, r, i, strlen(cmdline), err);
	if (!ret)
		ret = mb_publish(m, r, err);
	free(r);
	return ret;
}
