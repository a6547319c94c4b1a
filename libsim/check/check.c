// SPDX-License-Identifier: GPL-2.0-only
/*
 * check.c - invariants of the model: each named, stated, tied to the kernel
 * code that keeps it true, and run after every scenario step.
 */
#include <stdio.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/mmzone.h"
#include "sim/mutant.h"
#include "sim/sparse.h"
#include "sim/touched.h"
#include "check/check.h"

typedef int (*check_fn)(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);

/* [lo, hi) of physical memory as section numbers; the full check is [0, UINT64_MAX). */
static bool full_range(uint64_t lo, uint64_t hi)
{
	return lo == 0 && hi == UINT64_MAX;
}

static void section_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, uint64_t *s0, uint64_t *s1)
{
	if (full_range(lo, hi) || lo >= hi) {
		*s0 = 0;
		*s1 = full_range(lo, hi) ? UINT64_MAX : 0;
		return;
	}
	*s0 = pfn_to_section_nr(m, PHYS_PFN(m, lo));
	*s1 = pfn_to_section_nr(m, PHYS_PFN(m, hi - 1)) + 1;
}

/*
 * An invariant is checked in up to three parts: over a physical range (after
 * each step, on each range the step touched), once per step whatever it
 * touched (the cheap whole-machine part), and over the whole machine (every
 * K steps and at the end) when that differs from step plus the full range.
 */
struct invariant {
	struct mhp_invariant pub;
	check_fn range;
	int (*step)(const struct mhp_machine *m, struct mhp_err *err);
	int (*whole)(const struct mhp_machine *m, struct mhp_err *err);
	int touched;    /* which touched ranges limit the range part after a step (TOUCHED_*) */
	/* The range part on all of a step's touched ranges at once, where that saves a walk (else range on each). */
	int (*ranges)(const struct mhp_machine *m, const uint64_t (*r)[2], uint32_t n, struct mhp_err *err);
};

static int isolation_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	uint64_t s0, s1;
	section_range(m, lo, hi, &s0, &s1);
	return check_isolation_clean(m, s0, s1, err);
}

/*
 * After a step: the touched ranges are walked only while the machine counts
 * an isolated pageblock (set_pageblock_migratetype() keeps the count; the
 * whole walk holds it to the pageblocks).
 */
static int isolation_ranges(const struct mhp_machine *m, const uint64_t (*r)[2], uint32_t n, struct mhp_err *err)
{
	int ret = 0;
	for (uint32_t k = 0; !ret && m->nr_isolated_pageblocks && k < n; k++)
		ret = isolation_range(m, r[k][0], r[k][1], err);
	return ret;
}

static int pages_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	uint64_t s0, s1;
	section_range(m, lo, hi, &s0, &s1);
	bool full = full_range(lo, hi);
	return check_pages(m, s0, s1, full ? 0 : PHYS_PFN(m, lo), full ? UINT64_MAX : PHYS_PFN(m, hi), err);
}

/* The whole walk counts the tags itself, and names a section whose counts are wrong. */
static int pages_whole(const struct mhp_machine *m, struct mhp_err *err)
{
	return pages_range(m, 0, UINT64_MAX, err);
}

/* Tables change only where a step touched page tables; a walk of the TLB is needed only then. */
/* Under mhpsim.strict_tlb, a page freed while a cache still led to it (x86's and RISC-V's order) fails too. */
static int tlb_strict(const struct mhp_machine *m, struct mhp_err *err)
{
	if (m->strict_tlb && m->tlb.nr_freed_while_cached)
		return mhp_err_set(err, -EUCLEAN, "TLB-STALE: %llu page(s) freed while a cached translation or walk still "
				   "led to them (mhpsim.strict_tlb: clear, flush, then free, as arm64 orders it)",
				   (unsigned long long)m->tlb.nr_freed_while_cached);
	return 0;
}

static int tlb_step(const struct mhp_machine *m, struct mhp_err *err)
{
	int ret = tlb_strict(m, err);
	if (!ret && (m->tlb_stale[0] || m->touched.n[TOUCHED_PT]))
		ret = check_tlb_stale_returned(m, err);
	return ret;
}

