/*
 * arch.c - arm64 as the generic model sees it: the entry points of
 * arch/arm64/mm/{mmu,init,ptdump}.c that mm/ calls.
 */
#include "arch/arch.h"
#include "arm64.h"

const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.memory_layout_init = arm64_memory_layout_init,
	.pgtable_init = pt_geom_init,
	.paging_init = arm64_paging_init,
	.boot_vmemmap = arm64_boot_vmemmap,
	.arch_add_memory = arch_add_memory,
	.arch_remove_memory = arch_remove_memory,
	.vmemmap_populate = vmemmap_populate,
	.vmemmap_free = vmemmap_free,
	.ptdump_show = ptdump_show,
	.zone_sizes_init = zone_sizes_init,
	.touch = arch_tlb_touch,
	.teardown_name = arm64_teardown_name,
	.teardown_built = arm64_teardown_built,
	.teardown_formerly = arm64_teardown_formerly,
	.early_param = arm64_early_param,
	.free_initmem = arm64_free_initmem,
	.bootmem_notifier = prevent_bootmem_remove_notifier,
};
