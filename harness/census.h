/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * census.h - the simulator's page census (harness/census.c), in the format of
 * the reference lane's (reference/census.c), for `mhpsim run --census`.
 */
#ifndef MHPSIM_HARNESS_CENSUS_H
#define MHPSIM_HARNESS_CENSUS_H

#include <stdio.h>

struct mhp_machine;

/* Every memory block's pages by kind and its pageblock letters, then each populated zone's pageblocks by type. */
void harness_census(const struct mhp_machine *m, FILE *out);

#endif
