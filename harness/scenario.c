/*
 * scenario.c - scenario files: parse them, replay them, check every step.
 *
 * A scenario names a model and a kernel command line, then lists steps that
 * mirror what a person or a driver does on a real machine, each with what the
 * kernel is expected to answer. Format: docs/scenarios.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "yamltree.h"

#define SCENARIO_MAX_STEPS 10000u
#define STEP_MAX_KV 8
#define READ_BUF_MAX (4u << 20)

enum step_kind {
	STEP_SAY, STEP_READ, STEP_WRITE, STEP_LIST, STEP_READLINK, STEP_ADD, STEP_REMOVE,
	STEP_ZONEINFO, STEP_MEMINFO, STEP_VMSTAT, STEP_TOUCH, STEP_PAGETABLES, STEP_FAIL_ALLOC,
	STEP_ALLOC, STEP_FREE, STEP_WHERE, STEP_RETRIES, STEP_MODPROBE, STEP_RMMOD, STEP_VIRTIO_MEM, NR_STEP_KINDS,
};

static const char *const step_words[NR_STEP_KINDS + 1] = {
	"say", "read", "write", "list", "readlink", "add_memory", "remove_memory",
	"zoneinfo", "meminfo", "vmstat", "touch", "pagetables", "fail_alloc",
	"alloc", "free", "where", "offline_retries", "modprobe", "rmmod", "virtio_mem", NULL,
};

#define EXPECT_ANY 1   /* expect_err value meaning "do not check" */

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
	char resource[48];
	int touch_kind;         /* touch: TOUCH_PHYS, TOUCH_STRUCT_PAGE, TOUCH_VA */
	unsigned flags;         /* add_memory: MHP_* */
	char kind_name[40];     /* alloc: the workload kind; modprobe/rmmod: the module */
	int zone_expect, block_expect, not_block;   /* where: -1 when not checked */
	struct kv kv[STEP_MAX_KV];
	unsigned nkv;
};

enum { TOUCH_PHYS, TOUCH_STRUCT_PAGE, TOUCH_VA };

struct mhp_scenario {
	char teardown[16];
	char mutant[40];
	char file[512];
	char name[64];
	char cmdline[512];
	bool has_cmdline, has_teardown;
	bool no_bootmem_notifier;
	uint8_t *snap;              /* snapshot: the machine starts from these bytes instead of a boot */
	size_t snap_len;
	uint64_t seed;
	struct mhp_model *model;
	struct step *steps;
	unsigned nsteps;
};

struct parse_ctx {
	struct ydoc *doc;
	struct mhp_scenario *sc;
	struct mhp_err *err;
};

/* ---- parsing ---------------------------------------------------------------- */

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static int need_str(struct parse_ctx *c, const struct ynode *n, const char *what, char **out)
{
	int ret = yexpect(c->doc, n, Y_SCALAR, what, c->err);
	if (ret)
		return ret;
	*out = dup_str(n->str);
	return *out ? 0 : mhp_err_set(c->err, -ENOMEM, "out of memory");
}

/* A list of strings (expected log lines or directory entries). */
static int parse_str_list(struct parse_ctx *c, const struct ynode *n, const char *what,
			  char ***out, unsigned *count)
{
	int ret = yexpect(c->doc, n, Y_SEQ, what, c->err);
	if (ret)
		return ret;
	*out = calloc(n->n ? n->n : 1, sizeof(char *));
	if (!*out)
		return mhp_err_set(c->err, -ENOMEM, "out of memory");
	for (unsigned i = 0; i < n->n; i++) {
		ret = need_str(c, n->items[i], what, &(*out)[i]);
		if (ret)
			return ret;
		(*count)++;
	}
	return 0;
}

static int parse_expect_errno(struct parse_ctx *c, const struct ynode *n, int *out)
{
	int ret = yexpect(c->doc, n, Y_SCALAR, "expect", c->err);
	if (ret)
		return ret;
	if (strcmp(n->str, "ok") == 0) {
		*out = 0;
		return 0;
	}
	if (strcmp(n->str, "any") == 0) {
		*out = EXPECT_ANY;
		return 0;
	}
	int e = mhp_errno_from_name(n->str);
	if (!e)
		return yerr(c->doc, n, c->err, "expect: expected ok, any or an errno name such as EBUSY; found '%s'",
			    n->str);
	*out = -e;
	return 0;
}

static int parse_path(struct parse_ctx *c, const struct ynode *n, char **out)
{
	int ret = need_str(c, n, "path", out);
	if (ret)
		return ret;
	if (strncmp(*out, "/sys/", 5) != 0 && strncmp(*out, "/proc/", 6) != 0)
		return yerr(c->doc, n, c->err, "path: expected an absolute path under /sys/ or /proc/, found '%s'", *out);
	if (strlen(*out) > 255)
		return yerr(c->doc, n, c->err, "path: longer than 255 bytes");
	return 0;
}

static const char *const driver_words[] = { "acpi", "virtio_mem", "dax_kmem", NULL };
static const char *const driver_resources[] = { "System RAM", "System RAM (virtio_mem)", "System RAM (kmem)" };

/* add_memory / remove_memory: {start, size, node, driver} */
static int parse_range_action(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const add_keys[] = { "start", "size", "node", "driver", "memmap_on_memory", NULL };
	static const char *const remove_keys[] = { "start", "size", NULL };
	const char *what = step_words[st->kind];
	struct ynode *v;
	int ret = yexpect(c->doc, n, Y_MAP, what, c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, what, st->kind == STEP_ADD ? add_keys : remove_keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, what, "start", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "start", &st->start, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, what, "size", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "size", &st->size, c->err);
	if (ret)
		return ret;
	snprintf(st->resource, sizeof(st->resource), "%s", driver_resources[0]);
	if ((v = ymap_get(n, "node"))) {
		uint64_t nid;
		if ((ret = yget_u64(c->doc, v, "node", 0, MAX_NUMNODES - 1, &nid, c->err)))
			return ret;
		st->nid = (int)nid;
	}
	if ((v = ymap_get(n, "driver"))) {
		int d;
		if ((ret = yget_enum(c->doc, v, "driver", driver_words, &d, c->err)))
			return ret;
		snprintf(st->resource, sizeof(st->resource), "%s", driver_resources[d]);
	}
	if ((v = ymap_get(n, "memmap_on_memory"))) {
		bool on;
		if ((ret = yget_bool(c->doc, v, "memmap_on_memory", &on, c->err)))
			return ret;
		st->flags = on ? MHP_MEMMAP_ON_MEMORY : 0;
	}
	return 0;
}

static const char *const zone_words[] = { "DMA", "DMA32", "Normal", "Movable", "Device", NULL };

/* zoneinfo / meminfo / vmstat: a mapping of names to expected numbers. */
static int parse_counters(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const zone_keys[] = { "node", "zone", "free", "spanned", "present", "managed",
						 "cma", "start_pfn", NULL };
	static const char *const meminfo_keys[] = { "MemTotal", "MemFree", "CmaTotal", "CmaFree", NULL };
	static const char *const vmstat_keys[] = { "nr_free_pages", "nr_memmap_pages", "nr_memmap_boot_pages", NULL };
	static const char *const pagetable_keys[] = { "tables", "PGD", "P4D", "PUD", "PMD", "PTE", NULL };
	const char *what = step_words[st->kind];
	const char *const *keys = st->kind == STEP_ZONEINFO ? zone_keys :
				  st->kind == STEP_MEMINFO ? meminfo_keys :
				  st->kind == STEP_VMSTAT ? vmstat_keys : pagetable_keys;
	int ret = yexpect(c->doc, n, Y_MAP, what, c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, what, keys, c->err);
	if (ret)
		return ret;
	st->zone = -1;
	for (unsigned i = 0; i < n->n; i++) {
		const struct ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
		if (strcmp(k->str, "zone") == 0) {
			if ((ret = yget_enum(c->doc, v, "zone", zone_words, &st->zone, c->err)))
				return ret;
			continue;
		}
		uint64_t val;
		bool is_node = strcmp(k->str, "node") == 0;
		if ((ret = yget_u64(c->doc, v, k->str, 0, is_node ? MAX_NUMNODES - 1 : UINT64_MAX, &val, c->err)))
			return ret;
		if (is_node) {
			st->nid = (int)val;
			continue;
		}
		struct kv *kv = &st->kv[st->nkv++];
		snprintf(kv->key, sizeof(kv->key), "%s", k->str);
		kv->value = val;
		kv->line = v->line;
		kv->col = v->col;
	}
	if (st->kind == STEP_ZONEINFO && st->zone < 0)
		return yerr(c->doc, n, c->err, "zoneinfo: missing required key 'zone'");
	if (st->nkv == 0)
		return yerr(c->doc, n, c->err, "%s: expected at least one value to check", what);
	return 0;
}

