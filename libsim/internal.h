/*
 * internal.h - the simulated machine's state, shared by the files of libsim.
 *
 * Each file of libsim models one kernel file and keeps its twin's names; this
 * header is the "struct pglist_data / struct mem_section / struct memory_block"
 * part of include/linux that they all see.
 */
#ifndef MHPSIM_INTERNAL_H
#define MHPSIM_INTERNAL_H

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

#include "arch/arch.h"
#include "pgtable.h"
#include "tlb.h"

#define MAX_NUMNODES 16             /* Debian arm64: NODES_SHIFT 4 */
#define MODEL_MAX_RANGES 64         /* boot RAM, hotplug and reserved ranges per model */
#define MODEL_MAX_SIMPLIFICATIONS 32
#define LOG_RING_LINES 4096         /* printk ring: oldest lines fall out */
#define LOG_LINE_MAX 240
#define MAX_MEMORY_BLOCKS (1u << 24) /* bound on blocks a machine may hold */
#define MAX_RESOURCES 4096
#define MODEL_MAX_BOOT_SECTIONS (1u << 20) /* 128 TiB of boot RAM with 128 MiB sections */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Zones in the order of enum zone_type on Debian arm64 (mmzone.h). */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE, MAX_NR_ZONES };
#define NO_ZONE (-1)

/* Online types of drivers/base/memory.c (enum mmop). */
enum mmop { MMOP_OFFLINE = 0, MMOP_ONLINE, MMOP_ONLINE_KERNEL, MMOP_ONLINE_MOVABLE };

/* memory_hotplug.memmap_on_memory */
enum { MEMMAP_ON_MEMORY_DISABLE, MEMMAP_ON_MEMORY_ENABLE, MEMMAP_ON_MEMORY_FORCE };

/* memory_hotplug.online_policy */
enum online_policy { ONLINE_POLICY_CONTIG_ZONES = 0, ONLINE_POLICY_AUTO_MOVABLE };

/* Memory block states as the 6.12 stable tree numbers them (memory.h). */
enum memory_block_state {
	MEM_ONLINE = 0, MEM_GOING_OFFLINE, MEM_OFFLINE, MEM_GOING_ONLINE,
	MEM_CANCEL_ONLINE, MEM_CANCEL_OFFLINE, MEM_PREPARE_ONLINE, MEM_FINISH_OFFLINE,
};

/* section_mem_map flag bits (mmzone.h). */
#define SECTION_MARKED_PRESENT (1u << 0)
#define SECTION_HAS_MEM_MAP    (1u << 1)
#define SECTION_IS_ONLINE      (1u << 2)
#define SECTION_IS_EARLY       (1u << 3)
#define SECTION_ORPHAN         (1u << 8)   /* model only: left by a failed __add_pages */

/* ---- model (models/NAME.yaml) ---------------------------------------------- */

struct model_range {
	uint64_t start, size;
	int nid;
	char name[96];      /* reserved: what holds it; hotplug: driver */
	bool cma;           /* reserved: a CMA area (managed, but unmovable to isolation) */
	int pool;           /* reserved: boot allocations of this kind come from here (POOL_*) */
	uint64_t block_size;   /* hotplug by virtio_mem: the device's block-size (QEMU's default 2 MiB) */
	unsigned line, col; /* where the model file gives it */
};

enum { POOL_NONE, POOL_PGTABLE, POOL_MEMMAP };

struct mhp_model {
	char name[64];
	char arch[16];                  /* arch_find(): "arm64" unless the model file says */
	char path[512];
	unsigned page_shift;            /* 12, 14, 16 */
	unsigned va_bits, pa_bits;
	unsigned section_size_bits;     /* SECTION_SIZE_BITS */
	uint64_t block_size;            /* memory_block_size_bytes() */
	uint64_t fw_dma_limit;          /* DT/ACPI DMA limit; UINT64_MAX if none */
	uint64_t memstart_align;
	int default_online_type;        /* CONFIG_MHP_DEFAULT_ONLINE_TYPE_* */
	char cmdline[512];              /* default kernel command line */
	unsigned nr_nodes;
	struct { int nid; bool has_cpu; } nodes[MAX_NUMNODES];
	unsigned nr_ram, nr_hotplug, nr_reserved;
	struct model_range ram[MODEL_MAX_RANGES];
	struct model_range hotplug[MODEL_MAX_RANGES];
	struct model_range reserved[MODEL_MAX_RANGES];
	unsigned nr_simplifications;
	char simplifications[MODEL_MAX_SIMPLIFICATIONS][256];
};

