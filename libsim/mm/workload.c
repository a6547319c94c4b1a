// SPDX-License-Identifier: GPL-2.0-only
/*
 * workload.c - what runs on the machine: pages allocated and freed by kind,
 * each with a content tag that must survive every migration.
 *
 * Kinds map to what the kernel allocates them with: anon and file pages are
 * movable (GFP_HIGHUSER_MOVABLE, on the LRU), hugetlb pages are movable
 * PMD-sized folios, kernel and page-table pages are unmovable (GFP_KERNEL,
 * never ZONE_MOVABLE), and long-term pinned pages are anon pages that
 * FOLL_LONGTERM keeps out of ZONE_MOVABLE and CMA and that cannot migrate.
 * A workload may also hold short-term references on its user pages, as a
 * vmsplice or an O_DIRECT transfer in flight does: the page stays where it
 * is, and cannot migrate until they are dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/migrate.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/trace.h"
#include "sim/workload.h"

static uint32_t tag_top(uint32_t tag)
{
	return tag >> (TAG_MID_BITS + TAG_LEAF_BITS);
}

static uint32_t tag_mid(uint32_t tag)
{
	return tag >> TAG_LEAF_BITS & ((1u << TAG_MID_BITS) - 1);
}

static uint32_t tag_idx(uint32_t tag)
{
	return tag & ((1u << TAG_LEAF_BITS) - 1);
}

/* The slot of a tag, or NULL when its leaf does not exist. */
static uint64_t *tag_slot(const struct tag_map *t, uint32_t tag)
{
	struct tag_mid *mid = t->top ? t->top[tag_top(tag)] : NULL;
	struct tag_leaf *leaf = mid ? mid->leaf[tag_mid(tag)] : NULL;
	return leaf ? &leaf->pfn1[tag_idx(tag)] : NULL;
}

bool tag_lookup(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn)
{
	const uint64_t *slot = tag_slot(&m->tags, tag);
	if (!slot || !*slot)
		return false;
	*pfn = *slot - 1;
	return true;
}

/* The host memory tag_insert(t, tag, ...) would take: the top, tag's mid and its leaf, those it lacks. */
static uint64_t tag_insert_bytes(const struct tag_map *t, uint32_t tag)
{
	const struct tag_mid *mid = t->top ? t->top[tag_top(tag)] : NULL;
	bool leaf = !mid || !mid->leaf[tag_mid(tag)];
	return (t->top ? 0 : (1u << TAG_TOP_BITS) * sizeof(*t->top)) + (mid ? 0 : sizeof(*mid)) +
	       (leaf && !t->nr_spare ? sizeof(struct tag_leaf) : 0);
}

/* Records a new live tag; -ENOMEM leaves the map as it was. */
int tag_insert(struct tag_map *t, uint32_t tag, uint64_t pfn)
{
	MHP_ASSERT(tag && pfn != UINT64_MAX);
	uint64_t bytes = tag_insert_bytes(t, tag);
	if (!t->top && !(t->top = calloc(1u << TAG_TOP_BITS, sizeof(*t->top))))
		return -ENOMEM;
	struct tag_mid **midp = &t->top[tag_top(tag)];
	if (!*midp && !(*midp = calloc(1, sizeof(**midp))))
		return -ENOMEM;
	struct tag_leaf **leafp = &(*midp)->leaf[tag_mid(tag)];
	if (!*leafp) {
		if (t->nr_spare)
			*leafp = t->spare[--t->nr_spare];
		else if (!(*leafp = calloc(1, sizeof(**leafp))))
			return -ENOMEM;   /* an empty mid stays: it is reused or freed with the map */
		(*midp)->count++;
	}
	t->bytes += bytes;
	uint64_t *slot = &(*leafp)->pfn1[tag_idx(tag)];
	MHP_ASSERT(!*slot);
	*slot = pfn + 1;
	(*leafp)->count++;
	t->count++;
	t->digest += tag_record_mix(tag, pfn);
	return 0;
}

/*
 * Whether n slots hold first, first + 1, ...: one pass with no early exit,
 * which the compiler vectorizes (the slots of a run of tags mostly do).
 */
