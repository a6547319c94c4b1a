/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-add-entry.h - included at the end of the extracted hot-add code: a
 * name for the static __create_pgd_mapping() that the simulator can call,
 * with the tree's own __pgd_pgtable_alloc() as arch_add_memory() passes it.
 * The wrapper around it only notes which level is asked for, so that the
 * shim's __get_free_page() knows what the page will hold.
 */
int kshim_tree_create_pgd_mapping(phys_addr_t phys, unsigned long virt, phys_addr_t size, u64 prot, int flags);

#ifdef KSHIM_CREATE_RETURNS_INT
/* Later trees: arch_add_memory() passes pgd_pgtable_alloc_init_mm(), which constructs every level's table. */
static phys_addr_t kshim_pgtable_alloc(enum pgtable_level level)
{
	kshim_alloc_level = level;
	return pgd_pgtable_alloc_init_mm(level);
}
#else
/* 6.12: arch_add_memory() passes __pgd_pgtable_alloc(), which constructs nothing; the shift names the level. */
static phys_addr_t kshim_pgtable_alloc(int shift)
{
	kshim_alloc_level = shift == PAGE_SHIFT ? 0 : shift == PMD_SHIFT ? 1 : shift == PUD_SHIFT ? 2 : 3;
	return __pgd_pgtable_alloc(shift);
}
#endif

/* 0, or the error a tree that returns one gives (6.12's returns nothing: it BUGs instead). */
int kshim_tree_create_pgd_mapping(phys_addr_t phys, unsigned long virt, phys_addr_t size, u64 prot, int flags)
{
#ifdef KSHIM_CREATE_RETURNS_INT
	return __create_pgd_mapping((pgd_t *)kshim_pgd(), phys, virt, size, __pgprot(prot), kshim_pgtable_alloc, flags);
#else
	__create_pgd_mapping((pgd_t *)kshim_pgd(), phys, virt, size, __pgprot(prot), kshim_pgtable_alloc, flags);
	return 0;
#endif
}
