/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.h - the "kernel" teardown strategy on x86-64 (kernel.c): the tree's
 * own remove_pagetable(), for init_64.c to call; kernel.c cannot see x86.h
 * (the shim defines the kernel's names).
 */
#ifndef MHPSIM_X86_KERNEL_H
#define MHPSIM_X86_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;
/* The tree's kernel_physical_mapping_remove() (direct) or vmemmap_free() over [start, end) of VA. */
void x86_kernel_remove_pagetable(struct mhp_machine *m, uint64_t start, uint64_t end, bool direct, bool altmap);
bool x86_kernel_teardown_built(void);
/*
 * The tree's kernel_physical_mapping_init() over [start, end) of physical
 * memory with the page_size_mask and prot init_memory_mapping() gives it:
 * end, or start when a table allocation failed (the kernel would oops on
 * alloc_low_page()'s NULL).
 */
/* After a failed add: a table built but never linked, and what it holds, dropped (init_64.c). */
struct pt_table;
void x86_drop_unlinked(struct mhp_machine *m, struct pt_table *t);
uint64_t x86_kernel_physical_mapping_init(struct mhp_machine *m, uint64_t start, uint64_t end, unsigned mask,
					  uint64_t prot);

#endif
