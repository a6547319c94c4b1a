// SPDX-License-Identifier: GPL-2.0-only
/*
 * step.c - the step table: per kind of scenario step, its keys, how it is
 * parsed, described and written back as YAML (run: step_run.c; reference
 * lane: reference_steps.c). Format: docs/scenarios.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step.h"

const char *const step_driver_words[] = { "acpi", "virtio_mem", "dax_kmem", NULL };
const char *const step_driver_resources[] = { "System RAM", "System RAM (virtio_mem)", "System RAM (kmem)" };
const char *const step_workload_kinds[] = { "anon", "file", "kernel", "pgtable", "hugetlb", "pinned", NULL };
const char *const step_zone_words[] = { "DMA", "DMA32", "Normal", "Movable", "Device", NULL };

/* ---- parsing ---------------------------------------------------------------- */

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static int need_str(const struct step_parse *c, const struct ynode *n, const char *what, char **out)
{
	int ret = yexpect(c->doc, n, Y_SCALAR, what, c->err);
	if (ret)
		return ret;
	*out = dup_str(n->str);
	return *out ? 0 : mhp_err_set(c->err, -ENOMEM, "out of memory");
}

/* A list of strings (expected log lines or directory entries). */
static int parse_str_list(const struct step_parse *c, const struct ynode *n, const char *what, char ***out,
			  unsigned *count)
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

static int parse_expect_errno(const struct step_parse *c, const struct ynode *n, int *out)
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

/* The action's map, checked against the row's fields. */
static int parse_map(const struct step_parse *c, const struct ynode *n, const struct step *st)
{
	const struct step_ops *row = &step_table[st->kind];
	int ret = yexpect(c->doc, n, Y_MAP, row->word, c->err);
	return ret ? ret : ymap_check_keys(c->doc, n, row->word, row->fields, c->err);
}

static int parse_say(const struct step_parse *c, const struct ynode *n, const struct ynode *action, struct step *st)
{
	(void)n;
	return need_str(c, action, "say", &st->text);
}

static int parse_path(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
		      struct step *st)
{
	(void)n;
	int ret = need_str(c, action, "path", &st->path);
	if (ret)
		return ret;
	if (strncmp(st->path, "/sys/", 5) != 0 && strncmp(st->path, "/proc/", 6) != 0)
		return yerr(c->doc, action, c->err, "path: expected an absolute path under /sys/ or /proc/, found '%s'",
			    st->path);
	if (strlen(st->path) > 255)
		return yerr(c->doc, action, c->err, "path: longer than 255 bytes");
	return 0;
}

static int parse_write(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
		       struct step *st)
{
	struct ynode *v = NULL;
	int ret = parse_path(c, n, action, st);
	if (!ret && !(v = ymap_get(n, "value")))
		ret = yerr(c->doc, n, c->err, "write: missing required key 'value'");
	if (!ret)
		ret = need_str(c, v, "value", &st->text);
	st->newline = true;
	if (!ret && (v = ymap_get(n, "newline")))
		ret = yget_bool(c->doc, v, "newline", &st->newline, c->err);
	return ret;
}

/* add_memory / remove_memory: {start, size, node, driver, memmap_on_memory} */
static int parse_range(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
		       struct step *st)
{
	const char *what = step_table[st->kind].word;
	struct ynode *v;
	(void)n;
	int ret = parse_map(c, action, st);
	if (!ret)
		ret = ymap_need(c->doc, action, what, "start", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "start", &st->start, c->err);
	if (!ret)
		ret = ymap_need(c->doc, action, what, "size", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "size", &st->size, c->err);
	if (ret)
		return ret;
	if ((v = ymap_get(action, "node"))) {
		uint64_t nid;
		if ((ret = yget_u64(c->doc, v, "node", 0, INSPECT_MAX_NODES - 1, &nid, c->err)))
			return ret;
		st->nid = (int)nid;
	}
	if ((v = ymap_get(action, "driver")) &&
	    (ret = yget_enum(c->doc, v, "driver", step_driver_words, &st->driver, c->err)))
		return ret;
	if ((v = ymap_get(action, "memmap_on_memory"))) {
		bool on;
		if ((ret = yget_bool(c->doc, v, "memmap_on_memory", &on, c->err)))
			return ret;
		st->flags = on ? MHP_MEMMAP_ON_MEMORY : 0;
	}
	return 0;
}

