/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * testing.h - deliberately broken variants (mutants) of the model.
 *
 * A mutant is a known bug switched on at run time. Tests turn one on and show
 * that a named invariant catches it: the proof that the checks can fail.
 */
#ifndef MHPSIM_TESTING_H
#define MHPSIM_TESTING_H

#include <stddef.h>
#include <stdint.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

struct mhp_mutant {
	const char *name;        /* "offline-keeps-section-online" */
	const char *breaks;      /* what it gets wrong */
	const char *caught_by;   /* the invariant id expected to catch it */
};

MHP_EXPORT size_t mhp_mutant_count(void);
MHP_EXPORT const struct mhp_mutant *mhp_mutant_get(size_t i);
/* What /proc/kpageflags (KPF_* bits) and /proc/kpagecount would show of a page of the model. */
MHP_EXPORT void mhp_testing_kpageflags(const struct mhp_machine *m, uint64_t pfn, uint64_t *flags, uint64_t *count);
/* Fault injection: page allocations nth .. nth+count-1 from now fail with -ENOMEM (nth 0: none). */
MHP_EXPORT void mhp_machine_fail_alloc(struct mhp_machine *m, unsigned nth, unsigned count);
/* fault-inject's times = -1: no limit to the failures */
#define MHP_FAIL_ALLOC_UNLIMITED 0xffffffffu
/*
 * Fault injection as fault-inject's interval and times: the nth page
 * allocation from now fails, then every interval-th after it (interval 1:
 * each one), times failures in all (MHP_FAIL_ALLOC_UNLIMITED: for good).
 */
MHP_EXPORT void mhp_machine_fail_alloc_every(struct mhp_machine *m, unsigned nth, unsigned interval, unsigned times);
/*
 * The same for the slab objects the hotplug paths allocate (the kernel's
 * failslab): __request_region()'s resource, add_memory_block()'s memory block.
 */
MHP_EXPORT void mhp_machine_failslab(struct mhp_machine *m, unsigned nth, unsigned interval, unsigned times);
/*
 * The buddy's free lists (every zone, order and type, each block) as one hash:
 * what the state hash leaves out and the page-run paths rearrange, so that
 * the pagewise differential compares it too. Cost: the blocks listed.
 */
MHP_EXPORT uint64_t mhp_testing_free_lists_hash(const struct mhp_machine *m);
/* The host bytes the memory budget counts (mhp_machine_host_check()): page tables, page runs, tag records. */
MHP_EXPORT uint64_t mhp_testing_host_bytes(const struct mhp_machine *m);

/* Switches a mutant on (NULL: none). Returns -EINVAL for an unknown name. */
MHP_EXPORT int mhp_machine_set_mutant(struct mhp_machine *m, const char *name);

/*
 * For benchmarks of the page-table free path alone: tears down the linear map
 * of [start, start + size), memory the machine added, as arch_remove_memory()'s
 * __remove_pgd_mapping() does (x86: kernel_physical_mapping_remove()), with the machine's teardown strategy, and
 * nothing else. The machine is then half way through a removal: only
 * mhp_machine_pt_stats() and mhp_machine_free() may follow. -EINVAL unless the
 * range is whole present sections.
 */
MHP_EXPORT int mhp_bench_remove_pgd_mapping(struct mhp_machine *m, uint64_t start, uint64_t size);

#ifdef __cplusplus
}
#endif

#endif
