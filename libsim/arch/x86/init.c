// SPDX-License-Identifier: GPL-2.0-only
/*
 * init.c - x86-64's direct map as boot and hot-add build it, the zone
 * limits, and the command-line words only x86 reads. Kernel twin:
 * arch/x86/mm/init.c (split_mem_range, init_memory_mapping,
 * memory_map_top_down, zone_sizes_init, probe_page_size_mask).
 */
#include <string.h>

#include "sim/memblock.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/trace.h"
#include "x86.h"

#define ISA_END_ADDRESS 0x100000ull
#define PMD_SIZE (1ull << 21)
#define PUD_SIZE (1ull << 30)
#define NR_RANGE_MR 5

/*
 * memblock.memory as e820 leaves it on a PC: the model's RAM without the
 * ranges the firmware's map reserves (reserved: with firmware: page 0,
 * the legacy BIOS area, SeaBIOS's tables below 2 GiB), in whole pages.
 * Their pages stay in their section, reserved.
 */
static unsigned memblock_memory(const struct mhp_machine *m, uint64_t (*r)[2], unsigned cap)
{
	return model_system_ram(&m->model, r, cap);
}

/* Models memblock_is_region_memory(): [base, base + size) inside one region of memblock.memory. */
static bool memblock_is_region_memory(const struct mhp_machine *m, uint64_t base, uint64_t size)
{
	uint64_t r[MODEL_MAX_SYSTEM_RAM][2];
	unsigned n = memblock_memory(m, r, MODEL_MAX_SYSTEM_RAM);
	for (unsigned i = 0; i < n; i++)
		if (base >= r[i][0] && base + size <= r[i][1])
			return true;
	return false;
}

/* Models probe_page_size_mask(): 2M with PSE (always), 1G with gbpages on a CPU that has them; none with debug_pagealloc. */
static unsigned page_size_mask(const struct mhp_machine *m)
{
	if (m->debug_pagealloc)
		return 0;
	return PSM_2M | (m->direct_gbpages ? PSM_1G : 0);
}

struct map_range {
	uint64_t start, end;
	unsigned mask;
};

static unsigned save_mr(struct map_range *mr, unsigned n, uint64_t start_pfn, uint64_t end_pfn, unsigned mask)
{
	if (start_pfn >= end_pfn)
		return n;
	MHP_ASSERT(n < NR_RANGE_MR);   /* the kernel panics: "run out of range for init_memory_mapping" */
	mr[n] = (struct map_range){ start_pfn << 12, end_pfn << 12, mask };
	return n + 1;
}

static uint64_t round_up_pfn(uint64_t pfn, uint64_t size) { return (pfn + (size >> 12) - 1) & ~((size >> 12) - 1); }
static uint64_t round_down_pfn(uint64_t pfn, uint64_t size) { return pfn & ~((size >> 12) - 1); }

/* Models adjust_range_page_size_mask(): at boot, a small range takes a large page when all of it is RAM. */
static void adjust_range_page_size_mask(const struct mhp_machine *m, struct map_range *mr, unsigned n)
{
	unsigned global = page_size_mask(m);
	for (unsigned i = 0; i < n; i++) {
		static const struct { unsigned bit; uint64_t size; } big[] = { { PSM_2M, PMD_SIZE }, { PSM_1G, PUD_SIZE } };
		for (unsigned k = 0; k < 2; k++) {
			if (!(global & big[k].bit) || (mr[i].mask & big[k].bit))
				continue;
			uint64_t start = mr[i].start & ~(big[k].size - 1);
			uint64_t end = (mr[i].end + big[k].size - 1) & ~(big[k].size - 1);
			if (memblock_is_region_memory(m, start, end - start))
				mr[i].mask |= big[k].bit;
		}
	}
}

/*
 * Models split_mem_range(): a 4K head to the first 2M boundary, 2M pages to
 * the first 1G boundary, 1G pages, a 2M tail, a 4K tail; at boot the small
 * ranges grow to large pages over RAM; neighbours of one mask merge.
 */
