/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmzone.h - sections, zones and nodes as data.
 * Kernel twin: include/linux/mmzone.h.
 */
#ifndef MHPSIM_SIM_MMZONE_H
#define MHPSIM_SIM_MMZONE_H

#include "sim/kernel.h"
#include "sim/page.h"

/* Zones in the order of enum zone_type on Debian arm64 (mmzone.h). */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE, MAX_NR_ZONES };
#define NO_ZONE (-1)

/* section_mem_map flag bits (mmzone.h). */
#define SECTION_MARKED_PRESENT (1u << 0)
#define SECTION_HAS_MEM_MAP    (1u << 1)
#define SECTION_IS_ONLINE      (1u << 2)
#define SECTION_IS_EARLY       (1u << 3)
#define SECTION_ORPHAN         (1u << 8)   /* model only: left by a failed __add_pages */
#define SECTION_ZONES_SPLIT    (1u << 9)   /* model only: a boot section that zones share (x86's 16 MiB ZONE_DMA
						limit); its zone is its last page's, page_zone_id() finds the others */

/*
 * A run of like allocations in a section (mm/page.c): pages [lo, hi) are
 * allocations of 2^order pages, page lo being page `first` of its
 * allocation; the first page of each allocation is `head`, the others
 * hold only its kind (page_run_tail()). Allocation k of the run (counted
 * from the one page lo is in) has the tag head.tag + k when head.tag is not
 * 0: a workload's pages, tagged in order, are one run however many there are.
 */
struct page_run {
	uint16_t lo, hi;            /* pages of the section: at most RUN_PAGES_MAX */
	uint8_t order, first;
	struct page_state head;
};
#define RUN_PAGES_MAX 32768         /* the most pages a section has: 128 MiB of 4K pages (arm64, x86-64, RISC-V) */

/*
 * A section's runs, in order, in chunks of up to RUN_CHUNK: a write moves
 * at most a chunk's runs (and the chunk pointers when one splits), however
 * many runs a fragmented section has.
 */
#define RUN_CHUNK 64
struct run_chunk {
	uint32_t n;                 /* runs in r[], at least 1 */
	struct page_run r[RUN_CHUNK];
};

struct mem_section {
	uint32_t flags;             /* SECTION_* */
	int16_t nid;                /* node of its pages (page_to_nid) */
	int8_t zone;                /* zone of its pages while online, NO_ZONE otherwise */
	uint32_t nr_alloc;          /* pages allocated (kind != PG_FREE): the runs' pages */
	/* What the checks after a step read instead of the pages; the full check counts them again. */
	uint32_t nr_tagged;         /* pages holding a workload tag */
	uint32_t nr_barred;         /* pages ZONE_MOVABLE may not hold (page_bars_zone_movable) */
	struct run_chunk **chunks;  /* the allocated pages as runs, sorted by lo, disjoint; every other page is free */
	uint32_t *chunk_lo;         /* each chunk's first page: the search reads these, not the chunks */
	uint32_t nr_chunks, cap_chunks;
	uint32_t hint_c, hint_i;    /* where the last search ended: tried first (a guess, checked; no state) */
	uint64_t *alloc_map;        /* with the runs: bit i set while page i is allocated, so that whether a free
				       block meets an allocation reads a few words, not the runs (BUDDY's check) */
	uint8_t *pb_mt;             /* migratetype of each pageblock (get_pfnblock_migratetype) */
	uint64_t subsection_map[4]; /* 64 bits (4K/16K) or 256 bits (64K) */
};

/* Migrate types, in the order of /proc/pagetypeinfo. */
enum { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, MIGRATE_HIGHATOMIC, MIGRATE_CMA, MIGRATE_ISOLATE,
       MIGRATE_TYPES };
#define MAX_ORDER_LIMIT 13         /* the largest MAX_PAGE_ORDER (64K pages) */

/* One buddy free list, kept sorted by pfn in descending order: the lowest block pops from the end. */
/*
 * A free list: the first pfn of each block, highest first (the allocator
 * takes the last, lowest). pfn[0..n) lives inside a buffer of cap entries
 * that starts head entries before pfn, so that a block freed above all the
 * others (onlining memory in ascending order does nothing else) goes in front
 * in O(1), as one taken from the end does.
 */
struct free_list {
	uint64_t *pfn;
	uint32_t n, cap, head;
};

/* One root: a fixed-size array of sections, allocated when first needed. */
struct section_root {
	uint64_t root_nr;
	struct mem_section *sections;
	uint32_t nr_present;        /* present sections in this root; freed at zero */
};

struct sparse_table {
	struct section_root *roots; /* sorted by root_nr: memory grows with use */
	size_t nr_roots, cap_roots;
	size_t last;                /* index of the root last looked up */
	/* That root's first section number, its count of sections (0: none) and its sections: __nr_to_section()'s
	   first try, a cache, not state. */
	uint64_t last_base, last_count;
	struct mem_section *last_sections;
	uint64_t nr_present;
};

/* ---- zones and nodes (mmzone.h) ------------------------------------------- */

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

struct zone {
	uint64_t _watermark[NR_WMARK]; /* set by setup_per_zone_wmarks() (page_alloc.c) */
	uint64_t zone_start_pfn;
	uint64_t spanned_pages;
	uint64_t present_pages;
	uint64_t present_early_pages;
	uint64_t managed_pages;
	uint64_t cma_pages;
	uint64_t free_pages;        /* NR_FREE_PAGES */
	struct free_list free_area[MAX_ORDER_LIMIT + 1][MIGRATE_TYPES];
	uint16_t nonempty[MIGRATE_TYPES]; /* bit o: free_area[o][mt] has a block (a cache, rebuilt on load) */
};

struct pglist_data {
	bool online;                /* N_ONLINE */
	bool has_cpu;               /* N_CPU */
	bool possible;
	uint64_t node_start_pfn, node_spanned_pages, node_present_pages;
	struct zone zones[MAX_NR_ZONES];
};

static inline uint64_t zone_end_pfn(const struct zone *z) { return z->zone_start_pfn + z->spanned_pages; }
static inline bool zone_is_empty(const struct zone *z) { return z->spanned_pages == 0; }
static inline bool populated_zone(const struct zone *z) { return z->present_pages != 0; }
static inline uint64_t high_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_HIGH]; }

const char *zone_name(int zid);

#endif
