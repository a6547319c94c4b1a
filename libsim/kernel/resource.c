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

/* Models __request_region() on iomem_resource: -EEXIST if anything busy overlaps. */
int request_region(struct mhp_machine *m, uint64_t start, uint64_t size, const char *name,
		   bool driver_managed, bool mergeable)
{
	uint64_t end = start + size - 1;
	size_t i = 0;
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

/* Models r_show() for /proc/iomem as root: width 8, no indentation at the top level. */
void iomem_show(const struct mhp_machine *m, struct strbuf *sb)
{
	for (size_t i = 0; i < m->nr_resources; i++)
		sb_printf(sb, "%08llx-%08llx : %s\n", (unsigned long long)m->resources[i].start,
			  (unsigned long long)m->resources[i].end, m->resources[i].name);
}

void resources_free(struct mhp_machine *m)
{
	free(m->resources);
	m->resources = NULL;
	m->nr_resources = m->cap_resources = 0;
}
