// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_mem.c - the virtio-mem device (QEMU's virtio-mem-pci) and its Linux
 * 6.12 driver. Kernel twin: drivers/virtio/virtio_mem.c.
 *
 * The device is a region of the model's hot-pluggable memory with a block
 * size; the host sets its requested size and the driver plugs or unplugs
 * memory until the plugged size matches, as far as it can.
 *
 * Sub Block Mode (a subblock smaller than a memory block): the driver adds
 * whole memory blocks with add_memory_driver_managed() and plugs subblocks
 * inside them; an unplugged subblock of a block Linux has stays fake-offline
 * (PageOffline, never managed). Big Block Mode (a device block at least a
 * memory block): whole big blocks are added, offlined and removed.
 *
 * Simplified, and said so in docs/model.md: one device per machine (the first
 * virtio_mem region), requests are handled at once (the workqueue runs at
 * probe and when the requested size changes; the retry timer is a later run,
 * and the probe's run is over before boot ends, where the kernel's goes on
 * beside user space), the device
 * never refuses a plug or unplug request, and the parent "virtio0" resource
 * is not in /proc/iomem.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/page_isolation.h"
#include "sim/printk.h"
#include "sim/sparse.h"
#include "sim/trace.h"
#include "drivers/virtio_mem.h"

/* Memory block states of SBM, in the kernel's order (a "partial" state is its full one + 1). */
enum { SBM_UNUSED, SBM_PLUGGED, SBM_OFFLINE, SBM_OFFLINE_PARTIAL, SBM_KERNEL, SBM_KERNEL_PARTIAL, SBM_MOVABLE,
       SBM_MOVABLE_PARTIAL };
/* Big block states of BBM. */
enum { BBM_UNUSED, BBM_PLUGGED, BBM_ADDED };

#define VM_LOG(m, fmt, ...) pr_info(m, "virtio_mem virtio0: " fmt, __VA_ARGS__)

static uint64_t idx(const struct virtio_mem *vm, uint64_t id) { return id - vm->first_id; }
static uint64_t id_to_phys(const struct virtio_mem *vm, uint64_t id) { return id * vm->block; }

/* The device owning pfn's block, if any (only blocks it added). */
static struct virtio_mem *owner(const struct mhp_machine *m, uint64_t pfn, uint64_t *id)
{
	struct virtio_mem *vm = m->vmem;
	if (!vm)
		return NULL;
	*id = PFN_PHYS(m, pfn) / vm->block;
	return *id >= vm->first_id && *id < vm->next_id ? vm : NULL;
}

static bool sb_plugged(const struct virtio_mem *vm, uint64_t id, unsigned sb)
{
	return !vm->sbm || (vm->sbs[idx(vm, id)] >> sb & 1);
}

static uint64_t all_sbs(const struct virtio_mem *vm)
{
	return vm->sbs_per_mb == 64 ? UINT64_MAX : (1ull << vm->sbs_per_mb) - 1;
}

/* ---- the online_page callback, and offlining --------------------------------- */

/*
 * Models virtio_mem_online_page_cb(): in a block of ours, plugged subblocks
 * go to the buddy and unplugged ones stay fake-offline; anyone else's pages
 * go to generic_online_page(). Returns the pages freed (what becomes managed).
 */
static uint64_t virtio_mem_online_page_cb(struct mhp_machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t id, freed = 0;
	struct virtio_mem *vm = owner(m, start_pfn, &id);
	if (!vm || !vm->sbm)
		return generic_online_page(m, start_pfn, end_pfn);
	uint64_t sb_pages = vm->sb_size >> m->page_shift;
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn += sb_pages) {
		owner(m, pfn, &id);
		unsigned sb = (unsigned)((PFN_PHYS(m, pfn) - id_to_phys(vm, id)) / vm->sb_size);
		if (sb_plugged(vm, id, sb)) {
			free_range_to_buddy(m, pfn, pfn + sb_pages);
			freed += sb_pages;
		} else {
			set_page_kinds(m, pfn, sb_pages, PG_OFFLINE);
		}
	}
	return freed;
}

