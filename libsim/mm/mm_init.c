// SPDX-License-Identifier: GPL-2.0-only
/*
 * mm_init.c - the boot layout of nodes and zones: node spans, ZONE_MOVABLE
 * from kernelcore=/movablecore=, each zone's share of every node, the zone
 * of each boot section, and the memory banner once boot memory is in the
 * buddy. Kernel twin: mm/mm_init.c (Linux 6.12); free_initrd_mem() is
 * init/initramfs.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/mm_init.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "yamltree.h"   /* parse_size(): memparse() */

/* RAM pages of node nid inside [lo, hi). */
static uint64_t node_ram_pages(const struct mhp_machine *m, int nid, uint64_t lo, uint64_t hi)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		uint64_t r0 = PHYS_PFN(m, r->start), r1 = PHYS_PFN(m, r->start + r->size);
		if (r->nid != nid)
			continue;
		uint64_t a = r0 > lo ? r0 : lo, b = r1 < hi ? r1 : hi;
		if (b > a)
			total += b - a;
	}
	return total;
}

/* Models zone_spanned_pages_in_node(): the zone's range clipped to the node. */
static void init_zone(struct mhp_machine *m, int nid, int zid, uint64_t zone_lo, uint64_t zone_hi)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	struct zone *z = &pgdat->zones[zid];
	uint64_t node_lo = pgdat->node_start_pfn, node_hi = node_lo + pgdat->node_spanned_pages;
	uint64_t lo = node_lo < zone_lo ? zone_lo : (node_lo > zone_hi ? zone_hi : node_lo);
	uint64_t hi = node_hi < zone_lo ? zone_lo : (node_hi > zone_hi ? zone_hi : node_hi);

	memset(z, 0, sizeof(*z));
	z->zone_start_pfn = lo;
	if (hi <= lo || !pgdat->node_spanned_pages)
		return;
	z->spanned_pages = hi - lo;
	z->present_pages = z->present_early_pages = node_ram_pages(m, nid, lo, hi);
	z->cma_pages = memblock_reserved_pages(m, lo, hi, true);
	/* zone_init_internals(): every present page counts as managed until memblock_free_all(). */
	z->managed_pages = z->present_pages;
}

/* RAM pages of all nodes (early_calculate_totalpages). */
static uint64_t early_calculate_totalpages(const struct mhp_machine *m)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->model.nr_ram; i++)
		total += PHYS_PFN(m, m->model.ram[i].size);
	return total;
}

/* Models find_usable_zone_for_movable(): the highest populated kernel zone. */
static int find_usable_zone_for_movable(const uint64_t lo[MAX_NR_ZONES], const uint64_t hi[MAX_NR_ZONES])
{
	for (int zid = ZONE_NORMAL; zid > ZONE_DMA; zid--)
		if (hi[zid] > lo[zid])
			return zid;
	return ZONE_DMA;
}

/*
 * Models find_zone_movable_pfns_for_nodes() for kernelcore= and movablecore=
 * (neither mirror nor movable_node): spread the kernel's share over the
 * nodes, lowest memory first; ZONE_MOVABLE starts where it ends, rounded up
 * to MAX_ORDER_NR_PAGES.
 */
