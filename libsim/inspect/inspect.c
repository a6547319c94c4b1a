// SPDX-License-Identifier: GPL-2.0-only
/*
 * inspect.c - the read-only views of inspect.h: each copies what the harness
 * may see out of the model's own structures.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/proc_page.h"
#include "sim/snapshot.h"
#include "sim/sparse.h"
#include "inspect.h"

_Static_assert(INSPECT_MAX_NODES == MAX_NUMNODES, "inspect.h's node bound is the model's");
_Static_assert(INSPECT_NR_ZONES == MAX_NR_ZONES && INSPECT_NO_ZONE == NO_ZONE &&
	       INSPECT_ZONE_MOVABLE == ZONE_MOVABLE, "inspect.h's zones are the model's");

void inspect_model(const struct mhp_model *mo, struct inspect_model *out)
{
	*out = (struct inspect_model){ .name = mo->name, .arch = mo->arch, .cmdline = mo->cmdline,
				       .page_shift = mo->page_shift, .va_bits = mo->va_bits, .pa_bits = mo->pa_bits,
				       .block_size = mo->block_size, .section_size = 1ull << mo->section_size_bits,
				       .nr_nodes = mo->nr_nodes, .nr_ram = mo->nr_ram, .nr_hotplug = mo->nr_hotplug,
				       .nr_reserved = mo->nr_reserved };
}

bool inspect_model_range(const struct mhp_model *mo, enum inspect_range_kind kind, unsigned i,
			 struct inspect_range *out)
{
	const struct model_range *r = kind == INSPECT_RAM ? mo->ram : kind == INSPECT_HOTPLUG ? mo->hotplug : mo->reserved;
	unsigned n = kind == INSPECT_RAM ? mo->nr_ram : kind == INSPECT_HOTPLUG ? mo->nr_hotplug : mo->nr_reserved;
	if (i >= n)
		return false;
	*out = (struct inspect_range){ .start = r[i].start, .size = r[i].size, .block_size = r[i].block_size,
				       .requested_size = r[i].requested_size, .nid = r[i].nid, .name = r[i].name,
				       .cma = r[i].cma };
	return true;
}

struct mhp_model *inspect_model_dup(const struct mhp_machine *m)
{
	struct mhp_model *mo = malloc(sizeof(*mo));
	if (mo)
		*mo = m->model;
	return mo;
}

const struct mhp_model *inspect_machine_model(const struct mhp_machine *m)
{
	return &m->model;
}

int inspect_snapshot_read_file(const char *path, uint8_t **buf, size_t *len, struct mhp_err *err)
{
	return snapshot_read_file(path, buf, len, err);
}

void inspect_geometry(const struct mhp_machine *m, struct inspect_geometry *out)
{
	*out = (struct inspect_geometry){ .page_shift = m->page_shift, .pageblock_order = m->pageblock_order,
					  .pt_levels = m->pt_geom.levels, .page_size = m->page_size,
					  .block_size = m->model.block_size, .pages_per_section = m->pages_per_section,
					  .pages_per_block = m->pages_per_block, .max_pfn = m->max_pfn };
}

void inspect_pfn(const struct mhp_machine *m, uint64_t pfn, struct inspect_pfn *out)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	*out = (struct inspect_pfn){ .nid = -1, .zone = NO_ZONE };
	if (!ms || !present_section(ms))
		return;
	*out = (struct inspect_pfn){ .present = true, .online = online_section(ms), .early = early_section(ms),
				     .nid = ms->nid, .zone = ms->zone };
}

const char *inspect_zone_name(int zid)
{
	return zone_name(zid);
}

static int count_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	uint64_t *counts = arg;
	(void)m;
	counts[t->depth]++;
	return 0;
}

void inspect_pt_table_counts(const struct mhp_machine *m, uint64_t counts[INSPECT_PT_MAX_DEPTH])
{
	memset(counts, 0, INSPECT_PT_MAX_DEPTH * sizeof(*counts));
	pt_for_each(m, count_table, counts);
}

const char *inspect_pt_level_name(const struct mhp_machine *m, unsigned depth)
{
	return depth < m->pt_geom.levels ? pt_level_name(m, depth) : NULL;
}

void inspect_kpageflags(const struct mhp_machine *m, uint64_t pfn, uint64_t *flags, uint64_t *count)
{
	kpageflags_read(m, pfn, flags, count);
}

_Static_assert(INSPECT_MIGRATE_TYPES == MIGRATE_TYPES, "pagetypeinfo has a column per migrate type");

void inspect_pageblock_counts(const struct mhp_machine *m, int nid, int zid, uint64_t counts[INSPECT_MIGRATE_TYPES])
{
	pagetypeinfo_block_counts(m, nid, zid, counts);
}
