// SPDX-License-Identifier: GPL-2.0-only
/*
 * ptdump.c - how arm64's kernel_page_tables reads: its attribute table and
 * line format. Kernel twin: arch/arm64/mm/ptdump.c (pte_bits[], note_page).
 */
#include "sim/kernel.h"
#include "strbuf.h"
#include "arch/ptdump.h"
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

static const char *const level_names[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };

static void arm64_print_line(struct strbuf *sb, uint64_t start, uint64_t addr, int level, uint64_t prot, uint64_t pa)
{
	static const char units[] = "KMGTPE";
	const char *unit = units;
	uint64_t delta = (addr - start) >> 10;
	(void)pa;   /* the line shows no physical address */
	sb_printf(sb, "0x%016llx-0x%016llx   ", (unsigned long long)start, (unsigned long long)addr);
	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	sb_printf(sb, "%9llu%c %s", (unsigned long long)delta, *unit, level_names[level]);
	for (size_t i = 0; prot && i < ARRAY_SIZE(pte_bits); i++) {
		const char *s = (prot & pte_bits[i].mask) == pte_bits[i].val ? pte_bits[i].set : pte_bits[i].clear;
		if (s)
			sb_printf(sb, " %s", s);
	}
	sb_printf(sb, "\n");
}

const struct ptdump_fmt arm64_ptdump = {
	/* Every mask of pte_bits[]. */
	.prot_mask = PTE_VALID | PTE_USER | PTE_RDONLY | PTE_PXN | PTE_SHARED | PTE_AF | PTE_NG | PTE_CONT | PTE_TABLE_BIT |
		     PTE_UXN | PTE_GP | PTE_ATTRINDX_MASK,
	.print_line = arm64_print_line,
	.markers = { "Linear Mapping start", "Linear Mapping end", "vmemmap start", "vmemmap end" },
};
