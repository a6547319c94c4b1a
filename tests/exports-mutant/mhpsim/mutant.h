/* SPDX-License-Identifier: GPL-2.0-only */
/* The public header of the mutant libraries tests/exports.sh must refuse. */
#ifndef MHPSIM_MUTANT_H
#define MHPSIM_MUTANT_H

int mhp_mutant_first(void);
int mhp_mutant_second(void);

#endif
