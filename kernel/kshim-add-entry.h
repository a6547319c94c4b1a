/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-add-entry.h - included at the end of the extracted hot-add code: a
 * name for the static __create_pgd_mapping() that the simulator can call,
 * with the tree's own __pgd_pgtable_alloc() as arch_add_memory() passes it.
 * The wrapper around it only notes which level is asked for, so that the
 * shim's __get_free_page() knows what the page will hold.
 */
void kshim_tree_create_pgd_mapping(phys_addr_t phys, unsigned long virt, phys_addr_t size, u64 prot, int flags);

static phys_addr_t kshim_pgtable_alloc(int shift)
{
	kshim_alloc_shift = shift;
	return __pgd_pgtable_alloc(shift);
}

void kshim_tree_create_pgd_mapping(phys_addr_t phys, unsigned long virt, phys_addr_t size, u64 prot, int flags)
{
	__create_pgd_mapping((pgd_t *)kshim_pgd(), phys, virt, size, __pgprot(prot), kshim_pgtable_alloc, flags);
}
