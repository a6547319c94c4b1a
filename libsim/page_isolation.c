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

/*
 * Models start_isolate_page_range(MEMORY_OFFLINE | REPORT_FAILURE): every
 * pageblock must be free of unmovable pages; the first offender is dumped
 * and the whole range stays as it was (-EBUSY).
 */
int start_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t pfn;
	const char *what = "";
	if (memblock_first_unmovable(m, start_pfn, end_pfn, &pfn, &what)) {
		struct mhp_trace_field f[] = { TF_X("pfn", pfn), TF_S("holder", what) };
		TRACE(m, "isolate_failed", f, "pfn %#llx is unmovable (%s): the range cannot be isolated",
		      (unsigned long long)pfn, what);
		dump_page(m, pfn, "unmovable page");
		return -EBUSY;
	}
	struct mhp_trace_field f[] = { TF_X("start_pfn", start_pfn), TF_X("end_pfn", end_pfn) };
	TRACE(m, "isolate", f, "pageblocks of pfn %#llx-%#llx set to MIGRATE_ISOLATE",
	      (unsigned long long)start_pfn, (unsigned long long)end_pfn);
	return 0;
}
