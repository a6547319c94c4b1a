// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump_pagetables.c - how x86's kernel_page_tables reads. Kernel twin:
 * arch/x86/mm/dump_pagetables.c (printk_prot, note_page, address_markers).
 */
#include "strbuf.h"
#include "arch/ptdump.h"
#include "x86.h"

#define _PAGE_PWT (1ull << 3)
#define _PAGE_PCD (1ull << 4)
#define _PAGE_PAT (1ull << 7)          /* at the PTE level bit 7 is PAT, not PSE */
#define _PAGE_PAT_LARGE (1ull << 12)
#define PTE_FLAGS_MASK (~PTE_PFN_MASK)

/* Models printk_prot(), with the range and size note_page() puts before it. */
static void x86_print_line(struct strbuf *sb, uint64_t start, uint64_t end, int level, uint64_t pr, uint64_t pa)
{
	static const char *const level_name[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	static const char units[] = "BKMGTPE";
	(void)pa;   /* the line shows no physical address */
	const char *unit = units;
	uint64_t delta = end - start;
	sb_printf(sb, "0x%016llx-0x%016llx   ", (unsigned long long)start, (unsigned long long)end);
	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	sb_printf(sb, "%9llu%c ", (unsigned long long)delta, *unit);
	if (!(pr & _PAGE_PRESENT)) {
		sb_printf(sb, "                              ");
	} else {
		sb_printf(sb, "%s", pr & _PAGE_USER ? "USR " : "    ");
		sb_printf(sb, "%s", pr & _PAGE_RW ? "RW " : "ro ");
		sb_printf(sb, "%s", pr & _PAGE_PWT ? "PWT " : "    ");
		sb_printf(sb, "%s", pr & _PAGE_PCD ? "PCD " : "    ");
		sb_printf(sb, "%s", level <= 3 && (pr & _PAGE_PSE) ? "PSE " : "    ");
		bool pat = (level == 4 && (pr & _PAGE_PAT)) || ((level == 3 || level == 2) && (pr & _PAGE_PAT_LARGE));
		sb_printf(sb, "%s", pat ? "PAT " : "    ");
		sb_printf(sb, "%s", pr & _PAGE_GLOBAL ? "GLB " : "    ");
		sb_printf(sb, "%s", pr & _PAGE_NX ? "NX " : "x  ");
	}
	sb_printf(sb, "%s\n", level_name[level]);
}

/*
 * x86's markers around the two regions the model keeps: the direct map
 * ("Low Kernel Mapping", up to vmalloc) and the vmemmap ("Vmemmap", up to
 * the next marker, which the model puts at the vmemmap's end).
 */
const struct ptdump_fmt x86_ptdump = {
	.prot_mask = PTE_FLAGS_MASK,
	.print_line = x86_print_line,
	.markers = { "Low Kernel Mapping", "vmalloc() Area", "Vmemmap", "CPU entry Area" },
};
