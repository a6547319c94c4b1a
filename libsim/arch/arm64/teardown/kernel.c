// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel.c - the "kernel" teardown strategy: arch/arm64/mm/mmu.c's own
 * hot-remove functions, taken from a kernel tree at build time
 * (kernel/extract-mmu.sh), run against this machine's page tables through
 * the hooks kernel/kshim.h declares.
 *
 * The kernel code has no machine argument: during one call the machine it
 * works on is km. The library is single-threaded, so one pointer is enough.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/machine.h"
#include "sim/memory_hotplug.h"
#include "sim/page.h"
#include "sim/sparse.h"
#include "sim/sparse-vmemmap.h"
#include "sim/trace.h"
#include "arm64.h"
#include "teardown.h"

#ifdef MHPSIM_HAVE_KERNEL

#include "arch/kernel_loop.h"
#include "kshim.h"
/* Those two name the simulator's own models here, not the shim's hooks. */
#undef flush_tlb_kernel_range
#undef __flush_tlb_kernel_pgtable

void kshim_tree_remove_pgd_mapping(unsigned long start, u64 size);

static struct kloop kl;   /* the machine the tree's code works on during one call */
#define km (kl.m)
static struct mm_struct km_init_mm;

unsigned kshim_levels(void) { return km->pt_geom.levels; }
unsigned kshim_page_shift(void) { return km->page_shift; }
unsigned kshim_shift(unsigned depth) { return km->pt_geom.shift[depth]; }
uint64_t kshim_ptrs(unsigned depth) { return km->pt_geom.ptrs[depth]; }
uint64_t kshim_page_offset(void) { return km->pt_geom.page_offset; }
uint64_t kshim_page_end(void) { return km->pt_geom.page_end; }
uint64_t kshim_vmemmap_start(void) { return km->pt_geom.vmemmap_start; }
uint64_t kshim_vmemmap_end(void) { return km->pt_geom.vmemmap_end; }
uint64_t kshim_desc_pfn(uint64_t desc) { return desc_pa(km, desc) >> km->page_shift; }
unsigned long kshim_page_address(uint64_t pfn) { return linear_va(km, PFN_PHYS(km, pfn)); }
bool kshim_warn(bool cond, const char *file, int line) { return kloop_warn(&kl, cond, file, line); }
uint64_t *kshim_table(uint64_t desc, unsigned depth) { return kloop_table(&kl, desc, depth, __FILE__, __LINE__); }
uint64_t *kshim_pgd(void) { return kloop_pgd(&kl); }
void kshim_count_read(void) { km->pt.nr_reads++; }
void kshim_set(uint64_t *entry, uint64_t value) { kloop_set(&kl, entry, value); }
uint64_t kshim_table_pfn(const void *first_entry) { return kloop_table_pfn(&kl, first_entry); }

struct mm_struct *kshim_init_mm(void)
{
	km_init_mm.pgd = (pgd_t *)pt_entries(km, pt_pgd(km));
	return &km_init_mm;
}

bool kshim_page_reserved(uint64_t pfn)
{
	enum page_kind k = page_kind_of(km, pfn);
	return k == PG_PGTABLE_BOOT || k == PG_VMEMMAP_BOOT;   /* memblock's pages are PageReserved */
}

void kshim_free_pages(unsigned long va, unsigned order)
{
	uint64_t pfn = PHYS_PFN(km, va - km->pt_geom.page_offset + km->memstart_addr);
	struct pt_table *t = order == 0 ? pt_lookup(km, pfn) : NULL;
	if (t) {
		kloop_release(&kl, t);   /* free_hotplug_pgtable_page(): the table leaves the store with its page */
		return;
	}
	vmemmap_backing_free(km, pfn, order);
}

void kshim_altmap_free(struct vmem_altmap *altmap, uint64_t pfn, unsigned long nr)
{
	(void)altmap;
	if (!kshim_warn(page_kind_of(km, pfn) != PG_VMEMMAP_ALTMAP, __FILE__, __LINE__))
		set_page_kinds(km, pfn, nr, PG_FREE);   /* back to the block's memmap area, not the buddy */
}

/* pagetable_dtor() of trees after 6.12, on any level's table: the model's pt_dtor(), without 6.12's PMD check. */
void kshim_pagetable_dtor(uint64_t pfn)
{
	struct pt_table *t = pt_lookup(km, pfn);
	if (!kshim_warn(!t, __FILE__, __LINE__))
		pt_dtor(km, t, false);
}

void kshim_flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	flush_tlb_kernel_range(km, start, end);
}

void kshim_flush_tlb_kernel_pgtable(unsigned long addr)
{
	__flush_tlb_kernel_pgtable(km, addr);
}

static void enter(struct mhp_machine *m)
{
	kloop_enter(&kl, m);
}

static void leave(void)
{
	kloop_leave(&kl);
}

/* ---- the add side: __create_pgd_mapping() ----------------------------------------- */

#ifdef MHPSIM_HAVE_KERNEL_ADD

int kshim_tree_create_pgd_mapping(phys_addr_t phys, unsigned long virt, phys_addr_t size, u64 prot, int flags);

