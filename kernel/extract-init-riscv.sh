#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extracts RISC-V's hot-add and hot-remove page-table code from a kernel tree
# (the "kernel" strategy on riscv64): kernel/extract.sh with its list. The
# add side is the linear map's (create_linear_mapping_range and the
# create_*_mapping levels); the late pt_ops are the shim's.
# 6.12 has them; on a tree from before RISC-V hot-remove (6.1) they are
# missing and kernel/extract.sh fails naming each of them.
#
#   kernel/extract-init-riscv.sh TREE OUT.c
set -eu
exec sh "$(dirname "$0")/extract.sh" "$1" arch/riscv/mm/init.c kshim-riscv.h kshim-riscv-entry.h "$2" \
	create_pte_mapping create_pmd_mapping create_pud_mapping create_p4d_mapping create_pgd_mapping \
	best_map_size create_linear_mapping_range \
	free_pte_table free_pmd_table free_pud_table free_vmemmap_storage \
	remove_pte_mapping remove_pmd_mapping remove_pud_mapping remove_p4d_mapping remove_pgd_mapping \
	remove_linear_mapping vmemmap_free
