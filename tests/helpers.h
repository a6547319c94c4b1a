/* SPDX-License-Identifier: GPL-2.0-only */
/* helpers.h - shared test fixtures: boot a model from models/, read and write files. */
#ifndef MHPSIM_TEST_HELPERS_H
#define MHPSIM_TEST_HELPERS_H

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

/* Boots models/<name>.yaml with cmdline (NULL: the model's own); fails the test on error. */
struct mhp_machine *boot_model(const char *name, const char *cmdline);
struct mhp_machine *boot_model_args(const char *name, const struct mhp_boot_args *args);
/* Reads a file; returns a static buffer (valid until the next call). */
const char *sysfs_read(struct mhp_machine *m, const char *path);
/* Writes value as echo does (with a newline); returns 0 or -errno. */
int sysfs_write(struct mhp_machine *m, const char *path, const char *value);
/* Adds [start, start+size) on node 0 as virtio-mem does; asserts success. */
void add_virtio_mem(struct mhp_machine *m, uint64_t start, uint64_t size);
/* One value of /proc/zoneinfo for a zone of node 0 ("spanned", "present", ...). */
uint64_t zoneinfo_value(struct mhp_machine *m, const char *zone, const char *key);
/* The last kernel log line. */
const char *last_log(struct mhp_machine *m);
/*
 * What a reader of the machine sees, as one text: /proc/iomem, meminfo,
 * zoneinfo, vmstat, kernel_page_tables, the block size and the page-table
 * count, each under its name (malloc'd: the caller frees it).
 */
char *observable_state(struct mhp_machine *m);
/* The names of observable_state()'s parts that differ between a and b, comma separated ("" when none). */
void observable_diff(const char *a, const char *b, char *out, size_t cap);
/* Path of a file in the source tree. */
const char *src_path(const char *rel);

#endif
