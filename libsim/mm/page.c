// SPDX-License-Identifier: GPL-2.0-only
/*
 * page.c - the page layer: what the model keeps of struct page for allocated
 * pages. Kernel twin: include/linux/mm_types.h, include/linux/page-flags.h.
 *
 * A section keeps its allocated pages as runs of like allocations (mmzone.h,
 * struct page_run): a vmemmap's blocks, a run of page tables, a workload's
 * pages with their tags in order. A write splits runs only where the state
 * differs and joins neighbours that continue one another, so memory and work
 * follow how many runs there are, not how many pages.
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

static uint64_t run_mask(const struct page_run *r)
{
	return (1ull << r->order) - 1;
}

/* The part of run r from page x on (r->lo < x < r->hi): the allocation it starts in, and its tags, carried on. */
static struct page_run run_from(const struct page_run *r, uint64_t x)
{
	struct page_run t = *r;
	uint64_t pos = x - r->lo + r->first;
	t.lo = (uint16_t)x;
	t.first = (uint8_t)(pos & run_mask(r));
	if (t.head.tag)
		t.head.tag += (uint32_t)(pos >> r->order);
	return t;
}

/* Whether b continues a: the same allocations, states and tag order across their boundary. */
static bool run_continues(const struct page_run *a, const struct page_run *b)
{
	if (a->hi != b->lo || a->order != b->order || a->head.kind != b->head.kind)
		return false;
	struct page_run next = *a;
	next.hi = (uint16_t)(a->hi + 1);   /* where a's pattern would be at b->lo */
	struct page_run want = run_from(&next, b->lo);
	struct page_state ah = a->head, bh = b->head;
	ah.tag = bh.tag = 0;
	return want.first == b->first && want.head.tag == b->head.tag && same_state(&ah, &bh);
}

static void host_runs(struct mhp_machine *m, int64_t bytes)
{
	m->host.run_bytes = (uint64_t)((int64_t)m->host.run_bytes + bytes);
}

/* A place among a section's runs to insert at (c == nr_chunks: past the last). */
struct run_pos {
	uint32_t c, i;
};

static struct page_run *run_at(struct mem_section *ms, struct run_pos p)
{
	return p.c < ms->nr_chunks ? &ms->chunks[p.c]->r[p.i] : NULL;
}

static struct page_run *run_before(struct mem_section *ms, struct run_pos p)
{
	if (p.c < ms->nr_chunks && p.i)
		return &ms->chunks[p.c]->r[p.i - 1];
	if (!p.c)
		return NULL;
	struct run_chunk *ch = ms->chunks[p.c - 1];
	return &ch->r[ch->n - 1];
}

static struct run_pos pos_of(const struct run_iter *it)
{
	return (struct run_pos){ it->c, it->i };
}

/* A chunk's key (its first page) after its first run changed. */
static void key_sync(struct mem_section *ms, uint32_t c)
{
	if (c < ms->nr_chunks)
		ms->chunk_lo[c] = ms->chunks[c]->r[0].lo;
}

/* Puts a new chunk at index c of the section's list (the host's memory: a failure here is the host's). */
static void chunk_insert(struct mhp_machine *m, struct mem_section *ms, uint32_t c, struct run_chunk *ch)
{
	MHP_ASSERT(ch);
	host_runs(m, sizeof(*ch));
	if (ms->nr_chunks == ms->cap_chunks) {
		uint32_t cap = ms->cap_chunks ? ms->cap_chunks * 2 : 4;
		struct run_chunk **chunks = realloc(ms->chunks, cap * sizeof(*chunks));
		uint32_t *keys = chunks ? realloc(ms->chunk_lo, cap * sizeof(*keys)) : NULL;
		MHP_ASSERT(chunks && keys);
		host_runs(m, (int64_t)(cap - ms->cap_chunks) * (int64_t)(sizeof(*chunks) + sizeof(*keys)));
		ms->chunks = chunks;
		ms->chunk_lo = keys;
		ms->cap_chunks = cap;
	}
	memmove(&ms->chunks[c + 1], &ms->chunks[c], (ms->nr_chunks - c) * sizeof(*ms->chunks));
	memmove(&ms->chunk_lo[c + 1], &ms->chunk_lo[c], (ms->nr_chunks - c) * sizeof(*ms->chunk_lo));
	ms->chunks[c] = ch;
	ms->nr_chunks++;
	key_sync(ms, c);
}

