// SPDX-License-Identifier: GPL-2.0-only
/*
 * slab.c - the kernel's own allocations after boot, modelled by cause
 * (docs/model.md, "The kernel's own allocations"). Kernel twins: mm/slub.c
 * for how objects become pages, and the paths that make them:
 * drivers/base/memory.c (add_memory_block), fs/kernfs (a sysfs file's dentry
 * and inode on first lookup), kernel/fork.c (a process's page tables and stack).
 *
 * The model keeps bytes, not objects: a class's objects take a new slab page
 * from the buddy allocator (order 0, the class's migrate type, the node's
 * highest zone first as GFP_KERNEL prefers) when they outgrow the pages the
 * class has; freed objects leave their pages behind (SLUB keeps partial slabs).
 * The sizes are fitted to the reference lane's page census and live in the
 * model file with the recording they come from.
 */
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/migrate.h"
#include "sim/page_alloc.h"
#include "sim/slab.h"
#include "sim/sparse.h"
#include "sim/trace.h"

static const char *const class_names[NR_SLAB_CLASSES] = { "unmovable", "reclaimable" };

/* Models allocate_slab() as objects need it: a new page per page's worth of bytes. */
void kmem_objects_add(struct mhp_machine *m, int nid, enum slab_class c, uint64_t bytes)
{
	struct kmem_node *k = &m->kmem[nid];
	k->bytes[c] += bytes;
	for (unsigned i = 0; i < 64 && k->bytes[c] > k->pages[c] * m->page_size; i++) {
		uint64_t pfn;
		if (alloc_pages_node(m, nid, 0, c == SLAB_RECLAIMABLE ? PG_SLAB_RECLAIMABLE : PG_SLAB, &pfn))
			return;   /* no page: the kernel would reclaim or fail the object; the model drops the growth */
		k->pages[c]++;
		struct mhp_trace_field f[] = { TF_X("pfn", pfn), TF_S("class", class_names[c]) };
		TRACE(m, "slab_page", f, "new %s slab page at pfn %#llx", class_names[c], (unsigned long long)pfn);
	}
}

void kmem_objects_free(struct mhp_machine *m, int nid, enum slab_class c, uint64_t bytes)
{
	struct kmem_node *k = &m->kmem[nid];
	k->bytes[c] -= bytes < k->bytes[c] ? bytes : k->bytes[c];
}

/* The node kmalloc runs on: the machine's first node with CPUs (the model's steps run there). */
static int local_node(const struct mhp_machine *m)
{
	for (unsigned i = 0; i < m->model.nr_nodes; i++)
		if (m->model.nodes[i].has_cpu)
			return m->model.nodes[i].nid;
	return 0;
}

/* add_memory_block()'s struct memory_block, its device and kobject, and the kernfs nodes of its files. */
void memory_block_slab_add(struct mhp_machine *m)
{
	if (!m->kalloc.on)
		return;
	kmem_objects_add(m, local_node(m), SLAB_UNMOVABLE, m->kalloc.block_unmovable);
}

/* remove_memory_block_devices(): the block's objects go, their slab pages stay. */
void memory_block_slab_free(struct mhp_machine *m, struct memory_block *mem)
{
	if (!m->kalloc.on)
		return;
	kmem_objects_free(m, local_node(m), SLAB_UNMOVABLE, m->kalloc.block_unmovable);
	if (mem->looked_up)
		kmem_objects_free(m, local_node(m), SLAB_RECLAIMABLE, m->kalloc.block_reclaimable);
}

/*
 * While a step runs, the reference lane's processes and the per-cpu free
 * lists (rmqueue_bulk() fills them a batch at a time) hold pages of the node's
 * preferred zone: the step's own allocations find those pages taken. They
 * are freed when the step ends; their pageblocks keep the migrate type the
 * first of them claimed.
 */
void kernel_step_begin(struct mhp_machine *m)
{
	if (!m->kalloc.on)
		return;
	int nid = local_node(m);
	uint64_t pfn, got;
	/* Order-0 allocations one after another, taken as the allocator's runs (alloc_pages_run_take). */
	while (m->nr_transient < m->kalloc.step_transient &&
	       !alloc_pages_run_take(m, nid, -1, PG_KERNEL, false, m->kalloc.step_transient - m->nr_transient, &pfn, &got)) {
		set_page_allocs(m, pfn, got, 0, PG_KERNEL);
		for (uint64_t k = 0; k < got; k++)
			m->transient[m->nr_transient++] = pfn + k;
	}
}

/*
 * What a step's processes leave behind, as the reference lane runs them
 * (a shell command, then reads of every block's sysfs files): their slab,
 * and the dentries and inodes of files looked up for the first time; then
 * the transient pages go back.
 */
void kernel_step_end(struct mhp_machine *m)
{
	if (!m->kalloc.on)
		return;
	int nid = local_node(m);
	kmem_objects_add(m, nid, SLAB_UNMOVABLE, m->kalloc.step_unmovable);
	kmem_objects_add(m, nid, SLAB_RECLAIMABLE, m->kalloc.step_reclaimable);
	for (uint64_t i = 0; i < m->nr_blocks; i++) {
		struct memory_block *mem = m->blocks[i];
		if (mem->looked_up)
			continue;
		mem->looked_up = true;
		kmem_objects_add(m, nid, SLAB_RECLAIMABLE, m->kalloc.block_reclaimable);
	}
	drain_all_pages(m);
}
