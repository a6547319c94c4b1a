// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel.c - the "kernel" teardown strategy on RISC-V: arch/riscv/mm/init.c's
 * own hot-remove functions, taken from a kernel tree at build time. Until
 * the extraction lands, the strategy is not built.
 */
#include "sim/kernel.h"
#include "kernel.h"

void riscv_kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t end, bool is_vmemmap, bool altmap)
{
	(void)m, (void)va, (void)end, (void)is_vmemmap, (void)altmap;
	MHP_ASSERT(!"built without a kernel tree");
}

bool riscv_kernel_teardown_built(void)
{
	return false;
}
