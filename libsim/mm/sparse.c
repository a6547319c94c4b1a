// SPDX-License-Identifier: GPL-2.0-only
/*
 * sparse.c - the section table of SPARSEMEM_EXTREME. Kernel twin: mm/sparse.c
 * (and the vmemmap half of mm/sparse-vmemmap.c).
 *
 * Like the kernel, sections live in fixed-size roots allocated on first use.
 * Unlike the kernel, the directory of roots is itself sparse (a sorted array),
 * so memory grows with present sections, never with the physical address space.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/mutant.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/trace.h"

/* SECTIONS_PER_ROOT: a page of 16-byte struct mem_section, as in the kernel. */
/* A root is one page of mem_section pointers' worth: PAGE_SIZE / 16 sections, a power of two. */
static unsigned root_shift(const struct mhp_machine *m)
{
	return m->page_shift - 4;
}

static uint64_t sections_per_root(const struct mhp_machine *m)
{
	return 1ull << root_shift(m);
}

int sparse_init(struct mhp_machine *m)
{
	memset(&m->sparse, 0, sizeof(m->sparse));
	return 0;
}

void sparse_free(struct mhp_machine *m)
{
	for (size_t i = 0; i < m->sparse.nr_roots; i++) {
		for (uint64_t k = 0; k < sections_per_root(m); k++) {
			section_runs_free(&m->sparse.roots[i].sections[k]);
			free(m->sparse.roots[i].sections[k].pb_mt);
		}
		free(m->sparse.roots[i].sections);
	}
	free(m->sparse.roots);
	memset(&m->sparse, 0, sizeof(m->sparse));
}

static void sparse_put_root(struct mhp_machine *m, uint64_t nr);
static struct section_root *root_of(struct mhp_machine *m, uint64_t nr);

/* Binary search for a root; returns its index or where it would be inserted. */
static size_t root_search(const struct sparse_table *t, uint64_t root_nr, bool *found)
{
	size_t lo;
	if (t->last < t->nr_roots && t->roots[t->last].root_nr == root_nr) {
		*found = true;
		return t->last;
	}
	PARTITION_POINT(lo, t->nr_roots, k, t->roots[k].root_nr < root_nr);
	*found = lo < t->nr_roots && t->roots[lo].root_nr == root_nr;
	return lo;
}

/* Root i is the last looked up: the index for root_search(), its sections for __nr_to_section(). */
static void root_last(const struct mhp_machine *m, size_t i)
{
	struct sparse_table *t = &((struct mhp_machine *)m)->sparse;   /* a lookup cache, not state */
	t->last = i;
	t->last_base = t->roots[i].root_nr << root_shift(m);
	t->last_count = sections_per_root(m);
	t->last_sections = t->roots[i].sections;
}

/* __nr_to_section() when the last root looked up is not the section's: a binary search. */
struct mem_section *__nr_to_section_slow(const struct mhp_machine *m, uint64_t nr)
{
	bool found;
	size_t i = root_search(&m->sparse, nr >> root_shift(m), &found);
	if (!found)
		return NULL;
	root_last(m, i);
	return &m->sparse.roots[i].sections[nr & (sections_per_root(m) - 1)];
}


/* Models sparse_index_init(): allocates the root that holds section nr. */
struct mem_section *sparse_get_section(struct mhp_machine *m, uint64_t nr)
{
	struct sparse_table *t = &m->sparse;
	uint64_t per = sections_per_root(m);
	bool found;
	size_t i = root_search(t, nr / per, &found);

	if (!found) {
		if (t->nr_roots == t->cap_roots) {
			size_t ncap = t->cap_roots ? t->cap_roots * 2 : 8;
			struct section_root *roots = realloc(t->roots, ncap * sizeof(*roots));
			if (!roots)
				return NULL;
			t->roots = roots;
			t->cap_roots = ncap;
		}
		struct mem_section *secs = calloc(per, sizeof(*secs));
		if (!secs)
			return NULL;
		for (uint64_t s = 0; s < per; s++) {
			secs[s].zone = NO_ZONE;
			secs[s].nid = -1;
		}
		memmove(&t->roots[i + 1], &t->roots[i], (t->nr_roots - i) * sizeof(*t->roots));
		t->roots[i] = (struct section_root){ .root_nr = nr / per, .sections = secs };
		t->nr_roots++;
	}
	root_last(m, i);
	return &t->roots[i].sections[nr % per];
}

