// SPDX-License-Identifier: GPL-2.0-only
/*
 * page_alloc.c - zones' counters and the buddy allocator.
 * Kernel twin: mm/page_alloc.c. The boot layout of zones is mm_init.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/migrate.h"
#include "sim/mmzone.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/page_isolation.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/trace.h"
#include "strbuf.h"

static const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

const char *zone_name(int zid)
{
	MHP_ASSERT(zid >= 0 && zid < MAX_NR_ZONES);
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

/* ---- the buddy allocator ----------------------------------------------------
 * Free lists per zone, order and migrate type, as in mm/page_alloc.c. A list
 * is a sorted array of block pfns: allocation takes the lowest block, which
 * makes placement deterministic and easy to follow in a trace.
 */

static unsigned max_order(const struct mhp_machine *m)
{
	return m->max_page_order;
}

static struct zone *pfn_zone(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	MHP_ASSERT(ms && ms->zone != NO_ZONE && ms->nid >= 0);
	return (struct zone *)&m->nodes[ms->nid].zones[page_zone_id(m, ms, pfn)];
}

void set_pageblock_migratetype(struct mhp_machine *m, uint64_t pfn, int mt)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	MHP_ASSERT(ms && ms->pb_mt);
	uint8_t *pb = &ms->pb_mt[(pfn & (m->pages_per_section - 1)) >> m->pageblock_order];
	m->nr_isolated_pageblocks += (mt == MIGRATE_ISOLATE) - (*pb == MIGRATE_ISOLATE);
	*pb = (uint8_t)mt;
}

uint64_t section_isolated_pageblocks(const struct mhp_machine *m, const struct mem_section *ms)
{
	uint64_t n = 0;
	for (uint64_t b = 0; ms->pb_mt && b < m->pages_per_section >> m->pageblock_order; b++)
		n += ms->pb_mt[b] == MIGRATE_ISOLATE;
	return n;
}

/* Index of pfn in a descending list, or where it would go. */
static inline uint32_t fl_search(const struct free_list *fl, uint64_t pfn, bool *found)
{
	uint32_t lo;
	PARTITION_POINT(lo, fl->n, k, fl->pfn[k] > pfn);
	*found = lo < fl->n && fl->pfn[lo] == pfn;
	return lo;
}

/* A buffer twice the size, the list in its middle: room for count more at either end. */
static void fl_grow(struct free_list *fl, uint32_t count)
{
	uint32_t ncap = fl->n + count < 8 ? 16 : (fl->n + count) * 2, nhead = (ncap - fl->n) / 2;
	uint64_t *a = malloc(ncap * sizeof(*a));
	MHP_ASSERT(a);   /* host memory for free lists is bounded by the pages the model holds */
	if (fl->n)
		memcpy(a + nhead, fl->pfn, fl->n * sizeof(*a));
	free(fl->pfn ? fl->pfn - fl->head : NULL);
	fl->pfn = a + nhead;
	fl->head = nhead;
	fl->cap = ncap;
}

/* Room for count more at either end (most often there is: a test inline). */
static inline void fl_room(struct free_list *fl, uint32_t count)
{
	if (fl->head < count || fl->head + fl->n + count > fl->cap)
		fl_grow(fl, count);
}

/* Inserts in order, moving whichever side of the insertion point is shorter. */
static void fl_add(struct free_list *fl, uint64_t pfn)
{
	bool found = false;
	fl_room(fl, 1);
	/* Most blocks go at either end, the list's highest or lowest: no search for those. */
	uint32_t i = !fl->n || pfn > fl->pfn[0] ? 0 : pfn < fl->pfn[fl->n - 1] ? fl->n : fl_search(fl, pfn, &found);
	MHP_ASSERT(!found);
	if (i < fl->n - i) {
		if (i)   /* at either end nothing moves: no call for it */
			memmove(fl->pfn - 1, fl->pfn, i * sizeof(*fl->pfn));
		fl->pfn--;
		fl->head--;
	} else if (i < fl->n) {
		memmove(&fl->pfn[i + 1], &fl->pfn[i], (fl->n - i) * sizeof(*fl->pfn));
	}
	fl->pfn[i] = pfn;
	fl->n++;
	MHP_ASSERT(fl->head + fl->n <= fl->cap);
	MHP_ASSERT(i == 0 || fl->pfn[i - 1] > pfn);   /* sorted, highest first */
}

/*
 * Inserts count descending pfns at their place in one move of the shorter
 * side, if no entry of the list lies among them; false (nothing changed)
 * if one does.
 */
static bool fl_splice(struct free_list *fl, const uint64_t *pfns, uint32_t count)
{
	bool found;
	uint32_t i = fl_search(fl, pfns[0], &found);
	if (found || (i < fl->n && fl->pfn[i] >= pfns[count - 1]))
		return false;
	fl_room(fl, count);
	if (i < fl->n - i) {
		memmove(fl->pfn - count, fl->pfn, i * sizeof(*fl->pfn));
		fl->pfn -= count;
		fl->head -= count;
	} else {
		memmove(&fl->pfn[i + count], &fl->pfn[i], (fl->n - i) * sizeof(*fl->pfn));
	}
	memcpy(&fl->pfn[i], pfns, count * sizeof(*pfns));
	fl->n += count;
	return true;
}

