// SPDX-License-Identifier: GPL-2.0-only
/*
 * yamltree.c - load a YAML file or buffer into a bounded tree that remembers positions.
 */
#include "yamltree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "bug.h"
#include "util.h"
#include "strbuf.h"

struct loader {
	struct ydoc *doc;
	yaml_parser_t parser;
	struct mhp_err *err;
	const unsigned char *data;   /* the input, to place reader errors */
	size_t len;
};

const char *ykind_name(enum ynode_kind k)
{
	switch (k) {
	case Y_SCALAR: return "a scalar";
	case Y_SEQ: return "a list";
	case Y_MAP: return "a mapping";
	}
	return "?";
}

/* The format attribute lets clang's -Wformat-nonliteral trust fmt (its callers are checked). */
static int yverr_at(const struct ydoc *doc, unsigned line, unsigned col, struct mhp_err *err,
		    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static int yverr_at(const struct ydoc *doc, unsigned line, unsigned col, struct mhp_err *err,
		    const char *fmt, va_list ap)
{
	char what[MHP_ERR_MSG_MAX];
	vsnprintf(what, sizeof(what), fmt, ap);
	return mhp_err_set(err, -EINVAL, "%s:%u:%u: error: %s", doc->file, line, col, what);
}

int yerr_at(const struct ydoc *doc, unsigned line, unsigned col, struct mhp_err *err,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int ret = yverr_at(doc, line, col, err, fmt, ap);
	va_end(ap);
	return ret;
}

int yerr(const struct ydoc *doc, const struct ynode *node, struct mhp_err *err,
	 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int ret = yverr_at(doc, node ? node->line : 1, node ? node->col : 1, err, fmt, ap);
	va_end(ap);
	return ret;
}

static void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	unsigned total = n->kind == Y_MAP ? 2 * n->n + n->odd : n->n;
	for (unsigned i = 0; i < total; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->str);
	free(n);
}

void ydoc_free(struct ydoc *doc)
{
	ynode_free(doc->root);
	doc->root = NULL;
}

static struct ynode *ynode_new(struct loader *ld, enum ynode_kind kind, yaml_mark_t mark)
{
	if (ld->doc->nr_nodes >= YAML_MAX_NODES) {
		mhp_err_set(ld->err, -E2BIG, "%s:%zu:%zu: error: too many YAML nodes (limit %u)",
			    ld->doc->file, mark.line + 1, mark.column + 1, YAML_MAX_NODES);
		return NULL;
	}
	struct ynode *n = calloc(1, sizeof(*n));
	if (!n) {
		mhp_err_set(ld->err, -ENOMEM, "out of memory");
		return NULL;
	}
	ld->doc->nr_nodes++;
	n->kind = kind;
	n->line = (unsigned)mark.line + 1;
	n->col = (unsigned)mark.column + 1;
	return n;
}

/* Appends child as item number idx, growing the array by doubling. */
static int ynode_push(struct loader *ld, struct ynode *parent, struct ynode *child,
		      unsigned idx, unsigned *cap)
{
	if (idx == *cap) {
		unsigned ncap = *cap ? *cap * 2 : 8;
		struct ynode **items = realloc(parent->items, ncap * sizeof(*items));
		if (!items)
			return mhp_err_set(ld->err, -ENOMEM, "out of memory");
		parent->items = items;
		*cap = ncap;
	}
	parent->items[idx] = child;
	return 0;
}

/* Line and column (1-based) of a byte offset: reader errors carry only the offset. */
static void offset_position(const struct loader *ld, size_t offset, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && i < ld->len; i++) {
		if (ld->data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int parse_error(struct loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
	const char *ctx = p->context ? p->context : "";
	char where[80] = "";

	if (p->error == YAML_READER_ERROR)
		offset_position(ld, p->problem_offset, &line, &col);
	else if (*ctx && (p->context_mark.line != p->problem_mark.line ||
			  p->context_mark.column != p->problem_mark.column))
		snprintf(where, sizeof(where), " (which started at line %zu, column %zu)",
			 p->context_mark.line + 1, p->context_mark.column + 1);
	return mhp_err_set(ld->err, -EINVAL, "%s:%zu:%zu: error: invalid YAML: %s%s%s%s",
			   ld->doc->file, line, col, p->problem ? p->problem : "malformed input",
			   *ctx ? " " : "", ctx, where);
}

static int next_event(struct loader *ld, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&ld->parser, ev))
		return parse_error(ld);
	return 0;
}