/* touch: {phys: PA} (its linear-map address), {struct_page: PFN} (its vmemmap address) or {va: VA}. */
static int parse_touch(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const keys[] = { "phys", "struct_page", "va", NULL };
	int ret = yexpect(c->doc, n, Y_MAP, "touch", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, "touch", keys, c->err);
	if (ret)
		return ret;
	if (n->n != 1)
		return yerr(c->doc, n, c->err, "touch: expected exactly one of phys, struct_page or va");
	const struct ynode *k = n->items[0], *v = n->items[1];
	for (int i = 0; keys[i]; i++)
		if (strcmp(k->str, keys[i]) == 0)
			st->touch_kind = i;
	return yget_size(c->doc, v, k->str, &st->start, c->err);
}

/* fail_alloc: N (the Nth page allocation from now fails) or {at: N, count: K}. */
static int parse_fail_alloc(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const keys[] = { "at", "count", NULL };
	struct ynode *v;
	st->size = 1;
	if (n->kind == Y_SCALAR)
		return yget_u64(c->doc, n, "fail_alloc", 1, 1000000, &st->start, c->err);
	int ret = yexpect(c->doc, n, Y_MAP, "fail_alloc", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, "fail_alloc", keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, "fail_alloc", "at", &v, c->err);
	if (!ret)
		ret = yget_u64(c->doc, v, "at", 1, 1000000, &st->start, c->err);
	if (!ret && (v = ymap_get(n, "count")))
		ret = yget_u64(c->doc, v, "count", 1, 1000000, &st->size, c->err);
	return ret;
}

static const char *const kind_words[] = { "anon", "file", "kernel", "pgtable", "hugetlb", "pinned", NULL };

/* alloc: {kind, pages, node, tag} / free: {tag, pages} / where: {tag, pages, zone, node, block, not_block} */
static int parse_workload(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const alloc_keys[] = { "kind", "pages", "node", "tag", NULL };
	static const char *const free_keys[] = { "tag", "pages", NULL };
	static const char *const where_keys[] = { "tag", "pages", "zone", "node", "block", "not_block", NULL };
	const char *what = step_words[st->kind];
	const char *const *keys = st->kind == STEP_ALLOC ? alloc_keys : st->kind == STEP_FREE ? free_keys : where_keys;
	struct ynode *v;
	uint64_t x;
	int ret = yexpect(c->doc, n, Y_MAP, what, c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, what, keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, what, "tag", &v, c->err);
	if (!ret)
		ret = yget_u64(c->doc, v, "tag", 1, UINT32_MAX, &st->start, c->err);
	st->size = 1;
	if (!ret && (v = ymap_get(n, "pages")))
		ret = yget_u64(c->doc, v, "pages", 1, 1u << 24, &st->size, c->err);
	if (!ret && st->start + st->size - 1 > UINT32_MAX)
		ret = yerr(c->doc, n, c->err, "%s: tags run past %u", what, UINT32_MAX);
	if (!ret && st->kind == STEP_ALLOC) {
		int k;
		if (!(ret = ymap_need(c->doc, n, what, "kind", &v, c->err)) &&
		    !(ret = yget_enum(c->doc, v, "kind", kind_words, &k, c->err)))
			snprintf(st->kind_name, sizeof(st->kind_name), "%s", kind_words[k]);
	}
	st->nid = st->kind == STEP_WHERE ? -1 : 0;
	if (!ret && (v = ymap_get(n, "node")) && !(ret = yget_u64(c->doc, v, "node", 0, MAX_NUMNODES - 1, &x, c->err)))
		st->nid = (int)x;
	st->zone_expect = st->block_expect = st->not_block = -1;
	if (!ret && (v = ymap_get(n, "zone")))
		ret = yget_enum(c->doc, v, "zone", zone_words, &st->zone_expect, c->err);
	if (!ret && (v = ymap_get(n, "block")) && !(ret = yget_u64(c->doc, v, "block", 0, INT32_MAX, &x, c->err)))
		st->block_expect = (int)x;
	if (!ret && (v = ymap_get(n, "not_block")) && !(ret = yget_u64(c->doc, v, "not_block", 0, INT32_MAX, &x, c->err)))
		st->not_block = (int)x;
	return ret;
}

/* modprobe: {module: NAME, priority: N} / rmmod: NAME */
static int parse_module(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const keys[] = { "module", "priority", NULL };
	struct ynode *v = (struct ynode *)n;
	int ret = 0;
	if (st->kind == STEP_MODPROBE) {
		uint64_t prio = 0;
		ret = yexpect(c->doc, n, Y_MAP, "modprobe", c->err);
		if (!ret)
			ret = ymap_check_keys(c->doc, n, "modprobe", keys, c->err);
		if (!ret)
			ret = ymap_need(c->doc, n, "modprobe", "module", &v, c->err);
		struct ynode *p = ret ? NULL : ymap_get(n, "priority");
		if (p && !(ret = yget_u64(c->doc, p, "priority", 0, 1000, &prio, c->err)))
			st->start = prio;
	}
	if (!ret)
		ret = yget_str(c->doc, v, "module", st->kind_name, sizeof(st->kind_name), c->err);
	return ret;
}

/*
 * virtio_mem: { requested_size: SIZE, plugged: SIZE }: the host sets the
 * device's requested size (QMP qom-set); plugged, if given, is the size the
 * driver must have reached when it settles. st->size is the request,
 * st->start the expected plugged size or UINT64_MAX.
 */
static int parse_virtio_mem(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	static const char *const keys[] = { "requested_size", "plugged", NULL };
	struct ynode *v;
	int ret = yexpect(c->doc, n, Y_MAP, "virtio_mem", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, "virtio_mem", keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, "virtio_mem", "requested_size", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "requested_size", &st->size, c->err);
	st->start = UINT64_MAX;
	if (!ret && (v = ymap_get(n, "plugged")))
		ret = yget_size(c->doc, v, "plugged", &st->start, c->err);
	return ret;
}

/* Which keys each step kind accepts besides its own. */
static const char *const *step_keys(enum step_kind kind)
{
	static const char *const say[] = { "say", NULL };
	static const char *const read[] = { "read", "expect", "log", NULL };
	static const char *const write[] = { "write", "value", "newline", "expect", "log", "violates", NULL };
	static const char *const list[] = { "list", "expect", NULL };
	static const char *const readlink[] = { "readlink", "expect", NULL };
	static const char *const add[] = { "add_memory", "expect", "log", "violates", NULL };
	static const char *const remove[] = { "remove_memory", "expect", "log", "violates", NULL };
	static const char *const zoneinfo[] = { "zoneinfo", NULL };
	static const char *const meminfo[] = { "meminfo", NULL };
	static const char *const vmstat[] = { "vmstat", NULL };
	static const char *const touch[] = { "touch", "expect", NULL };
	static const char *const pagetables[] = { "pagetables", NULL };
	static const char *const fail_alloc[] = { "fail_alloc", NULL };
	static const char *const alloc[] = { "alloc", "expect", "log", NULL };
	static const char *const free_[] = { "free", "expect", NULL };
	static const char *const where[] = { "where", NULL };
	static const char *const retries[] = { "offline_retries", NULL };
	static const char *const modprobe[] = { "modprobe", "expect", NULL };
	static const char *const rmmod[] = { "rmmod", "expect", NULL };
	static const char *const virtio_mem[] = { "virtio_mem", "expect", "log", NULL };
	static const char *const *const table[NR_STEP_KINDS] = {
		say, read, write, list, readlink, add, remove, zoneinfo, meminfo, vmstat, touch, pagetables, fail_alloc,
		alloc, free_, where, retries, modprobe, rmmod, virtio_mem,
	};
	return table[kind];
}

/* Finds the one action key of a step. */
static int step_kind_of(struct parse_ctx *c, const struct ynode *n, enum step_kind *kind)
{
	int found = -1;
	for (unsigned i = 0; i < n->n; i++) {
		const char *key = n->items[2 * i]->str;
		for (int k = 0; k < NR_STEP_KINDS; k++) {
			if (strcmp(key, step_words[k]) != 0)
				continue;
			if (found >= 0)
				return yerr(c->doc, n->items[2 * i], c->err,
					    "step has two actions ('%s' and '%s'); expected exactly one",
					    step_words[found], key);
			found = k;
		}
	}
	if (found < 0)
		return yerr(c->doc, n, c->err,
			    "step has no action; expected one of: say, read, write, list, readlink, add_memory, "
			    "remove_memory, zoneinfo, meminfo, vmstat, touch, pagetables, fail_alloc, alloc, free, where, "
			    "offline_retries, modprobe, rmmod, virtio_mem");
	*kind = (enum step_kind)found;
	return 0;
}

