/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * util.h - what every layer may use, the harness too: error reports, the
 * hash, bounded file I/O (util.c). Nothing here knows the model.
 */
#ifndef MHPSIM_LIB_UTIL_H
#define MHPSIM_LIB_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <mhpsim/error.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Sets out to how many of n elements lead for which pred holds: pred is an
 * expression of index k that holds for a prefix (a lower bound). While more
 * than PARTITION_BRANCHY elements are left a step is a branch, which the CPU
 * predicts and loads ahead of (a walk in order over a free list of millions
 * of blocks, 16 TiB online, does both); the last steps, inside a few cache
 * lines, are conditional moves (a ternary of two values): searched keys the
 * fuzz makes up at random would cost a misprediction a step.
 */
#define PARTITION_BRANCHY 256
#define PARTITION_POINT(out, n, k, pred)                                               \
	do {                                                                           \
		uint64_t pp_base_ = 0, pp_len_ = (n), pp_end_ = pp_len_;               \
		while (pp_end_ - pp_base_ > PARTITION_BRANCHY) {                       \
			uint64_t k = pp_base_ + (pp_end_ - pp_base_) / 2;              \
			if (pred)                                                      \
				pp_base_ = k + 1;                                      \
			else                                                           \
				pp_end_ = k;                                           \
		}                                                                      \
		pp_len_ = pp_end_ - pp_base_;                                          \
		for (; pp_len_ > 1; pp_len_ -= pp_len_ / 2) {                          \
			uint64_t k = pp_base_ + pp_len_ / 2 - 1;                       \
			pp_base_ += (pred) ? pp_len_ / 2 : 0;                          \
		}                                                                      \
		if (pp_len_) {                                                         \
			uint64_t k = pp_base_;                                         \
			pp_base_ += !!(pred);                                          \
		}                                                                      \
		(out) = pp_base_;                                                      \
	} while (0)

int mhp_err_set(struct mhp_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

uint64_t fnv1a64(uint64_t h, const void *data, size_t len);
/* fnv1a64() over n zero bytes, in O(log n): free pages and empty entries cost nothing per byte. */
uint64_t fnv1a64_zeros(uint64_t h, uint64_t n);
/* fnv1a64() of four strings of len bytes at once, each from its own h[i]: the same hashes, in about a quarter of the time. */
void fnv1a64_x4(uint64_t h[4], const void *const data[4], size_t len);
#define FNV1A64_INIT 0xcbf29ce484222325ull

/* A whole regular file of at most max bytes ("what" names it in the error: "a snapshot"). */
int read_file_bounded(const char *path, uint64_t max, const char *what, uint8_t **buf, size_t *len,
		      struct mhp_err *err);
int write_file(const char *path, const uint8_t *buf, size_t len, struct mhp_err *err);

#define MODELS_PATH_MAX 7
#define MODELS_DIR_LEN 1024
/*
 * Where models/NAME.yaml is looked for, in order: models_dir (when given);
 * near/../models (a scenario's own tree, when near is given); $MHPSIM_MODELS;
 * ./models; the installed data directory; the ones beside the running
 * program's bin/ and the library's lib/ (an installed tree that was moved).
 * Returns how many.
 */
unsigned models_search_path(const char *models_dir, const char *near, char (*dirs)[MODELS_DIR_LEN]);
/* The first dirs[i]/NAME.yaml that can be read, in path; else -ENOENT with the places looked at in err. */
int models_find(const char *name, const char *models_dir, const char *near, char *path, size_t cap,
		struct mhp_err *err);

#endif
