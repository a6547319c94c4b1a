// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_page.c - invariants of the page allocator and of the pages workloads own.
 * What mm/page_alloc.c, mm/page_isolation.c and mm/migrate.c must keep true.
 */
#include <stdlib.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/workload.h"
#include "check/check.h"

#define FAIL(err, id, ...) mhp_err_set((err), -EUCLEAN, id ": " __VA_ARGS__)

/* ---- BUDDY ------------------------------------------------------------------- */

struct block {
	uint64_t pfn, end;
};

/*
 * A zone's blocks, list by list: each list read backwards is ascending, so
 * they are sorted by merging those runs (group g is bl[start[g], start[g + 1])).
 */
struct zone_blocks {
	struct block *bl;
	uint64_t n;
	uint64_t start[(MAX_ORDER_LIMIT + 1) * MIGRATE_TYPES + 1];
	uint32_t ng;
};

/* Merges ascending a[lo, mid) and a[mid, hi) into out[lo, hi); on equal pfns a's first half goes first. */
static void merge_blocks(const struct block *a, struct block *out, uint64_t lo, uint64_t mid, uint64_t hi)
{
	uint64_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi)
		out[k++] = a[j].pfn < a[i].pfn ? a[j++] : a[i++];
	while (i < mid)
		out[k++] = a[i++];
	while (j < hi)
		out[k++] = a[j++];
}

/*
 * Sorts the blocks by pfn, stably (the order qsort()'s merge sort gives), by
 * merging neighbouring groups until one is left: a few passes over them.
 */
static int sort_zone_blocks(struct zone_blocks *zb)
{
	struct block *tmp = zb->ng > 1 ? malloc(zb->n * sizeof(*tmp)) : NULL;
	if (zb->ng > 1 && !tmp)
		return -ENOMEM;
	while (zb->ng > 1) {
		uint32_t ng = 0;
		for (uint32_t g = 0; g < zb->ng; g += 2) {
			uint64_t lo = zb->start[g], mid = zb->start[g + 1 < zb->ng ? g + 1 : zb->ng];
			uint64_t hi = zb->start[g + 2 < zb->ng ? g + 2 : zb->ng];
			merge_blocks(zb->bl, tmp, lo, mid, hi);
			zb->start[ng++] = lo;
		}
		zb->start[ng] = zb->n;
		zb->ng = ng;
		struct block *t = zb->bl;
		zb->bl = tmp;
		tmp = t;
	}
	free(tmp);
	return 0;
}

/* Every block of one zone: aligned, inside online sections of the zone, in the list of its pageblock's type. */
static int check_zone_lists(const struct mhp_machine *m, int nid, int zid, struct zone_blocks *zb,
			    struct mhp_err *err)
{
	const struct zone *z = &m->nodes[nid].zones[zid];
	uint64_t pages = 0, n = 0, cap = 64;
	struct block *bl = malloc(cap * sizeof(*bl));
	if (!bl)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	zb->ng = 0;
	MHP_ASSERT(m->max_page_order <= MAX_ORDER_LIMIT);   /* a group a list: start[] holds them all */
	for (unsigned o = 0; o <= m->max_page_order; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			const struct free_list *fl = &z->free_area[o][mt];
			if (!fl->n != !(z->nonempty[mt] >> o & 1)) {
				free(bl);
				return FAIL(err, "BUDDY", "node %d zone %s: the order-%u list of type %d holds %u blocks but is "
					    "marked %s", nid, zone_name(zid), o, mt, fl->n, fl->n ? "empty" : "non-empty");
			}
			if (fl->n)
				zb->start[zb->ng++] = n;
			for (uint32_t i = fl->n; i-- > 0;) {   /* lowest first: the group is ascending */
				uint64_t pfn = fl->pfn[i];
				const struct mem_section *ms = __pfn_to_section(m, pfn);
				int ret = 0;
				if (!is_aligned(pfn, 1ull << o))
					ret = FAIL(err, "BUDDY", "node %d zone %s: order-%u block at pfn %#llx is not aligned", nid,
						   zone_name(zid), o, (unsigned long long)pfn);
				else if (!online_section(ms) || page_zone_id(m, ms, pfn) != zid || ms->nid != nid)
					ret = FAIL(err, "BUDDY", "node %d zone %s: free block at pfn %#llx lies outside the zone's "
						   "online memory", nid, zone_name(zid), (unsigned long long)pfn);
				else if (get_pageblock_migratetype(m, pfn) != mt)
					ret = FAIL(err, "BUDDY", "node %d zone %s: block at pfn %#llx is on list %d but its pageblock "
						   "is type %d", nid, zone_name(zid), (unsigned long long)pfn, mt,
						   get_pageblock_migratetype(m, pfn));
				if (ret) {
					free(bl);
					return ret;
				}
				if (n == cap) {
					struct block *nb = realloc(bl, (cap *= 2) * sizeof(*bl));
					if (!nb) {
						free(bl);
						return mhp_err_set(err, -ENOMEM, "out of memory");
					}
					bl = nb;
				}
				bl[n++] = (struct block){ pfn, pfn + (1ull << o) };
				pages += 1ull << o;
			}
		}
	}
	if (pages != z->free_pages) {
		free(bl);
		return FAIL(err, "BUDDY", "node %d zone %s: the free lists hold %llu pages but NR_FREE_PAGES says %llu", nid,
			    zone_name(zid), (unsigned long long)pages, (unsigned long long)z->free_pages);
	}
	zb->start[zb->ng] = n;
	zb->bl = bl;
	zb->n = n;
	return 0;
}

