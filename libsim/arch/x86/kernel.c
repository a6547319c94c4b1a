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
#include <setjmp.h>
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
/* The tables the add side's alloc_low_page() handed out and no store has linked yet: at most one a level. */
static struct pt_table *unlinked[PT_MAX_DEPTH];
static unsigned nr_unlinked;   /* 0 outside an add: a teardown's stores look at nothing */
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
/* A store that links a table the add built takes it off the unlinked list. */
void kx86_set(uint64_t *entry, uint64_t value)
{
	for (unsigned d = 1; nr_unlinked && d < PT_MAX_DEPTH; d++)
		if (unlinked[d] && (value & 1) && desc_pa(km, value) >> km->page_shift == unlinked[d]->pfn)
			unlinked[d] = NULL, nr_unlinked--;
	kloop_set(&kl, entry, value);
}
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

/* ---- the add side ---------------------------------------------------------------- */

static jmp_buf bug_return;   /* where kx86_bug() goes back to: the call into the tree's add side */

_Noreturn void kx86_bug(const char *file, int line)
{
	(void)kx86_warn(true, file, line);
	longjmp(bug_return, 1);
}

/*
 * alloc_low_page() after boot (get_zeroed_page()): a table from the buddy
 * allocator, taken into the store as the model's pt_populate() takes it
 * (node 0, traced), at the level its caller fills. The kernel does not
 * check for NULL and would oops on the first store; here the walk stops
 * without a WARN and the caller reports it as the model does.
 */
uint64_t *kx86_alloc_low_page(const char *caller)
{
	static const struct { const char *fn; unsigned from_pte; } levels[] = {
		{ "phys_pmd_init", 0 }, { "phys_pud_init", 1 }, { "phys_p4d_init", 2 },
		{ "__kernel_physical_mapping_init", 3 },   /* the PGD's child: a P4D table, or with 4 levels a PUD table */
	};
	unsigned i = 0;
	while (i < ARRAY_SIZE(levels) && strcmp(levels[i].fn, caller) != 0)
		i++;
	MHP_ASSERT(i < ARRAY_SIZE(levels));   /* a caller the shim does not know: a tree of another shape */
	unsigned depth = i == 3 ? 1 : km->pt_geom.levels - 1 - levels[i].from_pte;
	struct pt_table *t = pt_alloc(km, depth, false, 0);
	if (!t)
		longjmp(bug_return, 1);
	MHP_ASSERT(!unlinked[depth]);   /* each level links its table before it builds the next */
	unlinked[depth] = t;
	nr_unlinked++;
	uint64_t desc = mk_desc(km, PFN_PHYS(km, t->pfn), 0);
	return kloop_table(&kl, desc, depth, __FILE__, __LINE__);   /* held: its stores find it first */
}

uint64_t x86_kernel_physical_mapping_init(struct mhp_machine *m, uint64_t start, uint64_t end, unsigned mask,
					  uint64_t prot)
{
	static volatile uint64_t ret;   /* static: what setjmp() returns to must not depend on locals it may have lost */
	enter(m);
	if (setjmp(bug_return) == 0) {
		ret = (kx86_tree_kernel_physical_mapping_init(start, end, mask, __pgprot(prot)), end);
	} else {
		ret = start;
		for (unsigned d = 0; d < PT_MAX_DEPTH; d++)   /* as the model unwinds: what was never linked goes */
			if (unlinked[d])
				x86_drop_unlinked(km, unlinked[d]);
	}
	memset(unlinked, 0, sizeof(unlinked));
	nr_unlinked = 0;
	kloop_leave(&kl);
	return ret;
}

#else /* !MHPSIM_HAVE_KERNEL_X86 */

uint64_t x86_kernel_physical_mapping_init(struct mhp_machine *m, uint64_t start, uint64_t end, unsigned mask,
					  uint64_t prot)
{
	(void)m, (void)start, (void)end, (void)mask, (void)prot;
	MHP_ASSERT(!"built without a kernel tree");
	return start;
}

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