static bool has_word(const char *const *words, const char *w)
{
	for (unsigned i = 0; words[i]; i++)
		if (strcmp(words[i], w) == 0)
			return true;
	return false;
}

/* zoneinfo / meminfo / vmstat / pagetables: a mapping of names to expected numbers. */
static int parse_counters(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
			  struct step *st)
{
	const char *what = step_table[st->kind].word;
	(void)n;
	int ret = parse_map(c, action, st);
	if (ret)
		return ret;
	st->zone = -1;
	for (unsigned i = 0; i < action->n; i++) {
		const struct ynode *k = action->items[2 * i], *v = action->items[2 * i + 1];
		if (strcmp(k->str, "zone") == 0) {
			if ((ret = yget_enum(c->doc, v, "zone", step_zone_words, &st->zone, c->err)))
				return ret;
			continue;
		}
		uint64_t val;
		bool is_node = strcmp(k->str, "node") == 0;
		if ((ret = yget_u64(c->doc, v, k->str, 0, is_node ? INSPECT_MAX_NODES - 1 : UINT64_MAX, &val, c->err)))
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
	if (has_word(step_table[st->kind].fields, "zone") && st->zone < 0)
		return yerr(c->doc, action, c->err, "%s: missing required key 'zone'", what);
	if (st->nkv == 0)
		return yerr(c->doc, action, c->err, "%s: expected at least one value to check", what);
	return 0;
}

/* touch: {phys: PA} (its linear-map address), {struct_page: PFN} (its vmemmap address) or {va: VA}. */
static int parse_touch(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
		       struct step *st)
{
	const char *const *keys = step_table[st->kind].fields;
	(void)n;
	int ret = parse_map(c, action, st);
	if (ret)
		return ret;
	if (action->n != 1)
		return yerr(c->doc, action, c->err, "touch: expected exactly one of phys, struct_page or va");
	const struct ynode *k = action->items[0], *v = action->items[1];
	for (int i = 0; keys[i]; i++)
		if (strcmp(k->str, keys[i]) == 0)
			st->touch_kind = i;
	return yget_size(c->doc, v, k->str, &st->start, c->err);
}

/*
 * fail_alloc: N (the Nth page allocation from now fails) or {at: N, count: K,
 * interval: I}: from the Nth on, every Ith fails, K times (count: unlimited,
 * fault-inject's times = -1: for good); off disarms it. failslab: the same
 * for the slab objects of the hotplug paths.
 */
static int parse_fail_alloc(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
			    struct step *st)
{
	const char *word = step_table[st->kind].word;
	struct ynode *v;
	uint64_t interval = 1;
	(void)n;
	st->size = 1;
	st->interval = 1;
	if (action->kind == Y_SCALAR && strcmp(action->str, "off") == 0)
		return st->start = 0, 0;   /* disarmed: no allocation fails */
	if (action->kind == Y_SCALAR)
		return yget_u64(c->doc, action, word, 1, 1000000, &st->start, c->err);
	int ret = parse_map(c, action, st);
	if (!ret)
		ret = ymap_need(c->doc, action, word, "at", &v, c->err);
	if (!ret)
		ret = yget_u64(c->doc, v, "at", 1, 1000000, &st->start, c->err);
	if (!ret && (v = ymap_get(action, "count"))) {
		uint64_t k;
		if (v->kind == Y_SCALAR && strcmp(v->str, "unlimited") == 0)
			st->size = MHP_FAIL_ALLOC_UNLIMITED;
		else if (v->kind == Y_SCALAR && parse_u64(v->str, &k) == NUM_MALFORMED)
			ret = yerr(c->doc, v, c->err, "count: expected a number of failures or 'unlimited', found '%s'",
				   v->str);
		else
			ret = yget_u64(c->doc, v, "count", 1, 1000000, &st->size, c->err);
	}
	if (!ret && (v = ymap_get(action, "interval")))
		ret = yget_u64(c->doc, v, "interval", 1, 1000000, &interval, c->err);
	st->interval = (unsigned)interval;
	return ret;
}

/*
 * alloc: {kind, pages, node, tag} / free, hold, release: {tag, pages} /
 * where: {tag, pages, zone, node, block, not_block}
 */
static int parse_workload(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
			  struct step *st)
{
	const char *what = step_table[st->kind].word;
	struct ynode *v;
	uint64_t x;
	(void)n;
	int ret = parse_map(c, action, st);
	if (!ret)
		ret = ymap_need(c->doc, action, what, "tag", &v, c->err);
	if (!ret)
		ret = yget_u64(c->doc, v, "tag", 1, UINT32_MAX, &st->start, c->err);
	st->size = 1;
	if (!ret && (v = ymap_get(action, "pages")))
		ret = yget_u64(c->doc, v, "pages", 1, 1u << 24, &st->size, c->err);
	if (!ret && st->start + st->size - 1 > UINT32_MAX)
		ret = yerr(c->doc, action, c->err, "%s: tags run past %u", what, UINT32_MAX);
	if (!ret && st->kind == STEP_ALLOC) {
		int k;
		if (!(ret = ymap_need(c->doc, action, what, "kind", &v, c->err)) &&
		    !(ret = yget_enum(c->doc, v, "kind", step_workload_kinds, &k, c->err)))
			snprintf(st->kind_name, sizeof(st->kind_name), "%s", step_workload_kinds[k]);
	}
	st->nid = st->kind == STEP_WHERE ? -1 : 0;
	if (!ret && (v = ymap_get(action, "node")) &&
	    !(ret = yget_u64(c->doc, v, "node", 0, INSPECT_MAX_NODES - 1, &x, c->err)))
		st->nid = (int)x;
	st->zone_expect = st->block_expect = st->not_block = -1;
	if (!ret && (v = ymap_get(action, "zone")))
		ret = yget_enum(c->doc, v, "zone", step_zone_words, &st->zone_expect, c->err);
	if (!ret && (v = ymap_get(action, "block")) && !(ret = yget_u64(c->doc, v, "block", 0, INT32_MAX, &x, c->err)))
		st->block_expect = (int)x;
	if (!ret && (v = ymap_get(action, "not_block")) &&
	    !(ret = yget_u64(c->doc, v, "not_block", 0, INT32_MAX, &x, c->err)))
		st->not_block = (int)x;
	return ret;
}

static int parse_retries(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
			 struct step *st)
{
	(void)n;
	return yget_u64(c->doc, action, "offline_retries", 1, 1000000, &st->start, c->err);
}

/* modprobe: {module: NAME, priority: N} */
static int parse_modprobe(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
			  struct step *st)
{
	struct ynode *v = NULL, *p;
	(void)n;
	int ret = parse_map(c, action, st);
	if (!ret)
		ret = ymap_need(c->doc, action, "modprobe", "module", &v, c->err);
	if (!ret && (p = ymap_get(action, "priority")))
		ret = yget_u64(c->doc, p, "priority", 0, 1000, &st->start, c->err);
	return ret ? ret : yget_str(c->doc, v, "module", st->kind_name, sizeof(st->kind_name), c->err);
}

/* rmmod: NAME */
static int parse_rmmod(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
		       struct step *st)
{
	(void)n;
	return yget_str(c->doc, action, "module", st->kind_name, sizeof(st->kind_name), c->err);
}

/*
 * virtio_mem: { requested_size: SIZE, plugged: SIZE }: the host sets the
 * device's requested size (QMP qom-set); plugged, if given, is the size the
 * driver must have reached when it settles. st->size is the request,
 * st->start the expected plugged size or UINT64_MAX.
 */
static int parse_virtio_mem(const struct step_parse *c, const struct ynode *n, const struct ynode *action,
			    struct step *st)
{
	struct ynode *v;
	(void)n;
	int ret = parse_map(c, action, st);
	if (!ret)
		ret = ymap_need(c->doc, action, "virtio_mem", "requested_size", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "requested_size", &st->size, c->err);
	st->start = UINT64_MAX;
	if (!ret && (v = ymap_get(action, "plugged")))
		ret = yget_size(c->doc, v, "plugged", &st->start, c->err);
	return ret;
}

/* Finds the one action key of a step. */
static int step_kind_of(const struct step_parse *c, const struct ynode *n, enum step_kind *kind)
{
	int found = -1;
	for (unsigned i = 0; i < n->n; i++) {
		const char *key = n->items[2 * i]->str;
		for (int k = 0; k < NR_STEP_KINDS; k++) {
			if (strcmp(key, step_table[k].word) != 0)
				continue;
			if (found >= 0)
				return yerr(c->doc, n->items[2 * i], c->err,
					    "step has two actions ('%s' and '%s'); expected exactly one",
					    step_table[found].word, key);
			found = k;
		}
	}
	if (found < 0) {
		char words[400];
		struct strbuf sb;
		sb_init(&sb, words, sizeof(words));
		for (int k = 0; k < NR_STEP_KINDS; k++)
			sb_printf(&sb, "%s%s", k ? ", " : "", step_table[k].word);
		return yerr(c->doc, n, c->err, "step has no action; expected one of: %s", words);
	}
	*kind = (enum step_kind)found;
	return 0;
}

static int parse_step_expect(const struct step_parse *c, const struct ynode *n, struct step *st)
{
	const char *word = step_table[st->kind].word;
	struct ynode *v = ymap_get(n, "expect");
	switch (step_table[st->kind].expect) {
	case EXPECT_TEXT:
		if (!v)
			return yerr(c->doc, n, c->err, "%s: missing required key 'expect' (the text the file holds)", word);
		st->has_text = true;
		return need_str(c, v, "expect", &st->text);
	case EXPECT_LIST:
		if (!v)
			return yerr(c->doc, n, c->err, "%s: missing required key 'expect' (the entries)", word);
		return parse_str_list(c, v, "expect", &st->list, &st->nlist);
	case EXPECT_ERRNO:
		return v ? parse_expect_errno(c, v, &st->expect_err) : 0;
	default:
		return 0;
	}
}

int step_parse(const struct step_parse *c, const struct ynode *n, struct step *st)
{
	int ret = yexpect(c->doc, n, Y_MAP, "step", c->err);
	if (!ret)
		ret = step_kind_of(c, n, &st->kind);
	if (ret)
		return ret;
	const struct step_ops *row = &step_table[st->kind];
	st->line = n->line;
	st->col = n->col;
	if ((ret = ymap_check_keys(c->doc, n, row->word, row->keys, c->err)))
		return ret;
	ret = row->parse(c, n, ymap_get(n, row->word), st);
	if (!ret)
		ret = parse_step_expect(c, n, st);
	struct ynode *v;
	if (!ret && (v = ymap_get(n, "log"))) {
		st->has_log = true;
		ret = parse_str_list(c, v, "log", &st->log, &st->nlog);
	}
	if (!ret && (v = ymap_get(n, "violates")))
		ret = yget_str(c->doc, v, "violates", st->violates, sizeof(st->violates), c->err);
	return ret;
}

static void free_list(char **list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void step_free(struct step *st)
{
	free(st->path);
	free(st->text);
	free_list(st->list, st->nlist);
	free_list(st->log, st->nlog);
}

/* ---- describing: what a step does, in the words of a shell session or a driver --------- */

void step_describe(const struct step *st, char *buf, size_t cap)
{
	step_table[st->kind].describe(st, buf, cap);
}

static void describe_say(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "# %s", st->text);
}

static void describe_write(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "echo %s%s > %s", st->newline ? "" : "-n ", st->text, st->path);
}

