// SPDX-License-Identifier: GPL-2.0-only
/*
 * machine.c - boot a model into a machine; hash and free it.
 * Kernel twins: the boot-time parts of arch/arm64/mm/init.c, mm/mm_init.c and
 * drivers/base/memory.c (memory_dev_init), and the command-line parameters of
 * mm/memory_hotplug.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ioport.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/proc_page.h"
#include "sim/memblock.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mm_init.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "strbuf.h"
#include "sim/workload.h"
#include "check/check.h"
#include "drivers/virtio_mem.h"
#include "yamltree.h"

void derive_geometry(struct mhp_machine *m)
{
	const struct mhp_model *mo = &m->model;
	m->page_shift = mo->page_shift;
	m->page_size = 1ull << mo->page_shift;
	m->pfn_section_shift = mo->section_size_bits - mo->page_shift;
	m->pages_per_section = 1ull << m->pfn_section_shift;
	MHP_ASSERT(m->pages_per_section <= RUN_PAGES_MAX);   /* what a page run's bounds hold (every granule's section) */
	m->sections_per_block = mo->block_size >> mo->section_size_bits;
	m->pages_per_block = mo->block_size >> mo->page_shift;
	/* MAX_PAGE_ORDER 10/11/13; pageblock_order = min(PMD order, MAX_PAGE_ORDER). */
	m->max_page_order = mo->page_shift == 12 ? 10 : mo->page_shift == 14 ? 11 : 13;
	unsigned pmd_order = mo->page_shift - 3;
	m->pageblock_order = pmd_order < m->max_page_order ? pmd_order : m->max_page_order;
	/* SUBSECTION_SHIFT is 21: 2 MiB subsections. */
	m->pages_per_subsection = (1ull << 21) >> mo->page_shift;
	m->subsections_per_section = (unsigned)(m->pages_per_section / m->pages_per_subsection);
	MHP_ASSERT(m->subsections_per_section <= 256);
	MHP_ASSERT(m->sections_per_block == 1);
}

