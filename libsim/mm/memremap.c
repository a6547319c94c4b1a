// SPDX-License-Identifier: GPL-2.0-only
/*
 * memremap.c - ZONE_DEVICE memory: a driver (pmem, device DAX) asks for
 * struct pages and a linear map of its device range, which is never onlined
 * and never reaches the buddy allocator. Ranges may be as small as one
 * subsection (2 MiB), so two of them can share a section and its memmap.
 * Kernel twin: mm/memremap.c (devm_memremap_pages, pagemap_range,
 * pageunmap_range).
 *
 * Simplifications (docs/model.md): one range per pagemap, no altmap, the
 * types that are mapped (FS_DAX, GENERIC; not DEVICE_PRIVATE); a range may
 * not share a section with System RAM, because the model keeps one zone
 * per section (6.12 allows it and taints the section, SECTION_TAINT_ZONE_DEVICE).
 */
#include <string.h>

#include "mhpsim/hotplug.h"
#include "sim/ioport.h"
#include "sim/machine.h"
#include "sim/memory_hotplug.h"
#include "sim/memremap.h"
#include "sim/mmzone.h"
#include "sim/sparse.h"
#include "sim/trace.h"

const struct dev_pagemap *get_dev_pagemap(const struct mhp_machine *m, uint64_t pfn)
{
	uint64_t pa = PFN_PHYS(m, pfn);
	for (unsigned i = 0; i < m->nr_pgmaps; i++)
		if (pa >= m->pgmaps[i].start && pa < m->pgmaps[i].end)
			return &m->pgmaps[i];
	return NULL;
}

/* A section of the range that holds memory of another zone: System RAM (early or hot-added). */
static bool shares_section_with_ram(const struct mhp_machine *m, uint64_t start, uint64_t end)
{
	for (uint64_t pfn = PHYS_PFN(m, start); pfn < PHYS_PFN(m, end); pfn = (pfn | (m->pages_per_section - 1)) + 1) {
		const struct mem_section *ms = __pfn_to_section(m, pfn);
		if (present_section(ms) && ms->zone != ZONE_DEVICE)
			return true;
	}
	return false;
}

static int pgmap_insert(struct mhp_machine *m, uint64_t start, uint64_t end, int nid)
{
	unsigned i = 0;
	if (m->nr_pgmaps == MAX_PGMAPS)
		return -ENOMEM;
	while (i < m->nr_pgmaps && m->pgmaps[i].start < start)
		i++;
	memmove(&m->pgmaps[i + 1], &m->pgmaps[i], (m->nr_pgmaps - i) * sizeof(m->pgmaps[0]));
	m->pgmaps[i] = (struct dev_pagemap){ .start = start, .end = end, .nid = nid };
	m->nr_pgmaps++;
	return 0;
}

static void pgmap_delete(struct mhp_machine *m, const struct dev_pagemap *pgmap)
{
	unsigned i = (unsigned)(pgmap - m->pgmaps);
	memmove(&m->pgmaps[i], &m->pgmaps[i + 1], (m->nr_pgmaps - i - 1) * sizeof(m->pgmaps[0]));
	m->nr_pgmaps--;
}

/* What memremap_pages() refuses before it touches anything (the model's bound among them). */
static int pagemap_range_check(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err)
{
	if (!size || size > UINT64_MAX - start || !is_aligned(start | size, m->page_size))
		return mhp_err_set(err, -EINVAL, "[%#llx+%#llx] is not a range of whole pages",
				   (unsigned long long)start, (unsigned long long)size);
	if (nid < 0 || nid >= MAX_NUMNODES || !m->nodes[nid].online)
		return mhp_err_set(err, -EINVAL, "node %d is not online (the model adds ZONE_DEVICE memory to online "
				   "nodes only)", nid);
	if (m->nr_pgmaps == MAX_PGMAPS)
		return mhp_err_set(err, -ENOMEM, "the machine holds %d ZONE_DEVICE ranges already (the model's bound)",
				   MAX_PGMAPS);
	return 0;
}

