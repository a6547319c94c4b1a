/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * riscv.h - the RISC-V (riscv64) entry points the arch_ops table (arch.c)
 * names, and what the files of arch/riscv/ share. Nothing outside
 * arch/riscv/ includes it.
 */
#ifndef MHPSIM_RISCV_H
#define MHPSIM_RISCV_H

#include "sim/machine.h"
#include "arch/paging_mode.h"
#include "kernel.h"
#include "pgtable-bits.h"

/* RISC-V's teardown strategies, in registry order (arch.c): 6.12's, as the model walks it, and the tree's own. */
enum { RISCV_TEARDOWN_MODEL, RISCV_TEARDOWN_KERNEL };

/* pgtable.c: a paging mode's levels and fixed bases (PAGE_OFFSET, VMEMMAP_START). */
struct riscv_mode {
	unsigned va_bits, levels;
	uint64_t page_offset, vmemmap_start;
};
const struct riscv_mode *riscv_mode_of(unsigned va_bits);
unsigned riscv_pgdir_shift(const struct riscv_mode *mode);
uint64_t riscv_kern_virt_size(const struct riscv_mode *mode);
uint64_t riscv_page_end(const struct riscv_mode *mode);
int riscv_pgtable_init(struct mhp_machine *m, struct mhp_err *err);

/* init.c */
void riscv_memory_layout_init(struct mhp_machine *m);
int riscv_paging_init(struct mhp_machine *m, struct mhp_err *err);
void riscv_zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
			   uint64_t max_zone_pfn[MAX_NR_ZONES]);
int riscv_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
void riscv_free_initmem(struct mhp_machine *m);
uint64_t riscv_memory_block_size(const struct mhp_model *mo, const char **why);
int riscv_arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err);
void riscv_arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size);
void riscv_remove_linear_map(struct mhp_machine *m, uint64_t start, uint64_t size);
int riscv_vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot);
void riscv_vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);

#endif
