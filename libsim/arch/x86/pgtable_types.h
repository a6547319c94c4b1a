/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pgtable_types.h - x86-64's descriptor bits and the values the kernel writes.
 * Kernel twin: arch/x86/include/asm/pgtable_types.h. Only arch/x86/ (and its
 * tests) include this.
 */
#ifndef MHPSIM_X86_PGTABLE_TYPES_H
#define MHPSIM_X86_PGTABLE_TYPES_H

#include "arch/pgtable.h"

#define _PAGE_PRESENT   (1ull << 0)
#define _PAGE_RW        (1ull << 1)
#define _PAGE_USER      (1ull << 2)
#define _PAGE_ACCESSED  (1ull << 5)
#define _PAGE_DIRTY     (1ull << 6)
#define _PAGE_PSE       (1ull << 7)    /* a 2M (PMD) or 1G (PUD) leaf */
#define _PAGE_GLOBAL    (1ull << 8)
#define _PAGE_NX        (1ull << 63)
#define PTE_PFN_MASK    0x000ffffffffff000ull   /* __PHYSICAL_MASK_SHIFT 52 */

/*
 * __PAGE_KERNEL and _KERNPG_TABLE as a CPU with NX and PGE and without PTI
 * leaves them (__supported_pte_mask, __default_kernel_pte_mask): QEMU's
 * qemu64 and max CPUs report AMD or no Meltdown, so PTI is off.
 */
#define X86_PAGE_KERNEL   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define X86_PAGE_KERNEL_LARGE (X86_PAGE_KERNEL | _PAGE_PSE)
#define X86_KERNPG_TABLE  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
/* What p?d_populate() links a kernel table with (asm/pgalloc.h): _PAGE_TABLE, _PAGE_USER too (the leaf decides). */
#define X86_PAGE_TABLE    (X86_KERNPG_TABLE | _PAGE_USER)

/* enum pg_level: the index of direct_pages_count[]. */
enum { PG_LEVEL_NONE, PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_512G, PG_LEVEL_NUM };

#endif