static void chunk_remove(struct mhp_machine *m, struct mem_section *ms, uint32_t c)
{
	free(ms->chunks[c]);
	host_runs(m, -(int64_t)sizeof(struct run_chunk));
	memmove(&ms->chunks[c], &ms->chunks[c + 1], (ms->nr_chunks - c - 1) * sizeof(*ms->chunks));
	memmove(&ms->chunk_lo[c], &ms->chunk_lo[c + 1], (ms->nr_chunks - c - 1) * sizeof(*ms->chunk_lo));
	ms->nr_chunks--;
}

/* Sets (or clears) the allocation map's bits of pages [i, i + n): the end words' bits, whole words between. */
static void alloc_map_set(struct mem_section *ms, uint64_t i, uint64_t n, bool on)
{
	uint64_t end = i + n, w = i / 64, last = (end - 1) / 64;
	uint64_t head = ~0ull << (i % 64), tail = ~0ull >> (63 - (end - 1) % 64);
	if (w == last)
		head &= tail;
	ms->alloc_map[w] = on ? ms->alloc_map[w] | head : ms->alloc_map[w] & ~head;
	if (w == last)
		return;
	for (uint64_t k = w + 1; k < last; k++)
		ms->alloc_map[k] = on ? ~0ull : 0;
	ms->alloc_map[last] = on ? ms->alloc_map[last] | tail : ms->alloc_map[last] & ~tail;
}

/*
 * The section's first chunk, and its allocation map if it has none yet (a
 * write may cut its last run before it puts one back): the host's memory, a
 * failure here is the host's.
 */
static void runs_start(struct mhp_machine *m, struct mem_section *ms)
{
	if (!ms->alloc_map) {
		ms->alloc_map = calloc(m->pages_per_section / 64, sizeof(*ms->alloc_map));
		MHP_ASSERT(ms->alloc_map);
		host_runs(m, (int64_t)(m->pages_per_section / 8));
	}
	chunk_insert(m, ms, 0, calloc(1, sizeof(struct run_chunk)));
}

/* Inserts run r at p: a full chunk splits in two first. */
static void insert_at(struct mhp_machine *m, struct mem_section *ms, struct run_pos p, const struct page_run *r)
{
	if (!ms->nr_chunks)
		runs_start(m, ms);
	if (p.c == ms->nr_chunks)   /* past the last run: the end of the last chunk */
		p.c--, p.i = ms->chunks[p.c]->n;
	struct run_chunk *ch = ms->chunks[p.c];
	if (ch->n == RUN_CHUNK) {
		struct run_chunk *upper = calloc(1, sizeof(*upper));
		MHP_ASSERT(upper);
		upper->n = RUN_CHUNK / 2;
		memcpy(upper->r, &ch->r[RUN_CHUNK / 2], upper->n * sizeof(*ch->r));
		ch->n = RUN_CHUNK / 2;
		chunk_insert(m, ms, p.c + 1, upper);
		if (p.i > ch->n)
			ch = upper, p.i -= RUN_CHUNK / 2;
	}
	memmove(&ch->r[p.i + 1], &ch->r[p.i], (ch->n - p.i) * sizeof(*ch->r));
	ch->r[p.i] = *r;
	ch->n++;
	key_sync(ms, ch == ms->chunks[p.c] ? p.c : p.c + 1);
}

/* Deletes count runs of chunk c from run i on; an emptied chunk goes. Returns where the next run now is. */
static struct run_pos delete_runs(struct mhp_machine *m, struct mem_section *ms, struct run_pos p, uint32_t count)
{
	struct run_chunk *ch = ms->chunks[p.c];
	MHP_ASSERT(count && p.i + count <= ch->n);
	memmove(&ch->r[p.i], &ch->r[p.i + count], (ch->n - p.i - count) * sizeof(*ch->r));
	ch->n -= count;
	if (!ch->n) {
		chunk_remove(m, ms, p.c);
		return (struct run_pos){ p.c, 0 };
	}
	key_sync(ms, p.c);
	return p.i < ch->n ? p : (struct run_pos){ p.c + 1, 0 };
}

static void runs_release(struct mhp_machine *m, struct mem_section *ms)
{
	host_runs(m, -(int64_t)(ms->nr_chunks * sizeof(struct run_chunk) +
				ms->cap_chunks * (sizeof(*ms->chunks) + sizeof(*ms->chunk_lo)) + m->pages_per_section / 8));
	section_runs_free(ms);
}

