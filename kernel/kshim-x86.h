/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-x86.h - what arch/x86/mm/init_64.c's hot-remove code needs of the
 * kernel, mapped onto the simulator, so that the tree's own functions run
 * against the x86-64 machine's page tables (the technique of
 * tools/testing/memblock, as kshim.h does for arm64).
 *
 * Only this header is seen by the extracted code; the simulator is reached
 * through the kx86_*() hooks of libsim/arch/x86/kernel.c. Paging is read at
 * run time: 4 levels (the P4D folded into the PGD at run time, as a kernel
 * built with X86_5LEVEL folds it without LA57) or 5. Descriptors are the
 * simulator's, bit for bit; pointers to entries point into its table pages.
 * A struct page lives in a window of 512 the shim keeps for the pages being
 * freed: only its index (the bootmem_info magic) is read, and page++ walks
 * a 2 MiB block.
 *
 * Covered: the walkers, p?d_{none,present,leaf,large}, the clears, the
 * counts (update_page_count), flush_tlb_all, page freeing (free_pages,
 * free_reserved_page, put_page_bootmem, vmem_altmap_free, PageReserved).
 * Not covered: locking (the shim's spin_lock does nothing: one thread), the
 * PAGE_UNUSED bookkeeping of partly used vmemmap PMDs (vmemmap_pmd_is_unused
 * here only WARNs: whole sections never reach it). The add side
 * (kernel_physical_mapping_init() and phys_*_init()) is below.
 */
#ifndef MHPSIM_KSHIM_X86_H
#define MHPSIM_KSHIM_X86_H

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

struct page { unsigned long index; };   /* the bootmem_info magic (page->index); nothing else is read */
struct vmem_altmap;                     /* opaque: non-NULL when the memmap being freed came from the block */
typedef struct { int locked; } spinlock_t;
struct mm_struct { spinlock_t page_table_lock; };

/* ---- the simulator's side (libsim/arch/x86/kernel.c) ------------------------------------- */

unsigned kx86_levels(void);
uint64_t *kx86_table(uint64_t desc, unsigned depth);     /* the table a table descriptor points to */
uint64_t *kx86_pgd(void);
void kx86_set(uint64_t *entry, uint64_t value);          /* every store to a table goes through here */
void kx86_count_read(void);
uint64_t kx86_page_offset(void);
struct page *kx86_pfn_to_page(uint64_t pfn);
uint64_t kx86_page_to_pfn(const struct page *page);
uint64_t kx86_table_pfn(const void *first_entry);        /* the page of a table, from its entries */
bool kx86_page_reserved(uint64_t pfn);
void kx86_free_pages(uint64_t pfn, unsigned order);
void kx86_free_reserved_page(uint64_t pfn);
void kx86_put_page_bootmem(uint64_t pfn);
void kx86_altmap_free(struct vmem_altmap *altmap, uint64_t pfn, unsigned long nr);
void kx86_flush_tlb_all(void);
void kx86_update_page_count(int level, long pages);
bool kx86_warn(bool cond, const char *file, int line);
struct mm_struct *kx86_init_mm(void);

/* ---- attributes, compiler and debugging ------------------------------------ */

#define __init
#define __meminit
#define __ref
#define READ_ONCE(x) (x)   /* loads are counted where a descriptor's value is taken: p?d_val() */
static inline bool kx86_warn_on(bool cond, const char *file, int line)
{
	return cond ? kx86_warn(cond, file, line) : false;
}
#define WARN_ON(cond) kx86_warn_on(!!(cond), __FILE__, __LINE__)
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define VM_BUG_ON(cond) ((void)WARN_ON(cond))
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(0 && (cond))]))   /* its operand is read as code: no load */
#define init_mm (*kx86_init_mm())
#define spin_lock(l) ((void)(l))
#define spin_unlock(l) ((void)(l))

/* ---- geometry (asm/pgtable_64_types.h, page_types.h) ------------------------------ */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PUD_SHIFT 30
#define P4D_SHIFT 39
#define PGDIR_SHIFT (pgtable_l5_enabled() ? 48 : 39)
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)
#define P4D_SIZE (1UL << P4D_SHIFT)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PTRS_PER_PTE 512
#define PTRS_PER_PMD 512
#define PTRS_PER_PUD 512
#define PTRS_PER_P4D (pgtable_l5_enabled() ? 512 : 1)
#define PTRS_PER_PGD 512
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define __va(pa) ((void *)(uintptr_t)((unsigned long)(pa) + kx86_page_offset()))

