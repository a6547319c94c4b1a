// SPDX-License-Identifier: GPL-2.0-only
/*
 * init.c - RISC-V's linear map and vmemmap as boot and memory hotplug build
 * and tear them down, its zones and its mappable range. Kernel twin:
 * arch/riscv/mm/init.c (create_linear_mapping_range, create_pgd_mapping,
 * best_map_size, preallocate_pgd_pages_range, remove_pgd_mapping and its
 * levels, free_*_table, free_vmemmap_storage, arch_add_memory,
 * arch_remove_memory, vmemmap_populate, vmemmap_free,
 * arch_get_mappable_range, zone_sizes_init).
 *
 * The teardown is 6.12's, step for step (docs/riscv.md, section 3): one walk,
 * a leaf cleared and then its vmemmap backing freed, a table scanned and
 * freed as soon as it is empty and only then unlinked, no flush inside the
 * walk and one flush_tlb_all() after it; arch_remove_memory() adds one more.
 * The level under the PGD is preallocated at boot and never freed.
 */
#include <string.h>

#include "sim/memory_hotplug.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/sparse-vmemmap.h"
#include "sim/touched.h"
#include "sim/trace.h"
#include "riscv.h"

#define SZ_2M (1ull << 21)
#define SZ_1G (1ull << 30)
#define RISCV_KERNEL_LINK_ADDR 0xffffffff80000000ull   /* where the kernel image runs, in every mode */

/* ---- building: create_linear_mapping_range() ------------------------------- */

/* The depth whose entries map size bytes (a leaf of that size lives there). */
static unsigned depth_of_size(const struct mhp_machine *m, uint64_t size)
{
	unsigned d = m->pt_geom.levels - 1;
	while (d && pt_span(m, d) != size)
		d--;
	MHP_ASSERT(pt_span(m, d) == size);
	return d;
}

static bool aligned(uint64_t a, uint64_t size)
{
	return !(a & (size - 1));
}

/*
 * Models best_map_size(): 4K under debug_pagealloc; else the largest of
 * 512G (Sv57), 1G (Sv48 and up) and 2M that pa and va are both aligned to
 * and the rest of the range holds. A P4D leaf needs a 512G-aligned DRAM
 * base, which no model has (riscv_memory_layout_init() refuses it).
 */
static uint64_t best_map_size(const struct mhp_machine *m, uint64_t pa, uint64_t va, uint64_t size)
{
	if (m->debug_pagealloc)
		return m->page_size;
	if (pgtable_l4_enabled(m) && aligned(pa | va, SZ_1G) && size >= SZ_1G)
		return SZ_1G;
	if (aligned(pa | va, SZ_2M) && size >= SZ_2M)
		return SZ_2M;
	return m->page_size;
}

/*
 * How many leaves of size from pa on best_map_size() keeps choosing (at
 * most to the end of their table): up to where a larger size fits, or to
 * the end of the range.
 */
static uint64_t same_size_run(const struct mhp_machine *m, uint64_t pa, uint64_t end, uint64_t size, unsigned depth)
{
	uint64_t va = linear_va(m, pa), n = (end - pa) / size;
	uint64_t left = 512 - pt_index(m, depth, va);
	uint64_t bigger = m->debug_pagealloc ? 0 : size == m->page_size ? SZ_2M : size == SZ_2M && pgtable_l4_enabled(m) ? SZ_1G : 0;
	if (bigger && aligned(va - pa, bigger)) {
		uint64_t up = (pa + bigger - 1) & ~(bigger - 1);
		if (up + bigger <= end)
			n = (up - pa) / size;
	}
	return n < left ? n : left;
}

/*
 * Models create_pgd_mapping()'s descent to the table whose entries map
 * size: a missing table is allocated, zeroed and linked (V alone); NULL
 * when an allocation fails (the kernel's BUG_ON).
 *
 * Hot-add's descriptor loads and stores are counted as 6.12's source makes
 * them (docs/riscv.md, 3.12), as the teardown's are, and as the tree's own
 * create_pgd_mapping() counts under the "kernel" strategy: at each level an
 * entry already there is read twice (p?d_val() == 0, then _p?d_pfn()), a
 * none one once, and the new table's link is one store. Boot's are not
 * counted.
 */