static int load_node(struct loader *ld, yaml_event_t *ev, unsigned depth, struct ynode **out);

/* Loads the children of a sequence or mapping until its end event. */
static int load_children(struct loader *ld, struct ynode *n, unsigned depth)
{
	unsigned cap = 0, count = 0;
	yaml_event_type_t end = n->kind == Y_SEQ ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;

	for (;;) {
		yaml_event_t ev;
		int ret = next_event(ld, &ev);
		if (ret)
			return ret;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		struct ynode *child = NULL;
		ret = load_node(ld, &ev, depth + 1, &child);
		yaml_event_delete(&ev);
		if (ret)
			return ret;
		if (n->kind == Y_MAP && count % 2 == 0) {
			if (child->kind != Y_SCALAR) {
				ret = yerr(ld->doc, child, ld->err, "a mapping key must be a scalar, not %s",
					   ykind_name(child->kind));
				ynode_free(child);
				return ret;
			}
			for (unsigned i = 0; i < count; i += 2) {
				if (strcmp(n->items[i]->str, child->str) == 0) {
					ret = yerr(ld->doc, child, ld->err,
						   "duplicate key '%s' (first at line %u)",
						   child->str, n->items[i]->line);
					ynode_free(child);
					return ret;
				}
			}
		}
		ret = ynode_push(ld, n, child, count, &cap);
		if (ret) {
			ynode_free(child);
			return ret;
		}
		count++;
		/* Keep n->n exact so a partial node frees cleanly on error. */
		n->n = n->kind == Y_MAP ? count / 2 : count;
		n->odd = n->kind == Y_MAP && count % 2;
	}
	return 0;
}

static int load_node(struct loader *ld, yaml_event_t *ev, unsigned depth, struct ynode **out)
{
	struct ynode *n = NULL;
	yaml_mark_t mark = ev->start_mark;

	if (depth > YAML_MAX_DEPTH)
		return mhp_err_set(ld->err, -E2BIG, "%s:%zu:%zu: error: nesting deeper than %u levels",
				   ld->doc->file, mark.line + 1, mark.column + 1, YAML_MAX_DEPTH);
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return mhp_err_set(ld->err, -EINVAL,
				   "%s:%zu:%zu: error: YAML aliases (*name) are not supported",
				   ld->doc->file, mark.line + 1, mark.column + 1);
	case YAML_SCALAR_EVENT:
		n = ynode_new(ld, Y_SCALAR, mark);
		if (!n)
			return ld->err->code;
		n->str = malloc(ev->data.scalar.length + 1);
		if (!n->str) {
			ynode_free(n);
			return mhp_err_set(ld->err, -ENOMEM, "out of memory");
		}
		memcpy(n->str, ev->data.scalar.value, ev->data.scalar.length);
		n->str[ev->data.scalar.length] = '\0';
		if (strlen(n->str) != ev->data.scalar.length) {
			ynode_free(n);
			return mhp_err_set(ld->err, -EINVAL, "%s:%zu:%zu: error: NUL byte in a scalar",
					   ld->doc->file, mark.line + 1, mark.column + 1);
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		*out = n;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = ynode_new(ld, ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP, mark);
		if (!n)
			return ld->err->code;
		int ret = load_children(ld, n, depth);
		if (ret) {
			ynode_free(n);
			return ret;
		}
		*out = n;
		return 0;
	default:
		return mhp_err_set(ld->err, -EINVAL, "%s:%zu:%zu: error: unexpected YAML event",
				   ld->doc->file, mark.line + 1, mark.column + 1);
	}
}

/* Refuses input past the cap, naming where the first byte past it is, as every other input error does. */
static int too_large(const char *name, const unsigned char *data, struct mhp_err *err)
{
	size_t line = 1, col = 1;
	for (size_t i = 0; i < YAML_MAX_FILE_BYTES; i++) {
		col++;
		if (data[i] == '\n')
			line++, col = 1;
	}
	return mhp_err_set(err, -EFBIG, "%s:%zu:%zu: error: input larger than %u bytes: it would end before this point",
			   name, line, col, YAML_MAX_FILE_BYTES);
}

