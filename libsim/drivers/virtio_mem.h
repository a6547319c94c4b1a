/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio_mem.h - the virtio-mem device and its driver (drivers/virtio/virtio_mem.c).
 */
#ifndef MHPSIM_VIRTIO_MEM_H
#define MHPSIM_VIRTIO_MEM_H

#include "sim/machine.h"

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
	int last_rc;                     /* the last run's: 0 settled, -EBUSY / -ENOSPC / -ENOMEM retried later */
	bool broken;                     /* an error the workqueue does not know stopped it for good */
};

int virtio_mem_probe(struct mhp_machine *m, struct mhp_err *err);
void virtio_mem_free(struct mhp_machine *m);
void virtio_mem_attach(struct mhp_machine *m);
int virtio_mem_memory_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);

#endif
