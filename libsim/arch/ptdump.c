// SPDX-License-Identifier: GPL-2.0-only
/*
 * ptdump.c - the kernel page tables as /sys/kernel/debug/kernel_page_tables
 * shows them, for every arch. Kernel twins: mm/ptdump.c (the walk that
 * reports leaves and holes) and each arch's note_page(); what a line looks
 * like is the arch's (struct ptdump_fmt).
 *
 * The model prints the two regions it keeps, the linear map and the vmemmap,
 * each between its markers.
 */
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "strbuf.h"
#include "arch/ptdump.h"

struct marker {
	uint64_t start;
	const char *name;
};

struct dump_state {
	const struct mhp_machine *m;
	struct strbuf *sb;
	const struct marker *marker;   /* the current one; marker[1] is the next */
	int level;                     /* -1 before the first entry */
	uint64_t prot, start, pa;
};

/* Kernel level numbers: 0 PGD, 1 P4D, 2 PUD, 3 PMD, 4 PTE; a folded top reads as PGD. */
static int kernel_level(const struct mhp_machine *m, unsigned depth)
{
	static const char *const names[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	const char *name = pt_level_name(m, depth);
	for (int i = 0; i < 5; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return 0;
}

/* Models note_page(): a new line whenever the level or the attributes change, or a marker passes. */
static void note_page(struct dump_state *st, uint64_t addr, int level, uint64_t val)
{
	const struct ptdump_fmt *f = st->m->arch->ptdump;
	uint64_t prot = level >= 0 ? val & f->prot_mask : 0;
	uint64_t pa = prot ? desc_pa(st->m, val) : 0;
	if (st->level == -1) {
		st->level = level;
		st->prot = prot;
		st->start = addr;
		st->pa = pa;
		sb_printf(st->sb, "---[ %s ]---\n", st->marker->name);
	} else if (prot != st->prot || level != st->level || addr - 1 >= st->marker[1].start - 1) {
		if (st->prot || !f->mapped_only)
			f->print_line(st->sb, st->start, addr, st->level, st->prot, st->pa);
		if (addr - 1 >= st->marker[1].start - 1) {
			st->marker++;
			sb_printf(st->sb, "---[ %s ]---\n", st->marker->name);
		}
		st->start = addr;
		st->prot = prot;
		st->level = level;
		st->pa = pa;
	}
}

static int note_cb(const struct mhp_machine *m, uint64_t va, uint64_t end, unsigned depth, enum desc_type type,
		   uint64_t d, void *arg)
{
	(void)end;
	note_page(arg, va, kernel_level(m, depth), type == DESC_NONE ? 0 : d);
	return 0;
}

/* One region between its markers, limited to [start, end) (the whole region: 0, 0). */
static void dump_region(const struct mhp_machine *m, struct strbuf *sb, const struct marker *markers,
			uint64_t start, uint64_t end)
{
	uint64_t lo = markers[0].start, hi = markers[1].start;
	if (start || end) {
		lo = start > lo ? start : lo;
		hi = end - 1 < hi - 1 ? end : hi;
		if (lo >= hi)
			return;
	}
	struct marker clipped[3] = { { lo, markers[0].name }, { hi, markers[1].name }, { UINT64_MAX, NULL } };
	struct dump_state st = { .m = m, .sb = sb, .marker = clipped, .level = -1 };
	pt_walk_range(m, lo, hi, note_cb, &st);
	note_page(&st, hi, -1, 0);   /* note_page_flush() */
}

static void ptdump_range(const struct mhp_machine *m, struct strbuf *sb, uint64_t start, uint64_t end)
{
	const struct pt_geom *g = &m->pt_geom;
	const char *const *names = m->arch->ptdump->markers;
	const struct marker linear[] = { { g->page_offset, names[0] }, { g->page_end, names[1] }, { UINT64_MAX, NULL } };
	const struct marker vmemmap[] = { { g->vmemmap_start, names[2] }, { g->vmemmap_end, names[3] },
					  { UINT64_MAX, NULL } };
	dump_region(m, sb, m->arch->ptdump->vmemmap_first ? vmemmap : linear, start, end);
	dump_region(m, sb, m->arch->ptdump->vmemmap_first ? linear : vmemmap, start, end);
}

void ptdump_show(const struct mhp_machine *m, struct strbuf *sb)
{
	ptdump_range(m, sb, 0, 0);
}

ssize_t mhp_ptdump(const struct mhp_machine *m, uint64_t start, uint64_t end, char *buf, size_t cap)
{
	struct strbuf sb;
	if (start >= end && end != 0)
		return -EINVAL;
	sb_init(&sb, buf, cap);
	ptdump_range(m, &sb, start, end);
	return (ssize_t)sb.len;
}
