#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extracts arm64's hot-add of the linear map from a kernel tree (the "kernel"
# strategy's add side): kernel/extract.sh with its list. A tree without
# init_clear_pgtable() and alloc_init_p4d() (6.1) lacks some of them and
# kernel/extract.sh fails naming each; the build then leaves the add side to
# the model (libsim/CMakeLists.txt checks first).
#
#   kernel/extract-mmu-add.sh TREE OUT.c
# Trees after 6.12 (with bfc184cb1ba7) have the allocator arch_add_memory()
# passes in two more functions, and two helpers of the contiguous hint.
set -eu
later=""
if grep -q '^pgd_pgtable_alloc_init_mm_gfp(' "$1/arch/arm64/mm/mmu.c"; then
	later="pgd_pgtable_alloc_init_mm_gfp pgd_pgtable_alloc_init_mm pte_range_has_valid_noncont pmd_range_has_valid_noncont"
fi
exec sh "$(dirname "$0")/extract.sh" "$1" arch/arm64/mm/mmu.c kshim-add.h kshim-add-entry.h "$2" \
	pgattr_change_is_safe init_clear_pgtable init_pte alloc_init_cont_pte init_pmd alloc_init_cont_pmd \
	alloc_init_pud alloc_init_p4d __create_pgd_mapping_locked __create_pgd_mapping __pgd_pgtable_alloc \
	pud_set_huge pmd_set_huge $later