static inline bool pgtable_l5_enabled(void) { return kx86_levels() == 5; }

/* include/linux/pgtable.h: the next boundary of a level, or end. */
static inline unsigned long kx86_addr_end(unsigned long addr, unsigned long end, unsigned long size)
{
	unsigned long boundary = (addr + size) & ~(size - 1);
	return boundary - 1 < end - 1 ? boundary : end;
}
#define pgd_addr_end(addr, end) kx86_addr_end(addr, end, PGDIR_SIZE)
#define p4d_addr_end(addr, end) kx86_addr_end(addr, end, P4D_SIZE)
#define pud_addr_end(addr, end) kx86_addr_end(addr, end, PUD_SIZE)
#define pmd_addr_end(addr, end) kx86_addr_end(addr, end, PMD_SIZE)

/* ---- descriptors (asm/pgtable_types.h, pgtable.h) ----------------------------------- */

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_PSE (1UL << 7)
#define _PAGE_GLOBAL (1UL << 8)
#define _PAGE_PROTNONE _PAGE_GLOBAL   /* what bit 8 means when not present */
#define PTE_PFN_MASK 0x000ffffffffff000UL

/*
 * Every read of an entry in the source (pte_present(*pte), pmd_page(*pmd),
 * pte_val(*pte), ...) takes its value through exactly one of these: each
 * counts one descriptor load, as the model counts them (arch/x86/init_64.c).
 */
#define pte_val(x) (kx86_count_read(), (x).pte)
#define pmd_val(x) (kx86_count_read(), (x).pmd)
#define pud_val(x) (kx86_count_read(), (x).pud)
#define p4d_val(x) (kx86_count_read(), (x).p4d)
#define pgd_val(x) (kx86_count_read(), (x).pgd)

#define pte_none(pte) (!pte_val(pte))
#define pte_present(pte) (!!(pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE)))
#define pmd_none(pmd) (!pmd_val(pmd))
#define pmd_present(pmd) (!!(pmd_val(pmd) & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE)))
#define pmd_leaf(pmd) (!!(pmd_val(pmd) & _PAGE_PSE))
#define pmd_large(pmd) pmd_leaf(pmd)   /* its name before 6.9 */
#define pud_none(pud) (!pud_val(pud))
#define pud_present(pud) (!!(pud_val(pud) & _PAGE_PRESENT))
#define pud_leaf(pud) (!!(pud_val(pud) & _PAGE_PSE))
#define pud_large(pud) pud_leaf(pud)
#define p4d_none(p4d) (!p4d_val(p4d))
#define p4d_present(p4d) (!!(p4d_val(p4d) & _PAGE_PRESENT))
#define p4d_leaf(p4d) 0   /* x86 has no P4D leaves */
#define p4d_large(p4d) 0
/* With 4 levels at run time the PGD is the P4D: pgd_present() is true whatever the entry holds (it is still read). */
static inline bool kx86_pgd_present(uint64_t v) { return !pgtable_l5_enabled() || (v & _PAGE_PRESENT); }
#define pgd_present(pgd) kx86_pgd_present(pgd_val(pgd))

/* ---- walking and writing ------------------------------------------------------- */

static inline unsigned long kx86_index(unsigned long addr, unsigned shift, unsigned long ptrs)
{
	return (addr >> shift) & (ptrs - 1);
}
#define pgd_index(a) kx86_index(a, PGDIR_SHIFT, PTRS_PER_PGD)
#define p4d_index(a) kx86_index(a, P4D_SHIFT, PTRS_PER_P4D)
#define pud_index(a) kx86_index(a, PUD_SHIFT, PTRS_PER_PUD)
#define pmd_index(a) kx86_index(a, PMD_SHIFT, PTRS_PER_PMD)
#define pte_index(a) kx86_index(a, PAGE_SHIFT, PTRS_PER_PTE)

/* The depth of a table of this level: the PGD is 0; with 4 levels the PUD is 1. */
#define KX86_DEPTH(level_from_pte) (kx86_levels() - 1 - (level_from_pte))

static inline pgd_t *pgd_offset_k(unsigned long addr)
{
	return (pgd_t *)kx86_pgd() + pgd_index(addr);
}

static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long addr)
{
	if (!pgtable_l5_enabled())
		return (p4d_t *)pgd;   /* folded at run time */
	return (p4d_t *)kx86_table(pgd_val(*pgd), 1) + p4d_index(addr);
}

static inline pud_t *pud_offset(p4d_t *p4d, unsigned long addr)
{
	return (pud_t *)kx86_table(p4d_val(*p4d), KX86_DEPTH(2)) + pud_index(addr);
}