static struct pt_table *table_for(struct mhp_machine *m, uint64_t va, unsigned depth, bool boot)
{
	struct pt_table *t = pt_pgd(m);
	while (t && t->depth < depth) {
		uint64_t idx = pt_index(m, t->depth, va), d = pt_get(t, idx);
		/* An existing leaf read as a table would be the kernel's bug; the model never maps over one. */
		MHP_ASSERT(desc_type(m, t->depth, d) != DESC_BLOCK);
		m->pt.nr_reads += boot ? 0 : d ? 2 : 1;
		t = pt_populate(m, t, idx, _PAGE_TABLE, boot, 0);
		m->pt.nr_writes += !boot && t && !d;
		/* alloc_{pte,pmd}_late() construct what they allocate; boot's fixmap pt_ops and the PUD/P4D ones do not. */
		if (!boot && t && !d && t->depth >= m->pt_geom.levels - 2)
			t->ctor = true;
	}
	return t;
}

/*
 * Writes n leaves from pa into t where its entries are none: create_*_mapping() keeps an entry already there.
 * Returns how many it wrote.
 */
static uint64_t set_leaves(struct mhp_machine *m, struct pt_table *t, uint64_t pa, uint64_t n, uint64_t size)
{
	uint64_t i = pt_index(m, t->depth, linear_va(m, pa)), stop = i + n, written = 0;
	while (i < stop) {
		uint64_t used = pt_next_used(m, t, i), k = (used < stop ? used : stop) - i;
		if (k)
			pt_set_run(m, t, i, k, mk_desc(m, pa, _PAGE_KERNEL));
		written += k;
		i += k + (used < stop), pa += (k + (used < stop)) * size;
	}
	return written;
}

/*
 * Models create_linear_mapping_range() with PAGE_KERNEL: each step the
 * best size for what is left, mapped by create_pgd_mapping(). Returns the
 * end mapped: short of end when a table could not be allocated. Counted
 * (not at boot): each leaf's own entry is read once (p?d_none()) and
 * written if none; each leaf after a run's first walks down again from the
 * PGD through tables now all there, two loads a level.
 */
static uint64_t create_linear_mapping_range(struct mhp_machine *m, uint64_t start, uint64_t end, bool boot)
{
	for (uint64_t pa = start; pa < end;) {
		uint64_t size = best_map_size(m, pa, linear_va(m, pa), end - pa);
		unsigned depth = depth_of_size(m, size);
		struct pt_table *t = table_for(m, linear_va(m, pa), depth, boot);
		if (!t)
			return pa;
		uint64_t n = same_size_run(m, pa, end, size, depth), written = set_leaves(m, t, pa, n, size);
		if (!boot) {
			m->pt.nr_reads += n + (n - 1) * 2 * depth;
			m->pt.nr_writes += written;
		}
		pa += n * size;
	}
	return end;
}

/* ---- tearing down: remove_pgd_mapping() ------------------------------------ */

/*
 * Descriptor loads are counted as 6.12's source makes them, one for each
 * time it reads an entry's value (docs/riscv.md, 3.12), so that the model
 * and the tree's own code (kernel.c) count alike.
 */
static void loads(struct mhp_machine *m, uint64_t n)
{
	m->pt.nr_reads += n;
}

static void clear_entry(struct mhp_machine *m, struct pt_table *t, uint64_t idx)
{
	pt_set(m, t, idx, 0);
	m->pt.nr_writes++;
}

/* The table a table entry points to (pmd_offset(), pud_offset(), ...), or NULL when it is gone (PT-DANGLING's). */
static struct pt_table *child_of(const struct mhp_machine *m, uint64_t d)
{
	return pt_lookup(m, desc_pa(m, d) >> m->page_shift);
}

/*
 * Models free_vmemmap_storage(): an altmap's pages go back to it; a boot
 * memmap's (PageReserved) back to the buddy one page at a time with
 * free_reserved_page(), each managed from now on; others with free_pages().
 */
