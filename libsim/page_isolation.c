/*
 * page_isolation.c - isolating a pfn range before offlining it.
 * Kernel twin: mm/page_isolation.c (start_isolate_page_range, has_unmovable_pages).
 */
#include "internal.h"

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

/* The first page in [start_pfn, end_pfn) the kernel holds (page tables, memmap, slab): not movable. */
static bool first_allocated(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *pfn,
			    const char **what)
{
	static const char *const names[NR_PAGE_KINDS] = {
		[PG_PGTABLE] = "page table", [PG_PGTABLE_BOOT] = "boot page table", [PG_VMEMMAP] = "memmap",
		[PG_VMEMMAP_BOOT] = "boot memmap", [PG_VMEMMAP_ALTMAP] = "memmap on memory",
		[PG_KERNEL] = "kernel allocation", [PG_USER_PGTABLE] = "user page table",
	};
	for (uint64_t s = start_pfn; s < end_pfn; s = (s | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, s);
		if (!ms || !ms->nr_alloc)
			continue;
		uint64_t e = (s | (m->pages_per_section - 1)) + 1 < end_pfn ? (s | (m->pages_per_section - 1)) + 1 : end_pfn;
		for (uint64_t p = s; p < e; p++) {
			enum page_kind k = page_kind_of(m, p);
			if (kind_is_kernel(k)) {
				*pfn = p;
				*what = names[k];
				return true;
			}
		}
	}
	return false;
}

/*
 * Models start_isolate_page_range(MEMORY_OFFLINE | REPORT_FAILURE): every
 * pageblock must be free of unmovable pages; the first offender is dumped
 * and the whole range stays as it was (-EBUSY).
 */
int start_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t pfn = UINT64_MAX, apfn;
	const char *what = "", *awhat = "";
	bool reserved = memblock_first_unmovable(m, start_pfn, end_pfn, &pfn, &what);
	/* has_unmovable_pages() scans pageblock by pageblock: the lowest offender is reported. */
	if (first_allocated(m, start_pfn, end_pfn, &apfn, &awhat) && apfn < pfn) {
		pfn = apfn;
		what = awhat;
		reserved = true;
	}
	if (reserved) {
		struct mhp_trace_field f[] = { TF_X("pfn", pfn), TF_S("holder", what) };
		TRACE(m, "isolate_failed", f, "pfn %#llx is unmovable (%s): the range cannot be isolated",
		      (unsigned long long)pfn, what);
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
