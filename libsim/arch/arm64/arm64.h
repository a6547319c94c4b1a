/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arm64.h - the arm64 entry points the arch_ops table (arch.c) names, and
 * what the files of arch/arm64/ share. Nothing outside arch/arm64/ includes it.
 */
#ifndef MHPSIM_ARM64_H
#define MHPSIM_ARM64_H

#include "sim/machine.h"
#include "pgtable-hwdef.h"

void zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
		     uint64_t max_zone_pfn[MAX_NR_ZONES]);
int arm64_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
void arm64_free_initmem(struct mhp_machine *m);
void arm64_memory_layout_init(struct mhp_machine *m);
int arm64_paging_init(struct mhp_machine *m, struct mhp_err *err);
int arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err);
void arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size);
void arm64_remove_linear_map(struct mhp_machine *m, uint64_t start, uint64_t size);
int vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot);
void vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);
void vmemmap_backing_free(struct mhp_machine *m, uint64_t pfn, unsigned order);
bool kernel_teardown_built(void);
void kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t size);
void kernel_vmemmap_free(struct mhp_machine *m, uint64_t start, uint64_t end, bool altmap);
/* How a hot-add's __create_pgd_mapping() ended. */
enum create_result {
	CREATE_OK,
	CREATE_ENOMEM,       /* it returned -ENOMEM (trees with bfc184cb1ba7): the caller unwinds */
	CREATE_BUG_NOMEM,    /* it BUGged on a failed table allocation (6.12, and the model of it) */
	CREATE_BUG,          /* another BUG_ON fired: an oops */
};
/* The tree's own hot-add of the linear map (teardown/kernel.c), where the tree has the functions. */
bool kernel_add_built(void);
int kernel_create_pgd_mapping(struct mhp_machine *m, uint64_t pa, uint64_t size, uint64_t prot, unsigned flags);
/* The tree's own vmemmap_populate() (teardown/kernel.c), where the tree has 6.12's shape of it. */
bool kernel_vmemmap_built(void);
int kernel_vmemmap_populate(struct mhp_machine *m, uint64_t start, uint64_t end, int nid, bool altmap);
int prevent_bootmem_remove_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);
extern const struct ptdump_fmt arm64_ptdump;
void flush_tlb_kernel_range(struct mhp_machine *m, uint64_t start, uint64_t end);
void __flush_tlb_kernel_pgtable(struct mhp_machine *m, uint64_t addr);
const char *arm64_teardown_name(unsigned i);
bool arm64_teardown_built(unsigned i);
const char *arm64_teardown_formerly(unsigned i);

#endif
