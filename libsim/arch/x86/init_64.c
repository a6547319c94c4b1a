// SPDX-License-Identifier: GPL-2.0-only
/*
 * init_64.c - x86-64's direct map and vmemmap as memory hotplug builds and
 * tears them down. Kernel twin: arch/x86/mm/init_64.c
 * (kernel_physical_mapping_init, arch_add_memory, remove_pagetable,
 * vmemmap_populate, vmemmap_free, arch_remove_memory,
 * probe_memory_block_size).
 *
 * The teardown is 6.12's, step for step: tables are freed as they empty
 * (the child page first, then the parent entry cleared, no flush), the
 * vmemmap's backing is freed before its entry is cleared, every PTE table
 * walked ends in flush_tlb_all(), and remove_pagetable() ends in one more.
 * PUD tables go only with 5-level paging; the PGD (and L5's P4D) never
 * lose an entry. docs/x86.md cites each rule.
 */
#include "sim/memory_hotplug.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/sparse-vmemmap.h"
#include "sim/touched.h"
#include "sim/trace.h"
#include "x86.h"

/* ---- building: kernel_physical_mapping_init() ------------------------------ */

/*
 * Boot's writes of zero past the range to entries e820 calls no RAM are not
 * modelled: such entries are none already, as nothing maps them.
 */

/*
 * After boot, descriptor loads and stores are counted as 6.12's phys_*_init()
 * make them (a p?d_val() taken is a load), so that the tree's own code under
 * the "kernel" strategy counts alike: an entry is read (p?d_none()); one
 * already there is read again for what it is (p?d_leaf()) and, a table, once
 * more for its address; a new one is read by set_p?d_safe()'s WARN and
 * written, a table's link after the level below is filled.
 */
static void add_count(struct mhp_machine *m, bool boot, uint64_t reads, uint64_t writes)
{
	if (!boot) {
		m->pt.nr_reads += reads;
		m->pt.nr_writes += writes;
	}
}

/* Models phys_pte_init(): new PTEs counted; at boot, PTEs already there are counted again. */
static uint64_t phys_pte_init(struct mhp_machine *m, struct pt_table *t, uint64_t paddr, uint64_t paddr_end, bool boot)
{
	uint64_t pages = 0, i = (paddr >> 12) & 511;
	while (i < 512 && paddr < paddr_end) {
		uint64_t used = pt_next_used(m, t, i), n = ((paddr_end - paddr) >> 12);
		n = n < 512 - i ? n : 512 - i;
		if (used > i) {   /* a run of none entries: one write of consecutive pages */
			uint64_t k = used - i < n ? used - i : n;
			pt_set_run(m, t, i, k, mk_desc(m, paddr, X86_PAGE_KERNEL));
			add_count(m, boot, 2 * k, k);
			pages += k, i += k, paddr += k << 12;
			continue;
		}
		add_count(m, boot, 1, 0);
		pages += boot;   /* an existing PTE is kept */
		i++, paddr += 1ull << 12;
	}
	update_page_count(m, PG_LEVEL_4K, (int64_t)pages);
	return paddr_end;
}

struct phys_req {
	unsigned mask;   /* page_size_mask */
	bool boot;       /* !after_bootmem: tables from memblock, existing leaves counted again */
};

/* The table a present entry points to (pmd_offset, pud_offset, ...). */
static struct pt_table *child_of(const struct mhp_machine *m, uint64_t d)
{
	return pt_lookup(m, desc_pa(m, d) >> m->page_shift);
}

/*
 * Models phys_pmd_init() and phys_pud_init(), one level each: a leaf where
 * the mask allows, an existing leaf kept (and at boot counted again), a
 * table built or walked otherwise. The kernel splits an existing leaf the
 * mask does not allow; a fresh hot-add never meets one, and the model
 * asserts it does not.
 */
static uint64_t phys_level_init(struct mhp_machine *m, struct pt_table *t, uint64_t paddr, uint64_t paddr_end,
				const struct phys_req *r);

