/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * teardown.h - the registry of page-table teardown strategies: how the
 * linear map and the vmemmap of a removed range are unmapped and their empty
 * tables freed. One file per strategy under teardown/, one row each in
 * teardown.c; nothing else names them.
 */
#ifndef MHPSIM_ARM64_TEARDOWN_H
#define MHPSIM_ARM64_TEARDOWN_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;
struct pt_table;

/* One region to tear down: part of the linear map or of the vmemmap. */
struct teardown_req {
	uint64_t start, end;
	uint64_t floor, ceiling;   /* the region's bounds: no table beyond them is freed */
	bool free_mapped;          /* free what the leaves map (the vmemmap's backing) */
	bool vmemmap;
};

/* Tables freed in one pass are gathered and freed after one flush (the generic strategy). */
#define GATHER_MAX 512

/* One teardown in progress (mmu.c sets it up, the strategy carries it out). */
struct teardown {
	const struct teardown_req *req;
	struct pt_table *gather[GATHER_MAX];
	unsigned nr_gather;
};

struct teardown_strategy {
	const char *name;
	const char *summary;        /* one line: whose code it follows */
	bool (*built)(void);        /* NULL: always part of the library */
	void (*teardown_range)(struct mhp_machine *m, struct teardown *td);
	/* Used by the model's walk (free_empty_tables); NULL for a strategy with its own walk. */
	void (*free_table)(struct mhp_machine *m, struct teardown *td, struct pt_table *t, uint64_t addr);
	/* The strategy's own hot-add of the linear map (the tree's), used when add_built() says it is there;
	 * NULL: the model's. Returns an enum create_result (arm64.h). */
	int (*create_pgd_mapping)(struct mhp_machine *m, uint64_t pa, uint64_t size, uint64_t prot, unsigned flags);
	bool (*add_built)(void);
	/* Its own vmemmap_populate() at hot-add, used when vmemmap_built() says it is there; NULL: the model's. */
	int (*vmemmap_populate)(struct mhp_machine *m, uint64_t start, uint64_t end, int nid, bool altmap);
	bool (*vmemmap_built)(void);
	bool ignores_alignment;     /* frees any empty table: no pgtable_range_aligned() rule */
	bool quiet_bootmem;         /* frees a boot (reserved) table page without a WARN */
	const char *formerly;       /* the name it had before a rename, for the error that refuses it */
};

/* The registry (teardown.c), in the order their numbers are saved in snapshots. */
extern const struct teardown_strategy *const teardown_strategies[];
extern const unsigned nr_teardown_strategies;

const struct teardown_strategy *teardown_strategy_of(const struct mhp_machine *m);
/* The index of the strategy called name, or -1. */
int teardown_strategy_find(const char *name);
bool teardown_strategy_built(const struct teardown_strategy *s);

/* The model's walk (mmu.c), the pieces the strategies compose. */
void unmap_hotplug_range(struct mhp_machine *m, uint64_t addr, uint64_t end, bool free_mapped);
void unmap_hotplug_leaves(struct mhp_machine *m, uint64_t addr, uint64_t end, bool free_mapped);
void free_empty_tables(struct mhp_machine *m, uint64_t addr, uint64_t end, struct teardown *td);
void teardown_gather_flush(struct mhp_machine *m, struct teardown *td);
void teardown_table_flush(struct mhp_machine *m, uint64_t addr);

extern const struct teardown_strategy teardown_arm64, teardown_x86_whatif, teardown_generic, teardown_kernel;

#endif