/* Takes entries [i, j) out in one move of the shorter side. */
static void fl_cut(struct free_list *fl, uint32_t i, uint32_t j)
{
	uint32_t count = j - i;
	if (i < fl->n - j) {
		memmove(fl->pfn + count, fl->pfn, i * sizeof(*fl->pfn));
		fl->pfn += count;
		fl->head += count;
	} else {
		memmove(&fl->pfn[i], &fl->pfn[j], (fl->n - j) * sizeof(*fl->pfn));
	}
	fl->n -= count;
}

static bool fl_del(struct free_list *fl, uint64_t pfn)
{
	bool found = true;
	/* Outside the list's span it is not there; its lowest block needs no search either. */
	if (!fl->n || pfn > fl->pfn[0] || pfn < fl->pfn[fl->n - 1])
		return false;
	uint32_t i = pfn == fl->pfn[fl->n - 1] ? fl->n - 1 : fl_search(fl, pfn, &found);
	if (!found)
		return false;
	if (i < fl->n - 1 - i) {
		if (i)   /* at either end nothing moves: no call for it */
			memmove(fl->pfn + 1, fl->pfn, i * sizeof(*fl->pfn));
		fl->pfn++;
		fl->head++;
	} else if (i + 1 < fl->n) {
		memmove(&fl->pfn[i], &fl->pfn[i + 1], (fl->n - i - 1) * sizeof(*fl->pfn));
	}
	MHP_ASSERT(fl->n > 0);
	fl->n--;
	return true;
}

void zone_free_lists_free(struct zone *z)
{
	for (unsigned o = 0; o <= MAX_ORDER_LIMIT; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (z->free_area[o][mt].pfn)
				free(z->free_area[o][mt].pfn - z->free_area[o][mt].head);
}

static void add_to_free_list(struct zone *z, uint64_t pfn, unsigned order, int mt)
{
	fl_add(&z->free_area[order][mt], pfn);
	z->nonempty[mt] |= (uint16_t)(1u << order);
	z->free_pages += 1ull << order;
}

/* The list's count went down by one block: the zone's counts follow. */
static void free_list_shrunk(struct zone *z, unsigned order, int mt)
{
	if (!z->free_area[order][mt].n)
		z->nonempty[mt] &= (uint16_t)~(1u << order);
	z->free_pages -= 1ull << order;
}

static bool del_from_free_list(struct zone *z, uint64_t pfn, unsigned order, int mt)
{
	if (!fl_del(&z->free_area[order][mt], pfn))
		return false;
	free_list_shrunk(z, order, mt);
	return true;
}

/* Takes the list's lowest block, its last entry: no search. */
static uint64_t del_lowest_from_free_list(struct zone *z, unsigned order, int mt)
{
	struct free_list *fl = &z->free_area[order][mt];
	MHP_ASSERT(fl->n > 0);
	uint64_t pfn = fl->pfn[--fl->n];
	free_list_shrunk(z, order, mt);
	return pfn;
}

/* migratetype_is_mergeable(): the per-cpu types only. */
static bool mt_mergeable(int mt)
{
	return mt < MIGRATE_HIGHATOMIC;
}

/*
 * The buddy of a block must be in a present section of the same zone, and
 * its first page not allocated: an allocated page heads no free block (the
 * kernel's page_is_buddy() finds no PageBuddy there), so its lists need no
 * search. The allocation map says so in a word (BUDDY holds it to the lists).
 */
static bool buddy_may_be_free(const struct mhp_machine *m, uint64_t buddy, const struct zone *z)
{
	const struct mem_section *ms = __pfn_to_section(m, buddy);
	uint64_t i = buddy & (m->pages_per_section - 1);
	return ms && present_section(ms) && ms->zone != NO_ZONE && ms->nid >= 0 &&
	       &m->nodes[ms->nid].zones[page_zone_id(m, ms, buddy)] == z && pfn_valid_in(m, ms, buddy) &&
	       !(ms->alloc_map && (ms->alloc_map[i / 64] >> (i % 64) & 1));
}

/* Models __free_one_page(): merge with free buddies as far as they go, then list the block in zone z, pfn's. */
static void free_one_page_in(struct mhp_machine *m, struct zone *z, uint64_t pfn, unsigned order, int mt)
{
	MHP_ASSERT(z);
	MHP_ASSERT(order <= max_order(m) && mt >= 0 && mt < MIGRATE_TYPES);
	MHP_ASSERT(is_aligned(pfn, 1ull << order));   /* a buddy block starts at its own size */
	while (order < max_order(m)) {
		uint64_t buddy = pfn ^ (1ull << order);
		if (!buddy_may_be_free(m, buddy, z))
			break;
		int buddy_mt = order >= m->pageblock_order ? get_pageblock_migratetype(m, buddy) : mt;
		if (buddy_mt != mt && (!mt_mergeable(mt) || !mt_mergeable(buddy_mt)))
			break;
		if (!del_from_free_list(z, buddy, order, buddy_mt))
			break;
		if (buddy_mt != mt)
			set_pageblock_migratetype(m, buddy, mt);
		pfn &= ~(1ull << order);
		order++;
	}
	add_to_free_list(z, pfn, order, mt);
}

static void __free_one_page(struct mhp_machine *m, uint64_t pfn, unsigned order, int mt)
{
	free_one_page_in(m, pfn_zone(m, pfn), pfn, order, mt);
}

/* The largest order, up to cap, that x is aligned to and that len pages hold (0 when len is 0). */
static unsigned order_fitting(uint64_t x, uint64_t len, unsigned cap)
{
	if (!len)
		return 0;
	unsigned align = x ? (unsigned)__builtin_ctzll(x) : 64, size = 63 - (unsigned)__builtin_clzll(len);
	unsigned order = align < size ? align : size;
	return order < cap ? order : cap;
}

/* The largest order, up to cap, of a block that starts at pfn and ends by end: [pfn, end) in its aligned blocks. */
static unsigned aligned_order(uint64_t pfn, uint64_t end, unsigned cap)
{
	return order_fitting(pfn, end > pfn ? end - pfn : 0, cap);
}

/*
 * Frees [start_pfn, end_pfn) to the buddy in the largest aligned chunks
 * (memblock_free_all at boot, online_pages_range at online). Each chunk goes
 * to the list of its pageblock's type.
 */
void free_range_to_buddy(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {
		unsigned order = aligned_order(pfn, end_pfn, max_order(m));
		__free_one_page(m, pfn, order, get_pageblock_migratetype(m, pfn));
		pfn += 1ull << order;
	}
}

/*
 * Models free_reserved_area(): the whole pages inside [start, end) (bytes)
 * leave PageReserved for the buddy, each managed again, and the kernel says
 * how much was freed. The partial pages at the ends stay reserved.
 */
uint64_t free_reserved_area(struct mhp_machine *m, uint64_t start, uint64_t end, const char *what)
{
	uint64_t lo = PHYS_PFN(m, start + m->page_size - 1), hi = PHYS_PFN(m, end);
	if (hi <= lo)
		return 0;
	for (uint64_t pfn = lo; pfn < hi; pfn++)
		adjust_managed_page_count(m, pfn_zone(m, pfn), 1);
	free_range_to_buddy(m, lo, hi);
	pr_info(m, "Freeing %s memory: %lluK", what, (unsigned long long)((hi - lo) << (m->page_shift - 10)));
	return hi - lo;
}

/* Models expand(): split a block down to order, the upper halves back on the lists. */
static void expand(struct zone *z, uint64_t pfn, unsigned low, unsigned high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_list(z, pfn + (1ull << high), high, mt);
	}
}