static int parse_step_expect(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	struct ynode *v = ymap_get(n, "expect");
	int ret = 0;
	switch (st->kind) {
	case STEP_READ:
	case STEP_READLINK:
		if (!v)
			return yerr(c->doc, n, c->err, "%s: missing required key 'expect' (the text the file holds)",
				    step_words[st->kind]);
		st->has_text = true;
		return need_str(c, v, "expect", &st->text);
	case STEP_LIST:
		if (!v)
			return yerr(c->doc, n, c->err, "list: missing required key 'expect' (the entries)");
		return parse_str_list(c, v, "expect", &st->list, &st->nlist);
	case STEP_WRITE:
	case STEP_ADD:
	case STEP_REMOVE:
	case STEP_TOUCH:
	case STEP_ALLOC:
	case STEP_FREE:
	case STEP_MODPROBE:
	case STEP_RMMOD:
	case STEP_VIRTIO_MEM:
		if (v)
			ret = parse_expect_errno(c, v, &st->expect_err);
		return ret;
	default:
		return 0;
	}
}

static int parse_step(struct parse_ctx *c, const struct ynode *n, struct step *st)
{
	int ret = yexpect(c->doc, n, Y_MAP, "step", c->err);
	if (!ret)
		ret = step_kind_of(c, n, &st->kind);
	if (ret)
		return ret;
	st->line = n->line;
	st->col = n->col;
	if ((ret = ymap_check_keys(c->doc, n, step_words[st->kind], step_keys(st->kind), c->err)))
		return ret;
	const struct ynode *action = ymap_get(n, step_words[st->kind]), *v;
	switch (st->kind) {
	case STEP_SAY:
		ret = need_str(c, action, "say", &st->text);
		break;
	case STEP_READ:
	case STEP_LIST:
	case STEP_READLINK:
		ret = parse_path(c, action, &st->path);
		break;
	case STEP_WRITE:
		ret = parse_path(c, action, &st->path);
		if (!ret && !(v = ymap_get(n, "value")))
			ret = yerr(c->doc, n, c->err, "write: missing required key 'value'");
		if (!ret)
			ret = need_str(c, v, "value", &st->text);
		st->newline = true;
		if (!ret && (v = ymap_get(n, "newline")))
			ret = yget_bool(c->doc, v, "newline", &st->newline, c->err);
		break;
	case STEP_ADD:
	case STEP_REMOVE:
		ret = parse_range_action(c, action, st);
		break;
	case STEP_TOUCH:
		ret = parse_touch(c, action, st);
		break;
	case STEP_FAIL_ALLOC:
		ret = parse_fail_alloc(c, action, st);
		break;
	case STEP_ALLOC:
	case STEP_FREE:
	case STEP_WHERE:
		ret = parse_workload(c, action, st);
		break;
	case STEP_RETRIES:
		ret = yget_u64(c->doc, action, "offline_retries", 1, 1000000, &st->start, c->err);
		break;
	case STEP_MODPROBE:
	case STEP_RMMOD:
		ret = parse_module(c, action, st);
		break;
	case STEP_VIRTIO_MEM:
		ret = parse_virtio_mem(c, action, st);
		break;
	default:
		ret = parse_counters(c, action, st);
		break;
	}
	if (!ret)
		ret = parse_step_expect(c, n, st);
	if (!ret && (v = ymap_get(n, "log"))) {
		st->has_log = true;
		ret = parse_str_list(c, v, "log", &st->log, &st->nlog);
	}
	if (!ret && (v = ymap_get(n, "violates")))
		ret = yget_str(c->doc, v, "violates", st->violates, sizeof(st->violates), c->err);
	return ret;
}

/* The directory of the scenario file, for paths it gives relative to itself. */
static void scenario_dir(const struct mhp_scenario *sc, char *dir, size_t cap)
{
	snprintf(dir, cap, "%s", sc->file);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, cap, ".");
}

/* Finds models/<name>.yaml: in models_dir, else beside the scenario's directory, else ./models. */
static int find_model(struct parse_ctx *c, const struct ynode *n, const char *models_dir, char *path, size_t cap)
{
	const char *name = n->str;
	if (strlen(name) > 63)
		return yerr(c->doc, n, c->err, "model: a model name is at most 63 bytes");
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name))
		return yerr(c->doc, n, c->err, "model: expected a model name (letters, digits, - and _), found '%s'",
			    name);
	char dir[512];
	scenario_dir(c->sc, dir, sizeof(dir));
	char candidates[3][1200];
	unsigned nc = 0;
	if (models_dir)
		snprintf(candidates[nc++], sizeof(candidates[0]), "%s/%s.yaml", models_dir, name);
	snprintf(candidates[nc++], sizeof(candidates[0]), "%s/../models/%s.yaml", dir, name);
	if (!models_dir || strcmp(models_dir, "models") != 0)
		snprintf(candidates[nc++], sizeof(candidates[0]), "models/%s.yaml", name);
	for (unsigned i = 0; i < nc; i++) {
		if (access(candidates[i], R_OK) == 0 && strlen(candidates[i]) < cap) {
			memcpy(path, candidates[i], strlen(candidates[i]) + 1);
			return 0;
		}
	}
	char looked[1400];
	struct strbuf sb;
	sb_init(&sb, looked, sizeof(looked));
	for (unsigned i = 0; i < nc; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", candidates[i]);
	return yerr(c->doc, n, c->err, "model '%s' not found (looked for %s)", name, looked);
}

/*
 * snapshot: FILE (relative to the scenario's directory): the steps start from
 * a saved machine, which also gives the model; a boot's keys make no sense then.
 */