/*
 * Whether an aligned block of n pages at page i of ms holds no allocated
 * page: one word's bits for a small block, the OR of its whole words for a
 * large one (64 pages and up start a word). Its callers have checked the
 * alignment: BUDDY names a misaligned block before it asks.
 */
static bool block_map_clear(const struct mem_section *ms, uint64_t i, uint64_t n)
{
	if (!ms->alloc_map)
		return true;
	if (n < 64)
		return !(ms->alloc_map[i / 64] >> (i % 64) & ((1ull << n) - 1));
	uint64_t any = 0;
	for (uint64_t w = i / 64; w < (i + n) / 64; w++)
		any |= ms->alloc_map[w];
	return !any;
}

/* The first page of the free block [pfn, pfn + n) that is allocated, or pfn + n: where the first run meets the block. */
static uint64_t first_allocated(const struct mhp_machine *m, const struct mem_section *ms, uint64_t pfn, uint64_t n)
{
	MHP_ASSERT(pfn_to_section_nr(m, pfn) == pfn_to_section_nr(m, pfn + n - 1));   /* a block never spans sections */
	uint64_t i = pfn & (m->pages_per_section - 1);
	if (block_map_clear(ms, i, n))   /* the usual answer, in a word or an OR of words */
		return pfn + n;
	/* The allocation map (mm/page.c), 64 pages a word; the full walk holds it to the runs. */
	for (uint64_t k = i; k < i + n; k = (k | 63) + 1) {
		uint64_t word = ms->alloc_map[k / 64] >> (k % 64);
		if (word) {
			uint64_t at = k + (uint64_t)__builtin_ctzll(word) - i;
			return pfn + (at < n ? at : n);
		}
	}
	return pfn + n;
}

/* Free blocks never overlap one another or an allocated page. */
static int check_blocks_disjoint(const struct mhp_machine *m, struct zone_blocks *zb, struct mhp_err *err)
{
	if (sort_zone_blocks(zb))
		return mhp_err_set(err, -ENOMEM, "out of memory");
	const struct block *bl = zb->bl;
	uint64_t n = zb->n;
	for (uint64_t i = 0; i < n; i++) {
		if (i && bl[i].pfn < bl[i - 1].end)
			return FAIL(err, "BUDDY", "free blocks at pfn %#llx and %#llx overlap", (unsigned long long)bl[i - 1].pfn,
				    (unsigned long long)bl[i].pfn);
		uint64_t p = first_allocated(m, __pfn_to_section(m, bl[i].pfn), bl[i].pfn, bl[i].end - bl[i].pfn);
		if (p < bl[i].end)
			return FAIL(err, "BUDDY", "pfn %#llx is both free and allocated", (unsigned long long)p);
	}
	return 0;
}

/* Whether a zone lists any block: the order masks say (BUDDY's full check holds them to the lists). */
static bool zone_lists_any(const struct zone *z)
{
	_Static_assert(MIGRATE_TYPES == 6, "every type's mask below");
	return z->nonempty[0] | z->nonempty[1] | z->nonempty[2] | z->nonempty[3] | z->nonempty[4] | z->nonempty[5];
}