/* Lists the blocks of [pfn, end) as free, in its largest aligned blocks. */
static void add_aligned_range(struct mhp_machine *m, struct zone *z, uint64_t pfn, uint64_t end, int mt)
{
	while (pfn < end) {
		unsigned order = aligned_order(pfn, end, max_order(m));
		add_to_free_list(z, pfn, order, mt);
		pfn += 1ull << order;
	}
}

/*
 * Models __rmqueue_smallest(): the lowest block of the smallest order that
 * fits. An order-0 request that splits a block leaves its tail for the next
 * ones: every smaller order of this type was empty, so they take the tail's
 * pages in ascending order. A run of them (split_tail.want) takes its pages
 * here at once: what expand() lists and the next requests take again, is
 * never listed, and the rest goes back in its largest aligned blocks, which
 * is where those requests leave it.
 */
static bool rmqueue_smallest(struct mhp_machine *m, struct zone *z, unsigned order, int mt, uint64_t *pfn)
{
	unsigned avail = z->nonempty[mt] >> order;
	if (!avail)
		return false;
	unsigned o = order + (unsigned)__builtin_ctz(avail);
	*pfn = del_lowest_from_free_list(z, o, mt);
	uint64_t more = order || !o ? 0 : (1ull << o) - 1, end = *pfn + (1ull << o);
	more = more < m->split_tail.want ? more : m->split_tail.want;
	if (m->fail_page_alloc.after >= 0 && more > (uint64_t)m->fail_page_alloc.after)
		more = (uint64_t)m->fail_page_alloc.after;   /* the request that fails is not one of the run */
	if (more)
		add_aligned_range(m, z, *pfn + 1 + more, end, mt);
	else
		expand(z, *pfn, order, o, mt);
	if (!order && o)
		m->split_tail.zone = z, m->split_tail.taken = more;
	return true;
}

/* Moves the free blocks of one pageblock to another type's lists (move_freepages_block). */
static void move_freepages_block(struct mhp_machine *m, uint64_t pfn, int mt)
{
	uint64_t pb = 1ull << m->pageblock_order, start = pfn & ~(pb - 1);
	move_free_blocks(m, start, start + pb, mt);
	set_pageblock_migratetype(m, start, mt);
}

/*
 * Models __rmqueue_fallback(), simplified: the largest block of the first
 * fallback type; one of at least half a pageblock claims its pageblock.
 */
