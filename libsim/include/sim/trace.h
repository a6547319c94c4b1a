/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace.h - trace events: the source of narration, JSON lines and the trace hash.
 */
#ifndef MHPSIM_SIM_TRACE_H
#define MHPSIM_SIM_TRACE_H

#include "sim/kernel.h"

struct trace_state {
	uint64_t seq;
	uint64_t hash;
	mhp_trace_sink sink;
	void *ctx;
};


struct mhp_machine;
/* A field: a number, a number shown in hex, a string (NULL: ""). Every event builds a few. */
static inline struct mhp_trace_field TF_U(const char *key, uint64_t v)
{
	return (struct mhp_trace_field){ .key = key, .num = v };
}

static inline struct mhp_trace_field TF_X(const char *key, uint64_t v)
{
	return (struct mhp_trace_field){ .key = key, .num = v, .hex = 1 };
}

/* Out of line: inlined, its NULL test would tell the compiler a caller's string might be NULL. */
struct mhp_trace_field TF_S(const char *key, const char *s);

void trace_emit(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f,
		unsigned n, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define TRACE(m, type, fields, ...) \
	trace_emit((m), (type), (fields), (unsigned)ARRAY_SIZE(fields), __VA_ARGS__)

#endif
