/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pgtable.h - the kernel page tables of the simulated machine, as real data,
 * for every architecture: the store, the walks and the digest. What a
 * descriptor's bits mean is the arch's (struct pt_format, filled by its
 * pgtable_init); nothing here names an architecture.
 *
 * Kernel twins: include/linux/pgtable.h (the p?d_addr_end() walks), each
 * arch's asm/pgtable*.h (levels and descriptors).
 *
 * A table is a simulated page (kind pgtable) whose 2^(PAGE_SHIFT-3) 64-bit
 * descriptors live in host memory, found by the pfn of that page. Depth 0 is
 * the PGD; depth levels-1 holds PTEs. Folded levels do not exist at all.
 */
#ifndef MHPSIM_PGTABLE_H
#define MHPSIM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <mhpsim/error.h>

struct mhp_machine;

#define PT_MAX_DEPTH 5

enum desc_type { DESC_NONE, DESC_TABLE, DESC_BLOCK, DESC_PAGE, DESC_INVALID };

/*
 * What a descriptor's bits mean, as data (the arch's pgtable_init fills it):
 * enough for the walks, the digest's users and the checks to read any arch's
 * tables without calling into it.
 */
struct pt_format {
	uint64_t valid;                   /* the bit that makes a descriptor valid (arm64 PTE_VALID, x86 _PAGE_PRESENT) */
	uint64_t leaf_mask, leaf_val;     /* above the last level, a valid d maps a block when (d & mask) == val */
	uint64_t page_mask, page_val;     /* at the last level, a valid d maps a page when (d & mask) == val */
	uint64_t oa_mask;                 /* the output address bits */
	unsigned oa_shift;                /* the descriptor holds PA >> oa_shift there (RISC-V: PPN at bit 10, 2) */
	bool leaf_any;                    /* a valid d is a leaf (block or page) when any bit of the masks is set (RISC-V R|W|X) */
	unsigned oa_hi_at;                /* nonzero: PA[51:48] sits at bits [oa_hi_at + 3:oa_hi_at] (arm64 64K, 52-bit PA) */
	uint64_t huge;                    /* what a block adds to a page's bits (x86 _PAGE_PSE), or 0 */
	uint64_t unhuge;                  /* what a block drops of a page's bits (arm64 PTE_TABLE_BIT), or 0 */
	/* PT-ATTR: every leaf of the linear map has (d & linear_mask) == linear_must (ZONE_DEVICE memory's,
	 * mapped with PAGE_KERNEL rather than pgprot_mhp(), linear_must_device). */
	uint64_t linear_must, linear_mask, linear_must_device;
	uint64_t cont;                    /* the contiguous hint (arm64 PTE_CONT), or 0 */
	/*
	 * Which emptied tables teardown frees (what PT-LEAK holds it to): with
	 * aligned_frees, those pgtable_range_aligned() lets go (arm64); without,
	 * every one from depth kept_depth down (x86 frees a table as it empties
	 * and keeps the top-level-shared one: L4's PUD, L5's P4D).
	 */
	bool aligned_frees;
	unsigned kept_depth;
};

struct pt_geom {
	unsigned levels;                  /* 3, 4 or 5 */
	unsigned shift[PT_MAX_DEPTH];     /* VA bits below each depth's index */
	uint64_t ptrs[PT_MAX_DEPTH];      /* entries per table at each depth */
	bool block_ok[PT_MAX_DEPTH];      /* may a block descriptor live here */
	unsigned cont_ptes, cont_pmds;    /* entries per contiguous run */
	uint64_t page_offset, page_end;   /* the linear map */
	uint64_t vmemmap_start, vmemmap_end;
	struct pt_format fmt;
};

/*
 * A table's descriptors are held in one of two forms. Materialised: e points
 * to all ptrs[depth] of them. As a run (e NULL): entries [lo, hi) are first,
 * first + step, ..., and every other entry is none; step is the bytes one
 * entry maps, so a run is consecutive pages or blocks with the same bits,
 * which is what a page-granular linear map is made of. A write that keeps
 * that shape costs nothing more; one that breaks it materialises the table.
 * Readers use pt_get(); only the kernel strategy's pointers materialise.
 */
