// SPDX-License-Identifier: GPL-2.0-only
/*
 * init.c - arm64's boot-time memory layout: the zone limits, the command
 * line words only arm64 reads, and the init sections freed after boot.
 * Kernel twin: arch/arm64/mm/init.c (with parse_rodata() of
 * arch/arm64/mm/pageattr.c).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/page_alloc.h"
#include "arm64.h"

/* Models max_zone_phys(): a zone limit clipped to the end of DRAM. */
static uint64_t max_zone_phys(uint64_t limit, uint64_t dram_end)
{
	return (limit < dram_end - 1 ? limit : dram_end - 1) + 1;
}

/*
 * Models zone_sizes_init(): the highest pfn of each
 * zone. DMA stops at the firmware's DMA limit, and at 4 GiB when RAM starts
 * below it; DMA32 at 4 GiB; Normal at max_pfn. Movable is empty at boot
 * (ZONE_MOVABLE comes from movablecore= and kernelcore=, in mm_init.c).
 */
void zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
			    uint64_t max_zone_pfn[MAX_NR_ZONES])
{
	uint64_t dma_limit = m->model.fw_dma_limit;
	if (dram_start < 0xffffffffull && dma_limit > 0xffffffffull)
		dma_limit = 0xffffffffull;
	memset(max_zone_pfn, 0, MAX_NR_ZONES * sizeof(uint64_t));
	max_zone_pfn[ZONE_DMA] = PHYS_PFN(m, max_zone_phys(dma_limit, dram_end));
	max_zone_pfn[ZONE_DMA32] = PHYS_PFN(m, max_zone_phys(0xffffffffull, dram_end));
	max_zone_pfn[ZONE_NORMAL] = m->max_pfn;
}

/* Models parse_rodata() (rodata=full, or a boolean that turns rodata_full off); -ENOENT for other words. */
int arm64_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	if (strcmp(word, "mhpsim.bootmem") == 0) {
		static const char *const names[] = { "veto", "allow", "reserved" };
		for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
			if (value && strcmp(value, names[i]) == 0) {
				m->bootmem_remove = (uint8_t)i;
				return 0;
			}
		return mhp_err_set(err, -EINVAL, "mhpsim.bootmem=%s: expected veto (6.12), allow (no notifier) or "
				   "reserved (no notifier, boot memory given back with free_reserved_page())",
				   value ? value : "");
	}
	if (strcmp(word, "rodata") != 0)
		return -ENOENT;
	if (value && strcmp(value, "full") == 0)
		m->rodata_full = true;
	else if (value && strchr("yYtT1nNfF0oO", value[0]))
		m->rodata_full = false;
	return 0;
}

/* Models free_initmem(): __init_begin..__init_end, whole pages on arm64, back to the buddy. */
void arm64_free_initmem(struct mhp_machine *m)
{
	const struct model_kernel *k = &m->model.kernel;
	if (k->present)
		free_reserved_area(m, k->init.start, k->init.start + k->init.size, "unused kernel");
}