static int parse_snapshot(struct parse_ctx *c, const struct ynode *root, const struct ynode *v)
{
	static const char *const boot_keys[] = { "model", "cmdline", "seed", "bootmem_notifier" };
	struct mhp_scenario *sc = c->sc;
	char name[400], dir[512], path[1000];
	for (size_t i = 0; i < ARRAY_SIZE(boot_keys); i++)
		if (ymap_get(root, boot_keys[i]))
			return yerr(c->doc, ymap_get(root, boot_keys[i]), c->err,
				    "%s: a scenario that starts from a snapshot boots nothing; remove '%s'", boot_keys[i],
				    boot_keys[i]);
	int ret = yget_str(c->doc, v, "snapshot", name, sizeof(name), c->err);
	if (ret)
		return ret;
	scenario_dir(sc, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s%s%s", name[0] == '/' ? "" : dir, name[0] == '/' ? "" : "/", name);
	struct mhp_err lerr;
	struct mhp_machine *m = NULL;
	if (snapshot_read_file(path, &sc->snap, &sc->snap_len, &lerr) ||
	    mhp_machine_load_buffer(sc->snap, sc->snap_len, path, NULL, NULL, &m, &lerr))
		return yerr(c->doc, v, c->err, "snapshot: %s", lerr.msg);
	sc->model = malloc(sizeof(*sc->model));
	if (sc->model)
		*sc->model = m->model;
	mhp_machine_free(m);
	return sc->model ? 0 : mhp_err_set(c->err, -ENOMEM, "out of memory");
}

static int parse_scenario(struct parse_ctx *c, const char *models_dir)
{
	static const char *const top_keys[] = { "scenario", "description", "model", "cmdline", "seed", "teardown",
						"bootmem_notifier", "mutant", "snapshot", "steps", NULL };
	static const char *const teardowns[] = { "arm64", "x86", "generic", "kernel", NULL };
	struct ynode *root = c->doc->root, *v, *steps;
	struct mhp_scenario *sc = c->sc;
	char model_path[1200];

	int ret = yexpect(c->doc, root, Y_MAP, "scenario file", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, root, "scenario", top_keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, root, "scenario", "scenario", &v, c->err);
	if (!ret)
		ret = yget_str(c->doc, v, "scenario", sc->name, sizeof(sc->name), c->err);
	if (!ret && (v = ymap_get(root, "description")))
		ret = yexpect(c->doc, v, Y_SCALAR, "description", c->err);
	if (!ret && (v = ymap_get(root, "cmdline"))) {
		sc->has_cmdline = true;
		ret = yget_str(c->doc, v, "cmdline", sc->cmdline, sizeof(sc->cmdline), c->err);
	}
	if (!ret && (v = ymap_get(root, "seed")))
		ret = yget_u64(c->doc, v, "seed", 0, UINT64_MAX, &sc->seed, c->err);
	snprintf(sc->teardown, sizeof(sc->teardown), "arm64");
	if (!ret && (v = ymap_get(root, "mutant")))
		ret = yget_str(c->doc, v, "mutant", sc->mutant, sizeof(sc->mutant), c->err);
	if (!ret && (v = ymap_get(root, "bootmem_notifier"))) {
		bool on = true;
		ret = yget_bool(c->doc, v, "bootmem_notifier", &on, c->err);
		sc->no_bootmem_notifier = !on;
	}
	if (!ret && (v = ymap_get(root, "teardown"))) {
		int t;
		if (!(ret = yget_enum(c->doc, v, "teardown", teardowns, &t, c->err)))
			snprintf(sc->teardown, sizeof(sc->teardown), "%s", teardowns[t]);
		sc->has_teardown = true;
	}
	if (!ret && (v = ymap_get(root, "snapshot")))
		ret = parse_snapshot(c, root, v);
	else if (!ret)
		ret = ymap_need(c->doc, root, "scenario", "model", &v, c->err);
	if (!ret && !sc->snap)
		ret = yexpect(c->doc, v, Y_SCALAR, "model", c->err);
	if (!ret && !sc->snap)
		ret = find_model(c, v, models_dir, model_path, sizeof(model_path));
	if (!ret && !sc->snap)
		ret = mhp_model_load(model_path, &sc->model, c->err);
	if (!ret)
		ret = ymap_need(c->doc, root, "scenario", "steps", &steps, c->err);
	if (!ret)
		ret = yexpect(c->doc, steps, Y_SEQ, "steps", c->err);
	if (ret)
		return ret;
	if (steps->n == 0 || steps->n > SCENARIO_MAX_STEPS)
		return yerr(c->doc, steps, c->err, "steps: expected 1 to %u steps, found %u", SCENARIO_MAX_STEPS, steps->n);
	sc->steps = calloc(steps->n, sizeof(*sc->steps));
	if (!sc->steps)
		return mhp_err_set(c->err, -ENOMEM, "out of memory");
	for (unsigned i = 0; i < steps->n; i++) {
		sc->nsteps++;
		ret = parse_step(c, steps->items[i], &sc->steps[i]);
		if (ret)
			return ret;
		/* A step that breaks an invariant on purpose ends the scenario: nothing after it can be trusted. */
		if (sc->steps[i].violates[0] && i + 1 < steps->n)
			return yerr(c->doc, steps->items[i + 1], c->err, "no step may follow one with 'violates'");
	}
	return 0;
}

/* Builds a scenario from a loaded document, which it frees; the file or buffer name comes from it. */
static int scenario_from_doc(struct ydoc *doc, const char *models_dir, struct mhp_scenario **out,
			     struct mhp_err *err)
{
	struct mhp_scenario *sc = calloc(1, sizeof(*sc));
	if (!sc) {
		ydoc_free(doc);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	snprintf(sc->file, sizeof(sc->file), "%s", doc->file);
	struct parse_ctx c = { .doc = doc, .sc = sc, .err = err };
	int ret = parse_scenario(&c, models_dir);
	ydoc_free(doc);
	if (ret) {
		mhp_scenario_free(sc);
		return ret;
	}
	*out = sc;
	return 0;
}

int mhp_scenario_load(const char *path, const char *models_dir, struct mhp_scenario **out, struct mhp_err *err)
{
	struct ydoc doc;
	*out = NULL;
	int ret = ydoc_load(path, &doc, err);
	if (ret)
		return ret;
	return scenario_from_doc(&doc, models_dir, out, err);
}

int mhp_scenario_load_buffer(const void *buf, size_t len, const char *name, const char *models_dir,
			     struct mhp_scenario **out, struct mhp_err *err)
{
	struct ydoc doc;
	*out = NULL;
	int ret = ydoc_load_buffer(buf, len, name ? name : "<scenario>", &doc, err);
	if (ret)
		return ret;
	return scenario_from_doc(&doc, models_dir, out, err);
}

static void free_list(char **list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void mhp_scenario_free(struct mhp_scenario *sc)
{
	if (!sc)
		return;
	for (unsigned i = 0; i < sc->nsteps; i++) {
		struct step *st = &sc->steps[i];
		free(st->path);
		free(st->text);
		free_list(st->list, st->nlist);
		free_list(st->log, st->nlog);
	}
	free(sc->steps);
	free(sc->snap);
	mhp_model_free(sc->model);
	free(sc);
}

/* ---- replay ------------------------------------------------------------------- */

struct run {
	const struct mhp_scenario *sc;
	const struct mhp_run_options *opt;
	struct mhp_machine *m;
	struct mhp_err *err;
	char *buf;              /* READ_BUF_MAX bytes for file contents */
	unsigned step;          /* 1-based number of the step running */
	int result;             /* the errno of the step's action (0: ok, or no action) */
	uint64_t log_mark;      /* MHP_OUT_OBSERVE: the first log line not yet observed */
	struct narration *nar;  /* MHP_OUT_NARRATE */
};

/* MHP_OUT_NARRATE's state: a run of events of one kind is shown by its first few. */
#define NARRATE_RUN_SHOWN 3
#define NARRATE_MAX_FUNCTIONS 64

struct narration {
	unsigned boot_events;
	bool stepped;
	char run_type[32];
	unsigned run_len;
	char run_last[640];     /* a long run's last event, shown after the count of those in between */
	const char *functions[NARRATE_MAX_FUNCTIONS];   /* as first named, for the list at the end */
	unsigned nfunctions;
};

static void narrate_flush_run(struct narration *n, FILE *out)
{
	if (n->run_len > NARRATE_RUN_SHOWN + 1)
		fprintf(out, "    ... %u more like these ...\n", n->run_len - NARRATE_RUN_SHOWN - 1);
	if (n->run_len > NARRATE_RUN_SHOWN)
		fputs(n->run_last, out);
	n->run_len = 0;
	n->run_type[0] = 0;
}

/* "online_pages() mm/memory_hotplug.c" -> "online_pages", remembered for the list at the end. */
static void narrate_name(struct narration *n, const char *fn, char *name, size_t cap)
{
	size_t len = strcspn(fn, "(");
	snprintf(name, cap, "%.*s", (int)len, fn);
	for (unsigned i = 0; i < n->nfunctions; i++)
		if (strcmp(n->functions[i], fn) == 0)
			return;
	if (n->nfunctions < NARRATE_MAX_FUNCTIONS)
		n->functions[n->nfunctions++] = fn;
}

static void narrate_event(struct run *r, const struct mhp_trace_event *ev)
{
	struct narration *n = r->nar;
	FILE *out = r->opt->out;
	if (!n->stepped && strcmp(ev->type, "step") != 0) {
		n->boot_events++;
		return;
	}
	if (strcmp(ev->type, "step") == 0) {
		narrate_flush_run(n, out);
		const char *what = strstr(ev->text, "): ");
		what = what ? what + 3 : ev->text;
		if (what[0] == '#')
			fprintf(out, "\n> %s\n", what + 2);
		else
			fprintf(out, "\nstep %llu: %s\n", (unsigned long long)ev->fields[0].num, what);
		return;
	}
	if (strcmp(ev->type, "step_result") == 0) {
		narrate_flush_run(n, out);
		fprintf(out, "  %s\n", ev->text);
		return;
	}
	if (strcmp(ev->type, n->run_type) != 0) {
		narrate_flush_run(n, out);
		snprintf(n->run_type, sizeof(n->run_type), "%s", ev->type);
	}
	const char *fn = mhp_trace_kernel_function(ev);
	char name[64] = "";
	if (fn)
		narrate_name(n, fn, name, sizeof(name));
	snprintf(n->run_last, sizeof(n->run_last), "    %s%s%s\n", name, fn ? "(): " : "", ev->text);
	if (++n->run_len <= NARRATE_RUN_SHOWN)
		fputs(n->run_last, out);
}

/* Boot is over: its events were counted, not shown. */
static void narrate_booted(struct run *r)
{
	fprintf(r->opt->out, "boot: %u events (mhpsim run shows them)\n", r->nar->boot_events);
	r->nar->stepped = true;
}

/* The end of a narration: the kernel functions it named, with their files. */
static void narrate_end(struct run *r)
{
	struct narration *n = r->nar;
	narrate_flush_run(n, r->opt->out);
	if (!n->nfunctions)
		return;
	fprintf(r->opt->out, "\nkernel functions named above (Linux 6.12):\n");
	for (unsigned i = 0; i < n->nfunctions; i++)
		fprintf(r->opt->out, "  %s\n", n->functions[i]);
}

static void sink(const struct mhp_trace_event *ev, void *ctx)
{
	struct run *r = ctx;
	if (r->opt->output == MHP_OUT_QUIET || r->opt->output == MHP_OUT_OBSERVE || !r->opt->out)
		return;
	if (r->opt->output == MHP_OUT_NARRATE) {
		narrate_event(r, ev);
		return;
	}
	if (r->opt->output == MHP_OUT_JSON) {
		char json[4096];
		int n = mhp_trace_format_json(ev, json, sizeof(json));
		(void)n;
		fprintf(r->opt->out, "%s\n", json);
		return;
	}
	/* Steps flush left, their results under them, the events they caused indented. */
	const char *indent = strcmp(ev->type, "step") == 0 ? "" : strcmp(ev->type, "step_result") == 0 ? "  " : "    ";
	fprintf(r->opt->out, "%s%s\n", indent, ev->text);
}

/* A step failure: "file:line:col: step N (kind): <what>". */
static int step_fail(struct run *r, const struct step *st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int step_fail(struct run *r, const struct step *st, const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return mhp_err_set(r->err, -EUCLEAN, "%s:%u:%u: step %u (%s): %s", r->sc->file, st->line, st->col,
			   r->step, step_words[st->kind], what);
}

/* Copies an error's message out, so that a new message can wrap the old one. */
static const char *err_copy(const struct mhp_err *err, char copy[MHP_ERR_MSG_MAX])
{
	memcpy(copy, err->msg, MHP_ERR_MSG_MAX);
	return copy;
}

static const char *result_name(int ret)
{
	return ret ? mhp_errno_name(ret) : "ok";
}

static int check_result(struct run *r, const struct step *st, int ret)
{
	if (st->expect_err == EXPECT_ANY || ret == st->expect_err)
		return 0;
	return step_fail(r, st, "expected %s, got %s", result_name(st->expect_err), result_name(ret));
}

/* Prints text with visible newlines, for failure messages. */
static void escape(const char *s, char *out, size_t cap)
{
	struct strbuf sb;
	sb_init(&sb, out, cap);
	for (; *s && sb.len < cap; s++)
		sb_printf(&sb, *s == '\n' ? "\\n" : "%c", *s);
}

/* A narration shows what a read read, as a reader at the shell would see it. */
static void narrate_text(const struct run *r, const char *text)
{
	if (r->opt->output != MHP_OUT_NARRATE || !r->opt->out)
		return;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		fprintf(r->opt->out, "    | %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static int run_read(struct run *r, const struct step *st)
{
	ssize_t n = st->kind == STEP_READ ? mhp_sysfs_read(r->m, st->path, r->buf, READ_BUF_MAX)
					  : mhp_sysfs_readlink(r->m, st->path, r->buf, READ_BUF_MAX);
	if (n < 0)
		return step_fail(r, st, "%s failed: %s", st->path, mhp_errno_name((int)n));
	narrate_text(r, r->buf);
	if (strcmp(r->buf, st->text) != 0) {
		char want[160], got[160];
		/* The whole text goes to the trace: a long file is hard to read in one error line. */
		if (r->opt->output == MHP_OUT_TEXT && r->opt->out)
			fprintf(r->opt->out, "  => %s reads:\n%s", st->path, r->buf);
		escape(st->text, want, sizeof(want));
		escape(r->buf, got, sizeof(got));
		return step_fail(r, st, "%s: expected \"%s\", read \"%s\"", st->path, want, got);
	}
	return 0;
}

static int run_list(struct run *r, const struct step *st)
{
	ssize_t n = mhp_sysfs_list(r->m, st->path, r->buf, READ_BUF_MAX);
	if (n < 0)
		return step_fail(r, st, "%s: %s", st->path, mhp_errno_name((int)n));
	narrate_text(r, r->buf);
	char *save = NULL, *name = strtok_r(r->buf, "\n", &save);
	for (unsigned i = 0; i < st->nlist; i++, name = strtok_r(NULL, "\n", &save)) {
		if (!name || strcmp(name, st->list[i]) != 0)
			return step_fail(r, st, "%s: entry %u: expected %s, found %s", st->path, i + 1, st->list[i],
					 name ? name : "(end of listing)");
	}
	if (name)
		return step_fail(r, st, "%s: unexpected extra entry %s", st->path, name);
	return 0;
}

/* Parses the decimal number that starts p. */
static bool parse_u64_prefix(const char *p, uint64_t *out)
{
	char digits[24];
	size_t n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof(digits))
		return false;
	memcpy(digits, p, n);
	digits[n] = '\0';
	return parse_u64(digits, out) == NUM_OK;
}

/* Finds "key value" (or "key: value kB") in text; for zoneinfo within one zone's block. */
static bool find_value(const char *text, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line + strspn(line, " ");
		if (strncmp(p, key, kl) != 0 || (p[kl] != ' ' && p[kl] != ':'))
			continue;
		p += kl + strspn(p + kl, ": ");
		return parse_u64_prefix(p, out);
	}
	return false;
}

static int run_counters(struct run *r, const struct step *st)
{
	static const char *const files[] = { [STEP_ZONEINFO] = "/proc/zoneinfo", [STEP_MEMINFO] = "/proc/meminfo",
					     [STEP_VMSTAT] = "/proc/vmstat" };
	const char *file = files[st->kind];
	ssize_t n = mhp_sysfs_read(r->m, file, r->buf, READ_BUF_MAX);
	if (n < 0 || (size_t)n >= READ_BUF_MAX)
		return step_fail(r, st, "%s could not be read", file);
	const char *text = r->buf;
	if (st->kind == STEP_ZONEINFO) {
		char header[64];
		snprintf(header, sizeof(header), "Node %d, zone %8s\n", st->nid, zone_words[st->zone]);
		text = strstr(r->buf, header);
		if (!text)
			return step_fail(r, st, "%s has no \"Node %d, zone %s\"", file, st->nid, zone_words[st->zone]);
		text += strlen(header);
		char *next = strstr(text, "Node ");
		if (next)
			*next = '\0';
	}
	for (unsigned i = 0; i < st->nkv; i++) {
		const struct kv *kv = &st->kv[i];
		uint64_t v;
		const char *key = strcmp(kv->key, "free") == 0 ? "pages free" :
				  strcmp(kv->key, "start_pfn") == 0 ? "start_pfn" : kv->key;
		if (!find_value(text, key, &v))
			return mhp_err_set(r->err, -EUCLEAN, "%s:%u:%u: step %u (%s): %s shows no %s", r->sc->file,
					   kv->line, kv->col, r->step, step_words[st->kind], file, kv->key);
		if (v != kv->value)
			return mhp_err_set(r->err, -EUCLEAN, "%s:%u:%u: step %u (%s): %s: expected %llu, got %llu",
					   r->sc->file, kv->line, kv->col, r->step, step_words[st->kind], kv->key,
					   (unsigned long long)kv->value, (unsigned long long)v);
	}
	return 0;
}

/* The kernel log lines the step printed must be exactly the expected ones. */
static int check_log(struct run *r, const struct step *st, uint64_t first)
{
	uint64_t count = mhp_log_count(r->m) - first;
	for (unsigned i = 0; i < st->nlog; i++) {
		const char *line = i < count ? mhp_log_line(r->m, first + i, NULL) : NULL;
		if (!line || strcmp(line, st->log[i]) != 0)
			return step_fail(r, st, "log line %u: expected \"%s\", got %s%s%s", i + 1, st->log[i],
					 line ? "\"" : "", line ? line : "no line", line ? "\"" : "");
	}
	if (count > st->nlog)
		return step_fail(r, st, "unexpected log line %u: \"%s\"", st->nlog + 1,
				 mhp_log_line(r->m, first + st->nlog, NULL));
	return 0;
}

/* Says what a step does, in the words of a shell session or a driver. */
/* "check zoneinfo node 0 DMA: spanned=262144 present=...": what a counter check holds the model to. */
static void describe_counters(const struct step *st, char *buf, size_t cap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	sb_printf(&sb, "check %s", step_words[st->kind]);
	if (st->kind == STEP_ZONEINFO)
		sb_printf(&sb, " node %d %s", st->nid, zone_words[st->zone]);
	sb_printf(&sb, ":");
	for (unsigned i = 0; i < st->nkv; i++)
		sb_printf(&sb, " %s=%llu", st->kv[i].key, (unsigned long long)st->kv[i].value);
}

static void describe(const struct step *st, char *buf, size_t cap)
{
	switch (st->kind) {
	case STEP_SAY: snprintf(buf, cap, "# %s", st->text); break;
	case STEP_WRITE: snprintf(buf, cap, "echo %s%s > %s", st->newline ? "" : "-n ", st->text, st->path); break;
	case STEP_READ: snprintf(buf, cap, "cat %s", st->path); break;
	case STEP_LIST: snprintf(buf, cap, "ls %s", st->path); break;
	case STEP_READLINK: snprintf(buf, cap, "readlink %s", st->path); break;
	case STEP_ADD:
		snprintf(buf, cap, "driver adds %#llx+%#llx on node %d as \"%s\"", (unsigned long long)st->start,
			 (unsigned long long)st->size, st->nid, st->resource);
		break;
	case STEP_REMOVE:
		snprintf(buf, cap, "driver removes %#llx+%#llx", (unsigned long long)st->start,
			 (unsigned long long)st->size);
		break;
	case STEP_TOUCH:
		snprintf(buf, cap, "load from the %s %#llx", st->touch_kind == TOUCH_PHYS ? "linear map of pa" :
			 st->touch_kind == TOUCH_STRUCT_PAGE ? "struct page of pfn" : "address",
			 (unsigned long long)st->start);
		break;
	case STEP_ALLOC:
		snprintf(buf, cap, "workload allocates %llu %s page(s) on node %d, tags %llu..", (unsigned long long)st->size,
			 st->kind_name, st->nid, (unsigned long long)st->start);
		break;
	case STEP_FREE:
		snprintf(buf, cap, "workload frees tags %llu..%llu", (unsigned long long)st->start,
			 (unsigned long long)(st->start + st->size - 1));
		break;
	case STEP_MODPROBE:
		snprintf(buf, cap, "modprobe %s priority=%llu", st->kind_name, (unsigned long long)st->start);
		break;
	case STEP_VIRTIO_MEM:
		snprintf(buf, cap, "host sets virtio-mem requested-size=%lluM (qom-set)", (unsigned long long)(st->size >> 20));
		break;
	case STEP_RMMOD:
		snprintf(buf, cap, "modprobe -r %s", st->kind_name);
		break;
	case STEP_RETRIES:
		snprintf(buf, cap, "a signal interrupts an offline after %llu migration passes", (unsigned long long)st->start);
		break;
	case STEP_FAIL_ALLOC:
		snprintf(buf, cap, "fault injection: page allocations %llu to %llu from now fail",
			 (unsigned long long)st->start, (unsigned long long)(st->start + st->size - 1));
		break;
	case STEP_ZONEINFO:
	case STEP_MEMINFO:
	case STEP_VMSTAT:
	case STEP_PAGETABLES:
		describe_counters(st, buf, cap);
		break;
	default: snprintf(buf, cap, "check %s", step_words[st->kind]); break;
	}
}

/* A step begins: one trace event, so JSON readers see step boundaries too. */
static void announce(struct run *r, const struct step *st)
{
	char what[600];
	describe(st, what, sizeof(what));
	struct mhp_trace_field f[] = { TF_U("step", r->step), TF_U("line", st->line), TF_S("kind", step_words[st->kind]) };
	TRACE(r->m, "step", f, "step %u (line %u): %s", r->step, st->line, what);
}

/* Live tables by level name, and in all. */
struct table_count {
	uint64_t by_depth[PT_MAX_DEPTH], all;
};

static int count_table(const struct mhp_machine *m, const struct pt_table *t, void *arg)
{
	struct table_count *c = arg;
	(void)m;
	c->by_depth[t->depth]++;
	c->all++;
	return 0;
}

static int run_pagetables(struct run *r, const struct step *st)
{
	struct table_count c = { 0 };
	pt_for_each(r->m, count_table, &c);
	for (unsigned i = 0; i < st->nkv; i++) {
		const struct kv *kv = &st->kv[i];
		uint64_t v = UINT64_MAX;
		if (strcmp(kv->key, "tables") == 0)
			v = c.all;
		for (unsigned d = 0; d < r->m->pt_geom.levels; d++)
			if (strcmp(kv->key, pt_level_name(r->m, d)) == 0)
				v = c.by_depth[d];
		if (v == UINT64_MAX)
			return mhp_err_set(r->err, -EUCLEAN, "%s:%u:%u: step %u (pagetables): this machine has no %s level",
					   r->sc->file, kv->line, kv->col, r->step, kv->key);
		if (v != kv->value)
			return mhp_err_set(r->err, -EUCLEAN, "%s:%u:%u: step %u (pagetables): %s: expected %llu, got %llu",
					   r->sc->file, kv->line, kv->col, r->step, kv->key,
					   (unsigned long long)kv->value, (unsigned long long)v);
	}
	return 0;
}

/* where: each tagged page lies where the step says. */
static int run_where(struct run *r, const struct step *st)
{
	for (uint64_t i = 0; i < st->size; i++) {
		uint64_t pfn;
		uint32_t tag = (uint32_t)(st->start + i);
		if (mhp_workload_where(r->m, tag, &pfn))
			return step_fail(r, st, "no page holds tag %u", tag);
		const struct mem_section *ms = __pfn_to_section(r->m, pfn);
		if (!present_section(ms))   /* only a broken model (a mutant) records a tag there */
			return step_fail(r, st, "tag %u is recorded at pfn %#llx, which is not present", tag,
					 (unsigned long long)pfn);
		uint64_t block = PFN_PHYS(r->m, pfn) / r->m->model.block_size;
		if (st->zone_expect >= 0 && ms->zone != st->zone_expect)
			return step_fail(r, st, "tag %u is at pfn %#llx in zone %s, not %s", tag, (unsigned long long)pfn,
					 ms->zone == NO_ZONE ? "none" : zone_name(ms->zone), zone_name(st->zone_expect));
		if (st->nid >= 0 && ms->nid != st->nid)
			return step_fail(r, st, "tag %u is on node %d, not %d", tag, ms->nid, st->nid);
		if (st->block_expect >= 0 && block != (uint64_t)st->block_expect)
			return step_fail(r, st, "tag %u is in memory%llu, not memory%d", tag, (unsigned long long)block,
					 st->block_expect);
		if (st->not_block >= 0 && block == (uint64_t)st->not_block)
			return step_fail(r, st, "tag %u is still in memory%d", tag, st->not_block);
	}
	return 0;
}

static uint64_t touch_address(const struct run *r, const struct step *st)
{
	switch (st->touch_kind) {
	case TOUCH_PHYS: return linear_va(r->m, st->start);
	case TOUCH_STRUCT_PAGE: return vmemmap_va(r->m, st->start);
	default: return st->start;
	}
}

static int run_step(struct run *r, const struct step *st)
{
	struct mhp_err opErr = { 0 };
	int ret;
	switch (st->kind) {
	case STEP_SAY:
		return 0;
	case STEP_PAGETABLES:
		return run_pagetables(r, st);
	case STEP_FAIL_ALLOC:
		mhp_machine_fail_alloc(r->m, (unsigned)st->start, (unsigned)st->size);
		return 0;
	case STEP_TOUCH:
		ret = tlb_touch(r->m, touch_address(r, st));
		break;
	case STEP_ALLOC:
		ret = mhp_workload_alloc(r->m, st->kind_name, st->nid, st->size, (uint32_t)st->start, &opErr);
		break;
	case STEP_FREE:
		ret = mhp_workload_free(r->m, (uint32_t)st->start, st->size, &opErr);
		break;
	case STEP_WHERE:
		return run_where(r, st);
	case STEP_RETRIES:
		r->m->offline_retry_budget = (uint32_t)st->start;
		return 0;
	case STEP_MODPROBE:
		ret = mhp_modprobe(r->m, st->kind_name, (int)st->start, false, &opErr);
		break;
	case STEP_RMMOD:
		ret = mhp_modprobe(r->m, st->kind_name, 0, true, &opErr);
		break;
	case STEP_VIRTIO_MEM: {
		struct mhp_virtio_mem_info vi;
		ret = mhp_virtio_mem_set_requested(r->m, st->size, &opErr);
		if (!ret && st->start != UINT64_MAX && !mhp_virtio_mem_info(r->m, &vi) && vi.plugged != st->start)
			return step_fail(r, st, "the driver settled at %llu MiB plugged, expected %llu MiB",
					 (unsigned long long)(vi.plugged >> 20), (unsigned long long)(st->start >> 20));
		break;
	}
	case STEP_READ:
	case STEP_READLINK:
		return run_read(r, st);
	case STEP_LIST:
		return run_list(r, st);
	case STEP_WRITE: {
		char value[4096];
		int len = snprintf(value, sizeof(value), "%s%s", st->text, st->newline ? "\n" : "");
		if (len < 0 || (size_t)len >= sizeof(value))
			return step_fail(r, st, "value longer than %zu bytes", sizeof(value) - 2);
		ret = mhp_sysfs_write(r->m, st->path, value, (size_t)len);
		break;
	}
	case STEP_ADD:
		ret = mhp_add_memory_flags(r->m, st->nid, st->start, st->size, st->resource, st->flags, &opErr);
		break;
	case STEP_REMOVE:
		ret = mhp_remove_memory(r->m, st->start, st->size, &opErr);
		break;
	default:
		return run_counters(r, st);
	}
	struct mhp_trace_field f[] = { TF_U("step", r->step), TF_S("result", result_name(ret)) };
	TRACE(r->m, "step_result", f, "=> %s%s%s", result_name(ret), ret && opErr.msg[0] ? ": " : "",
	      ret ? opErr.msg : "");
	r->result = ret;
	if (ret == -EUCLEAN)   /* the model caught its own inconsistency mid-step: an invariant, not a result */
		return step_fail(r, st, "invariant %s", opErr.msg);
	return check_result(r, st, ret);
}

static int boot_machine(struct run *r)
{
	char inner[MHP_ERR_MSG_MAX];
	const struct mhp_scenario *sc = r->sc;
	const char *cmdline = sc->has_cmdline ? sc->cmdline : sc->model->cmdline;
	bool text = (r->opt->output == MHP_OUT_TEXT || r->opt->output == MHP_OUT_NARRATE) && r->opt->out;
	int ret;
	if (sc->snap) {
		if (text)
			fprintf(r->opt->out, "scenario %s: from a snapshot of model %s\n", sc->name, mhp_model_name(sc->model));
		ret = mhp_machine_load_buffer(sc->snap, sc->snap_len, sc->file, sink, r, &r->m, r->err);
	} else {
		if (text)
			fprintf(r->opt->out, "scenario %s: model %s, cmdline \"%s\", teardown %s\n%s", sc->name,
				mhp_model_name(sc->model), cmdline, r->opt->teardown ? r->opt->teardown : sc->teardown,
				r->opt->output == MHP_OUT_TEXT ? "boot:\n" : "");
		struct mhp_boot_args args = { .cmdline = cmdline, .seed = sc->seed, .sink = sink, .sink_ctx = r,
					      .no_bootmem_notifier = sc->no_bootmem_notifier };
		ret = mhp_machine_boot(sc->model, &args, &r->m, r->err);
	}
	if (ret)
		return mhp_err_set(r->err, ret, "%s:1:1: error: boot failed: %s", sc->file, err_copy(r->err, inner));
	const char *teardown = r->opt->teardown ? r->opt->teardown : sc->teardown;
	/* A snapshot keeps its own strategy unless the scenario or the caller names one. */
	int tret = (!sc->snap || r->opt->teardown || sc->has_teardown) ? mhp_machine_set_teardown(r->m, teardown) : 0;
	if (tret)
		return teardown_error(r->err, tret, teardown);
	const char *mutant = r->opt->mutant ? r->opt->mutant : sc->mutant[0] ? sc->mutant : NULL;
	if (mutant && mhp_machine_set_mutant(r->m, mutant))
		return mhp_err_set(r->err, -EINVAL, "unknown mutant '%s'", mutant);
	ret = mhp_check_all(r->m, r->err);
	if (ret)
		return mhp_err_set(r->err, ret, "%s:1:1: after boot: invariant %s", sc->file, err_copy(r->err, inner));
	return 0;
}

/* What a read step read, its lines joined by " | ", as the reference lane's driver prints it. */
static void observe_output(struct run *r, const struct step *st)
{
	ssize_t n = st->kind == STEP_LIST ? mhp_sysfs_list(r->m, st->path, r->buf, READ_BUF_MAX)
		    : st->kind == STEP_READLINK ? mhp_sysfs_readlink(r->m, st->path, r->buf, READ_BUF_MAX)
						 : mhp_sysfs_read(r->m, st->path, r->buf, READ_BUF_MAX);
	if (n < 0) {
		fprintf(r->opt->out, "output: error %s\n", mhp_errno_name((int)n));
		return;
	}
	fprintf(r->opt->out, "output:");
	const char *sep = " ";
	for (char *save = NULL, *l = strtok_r(r->buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save), sep = " | ")
		fprintf(r->opt->out, "%s%s", sep, l);
	fputc('\n', r->opt->out);
}

/* MHP_OUT_OBSERVE: the step's heading and result, then the machine as the reference lane observes it. */
static void observe_step(struct run *r, const struct step *st)
{
	char *raw = NULL, what[600];
	size_t len = 0;
	FILE *f = open_memstream(&raw, &len);
	if (!f)
		return;
	mhp_observe_raw(r->m, &r->log_mark, f);
	fclose(f);
	if (st)
		describe(st, what, sizeof(what));
	fprintf(r->opt->out, "### step %u: %s\n", st ? r->step : 0, st ? what : "boot");
	if (r->result)
		fprintf(r->opt->out, "result: error %s (%s)\n", mhp_errno_name(r->result), strerror(-r->result));
	else
		fprintf(r->opt->out, "result: ok\n");
	if (st && (st->kind == STEP_READ || st->kind == STEP_LIST || st->kind == STEP_READLINK))
		observe_output(r, st);
	struct mhp_virtio_mem_info vi;   /* what QMP qom-get shows of the device, as the reference lane asks it */
	if (!mhp_virtio_mem_info(r->m, &vi))
		fprintf(r->opt->out, "virtio-mem vm0: requested-size=%lluM size=%lluM\n",
			(unsigned long long)(vi.requested >> 20), (unsigned long long)(vi.plugged >> 20));
	(st ? mhp_observe_format : mhp_observe_format_boot)(raw, len, r->opt->out);
	fputc('\n', r->opt->out);
	free(raw);
}

/* The model's one virtio-mem region, or NULL: the device the reference lane plugs through. */
static const struct model_range *virtio_mem_region(const struct mhp_model *mo)
{
	for (unsigned i = 0; i < mo->nr_hotplug; i++)
		if (strcmp(mo->hotplug[i].name, "virtio_mem") == 0)
			return &mo->hotplug[i];
	return NULL;
}

/*
 * One step as reference/driver.py words, or what a real guest cannot do,
 * marked, never faked: "skip REASON" when the step changes nothing the
 * observations see, "depart REASON" when it does (the kernel's run then
 * leaves the scenario, and the diff stops there).
 */
/* What the translator remembers across steps: the device's plugged size and the workload's files. */
struct reference_state {
	uint64_t plugged;
	uint64_t boot_ram, page_size, filled;   /* bytes: what the guest has, and what its tmpfs holds */
	unsigned nfiles;
	struct { uint64_t tag, pages; } files[64];
};

/*
 * Movable workload pages become a tmpfs file on the guest (shmem: movable,
 * on the LRU, migrated by an offline like the model's anon and file pages),
 * one file per alloc step, named by its first tag. The kernel places them by
 * its own allocator; the observation sees no free counts, only what an offline
 * then does. Kernel, pinned and hugetlb pages have no guest-side equivalent.
 * A fill past half of the guest's memory departs: tmpfs pages cannot be
 * swapped out here, so the guest would OOM-kill its own shell where the
 * model's allocations fail one by one.
 */
static void reference_workload(const struct step *st, struct reference_state *rs, FILE *out)
{
	if (st->kind == STEP_ALLOC) {
		bool movable = strcmp(st->kind_name, "anon") == 0 || strcmp(st->kind_name, "file") == 0;
		if (!movable || st->nid != 0 || rs->nfiles == sizeof(rs->files) / sizeof(rs->files[0])) {
			fprintf(out, "depart %s pages have no guest-side workload (only anon and file map to tmpfs)\n",
				st->kind_name);
			return;
		}
		if ((rs->filled + st->size * rs->page_size) * 2 > rs->boot_ram + rs->plugged) {
			fprintf(out, "depart tmpfs past half of the guest's memory: the guest would OOM-kill its shell\n");
			return;
		}
		rs->filled += st->size * rs->page_size;
		rs->files[rs->nfiles].tag = st->start;
		rs->files[rs->nfiles++].pages = st->size;
		fprintf(out, "fill %llu %llu\n", (unsigned long long)st->start, (unsigned long long)st->size);
		return;
	}
	for (unsigned i = 0; i < rs->nfiles; i++)
		if (rs->files[i].tag == st->start && rs->files[i].pages == st->size) {
			rs->filled -= st->size * rs->page_size;
			rs->files[i] = rs->files[--rs->nfiles];
			fprintf(out, "drop %llu\n", (unsigned long long)st->start);
			return;
		}
	fprintf(out, "depart the free is not one whole tmpfs file the guest wrote\n");
}

static void reference_step(const struct step *st, const struct model_range *vm, struct reference_state *rs,
			   FILE *out)
{
	static const char *const sim_only[NR_STEP_KINDS] = {
		[STEP_SAY] = "skip narration", [STEP_ZONEINFO] = "skip a check of the model",
		[STEP_MEMINFO] = "skip a check of the model", [STEP_VMSTAT] = "skip a check of the model",
		[STEP_TOUCH] = "skip the TLB model", [STEP_PAGETABLES] = "skip a check of the model",
		[STEP_WHERE] = "skip a check of the model", [STEP_MODPROBE] = "skip the guest loads its modules at boot",
		[STEP_RETRIES] = "skip the guest's writes are interrupted after 10 s instead",
		[STEP_FAIL_ALLOC] = "depart fault injection into the model's allocator",
		[STEP_RMMOD] = "depart the guest keeps its modules",
	};
	switch (st->kind) {
	case STEP_WRITE:
		fprintf(out, "echo %s %s\n", st->path, st->text[0] ? st->text : "\"\"");
		return;
	case STEP_READ:
	case STEP_LIST:
	case STEP_READLINK:
		fprintf(out, "read %s\n", st->path);
		return;
	case STEP_ALLOC:
	case STEP_FREE:
		reference_workload(st, rs, out);
		return;
	case STEP_VIRTIO_MEM:   /* the guest's driver does what the model's does: the same request */
		rs->plugged = st->size;
		fprintf(out, "plug %lluM\n", (unsigned long long)(st->size >> 20));
		return;
	case STEP_ADD:
		if (vm && strcmp(st->resource, "System RAM (virtio_mem)") == 0 && st->start == vm->start + rs->plugged &&
		    rs->plugged + st->size <= vm->size) {
			rs->plugged += st->size;
			fprintf(out, "plug %lluM\n", (unsigned long long)(rs->plugged >> 20));
		} else {
			fprintf(out, "depart only virtio-mem adds memory in the guest, at the end of what it plugged\n");
		}
		return;
	case STEP_REMOVE:
		/* The guest has no remove_memory of its own: its virtio-mem driver unplugs (virtio_mem steps). */
		fprintf(out, "depart remove_memory of virtio-mem memory: the guest's driver unplugs instead (virtio_mem steps; this scenario predates them)\n");
		return;
	default:
		fprintf(out, "%s\n", sim_only[st->kind] ? sim_only[st->kind] : "depart not mapped");
	}
}

int mhp_scenario_reference_steps(const struct mhp_scenario *sc, FILE *out, struct mhp_err *err)
{
	const struct mhp_model *mo = sc->model;
	if (!mo || sc->snap)
		return mhp_err_set(err, -EINVAL, "%s: a scenario that starts from a snapshot has no real machine", sc->file);
	const char *flavour = mo->page_shift == 12 ? "arm64" : mo->page_shift == 14 ? "arm64-16k" : NULL;
	const struct model_range *vm = virtio_mem_region(mo);
	if (!flavour || !vm || strncmp(mo->name, "qemu-virt-", 10) != 0)
		return mhp_err_set(err, -EINVAL, "%s: model %s is not one the reference lane boots "
				   "(qemu-virt-arm64-4k or -16k, with a virtio-mem region)", sc->file, mo->name);
	fprintf(out, "# flavour %s\n# cmdline %s\n", flavour, sc->has_cmdline ? sc->cmdline : mo->cmdline);
	/* The QEMU machine: the virtio-mem device's block-size and node, and each NUMA node's boot RAM. */
	fprintf(out, "# machine vm-block-size=%lluM vm-node=%d nodes=", (unsigned long long)(vm->block_size >> 20), vm->nid);
	for (unsigned i = 0; i < mo->nr_ram; i++)
		fprintf(out, "%s%lluM", i ? "," : "", (unsigned long long)(mo->ram[i].size >> 20));
	fputc('\n', out);
	struct reference_state rs = { .page_size = 1ull << mo->page_shift };
	for (unsigned i = 0; i < mo->nr_ram; i++)
		rs.boot_ram += mo->ram[i].size;
	for (unsigned i = 0; i < sc->nsteps; i++) {
		if (sc->no_bootmem_notifier)   /* the change proposed in 2020 is not in any kernel the lane boots */
			fprintf(out, "depart the real 6.12 kernel has arm64's prevent_bootmem_remove_notifier\n");
		else
			reference_step(&sc->steps[i], vm, &rs, out);
	}
	return 0;
}

unsigned mhp_scenario_steps(const struct mhp_scenario *sc)
{
	return sc->nsteps;
}

int mhp_scenario_run(const struct mhp_scenario *sc, const struct mhp_run_options *opt,
		     struct mhp_run_result *res, struct mhp_err *err)
{
	struct narration nar = { 0 };
	struct run r = { .sc = sc, .opt = opt, .err = err, .nar = &nar };
	memset(res, 0, sizeof(*res));
	r.buf = malloc(READ_BUF_MAX);
	if (!r.buf)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	char inner[MHP_ERR_MSG_MAX];
	bool ended_by_violation = false;
	int ret = boot_machine(&r);
	bool observe = opt->output == MHP_OUT_OBSERVE && opt->out;
	if (!ret && observe)
		observe_step(&r, NULL);
	if (!ret && opt->output == MHP_OUT_NARRATE && opt->out)
		narrate_booted(&r);
	if (!ret && opt->after_boot)
		opt->after_boot(r.m, opt->after_ctx);
	for (unsigned i = 0; !ret && i < sc->nsteps; i++) {
		const struct step *st = &sc->steps[i];
		r.step = i + 1;
		r.result = 0;
		announce(&r, st);
		uint64_t first_log = mhp_log_count(r.m);
		ret = run_step(&r, st);
		if (!ret && st->has_log)
			ret = check_log(&r, st, first_log);
		/* The cheap check: memory walks limited to what the step touched. */
		if (!ret) {
			int inv = check_touched(r.m, err);
			if (opt->after_step)
				opt->after_step(r.m, r.step, inv, opt->after_ctx);
			if (observe)
				observe_step(&r, st);
			size_t n = strlen(st->violates);
			if (!n && inv)
				ret = step_fail(&r, st, "invariant %s", err_copy(err, inner));
			else if (n && !inv)
				ret = step_fail(&r, st, "expected invariant %s to fail, but every invariant held", st->violates);
			else if (n && (strncmp(err->msg, st->violates, n) || err->msg[n] != ':'))
				ret = step_fail(&r, st, "expected invariant %s to fail, got %s", st->violates, err_copy(err, inner));
			else if (n) {
				/* The kernel's own bug, shown on purpose: the scenario ends here. */
				if ((r.opt->output == MHP_OUT_TEXT || r.opt->output == MHP_OUT_NARRATE) && r.opt->out)
					fprintf(r.opt->out, "  => invariant broken, as this scenario shows: %s\n", err->msg);
				res->steps_run = r.step;
				ended_by_violation = true;
				break;
			}
		}
		touched_reset(r.m);
		res->steps_run = r.step;
		if (ret)
			res->failed_step = r.step;
	}
	if (opt->output == MHP_OUT_NARRATE && opt->out)
		narrate_end(&r);
	/* The full check once at the end: every walk over the whole machine. */
	if (!ret && !ended_by_violation && r.m && (ret = mhp_check_all(r.m, err)))
		ret = mhp_err_set(err, ret, "%s: after the last step: invariant %s", sc->file, err_copy(err, inner));
	if (!ret && r.m && opt->after)
		opt->after(r.m, opt->after_ctx);
	if (r.m) {
		res->state_hash = mhp_machine_state_hash(r.m);
		res->trace_hash = mhp_trace_hash(r.m);
	}
	mhp_machine_free(r.m);
	free(r.buf);
	return ret;
}