static void describe_read(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s %s", st->kind == STEP_READ ? "cat" : st->kind == STEP_LIST ? "ls" : "readlink",
		 st->path);
}

static void describe_add(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "driver adds %#llx+%#llx on node %d as \"%s\"", (unsigned long long)st->start,
		 (unsigned long long)st->size, st->nid, step_driver_resources[st->driver]);
}

static void describe_remove(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "driver removes %#llx+%#llx", (unsigned long long)st->start, (unsigned long long)st->size);
}

static void describe_memremap(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "driver maps %#llx+%#llx on node %d as ZONE_DEVICE memory", (unsigned long long)st->start,
		 (unsigned long long)st->size, st->nid);
}

static void describe_memunmap(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "driver unmaps ZONE_DEVICE memory %#llx+%#llx", (unsigned long long)st->start,
		 (unsigned long long)st->size);
}

static void describe_touch(const struct step *st, char *buf, size_t cap)
{
	static const char *const what[] = { "linear map of pa", "struct page of pfn", "address" };
	snprintf(buf, cap, "load from the %s %#llx", what[st->touch_kind], (unsigned long long)st->start);
}

static void describe_alloc(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "workload allocates %llu %s page(s) on node %d, tags %llu..", (unsigned long long)st->size,
		 st->kind_name, st->nid, (unsigned long long)st->start);
}

