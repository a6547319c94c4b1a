// SPDX-License-Identifier: GPL-2.0-only
/*
 * node.c - the files of a node device, /sys/devices/system/node/nodeN, that
 * the model can fill from its state: its CPUs, distances, meminfo and the
 * memory-failure counters. Kernel twin: drivers/base/node.c (Linux 6.12),
 * with mm/memory-failure.c's counters and arch/arm64's NUMA distances.
 */
#include <string.h>

#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/node.h"
#include "sim/page.h"
#include "sim/sparse.h"
#include "strbuf.h"

/* LOCAL_DISTANCE and REMOTE_DISTANCE: arm64's numa_alloc_distance() defaults, kept without a distance-map. */
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

/*
 * The CPUs of node nid as a bitmap of nr_cpu_ids bits: the model numbers a
 * model's CPUs across its nodes in the order the model file lists them.
 */
static void node_cpumask(const struct mhp_machine *m, int nid, bool cpus[NR_CPUS])
{
	unsigned cpu = 0;
	memset(cpus, 0, NR_CPUS * sizeof(bool));
	for (unsigned i = 0; i < m->model.nr_nodes; i++)
		for (unsigned c = 0; c < m->model.nodes[i].nr_cpus; c++, cpu++)
			cpus[cpu] = m->model.nodes[i].nid == nid;
}

/* Models cpumap_read(): the node's online CPUs, "%*pb" over nr_cpu_ids bits. */
static void node_cpumap_show(const struct mhp_machine *m, int nid, struct strbuf *sb)
{
	bool cpus[NR_CPUS];
	node_cpumask(m, nid, cpus);
	sb_put_bitmap_mask(sb, cpus, m->model.nr_cpus);
	sb_printf(sb, "\n");
}

/* Models cpulist_read(): the same CPUs as a list ("0-1", or an empty line). */
static void node_cpulist_show(const struct mhp_machine *m, int nid, struct strbuf *sb)
{
	bool cpus[NR_CPUS];
	node_cpumask(m, nid, cpus);
	sb_put_bitmap_list(sb, cpus, m->model.nr_cpus);
	sb_printf(sb, "\n");
}

/* Models node_read_distance(): one distance per online node, space separated. */
static void node_distance_show(const struct mhp_machine *m, int nid, struct strbuf *sb)
{
	bool first = true;
	for (int i = 0; i < MAX_NUMNODES; i++) {
		if (!m->nodes[i].online)
			continue;
		sb_printf(sb, "%s%d", first ? "" : " ", i == nid ? LOCAL_DISTANCE : REMOTE_DISTANCE);
		first = false;
	}
	sb_printf(sb, "\n");
}

/* What node_read_meminfo() counts that the model keeps: the node's zones and its pages by kind. */
struct node_usage {
	int nid;
	uint64_t managed, free;
	uint64_t kinds[NR_PAGE_KINDS];
	uint64_t hugetlb_folios;
};

static int count_node_pages(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct node_usage *u = arg;
	(void)nr;
	if (ms->nid != u->nid)
		return 0;
	uint64_t heads[NR_PAGE_KINDS] = { 0 };
	section_count_kinds(ms, 0, m->pages_per_section, u->kinds, heads);
	u->hugetlb_folios += heads[PG_HUGETLB];
	return 0;
}

static void node_usage(const struct mhp_machine *m, int nid, struct node_usage *u)
{
	memset(u, 0, sizeof(*u));
	u->nid = nid;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		u->managed += m->nodes[nid].zones[zid].managed_pages;   /* si_meminfo_node(): totalram */
		u->free += m->nodes[nid].zones[zid].free_pages;
	}
	for_each_present_section(m, 0, UINT64_MAX, count_node_pages, u);
}

static int count_pgtable_pages(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	uint64_t *n = arg, kinds[NR_PAGE_KINDS] = { 0 };
	(void)nr;
	section_count_kinds(ms, 0, m->pages_per_section, kinds, NULL);
	*n += kinds[PG_USER_PGTABLE];
	return 0;
}

/*
 * The kernel counts NR_PAGETABLE as page-table pages are constructed
 * (pagetable_alloc()'s ctor); the model counts its user page-table pages.
 * The kernel's own tables (linear map, vmemmap) run no constructor and are
 * not counted, as on the reference kernel (docs/reference.md).
 */
uint64_t nr_page_table_pages(const struct mhp_machine *m)
{
	uint64_t n = 0;
	for_each_present_section(m, 0, UINT64_MAX, count_pgtable_pages, &n);
	return n;
}