/* The cheap part, after a step: each zone's lists add up to NR_FREE_PAGES (the nodes check_reads_node() names). */
int check_buddy_counts(const struct mhp_machine *m, struct mhp_err *err)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (int zid = 0; check_reads_node(m, nid, false) && zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &m->nodes[nid].zones[zid];
			uint64_t pages = 0;
			if (!z->free_pages && !zone_lists_any(z))
				continue;   /* nothing listed, nothing counted */
			/* Only the lists the order masks mark; BUDDY's full check holds the masks to the lists. */
			for (int mt = 0; mt < MIGRATE_TYPES; mt++)
				for (unsigned bits = z->nonempty[mt], o; bits; bits &= bits - 1) {
					o = (unsigned)__builtin_ctz(bits);
					pages += (uint64_t)z->free_area[o][mt].n << o;
				}
			if (pages != z->free_pages)
				return FAIL(err, "BUDDY", "node %d zone %s: the free lists hold %llu pages but NR_FREE_PAGES "
					    "says %llu", nid, zone_name(zid), (unsigned long long)pages,
					    (unsigned long long)z->free_pages);
		}
	}
	return 0;
}

/* One listed block: aligned, in the zone's online memory, on its pageblock's list, not allocated. */
static int check_block(const struct mhp_machine *m, const struct mem_section *ms, int nid, int zid, uint64_t pfn,
		       unsigned o, int mt, struct mhp_err *err)
{
	if (!is_aligned(pfn, 1ull << o))
		return FAIL(err, "BUDDY", "node %d zone %s: order-%u block at pfn %#llx is not aligned", nid, zone_name(zid),
			    o, (unsigned long long)pfn);
	if (!online_section(ms) || page_zone_id(m, ms, pfn) != zid || ms->nid != nid)
		return FAIL(err, "BUDDY", "node %d zone %s: free block at pfn %#llx lies outside the zone's online memory",
			    nid, zone_name(zid), (unsigned long long)pfn);
	if (section_pageblock_mt(m, ms, pfn) != mt)
		return FAIL(err, "BUDDY", "node %d zone %s: block at pfn %#llx is on list %d but its pageblock is type %d",
			    nid, zone_name(zid), (unsigned long long)pfn, mt, section_pageblock_mt(m, ms, pfn));
	uint64_t p = first_allocated(m, ms, pfn, 1ull << o);
	if (p < pfn + (1ull << o))
		return FAIL(err, "BUDDY", "pfn %#llx is both free and allocated", (unsigned long long)p);
	return 0;
}

/* The first index of a descending list whose pfn is below pfn. */
static uint32_t fl_first_below(const struct free_list *fl, uint64_t pfn)
{
	uint32_t lo;
	PARTITION_POINT(lo, fl->n, k, fl->pfn[k] >= pfn);
	return lo;
}

/* The blocks one zone lists inside pfns [plo, phi): only the lists the order masks mark. */
static int check_zone_range(const struct mhp_machine *m, int nid, int zid, uint64_t plo, uint64_t phi,
			    struct mhp_err *err)
{
	const struct zone *z = &m->nodes[nid].zones[zid];
	int ret = 0;
	for (int mt = 0; !ret && mt < MIGRATE_TYPES; mt++) {
		for (unsigned bits = z->nonempty[mt], o; !ret && bits; bits &= bits - 1) {
			o = (unsigned)__builtin_ctz(bits);
			const struct free_list *fl = &z->free_area[o][mt];
			if (!fl->n || fl->pfn[0] < plo || fl->pfn[fl->n - 1] >= phi)
				continue;   /* every block below the range, or every one past it */
			const struct mem_section *ms = NULL;   /* the last block's: a list's blocks share few sections */
			bool whole = false;   /* ms online, of this node, all of it in this zone */
			const uint64_t *pfns = fl->pfn;
			uint64_t section = UINT64_MAX;
			for (uint32_t i = fl_first_below(fl, phi), n = fl->n; i < n && pfns[i] >= plo; i++) {
				uint64_t pfn = pfns[i];
				if (pfn_to_section_nr(m, pfn) != section) {
					section = pfn_to_section_nr(m, pfn);
					ms = __pfn_to_section(m, pfn);
					whole = online_section(ms) && ms->nid == nid && !(ms->flags & SECTION_ZONES_SPLIT) &&
						ms->zone == zid;
				}
				/* What check_block() asks, in a few words; it names what is wrong when one fails. */
				if (whole && is_aligned(pfn, 1ull << o) && section_pageblock_mt(m, ms, pfn) == mt &&
				    block_map_clear(ms, pfn & (m->pages_per_section - 1), 1ull << o))
					continue;
				if ((ret = check_block(m, ms, nid, zid, pfn, o, mt, err)))
					break;
			}
		}
	}
	return ret;
}

