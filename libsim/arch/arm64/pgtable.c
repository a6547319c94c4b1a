// SPDX-License-Identifier: GPL-2.0-only
/*
 * pgtable.c - arm64's page-table geometry and descriptor format.
 * Kernel twins: arch/arm64/include/asm/pgtable-hwdef.h, asm/pgtable-prot.h,
 * asm/memory.h.
 */
#include <string.h>

#include "sim/machine.h"
#include "pgtable-hwdef.h"

/*
 * The descriptor format (pgtable-hwdef.h): the table bit tells a table from a
 * block above the last level, and marks a page at it; 64K pages with 52-bit
 * PA keep PA[51:48] in bits [15:12].
 */
static void arm64_pt_format(struct mhp_machine *m, struct pt_format *f)
{
	f->valid = PTE_VALID;
	f->leaf_mask = PTE_TABLE_BIT, f->leaf_val = 0;
	f->page_mask = PTE_TABLE_BIT, f->page_val = PTE_TABLE_BIT;
	f->oa_mask = ((1ull << 48) - 1) & ~(m->page_size - 1);
	f->oa_hi_at = m->page_shift == 16 && m->model.pa_bits == 52 ? 12 : 0;
	f->unhuge = PTE_TABLE_BIT;
	/* The linear map: valid, accessed, shared, never executable, Normal-Tagged memory (pgprot_tagged). */
	f->linear_must = PTE_VALID | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_ATTRINDX(MT_NORMAL_TAGGED);
	f->linear_mask = f->linear_must | PTE_ATTRINDX_MASK;
	f->linear_must_device = (f->linear_must & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(MT_NORMAL);   /* PAGE_KERNEL */
	f->cont = PTE_CONT;
	f->aligned_frees = true;
	f->kept_depth = 1;
}

/*
 * Geometry from granule and VA size (pgtable-hwdef.h): levels =
 * (VA - 4) / (PAGE_SHIFT - 3); the bits one level resolves are PAGE_SHIFT - 3,
 * except the PGD, which takes what is left of the VA.
 */
int pt_geom_init(struct mhp_machine *m, struct mhp_err *err)
{
	struct pt_geom *g = &m->pt_geom;
	unsigned p = m->page_shift, va = m->model.va_bits;
	memset(g, 0, sizeof(*g));
	g->levels = (va - 4) / (p - 3);
	if (g->levels > 4 || va > 48)
		return mhp_err_set(err, -EOPNOTSUPP, "%u-bit VA (LPA2 or 52-bit VA) is not modelled yet", va);
	for (unsigned d = 0; d < g->levels; d++) {
		unsigned level = d + 4 - g->levels;          /* arm64 level number: 3 is the PTE level */
		g->shift[d] = (p - 3) * (4 - level) + 3;
		g->ptrs[d] = d == 0 ? 1ull << (va - g->shift[0]) : 1ull << (p - 3);
		/* Blocks: PMD on every granule, PUD with 4K pages only. */
		g->block_ok[d] = level == 2 || (level == 1 && p == 12);
	}
	g->cont_ptes = p == 12 ? 16 : p == 14 ? 128 : 32;
	g->cont_pmds = p == 12 ? 16 : 32;
	/* asm/memory.h without KASAN: PAGE_OFFSET = -2^VA, PAGE_END = -2^(VA-1). */
	g->page_offset = 0 - (1ull << va);
	g->page_end = 0 - (1ull << (va - 1));
	/* VMEMMAP_END = -1 GiB; the vmemmap has 64 bytes per page of the linear map. */
	g->vmemmap_end = 0 - (1ull << 30);
	g->vmemmap_start = g->vmemmap_end - (((g->page_end - g->page_offset) >> p) << 6);
	arm64_pt_format(m, &g->fmt);
	return 0;
}
