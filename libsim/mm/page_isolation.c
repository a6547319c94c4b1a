// SPDX-License-Identifier: GPL-2.0-only
/*
 * page_isolation.c - isolating a pfn range before offlining it.
 * Kernel twin: mm/page_isolation.c (start_isolate_page_range, has_unmovable_pages).
 */
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/migrate.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/page_isolation.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/trace.h"

/*
 * Models dump_page()'s first line and reason. The flags and raw lines are not
 * produced: their exact text depends on page-flag layout the model does not keep.
 */
static void dump_page(struct mhp_machine *m, uint64_t pfn, const char *reason)
{
	pr_warn(m, "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:%#llx",
		(unsigned long long)pfn);
	pr_warn(m, "page dumped because: %s", reason);
}

/*
 * The first page in [start_pfn, end_pfn) the kernel holds (page tables,
 * memmap, slab): not movable. Offlining (MEMORY_OFFLINE) passes over
 * PageOffline() pages: their driver lets them go at MEM_GOING_OFFLINE.
 */
static bool first_allocated(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool offlining,
			    uint64_t *pfn, const char **what)
{
	static const char *const names[NR_PAGE_KINDS] = {
		[PG_PGTABLE] = "page table", [PG_PGTABLE_BOOT] = "boot page table", [PG_VMEMMAP] = "memmap",
		[PG_VMEMMAP_BOOT] = "boot memmap", [PG_VMEMMAP_ALTMAP] = "memmap on memory",
		[PG_KERNEL] = "kernel allocation", [PG_USER_PGTABLE] = "user page table", [PG_OFFLINE] = "fake-offline",
		[PG_SLAB] = "slab", [PG_SLAB_RECLAIMABLE] = "reclaimable slab",
	};
	/* The kinds that stop isolation, one bit each; offlining passes over fake-offline pages. */
	unsigned stops = ((1u << NR_PAGE_KINDS) - 1) & ~(1u << PG_FREE | 1u << PG_ANON | 1u << PG_FILE | 1u << PG_HUGETLB);
	stops &= offlining ? ~(1u << PG_OFFLINE) : ~0u;
	for (uint64_t s = start_pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t base = s & ~(m->pages_per_section - 1), lo = s - base;
		uint64_t hi = end_pfn - base < m->pages_per_section ? end_pfn - base : m->pages_per_section;
		for (struct run_iter it = section_runs_from(ms, lo); it.r && it.r->lo < hi; run_iter_next(&it)) {
			enum page_kind kind = (enum page_kind)it.r->head.kind;   /* a run's pages share their kind */
			if (kind < NR_PAGE_KINDS && (stops >> kind & 1)) {
				MHP_ASSERT(kind_is_kernel(kind));
				*pfn = base + (lo > it.r->lo ? lo : it.r->lo);
				*what = names[kind];
				return true;
			}
		}
	}
	return false;
}

/* The lowest page in [start_pfn, end_pfn) the kernel holds, of memblock's or of the allocator's. */
static bool lowest_unmovable(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool offlining,
			     uint64_t *pfn, const char **what)
{
	uint64_t apfn;
	const char *awhat = "";
	*pfn = UINT64_MAX;
	bool found = start_pfn < end_pfn && memblock_first_unmovable(m, start_pfn, end_pfn, pfn, what);
	if (start_pfn < end_pfn && first_allocated(m, start_pfn, end_pfn, offlining, &apfn, &awhat) && apfn < *pfn) {
		*pfn = apfn;
		*what = awhat;
		found = true;
	}
	return found;
}

/*
 * Models start_isolate_page_range(): every pageblock must be free of
 * unmovable pages, else the whole range stays as it was (-EBUSY). Offlining
 * (MEMORY_OFFLINE | REPORT_FAILURE) dumps the first offender found, in the
 * kernel's order: has_unmovable_pages() on the first pageblock
 * (isolate_single_pageblock()), then on the last, then on those between,
 * lowest first. alloc_contig_range() (no flags) says nothing.
 */