static bool slots_follow(const uint64_t *slot, uint64_t n, uint64_t first)
{
	uint64_t diff = 0;
#pragma GCC unroll 4   /* the vector loop four times over: a migration reads millions of slots */
	for (uint64_t i = 0; i < n; i++)
		diff |= slot[i] ^ (first + i);
	return !diff;
}

/* Whether any of n slots is live (a pass like slots_follow()'s). */
static bool slots_any(const uint64_t *slot, uint64_t n)
{
	uint64_t any = 0;
	for (uint64_t i = 0; i < n; i++)
		any |= slot[i];
	return any != 0;
}

/*
 * The sum of tag_record_mix() over n slots from tag's on, which must be
 * live (asserted: slots that follow a live one are): one mix when their
 * pages follow one another.
 */
static uint64_t slots_mix(uint32_t tag, const uint64_t *slot, uint64_t n)
{
	uint64_t i, sum = 0;
	MHP_ASSERT(n && slot[0]);
	if (slots_follow(slot, n, slot[0]))
		return tag_run_mix(tag, slot[0] - 1, n);
	for (i = 0; i < n; i++) {
		MHP_ASSERT(slot[i]);
		sum += tag_record_mix(tag + (uint32_t)i, slot[i] - 1);
	}
	return sum;
}

/*
 * Forgets n live tags from tag on, all in one leaf, whose records add up to
 * mix (the caller's slots_mix(), or tag_run_mix() where it has read the
 * slots already); a leaf or mid that empties is freed, so memory follows
 * the live tags.
 */
static void tag_forget(struct tag_map *t, uint32_t tag, uint64_t n, uint64_t mix)
{
	struct tag_mid *mid = t->top[tag_top(tag)];
	struct tag_leaf *leaf = mid->leaf[tag_mid(tag)];
	uint64_t *slot = &leaf->pfn1[tag_idx(tag)];
	MHP_ASSERT(n && tag_idx(tag) + n <= 1u << TAG_LEAF_BITS && leaf->count >= n);
	t->digest -= mix;
	memset(slot, 0, n * sizeof(*slot));
	t->count -= n;
	if ((leaf->count -= (uint32_t)n))
		return;
	if (t->nr_spare < ARRAY_SIZE(t->spare))   /* every slot is zero again: kept for the next leaf, not zeroed anew */
		t->spare[t->nr_spare++] = leaf;
	else
		free(leaf), t->bytes -= sizeof(*leaf);
	mid->leaf[tag_mid(tag)] = NULL;
	if (--mid->count)
		return;
	free(mid);
	t->bytes -= sizeof(*mid);
	t->top[tag_top(tag)] = NULL;
}

static void tag_delete(struct tag_map *t, uint32_t tag)
{
	const uint64_t *slot = &t->top[tag_top(tag)]->leaf[tag_mid(tag)]->pfn1[tag_idx(tag)];
	tag_forget(t, tag, 1, slots_mix(tag, slot, 1));   /* asserts it is live */
}

/* The leaf of a tag, or NULL; *room says how many tags from it on share that leaf. */
static struct tag_leaf *tag_leaf_of(const struct tag_map *t, uint32_t tag, uint64_t *room)
{
	struct tag_mid *mid = t->top ? t->top[tag_top(tag)] : NULL;
	*room = (1u << TAG_LEAF_BITS) - tag_idx(tag);
	return mid ? mid->leaf[tag_mid(tag)] : NULL;
}

/* How many of the n tags from tag on are not live, counted up to the first live one (a leaf at a time). */
static uint64_t tags_not_live(const struct tag_map *t, uint32_t tag, uint64_t n)
{
	uint64_t k = 0;
	while (k < n) {
		uint64_t room;
		const struct tag_leaf *leaf = tag_leaf_of(t, tag + (uint32_t)k, &room);
		uint64_t want = n - k < room ? n - k : room;
		const uint64_t *slot = leaf ? &leaf->pfn1[tag_idx(tag + (uint32_t)k)] : NULL;
		bool live = slot && slots_any(slot, want);
		for (uint64_t i = 0; live && i < want; i++)   /* where the first live one is */
			if (slot[i])
				return k + i;
		k += want;
	}
	return k;
}

/*
 * tag_insert() for tags tag.. on the pages pfn + (i << order): returns how
 * many went in, fewer than n only when a leaf would pass the host budget
 * (refused: host_over_budget()) or the host is out of memory.
 */
