/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * yamltree.h - a YAML document as a small tree with file positions.
 *
 * libyaml parses; this keeps every node's line and column so that each error
 * about a model or scenario can point at the exact place. Input is bounded:
 * file size, node count and depth are capped, and aliases are refused.
 */
#ifndef MHPSIM_YAMLTREE_H
#define MHPSIM_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mhpsim/error.h>

#define YAML_MAX_FILE_BYTES (1u << 20)
#define YAML_MAX_NODES 100000u
#define YAML_MAX_DEPTH 32u

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col;         /* 1-based */
	char *str;                  /* scalar text */
	bool plain;                 /* an unquoted scalar */
	unsigned n;                 /* items (seq) or pairs (map) */
	bool odd;                   /* map under construction: a key without its value */
	struct ynode **items;       /* seq: n items; map: 2n, key then value */
};

struct ydoc {
	char file[512];
	struct ynode *root;
	unsigned nr_nodes;
};

int ydoc_load(const char *path, struct ydoc *doc, struct mhp_err *err);
/* The same from len bytes in memory; name (NULL: "<buffer>") is what errors call it. */
int ydoc_load_buffer(const void *buf, size_t len, const char *name, struct ydoc *doc,
		     struct mhp_err *err);
void ydoc_free(struct ydoc *doc);

/* Error at a node: "file:line:col: error: <fmt>". Returns -EINVAL. */
int yerr(const struct ydoc *doc, const struct ynode *node, struct mhp_err *err,
	 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same at an explicit 1-based line and column. */
int yerr_at(const struct ydoc *doc, unsigned line, unsigned col, struct mhp_err *err,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

const char *ykind_name(enum ynode_kind k);
int yexpect(const struct ydoc *doc, const struct ynode *node, enum ynode_kind kind,
	    const char *what, struct mhp_err *err);
/* Refuses any key not in allowed (a NULL-terminated list). */
int ymap_check_keys(const struct ydoc *doc, const struct ynode *map, const char *what,
		    const char *const *allowed, struct mhp_err *err);
struct ynode *ymap_get(const struct ynode *map, const char *key);
/* A required key: error naming the map if missing. */
int ymap_need(const struct ydoc *doc, const struct ynode *map, const char *what,
	      const char *key, struct ynode **out, struct mhp_err *err);

int yget_str(const struct ydoc *doc, const struct ynode *n, const char *what,
	     char *out, size_t cap, struct mhp_err *err);
/* An unsigned number: decimal or 0x hex, within [min, max]. */
int yget_u64(const struct ydoc *doc, const struct ynode *n, const char *what,
	     uint64_t min, uint64_t max, uint64_t *out, struct mhp_err *err);
/* A size: a number with an optional K, M, G, T or P suffix (powers of 1024). */
int yget_size(const struct ydoc *doc, const struct ynode *n, const char *what,
	      uint64_t *out, struct mhp_err *err);
int yget_bool(const struct ydoc *doc, const struct ynode *n, const char *what,
	      bool *out, struct mhp_err *err);
/* One of a list of words; *out is its index. */
int yget_enum(const struct ydoc *doc, const struct ynode *n, const char *what,
	      const char *const *words, int *out, struct mhp_err *err);

/* Results of parsing a number from text. */
enum num_parse { NUM_OK, NUM_MALFORMED, NUM_OVERFLOW };
/* The size syntax above (decimal or 0x hex, optional suffix). */
enum num_parse parse_size(const char *s, uint64_t *out);
/* Decimal or 0x hex digits only, at least one. */
enum num_parse parse_u64(const char *s, uint64_t *out);

#endif
