#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extracts the population of the vmemmap at hot-add (the "kernel" strategy's,
# on arm64): arm64's vmemmap_populate() with its vmemmap_check_pmd() and
# vmemmap_set_pmd() from arch/arm64/mm/mmu.c, and the generic walk they call
# from mm/sparse-vmemmap.c (the base-page and 2 MiB paths, one page of struct
# pages per PTE). The table levels above the PTEs (vmemmap_p?d_populate) and
# the page allocator are the shim's (kshim-vmemmap.h).
#
#   kernel/extract-vmemmap.sh TREE OUT.c
set -eu
here=$(dirname "$0")
sh "$here/extract.sh" "$1" arch/arm64/mm/mmu.c kshim-vmemmap.h - "$2.arch" \
	vmemmap_set_pmd vmemmap_check_pmd vmemmap_populate
sh "$here/extract.sh" "$1" mm/sparse-vmemmap.c kshim-vmemmap.h kshim-vmemmap-entry.h "$2.generic" \
	vmemmap_verify vmemmap_pte_populate vmemmap_populate_address vmemmap_populate_range \
	vmemmap_populate_basepages vmemmap_populate_hugepages
cat "$2.arch" "$2.generic" > "$2.tmp"
rm -f "$2.arch" "$2.generic"
mv "$2.tmp" "$2"