static void describe_free(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "workload frees tags %llu..%llu", (unsigned long long)st->start,
		 (unsigned long long)(st->start + st->size - 1));
}

static void describe_hold(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "workload %s a short-term reference on tags %llu..%llu (vmsplice, O_DIRECT in flight)",
		 st->kind == STEP_HOLD ? "takes" : "drops", (unsigned long long)st->start,
		 (unsigned long long)(st->start + st->size - 1));
}

static void describe_modprobe(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "modprobe %s priority=%llu", st->kind_name, (unsigned long long)st->start);
}

static void describe_rmmod(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "modprobe -r %s", st->kind_name);
}

static void describe_virtio_mem(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "host sets virtio-mem requested-size=%lluM (qom-set)", (unsigned long long)(st->size >> 20));
}

static void describe_retries(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "a signal interrupts an offline after %llu migration passes", (unsigned long long)st->start);
}

static void describe_fail_alloc(const struct step *st, char *buf, size_t cap)
{
	unsigned long long at = st->start, n = st->size, every = st->interval;
	const char *what = st->kind == STEP_FAILSLAB ? "slab" : "page";
	if (!at) {
		snprintf(buf, cap, "fault injection off: %s allocations succeed again", what);
		return;
	}
	if (every <= 1 && n != MHP_FAIL_ALLOC_UNLIMITED) {
		snprintf(buf, cap, "fault injection: %s allocations %llu to %llu from now fail", what, at, at + n - 1);
		return;
	}
	char times[48] = "for good";
	if (n != MHP_FAIL_ALLOC_UNLIMITED)
		snprintf(times, sizeof(times), "%llu failures in all", n);
	char rate[48] = "every one";
	if (every > 1)
		snprintf(rate, sizeof(rate), "one in %llu", every);
	snprintf(buf, cap, "fault injection: %s allocation %llu from now fails, then %s after it, %s", what, at, rate,
		 times);
}