/*
 * Models pagemap_range() for one mapped range: the arch's add (linear map,
 * sections and their memmap) with PAGE_KERNEL, then the pages join the
 * node's ZONE_DEVICE; memmap_init_zone_device() marks them reserved, which
 * the model need not keep (no page of the range is ever allocated).
 */
static int pagemap_range(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err)
{
	if (!mhp_range_allowed(m, start, size))
		return mhp_err_set(err, -EINVAL, "[%#llx-%#llx] is outside the mappable range [%#llx-%#llx]",
				   (unsigned long long)start, (unsigned long long)(start + size - 1),
				   (unsigned long long)m->mappable_start, (unsigned long long)m->mappable_end);
	m->adding_pgmap = true;
	int ret = m->arch->arch_add_memory(m, nid, start, size, err);
	m->adding_pgmap = false;
	if (ret)
		return ret;
	move_pfn_range_to_zone(m, nid, ZONE_DEVICE, PHYS_PFN(m, start), PHYS_PFN(m, size), MIGRATE_MOVABLE);
	return pgmap_insert(m, start, start + size, nid);   /* cannot fail: checked first */
}

int memremap_pages(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, const char *name,
		   struct mhp_err *err)
{
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("size", size), TF_U("nid", (uint64_t)nid),
				       TF_S("resource", name) };
	TRACE(m, "memremap_pages", f, "driver maps [%#llx-%#llx] (%s) as ZONE_DEVICE memory on node %d",
	      (unsigned long long)start, (unsigned long long)(start + size - 1), name, nid);
	int ret = pagemap_range_check(m, nid, start, size, err);
	if (ret)
		return ret;
	/* The driver's devm_request_mem_region() first: any overlap with a busy resource (System RAM too). */
	ret = request_region(m, start, size, name, false, false);
	if (ret)
		return mhp_err_set(err, -EBUSY, "[%#llx-%#llx] %s", (unsigned long long)start,
				   (unsigned long long)(start + size - 1),
				   ret == -ENOMEM ? "cannot be requested: its resource could not be allocated"
						  : "overlaps a busy resource");
	if (shares_section_with_ram(m, start, start + size))
		ret = mhp_err_set(err, -EOPNOTSUPP, "[%#llx-%#llx] shares a section with System RAM: the model keeps "
				  "one zone per section (6.12 allows it, SECTION_TAINT_ZONE_DEVICE)",
				  (unsigned long long)start, (unsigned long long)(start + size - 1));
	else
		ret = pagemap_range(m, nid, start, size, err);
	if (ret)
		release_mem_region_adjustable(m, start, size);
	return ret;
}

/*
 * Models pageunmap_range() and the driver's release: ZONE_DEVICE keeps its
 * span (remove_pfn_range_from_zone() skips the zone shrinking for it), the
 * arch removes the range, then the pagemap and the resource go.
 */
int memunmap_pages(struct mhp_machine *m, uint64_t start, uint64_t size, struct mhp_err *err)
{
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("size", size) };
	TRACE(m, "memunmap_pages", f, "driver unmaps ZONE_DEVICE memory [%#llx-%#llx]", (unsigned long long)start,
	      (unsigned long long)(start + size - 1));
	const struct dev_pagemap *pgmap = size ? get_dev_pagemap(m, PHYS_PFN(m, start)) : NULL;
	if (!pgmap || pgmap->start != start || pgmap->end - pgmap->start != size)
		return mhp_err_set(err, -EINVAL, "no ZONE_DEVICE range is mapped at exactly [%#llx+%#llx]",
				   (unsigned long long)start, (unsigned long long)size);
	arch_remove_memory_locked(m, start, size);
	pgmap_delete(m, pgmap);
	release_mem_region_adjustable(m, start, size);
	return 0;
}

int mhp_memremap_pages(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err)
{
	return memremap_pages(m, nid, start, size, "Persistent Memory", err);
}

int mhp_memunmap_pages(struct mhp_machine *m, uint64_t start, uint64_t size, struct mhp_err *err)
{
	return memunmap_pages(m, start, size, err);
}
