// SPDX-License-Identifier: GPL-2.0-only
/*
 * step_run.c - what each kind of step does to the machine: an action, whose
 * errno the caller traces and checks, or a check of the machine against the
 * step, which fails the step through its env.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step.h"

int step_vfail_at(struct step_env *env, const struct step *st, unsigned line, unsigned col, const char *fmt,
		  va_list ap)
{
	char what[400];
	vsnprintf(what, sizeof(what), fmt, ap);
	env->failed = true;
	return mhp_err_set(env->err, -EUCLEAN, "%s:%u:%u: step %u (%s): %s", env->file, line, col, env->step,
			   step_table[st->kind].word, what);
}

int step_fail_at(struct step_env *env, const struct step *st, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int ret = step_vfail_at(env, st, line, col, fmt, ap);
	va_end(ap);
	return ret;
}

/* A step failure at the step itself: "file:line:col: step N (kind): <what>". */
#define step_fail(env, st, ...) step_fail_at(env, st, (st)->line, (st)->col, __VA_ARGS__)

int step_run_nothing(struct step_env *env, const struct step *st)
{
	(void)env;
	(void)st;
	return 0;
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
static void narrate_text(const struct step_env *env, const char *text)
{
	if (!env->narrate)
		return;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		fprintf(env->narrate, "    | %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

/* {"type":"read","step":N,"path":...,"text":...}: what a JSON reader gets of a read. */
static void json_read(const struct step_env *env, const struct step *st, const char *text)
{
	size_t cap = 6 * strlen(text) + strlen(st->path) * 6 + 96;   /* \u00XX is the widest escape */
	char *buf = env->json ? malloc(cap) : NULL;
	if (!buf)
		return;
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	sb_printf(&sb, "{\"type\":\"read\",\"step\":%u,\"path\":", env->step);
	sb_put_json_string(&sb, st->path);
	sb_printf(&sb, ",\"text\":");
	sb_put_json_string(&sb, text);
	sb_printf(&sb, "}");
	fprintf(env->json, "%s\n", buf);
	free(buf);
}

/* What a read read: under the step in a narration or a plain run, a JSON line in --json. */
static void show_read(const struct step_env *env, const struct step *st, const char *text)
{
	narrate_text(env, text);
	json_read(env, st, text);
}

/* read and readlink: the file holds exactly the expected text. */
int step_run_read(struct step_env *env, const struct step *st)
{
	ssize_t n = step_table[st->kind].read(env->m, st->path, env->buf, STEP_BUF_MAX);
	if (n < 0)
		return step_fail(env, st, "%s failed: %s", st->path, mhp_errno_name((int)n));
	show_read(env, st, env->buf);
	if (strcmp(env->buf, st->text) != 0) {
		char want[160], got[160];
		escape(st->text, want, sizeof(want));
		escape(env->buf, got, sizeof(got));
		return step_fail(env, st, "%s: expected \"%s\", read \"%s\"", st->path, want, got);
	}
	return 0;
}

int step_run_list(struct step_env *env, const struct step *st)
{
	ssize_t n = step_table[st->kind].read(env->m, st->path, env->buf, STEP_BUF_MAX);
	if (n < 0)
		return step_fail(env, st, "%s: %s", st->path, mhp_errno_name((int)n));
	show_read(env, st, env->buf);
	char *save = NULL, *name = strtok_r(env->buf, "\n", &save);
	for (unsigned i = 0; i < st->nlist; i++, name = strtok_r(NULL, "\n", &save)) {
		if (!name || strcmp(name, st->list[i]) != 0)
			return step_fail(env, st, "%s: entry %u: expected %s, found %s", st->path, i + 1, st->list[i],
					 name ? name : "(end of listing)");
	}
	if (name)
		return step_fail(env, st, "%s: unexpected extra entry %s", st->path, name);
	return 0;
}

int step_run_write(struct step_env *env, const struct step *st)
{
	char value[4096];
	int len = snprintf(value, sizeof(value), "%s%s", st->text, st->newline ? "\n" : "");
	if (len < 0 || (size_t)len >= sizeof(value))
		return step_fail(env, st, "value longer than %zu bytes", sizeof(value) - 2);
	return mhp_sysfs_write(env->m, st->path, value, (size_t)len);
}

int step_run_add(struct step_env *env, const struct step *st)
{
	return mhp_add_memory_flags(env->m, st->nid, st->start, st->size, step_driver_resources[st->driver], st->flags,
				    &env->op_err);
}

int step_run_remove(struct step_env *env, const struct step *st)
{
	return mhp_remove_memory(env->m, st->start, st->size, &env->op_err);
}

int step_run_memremap(struct step_env *env, const struct step *st)
{
	return mhp_memremap_pages(env->m, st->nid, st->start, st->size, &env->op_err);
}

int step_run_memunmap(struct step_env *env, const struct step *st)
{
	return mhp_memunmap_pages(env->m, st->start, st->size, &env->op_err);
}

int step_run_touch(struct step_env *env, const struct step *st)
{
	return mhp_touch(env->m, (enum mhp_touch)st->touch_kind, st->start);
}

int step_run_fail_alloc(struct step_env *env, const struct step *st)
{
	void (*arm)(struct mhp_machine *, unsigned, unsigned, unsigned) =
		st->kind == STEP_FAILSLAB ? mhp_machine_failslab : mhp_machine_fail_alloc_every;
	arm(env->m, (unsigned)st->start, st->interval ? st->interval : 1, (unsigned)st->size);
	return 0;
}

int step_run_alloc(struct step_env *env, const struct step *st)
{
	return mhp_workload_alloc(env->m, st->kind_name, st->nid, st->size, (uint32_t)st->start, &env->op_err);
}

int step_run_free(struct step_env *env, const struct step *st)
{
	return mhp_workload_free(env->m, (uint32_t)st->start, st->size, &env->op_err);
}

int step_run_hold(struct step_env *env, const struct step *st)
{
	return mhp_workload_hold(env->m, (uint32_t)st->start, st->size, &env->op_err);
}

int step_run_release(struct step_env *env, const struct step *st)
{
	return mhp_workload_release(env->m, (uint32_t)st->start, st->size, &env->op_err);
}

int step_run_retries(struct step_env *env, const struct step *st)
{
	mhp_machine_set_offline_retries(env->m, (uint32_t)st->start);
	return 0;
}

int step_run_modprobe(struct step_env *env, const struct step *st)
{
	return mhp_modprobe(env->m, st->kind_name, (int)st->start, false, &env->op_err);
}

int step_run_rmmod(struct step_env *env, const struct step *st)
{
	return mhp_modprobe(env->m, st->kind_name, 0, true, &env->op_err);
}

/* The host's request; with plugged, the size the driver must have settled at. */
int step_run_virtio_mem(struct step_env *env, const struct step *st)
{
	struct mhp_virtio_mem_info vi;
	int ret = mhp_virtio_mem_set_requested(env->m, st->size, &env->op_err);
	if (!ret && st->start != UINT64_MAX && !mhp_virtio_mem_info(env->m, &vi) && vi.plugged != st->start)
		return step_fail(env, st, "the driver settled at %llu MiB plugged, expected %llu MiB",
				 (unsigned long long)(vi.plugged >> 20), (unsigned long long)(st->start >> 20));
	return ret;
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

/* zoneinfo, meminfo, vmstat: /proc/<word> shows each expected value; zoneinfo's within one zone. */
int step_run_counters(struct step_env *env, const struct step *st)
{
	char file[32];
	snprintf(file, sizeof(file), "/proc/%s", step_table[st->kind].word);
	ssize_t n = mhp_sysfs_read(env->m, file, env->buf, STEP_BUF_MAX);
	if (n < 0 || (size_t)n >= STEP_BUF_MAX)
		return step_fail(env, st, "%s could not be read", file);
	const char *text = env->buf;
	if (st->zone >= 0) {
		char header[64];
		snprintf(header, sizeof(header), "Node %d, zone %8s\n", st->nid, step_zone_words[st->zone]);
		text = strstr(env->buf, header);
		if (!text)
			return step_fail(env, st, "%s has no \"Node %d, zone %s\"", file, st->nid, step_zone_words[st->zone]);
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
			return step_fail_at(env, st, kv->line, kv->col, "%s shows no %s", file, kv->key);
		if (v != kv->value)
			return step_fail_at(env, st, kv->line, kv->col, "%s: expected %llu, got %llu", kv->key,
					    (unsigned long long)kv->value, (unsigned long long)v);
	}
	return 0;
}

/* Live tables of the level called key ("tables": all of them), or UINT64_MAX if there is no such level. */
/* A pagetables key's value: tables now (in all, or at a level), or since boot: tables freed, TLB flushes by kind. */
static uint64_t tables_of(const struct mhp_machine *m, const uint64_t *counts, const char *key)
{
	struct mhp_pt_stats st;
	mhp_machine_pt_stats(m, &st);
	const struct { const char *key; uint64_t v; } since_boot[] = {
		{ "tables", mhp_pgtable_count(m) }, { "freed", st.freed }, { "flush_all", st.flush_all },
		{ "flush_range", st.flush_range }, { "flush_pgtable", st.flush_pgtable },
		{ "freed_while_cached", st.freed_while_cached },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(since_boot); i++)
		if (strcmp(key, since_boot[i].key) == 0)
			return since_boot[i].v;
	for (unsigned d = 0; inspect_pt_level_name(m, d); d++)
		if (strcmp(key, inspect_pt_level_name(m, d)) == 0)
			return counts[d];
	return UINT64_MAX;
}

int step_run_pagetables(struct step_env *env, const struct step *st)
{
	uint64_t counts[INSPECT_PT_MAX_DEPTH];
	inspect_pt_table_counts(env->m, counts);
	for (unsigned i = 0; i < st->nkv; i++) {
		const struct kv *kv = &st->kv[i];
		uint64_t v = tables_of(env->m, counts, kv->key);
		if (v == UINT64_MAX)
			return step_fail_at(env, st, kv->line, kv->col, "this machine has no %s level", kv->key);
		if (v != kv->value)
			return step_fail_at(env, st, kv->line, kv->col, "%s: expected %llu, got %llu", kv->key,
					    (unsigned long long)kv->value, (unsigned long long)v);
	}
	return 0;
}

/* where: each tagged page lies where the step says. */
int step_run_where(struct step_env *env, const struct step *st)
{
	struct mhp_machine *m = env->m;
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	for (uint64_t i = 0; i < st->size; i++) {
		uint64_t pfn;
		uint32_t tag = (uint32_t)(st->start + i);
		struct inspect_pfn where;
		if (mhp_workload_where(m, tag, &pfn))
			return step_fail(env, st, "no page holds tag %u", tag);
		inspect_pfn(m, pfn, &where);
		if (!where.present)   /* only a broken model (a mutant) records a tag there */
			return step_fail(env, st, "tag %u is recorded at pfn %#llx, which is not present", tag,
					 (unsigned long long)pfn);
		uint64_t block = (pfn << g.page_shift) / g.block_size;
		if (st->zone_expect >= 0 && where.zone != st->zone_expect)
			return step_fail(env, st, "tag %u is at pfn %#llx in zone %s, not %s", tag, (unsigned long long)pfn,
					 where.zone == INSPECT_NO_ZONE ? "none" : inspect_zone_name(where.zone),
					 inspect_zone_name(st->zone_expect));
		if (st->nid >= 0 && where.nid != st->nid)
			return step_fail(env, st, "tag %u is on node %d, not %d", tag, where.nid, st->nid);
		if (st->block_expect >= 0 && block != (uint64_t)st->block_expect)
			return step_fail(env, st, "tag %u is in memory%llu, not memory%d", tag, (unsigned long long)block,
					 st->block_expect);
		if (st->not_block >= 0 && block == (uint64_t)st->not_block)
			return step_fail(env, st, "tag %u is still in memory%d", tag, st->not_block);
	}
	return 0;
}