static uint64_t tag_insert_run(struct mhp_machine *m, uint32_t tag, uint64_t n, uint64_t pfn, unsigned order)
{
	struct tag_map *t = &m->tags;
	uint64_t k = 0;
	while (k < n) {
		uint32_t first = tag + (uint32_t)k;
		if (host_over_budget(m, tag_insert_bytes(t, first), "a tag record") ||
		    tag_insert(t, first, pfn + (k << order)))   /* makes the leaf, or fails leaving the map as it was */
			return k;
		uint64_t room;
		struct tag_leaf *leaf = tag_leaf_of(t, first, &room);
		uint64_t want = n - k < room ? n - k : room, *slot = &leaf->pfn1[tag_idx(first)];
		uint64_t live = 0;
#pragma GCC unroll 4   /* an allocation writes thousands */
		for (uint64_t i = 1; i < want; i++) {   /* written, and read as they are: none of them was live */
			live |= slot[i];
			slot[i] = pfn + ((k + i) << order) + 1;
		}
		MHP_ASSERT(!live);
		/* The slots just written: order-0 pages follow one another, one mix; larger ones are read back. */
		t->digest += !order ? tag_run_mix(first + 1, pfn + k + 1, want - 1)
				    : want < 2 ? 0 : slots_mix(first + 1, slot + 1, want - 1);
		leaf->count += (uint32_t)(want - 1);
		t->count += want - 1;
		k += want;
	}
	return k;
}

/* Records where n tags from tag on live now: on the pages from pfn on, one each (a migrated run). */
void tag_moved_run(struct mhp_machine *m, uint32_t tag, uint64_t n, uint64_t pfn)
{
	for (uint64_t k = 0, want; k < n; k += want) {
		uint64_t room, *slot;
		struct tag_leaf *leaf = tag_leaf_of(&m->tags, tag + (uint32_t)k, &room);
		want = n - k < room ? n - k : room;
		MHP_ASSERT(leaf);
		slot = &leaf->pfn1[tag_idx(tag + (uint32_t)k)];
		/* slots_mix() asserts they are live */
		m->tags.digest += tag_run_mix(tag + (uint32_t)k, pfn + k, want) - slots_mix(tag + (uint32_t)k, slot, want);
#pragma GCC unroll 4   /* as slots_follow()'s: a migration writes millions */
		for (uint64_t i = 0; i < want; i++)
			slot[i] = pfn + k + i + 1;
	}
}

/* Records where a tag lives now (after a migration). */
void tag_moved(struct mhp_machine *m, uint32_t tag, uint64_t pfn)
{
	tag_moved_run(m, tag, 1, pfn);
}

/* The first live tag at or above from: true and *tag, or false when there is none. */
bool tag_next_live(const struct tag_map *t, uint32_t from, uint32_t *tag)
{
	for (uint32_t i = tag_top(from); t->top && i < 1u << TAG_TOP_BITS; i++) {
		for (uint32_t j = i == tag_top(from) ? tag_mid(from) : 0; t->top[i] && j < 1u << TAG_MID_BITS; j++) {
			const struct tag_leaf *leaf = t->top[i]->leaf[j];
			bool first = i == tag_top(from) && j == tag_mid(from);
			for (uint32_t k = first ? tag_idx(from) : 0; leaf && k < 1u << TAG_LEAF_BITS; k++) {
				if (leaf->pfn1[k]) {
					*tag = i << (TAG_MID_BITS + TAG_LEAF_BITS) | j << TAG_LEAF_BITS | k;
					return true;
				}
			}
		}
	}
	return false;
}

/* Calls fn for every live tag, in ascending order. */
void tags_for_each(const struct tag_map *t, void (*fn)(uint32_t tag, uint64_t pfn, void *arg), void *arg)
{
	for (uint32_t i = 0; t->top && i < 1u << TAG_TOP_BITS; i++) {
		for (uint32_t j = 0; t->top[i] && j < 1u << TAG_MID_BITS; j++) {
			const struct tag_leaf *leaf = t->top[i]->leaf[j];
			for (uint32_t k = 0; leaf && k < 1u << TAG_LEAF_BITS; k++)
				if (leaf->pfn1[k])
					fn(i << (TAG_MID_BITS + TAG_LEAF_BITS) | j << TAG_LEAF_BITS | k, leaf->pfn1[k] - 1,
					   arg);
		}
	}
}