static int isolate_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool offlining)
{
	uint64_t pfn, pb = 1ull << m->pageblock_order;
	uint64_t first_end = (start_pfn | (pb - 1)) + 1 < end_pfn ? (start_pfn | (pb - 1)) + 1 : end_pfn;
	uint64_t last_start = ((end_pfn - 1) & ~(pb - 1)) > first_end ? (end_pfn - 1) & ~(pb - 1) : first_end;
	const char *what = "";
	bool reserved = lowest_unmovable(m, start_pfn, first_end, offlining, &pfn, &what) ||
			lowest_unmovable(m, last_start, end_pfn, offlining, &pfn, &what) ||
			lowest_unmovable(m, first_end, last_start, offlining, &pfn, &what);
	if (reserved) {
		struct mhp_trace_field f[] = { TF_X("pfn", pfn), TF_S("holder", what) };
		TRACE(m, "isolate_failed", f, "pfn %#llx is unmovable (%s): the range cannot be isolated",
		      (unsigned long long)pfn, what);
		if (offlining)
			dump_page(m, pfn, "unmovable page");
		return -EBUSY;
	}
	/* set_migratetype_isolate() on each pageblock: its free pages leave the allocator's reach. */
	for (uint64_t p = start_pfn; p < end_pfn; p += 1ull << m->pageblock_order)
		set_pageblock_migratetype(m, p, MIGRATE_ISOLATE);
	move_free_blocks(m, start_pfn, end_pfn, MIGRATE_ISOLATE);
	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_X("end_pfn", end_pfn) };
	TRACE(m, "isolate", f, "pageblocks of pfn %#llx-%#llx set to MIGRATE_ISOLATE",
	      (unsigned long long)start_pfn, (unsigned long long)end_pfn);
	return 0;
}

int start_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	return isolate_range(m, start_pfn, end_pfn, true);
}

/*
 * Models alloc_contig_range(start, end, MIGRATE_MOVABLE) as virtio-mem calls
 * it to take a plugged subblock back: isolate (nothing unmovable, nothing
 * fake-offline), migrate every movable page out, then take the range's free
 * pages out of the buddy as the caller's. -EBUSY, the range as it was, if
 * something cannot move.
 */
int alloc_contig_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	drain_all_pages(m);
	split_free_block_at(m, start_pfn);
	split_free_block_at(m, end_pfn);
	int ret = isolate_range(m, start_pfn, end_pfn, false);
	if (ret)
		return ret;
	uint64_t pfn;
	unsigned warned = 10;   /* alloc_contig_range reports no failed folio */
	for (unsigned pass = 0; !(ret = scan_movable_pages(m, start_pfn, end_pfn, &pfn)) && pass < 5; pass++)
		do_migrate_range(m, pfn, end_pfn, &warned);
	if (ret != -ENOENT) {   /* still a movable page after five passes: busy */
		undo_isolate_page_range(m, start_pfn, end_pfn, MIGRATE_MOVABLE);
		return -EBUSY;
	}
	uint64_t taken = take_free_blocks(m, start_pfn, end_pfn);
	MHP_ASSERT(taken == end_pfn - start_pfn);
	(void)taken;
	for (uint64_t p = start_pfn; p < end_pfn; p += 1ull << m->pageblock_order)
		set_pageblock_migratetype(m, p, MIGRATE_MOVABLE);
	return 0;
}

/* Models undo_isolate_page_range(): the pageblocks become mt again, with their free blocks. */
void undo_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int mt)
{
	for (uint64_t p = start_pfn; p < end_pfn; p += 1ull << m->pageblock_order)
		if (get_pageblock_migratetype(m, p) == MIGRATE_ISOLATE)
			set_pageblock_migratetype(m, p, mt);
	move_free_blocks(m, start_pfn, end_pfn, mt);
	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_X("end_pfn", end_pfn) };
	TRACE(m, "undo_isolate", f, "pageblocks of pfn %#llx-%#llx back to MIGRATE_MOVABLE",
	      (unsigned long long)start_pfn, (unsigned long long)end_pfn);
}
