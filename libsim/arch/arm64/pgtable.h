/*
 * pgtable.h - the kernel page tables of the simulated machine, as real data.
 *
 * Kernel twins: arch/arm64/include/asm/pgtable-hwdef.h (descriptor layout and
 * level geometry), asm/pgtable-prot.h (the attribute values the kernel writes).
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

/* Descriptor bits (pgtable-hwdef.h). */
#define PTE_VALID        (1ull << 0)
#define PTE_TABLE_BIT    (1ull << 1)   /* table (upper levels) or page (last level) */
#define PTE_ATTRINDX(t)  ((uint64_t)(t) << 2)
#define PTE_ATTRINDX_MASK (7ull << 2)
#define PTE_USER         (1ull << 6)
#define PTE_RDONLY       (1ull << 7)
#define PTE_SHARED       (3ull << 8)
#define PTE_AF           (1ull << 10)
#define PTE_NG           (1ull << 11)
#define PTE_GP           (1ull << 50)
#define PTE_WRITE        (1ull << 51)  /* DBM */
#define PTE_CONT         (1ull << 52)
#define PTE_PXN          (1ull << 53)
#define PTE_UXN          (1ull << 54)
#define PTE_DIRTY        (1ull << 55)
#define PMD_TABLE_PXN    (1ull << 59)
#define PMD_TABLE_UXN    (1ull << 60)

/* Memory types (AttrIndx), asm/memory.h. */
enum { MT_NORMAL = 0, MT_NORMAL_TAGGED = 1, MT_NORMAL_NC = 2, MT_DEVICE_nGnRnE = 3, MT_DEVICE_nGnRE = 4 };

/* The values the kernel writes (asm/pgtable-prot.h, 4K without LPA2 or KPTI). */
#define PROT_NORMAL_BITS  (PTE_VALID | PTE_TABLE_BIT | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_WRITE)
#define PAGE_KERNEL_BITS  (PROT_NORMAL_BITS | PTE_DIRTY | PTE_ATTRINDX(MT_NORMAL))
#define PAGE_KERNEL_TAGGED_BITS (PROT_NORMAL_BITS | PTE_DIRTY | PTE_ATTRINDX(MT_NORMAL_TAGGED))
#define PROT_SECT_NORMAL_BITS (PTE_VALID | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_NORMAL))
#define LINEAR_TABLE_BITS (PTE_VALID | PTE_TABLE_BIT | PMD_TABLE_UXN | PMD_TABLE_PXN)
#define VMEMMAP_TABLE_BITS (PTE_VALID | PTE_TABLE_BIT | PMD_TABLE_UXN)

enum desc_type { DESC_NONE, DESC_TABLE, DESC_BLOCK, DESC_PAGE, DESC_INVALID };

struct pt_geom {
	unsigned levels;                  /* 3, 4 (5 with LPA2: not modelled) */
	unsigned shift[PT_MAX_DEPTH];     /* VA bits below each depth's index */
	uint64_t ptrs[PT_MAX_DEPTH];      /* entries per table at each depth */
	bool block_ok[PT_MAX_DEPTH];      /* may a block descriptor live here */
	unsigned cont_ptes, cont_pmds;    /* entries per contiguous run */
	uint64_t page_offset, page_end;   /* the linear map */
	uint64_t vmemmap_start, vmemmap_end;
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
};

/* The descriptor at idx, in either form. */
static inline uint64_t pt_get(const struct pt_table *t, uint64_t idx)
{
	if (t->e)
		return t->e[idx];
	return idx - t->lo < (uint64_t)(t->hi - t->lo) ? t->first + (idx - t->lo) * t->step : 0;
}

/* The store: pfn -> table, open addressing; memory grows with tables in use. */
struct pt_store {
	struct pt_table **slots;
	uint64_t cap, count;
	uint64_t pgd_pfn;
	uint64_t nr_freed, nr_allocated;  /* since boot, for benchmarks and traces */
	/* Descriptor loads and stores of the teardown walkers, counted as the kernel's code makes them. */
	uint64_t nr_reads, nr_writes;
	uint64_t digest;                  /* pt_table_id() + mix summed over the live tables (see PT_MIX_P) */
	uint64_t host_bytes;              /* what the live tables take of the host (the memory budget) */
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

int pt_geom_init(struct mhp_machine *m, struct mhp_err *err);
const char *pt_level_name(const struct mhp_machine *m, unsigned depth);
uint64_t pt_index(const struct mhp_machine *m, unsigned depth, uint64_t va);
uint64_t pt_span(const struct mhp_machine *m, unsigned depth);   /* bytes one entry maps */
uint64_t pt_addr_end(const struct mhp_machine *m, unsigned depth, uint64_t addr, uint64_t end);

enum desc_type desc_type(const struct mhp_machine *m, unsigned depth, uint64_t d);
uint64_t desc_pa(const struct mhp_machine *m, uint64_t d);
uint64_t mk_desc(const struct mhp_machine *m, uint64_t pa, uint64_t bits);

struct pt_table *pt_lookup(const struct mhp_machine *m, uint64_t pfn);
/* The slot a table of pfn would take in an empty store: where its probe run starts. */
uint64_t pt_store_home(const struct mhp_machine *m, uint64_t pfn);
struct pt_table *pt_pgd(const struct mhp_machine *m);
/* Allocates and zeroes a table page: from memblock at boot, else from the buddy. */
struct pt_table *pt_alloc(struct mhp_machine *m, unsigned depth, bool boot, int nid);
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

uint64_t linear_va(const struct mhp_machine *m, uint64_t pa);
uint64_t vmemmap_va(const struct mhp_machine *m, uint64_t pfn);

#endif