static int boot(struct mhp_machine *m, const char *cmdline, bool no_bootmem_notifier, bool no_kernel_allocations,
		struct mhp_err *err)
{
	if (!m->arch)
		return mhp_err_set(err, -EINVAL, "model %s: no architecture '%s'", m->model.name, m->model.arch);
	derive_geometry(m);
	m->default_online_type = m->model.default_online_type;
	m->online_policy = ONLINE_POLICY_CONTIG_ZONES;
	m->auto_movable_ratio = 301;
	m->auto_movable_numa_aware = true;
	m->rodata_full = true;          /* Debian: RODATA_FULL_DEFAULT_ENABLED=y */
	fault_attr_arm(&m->fail_page_alloc, 0, 1, 0);
	fault_attr_arm(&m->failslab, 0, 1, 0);
	m->offline_retry_budget = 1000;
	m->kalloc = m->model.kalloc;
	m->kalloc.on = m->kalloc.on && !no_kernel_allocations;
	touched_reset(m);
	if (!cmdline)
		cmdline = m->model.cmdline;
	int ret = parse_cmdline(m, cmdline, err);
	if (!ret)
		ret = memblock_replay(m, cmdline, err);
	if (ret)
		return ret;
	/* can_set_direct_map(): rodata=full, debug_pagealloc, or KFENCE without an early pool. */
	m->can_set_direct_map = m->rodata_full || m->debug_pagealloc || !m->kfence_early;
	m->arch->memory_layout_init(m);
	for (unsigned i = 0; i < m->model.nr_nodes; i++) {
		struct pglist_data *pgdat = &m->nodes[m->model.nodes[i].nid];
		pgdat->possible = pgdat->online = true;   /* arch_numa: every parsed node goes online */
		pgdat->has_cpu = m->model.nodes[i].has_cpu;
	}
	if ((ret = memblocks_present(m, err)))
		return ret;
	free_area_init(m);
	log_zone_ranges(m);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (!is_aligned(m->zone_movable_pfn[nid], m->pages_per_section))
			return mhp_err_set(err, -EOPNOTSUPP, "kernelcore=/movablecore= put the start of ZONE_MOVABLE on node %d "
					   "at pfn %#llx, inside a section: not modelled", nid,
					   (unsigned long long)m->zone_movable_pfn[nid]);
	if ((ret = memmap_init(m, err)))
		return ret;
	if ((ret = m->arch->paging_init(m, err)) || (ret = m->arch->boot_vmemmap(m, err)))
		return ret;
	build_all_zonelists(m, NUMA_NO_NODE);   /* mm_core_init() */
	memblock_free_all(m);
	mem_init_print_info(m);
	init_boot_watermarks(m);   /* the initcalls, before the initrd and the init sections are freed */
	/* The initramfs is unpacked (rootfs_initcall), then kernel_init() frees the init sections. */
	free_initrd_mem(m);
	m->arch->free_initmem(m);
	/* arm64's early_initcall(prevent_bootmem_remove_init): priority 0 on the memory chain. */
	if (!no_bootmem_notifier && m->bootmem_remove == BOOTMEM_VETO && m->arch->bootmem_notifier)
		register_memory_notifier(m, NOTIFIER_ARCH_BOOTMEM, 0);
	/* e820__reserve_resources(): "System RAM" where the firmware's map has RAM, its holes left out */
	uint64_t sys[MODEL_MAX_SYSTEM_RAM][2];
	unsigned nr_sys = model_system_ram(&m->model, sys, MODEL_MAX_SYSTEM_RAM);
	for (unsigned i = 0, j = 0; i < m->model.nr_ram; i++) {
		const struct model_range *r = &m->model.ram[i];
		for (; j < nr_sys && sys[j][0] - r->start < r->size; j++)   /* this range's pieces (in its order) */
			if (request_region(m, sys[j][0], sys[j][1] - sys[j][0], "System RAM", false, false))
				return mhp_err_set(err, -EEXIST, "boot: overlapping RAM at %#llx",
						   (unsigned long long)sys[j][0]);
		ret = create_memory_block_devices(m, r->start, r->size, r->nid, true, 0);
		if (ret)
			return mhp_err_set(err, ret, "boot: cannot create memory blocks");
	}
	/* The virtio_mem module: its device is probed once the system is up. */
	return virtio_mem_probe(m, err);
}

/* An empty machine of a model: booting or loading a snapshot fills it. */
struct mhp_machine *machine_alloc(const struct mhp_model *model, mhp_trace_sink sink, void *ctx)
{
	struct mhp_machine *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->log.lines = calloc(LOG_RING_LINES, sizeof(*m->log.lines));
	if (!m->log.lines) {
		free(m);
		return NULL;
	}
	m->model = *model;
	m->arch = arch_find(model->arch);   /* NULL for the empty model a snapshot fills */
	m->trace.hash = FNV1A64_INIT;
	m->trace.sink = sink;
	m->trace.ctx = ctx;
	m->online_page_callback = generic_online_page;
	m->host.budget = MHP_DEFAULT_MAX_MEMORY;
	check_install_hooks(m);
	sparse_init(m);
	return m;
}