static int tlb_whole(const struct mhp_machine *m, struct mhp_err *err)
{
	int ret = tlb_strict(m, err);
	return ret ? ret : check_tlb_stale_returned(m, err);
}

#define FAIL(err, id, ...) mhp_err_set((err), -EUCLEAN, id ": " __VA_ARGS__)

/* ---- SECTION-STATE ------------------------------------------------------- */

struct section_walk {
	struct mhp_err *err;
	uint64_t present;
	int ret;
};

static int section_state_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct section_walk *w = arg;
	const struct memory_block *mem = find_memory_block_by_id(m, nr / m->sections_per_block);
	w->present++;
	if (!(ms->flags & SECTION_HAS_MEM_MAP))
		return w->ret = FAIL(w->err, "SECTION-STATE", "present section %llu has no memmap",
				     (unsigned long long)nr);
	if (!(ms->subsection_map[0] | ms->subsection_map[1] | ms->subsection_map[2] | ms->subsection_map[3]))
		return w->ret = FAIL(w->err, "SECTION-STATE", "present section %llu has an empty subsection map",
				     (unsigned long long)nr);
	if (!mem && (ms->flags & SECTION_ORPHAN))
		return 0;   /* left present by a failed __add_pages: 6.12 does not undo it */
	if (ms->zone == ZONE_DEVICE)   /* memremap_pages(): no memory block, never online */
		return online_section(ms) ? w->ret = FAIL(w->err, "SECTION-STATE", "ZONE_DEVICE section %llu is online",
							  (unsigned long long)nr) : 0;
	if (!mem)
		return w->ret = FAIL(w->err, "SECTION-STATE", "present section %llu belongs to no memory block",
				     (unsigned long long)nr);
	if (online_section(ms) != (mem->state == MEM_ONLINE))
		return w->ret = FAIL(w->err, "SECTION-STATE", "section %llu is %s but memory%llu is %s",
				     (unsigned long long)nr, online_section(ms) ? "online" : "offline",
				     (unsigned long long)mem->id, mem->state == MEM_ONLINE ? "online" : "not online");
	if (early_section(ms) != mem->early)
		return w->ret = FAIL(w->err, "SECTION-STATE", "section %llu early flag disagrees with memory%llu",
				     (unsigned long long)nr, (unsigned long long)mem->id);
	return 0;
}

/* Present sections carry a memmap and subsections, and are online exactly when their block is. */
static int check_section_state(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	struct section_walk w = { .err = err };
	uint64_t s0, s1;
	section_range(m, lo, hi, &s0, &s1);
	for_each_present_section(m, s0, s1, section_state_cb, &w);
	if (w.ret || !full_range(lo, hi))
		return w.ret;
	if (w.present != m->sparse.nr_present)
		return FAIL(err, "SECTION-STATE", "%llu present sections found, %llu counted",
			    (unsigned long long)w.present, (unsigned long long)m->sparse.nr_present);
	for (size_t i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *mem = m->blocks[i];
		for (uint64_t s = 0; s < m->sections_per_block; s++)
			if (!present_section(__nr_to_section(m, mem->start_section_nr + s)))
				return FAIL(err, "SECTION-STATE", "memory%llu has a section that is not present",
					    (unsigned long long)mem->id);
	}
	return 0;
}

/* ---- BLOCK-ZONE ------------------------------------------------------------ */

