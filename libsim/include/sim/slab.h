/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab.h - the kernel's own small allocations after boot, by cause: the slab
 * pages its objects fill and the transient pages a step's processes take.
 * Kernel twins: mm/slub.c, drivers/base/memory.c, fs/kernfs, kernel/fork.c.
 */
#ifndef MHPSIM_SIM_SLAB_H
#define MHPSIM_SIM_SLAB_H

#include "sim/kernel.h"
#include "sim/model.h"

/* A slab cache's migrate type: plain kmalloc/kmem_cache objects, or SLAB_RECLAIM_ACCOUNT ones. */
enum slab_class { SLAB_UNMOVABLE, SLAB_RECLAIMABLE, NR_SLAB_CLASSES };

/* What the objects of one node hold: bytes in use and the slab pages that hold them. */
struct kmem_node {
	uint64_t bytes[NR_SLAB_CLASSES];
	uint64_t pages[NR_SLAB_CLASSES];
};

struct mhp_machine;
struct memory_block;

void kmem_objects_add(struct mhp_machine *m, int nid, enum slab_class c, uint64_t bytes);
void kmem_objects_free(struct mhp_machine *m, int nid, enum slab_class c, uint64_t bytes);
void memory_block_slab_add(struct mhp_machine *m);
void memory_block_slab_free(struct mhp_machine *m, struct memory_block *mem);
void kernel_step_begin(struct mhp_machine *m);
void kernel_step_end(struct mhp_machine *m);

#endif