static void find_zone_movable_pfns_for_nodes(struct mhp_machine *m, uint64_t usable_startpfn)
{
	uint64_t totalpages = early_calculate_totalpages(m), order_pages = 1ull << m->max_page_order;
	uint64_t kernelcore = m->required_kernelcore, movablecore = m->required_movablecore;
	int usable_nodes = 0;
	if (m->movable_node)
		return;   /* movable_node wins and uses hotpluggable memblock regions: the model has none at boot */
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		usable_nodes += m->nodes[nid].node_present_pages != 0;
	if (m->kernelcore_percent)
		kernelcore = totalpages * 100 * m->kernelcore_percent / 10000;
	if (m->movablecore_percent)
		movablecore = totalpages * 100 * m->movablecore_percent / 10000;
	if (movablecore) {
		movablecore = (movablecore + order_pages - 1) / order_pages * order_pages;
		movablecore = movablecore < totalpages ? movablecore : totalpages;
		kernelcore = kernelcore > totalpages - movablecore ? kernelcore : totalpages - movablecore;
	}
	if (!kernelcore || kernelcore >= totalpages)
		return;
	while (usable_nodes) {
		uint64_t per_node = kernelcore / (uint64_t)usable_nodes;
		for (int nid = 0; nid < MAX_NUMNODES; nid++) {
			if (!m->nodes[nid].node_present_pages)
				continue;
			if (kernelcore < per_node)
				per_node = kernelcore / (uint64_t)usable_nodes;
			uint64_t remaining = per_node;
			for (unsigned i = 0; i < m->model.nr_ram && remaining; i++) {
				const struct model_range *r = &m->model.ram[i];
				uint64_t start = PHYS_PFN(m, r->start), end = PHYS_PFN(m, r->start + r->size);
				if (r->nid != nid)
					continue;
				start = start > m->zone_movable_pfn[nid] ? start : m->zone_movable_pfn[nid];
				if (start >= end)
					continue;
				if (start < usable_startpfn) {
					uint64_t kernel_pages = (end < usable_startpfn ? end : usable_startpfn) - start;
					remaining -= kernel_pages < remaining ? kernel_pages : remaining;
					kernelcore -= kernel_pages < kernelcore ? kernel_pages : kernelcore;
					if (end <= usable_startpfn) {
						m->zone_movable_pfn[nid] = end;
						continue;
					}
					start = usable_startpfn;
				}
				uint64_t size = end - start < remaining ? end - start : remaining;
				m->zone_movable_pfn[nid] = start + size;
				kernelcore -= size < kernelcore ? size : kernelcore;
				remaining -= size;
			}
		}
		usable_nodes--;
		if (!usable_nodes || kernelcore <= (uint64_t)usable_nodes)
			break;
	}
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		const struct pglist_data *p = &m->nodes[nid];
		uint64_t z = (m->zone_movable_pfn[nid] + order_pages - 1) / order_pages * order_pages;
		m->zone_movable_pfn[nid] = z >= p->node_start_pfn + p->node_spanned_pages ? 0 : z;
	}
}

/* Models adjust_zone_range_for_zone_movable(). */
static void adjust_zone_range_for_zone_movable(const struct mhp_machine *m, int nid, int zid, int movable_zone,
					       uint64_t movable_zone_hi, uint64_t *lo, uint64_t *hi)
{
	uint64_t zmp = m->zone_movable_pfn[nid];
	const struct pglist_data *p = &m->nodes[nid];
	if (!zmp)
		return;
	if (zid == ZONE_MOVABLE) {
		uint64_t node_end = p->node_start_pfn + p->node_spanned_pages;
		*lo = zmp;
		*hi = node_end < movable_zone_hi ? node_end : movable_zone_hi;
	} else if (*lo < zmp && *hi > zmp) {
		*hi = zmp;
	} else if (*lo >= zmp) {
		*lo = *hi;
	}
	(void)movable_zone;
}

/* Models free_area_init(): node spans from memblock, the arch zone limits, ZONE_MOVABLE, each zone's share. */
int free_area_init(struct mhp_machine *m)
{
	uint64_t dram_start = UINT64_MAX, dram_end = 0, max_zone_pfn[MAX_NR_ZONES];

	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		struct pglist_data *pgdat = &m->nodes[r->nid];
		if (r->start < dram_start)
			dram_start = r->start;
		if (r->start + r->size > dram_end)
			dram_end = r->start + r->size;
		resize_pgdat_range(pgdat, PHYS_PFN(m, r->start), PHYS_PFN(m, r->size));
		pgdat->node_present_pages += PHYS_PFN(m, r->size);
	}
	m->max_pfn = PHYS_PFN(m, dram_end);
	m->arch->zone_sizes_init(m, dram_start, dram_end, max_zone_pfn);

	/* arch_zone_{lowest,highest}_possible_pfn: each zone starts where the last ended. */
	uint64_t lo = PHYS_PFN(m, dram_start);
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		uint64_t hi = zid <= ZONE_NORMAL ? (max_zone_pfn[zid] > lo ? max_zone_pfn[zid] : lo) : lo;
		m->arch_zone_lo[zid] = zid == ZONE_MOVABLE ? 0 : lo;
		m->arch_zone_hi[zid] = zid == ZONE_MOVABLE ? 0 : hi;
		if (zid != ZONE_MOVABLE)
			lo = hi;
	}
	int movable_zone = find_usable_zone_for_movable(m->arch_zone_lo, m->arch_zone_hi);
	find_zone_movable_pfns_for_nodes(m, m->arch_zone_lo[movable_zone]);

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			uint64_t zlo = m->arch_zone_lo[zid], zhi = m->arch_zone_hi[zid];
			adjust_zone_range_for_zone_movable(m, nid, zid, movable_zone, m->arch_zone_hi[movable_zone],
							   &zlo, &zhi);
			init_zone(m, nid, zid, zlo, zhi);
		}
	}
	return 0;
}