static void free_vmemmap_storage(struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	enum page_kind kind = page_kind_of(m, pfn);
	if (vmemmap_altmap_page(m, pfn)) {
		set_page_kinds(m, pfn, nr, PG_FREE);   /* vmem_altmap_free() */
		return;
	}
	if (kind == PG_VMEMMAP_BOOT) {
		free_reserved_pages(m, pfn, nr, "vmemmap backing");
		return;
	}
	tlb_note_free(m, pfn, nr, "vmemmap backing");
	unsigned order = 0;
	while ((1ull << order) < nr)
		order++;
	free_pages_kind(m, pfn, order, kind == PG_FREE ? PG_VMEMMAP : kind);
}

/*
 * Models free_{pte,pmd,pud}_table(): the child's page read from the parent
 * entry, its entries scanned up to the first in use; an empty child is
 * destroyed when dtor says so (a PTE table always, a PMD table unless it is
 * the vmemmap's), freed (free_reserved_page() for a boot table), and only
 * then is the parent entry cleared. No flush.
 */
static void free_child_table(struct mhp_machine *m, struct pt_table *parent, uint64_t idx, bool dtor)
{
	struct pt_table *child = child_of(m, pt_get(parent, idx));
	loads(m, 1);
	if (!child)
		return;
	loads(m, child->used ? pt_next_used(m, child, 0) + 1 : 512);
	if (child->used || m->mutant == MUTANT_TABLES_NEVER_FREED)
		return;
	uint64_t pfn = child->pfn;
	bool boot = child->boot;
	if (dtor && m->mutant != MUTANT_NO_TABLE_DTOR)
		pt_dtor(m, child, child->depth == m->pt_geom.levels - 2);
	pt_release(m, child);
	if (boot)
		adjust_managed_page_count_pfn(m, pfn, 1);
	if (m->mutant != MUTANT_FREE_TABLE_KEEP_PARENT)
		clear_entry(m, parent, idx);
}

/* A leaf's backing, when the walk is the vmemmap's (or the mutant frees the linear map's pages). */
static bool frees_backing(const struct mhp_machine *m, bool vmemmap)
{
	return vmemmap || m->mutant == MUTANT_FREE_LINEAR_PAGES;
}

/* Models remove_pte_mapping(): each present PTE cleared, then (vmemmap) its page freed. */
static void remove_pte_mapping(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end, bool vmemmap)
{
	uint64_t idx = pt_index(m, t->depth, addr), n = (end - addr + m->page_size - 1) >> m->page_shift;
	/* The linear map's PTEs held as one run: cleared at once, with the loads and stores the walk counts. */
	if (!vmemmap && !t->e && !frees_backing(m, vmemmap)) {
		uint64_t cleared = pt_clear_range(m, t, idx, n);
		loads(m, 2 * n);
		m->pt.nr_writes += cleared;
		return;
	}
	for (uint64_t i = idx; i < idx + n; i++) {
		uint64_t d = pt_get(t, i);
		loads(m, 2);   /* ptep_get(), and pte_present(*ptep) */
		if (!(d & (_PAGE_PRESENT | _PAGE_GLOBAL)))
			continue;
		clear_entry(m, t, i);
		if (frees_backing(m, vmemmap))
			free_vmemmap_storage(m, desc_pa(m, d) >> m->page_shift, 1);
	}
}

/* Models remove_pmd_mapping(): 2M leaves cleared then (vmemmap) freed; PTE tables walked, then freed if empty. */
static void remove_pmd_mapping(struct mhp_machine *m, struct pt_table *t, uint64_t addr, uint64_t end, bool vmemmap)
{
	for (uint64_t next; addr < end; addr = next) {
		next = pt_addr_end(m, t->depth, addr, end);
		uint64_t idx = pt_index(m, t->depth, addr), d = pt_get(t, idx);
		loads(m, 1);
		if (!(d & (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_LEAF)))
			continue;
		if (d & _PAGE_LEAF) {
			clear_entry(m, t, idx);
			if (frees_backing(m, vmemmap))
				free_vmemmap_storage(m, desc_pa(m, d) >> m->page_shift, SZ_2M >> m->page_shift);
			continue;
		}
		loads(m, 1);   /* pmd_page_vaddr(*pmdp) */
		struct pt_table *pte = child_of(m, d);
		if (!pte)
			continue;
		remove_pte_mapping(m, pte, addr, next, vmemmap);
		free_child_table(m, t, idx, true);
	}
}

