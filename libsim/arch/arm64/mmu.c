// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu.c - the arm64 kernel page tables that memory hotplug builds and tears
 * down: the linear map and the vmemmap. Kernel twin: arch/arm64/mm/mmu.c
 * (with mm/sparse-vmemmap.c for vmemmap_populate_{hugepages,basepages}).
 *
 * Teardown strategies are pluggable: the arm64 one is the reference (6.12);
 * x86 frees tables as they empty during the walk (arch/x86/mm/init_64.c:
 * remove_pagetable); generic gathers empty tables in one pass and frees them
 * after a single flush (the mmu_gather shape of mm/memory.c: free_pgd_range).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/sparse-vmemmap.h"
#include "sim/touched.h"
#include "sim/trace.h"
#include "arm64.h"
#include "teardown.h"

/* __create_pgd_mapping() flags. */
#define NO_BLOCK_MAPPINGS (1u << 0)
#define NO_CONT_MAPPINGS  (1u << 1)
#define NO_EXEC_MAPPINGS  (1u << 2)

/* Lowest boot RAM address: memblock_start_of_DRAM(). */
static uint64_t dram_start(const struct mhp_model *mo)
{
	uint64_t lo = UINT64_MAX;
	for (unsigned i = 0; i < mo->nr_ram; i++)
		if (mo->ram[i].start < lo)
			lo = mo->ram[i].start;
	return lo;
}

/*
 * Sets memstart_addr (arm64_memblock_init: DRAM start rounded down to
 * ARM64_MEMSTART_ALIGN, no KASLR) and arch_get_mappable_range(): the linear
 * map [PAGE_OFFSET, PAGE_END) maps [memstart_addr, memstart_addr + size).
 */
void arm64_memory_layout_init(struct mhp_machine *m)
{
	const struct mhp_model *mo = &m->model;
	m->memstart_addr = dram_start(mo) & ~(mo->memstart_align - 1);
	uint64_t linear_size = 1ull << (mo->va_bits - 1);
	m->mappable_start = m->memstart_addr;
	m->mappable_end = m->memstart_addr + linear_size - 1;
	/* The model also stops at its physical address width (MAX_PHYSMEM_BITS). */
	uint64_t pa_end = (1ull << mo->pa_bits) - 1;
	if (m->mappable_end > pa_end)
		m->mappable_end = pa_end;
}

/* ---- building ------------------------------------------------------------- */

struct map_req {
	uint64_t leaf_bits;     /* page descriptor bits; blocks drop PTE_TABLE_BIT */
	uint64_t table_bits;
	unsigned flags;
	bool boot;
	int nid;
};

/*
 * Models alloc_init_cont_{pte,pmd}(): whether the entry at va (a page, or a
 * PMD block) gets the contiguous hint. The range [start, end) is cut into
 * CONT-sized chunks from the CONT boundaries; a chunk wholly inside the range
 * and physically aligned gets the hint on every one of its entries.
 */
static bool in_cont_run(const struct mhp_machine *m, unsigned depth, uint64_t va, uint64_t pa, uint64_t start,
			uint64_t end, const struct map_req *r)
{
	bool last = depth == m->pt_geom.levels - 1;
	uint64_t span = pt_span(m, depth) * (last ? m->pt_geom.cont_ptes : m->pt_geom.cont_pmds);
	uint64_t run = va & ~(span - 1);
	return !(r->flags & NO_CONT_MAPPINGS) && !((va ^ pa) & (span - 1)) && run + span <= end && run >= start;
}

/*
 * The PTE level: the bulk of a page-granular linear map, written as runs of
 * consecutive pages with the same bits. Every page of one CONT block has the
 * same hint, so a run breaks only where the hint changes (or where PA[51:48],
 * which 64K pages with 52-bit PA keep apart, would change).
 */