void tags_free(struct mhp_machine *m)
{
	struct tag_map *t = &m->tags;
	for (uint32_t i = 0; t->top && i < 1u << TAG_TOP_BITS; i++) {
		for (uint32_t j = 0; t->top[i] && j < 1u << TAG_MID_BITS; j++)
			free(t->top[i]->leaf[j]);
		free(t->top[i]);
	}
	free(t->top);
	for (unsigned i = 0; i < t->nr_spare; i++)
		free(t->spare[i]);
	memset(t, 0, sizeof(*t));
}

static const struct { const char *name; enum page_kind kind; bool pinned; } kinds[] = {
	{ "anon", PG_ANON, false }, { "file", PG_FILE, false }, { "kernel", PG_KERNEL, false },
	{ "pgtable", PG_USER_PGTABLE, false }, { "hugetlb", PG_HUGETLB, false }, { "pinned", PG_ANON, true },
};

int mhp_workload_alloc(struct mhp_machine *m, const char *kind, int nid, uint64_t nr, uint32_t first_tag,
		       struct mhp_err *err)
{
	size_t k = 0;
	while (k < ARRAY_SIZE(kinds) && strcmp(kinds[k].name, kind) != 0)
		k++;
	if (k == ARRAY_SIZE(kinds))
		return mhp_err_set(err, -EINVAL, "unknown kind '%s' (anon, file, kernel, pgtable, hugetlb, pinned)", kind);
	if (nid < 0 || nid >= MAX_NUMNODES || !first_tag || nr > UINT32_MAX - first_tag)
		return mhp_err_set(err, -EINVAL, "bad node or tag range");
	/* A hugetlb folio is PMD-sized (HPAGE_PMD_ORDER). */
	unsigned order = kinds[k].kind == PG_HUGETLB ? m->pt_geom.shift[m->pt_geom.levels - 2] - m->page_shift : 0;
	uint64_t done = 0, first = 0, unused = 0;   /* tags [done, unused) are known to be free */
	struct page_write_run w = { 0 };   /* order-0 pages, a write while they continue one another */
	while (done < nr) {
		/* The tags the next allocations take must be free: the first one in use ends the call. */
		uint64_t pfn, got = 1, most = order ? 1 : 1ull << m->max_page_order;   /* a run is one block */
		if (unused < nr && unused - done < most) {
			uint64_t lim = nr - unused < most - (unused - done) ? nr - unused : most - (unused - done);
			unused += tags_not_live(&m->tags, first_tag + (uint32_t)unused, lim);
		}
		uint64_t want = unused - done;
		if (!want) {
			page_write_run_flush(m, &w);
			return mhp_err_set(err, -EEXIST, "tag %u is already in use", first_tag + (uint32_t)done);
		}
		int ret = order ? alloc_pages_take(m, nid, -1, order, kinds[k].kind, kinds[k].pinned, &pfn)
				: alloc_pages_run_take(m, nid, -1, kinds[k].kind, kinds[k].pinned, want, &pfn, &got);
		if (ret)
			break;
		if (!done)
			first = pfn;
		uint32_t tag = first_tag + (uint32_t)done;
		uint8_t refs = kinds[k].pinned ? PAGE_REF_PIN : 0;
		uint64_t in = tag_insert_run(m, tag, got, pfn, order);
		/* Written once: the allocations tagged in order, what the tag map found no room for untagged. */
		if (in && !order)
			page_write_run_add(m, &w, pfn, in, kinds[k].kind, tag, refs);
		else if (in)
			set_page_allocs_owned(m, pfn, in << order, order, kinds[k].kind, tag, refs);
		done += in;
		if (in < got) {
			page_write_run_flush(m, &w);
			set_page_allocs(m, pfn + (in << order), (got - in) << order, order, kinds[k].kind);
			return mhp_err_set(err, -ENOMEM, "out of memory");
		}
	}
	page_write_run_flush(m, &w);
	struct mhp_trace_field f[] = { TF_S("kind", kind), TF_U("pages", done << order), TF_U("first_tag", first_tag),
				       TF_X("first_pfn", first) };
	TRACE(m, "workload_alloc", f, "workload: %llu %s page(s) allocated on node %d preferred, tags %u.., first at pfn %#llx",
	      (unsigned long long)(done << order), kind, nid, first_tag, (unsigned long long)first);
	if (done < nr)
		return mhp_err_set(err, -ENOMEM, "only %llu of %llu %s allocations succeeded", (unsigned long long)done,
				   (unsigned long long)nr, kind);
	return 0;
}

