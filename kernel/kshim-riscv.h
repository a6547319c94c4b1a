/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-riscv.h - what arch/riscv/mm/init.c's hot-remove code needs of the
 * kernel, mapped onto the simulator, so that the tree's own functions run
 * against the RISC-V machine's page tables (as kshim-x86.h does for
 * x86-64's init_64.c).
 *
 * Only this header is seen by the extracted code; the simulator is reached
 * through the kriscv_*() hooks of libsim/arch/riscv/kernel.c. The paging
 * mode is read at run time, as 6.12 reads pgtable_l4_enabled and
 * pgtable_l5_enabled: Sv39 (the P4D and the PUD are the PGD entry), Sv48
 * (the P4D is the PGD entry) and Sv57. Entries are the simulator's, bit for
 * bit (one format at every level: V at bit 0, R/W/X at bits 1-3, the PPN
 * from bit 10); pointers to entries point into its table pages. A struct
 * page lives in a window of 512 the shim keeps for the pages being freed:
 * none of its fields is read, and page++ walks a 2 MiB block.
 *
 * Loads are counted as docs/riscv.md (3.12) counts them, at source level:
 * one each time the code takes an entry's value from a table, by
 * p?dp_get() or by a predicate or accessor applied to *ptr; none when it
 * tests a copy it already holds (pmd_leaf(pmd) after pmd = pmdp_get(pmdp)),
 * and none where a folded level's test ignores the entry (pgd_present()
 * below Sv57, p4d_present() in Sv39). kriscv_load() tells the two apart by
 * where the value lives. Every store is one kriscv_set().
 *
 * Covered: the walkers with run-time folding, p?d_{none,present,leaf},
 * the clears, the p?d_page() lookups, pmd_page_vaddr, page freeing
 * (pagetable_free, free_pages, free_reserved_page, vmem_altmap_free,
 * PageReserved), flush_tlb_all; and the add side of the linear map
 * (create_linear_mapping_range, best_map_size, create_pgd_mapping and its
 * levels) with late pt_ops of our own and swapper_pg_dir. The add side
 * writes entries by plain assignment (ptep[i] = pfn_pte(...)), which no
 * macro can catch: its table pointers point into copies of the tables
 * (kernel.c's stages), and the copies go back through kriscv_set()'s path
 * when the walk moves to another table and when it is done. Not covered:
 * vmemmap_populate (the generic vmemmap_populate_hugepages of
 * mm/sparse-vmemmap.c, which stays the model's), the NR_PAGETABLE
 * accounting of the ptdesc constructors and destructors (whether a table
 * was constructed is kept, and a destructor out of pair is reported),
 * Svnapot (has_svnapot() is false: no napot PTEs) and the icache hook of
 * __set_pte_at (never reached for the zero entries written here).
 */
#ifndef MHPSIM_KSHIM_RISCV_H
#define MHPSIM_KSHIM_RISCV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t u64;
typedef uint64_t phys_addr_t;

typedef struct { uint64_t pte; } pte_t;
typedef struct { uint64_t pmd; } pmd_t;
typedef struct { uint64_t pud; } pud_t;
typedef struct { uint64_t p4d; } p4d_t;
typedef struct { uint64_t pgd; } pgd_t;

struct page { unsigned long unused; };   /* a slot of the window: its place is its pfn */
struct ptdesc;                           /* a struct page seen as a table: the same pointer */
struct vmem_altmap;                      /* opaque: non-NULL when the memmap being freed came from the block */
struct mm_struct { int unused; };

/* ---- the simulator's side (libsim/arch/riscv/kernel.c) ------------------------------------ */

unsigned kriscv_levels(void);
uint64_t *kriscv_table(uint64_t desc, unsigned depth);   /* the table a table entry points to */
uint64_t *kriscv_pgd(void);
uint64_t kriscv_load(const uint64_t *slot);              /* an entry's value; counted when slot is in a table */
void kriscv_set(uint64_t *entry, uint64_t value);        /* every store to a table goes through here */
uint64_t kriscv_linear_va(uint64_t pa);
uint64_t kriscv_linear_pa(uint64_t va);
struct page *kriscv_pfn_to_page(uint64_t pfn);
uint64_t kriscv_page_to_pfn(const struct page *page);
bool kriscv_page_reserved(uint64_t pfn);
void kriscv_free_pages(uint64_t pfn, unsigned order);
void kriscv_free_reserved_page(uint64_t pfn);
void kriscv_pagetable_dtor(uint64_t pfn, bool pmd);
void kriscv_altmap_free(struct vmem_altmap *altmap, uint64_t pfn, unsigned long nr);
void kriscv_flush_tlb_all(void);
bool kriscv_warn(bool cond, const char *file, int line);
struct mm_struct *kriscv_init_mm(void);

/* ---- attributes, compiler and debugging ------------------------------------ */

#define __init
#define __meminit
#define __ref
static inline bool kriscv_warn_on(bool cond, const char *file, int line)
{
	return cond ? kriscv_warn(cond, file, line) : false;
}
#define WARN_ON(cond) kriscv_warn_on(!!(cond), __FILE__, __LINE__)
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN(cond, ...) WARN_ON(cond)
#define VM_BUG_ON(cond) ((void)WARN_ON(cond))
#define init_mm (*kriscv_init_mm())

/* ---- paging mode and geometry (asm/pgtable-64.h, page.h) ------------------------- */

/* 6.12's two globals, as the mode the machine runs: 4 levels and up, 5 levels. */
#define pgtable_l4_enabled (kriscv_levels() >= 4)
#define pgtable_l5_enabled (kriscv_levels() >= 5)

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PUD_SHIFT 30
/* A folded level takes the shift of the one it is folded into. */
#define P4D_SHIFT (pgtable_l4_enabled ? 39 : 30)
#define PGDIR_SHIFT (pgtable_l5_enabled ? 48 : pgtable_l4_enabled ? 39 : 30)
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)
#define P4D_SIZE (1UL << P4D_SHIFT)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
/* 512 entries at every level, folded or not: a table is one 4K page of 8-byte entries. */
#define PTRS_PER_PTE 512
#define PTRS_PER_PMD 512
#define PTRS_PER_PUD 512
#define PTRS_PER_P4D 512
#define PTRS_PER_PGD 512

#define __va(pa) ((void *)(uintptr_t)kriscv_linear_va((uint64_t)(pa)))

/* include/linux/pgtable.h: the next boundary of a level's entry after addr, or end if that comes first. */
static inline unsigned long kriscv_addr_end(unsigned long addr, unsigned long end, unsigned long size)
{
	unsigned long boundary = (addr + size) & ~(size - 1);
	return boundary - 1 < end - 1 ? boundary : end;
}
#define pgd_addr_end(addr, end) kriscv_addr_end(addr, end, PGDIR_SIZE)
#define p4d_addr_end(addr, end) kriscv_addr_end(addr, end, P4D_SIZE)
#define pud_addr_end(addr, end) kriscv_addr_end(addr, end, PUD_SIZE)
#define pmd_addr_end(addr, end) kriscv_addr_end(addr, end, PMD_SIZE)

static inline unsigned long kriscv_index(unsigned long addr, unsigned shift)
{
	return (addr >> shift) & 511;
}
#define pgd_index(a) kriscv_index(a, PGDIR_SHIFT)
#define p4d_index(a) kriscv_index(a, P4D_SHIFT)
#define pud_index(a) kriscv_index(a, PUD_SHIFT)
#define pmd_index(a) kriscv_index(a, PMD_SHIFT)
#define pte_index(a) kriscv_index(a, PAGE_SHIFT)

/* ---- entries (asm/pgtable-bits.h, pgtable.h, pgtable-64.h) ------------------------- */

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_READ (1UL << 1)
#define _PAGE_WRITE (1UL << 2)
#define _PAGE_EXEC (1UL << 3)
#define _PAGE_GLOBAL (1UL << 5)
#define _PAGE_PROT_NONE _PAGE_GLOBAL   /* what G means on an entry without V */
#define _PAGE_LEAF (_PAGE_READ | _PAGE_WRITE | _PAGE_EXEC)
#define _PAGE_PFN_SHIFT 10
#define _PAGE_PFN_MASK (((1UL << 54) - 1) & ~((1UL << _PAGE_PFN_SHIFT) - 1))   /* bits 53..10 */

/* The value of an entry named as an lvalue: *ptr (a load from the table, counted) or a copy (not). */
#define KRISCV_BITS(x, field) kriscv_load(&(x).field)

static inline unsigned long kriscv_pfn(uint64_t v)
{
	return (unsigned long)((v & _PAGE_PFN_MASK) >> _PAGE_PFN_SHIFT);
}

/* With TRANSPARENT_HUGEPAGE (Debian's riscv64 config), a PMD with R/W/X set counts as present even without V. */
static inline bool kriscv_pmd_present(uint64_t v) { return v & (_PAGE_PRESENT | _PAGE_PROT_NONE | _PAGE_LEAF); }
static inline bool kriscv_pmd_leaf(uint64_t v) { return kriscv_pmd_present(v) && (v & _PAGE_LEAF); }
/* PUDs (and P4Ds, PGDs when not folded) are present by V alone. */
static inline bool kriscv_pud_leaf(uint64_t v) { return (v & _PAGE_PRESENT) && (v & _PAGE_LEAF); }

#define pte_none(x) (KRISCV_BITS(x, pte) == 0)
#define pte_present(x) ((KRISCV_BITS(x, pte) & (_PAGE_PRESENT | _PAGE_PROT_NONE)) != 0)
#define pmd_none(x) (KRISCV_BITS(x, pmd) == 0)
#define pmd_present(x) kriscv_pmd_present(KRISCV_BITS(x, pmd))
#define pmd_leaf(x) kriscv_pmd_leaf(KRISCV_BITS(x, pmd))
#define pud_none(x) (KRISCV_BITS(x, pud) == 0)
#define pud_present(x) ((KRISCV_BITS(x, pud) & _PAGE_PRESENT) != 0)
#define pud_leaf(x) kriscv_pud_leaf(KRISCV_BITS(x, pud))
/* A folded P4D is always there (its entry is not even looked at); no RISC-V P4D or PGD is ever a leaf. */
#define p4d_none(x) (pgtable_l4_enabled ? KRISCV_BITS(x, p4d) == 0 : false)
#define p4d_present(x) (pgtable_l4_enabled ? (KRISCV_BITS(x, p4d) & _PAGE_PRESENT) != 0 : true)
#define p4d_leaf(x) ((void)sizeof(x), false)
#define pgd_present(x) (pgtable_l5_enabled ? (KRISCV_BITS(x, pgd) & _PAGE_PRESENT) != 0 : true)
#define pgd_leaf(x) ((void)sizeof(x), false)

static inline pte_t ptep_get(pte_t *ptep) { return (pte_t){ kriscv_load(&ptep->pte) }; }
static inline pmd_t pmdp_get(pmd_t *pmdp) { return (pmd_t){ kriscv_load(&pmdp->pmd) }; }
static inline pud_t pudp_get(pud_t *pudp) { return (pud_t){ kriscv_load(&pudp->pud) }; }
static inline p4d_t p4dp_get(p4d_t *p4dp) { return (p4d_t){ kriscv_load(&p4dp->p4d) }; }
static inline pgd_t pgdp_get(pgd_t *pgdp) { return (pgd_t){ kriscv_load(&pgdp->pgd) }; }

/* ---- walking and writing ------------------------------------------------------- */

/* The depth of a table of this level in the machine's store: the PGD is 0, the PTE table levels - 1. */
#define KRISCV_DEPTH(level_from_pte) (kriscv_levels() - 1 - (level_from_pte))

static inline pgd_t *pgd_offset_k(unsigned long addr)
{
	return (pgd_t *)kriscv_pgd() + pgd_index(addr);
}

/* arch/riscv/mm/pgtable.c's two run-time folds: below Sv57 the P4D slot is the PGD slot, in Sv39 the PUD slot too. */
static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long addr)
{
	if (!pgtable_l5_enabled)
		return (p4d_t *)pgd;
	return (p4d_t *)kriscv_table(pgdp_get(pgd).pgd, KRISCV_DEPTH(3)) + p4d_index(addr);
}