/* ---- sparse (mm/sparse.c) ------------------------------------------------- */

struct mem_section {
	uint32_t flags;             /* SECTION_* */
	int16_t nid;                /* node of its pages (page_to_nid) */
	int8_t zone;                /* zone of its pages while online, NO_ZONE otherwise */
	uint8_t pad;
	uint32_t nr_alloc;          /* pages allocated (kind != PG_FREE) */
	struct page_state *pages;   /* per page state, allocated with the first allocation */
	uint8_t *pb_mt;             /* migratetype of each pageblock (get_pfnblock_migratetype) */
	uint64_t subsection_map[4]; /* 64 bits (4K/16K) or 256 bits (64K) */
};

/* The page layer: what struct page says about an allocated page that the model needs. */
struct page_state {
	uint32_t tag;               /* content tag of a workload page (0: none) */
	uint8_t kind;               /* enum page_kind */
	uint8_t pin;                /* long-term pins (FOLL_LONGTERM) */
	uint8_t order;              /* order of the allocation this page heads (hugetlb, blocks) */
	uint8_t head;               /* 1 on the first page of an allocation */
};

/* Migrate types, in the order of /proc/pagetypeinfo. */
enum { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, MIGRATE_HIGHATOMIC, MIGRATE_CMA, MIGRATE_ISOLATE,
       MIGRATE_TYPES };
#define MAX_ORDER_LIMIT 13         /* the largest MAX_PAGE_ORDER (64K pages) */

/* One buddy free list, kept sorted by pfn in descending order: the lowest block pops from the end. */
/*
 * A free list: the first pfn of each block, highest first (the allocator
 * takes the last, lowest). pfn[0..n) lives inside a buffer of cap entries
 * that starts head entries before pfn, so that a block freed above all the
 * others (onlining memory in ascending order does nothing else) goes in front
 * in O(1), as one taken from the end does.
 */
struct free_list {
	uint64_t *pfn;
	uint32_t n, cap, head;
};

/* What an allocated page holds (the page layer of the design; more kinds come with issue 5). */
enum page_kind {
	PG_FREE = 0, PG_PGTABLE, PG_PGTABLE_BOOT, PG_VMEMMAP, PG_VMEMMAP_BOOT, PG_VMEMMAP_ALTMAP,
	PG_ANON, PG_FILE, PG_KERNEL, PG_USER_PGTABLE, PG_HUGETLB,
	PG_OFFLINE,   /* fake-offline: a virtio-mem subblock not plugged, or unplugged, in a block Linux has */
	NR_PAGE_KINDS,
};

/* One root: a fixed-size array of sections, allocated when first needed. */
struct section_root {
	uint64_t root_nr;
	struct mem_section *sections;
	uint32_t nr_present;        /* present sections in this root; freed at zero */
};

struct sparse_table {
	struct section_root *roots; /* sorted by root_nr: memory grows with use */
	size_t nr_roots, cap_roots;
	size_t last;                /* index of the root last looked up */
	uint64_t nr_present;
};

/* ---- zones and nodes (mmzone.h) ------------------------------------------- */

struct zone {
	uint64_t zone_start_pfn;
	uint64_t spanned_pages;
	uint64_t present_pages;
	uint64_t present_early_pages;
	uint64_t managed_pages;
	uint64_t cma_pages;
	uint64_t free_pages;        /* NR_FREE_PAGES */
	struct free_list free_area[MAX_ORDER_LIMIT + 1][MIGRATE_TYPES];
	uint16_t nonempty[MIGRATE_TYPES]; /* bit o: free_area[o][mt] has a block (a cache, rebuilt on load) */
};

struct pglist_data {
	bool online;                /* N_ONLINE */
	bool has_cpu;               /* N_CPU */
	bool possible;
	uint64_t node_start_pfn, node_spanned_pages, node_present_pages;
	struct zone zones[MAX_NR_ZONES];
};