static inline pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{
	return (pmd_t *)kx86_table(pud_val(*pud), KX86_DEPTH(1)) + pmd_index(addr);
}

#define pmd_page_vaddr(pmd) ((unsigned long)kx86_table(pmd_val(pmd), KX86_DEPTH(0)))

#define pte_clear(mm, addr, ptep) kx86_set(&(ptep)->pte, 0)
#define pmd_clear(pmdp) kx86_set(&(pmdp)->pmd, 0)
#define pud_clear(pudp) kx86_set(&(pudp)->pud, 0)
#define p4d_clear(p4dp) kx86_set(&(p4dp)->p4d, 0)

/* ---- pages ---------------------------------------------------------------------- */

#define pfn_to_page(pfn) kx86_pfn_to_page(pfn)
#define page_to_pfn(page) kx86_page_to_pfn(page)
#define pte_page(pte) pfn_to_page((pte_val(pte) & PTE_PFN_MASK) >> PAGE_SHIFT)
#define pmd_page(pmd) pfn_to_page((pmd_val(pmd) & PTE_PFN_MASK) >> PAGE_SHIFT)
#define pud_page(pud) pfn_to_page((pud_val(pud) & PTE_PFN_MASK) >> PAGE_SHIFT)
#define p4d_page(p4d) pfn_to_page((p4d_val(p4d) & PTE_PFN_MASK) >> PAGE_SHIFT)
#define page_address(page) ((void *)(uintptr_t)(((unsigned long)page_to_pfn(page) << PAGE_SHIFT) + kx86_page_offset()))
#define PageReserved(page) kx86_page_reserved(page_to_pfn(page))
#define __ClearPageReserved(page) ((void)(page))   /* 6.1's free_pagetable(): free_reserved_page() does it */
#define free_pages(addr, order) kx86_free_pages(((unsigned long)(addr) - kx86_page_offset()) >> PAGE_SHIFT, order)
#define free_reserved_page(page) kx86_free_reserved_page(page_to_pfn(page))
#define put_page_bootmem(page) kx86_put_page_bootmem(page_to_pfn(page))
/* vmem_altmap_free() only counts; the simulator needs the pages too, and the one caller has them in page. */
#define vmem_altmap_free(altmap, nr) kx86_altmap_free(altmap, page_to_pfn(page), nr)
#define SECTION_INFO 12UL       /* enum bootmem_type (include/linux/bootmem_info.h) */
#define MIX_SECTION_INFO 13UL

static inline unsigned get_order(unsigned long size)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* ---- TLB and counts (arch/x86/mm/tlb.c, pat/set_memory.c) ------------------------- */

#define flush_tlb_all() kx86_flush_tlb_all()
enum pg_level { PG_LEVEL_NONE, PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_512G, PG_LEVEL_NUM };
#define update_page_count(level, pages) kx86_update_page_count(level, (long)(pages))

/*
 * vmemmap_pmd_is_unused() is init_64.c's own, but it writes PAGE_UNUSED into
 * the struct pages themselves; the model adds and removes whole sections,
 * whose memmap is one aligned PMD, so the extracted code never calls it.
 * Here it WARNs if it ever is, and keeps the leaf.
 */
static inline bool vmemmap_pmd_is_unused(unsigned long addr, unsigned long end)
{
	(void)addr, (void)end;
	WARN_ON(1);
	return false;
}

/* ---- the add side: kernel_physical_mapping_init() and its phys_*_init() levels ------- */

/* A table page for the caller's level (phys_pmd_init() wants a PTE table, ...): its entries. */
uint64_t *kx86_alloc_low_page(const char *caller);
_Noreturn void kx86_bug(const char *file, int line);