static void map_ptes(struct mhp_machine *m, struct pt_table *t, uint64_t va, uint64_t end, uint64_t pa,
		     const struct map_req *r)
{
	uint64_t idx = pt_index(m, t->depth, va), n = (end - va) >> m->page_shift, start = va;
	uint64_t cont_span = m->page_size * m->pt_geom.cont_ptes;
	MHP_ASSERT(idx + n <= m->pt_geom.ptrs[t->depth]);
	if (!r->boot) {   /* init_pte(): the old value, the store, the new value for pgattr_change_is_safe() */
		m->pt.nr_reads += 2 * n;
		m->pt.nr_writes += n;
	}
	for (uint64_t i = 0, j; i < n; i = j) {
		uint64_t pa_i = pa + (i << m->page_shift);
		uint64_t to_pa48 = ((((pa_i >> 48) + 1) << 48) - pa_i) >> m->page_shift;
		uint64_t lim = n - i < to_pa48 ? n : i + to_pa48;
		bool cont = in_cont_run(m, t->depth, va + (i << m->page_shift), pa_i, start, end, r);
		/* A CONT block at a time, while the hint stays (without hints: all at once). */
		j = i;
		do {
			uint64_t va_j = va + (j << m->page_shift);
			j = r->flags & NO_CONT_MAPPINGS ? lim : j + ((((va_j & ~(cont_span - 1)) + cont_span) - va_j) >> m->page_shift);
		} while (j < lim && in_cont_run(m, t->depth, va + (j << m->page_shift), pa + (j << m->page_shift), start, end, r) == cont);
		j = j < lim ? j : lim;
		pt_set_run(m, t, idx + i, j - i, mk_desc(m, pa_i, r->leaf_bits | (cont ? PTE_CONT : 0)));
	}
}

/*
 * Hot-add's descriptor loads at one entry of a table above the PTEs, counted
 * as 6.12's alloc_init_*() make them, so that the model and the tree's own
 * code under the "kernel" strategy count alike, also when an allocation
 * stops the walk. Before the level below: a block is read (old), read
 * (pXd_set_huge), written and read (the BUG_ON); a table entry is read
 * (old) and read again, then, if it is not none, read through the fixmap
 * offset. After the level below returns, an entry that was not none is read
 * once more (the BUG_ON). The PGD entry is read more often: alloc_init_p4d()
 * and, with 3 levels, alloc_init_pud() read it as their folded level's.
 */
static void count_add_before(struct mhp_machine *m, unsigned depth, bool block, bool present)
{
	m->pt.nr_reads += (block || present ? 3 : 2) + (depth ? 0 : m->pt_geom.levels == 4 ? 1 : 3);
	m->pt.nr_writes += block;
}

static void count_add_after(struct mhp_machine *m, unsigned depth, bool present)
{
	m->pt.nr_reads += present ? 1 + (depth == 0 && m->pt_geom.levels == 3) : 0;
}

static int map_range(struct mhp_machine *m, struct pt_table *t, uint64_t va, uint64_t end, uint64_t pa,
		     const struct map_req *r)
{
	unsigned depth = t->depth;
	bool last = depth == m->pt_geom.levels - 1;
	if (last) {
		map_ptes(m, t, va, end, pa, r);
		return 0;
	}
	for (uint64_t next, start = va; va < end; pa += next - va, va = next) {
		next = pt_addr_end(m, depth, va, end);
		uint64_t idx = pt_index(m, depth, va), span = pt_span(m, depth);
		if (last || (m->pt_geom.block_ok[depth] && !(r->flags & NO_BLOCK_MAPPINGS) &&
			     !((va | next | pa) & (span - 1)))) {
			MHP_ASSERT(pt_get(t, idx) == 0);   /* pgattr_change_is_safe: only none -> valid here */
			uint64_t bits = last ? r->leaf_bits : r->leaf_bits & ~PTE_TABLE_BIT;
			/* A PUD block never carries CONT; PMD and PTE runs may. */
			bool cont = (last || depth == m->pt_geom.levels - 2) && in_cont_run(m, depth, va, pa, start, end, r);
			pt_set(m, t, idx, mk_desc(m, pa, bits | (cont ? PTE_CONT : 0)));
			if (!r->boot)
				count_add_before(m, depth, true, false);
			continue;
		}
		bool present = pt_get(t, idx) != 0;
		if (!r->boot)
			count_add_before(m, depth, false, present);
		struct pt_table *child = pt_populate(m, t, idx, r->table_bits, r->boot, r->nid);
		if (!child)
			return -ENOMEM;
		m->pt.nr_writes += !r->boot && !present;   /* the new table's link (__p?d_populate) */
		int ret = map_range(m, child, va, next, pa, r);
		if (ret)
			return ret;
		if (!r->boot)
			count_add_after(m, depth, present);
	}
	return 0;
}