/* The boot zone of pfn, or -1. */
static int boot_pfn_zone(const struct mhp_machine *m, int nid, uint64_t pfn)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &m->nodes[nid].zones[z];
		if (!zone_is_empty(zone) && pfn >= zone->zone_start_pfn && pfn < zone_end_pfn(zone))
			return z;
	}
	return -1;
}

/*
 * The zone of a boot section: its last page's. A boundary inside it is
 * modelled where only boot zones below ZONE_MOVABLE meet (x86's 16 MiB
 * ZONE_DMA limit); kernelcore= and movablecore= must start ZONE_MOVABLE on
 * a section (boot() says so).
 */
static int boot_section_zone(struct mhp_machine *m, int nid, uint64_t pfn, int *zid)
{
	int first = boot_pfn_zone(m, nid, pfn), last = boot_pfn_zone(m, nid, pfn + m->pages_per_section - 1);
	if (first < 0 || last < 0 || (last == ZONE_MOVABLE && first != last))
		return -EINVAL;
	*zid = last;
	if (first != last)
		__pfn_to_section(m, pfn)->flags |= SECTION_ZONES_SPLIT;
	return 0;
}

/* Models memmap_init(): each boot section learns its zone. */
int memmap_init(struct mhp_machine *m, struct mhp_err *err)
{
	for (unsigned i = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		for (uint64_t pfn = PHYS_PFN(m, r->start); pfn < PHYS_PFN(m, r->start + r->size);
		     pfn += m->pages_per_section) {
			int zid;
			if (boot_section_zone(m, r->nid, pfn, &zid))
				return mhp_err_set(err, -EINVAL,
						   "model %s: a zone boundary splits the section at %#llx (not modelled)",
						   m->model.name, (unsigned long long)PFN_PHYS(m, pfn));
			__pfn_to_section(m, pfn)->zone = (int8_t)zid;
		}
	}
	return 0;
}

/* free_area_init_node()'s line for each possible node: its span, or that it has no memory. */
static void log_initmem_setup(struct mhp_machine *m, int nid)
{
	const struct pglist_data *p = &m->nodes[nid];
	if (!p->possible)
		return;
	if (!p->node_spanned_pages) {
		pr_info(m, "Initmem setup node %d as memoryless", nid);
		return;
	}
	pr_info(m, "Initmem setup node %d [mem %#018llx-%#018llx]", nid, (unsigned long long)PFN_PHYS(m, p->node_start_pfn),
		(unsigned long long)PFN_PHYS(m, p->node_start_pfn + p->node_spanned_pages) - 1);
}

/* The boot log lines of free_area_init() that the model can produce exactly. */
void log_zone_ranges(struct mhp_machine *m)
{
	pr_info(m, "Zone ranges:");
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		if (zid == ZONE_MOVABLE || !arch_has_zone(m->arch, zid))
			continue;
		uint64_t lo = m->arch_zone_lo[zid], hi = m->arch_zone_hi[zid];
		if (lo == hi)
			pr_info(m, "  %-8s empty", zone_name(zid));
		else
			pr_info(m, "  %-8s [mem %#018llx-%#018llx]", zone_name(zid),
				(unsigned long long)PFN_PHYS(m, lo), (unsigned long long)PFN_PHYS(m, hi) - 1);
	}
	pr_info(m, "Movable zone start for each node");
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (m->zone_movable_pfn[nid])
			pr_info(m, "  Node %d: %#018llx", nid, (unsigned long long)PFN_PHYS(m, m->zone_movable_pfn[nid]));
	pr_info(m, "Early memory node ranges");
	for (unsigned i = 0; i < m->model.nr_ram; i++)
		pr_info(m, "  node %3d: [mem %#018llx-%#018llx]", m->model.ram[i].nid,
			(unsigned long long)m->model.ram[i].start,
			(unsigned long long)(m->model.ram[i].start + m->model.ram[i].size - 1));
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		log_initmem_setup(m, nid);
}

