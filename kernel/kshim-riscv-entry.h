/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim-riscv-entry.h - included at the end of the extracted init.c: a name
 * for the static remove_linear_mapping() that the simulator can call
 * (vmemmap_free() is global already, renamed by kshim-riscv.h).
 */
void kriscv_tree_remove_linear_mapping(phys_addr_t start, u64 size);

void kriscv_tree_remove_linear_mapping(phys_addr_t start, u64 size)
{
	remove_linear_mapping(start, size);
}