/* ---- memory blocks (drivers/base/memory.c) --------------------------------- */

struct memory_block {
	uint64_t id;                /* memoryN */
	uint64_t start_section_nr;
	int state;                  /* MEM_ONLINE, MEM_GOING_OFFLINE, MEM_OFFLINE */
	int online_type;            /* MMOP_*, set by a state write, reset after */
	int nid;                    /* -1 until linked to a node */
	int zone;                   /* zone while online, NO_ZONE if it spans several */
	bool dev_offline;           /* struct device's offline flag */
	bool early;                 /* created at boot */
	uint64_t nr_vmemmap_pages;  /* memmap_on_memory: its first pages hold its memmap (altmap->free) */
};

/* A vmem_altmap: the vmemmap of a block carved from the block itself. */
struct vmem_altmap {
	uint64_t base_pfn, free, alloc;
};

/* ---- iomem resources (kernel/resource.c) ----------------------------------- */

struct resource {
	uint64_t start, end;        /* end inclusive, as the kernel keeps it */
	char name[48];
	bool driver_managed;
	bool mergeable;             /* added with MHP_MERGE_RESOURCE */
};

/* ---- printk and trace ------------------------------------------------------ */

struct log_line {
	uint8_t level;
	char text[LOG_LINE_MAX];
};

struct printk_ring {
	struct log_line *lines;     /* LOG_RING_LINES */
	uint64_t next;              /* sequence of the next line */
};

struct trace_state {
	uint64_t seq;
	uint64_t hash;
	mhp_trace_sink sink;
	void *ctx;
};


/* ---- mutants (testing.h) --------------------------------------------------- */

enum mutant {
	MUTANT_NONE = 0,
	MUTANT_OFFLINE_KEEPS_SECTION_ONLINE,
	MUTANT_ONLINE_BLOCK_WRONG_ZONE,
	MUTANT_ONLINE_NO_SPAN_GROW,
	MUTANT_OFFLINE_SHRINK_WHOLE_ZONE,
	MUTANT_OFFLINE_FORGETS_TOTALRAM,
	MUTANT_REMOVE_KEEPS_SECTION_PRESENT,
	MUTANT_FREE_TABLE_KEEP_PARENT,
	MUTANT_NO_LEAF_FLUSH,
	MUTANT_NO_TABLE_FLUSH,
	MUTANT_TABLES_NEVER_FREED,
	MUTANT_FREE_LINEAR_PAGES,
	MUTANT_LINEAR_MAP_SHORT,
	MUTANT_HOTPLUG_BLOCKS,
	MUTANT_VMEMMAP_NOT_FREED,
	MUTANT_CANCEL_KEEPS_ISOLATION,
	MUTANT_OFFLINE_LEAVES_FREE_BLOCKS,
	MUTANT_MIGRATE_DROPS_TAG,
	MUTANT_KERNEL_ALLOC_FROM_MOVABLE,
	MUTANT_FREE_TO_WRONG_LIST,
	NR_MUTANTS,
};

/*
 * Content tags of workload pages: tag -> pfn, a three-level radix tree on
 * the tag. Tags are handed out in runs, so a run fills leaves in order and a
 * lookup is three loads; nodes exist only where tags are live.
 */
#define TAG_LEAF_BITS 10
#define TAG_MID_BITS 10
#define TAG_TOP_BITS (32 - TAG_MID_BITS - TAG_LEAF_BITS)
struct tag_leaf {
	uint32_t count;
	uint64_t pfn1[1u << TAG_LEAF_BITS];   /* pfn + 1; 0: no such tag */
};
struct tag_mid {
	uint32_t count;
	struct tag_leaf *leaf[1u << TAG_MID_BITS];
};
struct tag_map {
	struct tag_mid **top;                 /* 1 << TAG_TOP_BITS entries, allocated on first use */
	uint64_t count;
};

/*
 * What a step changed, as physical ranges per kind of state, so that the
 * check after it walks only that: sections and blocks (add, remove, online,
 * offline), page tables (add, remove), pages (allocations, frees, online, offline).
 */
enum { TOUCHED_SECTIONS, TOUCHED_PT, TOUCHED_PAGES, NR_TOUCHED };
#define TOUCHED_MAX 32   /* ranges kept per kind; past that the two closest merge */
struct touched {
	uint64_t range[NR_TOUCHED][TOUCHED_MAX][2];   /* sorted, disjoint, not adjacent */
	uint32_t n[NR_TOUCHED];
};