static struct section_root *root_of(struct mhp_machine *m, uint64_t nr)
{
	bool found;
	size_t i = root_search(&m->sparse, nr / sections_per_root(m), &found);
	MHP_ASSERT(found);
	return &m->sparse.roots[i];
}

/* Frees a root whose sections are all gone (the kernel keeps roots; we bound memory). */
static void sparse_put_root(struct mhp_machine *m, uint64_t nr)
{
	struct sparse_table *t = &m->sparse;
	bool found;
	size_t i = root_search(t, nr / sections_per_root(m), &found);
	MHP_ASSERT(found);
	if (t->roots[i].nr_present)
		return;
	for (uint64_t k = 0; k < sections_per_root(m); k++)
		if (t->roots[i].sections[k].nr_alloc)
			return;   /* boot allocations still live in it */
	free(t->roots[i].sections);
	memmove(&t->roots[i], &t->roots[i + 1], (t->nr_roots - i - 1) * sizeof(*t->roots));
	t->nr_roots--;
	t->last = 0;
	t->last_count = 0;   /* its sections are gone */
	t->last_sections = NULL;
}

/* The bits of the subsection map that [pfn, pfn + nr) covers (subsection_mask_set). */
static void subsection_mask(const struct mhp_machine *m, uint64_t pfn, uint64_t nr, uint64_t mask[4])
{
	uint64_t first = (pfn & (m->pages_per_section - 1)) / m->pages_per_subsection;
	uint64_t last = ((pfn + nr - 1) & (m->pages_per_section - 1)) / m->pages_per_subsection;
	memset(mask, 0, 4 * sizeof(uint64_t));
	for (uint64_t b = first; b <= last; b++)
		mask[b / 64] |= 1ull << (b % 64);
}

static bool mask_empty(const uint64_t mask[4])
{
	return !(mask[0] | mask[1] | mask[2] | mask[3]);
}

/* Memmap pages one section needs: 64-byte struct pages, rounded up to pages. */
static uint64_t memmap_pages(const struct mhp_machine *m, uint64_t nr_pages)
{
	return (nr_pages * 64 + m->page_size - 1) / m->page_size;
}

/*
 * Models sparse_add_section(): mark the subsections present and install the
 * memmap. A range is within one section; -EEXIST if any part is present.
 */
int sparse_add_section(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages, bool early)
{
	uint64_t nr = pfn_to_section_nr(m, pfn), mask[4];
	MHP_ASSERT(nr_pages > 0);
	MHP_ASSERT(pfn_to_section_nr(m, pfn + nr_pages - 1) == nr);
	MHP_ASSERT(is_aligned(pfn | nr_pages, m->pages_per_subsection));

	struct mem_section *ms = sparse_get_section(m, nr);
	if (!ms)
		return -ENOMEM;
	subsection_mask(m, pfn, nr_pages, mask);
	for (int i = 0; i < 4; i++)
		if (ms->subsection_map[i] & mask[i])
			return -EEXIST;
	bool was_present = present_section(ms);
	/* The usage struct with the pageblock flags: every pageblock starts MIGRATE_MOVABLE (memmap_init). */
	if (!ms->pb_mt) {
		ms->pb_mt = malloc(m->pages_per_section >> m->pageblock_order);
		if (!ms->pb_mt)
			return -ENOMEM;
		memset(ms->pb_mt, MIGRATE_MOVABLE, m->pages_per_section >> m->pageblock_order);
	}
	/* section_activate(): the memmap first; on failure nothing of this section stays. */
	if (!early && m->arch->vmemmap_populate(m, pfn, nr_pages, nid, false)) {
		m->arch->vmemmap_free(m, pfn, nr_pages);
		if (!was_present && !ms->nr_alloc)
			sparse_put_root(m, nr);
		return -ENOMEM;
	}
	for (int i = 0; i < 4; i++)
		ms->subsection_map[i] |= mask[i];
	ms->flags |= SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP;
	if (early)
		ms->flags |= SECTION_IS_EARLY | SECTION_IS_ONLINE;
	ms->nid = (int16_t)nid;
	if (!was_present) {
		m->sparse.nr_present++;
		root_of(m, nr)->nr_present++;
	}
	if (early)
		m->nr_memmap_boot_pages += memmap_pages(m, nr_pages);
	else
		m->nr_memmap_pages += memmap_pages(m, nr_pages);

	struct mhp_trace_field f[] = { TF_U("section", nr), TF_X("pfn", pfn), TF_U("pages", nr_pages),
				       TF_U("nid", (uint64_t)nid) };
	TRACE(m, "section_add", f, "section %llu: %llu pages from pfn %#llx present on node %d, memmap installed",
	      (unsigned long long)nr, (unsigned long long)nr_pages, (unsigned long long)pfn, nid);
	return 0;
}