/* An online block lies in one zone of its node, the one it records; an offline block records none. */
static int check_block_zone(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	uint64_t s0, s1;
	section_range(m, lo, hi, &s0, &s1);
	for (size_t i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *mem = m->blocks[i];
		if (mem->start_section_nr < s0 || mem->start_section_nr >= s1)
			continue;
		if (mem->state != MEM_ONLINE) {
			if (mem->zone != NO_ZONE)
				return FAIL(err, "BLOCK-ZONE", "offline memory%llu still records zone %s",
					    (unsigned long long)mem->id, zone_name(mem->zone));
			continue;
		}
		if (mem->zone == NO_ZONE)
			continue;   /* spans zones or nodes: the kernel records none, and refuses to offline it */
		for (uint64_t s = 0; s < m->sections_per_block; s++) {
			const struct mem_section *ms = __nr_to_section(m, mem->start_section_nr + s);
			if (ms->zone != mem->zone || ms->nid != mem->nid)
				return FAIL(err, "BLOCK-ZONE",
					    "memory%llu records node %d zone %s but its section %llu is in node %d zone %s",
					    (unsigned long long)mem->id, mem->nid, zone_name(mem->zone),
					    (unsigned long long)(mem->start_section_nr + s), ms->nid,
					    ms->zone == NO_ZONE ? "none" : zone_name(ms->zone));
		}
	}
	return 0;
}

/* ---- ZONE-SPAN ------------------------------------------------------------- */

struct span_walk {
	struct mhp_err *err;
	uint64_t present[MAX_NUMNODES][MAX_NR_ZONES];
	int ret;
};

static int zone_span_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct span_walk *w = arg;
	if (!online_section(ms))
		return 0;
	uint64_t pfn = section_nr_to_pfn(m, nr), end = pfn + m->pages_per_section;
	if (ms->zone == NO_ZONE || ms->nid < 0)
		return w->ret = FAIL(w->err, "ZONE-SPAN", "online section %llu is linked to no zone",
				     (unsigned long long)nr);
	const struct pglist_data *p = &m->nodes[ms->nid];
	/* Each zone's share of the section (one share unless zones split it at boot) lies in that zone's span. */
	for (uint64_t at = pfn, next; at < end; at = next) {
		int zid = page_zone_id(m, ms, at);
		const struct zone *z = &p->zones[zid];
		next = zid == ms->zone ? end : z->zone_start_pfn + z->spanned_pages;
		if (at < z->zone_start_pfn || next > zone_end_pfn(z) || next <= at || next > end)
			return w->ret = FAIL(w->err, "ZONE-SPAN",
					     "online section %llu (pfn %#llx) lies outside node %d zone %s span [%#llx, %#llx)",
					     (unsigned long long)nr, (unsigned long long)at, ms->nid, zone_name(zid),
					     (unsigned long long)z->zone_start_pfn, (unsigned long long)zone_end_pfn(z));
		w->present[ms->nid][zid] += next - at;
	}
	if (pfn < p->node_start_pfn || end > p->node_start_pfn + p->node_spanned_pages)
		return w->ret = FAIL(w->err, "ZONE-SPAN", "online section %llu lies outside node %d span",
				     (unsigned long long)nr, ms->nid);
	return 0;
}

/* ZONE_DEVICE ranges lie within their node's Device zone and node spans (memremap_pages()). */
static int check_device_span(const struct mhp_machine *m, struct mhp_err *err)
{
	for (unsigned i = 0; i < m->nr_pgmaps; i++) {
		const struct dev_pagemap *pg = &m->pgmaps[i];
		const struct pglist_data *p = &m->nodes[pg->nid];
		const struct zone *z = &p->zones[ZONE_DEVICE];
		uint64_t pfn = PHYS_PFN(m, pg->start), end = PHYS_PFN(m, pg->end);
		if (pfn < z->zone_start_pfn || end > zone_end_pfn(z) || pfn < p->node_start_pfn ||
		    end > p->node_start_pfn + p->node_spanned_pages)
			return FAIL(err, "ZONE-SPAN", "ZONE_DEVICE pfn [%#llx, %#llx) lies outside node %d's Device zone "
				    "[%#llx, %#llx) or its node's span", (unsigned long long)pfn, (unsigned long long)end,
				    pg->nid, (unsigned long long)z->zone_start_pfn, (unsigned long long)zone_end_pfn(z));
	}
	return 0;
}