void section_runs_free(struct mem_section *ms)
{
	for (uint32_t c = 0; c < ms->nr_chunks; c++)
		free(ms->chunks[c]);
	free(ms->chunks);
	free(ms->chunk_lo);
	free(ms->alloc_map);
	ms->chunks = NULL;
	ms->chunk_lo = NULL;
	ms->alloc_map = NULL;
	ms->nr_chunks = ms->cap_chunks = 0;
}

/* What [a, b) holds: allocated, tagged and barred pages, a run at a time. */
struct page_counts {
	uint64_t alloc, tagged, barred;
	uint64_t single;   /* pages that are each an order-0 allocation (its head) */
};

/* Adds what pages [a, b) of run r hold to c. */
static void run_count(const struct page_run *r, uint64_t a, uint64_t b, struct page_counts *c)
{
	uint64_t lo = a > r->lo ? a : r->lo, hi = b < r->hi ? b : r->hi, heads = page_run_heads(r, lo, hi);
	c->alloc += hi - lo;
	c->single += !r->order && !r->head.order && r->head.head ? hi - lo : 0;
	c->tagged += r->head.tag ? heads : 0;
	struct page_state tail = page_run_tail(r);
	c->barred += heads * page_bars_zone_movable(&r->head) + (hi - lo - heads) * page_bars_zone_movable(&tail);
}

/* What pages [a, b) hold, from it (the first run that ends after a) on. */
static struct page_counts count_runs(struct run_iter it, uint64_t a, uint64_t b)
{
	struct page_counts c = { 0 };
	for (; it.r && it.r->lo < b; run_iter_next(&it))
		run_count(it.r, a, b, &c);
	return c;
}

static struct page_counts count_pages(const struct mem_section *ms, uint64_t a, uint64_t b)
{
	return count_runs(section_runs_from(ms, a), a, b);
}

/*
 * Takes pages [a, b) out of the runs: they become free, and *held says
 * what they held (each run counted as it is cut, in one pass). Returns
 * where a run for them goes.
 */
static struct run_pos runs_cut(struct mhp_machine *m, struct mem_section *ms, uint64_t a, uint64_t b,
			       struct page_counts *held)
{
	struct run_iter it = section_runs_from(ms, a);
	*held = (struct page_counts){ 0 };
	if (it.r && it.r->lo < a) {
		struct page_run *r = run_at(ms, pos_of(&it));
		run_count(r, a, b, held);
		if (r->hi > b) {   /* the cut lies inside one run: it becomes two */
			struct page_run right = run_from(r, b);
			r->hi = (uint16_t)a;
			insert_at(m, ms, (struct run_pos){ it.c, it.i + 1 }, &right);
			it = section_runs_from(ms, a);
			return pos_of(&it);
		}
		r->hi = (uint16_t)a;
		run_iter_next(&it);
	}
	struct run_pos p = pos_of(&it);
	while (p.c < ms->nr_chunks && ms->chunks[p.c]->r[p.i].hi <= b) {   /* the runs inside: a chunk's share at once */
		const struct run_chunk *ch = ms->chunks[p.c];
		uint32_t count = 0;
		do
			run_count(&ch->r[p.i + count], a, b, held);
		while (++count + p.i < ch->n && ch->r[p.i + count].hi <= b);
		p = delete_runs(m, ms, p, count);
	}
	struct page_run *r = run_at(ms, p);
	if (r && r->lo < b) {
		run_count(r, a, b, held);
		*r = run_from(r, b);
		key_sync(ms, p.c);
	}
	return p;
}

/* Puts run r at p (the gap runs_cut() left), joined with the neighbours it continues. */
static void runs_insert(struct mhp_machine *m, struct mem_section *ms, struct run_pos p, const struct page_run *r)
{
	struct page_run *prev = run_before(ms, p), *next = run_at(ms, p);
	MHP_ASSERT(r->lo < r->hi && r->head.kind != PG_FREE);
	MHP_ASSERT((!prev || prev->hi <= r->lo) && (!next || r->hi <= next->lo));
	if (prev && run_continues(prev, r)) {
		prev->hi = r->hi;
		if (next && run_continues(prev, next)) {
			prev->hi = next->hi;
			delete_runs(m, ms, p, 1);
		}
		return;
	}
	if (next && run_continues(r, next)) {
		uint32_t hi = next->hi;
		*next = *r;
		next->hi = hi;
		key_sync(ms, p.c);
		return;
	}
	insert_at(m, ms, p, r);
}

