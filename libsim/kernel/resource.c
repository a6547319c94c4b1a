// SPDX-License-Identifier: GPL-2.0-only
/*
 * resource.c - the iomem resource list (System RAM entries only).
 * Kernel twin: kernel/resource.c.
 *
 * A simplification: only System RAM resources are modelled, all at the top
 * level (no device regions, no "Kernel code" children, no virtio-mem parent).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "sim/ioport.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "strbuf.h"
#include "sim/trace.h"

static int insert_resource_at(struct mhp_machine *m, size_t i, const struct resource *r)
{
	if (m->nr_resources >= MAX_RESOURCES)
		return -ENOMEM;
	if (m->nr_resources == m->cap_resources) {
		size_t ncap = m->cap_resources ? m->cap_resources * 2 : 16;
		struct resource *res = realloc(m->resources, ncap * sizeof(*res));
		if (!res)
			return -ENOMEM;
		m->resources = res;
		m->cap_resources = ncap;
	}
	memmove(&m->resources[i + 1], &m->resources[i], (m->nr_resources - i) * sizeof(*m->resources));
	m->resources[i] = *r;
	m->nr_resources++;
	return 0;
}

static void delete_resource_at(struct mhp_machine *m, size_t i)
{
	memmove(&m->resources[i], &m->resources[i + 1], (m->nr_resources - i - 1) * sizeof(*m->resources));
	m->nr_resources--;
}

/*
 * Models __request_region() on iomem_resource: -EEXIST if anything busy
 * overlaps; -ENOMEM when alloc_resource() fails first (failslab).
 */
int request_region(struct mhp_machine *m, uint64_t start, uint64_t size, const char *name,
		   bool driver_managed, bool mergeable)
{
	uint64_t end = start + size - 1;
	size_t i = 0;
	if (should_fail(m, &m->failslab, "slab allocation (alloc_resource)"))
		return -ENOMEM;
	for (; i < m->nr_resources && m->resources[i].start <= end; i++)
		if (m->resources[i].end >= start)
			return -EEXIST;
	struct resource r = { .start = start, .end = end, .driver_managed = driver_managed,
			      .mergeable = mergeable };
	snprintf(r.name, sizeof(r.name), "%s", name);
	int ret = insert_resource_at(m, i, &r);
	if (!ret) {
		struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", end), TF_S("name", name) };
		TRACE(m, "resource_add", f, "iomem: %llx-%llx : %s", (unsigned long long)start,
		      (unsigned long long)end, name);
	}
	return ret;
}

static bool can_merge(const struct resource *a, const struct resource *b)
{
	return a->mergeable && b->mergeable && a->end + 1 == b->start && strcmp(a->name, b->name) == 0;
}

/* Models merge_system_ram_resource(): join equal neighbours of the new resource. */
void merge_system_ram_resource(struct mhp_machine *m, uint64_t start)
{
	size_t i = 0;
	while (i < m->nr_resources && m->resources[i].start != start)
		i++;
	MHP_ASSERT(i < m->nr_resources);
	if (i + 1 < m->nr_resources && can_merge(&m->resources[i], &m->resources[i + 1])) {
		m->resources[i].end = m->resources[i + 1].end;
		delete_resource_at(m, i + 1);
	}
	if (i > 0 && can_merge(&m->resources[i - 1], &m->resources[i])) {
		m->resources[i - 1].end = m->resources[i].end;
		delete_resource_at(m, i);
	}
}

/* Models release_mem_region_adjustable(): free, trim or split the holder. */
void release_mem_region_adjustable(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	uint64_t end = start + size - 1;
	for (size_t i = 0; i < m->nr_resources; i++) {
		struct resource *r = &m->resources[i];
		if (r->start > start || r->end < end)
			continue;
		struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", end), TF_S("name", r->name) };
		TRACE(m, "resource_release", f, "iomem: %llx-%llx released from %s",
		      (unsigned long long)start, (unsigned long long)end, r->name);
		if (r->start == start && r->end == end) {
			delete_resource_at(m, i);
		} else if (r->start == start) {
			r->start = end + 1;
		} else if (r->end == end) {
			r->end = start - 1;
		} else {
			struct resource tail = *r;
			tail.start = end + 1;
			r->end = start - 1;
			/* Like the kernel when its allocation fails: the resource stays whole. */
			if (insert_resource_at(m, i + 1, &tail))
				r->end = tail.end;
		}
		return;
	}
	/* 6.12 looks for one busy resource that holds the whole range; without one it changes nothing. */
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", end) };
	TRACE(m, "resource_kept", f, "iomem: no single resource holds %llx-%llx: nothing released (as 6.12 does)",
	      (unsigned long long)start, (unsigned long long)end);
}

/* Models walk_system_ram_range() counting: pages of System RAM in the range. */
uint64_t walk_system_ram_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t nr_pages)
{
	uint64_t lo = PFN_PHYS(m, start_pfn), hi = PFN_PHYS(m, start_pfn + nr_pages), total = 0;
	for (size_t i = 0; i < m->nr_resources; i++) {
		const struct resource *r = &m->resources[i];
		uint64_t a = r->start > lo ? r->start : lo, b = r->end + 1 < hi ? r->end + 1 : hi;
		if (b > a)
			total += (b - a) >> m->page_shift;
	}
	return total;
}

/* One line of /proc/iomem: r_show() indents two spaces a level and prints at least 8 hex digits. */
static void iomem_line(struct strbuf *sb, unsigned depth, uint64_t start, uint64_t end, const char *name)
{
	sb_printf(sb, "%*s%08llx-%08llx : %s\n", (int)(depth * 2), "", (unsigned long long)start,
		  (unsigned long long)end, name);
}

/* The deepest of the model file's iomem entries that holds [start, end]: its depth + 1, or 0. */
static unsigned iomem_depth(const struct mhp_model *mo, uint64_t start, uint64_t end)
{
	unsigned depth = 0;
	for (unsigned i = 0; i < mo->nr_iomem; i++)
		if (mo->iomem[i].start <= start && end <= mo->iomem[i].end && mo->iomem[i].depth + 1 > depth)
			depth = mo->iomem[i].depth + 1;
	return depth;
}

/*
 * Models r_show() for /proc/iomem as root: the model's own resources (System
 * RAM) among what the model file says the platform and the boot made, in
 * address order, a container before what it holds. An entry of the file
 * starts where a resource of the model does and nests under it: the file's
 * entries after it at a deeper level are its children.
 */
void iomem_show(const struct mhp_machine *m, struct strbuf *sb)
{
	const struct mhp_model *mo = &m->model;
	size_t r = 0;
	for (unsigned i = 0; i <= mo->nr_iomem; i++) {
		const struct model_iomem *e = i < mo->nr_iomem ? &mo->iomem[i] : NULL;
		/* The model's resources that come first: starting before this entry, or holding it. */
		while (r < m->nr_resources && (!e || m->resources[r].start < e->start ||
					       (m->resources[r].start == e->start && e->depth &&
						iomem_depth(mo, m->resources[r].start, m->resources[r].end) < e->depth))) {
			const struct resource *res = &m->resources[r++];
			iomem_line(sb, iomem_depth(mo, res->start, res->end), res->start, res->end, res->name);
		}
		if (e)
			iomem_line(sb, e->depth, e->start, e->end, e->name);
	}
}

void resources_free(struct mhp_machine *m)
{
	free(m->resources);
	m->resources = NULL;
	m->nr_resources = m->cap_resources = 0;
}