static bool rmqueue_fallback(struct mhp_machine *m, struct zone *z, unsigned order, int mt, uint64_t *pfn)
{
	static const int fallbacks[3][2] = {
		[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
		[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
		[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
	};
	/* The highest order that either fallback type has, the first type on a tie. */
	const int *fb = fallbacks[mt];
	uint32_t both = (uint32_t)(z->nonempty[fb[0]] | z->nonempty[fb[1]]) >> order << order;
	if (!both)
		return false;
	unsigned o = 31u - (unsigned)__builtin_clz(both);
	int from = z->nonempty[fb[0]] >> o & 1 ? fb[0] : fb[1];
	const struct free_list *fl = &z->free_area[o][from];
	uint64_t block = fl->pfn[fl->n - 1];
	if (o >= m->pageblock_order / 2 && o < m->pageblock_order) {
		move_freepages_block(m, block, mt);
		return rmqueue_smallest(m, z, order, mt, pfn);
	}
	if (o >= m->pageblock_order) {
		for (uint64_t p = block; p < block + (1ull << o); p += 1ull << m->pageblock_order)
			set_pageblock_migratetype(m, p, mt);
		del_lowest_from_free_list(z, o, from);
		add_to_free_list(z, block, o, mt);
		return rmqueue_smallest(m, z, order, mt, pfn);
	}
	*pfn = del_lowest_from_free_list(z, o, from);
	expand(z, block, order, o, from);
	return true;
}

/* What a kind of page asks of the allocator (its GFP flags). */
struct alloc_class {
	int mt;              /* the migratetype it wants */
	bool movable_zone;   /* may come from ZONE_MOVABLE (__GFP_MOVABLE) */
	bool cma;            /* may come from CMA pageblocks */
};

static struct alloc_class alloc_class_of(const struct mhp_machine *m, enum page_kind kind, bool pinned)
{
	if (m->mutant == MUTANT_KERNEL_ALLOC_FROM_MOVABLE && !kind_is_movable(kind))
		return (struct alloc_class){ MIGRATE_UNMOVABLE, true, false };   /* the bug */
	switch (kind) {
	case PG_ANON:
	case PG_FILE:
	case PG_HUGETLB:
		/* Long-term pinned pages never stay in ZONE_MOVABLE or CMA (folio_is_longterm_pinnable). */
		return (struct alloc_class){ MIGRATE_MOVABLE, !pinned, !pinned };
	case PG_SLAB_RECLAIMABLE:
		return (struct alloc_class){ MIGRATE_RECLAIMABLE, false, false };   /* __GFP_RECLAIMABLE */
	default:
		return (struct alloc_class){ MIGRATE_UNMOVABLE, false, false };
	}
}


/* Fault injection: the armed allocations fail (scenario step fail_alloc; the kernel's fail_page_alloc). */
static bool injected_failure(struct mhp_machine *m)
{
	return should_fail(m, &m->fail_page_alloc, "page allocation");
}

/* One zone: the wanted type, then CMA for movable pages, then the fallbacks. */
static bool zone_alloc(struct mhp_machine *m, struct zone *z, unsigned order, struct alloc_class c, uint64_t *pfn)
{
	if (z->free_pages < (1ull << order))
		return false;
	if (rmqueue_smallest(m, z, order, c.mt, pfn))
		return true;
	if (c.cma && rmqueue_smallest(m, z, order, MIGRATE_CMA, pfn))
		return true;
	return rmqueue_fallback(m, z, order, c.mt, pfn);
}

/* The node's zones from the highest the class may use down to DMA (the zonelist). */
static bool node_alloc(struct mhp_machine *m, int nid, unsigned order, struct alloc_class c, uint64_t skip_lo,
		       uint64_t skip_hi, uint64_t *pfn)
{
	for (int zid = c.movable_zone ? ZONE_MOVABLE : ZONE_NORMAL; zid >= ZONE_DMA; zid--) {
		struct zone *z = &m->nodes[nid].zones[zid];
		if (!zone_alloc(m, z, order, c, pfn))
			continue;
		if (*pfn + (1ull << order) > skip_lo && *pfn < skip_hi) {
			/* Isolated pageblocks are never on these lists; a target inside the range is a bug. */
			MHP_ASSERT(!"allocation inside an isolated range");
		}
		return true;
	}
	return false;
}

/*
 * Models __alloc_pages(): the preferred node first, then the others in
 * order (distances are not modelled); no watermark checks, no reclaim. Returns
 * -ENOMEM when no zone has a block.
 */
static int alloc_pages_class(struct mhp_machine *m, int nid, unsigned order, struct alloc_class c, int skip_nid,
			     uint64_t *pfn)
{
	if (injected_failure(m))
		return -ENOMEM;
	for (int i = -1; i < MAX_NUMNODES; i++) {
		int n = i < 0 ? nid : i;
		if (n < 0 || (i >= 0 && n == nid) || n == skip_nid || !m->nodes[n].online)
			continue;
		if (node_alloc(m, n, order, c, 0, 0, pfn))
			return 0;
	}
	return -ENOMEM;
}

/* Marks an allocation's pages: the first is the head and carries the order. */
static int mark_allocated(struct mhp_machine *m, uint64_t pfn, unsigned order, enum page_kind kind)
{
	return set_page_allocs(m, pfn, 1ull << order, order, kind);
}

int alloc_pages_node(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn)
{
	int ret = alloc_pages_class(m, nid, order, alloc_class_of(m, kind, false), -1, pfn);
	return ret ? ret : mark_allocated(m, *pfn, order, kind);
}

/*
 * Takes a block like an existing page's (a migration target, a workload's
 * page): the same kind, never on skip_nid unless alone. Off the free lists
 * only: the caller writes it (set_page_allocs_owned) before anything reads it.
 */
int alloc_pages_take(struct mhp_machine *m, int nid, int skip_nid, unsigned order, enum page_kind kind, bool pinned,
		     uint64_t *pfn)
{
	return alloc_pages_class(m, nid, order, alloc_class_of(m, kind, pinned), skip_nid, pfn);
}

/*
 * Up to nr order-0 allocations like alloc_pages_take(), as one run, taken
 * off the free lists but not yet written: the first page as that call gives
 * it, then as many of the split tail's pages as the same calls would get,
 * which nothing between them can change (fault injection's countdown
 * included). 0 and [*pfn, *pfn + *got), which the caller writes
 * (set_page_allocs_owned) before anything reads it, or -ENOMEM as the first
 * call fails. The reference path takes one page.
 */
int alloc_pages_run_take(struct mhp_machine *m, int nid, int skip_nid, enum page_kind kind, bool pinned, uint64_t nr,
			 uint64_t *pfn, uint64_t *got)
{
	MHP_ASSERT(nr > 0);
	m->split_tail.zone = NULL;
	m->split_tail.want = m->pagewise ? 0 : nr - 1;
	int ret = alloc_pages_class(m, nid, 0, alloc_class_of(m, kind, pinned), skip_nid, pfn);
	m->split_tail.want = 0;
	if (ret)
		return ret;
	uint64_t more = m->split_tail.zone ? m->split_tail.taken : 0;
	if (more && m->fail_page_alloc.after >= 0)
		m->fail_page_alloc.after -= (int64_t)more;
	*got = 1 + more;
	return 0;
}

/* The type a free gives a page freed at pfn. */
static int free_mt(const struct mhp_machine *m, uint64_t pfn)
{
	return m->mutant == MUTANT_FREE_TO_WRONG_LIST ? MIGRATE_MOVABLE : get_pageblock_migratetype(m, pfn);
}

/*
 * Models free_pages(): the pages must hold what the caller says (freeing a
 * page as something it is not is a bug the invariants report), and never
 * come from an altmap: a block's own memmap pages are not the buddy's.
 */
void free_pages_kind(struct mhp_machine *m, uint64_t pfn, unsigned order, enum page_kind kind)
{
	uint64_t n = 1ull << order, i = kind == PG_VMEMMAP_ALTMAP ? 0 : pages_of_kind(m, pfn, n, kind);
	if (i < n) {   /* the first page that is not kind (an altmap's: the first) */
		m->nr_bad_frees++;
		struct mhp_trace_field f[] = { TF_X("pfn", pfn + i) };
		TRACE(m, "bad_free", f, "pfn %#llx freed as a page it does not hold", (unsigned long long)(pfn + i));
		/* The report is made; the altmap's pages leave it as vmem_altmap_free() would have them. */
		if (kind == PG_VMEMMAP_ALTMAP && page_kind_of(m, pfn) == kind)
			set_page_kinds(m, pfn, n, PG_FREE);
		return;
	}
	/* A memblock page freed this way (free_hotplug_page_range) joins the buddy uncounted, as in 6.12. */
	set_page_kinds(m, pfn, n, PG_FREE);
	__free_one_page(m, pfn, order, free_mt(m, pfn));
}

/* Models free_reserved_page()'s count: a memblock page freed to the buddy is managed from now on (MemTotal grows). */
void adjust_managed_page_count_pfn(struct mhp_machine *m, uint64_t pfn, int64_t nr)
{
	adjust_managed_page_count(m, pfn_zone(m, pfn), nr);
}

void free_reserved_pages(struct mhp_machine *m, uint64_t pfn, uint64_t n, const char *what)
{
	enum page_kind kind = page_kind_of(m, pfn);
	for (uint64_t i = 0; i < n; i++) {
		tlb_note_free(m, pfn + i, 1, what);
		free_pages_kind(m, pfn + i, 0, kind);
	}
	adjust_managed_page_count_pfn(m, pfn, (int64_t)n);
}

/* Frees an allocation by its head page, whatever it holds. */
void free_pages_owned(struct mhp_machine *m, uint64_t pfn, unsigned order)
{
	free_pages_kind(m, pfn, order, page_kind_of(m, pfn));
}

/* The largest order, up to cap, of a block that ends at end and starts at or after pfn: aligned_order() from the top. */
static unsigned aligned_order_below(uint64_t end, uint64_t pfn, unsigned cap)
{
	return order_fitting(end, end > pfn ? end - pfn : 0, cap);
}

/*
 * Frees [pfn, pfn + nr), order-0 pages of one section already written
 * free, to the buddy as __free_one_page() on each would, upwards or (down)
 * downwards. Within a pageblock every page goes to the same list, and an
 * aligned block of them merges only inside itself until its last page is
 * freed (the top one upwards, the bottom one downwards), then outward as
 * __free_one_page() of the whole block would. So each pageblock's share is
 * freed as its largest aligned blocks, in that order; its type is read when
 * its turn comes, as the first of its pages would read it.
 */
static void free_run_to_buddy(struct mhp_machine *m, uint64_t pfn, uint64_t nr, bool down)
{
	uint64_t pb = 1ull << m->pageblock_order, lo = pfn, hi = pfn + nr;
	unsigned cap = m->pageblock_order;
	while (lo < hi) {
		/* The next pageblock's share [start, stop): the lowest one upwards, the highest downwards. */
		uint64_t start = down && ((hi - 1) & ~(pb - 1)) > lo ? (hi - 1) & ~(pb - 1) : lo;
		uint64_t stop = !down && (lo | (pb - 1)) + 1 < hi ? (lo | (pb - 1)) + 1 : hi;
		int mt = free_mt(m, start);
		/* A pageblock's pages share a section, so one zone unless the section's zones split. */
		const struct mem_section *ms = __pfn_to_section(m, start);
		struct zone *z = ms && !(ms->flags & SECTION_ZONES_SPLIT) ? pfn_zone(m, start) : NULL;
		for (uint64_t a = start, b = stop; a < b;) {   /* blocks from the bottom upwards, from the top downwards */
			unsigned o = down ? aligned_order_below(b, a, cap) : aligned_order(a, b, cap);
			uint64_t block = down ? b - (1ull << o) : a;
			free_one_page_in(m, z ? z : pfn_zone(m, block), block, o, mt);
			if (down)
				b = block;
			else
				a = block + (1ull << o);
		}
		if (down)
			hi = start;
		else
			lo = stop;
	}
}

/*
 * Frees [pfn, pfn + nr), order-0 allocations of one section, as free_pages_owned()
 * on each in ascending order would (free_run_to_buddy()). The reference
 * path frees page by page.
 */
void free_pages_run(struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	MHP_ASSERT(nr > 0 && pfn_to_section_nr(m, pfn) == pfn_to_section_nr(m, pfn + nr - 1));
	if (m->pagewise) {
		for (uint64_t i = 0; i < nr; i++)
			free_pages_owned(m, pfn + i, 0);
		return;
	}
	free_single_pages(m, pfn, nr);
	free_run_to_buddy(m, pfn, nr, false);
}

struct block_walk {
	uint64_t lo, hi;
	int to_mt;                   /* MIGRATE_TYPES: take the blocks out */
	uint64_t pages;
};

/* Moves (or takes) the free blocks of [lo, hi) of one zone: each list is searched by binary search. */
static void zone_blocks(struct mhp_machine *m, struct zone *z, struct block_walk *w)
{
	for (unsigned o = 0; o <= max_order(m); o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct free_list *fl = &z->free_area[o][mt];
			bool found;
			/* Descending: blocks below hi start at index of hi-1 and run while >= lo. */
			uint32_t i = fl_search(fl, w->hi - 1, &found);
			uint32_t j = i;
			while (j < fl->n && fl->pfn[j] >= w->lo)
				j++;
			if (j == i || mt == w->to_mt)
				continue;
			uint32_t count = j - i;
			w->pages += (uint64_t)count << o;
			/* The usual case: the slice goes whole, one move out and (if it moves) one in. */
			if (w->to_mt == MIGRATE_TYPES || fl_splice(&z->free_area[o][w->to_mt], &fl->pfn[i], count)) {
				fl_cut(fl, i, j);
				if (!fl->n)
					z->nonempty[mt] &= (uint16_t)~(1u << o);
				if (w->to_mt < MIGRATE_TYPES)
					z->nonempty[w->to_mt] |= (uint16_t)(1u << o);
				else
					z->free_pages -= (uint64_t)count << o;
				continue;
			}
			uint64_t moved[64];
			for (uint32_t k = 0; k < count;) {
				uint32_t batch = count - k < 64 ? count - k : 64;
				memcpy(moved, &fl->pfn[i], batch * sizeof(uint64_t));
				for (uint32_t b = 0; b < batch; b++) {
					del_from_free_list(z, moved[b], o, mt);
					if (w->to_mt < MIGRATE_TYPES)
						add_to_free_list(z, moved[b], o, w->to_mt);
				}
				k += batch;
			}
		}
	}
}

static uint64_t walk_zone_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int to_mt)
{
	struct block_walk w = { .lo = start_pfn, .hi = end_pfn, .to_mt = to_mt };
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (zone_intersects(&m->nodes[nid].zones[zid], start_pfn, end_pfn - start_pfn))
				zone_blocks(m, &m->nodes[nid].zones[zid], &w);
	return w.pages;
}

/* Models move_freepages(): every free block inside [start, end) to the lists of mt. */
uint64_t move_free_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int mt)
{
	return walk_zone_blocks(m, start_pfn, end_pfn, mt);
}