/*
 * Models remove_pud_mapping(). With Sv39 the PUD is the PGD entry itself
 * (one step, slot as given); a 1G leaf is cleared only with Sv48 and up,
 * and only there is an emptied PMD table freed (free_pmd_table()).
 */
static void remove_pud_mapping(struct mhp_machine *m, struct pt_table *t, uint64_t slot, uint64_t addr, uint64_t end,
			       bool vmemmap)
{
	bool l4 = pgtable_l4_enabled(m);
	for (uint64_t next; addr < end; addr = next) {
		next = l4 ? pt_addr_end(m, t->depth, addr, end) : end;
		uint64_t idx = l4 ? pt_index(m, t->depth, addr) : slot, d = pt_get(t, idx);
		loads(m, 1);
		if (!(d & _PAGE_PRESENT))   /* pud_present(): V alone, unlike pmd_present() */
			continue;
		if (d & _PAGE_LEAF) {
			if (l4)
				clear_entry(m, t, idx);
			if (l4 && frees_backing(m, vmemmap))
				free_vmemmap_storage(m, desc_pa(m, d) >> m->page_shift, SZ_1G >> m->page_shift);
			continue;
		}
		loads(m, 1);   /* pmd_offset(pudp, 0) */
		struct pt_table *pmd = child_of(m, d);
		if (!pmd)
			continue;
		remove_pmd_mapping(m, pmd, addr, next, vmemmap);
		if (l4)   /* free_pmd_table(): no destructor for the vmemmap's, which none constructed */
			free_child_table(m, t, idx, !vmemmap || m->mutant == MUTANT_VMEMMAP_PMD_DTOR);
	}
}

/*
 * Models remove_p4d_mapping(). Below Sv57 the P4D is the PGD entry itself;
 * p4d_present() tests it only with Sv48 and up, and pud_offset() reads it
 * only then. No p4d_leaf() exists. Only with Sv57 is an emptied PUD table
 * freed.
 */
static void remove_p4d_mapping(struct mhp_machine *m, struct pt_table *t, uint64_t slot, uint64_t addr, uint64_t end,
			       bool vmemmap)
{
	bool l4 = pgtable_l4_enabled(m), l5 = pgtable_l5_enabled(m);
	for (uint64_t next; addr < end; addr = next) {
		next = l5 ? pt_addr_end(m, t->depth, addr, end) : end;
		uint64_t idx = l5 ? pt_index(m, t->depth, addr) : slot, d = pt_get(t, idx);
		loads(m, 1);
		if (l4 && !(d & _PAGE_PRESENT))   /* p4d_present(): V alone, and only when the level is not folded */
			continue;
		if (!l4) {
			remove_pud_mapping(m, t, idx, addr, next, vmemmap);
			continue;
		}
		loads(m, 1);   /* pud_offset(p4dp, 0) */
		struct pt_table *pud = child_of(m, d);
		if (!pud)
			continue;
		remove_pud_mapping(m, pud, 0, addr, next, vmemmap);
		if (l5)
			free_child_table(m, t, idx, false);
	}
}

/* flush_tlb_all() of the teardown, unless the mutant drops it. */
static void teardown_flush(struct mhp_machine *m)
{
	if (m->mutant != MUTANT_NO_LEAF_FLUSH)
		flush_tlb_all(m);
}

/*
 * Models remove_pgd_mapping(): pgd_present() tests the entry only with
 * Sv57 (and p4d_offset() reads it only then); pgd_leaf() is false. The PGD
 * is never written. One flush_tlb_all() when the walk is done.
 */
static void remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t end, bool vmemmap)
{
	struct pt_table *pgd = pt_pgd(m);
	bool l5 = pgtable_l5_enabled(m);
	for (uint64_t addr = va, next; addr < end; addr = next) {
		next = pt_addr_end(m, 0, addr, end);
		uint64_t idx = pt_index(m, 0, addr), d = pt_get(pgd, idx);
		if (!l5) {
			remove_p4d_mapping(m, pgd, idx, addr, next, vmemmap);
			continue;
		}
		loads(m, 2);   /* pgd_present(*pgd), p4d_offset(pgd, 0) */
		struct pt_table *p4d = d & _PAGE_PRESENT ? child_of(m, d) : NULL;
		if (p4d)
			remove_p4d_mapping(m, p4d, 0, addr, next, vmemmap);
	}
	teardown_flush(m);
}