static void trace_linear_map(struct mhp_machine *m, uint64_t pa, uint64_t size, unsigned flags)
{
	uint64_t va = linear_va(m, pa);
	struct mhp_trace_field f[] = { TF_X("start", va), TF_X("end", va + size), TF_X("pa", pa),
				       TF_S("granularity", flags & NO_BLOCK_MAPPINGS ? "pages" : "blocks") };
	TRACE(m, "linear_map", f, "linear map [%#llx-%#llx) -> pa %#llx, %s", (unsigned long long)va,
	      (unsigned long long)(va + size), (unsigned long long)pa,
	      flags & NO_BLOCK_MAPPINGS ? "page by page (the direct map can change)" : "with blocks");
}

static int __create_pgd_mapping(struct mhp_machine *m, uint64_t pa, uint64_t size, uint64_t prot, unsigned flags,
				bool boot)
{
	struct map_req r = {
		.leaf_bits = prot,
		.table_bits = PTE_VALID | PTE_TABLE_BIT | PMD_TABLE_UXN |
			      (flags & NO_EXEC_MAPPINGS ? PMD_TABLE_PXN : 0),
		.flags = flags, .boot = boot, .nid = 0,
	};
	trace_linear_map(m, pa, size, flags);
	return map_range(m, pt_pgd(m), linear_va(m, pa), linear_va(m, pa) + size, pa, &r);
}

/* ---- TLB maintenance, with the mutants that break it ------------------------ */

static void leaf_flush(struct mhp_machine *m, uint64_t start, uint64_t end)
{
	if (m->mutant != MUTANT_NO_LEAF_FLUSH)
		flush_tlb_kernel_range(m, start, end);
}

void teardown_table_flush(struct mhp_machine *m, uint64_t addr)
{
	if (m->mutant != MUTANT_NO_TABLE_FLUSH)
		__flush_tlb_kernel_pgtable(m, addr);
}

/* ---- unmapping ------------------------------------------------------------- */

/* free_pages() of a vmemmap leaf's backing: to the buddy, as what the page holds. */
void vmemmap_backing_free(struct mhp_machine *m, uint64_t pfn, unsigned order)
{
	tlb_note_free(m, pfn, 1ull << order, "vmemmap backing");
	enum page_kind kind = page_kind_of(m, pfn);
	free_pages_kind(m, pfn, order, kind == PG_FREE ? PG_VMEMMAP : kind);
}

/* The what-if mhpsim.bootmem=reserved: boot memory's pages go back with free_reserved_page(). */
static bool bootmem_given_back(const struct mhp_machine *m)
{
	return m->bootmem_remove == BOOTMEM_RESERVED;
}

/* free_hotplug_page_range() WARNs on a PageReserved page (memblock's) and frees it anyway. */
static void warn_if_reserved(struct mhp_machine *m, uint64_t pfn, enum page_kind kind)
{
	if ((kind != PG_VMEMMAP_BOOT && kind != PG_PGTABLE_BOOT) || bootmem_given_back(m))
		return;
	struct mhp_trace_field f[] = { TF_X("pfn", pfn) };
	TRACE(m, "kernel_warn", f, "WARN: free_hotplug_page_range of a reserved page (pfn %#llx)", (unsigned long long)pfn);
	m->nr_kernel_warns++;
}

/* Models free_hotplug_page_range(): the backing of a vmemmap leaf goes back to the buddy. */
static void free_hotplug_page_range(struct mhp_machine *m, uint64_t pa, uint64_t size)
{
	uint64_t pfn = pa >> m->page_shift;
	unsigned order = 0;
	while ((1ull << order) < size >> m->page_shift)
		order++;
	enum page_kind kind = page_kind_of(m, pfn);
	if (vmemmap_altmap_page(m, pfn)) {
		set_page_kinds(m, pfn, 1ull << order, PG_FREE);   /* vmem_altmap_free(): back to the block, not the buddy */
		return;
	}
	if (kind == PG_VMEMMAP_BOOT && bootmem_given_back(m)) {
		free_reserved_pages(m, pfn, 1ull << order, "vmemmap backing");
		return;
	}
	warn_if_reserved(m, pfn, kind);
	vmemmap_backing_free(m, pfn, order);
}

/*
 * Models unmap_hotplug_{pte,pmd,pud,p4d}_range(): clear every leaf. With
 * free_mapped (the vmemmap), flush that one address and free the backing;
 * without it (the linear map), the caller flushes the whole range once.
 */