/* Puts [pfn, end) back on the free lists as the largest aligned blocks, without merging. */
static void add_aligned_blocks(struct zone *z, uint64_t pfn, uint64_t end, int mt)
{
	while (pfn < end) {
		unsigned o = 0;
		while (o < MAX_ORDER_LIMIT && is_aligned(pfn, 2ull << o) && pfn + (2ull << o) <= end)
			o++;
		add_to_free_list(z, pfn, o, mt);
		pfn += 1ull << o;
	}
}

/*
 * Splits the free block that straddles pfn, if there is one, so that a block
 * starts at pfn: what isolating a range inside a larger free block does first
 * (isolate_single_pageblock() -> split_free_page()).
 */
void split_free_block_at(struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || ms->zone == NO_ZONE || !online_section(ms))
		return;
	struct zone *z = &m->nodes[ms->nid].zones[page_zone_id(m, ms, pfn)];
	for (unsigned o = 1; o <= max_order(m); o++) {
		uint64_t start = pfn & ~((1ull << o) - 1);
		if (start == pfn)
			continue;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			if (!del_from_free_list(z, start, o, mt))
				continue;
			add_aligned_blocks(z, start, pfn, mt);
			add_aligned_blocks(z, pfn, start + (1ull << o), mt);
			return;
		}
	}
}