/*
 * The blocks listed inside any of n physical ranges (a step's touched
 * ones), range by range as check_buddy_range() on each would go: the zones
 * that list something are found once, not once a range. The counts are
 * check_buddy_counts, run once per step.
 */
int check_buddy_ranges(const struct mhp_machine *m, const uint64_t (*r)[2], uint32_t n, struct mhp_err *err)
{
	int ret = 0, listed[MAX_NUMNODES * MAX_NR_ZONES], nr_listed = 0;
	for (int i = 0; n && i < MAX_NUMNODES * MAX_NR_ZONES; i++)
		if (check_reads_node(m, i / MAX_NR_ZONES, false) &&
		    zone_lists_any(&m->nodes[i / MAX_NR_ZONES].zones[i % MAX_NR_ZONES]))
			listed[nr_listed++] = i;
	for (uint32_t k = 0; !ret && k < n; k++) {
		uint64_t plo = PHYS_PFN(m, r[k][0]), phi = r[k][1] == UINT64_MAX ? UINT64_MAX : PHYS_PFN(m, r[k][1]);
		for (int j = 0; !ret && r[k][0] < r[k][1] && j < nr_listed; j++) {
			int nid = listed[j] / MAX_NR_ZONES, zid = listed[j] % MAX_NR_ZONES;
			if (zone_intersects(&m->nodes[nid].zones[zid], plo, phi - plo))
				ret = check_zone_range(m, nid, zid, plo, phi, err);
		}
	}
	return ret;
}

/* The blocks listed inside physical [lo, hi). */
int check_buddy_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	const uint64_t r[1][2] = { { lo, hi } };
	return check_buddy_ranges(m, r, 1, err);
}

/* The free lists are consistent: aligned, typed, disjoint, in the zone, and they add up. */
int check_buddy(const struct mhp_machine *m, struct mhp_err *err)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone_blocks zb = { 0 };
			int ret = check_zone_lists(m, nid, zid, &zb, err);
			if (!ret)
				ret = check_blocks_disjoint(m, &zb, err);
			free(zb.bl);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- ISOLATION-CLEAN --------------------------------------------------------------- */

struct iso_walk {
	struct mhp_err *err;
	int ret;
};

static int isolation_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct iso_walk *w = arg;
	for (uint64_t b = 0; ms->pb_mt && b < m->pages_per_section >> m->pageblock_order; b++)
		if (ms->pb_mt[b] == MIGRATE_ISOLATE)
			return w->ret = FAIL(w->err, "ISOLATION-CLEAN", "the pageblock at pfn %#llx is still isolated",
					     (unsigned long long)(section_nr_to_pfn(m, nr) + (b << m->pageblock_order)));
	return 0;
}

/*
 * No pageblock stays MIGRATE_ISOLATE once an operation has returned
 * (sections s0..s1). The whole walk also holds the machine's count of
 * isolated pageblocks, which the check after a step trusts, to the
 * pageblocks: none found, none counted.
 */
int check_isolation_clean(const struct mhp_machine *m, uint64_t s0, uint64_t s1, struct mhp_err *err)
{
	struct iso_walk w = { .err = err };
	for_each_present_section(m, s0, s1, isolation_cb, &w);
	if (!w.ret && s0 == 0 && s1 == UINT64_MAX && m->nr_isolated_pageblocks)
		w.ret = FAIL(err, "ISOLATION-CLEAN", "the machine counts %llu isolated pageblocks but its sections hold none",
			     (unsigned long long)m->nr_isolated_pageblocks);
	return w.ret;
}