int mhp_machine_boot(const struct mhp_model *model, const struct mhp_boot_args *args,
		     struct mhp_machine **out, struct mhp_err *err)
{
	static const struct mhp_boot_args defaults = { 0 };
	if (!args)
		args = &defaults;
	*out = NULL;
	struct mhp_machine *m = machine_alloc(model, args->sink, args->sink_ctx);
	if (!m)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	m->prng = args->seed ? args->seed : 0x6d687073696d0001ull;
	m->memory_probe = model->memory_probe || args->memory_probe;
	mhp_machine_set_max_memory(m, args->max_memory);
	int ret = boot(m, args->cmdline, args->no_bootmem_notifier, args->no_kernel_allocations, err);
	if (ret && m->host.refused[0])
		ret = mhp_err_set(err, -E2BIG, "%s", m->host.refused);
	if (ret) {
		mhp_machine_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

/* What the budget counts: the live tables and the store's slots, the sections' page runs, the tag map. */
static uint64_t host_bytes(const struct mhp_machine *m)
{
	return m->pt.host_bytes + m->pt.cap * sizeof(*m->pt.slots) + m->host.run_bytes + m->tags.bytes;
}

bool host_over_budget(struct mhp_machine *m, uint64_t bytes, const char *what)
{
	uint64_t held = host_bytes(m);
	if (!bytes || held + bytes <= m->host.budget)   /* nothing more (a leaf that is there) passes nothing */
		return false;
	if (!m->host.refused[0])
		snprintf(m->host.refused, sizeof(m->host.refused),
			 "host memory budget: the machine's page tables, page runs and tag records hold %llu bytes, and "
			 "%s of %llu more would pass its budget of %llu (--max-memory)", (unsigned long long)held, what,
			 (unsigned long long)bytes, (unsigned long long)m->host.budget);
	return true;
}

void mhp_machine_set_max_memory(struct mhp_machine *m, uint64_t bytes)
{
	m->host.budget = bytes ? bytes : MHP_DEFAULT_MAX_MEMORY;
}

void mhp_machine_set_pagewise(struct mhp_machine *m, bool on)
{
	m->pagewise = on;
}

const char *mhp_machine_host_refused(const struct mhp_machine *m)
{
	return m->host.refused[0] ? m->host.refused : NULL;
}

/*
 * After a step: page runs are never refused as they are written (a range
 * half marked would be a state the kernel never has), so a machine whose
 * runs took it past its budget is stopped here, one step's runs past it.
 */
const char *mhp_machine_host_check(struct mhp_machine *m)
{
	uint64_t held = host_bytes(m);
	if (!m->host.refused[0] && held > m->host.budget)
		snprintf(m->host.refused, sizeof(m->host.refused),
			 "host memory budget: the machine's page tables, page runs and tag records hold %llu bytes, past "
			 "its budget of %llu (--max-memory): the page runs this step wrote took them past it",
			 (unsigned long long)held, (unsigned long long)m->host.budget);
	return mhp_machine_host_refused(m);
}

uint64_t mhp_testing_host_bytes(const struct mhp_machine *m)
{
	return host_bytes(m);
}

void mhp_machine_free(struct mhp_machine *m)
{
	if (!m)
		return;
	virtio_mem_free(m);
	memory_blocks_free(m);
	resources_free(m);
	pt_store_free(m);
	sparse_free(m);
	tags_free(m);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			zone_free_lists_free(&m->nodes[nid].zones[zid]);
	free(m->log.lines);
	free(m);
}

static void hash_u64(uint64_t *h, uint64_t v)
{
	*h = fnv1a64(*h, &v, sizeof(v));
}

/*
 * The bytes a page array would hold (the snapshot's), read from the runs:
 * a free page is eight zero bytes, so the gaps between runs are hashed at
 * once (fnv1a64_zeros), the runs' pages state by state.
 */
static uint64_t hash_section_pages(const struct mhp_machine *m, const struct mem_section *ms, uint64_t h)
{
	struct page_state chunk[64];
	uint64_t at = 0;
	for (struct run_iter it = section_runs_from(ms, 0); it.r; run_iter_next(&it)) {
		h = fnv1a64_zeros(h, (it.r->lo - at) * sizeof(chunk[0]));
		for (uint64_t p = it.r->lo, k; p < it.r->hi; p += k) {
			k = it.r->hi - p < 64 ? it.r->hi - p : 64;
			for (uint64_t j = 0; j < k; j++)
				chunk[j] = page_run_state(it.r, p + j);
			h = fnv1a64(h, chunk, k * sizeof(chunk[0]));
		}
		at = it.r->hi;
	}
	return fnv1a64_zeros(h, (m->pages_per_section - at) * sizeof(chunk[0]));
}

static int hash_section(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	uint64_t *h = arg;
	hash_u64(h, nr);
	hash_u64(h, ms->flags);
	hash_u64(h, ms->nr_alloc);
	if (ms->nr_alloc)
		*h = hash_section_pages(m, ms, *h);
	if (ms->pb_mt)
		*h = fnv1a64(*h, ms->pb_mt, m->pages_per_section >> m->pageblock_order);
	hash_u64(h, (uint64_t)(int64_t)ms->nid);
	hash_u64(h, (uint64_t)(int64_t)ms->zone);
	for (int i = 0; i < 4; i++)
		hash_u64(h, ms->subsection_map[i]);
	return 0;
}

/*
 * Each table is hashed alone and the hashes summed: independent of the
 * store's slot order. Tables of one depth (one size) wait in fours, which
 * are hashed side by side (fnv1a64_x4): the same sum, a quarter of the
 * multiply chain's wait.
 */
struct table_sum {
	uint64_t sum;
	const struct pt_table *wait[PT_MAX_DEPTH][4];
	unsigned nwait[PT_MAX_DEPTH];
};

/* Hashes k (1 or 4) tables of one depth into the sum: each its pfn, its depth, then its entries as bytes. */
static void hash_tables(const struct mhp_machine *m, const struct pt_table *const *t, unsigned k, uint64_t *sum)
{
	uint64_t chunk[4][512], h[4], n = m->pt_geom.ptrs[t[0]->depth];
	MHP_ASSERT(k == 1 || k == 4);
	for (unsigned j = 0; j < k; j++) {
		h[j] = fnv1a64(FNV1A64_INIT, &t[j]->pfn, sizeof(t[j]->pfn));
		h[j] = fnv1a64(h[j], &t[j]->depth, sizeof(t[j]->depth));
	}
	for (uint64_t i = 0; i < n; i += 512) {
		uint64_t c = n - i < 512 ? n - i : 512;
		for (unsigned j = 0; j < k; j++)
			pt_copy(t[j], i, c, chunk[j]);
		if (k == 4)
			fnv1a64_x4(h, (const void *const[4]){ chunk[0], chunk[1], chunk[2], chunk[3] }, c * sizeof(chunk[0][0]));
		else
			h[0] = fnv1a64(h[0], chunk[0], c * sizeof(chunk[0][0]));
	}
	for (unsigned j = 0; j < k; j++)
		*sum += h[j];
}

static int hash_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct table_sum *s = arg;
	MHP_ASSERT(t->depth < PT_MAX_DEPTH);
	s->wait[t->depth][s->nwait[t->depth]++] = t;
	if (s->nwait[t->depth] == 4) {
		hash_tables(m, s->wait[t->depth], 4, &s->sum);
		s->nwait[t->depth] = 0;
	}
	return 0;
}

/* The tables' summed hashes: the fours, then the ones left over, one at a time. */
static uint64_t hash_all_tables(const struct mhp_machine *m)
{
	struct table_sum s = { 0 };
	pt_for_each(m, hash_table, &s);
	for (unsigned d = 0; d < PT_MAX_DEPTH; d++)
		for (unsigned j = 0; j < s.nwait[d]; j++)
			hash_tables(m, &s.wait[d][j], 1, &s.sum);
	return s.sum;
}

/* Hashes the state field by field in a fixed order: never memory layout or addresses. */
uint64_t mhp_machine_state_hash(const struct mhp_machine *m)
{
	uint64_t h = FNV1A64_INIT;
	for_each_present_section(m, 0, UINT64_MAX, hash_section, &h);
	for (size_t i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *b = m->blocks[i];
		uint64_t v[] = { b->id, (uint64_t)b->state, (uint64_t)(int64_t)b->nid,
				 (uint64_t)(int64_t)b->zone, b->dev_offline };
		h = fnv1a64(h, v, sizeof(v));
		if (b->looked_up)   /* kernel_allocations only: hashes without them stay as they were */
			hash_u64(&h, b->looked_up);
	}
	for (int nid = 0; m->kalloc.on && nid < MAX_NUMNODES; nid++)
		h = fnv1a64(h, &m->kmem[nid], sizeof(m->kmem[nid]));
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		const struct pglist_data *p = &m->nodes[nid];
		uint64_t v[] = { p->online, p->node_start_pfn, p->node_spanned_pages, p->node_present_pages };
		h = fnv1a64(h, v, sizeof(v));
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &p->zones[zid];
			uint64_t zv[] = { z->zone_start_pfn, z->spanned_pages, z->present_pages,
					  z->present_early_pages, z->managed_pages, z->cma_pages, z->free_pages,
					  z->_watermark[WMARK_MIN], z->_watermark[WMARK_LOW], z->_watermark[WMARK_HIGH] };
			h = fnv1a64(h, zv, sizeof(zv));
		}
	}
	for (size_t i = 0; i < m->nr_resources; i++) {
		hash_u64(&h, m->resources[i].start);
		hash_u64(&h, m->resources[i].end);
		h = fnv1a64(h, m->resources[i].name, strlen(m->resources[i].name));
	}
	for (unsigned i = 0; i < m->nr_pgmaps; i++) {   /* none before ZONE_DEVICE: hashes without them stay */
		uint64_t v[] = { m->pgmaps[i].start, m->pgmaps[i].end, (uint64_t)m->pgmaps[i].nid };
		h = fnv1a64(h, v, sizeof(v));
	}
	hash_u64(&h, hash_all_tables(m));
	for (unsigned i = 0; i < TLB_ENTRIES; i++) {
		const struct tlb_entry *e = &m->tlb.e[i];
		uint64_t v[] = { e->valid, e->va, e->span, e->target, e->depth, e->leaf };
		h = fnv1a64(h, v, sizeof(v));
	}
	/* What only x86 keeps, hashed when it holds anything (so arm64's hashes stay as they were). */
	bool arch_state = m->nr_linear_left || m->direct_gbpages || m->after_bootmem;
	for (unsigned i = 0; i < PT_MAX_DEPTH + 1; i++)
		arch_state = arch_state || m->direct_pages_count[i];
	if (arch_state) {
		h = fnv1a64(h, m->direct_pages_count, sizeof(m->direct_pages_count));
		uint64_t flags[] = { m->direct_gbpages, m->after_bootmem, m->nr_linear_left };
		h = fnv1a64(h, flags, sizeof(flags));
		h = fnv1a64(h, m->linear_left, m->nr_linear_left * sizeof(m->linear_left[0]));
	}
	uint64_t g[] = { m->totalram_pages, m->nr_memmap_pages, m->nr_memmap_boot_pages, m->max_pfn,
			 (uint64_t)m->default_online_type, m->log.next, m->prng, (uint64_t)m->min_free_kbytes,
			 (uint64_t)m->policy_zone };
	return fnv1a64(h, g, sizeof(g));
}