/* Online pages lie within their zone's and node's spans; a zone without them spans nothing. */
static int check_zone_span(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	struct span_walk w = { .err = err };
	uint64_t s0, s1;
	section_range(m, lo, hi, &s0, &s1);
	for_each_present_section(m, s0, s1, zone_span_cb, &w);
	if (w.ret)
		return w.ret;
	bool full = full_range(lo, hi);   /* "a zone without online pages spans nothing" needs every section */
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (int zid = 0; check_reads_node(m, nid, full) && zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &m->nodes[nid].zones[zid];
			if (z->present_pages > z->spanned_pages)
				return FAIL(err, "ZONE-SPAN", "node %d zone %s: present %llu exceeds spanned %llu", nid,
					    zone_name(zid), (unsigned long long)z->present_pages,
					    (unsigned long long)z->spanned_pages);
			/* ZONE_DEVICE never has online pages, and 6.12 never shrinks it (remove_pfn_range_from_zone()). */
			if (full && !w.present[nid][zid] && z->spanned_pages && zid != ZONE_DEVICE)
				return FAIL(err, "ZONE-SPAN", "node %d zone %s spans %llu pages but none is online", nid,
					    zone_name(zid), (unsigned long long)z->spanned_pages);
		}
	}
	return check_device_span(m, err);
}

/* ---- COUNTERS -------------------------------------------------------------- */

/* A node that is not possible holds nothing: no zone of it has a page, spans one or lists one. */
static int check_impossible_node(const struct mhp_machine *m, int nid, struct mhp_err *err)
{
	const struct pglist_data *p = &m->nodes[nid];
	if (p->possible)
		return 0;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *z = &p->zones[zid];
		if (z->present_pages || z->managed_pages || z->free_pages || z->spanned_pages)
			return FAIL(err, "COUNTERS", "node %d is not possible, but its zone %s counts pages (present %llu, "
				    "managed %llu, free %llu, spanned %llu)", nid, zone_name(zid),
				    (unsigned long long)z->present_pages, (unsigned long long)z->managed_pages,
				    (unsigned long long)z->free_pages, (unsigned long long)z->spanned_pages);
	}
	if (p->node_present_pages || p->node_spanned_pages)
		return FAIL(err, "COUNTERS", "node %d is not possible, but it counts pages (present %llu, spanned %llu)",
			    nid, (unsigned long long)p->node_present_pages, (unsigned long long)p->node_spanned_pages);
	return 0;
}

/* MemTotal is the sum of managed pages; present counts match online sections; free <= managed. */
static int check_counters(const struct mhp_machine *m, bool full, struct mhp_err *err)
{
	struct span_walk w = { .err = err };
	uint64_t managed = 0;
	int ret;
	if (full)   /* present == online sections needs every section */
		for_each_present_section(m, 0, UINT64_MAX, zone_span_cb, &w);
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		const struct pglist_data *p = &m->nodes[nid];
		uint64_t node_present = 0;
		if (!check_reads_node(m, nid, full))
			continue;
		if (full && (ret = check_impossible_node(m, nid, err)))
			return ret;
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &p->zones[zid];
			managed += z->managed_pages;
			node_present += z->present_pages;
			if (full && z->present_pages != w.present[nid][zid])
				return FAIL(err, "COUNTERS", "node %d zone %s: present %llu but online sections hold %llu",
					    nid, zone_name(zid), (unsigned long long)z->present_pages,
					    (unsigned long long)w.present[nid][zid]);
			if (z->managed_pages > z->present_pages || z->free_pages > z->managed_pages)
				return FAIL(err, "COUNTERS", "node %d zone %s: free %llu <= managed %llu <= present %llu fails",
					    nid, zone_name(zid), (unsigned long long)z->free_pages,
					    (unsigned long long)z->managed_pages, (unsigned long long)z->present_pages);
		}
		if (node_present != p->node_present_pages)
			return FAIL(err, "COUNTERS", "node %d: present %llu but its zones hold %llu", nid,
				    (unsigned long long)p->node_present_pages, (unsigned long long)node_present);
	}
	if (managed != m->totalram_pages)
		return FAIL(err, "COUNTERS", "MemTotal counts %llu pages but the zones manage %llu",
			    (unsigned long long)m->totalram_pages, (unsigned long long)managed);
	return 0;
}

static int counters_step(const struct mhp_machine *m, struct mhp_err *err)
{
	return check_counters(m, false, err);
}