/* Takes every free block inside [start, end) out of the buddy (__offline_isolated_pages). */
uint64_t take_free_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	return walk_zone_blocks(m, start_pfn, end_pfn, MIGRATE_TYPES);
}

/* True if pfn lies in a free buddy block of its zone. */
bool page_is_free(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || ms->zone == NO_ZONE || !online_section(ms))
		return false;
	const struct zone *z = &m->nodes[ms->nid].zones[page_zone_id(m, ms, pfn)];
	for (unsigned o = 0; o <= max_order(m); o++) {
		uint64_t start = pfn & ~((1ull << o) - 1);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			bool found;
			fl_search(&z->free_area[o][mt], start, &found);
			if (found)
				return true;
		}
	}
	return false;
}

/*
 * Models drain_all_pages() (and zone_pcp_disable() before an offline): the
 * pages the per-cpu lists hold go back to the buddy allocator. The model's
 * per-cpu lists are the pages a running step holds (kernel_step_begin()).
 */
void drain_all_pages(struct mhp_machine *m)
{
	while (m->nr_transient) {
		/*
		 * Last taken, first freed: pages that follow one another downwards
		 * (a run taken upwards) are freed as a run, downwards
		 * (free_run_to_buddy()). The reference path frees page by page.
		 */
		uint64_t top = m->transient[m->nr_transient - 1], n = 1;
		while (!m->pagewise && n < m->nr_transient && m->transient[m->nr_transient - 1 - n] == top - n &&
		       pfn_to_section_nr(m, top - n) == pfn_to_section_nr(m, top))
			n++;
		if (n == 1 || pages_of_kind(m, top + 1 - n, n, PG_KERNEL) < n) {   /* a bad free reports itself, page by page */
			for (uint64_t k = 0; k < n; k++)
				free_pages_kind(m, m->transient[--m->nr_transient], 0, PG_KERNEL);
			continue;
		}
		free_single_pages(m, top + 1 - n, n);
		free_run_to_buddy(m, top + 1 - n, n, true);
		m->nr_transient -= n;
	}
}

