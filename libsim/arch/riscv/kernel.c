// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel.c - the "kernel" teardown strategy on RISC-V: arch/riscv/mm/init.c's
 * own hot-remove functions (remove_pgd_mapping and its levels, the
 * free_*_table()s, free_vmemmap_storage), taken from a kernel tree at build
 * time (kernel/extract-init-riscv.sh), run against this machine's page
 * tables through the hooks kernel/kshim-riscv.h declares. A tree without
 * them (6.1, from before RISC-V hot-remove) builds no strategy, and
 * riscv_kernel_teardown_built() says so.
 *
 * The kernel code has no machine argument: during one call the machine it
 * works on is km. The library is single-threaded, so one pointer is enough.
 */
#include <string.h>

#include "sim/machine.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/trace.h"
#include "arch/kernel_loop.h"
#include "kernel.h"

#ifdef MHPSIM_HAVE_KERNEL_RISCV

#include "kshim-riscv.h"
#undef flush_tlb_all
#undef free_pages
#undef vmemmap_free
#undef init_mm

void kriscv_tree_remove_linear_mapping(phys_addr_t start, u64 size);

static struct kloop kl;   /* the machine the tree's code works on during one call */
#define km (kl.m)
static struct mm_struct km_init_mm;
static struct page window[512];   /* the struct pages of the 2 MiB block last asked for */
static uint64_t window_pfn = UINT64_MAX;

unsigned kriscv_levels(void) { return km->pt_geom.levels; }
uint64_t kriscv_linear_va(uint64_t pa) { return linear_va(km, pa); }
uint64_t kriscv_linear_pa(uint64_t va) { return va - km->pt_geom.page_offset + km->memstart_addr; }
struct mm_struct *kriscv_init_mm(void) { return &km_init_mm; }
void kriscv_flush_tlb_all(void) { flush_tlb_all(km); }
bool kriscv_warn(bool cond, const char *file, int line) { return kloop_warn(&kl, cond, file, line); }
uint64_t *kriscv_table(uint64_t desc, unsigned depth) { return kloop_table(&kl, desc, depth, __FILE__, __LINE__); }
uint64_t *kriscv_pgd(void) { return kloop_pgd(&kl); }
void kriscv_set(uint64_t *entry, uint64_t value) { kloop_set(&kl, entry, value); }

/* A load from a table the walk holds is a descriptor load; a test of a copy the code already made is not. */
uint64_t kriscv_load(const uint64_t *slot)
{
	if (kloop_holds(&kl, slot))
		km->pt.nr_reads++;
	return *slot;
}

/* The block's struct pages: a window of slots, the model keeps no fields of them that this code reads. */
struct page *kriscv_pfn_to_page(uint64_t pfn)
{
	if (pfn - window_pfn >= 512) {
		window_pfn = pfn & ~511ull;
		memset(window, 0, sizeof(window));
	}
	return &window[pfn - window_pfn];
}

uint64_t kriscv_page_to_pfn(const struct page *page)
{
	MHP_ASSERT(page >= window && page < window + 512);
	return window_pfn + (uint64_t)(page - window);
}

bool kriscv_page_reserved(uint64_t pfn)
{
	enum page_kind k = page_kind_of(km, pfn);
	return k == PG_PGTABLE_BOOT || k == PG_VMEMMAP_BOOT;   /* memblock's pages are PageReserved */
}

/* free_pages()/pagetable_free() of a table page or of vmemmap backing: the table leaves the store with its page. */
void kriscv_free_pages(uint64_t pfn, unsigned order)
{
	struct pt_table *t = order == 0 ? pt_lookup(km, pfn) : NULL;
	if (t) {
		kloop_release(&kl, t);
		return;
	}
	tlb_note_free(km, pfn, 1ull << order, "vmemmap backing");
	enum page_kind kind = page_kind_of(km, pfn);
	free_pages_kind(km, pfn, order, kind == PG_FREE ? PG_VMEMMAP : kind);
}

/* free_reserved_page(): a memblock page (a boot table, a page of the boot memmap) to the buddy, managed from now on. */
void kriscv_free_reserved_page(uint64_t pfn)
{
	kriscv_free_pages(pfn, 0);
	adjust_managed_page_count_pfn(km, pfn, 1);
}

void kriscv_altmap_free(struct vmem_altmap *altmap, uint64_t pfn, unsigned long nr)
{
	(void)altmap;
	if (!kriscv_warn(page_kind_of(km, pfn) != PG_VMEMMAP_ALTMAP, __FILE__, __LINE__))
		set_page_kinds(km, pfn, nr, PG_FREE);   /* back to the block's memmap area, not the buddy */
}

static void enter(struct mhp_machine *m)
{
	kloop_enter(&kl, m);
	window_pfn = UINT64_MAX;
}

void riscv_kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t end, bool is_vmemmap, bool altmap)
{
	static int token;   /* any non-NULL altmap: the shim never looks inside */
	enter(m);
	if (is_vmemmap)
		kriscv_tree_vmemmap_free(va, end, altmap ? (struct vmem_altmap *)&token : NULL);
	else   /* remove_linear_mapping() takes the physical range and finds its VAs with __va() */
		kriscv_tree_remove_linear_mapping(kriscv_linear_pa(va), end - va);
	kloop_leave(&kl);
}

bool riscv_kernel_teardown_built(void)
{
	return true;
}

#else /* !MHPSIM_HAVE_KERNEL_RISCV */

void riscv_kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t end, bool is_vmemmap, bool altmap)
{
	(void)m, (void)va, (void)end, (void)is_vmemmap, (void)altmap;
	MHP_ASSERT(!"built without a kernel tree");
}

bool riscv_kernel_teardown_built(void)
{
	return false;
}

#endif