static jmp_buf bug_return;   /* where kshim_bug() goes back to: the call into the tree's add side */
static bool alloc_failed;    /* the last table allocation found no page */

uint64_t kshim_desc_pa(uint64_t desc) { return desc_pa(km, desc); }
uint64_t kshim_phys_to_desc(phys_addr_t pa) { return mk_desc(km, pa, 0); }
phys_addr_t kshim_pa(unsigned long va) { return va - km->pt_geom.page_offset + km->memstart_addr; }
unsigned kshim_cont(unsigned depth) { return depth == km->pt_geom.levels - 1 ? km->pt_geom.cont_ptes : km->pt_geom.cont_pmds; }

/* p?e_set_fixmap(pa): the entries of the table at pa's page, from the entry pa points at. */
uint64_t *kshim_fixmap(phys_addr_t pa, unsigned depth)
{
	uint64_t off = pa & (km->page_size - 1);
	return kloop_table(&kl, mk_desc(km, pa - off, 0), depth, __FILE__, __LINE__) + off / sizeof(uint64_t);
}

/*
 * The tree's table allocation (6.12's __get_free_page() in
 * __pgd_pgtable_alloc(), later trees' pagetable_alloc()): a page from the
 * buddy allocator, taken into the store as the model's pt_populate() takes
 * it (node 0, traced), for the level the tree asked for (0: PTE .. 3: P4D).
 */
uint64_t kshim_get_free_table(unsigned level)
{
	MHP_ASSERT(level < km->pt_geom.levels - 1u);
	struct pt_table *t = pt_alloc(km, km->pt_geom.levels - 1u - level, false, 0);
	alloc_failed = !t;
	return t ? t->pfn : ~0ull;
}

/* pagetable_*_ctor(): 6.12's hot-add runs none; later trees construct every level's table. */
void kshim_pagetable_ctor(uint64_t pfn)
{
	struct pt_table *t = pt_lookup(km, pfn);
	MHP_ASSERT(t);
	t->ctor = true;
}

/*
 * The tree's BUG_ON(): the kernel oopses here. Traced with its line; one
 * that follows a failed table allocation (6.12's __pgd_pgtable_alloc(),
 * where later trees return -ENOMEM) is the caller's to judge, any other is
 * counted as the tree's WARNs are.
 */
_Noreturn void kshim_bug(const char *file, int line)
{
	const char *at = strstr(file, "arch/");
	struct mhp_trace_field f[] = { TF_S("file", at ? at : file), TF_U("line", (uint64_t)line),
				       TF_S("after", alloc_failed ? "a failed page-table allocation" : "") };
	TRACE(km, "kernel_bug", f, "kernel BUG at %s:%d (the tree's own BUG_ON)%s", at ? at : file, line,
	      alloc_failed ? ", after a failed page-table allocation" : "");
	if (!alloc_failed)
		km->nr_kernel_warns++;
	longjmp(bug_return, 1);
}

/*
 * The tree's __create_pgd_mapping() on [pa, pa + size) at its linear
 * address: an enum create_result. What it stored before it stopped or
 * failed stays stored.
 */
int kernel_create_pgd_mapping(struct mhp_machine *m, uint64_t pa, uint64_t size, uint64_t prot, unsigned flags)
{
	static volatile int ret;   /* static: what setjmp() returns to must not depend on locals it may have lost */
	alloc_failed = false;
	enter(m);
	if (setjmp(bug_return) == 0)
		ret = kshim_tree_create_pgd_mapping(pa, linear_va(m, pa), size, prot, (int)flags) ? CREATE_ENOMEM
											 : CREATE_OK;
	else
		ret = alloc_failed ? CREATE_BUG_NOMEM : CREATE_BUG;
	leave();
	return ret;
}

bool kernel_add_built(void)
{
	return true;
}

/* ---- the vmemmap's population: vmemmap_populate() --------------------------------- */

#ifdef MHPSIM_HAVE_KERNEL_VMEMMAP

int kshim_tree_vmemmap_populate_altmap(unsigned long start, unsigned long end, int node, bool altmap);

static int vmemmap_nid;      /* the node the call populates for */
static bool warned_offnode;  /* pr_warn_once(): once a call here, once a boot in the kernel */

/* The entry at depth for addr (the tables above it are there); with populate, a zeroed table under it if none. */
uint64_t *kshim_vmemmap_entry(unsigned long addr, unsigned depth, bool populate)
{
	uint64_t *e = kloop_pgd(&kl);
	for (unsigned d = 0; d < depth; d++)
		e = kloop_table(&kl, e[pt_index(km, d, addr)], d + 1, __FILE__, __LINE__);
	e += pt_index(km, depth, addr);
	if (populate && !*e) {
		struct pt_table *t = pt_lookup(km, kloop_table_pfn(&kl, e - pt_index(km, depth, addr)));
		if (!pt_populate(km, t, pt_index(km, depth, addr), VMEMMAP_TABLE_BITS, false, vmemmap_nid))
			return NULL;
		km->pt.nr_writes++;   /* p?d_populate(): the link is a store */
	}
	return e;
}

