/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload.h - content tags of workload pages: what must never be lost.
 */
#ifndef MHPSIM_SIM_WORKLOAD_H
#define MHPSIM_SIM_WORKLOAD_H

#include "sim/kernel.h"

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
	struct tag_leaf *spare[64];            /* emptied leaves, zero already: the next ones needed (up to 512 KiB of host memory) */
	unsigned nr_spare;
	uint64_t count;
	uint64_t digest;                      /* sum of tag_record_mix() over the records: what the full check
						 holds the pages' tags to */
	uint64_t bytes;                       /* host memory the top, the mids and the leaves hold (spares too):
						 the host budget counts it */
};

/* splitmix64's finaliser: every input bit moves every output bit. */
static inline uint64_t tag_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * A tag and the page holding it, mixed so that sums over two sets of pairs
 * differ when the sets do: the mixed distance from tag to page, which a pair
 * moved or swapped changes, and the tag itself, which a run shifted as a
 * whole changes. A run of tags on consecutive pages has one distance, so
 * its sum takes one mix (tag_run_mix).
 */
#define TAG_RECORD_TAG_WEIGHT 0x9e3779b97f4a7c15ull
static inline uint64_t tag_record_mix(uint32_t tag, uint64_t pfn)
{
	return tag_mix64(pfn - tag) + TAG_RECORD_TAG_WEIGHT * tag;
}

/* The sum of tag_record_mix(tag + k, pfn + k) for k < n. */
static inline uint64_t tag_run_mix(uint32_t tag, uint64_t pfn, uint64_t n)
{
	return n * tag_mix64(pfn - tag) + TAG_RECORD_TAG_WEIGHT * (n * tag + n * (n - 1) / 2);
}

struct mhp_machine;
void tag_moved(struct mhp_machine *m, uint32_t tag, uint64_t pfn);
void tag_moved_run(struct mhp_machine *m, uint32_t tag, uint64_t n, uint64_t pfn);
int tag_insert(struct tag_map *t, uint32_t tag, uint64_t pfn);
bool tag_next_live(const struct tag_map *t, uint32_t from, uint32_t *tag);
void tags_for_each(const struct tag_map *t, void (*fn)(uint32_t tag, uint64_t pfn, void *arg), void *arg);
bool tag_lookup(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn);
void tags_free(struct mhp_machine *m);

#endif
