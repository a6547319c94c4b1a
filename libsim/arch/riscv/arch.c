// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch.c - RISC-V (riscv64) as the generic model sees it: the entry points
 * of arch/riscv/mm/{init,ptdump}.c that mm/ calls.
 */
#include <string.h>

#include "arch/arch.h"
#include "sim/sparse-vmemmap.h"
#include "arch/ptdump.h"
#include "sim/model.h"
#include "riscv.h"

/* 4K pages only; 39-, 48- and 57-bit VAs are Sv39, Sv48 and Sv57. */
static const char *const va_words[] = { "39", "48", "57", NULL };
/* MAX_PHYSMEM_BITS (asm/sparsemem.h). */
static const char *const pa_words[] = { "56", NULL };

/* SECTION_SIZE_BITS 27 (asm/sparsemem.h); the linear map starts at DRAM's base. */
static const struct arch_granule granules[] = {
	{ "4K", 12, 27, 0, va_words },
	{ NULL, 0, 0, 0, NULL },
};

/*
 * The model takes phys_ram_base (DRAM's start, 2M down) to be
 * vmemmap_start_pfn's base (128M down) too, and a DRAM base no 512G leaf
 * fits (p4d_leaf() is false: 6.12 could not tear one down).
 */
static const char *riscv_geometry_refused(const struct mhp_model *mo)
{
	uint64_t lo = UINT64_MAX;
	for (unsigned i = 0; i < mo->nr_ram; i++)
		lo = mo->ram[i].start < lo ? mo->ram[i].start : lo;
	if (mo->nr_ram && (lo & ((1ull << 27) - 1)))
		return "RISC-V boot RAM must start on a 128 MiB boundary (the model takes phys_ram_base and "
		       "vmemmap_start_pfn to be one)";
	if (mo->nr_ram && mo->va_bits == 57 && !(lo & ((1ull << 39) - 1)))
		return "RISC-V boot RAM at a 512 GiB boundary would get P4D leaves under Sv57, which 6.12 cannot remove";
	return NULL;
}

static const char *riscv_teardown_name(unsigned i)
{
	static const char *const names[] = { [RISCV_TEARDOWN_MODEL] = "riscv", [RISCV_TEARDOWN_KERNEL] = "kernel" };
	return i < sizeof(names) / sizeof(names[0]) ? names[i] : NULL;
}

static bool riscv_teardown_built(unsigned i)
{
	return i == RISCV_TEARDOWN_MODEL || (i == RISCV_TEARDOWN_KERNEL && riscv_kernel_teardown_built());
}

extern const struct ptdump_fmt riscv_ptdump;

/* The RISC-V functions behind the events of its page-table code (the rest are every arch's). */
static bool riscv_trace_function(const char *type, const char **fn)
{
	static const struct arch_trace_fn map[] = {
		{ "vmemmap_populate", "vmemmap_populate() arch/riscv/mm/init.c" },
		{ "create_linear_mapping_range", "create_linear_mapping_range() arch/riscv/mm/init.c" },
		{ "pgtable_prealloc", "preallocate_pgd_pages_range() arch/riscv/mm/init.c" },
		{ "remove_pgd_mapping", "remove_pgd_mapping() arch/riscv/mm/init.c" },
		{ "pgtable_free", "free_pte_table()/free_pmd_table()/free_pud_table() arch/riscv/mm/init.c" },
		{ "tlb_flush", "flush_tlb_all() arch/riscv/mm/tlbflush.c" },
		/* A table for the linear map (pt_ops.alloc_*) or the vmemmap (vmemmap_alloc_block_zero): not told apart. */
		{ "pgtable_alloc", NULL },
		{ "kernel_warn", NULL },
	};
	return arch_trace_fn_find(map, sizeof(map) / sizeof(map[0]), type, fn);
}

const struct arch_ops arch_riscv64 = {
	.name = "riscv64",
	.granules = granules,
	.pa_words = pa_words,
	.geometry_refused = riscv_geometry_refused,
	.memory_block_size = riscv_memory_block_size,
	.memory_layout_init = riscv_memory_layout_init,
	.pgtable_init = riscv_pgtable_init,
	.paging_init = riscv_paging_init,
	.boot_vmemmap = vmemmap_populate_boot,
	.arch_add_memory = riscv_arch_add_memory,
	.arch_remove_memory = riscv_arch_remove_memory,
	.remove_linear_map = riscv_remove_linear_map,
	.vmemmap_populate = riscv_vmemmap_populate,
	.vmemmap_free = riscv_vmemmap_free,
	.ptdump = &riscv_ptdump,
	.trace_function = riscv_trace_function,
	.zone_sizes_init = riscv_zone_sizes_init,
	.touch = arch_tlb_touch,
	.teardown_name = riscv_teardown_name,
	.teardown_built = riscv_teardown_built,
	.early_param = riscv_early_param,
	.free_initmem = riscv_free_initmem,
	.no_memory_failure = true,   /* Debian's riscv64 6.12 config: no ARCH_SUPPORTS_MEMORY_FAILURE */
	.ptdump_show_locked = true,   /* 37992b7f1097 */
	.zones = (1u << ZONE_DMA32) | (1u << ZONE_NORMAL) | (1u << ZONE_MOVABLE) | (1u << ZONE_DEVICE),
};
