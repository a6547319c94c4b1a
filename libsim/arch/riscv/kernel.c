// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel.c - the "kernel" strategy on RISC-V: arch/riscv/mm/init.c's own
 * hot-remove functions (remove_pgd_mapping and its levels, the
 * free_*_table()s, free_vmemmap_storage) and its hot-add of the linear map
 * (create_linear_mapping_range, best_map_size, create_pgd_mapping and its
 * levels), taken from a kernel tree at build time
 * (kernel/extract-init-riscv.sh), run against this machine's page tables
 * through the hooks kernel/kshim-riscv.h declares. A tree without them
 * (6.1, from before RISC-V hot-remove) builds no strategy, and
 * riscv_kernel_teardown_built() says so.
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

#ifdef MHPSIM_HAVE_KERNEL_RISCV

#include "kshim-riscv.h"
#undef flush_tlb_all
#undef free_pages
#undef vmemmap_free
#undef init_mm

void kriscv_tree_remove_linear_mapping(phys_addr_t start, u64 size);
void kriscv_tree_create_linear_mapping_range(phys_addr_t start, phys_addr_t end, const pgprot_t *pgprot);

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

/*
 * The add side's tables: the tree's code stores into them by plain
 * assignment, so it is handed a copy of each table (its stage, one a depth)
 * and the copy is written back, entry by entry through pt_set(), when the
 * walk takes another table at that depth and when the call returns. Every
 * entry that changed is one store (the code stores only into none
 * entries, never the value already there). Nothing else writes the tables
 * during the call, so a copy never goes stale.
 */
struct stage {
	struct pt_table *t;      /* the table staged here, or NULL */
	uint64_t e[512];         /* what the tree's code reads and writes */
};
static struct stage stages[PT_MAX_DEPTH];
static jmp_buf bug_return;   /* where kriscv_bug() goes back to: the call into the tree's add side */

static bool staged(const uint64_t *slot)
{
	for (unsigned d = 0; d < PT_MAX_DEPTH; d++)
		if (stages[d].t && slot >= stages[d].e && slot < stages[d].e + 512)
			return true;
	return false;
}

