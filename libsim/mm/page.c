/*
 * page.c - the page layer: what the model keeps of struct page for allocated
 * pages. Kernel twin: include/linux/mm_types.h, include/linux/page-flags.h.
 *
 * A section gets a per-page array only while some of its pages are allocated;
 * free and reserved pages need none, so memory follows what is allocated.
 */
#include <stdlib.h>

#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/sparse.h"
#include "sim/touched.h"

/* Marks [pfn, pfn + n) (within one section) as kind; PG_FREE clears the pages' state. */
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind)
{
	struct mem_section *ms = __pfn_to_section(m, pfn);
	MHP_ASSERT(ms && pfn_to_section_nr(m, pfn + n - 1) == pfn_to_section_nr(m, pfn));
	MHP_ASSERT(n > 0 && kind < NR_PAGE_KINDS);
	if (!ms->pages) {
		if (kind == PG_FREE)
			return 0;
		ms->pages = calloc(m->pages_per_section, sizeof(*ms->pages));
		if (!ms->pages)
			return -ENOMEM;
		m->host.page_arrays++;
	}
	touch_range(m, TOUCHED_PAGES, PFN_PHYS(m, pfn), PFN_PHYS(m, pfn + n));
	m->nr_page_writes += n;
	for (uint64_t i = 0; i < n; i++) {
		struct page_state *p = &ms->pages[(pfn + i) & (m->pages_per_section - 1)];
		ms->nr_alloc += (kind != PG_FREE) - (p->kind != PG_FREE);
		MHP_ASSERT(ms->nr_alloc <= m->pages_per_section);
		*p = (struct page_state){ .kind = (uint8_t)kind };
	}
	if (!ms->nr_alloc) {
		free(ms->pages);
		ms->pages = NULL;
		m->host.page_arrays--;
	}
	return 0;
}
