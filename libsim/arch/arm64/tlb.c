// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlb.c - arm64's flushes by address. Kernel twin:
 * arch/arm64/include/asm/tlbflush.h.
 */
#include "sim/machine.h"
#include "arm64.h"

/* MAX_DVM_OPS: above this many pages a range flush becomes flush_tlb_all. */
static uint64_t max_dvm_pages(const struct mhp_machine *m)
{
	return m->pt_geom.ptrs[m->pt_geom.levels - 1];
}

/* Models flush_tlb_kernel_range(): last-level entries of the range, or all past MAX_DVM_OPS. */
void flush_tlb_kernel_range(struct mhp_machine *m, uint64_t start, uint64_t end)
{
	if ((end - start) >> m->page_shift > max_dvm_pages(m)) {
		flush_tlb_all(m);
		return;
	}
	tlb_drop(m, start, end, true);
	m->tlb.nr_flush_range++;
	m->tlb.nr_flush_leaf += end - start == m->page_size;
}

/* Models __flush_tlb_kernel_pgtable(): every level of one address (TLBI VAAE1IS). */
void __flush_tlb_kernel_pgtable(struct mhp_machine *m, uint64_t addr)
{
	tlb_drop(m, addr, addr + 1, false);
	m->tlb.nr_flush_pgtable++;
}
