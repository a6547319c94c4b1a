// SPDX-License-Identifier: GPL-2.0-only
/*
 * pgtable.c - page-table pages, descriptors and walks, for every arch: the
 * store, the digest and the walks. Kernel twins: include/linux/pgtable.h,
 * mm/pgtable-generic.c; what the bits mean is the arch's (struct pt_format).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memblock.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/ptdump.h"
#include "sim/trace.h"
#include "arch/paging_mode.h"

/* ---- descriptors, read through the arch's format (pt_format) ------------- */

enum desc_type desc_type(const struct mhp_machine *m, unsigned depth, uint64_t d)
{
	const struct pt_format *f = &m->pt_geom.fmt;
	if (d == 0)
		return DESC_NONE;
	if (!(d & f->valid))
		return DESC_INVALID;
	if (depth == m->pt_geom.levels - 1)
		return desc_is_page(m, d) ? DESC_PAGE : DESC_INVALID;
	if (f->leaf_any ? !(d & f->leaf_mask) : (d & f->leaf_mask) != f->leaf_val)
		return DESC_TABLE;
	return m->pt_geom.block_ok[depth] ? DESC_BLOCK : DESC_INVALID;
}

bool desc_is_page(const struct mhp_machine *m, uint64_t d)
{
	const struct pt_format *f = &m->pt_geom.fmt;
	if (f->leaf_any)
		return (d & f->valid) && (d & f->page_mask);
	return (d & (f->valid | f->page_mask)) == (f->valid | f->page_val);
}

uint64_t desc_pa(const struct mhp_machine *m, uint64_t d)
{
	const struct pt_format *f = &m->pt_geom.fmt;
	uint64_t pa = (d & f->oa_mask) << f->oa_shift;
	if (f->oa_hi_at)
		pa |= ((d >> f->oa_hi_at) & 0xf) << 48;
	return pa;
}

uint64_t mk_desc(const struct mhp_machine *m, uint64_t pa, uint64_t bits)
{
	const struct pt_format *f = &m->pt_geom.fmt;
	if (f->oa_shift)
		return ((pa >> f->oa_shift) & f->oa_mask) | bits;
	uint64_t d = (pa & (f->oa_mask | (m->page_size - 1))) | bits;
	if (f->oa_hi_at)
		d |= ((pa >> 48) & 0xf) << f->oa_hi_at;
	return d;
}

/* The kernel's names: the top table is the PGD, the last holds PTEs. */
const char *pt_level_name(const struct mhp_machine *m, unsigned depth)
{
	static const char *const from_bottom[] = { "PTE", "PMD", "PUD", "P4D" };
	unsigned up = m->pt_geom.levels - 1 - depth;
	return depth == 0 ? "PGD" : from_bottom[up];
}

uint64_t pt_index(const struct mhp_machine *m, unsigned depth, uint64_t va)
{
	return (va >> m->pt_geom.shift[depth]) & (m->pt_geom.ptrs[depth] - 1);
}

uint64_t pt_span(const struct mhp_machine *m, unsigned depth)
{
	return 1ull << m->pt_geom.shift[depth];
}

/* Models p?d_addr_end(): the next boundary of this level, or end. */
uint64_t pt_addr_end(const struct mhp_machine *m, unsigned depth, uint64_t addr, uint64_t end)
{
	uint64_t boundary = (addr + pt_span(m, depth)) & ~(pt_span(m, depth) - 1);
	return boundary - 1 < end - 1 ? boundary : end;
}

/* ---- the digest (see PT_MIX_P) ------------------------------------------- */

__extension__ typedef unsigned __int128 u128;

/* r (below 2 PT_MIX_P) in the field: a mask, not a branch, since r is as likely above PT_MIX_P as below. */
static uint64_t reduce_p(uint64_t r)
{
	return r - (PT_MIX_P & (0 - (uint64_t)(r >= PT_MIX_P)));
}

static uint64_t mod_p(uint64_t v)
{
	return reduce_p((v & PT_MIX_P) + (v >> 61));
}

static uint64_t add_p(uint64_t a, uint64_t b)
{
	return reduce_p(a + b);
}