/* ---- ZONE-MOVABLE and DATA-LOST ------------------------------------------------------ */

struct page_walk {
	struct mhp_err *err;
	uint64_t tagged;
	uint64_t lo, hi;          /* pfns to look at */
	bool full;
	bool locate;              /* look each tag up, to name the page the digests disagree on */
	uint64_t digest;          /* of the (tag, pfn) pairs the pages hold */
	int ret;
};

/* The full walk holds a section's counts (mm/page.c) to its pages: the check after a step trusts them. */
static int section_counts_agree(uint64_t nr, const struct mem_section *ms, uint64_t tagged, uint64_t barred,
				struct page_walk *w)
{
	if (tagged != ms->nr_tagged)
		return w->ret = FAIL(w->err, "DATA-LOST", "section %llu counts %u tagged pages but holds %llu",
				     (unsigned long long)nr, ms->nr_tagged, (unsigned long long)tagged);
	if (barred != ms->nr_barred)
		return w->ret = FAIL(w->err, "ZONE-MOVABLE", "section %llu counts %u pages that ZONE_MOVABLE may not hold "
				     "but holds %llu", (unsigned long long)nr, ms->nr_barred, (unsigned long long)barred);
	return 0;
}

/*
 * The bits set in x, by halves, nibbles and bytes: the baseline x86-64 has
 * no popcount instruction, and __builtin_popcountll() is then a libgcc call a word.
 */
static inline uint64_t bits_set(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (x * 0x0101010101010101ull) >> 56;
}

/* The allocation map BUDDY's check reads says what the runs say: their pages' bits set, and no other. */
static int alloc_map_agrees(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, struct page_walk *w)
{
	uint64_t set = 0, held = 0;
	for (uint64_t k = 0; ms->alloc_map && k < m->pages_per_section / 64; k++)
		set += bits_set(ms->alloc_map[k]);
	for (struct run_iter it = section_runs_from(ms, 0); it.r; run_iter_next(&it)) {
		held += it.r->hi - it.r->lo;
		for (uint64_t p = it.r->lo; p < it.r->hi; p = (p | 63) + 1) {
			uint64_t want = alloc_map_bits(p, it.r->hi);
			if ((ms->alloc_map[p / 64] & want) != want)
				set = UINT64_MAX;   /* an allocated page the map calls free */
		}
	}
	if (set != held || held != ms->nr_alloc)
		return w->ret = FAIL(w->err, "BUDDY", "section %llu's allocation map marks %lld pages, its runs hold %llu and "
				     "it counts %u allocated", (unsigned long long)nr, set == UINT64_MAX ? -1ll : (long long)set,
				     (unsigned long long)held, ms->nr_alloc);
	return 0;
}

