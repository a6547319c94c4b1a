/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload.h - pages a workload allocates and frees, each with a content tag.
 */
#ifndef MHPSIM_WORKLOAD_H
#define MHPSIM_WORKLOAD_H

#include <stdint.h>
#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

/*
 * Allocates nr allocations of kind ("anon", "file", "kernel", "pgtable",
 * "hugetlb" or "pinned") preferring node nid, tagged first_tag, first_tag + 1...
 * Placement is deterministic: the lowest free block of the highest zone the
 * kind may use. -ENOMEM when memory runs out (what was allocated stays).
 */
MHP_EXPORT int mhp_workload_alloc(struct mhp_machine *m, const char *kind, int nid, uint64_t nr, uint32_t first_tag,
				  struct mhp_err *err);
/* Frees the allocations tagged first_tag .. first_tag + nr - 1 (-EBUSY at one still held by mhp_workload_hold). */
MHP_EXPORT int mhp_workload_free(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err);
/*
 * Takes one short-term reference on each page tagged first_tag .. + nr - 1,
 * as a vmsplice or an O_DIRECT transfer in flight does (no FOLL_LONGTERM): the
 * page stays where it is, even in ZONE_MOVABLE, and cannot migrate until the
 * reference is released. Anon, file, hugetlb and pinned pages only (-EINVAL
 * otherwise); -ENOENT for a tag no page holds. All pages or none.
 */
MHP_EXPORT int mhp_workload_hold(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err);
/* Drops one short-term reference from each of those pages (-EINVAL if one has none). All pages or none. */
MHP_EXPORT int mhp_workload_release(struct mhp_machine *m, uint32_t first_tag, uint64_t nr, struct mhp_err *err);
/* The pfn that holds a tag now (it moves when its page migrates). */
MHP_EXPORT int mhp_workload_where(const struct mhp_machine *m, uint32_t tag, uint64_t *pfn);

#ifdef __cplusplus
}
#endif

#endif