/* "check zoneinfo node 0 DMA: spanned=262144 present=...": what a counter check holds the model to. */
static void describe_counters(const struct step *st, char *buf, size_t cap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	sb_printf(&sb, "check %s", step_table[st->kind].word);
	if (st->zone >= 0)
		sb_printf(&sb, " node %d %s", st->nid, step_zone_words[st->zone]);
	sb_printf(&sb, ":");
	for (unsigned i = 0; i < st->nkv; i++)
		sb_printf(&sb, " %s=%llu", st->kv[i].key, (unsigned long long)st->kv[i].value);
}

static void describe_check(const struct step *st, char *buf, size_t cap)
{
	snprintf(buf, cap, "check %s", step_table[st->kind].word);
}

/* ---- writing: the step as scenario YAML, as the fuzzer writes what it shrank ---- */

/* A scalar: plain when it reads back as itself, else double-quoted. */
static void write_scalar(FILE *f, const char *s)
{
	bool plain = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '/';
	for (const char *p = s; plain && *p; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-", *p) != NULL;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A size in MiB where it is whole MiB (as the fuzzer always wrote them), else in hex. */
static void write_size(FILE *f, uint64_t v)
{
	if (v % (1u << 20) == 0)
		fprintf(f, "%lluM", (unsigned long long)(v >> 20));
	else
		fprintf(f, "%#llx", (unsigned long long)v);
}

static void write_list(FILE *f, const char *key, char *const *list, unsigned n)
{
	fprintf(f, "    %s:%s\n", key, n ? "" : " []");
	for (unsigned i = 0; i < n; i++) {
		fputs("      - ", f);
		write_scalar(f, list[i]);
		fputc('\n', f);
	}
}

void step_write(FILE *f, const struct step *st)
{
	const struct step_ops *row = &step_table[st->kind];
	row->write(f, st);
	if (row->expect == EXPECT_ERRNO)
		fprintf(f, "    expect: %s\n", st->expect_err == EXPECT_ANY ? "any" :
			st->expect_err ? mhp_errno_name(st->expect_err) : "ok");
	if (row->expect == EXPECT_TEXT) {
		fputs("    expect: ", f);
		write_scalar(f, st->text);
		fputc('\n', f);
	}
	if (row->expect == EXPECT_LIST)
		write_list(f, "expect", st->list, st->nlist);
	if (st->has_log)
		write_list(f, "log", st->log, st->nlog);
	if (st->violates[0])
		fprintf(f, "    violates: %s\n", st->violates);
}

/* "  - word: " */
static void write_word(FILE *f, const struct step *st)
{
	fprintf(f, "  - %s: ", step_table[st->kind].word);
}

static void write_say(FILE *f, const struct step *st)
{
	write_word(f, st);
	write_scalar(f, st->text);
	fputc('\n', f);
}

static void write_path(FILE *f, const struct step *st)
{
	write_word(f, st);
	write_scalar(f, st->path);
	fputc('\n', f);
}

static void write_write(FILE *f, const struct step *st)
{
	write_path(f, st);
	fputs("    value: ", f);
	write_scalar(f, st->text);
	fprintf(f, "\n%s", st->newline ? "" : "    newline: false\n");
}

static void write_range(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "{ start: %#llx, size: ", (unsigned long long)st->start);
	write_size(f, st->size);
	if ((st->kind == STEP_ADD || st->kind == STEP_MEMREMAP) && st->nid)
		fprintf(f, ", node: %d", st->nid);
	if (st->kind == STEP_ADD)
		fprintf(f, ", driver: %s%s", step_driver_words[st->driver],
			st->flags & MHP_MEMMAP_ON_MEMORY ? ", memmap_on_memory: true" : "");
	fputs(" }\n", f);
}

static void write_counters(FILE *f, const struct step *st)
{
	write_word(f, st);
	fputs("{ ", f);
	if (st->zone >= 0)
		fprintf(f, "node: %d, zone: %s, ", st->nid, step_zone_words[st->zone]);
	for (unsigned i = 0; i < st->nkv; i++)
		fprintf(f, "%s%s: %llu", i ? ", " : "", st->kv[i].key, (unsigned long long)st->kv[i].value);
	fputs(" }\n", f);
}

static void write_touch(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "{ %s: %#llx }\n", step_table[STEP_TOUCH].fields[st->touch_kind], (unsigned long long)st->start);
}