/* ---- watermarks and zonelists ----------------------------------------------
 * What boot sets and online_pages() / offline_pages() recompute: the
 * watermarks from min_free_kbytes (init_per_zone_wmark_min), and, when a zone
 * becomes populated or empty, the zonelists (build_all_zonelists) with the
 * kernel's three lines. The lists themselves are not kept: a node's fallback
 * order is printed, and a walk of the local zonelist is a walk of every
 * populated zone of the nodes with memory, which that circular list holds.
 * Allocations do not consult the watermarks (no reclaim in the model).
 */

#define SWAP_CLUSTER_MAX 32
#define MIGRATE_PCPTYPES 3                 /* unmovable, movable, reclaimable */
#define WATERMARK_SCALE_FACTOR 10          /* vm.watermark_scale_factor's default */
#define LOCAL_DISTANCE 10                  /* no distance-map in the DT: numa_alloc_distance()'s */
#define REMOTE_DISTANCE 20
#define PENALTY_FOR_NODE_WITH_CPUS 1

/* node_state(nid, N_MEMORY): the node has present pages (node_states_set_node()). */
static bool node_has_memory(const struct mhp_machine *m, int nid)
{
	return m->nodes[nid].online && m->nodes[nid].node_present_pages;
}

/* Models node_distance() without a distance-map: local or remote. */
static int node_distance(int a, int b)
{
	return a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

/* Models nr_free_zone_pages(): managed pages above the high watermark, zones up to highest. */
static uint64_t nr_free_zone_pages(const struct mhp_machine *m, int highest)
{
	uint64_t sum = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid <= highest && node_has_memory(m, nid); zid++) {
			const struct zone *z = &m->nodes[nid].zones[zid];
			if (populated_zone(z) && z->managed_pages > high_wmark_pages(z))
				sum += z->managed_pages - high_wmark_pages(z);
		}
	return sum;
}

/* Models nr_free_buffer_pages(): gfp_zone(GFP_USER) is ZONE_NORMAL. */
static uint64_t nr_free_buffer_pages(const struct mhp_machine *m)
{
	return nr_free_zone_pages(m, ZONE_NORMAL);
}