/* The driver binds to the machine as its probe does (and as a loaded snapshot's device must). */
void virtio_mem_attach(struct mhp_machine *m)
{
	set_online_page_callback(m, virtio_mem_online_page_cb);
}

/* Models virtio_mem_fake_offline(): alloc_contig_range(), then the pages leave the managed count. */
static int fake_offline(struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	int ret = alloc_contig_range(m, pfn, pfn + nr);
	if (ret)
		return ret;
	set_page_kinds(m, pfn, nr, PG_OFFLINE);
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	adjust_managed_page_count(m, &m->nodes[ms->nid].zones[ms->zone], -(int64_t)nr);
	return 0;
}

/* Models virtio_mem_fake_online(): the pages go (back) to the buddy, managed again. */
static void fake_online(struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	set_page_kinds(m, pfn, nr, PG_FREE);
	free_range_to_buddy(m, pfn, pfn + nr);
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	adjust_managed_page_count(m, &m->nodes[ms->nid].zones[ms->zone], (int64_t)nr);
}

/* ---- the memory notifier ------------------------------------------------------- */

/* Models virtio_mem_memory_notifier_cb(): our blocks' states follow onlining and offlining. */
int virtio_mem_memory_notifier(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages)
{
	uint64_t id;
	struct virtio_mem *vm = owner(m, start_pfn, &id);
	(void)nr_pages;
	if (!vm)
		return NOTIFY_DONE;
	uint8_t *st = &vm->state[idx(vm, id)];
	const struct mem_section *ms = __pfn_to_section(m, start_pfn);
	switch (action) {
	case MEM_GOING_ONLINE:
		if (vm->sbm && *st == SBM_UNUSED)
			return NOTIFY_BAD;   /* a block being removed is not onlined */
		break;
	case MEM_ONLINE:
		if (vm->sbm) {
			bool partial = *st == SBM_OFFLINE_PARTIAL;
			*st = (uint8_t)((ms->zone == ZONE_MOVABLE ? SBM_MOVABLE : SBM_KERNEL) + partial);
		}
		vm->offline_size -= vm->sbm ? vm->block : PFN_PHYS(m, nr_pages);
		break;
	case MEM_OFFLINE:
		if (vm->sbm) {
			bool partial = *st == SBM_KERNEL_PARTIAL || *st == SBM_MOVABLE_PARTIAL;
			*st = (uint8_t)(SBM_OFFLINE + partial);
		}
		vm->offline_size += vm->sbm ? vm->block : PFN_PHYS(m, nr_pages);
		break;
	}
	return NOTIFY_OK;
}

/* ---- plugging and unplugging ---------------------------------------------------- */

/* The device's answer to a plug or unplug request: always yes here, and the plugged size follows. */
static void plug_units(struct virtio_mem *vm, uint64_t id, unsigned sb, unsigned count, bool plug)
{
	uint64_t bits = (count == 64 ? UINT64_MAX : (1ull << count) - 1) << sb;
	if (vm->sbm)
		vm->sbs[idx(vm, id)] = plug ? vm->sbs[idx(vm, id)] | bits : vm->sbs[idx(vm, id)] & ~bits;
	uint64_t size = vm->sbm ? count * vm->sb_size : vm->block;
	vm->plugged = plug ? vm->plugged + size : vm->plugged - size;
}

static bool could_add_memory(const struct virtio_mem *vm)
{
	return vm->offline_size + vm->block <= vm->offline_threshold;
}

/* Models virtio_mem_add_memory(): add_memory_driver_managed() of one block; auto-onlining follows it. */
static int add_block(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id)
{
	struct mhp_err err = { 0 };
	vm->offline_size += vm->block;
	int ret = mhp_add_memory_flags(m, vm->nid, id_to_phys(vm, id), vm->block, "System RAM (virtio_mem)", 0, &err);
	if (ret) {
		vm->offline_size -= vm->block;
		pr_warn(m, "virtio_mem virtio0: adding memory failed: %d", ret);
	}
	return ret;
}