/*
 * What the model tells the layers above it (the checks) without calling
 * them: a hook per event, installed when the machine is made.
 */
enum model_hook { HOOK_ARCH_OP_RETURNED, NR_MODEL_HOOKS };

/* ---- the machine ----------------------------------------------------------- */

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

	struct pglist_data nodes[MAX_NUMNODES];
	struct sparse_table sparse;
	struct memory_block **blocks;   /* sorted by id */
	size_t nr_blocks, cap_blocks;
	struct resource *resources;     /* sorted by start, non-overlapping */
	size_t nr_resources, cap_resources;

	uint64_t totalram_pages;        /* totalram_pages(): MemTotal */
	uint64_t nr_memmap_pages;       /* vmstat nr_memmap_pages */
	uint64_t nr_memmap_boot_pages;

	/* arm64 page tables (pgtable.c, mmu.c) and the TLB (tlb.c). */
	struct pt_geom pt_geom;
	struct pt_store pt;
	struct tlb tlb;
	bool can_set_direct_map;        /* rodata=full, or KFENCE without an early pool */
	bool rodata_full, kfence_early, debug_pagealloc;
	int teardown;                   /* index in teardown_strategies[] (teardown.h) */
	uint64_t nr_pgtable_pages;      /* live table pages */
	uint64_t nr_bad_frees;          /* frees of pages that were not allocated as claimed */
	uint32_t offline_retry_budget;  /* migrate passes before the "signal" (EINTR) */
	struct { int id, priority; } notifiers[8]; /* the memory notifier chain, in call order */
	unsigned nr_notifiers;
	bool inject_loaded;             /* memory-notifier-error-inject is loaded */
	struct virtio_mem *vmem;        /* the model's virtio-mem device and driver, or NULL */
	int inject_going_online, inject_going_offline;  /* its debugfs "error" values */
	uint64_t nr_migrated;           /* pages migrated since boot */
	uint64_t nr_page_writes;        /* page states written since boot: a statistic for benchmarks, not state */
	uint64_t nr_kernel_warns;       /* WARN_ONs the kernel strategy's code hit */
	struct tag_map tags;            /* live content tags -> pfn */
	int64_t fail_alloc_after;       /* fault injection: allocations to let through first (-1: never fail) */
	uint32_t fail_alloc_count;      /* then this many fail */
	struct touched touched;         /* what changed since the last range check */
	void (*hooks[NR_MODEL_HOOKS])(struct mhp_machine *m);
	/* online_page_callback: hands a range being onlined to the buddy; returns the pages freed. */
	uint64_t (*online_page_callback)(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
	char tlb_stale[MHP_ERR_MSG_MAX]; /* the first TLB-STALE seen when an arch operation returned */
	uint64_t pool_used[MODEL_MAX_RANGES]; /* pages memblock handed out of each reserved range */

	struct printk_ring log;
	struct trace_state trace;
	uint64_t prng;                  /* the one source of randomness */
	enum mutant mutant;
};

/* ---- helpers shared across files ------------------------------------------- */

static inline uint64_t PFN_PHYS(const struct mhp_machine *m, uint64_t pfn) { return pfn << m->page_shift; }
static inline uint64_t PHYS_PFN(const struct mhp_machine *m, uint64_t pa) { return pa >> m->page_shift; }
static inline uint64_t pfn_to_section_nr(const struct mhp_machine *m, uint64_t pfn) { return pfn >> m->pfn_section_shift; }
static inline uint64_t section_nr_to_pfn(const struct mhp_machine *m, uint64_t nr) { return nr << m->pfn_section_shift; }
static inline uint64_t zone_end_pfn(const struct zone *z) { return z->zone_start_pfn + z->spanned_pages; }
static inline bool zone_is_empty(const struct zone *z) { return z->spanned_pages == 0; }
static inline bool populated_zone(const struct zone *z) { return z->present_pages != 0; }
static inline bool is_aligned(uint64_t x, uint64_t a) { return (x & (a - 1)) == 0; }

const char *zone_name(int zid);

