/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86.h - the x86-64 entry points the arch_ops table (arch.c) names, and what
 * the files of arch/x86/ share. Nothing outside arch/x86/ includes it.
 */
#ifndef MHPSIM_X86_H
#define MHPSIM_X86_H

#include "sim/machine.h"
#include "arch/paging_mode.h"
#include "kernel.h"
#include "pgtable_types.h"
#include "set_memory.h"

/* The model's cpu_features bits (cpu_feature_words in arch.c). */
#define X86_FEATURE_GBPAGES (1u << 0)   /* pdpe1gb */

/* x86's teardown strategies, in registry order (arch.c): 6.12's, as the model walks it, and the tree's own. */
enum { X86_TEARDOWN_MODEL, X86_TEARDOWN_KERNEL };

/* page_size_mask bits (arch/x86/mm/init.c). */
#define PSM_2M (1u << PG_LEVEL_2M)
#define PSM_1G (1u << PG_LEVEL_1G)

/* pgtable.c */
int x86_pgtable_init(struct mhp_machine *m, struct mhp_err *err);

/* init.c */
void x86_memory_layout_init(struct mhp_machine *m);
uint64_t init_memory_mapping(struct mhp_machine *m, uint64_t start, uint64_t end, bool boot);
int x86_paging_init(struct mhp_machine *m, struct mhp_err *err);
void x86_zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
			 uint64_t max_zone_pfn[MAX_NR_ZONES]);
int x86_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
void x86_free_initmem(struct mhp_machine *m);
uint64_t probe_memory_block_size(const struct mhp_model *mo, const char **why);

/* init_64.c */
uint64_t kernel_physical_mapping_init(struct mhp_machine *m, uint64_t start, uint64_t end, unsigned mask, bool boot);
int x86_arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err);
void x86_arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size);
void x86_remove_linear_map(struct mhp_machine *m, uint64_t start, uint64_t size);
int x86_vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot);
void x86_vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);

/* set_memory.c (update_page_count() in set_memory.h) */
void x86_report_meminfo(const struct mhp_machine *m, struct strbuf *sb);

/* dump_pagetables.c */
void x86_ptdump_show(const struct mhp_machine *m, struct strbuf *sb);

#endif
