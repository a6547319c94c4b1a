// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_pgtable.c - invariants of the kernel page tables and the TLB.
 * What arch/arm64/mm/mmu.c must guarantee when memory comes and goes.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/mmzone.h"
#include "sim/page.h"
#include "sim/sparse.h"
#include "check/check.h"

#define FAIL(err, id, ...) mhp_err_set((err), -EUCLEAN, id ": " __VA_ARGS__)

static void clip_range(const struct mhp_machine *m, uint64_t *lo, uint64_t *hi);

/* ---- PT-DANGLING and PT-LEAK: the table graph ------------------------------ */

struct graph {
	struct mhp_err *err;
	uint64_t *seen;           /* a bit per store slot: the tables a descriptor points to */
	uint64_t n;               /* table descriptors */
	uint64_t twice;           /* the lowest pfn two descriptors point to, or UINT64_MAX */
	int ret;
};

/* What backs the memmap: vmemmap pages, from the buddy, memblock or the range itself (altmap). */
static inline bool kind_is_vmemmap(enum page_kind k)
{
	return k == PG_VMEMMAP || k == PG_VMEMMAP_BOOT || k == PG_VMEMMAP_ALTMAP;
}


/* Entry i of a last-level table walked from va, handed to fn as walk_level would hand it. */
static int visit_entry(const struct mhp_machine *m, const struct pt_table *t, uint64_t va, uint64_t i,
		       pt_visit_fn fn, void *arg)
{
	uint64_t at = va + (i << m->page_shift), d = pt_get(t, pt_index(m, t->depth, va) + i);
	return fn(m, at, at + m->page_size, t->depth, desc_type(m, t->depth, d), d, arg);
}

/*
 * The first entry of a last-level table in [i, end) that is neither none nor
 * a page. A run's entries differ only in their address bits, so the run is
 * all pages or all not: O(1) on a run.
 */
static uint64_t next_odd_pte(const struct mhp_machine *m, const struct pt_table *t, uint64_t i, uint64_t end)
{
	if (!t->e) {
		uint64_t k = i > t->lo ? i : t->lo;
		return t->lo == t->hi || desc_is_page(m, t->first) || k >= t->hi || k >= end ? end : k;
	}
	while (i < end && (t->e[i] == 0 || desc_is_page(m, t->e[i])))
		i++;
	return i;
}

static int collect_targets(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct graph *g = arg;
	bool last = t->depth == m->pt_geom.levels - 1;
	uint64_t n = m->pt_geom.ptrs[t->depth];
	/* A last-level entry points to no table: none or a page passes without a closer look. */
	for (uint64_t i = last ? next_odd_pte(m, t, 0, n) : 0; i < n; i = last ? next_odd_pte(m, t, i + 1, n) : i + 1) {
		uint64_t d = pt_get(t, i);
		enum desc_type type = desc_type(m, t->depth, d);
		if (type == DESC_INVALID)
			return g->ret = FAIL(g->err, "PT-DANGLING", "%s table at pfn %#llx entry %llu holds an invalid "
					     "descriptor %#llx", pt_level_name(m, t->depth), (unsigned long long)t->pfn,
					     (unsigned long long)i, (unsigned long long)d);
		if (type != DESC_TABLE)
			continue;
		uint64_t pfn = desc_pa(m, d) >> m->page_shift, slot = pt_slot(m, pfn);
		const struct pt_table *child = slot < m->pt.cap ? m->pt.slots[slot] : NULL;
		if (!child || child->depth != t->depth + 1)
			return g->ret = FAIL(g->err, "PT-DANGLING", "%s table at pfn %#llx entry %llu points to pfn %#llx, "
					     "which is %s", pt_level_name(m, t->depth), (unsigned long long)t->pfn,
					     (unsigned long long)i, (unsigned long long)pfn,
					     child ? "a table of another level" : "not a live table (freed?)");
		if (g->n == m->pt.count)
			return g->ret = FAIL(g->err, "PT-DANGLING", "more table descriptors than tables");
		g->n++;
		if (g->seen[slot / 64] >> (slot % 64) & 1)
			g->twice = pfn < g->twice ? pfn : g->twice;
		g->seen[slot / 64] |= 1ull << (slot % 64);
	}
	return 0;
}

