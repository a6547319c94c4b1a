/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pgtable-hwdef.h - arm64's descriptor bits and the values the kernel writes.
 * Kernel twins: arch/arm64/include/asm/pgtable-hwdef.h, asm/pgtable-prot.h.
 * Only arch/arm64/ (and tests of it) include this.
 */
#ifndef MHPSIM_ARM64_PGTABLE_HWDEF_H
#define MHPSIM_ARM64_PGTABLE_HWDEF_H

#include "arch/pgtable.h"

/* Descriptor bits (pgtable-hwdef.h). */
#define PTE_VALID        (1ull << 0)
#define PTE_TABLE_BIT    (1ull << 1)   /* table (upper levels) or page (last level) */
#define PTE_ATTRINDX(t)  ((uint64_t)(t) << 2)
#define PTE_ATTRINDX_MASK (7ull << 2)
#define PTE_USER         (1ull << 6)
#define PTE_RDONLY       (1ull << 7)
#define PTE_SHARED       (3ull << 8)
#define PTE_AF           (1ull << 10)
#define PTE_NG           (1ull << 11)
#define PTE_GP           (1ull << 50)
#define PTE_WRITE        (1ull << 51)  /* DBM */
#define PTE_CONT         (1ull << 52)
#define PTE_PXN          (1ull << 53)
#define PTE_UXN          (1ull << 54)
#define PTE_DIRTY        (1ull << 55)
#define PMD_TABLE_PXN    (1ull << 59)
#define PMD_TABLE_UXN    (1ull << 60)

/* Memory types (AttrIndx), asm/memory.h. */
enum { MT_NORMAL = 0, MT_NORMAL_TAGGED = 1, MT_NORMAL_NC = 2, MT_DEVICE_nGnRnE = 3, MT_DEVICE_nGnRE = 4 };

/* The values the kernel writes (asm/pgtable-prot.h, 4K without LPA2 or KPTI). */
#define PROT_NORMAL_BITS  (PTE_VALID | PTE_TABLE_BIT | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_WRITE)
#define PAGE_KERNEL_BITS  (PROT_NORMAL_BITS | PTE_DIRTY | PTE_ATTRINDX(MT_NORMAL))
#define PAGE_KERNEL_TAGGED_BITS (PROT_NORMAL_BITS | PTE_DIRTY | PTE_ATTRINDX(MT_NORMAL_TAGGED))
#define PROT_SECT_NORMAL_BITS (PTE_VALID | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_NORMAL))
#define LINEAR_TABLE_BITS (PTE_VALID | PTE_TABLE_BIT | PMD_TABLE_UXN | PMD_TABLE_PXN)
#define VMEMMAP_TABLE_BITS (PTE_VALID | PTE_TABLE_BIT | PMD_TABLE_UXN)

int pt_geom_init(struct mhp_machine *m, struct mhp_err *err);

#endif
