// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel.c - the "kernel" teardown strategy on x86-64: arch/x86/mm/init_64.c's
 * own hot-remove functions, taken from a kernel tree at build time
 * (kernel/extract-init_64.sh), run against this machine's page tables through
 * the hooks kernel/kshim-x86.h declares.
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
#include "set_memory.h"

#ifdef MHPSIM_HAVE_KERNEL_X86

#include "kshim-x86.h"
#undef flush_tlb_all
#undef update_page_count
#undef free_pages
#undef vmemmap_free

void kx86_tree_kernel_physical_mapping_remove(unsigned long start, unsigned long end);

static struct kloop kl;   /* the machine the tree's code works on during one call */
#define km (kl.m)
static struct mm_struct km_init_mm;
static struct page window[512];   /* the struct pages of the 2 MiB block last asked for */
static uint64_t window_pfn = UINT64_MAX;

unsigned kx86_levels(void) { return km->pt_geom.levels; }
uint64_t kx86_page_offset(void) { return km->pt_geom.page_offset; }
void kx86_count_read(void) { km->pt.nr_reads++; }
struct mm_struct *kx86_init_mm(void) { return &km_init_mm; }
void kx86_flush_tlb_all(void) { flush_tlb_all(km); }
void kx86_update_page_count(int level, long pages) { update_page_count(km, level, pages); }
bool kx86_warn(bool cond, const char *file, int line) { return kloop_warn(&kl, cond, file, line); }
uint64_t *kx86_table(uint64_t desc, unsigned depth) { return kloop_table(&kl, desc, depth, __FILE__, __LINE__); }
uint64_t *kx86_pgd(void) { return kloop_pgd(&kl); }
void kx86_set(uint64_t *entry, uint64_t value) { kloop_set(&kl, entry, value); }
uint64_t kx86_table_pfn(const void *first_entry) { return kloop_table_pfn(&kl, first_entry); }

/* The block's struct pages: their index (the bootmem_info magic) is 0, which the model keeps for every page. */
struct page *kx86_pfn_to_page(uint64_t pfn)
{
	if (pfn - window_pfn >= 512) {
		window_pfn = pfn & ~511ull;
		memset(window, 0, sizeof(window));
	}
	return &window[pfn - window_pfn];
}

uint64_t kx86_page_to_pfn(const struct page *page)
{
	MHP_ASSERT(page >= window && page < window + 512);
	return window_pfn + (uint64_t)(page - window);
}

bool kx86_page_reserved(uint64_t pfn) { return kloop_page_reserved(&kl, pfn); }
void kx86_free_pages(uint64_t pfn, unsigned order) { kloop_free_pages(&kl, pfn, order); }
void kx86_free_reserved_page(uint64_t pfn) { kloop_free_reserved_page(&kl, pfn); }

/* put_page_bootmem(): the model keeps no bootmem_info counts, so no page carries the magic that leads here. */
void kx86_put_page_bootmem(uint64_t pfn)
{
	(void)pfn;
	kx86_warn(true, __FILE__, __LINE__);
}

void kx86_altmap_free(struct vmem_altmap *altmap, uint64_t pfn, unsigned long nr)
{
	(void)altmap;
	if (!kx86_warn(page_kind_of(km, pfn) != PG_VMEMMAP_ALTMAP, __FILE__, __LINE__))
		set_page_kinds(km, pfn, nr, PG_FREE);   /* back to the block's memmap area, not the buddy */
}

static void enter(struct mhp_machine *m)
{
	kloop_enter(&kl, m);
	window_pfn = UINT64_MAX;
}

void x86_kernel_remove_pagetable(struct mhp_machine *m, uint64_t start, uint64_t end, bool direct, bool altmap)
{
	static int token;   /* any non-NULL altmap: the shim never looks inside */
	enter(m);
	if (direct)
		kx86_tree_kernel_physical_mapping_remove(start - m->pt_geom.page_offset, end - m->pt_geom.page_offset);
	else
		kx86_tree_vmemmap_free(start, end, altmap ? (struct vmem_altmap *)&token : NULL);
	kloop_leave(&kl);
}

bool x86_kernel_teardown_built(void)
{
	return true;
}

#else /* !MHPSIM_HAVE_KERNEL_X86 */

void x86_kernel_remove_pagetable(struct mhp_machine *m, uint64_t start, uint64_t end, bool direct, bool altmap)
{
	(void)m, (void)start, (void)end, (void)direct, (void)altmap;
	MHP_ASSERT(!"built without a kernel tree");
}

bool x86_kernel_teardown_built(void)
{
	return false;
}

#endif
