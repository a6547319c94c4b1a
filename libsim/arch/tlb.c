// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlb.c - the TLB and walk cache, filled by touching addresses, emptied by
 * the kernel's flushes; the flushes every arch has. Kernel twins:
 * arch/arm64/include/asm/tlbflush.h, arch/x86/mm/tlb.c (flush_tlb_all).
 */
#include <string.h>

#include "sim/machine.h"
#include "sim/trace.h"

void tlb_filter_bit(const struct tlb_entry *e, unsigned *word, uint64_t *mask)
{
	uint64_t h = (e->va ^ (uint64_t)e->depth << 1 ^ e->leaf) * 0x9e3779b97f4a7c15ull;
	unsigned bit = (unsigned)(h >> 54);   /* the top 10 bits: 0..1023 */
	*word = bit / 64;
	*mask = 1ull << (bit % 64);
}

static void tlb_insert(struct mhp_machine *m, uint64_t va, unsigned depth, bool leaf, uint64_t target)
{
	struct tlb *tlb = &m->tlb;
	uint64_t span = pt_span(m, depth), mask;
	unsigned word;
	struct tlb_entry e = { .va = va & ~(span - 1), .span = span, .target = target, .depth = (uint8_t)depth,
			       .leaf = leaf, .valid = true };
	tlb_filter_bit(&e, &word, &mask);
	for (unsigned i = 0; (tlb->maybe[word] & mask) && i < TLB_ENTRIES; i++) {   /* a clear bit: no such entry */
		struct tlb_entry *x = &tlb->e[i];
		if (x->valid && x->leaf == leaf && x->depth == depth && x->va == e.va) {
			*x = e;
			return;
		}
	}
	tlb->maybe[word] |= mask;
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

void tlb_drop(struct mhp_machine *m, uint64_t start, uint64_t end, bool leaves_only)
{
	for (unsigned i = 0; m->tlb.nr_valid && i < TLB_ENTRIES; i++) {
		struct tlb_entry *x = &m->tlb.e[i];
		if (x->valid && (x->leaf || !leaves_only) && x->va < end && x->va + x->span > start) {
			x->valid = false;
			m->tlb.nr_valid--;
		}
	}
}

/* Models flush_tlb_all(): every entry of every level goes (arm64 TLBI VMALLE1IS; x86 an IPI to __flush_tlb_all). */
void flush_tlb_all(struct mhp_machine *m)
{
	memset(m->tlb.e, 0, sizeof(m->tlb.e));
	memset(m->tlb.maybe, 0, sizeof(m->tlb.maybe));
	m->tlb.nr_valid = 0;
	m->tlb.nr_flush_all++;
	struct mhp_trace_field f[] = { TF_S("scope", "all") };
	TRACE(m, "tlb_flush", f, "TLB flush: everything");
}

/*
 * Whether a cached entry still leads into pages [pfn, pfn + n): a walk
 * entry to a table there, or a leaf translating to one. A CPU may use it
 * until the next flush, so a page freed now may be walked or read after the
 * allocator hands it to someone else. The linear map's own leaves are no
 * such way: they map every page of RAM, free or not, and stay.
 */
void tlb_note_free(struct mhp_machine *m, uint64_t pfn, uint64_t n, const char *what)
{
	for (unsigned i = 0; m->tlb.nr_valid && i < TLB_ENTRIES; i++) {
		const struct tlb_entry *x = &m->tlb.e[i];
		uint64_t lo = x->leaf ? x->target >> m->page_shift : x->target;
		uint64_t hi = x->leaf ? (x->target + x->span - 1) >> m->page_shift : x->target;
		bool linear = x->leaf && x->va - m->pt_geom.page_offset < m->pt_geom.page_end - m->pt_geom.page_offset;
		if (!x->valid || hi < pfn || lo >= pfn + n || linear)
			continue;
		m->tlb.nr_freed_while_cached++;
		struct mhp_trace_field f[] = { TF_S("what", what), TF_X("pfn", pfn), TF_X("va", x->va),
					       TF_S("cached", x->leaf ? "translation" : "walk") };
		TRACE(m, "hazard", f, "hazard: %s at pfn %#llx freed while a cached %s for va %#llx still leads to it "
		      "(until the next flush)", what, (unsigned long long)pfn, x->leaf ? "translation" : "walk",
		      (unsigned long long)x->va);
		return;
	}
}

/* A load the CPU makes: the linear-map address of a pa, the vmemmap address of a pfn's struct page, or a VA. */
int arch_tlb_touch(struct mhp_machine *m, int kind, uint64_t addr)
{
	switch (kind) {
	case MHP_TOUCH_PHYS: return tlb_touch(m, linear_va(m, addr));
	case MHP_TOUCH_STRUCT_PAGE: return tlb_touch(m, vmemmap_va(m, addr));
	default: return tlb_touch(m, addr);
	}
}
