// SPDX-License-Identifier: GPL-2.0-only
/*
 * ptdump.c - page-table walkers beside hot-remove, deterministically.
 * Kernel twin: mm/ptdump.c (ptdump_walk_pgd), with the locking of
 * mm/memory_hotplug.c (mem_hotplug_begin) and arch ptdump_show().
 *
 * The debugfs dump and ptdump_check_wx() walk the kernel tables with no
 * page-table lock; only the hotplug lock keeps hot-remove from freeing a
 * table under them. 6.12.118 takes it in ptdump_walk_pgd() (59305202c67f),
 * so every walker waits for a remove, or the remove for it. Before that fix
 * only arm64's and RISC-V's debugfs dump took it (bf2b59f60ee1,
 * 37992b7f1097), and before those nothing did: two mutants put it back there.
 *
 * A schedule (a, j): the walker reads a descriptors of the tables as they
 * were, the remove runs to just after its j-th table free, and the walker
 * goes on. The walker never writes and the remove creates no table, so the
 * tables a walker holds under any interleaving are ones it holds at some a
 * of the walk before the remove: two switches reach every table that more
 * would. The walk of the removed range is recorded once, as the stacks of
 * tables it holds, and each free marks the schedules that then read a freed
 * table: all (a, j) are covered, exactly, for the price of one walk.
 */
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/mutant.h"
#include "sim/printk.h"
#include "sim/ptdump.h"
#include "sim/trace.h"
#include "arch/arch.h"
#include "arch/pgtable.h"

#include <stdio.h>
#include <stdlib.h>

/* The tables a walker holds from one read on: frame k is the table at depth k. */
struct walk_stack {
	uint64_t first_step;           /* the read at which the walker stands here */
	uint64_t steps;                /* reads made with this stack */
	uint64_t pfn[PT_MAX_DEPTH];
	uint32_t pidx[PT_MAX_DEPTH];   /* the entry of frame k - 1 that led to frame k */
	bool reread[PT_MAX_DEPTH];     /* frame k is read again before the walk leaves it */
	unsigned nframes;
	uint64_t first_j;              /* the first free after which a resumed walk reads a freed table; 0: none */
	uint64_t freed_pfn;            /* the table it then reads */
};

struct ptdump_race {
	const char *walker;            /* which walker runs unlocked */
	struct walk_stack *s;
	size_t n, cap;
	uint64_t steps;                /* the whole walk's reads */
	uint64_t frees;                /* schedule points so far */
	uint64_t fresh_j;              /* first free after which a walk started then follows a descriptor to it */
	uint64_t fresh_pfn;
	bool oom;
};

/*
 * Which walker may run beside a remove: none under 6.12's locking. Before
 * 59305202c67f only an arch's own ptdump_show() could hold the lock.
 */
static const char *unlocked_walker(const struct mhp_machine *m)
{
	if (m->mutant == MUTANT_PTDUMP_UNLOCKED)
		return "the debugfs kernel_page_tables dump and ptdump_check_wx()";
	if (m->mutant == MUTANT_PTDUMP_CHECK_WX_UNLOCKED)
		return m->arch->ptdump_show_locked ?
			"ptdump_check_wx() (the debugfs dump waits on the lock its ptdump_show() takes)" :
			"ptdump_check_wx() and the debugfs kernel_page_tables dump";
	return NULL;
}

static void push_stack(struct ptdump_race *r, const struct walk_stack *cur)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct walk_stack *s = r->oom ? NULL : realloc(r->s, cap * sizeof(*s));
		if (!s) {
			r->oom = true;
			return;
		}
		r->s = s, r->cap = cap;
	}
	r->s[r->n++] = *cur;
}

/* Walks t's entries over [lo, hi) as ptdump_walk_pgd() does, recording each stack it stands at. */
static void walk_table(const struct mhp_machine *m, struct ptdump_race *r, struct walk_stack *cur,
		       const struct pt_table *t, uint64_t lo, uint64_t hi)
{
	unsigned d = t->depth;
	cur->pfn[d] = t->pfn, cur->nframes = d + 1;
	cur->first_step = r->steps, cur->steps = 0;
	for (uint64_t va = lo; va < hi;) {
		uint64_t next = pt_addr_end(m, d, va, hi), idx = pt_index(m, d, va), desc = pt_get(t, idx);
		cur->steps++, r->steps++;
		cur->reread[d] = next < hi;
		const struct pt_table *child = desc_type(m, d, desc) == DESC_TABLE ?
			pt_lookup(m, desc_pa(m, desc) >> m->page_shift) : NULL;
		if (child) {
			push_stack(r, cur);
			cur->pidx[d + 1] = (uint32_t)idx;
			walk_table(m, r, cur, child, va, next);
			cur->pfn[d] = t->pfn, cur->nframes = d + 1;   /* back in t */
			cur->first_step = r->steps, cur->steps = 0;
		}
		va = next;
	}
	if (cur->steps)
		push_stack(r, cur);
	cur->steps = 0;
}