typedef struct { uint64_t pgprot; } pgprot_t;
#define pgprot_val(x) ((x).pgprot)
#define __pgprot(x) ((pgprot_t){ (x) })
#define __pte(x) ((pte_t){ (x) })
#define __pmd(x) ((pmd_t){ (x) })
#define __pud(x) ((pud_t){ (x) })
#define __p4d(x) ((p4d_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })
#define _PAGE_RW (1UL << 1)
#define _PAGE_USER (1UL << 2)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY (1UL << 6)
/* What p?d_populate() links a kernel table with (asm/pgalloc.h): _PAGE_USER too, the leaf decides. */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PMD_MASK (~(PMD_SIZE - 1))
#define PUD_MASK (~(PUD_SIZE - 1))
#define P4D_MASK (~(P4D_SIZE - 1))
#define PGDIR_MASK (~(PGDIR_SIZE - 1))
#define __pa(va) ((unsigned long)(va) - kx86_page_offset())   /* the direct map starts at physical 0 */
#define after_bootmem 1   /* hot-add: the buddy allocator is up, boot's e820 walk is not reached */
#define E820_TYPE_RAM 1
#define E820_TYPE_ACPI 3
#define E820_TYPE_RESERVED_KERN 128
#define e820__mapped_any(start, end, type) ((void)(start), (void)(end), kx86_bug(__FILE__, __LINE__), false)
#ifndef pr_info   /* the simulator's side has its own (sim/printk.h); the extracted code's is under if (0) */
#define pr_info(...) ((void)0)
#endif
#define pfn_pte(pfn, prot) __pte((((uint64_t)(pfn) << PAGE_SHIFT) & PTE_PFN_MASK) | pgprot_val(prot))
#define pfn_pmd(pfn, prot) __pmd((((uint64_t)(pfn) << PAGE_SHIFT) & PTE_PFN_MASK) | pgprot_val(prot))
#define pfn_pud(pfn, prot) __pud((((uint64_t)(pfn) << PAGE_SHIFT) & PTE_PFN_MASK) | pgprot_val(prot))
#define prot_sethuge(prot) __pgprot(pgprot_val(prot) | _PAGE_PSE)
/* Splitting an existing leaf the mask does not allow: a fresh hot-add never meets one. */
#define pte_clrhuge(pte) (pte)
#define pte_pgprot(pte) (kx86_bug(__FILE__, __LINE__), __pgprot(0))
#define alloc_low_page() ((void *)kx86_alloc_low_page(__func__))
#define pgd_page_vaddr(pgd) ((unsigned long)kx86_table(pgd_val(pgd), 1))
/* The model keeps no per-process PGDs to copy the kernel's entries into. */
#define sync_global_pgds(start, end) ((void)(start), (void)(end))

/* set_p?d_safe(): a WARN if a present entry would change; then the store. init picks them (DEFINE_ENTRY). */
#define KX86_SET_SAFE(type, ptr, v) \
	((void)WARN_ON_ONCE(type##_present(*(ptr)) && type##_val(*(ptr)) != (v).type), kx86_set(&(ptr)->type, (v).type))
#define KX86_SET_INIT(type, ptr, v, init) \
	((init) ? KX86_SET_SAFE(type, ptr, v) : kx86_set(&(ptr)->type, (v).type))
#define set_pte_init(ptep, v, init) KX86_SET_INIT(pte, ptep, v, init)
#define set_pmd_init(pmdp, v, init) KX86_SET_INIT(pmd, pmdp, v, init)
#define set_pud_init(pudp, v, init) KX86_SET_INIT(pud, pudp, v, init)
#define set_p4d_init(p4dp, v, init) KX86_SET_INIT(p4d, p4dp, v, init)
#define KX86_TABLE_PA(table) ((uint64_t)kx86_table_pfn(table) << PAGE_SHIFT)
#define pmd_populate_kernel_init(mm, pmdp, pte, init) set_pmd_init(pmdp, __pmd(KX86_TABLE_PA(pte) | _PAGE_TABLE), init)
#define pud_populate_init(mm, pudp, pmd, init) set_pud_init(pudp, __pud(KX86_TABLE_PA(pmd) | _PAGE_TABLE), init)
#define p4d_populate_init(mm, p4dp, pud, init) set_p4d_init(p4dp, __p4d(KX86_TABLE_PA(pud) | _PAGE_TABLE), init)
/* With 4 levels pgd_populate() does nothing; the code calls it with 5 only. */
#define pgd_populate_init(mm, pgdp, p4d, init) \
	((void)WARN_ON_ONCE((init) && kx86_pgd_present(pgd_val(*(pgdp)))), kx86_set(&(pgdp)->pgd, KX86_TABLE_PA(p4d) | _PAGE_TABLE))

/* ---- the extracted entry points, renamed away from the simulator's own ---------- */

#define vmemmap_free kx86_tree_vmemmap_free
void kx86_tree_vmemmap_free(unsigned long start, unsigned long end, struct vmem_altmap *altmap);
#define kernel_physical_mapping_init kx86_tree_kernel_physical_mapping_init
unsigned long kx86_tree_kernel_physical_mapping_init(unsigned long paddr_start, unsigned long paddr_end,
						      unsigned long page_size_mask, pgprot_t prot);

#endif
