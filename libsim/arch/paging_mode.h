/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * paging_mode.h - the kernel's run-time paging modes (x86-64's LA57,
 * RISC-V's Sv48 and Sv57) under their kernel names, for the arches that
 * choose one at boot: as many levels as the model's va_bits give. Apart
 * from pgtable.h, because the kernel shims define the same names.
 */
#ifndef MHPSIM_ARCH_PAGING_MODE_H
#define MHPSIM_ARCH_PAGING_MODE_H

#include <stdbool.h>

struct mhp_machine;
bool pgtable_l4_enabled(const struct mhp_machine *m);
bool pgtable_l5_enabled(const struct mhp_machine *m);

#endif
