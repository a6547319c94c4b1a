/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sparse.h - the section table and the memmap it points to.
 * Kernel twin: mm/sparse.c (with pfn_to_page of include/asm-generic/memory_model.h).
 */
#ifndef MHPSIM_SIM_SPARSE_H
#define MHPSIM_SIM_SPARSE_H

#include "sim/machine.h"
#include "sim/page.h"

/* sparse.c */
int sparse_init(struct mhp_machine *m);
void sparse_free(struct mhp_machine *m);
struct mem_section *__nr_to_section_slow(const struct mhp_machine *m, uint64_t nr);

/* Models __nr_to_section(): NULL when the section's root was never allocated. The last root hit is tried first. */
static inline struct mem_section *__nr_to_section(const struct mhp_machine *m, uint64_t nr)
{
	const struct sparse_table *t = &m->sparse;
	unsigned shift = m->page_shift - 4;   /* a root holds PAGE_SIZE / 16 sections */
	if (t->last < t->nr_roots && t->roots[t->last].root_nr == nr >> shift)
		return &t->roots[t->last].sections[nr & ((1ull << shift) - 1)];
	return __nr_to_section_slow(m, nr);
}

static inline struct mem_section *__pfn_to_section(const struct mhp_machine *m, uint64_t pfn)
{
	return __nr_to_section(m, pfn >> m->pfn_section_shift);
}
struct mem_section *sparse_get_section(struct mhp_machine *m, uint64_t nr); /* allocates */
bool present_section(const struct mem_section *ms);
bool online_section(const struct mem_section *ms);
bool early_section(const struct mem_section *ms);
int memblocks_present(struct mhp_machine *m, struct mhp_err *err);
int sparse_add_section(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages, bool early);
void sparse_remove_section(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);
void online_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void offline_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
bool pfn_valid(const struct mhp_machine *m, uint64_t pfn);
/* Calls fn for each present section in [start_nr, end_nr) in order; stops on nonzero. */
int for_each_present_section(const struct mhp_machine *m, uint64_t start_nr, uint64_t end_nr,
			     int (*fn)(const struct mhp_machine *, uint64_t nr,
				       const struct mem_section *, void *), void *arg);
uint64_t sparse_memory_bytes(const struct mhp_machine *m);

/* The state of page i of a section that has allocated pages, in either form (read only). */
static inline const struct page_state *section_page(const struct mem_section *ms, uint64_t i)
{
	static const struct page_state free_page;
	if (ms->pages)
		return &ms->pages[i];
	if (i - ms->run_lo >= (uint64_t)(ms->run_hi - ms->run_lo))
		return &free_page;
	return (i - ms->run_lo) & ((1ull << ms->run_order) - 1) ? &ms->run_tail : &ms->run_head;
}

/* The state of a page (read only), or NULL when its section keeps none (nothing allocated in it). */
static inline const struct page_state *page_state_of(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || (!ms->pages && !ms->nr_alloc))
		return NULL;
	return section_page(ms, pfn & (m->pages_per_section - 1));
}

/* Frees the arrays sections gave back and page.c keeps for reuse (machine free). */
void page_arrays_free(struct mhp_machine *m);
/* The state of a page to write (its section's run becomes an array), or NULL as page_state_of(). */
struct page_state *page_state_mut(struct mhp_machine *m, uint64_t pfn);
/* Gives an allocated page its workload tag and references, keeping its section's counts. */
void set_page_owner(struct mhp_machine *m, uint64_t pfn, uint32_t tag, uint8_t refs);

/* set_page_owner() on p, a page of ms's array (page_state_mut()), for callers that set many. */
static inline void page_set_owner(struct mem_section *ms, struct page_state *p, uint32_t tag, uint8_t refs)
{
	struct page_state now = *p;
	now.tag = tag;
	now.refs = refs;
	ms->nr_tagged = ms->nr_tagged - (p->tag != 0) + (tag != 0);
	ms->nr_barred = ms->nr_barred - page_bars_zone_movable(p) + page_bars_zone_movable(&now);
	*p = now;
}

/*
 * page_set_owner() on n allocations of 2^order pages from p on, fresh from
 * the allocator (no tag, no reference, one kind): tags tag, tag + 1, ...
 * on their heads, and refs on each.
 */
static inline void pages_set_owners(struct mem_section *ms, struct page_state *p, uint64_t n, unsigned order,
				    uint32_t tag, uint8_t refs)
{
	struct page_state now = *p;
	now.refs = refs;
	int64_t bars = (int64_t)page_bars_zone_movable(&now) - page_bars_zone_movable(p);   /* alike on every page */
	for (uint64_t i = 0; i < n; i++) {
		struct page_state *q = p + (i << order);
		MHP_ASSERT(!q->tag && !q->refs && q->kind == p->kind);
		q->tag = tag + (uint32_t)i;
		q->refs = refs;
	}
	MHP_ASSERT(tag && n <= UINT32_MAX - tag + 1ull);
	ms->nr_tagged += (uint32_t)n;
	ms->nr_barred = (uint32_t)((int64_t)ms->nr_barred + bars * (int64_t)n);
}

/*
 * Models page_zonenum(): the zone of pfn in its section. A section zones
 * share at boot (SECTION_ZONES_SPLIT) keeps its last page's zone; a page
 * below that zone's start lies in the highest zone below it that starts at
 * or before the page.
 */
static inline int page_zone_id(const struct mhp_machine *m, const struct mem_section *ms, uint64_t pfn)
{
	int z = ms->zone;
	if (!(ms->flags & SECTION_ZONES_SPLIT))
		return z;
	while (z > 0 && pfn < m->nodes[ms->nid].zones[z].zone_start_pfn)
		z--;
	return z;
}

static inline enum page_kind page_kind_of(const struct mhp_machine *m, uint64_t pfn)
{
	const struct page_state *p = page_state_of(m, pfn);
	return p ? (enum page_kind)p->kind : PG_FREE;
}
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind);
/* Adds the pages of [lo, hi) of a section to kinds[] by kind, and its heads to heads[] (if not NULL), in either form. */
void section_count_kinds(const struct mem_section *ms, uint64_t lo, uint64_t hi, uint64_t *kinds, uint64_t *heads);
/* Whether every page of [pfn, pfn + n) (within one section) is an order-0 allocation (a run free_pages_run() takes). */
bool pages_are_order0_allocs(const struct mhp_machine *m, uint64_t pfn, uint64_t n);
/* Marks [pfn, pfn + n) (within one section) as allocations of 2^order pages of kind, each with its head. */
int set_page_allocs(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, enum page_kind kind);

#endif