/* Reads the whole file, refusing anything larger than the cap. */
static int read_file(const char *path, unsigned char **data, size_t *len, struct mhp_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mhp_err_set(err, -errno, "%s: error: cannot open: %s", path, strerror(errno));
	unsigned char *buf = malloc(YAML_MAX_FILE_BYTES + 1);
	if (!buf) {
		fclose(f);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	size_t n = fread(buf, 1, YAML_MAX_FILE_BYTES + 1, f);
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		free(buf);
		return mhp_err_set(err, -EIO, "%s: error: read failed", path);
	}
	if (n > YAML_MAX_FILE_BYTES) {
		int ret = too_large(path, buf, err);
		free(buf);
		return ret;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* Loads the one document of the stream; an empty file is an error. */
static int load_stream(struct loader *ld)
{
	yaml_event_t ev;
	int ret;
	bool done = false;

	while (!done) {
		ret = next_event(ld, &ev);
		if (ret)
			return ret;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (ld->doc->root) {
				ret = mhp_err_set(ld->err, -EINVAL,
						  "%s:%zu:%zu: error: expected one YAML document, found a second",
						  ld->doc->file, ev.start_mark.line + 1, ev.start_mark.column + 1);
				yaml_event_delete(&ev);
				return ret;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			ret = load_node(ld, &ev, 0, &ld->doc->root);
			if (ret) {
				yaml_event_delete(&ev);
				return ret;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
	if (!ld->doc->root)
		return mhp_err_set(ld->err, -EINVAL, "%s:1:1: error: empty document, expected a mapping",
				   ld->doc->file);
	return 0;
}

int ydoc_load_buffer(const void *buf, size_t len, const char *name, struct ydoc *doc,
		     struct mhp_err *err)
{
	memset(doc, 0, sizeof(*doc));
	snprintf(doc->file, sizeof(doc->file), "%s", name ? name : "<buffer>");
	/* The same cap as for files, so a buffer cannot make the parser work harder. */
	if (!buf && len)
		return mhp_err_set(err, -EINVAL, "%s: error: no input", doc->file);
	if (len > YAML_MAX_FILE_BYTES)
		return too_large(doc->file, buf, err);
	/* libyaml insists on a non-NULL input even when it is empty. */
	static const unsigned char empty[1];
	struct loader ld = { .doc = doc, .err = err, .data = buf ? buf : empty, .len = len };
	if (!yaml_parser_initialize(&ld.parser))
		return mhp_err_set(err, -ENOMEM, "out of memory");
	/* libyaml reads exactly len bytes: the buffer needs no terminating NUL. */
	yaml_parser_set_input_string(&ld.parser, ld.data, len);
	int ret = load_stream(&ld);
	yaml_parser_delete(&ld.parser);
	if (ret)
		ydoc_free(doc);
	return ret;
}

int ydoc_load(const char *path, struct ydoc *doc, struct mhp_err *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	memset(doc, 0, sizeof(*doc));
	int ret = read_file(path, &data, &len, err);
	if (ret)
		return ret;
	ret = ydoc_load_buffer(data, len, path, doc, err);
	free(data);
	return ret;
}

int yexpect(const struct ydoc *doc, const struct ynode *node, enum ynode_kind kind,
	    const char *what, struct mhp_err *err)
{
	if (node->kind == kind)
		return 0;
	return yerr(doc, node, err, "%s: expected %s, found %s", what, ykind_name(kind),
		    ykind_name(node->kind));
}

struct ynode *ymap_get(const struct ynode *map, const char *key)
{
	MHP_ASSERT(map->kind == Y_MAP);
	for (unsigned i = 0; i < map->n; i++)
		if (strcmp(map->items[2 * i]->str, key) == 0)
			return map->items[2 * i + 1];
	return NULL;
}

static void join_words(char *out, size_t cap, const char *const *words)
{
	struct strbuf sb;
	sb_init(&sb, out, cap);
	for (unsigned i = 0; words[i]; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", words[i]);
}

int ymap_check_keys(const struct ydoc *doc, const struct ynode *map, const char *what,
		    const char *const *allowed, struct mhp_err *err)
{
	for (unsigned i = 0; i < map->n; i++) {
		const struct ynode *key = map->items[2 * i];
		bool ok = false;
		for (unsigned j = 0; allowed[j] && !ok; j++)
			ok = strcmp(allowed[j], key->str) == 0;
		if (!ok) {
			char list[300];
			join_words(list, sizeof(list), allowed);
			return yerr(doc, key, err, "unknown key '%s' in %s; expected one of: %s",
				    key->str, what, list);
		}
	}
	return 0;
}

int ymap_need(const struct ydoc *doc, const struct ynode *map, const char *what,
	      const char *key, struct ynode **out, struct mhp_err *err)
{
	*out = ymap_get(map, key);
	if (!*out)
		return yerr(doc, map, err, "%s: missing required key '%s'", what, key);
	return 0;
}

int yget_str(const struct ydoc *doc, const struct ynode *n, const char *what,
	     char *out, size_t cap, struct mhp_err *err)
{
	int ret = yexpect(doc, n, Y_SCALAR, what, err);
	if (ret)
		return ret;
	if (strlen(n->str) >= cap)
		return yerr(doc, n, err, "%s: text longer than %zu bytes", what, cap - 1);
	memcpy(out, n->str, strlen(n->str) + 1);
	return 0;
}

enum num_parse parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return NUM_MALFORMED;
	bool overflow = false;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return NUM_MALFORMED;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	*out = v;
	return overflow ? NUM_OVERFLOW : NUM_OK;
}

enum num_parse parse_size(const char *s, uint64_t *out)
{
	char num[64];
	size_t len = strlen(s);
	unsigned shift = 0;
	if (len == 0 || len >= sizeof(num))
		return len ? NUM_OVERFLOW : NUM_MALFORMED;
	memcpy(num, s, len + 1);
	char last = num[len - 1];
	bool hex = len > 2 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X');
	const char *suffixes = "KMGTP";
	const char *p = hex ? NULL : strchr(suffixes, last);
	if (last && p) {
		shift = 10 * (unsigned)(p - suffixes + 1);
		num[--len] = '\0';
	}
	uint64_t v;
	enum num_parse r = parse_u64(num, &v);
	if (r != NUM_OK)
		return r;
	if (shift && v > (UINT64_MAX >> shift))
		return NUM_OVERFLOW;
	*out = v << shift;
	return NUM_OK;
}

int yget_u64(const struct ydoc *doc, const struct ynode *n, const char *what,
	     uint64_t min, uint64_t max, uint64_t *out, struct mhp_err *err)
{
	int ret = yexpect(doc, n, Y_SCALAR, what, err);
	if (ret)
		return ret;
	uint64_t v = 0;
	enum num_parse r = parse_u64(n->str, &v);
	if (r == NUM_MALFORMED)
		return yerr(doc, n, err, "%s: expected a number (decimal or 0x hex), found '%s'",
			    what, n->str);
	if (r == NUM_OVERFLOW || v < min || v > max)
		return yerr(doc, n, err, "%s: %s is out of range [%llu, %llu]", what, n->str,
			    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int yget_size(const struct ydoc *doc, const struct ynode *n, const char *what,
	      uint64_t *out, struct mhp_err *err)
{
	int ret = yexpect(doc, n, Y_SCALAR, what, err);
	if (ret)
		return ret;
	enum num_parse r = parse_size(n->str, out);
	if (r == NUM_OVERFLOW)
		return yerr(doc, n, err, "%s: %s does not fit in 64 bits", what, n->str);
	if (r != NUM_OK)
		return yerr(doc, n, err,
			    "%s: expected a size (a number with an optional K, M, G, T or P suffix), found '%s'",
			    what, n->str);
	return 0;
}

int yget_bool(const struct ydoc *doc, const struct ynode *n, const char *what,
	      bool *out, struct mhp_err *err)
{
	int ret = yexpect(doc, n, Y_SCALAR, what, err);
	if (ret)
		return ret;
	if (strcmp(n->str, "true") == 0)
		*out = true;
	else if (strcmp(n->str, "false") == 0)
		*out = false;
	else
		return yerr(doc, n, err, "%s: expected true or false, found '%s'", what, n->str);
	return 0;
}

int yget_enum(const struct ydoc *doc, const struct ynode *n, const char *what,
	      const char *const *words, int *out, struct mhp_err *err)
{
	int ret = yexpect(doc, n, Y_SCALAR, what, err);
	if (ret)
		return ret;
	for (int i = 0; words[i]; i++) {
		if (strcmp(words[i], n->str) == 0) {
			*out = i;
			return 0;
		}
	}
	char list[300];
	join_words(list, sizeof(list), words);
	return yerr(doc, n, err, "%s: expected one of: %s; found '%s'", what, list, n->str);
}
