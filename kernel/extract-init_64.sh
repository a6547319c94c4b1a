#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extracts x86-64's hot-remove page-table code, and its hot-add of the direct
# map, from a kernel tree (the "kernel" strategy on x86_64): kernel/extract.sh with its list.
#
#   kernel/extract-init_64.sh TREE OUT.c
set -eu
exec sh "$(dirname "$0")/extract.sh" "$1" arch/x86/mm/init_64.c kshim-x86.h kshim-x86-entry.h "$2" \
	free_pagetable free_hugepage_table free_pte_table free_pmd_table free_pud_table \
	remove_pte_table remove_pmd_table remove_pud_table remove_p4d_table remove_pagetable \
	vmemmap_free kernel_physical_mapping_remove \
	phys_pte_init phys_pmd_init phys_pud_init phys_p4d_init __kernel_physical_mapping_init \
	kernel_physical_mapping_init