static inline pud_t *pud_offset(p4d_t *p4d, unsigned long addr)
{
	if (!pgtable_l4_enabled)
		return (pud_t *)p4d;
	return (pud_t *)kriscv_table(p4dp_get(p4d).p4d, KRISCV_DEPTH(2)) + pud_index(addr);
}

/* The generic one: the PMD table the PUD entry points to, one load of it. */
#define pmd_offset(pudp, addr) ((pmd_t *)kriscv_table(KRISCV_BITS(*(pudp), pud), KRISCV_DEPTH(1)) + pmd_index(addr))
#define pmd_page_vaddr(x) ((unsigned long)(uintptr_t)kriscv_table(KRISCV_BITS(x, pmd), KRISCV_DEPTH(0)))

/* pte_clear() is __set_pte_at() of zero: its icache hook tests for an executable present entry, never true here. */
#define pte_clear(mm, addr, ptep) ((void)(mm), (void)(addr), kriscv_set(&(ptep)->pte, 0))
#define pmd_clear(pmdp) kriscv_set(&(pmdp)->pmd, 0)
#define pud_clear(pudp) kriscv_set(&(pudp)->pud, 0)
/* Clearing a folded P4D would clear the PGD entry it is: 6.12 does nothing then. */
#define p4d_clear(p4dp) (pgtable_l4_enabled ? kriscv_set(&(p4dp)->p4d, 0) : (void)0)

