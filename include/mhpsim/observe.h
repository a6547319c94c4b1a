/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * observe.h - the reference lane's observation: after a step, the files a
 * user reads on a real machine, in one canonical text that the simulator and
 * a real kernel (reference/driver.py) both produce, so they diff line by line.
 *
 * An observation is taken raw first: "@@file PATH" and the file's text, for
 * a fixed list of files, then "@@dmesg" and the log lines since the last
 * observation, then "@@end-observe" (the guest's /init prints the same). One
 * formatter turns either side's raw text into the canonical one.
 */
#ifndef MHPSIM_OBSERVE_H
#define MHPSIM_OBSERVE_H

#include <stdint.h>
#include <stdio.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

/* Writes the raw observation of m; *log_mark is the first log line not yet shown, and is advanced. */
MHP_EXPORT int mhp_observe_raw(struct mhp_machine *m, uint64_t *log_mark, FILE *out);

/*
 * Writes the canonical text of one raw observation: block size and
 * auto-online policy, each memory block's files and node, the node masks,
 * each zone's start, spanned, present and managed pages, MemTotal, the
 * memmap counters of /proc/vmstat, and the log lines with timestamps and
 * per-boot values removed. Returns 0, or -EINVAL when raw is not an observation.
 */
MHP_EXPORT int mhp_observe_format(const char *raw, size_t len, FILE *out);

/*
 * The same for the observation right after boot, whose log keeps only the
 * lines about memory that a boot on both sides prints (the rest of a real
 * boot log is not the model's business).
 */
MHP_EXPORT int mhp_observe_format_boot(const char *raw, size_t len, FILE *out);

/* What a comparison of two observation texts found, field by field (a field: one keyed line of a step). */
struct mhp_fidelity {
	unsigned equal;      /* fields the same on both sides */
	unsigned different;  /* fields that differ and no known gap explains: a fidelity bug */
	unsigned known;      /* fields that differ as a known modelling gap says */
	unsigned skipped;    /* results of steps the real guest could not take */
	unsigned departs_at; /* the first step that changes what the guest cannot (nothing after it compared), or 0 */
	char departs_why[160];
	/* The score, where a known gap counts as a difference: */
	unsigned fields;        /* fields compared: the kernel's lines and the simulator's without a pair */
	unsigned changed;       /* the kernel's fields a step changed (new or other than the step before) */
	unsigned changed_equal; /* ... of which the simulator shows the same */
	unsigned results;       /* step results compared (ok, an errno, what a read read), a known departure's too */
	unsigned results_equal; /* ... of which the same on both sides */
	int known_departure;    /* 1: departs_at comes from a known gap (the model parts there), not from the guest */
};

/*
 * Compares the kernel's observations (golden, as reference/driver.py records
 * them) with the simulator's (mhpsim run --observe), step by step. gaps (may
 * be NULL) lists known modelling gaps, one a line: "PATTERN | reason", where
 * PATTERN is a field key (MemTotal, zones/node0/DMA, virtio-mem, ...) or the
 * start of "dmesg: <log line>", for every scenario or, as "@SCENARIO PATTERN",
 * for one (its file name without .yaml); or "@SCENARIO:STEP | reason", where
 * that scenario stops being comparable at STEP. Each difference goes to
 * report (may be NULL).
 */
MHP_EXPORT int mhp_fidelity_compare(const char *golden, const char *simulated, const char *gaps, const char *scenario,
				    FILE *report, struct mhp_fidelity *res);

#ifdef __cplusplus
}
#endif

#endif
