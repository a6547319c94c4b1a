/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * step.h - one scenario step, and the table that says, per kind of step, how
 * it is parsed, run, described, translated for the reference lane and written
 * back as YAML. Scenarios and the fuzzer both speak this one vocabulary.
 */
#ifndef MHPSIM_STEP_H
#define MHPSIM_STEP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "inspect.h"
#include "strbuf.h"
#include "util.h"
#include "yamltree.h"

#define STEP_MAX_KV 8
#define STEP_BUF_MAX (4u << 20)
#define EXPECT_ANY 1   /* expect_err value meaning "do not check" */

/* Indexes step_table: a new kind is a name here and a row there. */
enum step_kind {
	STEP_SAY, STEP_READ, STEP_WRITE, STEP_LIST, STEP_READLINK, STEP_ADD, STEP_REMOVE,
	STEP_ZONEINFO, STEP_MEMINFO, STEP_VMSTAT, STEP_TOUCH, STEP_PAGETABLES, STEP_FAIL_ALLOC,
	STEP_ALLOC, STEP_FREE, STEP_WHERE, STEP_RETRIES, STEP_MODPROBE, STEP_RMMOD, STEP_VIRTIO_MEM, STEP_HOLD, STEP_RELEASE,
	STEP_FAILSLAB, STEP_MEMREMAP, STEP_MEMUNMAP, NR_STEP_KINDS,
};

enum { TOUCH_PHYS = MHP_TOUCH_PHYS, TOUCH_STRUCT_PAGE = MHP_TOUCH_STRUCT_PAGE, TOUCH_VA = MHP_TOUCH_VA };
enum { DRIVER_ACPI, DRIVER_VIRTIO_MEM, DRIVER_DAX_KMEM };

/* What a step's 'expect' key holds: nothing, an errno name, a file's text, or directory entries. */
enum step_expect { EXPECT_NONE, EXPECT_ERRNO, EXPECT_TEXT, EXPECT_LIST };

struct kv {
	char key[32];
	uint64_t value;
	unsigned line, col;
};

struct step {
	enum step_kind kind;
	unsigned line, col;
	char *path;             /* read, write, list, readlink */
	char *text;             /* say: narration; write: value; read/readlink: expected text */
	int expect_err;         /* 0 ok, -errno, or EXPECT_ANY */
	char **list;            /* list: expected names */
	unsigned nlist;
	char **log;             /* expected kernel log lines, in order */
	unsigned nlog;
	bool has_log, has_text;
	bool newline;           /* write: append "\n" as echo does (default) */
	char violates[24];      /* the invariant this (last) step must break: a kernel bug shown */
	uint64_t start, size;
	int nid, zone;
	int driver;             /* add_memory: DRIVER_*, which names the resource */
	int touch_kind;         /* touch: TOUCH_PHYS, TOUCH_STRUCT_PAGE, TOUCH_VA */
	unsigned flags;         /* add_memory: MHP_* */
	unsigned interval;      /* fail_alloc: fault-inject's interval (1: consecutive failures) */
	char kind_name[40];     /* alloc: the workload kind; modprobe/rmmod: the module */
	int zone_expect, block_expect, not_block;   /* where: -1 when not checked */
	struct kv kv[STEP_MAX_KV];
	unsigned nkv;
};

struct step_parse {
	const struct ydoc *doc;
	struct mhp_err *err;
};

/* What a step runs on. A check's failure sets failed and err: "file:line:col: step N (kind): what". */
struct step_env {
	struct mhp_machine *m;
	struct mhp_err op_err;  /* the action's own error message */
	struct mhp_err *err;
	bool failed;
	const char *file;
	unsigned step;          /* 1-based */
	char *buf;              /* STEP_BUF_MAX bytes for what a check reads; the fuzzer checks nothing */
	FILE *narrate;          /* or NULL: what a read read, as a reader at the shell sees it */
	FILE *json;             /* or NULL: what a read or list read, as a "read" JSON line */
};

