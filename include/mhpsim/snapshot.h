/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * snapshot.h - save a whole machine to a file and load it back.
 *
 * A loaded machine continues exactly where the saved one stopped: the same
 * state hash, the same trace sequence and trace hash, the same PRNG, so the
 * same operations give the same bytes. Snapshots are versioned and
 * checksummed; a corrupt, truncated or inconsistent one is refused with
 * -EBADMSG and a message naming what is wrong.
 */
#ifndef MHPSIM_SNAPSHOT_H
#define MHPSIM_SNAPSHOT_H

#include <stddef.h>
#include <mhpsim/error.h>
#include <mhpsim/trace.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

/* Saves between operations (never from inside a trace sink). */
MHP_EXPORT int mhp_machine_save(const struct mhp_machine *m, const char *path, struct mhp_err *err);
/* The same bytes in memory; free *buf with free(). */
MHP_EXPORT int mhp_machine_save_buffer(const struct mhp_machine *m, void **buf, size_t *len, struct mhp_err *err);

/* Loads a snapshot; sink (may be NULL) sees the trace events that follow. */
MHP_EXPORT int mhp_machine_load(const char *path, mhp_trace_sink sink, void *ctx, struct mhp_machine **out,
				struct mhp_err *err);
/* name is what error messages call the buffer (NULL: "snapshot"). */
MHP_EXPORT int mhp_machine_load_buffer(const void *buf, size_t len, const char *name, mhp_trace_sink sink, void *ctx,
				       struct mhp_machine **out, struct mhp_err *err);

#ifdef __cplusplus
}
#endif

#endif
