// SPDX-License-Identifier: GPL-2.0-only
/*
 * pgtable.c - RISC-V's page-table geometry and entry format in Sv39, Sv48
 * and Sv57. Kernel twins: arch/riscv/include/asm/pgtable.h, pgtable-64.h,
 * page.h, sparsemem.h, arch/riscv/mm/pgtable.c (the run-time folding).
 */
#include <string.h>

#include "riscv.h"

/* The fixed bases of each mode (no KASLR moves them on RISC-V): asm/page.h, asm/pgtable.h, vm-layout.rst. */
const struct riscv_mode *riscv_mode_of(unsigned va_bits)
{
	static const struct riscv_mode modes[] = {
		{ 39, 3, 0xffffffd600000000ull, 0xffffffc500000000ull },
		{ 48, 4, 0xffffaf8000000000ull, 0xffff8d8000000000ull },
		{ 57, 5, 0xff60000000000000ull, 0xff1c000000000000ull },
	};
	for (unsigned i = 0; i < 3; i++)
		if (modes[i].va_bits == va_bits)
			return &modes[i];
	return NULL;
}

/* PGDIR_SHIFT: what one PGD entry maps. */
unsigned riscv_pgdir_shift(const struct riscv_mode *mode)
{
	return 12 + 9 * (mode->levels - 1);
}

/* KERN_VIRT_SIZE: 128 PGD entries' worth (a quarter of the PGD), the direct map's window. */
uint64_t riscv_kern_virt_size(const struct riscv_mode *mode)
{
	return 128ull << riscv_pgdir_shift(mode);
}

/* One entry format at every level: V; a leaf has some of R, W, X; the PPN at bit 10. */
static void riscv_pt_format(struct pt_format *f)
{
	f->valid = _PAGE_PRESENT;
	f->leaf_any = true;
	f->leaf_mask = _PAGE_LEAF, f->page_mask = _PAGE_LEAF;
	f->oa_mask = _PAGE_PFN_MASK;
	f->oa_shift = 2;
	/* The linear map: readable, kernel only, never executable (the text's alias is read-only there). */
	f->linear_must = _PAGE_PRESENT | _PAGE_READ;
	f->linear_mask = f->linear_must | _PAGE_EXEC | _PAGE_USER;
	f->linear_must_device = f->linear_must;   /* PAGE_KERNEL either way */
	/* The level under the PGD is preallocated (pgtable_cache_init) and never freed: PT-LEAK keeps depth 1. */
	f->kept_depth = 2;
}

/* PAGE_END (KASAN_SHADOW_START, defined without KASAN too): 2^(VA_BITS - 4) below 0xffffffff00000000, down to a PGD entry. */
uint64_t riscv_page_end(const struct riscv_mode *mode)
{
	return (0xffffffff00000000ull - (1ull << (mode->va_bits - 4))) & ~((1ull << riscv_pgdir_shift(mode)) - 1);
}

/* The geometry of the mode the model's va_bits names: 512 entries a level, the vmemmap 2^(VA_BITS - 7) bytes. */
int riscv_pgtable_init(struct mhp_machine *m, struct mhp_err *err)
{
	struct pt_geom *g = &m->pt_geom;
	const struct riscv_mode *mode = riscv_mode_of(m->model.va_bits);
	if (!mode)
		return mhp_err_set(err, -EOPNOTSUPP, "RISC-V pages with Sv39, Sv48 or Sv57 (va_bits 39, 48 or 57), not %u",
				   m->model.va_bits);
	memset(g, 0, sizeof(*g));
	g->levels = mode->levels;
	for (unsigned d = 0; d < g->levels; d++) {
		g->shift[d] = 12 + 9 * (g->levels - 1 - d);
		g->ptrs[d] = 512;
	}
	/* Leaves the linear map and the vmemmap use: 2M PMDs, 1G PUDs with Sv48 and up (p4d_leaf() is false). */
	g->block_ok[g->levels - 2] = true;
	g->block_ok[g->levels - 3] = g->levels >= 4;
	g->page_offset = mode->page_offset;
	g->page_end = g->page_offset + riscv_kern_virt_size(mode);
	g->vmemmap_start = mode->vmemmap_start;
	g->vmemmap_end = g->vmemmap_start + (1ull << (mode->va_bits - 12 - 1 + 6));
	riscv_pt_format(&g->fmt);
	return 0;
}
