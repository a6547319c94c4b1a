/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hotplug.h - what a driver does: add and remove memory ranges.
 *
 * Online and offline happen through sysfs (mhp_sysfs_write), as on a real machine.
 */
#ifndef MHPSIM_HOTPLUG_H
#define MHPSIM_HOTPLUG_H

#include <stdbool.h>
#include <stdint.h>
#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

/*
 * add_memory_driver_managed() when resource_name is not exactly "System RAM",
 * add_memory() otherwise. Returns 0 or the kernel's negative errno.
 */
MHP_EXPORT int mhp_add_memory(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
			      const char *resource_name, struct mhp_err *err);

/* mhp_t flags a driver may pass. */
#define MHP_MEMMAP_ON_MEMORY (1u << 1)   /* the memmap of each block lives in the block (if supported) */

/* The same with flags (add_memory_driver_managed's mhp_flags). */
MHP_EXPORT int mhp_add_memory_flags(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
				    const char *resource_name, unsigned flags, struct mhp_err *err);

/*
 * The model's virtio-mem device (QEMU's virtio-mem-pci): set its requested
 * size, as QMP qom-set of requested-size does, and let the guest's driver
 * (6.12's drivers/virtio/virtio_mem.c) work towards it. Returns once the
 * driver has settled: the plugged size it reached is in mhp_virtio_mem_info().
 * -ENODEV without a device, -EINVAL for a size QEMU refuses.
 */
MHP_EXPORT int mhp_virtio_mem_set_requested(struct mhp_machine *m, uint64_t size, struct mhp_err *err);
struct mhp_virtio_mem_info {
	uint64_t addr, region_size, block_size;   /* the device's region and block-size */
	uint64_t requested, plugged;              /* what QEMU shows: requested-size and size */
	int nid;
	bool sbm;                                 /* Sub Block Mode, else Big Block Mode */
	uint64_t unit;                            /* its subblock or big block size */
	bool retrying;                            /* the request is not met: the driver retries later */
	bool broken;                              /* the driver met an error it does not know and stopped */
};
MHP_EXPORT int mhp_virtio_mem_info(const struct mhp_machine *m, struct mhp_virtio_mem_info *out);

/* remove_memory(): every block in the range must be offline, else -EBUSY. */
MHP_EXPORT int mhp_remove_memory(struct mhp_machine *m, uint64_t start, uint64_t size,
				 struct mhp_err *err);

/*
 * ZONE_DEVICE memory, as a pmem or device-DAX driver maps it with
 * devm_memremap_pages(): struct pages and a linear map for [start, start +
 * size), never onlined, on an online node; the range needs only subsection
 * (2 MiB) alignment, so two ranges may share a section. The driver's iomem
 * resource is "Persistent Memory". -EBUSY when a resource is in the way.
 */
MHP_EXPORT int mhp_memremap_pages(struct mhp_machine *m, int nid, uint64_t start, uint64_t size,
				  struct mhp_err *err);
/* Its undoing (memunmap_pages() and the resource): the range exactly as it was mapped, else -EINVAL. */
MHP_EXPORT int mhp_memunmap_pages(struct mhp_machine *m, uint64_t start, uint64_t size, struct mhp_err *err);

/*
 * modprobe (remove false) or modprobe -r of a module the model knows:
 * "memory-notifier-error-inject", with its priority parameter. Loaded, it
 * adds /sys/kernel/debug/notifier-error-inject/memory/actions/{MEM_GOING_ONLINE,
 * MEM_GOING_OFFLINE}/error. Any other module is -ENOENT.
 */
MHP_EXPORT int mhp_modprobe(struct mhp_machine *m, const char *module, int priority, bool remove, struct mhp_err *err);

#ifdef __cplusplus
}
#endif

#endif