struct pt_table {
	uint64_t pfn;                     /* the page that holds it */
	uint64_t mix;                     /* its entries' share of the digest (pt_entry_mix): an emptied table leaves it in O(1) */
	uint64_t *e;                      /* the descriptors, or NULL while they are one run */
	uint64_t first, step;             /* the run: entry lo is first, each next one step more */
	uint32_t lo, hi;                  /* the run's entries [lo, hi); lo == hi == 0 when empty */
	uint32_t used;                    /* descriptors that are not none */
	uint8_t depth;
	bool boot;                        /* allocated from memblock at boot */
	bool ctor;                        /* pagetable_{pte,pmd}_ctor() made its page a page table (PGTY_table) */
};

/* The descriptor at idx, in either form. */
static inline uint64_t pt_get(const struct pt_table *t, uint64_t idx)
{
	if (t->e)
		return t->e[idx];
	return idx - t->lo < (uint64_t)(t->hi - t->lo) ? t->first + (idx - t->lo) * t->step : 0;
}

#define PT_SPARE 512   /* a remove frees about 100 tables, the next add takes as many */

/* The store: pfn -> table, open addressing; memory grows with tables in use. */
struct pt_store {
	struct pt_table **slots;
	uint64_t cap, count;
	uint64_t pgd_pfn;
	uint64_t nr_freed, nr_allocated;  /* since boot, for benchmarks and traces */
	/* Descriptor loads and stores of the teardown walkers (and RISC-V's hot-add), counted as the kernel's code makes them. */
	uint64_t nr_reads, nr_writes;
	uint64_t digest;                  /* pt_table_id() + mix summed over the live tables (see PT_MIX_P) */
	uint64_t host_bytes;              /* what the live tables take of the host (the memory budget) */
	bool untraced;                    /* while set, allocations are not traced one by one (a step that sums them up) */
	/* Headers of freed tables, kept for the next ones (the host's, not state: at most PT_SPARE, about 28 KiB). */
	struct pt_table *spare[PT_SPARE];
	uint32_t nr_spare;
};

/*
 * The store's digest, which every write keeps up to date, so that two
 * machines' page tables compare in O(1) (the differential fuzzer does, every
 * step). A table weighs pt_table_id() plus its mix: the sum, modulo the
 * prime 2^61 - 1, of a_t * x^2 over its entries that are not none, where
 * x = c1 * idx + c2 * d + c3 and a_t comes from the table's pfn. Squares, so
 * that two entries swapped or one changed move the sum; a prime field, so no
 * power of two cancels out; a polynomial, so that a run of first, first +
 * step, ... has a closed form and costs O(1) however long it is.
 */
#define PT_MIX_P ((1ull << 61) - 1)

uint64_t pt_table_id(uint64_t pfn, unsigned depth);
/* An entry's share of its table's mix, in [0, PT_MIX_P). */
uint64_t pt_entry_mix(uint64_t pfn, uint64_t idx, uint64_t d);
/* The share of n entries from idx: first, first + step, ... (none of them none). */
uint64_t pt_run_mix(uint64_t pfn, uint64_t idx, uint64_t n, uint64_t first, uint64_t step);

const char *pt_level_name(const struct mhp_machine *m, unsigned depth);
uint64_t pt_index(const struct mhp_machine *m, unsigned depth, uint64_t va);
uint64_t pt_span(const struct mhp_machine *m, unsigned depth);   /* bytes one entry maps */
uint64_t pt_addr_end(const struct mhp_machine *m, unsigned depth, uint64_t addr, uint64_t end);

enum desc_type desc_type(const struct mhp_machine *m, unsigned depth, uint64_t d);
uint64_t desc_pa(const struct mhp_machine *m, uint64_t d);
uint64_t mk_desc(const struct mhp_machine *m, uint64_t pa, uint64_t bits);
/* Whether a last-level descriptor maps a page. */
bool desc_is_page(const struct mhp_machine *m, uint64_t d);

struct pt_table *pt_lookup(const struct mhp_machine *m, uint64_t pfn);
/* The store slot of the table at pfn (m->pt.cap: none): an index unique to each live table. */
uint64_t pt_slot(const struct mhp_machine *m, uint64_t pfn);
/* The slot a table of pfn would take in an empty store: where its probe run starts. */
uint64_t pt_store_home(const struct mhp_machine *m, uint64_t pfn);
struct pt_table *pt_pgd(const struct mhp_machine *m);
/* The boot PGD (arm64's swapper_pg_dir, x86's init_top_pgt), from memblock's page-table pool. */
int pt_alloc_pgd(struct mhp_machine *m, struct mhp_err *err);
/*
 * Models pagetable_{pte,pmd}_dtor() on t (6.12 include/linux/mm.h): it
 * undoes the constructor. On a table no constructor made, the PTE one only
 * skews NR_PAGETABLE (clearing an absent page type returns early), while
 * the PMD one's VM_BUG_ON_PAGE(pmd_huge_pte) reads a word only the
 * constructor zeroes: a bug, which PAGE-OWNER reports.
 */
