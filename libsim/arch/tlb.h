/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tlb.h - a model of the TLB and the page-walk cache.
 *
 * Kernel twins: arch/arm64/include/asm/tlbflush.h (flush_tlb_kernel_range,
 * __flush_tlb_kernel_pgtable, flush_tlb_all), arch/x86/mm/tlb.c. The
 * flushes by address are arm64's (arch/arm64/tlb.c); the rest is every arch's.
 *
 * Touching an address walks the tables and caches what the walk used: one
 * walk-cache entry per table descriptor, one TLB entry for the leaf. A
 * last-level flush (TLBI VAALE1IS) drops leaf entries only; a flush by VA of
 * all levels (TLBI VAAE1IS) drops both; flush_tlb_all drops everything.
 */
#ifndef MHPSIM_TLB_H
#define MHPSIM_TLB_H

#include <stdbool.h>
#include <stdint.h>

#define TLB_ENTRIES 256   /* bounded; the oldest entry is evicted first */
#define TLB_FILTER_WORDS 16   /* 1024 bits: with 256 entries at most, most are clear */

struct tlb_entry {
	uint64_t va;        /* aligned to the span of the entry */
	uint64_t span;      /* bytes it covers */
	uint64_t target;    /* leaf: PA of the page or block; walk: pfn of the next table */
	uint8_t depth;      /* depth of the descriptor it caches */
	bool leaf;
	bool valid;
};

struct tlb {
	struct tlb_entry e[TLB_ENTRIES];
	unsigned next;      /* FIFO replacement */
	unsigned nr_valid;  /* entries valid: a flush of an empty TLB looks at none */
	uint64_t nr_flush_range, nr_flush_pgtable, nr_flush_all;
	uint64_t nr_flush_leaf;   /* of nr_flush_range: those of exactly one page (one leaf, as the vmemmap's) */
	/*
	 * Frees of a page (a table, or what a leaf maps) while a cached
	 * translation or walk still led to it: the hazard of freeing before
	 * the flush (docs/teardown.md). Reported, not an invariant: 6.12's x86
	 * does it by design.
	 */
	uint64_t nr_freed_while_cached;
	/*
	 * A bit per key (address, level, leaf) hashed, set for every entry put
	 * in since the last full flush: a clear bit means no valid entry has
	 * that key, so an insert need not look (a filter, not state; rebuilt on load).
	 */
	uint64_t maybe[TLB_FILTER_WORDS];
};

struct mhp_machine;
int tlb_touch(struct mhp_machine *m, uint64_t va);
/* A load of the linear map of a pa, of the struct page of a pfn, or of a VA (enum mhp_touch): arch_ops.touch. */
int arch_tlb_touch(struct mhp_machine *m, int kind, uint64_t addr);
/* Drops the entries that overlap [start, end): leaves only, or every level. */
void tlb_drop(struct mhp_machine *m, uint64_t start, uint64_t end, bool leaves_only);
void flush_tlb_all(struct mhp_machine *m);
/* The filter's bit for an entry's key: word and mask. */
void tlb_filter_bit(const struct tlb_entry *e, unsigned *word, uint64_t *mask);
/* A page being freed: [pfn, pfn + n) of what (a table, vmemmap backing); counts and traces the hazard if cached. */
void tlb_note_free(struct mhp_machine *m, uint64_t pfn, uint64_t n, const char *what);

#endif