static void write_fail_alloc(FILE *f, const struct step *st)
{
	write_word(f, st);
	if (!st->start) {
		fprintf(f, "off\n");
		return;
	}
	if (st->size == 1 && st->interval <= 1) {
		fprintf(f, "%llu\n", (unsigned long long)st->start);
		return;
	}
	fprintf(f, "{ at: %llu, count: ", (unsigned long long)st->start);
	if (st->size == MHP_FAIL_ALLOC_UNLIMITED)
		fprintf(f, "unlimited");
	else
		fprintf(f, "%llu", (unsigned long long)st->size);
	if (st->interval > 1)
		fprintf(f, ", interval: %u", st->interval);
	fprintf(f, " }\n");
}

static void write_alloc(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "{ kind: %s, pages: %llu, tag: %llu", st->kind_name, (unsigned long long)st->size,
		(unsigned long long)st->start);
	if (st->nid)
		fprintf(f, ", node: %d", st->nid);
	fputs(" }\n", f);
}

/* free, hold, release and where: the run of tags, then where's optional checks. */
static void write_tags(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "{ tag: %llu, pages: %llu", (unsigned long long)st->start, (unsigned long long)st->size);
	if (st->kind == STEP_WHERE && st->zone_expect >= 0)
		fprintf(f, ", zone: %s", step_zone_words[st->zone_expect]);
	if (st->kind == STEP_WHERE && st->nid >= 0)
		fprintf(f, ", node: %d", st->nid);
	if (st->kind == STEP_WHERE && st->block_expect >= 0)
		fprintf(f, ", block: %d", st->block_expect);
	if (st->kind == STEP_WHERE && st->not_block >= 0)
		fprintf(f, ", not_block: %d", st->not_block);
	fputs(" }\n", f);
}