static uint64_t phys_upper_init(struct mhp_machine *m, struct pt_table *t, uint64_t paddr, uint64_t paddr_end,
				const struct phys_req *r);

/* The level below an entry: PTEs, PMDs or PUDs, or above the PUDs a P4D table. Returns how far it mapped. */
static uint64_t phys_child_init(struct mhp_machine *m, struct pt_table *c, uint64_t paddr, uint64_t paddr_end,
				const struct phys_req *r)
{
	if (c->depth == m->pt_geom.levels - 1)
		return phys_pte_init(m, c, paddr, paddr_end, r->boot);
	if (c->depth < m->pt_geom.levels - 3)
		return phys_upper_init(m, c, paddr, paddr_end, r);
	return phys_level_init(m, c, paddr, paddr_end, r);
}

/*
 * A table the add built but never linked, with what hangs below it: gone,
 * its leaves taken off the direct map's counts. The kernel would oops on
 * alloc_low_page()'s NULL and leave it; the model unwinds (docs/faults.md).
 */
void x86_drop_unlinked(struct mhp_machine *m, struct pt_table *t)
{
	unsigned last = m->pt_geom.levels - 1;
	for (uint64_t i = pt_next_used(m, t, 0); i < 512; i = pt_next_used(m, t, i + 1)) {
		uint64_t d = pt_get(t, i);
		if (t->depth == last || desc_type(m, t->depth, d) == DESC_BLOCK)
			update_page_count(m, t->depth == last ? PG_LEVEL_4K : t->depth == last - 1 ? PG_LEVEL_2M : PG_LEVEL_1G, -1);
		else
			x86_drop_unlinked(m, child_of(m, d));
	}
	pt_release(m, t);
}

/*
 * A table under entry i of t, filled, then linked (alloc_low_page(), the level
 * below, p?d_populate_init()), in the kernel's order and with its counts.
 * false: an allocation failed, here or below; what this level built is gone.
 */
static bool phys_new_table(struct mhp_machine *m, struct pt_table *t, uint64_t i, uint64_t paddr, uint64_t paddr_end,
			   const struct phys_req *r)
{
	add_count(m, r->boot, 1, 0);   /* p?d_none() */
	struct pt_table *c = pt_alloc(m, t->depth + 1u, r->boot, 0);
	if (!c)
		return false;
	if (phys_child_init(m, c, paddr, paddr_end, r) != paddr_end) {
		x86_drop_unlinked(m, c);
		return false;
	}
	pt_set(m, t, i, mk_desc(m, PFN_PHYS(m, c->pfn), X86_PAGE_TABLE));
	add_count(m, r->boot, 1, 1);   /* set_p?d_safe(): its WARN's load, and the link */
	return true;
}

static uint64_t phys_level_init(struct mhp_machine *m, struct pt_table *t, uint64_t paddr, uint64_t paddr_end,
				const struct phys_req *r)
{
	unsigned depth = t->depth, level = m->pt_geom.levels - depth;   /* 2: PMD, 3: PUD */
	unsigned bit = level == 2 ? PSM_2M : PSM_1G;
	uint64_t span = pt_span(m, depth), pages = 0;
	for (uint64_t i = pt_index(m, depth, linear_va(m, paddr)), next; i < 512 && paddr < paddr_end; i++, paddr = next) {
		next = (paddr & ~(span - 1)) + span;
		uint64_t d = pt_get(t, i);
		if (d && desc_type(m, depth, d) == DESC_TABLE) {
			struct pt_table *c = child_of(m, d);
			MHP_ASSERT(c);
			add_count(m, r->boot, 3, 0);
			if (phys_child_init(m, c, paddr, paddr_end, r) != paddr_end)
				return paddr;   /* a table allocation below failed */
			continue;
		}
		if (d) {
			MHP_ASSERT(r->mask & bit);   /* the split of an existing leaf: never reached by the model */
			add_count(m, r->boot, 2, 0);
			pages += r->boot;
			continue;
		}
		if (r->mask & bit) {
			add_count(m, r->boot, 2, 1);
			pt_set(m, t, i, mk_desc(m, paddr & ~(span - 1), X86_PAGE_KERNEL_LARGE));
			pages++;
			continue;
		}
		if (!phys_new_table(m, t, i, paddr, paddr_end, r))
			return paddr;   /* alloc_low_page() failing: the kernel does not check (it would oops) */
	}
	update_page_count(m, level == 2 ? PG_LEVEL_2M : PG_LEVEL_1G, (int64_t)pages);
	return paddr_end;
}

