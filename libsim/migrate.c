/*
 * migrate.c - moving pages out of a range that is going offline.
 * Kernel twins: mm/migrate.c (migrate_pages), mm/memory_hotplug.c
 * (scan_movable_pages, do_migrate_range).
 */
#include "internal.h"

/* A page the offline path can move: on the LRU (anon, file) or hugetlb, counted by its head. */
static bool movable_head(const struct mhp_machine *m, uint64_t pfn)
{
	const struct page_state *p = page_state_of(m, pfn);
	return p && p->head && kind_is_movable((enum page_kind)p->kind);
}

/*
 * Models scan_movable_pages(): 0 and the first movable page, or -ENOENT when
 * none is left. Kernel pages cannot be here: isolation refused them.
 */
int scan_movable_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *pfn)
{
	for (uint64_t s = start_pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t e = (s | (m->pages_per_section - 1)) + 1;
		for (uint64_t p = s; p < e && p < end_pfn; p++) {
			if (movable_head(m, p)) {
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
 * Models migrate_pages() for one folio: a target like it (other nodes first,
 * as do_migrate_range's nodemask asks), the content and tag copied, the
 * source freed. A pinned page cannot move: -EAGAIN, every time.
 */
static int migrate_folio(struct mhp_machine *m, uint64_t pfn)
{
	struct page_state *src = page_state_of(m, pfn);
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (src->pin)
		return -EAGAIN;
	unsigned order = src->order;
	enum page_kind kind = (enum page_kind)src->kind;
	uint32_t tag = src->tag;
	uint64_t dst;
	int skip = other_memory_node(m, ms->nid) ? ms->nid : -1;
	int ret = alloc_pages_like(m, ms->nid, skip, order, kind, false, &dst);
	if (ret)
		return ret;
	struct page_state *d = page_state_of(m, dst);
	d->tag = m->mutant == MUTANT_MIGRATE_DROPS_TAG ? 0 : tag;
	if (tag)
		tag_moved(m, tag, dst);
	free_pages_owned(m, pfn, order);
	m->nr_migrated += 1ull << order;
	return 0;
}

/*
 * Models do_migrate_range(): every movable folio from pfn to the end is
 * isolated and migrated; each failure is reported as the kernel does, ten
 * times at most per offline (its ratelimit), and the folio put back.
 */
void do_migrate_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, unsigned *warned)
{
	uint64_t moved = 0, failed = 0, first_failed = 0;
	for (uint64_t pfn = start_pfn; scan_movable_pages(m, pfn, end_pfn, &pfn) == 0; pfn++) {
		const struct page_state *p = page_state_of(m, pfn);
		uint64_t n = 1ull << p->order;
		if (migrate_folio(m, pfn)) {
			if (!failed++)
				first_failed = pfn;
			pfn += n - 1;
			continue;
		}
		moved += n;
		pfn += n - 1;
	}
	/* The kernel follows this line with dump_page(); its refcounts are not modelled, so it is left out. */
	if (failed && *warned < 10) {
		(*warned)++;
		pr_warn(m, "migrating pfn %llx failed ret:%llu", (unsigned long long)first_failed,
			(unsigned long long)failed);
	}
	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_U("moved", moved), TF_U("failed", failed) };
	TRACE(m, "migrate", f, "migrated %llu pages out of [%#llx...), %llu folio(s) would not move",
	      (unsigned long long)moved, (unsigned long long)start_pfn, (unsigned long long)failed);
}