static unsigned split_mem_range(const struct mhp_machine *m, struct map_range *mr, uint64_t start, uint64_t end,
				bool boot)
{
	unsigned global = page_size_mask(m), n = 0;
	uint64_t limit = end >> 12, pfn = start >> 12, s, e;
	e = round_up_pfn(pfn, PMD_SIZE);
	e = e < limit ? e : limit;
	if (pfn < e)
		n = save_mr(mr, n, pfn, e, 0), pfn = e;
	s = round_up_pfn(pfn, PMD_SIZE);
	e = round_up_pfn(pfn, PUD_SIZE);
	e = e < round_down_pfn(limit, PMD_SIZE) ? e : round_down_pfn(limit, PMD_SIZE);
	if (s < e)
		n = save_mr(mr, n, s, e, global & PSM_2M), pfn = e;
	s = round_up_pfn(pfn, PUD_SIZE);
	e = round_down_pfn(limit, PUD_SIZE);
	if (s < e)
		n = save_mr(mr, n, s, e, global & (PSM_2M | PSM_1G)), pfn = e;
	s = round_up_pfn(pfn, PMD_SIZE);
	e = round_down_pfn(limit, PMD_SIZE);
	if (s < e)
		n = save_mr(mr, n, s, e, global & PSM_2M), pfn = e;
	n = save_mr(mr, n, pfn, limit, 0);
	if (boot)
		adjust_range_page_size_mask(m, mr, n);
	for (unsigned i = 0; n > 1 && i < n - 1; i++) {
		if (mr[i].end != mr[i + 1].start || mr[i].mask != mr[i + 1].mask)
			continue;
		mr[i].end = mr[i + 1].end;
		memmove(&mr[i + 1], &mr[i + 2], (n - 2 - i) * sizeof(*mr));
		n--, i--;
	}
	return n;
}

/* Models init_memory_mapping(): the ranges of split_mem_range(), each mapped; returns the end mapped. */
uint64_t init_memory_mapping(struct mhp_machine *m, uint64_t start, uint64_t end, bool boot)
{
	struct map_range mr[NR_RANGE_MR];
	unsigned n = split_mem_range(m, mr, start, end, boot);
	uint64_t ret = end;
	/*
	 * The kernel's pr_debug(" [mem %#010lx-%#010lx] page %s") per range is off
	 * unless dynamic debug turns on arch/x86/mm/init.c (the lane turns on only
	 * mm/memory_hotplug.c and mm/page_isolation.c): not logged here either.
	 */
	for (unsigned i = 0; i < n; i++)
		ret = kernel_physical_mapping_init(m, mr[i].start, mr[i].end, mr[i].mask, boot);
	struct mhp_trace_field f[] = { TF_X("start", start), TF_X("end", end), TF_U("ranges", n) };
	TRACE(m, "init_memory_mapping", f, "direct map [mem %#llx-%#llx) in %u range(s) of split_mem_range",
	      (unsigned long long)start, (unsigned long long)end, n);
	return ret;
}

/* Models init_range_memory_mapping(): what of memblock.memory lies in [r_start, r_end); returns the bytes mapped. */
static uint64_t init_range_memory_mapping(struct mhp_machine *m, uint64_t r_start, uint64_t r_end)
{
	uint64_t r[MODEL_MAX_SYSTEM_RAM][2], mapped = 0;
	unsigned n = memblock_memory(m, r, MODEL_MAX_SYSTEM_RAM);
	for (unsigned i = 0; i < n; i++) {
		uint64_t start = r[i][0] < r_start ? r_start : r[i][0] > r_end ? r_end : r[i][0];
		uint64_t end = r[i][1] < r_start ? r_start : r[i][1] > r_end ? r_end : r[i][1];
		start = (start + 0xfff) & ~0xfffull, end &= ~0xfffull;   /* for_each_mem_pfn_range: whole pages */
		if (start >= end)
			continue;
		init_memory_mapping(m, start, end, true);
		mapped += end - start;
	}
	return mapped;
}

/* Whether [pa, pa + size) is free of every reserved range of the model (memblock.reserved at this point). */
static bool memblock_free_at(const struct mhp_machine *m, uint64_t pa, uint64_t size)
{
	for (unsigned i = 0; i < m->model.nr_reserved; i++) {
		const struct model_range *r = &m->model.reserved[i];
		if (pa < r->start + r->size && r->start < pa + size)
			return false;
	}
	return true;
}

/* The end of the highest free 2M of memblock.memory below end: memblock_phys_alloc_range(PMD_SIZE, PMD_SIZE) top-down. */
static uint64_t top_free_pmd_end(const struct mhp_machine *m, uint64_t start, uint64_t end)
{
	uint64_t r[MODEL_MAX_SYSTEM_RAM][2], best = 0;
	unsigned n = memblock_memory(m, r, MODEL_MAX_SYSTEM_RAM);
	for (unsigned i = 0; i < n; i++) {
		uint64_t hi = (r[i][1] < end ? r[i][1] : end) & ~(PMD_SIZE - 1);
		for (uint64_t pa = hi; pa >= PMD_SIZE && pa - PMD_SIZE >= r[i][0] && pa - PMD_SIZE >= start && pa > best;
		     pa -= PMD_SIZE)
			if (memblock_free_at(m, pa - PMD_SIZE, PMD_SIZE)) {
				best = pa;
				break;
			}
	}
	return best ? best : end;
}

