// SPDX-License-Identifier: GPL-2.0-only
/*
 * proc_page.c - what /proc/kpageflags and /proc/kpagecount say of a page of
 * the model, for the page census the reference lane also takes on the real
 * kernel (reference/census.c). Kernel twin: fs/proc/page.c.
 */
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/proc_page.h"

/* The KPF_* bit numbers of include/uapi/linux/kernel-page-flags.h the model can set. */
enum { KPF_LRU = 5, KPF_SLAB = 7, KPF_BUDDY = 10, KPF_MMAP = 11, KPF_ANON = 12, KPF_SWAPBACKED = 14, KPF_HUGE = 17,
       KPF_NOPAGE = 20, KPF_OFFLINE = 23, KPF_PGTABLE = 26, KPF_RESERVED = 32 };

#define KPF(b) (1ull << (b))

/*
 * Models stable_page_flags(): a page of an offline or absent section has no
 * struct page to show (pfn_to_online_page()). The kernel's own page tables
 * carry no flag: arm64's arch_add_memory() takes them from
 * __pgd_pgtable_alloc(), which runs no constructor, and vmemmap's come from
 * vmemmap_alloc_block_zero() (the census of scenarios/reference confirms:
 * nr_page_table_pages does not move on a hot-add). Process page tables do
 * (PG_table). Memmap and other kernel pages are unflagged; boot's
 * reservations are PG_reserved.
 */
static uint64_t stable_page_flags(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || !online_section(ms))
		return KPF(KPF_NOPAGE);
	switch (page_kind_of(m, pfn)) {
	case PG_FREE:
		if (page_is_free(m, pfn))
			return KPF(KPF_BUDDY);
		return memblock_reserved_pages(m, pfn, pfn + 1, false) ? KPF(KPF_RESERVED) : 0;
	case PG_OFFLINE:
		return KPF(KPF_OFFLINE);
	case PG_USER_PGTABLE:
		return KPF(KPF_PGTABLE);
	case PG_SLAB:
	case PG_SLAB_RECLAIMABLE:
		return KPF(KPF_SLAB);
	case PG_PGTABLE_BOOT:
	case PG_VMEMMAP_BOOT:
		return KPF(KPF_RESERVED);
	case PG_ANON:
		return KPF(KPF_LRU) | KPF(KPF_ANON) | KPF(KPF_MMAP) | KPF(KPF_SWAPBACKED);
	case PG_FILE:
		/* The reference lane's file pages are tmpfs: shmem, on the LRU, swap-backed, not mapped. */
		return KPF(KPF_LRU) | KPF(KPF_SWAPBACKED);
	case PG_HUGETLB:
		return KPF(KPF_HUGE);
	default:
		return 0;
	}
}

/* Models kpageflags_read() and kpagecount_read() for one page: the model maps only workload anon pages. */
void kpageflags_read(const struct mhp_machine *m, uint64_t pfn, uint64_t *flags, uint64_t *count)
{
	*flags = stable_page_flags(m, pfn);
	*count = (*flags & KPF(KPF_MMAP)) ? 1 : 0;
}

/*
 * Models pagetypeinfo_showblockcount_print(): the pageblocks of a zone by
 * migrate type, counting those whose first page is online and in the zone.
 */
void pagetypeinfo_block_counts(const struct mhp_machine *m, int nid, int zid, uint64_t counts[MIGRATE_TYPES])
{
	const struct zone *z = &m->nodes[nid].zones[zid];
	uint64_t step = 1ull << m->pageblock_order;
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		counts[mt] = 0;
	for (uint64_t pfn = z->zone_start_pfn & ~(step - 1); pfn < z->zone_start_pfn + z->spanned_pages; pfn += step) {
		const struct mem_section *ms = __pfn_to_section(m, pfn);
		if (pfn < z->zone_start_pfn || !ms || !online_section(ms) || ms->nid != nid || page_zone_id(m, ms, pfn) != zid)
			continue;
		counts[get_pageblock_migratetype(m, pfn)]++;
	}
}
