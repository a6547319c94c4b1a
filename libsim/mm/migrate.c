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
 * The first head in [pfn, end_pfn) of a movable folio (hugetlb only: of a
 * hugetlb one): 0 and *found, or -ENOENT. A run at a time: its first head
 * at or after where the search stands.
 */
static int scan_heads(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn, bool hugetlb_only, uint64_t *found)
{
	for (uint64_t s = pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t base = s & ~(m->pages_per_section - 1), lo = s - base;
		uint64_t hi = end_pfn - base < m->pages_per_section ? end_pfn - base : m->pages_per_section;
		for (struct run_iter it = section_runs_from(ms, lo); it.r && it.r->lo < hi; run_iter_next(&it)) {
			const struct page_run *r = it.r;
			enum page_kind kind = (enum page_kind)r->head.kind;
			if (!r->head.head || !(hugetlb_only ? kind == PG_HUGETLB : kind_is_movable(kind)))
				continue;
			uint64_t head = page_run_next_head(r, lo > r->lo ? lo : r->lo);
			if (head < r->hi && head < hi) {
				*found = base + head;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/*
 * Models scan_movable_pages(): 0 and the first movable page (the head of an
 * LRU or hugetlb folio), or -ENOENT when none is left. Kernel pages cannot be
 * here: isolation refused them.
 */
int scan_movable_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *pfn)
{
	return scan_heads(m, start_pfn, end_pfn, false, pfn);
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
	struct page_state src = page_state_of(m, pfn);
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (folio_refs_block_migration(&src))
		return -EAGAIN;
	unsigned order = src.order;
	enum page_kind kind = (enum page_kind)src.kind;
	uint32_t tag = src.tag;
	uint64_t dst;
	int skip = other_memory_node(m, ms->nid) ? ms->nid : -1;
	int ret = alloc_pages_take(m, ms->nid, skip, order, kind, false, &dst);
	if (ret)
		return ret;
	set_page_allocs_owned(m, dst, 1ull << order, order, kind, m->mutant == MUTANT_MIGRATE_DROPS_TAG ? 0 : tag, 0);
	if (tag)
		tag_moved(m, tag, dst);
	free_pages_owned(m, pfn, order);
	m->nr_migrated += 1ull << order;
	return 0;
}

/*
 * The order-0 folios from pfn on (in its section, before end_pfn) that are
 * runs' pages for which ok() holds, taken a run at a time.
 */
static uint64_t order0_folios(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn,
			      bool (*ok)(const struct page_run *r, const struct page_state *first),
			      const struct page_state *first)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	uint64_t base = pfn & ~(m->pages_per_section - 1), i = pfn - base, at = i;
	uint64_t stop = end_pfn - base < m->pages_per_section ? end_pfn - base : m->pages_per_section;
	for (struct run_iter it = section_runs_from(ms, i); it.r && at < stop; run_iter_next(&it)) {
		const struct page_run *r = it.r;
		if (r->lo > at || r->order || r->head.order || !r->head.head || !ok(r, first))
			break;
		at = r->hi < stop ? r->hi : stop;
	}
	return at - i;
}

static bool movable_like_first(const struct page_run *r, const struct page_state *first)
{
	return r->head.kind == first->kind && !folio_refs_block_migration(&r->head);
}

/*
 * Whether the folio at pfn starts a page run migrate_run() may move: order-0
 * folios of one kind, none referenced, in one section, their sources freed
 * to isolated pageblocks only, where no target can come from. Returns the
 * run's length (0: move it alone). The reference path moves each alone.
 */
static uint64_t migrate_run_length(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn)
{
	struct page_state first = page_state_of(m, pfn);
	if (m->pagewise || m->mutant == MUTANT_FREE_TO_WRONG_LIST || first.order || first.kind == PG_HUGETLB)
		return 0;
	uint64_t n = order0_folios(m, pfn, end_pfn, movable_like_first, &first), pb = 1ull << m->pageblock_order;
	for (uint64_t p = pfn; p < pfn + n; p = (p | (pb - 1)) + 1)
		if (get_pageblock_migratetype(m, p) != MIGRATE_ISOLATE)
			return p - pfn;
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
	enum page_kind kind = (enum page_kind)page_state_of(m, pfn).kind;
	int skip = other_memory_node(m, ms->nid) ? ms->nid : -1, ret = 0;
	uint64_t done = 0, dst, got;
	struct page_write_run w = { 0 };   /* the targets, a write while they continue one another */
	while (done < n && !(ret = alloc_pages_run_take(m, ms->nid, skip, kind, false, n - done, &dst, &got))) {
		for (uint64_t i = 0, len; i < got; i += len) {
			/*
			 * The targets are written a source run at a time, with its tags: a
			 * run's tags follow one another, and so do the targets.
			 */
			uint64_t src = pfn + done + i, si = src & (m->pages_per_section - 1);
			const struct page_run *r = section_runs_from(ms, si).r;
			uint32_t tag = page_run_state(r, si).tag;
			len = r->hi - si < got - i ? r->hi - si : got - i;
			if (m->mutant == MUTANT_PAGE_RUN_REORDERS)
				len = 1;
			uint64_t to = m->mutant == MUTANT_PAGE_RUN_REORDERS ? dst + got - 1 - i : dst + i;
			page_write_run_add(m, &w, to, len, kind, m->mutant == MUTANT_MIGRATE_DROPS_TAG ? 0 : tag, 0);
			if (tag)
				tag_moved_run(m, tag, len, to);
		}
		done += got;
	}
	page_write_run_flush(m, &w);
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

/*
 * One folio of n pages through migrate_folio(), counted in pass's tally:
 * false when memory ran out, where migrate_pages() gives up on the whole
 * list.
 */
static bool migrate_one(struct mhp_machine *m, uint64_t pfn, uint64_t n, int pass, struct migrate_pass *mp)
{
	int ret = migrate_folio(m, pfn);
	if (ret == -ENOMEM) {
		mp->enomem_at = pass;
		return false;
	}
	if (ret)
		mp->failed++;
	else
		mp->moved += n;
	return true;
}

/* Models migrate_pages()'s first pass: the hugetlb folios of the range, in order. */
static void migrate_hugetlb_pass(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, struct migrate_pass *mp)
{
	for (uint64_t pfn = start_pfn; scan_heads(m, pfn, end_pfn, true, &pfn) == 0;) {
		uint64_t n = 1ull << page_state_of(m, pfn).order;
		if (!migrate_one(m, pfn, n, 0, mp))
			return;
		pfn += n;
	}
}

/*
 * The order-0 folios from pfn on, in its section and before end_pfn, that
 * migrate_folio() would refuse one after the other (referenced or pinned):
 * each is a failure and changes nothing, so they are counted at once. The
 * reference path takes each alone.
 */
static bool refused(const struct page_run *r, const struct page_state *first)
{
	(void)first;
	return kind_is_movable((enum page_kind)r->head.kind) && r->head.kind != PG_HUGETLB &&
	       folio_refs_block_migration(&r->head);
}

static uint64_t stuck_run_length(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn)
{
	return m->pagewise ? 0 : order0_folios(m, pfn, end_pfn, refused, NULL);
}

/* Models migrate_pages()'s second pass: the other movable folios, in order, runs of them at once. */
static void migrate_pass(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, struct migrate_pass *mp)
{
	for (uint64_t pfn = start_pfn; scan_movable_pages(m, pfn, end_pfn, &pfn) == 0; pfn++) {
		struct page_state p = page_state_of(m, pfn);
		uint64_t n = 1ull << p.order;
		if (p.kind == PG_HUGETLB) {
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
		if (!migrate_one(m, pfn, n, 1, mp))
			return;
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
		pfn += (1ull << page_state_of(m, pfn).order) - 1;
	}
	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_U("moved", mp.moved), TF_U("failed", mp.failed),
				       TF_U("enomem", mp.enomem_at >= 0) };
	TRACE(m, "migrate", f, "migrated %llu pages out of [%#llx...), %llu folio(s) would not move%s",
	      (unsigned long long)mp.moved, (unsigned long long)start_pfn, (unsigned long long)mp.failed,
	      mp.enomem_at >= 0 ? ", then no target memory was left" : "");
}
