/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-entry.h - included at the end of the extracted file: a name for the
 * static __remove_pgd_mapping() that the simulator can call.
 */
void kshim_tree_remove_pgd_mapping(unsigned long start, u64 size);

void kshim_tree_remove_pgd_mapping(unsigned long start, u64 size)
{
	__remove_pgd_mapping(init_mm.pgd, start, size);
}