static uint64_t mul_p(uint64_t a, uint64_t b)
{
	u128 x = (u128)a * b;
	return mod_p(mod_p((uint64_t)(x & PT_MIX_P)) + (uint64_t)(x >> 61));
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ x >> 30) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ x >> 27) * 0x94d049bb133111ebull;
	return x ^ x >> 31;
}

/* Constants of the polynomial: arbitrary odd values below PT_MIX_P. */
#define MIX_C1 0x1c6f3a5d2b9e4871ull
#define MIX_C2 0x0d4b2e9f71a3c655ull
#define MIX_C3 0x17a9c3e5b24d6f09ull

static uint64_t table_factor(uint64_t pfn)
{
	return mod_p(splitmix(pfn)) | 1;   /* never 0, so no table's entries weigh nothing */
}

uint64_t pt_table_id(uint64_t pfn, unsigned depth)
{
	return splitmix(pfn ^ (uint64_t)(depth + 1u) << 56);
}

/* x = c1 * idx + c2 * d + c3, the polynomial's argument for the entry d at idx. */
static inline uint64_t mix_x(uint64_t idx, uint64_t d)
{
	return add_p(add_p(mul_p(MIX_C1, mod_p(idx)), mul_p(MIX_C2, mod_p(d))), MIX_C3);
}

uint64_t pt_entry_mix(uint64_t pfn, uint64_t idx, uint64_t d)
{
	if (!d)
		return 0;
	uint64_t x = mix_x(idx, d);
	return mul_p(table_factor(pfn), mul_p(x, x));
}

/* Sum over k < n of (x0 + k dx)^2 = n x0^2 + 2 x0 dx n(n-1)/2 + dx^2 (n-1)n(2n-1)/6, in the field. */
uint64_t pt_run_mix(uint64_t pfn, uint64_t idx, uint64_t n, uint64_t first, uint64_t step)
{
	MHP_ASSERT(n <= 1u << 13);   /* a table's entries at most: the sums below stay exact in 64 bits */
	if (!n)
		return 0;
	uint64_t x0 = mix_x(idx, first);
	uint64_t dx = add_p(MIX_C1, mul_p(MIX_C2, mod_p(step)));
	uint64_t s1 = n * (n - 1) / 2, s2 = (n - 1) * n * (2 * n - 1) / 6;
	uint64_t sum = add_p(add_p(mul_p(mod_p(n), mul_p(x0, x0)), mul_p(mod_p(2 * s1), mul_p(x0, dx))),
			     mul_p(mod_p(s2), mul_p(dx, dx)));
	return mul_p(table_factor(pfn), sum);
}

/* The table's mix moves by +add -sub (both in the field); returns the digest's change. */
static uint64_t mix_change(struct pt_table *t, uint64_t add, uint64_t sub)
{
	uint64_t old = t->mix;
	t->mix = add_p(t->mix, add_p(add, sub ? PT_MIX_P - sub : 0));
	return t->mix - old;
}

/* ---- the store ------------------------------------------------------------ */

static uint64_t slot_of(uint64_t pfn, uint64_t cap)
{
	return (pfn * 0x9e3779b97f4a7c15ull) >> 11 & (cap - 1);
}

uint64_t pt_slot(const struct mhp_machine *m, uint64_t pfn)
{
	const struct pt_store *s = &m->pt;
	if (!s->cap)
		return 0;
	for (uint64_t i = slot_of(pfn, s->cap);; i = (i + 1) & (s->cap - 1))
		if (!s->slots[i] || s->slots[i]->pfn == pfn)
			return s->slots[i] ? i : s->cap;
}

struct pt_table *pt_lookup(const struct mhp_machine *m, uint64_t pfn)
{
	uint64_t i = pt_slot(m, pfn);
	return i < m->pt.cap ? m->pt.slots[i] : NULL;
}

uint64_t pt_store_home(const struct mhp_machine *m, uint64_t pfn)
{
	return slot_of(pfn, m->pt.cap);
}

struct pt_table *pt_pgd(const struct mhp_machine *m)
{
	return pt_lookup(m, m->pt.pgd_pfn);
}

