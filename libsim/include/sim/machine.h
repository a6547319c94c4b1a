/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * machine.h - the simulated machine: every layer's state in one object, so
 * that two machines live in one process and a snapshot is one object.
 */
#ifndef MHPSIM_SIM_MACHINE_H
#define MHPSIM_SIM_MACHINE_H

#include "sim/fault-inject.h"
#include "sim/kernel.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/memremap.h"
#include "sim/ioport.h"
#include "sim/printk.h"
#include "sim/slab.h"
#include "sim/trace.h"
#include "sim/mutant.h"
#include "sim/workload.h"
#include "sim/touched.h"
#include "arch/arch.h"
#include "arch/pgtable.h"
#include "arch/tlb.h"

/*
 * What the model tells the layers above it (the checks) without calling
 * them: a hook per event, installed when the machine is made.
 */
enum model_hook { HOOK_ARCH_OP_RETURNED, NR_MODEL_HOOKS };

/* ---- the machine ----------------------------------------------------------- */

#define LINEAR_LEFT_MAX 64   /* linear-map leftovers of failed adds a machine records */

/*
 * Boot memory and hot-remove on arm64 (the what-if parameter mhpsim.bootmem=,
 * not a kernel one): 6.12 vetoes its offline (prevent_bootmem_remove_notifier);
 * "allow" is the 2020 proposal, the notifier gone; "reserved" also gives boot
 * memory's memmap and tables back with free_reserved_page(), as x86-64 and
 * RISC-V do, which the proposal would need.
 */
enum bootmem_remove { BOOTMEM_VETO, BOOTMEM_ALLOW, BOOTMEM_RESERVED };

struct mhp_machine {
	struct mhp_model model;
	const struct arch_ops *arch;    /* the model's architecture */

	/* Geometry derived from the model (asm/sparsemem.h, pgtable-hwdef.h). */
	unsigned page_shift;
	uint64_t page_size;
	unsigned pfn_section_shift;     /* SECTION_SIZE_BITS - PAGE_SHIFT */
	uint64_t pages_per_section;
	uint64_t sections_per_block;
	uint64_t pages_per_block;
	unsigned pageblock_order, max_page_order;
	uint64_t pages_per_subsection;
	unsigned subsections_per_section;
	uint64_t memstart_addr;
	uint64_t mappable_start, mappable_end;  /* arch_get_mappable_range(), end inclusive */
	uint64_t max_pfn;

	/* Boot parameters and run-time tunables. */
	int default_online_type;        /* memhp_default_state / auto_online_blocks */
	bool memory_probe;              /* CONFIG_ARCH_MEMORY_PROBE: /sys/devices/system/memory/probe */
	int online_policy;
	uint32_t auto_movable_ratio;    /* memory_hotplug.auto_movable_ratio, percent */
	uint64_t required_kernelcore, required_movablecore;   /* kernelcore=, movablecore= in pages */
	uint64_t kernelcore_percent, movablecore_percent;
	uint64_t zone_movable_pfn[MAX_NUMNODES];
	uint64_t arch_zone_lo[MAX_NR_ZONES], arch_zone_hi[MAX_NR_ZONES];
	bool auto_movable_numa_aware;
	bool movable_node;
	int memmap_mode;                /* memory_hotplug.memmap_on_memory: 0 off, 1 on, 2 force */
	struct vmem_altmap *altmap;     /* the altmap of the block being added, if any */
	int min_free_kbytes;            /* vm.min_free_kbytes: the watermarks' base (page_alloc.c) */
	int policy_zone;                /* mempolicy.c's: raised by build_all_zonelists(), never lowered */

	struct pglist_data nodes[MAX_NUMNODES];
	struct sparse_table sparse;
	struct memory_block **blocks;   /* sorted by id */
	size_t nr_blocks, cap_blocks;
	struct resource *resources;     /* sorted by start, non-overlapping */
	size_t nr_resources, cap_resources;
	struct dev_pagemap pgmaps[MAX_PGMAPS];   /* ZONE_DEVICE ranges (mm/memremap.c), sorted by start */
	unsigned nr_pgmaps;
	bool adding_pgmap;              /* during memremap_pages()'s arch_add_memory(): PAGE_KERNEL, not pgprot_mhp() */