/* One "Node N Label:   value kB" line of node_read_meminfo(). */
static void meminfo_line(const struct mhp_machine *m, struct strbuf *sb, int nid, const char *label, uint64_t pages)
{
	sb_printf(sb, "Node %d %-16s%8llu kB\n", nid, label, (unsigned long long)(pages << (m->page_shift - 10)));
}

/*
 * Models node_read_meminfo() with Debian's configuration (THP on, no
 * HIGHMEM, no shadow call stack, no unaccepted memory). Totals come from
 * the zones; the LRU and the mapped counters from the workload pages the
 * model keeps: anon pages are mapped and, as MGLRU places new anon folios,
 * active; file pages are unmapped page cache, added to an old generation
 * (inactive); user page tables are PageTables; hugetlb folios in use are
 * the node's whole pool. Kernel pages count in MemUsed only (not slab), and
 * what the model has none of (swap, dirty pages, shmem, THP) is 0.
 */
static void node_meminfo_show(const struct mhp_machine *m, int nid, struct strbuf *sb)
{
	struct node_usage u;
	node_usage(m, nid, &u);
	uint64_t anon = u.kinds[PG_ANON], file = u.kinds[PG_FILE];
	const struct { const char *label; uint64_t pages; } lines[] = {
		{ "MemTotal:", u.managed }, { "MemFree:", u.free }, { "MemUsed:", u.managed - u.free },
		{ "SwapCached:", 0 }, { "Active:", anon }, { "Inactive:", file }, { "Active(anon):", anon },
		{ "Inactive(anon):", 0 }, { "Active(file):", 0 }, { "Inactive(file):", file }, { "Unevictable:", 0 },
		{ "Mlocked:", 0 }, { "Dirty:", 0 }, { "Writeback:", 0 }, { "FilePages:", file }, { "Mapped:", 0 },
		{ "AnonPages:", anon }, { "Shmem:", 0 }, { "KernelStack:", 0 },
		{ "PageTables:", u.kinds[PG_USER_PGTABLE] }, { "SecPageTables:", 0 }, { "NFS_Unstable:", 0 },
		{ "Bounce:", 0 }, { "WritebackTmp:", 0 }, { "KReclaimable:", 0 }, { "Slab:", 0 }, { "SReclaimable:", 0 },
		{ "SUnreclaim:", 0 }, { "AnonHugePages:", 0 }, { "ShmemHugePages:", 0 }, { "ShmemPmdMapped:", 0 },
		{ "FileHugePages:", 0 }, { "FilePmdMapped:", 0 },
	};
	MHP_ASSERT(u.managed >= u.free);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		meminfo_line(m, sb, nid, lines[i].label, lines[i].pages);
	/* hugetlb_report_node_meminfo(): the default hstate (PMD-sized, as the model's hugetlb folios). */
	sb_printf(sb, "Node %d HugePages_Total: %5llu\nNode %d HugePages_Free:  %5u\nNode %d HugePages_Surp:  %5u\n",
		  nid, (unsigned long long)u.hugetlb_folios, nid, 0u, nid, 0u);
}

static const char *const memory_failure_files[] = { "delayed", "failed", "ignored", "recovered", "total", NULL };

const char *const *node_memory_failure_files(void)
{
	return memory_failure_files;
}

int node_attr_show(const struct mhp_machine *m, int nid, const char *name, struct strbuf *sb)
{
	if (strcmp(name, "cpumap") == 0)
		node_cpumap_show(m, nid, sb);
	else if (strcmp(name, "cpulist") == 0)
		node_cpulist_show(m, nid, sb);
	else if (strcmp(name, "distance") == 0)
		node_distance_show(m, nid, sb);
	else if (strcmp(name, "meminfo") == 0)
		node_meminfo_show(m, nid, sb);
	else if (strcmp(name, "compact") == 0)
		return -EACCES;       /* write only: kernfs refuses the open for reading */
	else
		return -EOPNOTSUPP;   /* numastat, vmstat: counters of allocations the model does not make */
	return 0;
}

/* Models the memory_failure group's show functions (mm/memory-failure.c): the model never poisons a page. */
int node_memory_failure_show(const char *name, struct strbuf *sb)
{
	for (size_t i = 0; memory_failure_files[i]; i++)
		if (strcmp(name, memory_failure_files[i]) == 0) {
			sb_printf(sb, "0\n");
			return 0;
		}
	return -ENOENT;
}