static void slot_insert(struct pt_table **slots, uint64_t cap, struct pt_table *t)
{
	uint64_t i = slot_of(t->pfn, cap);
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = t;
}

/* Rehashes into ncap slots: doubled when half full, halved when under a quarter (never below 1024). */
static int store_resize(struct pt_store *s, uint64_t ncap)
{
	struct pt_table **slots = calloc(ncap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint64_t i = 0; i < s->cap; i++)
		if (s->slots[i])
			slot_insert(slots, ncap, s->slots[i]);
	free(s->slots);
	s->slots = slots;
	s->cap = ncap;
	return 0;
}

/* Deletes by shifting later members of the probe run back (no tombstones). */
static void store_delete(struct pt_store *s, uint64_t pfn)
{
	uint64_t i = slot_of(pfn, s->cap);
	while (s->slots[i]->pfn != pfn)
		i = (i + 1) & (s->cap - 1);
	s->slots[i] = NULL;
	for (uint64_t j = (i + 1) & (s->cap - 1); s->slots[j]; j = (j + 1) & (s->cap - 1)) {
		struct pt_table *t = s->slots[j];
		s->slots[j] = NULL;
		slot_insert(s->slots, s->cap, t);
	}
	s->count--;
	/* Shrinking keeps memory with the tables in use, and a saved store's size checkable on load. */
	if (s->cap > 1024 && s->count * 4 < s->cap)
		(void)store_resize(s, s->cap / 2);   /* out of memory: the larger store stays, still correct */
}

uint64_t pt_entries_bytes(const struct mhp_machine *m, unsigned depth)
{
	return m->pt_geom.ptrs[depth] * sizeof(uint64_t);
}

struct pt_table *pt_table_new(struct mhp_machine *m, uint64_t pfn, unsigned depth, bool boot)
{
	struct pt_table *t = m->pt.nr_spare ? m->pt.spare[--m->pt.nr_spare] : malloc(sizeof(*t));
	if (!t)
		return NULL;
	*t = (struct pt_table){ 0 };
	m->pt.host_bytes += sizeof(*t);
	t->pfn = pfn;
	t->depth = (uint8_t)depth;
	t->boot = boot;
	t->step = pt_span(m, depth) >> m->pt_geom.fmt.oa_shift;   /* a descriptor's address moves by what one entry maps */
	return t;
}

/*
 * A new table is an empty run: its header alone. The budget check also asks
 * for room for its entries, because a later write that makes an array of it
 * cannot fail (no store in the kernel does).
 */
struct pt_table *pt_alloc(struct mhp_machine *m, unsigned depth, bool boot, int nid)
{
	struct pt_store *s = &m->pt;
	uint64_t pfn;
	if (host_over_budget(m, sizeof(struct pt_table) + pt_entries_bytes(m, depth), "a page table"))
		return NULL;
	if ((s->count + 1) * 2 > s->cap && store_resize(s, s->cap ? s->cap * 2 : 1024))
		return NULL;
	int ret = boot ? memblock_alloc_pages(m, nid, 0, PG_PGTABLE_BOOT, &pfn)
		       : alloc_pages_node(m, nid, 0, PG_PGTABLE, &pfn);
	if (ret)
		return NULL;
	struct pt_table *t = pt_table_new(m, pfn, depth, boot);
	if (!t) {
		free_pages_kind(m, pfn, 0, PG_PGTABLE);
		return NULL;
	}
	s->digest += pt_table_kept_mix(t);
	slot_insert(s->slots, s->cap, t);
	s->count++;
	s->nr_allocated++;
	m->nr_pgtable_pages++;
	if (!boot && !m->pt.untraced) {
		struct mhp_trace_field f[] = { TF_S("level", pt_level_name(m, depth)), TF_X("pfn", pfn) };
		TRACE(m, "pgtable_alloc", f, "%s table allocated at pfn %#llx", pt_level_name(m, depth),
		      (unsigned long long)pfn);
	}
	return t;
}

