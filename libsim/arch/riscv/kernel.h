/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.h - the "kernel" teardown strategy on RISC-V (kernel.c): the tree's
 * own remove_pgd_mapping(), for init.c to call; kernel.c cannot see riscv.h
 * (the shim defines the kernel's names).
 */
#ifndef MHPSIM_RISCV_KERNEL_H
#define MHPSIM_RISCV_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;
/* The tree's remove_pgd_mapping() over [va, end): the linear map's (remove_linear_mapping) or the vmemmap's (vmemmap_free). */
void riscv_kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t end, bool is_vmemmap, bool altmap);
bool riscv_kernel_teardown_built(void);

#endif