/*
 * Models __kernel_physical_mapping_init() and, with 5 levels,
 * phys_p4d_init(): the levels above the PUD tables, walked by VA; with 4
 * levels a PGD entry points straight at a PUD table. An entry there is read
 * twice (its value, then its table's address), a none one once before its
 * table is built and once more as it is linked.
 */
static uint64_t phys_upper_init(struct mhp_machine *m, struct pt_table *t, uint64_t paddr, uint64_t paddr_end,
				const struct phys_req *r)
{
	for (uint64_t next; paddr < paddr_end; paddr = next) {
		uint64_t va = linear_va(m, paddr), span = pt_span(m, t->depth), i = pt_index(m, t->depth, va);
		next = ((va & ~(span - 1)) + span) - linear_va(m, 0);
		next = next < paddr_end ? next : paddr_end;
		uint64_t d = pt_get(t, i);
		if (d) {
			add_count(m, r->boot, 2, 0);
			if (phys_child_init(m, child_of(m, d), paddr, next, r) != next)
				return paddr;
		} else if (!phys_new_table(m, t, i, paddr, next, r)) {
			return paddr;
		}
	}
	return paddr_end;
}

uint64_t kernel_physical_mapping_init(struct mhp_machine *m, uint64_t start, uint64_t end, unsigned mask, bool boot)
{
	struct phys_req r = { mask, boot };
	if (!boot && m->teardown == X86_TEARDOWN_KERNEL)   /* the tree's own, as init_memory_mapping() calls it */
		return x86_kernel_physical_mapping_init(m, start, end, mask, X86_PAGE_KERNEL);
	return phys_upper_init(m, pt_pgd(m), start, end, &r);
}

/* ---- tearing down: remove_pagetable() -------------------------------------- */

/*
 * Models free_pagetable(): a page from memblock (PageReserved) goes back with
 * free_reserved_page(), which counts it managed; a buddy page with
 * free_pages(). The bootmem_info reference counts (SECTION_INFO,
 * MIX_SECTION_INFO) that put_page_bootmem() drops first are not modelled.
 */
static void free_pagetable(struct mhp_machine *m, uint64_t pfn, unsigned order)
{
	enum page_kind kind = page_kind_of(m, pfn);
	if (kind == PG_VMEMMAP_BOOT || kind == PG_PGTABLE_BOOT) {
		free_reserved_pages(m, pfn, 1ull << order, "vmemmap backing");   /* a page at a time */
		return;
	}
	tlb_note_free(m, pfn, 1ull << order, "vmemmap backing");
	free_pages_kind(m, pfn, order, kind == PG_FREE ? PG_VMEMMAP : kind);
}

/* A table page through free_pagetable(): out of the store, then its page freed. */
static void free_table_page(struct mhp_machine *m, struct pt_table *t)
{
	uint64_t pfn = t->pfn;
	bool boot = t->boot;
	pt_release(m, t);
	if (boot)
		adjust_managed_page_count_pfn(m, pfn, 1);
}

/* Models free_hugepage_table(): an altmap's pages go back to the altmap, others through free_pagetable(). */
static void free_hugepage_table(struct mhp_machine *m, uint64_t pfn)
{
	if (vmemmap_altmap_page(m, pfn)) {
		set_page_kinds(m, pfn, 512, PG_FREE);   /* vmem_altmap_free() */
		return;
	}
	free_pagetable(m, pfn, 9);
}