/* Drops a table's array: it is an empty run again. */
int pt_alloc_pgd(struct mhp_machine *m, struct mhp_err *err)
{
	struct pt_table *pgd = pt_alloc(m, 0, true, 0);
	if (!pgd)
		return mhp_err_set(err, -ENOMEM, "model %s: no memblock page-table pool for the PGD", m->model.name);
	m->pt.pgd_pfn = pgd->pfn;
	return 0;
}

struct pt_table *pt_populate(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t table_bits, bool boot,
			     int nid)
{
	uint64_t d = pt_get(t, idx);
	if (d)   /* NULL if it points to a freed table (a mutant's doing): the caller fails */
		return desc_type(m, t->depth, d) == DESC_TABLE ? pt_lookup(m, desc_pa(m, d) >> m->page_shift) : NULL;
	struct pt_table *child = pt_alloc(m, t->depth + 1u, boot, nid);
	if (!child)
		return NULL;
	pt_set(m, t, idx, mk_desc(m, child->pfn << m->page_shift, table_bits));
	return child;
}

static void pt_dematerialise(struct mhp_machine *m, struct pt_table *t)
{
	if (!t->e)
		return;
	free(t->e);
	t->e = NULL;
	m->pt.host_bytes -= pt_entries_bytes(m, t->depth);
}

/* A table's share of the digest from the sum its writes kept: O(1). */
uint64_t pt_table_kept_mix(const struct pt_table *t)
{
	return pt_table_id(t->pfn, t->depth) + t->mix;
}

/* Frees a table page (free_hotplug_pgtable_page): the caller cleared the parent first. */
/* A destructor out of pair with a constructor: counted for PAGE-OWNER, traced. */
static void bad_dtor(struct mhp_machine *m, const struct pt_table *t, const char *what)
{
	m->nr_bad_dtors++;
	struct mhp_trace_field f[] = { TF_S("level", pt_level_name(m, t->depth)), TF_X("pfn", t->pfn) };
	TRACE(m, "bad_dtor", f, "%s table at pfn %#llx %s", pt_level_name(m, t->depth), (unsigned long long)t->pfn, what);
}

void pt_dtor(struct mhp_machine *m, struct pt_table *t, bool pmd)
{
	if (t->ctor)
		t->ctor = false;
	else if (pmd)
		bad_dtor(m, t, "destroyed as a page table, which no constructor made it");
}

void pt_release(struct mhp_machine *m, struct pt_table *t)
{
	uint64_t pfn = t->pfn;
	unsigned depth = t->depth;
	bool boot = t->boot;
	if (t->ctor)
		bad_dtor(m, t, "freed still a page table: no destructor ran");
	tlb_note_free(m, pfn, 1, "table");
	m->pt.digest -= pt_table_kept_mix(t);
	pt_dematerialise(m, t);
	store_delete(&m->pt, pfn);
	m->pt.host_bytes -= sizeof(*t);
	if (m->pt.nr_spare < PT_SPARE)   /* a header for the next table: most are taken soon again */
		m->pt.spare[m->pt.nr_spare++] = t;
	else
		free(t);
	m->pt.nr_freed++;
	m->nr_pgtable_pages--;
	/* A boot table came from memblock: freeing it hands the page to the buddy (free_reserved_page). */
	free_pages_kind(m, pfn, 0, boot ? PG_PGTABLE_BOOT : PG_PGTABLE);
	struct mhp_trace_field f[] = { TF_S("level", pt_level_name(m, depth)), TF_X("pfn", pfn) };
	TRACE(m, "pgtable_free", f, "%s table at pfn %#llx freed", pt_level_name(m, depth), (unsigned long long)pfn);
	if (m->ptdump_race)
		ptdump_race_table_freed(m, pfn);
}

void pt_copy(const struct pt_table *t, uint64_t idx, uint64_t n, uint64_t *out)
{
	if (t->e) {
		memcpy(out, t->e + idx, n * sizeof(*out));
		return;
	}
	/* The run: none before lo, then first, first + step, ..., none from hi. */
	uint64_t end = idx + n, a = idx > t->lo ? idx : t->lo, b = end < t->hi ? end : t->hi, e;
	if (a >= b)
		a = b = end;
	memset(out, 0, (a - idx) * sizeof(*out));
	e = t->first + (a - t->lo) * t->step;
	for (uint64_t i = a; i < b; i++, e += t->step)
		out[i - idx] = e;
	memset(out + (b - idx), 0, (end - b) * sizeof(*out));
}