static void write_number(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "%llu\n", (unsigned long long)st->start);
}

static void write_modprobe(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "{ module: %s", st->kind_name);
	if (st->start)
		fprintf(f, ", priority: %llu", (unsigned long long)st->start);
	fputs(" }\n", f);
}

static void write_rmmod(FILE *f, const struct step *st)
{
	write_word(f, st);
	fprintf(f, "%s\n", st->kind_name);
}

static void write_virtio_mem(FILE *f, const struct step *st)
{
	write_word(f, st);
	fputs("{ requested_size: ", f);
	write_size(f, st->size);
	if (st->start != UINT64_MAX) {
		fputs(", plugged: ", f);
		write_size(f, st->start);
	}
	fputs(" }\n", f);
}

/* ---- the table ---------------------------------------------------------------------- */

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define SIM_CHECK "skip a check of the model"
/* A vmsplice into a pipe never read, or an O_DIRECT transfer held in flight: busybox can do neither. */
#define DEPART_HOLD "depart a short-term page reference (vmsplice, O_DIRECT in flight) has no guest-side tool: " \
		    "the guest's busybox has no vmsplice"

const struct step_ops step_table[NR_STEP_KINDS] = {
	[STEP_SAY] = { "say", KEYS("say"), NULL, EXPECT_NONE, parse_say, step_run_nothing, NULL, describe_say,
		       NULL, "skip narration", write_say },
	[STEP_READ] = { "read", KEYS("read", "expect", "log"), NULL, EXPECT_TEXT, parse_path, step_run_read,
			mhp_sysfs_read, describe_read, reference_read, NULL, write_path },
	[STEP_WRITE] = { "write", KEYS("write", "value", "newline", "expect", "log", "violates"), NULL, EXPECT_ERRNO,
			 parse_write, step_run_write, NULL, describe_write, reference_write, NULL, write_write },
	[STEP_LIST] = { "list", KEYS("list", "expect"), NULL, EXPECT_LIST, parse_path, step_run_list, mhp_sysfs_list,
			describe_read, reference_read, NULL, write_path },
	[STEP_READLINK] = { "readlink", KEYS("readlink", "expect"), NULL, EXPECT_TEXT, parse_path, step_run_read,
			    mhp_sysfs_readlink, describe_read, reference_read, NULL, write_path },
	[STEP_ADD] = { "add_memory", KEYS("add_memory", "expect", "log", "violates"),
		       KEYS("start", "size", "node", "driver", "memmap_on_memory"), EXPECT_ERRNO, parse_range,
		       step_run_add, NULL, describe_add, reference_add, NULL, write_range },
	[STEP_REMOVE] = { "remove_memory", KEYS("remove_memory", "expect", "log", "violates"), KEYS("start", "size"),
			  EXPECT_ERRNO, parse_range, step_run_remove, NULL, describe_remove, reference_remove, NULL,
			  write_range },
	[STEP_ZONEINFO] = { "zoneinfo", KEYS("zoneinfo"),
			    KEYS("node", "zone", "free", "spanned", "present", "managed", "cma", "start_pfn"),
			    EXPECT_NONE, parse_counters, step_run_counters, NULL, describe_counters, NULL, SIM_CHECK,
			    write_counters },
	[STEP_MEMINFO] = { "meminfo", KEYS("meminfo"), KEYS("MemTotal", "MemFree", "PageTables", "CmaTotal", "CmaFree", "DirectMap4k",
						     "DirectMap2M", "DirectMap1G"), EXPECT_NONE,
			   parse_counters, step_run_counters, NULL, describe_counters, NULL, SIM_CHECK, write_counters },
	[STEP_VMSTAT] = { "vmstat", KEYS("vmstat"), KEYS("nr_free_pages", "nr_page_table_pages", "nr_memmap_pages", "nr_memmap_boot_pages"),
			  EXPECT_NONE, parse_counters, step_run_counters, NULL, describe_counters, NULL, SIM_CHECK,
			  write_counters },
	[STEP_TOUCH] = { "touch", KEYS("touch", "expect"), KEYS("phys", "struct_page", "va"), EXPECT_ERRNO,
			 parse_touch, step_run_touch, NULL, describe_touch, NULL, "skip the TLB model", write_touch },
	[STEP_PAGETABLES] = { "pagetables", KEYS("pagetables"), KEYS("tables", "PGD", "P4D", "PUD", "PMD", "PTE", "freed", "flush_all",
							 "flush_range", "flush_pgtable", "freed_while_cached"),
			      EXPECT_NONE, parse_counters, step_run_pagetables, NULL, describe_counters, NULL,
			      SIM_CHECK, write_counters },
	[STEP_FAIL_ALLOC] = { "fail_alloc", KEYS("fail_alloc"), KEYS("at", "count", "interval"), EXPECT_NONE, parse_fail_alloc,
			      step_run_fail_alloc, NULL, describe_fail_alloc, NULL,
			      "depart fault injection into the model's allocator", write_fail_alloc },
	[STEP_FAILSLAB] = { "failslab", KEYS("failslab"), KEYS("at", "count", "interval"), EXPECT_NONE, parse_fail_alloc,
			    step_run_fail_alloc, NULL, describe_fail_alloc, NULL,
			    "depart fault injection into the model's slab objects", write_fail_alloc },
	[STEP_MEMREMAP] = { "memremap", KEYS("memremap", "expect", "log", "violates"), KEYS("start", "size", "node"),
			    EXPECT_ERRNO, parse_range, step_run_memremap, NULL, describe_memremap, NULL,
			    "a pmem namespace the reference guest does not have", write_range },
	[STEP_MEMUNMAP] = { "memunmap", KEYS("memunmap", "expect", "log", "violates"), KEYS("start", "size"),
			    EXPECT_ERRNO, parse_range, step_run_memunmap, NULL, describe_memunmap, NULL,
			    "a pmem namespace the reference guest does not have", write_range },
	[STEP_ALLOC] = { "alloc", KEYS("alloc", "expect", "log"), KEYS("kind", "pages", "node", "tag"), EXPECT_ERRNO,
			 parse_workload, step_run_alloc, NULL, describe_alloc, reference_alloc, NULL, write_alloc },
	[STEP_FREE] = { "free", KEYS("free", "expect"), KEYS("tag", "pages"), EXPECT_ERRNO, parse_workload,
			step_run_free, NULL, describe_free, reference_free, NULL, write_tags },
	[STEP_WHERE] = { "where", KEYS("where"), KEYS("tag", "pages", "zone", "node", "block", "not_block"),
			 EXPECT_NONE, parse_workload, step_run_where, NULL, describe_check, NULL, SIM_CHECK,
			 write_tags },
	[STEP_RETRIES] = { "offline_retries", KEYS("offline_retries"), NULL, EXPECT_NONE, parse_retries,
			   step_run_retries, NULL, describe_retries, NULL,
			   "skip the guest's writes are interrupted after 10 s instead", write_number },
	[STEP_MODPROBE] = { "modprobe", KEYS("modprobe", "expect"), KEYS("module", "priority"), EXPECT_ERRNO,
			    parse_modprobe, step_run_modprobe, NULL, describe_modprobe, NULL,
			    "skip the guest loads its modules at boot", write_modprobe },
	[STEP_RMMOD] = { "rmmod", KEYS("rmmod", "expect"), NULL, EXPECT_ERRNO, parse_rmmod, step_run_rmmod, NULL,
			 describe_rmmod, NULL, "depart the guest keeps its modules", write_rmmod },
	[STEP_VIRTIO_MEM] = { "virtio_mem", KEYS("virtio_mem", "expect", "log"), KEYS("requested_size", "plugged"),
			      EXPECT_ERRNO, parse_virtio_mem, step_run_virtio_mem, NULL, describe_virtio_mem,
			      reference_virtio_mem, NULL, write_virtio_mem },
	[STEP_HOLD] = { "hold", KEYS("hold", "expect"), KEYS("tag", "pages"), EXPECT_ERRNO, parse_workload,
			step_run_hold, NULL, describe_hold, NULL, DEPART_HOLD, write_tags },
	[STEP_RELEASE] = { "release", KEYS("release", "expect"), KEYS("tag", "pages"), EXPECT_ERRNO, parse_workload,
			   step_run_release, NULL, describe_hold, NULL, DEPART_HOLD, write_tags },
};