/* Models virtio_mem_remove_memory() and offline_and_remove_memory(): the block's blocks offline, then gone. */
static int offline_and_remove(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id)
{
	struct mhp_err err = { 0 };
	uint64_t start = id_to_phys(vm, id);
	for (uint64_t a = start; a < start + vm->block; a += m->model.block_size) {
		struct memory_block *mem = find_memory_block_by_id(m, a / m->model.block_size);
		if (mem && mem->state == MEM_ONLINE && device_offline(m, mem) < 0)
			return -EBUSY;
	}
	int ret = mhp_remove_memory(m, start, vm->block, &err);
	if (!ret)
		vm->offline_size -= vm->block;
	return ret;
}

/* SBM: plug count subblocks from sb of a block Linux has; online ones go straight to the buddy. */
static void sbm_plug_any_sb(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id, uint64_t *nb_sb)
{
	uint8_t *st = &vm->state[idx(vm, id)];
	bool online = *st != SBM_OFFLINE_PARTIAL;
	for (unsigned sb = 0; sb < vm->sbs_per_mb && *nb_sb; sb++) {
		if (sb_plugged(vm, id, sb))
			continue;
		plug_units(vm, id, sb, 1, true);
		(*nb_sb)--;
		if (online)
			fake_online(m, PHYS_PFN(m, id_to_phys(vm, id) + sb * vm->sb_size), vm->sb_size >> m->page_shift);
	}
	if (vm->sbs[idx(vm, id)] == all_sbs(vm))
		(*st)--;   /* partial -> full */
}

/*
 * Plugs and adds unused blocks, the lowest first, preparing new ones past
 * next_id, until *nb units are plugged (virtio_mem_sbm_plug_and_add_mb() and
 * its BBM twin): an SBM block its first subblocks, a BBM block whole.
 */
static int plug_and_add_blocks(struct mhp_machine *m, struct virtio_mem *vm, uint64_t *nb)
{
	for (uint64_t id = vm->first_id; *nb; id++) {
		if (id == vm->next_id) {
			if (vm->next_id > vm->last_id)
				return -ENOSPC;
			vm->next_id++;
		}
		if (vm->state[idx(vm, id)] != SBM_UNUSED)   /* BBM_UNUSED too */
			continue;
		if (!could_add_memory(vm))
			return -ENOSPC;
		unsigned count = !vm->sbm ? 1 : *nb < vm->sbs_per_mb ? (unsigned)*nb : vm->sbs_per_mb;
		plug_units(vm, id, 0, count, true);
		vm->state[idx(vm, id)] = !vm->sbm ? BBM_ADDED : count == vm->sbs_per_mb ? SBM_OFFLINE : SBM_OFFLINE_PARTIAL;
		int ret = add_block(m, vm, id);
		if (ret) {
			plug_units(vm, id, 0, count, false);
			vm->state[idx(vm, id)] = SBM_UNUSED;
			return ret;
		}
		*nb -= count;
	}
	return 0;
}

/* Models virtio_mem_sbm_plug_request(): fill partial blocks, then add new ones. */
static int sbm_plug_request(struct mhp_machine *m, struct virtio_mem *vm, uint64_t diff)
{
	static const int order[] = { SBM_KERNEL_PARTIAL, SBM_MOVABLE_PARTIAL, SBM_OFFLINE_PARTIAL };
	uint64_t nb_sb = diff / vm->sb_size;
	for (size_t i = 0; i < 3 && nb_sb; i++)
		for (uint64_t id = vm->first_id; id < vm->next_id && nb_sb; id++)
			if (vm->state[idx(vm, id)] == order[i])
				sbm_plug_any_sb(m, vm, id, &nb_sb);
	return plug_and_add_blocks(m, vm, &nb_sb);
}

