// SPDX-License-Identifier: GPL-2.0-only
/*
 * inspect_fuzz.c - the read-only views harness/fuzz.c and harness/differential.c needs (inspect.h).
 */
#include "sim/ioport.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mmzone.h"
#include "sim/snapshot.h"
#include "sim/sparse.h"
#include "sim/workload.h"
#include "inspect.h"

_Static_assert(INSPECT_ONLINE_TYPE_OFFLINE == MMOP_OFFLINE, "inspect.h's online types are the model's");

const char *inspect_online_type_name(int online_type)
{
	return online_type_name(online_type);
}

bool inspect_resource(const struct mhp_machine *m, unsigned i, struct inspect_resource *out)
{
	if (i >= m->nr_resources)
		return false;
	*out = (struct inspect_resource){ .start = m->resources[i].start, .end = m->resources[i].end };
	return true;
}

bool inspect_pgmap(const struct mhp_machine *m, unsigned i, struct inspect_resource *out)
{
	if (i >= m->nr_pgmaps)
		return false;
	*out = (struct inspect_resource){ .start = m->pgmaps[i].start, .end = m->pgmaps[i].end - 1 };
	return true;
}

/* Section by section, a run at a time: the first tagged head in [pfn, end). */
uint32_t inspect_first_tag(const struct mhp_machine *m, uint64_t pfn, uint64_t end)
{
	uint64_t mask = m->pages_per_section - 1;
	for (uint64_t stop; pfn < end; pfn = stop) {
		const struct mem_section *ms = __pfn_to_section(m, pfn);
		stop = (pfn | mask) + 1 < end ? (pfn | mask) + 1 : end;
		uint64_t base = pfn & ~mask, lo = pfn - base, hi = stop - base;
		struct run_iter it = { 0 };
		if (ms)
			it = section_runs_from(ms, lo);
		for (; it.r && it.r->lo < hi; run_iter_next(&it)) {
			const struct page_run *r = it.r;
			uint64_t head = page_run_next_head(r, lo > r->lo ? lo : r->lo);
			if (r->head.tag && head < hi && head < r->hi)
				return page_run_state(r, head).tag;
		}
	}
	return 0;
}

bool inspect_next_live_tag(const struct mhp_machine *m, uint32_t from, uint32_t *tag)
{
	return tag_next_live(&m->tags, from, tag);
}

void inspect_counters(const struct mhp_machine *m, struct inspect_counters *out)
{
	*out = (struct inspect_counters){ .totalram_pages = m->totalram_pages, .page_writes = m->nr_page_writes,
					  .migrated = m->nr_migrated };
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			out->free_pages += m->nodes[nid].zones[zid].free_pages;
}

int inspect_snapshot_encode(const struct mhp_machine *m, const void *extra, size_t extra_len, uint8_t **buf,
			    size_t *len, struct mhp_err *err)
{
	return snapshot_encode(m, extra, extra_len, buf, len, err);
}

int inspect_snapshot_decode(const uint8_t *buf, size_t len, const char *name, struct mhp_machine **out, void *extra,
			    size_t extra_cap, struct mhp_err *err)
{
	return snapshot_decode(buf, len, name, NULL, NULL, out, extra, extra_cap, NULL, err);
}

