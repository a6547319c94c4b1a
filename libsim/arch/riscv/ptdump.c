// SPDX-License-Identifier: GPL-2.0-only
/*
 * ptdump.c - how RISC-V's kernel_page_tables reads. Kernel twin:
 * arch/riscv/mm/ptdump.c (dump_addr, dump_prot, note_page, address_markers).
 */
#include "strbuf.h"
#include "arch/ptdump.h"
#include "riscv.h"

/* The bits dump_prot() names, in its order: each shows its letter when set, dots when not. */
static const struct { uint64_t mask; const char *set, *clear; } pte_bits[] = {
	{ _PAGE_NAPOT, "N", "." },
	{ _PAGE_MTMASK_SVPBMT, "MT(?" "?)", "  ..  " },   /* never set here: NC and IO are not named */
	{ _PAGE_SOFT, "RSW(%d)", "  ..  " },
	{ _PAGE_DIRTY, "D", "." },
	{ _PAGE_ACCESSED, "A", "." },
	{ _PAGE_GLOBAL, "G", "." },
	{ _PAGE_USER, "U", "." },
	{ _PAGE_EXEC, "X", "." },
	{ _PAGE_WRITE, "W", "." },
	{ _PAGE_READ, "R", "." },
	{ _PAGE_PRESENT, "V", "." },
};

/* Models dump_addr() and dump_prot(): range, physical start, size, level, then each bit. */
static void riscv_print_line(struct strbuf *sb, uint64_t start, uint64_t end, int level, uint64_t prot, uint64_t pa)
{
	static const char *const level_names[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	static const char units[] = "KMGTPE";
	const char *unit = units;
	uint64_t delta = (end - start) >> 10;
	sb_printf(sb, "0x%016llx-0x%016llx    0x%016llx ", (unsigned long long)start, (unsigned long long)end,
		  (unsigned long long)pa);
	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	sb_printf(sb, "%9llu%c %s", (unsigned long long)delta, *unit, level_names[level]);
	for (unsigned i = 0; i < sizeof(pte_bits) / sizeof(pte_bits[0]); i++) {
		uint64_t v = prot & pte_bits[i].mask;
		if (v && pte_bits[i].mask == _PAGE_SOFT)
			sb_printf(sb, " RSW(%d)", (int)(v >> 8));
		else
			sb_printf(sb, " %s", v ? pte_bits[i].set : pte_bits[i].clear);
	}
	sb_printf(sb, "\n");
}

/*
 * RISC-V's markers around the two regions the model keeps, in address
 * order: the vmemmap, then (past vmalloc) the linear map, whose next marker
 * is the modules' (Debian's riscv64 kernel has no KASAN).
 */
const struct ptdump_fmt riscv_ptdump = {
	.prot_mask = _PAGE_NAPOT | _PAGE_MTMASK_SVPBMT | _PAGE_SOFT | 0xff,   /* pg_level[].mask: the bits above */
	.print_line = riscv_print_line,
	.markers = { "Linear mapping", "Modules/BPF mapping", "vmemmap start", "vmemmap end" },
	.mapped_only = true,
	.vmemmap_first = true,
};
