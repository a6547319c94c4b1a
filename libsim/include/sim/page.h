/*
 * page.h - what struct page says about a page that the model needs.
 * Kernel twin: include/linux/page-flags.h.
 */
#ifndef MHPSIM_SIM_PAGE_H
#define MHPSIM_SIM_PAGE_H

#include "sim/kernel.h"

/* The page layer: what struct page says about an allocated page that the model needs. */
struct page_state {
	uint32_t tag;               /* content tag of a workload page (0: none) */
	uint8_t kind;               /* enum page_kind */
	uint8_t pin;                /* long-term pins (FOLL_LONGTERM) */
	uint8_t order;              /* order of the allocation this page heads (hugetlb, blocks) */
	uint8_t head;               /* 1 on the first page of an allocation */
};

/* What an allocated page holds (the page layer of the design; more kinds come with issue 5). */
enum page_kind {
	PG_FREE = 0, PG_PGTABLE, PG_PGTABLE_BOOT, PG_VMEMMAP, PG_VMEMMAP_BOOT, PG_VMEMMAP_ALTMAP,
	PG_ANON, PG_FILE, PG_KERNEL, PG_USER_PGTABLE, PG_HUGETLB,
	PG_OFFLINE,   /* fake-offline: a virtio-mem subblock not plugged, or unplugged, in a block Linux has */
	PG_SLAB,      /* a slab page of the kernel's own unmovable objects (mm/slab.c) */
	PG_SLAB_RECLAIMABLE,   /* ... of reclaimable ones (SLAB_RECLAIM_ACCOUNT: dentries, inodes) */
	NR_PAGE_KINDS,
};

/* What the offline path can move: LRU pages (anon, file) and hugetlb folios. */
static inline bool kind_is_movable(enum page_kind kind)
{
	return kind == PG_ANON || kind == PG_FILE || kind == PG_HUGETLB;
}

static inline bool kind_is_kernel(enum page_kind kind)
{
	return kind != PG_FREE && !kind_is_movable(kind);
}

#endif
