// SPDX-License-Identifier: GPL-2.0-only
/*
 * pgtable.c - x86-64's page-table geometry and descriptor format, with
 * 4-level or 5-level paging. Kernel twins: arch/x86/include/asm/
 * pgtable_64_types.h, page_64_types.h, pgtable_types.h, sparsemem.h.
 */
#include <string.h>

#include "x86.h"

/* A valid descriptor: PSE tells a leaf from a table above the last level; every PTE maps a page. */
static void x86_pt_format(struct pt_format *f)
{
	f->valid = _PAGE_PRESENT;
	f->leaf_mask = _PAGE_PSE, f->leaf_val = _PAGE_PSE;
	f->page_mask = 0, f->page_val = 0;
	f->oa_mask = PTE_PFN_MASK;
	f->huge = _PAGE_PSE;
	/* The direct map: present, writable, never executable, kernel only. */
	f->linear_must = _PAGE_PRESENT | _PAGE_RW | _PAGE_NX;
	f->linear_mask = f->linear_must | _PAGE_USER;
	f->linear_must_device = f->linear_must;   /* PAGE_KERNEL either way */
	f->kept_depth = 2;   /* the PUD table (L4) or the P4D table (L5) under the PGD stays */
}

/*
 * The fixed bases without KASLR (nokaslr, as the model's cmdline says):
 * page_offset_base, vmemmap_base; the direct map spans MAXMEM =
 * 2^MAX_PHYSMEM_BITS (46 with 4 levels, 52 with 5), the vmemmap 64 bytes
 * per page of it.
 */
int x86_pgtable_init(struct mhp_machine *m, struct mhp_err *err)
{
	struct pt_geom *g = &m->pt_geom;
	unsigned va = m->model.va_bits;
	memset(g, 0, sizeof(*g));
	if (va != 48 && va != 57)
		return mhp_err_set(err, -EOPNOTSUPP, "x86-64 has 48-bit (4-level) or 57-bit (5-level) VAs, not %u", va);
	g->levels = va == 57 ? 5 : 4;
	for (unsigned d = 0; d < g->levels; d++) {
		g->shift[d] = 12 + 9 * (g->levels - 1 - d);
		g->ptrs[d] = 512;
		/* 2M PMD and 1G PUD leaves; p4d_set_huge() always fails. */
		g->block_ok[d] = d == g->levels - 2 || d == g->levels - 3;
	}
	bool l5 = g->levels == 5;
	g->page_offset = l5 ? 0xff11000000000000ull : 0xffff888000000000ull;
	g->page_end = g->page_offset + (1ull << m->model.pa_bits);
	g->vmemmap_start = l5 ? 0xffd4000000000000ull : 0xffffea0000000000ull;
	g->vmemmap_end = g->vmemmap_start + ((1ull << m->model.pa_bits) >> 12) * 64;
	x86_pt_format(&g->fmt);
	return 0;
}
