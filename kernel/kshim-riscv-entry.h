/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-riscv-entry.h - included at the end of the extracted init.c: names
 * for the static remove_linear_mapping() and create_linear_mapping_range()
 * that the simulator can call (vmemmap_free() is global already, renamed by
 * kshim-riscv.h).
 */
void kriscv_tree_remove_linear_mapping(phys_addr_t start, u64 size);

void kriscv_tree_remove_linear_mapping(phys_addr_t start, u64 size)
{
	remove_linear_mapping(start, size);
}

void kriscv_tree_create_linear_mapping_range(phys_addr_t start, phys_addr_t end, const pgprot_t *pgprot);

void kriscv_tree_create_linear_mapping_range(phys_addr_t start, phys_addr_t end, const pgprot_t *pgprot)
{
	create_linear_mapping_range(start, end, 0, pgprot);   /* no fixed size: best_map_size() chooses, as hot-add does */
}
