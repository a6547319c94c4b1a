/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pgtable-bits.h - the RISC-V page-table entry bits the model writes and
 * reads (Sv39/Sv48/Sv57: one format at every level). Kernel twins:
 * arch/riscv/include/asm/pgtable-bits.h, pgtable.h, pgtable-64.h.
 */
#ifndef MHPSIM_RISCV_PGTABLE_BITS_H
#define MHPSIM_RISCV_PGTABLE_BITS_H

#define _PAGE_PRESENT   (1ull << 0)   /* V */
#define _PAGE_READ      (1ull << 1)
#define _PAGE_WRITE     (1ull << 2)
#define _PAGE_EXEC      (1ull << 3)
#define _PAGE_USER      (1ull << 4)
#define _PAGE_GLOBAL    (1ull << 5)
#define _PAGE_ACCESSED  (1ull << 6)
#define _PAGE_DIRTY     (1ull << 7)
#define _PAGE_SOFT      (3ull << 8)
/* A pointer to the next table is V alone; any of R, W, X makes an entry a leaf. */
#define _PAGE_TABLE     _PAGE_PRESENT
#define _PAGE_LEAF      (_PAGE_READ | _PAGE_WRITE | _PAGE_EXEC)
/* The PPN sits at bit 10, up to bit 53: an entry holds PA >> 2 there. */
#define _PAGE_PFN_SHIFT 10
#define _PAGE_PFN_MASK  (((1ull << 54) - 1) & ~((1ull << _PAGE_PFN_SHIFT) - 1))
/* Svpbmt's memory types and Svnapot's N bit, shown by ptdump (never set by the paths modelled). */
#define _PAGE_MTMASK_SVPBMT (3ull << 61)
#define _PAGE_NAPOT     (1ull << 63)

/* PAGE_KERNEL: the linear map and the vmemmap, every level. */
#define _PAGE_KERNEL    (_PAGE_READ | _PAGE_WRITE | _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)

#endif