/* sparse.c */
int sparse_init(struct mhp_machine *m);
void sparse_free(struct mhp_machine *m);
struct mem_section *__nr_to_section_slow(const struct mhp_machine *m, uint64_t nr);

/* Models __nr_to_section(): NULL when the section's root was never allocated. The last root hit is tried first. */
static inline struct mem_section *__nr_to_section(const struct mhp_machine *m, uint64_t nr)
{
	const struct sparse_table *t = &m->sparse;
	unsigned shift = m->page_shift - 4;   /* a root holds PAGE_SIZE / 16 sections */
	if (t->last < t->nr_roots && t->roots[t->last].root_nr == nr >> shift)
		return &t->roots[t->last].sections[nr & ((1ull << shift) - 1)];
	return __nr_to_section_slow(m, nr);
}

static inline struct mem_section *__pfn_to_section(const struct mhp_machine *m, uint64_t pfn)
{
	return __nr_to_section(m, pfn >> m->pfn_section_shift);
}
struct mem_section *sparse_get_section(struct mhp_machine *m, uint64_t nr); /* allocates */
bool present_section(const struct mem_section *ms);
bool online_section(const struct mem_section *ms);
bool early_section(const struct mem_section *ms);
int memblocks_present(struct mhp_machine *m, struct mhp_err *err);
int sparse_add_section(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages, bool early);
void sparse_remove_section(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);
void online_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void offline_mem_sections(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
bool pfn_valid(const struct mhp_machine *m, uint64_t pfn);
/* Calls fn for each present section in [start_nr, end_nr) in order; stops on nonzero. */
int for_each_present_section(const struct mhp_machine *m, uint64_t start_nr, uint64_t end_nr,
			     int (*fn)(const struct mhp_machine *, uint64_t nr,
				       const struct mem_section *, void *), void *arg);
uint64_t sparse_memory_bytes(const struct mhp_machine *m);

/* memblock.c (reserved boot memory) */
uint64_t memblock_reserved_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, bool cma);
bool memblock_first_unmovable(const struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn,
			      uint64_t *pfn, const char **what);

/* mm_init.c (boot layout of nodes and zones) */
int free_area_init(struct mhp_machine *m);
int memmap_init(struct mhp_machine *m, struct mhp_err *err);
void log_zone_ranges(struct mhp_machine *m);
int cmdline_parse_core(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int early_debug_pagealloc(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int kfence_sample_interval(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
/* params.c */
int parse_cmdline(struct mhp_machine *m, const char *cmdline, struct mhp_err *err);
/* arch/arm64/init.c */
void zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
		     uint64_t max_zone_pfn[MAX_NR_ZONES]);
int arm64_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);

/* page_alloc.c (zones) */
bool zone_intersects(const struct zone *z, uint64_t start_pfn, uint64_t nr_pages);
void resize_zone_range(struct zone *z, uint64_t start_pfn, uint64_t nr_pages);
void resize_pgdat_range(struct pglist_data *pgdat, uint64_t start_pfn, uint64_t nr_pages);
void adjust_managed_page_count(struct mhp_machine *m, struct zone *z, int64_t nr);

int alloc_pages_node(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn);
void free_pages_kind(struct mhp_machine *m, uint64_t pfn, unsigned order, enum page_kind kind);
void free_pages_owned(struct mhp_machine *m, uint64_t pfn, unsigned order);
void free_range_to_buddy(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void memblock_free_all(struct mhp_machine *m);
uint64_t move_free_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int mt);
uint64_t take_free_blocks(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
int get_pageblock_migratetype(const struct mhp_machine *m, uint64_t pfn);
void set_pageblock_migratetype(struct mhp_machine *m, uint64_t pfn, int mt);
void zone_free_lists_free(struct zone *z);
bool page_is_free(const struct mhp_machine *m, uint64_t pfn);
/* The state of a page, or NULL when its section keeps none (nothing allocated in it). */
static inline struct page_state *page_state_of(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	if (!ms || !ms->pages)
		return NULL;
	return &ms->pages[pfn & (m->pages_per_section - 1)];
}

static inline enum page_kind page_kind_of(const struct mhp_machine *m, uint64_t pfn)
{
	const struct page_state *p = page_state_of(m, pfn);
	return p ? (enum page_kind)p->kind : PG_FREE;
}
int set_page_kinds(struct mhp_machine *m, uint64_t pfn, uint64_t n, enum page_kind kind);
/* What the offline path can move: LRU pages (anon, file) and hugetlb folios. */
static inline bool kind_is_movable(enum page_kind kind)
{
	return kind == PG_ANON || kind == PG_FILE || kind == PG_HUGETLB;
}

static inline bool kind_is_kernel(enum page_kind kind)
{
	return kind != PG_FREE && !kind_is_movable(kind);
}
int memblock_alloc_pages(struct mhp_machine *m, int nid, unsigned order, enum page_kind kind, uint64_t *pfn);
bool first_reserved_in(const struct mhp_machine *m, uint64_t lo, uint64_t hi, uint64_t *r0, uint64_t *r1);

/* workload.c */
void tag_moved(struct mhp_machine *m, uint32_t tag, uint64_t pfn);
int tag_insert(struct tag_map *t, uint32_t tag, uint64_t pfn);
bool tag_next_live(const struct tag_map *t, uint32_t from, uint32_t *tag);
void tags_for_each(const struct tag_map *t, void (*fn)(uint32_t tag, uint64_t pfn, void *arg), void *arg);
bool tag_lookup(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn);
void tags_free(struct mhp_machine *m);

/* migrate.c */
int scan_movable_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, uint64_t *pfn);
void do_migrate_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, unsigned *warned);
int alloc_pages_like(struct mhp_machine *m, int nid, int skip_nid, unsigned order, enum page_kind kind, bool pinned,
		     uint64_t *pfn);

