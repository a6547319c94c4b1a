#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extracts the arm64 hot-remove page-table code from a kernel tree (the
# "kernel" teardown strategy on arm64): kernel/extract.sh with its list.
#
#   kernel/extract-mmu.sh TREE OUT.c
set -eu
exec sh "$(dirname "$0")/extract.sh" "$1" arch/arm64/mm/mmu.c kshim.h kshim-entry.h "$2" \
	free_hotplug_page_range free_hotplug_pgtable_page pgtable_range_aligned \
	unmap_hotplug_pte_range unmap_hotplug_pmd_range unmap_hotplug_pud_range \
	unmap_hotplug_p4d_range unmap_hotplug_range free_empty_pte_table \
	free_empty_pmd_table free_empty_pud_table free_empty_p4d_table \
	free_empty_tables vmemmap_free __remove_pgd_mapping