/* Models find_next_best_node(): the local node if it has memory, then the nearest unused one. */
static int find_next_best_node(const struct mhp_machine *m, int node, bool used[MAX_NUMNODES],
			       const unsigned node_load[MAX_NUMNODES])
{
	if (!used[node] && node_has_memory(m, node)) {
		used[node] = true;
		return node;
	}
	int best = -1;
	uint64_t min_val = UINT64_MAX;
	for (int n = 0; n < MAX_NUMNODES; n++) {
		if (used[n] || !node_has_memory(m, n))
			continue;
		uint64_t val = (uint64_t)node_distance(node, n) + (n < node) +
			       (m->nodes[n].has_cpu ? PENALTY_FOR_NODE_WITH_CPUS : 0);
		val = val * MAX_NUMNODES + node_load[n];
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		used[best] = true;
	return best;
}

/* Models build_zonerefs_node()'s check_highest_zone(): ZONE_MOVABLE never becomes the policy zone. */
static void check_highest_zones(struct mhp_machine *m, int nid)
{
	for (int zid = 0; zid < MAX_NR_ZONES; zid++)
		if (populated_zone(&m->nodes[nid].zones[zid]) && zid > m->policy_zone && zid != ZONE_MOVABLE)
			m->policy_zone = zid;
}

/* Models build_zonelists() (CONFIG_NUMA): the node order, as the kernel prints it. */
static void build_zonelists(struct mhp_machine *m, int local, unsigned node_load[MAX_NUMNODES])
{
	bool used[MAX_NUMNODES] = { false };
	char line[LOG_LINE_MAX];
	struct strbuf sb;
	sb_init(&sb, line, sizeof(line));
	sb_printf(&sb, "Fallback order for Node %d: ", local);
	int node, prev = local;
	while ((node = find_next_best_node(m, local, used, node_load)) >= 0) {
		if (node_distance(local, node) != node_distance(local, prev))
			node_load[node]++;   /* round-robin between nodes of one distance */
		check_highest_zones(m, node);
		sb_printf(&sb, "%d ", node);
		prev = node;
	}
	pr_info(m, "%s", line);
}

/*
 * Models build_all_zonelists(): every possible node's list (only the new
 * node's when nid is a node being hot-added), then the count of pages above
 * the high watermarks and the policy zone.
 */
void build_all_zonelists(struct mhp_machine *m, int nid)
{
	unsigned node_load[MAX_NUMNODES] = { 0 }, nr_online_nodes = 0;
	for (int n = 0; n < MAX_NUMNODES; n++)
		nr_online_nodes += m->nodes[n].online;
	if (nid >= 0 && !m->nodes[nid].online) {
		build_zonelists(m, nid, node_load);
	} else {
		for (int n = 0; n < MAX_NUMNODES; n++)
			if (m->nodes[n].possible)
				build_zonelists(m, n, node_load);
	}

	uint64_t vm_total_pages = nr_free_zone_pages(m, ZONE_MOVABLE);   /* gfp_zone(GFP_HIGHUSER_MOVABLE) */
	bool grouping = vm_total_pages >= (1ull << m->pageblock_order) * MIGRATE_TYPES;
	pr_info(m, "Built %u zonelists, mobility grouping %s.  Total pages: %llu", nr_online_nodes,
		grouping ? "on" : "off", (unsigned long long)vm_total_pages);
	pr_info(m, "Policy zone: %s", zone_name(m->policy_zone));
}

/* Models __setup_per_zone_wmarks(): min_free_kbytes shared by the lowmem zones as they manage pages. */
static void setup_per_zone_wmarks(struct mhp_machine *m)
{
	uint64_t pages_min = (uint64_t)m->min_free_kbytes >> (m->page_shift - 10), lowmem_pages = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES && m->nodes[nid].online; zid++)
			if (zid != ZONE_MOVABLE)
				lowmem_pages += m->nodes[nid].zones[zid].managed_pages;
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES && m->nodes[nid].online; zid++) {
			struct zone *z = &m->nodes[nid].zones[zid];
			uint64_t tmp = lowmem_pages ? pages_min * z->managed_pages / lowmem_pages : 0;
			if (zid == ZONE_MOVABLE) {
				/* Movable pages serve no emergency allocation: a small minimum. */
				uint64_t min_pages = z->managed_pages / 1024;
				z->_watermark[WMARK_MIN] = min_pages < SWAP_CLUSTER_MAX ? SWAP_CLUSTER_MAX :
							   min_pages > 128 ? 128 : min_pages;
			} else {
				z->_watermark[WMARK_MIN] = tmp;
			}
			/* The distance between watermarks: a quarter of the share, or the scale factor. */
			uint64_t scaled = z->managed_pages * WATERMARK_SCALE_FACTOR / 10000;
			tmp = tmp >> 2 > scaled ? tmp >> 2 : scaled;
			z->_watermark[WMARK_LOW] = z->_watermark[WMARK_MIN] + tmp;
			z->_watermark[WMARK_HIGH] = z->_watermark[WMARK_LOW] + tmp;
			z->_watermark[WMARK_PROMO] = z->_watermark[WMARK_HIGH] + tmp;
		}
	}
}

/* Models int_sqrt(): the floor of the square root. */
static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0;
	for (uint64_t bit = 1ull << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* Models calculate_min_free_kbytes(): 4 * sqrt(lowmem kB), within [128, 262144] (no sysctl value). */
static void calculate_min_free_kbytes(struct mhp_machine *m)
{
	uint64_t lowmem_kbytes = nr_free_buffer_pages(m) << (m->page_shift - 10);
	uint64_t v = int_sqrt(lowmem_kbytes * 16);
	m->min_free_kbytes = (int)(v < 128 ? 128 : v > 262144 ? 262144 : v);
}

/*
 * Models khugepaged.c's set_recommended_min_free_kbytes(), THP enabled
 * (Debian: TRANSPARENT_HUGEPAGE_ALWAYS): eleven pageblocks per populated
 * zone up to ZONE_NORMAL, at most 5% of those zones' pages.
 */
static void set_recommended_min_free_kbytes(struct mhp_machine *m)
{
	uint64_t nr_zones = 0, pageblock = 1ull << m->pageblock_order;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid <= ZONE_NORMAL && m->nodes[nid].online; zid++)
			nr_zones += populated_zone(&m->nodes[nid].zones[zid]);
	uint64_t recommended = pageblock * nr_zones * (2 + MIGRATE_PCPTYPES * MIGRATE_PCPTYPES);
	uint64_t cap = nr_free_buffer_pages(m) / 20;
	recommended = (recommended < cap ? recommended : cap) << (m->page_shift - 10);
	if (recommended > (uint64_t)m->min_free_kbytes)
		m->min_free_kbytes = (int)recommended;
	setup_per_zone_wmarks(m);
}

/*
 * Models init_per_zone_wmark_min() (refresh_zone_stat_thresholds, the
 * lowmem reserves and the NUMA ratios change nothing the model shows);
 * khugepaged runs from boot's hugepage_init() on.
 */
static void __init_per_zone_wmark_min(struct mhp_machine *m, bool khugepaged)
{
	calculate_min_free_kbytes(m);
	setup_per_zone_wmarks(m);
	if (khugepaged)
		set_recommended_min_free_kbytes(m);   /* khugepaged_min_free_kbytes_update() */
}

/* After boot: online_pages() and offline_pages() call it. */
void init_per_zone_wmark_min(struct mhp_machine *m)
{
	__init_per_zone_wmark_min(m, true);
}

/* Boot: postcore_initcall(init_per_zone_wmark_min), then hugepage_init() starts khugepaged. */
void init_boot_watermarks(struct mhp_machine *m)
{
	__init_per_zone_wmark_min(m, false);
	set_recommended_min_free_kbytes(m);   /* start_stop_khugepaged() */
}