/* A load from a table the walk holds is a descriptor load; a test of a copy the code already made is not. */
uint64_t kriscv_load(const uint64_t *slot)
{
	if (kloop_holds(&kl, slot) || staged(slot))
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

bool kriscv_page_reserved(uint64_t pfn) { return kloop_page_reserved(&kl, pfn); }
void kriscv_free_pages(uint64_t pfn, unsigned order) { kloop_free_pages(&kl, pfn, order); }
void kriscv_free_reserved_page(uint64_t pfn) { kloop_free_reserved_page(&kl, pfn); }

/* pagetable_{pte,pmd}_dtor() on the table at pfn: the model's pt_dtor(); a page that holds no table gets a WARN. */
void kriscv_pagetable_dtor(uint64_t pfn, bool pmd)
{
	struct pt_table *t = pt_lookup(km, pfn);
	if (!kriscv_warn(!t, __FILE__, __LINE__))
		pt_dtor(km, t, pmd);
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

/* ---- the add side ---------------------------------------------------------------- */

static void unstage(unsigned depth)
{
	struct stage *st = &stages[depth];
	if (!st->t)
		return;
	for (uint64_t i = 0; i < 512; i++)
		if (st->e[i] != pt_get(st->t, i)) {
			pt_set(km, st->t, i, st->e[i]);   /* in ascending order: a run of leaves stays one run */
			km->pt.nr_writes++;
		}
	st->t = NULL;
}

/* The stage of the table at pa, which should be at depth; a stand-in of none (after a WARN) when there is none. */
static uint64_t *stage_of(phys_addr_t pa, unsigned depth)
{
	static uint64_t none[512];
	struct pt_table *t = pt_lookup(km, pa >> PAGE_SHIFT);
	if (stages[depth].t && stages[depth].t == t)
		return stages[depth].e;   /* the same table again: the common case */
	unstage(depth);
	if (kriscv_warn(!t || t->depth != depth, __FILE__, __LINE__)) {
		memset(none, 0, sizeof(none));   /* what the code stores there is lost, as on a freed page */
		return none;
	}
	stages[depth].t = t;
	pt_copy(t, 0, 512, stages[depth].e);
	return stages[depth].e;
}

pgd_t *kriscv_swapper_pg_dir(void)
{
	return (pgd_t *)stage_of((phys_addr_t)pt_pgd(km)->pfn << PAGE_SHIFT, 0);
}

bool kriscv_debug_pagealloc(void)
{
	return km->debug_pagealloc;
}

_Noreturn void kriscv_bug(const char *file, int line)
{
	(void)kriscv_warn(true, file, line);
	longjmp(bug_return, 1);
}

/*
 * alloc_{pte,pmd}_late()'s pagetable_alloc() and alloc_{pud,p4d}_late()'s
 * __get_free_page(): a zeroed page from the buddy, taken into the store as
 * a table, as the model's pt_populate() takes it (node 0, traced), the
 * PTE and PMD ones constructed (pagetable_{pte,pmd}_ctor()). When
 * there is none the kernel's BUG_ON(!ptdesc) (or BUG_ON(!vaddr)) oopses;
 * here the walk stops without a WARN and the caller reports -ENOMEM as the
 * model does.
 */
static phys_addr_t alloc_table(unsigned level_from_pte)
{
	struct pt_table *t = pt_alloc(km, KRISCV_DEPTH(level_from_pte), false, 0);
	if (!t)
		longjmp(bug_return, 1);
	t->ctor = level_from_pte <= 1;
	return (phys_addr_t)t->pfn << PAGE_SHIFT;
}

static phys_addr_t alloc_pte(uintptr_t va) { (void)va; return alloc_table(0); }
static phys_addr_t alloc_pmd(uintptr_t va) { (void)va; return alloc_table(1); }
static phys_addr_t alloc_pud(uintptr_t va) { (void)va; return alloc_table(2); }
static phys_addr_t alloc_p4d(uintptr_t va) { (void)va; return alloc_table(3); }
static pte_t *get_pte(phys_addr_t pa) { return (pte_t *)stage_of(pa, KRISCV_DEPTH(0)); }
static pmd_t *get_pmd(phys_addr_t pa) { return (pmd_t *)stage_of(pa, KRISCV_DEPTH(1)); }
static pud_t *get_pud(phys_addr_t pa) { return (pud_t *)stage_of(pa, KRISCV_DEPTH(2)); }
static p4d_t *get_p4d(phys_addr_t pa) { return (p4d_t *)stage_of(pa, KRISCV_DEPTH(3)); }

const struct kriscv_pt_ops kriscv_pt_ops_late = {
	.alloc_pte = alloc_pte, .get_pte_virt = get_pte, .alloc_pmd = alloc_pmd, .get_pmd_virt = get_pmd,
	.alloc_pud = alloc_pud, .get_pud_virt = get_pud, .alloc_p4d = alloc_p4d, .get_p4d_virt = get_p4d,
};

bool riscv_kernel_create_linear_mapping(struct mhp_machine *m, uint64_t start, uint64_t end, uint64_t prot)
{
	static pgprot_t pgprot;   /* static: what setjmp() returns to must not depend on locals it may have lost */
	static volatile bool bugged;
	pgprot = (pgprot_t){ prot };
	bugged = false;
	enter(m);
	if (setjmp(bug_return) == 0)
		kriscv_tree_create_linear_mapping_range(start, end, &pgprot);
	else
		bugged = true;
	for (unsigned d = 0; d < PT_MAX_DEPTH; d++)
		unstage(d);   /* what the code stored before it stopped stays stored */
	kloop_leave(&kl);
	return !bugged;
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

bool riscv_kernel_create_linear_mapping(struct mhp_machine *m, uint64_t start, uint64_t end, uint64_t prot)
{
	(void)m, (void)start, (void)end, (void)prot;
	MHP_ASSERT(!"built without a kernel tree");
	return false;
}

bool riscv_kernel_teardown_built(void)
{
	return false;
}

#endif
