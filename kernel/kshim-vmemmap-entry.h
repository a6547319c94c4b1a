/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-vmemmap-entry.h - included at the end of the extracted vmemmap code:
 * the tree's vmemmap_populate() with an altmap when the simulator's add has
 * one (the shim never looks inside it).
 */
int kshim_tree_vmemmap_populate_altmap(unsigned long start, unsigned long end, int node, bool altmap);

int kshim_tree_vmemmap_populate_altmap(unsigned long start, unsigned long end, int node, bool altmap)
{
	static int token;
	return vmemmap_populate(start, end, node, altmap ? (struct vmem_altmap *)&token : NULL);
}