static int counters_whole(const struct mhp_machine *m, struct mhp_err *err)
{
	return check_counters(m, true, err);
}

static const struct invariant invariants[] = {
	{ { "SECTION-STATE",
	    "every present section has a memmap and subsections, belongs to a memory block (unless a failed add left it, "
	    "as 6.12 does, or it holds ZONE_DEVICE memory, which is never online), and is online exactly when its block is",
	    "mm/sparse.c: sparse_add_section, online_mem_sections; drivers/base/memory.c: memory_block_change_state" },
	  check_section_state, NULL, NULL, TOUCHED_SECTIONS, NULL },
	{ { "BLOCK-ZONE",
	    "an online memory block lies in one zone of its node, the zone it records; an offline block records none",
	    "drivers/base/memory.c: memory_block_online, early_node_zone_for_memory_block; mm/memory_hotplug.c: move_pfn_range_to_zone" },
	  check_block_zone, NULL, NULL, TOUCHED_SECTIONS, NULL },
	{ { "ZONE-SPAN",
	    "every online page lies within its zone's and node's span; a zone with no online page spans nothing "
	    "(but ZONE_DEVICE, which 6.12 never shrinks); every ZONE_DEVICE range lies within its node's Device span",
	    "mm/memory_hotplug.c: resize_zone_range, shrink_zone_span, update_pgdat_span, remove_pfn_range_from_zone" },
	  check_zone_span, NULL, NULL, TOUCHED_SECTIONS, NULL },
	{ { "COUNTERS",
	    "MemTotal equals the zones' managed pages; zone and node present pages equal their online sections; free <= managed <= present",
	    "mm/page_alloc.c: adjust_managed_page_count; mm/memory_hotplug.c: adjust_present_page_count; fs/proc/meminfo.c" },
	  NULL, counters_step, counters_whole, TOUCHED_SECTIONS, NULL },
	{ { "PT-DANGLING",
	    "every valid table descriptor points to a live table one level down, and no table has two parents",
	    "arch/arm64/mm/mmu.c: free_empty_pte_table (pmd_clear before the free)" },
	  check_pt_dangling_range, NULL, check_pt_dangling, TOUCHED_PT, NULL },
	{ { "PT-LEAK",
	    "every table is linked below the PGD, and no empty table stays that the alignment rule lets go",
	    "arch/arm64/mm/mmu.c: free_empty_tables, pgtable_range_aligned" },
	  check_pt_leak_range, NULL, check_pt_leak, TOUCHED_PT, NULL },
	{ { "PT-COVER",
	    "each present page is mapped once in the linear map at its own address; nothing else is",
	    "arch/arm64/mm/mmu.c: arch_add_memory, __remove_pgd_mapping" },
	  check_linear_map, NULL, NULL, TOUCHED_PT, NULL },
	{ { "PT-ATTR",
	    "linear-map leaves carry PXN, UXN, AF, inner-shareable, Normal-Tagged; no blocks or contiguous runs in "
	    "hot-added memory when the direct map can change",
	    "arch/arm64/mm/mmu.c: arch_add_memory (NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS), pgprot_mhp" },
	  check_linear_map, NULL, NULL, TOUCHED_PT, NULL },
	{ { "VMEMMAP-COVER",
	    "the struct pages of every present section are mapped, backed by vmemmap pages; no absent section's are",
	    "arch/arm64/mm/mmu.c: vmemmap_populate, vmemmap_free; mm/sparse-vmemmap.c" },
	  check_vmemmap, NULL, NULL, TOUCHED_PT, NULL },
	{ { "TLB-STALE",
	    "once an arch operation returns, no cached translation or walk leads to a freed table or an unmapped page",
	    "arch/arm64/mm/mmu.c: unmap_hotplug_range (flush_tlb_kernel_range), free_empty_*_table "
	    "(__flush_tlb_kernel_pgtable)" },
	  NULL, tlb_step, tlb_whole, TOUCHED_PT, NULL },
	{ { "PAGE-OWNER",
	    "page-table pages are exactly the live tables, vmemmap pages exactly what the vmemmap maps; no page is freed "
	    "as something it does not hold (an altmap's page never to the buddy allocator); a table's destructor pairs "
	    "with its constructor",
	    "arch/arm64/mm/mmu.c: free_hotplug_page_range, free_hotplug_pgtable_page; include/linux/mm.h: "
	    "pagetable_pmd_dtor" },
	  NULL, check_bad_frees, check_page_owner, TOUCHED_PT, NULL },
	{ { "WALKER-UAF",
	    "no page-table walker that may run beside hot-remove (the debugfs dump, ptdump_check_wx()) reads a table "
	    "the remove has freed, under any schedule of the two",
	    "mm/ptdump.c: ptdump_walk_pgd (get_online_mems); mm/memory_hotplug.c: mem_hotplug_begin" },
	  NULL, check_walker_uaf, check_walker_uaf, TOUCHED_PT, NULL },
	{ { "BUDDY",
	    "the free lists are consistent: blocks aligned, on the list of their pageblock's type, inside the zone's "
	    "online memory, disjoint from each other and from allocated pages, adding up to NR_FREE_PAGES",
	    "mm/page_alloc.c: __free_one_page, expand, move_freepages_block" },
	  check_buddy_range, check_buddy_counts, check_buddy, TOUCHED_PAGES, check_buddy_ranges },
	{ { "ISOLATION-CLEAN",
	    "no pageblock is left MIGRATE_ISOLATE once an operation returns",
	    "mm/page_isolation.c: undo_isolate_page_range; mm/memory_hotplug.c: offline_pages (failed_removal_isolated)" },
	  isolation_range, NULL, NULL, TOUCHED_PAGES, isolation_ranges },
	{ { "ZONE-MOVABLE",
	    "ZONE_MOVABLE holds no unmovable and no long-term pinned page from the page allocator (memblock's boot "
	    "allocations and a block's own memmap are placed, not allocated)",
	    "mm/page_alloc.c: gfp_zone (GFP_KERNEL never reaches ZONE_MOVABLE); mm/gup.c: folio_is_longterm_pinnable" },
	  pages_range, check_tags_counted, pages_whole, TOUCHED_PAGES, NULL },
	{ { "DATA-LOST",
	    "every live content tag is on exactly one present online page, the one the workload's record says",
	    "mm/migrate.c: migrate_folio (content copied, source freed); mm/memory_hotplug.c: offline_pages" },
	  pages_range, check_tags_counted, pages_whole, TOUCHED_PAGES, NULL },
};