	struct kalloc_params kalloc;    /* the model's kernel_allocations, unless the boot turned them off */
	struct kmem_node kmem[MAX_NUMNODES];
	uint64_t transient[KALLOC_MAX_TRANSIENT];   /* pages a running step holds (kernel_step_begin) */
	uint64_t nr_transient;

	uint64_t totalram_pages;        /* totalram_pages(): MemTotal */
	uint64_t nr_memmap_pages;       /* vmstat nr_memmap_pages */
	uint64_t nr_memmap_boot_pages;

	/* The kernel page tables (arch/pgtable.c, the arch's mmu) and the TLB (arch/tlb.c). */
	struct pt_geom pt_geom;
	struct pt_store pt;
	struct tlb tlb;
	bool can_set_direct_map;        /* rodata=full, or KFENCE without an early pool */
	/* The linear map's leaves by level as the arch counts them (x86: direct_pages_count[], DirectMap4k/2M/1G). */
	uint64_t direct_pages_count[6];
	bool direct_gbpages;            /* the linear map may use PUD leaves (x86: gbpages on a CPU with pdpe1gb) */
	int8_t direct_gbpages_param;    /* gbpages (1) or nogbpages (-1) on the command line, 0: neither */
	bool after_bootmem;             /* boot's page-table code is done (x86's after_bootmem) */
	struct { uint64_t start, end; } linear_left[LINEAR_LEFT_MAX];   /* linear_map_left_add(), sorted */
	unsigned nr_linear_left;
	bool rodata_full, kfence_early, debug_pagealloc;
	int teardown;                   /* index in teardown_strategies[] (teardown.h) */
	uint64_t nr_pgtable_pages;      /* live table pages */
	uint64_t nr_bad_frees;          /* frees of pages that were not allocated as claimed */
	uint64_t nr_bad_dtors;          /* page-table destructors out of pair with a constructor (pt_dtor()) */
	uint64_t nr_walker_uaf;         /* removes a walker could race to a freed table (mm/ptdump.c) */
	char walker_uaf[480];           /* the first such race, as WALKER-UAF reports it */
	struct ptdump_race *ptdump_race; /* during arch_remove_memory() when a walker may run beside it */
	bool altmap_dropped;            /* during an add's error-path remove under the mutant add-error-drops-altmap */
	uint8_t bootmem_remove;         /* the what-if mhpsim.bootmem= (arm64): enum bootmem_remove */
	bool strict_tlb;                /* mhpsim.strict_tlb: a page freed while a cache leads to it fails TLB-STALE */
	bool strict_bug;                /* mhpsim.strict_bug: a BUG on a failed table allocation is an oops, not unwound */
	uint32_t offline_retry_budget;  /* migrate passes before the "signal" (EINTR) */
	struct { int id, priority; } notifiers[8]; /* the memory notifier chain, in call order */
	unsigned nr_notifiers;
	bool inject_loaded;             /* memory-notifier-error-inject is loaded */
	struct virtio_mem *vmem;        /* the model's virtio-mem device and driver, or NULL */
	int inject_going_online, inject_going_offline;  /* its debugfs "error" values */
	uint64_t nr_migrated;           /* pages migrated since boot */
	uint64_t nr_page_writes;        /* page states written since boot: a statistic for benchmarks, not state */
	uint64_t nr_tagged_pages;       /* the sections' nr_tagged added up (mm/page.c), for the check after a step */
	uint64_t nr_isolated_pageblocks; /* pageblocks of present sections that are MIGRATE_ISOLATE (ISOLATION-CLEAN's count) */
	uint64_t nr_kernel_warns;       /* WARN_ONs the kernel strategy's code hit */
	struct tag_map tags;            /* live content tags -> pfn */
	struct fault_attr fail_page_alloc;   /* fault injection: page allocations (fail_alloc) */
	struct fault_attr failslab;          /* fault injection: slab objects the hotplug paths allocate */
	struct touched touched;         /* what changed since the last range check */
	/*
	 * Page runs (issue 19): the block the last order-0 __rmqueue_smallest()
	 * split, whose tail [next, end) the next order-0 requests of its zone
	 * and type would take one by one (page_alloc.c). Scratch, not state.
	 */
	/* A run of order-0 allocations (alloc_pages_run_take): want more pages after the first, taken of them from
	   the block zone split for it. */
	struct { struct zone *zone; uint64_t want, taken; } split_tail;
	bool pagewise;                  /* run every page operation one page at a time (the reference path) */
	void (*hooks[NR_MODEL_HOOKS])(struct mhp_machine *m);
	/* online_page_callback: hands a range being onlined to the buddy; returns the pages freed. */
	uint64_t (*online_page_callback)(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
	char tlb_stale[MHP_ERR_MSG_MAX]; /* the first TLB-STALE seen when an arch operation returned */
	uint64_t pool_used[MODEL_MAX_RANGES]; /* pages memblock handed out of each reserved range */
	/* The host memory budget (mhp_boot_args.max_memory): host, not machine state; no hash sees it. */
	struct {
		uint64_t budget;            /* bytes the page tables, the sections' page runs and the tag map may hold */
		uint64_t run_bytes;         /* the sections' page runs (mm/page.c): their arrays' capacity */
		char refused[MHP_ERR_MSG_MAX]; /* the first refusal, or "" */
	} host;

	struct printk_ring log;
	struct trace_state trace;
	uint64_t prng;                  /* the one source of randomness */
	enum mutant mutant;
};

static inline uint64_t PFN_PHYS(const struct mhp_machine *m, uint64_t pfn) { return pfn << m->page_shift; }

static inline uint64_t PHYS_PFN(const struct mhp_machine *m, uint64_t pa) { return pa >> m->page_shift; }

static inline uint64_t pfn_to_section_nr(const struct mhp_machine *m, uint64_t pfn) { return pfn >> m->pfn_section_shift; }

static inline uint64_t section_nr_to_pfn(const struct mhp_machine *m, uint64_t nr) { return nr << m->pfn_section_shift; }

/* Adds [start, end) to the physical ranges of one kind that the next range check looks at. */
static inline void touch_range(struct mhp_machine *m, int what, uint64_t start, uint64_t end)
{
	struct touched *t = &m->touched;
	uint32_t n = t->n[what], h = t->hint[what];
	uint64_t(*r)[2] = t->range[what];
	/*
	 * The common case: growing the range last touched (consecutive pages of
	 * one allocation) short of the next one, which the slow path would do too.
	 */
	if (h < n && start >= r[h][0] && start <= r[h][1] && (h + 1 == n || end < r[h + 1][0])) {
		if (end > r[h][1])
			r[h][1] = end;
		return;
	}
	touch_range_slow(t, what, start, end);
}

/* What adding or removing [start, end) of memory changes: sections, page tables and pages alike. */
static inline void touch_all(struct mhp_machine *m, uint64_t start, uint64_t end)
{
	for (int i = 0; i < NR_TOUCHED; i++)
		touch_range(m, i, start, end);
}

static inline void raise_hook(struct mhp_machine *m, enum model_hook hook)
{
	if (m->hooks[hook])
		m->hooks[hook](m);
}

static inline void touched_reset(struct mhp_machine *m)
{
	memset(m->touched.n, 0, sizeof(m->touched.n));
}

/*
 * Whether bytes more (what: "a page table", "a tag record") would pass the
 * machine's host memory budget. The first refusal is kept for the caller of
 * the step to report (mhp_machine_host_refused()); the kernel sees -ENOMEM.
 */
bool host_over_budget(struct mhp_machine *m, uint64_t bytes, const char *what);
void derive_geometry(struct mhp_machine *m);
struct mhp_machine *machine_alloc(const struct mhp_model *model, mhp_trace_sink sink, void *ctx);

#endif