/* SBM, an offline block: unplug from the last subblock down; an emptied block is removed. */
static int sbm_unplug_offline(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id, uint64_t *nb_sb)
{
	uint8_t *st = &vm->state[idx(vm, id)];
	for (int sb = (int)vm->sbs_per_mb - 1; sb >= 0 && *nb_sb; sb--)
		if (sb_plugged(vm, id, (unsigned)sb)) {
			plug_units(vm, id, (unsigned)sb, 1, false);
			(*nb_sb)--;
		}
	if (vm->sbs[idx(vm, id)] != all_sbs(vm))
		*st = SBM_OFFLINE_PARTIAL;
	if (vm->sbs[idx(vm, id)] == 0) {
		*st = SBM_UNUSED;
		struct mhp_err err = { 0 };
		int ret = mhp_remove_memory(m, id_to_phys(vm, id), vm->block, &err);
		MHP_ASSERT(!ret);   /* an offline block of ours: removing it cannot fail (the kernel's BUG_ON) */
		(void)ret;
		vm->offline_size -= vm->block;
	}
	return 0;
}

/* Models virtio_mem_sbm_unplug_sb_online(): fake-offline the subblocks, then unplug them. */
static int sbm_unplug_sb_online(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id, unsigned sb, unsigned count)
{
	int ret = fake_offline(m, PHYS_PFN(m, id_to_phys(vm, id) + sb * vm->sb_size),
			       (count * vm->sb_size) >> m->page_shift);
	if (ret)
		return ret;
	plug_units(vm, id, sb, count, false);
	uint8_t *st = &vm->state[idx(vm, id)];
	if (*st == SBM_KERNEL || *st == SBM_MOVABLE)
		(*st)++;
	return 0;
}

/* Models virtio_mem_sbm_unplug_any_sb_online(): the whole block at once if it can, else subblock by subblock. */
static int sbm_unplug_online(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id, uint64_t *nb_sb)
{
	int ret = -EBUSY;
	if (*nb_sb >= vm->sbs_per_mb && vm->sbs[idx(vm, id)] == all_sbs(vm) &&
	    !(ret = sbm_unplug_sb_online(m, vm, id, 0, vm->sbs_per_mb)))
		*nb_sb -= vm->sbs_per_mb;
	for (int sb = (int)vm->sbs_per_mb - 1; ret && sb >= 0 && *nb_sb; sb--)
		if (sb_plugged(vm, id, (unsigned)sb) && !sbm_unplug_sb_online(m, vm, id, (unsigned)sb, 1))
			(*nb_sb)--;   /* a busy subblock is skipped */
	/* virtio_mem_sbm_try_remove_unplugged_mb(): an emptied online block goes. */
	if (vm->sbs[idx(vm, id)] == 0) {
		if (offline_and_remove(m, vm, id))
			vm->have_unplugged_mb = true;
		else
			vm->state[idx(vm, id)] = SBM_UNUSED;
	}
	return 0;
}

/* Models virtio_mem_sbm_unplug_request(): partial blocks first, Movable before Normal, highest block first. */
static int sbm_unplug_request(struct mhp_machine *m, struct virtio_mem *vm, uint64_t diff)
{
	static const int order[] = { SBM_OFFLINE_PARTIAL, SBM_OFFLINE, SBM_MOVABLE_PARTIAL, SBM_KERNEL_PARTIAL,
				     SBM_MOVABLE, SBM_KERNEL };
	uint64_t nb_sb = diff / vm->sb_size;
	for (size_t i = 0; i < 6 && nb_sb; i++)
		for (uint64_t id = vm->next_id; id-- > vm->first_id && nb_sb;) {
			if (vm->state[idx(vm, id)] != order[i])
				continue;
			if (i < 2)
				sbm_unplug_offline(m, vm, id, &nb_sb);
			else
				sbm_unplug_online(m, vm, id, &nb_sb);
		}
	return nb_sb ? -EBUSY : 0;
}

/* Models virtio_mem_bbm_plug_request(): whole big blocks, unused ones first. */
static int bbm_plug_request(struct mhp_machine *m, struct virtio_mem *vm, uint64_t diff)
{
	uint64_t nb = diff / vm->block;
	return plug_and_add_blocks(m, vm, &nb);
}