/* A clear under init_mm.page_table_lock: one counted store. */
static void clear_entry(struct mhp_machine *m, struct pt_table *t, uint64_t idx)
{
	pt_set(m, t, idx, 0);
	m->pt.nr_writes++;
}

/*
 * Descriptor loads are counted as 6.12's source makes them: one for each
 * time it reads an entry (pte_present(*pte), pmd_leaf(*pmd), pmd_page(*pmd),
 * ...), so that the model and the tree's own code (kernel.c) count alike.
 */
static void loads(struct mhp_machine *m, uint64_t n)
{
	m->pt.nr_reads += n;
}

/*
 * Models free_{pte,pmd,pud}_table(): scan every entry up to the first in use;
 * if all are none, free the child (its page read from the parent entry)
 * first, then clear the parent entry.
 */
static void free_child_table(struct mhp_machine *m, struct pt_table *parent, uint64_t idx)
{
	struct pt_table *child = child_of(m, pt_get(parent, idx));
	if (!child)
		return;
	loads(m, child->used ? pt_next_used(m, child, 0) + 1 : 512);
	if (child->used || m->mutant == MUTANT_TABLES_NEVER_FREED)
		return;
	loads(m, 1);
	free_table_page(m, child);
	if (m->mutant != MUTANT_FREE_TABLE_KEEP_PARENT)
		clear_entry(m, parent, idx);
}

/* flush_tlb_all() of the teardown, unless the mutant drops it. */
static void teardown_flush(struct mhp_machine *m)
{
	if (m->mutant != MUTANT_NO_LEAF_FLUSH)
		flush_tlb_all(m);
}

/* Models remove_pte_table(): free (the vmemmap's page) then clear each PTE; one flush_tlb_all() at the end. */
static void remove_pte_table(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end, bool direct)
{
	uint64_t pages = 0;
	/*
	 * The direct map's PTEs held as one run (consecutive pages, the same
	 * bits, NX among them, so the guard cannot fire): cleared at once, with
	 * the loads and stores the walk below would count (the same result).
	 */
	if (direct && !t->e && (t->lo == t->hi || (t->first & _PAGE_NX)) && m->mutant != MUTANT_FREE_LINEAR_PAGES) {
		uint64_t n = (end - addr) >> 12;
		pages = pt_clear_range(m, t, pt_index(m, t->depth, addr), n);
		loads(m, n + pages);
		m->pt.nr_writes += pages;
		addr = end;
	}
	for (uint64_t next; addr < end; addr = next) {
		next = ((addr + 4096) & ~4095ull) < end ? (addr + 4096) & ~4095ull : end;
		uint64_t idx = pt_index(m, t->depth, addr), d = pt_get(t, idx);
		loads(m, 1);
		if (!(d & _PAGE_PRESENT))
			continue;
		/* The [0, 1G) guard adds the raw PTE (NX included) to the VA: with NX set it never fires. */
		loads(m, 1);
		if (d + (addr & ~4095ull) < 0x40000000ull)
			return;
		if (!direct || m->mutant == MUTANT_FREE_LINEAR_PAGES) {
			loads(m, 1);
			free_pagetable(m, desc_pa(m, d) >> 12, 0);
		}
		clear_entry(m, t, idx);
		pages++;
	}
	teardown_flush(m);
	if (direct)
		update_page_count(m, PG_LEVEL_4K, -(int64_t)pages);
}

static bool aligned(uint64_t a, uint64_t span)
{
	return !(a & (span - 1));
}

