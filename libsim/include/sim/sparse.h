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
	uint64_t k = nr - t->last_base;   /* a root holds PAGE_SIZE / 16 sections */
	if (k < t->last_count)
		return &t->last_sections[k];
	return __nr_to_section_slow(m, nr);
}

static inline struct mem_section *__pfn_to_section(const struct mhp_machine *m, uint64_t pfn)
{
	return __nr_to_section(m, pfn >> m->pfn_section_shift);
}
struct mem_section *sparse_get_section(struct mhp_machine *m, uint64_t nr); /* allocates */
static inline bool present_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_MARKED_PRESENT);
}

static inline bool online_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_IS_ONLINE);
}

static inline bool early_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_IS_EARLY);
}

int memblocks_present(struct mhp_machine *m, struct mhp_err *err);
int sparse_add_section(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages, bool early);
void sparse_remove_section(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);
void online_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void offline_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
/* pfn_valid() of a pfn whose section ms the caller has already looked up. */
static inline bool pfn_valid_in(const struct mhp_machine *m, const struct mem_section *ms, uint64_t pfn)
{
	if (!ms || !(ms->flags & SECTION_HAS_MEM_MAP))
		return false;
	if (early_section(ms))
		return true;
	uint64_t bit = (pfn & (m->pages_per_section - 1)) / m->pages_per_subsection;
	return (ms->subsection_map[bit / 64] >> (bit % 64)) & 1;
}

/* Models the generic pfn_valid() of SPARSEMEM (mmzone.h): a memmap covers pfn, its whole early section or its subsection. */
static inline bool pfn_valid(const struct mhp_machine *m, uint64_t pfn)
{
	return pfn_valid_in(m, __pfn_to_section(m, pfn), pfn);
}

/* Calls fn for each present section in [start_nr, end_nr) in order; stops on nonzero. */
int for_each_present_section(const struct mhp_machine *m, uint64_t start_nr, uint64_t end_nr,
			     int (*fn)(const struct mhp_machine *, uint64_t nr,
				       const struct mem_section *, void *), void *arg);
uint64_t sparse_memory_bytes(const struct mhp_machine *m);

/* A place among a section's runs: chunk c, run i of it; r is that run, or NULL past the last. */
struct run_iter {
	const struct mem_section *ms;
	uint32_t c, i;
	const struct run_chunk *ch;   /* chunk c, or NULL past the last */
	const struct page_run *r;
};

static inline void run_iter_set(struct run_iter *it)
{
	it->ch = it->c < it->ms->nr_chunks ? it->ms->chunks[it->c] : NULL;
	it->r = it->ch ? &it->ch->r[it->i] : NULL;
}

static inline void run_iter_next(struct run_iter *it)
{
	if (++it->i < it->ch->n) {   /* the same chunk: no pointer to follow */
		it->r++;
		return;
	}
	it->c++, it->i = 0;
	run_iter_set(it);
}

/*
 * The hint's guess (ms->hint_c, ms->hint_i) for the first run of ms that
 * ends after page i: that run, or the one after it in its chunk (a free page
 * before it included). Searches come in order and near one another.
 */
static inline bool runs_hint(const struct mem_section *ms, uint64_t i, struct run_iter *it)
{
	uint32_t c = ms->hint_c, k = ms->hint_i;
	const struct run_chunk *ch = c < ms->nr_chunks ? ms->chunks[c] : NULL;
	if (!ch || k >= ch->n)
		return false;
	if (ch->r[k].hi > i) {   /* it, if the run before it ends at or before i */
		const struct run_chunk *prev = k || !c ? NULL : ms->chunks[c - 1];
		if (k ? ch->r[k - 1].hi > i : prev && prev->r[prev->n - 1].hi > i)
			return false;
	} else if (++k == ch->n || ch->r[k].hi <= i) {
		return false;   /* nor the next one */
	}
	*it = (struct run_iter){ .ms = ms, .c = c, .i = k, .ch = ch, .r = &ch->r[k] };
	return true;
}

/* The first run of ms that ends after page i. */
static inline struct run_iter section_runs_from(const struct mem_section *ms, uint64_t i)
{
	struct run_iter it = { .ms = ms, .c = ms->hint_c };
	/* The hint's run or the next, else the hint's chunk, else a search of the chunks. */
	if (runs_hint(ms, i, &it))
		return it;
	uint32_t n = ms->nr_chunks, below;   /* the chunks that start at or before i: the last may hold i */
	if (it.c < n && ms->chunk_lo[it.c] <= i && (it.c + 1 == n || ms->chunk_lo[it.c + 1] > i))
		below = it.c + 1;   /* the hint's chunk is the one */
	else
		PARTITION_POINT(below, n, k, ms->chunk_lo[k] <= i);
	it.c = below ? below - 1 : 0;
	it.i = 0;
	if (it.c < ms->nr_chunks) {
		const struct run_chunk *ch = ms->chunks[it.c];
		uint32_t a;   /* its first run that ends after i, or past its last */
		PARTITION_POINT(a, ch->n, k, ch->r[k].hi <= i);
		it.i = a;
		if (a == ch->n)
			it.c++, it.i = 0;
		/* The guess is the section's only mutable part a reader touches: it changes no state. */
		((struct mem_section *)ms)->hint_c = it.c, ((struct mem_section *)ms)->hint_i = it.i;
	}
	run_iter_set(&it);
	return it;
}