/* The run's entries as an array; the memory is the host's, and a failure here is the host's too. */
uint64_t *pt_entries(struct mhp_machine *m, struct pt_table *t)
{
	if (t->e)
		return t->e;
	uint64_t n = m->pt_geom.ptrs[t->depth];
	uint64_t *e = malloc(n * sizeof(*e));
	MHP_ASSERT(e);
	pt_copy(t, 0, n, e);
	t->e = e;
	t->lo = t->hi = 0;
	m->pt.host_bytes += pt_entries_bytes(m, t->depth);
	return e;
}

uint64_t pt_next_used(const struct mhp_machine *m, const struct pt_table *t, uint64_t idx)
{
	uint64_t n = m->pt_geom.ptrs[t->depth];
	if (!t->e)
		return t->lo == t->hi || idx >= t->hi ? n : idx < t->lo ? t->lo : idx;
	while (idx < n && !t->e[idx])
		idx++;
	return idx;
}

/* Entry k of a run from first (k < 0: before it), if it moves only PA[47:0], with no carry out of it. */
static bool run_entry(uint64_t first, uint64_t step, int64_t k, uint64_t *d)
{
	uint64_t pa48 = (1ull << 48) - 1, base = first & pa48, off = (uint64_t)k * step;
	if (k >= 0 ? base + off > pa48 : base < 0 - off)
		return false;
	*d = first + off;
	return true;
}

/* Takes the none entries [idx, idx + n) = first, first + step, ... into the run, if they start or extend it. */
static bool run_join(struct pt_table *t, uint64_t idx, uint64_t n, uint64_t first)
{
	uint64_t d;
	if (t->lo == t->hi) {
		if (!run_entry(first, t->step, (int64_t)n - 1, &d))
			return false;
		t->lo = (uint32_t)idx, t->hi = (uint32_t)(idx + n), t->first = first;
		return true;
	}
	if (idx == t->hi && run_entry(t->first, t->step, (int64_t)(idx - t->lo), &d) && d == first &&
	    run_entry(t->first, t->step, (int64_t)(idx + n - 1 - t->lo), &d)) {
		t->hi = (uint32_t)(idx + n);
		return true;
	}
	if (idx + n == t->lo && run_entry(t->first, t->step, -(int64_t)n, &d) && d == first) {
		t->lo = (uint32_t)idx, t->first = first;
		return true;
	}
	return false;
}

/* Whether the run form can take d at idx (the other entries as they are); updates it if so. */
static bool run_store(struct pt_table *t, uint64_t idx, uint64_t old, uint64_t d)
{
	if (old == d)
		return true;
	if (old == 0)
		return run_join(t, idx, 1, d);
	if (d != 0 || (idx != t->lo && idx + 1 != t->hi))
		return false;   /* a changed entry, or a hole in the middle */
	if (idx == t->lo)
		t->lo++, t->first += t->step;
	else
		t->hi--;
	if (t->lo == t->hi)
		t->lo = t->hi = 0;
	return true;
}

/*
 * Writes d at idx in either form; the count in use and the table's mix
 * follow. Returns the change of the mix, which the digest takes for a table
 * in the store. An array stays, even emptied: the kernel strategy's code
 * holds pointers into it.
 */
static uint64_t put_entry(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t d)
{
	MHP_ASSERT(idx < m->pt_geom.ptrs[t->depth]);
	uint64_t old = pt_get(t, idx);
	t->used += (d != 0) - (old != 0);
	MHP_ASSERT(t->used <= m->pt_geom.ptrs[t->depth]);   /* a count that wrapped below zero shows here */
	uint64_t delta = mix_change(t, pt_entry_mix(t->pfn, idx, d), pt_entry_mix(t->pfn, idx, old));
	if (t->e || !run_store(t, idx, old, d))
		pt_entries(m, t)[idx] = d;
	return delta;
}