uint64_t mhp_testing_free_lists_hash(const struct mhp_machine *m)
{
	uint64_t h = FNV1A64_INIT;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			for (unsigned o = 0; o <= MAX_ORDER_LIMIT; o++)
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					const struct free_list *fl = &m->nodes[nid].zones[zid].free_area[o][mt];
					uint64_t v[] = { (uint64_t)nid, (uint64_t)zid, o, (uint64_t)mt, fl->n };
					h = fnv1a64(h, v, sizeof(v));
					if (fl->n)
						h = fnv1a64(h, fl->pfn, fl->n * sizeof(*fl->pfn));
				}
	return h;
}

void mhp_testing_kpageflags(const struct mhp_machine *m, uint64_t pfn, uint64_t *flags, uint64_t *count)
{
	kpageflags_read(m, pfn, flags, count);
}

void mhp_machine_step_begin(struct mhp_machine *m)
{
	kernel_step_begin(m);
}

void mhp_machine_step_end(struct mhp_machine *m)
{
	kernel_step_end(m);
}

int mhp_machine_set_teardown(struct mhp_machine *m, const char *name)
{
	int i = arch_teardown_find(m->arch, name);
	if (i < 0)
		return -EINVAL;
	if (!m->arch->teardown_built((unsigned)i))
		return -ENOTSUP;
	if (m->bootmem_remove == BOOTMEM_RESERVED && strcmp(name, "kernel") == 0)
		return -EPERM;   /* the tree's code as it is frees boot memory with free_pages() */
	m->teardown = i;
	return 0;
}

