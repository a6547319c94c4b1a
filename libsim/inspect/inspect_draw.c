// SPDX-License-Identifier: GPL-2.0-only
/*
 * inspect_draw.c - the read-only views harness/draw.c needs (inspect.h).
 */
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/sparse.h"
#include "arch/pgtable.h"
#include "inspect.h"

_Static_assert(INSPECT_ZONE_DMA32 == ZONE_DMA32 && INSPECT_ZONE_DEVICE == ZONE_DEVICE,
	       "inspect.h's zones are the model's");
_Static_assert(INSPECT_PT_MAX_DEPTH == PT_MAX_DEPTH, "inspect.h's page-table depth is the model's");
_Static_assert((int)INSPECT_MEM_ONLINE == MEM_ONLINE && (int)INSPECT_MEM_GOING_OFFLINE == MEM_GOING_OFFLINE &&
	       (int)INSPECT_MEM_OFFLINE == MEM_OFFLINE && (int)INSPECT_MEM_GOING_ONLINE == MEM_GOING_ONLINE,
	       "inspect.h's block states are the model's");
_Static_assert((int)INSPECT_PT_NONE == DESC_NONE && (int)INSPECT_PT_TABLE == DESC_TABLE &&
	       (int)INSPECT_PT_BLOCK == DESC_BLOCK && (int)INSPECT_PT_PAGE == DESC_PAGE &&
	       (int)INSPECT_PT_INVALID == DESC_INVALID, "inspect.h's descriptor kinds are the model's");

bool inspect_bootmem_removable(const struct mhp_machine *m)
{
	return m->bootmem_remove != BOOTMEM_VETO;
}

unsigned inspect_memory_block_count(const struct mhp_machine *m)
{
	return (unsigned)m->nr_blocks;
}

bool inspect_memory_block(const struct mhp_machine *m, uint64_t i, struct inspect_memory_block *out)
{
	if (i >= m->nr_blocks)
		return false;
	const struct memory_block *b = m->blocks[i];
	*out = (struct inspect_memory_block){ .id = b->id, .state = b->state, .nid = b->nid,
					      .zone = memory_block_zone(m, b), .early = b->early };
	return true;
}

uint64_t inspect_offline_pages(const struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	uint64_t n = 0, per_section = m->pages_per_section;
	/* Section by section: one with no page allocated keeps no page state worth reading. */
	for (uint64_t s = pfn & ~(per_section - 1); s < pfn + nr; s += per_section) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t lo = s < pfn ? pfn - s : 0, hi = pfn + nr - s < per_section ? pfn + nr - s : per_section;
		uint64_t kinds[NR_PAGE_KINDS] = { 0 };
		section_count_kinds(ms, lo, hi, kinds, NULL);
		n += kinds[PG_OFFLINE];
	}
	return n;
}

bool inspect_zone(const struct mhp_machine *m, int nid, int zid, struct inspect_zone *out)
{
	if (nid < 0 || nid >= MAX_NUMNODES || zid < 0 || zid >= MAX_NR_ZONES)
		return false;
	const struct zone *z = &m->nodes[nid].zones[zid];
	*out = (struct inspect_zone){ .start_pfn = z->zone_start_pfn, .spanned = z->spanned_pages,
				      .present = z->present_pages, .managed = z->managed_pages };
	return true;
}

uint64_t inspect_linear_va(const struct mhp_machine *m, uint64_t pa)
{
	return linear_va(m, pa);
}

struct pt_walker {
	const struct mhp_machine *m;
	const struct inspect_pt_walk_ops *ops;
	void *arg;
};

/* One table at va and its part [lo, hi) of the range; recursion is bounded by the levels. */
static int walk_table(const struct pt_walker *w, const struct pt_table *t, uint64_t va, uint64_t lo, uint64_t hi)
{
	const struct mhp_machine *m = w->m;
	struct inspect_pt_table it = { .pfn = t->pfn, .va = va, .span = pt_span(m, t->depth), .used = t->used,
				       .depth = t->depth, .boot = t->boot };
	bool leaf = t->depth + 1u >= m->pt_geom.levels;
	int ret = w->ops->table ? w->ops->table(&it, w->arg) : 0;
	if (ret || (leaf && !w->ops->entry))   /* a walk of tables alone reads no leaf entry */
		return ret;
	for (uint64_t a = lo; a < hi && !ret;) {
		uint64_t next = pt_addr_end(m, t->depth, a, hi), idx = pt_index(m, t->depth, a), d = pt_get(t, idx);
		enum desc_type type = desc_type(m, t->depth, d);
		bool maps = type == DESC_TABLE || type == DESC_BLOCK || type == DESC_PAGE;
		if (w->ops->entry) {
			struct inspect_pt_entry e = { .idx = idx, .pa = maps ? desc_pa(m, d) : 0, .va_start = a,
						      .va_end = next, .type = (enum inspect_pt_type)type };
			ret = w->ops->entry(&it, &e, w->arg);
		}
		const struct pt_table *child = !ret && !leaf && type == DESC_TABLE
			? pt_lookup(m, desc_pa(m, d) >> m->page_shift) : NULL;
		if (child)
			ret = walk_table(w, child, a & ~(it.span - 1), a, next);
		a = next;
	}
	return ret;
}

int inspect_pt_walk(const struct mhp_machine *m, uint64_t va_start, uint64_t va_end,
		    const struct inspect_pt_walk_ops *ops, void *arg)
{
	const struct pt_table *pgd = pt_pgd(m);
	struct pt_walker w = { .m = m, .ops = ops, .arg = arg };
	return pgd ? walk_table(&w, pgd, 0, va_start, va_end) : 0;
}