/* Every table descriptor points to a live table one level down, and no table has two parents. */
int check_pt_dangling(const struct mhp_machine *m, struct mhp_err *err)
{
	struct graph g = { .err = err, .seen = calloc(m->pt.cap / 64 + 1, sizeof(uint64_t)), .twice = UINT64_MAX };
	if (!g.seen)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	pt_for_each(m, collect_targets, &g);
	if (!g.ret) {
		if (g.twice != UINT64_MAX)   /* the lowest such table, as a sorted list of the targets shows it first */
			g.ret = FAIL(err, "PT-DANGLING", "the table at pfn %#llx has two parents", (unsigned long long)g.twice);
		if (!g.ret && g.n + 1 != m->pt.count)
			g.ret = FAIL(err, "PT-LEAK", "%llu live tables but only %llu are linked below the PGD",
				     (unsigned long long)m->pt.count, (unsigned long long)g.n + 1);
	}
	free(g.seen);
	return g.ret;
}

struct leak_walk {
	struct mhp_err *err;
	uint64_t win[2][2];       /* VA windows the walk keeps to ([0] linear, [1] vmemmap) */
	int ret;
};

static bool in_window(const struct leak_walk *w, uint64_t va, uint64_t span)
{
	for (int i = 0; i < 2; i++)
		if (va < w->win[i][1] && va + span > w->win[i][0])
			return true;
	return false;
}

/*
 * Whether teardown frees this table once empty, stated here on its own (a
 * check that called the arch's copy could not catch a bug in it): arm64's
 * alignment rule of pgtable_range_aligned(), or x86's "every table below
 * the one the PGD shares".
 */
static bool rule_allows_free(const struct mhp_machine *m, const struct pt_table *t, uint64_t base, uint64_t floor,
			     uint64_t ceiling)
{
	if (!m->pt_geom.fmt.aligned_frees)
		return t->depth >= m->pt_geom.fmt.kept_depth;
	uint64_t mask = ~(pt_span(m, t->depth - 1u) - 1);
	uint64_t end = base + pt_span(m, t->depth - 1u);
	if ((base & mask) < floor)
		return false;
	if (ceiling && !(ceiling & mask))
		return false;
	return end - 1 <= (ceiling & mask) - 1;
}

/*
 * The entries [r[k][0], r[k][1]) of a table of n entries of span bytes at
 * base whose range may meet window k, sorted by where they start: every
 * entry outside them misses both windows.
 */
static void window_entries(const struct leak_walk *w, uint64_t base, uint64_t span, uint64_t n, uint64_t r[2][2])
{
	for (int k = 0; k < 2; k++) {
		uint64_t a = w->win[k][0], b = w->win[k][1];
		r[k][0] = r[k][1] = 0;
		if (b <= base || a >= b)
			continue;
		uint64_t lo = a > base ? (a - base) / span : 0, hi = (b - base) / span + ((b - base) % span != 0);
		r[k][0] = lo < n ? lo : n;
		r[k][1] = hi < n ? hi : n;
	}
	if (r[1][0] < r[0][0]) {
		uint64_t t0 = r[0][0], t1 = r[0][1];
		r[0][0] = r[1][0], r[0][1] = r[1][1], r[1][0] = t0, r[1][1] = t1;
	}
}

/* Recurses from the PGD with each table's base address. */
static int leak_dfs(const struct mhp_machine *m, const struct pt_table *t, uint64_t base, struct leak_walk *w)
{
	const struct pt_geom *g = &m->pt_geom;
	if (t->depth > 0 && t->used == 0) {
		bool linear = base >= g->page_offset && base < g->page_end;
		uint64_t floor = linear ? g->page_offset : g->vmemmap_start;
		uint64_t ceiling = linear ? g->page_end : g->vmemmap_end;
		if (rule_allows_free(m, t, base, floor, ceiling))
			return w->ret = FAIL(w->err, "PT-LEAK", "empty %s table at pfn %#llx (va %#llx) was left although "
					     "%s", pt_level_name(m, t->depth), (unsigned long long)t->pfn,
					     (unsigned long long)base, m->pt_geom.fmt.aligned_frees ?
					     "the alignment rule lets it go" : "teardown frees a table of this level once empty");
	}
	if (t->depth + 1u >= g->levels)
		return 0;
	uint64_t span = pt_span(m, t->depth), r[2][2];
	window_entries(w, base, span, g->ptrs[t->depth], r);
	for (int k = 0; k < 2; k++) {   /* the entries each window meets, in order: a superset in_window() sifts */
		for (uint64_t i = k && r[1][0] < r[0][1] ? r[0][1] : r[k][0]; i < r[k][1]; i++) {
			if (desc_type(m, t->depth, pt_get(t, i)) != DESC_TABLE)
				continue;
			const struct pt_table *child = pt_lookup(m, desc_pa(m, pt_get(t, i)) >> m->page_shift);
			uint64_t va = base + i * span;
			if (child && in_window(w, va, span) && leak_dfs(m, child, va, w))
				return w->ret;
		}
	}
	return 0;
}

