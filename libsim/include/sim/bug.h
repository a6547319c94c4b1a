/*
 * bug.h - MHP_ASSERT: invariants that hold in every build, release too.
 * Kernel twin: include/asm-generic/bug.h (BUG_ON).
 */
#ifndef MHPSIM_SIM_BUG_H
#define MHPSIM_SIM_BUG_H

#include <assert.h>

#define MHP_ASSERT(cond) assert(cond)

#endif
