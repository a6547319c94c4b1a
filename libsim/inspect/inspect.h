/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * inspect.h - the harness's one window into a machine: read-only views,
 * copied out into plain structs, so that nothing above the library depends
 * on how the model keeps its state. The harness (harness/) sees this,
 * include/mhpsim/ and lib/; never libsim/include/sim/ (the build enforces it).
 */
#ifndef MHPSIM_INSPECT_H
#define MHPSIM_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

#define INSPECT_MAX_NODES 16       /* MAX_NUMNODES of the model */
#define INSPECT_NR_ZONES 5         /* DMA, DMA32, Normal, Movable, Device */
#define INSPECT_NO_ZONE (-1)
#define INSPECT_ZONE_MOVABLE 3

/* ---- draw (harness/draw.c) ----------------------------------------------------------- */

/* The model's constants draw names (inspect_draw.c asserts each is the model's). */
#define INSPECT_ZONE_DMA32 1
#define INSPECT_ZONE_DEVICE 4
#define INSPECT_PT_MAX_DEPTH 5     /* PT_MAX_DEPTH: levels a page table can have */

/* A memory block's state (the kernel's MEM_*). */
enum inspect_mem_state { INSPECT_MEM_ONLINE, INSPECT_MEM_GOING_OFFLINE, INSPECT_MEM_OFFLINE, INSPECT_MEM_GOING_ONLINE };

struct inspect_memory_block {
	uint64_t id;               /* memoryN */
	int state;                 /* enum inspect_mem_state */
	int nid;                   /* -1 until linked to a node */
	int zone;                  /* INSPECT_NO_ZONE offline; INSPECT_NR_ZONES when its sections' zones differ */
	bool early;                /* created at boot */
};
/* Memory blocks the machine has now; the i-th in id order (false past the last). */
unsigned inspect_memory_block_count(const struct mhp_machine *m);
/* Whether the machine lets boot memory go (the what-if mhpsim.bootmem=allow or reserved, or no notifier). */
bool inspect_bootmem_removable(const struct mhp_machine *m);
bool inspect_memory_block(const struct mhp_machine *m, uint64_t i, struct inspect_memory_block *out);
/* Pages in [pfn, pfn + nr) that are fake-offline (PageOffline: a driver's unplugged part of a block). */
uint64_t inspect_offline_pages(const struct mhp_machine *m, uint64_t pfn, uint64_t nr);

/* A zone as /proc/zoneinfo tells it: its span and pages. */
struct inspect_zone {
	uint64_t start_pfn, spanned, present, managed;
};
/* Zone zid of node nid; false when either is out of range. */
bool inspect_zone(const struct mhp_machine *m, int nid, int zid, struct inspect_zone *out);

/* The kernel virtual address at which the linear map maps physical address pa. */
uint64_t inspect_linear_va(const struct mhp_machine *m, uint64_t pa);

/* A descriptor's kind (INVALID: a non-zero descriptor that is not valid). */
enum inspect_pt_type { INSPECT_PT_NONE, INSPECT_PT_TABLE, INSPECT_PT_BLOCK, INSPECT_PT_PAGE, INSPECT_PT_INVALID };

struct inspect_pt_table {
	uint64_t pfn;              /* the page that holds it */
	uint64_t va;               /* the first address it translates (0: the PGD) */
	uint64_t span;             /* bytes one of its entries maps */
	uint32_t used;             /* entries that are not none */
	unsigned depth;            /* 0: the PGD */
	bool boot;                 /* allocated from memblock at boot */
};

struct inspect_pt_entry {
	uint64_t idx;              /* its index in the table */
	uint64_t pa;               /* what it points to: a table, a block or a page (0 when none or invalid) */
	uint64_t va_start, va_end; /* the part of the walked range it maps */
	enum inspect_pt_type type;
};

/* What a walk calls back, either may be NULL; a non-zero return stops the walk. */
struct inspect_pt_walk_ops {
	int (*table)(const struct inspect_pt_table *t, void *arg);
	int (*entry)(const struct inspect_pt_table *t, const struct inspect_pt_entry *e, void *arg);
};
/*
 * The tables under [va_start, va_end) from the PGD down, depth first in address
 * order: each table, then each of its entries in the range (a table's before
 * its child). Returns the callback's non-zero that stopped it, or 0.
 */
int inspect_pt_walk(const struct mhp_machine *m, uint64_t va_start, uint64_t va_end,
		    const struct inspect_pt_walk_ops *ops, void *arg);

/* ---- the model ------------------------------------------------------------ */

struct inspect_model {
	const char *name, *arch, *cmdline;
	unsigned page_shift, va_bits, pa_bits;
	uint64_t block_size, section_size;
	unsigned nr_nodes, nr_ram, nr_hotplug, nr_reserved;
};

enum inspect_range_kind { INSPECT_RAM, INSPECT_HOTPLUG, INSPECT_RESERVED };

struct inspect_range {
	uint64_t start, size;
	uint64_t block_size;       /* hotplug by virtio_mem: the device's block-size (0: QEMU's default) */
	uint64_t requested_size;   /* hotplug by virtio_mem: what QEMU's command line asks plugged at boot */
	int nid;
	const char *name;          /* reserved: what holds it; hotplug: its driver */
	bool cma;
};

