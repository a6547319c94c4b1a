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

struct mhp_machine;

/* Writes the raw observation of m; *log_mark is the first log line not yet shown, and is advanced. */
int mhp_observe_raw(struct mhp_machine *m, uint64_t *log_mark, FILE *out);

/*
 * Writes the canonical text of one raw observation: block size and
 * auto-online policy, each memory block's files and node, the node masks,
 * each zone's start, spanned, present and managed pages, MemTotal, the
 * memmap counters of /proc/vmstat, and the log lines with timestamps and
 * per-boot values removed. Returns 0, or -EINVAL when raw is not an observation.
 */
int mhp_observe_format(const char *raw, size_t len, FILE *out);

/*
 * The same for the observation right after boot, whose log keeps only the
 * lines about memory that a boot on both sides prints (the rest of a real
 * boot log is not the model's business).
 */
int mhp_observe_format_boot(const char *raw, size_t len, FILE *out);

#endif