/* K(): pages in KiB. */
static uint64_t pages_kib(const struct mhp_machine *m, uint64_t pages)
{
	return pages << (m->page_shift - 10);
}

/*
 * Models mem_init_print_info(), printed once memblock_free_all() is done.
 * CMA areas reach the buddy later (cma_init_reserved_areas() is a
 * core_initcall): at this moment the kernel's totalram_pages() and
 * nr_free_pages() do not count them yet, and totalcma_pages does. The
 * section sizes are the model file's: constants of one kernel build.
 */
void mem_init_print_info(struct mhp_machine *m)
{
	const struct model_kernel *k = &m->model.kernel;
	uint64_t physpages = 0, free = 0, cma = 0;
	if (!k->present)
		return;
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		physpages += m->nodes[nid].online ? m->nodes[nid].node_present_pages : 0;   /* get_num_physpages() */
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			free += m->nodes[nid].zones[zid].free_pages;
			cma += m->nodes[nid].zones[zid].cma_pages;
		}
	}
	MHP_ASSERT(m->totalram_pages >= cma && free >= cma);
	uint64_t totalram = m->totalram_pages - cma;
	pr_info(m, "Memory: %lluK/%lluK available (%lluK kernel code, %lluK rwdata, %lluK rodata, %lluK init, "
		"%lluK bss, %lluK reserved, %lluK cma-reserved)",
		(unsigned long long)pages_kib(m, free - cma), (unsigned long long)pages_kib(m, physpages),
		(unsigned long long)(k->code >> 10), (unsigned long long)(k->rwdata >> 10),
		(unsigned long long)(k->rodata >> 10), (unsigned long long)(k->init.size >> 10),
		(unsigned long long)(k->bss >> 10), (unsigned long long)pages_kib(m, physpages - totalram - cma),
		(unsigned long long)pages_kib(m, cma));
}

/* Models free_initrd_mem() (init/initramfs.c): the initrd's whole pages go back once it is unpacked. */
void free_initrd_mem(struct mhp_machine *m)
{
	const struct model_range *r = &m->model.initrd;
	if (r->size)
		free_reserved_area(m, r->start, r->start + r->size, "initrd");
}

/* Models cmdline_parse_kernelcore() / cmdline_parse_movablecore() -> cmdline_parse_core(): a percentage or a size. */
int cmdline_parse_core(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	bool movable = word[0] == 'm';
	uint64_t *core = movable ? &m->required_movablecore : &m->required_kernelcore;
	uint64_t *percent = movable ? &m->movablecore_percent : &m->kernelcore_percent;
	char *end;
	if (!value)
		return 0;
	if (!movable && strcmp(value, "mirror") == 0)
		return mhp_err_set(err, -EOPNOTSUPP, "kernelcore=mirror is not modelled (no mirrored memory)");
	uint64_t v = strtoull(value, &end, 0);
	if (*end == '%') {
		*percent = v > 100 ? 100 : v;
		return 0;
	}
	uint64_t bytes;
	if (parse_size(value, &bytes) != NUM_OK)
		bytes = v;
	*core = bytes >> m->page_shift;
	*percent = 0;
	return 0;
}

/* Models early_debug_pagealloc(). */
int early_debug_pagealloc(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)word, (void)err;
	m->debug_pagealloc = value && (strcmp(value, "on") == 0 || value[0] == '1');
	return 0;
}

/* kfence.sample_interval (mm/kfence/core.c): nonzero means an early pool, which keeps block mappings possible. */
int kfence_sample_interval(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)word, (void)err;
	m->kfence_early = value && strtoull(value, NULL, 0) != 0;
	return 0;
}
