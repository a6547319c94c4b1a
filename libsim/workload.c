/*
 * workload.c - what runs on the machine: pages allocated and freed by kind,
 * each with a content tag that must survive every migration.
 *
 * Kinds map to what the kernel allocates them with: anon and file pages are
 * movable (GFP_HIGHUSER_MOVABLE, on the LRU), hugetlb pages are movable
 * PMD-sized folios, kernel and page-table pages are unmovable (GFP_KERNEL,
 * never ZONE_MOVABLE), and long-term pinned pages are anon pages that
 * FOLL_LONGTERM keeps out of ZONE_MOVABLE and CMA and that cannot migrate.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint64_t tag_slot(uint32_t tag, uint64_t cap)
{
	return ((uint64_t)tag * 0x9e3779b97f4a7c15ull) >> 17 & (cap - 1);
}

bool tag_lookup(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn)
{
	const struct tag_map *t = &m->tags;
	if (!t->cap)
		return false;
	for (uint64_t i = tag_slot(tag, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].tag)
			return false;
		if (t->slots[i].tag == tag) {
			*pfn = t->slots[i].pfn;
			return true;
		}
	}
}

static void tag_put(struct tag_map *t, uint32_t tag, uint64_t pfn)
{
	uint64_t i = tag_slot(tag, t->cap);
	while (t->slots[i].tag && t->slots[i].tag != tag)
		i = (i + 1) & (t->cap - 1);
	if (!t->slots[i].tag)
		t->count++;
	t->slots[i].tag = tag;
	t->slots[i].pfn = pfn;
}

static int tag_insert(struct mhp_machine *m, uint32_t tag, uint64_t pfn)
{
	struct tag_map *t = &m->tags;
	if ((t->count + 1) * 2 > t->cap) {
		uint64_t ncap = t->cap ? t->cap * 2 : 1024;
		struct tag_map n = { .cap = ncap };
		n.slots = calloc(ncap, sizeof(*n.slots));
		if (!n.slots)
			return -ENOMEM;
		for (uint64_t i = 0; i < t->cap; i++)
			if (t->slots[i].tag)
				tag_put(&n, t->slots[i].tag, t->slots[i].pfn);
		free(t->slots);
		*t = n;
	}
	tag_put(t, tag, pfn);
	return 0;
}

/* Records where a tag lives now (after a migration). */
void tag_moved(struct mhp_machine *m, uint32_t tag, uint64_t pfn)
{
	tag_put(&m->tags, tag, pfn);
}

static void tag_delete(struct tag_map *t, uint32_t tag)
{
	uint64_t i = tag_slot(tag, t->cap);
	while (t->slots[i].tag != tag)
		i = (i + 1) & (t->cap - 1);
	t->slots[i].tag = 0;
	t->count--;
	for (uint64_t j = (i + 1) & (t->cap - 1); t->slots[j].tag; j = (j + 1) & (t->cap - 1)) {
		uint32_t tg = t->slots[j].tag;
		uint64_t p = t->slots[j].pfn;
		t->slots[j].tag = 0;
		t->count--;
		tag_put(t, tg, p);
	}
}

void tags_free(struct mhp_machine *m)
{
	free(m->tags.slots);
	memset(&m->tags, 0, sizeof(m->tags));
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
	uint64_t done = 0, pfn, first = 0;
	for (; done < nr; done++) {
		uint32_t tag = first_tag + (uint32_t)done;
		if (tag_lookup(m, tag, &pfn))
			return mhp_err_set(err, -EEXIST, "tag %u is already in use", tag);
		int ret = alloc_pages_like(m, nid, -1, order, kinds[k].kind, kinds[k].pinned, &pfn);
		if (ret)
			break;
		struct page_state *p = page_state_of(m, pfn);
		p->tag = tag;
		p->pin = kinds[k].pinned;
		if (tag_insert(m, tag, pfn))
			return mhp_err_set(err, -ENOMEM, "out of memory");
		if (!done)
			first = pfn;
	}
	struct mhp_trace_field f[] = { TF_S("kind", kind), TF_U("pages", done << order), TF_U("first_tag", first_tag),
				       TF_X("first_pfn", first) };
	TRACE(m, "workload_alloc", f, "workload: %llu %s page(s) allocated on node %d preferred, tags %u.., first at pfn %#llx",
	      (unsigned long long)(done << order), kind, nid, first_tag, (unsigned long long)first);
	if (done < nr)
		return mhp_err_set(err, -ENOMEM, "only %llu of %llu %s allocations succeeded", (unsigned long long)done,
				   (unsigned long long)nr, kind);
	return 0;
}

int mhp_workload_free(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err)
{
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t pfn;
		uint32_t tag = first_tag + (uint32_t)i;
		if (!tag_lookup(m, tag, &pfn))
			return mhp_err_set(err, -ENOENT, "no page holds tag %u", tag);
		struct page_state *p = page_state_of(m, pfn);
		tag_delete(&m->tags, tag);
		p->pin = 0;
		free_pages_owned(m, pfn, p->order);
	}
	struct mhp_trace_field f[] = { TF_U("first_tag", first_tag), TF_U("count", nr) };
	TRACE(m, "workload_free", f, "workload: tags %u..%u freed", first_tag, first_tag + (uint32_t)nr - 1);
	return 0;
}

int mhp_workload_where(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn)
{
	return tag_lookup(m, tag, pfn) ? 0 : -ENOENT;
}