/*
 * Descriptor loads of the walk at depth 0: the kernel's walkers read the PGD
 * entry, then again as the folded P4D (and, with three levels, as the folded
 * PUD): two loads with four levels, three with three.
 */
static uint64_t pgd_entry_reads(const struct mhp_machine *m)
{
	return 6u - m->pt_geom.levels;
}

static void count_reads(struct mhp_machine *m, unsigned depth, uint64_t n)
{
	m->pt.nr_reads += depth ? n : n * pgd_entry_reads(m);
}

/* Clears a leaf (or a table's parent entry) during teardown: one counted store. */
static void teardown_clear(struct mhp_machine *m, struct pt_table *t, uint64_t idx)
{
	pt_set(m, t, idx, 0);
	m->pt.nr_writes++;
}

/*
 * Models unmap_hotplug_{pte,pmd,pud,p4d}_range(): clear every leaf. With
 * free_mapped (the vmemmap), flush that one address and free the backing;
 * without it (the linear map), the caller flushes the whole range once.
 */
static void unmap_hotplug_level(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end,
				bool free_mapped)
{
	unsigned depth = t->depth;
	if (depth == m->pt_geom.levels - 1 && !free_mapped) {
		/* The linear map's PTEs: clear them all; one flush of the range follows. */
		uint64_t idx = pt_index(m, depth, addr), n = (end - addr) >> m->page_shift;
		m->pt.nr_reads += n;
		m->pt.nr_writes += pt_clear_range(m, t, idx, n);   /* a none entry is read, not written */
		return;
	}
	for (uint64_t next; addr < end; addr = next) {
		/* The PTE level steps a page from where it starts, as the kernel's do-while does (a subsection's
		 * memmap need not start on a page with 16K and 64K pages). */
		next = depth == m->pt_geom.levels - 1 ? addr + m->page_size : pt_addr_end(m, depth, addr, end);
		uint64_t idx = pt_index(m, depth, addr), d = pt_get(t, idx);
		count_reads(m, depth, 1);
		enum desc_type type = desc_type(m, depth, d);
		if (type == DESC_NONE)
			continue;
		if (type == DESC_TABLE) {
			struct pt_table *child = pt_lookup(m, desc_pa(m, d) >> m->page_shift);
			if (child)   /* a descriptor to a freed table is PT-DANGLING's to report */
				unmap_hotplug_level(m, child, addr, next, free_mapped);
			continue;
		}
		teardown_clear(m, t, idx);
		if (free_mapped) {
			leaf_flush(m, addr, addr + m->page_size);
			free_hotplug_page_range(m, desc_pa(m, d), pt_span(m, depth));
		}
	}
}

/* The leaves alone, quietly: the shape of x86's remove_pagetable(). */
void unmap_hotplug_leaves(struct mhp_machine *m, uint64_t addr, uint64_t end, bool free_mapped)
{
	unmap_hotplug_level(m, pt_pgd(m), addr, end, free_mapped);
}

void unmap_hotplug_range(struct mhp_machine *m, uint64_t addr, uint64_t end, bool free_mapped)
{
	unmap_hotplug_leaves(m, addr, end, free_mapped);
	struct mhp_trace_field f[] = { TF_X("start", addr), TF_X("end", end) };
	TRACE(m, "unmap", f, "leaves of [%#llx-%#llx) cleared%s", (unsigned long long)addr, (unsigned long long)end,
	      free_mapped ? ", each flushed and its backing freed" : ", then one TLB flush of the range");
	if (!free_mapped)
		leaf_flush(m, addr, end);
}

/* Models pgtable_range_aligned(): may the table under [start, end) be freed? */
static bool pgtable_range_aligned(const struct mhp_machine *m, uint64_t start, uint64_t end, uint64_t floor,
				  uint64_t ceiling, uint64_t mask)
{
	if (m->mutant == MUTANT_TABLES_NEVER_FREED)
		return false;   /* the bug: an alignment rule that never lets a table go */
	start &= mask;
	if (start < floor)
		return false;
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return false;
	}
	return end - 1 <= ceiling - 1;
}

void teardown_gather_flush(struct mhp_machine *m, struct teardown *td)
{
	if (!td->nr_gather)
		return;
	flush_tlb_all(m);
	for (unsigned i = 0; i < td->nr_gather; i++)
		pt_release(m, td->gather[i]);
	td->nr_gather = 0;
}