const char *mhp_machine_teardown(const struct mhp_machine *m)
{
	return m->arch->teardown_name((unsigned)m->teardown);
}

/* The strategies of every architecture: these calls have no machine to ask. */
const char *mhp_teardown_strategy_name(unsigned i)
{
	return arch_any_teardown_name(i);
}

int mhp_teardown_strategy_built(const char *name)
{
	const struct arch_ops *a = arch_of_teardown(name);
	return a ? a->teardown_built((unsigned)arch_teardown_find(a, name)) : -EINVAL;
}

/* The message for mhp_machine_set_teardown()'s errno; the names come from the registry. */
int mhp_teardown_error(const struct mhp_machine *m, struct mhp_err *err, int ret, const char *name)
{
	const struct arch_ops *a = m ? m->arch : arch_default();
	if (ret == -EPERM)
		return mhp_err_set(err, ret, "teardown strategy '%s' runs the tree's free_hotplug_page_range(), which frees "
				   "boot memory with free_pages(): mhpsim.bootmem=reserved is a change to it that only the "
				   "model's strategies make", name);
	if (ret == -ENOTSUP)
		return mhp_err_set(err, ret, "teardown strategy '%s': this mhpsim was built without a kernel tree: "
				   MHP_HOW_TO_BUILD_KERNEL " (or cmake -DMHPSIM_KERNEL_TREE=DIR)", name);
	const char *names[ARCH_MAX_TEARDOWNS];
	unsigned n = arch_teardown_names(a, names, ARCH_MAX_TEARDOWNS);
	for (unsigned i = 0; i < n; i++) {
		const char *old = a->teardown_formerly ? a->teardown_formerly(i) : NULL;
		if (old && strcmp(old, name) == 0)
			return mhp_err_set(err, ret, "teardown strategy '%s' was renamed '%s' (docs/teardown.md says why)",
					   name, names[i]);
	}
	char choices[256];
	struct strbuf sb;
	sb_init(&sb, choices, sizeof(choices));
	sb_put_choices(&sb, names, n);
	return mhp_err_set(err, ret, "unknown teardown strategy '%s' (%s)", name, choices);
}

