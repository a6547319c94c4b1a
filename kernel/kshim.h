/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim.h - what arch/arm64/mm/mmu.c's hot-remove code needs of the kernel,
 * mapped onto the simulator, so that the tree's own functions run against
 * the simulated page tables (the technique of tools/testing/memblock).
 *
 * Only this header is seen by the extracted code; the simulator is reached
 * through the kshim_*() hooks of libsim/arch/arm64/teardown/kernel.c. The page-table
 * geometry is read at run time, so one compilation serves every granule:
 * 4 levels (4K and 16K pages, 48-bit VA: the P4D folded into the PGD) and 3
 * (64K: the PUD folded too), as arm64's pgtable.h folds them. Descriptors
 * are the simulator's, bit for bit; pointers to entries point into its
 * table pages. A struct page is an opaque token for a pfn, never read.
 *
 * Covered: the walkers, pXd_{none,present,sect,table,cont}, the clears,
 * pgtable_range_aligned's masks, TLB maintenance (the simulator's models of
 * flush_tlb_kernel_range and __flush_tlb_kernel_pgtable from asm/tlbflush.h),
 * page freeing (free_pages, vmem_altmap_free, PageReserved) and WARN_ON.
 * Not covered: locking (none is taken here), the fixmap, 5 levels (LPA2
 * 52-bit VA), and the add side (__create_pgd_mapping, vmemmap_populate).
 */
#ifndef MHPSIM_KSHIM_H
#define MHPSIM_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t u64;
typedef uint64_t phys_addr_t;

typedef struct { uint64_t pte; } pte_t;
typedef struct { uint64_t pmd; } pmd_t;
typedef struct { uint64_t pud; } pud_t;
typedef struct { uint64_t p4d; } p4d_t;
typedef struct { uint64_t pgd; } pgd_t;

struct page;            /* a pfn in disguise: see pfn_to_page() */
struct vmem_altmap;     /* opaque: non-NULL when the memmap being freed came from the block itself */
struct mm_struct { pgd_t *pgd; };

/* ---- the simulator's side (libsim/arch/arm64/teardown/kernel.c) ---------------------------- */

unsigned kshim_levels(void);
unsigned kshim_page_shift(void);
unsigned kshim_shift(unsigned depth);          /* address bits a descriptor at depth covers */
uint64_t kshim_ptrs(unsigned depth);
uint64_t *kshim_table(uint64_t desc, unsigned depth);   /* the table a table descriptor points to */
uint64_t *kshim_pgd(void);
void kshim_set(uint64_t *entry, uint64_t value);         /* every store to a table goes through here */
void kshim_count_read(void);                             /* every descriptor load: READ_ONCE, __ptep_get */
uint64_t kshim_table_pfn(const void *first_entry);       /* virt_to_page() of a table */
uint64_t kshim_desc_pfn(uint64_t desc);
uint64_t kshim_page_offset(void), kshim_page_end(void), kshim_vmemmap_start(void), kshim_vmemmap_end(void);
unsigned long kshim_page_address(uint64_t pfn);
void kshim_free_pages(unsigned long va, unsigned order);
void kshim_altmap_free(struct vmem_altmap *altmap, uint64_t pfn, unsigned long nr);
bool kshim_page_reserved(uint64_t pfn);
void kshim_flush_tlb_kernel_range(unsigned long start, unsigned long end);
void kshim_flush_tlb_kernel_pgtable(unsigned long addr);
bool kshim_warn(bool cond, const char *file, int line);
struct mm_struct *kshim_init_mm(void);
/* The add side's (kshim-add.h): */
uint64_t *kshim_fixmap(phys_addr_t pa, unsigned depth);   /* a table's entries by physical address (+ offset) */
uint64_t kshim_desc_pa(uint64_t desc);
uint64_t kshim_phys_to_desc(phys_addr_t pa);
uint64_t kshim_get_free_table(unsigned level);           /* a page for a table (0: PTE .. 3: P4D): pfn, or ~0 */
void kshim_pagetable_ctor(uint64_t pfn);                  /* pagetable_*_ctor() on a table page */
void kshim_pagetable_dtor(uint64_t pfn);                  /* pagetable_dtor() (trees after 6.12) */
phys_addr_t kshim_pa(unsigned long va);
unsigned kshim_cont(unsigned depth);                      /* CONT_PTES, CONT_PMDS */
_Noreturn void kshim_bug(const char *file, int line);
/* The vmemmap's (kshim-vmemmap.h): */
uint64_t *kshim_vmemmap_entry(unsigned long addr, unsigned depth, bool populate);
unsigned long kshim_vmemmap_alloc(unsigned long size);   /* a block's VA, 0 if none */
int kshim_pfn_nid(uint64_t pfn);
int kshim_node_distance(int a, int b);
void kshim_pr_warn_once(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t kshim_pages_per_section(void);
uint64_t kshim_prot_page_kernel(void), kshim_prot_sect_normal(void);

/* ---- attributes, compiler and debugging ------------------------------------ */

#define __init
#define __meminit
/* In the extracted functions only descriptors are read with it: each load is counted. */
#define READ_ONCE(x) (kshim_count_read(), (x))
static inline bool kshim_warn_on(bool cond, const char *file, int line)
{
	return cond ? kshim_warn(cond, file, line) : false;
}
#define WARN_ON(cond) kshim_warn_on(!!(cond), __FILE__, __LINE__)
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define init_mm (*kshim_init_mm())

/* ---- geometry ------------------------------------------------------------------- */

#define PAGE_SHIFT kshim_page_shift()
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define CONFIG_PGTABLE_LEVELS kshim_levels()
#define KSHIM_PMD_DEPTH (kshim_levels() - 2)
#define KSHIM_PTE_DEPTH (kshim_levels() - 1)
#define PMD_SHIFT kshim_shift(KSHIM_PMD_DEPTH)
#define PUD_SHIFT (pgtable_l4_enabled() ? kshim_shift(1) : PGDIR_SHIFT)   /* folded: the PGD's */
#define PGDIR_SHIFT kshim_shift(0)
#define P4D_SHIFT PGDIR_SHIFT
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)
#define P4D_SIZE (1UL << P4D_SHIFT)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PMD_MASK (~(PMD_SIZE - 1))
#define PUD_MASK (~(PUD_SIZE - 1))
#define P4D_MASK (~(P4D_SIZE - 1))
#define PGDIR_MASK (~(PGDIR_SIZE - 1))
#define PTRS_PER_PTE kshim_ptrs(KSHIM_PTE_DEPTH)
#define PTRS_PER_PMD kshim_ptrs(KSHIM_PMD_DEPTH)
#define PTRS_PER_PUD (pgtable_l4_enabled() ? kshim_ptrs(1) : 1)
#define PTRS_PER_P4D 1
#define PAGE_OFFSET kshim_page_offset()
#define PAGE_END kshim_page_end()
#define VMEMMAP_START kshim_vmemmap_start()
#define VMEMMAP_END kshim_vmemmap_end()