static bool bb_all(const struct mhp_machine *m, const struct virtio_mem *vm, uint64_t id, int state, int zone)
{
	uint64_t start = id_to_phys(vm, id);
	for (uint64_t a = start; a < start + vm->block; a += m->model.block_size) {
		const struct memory_block *mem = find_memory_block_by_id(m, a / m->model.block_size);
		if (!mem || mem->state != state || (zone >= 0 && memory_block_zone(m, mem) != zone))
			return false;
	}
	return true;
}

/* The online sections among the first nr pages of a big block from pfn go back to the buddy. */
static void bbm_fake_online_sections(struct mhp_machine *m, uint64_t pfn, uint64_t nr)
{
	for (uint64_t p = pfn; p < pfn + nr; p += m->pages_per_section)
		if (online_section(__pfn_to_section(m, p)))
			fake_online(m, p, m->pages_per_section);
}

/*
 * Models virtio_mem_bbm_offline_remove_and_unplug_bb(): every online section
 * is fake-offlined first (alloc_contig_range(), which fails without a word),
 * and only then are the blocks offlined and removed; a failure gives the
 * sections done so far back.
 */
static int bbm_offline_remove_and_unplug(struct mhp_machine *m, struct virtio_mem *vm, uint64_t id)
{
	uint64_t start = PHYS_PFN(m, id_to_phys(vm, id)), nr = vm->block >> m->page_shift, done = 0;
	for (; done < nr; done += m->pages_per_section)
		if (online_section(__pfn_to_section(m, start + done)) && fake_offline(m, start + done, m->pages_per_section))
			break;
	int ret = done < nr ? -EBUSY : offline_and_remove(m, vm, id);
	if (ret)
		bbm_fake_online_sections(m, start, done);
	return ret;
}

/* Models virtio_mem_bbm_unplug_request(): offline big blocks, then Movable ones, then any; highest first. */
static int bbm_unplug_request(struct mhp_machine *m, struct virtio_mem *vm, uint64_t diff)
{
	uint64_t nb = diff / vm->block;
	for (int pass = 0; pass < 3 && nb; pass++)
		for (uint64_t id = vm->next_id; id-- > vm->first_id && nb;) {
			if (vm->state[idx(vm, id)] != BBM_ADDED)
				continue;
			if ((pass == 0 && !bb_all(m, vm, id, MEM_OFFLINE, -1)) ||
			    (pass == 1 && !bb_all(m, vm, id, MEM_ONLINE, ZONE_MOVABLE)))
				continue;
			if (bbm_offline_remove_and_unplug(m, vm, id))
				continue;   /* busy: the next one */
			plug_units(vm, id, 0, 1, false);
			vm->state[idx(vm, id)] = BBM_UNUSED;
			nb--;
		}
	return nb ? -EBUSY : 0;
}

/* Models virtio_mem_run_wq(): one run towards the requested size. */
static void run_wq(struct mhp_machine *m, struct virtio_mem *vm)
{
	int rc = 0;
	if (vm->broken)
		return;
	/* virtio_mem_cleanup_pending_mb(): emptied online blocks that could not go before. */
	for (uint64_t id = vm->first_id; vm->sbm && vm->have_unplugged_mb && id < vm->next_id; id++) {
		uint8_t st = vm->state[idx(vm, id)];
		if (st >= SBM_KERNEL && !vm->sbs[idx(vm, id)] && !offline_and_remove(m, vm, id))
			vm->state[idx(vm, id)] = SBM_UNUSED;
	}
	vm->have_unplugged_mb = false;
	for (uint64_t id = vm->first_id; vm->sbm && id < vm->next_id; id++)
		vm->have_unplugged_mb |= vm->state[idx(vm, id)] >= SBM_KERNEL && !vm->sbs[idx(vm, id)];
	if (vm->requested > vm->plugged)
		rc = vm->sbm ? sbm_plug_request(m, vm, vm->requested - vm->plugged)
			     : bbm_plug_request(m, vm, vm->requested - vm->plugged);
	else if (vm->requested < vm->plugged)
		rc = vm->sbm ? sbm_unplug_request(m, vm, vm->plugged - vm->requested)
			     : bbm_unplug_request(m, vm, vm->plugged - vm->requested);
	if (!rc && vm->have_unplugged_mb)
		rc = -EBUSY;
	vm->last_rc = rc;
	/* The errors virtio_mem_run_wq() knows (the model's steps stand in for its timer); any other breaks it. */
	if (rc && rc != -ENOSPC && rc != -ETXTBSY && rc != -EBUSY && rc != -ENOMEM) {
		pr_err(m, "virtio_mem virtio0: unknown error, marking device broken: %d", rc);
		vm->broken = true;
	}
}