int mhp_bench_remove_pgd_mapping(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	uint64_t section = 1ull << m->model.section_size_bits;
	if (!size || start % section || size % section || start + size < start)
		return -EINVAL;
	for (uint64_t a = start; a < start + size; a += section) {
		const struct mem_section *ms = __nr_to_section(m, PHYS_PFN(m, a) >> m->pfn_section_shift);
		if (!ms || !present_section(ms))
			return -EINVAL;
	}
	m->arch->remove_linear_map(m, start, size);
	return 0;
}

void mhp_machine_fail_alloc_every(struct mhp_machine *m, unsigned nth, unsigned interval, unsigned times)
{
	fault_attr_arm(&m->fail_page_alloc, nth, interval, times);
}

void mhp_machine_failslab(struct mhp_machine *m, unsigned nth, unsigned interval, unsigned times)
{
	fault_attr_arm(&m->failslab, nth, interval, times);
}

void mhp_machine_fail_alloc(struct mhp_machine *m, unsigned nth, unsigned count)
{
	mhp_machine_fail_alloc_every(m, nth, 1, count);
}

uint64_t mhp_pgtable_count(const struct mhp_machine *m)
{
	return m->pt.count;
}

void mhp_machine_pt_stats(const struct mhp_machine *m, struct mhp_pt_stats *st)
{
	*st = (struct mhp_pt_stats){ .tables = m->pt.count, .allocated = m->pt.nr_allocated, .freed = m->pt.nr_freed,
				     .desc_reads = m->pt.nr_reads, .desc_writes = m->pt.nr_writes,
				     .flush_range = m->tlb.nr_flush_range, .flush_leaf = m->tlb.nr_flush_leaf,
				     .flush_pgtable = m->tlb.nr_flush_pgtable, .flush_all = m->tlb.nr_flush_all,
				     .freed_while_cached = m->tlb.nr_freed_while_cached };
}

void mhp_machine_tlb_flushes(const struct mhp_machine *m, uint64_t counts[3])
{
	counts[0] = m->tlb.nr_flush_range;
	counts[1] = m->tlb.nr_flush_pgtable;
	counts[2] = m->tlb.nr_flush_all;
}

void mhp_machine_set_offline_retries(struct mhp_machine *m, uint32_t passes)
{
	m->offline_retry_budget = passes;
}

int mhp_touch(struct mhp_machine *m, enum mhp_touch kind, uint64_t addr)
{
	return m->arch->touch(m, (int)kind, addr);
}