/* The cheap part of PT-LEAK: the tables over the linear map and vmemmap of physical [lo, hi). */
int check_pt_leak_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	struct leak_walk w = { .err = err };
	clip_range(m, &lo, &hi);
	if (lo >= hi)
		return 0;
	w.win[0][0] = linear_va(m, lo);
	w.win[0][1] = linear_va(m, hi);
	w.win[1][0] = vmemmap_va(m, lo >> m->page_shift);
	w.win[1][1] = vmemmap_va(m, hi >> m->page_shift);
	leak_dfs(m, pt_pgd(m), 0 - (m->pt_geom.ptrs[0] << m->pt_geom.shift[0]), &w);
	return w.ret;
}

/* No empty table stays that free_empty_tables() would have freed. */
struct mix_sum {
	uint64_t digest;
	const struct pt_table *bad;   /* a table whose kept sum is not its entries' */
};

static int sum_mix(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct mix_sum *s = arg;
	uint64_t mix = pt_table_mix(m, t);
	s->digest += mix;
	if (mix != pt_table_kept_mix(t) && !s->bad)
		s->bad = t;
	return 0;
}

int check_pt_leak(const struct mhp_machine *m, struct mhp_err *err)
{
	struct leak_walk w = { .err = err, .win = { { 0, UINT64_MAX }, { 0, UINT64_MAX } } };
	/* The PGD covers the upper half: index 0 is PAGE_OFFSET rounded down to the PGD's reach. */
	uint64_t base = 0 - (m->pt_geom.ptrs[0] << m->pt_geom.shift[0]);
	leak_dfs(m, pt_pgd(m), base, &w);
	struct mix_sum sum = { 0 };
	if (!w.ret)
		pt_for_each(m, sum_mix, &sum);
	if (!w.ret && sum.bad)
		w.ret = FAIL(err, "PT-LEAK", "the table at pfn %#llx keeps a digest share its entries do not sum to: "
			     "a write bypassed pt_set", (unsigned long long)sum.bad->pfn);
	else if (!w.ret && sum.digest != m->pt.digest)
		w.ret = FAIL(err, "PT-LEAK", "the store's digest %#llx does not sum its tables (%#llx): a write bypassed pt_set",
			     (unsigned long long)m->pt.digest, (unsigned long long)sum.digest);
	return w.ret;
}

/* ---- PT-COVER, PT-ATTR, VMEMMAP-COVER: what is mapped -------------------------- */

struct cover {
	struct mhp_err *err;
	const char *id;
	uint64_t expect_pa;       /* PT-COVER: the PA the next VA must map */
	bool hot;                 /* the section is hot-added */
	int ret;
	/* Linear-map walks: what the last subsection looked up said (the walk changes nothing). */
	uint64_t memo_sub;
	bool memo_valid, memo_present, memo_early, memo_device;
};

/*
 * Memory the linear map must cover: present, valid, and not an orphan of a
 * failed add. An orphan section may also hold a ZONE_DEVICE range that was
 * added whole (two ranges share a section): that range's pages are present.
 */
static bool present_pfn(const struct mhp_machine *m, uint64_t pfn)
{
	const struct mem_section *ms = __pfn_to_section(m, pfn);
	return present_section(ms) && pfn_valid(m, pfn) && (!(ms->flags & SECTION_ORPHAN) || get_dev_pagemap(m, pfn));
}

struct hole {
	uint64_t pfn, end_pfn;    /* the hole */
	bool strict;              /* present_pfn() outside the firmware's holes, not just a present section */
	uint64_t found;
};