/* ---- pages ---------------------------------------------------------------------- */

#define pfn_to_page(pfn) kriscv_pfn_to_page(pfn)
#define page_to_pfn(page) kriscv_page_to_pfn(page)
/* has_svnapot() is false: a PTE's pfn is its PPN as it stands. */
#define pte_page(x) pfn_to_page(kriscv_pfn(KRISCV_BITS(x, pte)))
#define pmd_page(x) pfn_to_page(kriscv_pfn(KRISCV_BITS(x, pmd)))
#define pud_page(x) pfn_to_page(kriscv_pfn(KRISCV_BITS(x, pud)))
#define p4d_page(x) pfn_to_page(kriscv_pfn(KRISCV_BITS(x, p4d)))
#define page_address(page) ((void *)(uintptr_t)kriscv_linear_va((uint64_t)page_to_pfn(page) << PAGE_SHIFT))
#define PageReserved(page) kriscv_page_reserved(page_to_pfn(page))
#define free_pages(addr, order) kriscv_free_pages(kriscv_linear_pa((unsigned long)(addr)) >> PAGE_SHIFT, order)
#define free_reserved_page(page) kriscv_free_reserved_page(page_to_pfn(page))

/* A table page as a ptdesc: the same page. The destructors undo what the late allocators' constructors did. */
#define page_ptdesc(page) ((struct ptdesc *)(page))
#define pagetable_pte_dtor(ptdesc) kriscv_pagetable_dtor(page_to_pfn((struct page *)(ptdesc)), false)
#define pagetable_pmd_dtor(ptdesc) kriscv_pagetable_dtor(page_to_pfn((struct page *)(ptdesc)), true)
#define pagetable_free(ptdesc) kriscv_free_pages(page_to_pfn((struct page *)(ptdesc)), 0)