/* Settles a section's counts after a write: before is what the written range held, now what it holds. */
static void section_recount(struct mhp_machine *m, struct mem_section *ms, struct page_counts before,
			    struct page_counts now)
{
	ms->nr_alloc = (uint32_t)(ms->nr_alloc - before.alloc + now.alloc);
	ms->nr_tagged = (uint32_t)(ms->nr_tagged - before.tagged + now.tagged);
	m->nr_tagged_pages = m->nr_tagged_pages - before.tagged + now.tagged;
	ms->nr_barred = (uint32_t)(ms->nr_barred - before.barred + now.barred);
	MHP_ASSERT(ms->nr_alloc <= m->pages_per_section && ms->nr_tagged <= ms->nr_alloc &&
		   ms->nr_barred <= ms->nr_alloc && (ms->nr_alloc == 0) == (ms->nr_chunks == 0));
	if (!ms->nr_alloc)
		runs_release(m, ms);
}

/* The run an allocation's pages [i, i + n) become: head on the first page of each of 2^order pages, its kind on the rest. */
static struct page_run make_run(uint64_t i, uint64_t n, unsigned order, const struct page_state *head)
{
	return (struct page_run){ .lo = (uint16_t)i, .hi = (uint16_t)(i + n), .order = (uint8_t)order, .head = *head };
}

/*
 * Writes [pfn, pfn + n) (within one section) as allocations of 2^order
 * pages: head on the first page of each, its kind alone on the others
 * (all zero: free).
 */
static int write_pages_touched(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order,
			       const struct page_state *head, bool singles, bool touched)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t i = pfn & (m->pages_per_section - 1), mask = (1ull << order) - 1;
	MHP_ASSERT(ms && pfn_to_section_nr(m, pfn + n - 1) == pfn_to_section_nr(m, pfn));
	MHP_ASSERT(n > 0 && !(n & mask) && head->kind < NR_PAGE_KINDS);
	bool freeing = head->kind == PG_FREE;
	if (freeing && !ms->nr_alloc)
		return 0;
	if (!touched)
		touch_range(m, TOUCHED_PAGES, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n));
	m->nr_page_writes += n;
	MHP_ASSERT(freeing ? !head->tag && !head->refs : !head->tag || ((n - 1) >> order) <= UINT32_MAX - head->tag);
	struct page_counts before, now = { 0 };
	struct run_pos at = runs_cut(m, ms, i, i + n, &before);
	MHP_ASSERT(!singles || before.single == n);   /* the caller's claim: order-0 allocations, each page */
	if (!freeing) {
		struct page_run r = make_run(i, n, order, head);
		run_count(&r, i, i + n, &now);
		runs_insert(m, ms, at, &r);
	}
	if (ms->alloc_map)
		alloc_map_set(ms, i, n, !freeing);
	section_recount(m, ms, before, now);
	return 0;
}

static int write_pages(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, const struct page_state *head,
		       bool singles)
{
	return write_pages_touched(m, pfn, n, order, head, singles, false);
}

/* Marks [pfn, pfn + n) (within one section) as kind; PG_FREE clears the pages' state. */
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind)
{
	struct page_state s = { .kind = (uint8_t)kind };
	return write_pages(m, pfn, n, 0, &s, false);
}

void free_single_pages(struct mhp_machine *m, uint64_t pfn, uint64_t n)
{
	struct page_state s = { 0 };
	write_pages(m, pfn, n, 0, &s, true);
}

int set_page_allocs_owned(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, enum page_kind kind,
			  uint32_t tag, uint8_t refs)
{
	struct page_state head = { .tag = tag, .kind = (uint8_t)kind, .refs = refs, .order = (uint8_t)order, .head = 1 };
	return write_pages(m, pfn, n, order, &head, false);
}

void page_write_run_flush(struct mhp_machine *m, struct page_write_run *w)
{
	if (!w->n)
		return;
	struct page_state head = { .tag = w->tag, .kind = w->kind, .refs = w->refs, .head = 1 };
	write_pages_touched(m, w->pfn, w->n, 0, &head, false, true);
	w->n = 0;
}

void page_write_run_add(struct mhp_machine *m, struct page_write_run *w, uint64_t pfn, uint64_t n, enum page_kind kind,
			uint32_t tag, uint8_t refs)
{
	MHP_ASSERT(n > 0 && kind != PG_FREE);
	touch_range(m, TOUCHED_PAGES, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n));
	/* The reference path writes each piece alone, as it takes it. */
	bool continues = !m->pagewise && w->n && pfn == w->pfn + w->n && kind == w->kind && refs == w->refs &&
			 (w->tag ? tag == w->tag + w->n : !tag) && pfn_to_section_nr(m, pfn) == pfn_to_section_nr(m, w->pfn);
	if (continues) {
		w->n += n;
		return;
	}
	page_write_run_flush(m, w);
	*w = (struct page_write_run){ .pfn = pfn, .n = n, .tag = tag, .kind = (uint8_t)kind, .refs = refs };
}