static int hole_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct hole *h = arg;
	/* The one pfn of this section the old per-section stride would test: the hole's offset in it. */
	uint64_t p = section_nr_to_pfn(m, nr) + (h->pfn & (m->pages_per_section - 1));
	(void)ms;
	/* Not strict (the vmemmap's): any pfn with a memmap, whose subsection is present (pfn_valid()). */
	if (p < h->pfn || p >= h->end_pfn || !pfn_valid(m, p) ||
	    (h->strict && (!present_pfn(m, p) || model_firmware_hole(&m->model, PFN_PHYS(m, p)))))
		return 0;
	h->found = p;
	return 1;
}

/*
 * Whether a hole of a walk [pfn, end_pfn) holds memory that should be mapped,
 * one pfn per section at the hole's offset; only present sections are looked at.
 */
static bool present_in_hole(const struct mhp_machine *m, uint64_t pfn, uint64_t end_pfn, bool strict, uint64_t *found)
{
	struct hole h = { .pfn = pfn, .end_pfn = end_pfn, .strict = strict };
	if (pfn >= end_pfn)
		return false;
	int hit = for_each_present_section(m, pfn_to_section_nr(m, pfn), pfn_to_section_nr(m, end_pfn - 1) + 1, hole_cb,
					   &h);
	*found = h.found;
	return hit != 0;
}

static void lookup_pa_slow(const struct mhp_machine *m, struct cover *c, uint64_t pa)
{
	uint64_t pfn = pa >> m->page_shift;
	c->memo_present = present_pfn(m, pfn);
	c->memo_early = c->memo_present && early_section(__pfn_to_section(m, pfn));
	c->memo_device = c->memo_present && get_dev_pagemap(m, pfn);
	c->memo_sub = pa >> 21;
	c->memo_valid = true;
}

/* present_pfn(), early_section() and ZONE_DEVICE of pa, looked up once per subsection (2 MiB). */
static inline void lookup_pa(const struct mhp_machine *m, struct cover *c, uint64_t pa, bool *present, bool *early,
			     bool *device)
{
	if (!c->memo_valid || c->memo_sub != pa >> 21)
		lookup_pa_slow(m, c, pa);
	*present = c->memo_present;
	*early = c->memo_early;
	*device = c->memo_device;
}

/* Linear-map leaves: identity, arm64's attributes, never executable, pages only where the direct map can change. */
static int linear_leaf_cb(const struct mhp_machine *m, uint64_t va, uint64_t end, unsigned depth, enum desc_type type,
			  uint64_t d, void *arg)
{
	struct cover *c = arg;
	uint64_t pa = m->memstart_addr + (va - m->pt_geom.page_offset);
	if (type == DESC_NONE || type == DESC_INVALID) {
		uint64_t pfn;
		if (present_in_hole(m, pa >> m->page_shift, (pa + (end - va)) >> m->page_shift, true, &pfn))
			return c->ret = FAIL(c->err, "PT-COVER", "present pa %#llx is not in the linear map "
					     "(%s at va %#llx)", (unsigned long long)PFN_PHYS(m, pfn),
					     type == DESC_NONE ? "none" : "invalid descriptor", (unsigned long long)va);
		return 0;
	}
	uint64_t span = pt_span(m, depth), base = va & ~(span - 1);
	uint64_t mapped = desc_pa(m, d) + (va - base);
	if (mapped != pa)
		return c->ret = FAIL(c->err, "PT-COVER", "va %#llx maps pa %#llx, not %#llx", (unsigned long long)va,
				     (unsigned long long)mapped, (unsigned long long)pa);
	bool present, early, device;
	lookup_pa(m, c, pa, &present, &early, &device);
	if (!present && !linear_map_left_at(m, pa))   /* a failed add's leftover (x86) may stay mapped */
		return c->ret = FAIL(c->err, "PT-COVER", "va %#llx maps pa %#llx, which is not present memory",
				     (unsigned long long)va, (unsigned long long)pa);
	const struct pt_format *f = &m->pt_geom.fmt;
	if ((d & f->linear_mask) != (device ? f->linear_must_device : f->linear_must))
		return c->ret = FAIL(c->err, "PT-ATTR", "va %#llx: descriptor %#llx lacks %s's linear-map attributes "
				     "(or is executable)", (unsigned long long)va, (unsigned long long)d, m->arch->name);
	if (!early && m->can_set_direct_map && (type == DESC_BLOCK || (d & f->cont)))
		return c->ret = FAIL(c->err, "PT-ATTR", "hot-added va %#llx uses a %s mapping although the direct map "
				     "can change (rodata=full)", (unsigned long long)va,
				     type == DESC_BLOCK ? "block" : "contiguous");
	return 0;
}

