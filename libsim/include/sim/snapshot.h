/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * snapshot.h - a machine as bytes and back; extra is the caller's own state (the fuzzer's generator).
 */
#ifndef MHPSIM_SIM_SNAPSHOT_H
#define MHPSIM_SIM_SNAPSHOT_H

#include "sim/machine.h"

int snapshot_encode(const struct mhp_machine *m, const void *extra, size_t extra_len, uint8_t **buf, size_t *len,
		    struct mhp_err *err);
int snapshot_decode(const uint8_t *buf, size_t len, const char *name, mhp_trace_sink sink, void *ctx,
		    struct mhp_machine **out, void *extra, size_t extra_cap, size_t *extra_len, struct mhp_err *err);
int snapshot_write_file(const char *path, const uint8_t *buf, size_t len, struct mhp_err *err);
int snapshot_read_file(const char *path, uint8_t **buf, size_t *len, struct mhp_err *err);

#endif
