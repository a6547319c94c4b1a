/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_loop.h - what the shims of a kernel tree's own page-table code share
 * (arm64's teardown/kernel.c, x86's and RISC-V's kernel.c): the machine the code runs on
 * during one call, the tables its walk was handed, its WARNs, and the
 * stores it makes into the machine's tables through entry pointers.
 */
#ifndef MHPSIM_ARCH_KERNEL_LOOP_H
#define MHPSIM_ARCH_KERNEL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/pgtable.h"

struct mhp_machine;

/* One call into the tree's code (the library is single-threaded: one at a time). */
struct kloop {
	struct mhp_machine *m;
	struct pt_table *recent[PT_MAX_DEPTH];   /* the last table handed out at each depth */
	uint64_t recent_desc[PT_MAX_DEPTH];       /* the descriptor it was reached by */
};

void kloop_enter(struct kloop *k, struct mhp_machine *m);
void kloop_leave(struct kloop *k);
/* The tree's WARN_ON: traced with its file (from "arch/") and line, counted. */
bool kloop_warn(struct kloop *k, bool cond, const char *file, int line);
/* The entries of the table desc points to at depth, or a stand-in of none (after a WARN at file:line). */
uint64_t *kloop_table(struct kloop *k, uint64_t desc, unsigned depth, const char *file, int line);
uint64_t *kloop_pgd(struct kloop *k);
/* A store through an entry pointer: into the table that holds it, with its bookkeeping. */
void kloop_set(struct kloop *k, uint64_t *entry, uint64_t value);
/* The page of the table whose first entry this is (virt_to_page of a table). */
uint64_t kloop_table_pfn(struct kloop *k, const void *first_entry);
/* Whether entry lies in a table the walk holds (the last handed out at some depth): a load from the tables, not a copy. */
bool kloop_holds(const struct kloop *k, const void *entry);
/* A table the tree's code frees: forgotten by the walk, out of the store with its page. */
void kloop_release(struct kloop *k, struct pt_table *t);
/* PageReserved(): memblock's pages (boot tables, the boot memmap). */
bool kloop_page_reserved(const struct kloop *k, uint64_t pfn);
/* free_pages() of a table page (out of the store) or of vmemmap backing (noted if still cached). */
void kloop_free_pages(struct kloop *k, uint64_t pfn, unsigned order);
/* free_reserved_page(): a memblock page to the buddy, managed from now on. */
void kloop_free_reserved_page(struct kloop *k, uint64_t pfn);

#endif