/* Whether d is the usual linear-map PTE for pa: a page at its own address with the linear map's attributes. */
static bool linear_pte_usual(const struct mhp_machine *m, uint64_t d, uint64_t pa)
{
	const struct pt_format *f = &m->pt_geom.fmt;
	uint64_t must = f->linear_must | f->page_val, mask = f->linear_mask | f->page_mask;
	/* Where a descriptor holds its address as the address itself (not 52-bit PAs), one mask compares both. */
	if (!f->oa_hi_at && !f->oa_shift)
		return (d & (mask | f->oa_mask)) == (must | pa);
	return (d & mask) == must && desc_pa(m, d) == pa;
}

/* Whether a usual PTE (or, d 0, a hole) at pa passes: present memory, no CONT hint where the direct map can change. */
static bool linear_pte_passes(const struct mhp_machine *m, struct cover *c, uint64_t d, uint64_t pa)
{
	bool present, early, device;
	lookup_pa(m, c, pa, &present, &early, &device);
	if (d == 0)
		return !present;   /* a hole of one page: wrong only where that page is present (per subsection) */
	if (!present)
		return linear_map_left_at(m, pa);
	return !m->can_set_direct_map || early || !(d & m->pt_geom.fmt.cont);
}

/*
 * Entries [a, b) of the window of a last-level table that starts at va, one
 * at a time: the usual leaf passes here, anything else goes to
 * linear_leaf_cb, which says what is wrong.
 */