/* Unlinks an empty table from its parent; the strategy frees it. */
static void free_table(struct mhp_machine *m, struct pt_table *parent, uint64_t idx, struct pt_table *t,
		       uint64_t addr, struct teardown *td)
{
	const struct teardown_strategy *s = teardown_strategy_of(m);
	MHP_ASSERT(t->used == 0);
	if (m->mutant != MUTANT_FREE_TABLE_KEEP_PARENT)
		teardown_clear(m, parent, idx);
	if (!s->quiet_bootmem)   /* free_hotplug_pgtable_page() */
		warn_if_reserved(m, t->pfn, t->boot ? PG_PGTABLE_BOOT : PG_PGTABLE);
	uint64_t pfn = t->pfn;
	bool given_back = t->boot && bootmem_given_back(m);
	s->free_table(m, td, t, addr);
	if (given_back)   /* free_reserved_page(): managed from now on */
		adjust_managed_page_count_pfn(m, pfn, 1);
}

/* Loads of the kernel's emptiness scan of a table: every entry, or up to the first one in use. */
static uint64_t emptiness_scan_reads(const struct mhp_machine *m, const struct pt_table *t)
{
	uint64_t n = m->pt_geom.ptrs[t->depth];
	return t->used == 0 ? n : pt_next_used(m, t, 0) + 1;
}

/*
 * Models free_empty_{pte,pmd,pud,p4d}_table(): recurse into the tables under
 * [addr, end), then free this one if the alignment rule allows and every
 * entry is none. x86 has no alignment rule: an empty table goes. The model
 * knows emptiness from its count of entries in use; the kernel reads them,
 * and so do the counts (its PTE level also re-reads the range as a check).
 */
static void free_empty_level(struct mhp_machine *m, struct pt_table *parent, uint64_t pidx, struct pt_table *t,
			     uint64_t addr, uint64_t end, struct teardown *td)
{
	unsigned depth = t->depth;
	uint64_t start = addr;
	if (depth == m->pt_geom.levels - 1)   /* its check re-reads a page at a time from addr, at least once */
		count_reads(m, depth, (end - addr + m->page_size - 1) >> m->page_shift);
	for (uint64_t next; depth < m->pt_geom.levels - 1 && addr < end; addr = next) {
		next = pt_addr_end(m, depth, addr, end);
		uint64_t idx = pt_index(m, depth, addr), d = pt_get(t, idx);
		count_reads(m, depth, 1);
		struct pt_table *child = desc_type(m, depth, d) == DESC_TABLE ? pt_lookup(m, desc_pa(m, d) >> m->page_shift) : NULL;
		if (child)
			free_empty_level(m, t, idx, child, addr, next, td);
	}
	uint64_t span = pt_span(m, depth - 1u);
	if (teardown_strategy_of(m)->ignores_alignment ||
	    pgtable_range_aligned(m, start, end, td->req->floor, td->req->ceiling, ~(span - 1))) {
		m->pt.nr_reads += emptiness_scan_reads(m, t);
		if (t->used == 0) {
			free_table(m, parent, pidx, t, start, td);
			return;
		}
	}
}

/* Models free_empty_tables(): the PGD itself is never freed. */
void free_empty_tables(struct mhp_machine *m, uint64_t addr, uint64_t end, struct teardown *td)
{
	struct pt_table *pgd = pt_pgd(m);
	for (uint64_t next; addr < end; addr = next) {
		next = pt_addr_end(m, 0, addr, end);
		uint64_t idx = pt_index(m, 0, addr), d = pt_get(pgd, idx);
		count_reads(m, 0, 1);
		struct pt_table *child = desc_type(m, 0, d) == DESC_TABLE ? pt_lookup(m, desc_pa(m, d) >> m->page_shift) : NULL;
		if (child)
			free_empty_level(m, pgd, idx, child, addr, next, td);
	}
}

/*
 * An arch operation (vmemmap_free, __remove_pgd_mapping) returns here: the
 * TLB must hold nothing stale now, not only at the end of the whole step.
 */
static void arch_op_returns(struct mhp_machine *m)
{
	raise_hook(m, HOOK_ARCH_OP_RETURNED);
}

