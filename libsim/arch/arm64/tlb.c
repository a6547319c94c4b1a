/*
 * tlb.c - the TLB and walk cache, filled by touching addresses, emptied by
 * the kernel's flushes. Kernel twin: arch/arm64/include/asm/tlbflush.h.
 */
#include <string.h>

#include "sim/machine.h"
#include "sim/trace.h"
#include "arm64.h"

/* MAX_DVM_OPS: above this many pages a range flush becomes flush_tlb_all. */
static uint64_t max_dvm_pages(const struct mhp_machine *m)
{
	return m->pt_geom.ptrs[m->pt_geom.levels - 1];
}

static void tlb_insert(struct mhp_machine *m, uint64_t va, unsigned depth, bool leaf, uint64_t target)
{
	struct tlb *tlb = &m->tlb;
	uint64_t span = pt_span(m, depth);
	struct tlb_entry e = { .va = va & ~(span - 1), .span = span, .target = target, .depth = (uint8_t)depth,
			       .leaf = leaf, .valid = true };
	for (unsigned i = 0; i < TLB_ENTRIES; i++) {
		struct tlb_entry *x = &tlb->e[i];
		if (x->valid && x->leaf == leaf && x->depth == depth && x->va == e.va) {
			*x = e;
			return;
		}
	}
	tlb->nr_valid += !tlb->e[tlb->next].valid;
	tlb->e[tlb->next] = e;
	tlb->next = (tlb->next + 1) % TLB_ENTRIES;
}

/*
 * A load from va: the walk is cached, table by table, then the leaf.
 * Returns 0, or -EFAULT if va is not mapped (the kernel would oops).
 */
int tlb_touch(struct mhp_machine *m, uint64_t va)
{
	struct pt_walk w;
	pt_walk_va(m, va, &w);
	for (unsigned d = 0; d < w.depth; d++)
		tlb_insert(m, va, d, false, desc_pa(m, w.desc[d]) >> m->page_shift);
	bool mapped = w.type == DESC_PAGE || w.type == DESC_BLOCK;
	if (mapped)
		tlb_insert(m, va, w.depth, true, desc_pa(m, w.desc[w.depth]));
	struct mhp_trace_field f[] = { TF_X("va", va), TF_S("result", mapped ? "mapped" : "fault") };
	TRACE(m, "touch", f, "load from %#llx: %s", (unsigned long long)va,
	      mapped ? "translation cached" : "not mapped (the kernel would fault)");
	return mapped ? 0 : -EFAULT;
}

static void drop(struct mhp_machine *m, uint64_t start, uint64_t end, bool leaves_only)
{
	for (unsigned i = 0; m->tlb.nr_valid && i < TLB_ENTRIES; i++) {
		struct tlb_entry *x = &m->tlb.e[i];
		if (x->valid && (x->leaf || !leaves_only) && x->va < end && x->va + x->span > start) {
			x->valid = false;
			m->tlb.nr_valid--;
		}
	}
}

/* Models flush_tlb_all(): TLBI VMALLE1IS. */
void flush_tlb_all(struct mhp_machine *m)
{
	memset(m->tlb.e, 0, sizeof(m->tlb.e));
	m->tlb.nr_valid = 0;
	m->tlb.nr_flush_all++;
	struct mhp_trace_field f[] = { TF_S("scope", "all") };
	TRACE(m, "tlb_flush", f, "TLB flush: everything");
}

/* Models flush_tlb_kernel_range(): last-level entries of the range, or all past MAX_DVM_OPS. */
void flush_tlb_kernel_range(struct mhp_machine *m, uint64_t start, uint64_t end)
{
	if ((end - start) >> m->page_shift > max_dvm_pages(m)) {
		flush_tlb_all(m);
		return;
	}
	drop(m, start, end, true);
	m->tlb.nr_flush_range++;
	m->tlb.nr_flush_leaf += end - start == m->page_size;
}

/* Models __flush_tlb_kernel_pgtable(): every level of one address (TLBI VAAE1IS). */
void __flush_tlb_kernel_pgtable(struct mhp_machine *m, uint64_t addr)
{
	drop(m, addr, addr + 1, false);
	m->tlb.nr_flush_pgtable++;
}

/* A load the CPU makes: the linear-map address of a pa, the vmemmap address of a pfn's struct page, or a VA. */
int arm64_touch(struct mhp_machine *m, int kind, uint64_t addr)
{
	switch (kind) {
	case MHP_TOUCH_PHYS: return tlb_touch(m, linear_va(m, addr));
	case MHP_TOUCH_STRUCT_PAGE: return tlb_touch(m, vmemmap_va(m, addr));
	default: return tlb_touch(m, addr);
	}
}