/* The page that holds tag: 0, or -ENOENT, or -EUCLEAN when the record is broken (a mutant). */
static int tagged_page(struct mhp_machine *m, uint32_t tag, uint64_t *pfn, struct page_state *page,
		       struct mhp_err *err)
{
	*pfn = 0;   /* defined on every path: an optimizing build cannot see that an error return is never 0 */
	*page = (struct page_state){ 0 };
	if (!tag_lookup(m, tag, pfn))
		return mhp_err_set(err, -ENOENT, "no page holds tag %u", tag);
	struct page_state p = page_state_of(m, *pfn);
	if (p.tag != tag)   /* only a broken model (a mutant) gets here; DATA-LOST says so */
		return mhp_err_set(err, -EUCLEAN, "DATA-LOST: tag %u is recorded at pfn %#llx, which does not hold it",
				   tag, (unsigned long long)*pfn);
	*page = p;
	return 0;
}

/* The page of a tag that is to be freed, or why it cannot be. */
static int page_to_free(struct mhp_machine *m, uint32_t tag, uint64_t *pfn, struct page_state *p, struct mhp_err *err)
{
	int ret = tagged_page(m, tag, pfn, p, err);
	if (ret)
		return ret;
	/* The kernel frees such a page only when the last reference goes; the model asks for the release first. */
	if (page_short_refs(p))
		return mhp_err_set(err, -EBUSY, "tag %u still has %u short-term reference(s): release them first",
				   tag, page_short_refs(p));
	return 0;
}

/*
 * The tags from tag on (at most max) whose pages follow pfn - 1's one
 * after the other, as page_to_free() would take them: recorded there, held
 * there, order 0, no short-term reference, in the section of pfn - 1
 * (whose array holds the run). They are forgotten; returns how many.
 */
static uint64_t take_tag_run(struct mhp_machine *m, uint32_t tag, uint64_t pfn, uint64_t max)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn - 1);
	uint64_t i = pfn & (m->pages_per_section - 1), k = 0;
	if (!i)
		return 0;
	max = max < m->pages_per_section - i ? max : m->pages_per_section - i;
	for (struct run_iter it = section_runs_from(ms, i); k < max; run_iter_next(&it)) {
		/* A run of tagged order-0 pages, none referenced, whose tags go on from here. */
		const struct page_run *r = it.r;
		if (!r || r->lo > i + k || r->order || r->head.order || page_short_refs(&r->head) ||
		    page_run_state(r, i + k).tag != tag + (uint32_t)k)
			break;
		uint64_t span = r->hi - (i + k) < max - k ? r->hi - (i + k) : max - k, n = 0;
		/* ... recorded there: the tag map a leaf at a time. */
		while (n < span) {
			uint64_t room, got = 0;
			struct tag_leaf *leaf = tag_leaf_of(&m->tags, tag + (uint32_t)(k + n), &room);
			uint64_t want = span - n < room ? span - n : room;
			const uint64_t *slot = leaf ? &leaf->pfn1[tag_idx(tag + (uint32_t)(k + n))] : NULL;
			if (slot && slots_follow(slot, want, pfn + k + n + 1))
				got = want;   /* the whole stretch at once, as the loop below would find it */
			while (slot && got < want && slot[got] == pfn + k + n + got + 1)
				got++;
			if (got)   /* the slots just read: pfn + k + n, and the pages after it */
				tag_forget(&m->tags, tag + (uint32_t)(k + n), got, tag_run_mix(tag + (uint32_t)(k + n), pfn + k + n, got));
			n += got;
			if (got < want)
				break;
		}
		k += n;
		if (n < span)
			break;
	}
	return k;
}