/* One teardown of a region, by the machine's strategy. */
static void teardown_range(struct mhp_machine *m, const struct teardown_req *req)
{
	const struct teardown_strategy *s = teardown_strategy_of(m);
	/* The mutant breaks the model's walk; a tree's own code (no free_table) is not ours to break. */
	if (req->vmemmap && m->mutant == MUTANT_VMEMMAP_NOT_FREED && s->free_table)
		return;
	struct teardown td;   /* 4 KiB: gather[] is read only below nr_gather, so it is left as it is */
	td.req = req;
	td.nr_gather = 0;
	s->teardown_range(m, &td);
	arch_op_returns(m);
}

/* Models __remove_pgd_mapping(): the linear map of [pa, pa + size). */
static void __remove_pgd_mapping(struct mhp_machine *m, uint64_t pa, uint64_t size)
{
	uint64_t va = linear_va(m, pa);
	/* The mutant frees the memory itself as if it were vmemmap backing. */
	struct teardown_req req = { .start = va, .end = va + size, .floor = m->pt_geom.page_offset,
				    .ceiling = m->pt_geom.page_end, .free_mapped = m->mutant == MUTANT_FREE_LINEAR_PAGES };
	teardown_range(m, &req);
}

/* ---- vmemmap ------------------------------------------------------------------ */

/* Models vmemmap_check_pmd(): arm64's takes any present PMD as done. */
static bool arm64_vmemmap_check_pmd(struct mhp_machine *m, uint64_t pmd, uint64_t addr, uint64_t next)
{
	(void)m, (void)pmd, (void)addr, (void)next;
	return true;
}

/*
 * Models vmemmap_populate(): PMD blocks only with 4K pages and only for a full
 * section's memmap; base pages otherwise. Tables are never altmap pages.
 */
int vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot)
{
	uint64_t start = vmemmap_va(m, pfn), end = vmemmap_va(m, pfn + nr_pages);
	struct vmemmap_req r = { .table_bits = VMEMMAP_TABLE_BITS, .pte_bits = PAGE_KERNEL_BITS,
				 .pmd_bits = PROT_SECT_NORMAL_BITS, .boot = boot, .nid = nid,
				 .check_pmd = arm64_vmemmap_check_pmd };
	bool huge = m->page_shift == 12 && nr_pages == m->pages_per_section;
	const struct teardown_strategy *s = teardown_strategy_of(m);
	if (boot || !s->vmemmap_populate || !s->vmemmap_built())
		return vmemmap_populate_range(m, start, end, huge, "PMD blocks", &r);
	int ret = s->vmemmap_populate(m, start, end, nid, m->altmap != NULL);   /* the tree's own */
	vmemmap_populate_trace(m, start, end, huge ? "PMD blocks" : "base pages", ret);
	return ret;
}

/* Models vmemmap_free(). */
void vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages)
{
	struct teardown_req req = { .start = vmemmap_va(m, pfn), .end = vmemmap_va(m, pfn + nr_pages),
				    .floor = m->pt_geom.vmemmap_start, .ceiling = m->pt_geom.vmemmap_end,
				    .free_mapped = true, .vmemmap = true };
	teardown_range(m, &req);
}

/* ---- arch hooks ------------------------------------------------------------------ */

/* Models can_set_direct_map(): rodata=full, or KFENCE allocated late (sample interval 0). */
static unsigned linear_map_flags(const struct mhp_machine *m)
{
	return NO_EXEC_MAPPINGS | (m->can_set_direct_map ? NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS : 0);
}

/* The linear map of hot-added memory, as arch_add_memory() asks for it (the mutants break it here). */
static int map_hotplug_range(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	unsigned flags = linear_map_flags(m);
	if (m->mutant == MUTANT_HOTPLUG_BLOCKS)
		flags &= ~(NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS);
	if (m->mutant == MUTANT_LINEAR_MAP_SHORT)
		size -= m->page_size;
	/* params->pgprot: pgprot_mhp(PAGE_KERNEL), Normal-Tagged, for hot-added RAM; memremap_pages() gives PAGE_KERNEL. */
	uint64_t prot = m->adding_pgmap ? PAGE_KERNEL_BITS : PAGE_KERNEL_TAGGED_BITS;
	const struct teardown_strategy *s = teardown_strategy_of(m);
	if (!s->create_pgd_mapping || !s->add_built())   /* the model's: 6.12's BUG where a table allocation fails */
		return __create_pgd_mapping(m, start, size, prot, flags, false) ? CREATE_BUG_NOMEM : CREATE_OK;
	trace_linear_map(m, start, size, flags);   /* the tree's own, with the arguments arch_add_memory() gives it */
	return s->create_pgd_mapping(m, start, size, prot, flags);
}