/* What follows every teardown of a region, whoever's code did it: the trace, the hook. */
static void teardown_done(struct mhp_machine *m, uint64_t va, uint64_t end, bool vmemmap, const char *how)
{
	struct mhp_trace_field f[] = { TF_X("start", va), TF_X("end", end), TF_S("map", vmemmap ? "vmemmap" : "linear") };
	TRACE(m, "remove_pgd_mapping", f, "%s [%#llx-%#llx) torn down: %s", vmemmap ? "vmemmap" : "linear map",
	      (unsigned long long)va, (unsigned long long)end, how);
	raise_hook(m, HOOK_ARCH_OP_RETURNED);
}

/* A region torn down by the machine's strategy: the model's remove_pgd_mapping(), or the tree's own. */
static void teardown(struct mhp_machine *m, uint64_t va, uint64_t end, bool vmemmap)
{
	if (!vmemmap)
		pt_touch_leaves_at_ends(m, va, end);
	if (m->teardown != RISCV_TEARDOWN_KERNEL) {
		remove_pgd_mapping(m, va, end, vmemmap);
		teardown_done(m, va, end, vmemmap, "tables freed as they emptied, then one flush_tlb_all");
		return;
	}
	riscv_kernel_remove_pgd_mapping(m, va, end, vmemmap, vmemmap && vmemmap_from_altmap(m, va));
	teardown_done(m, va, end, vmemmap, "by the tree's own arch/riscv/mm/init.c");
}

/* Models remove_linear_mapping(): remove_pgd_mapping() over the linear map of [start, start + size). */
void riscv_remove_linear_map(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	teardown(m, linear_va(m, start), linear_va(m, start + size), false);
}

/* ---- the vmemmap ---------------------------------------------------------------- */

/* Models vmemmap_check_pmd(): any PMD already there, leaf or table, counts as populated. */
static bool riscv_vmemmap_check_pmd(struct mhp_machine *m, uint64_t pmd, uint64_t addr, uint64_t next)
{
	(void)m, (void)pmd, (void)addr, (void)next;
	return true;
}

/* Models vmemmap_populate(): vmemmap_populate_hugepages() always, 2M leaves with PAGE_KERNEL. */
int riscv_vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot)
{
	uint64_t start = vmemmap_va(m, pfn), end = vmemmap_va(m, pfn + nr_pages);
	struct vmemmap_req r = { .table_bits = _PAGE_TABLE, .pte_bits = _PAGE_KERNEL, .pmd_bits = _PAGE_KERNEL,
				 .boot = boot, .nid = nid, .check_pmd = riscv_vmemmap_check_pmd };
	return vmemmap_populate_range(m, start, end, true, "2M leaves", &r);
}

/* Models vmemmap_free(): remove_pgd_mapping() of the vmemmap, with its own flush. */
void riscv_vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages)
{
	if (m->mutant == MUTANT_VMEMMAP_NOT_FREED && m->teardown != RISCV_TEARDOWN_KERNEL)
		return;   /* the mutant breaks the model's walk; the tree's code is not ours to break */
	teardown(m, vmemmap_va(m, pfn), vmemmap_va(m, pfn + nr_pages), true);
}

/* ---- arch hooks ------------------------------------------------------------------ */

/*
 * Models arch_add_memory(): the linear map first (the model's
 * create_linear_mapping_range(), or with the "kernel" strategy the tree's
 * own), then __add_pages(); a failure there removes the linear map again
 * (unlike x86-64). max_pfn is
 * set to the end of what was added, even below the old one, as 6.12 does.
 * flush_tlb_all() at the end either way.
 */
