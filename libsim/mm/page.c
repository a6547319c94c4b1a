// SPDX-License-Identifier: GPL-2.0-only
/*
 * page.c - the page layer: what the model keeps of struct page for allocated
 * pages. Kernel twin: include/linux/mm_types.h, include/linux/page-flags.h.
 *
 * A section keeps no state while nothing in it is allocated; while its
 * allocated pages are one run of like allocations (a vmemmap's blocks, page
 * tables, a memblock pool), three fields say so (mmzone.h); only a section
 * whose pages differ otherwise (tags, pins, mixed kinds) has a per-page
 * array. So memory follows what is allocated, and how alike it is.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/sparse.h"
#include "sim/touched.h"

static bool same_state(const struct page_state *a, const struct page_state *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* A cleared array for a section: a kept one, or a new one (the host's memory: a failure here is the host's). */
static struct page_state *page_array_get(struct mhp_machine *m)
{
	for (size_t k = 0; k < ARRAY_SIZE(m->host.spare_arrays); k++) {
		struct page_state *pages = m->host.spare_arrays[k];
		if (pages) {
			m->host.spare_arrays[k] = NULL;
			return memset(pages, 0, m->pages_per_section * sizeof(*pages));
		}
	}
	struct page_state *pages = calloc(m->pages_per_section, sizeof(*pages));
	MHP_ASSERT(pages);
	return pages;
}

static void page_array_put(struct mhp_machine *m, struct page_state *pages)
{
	for (size_t k = 0; pages && k < ARRAY_SIZE(m->host.spare_arrays); k++) {
		if (!m->host.spare_arrays[k]) {
			m->host.spare_arrays[k] = pages;
			return;
		}
	}
	free(pages);
}

void page_arrays_free(struct mhp_machine *m)
{
	for (size_t k = 0; k < ARRAY_SIZE(m->host.spare_arrays); k++) {
		free(m->host.spare_arrays[k]);
		m->host.spare_arrays[k] = NULL;
	}
}

/* Gives a run section its array. */
static void section_materialise(struct mhp_machine *m, struct mem_section *ms)
{
	if (ms->pages)
		return;
	struct page_state *pages = page_array_get(m);
	for (uint64_t i = ms->run_lo; i < ms->run_hi; i++)
		pages[i] = *section_page(ms, i);
	ms->pages = pages;
	ms->run_lo = ms->run_hi = 0;
	m->host.page_arrays++;
}

struct page_state *page_state_mut(struct mhp_machine *m, uint64_t pfn)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || (!ms->pages && !ms->nr_alloc))
		return NULL;
	section_materialise(m, ms);
	return &ms->pages[pfn & (m->pages_per_section - 1)];
}

/* Whether the run takes [i, i + n) of head/tail allocations of 2^order pages: it starts or extends it. */
static bool run_join(struct mem_section *ms, uint64_t i, uint64_t n, unsigned order, const struct page_state *head,
		     const struct page_state *tail)
{
	if (ms->run_lo == ms->run_hi) {
		ms->run_lo = (uint32_t)i, ms->run_hi = (uint32_t)(i + n);
		ms->run_order = (uint8_t)order, ms->run_head = *head, ms->run_tail = *tail;
		return true;
	}
	if (order != ms->run_order || !same_state(head, &ms->run_head) || !same_state(tail, &ms->run_tail))
		return false;
	if (i == ms->run_hi) {
		ms->run_hi = (uint32_t)(i + n);
		return true;
	}
	if (i + n == ms->run_lo) {
		ms->run_lo = (uint32_t)i;
		return true;
	}
	return false;
}

/* Whether freeing [i, i + n) leaves the run whole allocations: nothing of it, all of it, or whole ones at an end. */
static bool run_cut(struct mem_section *ms, uint64_t i, uint64_t n)
{
	uint64_t a = i > ms->run_lo ? i : ms->run_lo, b = i + n < ms->run_hi ? i + n : ms->run_hi;
	uint64_t mask = (1ull << ms->run_order) - 1;
	if (a >= b)
		return true;
	if (a == ms->run_lo && b == ms->run_hi)
		ms->run_lo = ms->run_hi = 0;
	else if (a == ms->run_lo && !((b - a) & mask))
		ms->run_lo = (uint32_t)b;
	else if (b == ms->run_hi && !((a - ms->run_lo) & mask))
		ms->run_hi = (uint32_t)a;
	else
		return false;
	return true;
}

/* What [i, i + n) holds, in either form: tags and bars looked for only where the section counts some. */
struct page_counts {
	uint64_t alloc, tagged, barred;
};

static struct page_counts count_pages(const struct mem_section *ms, uint64_t i, uint64_t n)
{
	struct page_counts c = { 0 };
	if (!ms->pages) {   /* a run's pages carry no tag or pin, and share their kind */
		uint64_t a = i > ms->run_lo ? i : ms->run_lo, b = i + n < ms->run_hi ? i + n : ms->run_hi;
		c.alloc = a < b ? b - a : 0;
		c.barred = page_bars_zone_movable(&ms->run_head) ? c.alloc : 0;
		return c;
	}
	bool tags = ms->nr_tagged, bars = ms->nr_barred;
	for (uint64_t k = i; k < i + n; k++) {
		c.alloc += ms->pages[k].kind != PG_FREE;
		c.tagged += tags && ms->pages[k].tag;
		c.barred += bars && page_bars_zone_movable(&ms->pages[k]);
	}
	return c;
}