void pt_set(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t d)
{
	m->pt.digest += put_entry(m, t, idx, d);
}

void pt_fill(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t n, const uint64_t *e)
{
	for (uint64_t i = 0; i < n; i++)
		(void)put_entry(m, t, idx + i, e[i]);
}

void pt_set_run(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t n, uint64_t first)
{
	MHP_ASSERT(n && first && idx + n <= m->pt_geom.ptrs[t->depth]);
	if (t->e || !run_join(t, idx, n, first)) {
		uint64_t *e = pt_entries(m, t);
		for (uint64_t i = 0; i < n; i++) {
			MHP_ASSERT(!e[idx + i]);   /* only none entries are written here */
			e[idx + i] = first + i * t->step;
		}
	}
	t->used += (uint32_t)n;
	m->pt.digest += mix_change(t, pt_run_mix(t->pfn, idx, n, first, t->step), 0);
}

/* The share of entries [idx, idx + n) as they are: O(1) on a run, O(n) on an array. */
static uint64_t range_mix(const struct pt_table *t, uint64_t idx, uint64_t n, uint64_t *used)
{
	uint64_t mix = 0;
	*used = 0;
	if (!t->e) {
		uint64_t a = idx > t->lo ? idx : t->lo, b = idx + n < t->hi ? idx + n : t->hi;
		if (a >= b)
			return 0;
		*used = b - a;
		return pt_run_mix(t->pfn, a, b - a, t->first + (a - t->lo) * t->step, t->step);
	}
	for (uint64_t i = idx; i < idx + n; i++) {
		*used += t->e[i] != 0;
		mix = add_p(mix, pt_entry_mix(t->pfn, i, t->e[i]));
	}
	return mix;
}

uint64_t pt_clear_range(struct mhp_machine *m, struct pt_table *t, uint64_t idx, uint64_t n)
{
	MHP_ASSERT(idx + n <= m->pt_geom.ptrs[t->depth]);
	uint64_t cleared;
	if (n == m->pt_geom.ptrs[t->depth]) {
		/* The whole table: its kept share leaves the digest at once, and an array goes back. */
		cleared = t->used;
		m->pt.digest += mix_change(t, 0, t->mix);
		t->used = 0;
		t->lo = t->hi = 0;
		pt_dematerialise(m, t);
		return cleared;
	}
	m->pt.digest += mix_change(t, 0, range_mix(t, idx, n, &cleared));
	uint64_t a = idx > t->lo ? idx : t->lo, b = idx + n < t->hi ? idx + n : t->hi;   /* the run's part */
	if (t->e || (cleared && a != t->lo && b != t->hi))
		memset(pt_entries(m, t) + idx, 0, n * sizeof(uint64_t));   /* an array, or a hole in the run's middle */
	else if (cleared && a == t->lo && b == t->hi)
		t->lo = t->hi = 0;
	else if (cleared && a == t->lo)
		t->first += (b - t->lo) * t->step, t->lo = (uint32_t)b;
	else if (cleared)
		t->hi = (uint32_t)a;
	t->used -= (uint32_t)cleared;
	if (!t->used)
		pt_dematerialise(m, t);
	return cleared;
}

uint64_t pt_table_mix(const struct mhp_machine *m, const struct pt_table *t)
{
	uint64_t used;
	return pt_table_id(t->pfn, t->depth) + range_mix(t, 0, m->pt_geom.ptrs[t->depth], &used);
}

void pt_store_free(struct mhp_machine *m)
{
	struct pt_store *s = &m->pt;
	for (uint64_t i = 0; i < s->cap; i++) {
		if (s->slots[i]) {
			free(s->slots[i]->e);
			free(s->slots[i]);
		}
	}
	free(s->slots);
	for (uint32_t i = 0; i < s->nr_spare; i++)
		free(s->spare[i]);
	memset(s, 0, sizeof(*s));
}

