/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace.h - one event per meaningful action of the model.
 *
 * Events are the source of the narrated trace, the JSON lines and the trace
 * hash. A sink receives each event as it happens.
 */
#ifndef MHPSIM_TRACE_H
#define MHPSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

#define MHP_TRACE_MAX_FIELDS 8

struct mhp_trace_field {
	const char *key;
	const char *str;    /* non-NULL for a string field */
	uint64_t num;       /* otherwise a number */
	int hex;            /* print num in hex */
};

struct mhp_trace_event {
	uint64_t seq;                 /* 0, 1, 2... per machine */
	const char *type;             /* "zone_span_grow" */
	const char *text;             /* one narrated sentence */
	unsigned nfields;
	struct mhp_trace_field fields[MHP_TRACE_MAX_FIELDS];
};

typedef void (*mhp_trace_sink)(const struct mhp_trace_event *ev, void *ctx);

MHP_EXPORT void mhp_trace_set_sink(struct mhp_machine *m, mhp_trace_sink sink, void *ctx);
/* Hash of every event emitted so far: type, fields and the text's format, in order. */
MHP_EXPORT uint64_t mhp_trace_hash(const struct mhp_machine *m);
/*
 * The Linux 6.12 function an event's model mirrors, with its file, for a
 * reader with the source open ("online_pages() mm/memory_hotplug.c"); NULL
 * for the simulator's own events (steps, workloads, TLB fills).
 */
MHP_EXPORT const char *mhp_trace_kernel_function(const struct mhp_trace_event *ev);
/* The same for an event of machine m: its arch's own function where the arch's code differs (x86's teardown). */
MHP_EXPORT const char *mhp_machine_trace_function(const struct mhp_machine *m, const struct mhp_trace_event *ev);
/* Formats one event as a JSON object (no newline). Returns the length. */
MHP_EXPORT int mhp_trace_format_json(const struct mhp_trace_event *ev, char *buf, size_t cap);

/* An event of the caller's own (a scenario's step), into the machine's trace and its hash. */
MHP_EXPORT void mhp_trace_emit(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f, unsigned n,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#ifdef __cplusplus
}
#endif

#endif
