// SPDX-License-Identifier: GPL-2.0-only
/*
 * sparse-vmemmap.c - the vmemmap's pages and tables, as every arch fills
 * them. Kernel twin: mm/sparse-vmemmap.c.
 */
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/memory_hotplug.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/sparse-vmemmap.h"
#include "sim/trace.h"
#include "arch/pgtable.h"

bool vmemmap_altmap_page(const struct mhp_machine *m, uint64_t pfn)
{
	return page_kind_of(m, pfn) == PG_VMEMMAP_ALTMAP && !m->altmap_dropped;
}

bool vmemmap_from_altmap(const struct mhp_machine *m, uint64_t va)
{
	struct pt_walk w;
	pt_walk_va(m, va, &w);
	return (w.type == DESC_PAGE || w.type == DESC_BLOCK) &&
	       vmemmap_altmap_page(m, desc_pa(m, w.desc[w.depth]) >> m->page_shift);
}

/* Models altmap_alloc_block_buf(): the next pages of the block's own memmap area, or nothing. */
static int altmap_alloc(struct mhp_machine *m, unsigned order, uint64_t *pfn)
{
	struct vmem_altmap *a = m->altmap;
	uint64_t n = 1ull << order, p = (a->base_pfn + a->alloc + n - 1) & ~(n - 1);
	if (p + n > a->base_pfn + a->free)
		return -ENOMEM;
	a->alloc = p + n - a->base_pfn;
	*pfn = p;
	return set_page_kinds(m, p, n, PG_VMEMMAP_ALTMAP);
}

int vmemmap_alloc_block_buf(struct mhp_machine *m, unsigned order, int nid, bool boot, uint64_t *pfn)
{
	if (boot)
		return memblock_alloc_pages(m, nid, order, PG_VMEMMAP_BOOT, pfn);
	if (m->altmap)
		return altmap_alloc(m, order, pfn);
	return alloc_pages_node(m, nid, order, PG_VMEMMAP, pfn);
}

/*
 * After boot, descriptor loads and stores are counted as 6.12's
 * mm/sparse-vmemmap.c makes them (READ_ONCE and ptep_get()), so that the
 * tree's own code under the "kernel" strategy counts alike: a new table's
 * link is a store; each base page is read (pte_none()), written if none, and
 * read again (vmemmap_verify()); each PMD is read (pmdp_get()), and then
 * read and written by vmemmap_set_pmd() or read by vmemmap_check_pmd().
 */
static void vmemmap_count(struct mhp_machine *m, const struct vmemmap_req *r, uint64_t reads, uint64_t writes)
{
	if (!r->boot) {
		m->pt.nr_reads += reads;
		m->pt.nr_writes += writes;
	}
}

/* The table at depth that maps va, populating missing ones (vmemmap_p?d_populate). */
static struct pt_table *vmemmap_table(struct mhp_machine *m, uint64_t va, unsigned depth, const struct vmemmap_req *r)
{
	struct pt_table *t = pt_pgd(m);
	while (t && t->depth < depth) {
		uint64_t idx = pt_index(m, t->depth, va), d = pt_get(t, idx);
		MHP_ASSERT(desc_type(m, t->depth, d) != DESC_BLOCK);
		t = pt_populate(m, t, idx, r->table_bits, r->boot, r->nid);
		vmemmap_count(m, r, 0, t && !d);
	}
	return t;
}

/* Models vmemmap_populate_basepages(): one page of struct pages per PTE, a page at a time from start. */
int vmemmap_populate_basepages(struct mhp_machine *m, uint64_t start, uint64_t end, const struct vmemmap_req *r)
{
	unsigned last = m->pt_geom.levels - 1;
	for (uint64_t va = start; va < end; va += m->page_size) {
		struct pt_table *pte = vmemmap_table(m, va, last, r);
		uint64_t pfn, idx = pt_index(m, last, va);
		if (!pte)
			return -ENOMEM;
		if (pt_get(pte, idx)) {
			vmemmap_count(m, r, 2, 0);
			continue;
		}
		if (vmemmap_alloc_block_buf(m, 0, r->nid, r->boot, &pfn)) {
			vmemmap_count(m, r, 1, 0);
			return -ENOMEM;
		}
		pt_set(m, pte, idx, mk_desc(m, pfn << m->page_shift, r->pte_bits));
		vmemmap_count(m, r, 2, 1);
	}
	return 0;
}

/*
 * Models vmemmap_populate_hugepages(): a PMD leaf per PMD span, base pages
 * where the leaf cannot be had (never from an altmap) or where the arch
 * says a present PMD still needs its PTEs.
 */
int vmemmap_populate_hugepages(struct mhp_machine *m, uint64_t start, uint64_t end, const struct vmemmap_req *r)
{
	unsigned pmd_depth = m->pt_geom.levels - 2;
	unsigned order = m->pt_geom.shift[pmd_depth] - m->page_shift;
	for (uint64_t next, va = start; va < end; va = next) {
		next = pt_addr_end(m, pmd_depth, va, end);
		struct pt_table *pmd = vmemmap_table(m, va, pmd_depth, r);
		uint64_t pfn, idx = pt_index(m, pmd_depth, va), d;
		if (!pmd)
			return -ENOMEM;
		vmemmap_count(m, r, 1, 0);
		if ((d = pt_get(pmd, idx))) {
			vmemmap_count(m, r, 1, 0);
			if (r->check_pmd(m, d, va, next))
				continue;
		} else if (!vmemmap_alloc_block_buf(m, order, r->nid, r->boot, &pfn)) {
			vmemmap_count(m, r, 1, 1);
			pt_set(m, pmd, idx, mk_desc(m, pfn << m->page_shift, r->pmd_bits));
			if (r->set_pmd)
				r->set_pmd(m, va, next);
			continue;
		} else if (m->altmap) {
			return -ENOMEM;   /* no fallback to base pages from an altmap */
		}
		if (vmemmap_populate_basepages(m, va, next, r))
			return -ENOMEM;
	}
	return 0;
}

void vmemmap_populate_trace(struct mhp_machine *m, uint64_t start, uint64_t end, const char *leaves, int ret)
{
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", end), TF_S("result", ret ? "ENOMEM" : "ok") };
	TRACE(m, "vmemmap_populate", f, "vmemmap [%#llx-%#llx) populated with %s: %s", (unsigned long long)start,
	      (unsigned long long)end, leaves, ret ? "ENOMEM" : "ok");
}

int vmemmap_populate_range(struct mhp_machine *m, uint64_t start, uint64_t end, bool huge, const char *leaves,
			   const struct vmemmap_req *r)
{
	int ret = huge ? vmemmap_populate_hugepages(m, start, end, r) : vmemmap_populate_basepages(m, start, end, r);
	if (!r->boot)
		vmemmap_populate_trace(m, start, end, huge ? leaves : "base pages", ret);
	return ret;
}

/* The boot memmap of every section of boot RAM, through the arch's vmemmap_populate() (sparse_init()). */
int vmemmap_populate_boot(struct mhp_machine *m, struct mhp_err *err)
{
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		for (uint64_t pfn = PHYS_PFN(m, r->start); pfn < PHYS_PFN(m, r->start + r->size); pfn += m->pages_per_section)
			if (m->arch->vmemmap_populate(m, pfn, m->pages_per_section, r->nid, true))
				return mhp_err_set(err, -ENOMEM, "model %s: the memblock pools are too small for the boot "
						   "memmap at pfn %#llx", m->model.name, (unsigned long long)pfn);
	}
	return 0;
}
