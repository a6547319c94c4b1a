// SPDX-License-Identifier: GPL-2.0-only
/*
 * migrate.c - moving pages out of a range that is going offline.
 * Kernel twins: mm/migrate.c (migrate_pages), mm/memory_hotplug.c
 * (scan_movable_pages, do_migrate_range).
 */
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/migrate.h"
#include "sim/mmzone.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/trace.h"
#include "sim/workload.h"

/*
 * Models scan_movable_pages(): 0 and the first movable page (the head of an
 * LRU or hugetlb folio), or -ENOENT when none is left. Kernel pages cannot be
 * here: isolation refused them.
 */
int scan_movable_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *pfn)
{
	for (uint64_t s = start_pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t base = s & ~(m->pages_per_section - 1), e = base + m->pages_per_section;
		for (uint64_t p = s; p < e && p < end_pfn; p++) {
			const struct page_state *ps = ms->pages ? &ms->pages[p - base] : section_page(ms, p - base);
			if (ps->head && kind_is_movable((enum page_kind)ps->kind)) {
				*pfn = p;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* True if some node other than nid has memory (node_states[N_MEMORY] minus nid). */
static bool other_memory_node(const struct mhp_machine *m, int nid)
{
	for (int n = 0; n < MAX_NUMNODES; n++)
		if (n != nid && m->nodes[n].node_present_pages)
			return true;
	return false;
}

/*
 * Models what stops migrate_pages() at one folio whatever its passes do: a
 * pinned anon folio stays mapped (try_to_migrate() will not unmap a
 * maybe-DMA-pinned exclusive page: a long-term pin, or O_DIRECT's short-term
 * FOLL_PIN), so migrate_folio_unmap() says -EAGAIN; a plain reference
 * (vmsplice's) lets the unmap through, but folio_migrate_mapping() finds more
 * references than the mappings explain, so migrate_folio_move() says -EAGAIN.
 * Both are retried (NR_MAX_MIGRATE_PAGES_RETRY passes) and the folio is then
 * counted as failed.
 */
static bool folio_refs_block_migration(const struct page_state *src)
{
	return page_longterm_pinned(src) || page_short_refs(src);
}

/*
 * Models migrate_pages() for one folio: a target like it (other nodes first,
 * as do_migrate_range's nodemask asks), the content and tag copied, the
 * source freed. A pinned or referenced folio cannot move: -EAGAIN, every time.
 */
static int migrate_folio(struct mhp_machine *m, uint64_t pfn)
{
	const struct page_state *src = page_state_of(m, pfn);
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (folio_refs_block_migration(src))
		return -EAGAIN;
	unsigned order = src->order;
	enum page_kind kind = (enum page_kind)src->kind;
	uint32_t tag = src->tag;
	uint64_t dst;
	int skip = other_memory_node(m, ms->nid) ? ms->nid : -1;
	int ret = alloc_pages_like(m, ms->nid, skip, order, kind, false, &dst);
	if (ret)
		return ret;
	set_page_owner(m, dst, m->mutant == MUTANT_MIGRATE_DROPS_TAG ? 0 : tag, 0);
	if (tag)
		tag_moved(m, tag, dst);
	free_pages_owned(m, pfn, order);
	m->nr_migrated += 1ull << order;
	return 0;
}

/*
 * Whether the folio at pfn starts a page run migrate_run() may move: order-0
 * folios of one kind, none referenced, in one section, their sources freed
 * to isolated pageblocks only, where no target can come from. Returns the
 * run's length (0: move it alone). The reference path moves each alone.
 */
static uint64_t migrate_run_length(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	const struct page_state *first = page_state_of(m, pfn);
	if (m->pagewise || m->mutant == MUTANT_FREE_TO_WRONG_LIST || first->order || first->kind == PG_HUGETLB)
		return 0;
	uint64_t stop = (pfn | (m->pages_per_section - 1)) + 1, pb = 1ull << m->pageblock_order, n = 0;
	stop = stop < end_pfn ? stop : end_pfn;
	for (uint64_t p = pfn; p < stop; p++, n++) {
		uint64_t i = p & (m->pages_per_section - 1);
		const struct page_state *ps = ms->pages ? &ms->pages[i] : section_page(ms, i);
		if (!ps->head || ps->order || ps->kind != first->kind || folio_refs_block_migration(ps))
			break;
		if ((p == pfn || !(p & (pb - 1))) && get_pageblock_migratetype(m, p) != MIGRATE_ISOLATE)
			break;
	}
	return n;
}

/*
 * Models migrate_pages() for n order-0 folios in a row, as migrate_folio()
 * on each would: the targets are taken as the allocator's runs, the tags
 * copied, and the sources freed as one run, since freeing them to isolated
 * pageblocks changes nothing a later target comes from. Returns 0, or
 * -ENOMEM with *moved the folios moved before memory ran out.
 */
static int migrate_run(struct mhp_machine *m, uint64_t pfn, uint64_t n, uint64_t *moved)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	enum page_kind kind = (enum page_kind)page_state_of(m, pfn)->kind;
	int skip = other_memory_node(m, ms->nid) ? ms->nid : -1, ret = 0;
	uint64_t done = 0, dst, got;
	struct tag_cursor cur = { 0 };
	while (done < n && !(ret = alloc_pages_run_like(m, ms->nid, skip, kind, false, n - done, &dst, &got))) {
		struct mem_section *to_ms = __pfn_to_section(m, dst);
		struct page_state *to = page_state_mut(m, dst);        /* a run is one block: one array */
		uint64_t i0 = (pfn + done) & (m->pages_per_section - 1);
		for (uint64_t i = 0; i < got; i++) {
			uint32_t tag = (ms->pages ? &ms->pages[i0 + i] : section_page(ms, i0 + i))->tag;
			uint64_t j = m->mutant == MUTANT_PAGE_RUN_REORDERS ? got - 1 - i : i;
			page_set_owner(to_ms, &to[j], m->mutant == MUTANT_MIGRATE_DROPS_TAG ? 0 : tag, 0);
			if (tag)
				tag_moved_next(m, &cur, tag, dst + j);
		}
		done += got;
	}
	if (done)
		free_pages_run(m, pfn, done);
	m->nr_migrated += done;
	*moved = done;
	return ret;
}

/* One pass of do_migrate_range() over [start_pfn, end_pfn): hugetlb folios, or the others. */
struct migrate_pass {
	uint64_t moved, failed;      /* pages moved; folios that would not */
	int enomem_at;               /* the pass that ran out of memory, or -1 */
};

/* The first hugetlb head in [pfn, end_pfn): 0 and *pfn, or -ENOENT. The hugetlb pass moves only these. */
static int scan_hugetlb_heads(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn, uint64_t *found)
{
	for (uint64_t s = pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t base = s & ~(m->pages_per_section - 1), e = base + m->pages_per_section;
		e = e < end_pfn ? e : end_pfn;
		for (uint64_t i = s - base; i < e - base; i++) {
			const struct page_state *p = ms->pages ? &ms->pages[i] : section_page(ms, i);
			if (p->head && p->kind == PG_HUGETLB) {
				*found = base + i;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* Models migrate_pages()'s first pass: the hugetlb folios of the range, in order. */
static void migrate_hugetlb_pass(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, struct migrate_pass *mp)
{
	for (uint64_t pfn = start_pfn; scan_hugetlb_heads(m, pfn, end_pfn, &pfn) == 0;) {
		uint64_t n = 1ull << page_state_of(m, pfn)->order;
		int ret = migrate_folio(m, pfn);
		if (ret == -ENOMEM) {
			mp->enomem_at = 0;
			return;   /* migrate_pages gives up on the whole list when memory runs out */
		}
		if (ret)
			mp->failed++;
		else
			mp->moved += n;
		pfn += n;
	}
}

/*
 * The order-0 folios from pfn on, in its section and before end_pfn, that
 * migrate_folio() would refuse one after the other (referenced or pinned):
 * each is a failure and changes nothing, so they are counted at once. The
 * reference path takes each alone.
 */
static uint64_t stuck_run_length(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t base = pfn & ~(m->pages_per_section - 1), stop = base + m->pages_per_section, n = 0;
	stop = stop < end_pfn ? stop : end_pfn;
	if (m->pagewise || !ms->pages)
		return 0;
	for (const struct page_state *p = &ms->pages[pfn - base]; pfn + n < stop; p++, n++)
		if (!p->head || p->order || !kind_is_movable((enum page_kind)p->kind) || p->kind == PG_HUGETLB ||
		    !folio_refs_block_migration(p))
			break;
	return n;
}

/* Models migrate_pages()'s second pass: the other movable folios, in order, runs of them at once. */
static void migrate_pass(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, struct migrate_pass *mp)
{
	for (uint64_t pfn = start_pfn; scan_movable_pages(m, pfn, end_pfn, &pfn) == 0; pfn++) {
		const struct page_state *p = page_state_of(m, pfn);
		uint64_t n = 1ull << p->order;
		if (p->kind == PG_HUGETLB) {
			pfn += n - 1;
			continue;
		}
		uint64_t stuck = stuck_run_length(m, pfn, end_pfn);
		if (stuck) {
			mp->failed += stuck;
			pfn += stuck - 1;
			continue;
		}
		uint64_t run = migrate_run_length(m, pfn, end_pfn), moved;
		if (run > 1) {
			int ret = migrate_run(m, pfn, run, &moved);
			mp->moved += moved;
			if (ret) {
				mp->enomem_at = 1;
				return;
			}
			pfn += run - 1;
			continue;
		}
		int ret = migrate_folio(m, pfn);
		if (ret == -ENOMEM) {
			mp->enomem_at = 1;
			return;   /* migrate_pages gives up on the whole list when memory runs out */
		}
		if (ret)
			mp->failed++;
		else
			mp->moved += n;
		pfn += n - 1;
	}
}

/*
 * Models do_migrate_range(): every movable folio from pfn to the end is
 * isolated and handed to migrate_pages(), which moves hugetlb folios first,
 * then the rest in order. A folio that cannot move (pinned or referenced:
 * -EAGAIN until its retries run out) is counted and skipped, and
 * migrate_pages() returns that count, not -EAGAIN; the first target
 * allocation that fails (-ENOMEM) ends the whole call, as migrate_pages does
 * when memory is low. Only when migrate_pages() returns non-zero is each
 * folio left reported, ten times at most per offline (the kernel's ratelimit
 * is ten per five seconds), and put back.
 */
void do_migrate_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, unsigned *warned)
{
	struct migrate_pass mp = { .enomem_at = -1 };
	migrate_hugetlb_pass(m, start_pfn, end_pfn, &mp);
	if (mp.enomem_at < 0)
		migrate_pass(m, start_pfn, end_pfn, &mp);
	/*
	 * What is left in the range is what migrate_pages put back: the folios
	 * that failed and, out of memory, all it did not reach. Each gets the
	 * warning (in pfn order here); the kernel follows it with dump_page(),
	 * whose refcounts are not modelled.
	 */
	long long ret = mp.enomem_at >= 0 ? -ENOMEM : (long long)mp.failed;
	for (uint64_t pfn = start_pfn; ret && *warned < 10 && scan_movable_pages(m, pfn, end_pfn, &pfn) == 0; pfn++) {
		(*warned)++;
		pr_warn(m, "migrating pfn %llx failed ret:%lld", (unsigned long long)pfn, ret);
		pfn += (1ull << page_state_of(m, pfn)->order) - 1;
	}
	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_U("moved", mp.moved), TF_U("failed", mp.failed),
				       TF_U("enomem", mp.enomem_at >= 0) };
	TRACE(m, "migrate", f, "migrated %llu pages out of [%#llx...), %llu folio(s) would not move%s",
	      (unsigned long long)mp.moved, (unsigned long long)start_pfn, (unsigned long long)mp.failed,
	      mp.enomem_at >= 0 ? ", then no target memory was left" : "");
}