/*
 * Models arch_add_memory(): the linear map, then the
 * sections. If a section fails, only the linear map is undone: the sections
 * added before it stay present, as in 6.12 (we mark them orphans so the
 * invariants can tell this kernel behaviour from a bug of the model).
 */
int arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err)
{
	touch_all(m, start, start + size);
	int res = map_hotplug_range(m, start, size);
	if (res == CREATE_ENOMEM || (res == CREATE_BUG_NOMEM && !m->strict_bug)) {
		/* 6.12 stops at a BUG; by default the model reports it and unwinds, as later kernels do. */
		__remove_pgd_mapping(m, start, size);
		return mhp_err_set(err, -ENOMEM, res == CREATE_ENOMEM ? "__create_pgd_mapping failed: ENOMEM"
				   : "BUG: page-table allocation failed in __create_pgd_mapping (the kernel would crash here)");
	}
	if (res != CREATE_OK)   /* an oops: the add stops where the BUG was, with what it had mapped */
		return mhp_err_set(err, res == CREATE_BUG_NOMEM ? -ENOMEM : -EFAULT, "kernel BUG in "
				   "__create_pgd_mapping%s: the add stops there and nothing is unwound",
				   res == CREATE_BUG_NOMEM ? " after a failed page-table allocation (mhpsim.strict_bug)" : "");

	int ret = __add_pages(m, nid, PHYS_PFN(m, start), PHYS_PFN(m, size));
	if (ret) {
		__remove_pgd_mapping(m, start, size);
		mark_orphan_sections(m, start, size);
		return mhp_err_set(err, ret, "arch_add_memory failed: %s", mhp_errno_name(ret));
	}
	if (PHYS_PFN(m, start + size) > m->max_pfn)
		m->max_pfn = PHYS_PFN(m, start + size);
	return 0;
}

/* Models arch_remove_memory(): the sections (and vmemmap), then the linear map. */
void arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	touch_all(m, start, start + size);
	pt_touch_leaves_at_ends(m, linear_va(m, start), linear_va(m, start + size));
	__remove_pages(m, PHYS_PFN(m, start), PHYS_PFN(m, size));
	__remove_pgd_mapping(m, start, size);
}

/* The linear map of [start, start + size) alone (benchmarks): __remove_pgd_mapping(). */
void arm64_remove_linear_map(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	__remove_pgd_mapping(m, start, size);
}

/* Models paging_init() -> map_mem() and the boot memmap: all from memblock. */
int arm64_paging_init(struct mhp_machine *m, struct mhp_err *err)
{
	int ret = pt_geom_init(m, err);
	if (ret || (ret = pt_alloc_pgd(m, err)))   /* swapper_pg_dir */
		return ret;
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		if (__create_pgd_mapping(m, r->start, r->size, PAGE_KERNEL_TAGGED_BITS, linear_map_flags(m), true))
			return mhp_err_set(err, -ENOMEM, "model %s: the memblock page-table pool is too small for "
					   "the boot linear map", m->model.name);
	}
	return 0;
}

/* Models prevent_bootmem_remove_notifier(): boot memory is never offlined (6.12 refuses it here). */
int prevent_bootmem_remove_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	if (action != MEM_GOING_OFFLINE && action != MEM_OFFLINE)
		return NOTIFY_OK;
	for (uint64_t pfn = start_pfn; pfn < start_pfn + nr_pages; pfn += m->pages_per_section) {
		unsigned long long start = PFN_PHYS(m, pfn);
		unsigned long long end = start + (m->pages_per_section << m->page_shift);
		if (!early_section(__pfn_to_section(m, pfn)) || m->mutant == MUTANT_BOOTMEM_NO_VETO)
			continue;
		if (action == MEM_GOING_OFFLINE) {
			pr_warn(m, "Boot memory [%llx %llx] offlining attempted", start, end);
			return NOTIFY_BAD;
		}
		pr_err(m, "Boot memory [%llx %llx] offlined", start, end);
		return NOTIFY_DONE;
	}
	return NOTIFY_OK;
}
