/* SPDX-License-Identifier: GPL-2.0-only */
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
	uint8_t refs;               /* references beyond the owner's: PAGE_REF_PIN | short-term count */
	uint8_t order;              /* order of the allocation this page heads (hugetlb, blocks) */
	uint8_t head;               /* 1 on the first page of an allocation */
};

/*
 * A page's references beyond what its owner (the mapping, the page cache)
 * explains, as the kernel counts them in the folio's refcount: a long-term
 * pin (FOLL_LONGTERM), and short-term references, such as the ones vmsplice
 * or an O_DIRECT transfer in flight hold for a while.
 */
#define PAGE_REF_PIN 0x80u           /* a long-term pin: the page never migrates */
#define PAGE_REF_SHORT_MAX 0x7fu     /* the short-term references a page may count */

static inline bool page_longterm_pinned(const struct page_state *p)
{
	return p->refs & PAGE_REF_PIN;
}

static inline unsigned page_short_refs(const struct page_state *p)
{
	return p->refs & PAGE_REF_SHORT_MAX;
}

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

/*
 * A page ZONE_MOVABLE may not hold: an unmovable page of the allocator's
 * (memblock's boot allocations, a block's own memmap and a driver's
 * fake-offline pages are not), or a long-term pinned one. A short-term
 * reference (vmsplice, O_DIRECT) may sit there.
 */
static inline bool page_bars_zone_movable(const struct page_state *p)
{
	/* The kernel kinds less those placed rather than allocated: one bit a kind, as the writers ask per page. */
	enum { UNPLACED = 1u << PG_FREE | 1u << PG_ANON | 1u << PG_FILE | 1u << PG_HUGETLB | 1u << PG_VMEMMAP_ALTMAP |
			  1u << PG_PGTABLE_BOOT | 1u << PG_VMEMMAP_BOOT | 1u << PG_OFFLINE };
	_Static_assert(NR_PAGE_KINDS <= 32, "a kind is a bit of an unsigned");
	const unsigned bars = ((1u << NR_PAGE_KINDS) - 1) & ~(unsigned)UNPLACED;
	return (p->kind < NR_PAGE_KINDS && (bars >> p->kind & 1u)) || page_longterm_pinned(p);
}

#endif
