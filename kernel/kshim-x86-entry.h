/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-x86-entry.h - included at the end of the extracted init_64.c: a name
 * for the static kernel_physical_mapping_remove() that the simulator can call.
 */
void kx86_tree_kernel_physical_mapping_remove(unsigned long start, unsigned long end);

void kx86_tree_kernel_physical_mapping_remove(unsigned long start, unsigned long end)
{
	kernel_physical_mapping_remove(start, end);
}