/* What the reference lane's translator remembers across steps: the device's plugged size and the workload's files. */
struct reference_state {
	struct inspect_range vm;        /* the virtio-mem region the guest plugs through */
	uint64_t plugged;
	uint64_t boot_ram, page_size, filled;   /* bytes: what the guest has, and what its tmpfs holds */
	unsigned nfiles;
	struct { uint64_t tag, pages; } files[64];
};

struct step_ops {
	const char *word;
	const char *const *keys;     /* the step's keys, its word first */
	const char *const *fields;   /* the keys of the action's own map, or NULL */
	enum step_expect expect;     /* EXPECT_ERRNO: run's result is an action's, traced and checked */
	int (*parse)(const struct step_parse *c, const struct ynode *n, const struct ynode *action, struct step *st);
	/* The action's errno; a check fails the step through env instead. */
	int (*run)(struct step_env *env, const struct step *st);
	/* Read kinds: how the file is read, for the check and for observation. */
	ssize_t (*read)(struct mhp_machine *m, const char *path, char *buf, size_t cap);
	void (*describe)(const struct step *st, char *buf, size_t cap);
	/* The reference lane's line: a translation, or else a fixed "skip ..."/"depart ..." (NULL: not mapped). */
	void (*reference)(const struct step *st, struct reference_state *rs, FILE *out);
	const char *reference_says;
	/* The action's lines of scenario YAML; step_write adds expect, log and violates. */
	void (*write)(FILE *f, const struct step *st);
};

extern const struct step_ops step_table[NR_STEP_KINDS];
extern const char *const step_driver_words[];
extern const char *const step_driver_resources[];
extern const char *const step_workload_kinds[];
extern const char *const step_zone_words[];

int step_parse(const struct step_parse *c, const struct ynode *n, struct step *st);
void step_free(struct step *st);
void step_describe(const struct step *st, char *buf, size_t cap);
void step_write(FILE *f, const struct step *st);
int step_fail_at(struct step_env *env, const struct step *st, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same with a va_list: scenario.c's own failures read exactly like a step's. */
int step_vfail_at(struct step_env *env, const struct step *st, unsigned line, unsigned col, const char *fmt,
		  va_list ap) __attribute__((format(printf, 5, 0)));
void reference_step(const struct step *st, struct reference_state *rs, FILE *out);

/* The run and reference functions of the rows (step_run.c, reference_steps.c). */
int step_run_nothing(struct step_env *env, const struct step *st);
int step_run_read(struct step_env *env, const struct step *st);
int step_run_list(struct step_env *env, const struct step *st);
int step_run_write(struct step_env *env, const struct step *st);
int step_run_add(struct step_env *env, const struct step *st);
int step_run_remove(struct step_env *env, const struct step *st);
int step_run_memremap(struct step_env *env, const struct step *st);
int step_run_memunmap(struct step_env *env, const struct step *st);
int step_run_counters(struct step_env *env, const struct step *st);
int step_run_touch(struct step_env *env, const struct step *st);
int step_run_pagetables(struct step_env *env, const struct step *st);
int step_run_fail_alloc(struct step_env *env, const struct step *st);
int step_run_alloc(struct step_env *env, const struct step *st);
int step_run_free(struct step_env *env, const struct step *st);
int step_run_hold(struct step_env *env, const struct step *st);
int step_run_release(struct step_env *env, const struct step *st);
int step_run_where(struct step_env *env, const struct step *st);
int step_run_retries(struct step_env *env, const struct step *st);
int step_run_modprobe(struct step_env *env, const struct step *st);
int step_run_rmmod(struct step_env *env, const struct step *st);
int step_run_virtio_mem(struct step_env *env, const struct step *st);

void reference_write(const struct step *st, struct reference_state *rs, FILE *out);
void reference_read(const struct step *st, struct reference_state *rs, FILE *out);
void reference_alloc(const struct step *st, struct reference_state *rs, FILE *out);
void reference_free(const struct step *st, struct reference_state *rs, FILE *out);
void reference_virtio_mem(const struct step *st, struct reference_state *rs, FILE *out);
void reference_add(const struct step *st, struct reference_state *rs, FILE *out);
void reference_remove(const struct step *st, struct reference_state *rs, FILE *out);

#endif
