/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-add.h - what arch/arm64/mm/mmu.c's hot-add of the linear map
 * (__create_pgd_mapping() and its alloc_init_* levels, init_pte/init_pmd,
 * pgattr_change_is_safe(), p?d_set_huge(), __pgd_pgtable_alloc()) needs of
 * the kernel, on top of kshim.h's geometry, descriptors and walkers.
 *
 * The fixmap slots the code maps a table through (p?e_set_fixmap) are
 * pointers into the store's table, found by the table's physical address;
 * every store goes through kshim_set() as on the remove side, every load of
 * a descriptor through READ_ONCE()/__ptep_get() is counted. The folded
 * levels are folded as arm64's headers fold them for a kernel built with
 * that many levels: 4 (4K and 16K pages, 48-bit VA: the P4D folded) and 3
 * (64K, or 4K with 39-bit VA: the PUD folded too). BUG_ON() leaves the tree's
 * code through kshim_bug(), which does not return.
 *
 * Not covered: 5 levels, 2 levels, the locks (none is contended here), the
 * barriers (dsb/isb: one thread, nothing to order), and the boot callers.
 */
#ifndef MHPSIM_KSHIM_ADD_H
#define MHPSIM_KSHIM_ADD_H

#include "kshim.h"

typedef uint64_t pteval_t, pmdval_t, pudval_t, p4dval_t, pgdval_t;
typedef struct { uint64_t pgprot; } pgprot_t;
typedef unsigned gfp_t;
/* Trees after 6.12 name the level they allocate a table for; 6.12 gives a shift (kshim-add-entry.h maps it). */
enum pgtable_level { PGTABLE_LEVEL_PTE, PGTABLE_LEVEL_PMD, PGTABLE_LEVEL_PUD, PGTABLE_LEVEL_P4D, PGTABLE_LEVEL_PGD };

/* The level the tree's allocator is asked for (the wrapper in kshim-add-entry.h sets it). */
static unsigned kshim_alloc_level;

/* ---- compiler, debugging, locking, barriers ----------------------------------------------- */

#define BUG_ON(cond) do { if (cond) kshim_bug(__FILE__, __LINE__); } while (0)
/* CONFIG_DEBUG_VM is off in Debian's arm64 build: these test nothing. */
#define VM_BUG_ON(cond) ((void)sizeof(!!(cond)))
#define VM_WARN_ON(cond) ((void)sizeof(!!(cond)))
#define VM_WARN_ON_ONCE(cond) ((void)sizeof(!!(cond)))
#define __maybe_unused __attribute__((unused))
#define ENOMEM 12
#define EINVAL 22
#define INVALID_PHYS_ADDR (~(phys_addr_t)0)
#define BIT(n) (1UL << (n))
#define mutex_lock(l) ((void)(l))
#define mutex_unlock(l) ((void)(l))
static int fixmap_lock __attribute__((unused));   /* the tree's is a static beside the functions; one thread here */
#define dsb(opt) ((void)0)
#define isb() ((void)0)
/* The store's new tables are zero already: clearing one writes nothing a walk could see. */
#define clear_page(table) ((void)(table))

/* ---- geometry the add side reads ------------------------------------------------------ */

#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define SZ_4K 4096UL
#define CONT_PTES kshim_cont(KSHIM_PTE_DEPTH)
#define CONT_PMDS kshim_cont(KSHIM_PMD_DEPTH)
#define CONT_PTE_SIZE (CONT_PTES * PAGE_SIZE)
#define CONT_PMD_SIZE (CONT_PMDS * PMD_SIZE)
#define CONT_PTE_MASK (~(CONT_PTE_SIZE - 1))
#define CONT_PMD_MASK (~(CONT_PMD_SIZE - 1))
#define pte_cont_addr_end(addr, end) kshim_addr_end(addr, end, CONT_PTE_SIZE)
#define pmd_cont_addr_end(addr, end) kshim_addr_end(addr, end, CONT_PMD_SIZE)
#define pte_index(addr) kshim_index(addr, KSHIM_PTE_DEPTH)
#define pmd_index(addr) kshim_index(addr, KSHIM_PMD_DEPTH)
#define pud_index(addr) (pgtable_l4_enabled() ? kshim_index(addr, 1) : 0)
#define p4d_index(addr) 0UL
#define pgd_offset_pgd(pgdir, addr) ((pgd_t *)(pgdir) + kshim_index(addr, 0))
static inline bool pud_sect_supported(void) { return PAGE_SIZE == SZ_4K; }

/* ---- descriptor bits (asm/pgtable-hwdef.h, pgtable-prot.h, memory.h) ------------------- */