static inline bool pgtable_l4_enabled(void) { return kshim_levels() > 3; }
static inline bool pgtable_l5_enabled(void) { return false; }

/* include/linux/pgtable.h: the next boundary of a level, or end. */
static inline unsigned long kshim_addr_end(unsigned long addr, unsigned long end, unsigned long size)
{
	unsigned long boundary = (addr + size) & ~(size - 1);
	return boundary - 1 < end - 1 ? boundary : end;
}
#define pgd_addr_end(addr, end) kshim_addr_end(addr, end, PGDIR_SIZE)
#define p4d_addr_end(addr, end) (end)   /* folded */
#define pud_addr_end(addr, end) (pgtable_l4_enabled() ? kshim_addr_end(addr, end, PUD_SIZE) : (end))
#define pmd_addr_end(addr, end) kshim_addr_end(addr, end, PMD_SIZE)

/* ---- descriptors (arch/arm64/include/asm/pgtable-hwdef.h, pgtable.h) ------------- */

#define KSHIM_VALID 1UL
#define KSHIM_TYPE_MASK 3UL
#define KSHIM_TYPE_TABLE 3UL
#define KSHIM_TYPE_SECT 1UL
#define KSHIM_PRESENT_INVALID (1UL << 11)   /* PTE_NG, as 6.12 reuses it */
#define KSHIM_CONT (1UL << 52)

#define pte_val(x) ((x).pte)
#define pmd_val(x) ((x).pmd)
#define pud_val(x) ((x).pud)
#define p4d_val(x) ((x).p4d)
#define pgd_val(x) ((x).pgd)

static inline bool kshim_present(uint64_t v)
{
	return (v & KSHIM_VALID) || (v & (KSHIM_VALID | KSHIM_PRESENT_INVALID)) == KSHIM_PRESENT_INVALID;
}

#define pte_none(pte) (!pte_val(pte))
#define pte_present(pte) kshim_present(pte_val(pte))
#define pte_cont(pte) (!!(pte_val(pte) & KSHIM_CONT))
#define pmd_none(pmd) (!pmd_val(pmd))
#define pmd_present(pmd) kshim_present(pmd_val(pmd))
#define pmd_cont(pmd) (!!(pmd_val(pmd) & KSHIM_CONT))
#define pmd_table(pmd) ((pmd_val(pmd) & KSHIM_TYPE_MASK) == KSHIM_TYPE_TABLE)
#define pmd_sect(pmd) ((pmd_val(pmd) & KSHIM_TYPE_MASK) == KSHIM_TYPE_SECT)
#define pmd_leaf(v) (pmd_present(v) && !pmd_table(v))   /* trees after 6.12 test leaves with these */
#define pud_none(pud) (!pud_val(pud))
#define pud_present(pud) kshim_present(pud_val(pud))
#define pud_table(pud) ((pud_val(pud) & KSHIM_TYPE_MASK) == KSHIM_TYPE_TABLE)
#define pud_sect(pud) ((pud_val(pud) & KSHIM_TYPE_MASK) == KSHIM_TYPE_SECT)
#define pud_leaf(v) (pud_present(v) && !pud_table(v))
#define p4d_none(p4d) (pgtable_l4_enabled() && !p4d_val(p4d))
#define p4d_present(p4d) (!p4d_none(p4d))
#define pgd_none(pgd) (pgtable_l5_enabled() && !pgd_val(pgd))
#define pgd_present(pgd) (!pgd_none(pgd))