/*
 * Frees the pages of tags first_tag.., in tag order: tags whose pages are
 * consecutive order-0 pages of one section go to the buddy as one run
 * (free_pages_run()), which leaves what freeing them one by one leaves.
 * The first tag that cannot be freed ends the call, the tags before it freed.
 * A run is freed before the next tag is looked up: the next tag's page lies
 * outside it (take_tag_run() took every page that follows), and its
 * section's search hint stays where the run's free will look.
 */
int mhp_workload_free(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err)
{
	for (uint64_t i = 0, n; i < nr; i += n) {
		uint64_t pfn;
		struct page_state p;
		int ret = page_to_free(m, first_tag + (uint32_t)i, &pfn, &p, err);
		if (ret)
			return ret;
		tag_delete(&m->tags, first_tag + (uint32_t)i);   /* the free clears the page's tag and pins */
		n = 1;
		if (p.order) {
			free_pages_owned(m, pfn, p.order);
			continue;
		}
		n += take_tag_run(m, first_tag + (uint32_t)(i + 1), pfn + 1, nr - i - 1);
		free_pages_run(m, pfn, n);
	}
	struct mhp_trace_field f[] = { TF_U("first_tag", first_tag), TF_U("count", nr) };
	TRACE(m, "workload_free", f, "workload: tags %u..%u freed", first_tag, first_tag + (uint32_t)nr - 1);
	return 0;
}

/* Whether a page of the workload may take (delta 1) or drop (-1) one short-term reference. */
static int ref_allowed(const struct page_state *p, uint32_t tag, int delta, struct mhp_err *err)
{
	/* vmsplice and O_DIRECT reference pages a process maps: anon, file and hugetlb ones. */
	if (delta > 0 && !kind_is_movable((enum page_kind)p->kind))
		return mhp_err_set(err, -EINVAL, "tag %u is not a user page: only anon, file, hugetlb and pinned pages are "
				   "referenced by I/O", tag);
	if (delta > 0 && page_short_refs(p) == PAGE_REF_SHORT_MAX)
		return mhp_err_set(err, -EINVAL, "tag %u already has %u short-term references, the most the model counts",
				   tag, PAGE_REF_SHORT_MAX);
	if (delta < 0 && !page_short_refs(p))
		return mhp_err_set(err, -EINVAL, "tag %u has no short-term reference to release", tag);
	return 0;
}

/* Takes or drops one short-term reference on each page: all of them, or none when one may not. */
static int change_short_refs(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, int delta, struct mhp_err *err)
{
	for (int apply = 0; apply < 2; apply++) {
		for (uint64_t i = 0; i < nr; i++) {
			uint64_t pfn;
			struct page_state p;
			int ret = tagged_page(m, first_tag + (uint32_t)i, &pfn, &p, err);
			if (!ret && !apply)
				ret = ref_allowed(&p, first_tag + (uint32_t)i, delta, err);
			if (ret)
				return ret;
			if (apply)
				set_page_owner(m, pfn, p.tag, (uint8_t)(p.refs + delta));
		}
	}
	return 0;
}

/* Models get_user_pages() without FOLL_LONGTERM (vmsplice, an O_DIRECT transfer): the folio_get() on each page. */
int mhp_workload_hold(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err)
{
	int ret = change_short_refs(m, first_tag, nr, 1, err);
	if (ret)
		return ret;
	struct mhp_trace_field f[] = { TF_U("first_tag", first_tag), TF_U("count", nr) };
	TRACE(m, "workload_hold", f, "workload: a short-term reference taken on tags %u..%u (vmsplice, O_DIRECT)",
	      first_tag, first_tag + (uint32_t)nr - 1);
	return 0;
}

/* Models the end of that I/O: folio_put() on each page (the pipe read, the transfer complete). */
int mhp_workload_release(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err)
{
	int ret = change_short_refs(m, first_tag, nr, -1, err);
	if (ret)
		return ret;
	struct mhp_trace_field f[] = { TF_U("first_tag", first_tag), TF_U("count", nr) };
	TRACE(m, "workload_release", f, "workload: a short-term reference dropped on tags %u..%u", first_tag,
	      first_tag + (uint32_t)nr - 1);
	return 0;
}

int mhp_workload_where(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn)
{
	return tag_lookup(m, tag, pfn) ? 0 : -ENOENT;
}
