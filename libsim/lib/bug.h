/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bug.h - MHP_ASSERT: invariants that hold in every build, release included
 * (TigerBeetle's habit). A broken one is a bug of the model, never of the
 * input: it names itself on stderr and aborts. Kernel twin: BUG_ON() of
 * include/asm-generic/bug.h.
 */
#ifndef MHPSIM_LIB_BUG_H
#define MHPSIM_LIB_BUG_H

_Noreturn void mhp_assert_fail(const char *cond, const char *file, int line, const char *func);

#define MHP_ASSERT(cond)                                                           \
	do {                                                                       \
		if (__builtin_expect(!(cond), 0))                                  \
			mhp_assert_fail(#cond, __FILE__, __LINE__, __func__);       \
	} while (0)

#endif