/* ---- the device ------------------------------------------------------------------ */

/* Models virtio_mem_refresh_config()'s lines: the sizes the device's config space holds now. */
static void refresh_config(struct mhp_machine *m, const struct virtio_mem *vm)
{
	VM_LOG(m, "plugged size: 0x%llx", (unsigned long long)vm->plugged);
	VM_LOG(m, "requested size: 0x%llx", (unsigned long long)vm->requested);
}

/* A config change (the host's request, or the probe's first run): the sizes logged, then the workqueue. */
static void config_changed(struct mhp_machine *m, struct virtio_mem *vm)
{
	if (!vm->broken)   /* virtio_mem_run_wq() returns before it refreshes the config */
		refresh_config(m, vm);
	run_wq(m, vm);
	struct mhp_trace_field f[] = { TF_U("requested", vm->requested), TF_U("plugged", vm->plugged),
				       TF_S("result", vm->broken ? "broken" : vm->last_rc ? mhp_errno_name(vm->last_rc)
										: "settled") };
	TRACE(m, "virtio_mem", f, "virtio-mem vm0: requested-size=%lluM size=%lluM (%s)",
	      (unsigned long long)(vm->requested >> 20), (unsigned long long)(vm->plugged >> 20),
	      vm->broken ? "the driver is broken: it ignores every request" :
	      vm->last_rc ? "the driver retries later" : "settled");
}

/* The model's first virtio_mem hotplug range: QEMU's virtio-mem-pci device, or NULL. */
static const struct model_range *virtio_mem_device(const struct mhp_machine *m)
{
	for (unsigned i = 0; i < m->model.nr_hotplug; i++)
		if (strcmp(m->model.hotplug[i].name, "virtio_mem") == 0)
			return &m->model.hotplug[i];
	return NULL;
}