int riscv_arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err)
{
	touch_all(m, start, start + size);
	bool tree = m->teardown == RISCV_TEARDOWN_KERNEL;
	/* The mutant breaks the model's create_linear_mapping_range(); the tree's code is not ours to break. */
	uint64_t mapped = m->mutant == MUTANT_LINEAR_MAP_SHORT && !tree ? size - m->page_size : size;
	uint64_t end = !tree ? create_linear_mapping_range(m, start, start + mapped, false)
	       : riscv_kernel_create_linear_mapping(m, start, start + mapped, _PAGE_KERNEL) ? start + mapped : start;
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", start + size),
				       TF_S("result", end == start + mapped ? "ok" : "ENOMEM") };
	TRACE(m, "create_linear_mapping_range", f, "linear map [mem %#llx-%#llx) with best_map_size's leaves: %s",
	      (unsigned long long)start, (unsigned long long)(start + size), end == start + mapped ? "ok" : "ENOMEM");
	if (end != start + mapped) {
		if (m->strict_bug)   /* an oops: the add stops where the BUG was, with what it had mapped */
			return mhp_err_set(err, -ENOMEM, "kernel BUG in create_pgd_mapping after a failed page-table "
					   "allocation (mhpsim.strict_bug): the add stops there and nothing is unwound");
		riscv_remove_linear_map(m, start, size);
		teardown_flush(m);
		return mhp_err_set(err, -ENOMEM, "BUG: page-table allocation failed in create_pgd_mapping (the kernel's "
				   "BUG_ON would stop here)");
	}
	int ret = __add_pages(m, nid, PHYS_PFN(m, start), PHYS_PFN(m, size));
	if (ret) {
		mark_orphan_sections(m, start, size);   /* what __add_pages() added before it failed stays */
		riscv_remove_linear_map(m, start, size);
	}
	else
		m->max_pfn = PHYS_PFN(m, start + size + m->page_size - 1);
	teardown_flush(m);
	return ret ? mhp_err_set(err, ret, "arch_add_memory failed: %s (the linear map is removed again)",
				 mhp_errno_name(ret)) : 0;
}

/* Models arch_remove_memory(): the sections (each vmemmap_free() flushes), the linear map, one more flush. */
void riscv_arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	touch_all(m, start, start + size);
	__remove_pages(m, PHYS_PFN(m, start), PHYS_PFN(m, size));
	riscv_remove_linear_map(m, start, size);
	teardown_flush(m);
}

/* memory_block_size_bytes(): RISC-V keeps the generic one, a section (128 MiB). */
uint64_t riscv_memory_block_size(const struct mhp_model *mo, const char **why)
{
	(void)why;
	return 1ull << mo->section_size_bits;
}

/* ---- boot ------------------------------------------------------------------------- */

/* The lowest byte of boot RAM. */
static uint64_t dram_start(const struct mhp_model *mo)
{
	uint64_t lo = UINT64_MAX;
	for (unsigned i = 0; i < mo->nr_ram; i++)
		lo = mo->ram[i].start < lo ? mo->ram[i].start : lo;
	return lo;
}

/*
 * Models setup_bootmem()'s phys_ram_base (DRAM's start rounded down to 2M,
 * which the model asks to be a section boundary, so that vmemmap_start_pfn
 * is the same base) and arch_get_mappable_range(): [__pa(PAGE_OFFSET),
 * __pa(PAGE_END - 1)], cut at PHYSMEM_END. With Sv39, PAGE_END - 1 lies
 * above the linear window, so __pa() takes the kernel image's offset and
 * the end wraps high: every address up to PHYSMEM_END passes
 * (docs/riscv.md, 2.4). The image is taken to sit 2M above DRAM's start,
 * where QEMU's virt machine loads it after OpenSBI.
 */
void riscv_memory_layout_init(struct mhp_machine *m)
{
	const struct riscv_mode *mode = riscv_mode_of(m->model.va_bits);
	MHP_ASSERT(mode);   /* riscv_geometry_refused() passed it */
	uint64_t base = dram_start(&m->model) & ~(SZ_2M - 1), physmem_end = (1ull << m->model.pa_bits) - 1;
	uint64_t last = riscv_page_end(mode) - 1, end;
	if (last - mode->page_offset < riscv_kern_virt_size(mode))
		end = base + (last - mode->page_offset);
	else
		end = last - (RISCV_KERNEL_LINK_ADDR - (base + SZ_2M));   /* the kernel image's offset: wraps */
	m->memstart_addr = base;
	m->mappable_start = base;
	m->mappable_end = end < physmem_end ? end : physmem_end;
	m->can_set_direct_map = false;
}

/*
 * Models create_linear_mapping_page_table(): every range of memblock.memory
 * (firmware's no-map ranges left out) with the best sizes, tables from
 * memblock. The kernel text's read-only alias, mapped apart with
 * STRICT_KERNEL_RWX, is not (docs/riscv.md).
 */