static void record_walk(const struct mhp_machine *m, struct ptdump_race *r, uint64_t lo, uint64_t hi)
{
	struct walk_stack cur = { 0 };
	if (lo < hi)
		walk_table(m, r, &cur, pt_pgd(m), lo, hi);
}

void ptdump_race_begin(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	const char *walker = unlocked_walker(m);
	if (!walker || m->ptdump_race)
		return;
	struct ptdump_race *r = calloc(1, sizeof(*r));
	if (!r)
		return;
	r->walker = walker;
	uint64_t pfn = start >> m->page_shift, npages = size >> m->page_shift;
	record_walk(m, r, linear_va(m, start), linear_va(m, start) + size);
	record_walk(m, r, vmemmap_va(m, pfn), vmemmap_va(m, pfn + npages));
	m->ptdump_race = r;
}

/* A walk started after this free that reaches the freed table's old entry: its parent still points there. */
static bool still_linked(const struct mhp_machine *m, const struct walk_stack *s, unsigned k, uint64_t pfn)
{
	const struct pt_table *parent = pt_lookup(m, s->pfn[k - 1]);
	uint64_t d = parent ? pt_get(parent, s->pidx[k]) : 0;
	return d && desc_type(m, k - 1, d) == DESC_TABLE && desc_pa(m, d) >> m->page_shift == pfn;
}

void ptdump_race_table_freed(struct mhp_machine *m, uint64_t pfn)
{
	struct ptdump_race *r = m->ptdump_race;
	r->frees++;
	for (size_t i = 0; i < r->n; i++) {
		struct walk_stack *s = &r->s[i];
		for (unsigned k = 1; k < s->nframes; k++) {
			if (s->pfn[k] != pfn)
				continue;
			/* The walker reads the table it stands in next, and an ancestor if it has entries left there. */
			if (!s->first_j && (k == s->nframes - 1 || s->reread[k]))
				s->first_j = r->frees, s->freed_pfn = pfn;
			if (!r->fresh_j && still_linked(m, s, k, pfn))
				r->fresh_j = r->frees, r->fresh_pfn = pfn;
		}
	}
}

void ptdump_race_end(struct mhp_machine *m)
{
	struct ptdump_race *r = m->ptdump_race;
	if (!r)
		return;
	m->ptdump_race = NULL;
	/* Schedules: a in [0, steps], j in [0, frees]; count those that read a freed table. */
	uint64_t all = (r->steps + 1) * (r->frees + 1), racing = r->fresh_j ? r->frees - r->fresh_j + 1 : 0;
	uint64_t best_j = r->fresh_j ? r->fresh_j : UINT64_MAX, best_a = 0, best_pfn = r->fresh_pfn;
	for (size_t i = 0; i < r->n; i++) {
		const struct walk_stack *s = &r->s[i];
		if (!s->first_j)
			continue;
		racing += s->steps * (r->frees - s->first_j + 1);
		/* First by free, then by reads made (a walk started afresh, a = 0, comes first). */
		if (s->first_j < best_j || (s->first_j == best_j && s->first_step < best_a))
			best_j = s->first_j, best_a = s->first_step, best_pfn = s->freed_pfn;
	}
	struct mhp_trace_field f[] = { TF_U("schedules", all), TF_U("racing", racing), TF_U("reads", r->steps),
				       TF_U("frees", r->frees) };
	TRACE(m, "ptdump_race", f, "without the hotplug lock beside this remove: %s; %llu of %llu schedules read a "
	      "freed table", r->walker, (unsigned long long)racing, (unsigned long long)all);
	if (r->oom) {
		pr_warn(m, "ptdump race: out of host memory recording the walk; schedules not checked");
	} else if (racing) {
		m->nr_walker_uaf++;
		int n = snprintf(m->walker_uaf, sizeof(m->walker_uaf), "without the hotplug lock beside this "
				 "remove: %s; %llu of %llu schedules read a freed table; the first: ", r->walker, (unsigned long long)racing,
				 (unsigned long long)all);
		if (best_a)
			snprintf(m->walker_uaf + n, sizeof(m->walker_uaf) - n, "the walker stops after %llu read(s) "
				 "holding table pfn %#llx, the remove frees it (its table free %llu), the walker goes on "
				 "and reads it", (unsigned long long)best_a, (unsigned long long)best_pfn,
				 (unsigned long long)best_j);
		else
			snprintf(m->walker_uaf + n, sizeof(m->walker_uaf) - n, "the remove frees table pfn %#llx (its "
				 "table free %llu) before it clears the entry that leads there, and a walk started then "
				 "follows that entry", (unsigned long long)best_pfn, (unsigned long long)best_j);
	}
	free(r->s);
	free(r);
}