/* Models sparse_remove_section() -> section_deactivate(). */
void sparse_remove_section(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t nr = pfn_to_section_nr(m, pfn), mask[4];
	struct mem_section *ms = __nr_to_section(m, nr);

	MHP_ASSERT(present_section(ms));
	MHP_ASSERT(!online_section(ms));
	subsection_mask(m, pfn, nr_pages, mask);
	for (int i = 0; i < 4; i++) {
		MHP_ASSERT((ms->subsection_map[i] & mask[i]) == mask[i]);
		ms->subsection_map[i] &= ~mask[i];
	}
	if (early_section(ms))
		m->nr_memmap_boot_pages -= memmap_pages(m, nr_pages);
	else
		m->nr_memmap_pages -= memmap_pages(m, nr_pages);
	m->arch->vmemmap_free(m, pfn, nr_pages);
	struct mhp_trace_field f[] = { TF_U("section", nr), TF_X("pfn", pfn), TF_U("pages", nr_pages) };
	TRACE(m, "section_remove", f, "section %llu: %llu pages from pfn %#llx removed, memmap freed",
	      (unsigned long long)nr, (unsigned long long)nr_pages, (unsigned long long)pfn);
	if (!mask_empty(ms->subsection_map))
		return;
	if (m->mutant == MUTANT_REMOVE_KEEPS_SECTION_PRESENT)
		return;   /* the bug: the emptied section still claims to be present */
	MHP_ASSERT(!ms->nr_alloc && !ms->chunks);
	m->nr_isolated_pageblocks -= section_isolated_pageblocks(m, ms);
	free(ms->pb_mt);
	*ms = (struct mem_section){ .nid = -1, .zone = NO_ZONE };
	m->sparse.nr_present--;
	root_of(m, nr)->nr_present--;
	sparse_put_root(m, nr);
}

static void set_sections_online(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool online)
{
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn += m->pages_per_section) {
		struct mem_section *ms = __pfn_to_section(m, pfn);
		MHP_ASSERT(present_section(ms));
		if (online)
			ms->flags |= SECTION_IS_ONLINE;
		else
			ms->flags &= ~SECTION_IS_ONLINE;
	}
}

/* Models online_mem_sections(). */
void online_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	set_sections_online(m, start_pfn, end_pfn, true);
}

/* Models offline_mem_sections(). */
void offline_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	set_sections_online(m, start_pfn, end_pfn, false);
}

int for_each_present_section(const struct mhp_machine *m, uint64_t start_nr, uint64_t end_nr,
			     int (*fn)(const struct mhp_machine *, uint64_t nr,
				       const struct mem_section *, void *), void *arg)
{
	uint64_t per = sections_per_root(m);
	bool found;
	size_t i = root_search(&m->sparse, start_nr / per, &found);

	for (; i < m->sparse.nr_roots; i++) {
		const struct section_root *root = &m->sparse.roots[i];
		uint64_t base = root->root_nr * per;
		if (base >= end_nr)
			break;
		/* Only the root's share of [start_nr, end_nr): a short range costs what it covers. */
		uint64_t first = start_nr > base ? start_nr - base : 0, last = end_nr - base < per ? end_nr - base : per;
		for (uint64_t s = first; s < last; s++) {
			uint64_t nr = base + s;
			if (!present_section(&root->sections[s]))
				continue;
			int ret = fn(m, nr, &root->sections[s], arg);
			if (ret)
				return ret;
		}
	}
	return 0;
}

uint64_t sparse_memory_bytes(const struct mhp_machine *m)
{
	return m->sparse.nr_roots * sections_per_root(m) * sizeof(struct mem_section) +
	       m->sparse.cap_roots * sizeof(struct section_root);
}

/* Models memblocks_present() + sparse_init(): boot sections are present, online and early. */
int memblocks_present(struct mhp_machine *m, struct mhp_err *err)
{
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		uint64_t pfn = PHYS_PFN(m, r->start), end = PHYS_PFN(m, r->start + r->size);
		for (; pfn < end; pfn += m->pages_per_section) {
			int ret = sparse_add_section(m, r->nid, pfn, m->pages_per_section, true);
			if (ret)
				return mhp_err_set(err, ret, "boot: cannot add section at pfn %#llx",
						   (unsigned long long)pfn);
		}
	}
	return 0;
}