/* A 1G leaf that the range covers in part: 6.12 reads the data page under it as a PMD table. */
static void partial_pud_leaf(struct mhp_machine *m, uint64_t addr, uint64_t next)
{
	struct mhp_trace_field f[] = { TF_X("start", addr), TF_X("end", next) };
	TRACE(m, "kernel_bug", f, "remove_pud_table: [%#llx-%#llx) covers part of a 1G leaf; 6.12 would walk the "
	      "mapped data as a PMD table (left mapped here)", (unsigned long long)addr, (unsigned long long)next);
	m->nr_kernel_warns++;
}

/* Models remove_pmd_table(): 2M leaves freed (vmemmap) before they are cleared; PTE tables walked, then freed if empty. */
static void remove_pmd_table(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end, bool direct)
{
	uint64_t pages = 0, span = pt_span(m, t->depth);
	for (uint64_t next; addr < end; addr = next) {
		next = pt_addr_end(m, t->depth, addr, end);
		uint64_t idx = pt_index(m, t->depth, addr), d = pt_get(t, idx);
		loads(m, 1);
		if (!(d & _PAGE_PRESENT))
			continue;
		loads(m, 1);
		if (d & _PAGE_PSE) {
			/*
			 * A leaf the range covers in part is the vmemmap's PAGE_UNUSED case; the model adds and
			 * removes the vmemmap by whole sections, one PMD each (64-byte struct page), so it never comes.
			 */
			MHP_ASSERT(aligned(addr, span) && aligned(next, span));
			if (!direct || m->mutant == MUTANT_FREE_LINEAR_PAGES) {
				loads(m, 1);
				free_hugepage_table(m, desc_pa(m, d) >> 12);
			}
			clear_entry(m, t, idx);
			pages++;
			continue;
		}
		loads(m, 1);
		struct pt_table *pte = child_of(m, d);
		if (!pte)
			continue;   /* a descriptor to a freed table is PT-DANGLING's to report */
		remove_pte_table(m, pte, addr, next, direct);
		free_child_table(m, t, idx);
	}
	if (direct)
		update_page_count(m, PG_LEVEL_2M, -(int64_t)pages);
}

/* Models remove_pud_table(): whole 1G leaves cleared; PMD tables walked, then freed if empty. */
static void remove_pud_table(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end, bool direct)
{
	uint64_t pages = 0, span = pt_span(m, t->depth);
	for (uint64_t next; addr < end; addr = next) {
		next = pt_addr_end(m, t->depth, addr, end);
		uint64_t idx = pt_index(m, t->depth, addr), d = pt_get(t, idx);
		loads(m, 1);
		if (!(d & _PAGE_PRESENT))
			continue;
		loads(m, 1);
		if (d & _PAGE_PSE) {
			if (aligned(addr, span) && aligned(next, span)) {
				clear_entry(m, t, idx);
				pages++;
			} else {
				partial_pud_leaf(m, addr, next);
			}
			continue;
		}
		loads(m, 1);
		struct pt_table *pmd = child_of(m, d);
		if (!pmd)
			continue;
		remove_pmd_table(m, pmd, addr, next, direct);
		free_child_table(m, t, idx);
	}
	if (direct)
		update_page_count(m, PG_LEVEL_1G, -(int64_t)pages);
}

/* Models remove_p4d_table() over the entries of t from idx: with 5 levels an emptied PUD table goes too. */
static void remove_p4d_table(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end, bool direct)
{
	for (uint64_t next; addr < end; addr = next) {
		/* With 4 levels the P4D is the PGD entry itself: one entry, to the end of the range. */
		next = pgtable_l5_enabled(m) ? pt_addr_end(m, t->depth, addr, end) : end;
		uint64_t idx = pt_index(m, t->depth, addr), d = pt_get(t, idx);
		loads(m, 1);
		if (!(d & _PAGE_PRESENT))
			continue;
		loads(m, 1);
		struct pt_table *pud = child_of(m, d);
		if (!pud)
			continue;
		remove_pud_table(m, pud, addr, next, direct);
		if (pgtable_l5_enabled(m))
			free_child_table(m, t, idx);
	}
}