/* page_isolation.c */
int start_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
int alloc_contig_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void split_free_block_at(struct mhp_machine *m, uint64_t pfn);
void undo_isolate_page_range(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn, int mt);

/* memory_hotplug.c */
int __add_pages(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages);
void __remove_pages(struct mhp_machine *m, uint64_t pfn, uint64_t nr);
void adjust_present_page_count(struct mhp_machine *m, uint64_t pfn, int nid, int zid, int64_t nr);
void mhp_init_memmap_on_memory(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid);
void mhp_deinit_memmap_on_memory(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid);
int zone_for_pfn_range(const struct mhp_machine *m, int online_type, int nid,
		       uint64_t start_pfn, uint64_t nr_pages);
int online_pages(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, int zid);
int offline_pages(struct mhp_machine *m, uint64_t start_pfn, uint64_t nr_pages, int nid, int zid);
uint64_t generic_online_page(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn);
void set_online_page_callback(struct mhp_machine *m,
			      uint64_t (*cb)(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn));
int mhp_get_default_online_type(const struct mhp_machine *m);
int setup_memhp_default_state(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int cmdline_parse_movable_node(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int memory_hotplug_module_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int set_memmap_mode(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
int parse_online_type(const char *buf, size_t len);
const char *online_type_name(int online_type);

/* memory.c (memory block devices) */
struct memory_block *find_memory_block_by_id(const struct mhp_machine *m, uint64_t id);
int create_memory_block_devices(struct mhp_machine *m, uint64_t start, uint64_t size, int nid, bool early,
				uint64_t nr_vmemmap_pages);
void remove_memory_block_devices(struct mhp_machine *m, uint64_t start, uint64_t size);
int device_online(struct mhp_machine *m, struct memory_block *mem);
int device_offline(struct mhp_machine *m, struct memory_block *mem);
void memory_blocks_free(struct mhp_machine *m);
uint64_t memory_block_start_pfn(const struct mhp_machine *m, const struct memory_block *mem);
int memory_block_sysfs_read(struct mhp_machine *m, struct memory_block *mem, const char *attr,
			    char *buf, size_t cap);
int memory_block_sysfs_write(struct mhp_machine *m, struct memory_block *mem, const char *attr,
			     const char *value, size_t len);
int memory_notify(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);
int kstrtobool(const char *s, size_t len, bool *res);
int memory_hotplug_param_set(struct mhp_machine *m, const char *name, const char *value, size_t len);
struct strbuf;
int memory_hotplug_param_show(const struct mhp_machine *m, const char *name, struct strbuf *sb);
/* Notifier return values (notifier.h). */
#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define NOTIFY_STOP_MASK 0x8000
#define NOTIFY_BAD (NOTIFY_STOP_MASK | 0x0002)
enum { NOTIFIER_ARCH_BOOTMEM, NOTIFIER_ERROR_INJECT, NOTIFIER_VIRTIO_MEM, NR_NOTIFIERS };
int register_memory_notifier(struct mhp_machine *m, int id, int priority);
void unregister_memory_notifier(struct mhp_machine *m, int id);
int *inject_error_slot(struct mhp_machine *m, const char *event);

/* mmu.c (arm64) */
void arm64_memory_layout_init(struct mhp_machine *m);
void derive_geometry(struct mhp_machine *m);
struct mhp_machine *machine_alloc(const struct mhp_model *model, mhp_trace_sink sink, void *ctx);
bool model_geometry_valid(const struct mhp_model *mo);
/* Snapshots (snapshot.c); extra is the caller's own state (the fuzzer's generator). */
int snapshot_encode(const struct mhp_machine *m, const void *extra, size_t extra_len, uint8_t **buf, size_t *len,
		    struct mhp_err *err);
int snapshot_decode(const uint8_t *buf, size_t len, const char *name, mhp_trace_sink sink, void *ctx,
		    struct mhp_machine **out, void *extra, size_t extra_cap, size_t *extra_len, struct mhp_err *err);
int snapshot_write_file(const char *path, const uint8_t *buf, size_t len, struct mhp_err *err);
int snapshot_read_file(const char *path, uint8_t **buf, size_t *len, struct mhp_err *err);
int arm64_paging_init(struct mhp_machine *m, struct mhp_err *err);
int arm64_boot_vmemmap(struct mhp_machine *m, struct mhp_err *err);
int arch_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err);
void arch_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size);
int vmemmap_populate(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot);
void vmemmap_free(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);
void vmemmap_backing_free(struct mhp_machine *m, uint64_t pfn, unsigned order);

/* kernel_loop.c: the "kernel" strategy, the tree's arch/arm64/mm/mmu.c (built with MHPSIM_KERNEL_TREE) */
bool kernel_teardown_built(void);
int teardown_error(struct mhp_err *err, int ret, const char *name);

/* virtio_mem.c: the virtio-mem device and its driver (drivers/virtio/virtio_mem.c) */
#define VIRTIO_MEM_MAX_BLOCKS 65536   /* the region in units of a block: bounded, and checked at probe */

struct virtio_mem {
	int nid;
	uint64_t addr, region_size, device_block_size;
	uint64_t requested, plugged;
	bool sbm;
	uint64_t sb_size;                /* SBM: subblock size */
	unsigned sbs_per_mb;
	uint64_t block;                  /* a memory block (SBM) or a big block (BBM) */
	uint64_t first_id, next_id, last_id;   /* block ids (address / block) */
	uint8_t *state;                  /* per block from first_id */
	uint64_t *sbs;                   /* SBM: plugged subblocks, bit i is subblock i */
	uint64_t offline_size, offline_threshold;
	bool have_unplugged_mb;
	int last_rc;                     /* the last run's: 0 settled, -EBUSY / -ENOSPC retried later */
};

int virtio_mem_probe(struct mhp_machine *m, struct mhp_err *err);
void virtio_mem_free(struct mhp_machine *m);
void virtio_mem_attach(struct mhp_machine *m);
int virtio_mem_memory_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);
/* The zone of an online block (NO_ZONE offline, MAX_NR_ZONES when its sections differ). */
int memory_block_zone(const struct mhp_machine *m, const struct memory_block *mem);