/*
 * Models memory_map_top_down(): from the top of RAM down, in steps that
 * grow 256-fold as memory gets mapped (2M, 512M, 128G), so that each step's
 * tables fit in what the steps before mapped; then whatever lies above.
 */
static void memory_map_top_down(struct mhp_machine *m, uint64_t map_start, uint64_t map_end)
{
	uint64_t real_end = top_free_pmd_end(m, map_start, map_end), last_start = real_end;
	uint64_t step = PMD_SIZE, mapped = 0;
	while (last_start > map_start) {
		uint64_t start = map_start;
		if (last_start > step) {
			start = (last_start - 1) & ~(step - 1);
			start = start < map_start ? map_start : start;
		}
		mapped += init_range_memory_mapping(m, start, last_start);
		last_start = start;
		if (mapped >= step)
			step <<= 21 - 12 - 1;   /* get_new_step_size() */
	}
	if (real_end < map_end)
		init_range_memory_mapping(m, real_end, map_end);
}

/* Models x86_memory_layout_init's part of setup_arch: no KASLR, so PA 0 is page_offset_base; all of PA is pluggable. */
void x86_memory_layout_init(struct mhp_machine *m)
{
	m->memstart_addr = 0;
	/* No arch_get_mappable_range(): the generic [0, U64_MAX], cut by mhp_get_pluggable_range() to PHYSMEM_END. */
	m->mappable_start = 0;
	m->mappable_end = (1ull << m->model.pa_bits) - 1;
	/* x86 maps RAM with large pages and splits them on demand (CPA): arm64's rodata=full rule does not apply. */
	m->can_set_direct_map = false;
	/* probe_page_size_mask(): X86_DIRECT_GBPAGES=y unless nogbpages, and only on a CPU with pdpe1gb. */
	m->direct_gbpages = m->direct_gbpages_param >= 0 && (m->model.cpu_features & X86_FEATURE_GBPAGES);
}

/* Models init_mem_mapping(): the ISA range, then the rest of RAM from the top down. */
int x86_paging_init(struct mhp_machine *m, struct mhp_err *err)
{
	int ret = x86_pgtable_init(m, err);
	if (ret || (ret = pt_alloc_pgd(m, err)))   /* init_top_pgt */
		return ret;
	if (m->direct_gbpages)
		pr_info(m, "Using GB pages for direct mapping");
	uint64_t end = 0;
	for (unsigned i = 0; i < m->model.nr_ram; i++)
		if (m->model.ram[i].start + m->model.ram[i].size > end)
			end = m->model.ram[i].start + m->model.ram[i].size;
	init_memory_mapping(m, 0, ISA_END_ADDRESS, true);
	memory_map_top_down(m, ISA_END_ADDRESS, end);
	if (m->host.refused[0] || m->nr_pgtable_pages == 0)
		return mhp_err_set(err, -ENOMEM, "model %s: the memblock page-table pool is too small for the boot "
				   "direct map", m->model.name);
	return 0;
}

/*
 * Models zone_sizes_init(): DMA below 16 MiB (MAX_DMA_PFN), DMA32 below
 * 4 GiB, Normal to max_pfn; no HighMem on 64-bit.
 */
void x86_zone_sizes_init(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end,
			 uint64_t max_zone_pfn[MAX_NR_ZONES])
{
	(void)dram_start;
	uint64_t max_low = PHYS_PFN(m, dram_end);
	memset(max_zone_pfn, 0, MAX_NR_ZONES * sizeof(uint64_t));
	max_zone_pfn[ZONE_DMA] = 4096 < max_low ? 4096 : max_low;
	max_zone_pfn[ZONE_DMA32] = 0x100000 < max_low ? 0x100000 : max_low;
	max_zone_pfn[ZONE_NORMAL] = max_low;
}

/* gbpages/nogbpages (parse_direct_gbpages_{on,off}); -ENOENT for other words. */
int x86_early_param(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err)
{
	(void)err, (void)value;
	if (strcmp(word, "gbpages") == 0)
		m->direct_gbpages_param = 1;
	else if (strcmp(word, "nogbpages") == 0)
		m->direct_gbpages_param = -1;
	else
		return -ENOENT;
	return 0;
}

/* Models free_initmem(): the init sections back to the buddy (free_kernel_image_pages). */
void x86_free_initmem(struct mhp_machine *m)
{
	const struct model_kernel *k = &m->model.kernel;
	if (k->present)
		free_reserved_area(m, k->init.start, k->init.start + k->init.size, "unused kernel image (initmem)");
	m->after_bootmem = true;
}