#define PTE_VALID BIT(0)
#define PTE_TABLE_BIT BIT(1)
#define PMD_TABLE_BIT BIT(1)
#define PUD_TABLE_BIT BIT(1)
#define PMD_TYPE_TABLE 3UL
#define PUD_TYPE_TABLE 3UL
#define P4D_TYPE_TABLE 3UL
#define PGD_TYPE_TABLE 3UL
#define PMD_TYPE_SECT 1UL
#define PUD_TYPE_SECT 1UL
#define PMD_TABLE_AF BIT(10)   /* trees after 6.12 (ignored without FEAT_HAFT) */
#define PUD_TABLE_AF BIT(10)
#define P4D_TABLE_AF BIT(10)
#define PGD_TABLE_AF BIT(10)
#define PMD_TABLE_PXN BIT(59)
#define PMD_TABLE_UXN BIT(60)
#define PUD_TABLE_PXN BIT(59)
#define PUD_TABLE_UXN BIT(60)
#define P4D_TABLE_PXN BIT(59)
#define P4D_TABLE_UXN BIT(60)
#define PGD_TABLE_PXN BIT(59)
#define PGD_TABLE_UXN BIT(60)
#define PTE_RDONLY BIT(7)
#define PTE_NG BIT(11)
#define PTE_WRITE BIT(51)   /* PTE_DBM */
#define PTE_CONT KSHIM_CONT
#define PTE_PXN BIT(53)
#define PTE_UXN BIT(54)
#define PTE_SWBITS_MASK (BIT(63) | (0xfUL << 55))
#define PTE_ATTRINDX(t) ((pteval_t)(t) << 2)
#define PTE_ATTRINDX_MASK (7UL << 2)
#define MT_NORMAL 0
#define MT_NORMAL_TAGGED 1
#define NO_BLOCK_MAPPINGS BIT(0)
#define NO_CONT_MAPPINGS BIT(1)
#define NO_EXEC_MAPPINGS BIT(2)

#define pgprot_val(x) ((x).pgprot)
#define __pgprot(x) ((pgprot_t){ (x) })
#define __pte(x) ((pte_t){ (x) })
#define __pmd(x) ((pmd_t){ (x) })
#define __pud(x) ((pud_t){ (x) })
#define pmd_pte(v) __pte(pmd_val(v))
#define __phys_to_pfn(pa) ((pa) >> PAGE_SHIFT)
#define __pa(va) kshim_pa((unsigned long)(va))
#define pte_valid(v) (!!(pte_val(v) & PTE_VALID))
#define pte_pfn(v) (kshim_desc_pa(pte_val(v)) >> PAGE_SHIFT)
#define pfn_pte(pfn, prot) __pte(kshim_phys_to_desc((phys_addr_t)(pfn) << PAGE_SHIFT) | pgprot_val(prot))
#define pfn_pmd(pfn, prot) __pmd(kshim_phys_to_desc((phys_addr_t)(pfn) << PAGE_SHIFT) | pgprot_val(prot))
#define pfn_pud(pfn, prot) __pud(kshim_phys_to_desc((phys_addr_t)(pfn) << PAGE_SHIFT) | pgprot_val(prot))
#define mk_pmd_sect_prot(prot) __pgprot((pgprot_val(prot) & ~PMD_TABLE_BIT) | PMD_TYPE_SECT)
#define mk_pud_sect_prot(prot) __pgprot((pgprot_val(prot) & ~PUD_TABLE_BIT) | PUD_TYPE_SECT)
#define pmd_bad(v) (!pmd_table(v))
#define pud_bad(v) ((pud_val(v) & KSHIM_TYPE_MASK) != PUD_TYPE_TABLE)
#define p4d_bad(v) (pgtable_l4_enabled() && !(p4d_val(v) & 2))
#define pgd_bad(v) 0   /* the P4D is folded: a PGD entry is never bad */

/* ---- stores: one each, whatever barriers follow them ---------------------------------- */

#define __set_pte_nosync(ptep, v) kshim_set(&(ptep)->pte, pte_val(v))
#define set_pmd(pmdp, v) kshim_set(&(pmdp)->pmd, pmd_val(v))
#define set_pud(pudp, v) kshim_set(&(pudp)->pud, pud_val(v))
#define __pmd_populate(pmdp, pa, prot) kshim_set(&(pmdp)->pmd, kshim_phys_to_desc(pa) | (prot))
#define __pud_populate(pudp, pa, prot) kshim_set(&(pudp)->pud, kshim_phys_to_desc(pa) | (prot))
/* Only with the PUD level there: 3 levels fold it, and p4d_none() never lets the code get here. */
#define __p4d_populate(p4dp, pa, prot) \
	(pgtable_l4_enabled() ? kshim_set(&(p4dp)->p4d, kshim_phys_to_desc(pa) | (prot)) : kshim_bug(__FILE__, __LINE__))