int riscv_paging_init(struct mhp_machine *m, struct mhp_err *err)
{
	int ret = riscv_pgtable_init(m, err);
	if (ret || (ret = pt_alloc_pgd(m, err)))   /* swapper_pg_dir */
		return ret;
	uint64_t r[MODEL_MAX_SYSTEM_RAM][2];
	unsigned n = model_system_ram(&m->model, r, MODEL_MAX_SYSTEM_RAM);
	for (unsigned i = 0; i < n; i++) {
		uint64_t start = (r[i][0] + m->page_size - 1) & ~(m->page_size - 1), end = r[i][1] & ~(m->page_size - 1);
		if (start < end && create_linear_mapping_range(m, start, end, true) != end)
			return mhp_err_set(err, -ENOMEM, "model %s: the memblock page-table pool is too small for the boot "
					   "linear map", m->model.name);
	}
	return 0;
}

/* Models zone_sizes_init(): DMA32 up to 4 GiB (or the end of RAM), Normal to max_low_pfn; no ZONE_DMA. */
void riscv_zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start_pa, uint64_t dram_end,
			   uint64_t max_zone_pfn[MAX_NR_ZONES])
{
	(void)dram_start_pa;
	uint64_t dma32 = dram_end < (4ull << 30) ? dram_end : 4ull << 30;
	memset(max_zone_pfn, 0, MAX_NR_ZONES * sizeof(uint64_t));
	max_zone_pfn[ZONE_DMA32] = PHYS_PFN(m, dma32);
	max_zone_pfn[ZONE_NORMAL] = PHYS_PFN(m, dram_end);
}

/*
 * no4lvl and no5lvl choose the mode before the probe (set_satp_mode()); the
 * model's va_bits says which mode the machine runs, and the words must
 * agree with it. -ENOENT for other words.
 */
int riscv_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)value;
	unsigned most = strcmp(word, "no4lvl") == 0 ? 39 : strcmp(word, "no5lvl") == 0 ? 48 : 0;
	if (!most)
		return -ENOENT;
	if (m->model.va_bits > most)
		return mhp_err_set(err, -EINVAL, "model %s: the command line's %s leaves at most %u-bit VAs (Sv%u), but "
				   "the model says va_bits %u", m->model.name, word, most, most, m->model.va_bits);
	return 0;
}

/*
 * Models pgtable_cache_init()'s preallocate_pgd_pages_range() for the
 * vmemmap and the direct map (mm_core_init(), the buddy up): every PGD
 * entry of them gets its next-level table, which no removal frees; then
 * free_initmem().
 */
void riscv_free_initmem(struct mhp_machine *m)
{
	const struct pt_geom *g = &m->pt_geom;
	const uint64_t ranges[2][2] = { { g->vmemmap_start, g->vmemmap_end },
					{ g->page_offset, riscv_page_end(riscv_mode_of(m->model.va_bits)) } };
	struct pt_table *pgd = pt_pgd(m);
	uint64_t span = pt_span(m, 0), before = m->pt.nr_allocated;
	m->pt.untraced = true;
	for (int i = 0; i < 2; i++)
		for (uint64_t va = ranges[i][0]; va < ranges[i][1] && va >= ranges[i][0]; va = (va | (span - 1)) + 1)
			if (!pt_populate(m, pgd, pt_index(m, 0, va), _PAGE_TABLE, false, 0)) {
				pr_err(m, "Failed to pre-allocate %s pages for %s area", pt_level_name(m, 1),
				       i ? "direct map" : "vmemmap");   /* the kernel panics */
				break;
			}
	m->pt.untraced = false;
	struct mhp_trace_field f[] = { TF_S("level", pt_level_name(m, 1)), TF_U("tables", m->pt.nr_allocated - before) };
	TRACE(m, "pgtable_prealloc", f, "%llu %s tables preallocated under the PGD for the vmemmap and the direct map "
	      "(pgtable_cache_init)", (unsigned long long)(m->pt.nr_allocated - before), pt_level_name(m, 1));
	const struct model_kernel *k = &m->model.kernel;
	if (k->present)
		free_reserved_area(m, k->init.start, k->init.start + k->init.size, "unused kernel image (initmem)");
}