void inspect_model(const struct mhp_model *mo, struct inspect_model *out);
/* The i-th range of a kind; false past the last. */
bool inspect_model_range(const struct mhp_model *mo, enum inspect_range_kind kind, unsigned i,
			 struct inspect_range *out);
/* The model a machine runs (a snapshot's own); NULL when out of memory. Free with mhp_model_free(). */
struct mhp_model *inspect_model_dup(const struct mhp_machine *m);
const struct mhp_model *inspect_machine_model(const struct mhp_machine *m);

/* A snapshot file's bytes, bounded as the loader bounds them (for mhp_machine_load_buffer()). */
int inspect_snapshot_read_file(const char *path, uint8_t **buf, size_t *len, struct mhp_err *err);

/* ---- geometry, pages and zones ---------------------------------------------- */

struct inspect_geometry {
	unsigned page_shift, pageblock_order, pt_levels;
	uint64_t page_size, block_size, pages_per_section, pages_per_block, max_pfn;
};
void inspect_geometry(const struct mhp_machine *m, struct inspect_geometry *out);

/* Where a pfn lies: present or not, its node and zone (INSPECT_NO_ZONE offline). */
struct inspect_pfn {
	bool present, online, early;
	int nid, zone;
};
void inspect_pfn(const struct mhp_machine *m, uint64_t pfn, struct inspect_pfn *out);
const char *inspect_zone_name(int zid);

/* What /proc/kpageflags (KPF_* bits) and /proc/kpagecount show of a page (libsim/fs/proc_page.c). */
void inspect_kpageflags(const struct mhp_machine *m, uint64_t pfn, uint64_t *flags, uint64_t *count);
/* /proc/pagetypeinfo's pageblocks of a zone by migrate type (Unmovable, Movable, Reclaimable, HighAtomic, CMA, Isolate). */
#define INSPECT_MIGRATE_TYPES 6
void inspect_pageblock_counts(const struct mhp_machine *m, int nid, int zid, uint64_t counts[INSPECT_MIGRATE_TYPES]);

/* ---- page tables ----------------------------------------------------------------- */

/* Live tables at each depth (0 is the PGD), in one walk; and the kernel's name of a level (NULL past the last). */
void inspect_pt_table_counts(const struct mhp_machine *m, uint64_t counts[INSPECT_PT_MAX_DEPTH]);
const char *inspect_pt_level_name(const struct mhp_machine *m, unsigned depth);

/* ---- fuzz and differential (harness/fuzz.c, harness/differential.c) ------------------ */

#define INSPECT_ONLINE_TYPE_OFFLINE 0   /* MMOP_OFFLINE: the online types follow it, 1 to 3 */

/* The sysfs word of an online type ("offline", "online", "online_kernel", "online_movable"). */
const char *inspect_online_type_name(int online_type);


/* An /proc/iomem resource: [start, end], end inclusive as the kernel keeps it. */
struct inspect_resource {
	uint64_t start, end;
};
/* The i-th resource, by start; false past the last. */
bool inspect_resource(const struct mhp_machine *m, unsigned i, struct inspect_resource *out);
/* The i-th ZONE_DEVICE range (memremap_pages()), end inclusive; false past the last. */
bool inspect_pgmap(const struct mhp_machine *m, unsigned i, struct inspect_resource *out);

/* The workload tag held by the first page in [pfn, end) that holds one; 0 when none does. */
uint32_t inspect_first_tag(const struct mhp_machine *m, uint64_t pfn, uint64_t end);
/* The first live tag at or above from, into *tag; false when none is. */
bool inspect_next_live_tag(const struct mhp_machine *m, uint32_t from, uint32_t *tag);

/* Page counts since boot: free and managed pages now, page states written, pages migrated. */
struct inspect_counters {
	uint64_t free_pages, totalram_pages, page_writes, migrated;
};
void inspect_counters(const struct mhp_machine *m, struct inspect_counters *out);

/*
 * The snapshot with the caller's own bytes (extra) beside the machine: the one
 * write-capable exception here, for the fuzzer, whose generator state must
 * travel with the machine. mhp_machine_save/load are these with no extra.
 */
int inspect_snapshot_encode(const struct mhp_machine *m, const void *extra, size_t extra_len, uint8_t **buf,
			    size_t *len, struct mhp_err *err);
int inspect_snapshot_decode(const uint8_t *buf, size_t len, const char *name, struct mhp_machine **out, void *extra,
			    size_t extra_cap, struct mhp_err *err);

/* What two teardown strategies must agree on (inspect_diff.c): tables, their work, TLB, WARNs. */
struct inspect_diff_digest {
	uint64_t tables;           /* the page-table store's running digest */
	uint64_t count, allocated, freed, flushes[3], tlb, warns, reads, writes;
	uint64_t freed_while_cached;   /* the hazard: pages freed while a cached entry led to them */
};
void inspect_diff_digest(const struct mhp_machine *m, struct inspect_diff_digest *out);

/* A machine's live page tables, copied and sorted by pfn: what a difference is named from. */
struct inspect_diff_tables;
/* NULL when out of memory. */
struct inspect_diff_tables *inspect_diff_tables_copy(const struct mhp_machine *m);
void inspect_diff_tables_free(struct inspect_diff_tables *t);
/* The lowest table only one side has, or the first entry that differs, into why; false when they agree. */
bool inspect_diff_tables_differ(const struct inspect_diff_tables *a, const struct inspect_diff_tables *b,
				const char *na, const char *nb, char *why, size_t cap);


#endif