void set_page_owner(struct mhp_machine *m, uint64_t pfn, uint32_t tag, uint8_t refs)
{
	struct page_state *p = page_state_mut(m, pfn);
	MHP_ASSERT(p && p->kind != PG_FREE);
	page_set_owner(__pfn_to_section(m, pfn), p, tag, refs);
}

/*
 * Writes [pfn, pfn + n) (within one section) as allocations of 2^order
 * pages: head on the first page of each, tail on the others (both zero:
 * free). The run form takes it where it can; an array otherwise.
 */
static int write_pages(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, const struct page_state *head,
		       const struct page_state *tail)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t i = pfn & (m->pages_per_section - 1), mask = (1ull << order) - 1;
	MHP_ASSERT(ms && pfn_to_section_nr(m, pfn + n - 1) == pfn_to_section_nr(m, pfn));
	MHP_ASSERT(n > 0 && !(n & mask) && head->kind < NR_PAGE_KINDS);
	bool freeing = head->kind == PG_FREE;
	if (freeing && !ms->pages && !ms->nr_alloc)
		return 0;
	touch_range(m, TOUCHED_PAGES, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n));
	m->nr_page_writes += n;
	MHP_ASSERT(!head->tag && !tail->tag && !head->refs && !tail->refs && head->kind == tail->kind);
	struct page_counts before = count_pages(ms, i, n);
	bool done = !ms->pages && (freeing ? run_cut(ms, i, n) : !before.alloc && run_join(ms, i, n, order, head, tail));
	if (!done) {
		section_materialise(m, ms);
		for (uint64_t k = 0; k < n; k++)
			ms->pages[i + k] = k & mask ? *tail : *head;
	}
	uint64_t now = freeing ? 0 : n;
	ms->nr_alloc = (uint32_t)(ms->nr_alloc - before.alloc + now);
	ms->nr_tagged = (uint32_t)(ms->nr_tagged - before.tagged);
	ms->nr_barred = (uint32_t)(ms->nr_barred - before.barred + (page_bars_zone_movable(head) ? now : 0));
	MHP_ASSERT(ms->nr_alloc <= m->pages_per_section && ms->nr_tagged <= ms->nr_alloc &&
		   ms->nr_barred <= ms->nr_alloc);
	MHP_ASSERT(ms->pages || ms->nr_alloc == ms->run_hi - ms->run_lo);
	if (!ms->nr_alloc) {
		if (ms->pages)
			m->host.page_arrays--;
		page_array_put(m, ms->pages);
		ms->pages = NULL;
		ms->run_lo = ms->run_hi = 0;
	}
	return 0;
}

/* Marks [pfn, pfn + n) (within one section) as kind; PG_FREE clears the pages' state. */
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind)
{
	struct page_state s = { .kind = (uint8_t)kind };
	return write_pages(m, pfn, n, 0, &s, &s);
}

int set_page_allocs(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, enum page_kind kind)
{
	struct page_state head = { .kind = (uint8_t)kind, .order = (uint8_t)order, .head = 1 };
	struct page_state tail = { .kind = (uint8_t)kind };
	return write_pages(m, pfn, n, order, &head, &tail);
}

void section_count_kinds(const struct mem_section *ms, uint64_t lo, uint64_t hi, uint64_t *kinds, uint64_t *heads)
{
	if (ms->pages) {
		for (uint64_t i = lo; i < hi; i++) {
			kinds[ms->pages[i].kind]++;
			if (heads)
				heads[ms->pages[i].kind] += ms->pages[i].head;
		}
		return;
	}
	if (!ms->nr_alloc)
		return;   /* no state kept: as an absent array, nothing is counted */
	uint64_t a = lo > ms->run_lo ? lo : ms->run_lo, b = hi < ms->run_hi ? hi : ms->run_hi, n = a < b ? b - a : 0;
	uint64_t period = 1ull << ms->run_order, start = ms->run_lo + ((a - ms->run_lo + period - 1) & ~(period - 1));
	kinds[ms->run_head.kind] += n;
	kinds[PG_FREE] += hi - lo - n;
	if (heads && n && ms->run_head.head && start < b)
		heads[ms->run_head.kind] += (b - 1 - start) / period + 1;
}

bool pages_are_order0_allocs(const struct mhp_machine *m, uint64_t pfn, uint64_t n)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t i = pfn & (m->pages_per_section - 1);
	if (!ms || !ms->nr_alloc)
		return false;
	if (!ms->pages)   /* a run: inside it, and its allocations single pages */
		return !ms->run_order && i >= ms->run_lo && i + n <= ms->run_hi;
	bool ok = true;
	for (uint64_t k = i; k < i + n; k++)   /* no early exit: the loop stays branch-free */
		ok &= ms->pages[k].kind != PG_FREE && ms->pages[k].head && !ms->pages[k].order;
	return ok;
}
