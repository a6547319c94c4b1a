/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ioport.h - /proc/iomem's resources.
 * Kernel twin: include/linux/ioport.h (kernel/resource.c).
 */
#ifndef MHPSIM_SIM_IOPORT_H
#define MHPSIM_SIM_IOPORT_H

#include "sim/kernel.h"

struct resource {
	uint64_t start, end;        /* end inclusive, as the kernel keeps it */
	char name[48];
	bool driver_managed;
	bool mergeable;             /* added with MHP_MERGE_RESOURCE */
};

struct mhp_machine;
struct strbuf;
int request_region(struct mhp_machine *m, uint64_t start, uint64_t size, const char *name,
		   bool driver_managed, bool mergeable);
void release_mem_region_adjustable(struct mhp_machine *m, uint64_t start, uint64_t size);
void merge_system_ram_resource(struct mhp_machine *m, uint64_t start);
void iomem_show(const struct mhp_machine *m, struct strbuf *sb);
void resources_free(struct mhp_machine *m);
uint64_t walk_system_ram_pages(const struct mhp_machine *m, uint64_t start_pfn, uint64_t nr_pages);

#endif
