/*
 * ptdump.c - the kernel page tables as /sys/kernel/debug/kernel_page_tables
 * shows them. Kernel twins: arch/arm64/mm/ptdump.c (note_page, the attribute
 * table), mm/ptdump.c (the walk that reports leaves and holes).
 *
 * The model prints the two regions it keeps, the linear map and the vmemmap,
 * each between its markers, in the kernel's format.
 */
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "strbuf.h"
#include "arm64.h"

struct prot_bits {
	uint64_t mask, val;
	const char *set, *clear;
};

/* pte_bits[] of arch/arm64/mm/ptdump.c, in its order. */
static const struct prot_bits pte_bits[] = {
	{ PTE_VALID, PTE_VALID, " ", "F" },
	{ PTE_USER, PTE_USER, "USR", "   " },
	{ PTE_RDONLY, PTE_RDONLY, "ro", "RW" },
	{ PTE_PXN, PTE_PXN, "NX", "x " },
	{ PTE_SHARED, PTE_SHARED, "SHD", "   " },
	{ PTE_AF, PTE_AF, "AF", "  " },
	{ PTE_NG, PTE_NG, "NG", "  " },
	{ PTE_CONT, PTE_CONT, "CON", "   " },
	{ PTE_TABLE_BIT, PTE_TABLE_BIT, "   ", "BLK" },
	{ PTE_UXN, PTE_UXN, "UXN", "   " },
	{ PTE_GP, PTE_GP, "GP", "  " },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRnE), "DEVICE/nGnRnE", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRE), "DEVICE/nGnRE", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_NC), "MEM/NORMAL-NC", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL), "MEM/NORMAL", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_TAGGED), "MEM/NORMAL-TAGGED", NULL },
};

struct marker {
	uint64_t start;
	const char *name;
};

struct dump_state {
	struct strbuf *sb;
	const struct marker *marker;   /* the current one; marker[1] is the next */
	int level;                     /* -1 before the first entry */
	uint64_t prot, start;
};

static uint64_t prot_mask(void)
{
	uint64_t mask = 0;
	for (size_t i = 0; i < ARRAY_SIZE(pte_bits); i++)
		mask |= pte_bits[i].mask;
	return mask;
}

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

static const char *const level_names[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };

static void print_range(struct dump_state *st, uint64_t addr)
{
	static const char units[] = "KMGTPE";
	const char *unit = units;
	uint64_t delta = (addr - st->start) >> 10;
	sb_printf(st->sb, "0x%016llx-0x%016llx   ", (unsigned long long)st->start, (unsigned long long)addr);
	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	sb_printf(st->sb, "%9llu%c %s", (unsigned long long)delta, *unit, level_names[st->level]);
	for (size_t i = 0; st->prot && i < ARRAY_SIZE(pte_bits); i++) {
		const char *s = (st->prot & pte_bits[i].mask) == pte_bits[i].val ? pte_bits[i].set : pte_bits[i].clear;
		if (s)
			sb_printf(st->sb, " %s", s);
	}
	sb_printf(st->sb, "\n");
}

/* Models note_page(): a new line whenever the level or the attributes change, or a marker passes. */
static void note_page(struct dump_state *st, uint64_t addr, int level, uint64_t val)
{
	uint64_t prot = level >= 0 ? val & prot_mask() : 0;
	if (st->level == -1) {
		st->level = level;
		st->prot = prot;
		st->start = addr;
		sb_printf(st->sb, "---[ %s ]---\n", st->marker->name);
	} else if (prot != st->prot || level != st->level || addr - 1 >= st->marker[1].start - 1) {
		print_range(st, addr);
		if (addr - 1 >= st->marker[1].start - 1) {
			st->marker++;
			sb_printf(st->sb, "---[ %s ]---\n", st->marker->name);
		}
		st->start = addr;
		st->prot = prot;
		st->level = level;
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
	struct dump_state st = { .sb = sb, .marker = clipped, .level = -1 };
	pt_walk_range(m, lo, hi, note_cb, &st);
	note_page(&st, hi, -1, 0);   /* note_page_flush() */
}

static void ptdump_range(const struct mhp_machine *m, struct strbuf *sb, uint64_t start, uint64_t end)
{
	const struct pt_geom *g = &m->pt_geom;
	const struct marker linear[] = {
		{ g->page_offset, "Linear Mapping start" }, { g->page_end, "Linear Mapping end" }, { UINT64_MAX, NULL },
	};
	const struct marker vmemmap[] = {
		{ g->vmemmap_start, "vmemmap start" }, { g->vmemmap_end, "vmemmap end" }, { UINT64_MAX, NULL },
	};
	dump_region(m, sb, linear, start, end);
	dump_region(m, sb, vmemmap, start, end);
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
