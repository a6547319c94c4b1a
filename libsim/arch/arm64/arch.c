// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch.c - arm64 as the generic model sees it: the entry points of
 * arch/arm64/mm/{mmu,init,ptdump}.c that mm/ calls.
 */
#include "arch/arch.h"
#include "sim/sparse-vmemmap.h"
#include "arm64.h"

/* The ARM64_VA_BITS_* choices each granule allows (arch/arm64/Kconfig). */
static const char *const va_4k[] = { "39", "48", "52", NULL };
static const char *const va_16k[] = { "36", "47", "48", "52", NULL };
static const char *const va_64k[] = { "42", "48", "52", NULL };
static const char *const pa_words[] = { "48", "52", NULL };

/*
 * SECTION_SIZE_BITS: 27 for 4K and 16K pages, 29 for 64K (asm/sparsemem.h);
 * ARM64_MEMSTART_ALIGN: 1 GiB for 4K and 16K, 512 MiB for 64K (asm/kernel-pgtable.h).
 */
static const struct arch_granule granules[] = {
	{ "4K", 12, 27, 1ull << 30, va_4k },
	{ "16K", 14, 27, 1ull << 30, va_16k },
	{ "64K", 16, 29, 1ull << 29, va_64k },
	{ NULL, 0, 0, 0, NULL },
};

/* ARM64_PA_BITS_52 needs 64K pages or LPA2 (a 52-bit VA with 4K or 16K pages). */
static const char *arm64_geometry_refused(const struct mhp_model *mo)
{
	if (mo->pa_bits == 52 && mo->page_shift != 16 && mo->va_bits != 52)
		return "52 needs 64K pages or va_bits 52 (LPA2)";
	return NULL;
}

/* arm64 keeps the generic memory_block_size_bytes(): one section per block. */
static uint64_t arm64_memory_block_size(const struct mhp_model *mo, const char **why)
{
	(void)why;
	return 1ull << mo->section_size_bits;
}

const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.granules = granules,
	.pa_words = pa_words,
	.geometry_refused = arm64_geometry_refused,
	.memory_block_size = arm64_memory_block_size,
	.memory_layout_init = arm64_memory_layout_init,
	.pgtable_init = pt_geom_init,
	.paging_init = arm64_paging_init,
	.boot_vmemmap = vmemmap_populate_boot,
	.arch_add_memory = arch_add_memory,
	.arch_remove_memory = arch_remove_memory,
	.remove_linear_map = arm64_remove_linear_map,
	.vmemmap_populate = vmemmap_populate,
	.vmemmap_free = vmemmap_free,
	.ptdump = &arm64_ptdump,
	.zone_sizes_init = zone_sizes_init,
	.touch = arch_tlb_touch,
	.teardown_name = arm64_teardown_name,
	.teardown_built = arm64_teardown_built,
	.teardown_formerly = arm64_teardown_formerly,
	.early_param = arm64_early_param,
	.free_initmem = arm64_free_initmem,
	.bootmem_notifier = prevent_bootmem_remove_notifier,
	.ptdump_show_locked = true,   /* bf2b59f60ee1 */
};