/*
 * Models remove_pagetable(): with 4 levels the PGD entry is the P4D entry
 * and the PUD table under it stays for good (every process's PGD has a
 * copy); with 5 an emptied PUD table goes. pgd_present() reads the entry
 * either way (with 4 levels it answers true whatever it holds).
 */
/* What follows every teardown of a region, whoever's code did it: the leftovers it unmapped, the hook. */
static void teardown_done(struct mhp_machine *m, uint64_t start, uint64_t end, bool direct, const char *how)
{
	if (direct)
		linear_map_left_clear(m, start - linear_va(m, 0), end - linear_va(m, 0));
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", end), TF_S("map", direct ? "direct" : "vmemmap") };
	TRACE(m, "remove_pagetable", f, "%s [%#llx-%#llx) torn down: %s", direct ? "direct map" : "vmemmap",
	      (unsigned long long)start, (unsigned long long)end, how);
	raise_hook(m, HOOK_ARCH_OP_RETURNED);
}

static void remove_pagetable(struct mhp_machine *m, uint64_t start, uint64_t end, bool direct)
{
	struct pt_table *pgd = pt_pgd(m);
	for (uint64_t addr = start, next; addr < end; addr = next) {
		next = pt_addr_end(m, 0, addr, end);
		uint64_t d = pt_get(pgd, pt_index(m, 0, addr));
		loads(m, 1);
		if (!pgtable_l5_enabled(m)) {
			remove_p4d_table(m, pgd, addr, next, direct);
			continue;
		}
		if (!(d & _PAGE_PRESENT))
			continue;
		loads(m, 1);   /* p4d_offset(pgd, 0) */
		struct pt_table *p4d = child_of(m, d);
		if (p4d)
			remove_p4d_table(m, p4d, addr, next, direct);
	}
	teardown_flush(m);
	teardown_done(m, start, end, direct, "tables freed as they emptied, flush_tlb_all");
}

/* A region torn down by the machine's strategy: the model's remove_pagetable(), or the tree's own. */
static void teardown(struct mhp_machine *m, uint64_t start, uint64_t end, bool direct)
{
	if (m->teardown != X86_TEARDOWN_KERNEL) {
		remove_pagetable(m, start, end, direct);
		return;
	}
	x86_kernel_remove_pagetable(m, start, end, direct, !direct && vmemmap_from_altmap(m, start));
	teardown_done(m, start, end, direct, "by the tree's own arch/x86/mm/init_64.c");
}

/* ---- the vmemmap ---------------------------------------------------------------- */

/* Models vmemmap_check_pmd(): a present PMD needs nothing more only when it is a leaf. */
static bool x86_vmemmap_check_pmd(struct mhp_machine *m, uint64_t pmd, uint64_t addr, uint64_t next)
{
	(void)m, (void)addr, (void)next;
	return pmd & _PAGE_PSE;
}

/*
 * Models vmemmap_populate(): less than a section's memmap (a sub-section)
 * with base pages and no altmap; otherwise 2M leaves (every x86-64 CPU has
 * PSE). The sub-PMD bookkeeping of vmemmap_set_pmd() never runs for whole
 * sections (their memmap is one aligned PMD), and the model adds no less.
 */
int x86_vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot)
{
	uint64_t start = vmemmap_va(m, pfn), end = vmemmap_va(m, pfn + nr_pages);
	struct vmemmap_req r = { .table_bits = X86_PAGE_TABLE, .pte_bits = X86_PAGE_KERNEL,
				 .pmd_bits = X86_PAGE_KERNEL_LARGE, .boot = boot, .nid = nid,
				 .check_pmd = x86_vmemmap_check_pmd };
	return vmemmap_populate_range(m, start, end, nr_pages >= m->pages_per_section, "2M leaves", &r);
}

