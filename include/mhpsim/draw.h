/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * draw.h - pictures of a machine, as SVG, for teaching and reports: the
 * physical memory map, the page-table tree of a range before and after a
 * change, and zone spans over the steps of a scenario. Every picture is
 * bounded in size, whatever the machine holds: long runs are drawn once,
 * with their count.
 */
#ifndef MHPSIM_DRAW_H
#define MHPSIM_DRAW_H

#include <stdint.h>
#include <stdio.h>

#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

/*
 * The physical memory map: per node, each memory block (boot and hot-added)
 * by state and zone, and the hot-pluggable regions that hold nothing yet.
 */
MHP_EXPORT int mhp_draw_memory_map(const struct mhp_machine *m, const char *title, FILE *out);

/* The page tables under a range of kernel virtual addresses, kept to be drawn later. */
struct mhp_pt_capture;
MHP_EXPORT int mhp_pt_capture(const struct mhp_machine *m, uint64_t va_start, uint64_t va_end,
			      struct mhp_pt_capture **out, struct mhp_err *err);
MHP_EXPORT void mhp_pt_capture_free(struct mhp_pt_capture *c);
/* The kernel virtual address at which the linear map maps physical address pa. */
MHP_EXPORT uint64_t mhp_linear_map_va(const struct mhp_machine *m, uint64_t pa);
/* The linear map of all the model can hold, boot RAM and hot-pluggable regions: [*lo, *hi). */
MHP_EXPORT void mhp_draw_linear_span(const struct mhp_machine *m, uint64_t *lo, uint64_t *hi);
/*
 * The tree of tables in before and after (captures of the same range):
 * tables in both, tables freed (only before), tables allocated (only after).
 */
MHP_EXPORT int mhp_draw_pgtables(const struct mhp_pt_capture *before, const struct mhp_pt_capture *after,
				 const char *title, FILE *out);

/* Each zone's span and present pages after each step. */
struct mhp_zone_history;
MHP_EXPORT struct mhp_zone_history *mhp_zone_history_new(void);
/* Records the machine's zones as they are after step (0: boot). -ENOSPC past 4096 samples. */
MHP_EXPORT int mhp_zone_history_add(struct mhp_zone_history *h, const struct mhp_machine *m, unsigned step);
MHP_EXPORT void mhp_zone_history_free(struct mhp_zone_history *h);
MHP_EXPORT int mhp_draw_zone_history(const struct mhp_zone_history *h, const char *title, FILE *out);

#ifdef __cplusplus
}
#endif

#endif