void pt_dtor(struct mhp_machine *m, struct pt_table *t, bool pmd);
/* Allocates and zeroes a table page: from memblock at boot, else from the buddy. */
struct pt_table *pt_alloc(struct mhp_machine *m, unsigned depth, bool boot, int nid);
/*
 * The table entry idx of t points to, allocated and linked with table_bits
 * if it is none (p?d_populate); NULL when the allocation fails or the entry
 * is not a table descriptor to a live table.
 */
struct pt_table *pt_populate(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t table_bits, bool boot,
			     int nid);
/* A table outside the store, empty (the snapshot loader's): its header alone is host memory. */
struct pt_table *pt_table_new(struct mhp_machine *m, uint64_t pfn, unsigned depth, bool boot);
/* Writes entries [idx, idx + n) of a table not in the store yet: its count and mix follow, the digest does not. */
void pt_fill(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t n, const uint64_t *e);
/* The host bytes of a table's entries when materialised (its header is sizeof(struct pt_table)). */
uint64_t pt_entries_bytes(const struct mhp_machine *m, unsigned depth);
void pt_release(struct mhp_machine *m, struct pt_table *t);
void pt_set(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t d);
/* Writes n none entries from idx with first, first + step, ...: one run where the table's shape allows. */
void pt_set_run(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t n, uint64_t first);
/* Clears entries [idx, idx + n); returns how many were not none. */
uint64_t pt_clear_range(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t n);
/* The entries as an array (the kernel strategy's view): materialises a run. */
uint64_t *pt_entries(struct mhp_machine *m, struct pt_table *t);
/* Copies entries [idx, idx + n) to out, in either form. */
void pt_copy(const struct pt_table *t, uint64_t idx, uint64_t n, uint64_t *out);
/* The first entry at or after idx that is not none, or ptrs if none is. */
uint64_t pt_next_used(const struct mhp_machine *m, const struct pt_table *t, uint64_t idx);
/* A table's share of the digest, from its entries as they are (what PT-LEAK holds the kept one to). */
uint64_t pt_table_mix(const struct mhp_machine *m, const struct pt_table *t);
/* A table's share of the digest as its writes kept it: O(1). */
uint64_t pt_table_kept_mix(const struct pt_table *t);
void pt_store_free(struct mhp_machine *m);
/* Visits every live table (in slot order); stops when fn returns non-zero. */
int pt_for_each(const struct mhp_machine *m, int (*fn)(const struct mhp_machine *, const struct pt_table *, void *),
		void *arg);

/* Walks va down to the leaf or the first none entry; returns the depth reached. */
struct pt_walk {
	const struct pt_table *table[PT_MAX_DEPTH];
	uint64_t desc[PT_MAX_DEPTH];
	unsigned depth;           /* depth of the last descriptor read */
	enum desc_type type;      /* its type */
};
void pt_walk_va(const struct mhp_machine *m, uint64_t va, struct pt_walk *w);

typedef int (*pt_visit_fn)(const struct mhp_machine *m, uint64_t va, uint64_t end, unsigned depth,
			   enum desc_type type, uint64_t desc, void *arg);
int pt_walk_range(const struct mhp_machine *m, uint64_t start, uint64_t end, pt_visit_fn fn, void *arg);
/* Like pt_walk_range, but each last-level table's part of [start, end) goes to last in one call. */
typedef int (*pt_last_fn)(const struct mhp_machine *m, const struct pt_table *t, uint64_t start, uint64_t end,
			  void *arg);
int pt_walk_range_last(const struct mhp_machine *m, uint64_t start, uint64_t end, pt_visit_fn fn, pt_last_fn last,
		       void *arg);

/*
 * The linear-map leaves at the two ends of [va, end), which a teardown
 * clears whole even where they reach past it (arm64's and RISC-V's block
 * leaves, x86's 1G pages): all they mapped is what the step changes, so
 * the checks after it look at all of it.
 */
void pt_touch_leaves_at_ends(struct mhp_machine *m, uint64_t va, uint64_t end);
uint64_t linear_va(const struct mhp_machine *m, uint64_t pa);
uint64_t vmemmap_va(const struct mhp_machine *m, uint64_t pfn);

#endif
