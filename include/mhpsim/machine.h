/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * machine.h - one simulated arm64 machine: boot, inspect, hash, free.
 *
 * A machine owns all of its state (no globals), so several may live in one
 * process. All randomness comes from the seeded PRNG inside it.
 */
#ifndef MHPSIM_MACHINE_H
#define MHPSIM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <mhpsim/error.h>
#include <mhpsim/model.h>
#include <mhpsim/trace.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

struct mhp_boot_args {
	const char *cmdline;      /* NULL: the model's default command line */
	uint64_t seed;            /* seeds the machine's PRNG; 0 picks a fixed default */
	mhp_trace_sink sink;      /* optional: sees boot events too */
	void *sink_ctx;
	/*
	 * Leave out arm64's prevent_bootmem_remove_notifier (the change proposed on
	 * the arm64 list in 2020): boot memory that holds only movable pages can
	 * then go offline and be removed.
	 */
	int no_bootmem_notifier;
	int no_kernel_allocations;   /* the model file's kernel_allocations stay off (libsim/mm/slab.c) */
	/*
	 * CONFIG_ARCH_MEMORY_PROBE=y, as if the model file said so: the write-only
	 * /sys/devices/system/memory/probe. An x86 option (off in Debian); on arm64
	 * a what-if (6.12's arm64 has no such option; its 2016 RFC used it).
	 */
	int memory_probe;
	/*
	 * Host memory the machine's page tables, page runs and tag records may
	 * hold, in bytes; 0: MHP_DEFAULT_MAX_MEMORY. A page table or tag record
	 * that would pass it is refused (the kernel sees -ENOMEM) and
	 * mhp_machine_host_refused() says so; page runs that pass it are found
	 * after the step (mhp_machine_host_check()).
	 */
	uint64_t max_memory;
};

#define MHP_DEFAULT_MAX_MEMORY (1ull << 30)

/*
 * Boots the model with a kernel command line (e.g. "memhp_default_state=online").
 * Unknown words are ignored as the kernel ignores them; known ones with a bad
 * value follow the kernel too (memhp_default_state= silently keeps its default).
 * Parameters the model does not implement yet are refused with -EOPNOTSUPP.
 */
MHP_EXPORT int mhp_machine_boot(const struct mhp_model *model, const struct mhp_boot_args *args,
				struct mhp_machine **out, struct mhp_err *err);
MHP_EXPORT void mhp_machine_free(struct mhp_machine *m);
/* A loaded machine's host memory budget (mhp_boot_args.max_memory; 0: the default). */
MHP_EXPORT void mhp_machine_set_max_memory(struct mhp_machine *m, uint64_t bytes);
/*
 * The reference path (issue 19): every page operation one page at a time, as
 * the kernel does it, where the model otherwise moves runs of like pages at
 * once. Both give the same state and trace hashes after every step; tests
 * and `--pagewise` compare them.
 */
MHP_EXPORT void mhp_machine_set_pagewise(struct mhp_machine *m, bool on);
/* NULL, or why the host memory budget refused an allocation since boot (the first time). */
MHP_EXPORT const char *mhp_machine_host_refused(const struct mhp_machine *m);
/*
 * The same, after a step: also when the machine now holds more than its
 * budget (page runs are counted as they are written, never refused, so a
 * step's writes can pass it). Callers stop the run there, as on a refusal.
 */
MHP_EXPORT const char *mhp_machine_host_check(struct mhp_machine *m);

/*
 * How hot-remove tears down kernel page tables: "arm64" (the model of Linux
 * 6.12, the default), "x86-whatif" (a what-if, not 6.12's x86: tables freed
 * as they empty, one flush at the end), "generic" (one gathered free pass after a single flush), or "kernel"
 * (arch/arm64/mm/mmu.c of the kernel tree the library was built with:
 * -ENOTSUP when it was built without one). -EINVAL otherwise.
 */
MHP_EXPORT int mhp_machine_set_teardown(struct mhp_machine *m, const char *name);
/* The name of the teardown strategy m runs (a snapshot's own, when nothing set it). */
MHP_EXPORT const char *mhp_machine_teardown(const struct mhp_machine *m);
/*
 * The name of the i-th registered teardown strategy (whether built or not),
 * NULL past the last: every arch's, in arch order (arm64's first), each
 * name once.
 */
