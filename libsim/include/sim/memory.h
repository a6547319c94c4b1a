/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory.h - memory block devices and the memory notifier chain.
 * Kernel twin: include/linux/memory.h.
 */
#ifndef MHPSIM_SIM_MEMORY_H
#define MHPSIM_SIM_MEMORY_H

#include "sim/kernel.h"

/* Online types of drivers/base/memory.c (enum mmop). */
enum mmop { MMOP_OFFLINE = 0, MMOP_ONLINE, MMOP_ONLINE_KERNEL, MMOP_ONLINE_MOVABLE };

/* Memory block states as the 6.12 stable tree numbers them (memory.h). */
enum memory_block_state {
	MEM_ONLINE = 0, MEM_GOING_OFFLINE, MEM_OFFLINE, MEM_GOING_ONLINE,
	MEM_CANCEL_ONLINE, MEM_CANCEL_OFFLINE, MEM_PREPARE_ONLINE, MEM_FINISH_OFFLINE,
};

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
	bool looked_up;             /* its sysfs files have dentries and inodes (mm/slab.c) */
};

/* Notifier return values (notifier.h). */
#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define NOTIFY_STOP_MASK 0x8000
#define NOTIFY_BAD (NOTIFY_STOP_MASK | 0x0002)
enum { NOTIFIER_ARCH_BOOTMEM, NOTIFIER_ERROR_INJECT, NOTIFIER_VIRTIO_MEM, NR_NOTIFIERS };
struct mhp_machine;
struct strbuf;
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
int kstrtoull(const char *s, size_t len, uint64_t *res);
int soft_offline_page_store(struct mhp_machine *m, const char *value, size_t len);
int probe_store(struct mhp_machine *m, const char *value, size_t len);
int hard_offline_page_store(struct mhp_machine *m, const char *value, size_t len);
int register_memory_notifier(struct mhp_machine *m, int id, int priority);
void unregister_memory_notifier(struct mhp_machine *m, int id);
int *inject_error_slot(struct mhp_machine *m, const char *event);
/* The zone of an online block (NO_ZONE offline, MAX_NR_ZONES when its sections differ). */
int memory_block_zone(const struct mhp_machine *m, const struct memory_block *mem);

#endif