/* vmem_altmap_free() only counts; the simulator needs the pages too, and the one caller has them in page. */
#define vmem_altmap_free(altmap, nr) kriscv_altmap_free(altmap, page_to_pfn(page), nr)

static inline int get_order(unsigned long size)
{
	int order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* ---- TLB (arch/riscv/mm/tlbflush.c) ------------------------------------------------ */

#define flush_tlb_all() kriscv_flush_tlb_all()

/* ---- the add side (create_linear_mapping_range and create_*_mapping) ------------------ */

typedef struct { uint64_t pgprot; } pgprot_t;
#define pgprot_val(x) ((x).pgprot)
#define PAGE_TABLE ((pgprot_t){ _PAGE_PRESENT })   /* a table entry is V alone */

#define CONFIG_64BIT 1
#define IS_ENABLED(option) (option)
#define PFN_DOWN(x) ((unsigned long)(x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define debug_pagealloc_enabled() kriscv_debug_pagealloc()
bool kriscv_debug_pagealloc(void);

/* An entry's value and its pfn, taken from the table: one load each time. */
#define pgd_val(x) KRISCV_BITS(x, pgd)
#define p4d_val(x) KRISCV_BITS(x, p4d)
#define pud_val(x) KRISCV_BITS(x, pud)
#define _pgd_pfn(x) kriscv_pfn(pgd_val(x))
#define _p4d_pfn(x) kriscv_pfn(p4d_val(x))
#define _pud_pfn(x) kriscv_pfn(pud_val(x))
#define _pmd_pfn(x) kriscv_pfn(KRISCV_BITS(x, pmd))

/* An entry from a pfn and protection bits (no T-Head PMA fixup: QEMU's virt has Svpbmt or nothing). */
#define KRISCV_MK(type, pfn, prot) ((type){ ((uint64_t)(pfn) << _PAGE_PFN_SHIFT) | pgprot_val(prot) })
#define pfn_pte(pfn, prot) KRISCV_MK(pte_t, pfn, prot)
#define pfn_pmd(pfn, prot) KRISCV_MK(pmd_t, pfn, prot)
#define pfn_pud(pfn, prot) KRISCV_MK(pud_t, pfn, prot)
#define pfn_p4d(pfn, prot) KRISCV_MK(p4d_t, pfn, prot)
#define pfn_pgd(pfn, prot) KRISCV_MK(pgd_t, pfn, prot)

/*
 * The PGD the add side maps into, and the late pt_ops (pt_ops_set_late()'s):
 * a table is allocated from the buddy as the model's pt_alloc() does, and
 * get_*_virt() hands out the stage of the table at that physical address.
 */
pgd_t *kriscv_swapper_pg_dir(void);
#define swapper_pg_dir kriscv_swapper_pg_dir()
struct kriscv_pt_ops {
	phys_addr_t (*alloc_pte)(uintptr_t va);
	pte_t *(*get_pte_virt)(phys_addr_t pa);
	phys_addr_t (*alloc_pmd)(uintptr_t va);
	pmd_t *(*get_pmd_virt)(phys_addr_t pa);
	phys_addr_t (*alloc_pud)(uintptr_t va);
	pud_t *(*get_pud_virt)(phys_addr_t pa);
	phys_addr_t (*alloc_p4d)(uintptr_t va);
	p4d_t *(*get_p4d_virt)(phys_addr_t pa);
};
extern const struct kriscv_pt_ops kriscv_pt_ops_late;
#define pt_ops kriscv_pt_ops_late

/*
 * What the PGD's next level is, by the paging mode at run time (init.c's
 * own macros for this are not functions, so not extracted): the P4D with
 * Sv57, the PUD with Sv48, the PMD with Sv39, each reached through a P4D
 * pointer as 6.12 does.
 */
#define pgd_next_t p4d_t
#define alloc_pgd_next(va) \
	(pgtable_l5_enabled ? pt_ops.alloc_p4d(va) : pgtable_l4_enabled ? pt_ops.alloc_pud(va) : pt_ops.alloc_pmd(va))
#define get_pgd_next_virt(pa)                                                                  \
	(pgtable_l5_enabled ? pt_ops.get_p4d_virt(pa) :                                        \
	 pgtable_l4_enabled ? (p4d_t *)pt_ops.get_pud_virt(pa) : (p4d_t *)pt_ops.get_pmd_virt(pa))
#define create_pgd_next_mapping(nextp, va, pa, sz, prot)                   \
	(pgtable_l5_enabled ? create_p4d_mapping(nextp, va, pa, sz, prot) :    \
	 pgtable_l4_enabled ? create_pud_mapping((pud_t *)(nextp), va, pa, sz, prot) : \
	 create_pmd_mapping((pmd_t *)(nextp), va, pa, sz, prot))

/* Hot-add passes params->pgprot: the protection from the VA (boot's choice) is never asked for. */
static inline pgprot_t kriscv_pgprot_from_va(unsigned long va)
{
	(void)va;
	(void)WARN_ON(1);
	return (pgprot_t){ 0 };
}
#define pgprot_from_va(va) kriscv_pgprot_from_va(va)

/*
 * BUG_ON(): the kernel oopses there and the hot-add thread dies holding the
 * hotplug lock. Here the tree's walk stops (kernel.c longjmp()s back to
 * where it was called) and the caller reports it as the model does.
 */
_Noreturn void kriscv_bug(const char *file, int line);
#define BUG_ON(cond) ((cond) ? kriscv_bug(__FILE__, __LINE__) : (void)0)

/* ---- the extracted entry points, renamed away from the simulator's own ---------- */

#define vmemmap_free kriscv_tree_vmemmap_free
void kriscv_tree_vmemmap_free(unsigned long start, unsigned long end, struct vmem_altmap *altmap);
#define create_pgd_mapping kriscv_tree_create_pgd_mapping
void kriscv_tree_create_pgd_mapping(pgd_t *pgdp, uintptr_t va, phys_addr_t pa, phys_addr_t sz, pgprot_t prot);

#endif