size_t mhp_invariant_count(void)
{
	return ARRAY_SIZE(invariants);
}

const struct mhp_invariant *mhp_invariant_get(size_t i)
{
	return i < ARRAY_SIZE(invariants) ? &invariants[i].pub : NULL;
}

/* Two invariants sharing one walk (PT-COVER and PT-ATTR, ZONE-MOVABLE and DATA-LOST) run it once. */
static bool same_walk_as_previous(size_t i)
{
	return i > 0 && invariants[i].range == invariants[i - 1].range && invariants[i].step == invariants[i - 1].step &&
	       invariants[i].whole == invariants[i - 1].whole;
}

int mhp_check_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(invariants); i++) {
		const struct invariant *inv = &invariants[i];
		if (same_walk_as_previous(i))
			continue;
		int ret = 0;
		if (full_range(lo, hi) && inv->whole)
			ret = inv->whole(m, err);
		else if (!(ret = inv->step ? inv->step(m, err) : 0) && inv->range)
			ret = inv->range(m, lo, hi, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* An arch operation returned: the first stale translation is kept for the step's TLB-STALE check. */
static void check_arch_op_returned(struct mhp_machine *m)
{
	struct mhp_err err = { 0 };
	if (!m->tlb_stale[0] && check_tlb_stale(m, &err))
		snprintf(m->tlb_stale, sizeof(m->tlb_stale), "%s", err.msg);
}

void check_install_hooks(struct mhp_machine *m)
{
	m->hooks[HOOK_ARCH_OP_RETURNED] = check_arch_op_returned;
}

int mhp_check_touched(const struct mhp_machine *m, struct mhp_err *err)
{
	return check_touched(m, err);
}

void mhp_check_step_done(struct mhp_machine *m)
{
	touched_reset(m);
}

/* After a step: each invariant's step part, and its range part on each range of its kind the step touched. */
int check_touched(const struct mhp_machine *m, struct mhp_err *err)
{
	const struct touched *t = &m->touched;
	for (size_t i = 0; i < ARRAY_SIZE(invariants); i++) {
		const struct invariant *inv = &invariants[i];
		if (same_walk_as_previous(i))
			continue;
		int ret = inv->step ? inv->step(m, err) : 0;
		if (!ret && inv->ranges)
			ret = inv->ranges(m, (const uint64_t (*)[2])t->range[inv->touched], t->n[inv->touched], err);
		for (uint32_t k = 0; !ret && !inv->ranges && inv->range && k < t->n[inv->touched]; k++)
			ret = inv->range(m, t->range[inv->touched][k][0], t->range[inv->touched][k][1], err);
		if (ret)
			return ret;
	}
	return 0;
}

int mhp_check_all(const struct mhp_machine *m, struct mhp_err *err)
{
	return mhp_check_range(m, 0, UINT64_MAX, err);
}

/* ---- mutants --------------------------------------------------------------- */

static const struct mhp_mutant mutants[NR_MUTANTS] = {
	[MUTANT_NONE] = { "none", "nothing", "" },
	[MUTANT_OFFLINE_KEEPS_SECTION_ONLINE] = { "offline-keeps-section-online",
		"offline_pages forgets to clear the sections' online bit", "SECTION-STATE" },
	[MUTANT_ONLINE_BLOCK_WRONG_ZONE] = { "online-block-wrong-zone",
		"memory_block_online records a zone other than the one the pages went to", "BLOCK-ZONE" },
	[MUTANT_ONLINE_NO_SPAN_GROW] = { "online-no-span-grow",
		"move_pfn_range_to_zone forgets to grow the zone span", "ZONE-SPAN" },
	[MUTANT_OFFLINE_SHRINK_WHOLE_ZONE] = { "offline-shrinks-whole-zone",
		"shrink_zone_span empties the zone whatever stays online", "ZONE-SPAN" },
	[MUTANT_OFFLINE_FORGETS_TOTALRAM] = { "offline-forgets-totalram",
		"adjust_managed_page_count lowers the zone but not totalram (MemTotal)", "COUNTERS" },
	[MUTANT_REMOVE_KEEPS_SECTION_PRESENT] = { "remove-keeps-section-present",
		"sparse_remove_section leaves an emptied section marked present", "SECTION-STATE" },
	[MUTANT_FREE_TABLE_KEEP_PARENT] = { "free-table-keep-parent",
		"free_empty_*_table frees a table while its parent entry still points to it", "PT-DANGLING" },
	[MUTANT_NO_LEAF_FLUSH] = { "no-leaf-flush",
		"unmap_hotplug_range clears leaves without flush_tlb_kernel_range", "TLB-STALE" },
	[MUTANT_NO_TABLE_FLUSH] = { "no-table-flush",
		"free_empty_*_table frees a table without __flush_tlb_kernel_pgtable", "TLB-STALE" },
	[MUTANT_TABLES_NEVER_FREED] = { "tables-never-freed",
		"pgtable_range_aligned never lets a table go", "PT-LEAK" },
	[MUTANT_FREE_LINEAR_PAGES] = { "free-linear-pages",
		"__remove_pgd_mapping frees the mapped pages of the linear map as if they were vmemmap", "PAGE-OWNER" },
	[MUTANT_LINEAR_MAP_SHORT] = { "linear-map-short",
		"arch_add_memory maps one page less than it adds", "PT-COVER" },
	[MUTANT_HOTPLUG_BLOCKS] = { "hotplug-blocks",
		"arch_add_memory uses block mappings although rodata=full lets the direct map change", "PT-ATTR" },
	[MUTANT_VMEMMAP_NOT_FREED] = { "vmemmap-not-freed",
		"section_deactivate forgets vmemmap_free", "VMEMMAP-COVER" },
	[MUTANT_CANCEL_KEEPS_ISOLATION] = { "cancel-keeps-isolation",
		"undo_isolate_page_range leaves a pageblock MIGRATE_ISOLATE", "ISOLATION-CLEAN" },
	[MUTANT_OFFLINE_LEAVES_FREE_BLOCKS] = { "offline-leaves-free-blocks",
		"__offline_isolated_pages leaves the range's free blocks on the free lists (NR_FREE_PAGES then passes "
		"managed_pages)", "COUNTERS" },
	[MUTANT_FREE_TO_WRONG_LIST] = { "free-to-wrong-list",
		"__free_one_page lists every freed block as MIGRATE_MOVABLE, whatever its pageblock", "BUDDY" },
	[MUTANT_MIGRATE_DROPS_TAG] = { "migrate-drops-tag",
		"migration copies a page without its content", "DATA-LOST" },
	[MUTANT_KERNEL_ALLOC_FROM_MOVABLE] = { "kernel-alloc-from-movable",
		"GFP_KERNEL allocations may come from ZONE_MOVABLE", "ZONE-MOVABLE" },
	/* Every invariant holds: only the pagewise differential (fuzz --differential pagewise) sees it. */
	[MUTANT_PAGE_RUN_REORDERS] = { "page-run-reorders",
		"migrating a run of pages puts their contents in its targets in reverse order", "DIFFERENTIAL" },
	/* RISC-V only (tests/test_fuzz.c runs it on Sv48): the model's twin of the bug 21f1b85c8912 fixed. */
	[MUTANT_VMEMMAP_PMD_DTOR] = { "vmemmap-pmd-dtor",
		"free_pmd_table runs the PMD destructor on the vmemmap's tables, which no constructor made", "PAGE-OWNER" },
	/* RISC-V only, as above: the shape of the arm64 bug c594b83457cc fixed. */
	[MUTANT_NO_TABLE_DTOR] = { "no-table-dtor",
		"free_{pte,pmd}_table free a constructed table without its destructor", "PAGE-OWNER" },
	/* The locking of trees before the ptdump fixes (mm/ptdump.c: the walkers are the model's). */
	[MUTANT_PTDUMP_UNLOCKED] = { "ptdump-unlocked",
		"no page-table walker takes the hotplug lock (before bf2b59f60ee1 and 37992b7f1097)", "WALKER-UAF" },
	[MUTANT_PTDUMP_CHECK_WX_UNLOCKED] = { "check-wx-unlocked",
		"ptdump_check_wx() walks without the hotplug lock; only the debugfs dump takes it (before "
		"59305202c67f)", "WALKER-UAF" },
	[MUTANT_ADD_ERROR_DROPS_ALTMAP] = { "add-error-drops-altmap",
		"when the memory block devices cannot be made, add_memory_resource removes the range without its "
		"altmap (before f42ce5f087eb)", "PAGE-OWNER" },
	[MUTANT_BOOTMEM_NO_VETO] = { "bootmem-no-veto",
		"arm64's prevent_bootmem_remove_notifier lets boot memory go offline (the guard of bbd6ec605c0f "
		"without its early_section() veto)", "COUNTERS" },
	[MUTANT_MAPPABLE_RANGE_ANY] = { "mappable-range-any",
		"arch_get_mappable_range() allows the whole physical address space, not what the linear map can "
		"hold (before 58284a901b42)", "PT-COVER" },
};

size_t mhp_mutant_count(void)
{
	return NR_MUTANTS - 1;
}

const struct mhp_mutant *mhp_mutant_get(size_t i)
{
	return i + 1 < NR_MUTANTS ? &mutants[i + 1] : NULL;
}

int mhp_machine_set_mutant(struct mhp_machine *m, const char *name)
{
	if (!name) {
		m->mutant = MUTANT_NONE;
		return 0;
	}
	for (int i = 1; i < NR_MUTANTS; i++) {
		if (strcmp(mutants[i].name, name) == 0) {
			m->mutant = (enum mutant)i;
			return 0;
		}
	}
	return -EINVAL;
}