/* The bits of the allocation map's word holding page i that stand for pages [i, end) (end past i). */
static inline uint64_t alloc_map_bits(uint64_t i, uint64_t end)
{
	uint64_t lo = i % 64, cnt = end - i < 64 - lo ? end - i : 64 - lo;
	return (cnt == 64 ? ~0ull : (1ull << cnt) - 1) << lo;
}

/* The state of an allocation's pages after its first: every writer gives them its kind and nothing else. */
static inline struct page_state page_run_tail(const struct page_run *r)
{
	return (struct page_state){ .kind = r->head.kind };
}

/* The state of page i (inside run r). */
static inline struct page_state page_run_state(const struct page_run *r, uint64_t i)
{
	uint64_t pos = i - r->lo + r->first;
	if (pos & ((1ull << r->order) - 1))
		return page_run_tail(r);
	struct page_state s = r->head;
	if (s.tag)
		s.tag += (uint32_t)(pos >> r->order);
	return s;
}

/* Allocation heads among pages [a, b) of run r (inside it). */
static inline uint64_t page_run_heads(const struct page_run *r, uint64_t a, uint64_t b)
{
	if (!r->order)   /* most runs: every page heads its own */
		return b - a;
	uint64_t pa = a - r->lo + r->first, pb = b - r->lo + r->first, mask = (1ull << r->order) - 1;
	return ((pb + mask) >> r->order) - ((pa + mask) >> r->order);
}

/* The first allocation head of run r at or after page a (r->hi when none). */
static inline uint64_t page_run_next_head(const struct page_run *r, uint64_t a)
{
	uint64_t mask = (1ull << r->order) - 1, head = r->lo + (((a - r->lo + r->first) + mask) & ~mask) - r->first;
	return head < r->hi ? head : r->hi;
}

/* The state of page i of a section (free: all zero). */
static inline struct page_state section_page(const struct mem_section *ms, uint64_t i)
{
	struct run_iter it = section_runs_from(ms, i);
	if (it.r && it.r->lo <= i)
		return page_run_state(it.r, i);
	return (struct page_state){ 0 };
}

/* The state of a page (free, or in no present section: all zero). */
static inline struct page_state page_state_of(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || !ms->nr_alloc)
		return (struct page_state){ 0 };
	return section_page(ms, pfn & (m->pages_per_section - 1));
}

/* Gives an allocated page (the head of its allocation) its workload tag and references, keeping its section's counts. */
void set_page_owner(struct mhp_machine *m, uint64_t pfn, uint32_t tag, uint8_t refs);
/* The states of pages [i, i + n) of a section, as an array (snapshots, the state hash). */
void section_fill(const struct mem_section *ms, uint64_t i, uint64_t n, struct page_state *out);
/* Takes a section's pages from an array (a loaded snapshot's); 0, or -EINVAL / -ERANGE when they are not sound. */
int section_adopt(struct mhp_machine *m, struct mem_section *ms, const struct page_state *pages);
/* Frees a section's runs (machine free). */
void section_runs_free(struct mem_section *ms);

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
	return (enum page_kind)page_state_of(m, pfn).kind;
}
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind);
/* Adds the pages of [lo, hi) of a section to kinds[] by kind, and its heads to heads[] (if not NULL), in either form. */
void section_count_kinds(const struct mem_section *ms, uint64_t lo, uint64_t hi, uint64_t *kinds, uint64_t *heads);
/* Frees [pfn, pfn + n) (within one section), every page of it an order-0 allocation (asserted): free_pages_run()'s. */
void free_single_pages(struct mhp_machine *m, uint64_t pfn, uint64_t n);
/* How many pages from pfn on (at most n, within one section) are of kind, a run at a time. */
uint64_t pages_of_kind(const struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind);
/* Marks [pfn, pfn + n) (within one section) as allocations of 2^order pages of kind, each with its head. */
int set_page_allocs(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, enum page_kind kind);
/*
 * set_page_allocs(), the allocations' heads tagged tag, tag + 1, ... (0:
 * none) and given refs: a fresh allocation and its owner in one write.
 */
int set_page_allocs_owned(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, enum page_kind kind,
			  uint32_t tag, uint8_t refs);

/*
 * Order-0 allocations written as they are taken, as one write while each
 * continues the one before (the next pages of its section, the next tags,
 * the same kind and references): set_page_allocs_owned() on each gives the
 * same pages. Each piece is touched as it comes, as its own write would be.
 * The caller flushes before anything reads those pages.
 */
struct page_write_run {
	uint64_t pfn, n;   /* n == 0: nothing held */
	uint32_t tag;
	uint8_t kind, refs;
};
void page_write_run_add(struct mhp_machine *m, struct page_write_run *w, uint64_t pfn, uint64_t n, enum page_kind kind,
			uint32_t tag, uint8_t refs);
void page_write_run_flush(struct mhp_machine *m, struct page_write_run *w);

#endif
