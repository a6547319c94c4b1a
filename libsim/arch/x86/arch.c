// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch.c - x86-64 as the generic model sees it: the entry points of
 * arch/x86/mm/{init,init_64,dump_pagetables}.c and pat/set_memory.c that
 * mm/ calls.
 */
#include <string.h>

#include "arch/arch.h"
#include "sim/sparse-vmemmap.h"
#include "arch/ptdump.h"
#include "x86.h"

/* 4K pages only; 48-bit VAs are 4-level paging, 57-bit 5-level (LA57). */
static const char *const va_words[] = { "48", "57", NULL };
/* MAX_PHYSMEM_BITS: 46 with 4 levels, 52 with 5 (asm/sparsemem.h). */
static const char *const pa_words[] = { "46", "52", NULL };

/* SECTION_SIZE_BITS 27 (asm/sparsemem.h); the direct map starts at PA 0. */
static const struct arch_granule granules[] = {
	{ "4K", 12, 27, 0, va_words },
	{ NULL, 0, 0, 0, NULL },
};

static const char *x86_geometry_refused(const struct mhp_model *mo)
{
	if ((mo->va_bits == 57) != (mo->pa_bits == 52))
		return "x86-64's MAX_PHYSMEM_BITS follows the paging mode: 46 with va_bits 48, 52 with va_bits 57";
	return NULL;
}

static const char *const cpu_feature_words[] = { "pdpe1gb", NULL };

/* The teardowns: 6.12's remove_pagetable() as the model walks it, and a kernel tree's own init_64.c. */
static const char *x86_teardown_name(unsigned i)
{
	static const char *const names[] = { [X86_TEARDOWN_MODEL] = "x86", [X86_TEARDOWN_KERNEL] = "kernel" };
	return i < sizeof(names) / sizeof(names[0]) ? names[i] : NULL;
}

static bool x86_teardown_built(unsigned i)
{
	return i == X86_TEARDOWN_MODEL || (i == X86_TEARDOWN_KERNEL && x86_kernel_teardown_built());
}

extern const struct ptdump_fmt x86_ptdump;

/* The x86 functions behind the events of its page-table code (the rest are every arch's). */
static bool x86_trace_function(const char *type, const char **fn)
{
	static const struct arch_trace_fn map[] = {
		{ "vmemmap_populate", "vmemmap_populate() arch/x86/mm/init_64.c" },
		{ "init_memory_mapping", "init_memory_mapping() arch/x86/mm/init.c" },
		{ "remove_pagetable", "remove_pagetable() arch/x86/mm/init_64.c" },
		{ "pgtable_free", "free_pagetable() arch/x86/mm/init_64.c" },
		{ "tlb_flush", "flush_tlb_all() arch/x86/mm/tlb.c" },
		{ "kernel_bug", "remove_pud_table() arch/x86/mm/init_64.c" },
		/* A table for the direct map (alloc_low_page) or the vmemmap (vmemmap_alloc_block_zero): not told apart. */
		{ "pgtable_alloc", NULL },
		{ "kernel_warn", NULL },
	};
	return arch_trace_fn_find(map, sizeof(map) / sizeof(map[0]), type, fn);
}

const struct arch_ops arch_x86_64 = {
	.name = "x86_64",
	.granules = granules,
	.pa_words = pa_words,
	.geometry_refused = x86_geometry_refused,
	.cpu_feature_words = cpu_feature_words,
	.numa_keep_meminfo = true,
	.memory_block_size = probe_memory_block_size,
	.memory_layout_init = x86_memory_layout_init,
	.pgtable_init = x86_pgtable_init,
	.paging_init = x86_paging_init,
	.boot_vmemmap = vmemmap_populate_boot,
	.arch_add_memory = x86_arch_add_memory,
	.arch_remove_memory = x86_arch_remove_memory,
	.remove_linear_map = x86_remove_linear_map,
	.vmemmap_populate = x86_vmemmap_populate,
	.vmemmap_free = x86_vmemmap_free,
	.ptdump = &x86_ptdump,
	.trace_function = x86_trace_function,
	.zone_sizes_init = x86_zone_sizes_init,
	.touch = arch_tlb_touch,
	.teardown_name = x86_teardown_name,
	.teardown_built = x86_teardown_built,
	.early_param = x86_early_param,
	.free_initmem = x86_free_initmem,
	.report_meminfo = x86_report_meminfo,
};