/* differential.c: what must agree between two strategies after a step */
struct diff_digest {
	uint64_t tables, count, allocated, freed, flushes[3], tlb, warns, reads, writes;
	int result, invariant;
};
void diff_digest_of(const struct mhp_machine *m, int result, int invariant, struct diff_digest *d);
bool diff_digest_equal(const struct diff_digest *a, const struct diff_digest *b);
void diff_explain(const struct mhp_machine *a, const struct mhp_machine *b, const char *na, const char *nb,
		  const struct diff_digest *x, const struct diff_digest *y, char *why, size_t cap);
void kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t size);
void kernel_vmemmap_free(struct mhp_machine *m, uint64_t start, uint64_t end, bool altmap);

int prevent_bootmem_remove_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);

/* resource.c */
int request_region(struct mhp_machine *m, uint64_t start, uint64_t size, const char *name,
		   bool driver_managed, bool mergeable);
void release_mem_region_adjustable(struct mhp_machine *m, uint64_t start, uint64_t size);
void merge_system_ram_resource(struct mhp_machine *m, uint64_t start);
struct strbuf;
void iomem_show(const struct mhp_machine *m, struct strbuf *sb);
void resources_free(struct mhp_machine *m);
uint64_t walk_system_ram_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t nr_pages);

/* printk.c */
void printk(struct mhp_machine *m, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define pr_err(m, ...)   printk((m), MHP_LOG_ERR, __VA_ARGS__)
#define pr_warn(m, ...)  printk((m), MHP_LOG_WARN, __VA_ARGS__)
#define pr_info(m, ...)  printk((m), MHP_LOG_INFO, __VA_ARGS__)
#define pr_debug(m, ...) printk((m), MHP_LOG_DEBUG, __VA_ARGS__)

/* trace.c */
struct mhp_trace_field TF_U(const char *key, uint64_t v);
struct mhp_trace_field TF_X(const char *key, uint64_t v);
struct mhp_trace_field TF_S(const char *key, const char *s);
void trace_emit(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f,
		unsigned n, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define TRACE(m, type, fields, ...) \
	trace_emit((m), (type), (fields), (unsigned)ARRAY_SIZE(fields), __VA_ARGS__)

/* strbuf.c: bounded text building */
struct strbuf { char *buf; size_t cap, len; };
void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_put(struct strbuf *sb, const char *s, size_t len);

/* ptdump.c */
void ptdump_show(const struct mhp_machine *m, struct strbuf *sb);

/* check_pgtable.c */
int check_pt_dangling(const struct mhp_machine *m, struct mhp_err *err);
int check_pt_leak(const struct mhp_machine *m, struct mhp_err *err);
int check_pt_leak_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_linear_map(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_vmemmap(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_tlb_stale(const struct mhp_machine *m, struct mhp_err *err);
int check_tlb_stale_returned(const struct mhp_machine *m, struct mhp_err *err);
int check_page_owner(const struct mhp_machine *m, struct mhp_err *err);

/* check_page.c */
int check_buddy(const struct mhp_machine *m, struct mhp_err *err);
int check_buddy_counts(const struct mhp_machine *m, struct mhp_err *err);
int check_buddy_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);
int check_isolation_clean(const struct mhp_machine *m, uint64_t s0, uint64_t s1, struct mhp_err *err);
int check_pages(const struct mhp_machine *m, uint64_t s0, uint64_t s1, uint64_t lo_pfn, uint64_t hi_pfn,
		struct mhp_err *err);
int check_bad_frees(const struct mhp_machine *m, struct mhp_err *err);
int check_pt_dangling_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err);

void touch_range_slow(struct touched *t, int what, uint64_t start, uint64_t end);

/* Adds [start, end) to the physical ranges of one kind that the next range check looks at. */
static inline void touch_range(struct mhp_machine *m, int what, uint64_t start, uint64_t end)
{
	struct touched *t = &m->touched;
	uint32_t n = t->n[what];
	/* The common case: growing the last range (consecutive pages of one allocation). */
	if (n && start >= t->range[what][n - 1][0] && start <= t->range[what][n - 1][1]) {
		if (end > t->range[what][n - 1][1])
			t->range[what][n - 1][1] = end;
		return;
	}
	touch_range_slow(t, what, start, end);
}

static inline void raise_hook(struct mhp_machine *m, enum model_hook hook)
{
	if (m->hooks[hook])
		m->hooks[hook](m);
}

void check_install_hooks(struct mhp_machine *m);

static inline void touched_reset(struct mhp_machine *m)
{
	memset(m->touched.n, 0, sizeof(m->touched.n));
}

int check_touched(const struct mhp_machine *m, struct mhp_err *err);

/* error.c */
int mhp_err_set(struct mhp_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* hash */
uint64_t fnv1a64(uint64_t h, const void *data, size_t len);
#define FNV1A64_INIT 0xcbf29ce484222325ull


#endif
