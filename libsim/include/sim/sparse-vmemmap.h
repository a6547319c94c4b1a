/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sparse-vmemmap.h - populating the vmemmap, every arch's part of it.
 * Kernel twin: mm/sparse-vmemmap.c (vmemmap_populate_{basepages,hugepages}),
 * with the hooks each arch gives it (vmemmap_check_pmd, vmemmap_set_pmd).
 */
#ifndef MHPSIM_SIM_SPARSE_VMEMMAP_H
#define MHPSIM_SIM_SPARSE_VMEMMAP_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;
struct mhp_err;

/* What an arch writes into the vmemmap's tables, and its hooks. */
struct vmemmap_req {
	uint64_t table_bits;        /* a table descriptor's bits (p?d_populate) */
	uint64_t pte_bits;          /* a base page's PTE (PAGE_KERNEL) */
	uint64_t pmd_bits;          /* a PMD leaf's bits */
	bool boot;                  /* from memblock, before the buddy is up */
	int nid;
	/* vmemmap_check_pmd(): whether a PMD already present needs nothing more (arm64: always; x86: a leaf). */
	bool (*check_pmd)(struct mhp_machine *m, uint64_t pmd, uint64_t addr, uint64_t next);
	/* vmemmap_set_pmd()'s arch part after a leaf is written (x86: the sub-PMD bookkeeping), or NULL. */
	void (*set_pmd)(struct mhp_machine *m, uint64_t addr, uint64_t next);
};

/*
 * Whether the vmemmap page at pfn goes back to its block's altmap
 * (vmem_altmap_free()) when it is freed: it came from one, and the remove
 * was given the altmap (the mutant add-error-drops-altmap drops it on an
 * add's error path, as add_memory_resource() did before f42ce5f087eb).
 */
bool vmemmap_altmap_page(const struct mhp_machine *m, uint64_t pfn);
/* The same for the vmemmap leaf at va: the altmap argument vmemmap_free() gets. */
bool vmemmap_from_altmap(const struct mhp_machine *m, uint64_t va);
/* Models vmemmap_alloc_block_buf(): memblock at boot, the altmap if there is one, else the node's buddy. */
int vmemmap_alloc_block_buf(struct mhp_machine *m, unsigned order, int nid, bool boot, uint64_t *pfn);
int vmemmap_populate_basepages(struct mhp_machine *m, uint64_t start, uint64_t end, const struct vmemmap_req *r);
int vmemmap_populate_hugepages(struct mhp_machine *m, uint64_t start, uint64_t end, const struct vmemmap_req *r);
/*
 * The vmemmap of [start, end) with PMD leaves (huge) or base pages, traced
 * after boot naming the leaves as the arch calls them: what every arch's
 * vmemmap_populate() ends with.
 */
int vmemmap_populate_range(struct mhp_machine *m, uint64_t start, uint64_t end, bool huge, const char *leaves,
			   const struct vmemmap_req *r);
/* Its trace line alone, for a populate that is not the model's (the tree's own, under the kernel strategy). */
void vmemmap_populate_trace(struct mhp_machine *m, uint64_t start, uint64_t end, const char *leaves, int ret);

/* The boot memmap of every section of boot RAM (each arch's boot_vmemmap). */
int vmemmap_populate_boot(struct mhp_machine *m, struct mhp_err *err);

#endif
