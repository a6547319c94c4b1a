/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memremap.h - ZONE_DEVICE memory: a driver's device range given struct
 * pages and a linear map, but never onlined (pmem, device DAX).
 * Kernel twin: include/linux/memremap.h.
 */
#ifndef MHPSIM_SIM_MEMREMAP_H
#define MHPSIM_SIM_MEMREMAP_H

#include <stdint.h>

#define MAX_PGMAPS 64   /* ZONE_DEVICE ranges one machine holds */

/* A dev_pagemap of one range (MEMORY_DEVICE_FS_DAX or GENERIC: mapped, no altmap). */
struct dev_pagemap {
	uint64_t start, end;   /* physical, end exclusive */
	int nid;
};

struct mhp_machine;
struct mhp_err;
/* devm_memremap_pages() of [start, start + size) on node nid, under the driver's resource name. */
int memremap_pages(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, const char *name,
		   struct mhp_err *err);
/* memunmap_pages() of the pagemap at exactly [start, start + size), then the driver's resource. */
int memunmap_pages(struct mhp_machine *m, uint64_t start, uint64_t size, struct mhp_err *err);
/* get_dev_pagemap(): the pagemap holding pfn, or NULL. */
const struct dev_pagemap *get_dev_pagemap(const struct mhp_machine *m, uint64_t pfn);

#endif