int set_page_allocs(struct mhp_machine *m, uint64_t pfn, uint64_t n, unsigned order, enum page_kind kind)
{
	return set_page_allocs_owned(m, pfn, n, order, kind, 0, 0);
}

void set_page_owner(struct mhp_machine *m, uint64_t pfn, uint32_t tag, uint8_t refs)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t i = pfn & (m->pages_per_section - 1);
	MHP_ASSERT(ms);
	const struct page_run *old = section_runs_from(ms, i).r;
	MHP_ASSERT(old && old->lo <= i && !((i - old->lo + old->first) & run_mask(old)));   /* an allocation's head */
	uint64_t end = i + (1ull << old->order);
	MHP_ASSERT(end <= old->hi);
	struct page_run r = make_run(i, end - i, old->order, &old->head);
	struct page_counts before, now = { 0 };
	r.head.tag = tag;
	r.head.refs = refs;
	run_count(&r, i, end, &now);
	runs_insert(m, ms, runs_cut(m, ms, i, end, &before), &r);
	section_recount(m, ms, before, now);
}

void section_count_kinds(const struct mem_section *ms, uint64_t lo, uint64_t hi, uint64_t *kinds, uint64_t *heads)
{
	uint64_t alloc = 0;
	for (struct run_iter it = section_runs_from(ms, lo); it.r && it.r->lo < hi; run_iter_next(&it)) {
		const struct page_run *r = it.r;
		uint64_t a = lo > r->lo ? lo : r->lo, b = hi < r->hi ? hi : r->hi, h = page_run_heads(r, a, b);
		kinds[r->head.kind] += b - a;
		alloc += b - a;
		if (heads)
			heads[r->head.kind] += h * r->head.head;   /* a tail is no head */
	}
	if (ms->nr_alloc)   /* no state kept: as an absent array, nothing is counted */
		kinds[PG_FREE] += hi - lo - alloc;
}

void section_fill(const struct mem_section *ms, uint64_t i, uint64_t n, struct page_state *out)
{
	memset(out, 0, n * sizeof(*out));
	for (struct run_iter it = section_runs_from(ms, i); it.r && it.r->lo < i + n; run_iter_next(&it)) {
		const struct page_run *r = it.r;
		uint64_t a = i > r->lo ? i : r->lo, b = i + n < r->hi ? i + n : r->hi;
		for (uint64_t p = a; p < b; p++)
			out[p - i] = page_run_state(r, p);
	}
}

int section_adopt(struct mhp_machine *m, struct mem_section *ms, const struct page_state *pages)
{
	MHP_ASSERT(!ms->nr_chunks);
	uint64_t alloc = 0;
	for (uint64_t i = 0; i < m->pages_per_section; i++) {
		if (pages[i].kind == PG_FREE) {
			if (memcmp(&pages[i], &(struct page_state){ 0 }, sizeof(pages[i])))
				return -EINVAL;   /* a free page carries nothing */
			continue;
		}
		struct page_run r = make_run(i, 1, 0, &pages[i]);
		runs_insert(m, ms, (struct run_pos){ ms->nr_chunks, 0 }, &r);
		alloc_map_set(ms, i, 1, true);
		alloc++;
	}
	struct page_counts c = count_pages(ms, 0, m->pages_per_section);
	ms->nr_tagged = (uint32_t)c.tagged;
	m->nr_tagged_pages += c.tagged;
	ms->nr_barred = (uint32_t)c.barred;
	return alloc == ms->nr_alloc ? 0 : -ERANGE;
}

uint64_t pages_of_kind(const struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t i = pfn & (m->pages_per_section - 1), at = i;
	MHP_ASSERT(i + n <= m->pages_per_section);
	if (!ms || !ms->nr_alloc)
		return kind == PG_FREE ? n : 0;
	for (struct run_iter it = section_runs_from(ms, i); at < i + n; run_iter_next(&it)) {
		uint64_t gap_end = it.r && it.r->lo < i + n ? it.r->lo : i + n;
		if (at < gap_end) {   /* free pages before the run */
			if (kind != PG_FREE)
				break;
			at = gap_end;
		}
		if (!it.r || at >= i + n || it.r->head.kind != kind)
			break;
		at = it.r->hi < i + n ? it.r->hi : i + n;
	}
	return at - i;
}
