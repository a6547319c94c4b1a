/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_hotplug.h - add, online, offline and remove, and their tunables.
 * Kernel twin: include/linux/memory_hotplug.h.
 */
#ifndef MHPSIM_SIM_MEMORY_HOTPLUG_H
#define MHPSIM_SIM_MEMORY_HOTPLUG_H

#include "sim/kernel.h"

/* memory_hotplug.memmap_on_memory */
enum { MEMMAP_ON_MEMORY_DISABLE, MEMMAP_ON_MEMORY_ENABLE, MEMMAP_ON_MEMORY_FORCE };

/* memory_hotplug.online_policy */
enum online_policy { ONLINE_POLICY_CONTIG_ZONES = 0, ONLINE_POLICY_AUTO_MOVABLE };

/* A vmem_altmap: the vmemmap of a block carved from the block itself. */
struct vmem_altmap {
	uint64_t base_pfn, free, alloc;
};

struct mhp_machine;
struct strbuf;
int __add_pages(struct mhp_machine *m, int nid, uint64_t pfn, uint64_t nr_pages);
void __remove_pages(struct mhp_machine *m, uint64_t pfn, uint64_t nr);
/* After a failed __add_pages(): the sections it left present are orphans (6.12 removes none of them). */
void mark_orphan_sections(struct mhp_machine *m, uint64_t start, uint64_t size);
/*
 * The linear map a failed add leaves over memory that is not present (x86's
 * arch_add_memory() does not undo init_memory_mapping()): recorded so that
 * PT-COVER tells the kernel's leftover from a model bug; a removal that
 * unmaps the range drops it. false: the record is full (LINEAR_LEFT_MAX).
 */
bool linear_map_left_add(struct mhp_machine *m, uint64_t start, uint64_t end);
void linear_map_left_clear(struct mhp_machine *m, uint64_t start, uint64_t end);
bool linear_map_left_at(const struct mhp_machine *m, uint64_t pa);
bool mhp_range_allowed(struct mhp_machine *m, uint64_t start, uint64_t size);   /* pr_warns when not */
void move_pfn_range_to_zone(struct mhp_machine *m, int nid, int zid, uint64_t pfn, uint64_t nr_pages, int mt);
/* arch_remove_memory() under mem_hotplug_begin(), where a page-table walker may race it (mm/ptdump.c). */
void arch_remove_memory_locked(struct mhp_machine *m, uint64_t start, uint64_t size);
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
int memory_hotplug_param_set(struct mhp_machine *m, const char *name, const char *value, size_t len);
int memory_hotplug_param_show(const struct mhp_machine *m, const char *name, struct strbuf *sb);

#endif