static int pages_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct page_walk *w = arg;
	uint64_t base = section_nr_to_pfn(m, nr);
	uint64_t first = w->lo > base ? w->lo - base : 0;
	uint64_t last = w->hi - base < m->pages_per_section ? w->hi - base : m->pages_per_section;
	/* After a step, only a section whose counts show a page that breaks a rule is read, to name that page. */
	bool suspect = (ms->zone == ZONE_MOVABLE && ms->nr_barred) || (!online_section(ms) && ms->nr_tagged);
	if (!w->full && !suspect)
		return 0;
	uint64_t tagged_before = w->tagged, barred = 0;
	bool online = online_section(ms), movable = ms->zone == ZONE_MOVABLE, digest = w->full && !w->locate;
	for (struct run_iter it = section_runs_from(ms, first); it.r && it.r->lo < last; run_iter_next(&it)) {
		const struct page_run *r = it.r;
		uint64_t a = first > r->lo ? first : r->lo, b = last < r->hi ? last : r->hi, heads = page_run_heads(r, a, b);
		struct page_state tail = page_run_tail(r);
		bool head_bars = page_bars_zone_movable(&r->head), tail_bars = page_bars_zone_movable(&tail);
		barred += heads * head_bars + (b - a - heads) * tail_bars;
		/* A barred page in ZONE_MOVABLE: the run's first such page here (a head or a tail). */
		uint64_t next_head = page_run_next_head(r, a), bad = b;
		if (movable && head_bars)
			bad = next_head;
		if (movable && tail_bars && next_head != a)
			bad = a;
		else if (movable && tail_bars && a + 1 < b && r->order)
			bad = bad < a + 1 ? bad : a + 1;
		/*
		 * The tagged heads, in order, up to the barred page (the one before it
		 * fails first). Where nothing can fail, single pages are summed at
		 * once: their tags and pages follow one another (tag_run_mix).
		 */
		uint64_t tagged = r->head.tag && next_head < bad ? page_run_heads(r, next_head, bad) : 0;
		if (tagged && online && !w->locate && !r->order) {
			if (digest)
				w->digest += tag_run_mix(page_run_state(r, next_head).tag, base + next_head, tagged);
			w->tagged += tagged;
			tagged = 0;
		}
		for (uint64_t p = next_head; tagged && p < bad; p += 1ull << r->order) {
			struct page_state ps = page_run_state(r, p);
			uint64_t pfn = base + p, where;
			/* The range check stops at "online"; where the record points is checked in the full walk. */
			if (digest)
				w->digest += tag_record_mix(ps.tag, pfn);
			if (!online || (w->locate && (!tag_lookup(m, ps.tag, &where) || where != pfn)))
				return w->ret = FAIL(w->err, "DATA-LOST", "pfn %#llx holds tag %u, which should be %s",
						     (unsigned long long)pfn, ps.tag,
						     !online ? "on an online page" : "elsewhere (a copy)");
			w->tagged++;
		}
		if (bad < b) {
			struct page_state ps = page_run_state(r, bad);
			return w->ret = FAIL(w->err, "ZONE-MOVABLE", "pfn %#llx in ZONE_MOVABLE holds %s",
					     (unsigned long long)(base + bad),
					     page_longterm_pinned(&ps) ? "a long-term pinned page" : "an unmovable page");
		}
	}
	if (w->full && (section_counts_agree(nr, ms, w->tagged - tagged_before, barred, w) || alloc_map_agrees(m, nr, ms, w)))
		return w->ret;
	return 0;
}

/*
 * Every tag's record points at the page that holds it: the pages' (tag, pfn)
 * pairs add up to the digest the records keep (workload.c), with as many
 * pages as records (checked before). Only when they do not are the pages'
 * tags looked up one by one, to name the page whose record is wrong.
 */
static int check_tag_records(const struct mhp_machine *m, struct page_walk *w)
{
	if (m->tags.digest == w->digest)
		return 0;
	w->locate = true;
	for_each_present_section(m, 0, UINT64_MAX, pages_cb, w);
	/* Equal counts and every page's record right make the two sets equal: the walk names one. */
	MHP_ASSERT(w->ret);
	return w->ret;
}

static int tags_agree(const struct mhp_machine *m, uint64_t tagged, struct mhp_err *err)
{
	if (tagged != m->tags.count)
		return FAIL(err, "DATA-LOST", "%llu tags are live but %llu pages carry one",
			    (unsigned long long)m->tags.count, (unsigned long long)tagged);
	return 0;
}

/* Pages in ZONE_MOVABLE can move; every live tag is on exactly one online page (sections s0..s1). */
int check_pages(const struct mhp_machine *m, uint64_t s0, uint64_t s1, uint64_t lo_pfn, uint64_t hi_pfn,
		struct mhp_err *err)
{
	struct page_walk w = { .err = err, .lo = lo_pfn, .hi = hi_pfn, .full = s0 == 0 && s1 == UINT64_MAX };
	for_each_present_section(m, s0, s1, pages_cb, &w);
	if (!w.ret && w.full && w.tagged != m->nr_tagged_pages)
		w.ret = FAIL(err, "DATA-LOST", "the sections count %llu tagged pages but their pages hold %llu",
			     (unsigned long long)m->nr_tagged_pages, (unsigned long long)w.tagged);
	if (!w.ret && w.full)
		w.ret = tags_agree(m, w.tagged, err);
	if (!w.ret && w.full)
		w.ret = check_tag_records(m, &w);
	return w.ret;
}

/*
 * After a step the sections' counts (added up as they change: the full walk
 * holds them to the pages) stand for the pages: a tag lost anywhere shows at
 * once, whatever was touched.
 */
int check_tags_counted(const struct mhp_machine *m, struct mhp_err *err)
{
	return tags_agree(m, m->nr_tagged_pages, err);
}