/* ---- walking and writing ------------------------------------------------------- */

static inline unsigned long kshim_index(unsigned long addr, unsigned depth)
{
	return (addr >> kshim_shift(depth)) & (kshim_ptrs(depth) - 1);
}

static inline pgd_t *pgd_offset_k(unsigned long addr)
{
	return (pgd_t *)kshim_pgd() + kshim_index(addr, 0);
}

static inline p4d_t *p4d_offset(pgd_t *pgdp, unsigned long addr)
{
	(void)addr;
	return (p4d_t *)pgdp;   /* folded */
}

static inline pud_t *pud_offset(p4d_t *p4dp, unsigned long addr)
{
	if (!pgtable_l4_enabled())
		return (pud_t *)p4dp;   /* folded */
	return (pud_t *)kshim_table(p4d_val(*p4dp), 1) + kshim_index(addr, 1);
}

static inline pmd_t *pmd_offset(pud_t *pudp, unsigned long addr)
{
	return (pmd_t *)kshim_table(pud_val(*pudp), KSHIM_PMD_DEPTH) + kshim_index(addr, KSHIM_PMD_DEPTH);
}

static inline pte_t *pte_offset_kernel(pmd_t *pmdp, unsigned long addr)
{
	return (pte_t *)kshim_table(pmd_val(*pmdp), KSHIM_PTE_DEPTH) + kshim_index(addr, KSHIM_PTE_DEPTH);
}

static inline pte_t __ptep_get(pte_t *ptep) { return READ_ONCE(*ptep); }
#define __pte_clear(mm, addr, ptep) kshim_set(&(ptep)->pte, 0)
#define pte_clear(mm, addr, ptep) __pte_clear(mm, addr, ptep)   /* its name before 6.9 */
#define pmd_clear(pmdp) kshim_set(&(pmdp)->pmd, 0)
#define pud_clear(pudp) kshim_set(&(pudp)->pud, 0)
/* The PUD table hangs off the (folded) P4D, that is the PGD entry; with 3 levels there is none to clear. */
#define p4d_clear(p4dp) (pgtable_l4_enabled() ? kshim_set(&(p4dp)->p4d, 0) : (void)0)
#define pgd_clear(pgdp) (pgtable_l5_enabled() ? kshim_set(&(pgdp)->pgd, 0) : (void)0)

/* ---- pages ---------------------------------------------------------------------- */

#define pfn_to_page(pfn) ((struct page *)(uintptr_t)(((uint64_t)(pfn) + 1) << 6))
#define page_to_pfn(page) ((uint64_t)((uintptr_t)(page) >> 6) - 1)
#define pte_page(pte) pfn_to_page(kshim_desc_pfn(pte_val(pte)))
#define pmd_page(pmd) pfn_to_page(kshim_desc_pfn(pmd_val(pmd)))
#define pud_page(pud) pfn_to_page(kshim_desc_pfn(pud_val(pud)))
#define virt_to_page(p) pfn_to_page(kshim_table_pfn(p))
#define page_address(page) kshim_page_address(page_to_pfn(page))
#define PageReserved(page) kshim_page_reserved(page_to_pfn(page))
#define free_pages(addr, order) kshim_free_pages(addr, order)
#define __free_pages(page, order) kshim_free_pages(page_address(page), order)   /* trees after 6.12 */
/* Trees after 6.12 free a table with pagetable_dtor(page_ptdesc(page)): a ptdesc is its page here. */
struct ptdesc;
#define page_ptdesc(page) ((struct ptdesc *)(page))
#define ptdesc_page(pt) ((struct page *)(pt))
#define pagetable_dtor(pt) kshim_pagetable_dtor(page_to_pfn(ptdesc_page(pt)))
/* vmem_altmap_free() only counts; the simulator needs the pages too, and the one caller has them in page. */
#define vmem_altmap_free(altmap, nr) kshim_altmap_free(altmap, page_to_pfn(page), nr)

static inline unsigned get_order(unsigned long size)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* ---- TLB maintenance (asm/tlbflush.h) ------------------------------------------- */

#define flush_tlb_kernel_range(start, end) kshim_flush_tlb_kernel_range(start, end)
#define __flush_tlb_kernel_pgtable(addr) kshim_flush_tlb_kernel_pgtable(addr)

/* ---- the extracted entry points, renamed away from the simulator's own ---------- */

#define vmemmap_free kshim_tree_vmemmap_free
void kshim_tree_vmemmap_free(unsigned long start, unsigned long end, struct vmem_altmap *altmap);

#endif
