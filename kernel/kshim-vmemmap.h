/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-vmemmap.h - what the vmemmap's population at hot-add needs of the
 * kernel (kernel/extract-vmemmap.sh: arm64's vmemmap_populate(),
 * vmemmap_check_pmd() and vmemmap_set_pmd(); mm/sparse-vmemmap.c's walk),
 * on top of kshim-add.h.
 *
 * Ours, not the tree's: the levels above the PTEs (vmemmap_p?d_populate():
 * "the entry, with a zeroed table under it if it was none", each new table
 * one counted store), and the page allocator (vmemmap_alloc_block_buf(): the
 * block's altmap when it has one, else the buddy allocator). A struct page
 * is 64 bytes, as on every configuration the models follow.
 */
#ifndef MHPSIM_KSHIM_VMEMMAP_H
#define MHPSIM_KSHIM_VMEMMAP_H

#include "kshim-add.h"

struct page { unsigned char bytes[64]; };   /* sizeof() is all the code asks of it */

/* ---- configuration and helpers ----------------------------------------------------- */

#define IS_ENABLED(option) (option)
#define CONFIG_ARM64_4K_PAGES (PAGE_SIZE == SZ_4K)
#define PAGES_PER_SECTION kshim_pages_per_section()
#define PAGE_KERNEL __pgprot(kshim_prot_page_kernel())
#define PROT_SECT_NORMAL kshim_prot_sect_normal()
#define __weak __attribute__((weak))
#define LOCAL_DISTANCE 10
#define early_pfn_to_nid(pfn) kshim_pfn_nid(pfn)
#define node_distance(a, b) kshim_node_distance(a, b)
#define pr_warn_once(...) kshim_pr_warn_once(__VA_ARGS__)
#define pr_debug(...) ((void)0)
#define pmdp_get(pmdp) READ_ONCE(*(pmdp))
#define ptep_get(ptep) __ptep_get(ptep)
#define set_pte_at(mm, addr, ptep, v) kshim_set(&(ptep)->pte, pte_val(v))
/* Only vmemmap_populate_compound_pages() passes a page to reuse; hot-add here never does. */
#define get_page(page) kshim_bug(__FILE__, __LINE__)
#define page_to_virt(page) ((void *)page_address(page))

/* ---- the levels above the PTEs, and the allocator (ours) -------------------------------- */

/* The P4D is folded into the PGD; with 3 levels the PUD is too (pgtable-nop4d.h, pgtable-nopud.h). */
static inline pgd_t *vmemmap_pgd_populate(unsigned long addr, int node)
{
	(void)node;
	return (pgd_t *)kshim_vmemmap_entry(addr, 0, false);
}

static inline p4d_t *vmemmap_p4d_populate(pgd_t *pgd, unsigned long addr, int node)
{
	(void)node;
	return pgtable_l4_enabled() ? (p4d_t *)kshim_vmemmap_entry(addr, 0, true) : (p4d_t *)pgd;
}

static inline pud_t *vmemmap_pud_populate(p4d_t *p4d, unsigned long addr, int node)
{
	(void)node, (void)p4d;
	return (pud_t *)kshim_vmemmap_entry(addr, pgtable_l4_enabled() ? 1 : 0, true);
}

static inline pmd_t *vmemmap_pmd_populate(pud_t *pud, unsigned long addr, int node)
{
	(void)node, (void)pud;
	return (pmd_t *)kshim_vmemmap_entry(addr, KSHIM_PMD_DEPTH, true);
}

static inline void *vmemmap_alloc_block_buf(unsigned long size, int node, struct vmem_altmap *altmap)
{
	(void)node, (void)altmap;   /* the simulator's add has the altmap too */
	return (void *)kshim_vmemmap_alloc(size);
}

/* ---- the extracted functions, renamed away from the simulator's own --------------------- */

#define vmemmap_populate kshim_tree_vmemmap_populate
#define vmemmap_populate_basepages kshim_tree_vmemmap_populate_basepages
#define vmemmap_populate_hugepages kshim_tree_vmemmap_populate_hugepages
#define vmemmap_pte_populate kshim_tree_vmemmap_pte_populate
#define vmemmap_verify kshim_tree_vmemmap_verify
#define vmemmap_check_pmd kshim_tree_vmemmap_check_pmd
#define vmemmap_set_pmd kshim_tree_vmemmap_set_pmd
int kshim_tree_vmemmap_populate(unsigned long start, unsigned long end, int node, struct vmem_altmap *altmap);
int kshim_tree_vmemmap_populate_basepages(unsigned long start, unsigned long end, int node,
					  struct vmem_altmap *altmap);
int kshim_tree_vmemmap_populate_hugepages(unsigned long start, unsigned long end, int node,
					  struct vmem_altmap *altmap);
pte_t *kshim_tree_vmemmap_pte_populate(pmd_t *pmd, unsigned long addr, int node, struct vmem_altmap *altmap,
				       struct page *reuse);
void kshim_tree_vmemmap_verify(pte_t *pte, int node, unsigned long start, unsigned long end);
int kshim_tree_vmemmap_check_pmd(pmd_t *pmdp, int node, unsigned long addr, unsigned long next);
void kshim_tree_vmemmap_set_pmd(pmd_t *pmdp, void *p, int node, unsigned long addr, unsigned long next);

#endif
