/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.h - the "kernel" strategy on RISC-V (kernel.c): the tree's own
 * remove_pgd_mapping() and create_linear_mapping_range(), for init.c to call; kernel.c cannot see riscv.h
 * (the shim defines the kernel's names).
 */
#ifndef MHPSIM_RISCV_KERNEL_H
#define MHPSIM_RISCV_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;
/* The tree's remove_pgd_mapping() over [va, end): the linear map's (remove_linear_mapping) or the vmemmap's (vmemmap_free). */
void riscv_kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t end, bool is_vmemmap, bool altmap);
/*
 * The tree's create_linear_mapping_range() over [start, end) with prot (hot-add's params->pgprot): false when
 * it stopped at a BUG_ON (a page-table allocation failed), after storing what it had.
 */
bool riscv_kernel_create_linear_mapping(struct mhp_machine *m, uint64_t start, uint64_t end, uint64_t prot);
bool riscv_kernel_teardown_built(void);

#endif