/* BUILD_BUG() in the kernel: 5 levels only. */
#define __pgd_populate(pgdp, pa, prot) ((void)(pgdp), (void)(pa), (void)(prot), kshim_bug(__FILE__, __LINE__))

/* ---- the fixmap: a table's slot by physical address ------------------------------------ */

#define KSHIM_PUD_DEPTH 1u
#define pte_offset_phys(pmdp, addr) (kshim_desc_pa(READ_ONCE(pmd_val(*(pmdp)))) + pte_index(addr) * sizeof(pte_t))
#define pmd_offset_phys(pudp, addr) (kshim_desc_pa(READ_ONCE(pud_val(*(pudp)))) + pmd_index(addr) * sizeof(pmd_t))
#define pud_offset_phys(p4dp, addr) (kshim_desc_pa(READ_ONCE(p4d_val(*(p4dp)))) + pud_index(addr) * sizeof(pud_t))
#define pte_set_fixmap(pa) ((pte_t *)kshim_fixmap(pa, KSHIM_PTE_DEPTH))
#define pmd_set_fixmap(pa) ((pmd_t *)kshim_fixmap(pa, KSHIM_PMD_DEPTH))
#define pud_set_fixmap(pa) (pgtable_l4_enabled() ? (pud_t *)kshim_fixmap(pa, KSHIM_PUD_DEPTH) : NULL)
#define p4d_set_fixmap(pa) ((p4d_t *)NULL)   /* folded */
#define pte_set_fixmap_offset(pmdp, addr) pte_set_fixmap(pte_offset_phys(pmdp, addr))
#define pmd_set_fixmap_offset(pudp, addr) pmd_set_fixmap(pmd_offset_phys(pudp, addr))
#define pud_set_fixmap_offset(p4dp, addr) \
	(pgtable_l4_enabled() ? pud_set_fixmap(pud_offset_phys(p4dp, addr)) : (pud_t *)(p4dp))
#define p4d_set_fixmap_offset(pgdp, addr) ((p4d_t *)(pgdp))
#define pte_clear_fixmap() ((void)0)
#define pmd_clear_fixmap() ((void)0)
#define pud_clear_fixmap() ((void)0)
#define p4d_clear_fixmap() ((void)0)

/* ---- the page allocator --------------------------------------------------------------- */

#define GFP_PGTABLE_KERNEL 1u
#define __GFP_ZERO 2u

/* 6.12's __pgd_pgtable_alloc(): a page by its address, 0 when there is none. */
static inline unsigned long kshim_get_free_page(void)
{
	uint64_t pfn = kshim_get_free_table(kshim_alloc_level);
	return pfn == ~0ull ? 0 : kshim_page_address(pfn);
}
#define __get_free_page(gfp) kshim_get_free_page()

/* Later trees' pagetable_alloc(), and the constructors they run on every level's table. */
static inline struct ptdesc *kshim_pagetable_alloc(void)
{
	uint64_t pfn = kshim_get_free_table(kshim_alloc_level);
	return pfn == ~0ull ? NULL : (struct ptdesc *)pfn_to_page(pfn);
}
#define pagetable_alloc(gfp, order) kshim_pagetable_alloc()
#define page_to_phys(page) ((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)
static inline bool kshim_ctor(struct ptdesc *pt)
{
	kshim_pagetable_ctor(page_to_pfn(ptdesc_page(pt)));
	return true;
}
#define pagetable_pte_ctor(mm, pt) kshim_ctor(pt)
#define pagetable_pmd_ctor(mm, pt) kshim_ctor(pt)
#define pagetable_pud_ctor(pt) ((void)kshim_ctor(pt))
#define pagetable_p4d_ctor(pt) ((void)kshim_ctor(pt))

#define pgattr_change_is_safe kshim_tree_pgattr_change_is_safe
bool kshim_tree_pgattr_change_is_safe(u64 old, u64 new);
#define pud_set_huge kshim_tree_pud_set_huge
#define pmd_set_huge kshim_tree_pmd_set_huge
int kshim_tree_pud_set_huge(pud_t *pudp, phys_addr_t phys, pgprot_t prot);
int kshim_tree_pmd_set_huge(pmd_t *pmdp, phys_addr_t phys, pgprot_t prot);

#endif
