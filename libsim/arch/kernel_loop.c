// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel_loop.c - the part of a kernel tree's shim every arch shares (see
 * kernel_loop.h): the tree's code holds pointers into the machine's table
 * pages, so every store finds its table and goes through pt_set().
 */
#include <string.h>

#include "sim/machine.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "sim/trace.h"
#include "arch/kernel_loop.h"

void kloop_enter(struct kloop *k, struct mhp_machine *m)
{
	MHP_ASSERT(!k->m);
	memset(k, 0, sizeof(*k));
	k->m = m;
}

void kloop_leave(struct kloop *k)
{
	k->m = NULL;
}

bool kloop_warn(struct kloop *k, bool cond, const char *file, int line)
{
	if (!cond)
		return false;
	const char *at = strstr(file, "arch/");
	struct mhp_trace_field f[] = { TF_S("file", at ? at : file), TF_U("line", (uint64_t)line) };
	TRACE(k->m, "kernel_warn", f, "WARNING: at %s:%d (the tree's own WARN_ON)", at ? at : file, line);
	k->m->nr_kernel_warns++;
	return true;
}

uint64_t *kloop_table(struct kloop *k, uint64_t desc, unsigned depth, const char *file, int line)
{
	static uint64_t none[1u << 13];   /* a freed table reads as none here (the kernel would read the freed page) */
	if (k->recent[depth] && k->recent_desc[depth] == desc)
		return k->recent[depth]->e;   /* the walk asks again for each entry of a table: the common case */
	struct pt_table *t = pt_lookup(k->m, desc_pa(k->m, desc) >> k->m->page_shift);
	if (kloop_warn(k, !t || t->depth != depth, file, line)) {
		memset(none, 0, sizeof(none));   /* a store into the stand-in must not be read back */
		return none;
	}
	k->recent[depth] = t;
	k->recent_desc[depth] = desc;
	return pt_entries(k->m, t);
}

uint64_t *kloop_pgd(struct kloop *k)
{
	k->recent[0] = pt_pgd(k->m);
	k->recent_desc[0] = 0;
	return pt_entries(k->m, k->recent[0]);
}

static bool holds(const struct mhp_machine *m, const struct pt_table *t, const uint64_t *entry)
{
	return t && t->e && entry >= t->e && entry < t->e + m->pt_geom.ptrs[t->depth];
}

struct holder {
	const uint64_t *entry;
	const struct pt_table *t;
};

static int find_holder(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct holder *h = arg;
	if (!holds(m, t, h->entry))
		return 0;
	h->t = t;
	return 1;
}

/* The table an entry pointer points into: one the walk just handed out, else a search of the store. */
static struct pt_table *table_of(struct kloop *k, const uint64_t *entry)
{
	for (unsigned d = 0; d < PT_MAX_DEPTH; d++)
		if (holds(k->m, k->recent[d], entry))
			return k->recent[d];
	struct holder h = { .entry = entry };
	pt_for_each(k->m, find_holder, &h);
	return (struct pt_table *)h.t;   /* the store owns its tables; the walk only lends them */
}

void kloop_set(struct kloop *k, uint64_t *entry, uint64_t value)
{
	k->m->pt.nr_writes++;
	struct pt_table *t = table_of(k, entry);
	if (t)   /* none: a store into the stand-in for a freed table, which kloop_table() warned about */
		pt_set(k->m, t, (uint64_t)(entry - t->e), value);
}

bool kloop_holds(const struct kloop *k, const void *entry)
{
	for (unsigned d = 0; d < PT_MAX_DEPTH; d++)
		if (holds(k->m, k->recent[d], entry))
			return true;
	return false;
}

uint64_t kloop_table_pfn(struct kloop *k, const void *first_entry)
{
	const struct pt_table *t = table_of(k, first_entry);
	MHP_ASSERT(t && first_entry == t->e);
	return t->pfn;
}

void kloop_release(struct kloop *k, struct pt_table *t)
{
	for (unsigned d = 0; d < PT_MAX_DEPTH; d++)
		k->recent[d] = k->recent[d] == t ? NULL : k->recent[d];
	pt_release(k->m, t);
}

bool kloop_page_reserved(const struct kloop *k, uint64_t pfn)
{
	enum page_kind kind = page_kind_of(k->m, pfn);
	return kind == PG_PGTABLE_BOOT || kind == PG_VMEMMAP_BOOT;
}

void kloop_free_pages(struct kloop *k, uint64_t pfn, unsigned order)
{
	struct pt_table *t = order == 0 ? pt_lookup(k->m, pfn) : NULL;
	if (t) {
		kloop_release(k, t);
		return;
	}
	tlb_note_free(k->m, pfn, 1ull << order, "vmemmap backing");
	enum page_kind kind = page_kind_of(k->m, pfn);
	free_pages_kind(k->m, pfn, order, kind == PG_FREE ? PG_VMEMMAP : kind);
}

void kloop_free_reserved_page(struct kloop *k, uint64_t pfn)
{
	kloop_free_pages(k, pfn, 0);
	adjust_managed_page_count_pfn(k->m, pfn, 1);
}