MHP_EXPORT const char *mhp_teardown_strategy_name(unsigned i);
/* 1 if this library was built with the named strategy (for an arch that has it), 0 if not, -EINVAL if there is none. */
MHP_EXPORT int mhp_teardown_strategy_built(const char *name);
/* What builds the kernel strategy into mhpsim, for the messages that say it is missing. */
#define MHP_HOW_TO_BUILD_KERNEL "bash scripts/kernel-tree.sh, then cmake -S . -B build && cmake --build build"

/*
 * The kernel's own activity around a step, as the reference lane's guest runs
 * it (its shell command, then reads of every block's sysfs files): begin takes
 * the pages its processes and per-cpu lists hold while it runs; end leaves
 * their slab and that of files looked up the first time, and gives the held
 * pages back. Nothing unless the model file has kernel_allocations and the
 * boot kept them (libsim/mm/slab.c, docs/model.md). Scenario replay calls
 * begin before and end after every step.
 */
MHP_EXPORT void mhp_machine_step_begin(struct mhp_machine *m);
MHP_EXPORT void mhp_machine_step_end(struct mhp_machine *m);

/* TLB maintenance so far: [0] range flushes (last level), [1] page-table flushes by VA, [2] full flushes. */
MHP_EXPORT void mhp_machine_tlb_flushes(const struct mhp_machine *m, uint64_t counts[3]);

/*
 * The kernel page tables' work since boot, for benchmarks: tables, the
 * teardown walkers' descriptor loads and stores (counted as the kernel's
 * arch/arm64/mm/mmu.c makes them: every READ_ONCE of an entry, the folded
 * levels' re-reads and the emptiness scans included; the "kernel" strategy
 * counts by running that code), and the TLB maintenance.
 */
struct mhp_pt_stats {
	uint64_t tables;                  /* pages holding page tables now, the PGD included */
	uint64_t allocated, freed;        /* tables */
	uint64_t desc_reads, desc_writes;
	uint64_t flush_range;             /* flush_tlb_kernel_range() calls (last level)... */
	uint64_t flush_leaf;              /* ...of which one page long: one leaf each */
	uint64_t flush_pgtable;           /* __flush_tlb_kernel_pgtable(): one table's address, every level */
	uint64_t flush_all;               /* flush_tlb_all(), and range flushes too long to do by address */
	uint64_t freed_while_cached;      /* pages freed while a cached translation or walk led to them (a hazard) */
};
MHP_EXPORT void mhp_machine_pt_stats(const struct mhp_machine *m, struct mhp_pt_stats *st);

/* Pages that hold kernel page tables now (the PGD included). */
MHP_EXPORT uint64_t mhp_pgtable_count(const struct mhp_machine *m);

/* A hash of the whole simulated state, independent of host addresses. */
MHP_EXPORT uint64_t mhp_machine_state_hash(const struct mhp_machine *m);

/* Kernel log (dmesg): lines are numbered from 0 in the order printed. */
enum mhp_loglevel {
	MHP_LOG_ERR = 3, MHP_LOG_WARN = 4, MHP_LOG_INFO = 6, MHP_LOG_DEBUG = 7,
};
MHP_EXPORT uint64_t mhp_log_count(const struct mhp_machine *m);
/* Returns the text of line seq (without newline), or NULL if it fell out of the ring. */
MHP_EXPORT const char *mhp_log_line(const struct mhp_machine *m, uint64_t seq, enum mhp_loglevel *level);

/* The message for mhp_machine_set_teardown()'s errno, naming m's arch's strategies (m NULL: the default arch's); returns ret. */
MHP_EXPORT int mhp_teardown_error(const struct mhp_machine *m, struct mhp_err *err, int ret, const char *name);

/* Migration passes an offline makes before the "signal" that ends it with -EINTR (default 1000). */
MHP_EXPORT void mhp_machine_set_offline_retries(struct mhp_machine *m, uint32_t passes);

/* A load by the CPU, through the TLB and the kernel page tables: 0, or -EFAULT where nothing maps it. */
enum mhp_touch { MHP_TOUCH_PHYS, MHP_TOUCH_STRUCT_PAGE, MHP_TOUCH_VA };
MHP_EXPORT int mhp_touch(struct mhp_machine *m, enum mhp_touch kind, uint64_t addr);

#ifdef __cplusplus
}
#endif

#endif