/* Models vmemmap_free() (and free_map_bootmem() for a boot section): remove_pagetable(), not direct. */
void x86_vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages)
{
	if (m->mutant == MUTANT_VMEMMAP_NOT_FREED && m->teardown != X86_TEARDOWN_KERNEL)
		return;   /* the mutant breaks the model's walk; the tree's code is not ours to break */
	teardown(m, vmemmap_va(m, pfn), vmemmap_va(m, pfn + nr_pages), false);
}

/* ---- arch hooks ------------------------------------------------------------------ */

/*
 * Models arch_add_memory(): init_memory_mapping() (its result unchecked),
 * then add_pages(). A failure of the sections leaves the direct map in
 * place: 6.12 undoes neither here nor in add_memory_resource().
 */
int x86_arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err)
{
	touch_all(m, start, start + size);
	/* The mutant maps one page less than it adds. */
	uint64_t mapped = m->mutant == MUTANT_LINEAR_MAP_SHORT ? size - m->page_size : size;
	if (init_memory_mapping(m, start, start + mapped, false) != start + mapped) {
		/* alloc_low_page()'s NULL is not checked: the kernel oopses; the model says so and unmaps again. */
		teardown(m, linear_va(m, start), linear_va(m, start + size), true);
		return mhp_err_set(err, -ENOMEM, "BUG: page-table allocation failed in kernel_physical_mapping_init "
				   "(the kernel would oops here)");
	}
	int ret = __add_pages(m, nid, PHYS_PFN(m, start), PHYS_PFN(m, size));
	if (ret) {
		mark_orphan_sections(m, start, size);
		if (!linear_map_left_add(m, start, start + size)) {
			/* The model's record is full: past LINEAR_LEFT_MAX leftovers it unmaps, where 6.12 would not. */
			teardown(m, linear_va(m, start), linear_va(m, start + size), true);
			return mhp_err_set(err, ret, "arch_add_memory failed: %s (the direct map is undone: the model keeps "
					   "at most %d leftovers)", mhp_errno_name(ret), LINEAR_LEFT_MAX);
		}
		return mhp_err_set(err, ret, "arch_add_memory failed: %s (the direct map of [%#llx-%#llx) stays, as in "
				   "6.12)", mhp_errno_name(ret), (unsigned long long)start, (unsigned long long)(start + size));
	}
	if (PHYS_PFN(m, start + size) > m->max_pfn)
		m->max_pfn = PHYS_PFN(m, start + size);   /* update_end_of_memory_vars() */
	return 0;
}

/* Models kernel_physical_mapping_remove(): the direct map of [start, start + size). */
void x86_remove_linear_map(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	teardown(m, linear_va(m, start), linear_va(m, start + size), true);
}

/* Models arch_remove_memory(): the sections (and their vmemmap) first, then kernel_physical_mapping_remove(). */
void x86_arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	touch_all(m, start, start + size);
	pt_touch_leaves_at_ends(m, linear_va(m, start), linear_va(m, start + size));
	__remove_pages(m, PHYS_PFN(m, start), PHYS_PFN(m, size));
	x86_remove_linear_map(m, start, size);
}

/*
 * Models probe_memory_block_size(): 128 MiB below 64 GiB of boot RAM; above,
 * 2 GiB on bare metal, or in a guest (QEMU sets the hypervisor bit) the
 * largest of 2 GiB..256 MiB the end of boot RAM is aligned to. The model
 * keeps one section per block, so it runs the first case only.
 */
uint64_t probe_memory_block_size(const struct mhp_model *mo, const char **why)
{
	uint64_t end = 0;
	for (unsigned i = 0; i < mo->nr_ram; i++)
		if (mo->ram[i].start + mo->ram[i].size > end)
			end = mo->ram[i].start + mo->ram[i].size;
	if (end < (64ull << 30))
		return 128ull << 20;
	*why = "boot RAM ending at 64 GiB or above gives x86-64 memory blocks of 256 MiB to 2 GiB "
	       "(probe_memory_block_size); the model keeps one section per block";
	return 0;
}