/* Models virtio_mem_init() and virtio_mem_init_hotplug(): the device's geometry and mode, and their lines. */
static int virtio_mem_init(struct mhp_machine *m, const struct model_range *r, struct mhp_err *err)
{
	struct virtio_mem *vm = calloc(1, sizeof(*vm));
	if (!vm)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	uint64_t mb = m->model.block_size, sb = m->page_size << m->pageblock_order;
	*vm = (struct virtio_mem){ .nid = r->nid, .addr = r->start, .region_size = r->size,
				   .device_block_size = r->block_size ? r->block_size : 2ull << 20 };
	sb = sb > vm->device_block_size ? sb : vm->device_block_size;
	vm->sbm = sb < mb;
	vm->sb_size = sb;
	vm->sbs_per_mb = vm->sbm ? (unsigned)(mb / sb) : 1;
	vm->block = vm->sbm ? mb : (vm->device_block_size > mb ? vm->device_block_size : mb);
	vm->first_id = vm->next_id = (vm->addr + vm->block - 1) / vm->block;
	vm->last_id = (vm->addr + vm->region_size) / vm->block;   /* one past the last usable block */
	vm->last_id = vm->last_id ? vm->last_id - 1 : 0;
	vm->offline_threshold = 2 * vm->block > (1ull << 30) ? 2 * vm->block : 1ull << 30;
	uint64_t n = vm->last_id + 1 - vm->first_id;
	if (vm->last_id < vm->first_id || n > VIRTIO_MEM_MAX_BLOCKS || !(vm->state = calloc(n, 1)) ||
	    !(vm->sbs = calloc(n, sizeof(*vm->sbs)))) {
		free(vm->state);
		free(vm);
		return mhp_err_set(err, -EINVAL, "virtio_mem region [%#llx+%#llx]: not 1 to %u whole blocks",
				   (unsigned long long)r->start, (unsigned long long)r->size, VIRTIO_MEM_MAX_BLOCKS);
	}
	m->vmem = vm;
	VM_LOG(m, "start address: 0x%llx", (unsigned long long)vm->addr);
	VM_LOG(m, "region size: 0x%llx", (unsigned long long)vm->region_size);
	VM_LOG(m, "device block size: 0x%llx", (unsigned long long)vm->device_block_size);
	VM_LOG(m, "nid: %d", vm->nid);
	VM_LOG(m, "memory block size: 0x%llx", (unsigned long long)mb);
	if (vm->sbm)
		VM_LOG(m, "subblock size: 0x%llx", (unsigned long long)vm->sb_size);
	else
		VM_LOG(m, "big block size: 0x%llx", (unsigned long long)vm->block);
	return 0;
}

/*
 * Models virtio_mem_probe(): init, the memory notifier and the online-page
 * callback registered, then the first run of the workqueue, queued with the
 * config marked changed. QEMU's requested-size= on its command line (the
 * model's requested_size) is what that run plugs, before anyone asks; with
 * nothing requested it only logs the sizes.
 */
int virtio_mem_probe(struct mhp_machine *m, struct mhp_err *err)
{
	const struct model_range *r = virtio_mem_device(m);
	if (!r)
		return 0;
	int ret = virtio_mem_init(m, r, err);
	if (ret)
		return ret;
	virtio_mem_attach(m);
	ret = register_memory_notifier(m, NOTIFIER_VIRTIO_MEM, 0);
	if (ret)
		return mhp_err_set(err, ret, "virtio_mem: cannot register its memory notifier");
	m->vmem->requested = r->requested_size;
	if (m->vmem->requested)
		config_changed(m, m->vmem);
	else
		refresh_config(m, m->vmem);
	return 0;
}

void virtio_mem_free(struct mhp_machine *m)
{
	if (!m->vmem)
		return;
	free(m->vmem->state);
	free(m->vmem->sbs);
	free(m->vmem);
	m->vmem = NULL;
}

int mhp_virtio_mem_set_requested(struct mhp_machine *m, uint64_t size, struct mhp_err *err)
{
	struct virtio_mem *vm = m->vmem;
	if (!vm)
		return mhp_err_set(err, -ENODEV, "the model has no virtio-mem device");
	if (size > vm->region_size || size % vm->device_block_size)
		return mhp_err_set(err, -EINVAL, "requested-size %#llx: a multiple of the block size %#llx up to the "
				   "region's %#llx", (unsigned long long)size, (unsigned long long)vm->device_block_size,
				   (unsigned long long)vm->region_size);
	vm->requested = size;
	config_changed(m, vm);   /* the config-change interrupt: virtio_mem_config_changed() */
	return 0;
}

int mhp_virtio_mem_info(const struct mhp_machine *m, struct mhp_virtio_mem_info *out)
{
	const struct virtio_mem *vm = m->vmem;
	if (!vm)
		return -ENODEV;
	*out = (struct mhp_virtio_mem_info){ .addr = vm->addr, .region_size = vm->region_size,
					     .block_size = vm->device_block_size, .requested = vm->requested,
					     .plugged = vm->plugged, .nid = vm->nid, .sbm = vm->sbm,
					     .unit = vm->sbm ? vm->sb_size : vm->block, .retrying = vm->last_rc != 0 && !vm->broken,
					     .broken = vm->broken };
	return 0;
}