int pt_for_each(const struct mhp_machine *m, int (*fn)(const struct mhp_machine *, const struct pt_table *, void *),
		void *arg)
{
	for (uint64_t i = 0; i < m->pt.cap; i++) {
		if (!m->pt.slots[i])
			continue;
		int ret = fn(m, m->pt.slots[i], arg);
		if (ret)
			return ret;
	}
	return 0;
}

void pt_walk_va(const struct mhp_machine *m, uint64_t va, struct pt_walk *w)
{
	const struct pt_table *t = pt_pgd(m);
	memset(w, 0, sizeof(*w));
	for (unsigned d = 0; t; d++) {
		uint64_t desc = pt_get(t, pt_index(m, d, va));
		w->table[d] = t;
		w->desc[d] = desc;
		w->depth = d;
		w->type = desc_type(m, d, desc);
		if (w->type != DESC_TABLE)
			return;
		t = pt_lookup(m, desc_pa(m, desc) >> m->page_shift);
		if (!t || t->depth != d + 1) {
			w->type = DESC_INVALID;   /* a table descriptor to no live table */
			return;
		}
	}
}

/* __phys_to_virt(): the linear map starts at PAGE_OFFSET for memstart_addr. */
bool pgtable_l4_enabled(const struct mhp_machine *m)
{
	return m->pt_geom.levels >= 4;
}

bool pgtable_l5_enabled(const struct mhp_machine *m)
{
	return m->pt_geom.levels == 5;
}

uint64_t linear_va(const struct mhp_machine *m, uint64_t pa)
{
	return m->pt_geom.page_offset + (pa - m->memstart_addr);
}

/* The struct page of pfn: vmemmap + pfn, 64 bytes each. */
uint64_t vmemmap_va(const struct mhp_machine *m, uint64_t pfn)
{
	return m->pt_geom.vmemmap_start + ((pfn - (m->memstart_addr >> m->page_shift)) << 6);
}

/* ---- range walks ----------------------------------------------------------- */

static int walk_level(const struct mhp_machine *m, const struct pt_table *t, uint64_t addr, uint64_t end,
		      pt_visit_fn fn, pt_last_fn last, void *arg)
{
	unsigned depth = t->depth;
	if (last && depth == m->pt_geom.levels - 1)
		return last(m, t, addr, end, arg);
	for (uint64_t next; addr - 1 < end - 1; addr = next) {
		next = pt_addr_end(m, depth, addr, end);
		uint64_t d = pt_get(t, pt_index(m, depth, addr));
		enum desc_type type = desc_type(m, depth, d);
		const struct pt_table *child = type == DESC_TABLE ? pt_lookup(m, desc_pa(m, d) >> m->page_shift) : NULL;
		int ret = child ? walk_level(m, child, addr, next, fn, last, arg)
				: fn(m, addr, next, depth, type == DESC_TABLE ? DESC_INVALID : type, d, arg);
		if (ret)
			return ret;
		if (next == 0)
			break;   /* the walk reached the top of the address space */
	}
	return 0;
}

/*
 * Visits [start, end) in address order: every leaf (page or block), every
 * hole (a none entry, at the depth it was found) and every descriptor that
 * is invalid or points to no live table. end 0 means the top of the space.
 */
int pt_walk_range(const struct mhp_machine *m, uint64_t start, uint64_t end, pt_visit_fn fn, void *arg)
{
	return walk_level(m, pt_pgd(m), start, end, fn, NULL, arg);
}

int pt_walk_range_last(const struct mhp_machine *m, uint64_t start, uint64_t end, pt_visit_fn fn, pt_last_fn last,
		       void *arg)
{
	return walk_level(m, pt_pgd(m), start, end, fn, last, arg);
}

void pt_touch_leaves_at_ends(struct mhp_machine *m, uint64_t va, uint64_t end)
{
	const uint64_t ends[2] = { va, end - 1 };
	for (int i = 0; i < 2; i++) {
		struct pt_walk w;
		pt_walk_va(m, ends[i], &w);
		if (w.type != DESC_BLOCK)
			continue;
		uint64_t span = pt_span(m, w.depth), pa = desc_pa(m, w.desc[w.depth]);
		touch_range(m, TOUCHED_PT, pa, pa + span);
	}
}