/* vmemmap_alloc_block_buf(): the model's (the block's altmap, else the buddy), by the address the tree wants. */
unsigned long kshim_vmemmap_alloc(unsigned long size)
{
	uint64_t pfn;
	return vmemmap_alloc_block_buf(km, get_order(size), vmemmap_nid, false, &pfn) ? 0 : linear_va(km, PFN_PHYS(km, pfn));
}

int kshim_pfn_nid(uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(km, pfn);
	return present_section(ms) ? ms->nid : 0;
}

int kshim_node_distance(int a, int b) { return a == b ? 10 : 20; }   /* LOCAL_DISTANCE, REMOTE_DISTANCE */
uint64_t kshim_pages_per_section(void) { return km->pages_per_section; }
uint64_t kshim_prot_page_kernel(void) { return PAGE_KERNEL_BITS; }
uint64_t kshim_prot_sect_normal(void) { return PROT_SECT_NORMAL_BITS; }

void kshim_pr_warn_once(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	if (warned_offnode)
		return;
	warned_offnode = true;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	buf[strcspn(buf, "\n")] = 0;
	pr_warn(km, "%s", buf);
}

/* The tree's vmemmap_populate() on [start, end): 0, -ENOMEM, or -EFAULT at a BUG (traced and counted). */
int kernel_vmemmap_populate(struct mhp_machine *m, uint64_t start, uint64_t end, int nid, bool altmap)
{
	static volatile int ret;   /* static: what setjmp() returns to must not depend on locals it may have lost */
	alloc_failed = false;
	warned_offnode = false;
	vmemmap_nid = nid;
	enter(m);
	if (setjmp(bug_return) == 0)
		ret = kshim_tree_vmemmap_populate_altmap(start, end, nid, altmap);
	else
		ret = -EFAULT;
	leave();
	return ret;
}

bool kernel_vmemmap_built(void)
{
	return true;
}

#endif

#endif

void kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t size)
{
	enter(m);
	kshim_tree_remove_pgd_mapping(va, size);
	leave();
}

void kernel_vmemmap_free(struct mhp_machine *m, uint64_t start, uint64_t end, bool altmap)
{
	static struct mhp_machine *token;   /* any non-NULL altmap: the shim never looks inside */
	enter(m);
	kshim_tree_vmemmap_free(start, end, altmap ? (struct vmem_altmap *)&token : NULL);
	leave();
}

bool kernel_teardown_built(void)
{
	return true;
}

#else /* !MHPSIM_HAVE_KERNEL */

void kernel_remove_pgd_mapping(struct mhp_machine *m, uint64_t va, uint64_t size)
{
	(void)m, (void)va, (void)size;
	MHP_ASSERT(!"built without a kernel tree");
}

void kernel_vmemmap_free(struct mhp_machine *m, uint64_t start, uint64_t end, bool altmap)
{
	(void)m, (void)start, (void)end, (void)altmap;
	MHP_ASSERT(!"built without a kernel tree");
}

bool kernel_teardown_built(void)
{
	return false;
}

#endif

/* A build without the tree's add side or its vmemmap population: the strategy says so, nothing calls these. */
#ifndef MHPSIM_HAVE_KERNEL_ADD
int kernel_create_pgd_mapping(struct mhp_machine *m, uint64_t pa, uint64_t size, uint64_t prot, unsigned flags)
{
	(void)m, (void)pa, (void)size, (void)prot, (void)flags;
	MHP_ASSERT(!"built without the tree's add side");
	return CREATE_BUG;
}

bool kernel_add_built(void)
{
	return false;
}
#endif

#ifndef MHPSIM_HAVE_KERNEL_VMEMMAP
int kernel_vmemmap_populate(struct mhp_machine *m, uint64_t start, uint64_t end, int nid, bool altmap)
{
	(void)m, (void)start, (void)end, (void)nid, (void)altmap;
	MHP_ASSERT(!"built without the tree's vmemmap population");
	return -EFAULT;
}

bool kernel_vmemmap_built(void)
{
	return false;
}
#endif

/* The tree's own __remove_pgd_mapping() or vmemmap_free() on this region. */
static void kernel_teardown_range(struct mhp_machine *m, struct teardown *td)
{
	const struct teardown_req *req = td->req;
	if (!req->vmemmap) {
		kernel_remove_pgd_mapping(m, req->start, req->end - req->start);
		return;
	}
	/* The block's altmap goes along when its memmap came from the block itself. */
	kernel_vmemmap_free(m, req->start, req->end, vmemmap_from_altmap(m, req->start));
}

const struct teardown_strategy teardown_kernel = {
	.name = "kernel",
	.summary = "the kernel tree's own arch/arm64/mm/mmu.c, compiled against kernel/kshim.h",
	.built = kernel_teardown_built,
	.teardown_range = kernel_teardown_range,
	.create_pgd_mapping = kernel_create_pgd_mapping,
	.add_built = kernel_add_built,
	.vmemmap_populate = kernel_vmemmap_populate,
	.vmemmap_built = kernel_vmemmap_built,
};
