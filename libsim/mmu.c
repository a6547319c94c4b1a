/*
 * mmu.c - the arm64 memory layout that hotplug depends on.
 * Kernel twin: arch/arm64/mm/mmu.c (and asm/memory.h, mm/init.c).
 *
 * The page tables themselves (linear map, vmemmap) arrive with issue 4; here
 * is the geometry: where the linear map starts, what it can map.
 */
#include "internal.h"

/* Lowest boot RAM address: memblock_start_of_DRAM(). */
static uint64_t dram_start(const struct mhp_model *mo)
{
	uint64_t lo = UINT64_MAX;
	for (unsigned i = 0; i < mo->nr_ram; i++)
		if (mo->ram[i].start < lo)
			lo = mo->ram[i].start;
	return lo;
}

/*
 * Sets memstart_addr (arm64_memblock_init: DRAM start rounded down to
 * ARM64_MEMSTART_ALIGN, no KASLR) and arch_get_mappable_range(): the linear
 * map covers 2^(VA_BITS-1) bytes from PAGE_OFFSET, i.e. from memstart_addr.
 */
void arm64_memory_layout_init(struct mhp_machine *m)
{
	const struct mhp_model *mo = &m->model;
	m->memstart_addr = dram_start(mo) & ~(mo->memstart_align - 1);
	uint64_t linear_size = 1ull << (mo->va_bits - 1);
	m->mappable_start = m->memstart_addr;
	m->mappable_end = m->memstart_addr + linear_size - 1;
	/* The model also stops at its physical address width (MAX_PHYSMEM_BITS). */
	uint64_t pa_end = (mo->pa_bits >= 64 ? UINT64_MAX : (1ull << mo->pa_bits) - 1);
	if (m->mappable_end > pa_end)
		m->mappable_end = pa_end;
}