static int linear_entries(const struct mhp_machine *m, const struct pt_table *t, uint64_t va, uint64_t a, uint64_t b,
			  struct cover *c)
{
	uint64_t first = pt_index(m, t->depth, va);
	uint64_t pa = m->memstart_addr + (va - m->pt_geom.page_offset) + (a << m->page_shift);
	for (uint64_t i = a; i < b; i++, pa += m->page_size) {
		uint64_t d = pt_get(t, first + i);
		if ((d == 0 || linear_pte_usual(m, d, pa)) && linear_pte_passes(m, c, d, pa))
			continue;
		int ret = visit_entry(m, t, va, i, linear_leaf_cb, c);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Entries [a, b) of the window as a whole, when they are all none (d 0) or
 * one run from d: a run's entries are usual together or not at all, and
 * presence and the CONT rule change per subsection (2 MiB), not per page.
 * Any doubt, and the entries are looked at one by one after all.
 */
static int linear_stretch(const struct mhp_machine *m, const struct pt_table *t, uint64_t va, uint64_t a, uint64_t b,
			  uint64_t d, struct cover *c)
{
	uint64_t pa = m->memstart_addr + (va - m->pt_geom.page_offset) + (a << m->page_shift);
	uint64_t end = pa + ((b - a) << m->page_shift);
	bool ok = a < b && (d == 0 || linear_pte_usual(m, d, pa));
	for (uint64_t p = pa; ok && p < end; p = (p | ((1ull << 21) - 1)) + 1)
		ok = linear_pte_passes(m, c, d, p);
	return ok || a >= b ? 0 : linear_entries(m, t, va, a, b, c);
}

/* A last-level table of the linear map: a run in at most three stretches, an array entry by entry. */
static int linear_last_cb(const struct mhp_machine *m, const struct pt_table *t, uint64_t va, uint64_t end,
			  void *arg)
{
	struct cover *c = arg;
	uint64_t n = (end - va) >> m->page_shift, first = pt_index(m, t->depth, va);
	if (t->e || t->lo == t->hi)
		return t->e ? linear_entries(m, t, va, 0, n, c) : linear_stretch(m, t, va, 0, n, 0, c);
	uint64_t lo = t->lo < first ? 0 : t->lo - first < n ? t->lo - first : n;
	uint64_t hi = t->hi < first ? 0 : t->hi - first < n ? t->hi - first : n;
	uint64_t d = lo < hi ? pt_get(t, first + lo) : 0;
	int ret = linear_stretch(m, t, va, 0, lo, 0, c);
	ret = ret ? ret : linear_stretch(m, t, va, lo, hi, d, c);
	return ret ? ret : linear_stretch(m, t, va, hi, n, 0, c);
}

/* vmemmap leaves: struct pages of present sections only, backed by vmemmap pages. */
static int vmemmap_leaf_cb(const struct mhp_machine *m, uint64_t va, uint64_t end, unsigned depth, enum desc_type type,
			   uint64_t d, void *arg)
{
	struct cover *c = arg;
	uint64_t first_pfn = ((va - m->pt_geom.vmemmap_start) >> 6) + (m->memstart_addr >> m->page_shift);
	uint64_t last_pfn = ((end - 1 - m->pt_geom.vmemmap_start) >> 6) + (m->memstart_addr >> m->page_shift);
	if (type == DESC_NONE || type == DESC_INVALID) {
		uint64_t p;
		if (present_in_hole(m, first_pfn, last_pfn + 1, false, &p))
			return c->ret = FAIL(c->err, "VMEMMAP-COVER", "struct page of present pfn %#llx is not mapped "
					     "(va %#llx)", (unsigned long long)p, (unsigned long long)va);
		return 0;
	}
	(void)depth;
	if (!present_section(__pfn_to_section(m, first_pfn)))
		return c->ret = FAIL(c->err, "VMEMMAP-COVER", "vmemmap va %#llx is mapped for pfn %#llx, which is not present",
				     (unsigned long long)va, (unsigned long long)first_pfn);
	enum page_kind k = page_kind_of(m, desc_pa(m, d) >> m->page_shift);
	if (!kind_is_vmemmap(k))
		return c->ret = FAIL(c->err, "VMEMMAP-COVER", "vmemmap va %#llx is backed by pfn %#llx, which is not a "
				     "vmemmap page", (unsigned long long)va, (unsigned long long)(desc_pa(m, d) >> m->page_shift));
	return 0;
}

/*
 * A last-level vmemmap table without a call per entry: a none entry whose
 * struct pages are of no present section, or a page of a present section
 * backed by a vmemmap page, passes; anything else goes to vmemmap_leaf_cb.
 */
static int vmemmap_last_cb(const struct mhp_machine *m, const struct pt_table *t, uint64_t va, uint64_t end,
			   void *arg)
{
	uint64_t n = (end - va) >> m->page_shift, first = pt_index(m, t->depth, va), memo_nr = UINT64_MAX;
	uint64_t per_page = m->page_size >> 6;   /* struct pages (64 bytes) in a page of vmemmap */
	uint64_t pfn = ((va - m->pt_geom.vmemmap_start) >> 6) + (m->memstart_addr >> m->page_shift);
	bool present = false;
	for (uint64_t i = 0; i < n; i++, pfn += per_page) {
		uint64_t d = pt_get(t, first + i);
		if (pfn_to_section_nr(m, pfn) != memo_nr) {
			memo_nr = pfn_to_section_nr(m, pfn);
			present = present_section(__nr_to_section(m, memo_nr));
		}
		if (d == 0 && !present)
			continue;
		if (present && desc_is_page(m, d)) {
			enum page_kind k = page_kind_of(m, desc_pa(m, d) >> m->page_shift);
			if (kind_is_vmemmap(k))
				continue;
		}
		int ret = visit_entry(m, t, va, i, vmemmap_leaf_cb, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* Clips [lo, hi) of physical memory to what the model can map, section aligned. */
static void clip_range(const struct mhp_machine *m, uint64_t *lo, uint64_t *hi)
{
	uint64_t sec = m->pages_per_section << m->page_shift;
	*lo = (*lo < m->mappable_start ? m->mappable_start : *lo) & ~(sec - 1);
	uint64_t top = m->mappable_end + 1;
	*hi = *hi > top ? top : *hi;
	*hi = (*hi + sec - 1) & ~(sec - 1);
}

static int outside_window_cb(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	(void)ms;
	uint64_t pa = PFN_PHYS(m, section_nr_to_pfn(m, nr));
	return FAIL((struct mhp_err *)arg, "PT-COVER", "present pa %#llx lies outside the linear map's window: its "
		    "linear address %#llx is not in [%#llx, %#llx)", (unsigned long long)pa,
		    (unsigned long long)linear_va(m, pa), (unsigned long long)m->pt_geom.page_offset,
		    (unsigned long long)m->pt_geom.page_end);
}

/*
 * PT-COVER and PT-ATTR over the linear map of physical [lo, hi). Memory
 * past what the window [PAGE_OFFSET, PAGE_END) can map has no linear
 * address at all: present there, it breaks PT-COVER (an arch whose mappable
 * range reaches past its window lets an add put it there).
 */
int check_linear_map(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	struct cover c = { .err = err };
	uint64_t sec = m->pages_per_section << m->page_shift;
	uint64_t window_end = m->memstart_addr + (m->pt_geom.page_end - m->pt_geom.page_offset);
	/* Before the clip to the mappable range: that range is the code's own word, which a bug can widen. */
	if (hi > window_end) {
		uint64_t from = lo > window_end ? lo : window_end;
		if (from < hi && for_each_present_section(m, PHYS_PFN(m, from) / m->pages_per_section,
							   PHYS_PFN(m, hi - 1) / m->pages_per_section + 1, outside_window_cb, err))
			return -EUCLEAN;
		hi = window_end & ~(sec - 1);
	}
	clip_range(m, &lo, &hi);
	if (lo < hi)
		pt_walk_range_last(m, linear_va(m, lo), linear_va(m, hi), linear_leaf_cb, linear_last_cb, &c);
	return c.ret;
}

/* VMEMMAP-COVER over the struct pages of physical [lo, hi). */
int check_vmemmap(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	struct cover c = { .err = err };
	clip_range(m, &lo, &hi);
	if (lo < hi)
		pt_walk_range_last(m, vmemmap_va(m, lo >> m->page_shift), vmemmap_va(m, hi >> m->page_shift),
				   vmemmap_leaf_cb, vmemmap_last_cb, &c);
	return c.ret;
}

/* ---- TLB-STALE --------------------------------------------------------------- */

/* No cached translation or walk leads where the tables no longer do. */
int check_tlb_stale(const struct mhp_machine *m, struct mhp_err *err)
{
	for (unsigned i = 0; i < TLB_ENTRIES; i++) {
		const struct tlb_entry *e = &m->tlb.e[i];
		if (!e->valid)
			continue;
		struct pt_walk w;
		pt_walk_va(m, e->va, &w);
		bool same;
		if (e->leaf)
			same = w.depth == e->depth && (w.type == DESC_PAGE || w.type == DESC_BLOCK) &&
			       desc_pa(m, w.desc[w.depth]) == e->target;
		else
			same = w.depth > e->depth && desc_pa(m, w.desc[e->depth]) >> m->page_shift == e->target &&
			       pt_lookup(m, e->target);
		if (!same)
			return FAIL(err, "TLB-STALE", "a cached %s for va %#llx still leads to %s %#llx, which the tables "
				    "no longer map there", e->leaf ? "translation" : "walk (page-table entry)",
				    (unsigned long long)e->va, e->leaf ? "pa" : "table pfn",
				    (unsigned long long)(e->leaf ? e->target : e->target));
	}
	return 0;
}

/* TLB-STALE as the registry runs it: a staleness seen when a teardown returned counts too. */
int check_tlb_stale_returned(const struct mhp_machine *m, struct mhp_err *err)
{
	if (m->tlb_stale[0])   /* a later full flush may have hidden it since */
		return mhp_err_set(err, -EUCLEAN, "%s (when an arch operation returned)", m->tlb_stale);
	return check_tlb_stale(m, err);
}

/* ---- PAGE-OWNER ---------------------------------------------------------------- */

/* The cheap part of PAGE-OWNER: no page was ever freed as something it did not hold. */
int check_bad_frees(const struct mhp_machine *m, struct mhp_err *err)
{
	if (m->nr_bad_frees)
		return FAIL(err, "PAGE-OWNER", "%llu page(s) freed as something they did not hold",
			    (unsigned long long)m->nr_bad_frees);
	if (m->nr_bad_dtors)
		return FAIL(err, "PAGE-OWNER", "%llu page-table destructor(s) out of pair with a constructor (a PMD "
			    "table destroyed that none made, or a table freed still constructed)",
			    (unsigned long long)m->nr_bad_dtors);
	return 0;
}

int check_walker_uaf(const struct mhp_machine *m, struct mhp_err *err)
{
	if (m->nr_walker_uaf)
		return FAIL(err, "WALKER-UAF", "%s", m->walker_uaf);
	return 0;
}

static int dangling_cb(const struct mhp_machine *m, uint64_t va, uint64_t end, unsigned depth, enum desc_type type,
		       uint64_t d, void *arg)
{
	(void)end;
	if (type != DESC_INVALID)
		return 0;
	return mhp_err_set(arg, -EUCLEAN, "PT-DANGLING: the %s entry for va %#llx holds %#llx, which is no valid "
			   "descriptor or points to no live table", pt_level_name(m, depth), (unsigned long long)va,
			   (unsigned long long)d);
}

/* A last-level table without a call per entry: a page or none passes, anything else goes to dangling_cb. */
static int dangling_last_cb(const struct mhp_machine *m, const struct pt_table *t, uint64_t va, uint64_t end,
			    void *arg)
{
	uint64_t n = (end - va) >> m->page_shift, first = pt_index(m, t->depth, va);
	for (uint64_t i = next_odd_pte(m, t, first, first + n); i < first + n; i = next_odd_pte(m, t, i + 1, first + n)) {
		int ret = visit_entry(m, t, va, i - first, dangling_cb, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* The cheap part of PT-DANGLING: the walks over the linear map and vmemmap of physical [lo, hi). */
int check_pt_dangling_range(const struct mhp_machine *m, uint64_t lo, uint64_t hi, struct mhp_err *err)
{
	clip_range(m, &lo, &hi);
	if (lo >= hi)
		return 0;
	int ret = pt_walk_range_last(m, linear_va(m, lo), linear_va(m, hi), dangling_cb, dangling_last_cb, err);
	if (!ret)
		ret = pt_walk_range_last(m, vmemmap_va(m, lo >> m->page_shift), vmemmap_va(m, hi >> m->page_shift),
					 dangling_cb, dangling_last_cb, err);
	return ret;
}

struct owner_count {
	uint64_t kinds[NR_PAGE_KINDS];
	uint64_t vmemmap_backing;
};

static int count_kinds(const struct mhp_machine *m, uint64_t nr, const struct mem_section *ms, void *arg)
{
	struct owner_count *c = arg;
	(void)nr;
	section_count_kinds(ms, 0, m->pages_per_section, c->kinds, NULL);
	return 0;
}

static int count_vmemmap(const struct mhp_machine *m, uint64_t va, uint64_t end, unsigned depth, enum desc_type type,
			 uint64_t d, void *arg)
{
	struct owner_count *c = arg;
	(void)va, (void)end, (void)d;
	if (type == DESC_PAGE || type == DESC_BLOCK)
		c->vmemmap_backing += pt_span(m, depth) >> m->page_shift;
	return 0;
}

/* Tables are pgtable pages, vmemmap backing is vmemmap pages, and nothing is freed as what it is not. */
int check_page_owner(const struct mhp_machine *m, struct mhp_err *err)
{
	struct owner_count c = { 0 };
	int ret = check_bad_frees(m, err);
	if (ret)
		return ret;
	for_each_present_section(m, 0, UINT64_MAX, count_kinds, &c);
	if (c.kinds[PG_PGTABLE] + c.kinds[PG_PGTABLE_BOOT] != m->pt.count)
		return FAIL(err, "PAGE-OWNER", "%llu pages hold page tables but %llu tables are live",
			    (unsigned long long)(c.kinds[PG_PGTABLE] + c.kinds[PG_PGTABLE_BOOT]),
			    (unsigned long long)m->pt.count);
	pt_walk_range(m, m->pt_geom.vmemmap_start, m->pt_geom.vmemmap_end, count_vmemmap, &c);
	uint64_t vmemmap_pages = c.kinds[PG_VMEMMAP] + c.kinds[PG_VMEMMAP_BOOT] + c.kinds[PG_VMEMMAP_ALTMAP];
	if (vmemmap_pages != c.vmemmap_backing)
		return FAIL(err, "PAGE-OWNER", "%llu pages hold struct pages but the vmemmap maps %llu",
			    (unsigned long long)vmemmap_pages,
			    (unsigned long long)c.vmemmap_backing);
	return 0;
}
