// SPDX-License-Identifier: GPL-2.0-only
/*
 * observe.c - the reference lane's observations (include/mhpsim/observe.h):
 * the raw dump of the simulator's files, in the framing reference/guest-init
 * uses on a real kernel, and the one formatter both go through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/mhpsim.h>

#include "inspect.h"
#include "util.h"


#define OBS_READ_MAX (1u << 20)
#define OBS_MAX_FILES 8192
#define OBS_MAX_BLOCKS 4096

static const char *const memory_dir = "/sys/devices/system/memory";

/* One file, framed as the guest frames it: its text, or a directory's entries one a line. */
static void dump_file(struct mhp_machine *m, const char *path, char *buf, FILE *out)
{
	ssize_t n = mhp_sysfs_read(m, path, buf, OBS_READ_MAX);
	fprintf(out, "@@file %s\n", path);
	if (n < 0) {
		fprintf(out, "cat: read error: %s\n", mhp_errno_name((int)n));
		return;
	}
	n = n < OBS_READ_MAX ? n : OBS_READ_MAX - 1;   /* longer files are cut, as a bounded read would */
	fwrite(buf, 1, (size_t)n, out);
	if (n && buf[n - 1] != '\n')
		fputc('\n', out);
}

/* The node link of a memory block ("node0"), from its directory's entries. */
static void dump_node_link(struct mhp_machine *m, const char *block, char *buf, FILE *out)
{
	if (mhp_sysfs_list(m, block, buf, OBS_READ_MAX) < 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "node", 4) == 0 && line[4] >= '0' && line[4] <= '9')
			fprintf(out, "@@file %s/node\n%s\n", block, line);
}

int mhp_observe_raw(struct mhp_machine *m, uint64_t *log_mark, FILE *out)
{
	static const char *const block_files[] = { "state", "valid_zones", "phys_device", "removable", "phys_index" };
	static const char *const tail[] = { "/sys/devices/system/node/online", "/sys/devices/system/node/has_memory",
					    "/sys/devices/system/node/has_normal_memory", "/sys/devices/system/node/has_cpu",
					    "/proc/zoneinfo", "/proc/meminfo", "/proc/vmstat" };
	char *buf = malloc(OBS_READ_MAX), *list = malloc(OBS_READ_MAX);
	if (!buf || !list) {
		free(buf);
		free(list);
		return -ENOMEM;
	}
	char path[256];
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	fprintf(out, "@@file pagesize\n%llu\n", (unsigned long long)g.page_size);
	snprintf(path, sizeof(path), "%s/block_size_bytes", memory_dir);
	dump_file(m, path, buf, out);
	snprintf(path, sizeof(path), "%s/auto_online_blocks", memory_dir);
	dump_file(m, path, buf, out);
	if (mhp_sysfs_list(m, memory_dir, list, OBS_READ_MAX) < 0)
		list[0] = 0;
	for (char *save = NULL, *e = strtok_r(list, "\n", &save); e; e = strtok_r(NULL, "\n", &save)) {
		if (strncmp(e, "memory", 6) != 0 || e[6] < '0' || e[6] > '9')
			continue;
		char block[128];
		snprintf(block, sizeof(block), "%s/%s", memory_dir, e);
		for (size_t i = 0; i < ARRAY_SIZE(block_files); i++) {
			snprintf(path, sizeof(path), "%s/%s", block, block_files[i]);
			dump_file(m, path, buf, out);
		}
		dump_node_link(m, block, buf, out);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tail); i++)
		dump_file(m, tail[i], buf, out);
	fprintf(out, "@@dmesg\n");
	for (; *log_mark < mhp_log_count(m); (*log_mark)++) {
		enum mhp_loglevel level;
		const char *line = mhp_log_line(m, *log_mark, &level);
		if (line)
			fprintf(out, "%s\n", line);
	}
	fprintf(out, "@@end-observe\n");
	free(buf);
	free(list);
	return 0;
}

/* ---- the canonical text -------------------------------------------------------------- */

struct obs_file {
	const char *path;
	size_t path_len;
	const char *text;
	size_t len;
};

struct obs {
	struct obs_file files[OBS_MAX_FILES];
	size_t n;
	const char *dmesg;
	size_t dmesg_len;
};

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

/* Splits the raw text at its "@@" lines; false when it is not one observation. */
static bool obs_parse(const char *raw, size_t len, struct obs *o)
{
	const char *p = raw, *end = raw + len;
	struct obs_file *cur = NULL;
	const char **open_text = NULL;
	bool ended = false;
	o->n = 0;
	o->dmesg = NULL;
	while (p < end && !ended) {
		const char *e = line_end(p, end);
		if (e - p >= 2 && p[0] == '@' && p[1] == '@') {
			if (cur)
				cur->len = (size_t)(p - cur->text);
			if (open_text == &o->dmesg)
				o->dmesg_len = (size_t)(p - o->dmesg);
			cur = NULL;
			open_text = NULL;
			if (e - p > 7 && strncmp(p, "@@file ", 7) == 0) {
				if (o->n == OBS_MAX_FILES)
					return false;
				cur = &o->files[o->n++];
				*cur = (struct obs_file){ .path = p + 7, .path_len = (size_t)(e - p - 7), .text = e < end ? e + 1 : e };
			} else if (e - p == 7 && strncmp(p, "@@dmesg", 7) == 0) {
				o->dmesg = e < end ? e + 1 : e;
				open_text = &o->dmesg;
			} else if (e - p == 13 && strncmp(p, "@@end-observe", 13) == 0) {
				ended = true;
			}
		}
		p = e < end ? e + 1 : e;
	}
	return ended;
}

/* A file's text without its trailing newline, or "?" when the observation lacks it. */
static void obs_get(const struct obs *o, const char *path, char *out, size_t cap)
{
	size_t plen = strlen(path);
	for (size_t i = 0; i < o->n; i++) {
		const struct obs_file *f = &o->files[i];
		if (f->path_len == plen && memcmp(f->path, path, plen) == 0) {
			size_t n = f->len;
			while (n && (f->text[n - 1] == '\n' || f->text[n - 1] == ' '))
				n--;
			snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), f->text);
			return;
		}
	}
	snprintf(out, cap, "?");
}

/* A file's whole text, as a string the caller frees; NULL when absent or out of memory. */
static char *obs_copy(const struct obs *o, const char *path)
{
	size_t plen = strlen(path);
	for (size_t i = 0; i < o->n; i++) {
		const struct obs_file *f = &o->files[i];
		if (f->path_len == plen && memcmp(f->path, path, plen) == 0) {
			char *s = malloc(f->len + 1);
			if (s) {
				memcpy(s, f->text, f->len);
				s[f->len] = 0;
			}
			return s;
		}
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void format_blocks(const struct obs *o, FILE *out)
{
	static const char *const keys[] = { "state", "valid_zones", "phys_device", "removable", "phys_index" };
	uint64_t ids[OBS_MAX_BLOCKS];
	size_t n = 0;
	for (size_t i = 0; i < o->n && n < OBS_MAX_BLOCKS; i++) {
		unsigned long long id;
		char tail[16];
		char path[256];
		snprintf(path, sizeof(path), "%.*s", (int)o->files[i].path_len, o->files[i].path);
		if (sscanf(path, "/sys/devices/system/memory/memory%llu/%15s", &id, tail) == 2 && strcmp(tail, "state") == 0)
			ids[n++] = id;
	}
	qsort(ids, n, sizeof(*ids), cmp_u64);
	fprintf(out, "blocks:\n");
	for (size_t i = 0; i < n; i++) {
		char path[256], v[256];
		fprintf(out, "  memory%llu:", (unsigned long long)ids[i]);
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			snprintf(path, sizeof(path), "%s/memory%llu/%s", memory_dir, (unsigned long long)ids[i], keys[k]);
			obs_get(o, path, v, sizeof(v));
			for (char *c = v; k == 1 && *c; c++)   /* valid_zones: "Normal Movable" as one word */
				*c = *c == ' ' ? ',' : *c;
			fprintf(out, " %s=%s", keys[k], v);
		}
		snprintf(path, sizeof(path), "%s/memory%llu/node", memory_dir, (unsigned long long)ids[i]);
		obs_get(o, path, v, sizeof(v));
		fprintf(out, " node=%s\n", strncmp(v, "node", 4) == 0 ? v + 4 : v);
	}
}

/* /proc/zoneinfo: each zone's start, spanned, present and managed pages, by node. */
static void format_zones(const struct obs *o, FILE *out)
{
	char *text = obs_copy(o, "/proc/zoneinfo");
	if (!text)
		return;
	int node = -1, cur_node = -1;
	char zone[16] = "", start[32] = "-";
	unsigned long long spanned = 0, present = 0, managed = 0;
	bool open = false;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save);; l = strtok_r(NULL, "\n", &save)) {
		int nn;
		char zn[16];
		bool header = l && sscanf(l, "Node %d, zone %15s", &nn, zn) == 2;
		if ((header || !l) && open) {
			if (cur_node != node)
				fprintf(out, "zones (node %d):\n", cur_node = node);
			fprintf(out, "  %-7s start_pfn=%s spanned=%llu present=%llu managed=%llu\n", zone, spanned ? start : "-",
				spanned, present, managed);
		}
		if (!l)
			break;
		if (header) {
			node = nn;
			snprintf(zone, sizeof(zone), "%s", zn);
			snprintf(start, sizeof(start), "-");
			spanned = present = managed = 0;
			open = true;
			continue;
		}
		unsigned long long v;
		if (sscanf(l, " spanned %llu", &v) == 1)
			spanned = v;
		else if (sscanf(l, " present %llu", &v) == 1)
			present = v;
		else if (sscanf(l, " managed %llu", &v) == 1)
			managed = v;
		else if (sscanf(l, " start_pfn: %llu", &v) == 1)
			snprintf(start, sizeof(start), "%llu", v);
	}
	free(text);
}

/* The value of "key" in a "key value" or "key: value" file (meminfo, vmstat), or "?". */
static void keyed(const struct obs *o, const char *path, const char *key, char *out, size_t cap)
{
	char *text = obs_copy(o, path);
	size_t k = strlen(key);
	snprintf(out, cap, "?");
	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, key, k) != 0 || (l[k] != ' ' && l[k] != ':'))
			continue;
		l += k + (l[k] == ':');
		while (*l == ' ')
			l++;
		snprintf(out, cap, "%s", l);
		break;
	}
	free(text);
}

/* Steps past a log line's "[    2.027509] " timestamp, if it has one. */
static void skip_timestamp(const char **l, size_t *n)
{
	const char *close = *n && **l == '[' ? memchr(*l, ']', *n) : NULL;
	if (!close)
		return;
	*n -= (size_t)(close + 1 - *l);
	*l = close + 1;
	if (*n && **l == ' ')   /* the one separating space: the message's own indent stays */
		(*l)++, (*n)--;
}

/* One log line: no timestamp, and the values that differ from boot to boot replaced. */
static void format_log_line(const struct obs *o, const char *l, size_t n, FILE *out)
{
	char line[512];
	skip_timestamp(&l, &n);
	snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), l);
	/*
	 * dump_page()'s flags and raw words depend on the page-flags layout, which the model does not keep;
	 * its "head:" lines (the folio of a tail page: its order and raw words) on which object it met first.
	 */
	/* "flags: 0x...", or one word first ("anon flags: 0x...", "file flags: 0x..."). */
	const char *flags = strstr(line, "flags: 0x");
	size_t before = flags ? (size_t)(flags - line) : 0;
	bool flag_words = flags && (before == 0 || (line[before - 1] == ' ' && !memchr(line, ' ', before - 1)));
	if (flag_words || strncmp(line, "raw: ", 5) == 0 || strncmp(line, "head: ", 6) == 0 ||
	    strncmp(line, "page_type: ", 11) == 0)
		return;
	/* The host's timing, not the kernel's memory: TCG sometimes runs a timer interrupt late. */
	if (strncmp(line, "hrtimer: interrupt took ", 24) == 0)
		return;
	unsigned long long a, b;
	char rest[400];
	if (sscanf(line, "Memory: %lluK/%lluK%399[^\n]", &a, &b, rest) == 3)
		snprintf(line, sizeof(line), "Memory: <avail>K/%lluK%s", b, rest);
	else if (sscanf(line, "Freeing initrd memory: %lluK", &a) == 1)
		snprintf(line, sizeof(line), "Freeing initrd memory: <n>K");
	else if (strncmp(line, "page: refcount:", 15) == 0 && strstr(line, " pfn:0x")) {
		/* Which unmovable page isolation meets first differs between boots; its block does not. */
		char v[64];
		unsigned long long pfn = strtoull(strstr(line, " pfn:0x") + 7, NULL, 16), page, block;
		obs_get(o, "pagesize", v, sizeof(v));
		page = strtoull(v, NULL, 10);
		obs_get(o, "/sys/devices/system/memory/block_size_bytes", v, sizeof(v));
		block = strtoull(v, NULL, 16);
		if (page && block)
			snprintf(line, sizeof(line), "page: <first unmovable page> in memory%llu", pfn * page / block);
	}
	fprintf(out, "  %s\n", line);
}

/* The boot log lines an observation keeps: memory layout, the memory banner, and the virtio-mem probe. */
static bool boot_line_kept(const char *l, size_t n)
{
	static const char *const kept[] = { "Early memory node ranges", "Memory: ", "Freeing initrd memory",
					    "Freeing unused kernel memory", "virtio_mem " };
	skip_timestamp(&l, &n);
	while (n && *l == ' ')
		l++, n--;
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		if (n >= strlen(kept[i]) && strncmp(l, kept[i], strlen(kept[i])) == 0)
			return true;
	return false;
}

static int observe_format(const char *raw, size_t len, bool boot, FILE *out);

int mhp_observe_format(const char *raw, size_t len, FILE *out)
{
	return observe_format(raw, len, false, out);
}

int mhp_observe_format_boot(const char *raw, size_t len, FILE *out)
{
	return observe_format(raw, len, true, out);
}

static int observe_format(const char *raw, size_t len, bool boot, FILE *out)
{
	struct obs *o = malloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (!obs_parse(raw, len, o)) {
		free(o);
		return -EINVAL;
	}
	char v[256], w[256];
	obs_get(o, "/sys/devices/system/memory/block_size_bytes", v, sizeof(v));
	fprintf(out, "block_size_bytes: %s\n", v);
	obs_get(o, "/sys/devices/system/memory/auto_online_blocks", v, sizeof(v));
	fprintf(out, "auto_online_blocks: %s\n", v);
	format_blocks(o, out);
	static const char *const masks[] = { "online", "has_memory", "has_normal_memory", "has_cpu" };
	fprintf(out, "nodes:");
	for (size_t i = 0; i < ARRAY_SIZE(masks); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/sys/devices/system/node/%s", masks[i]);
		obs_get(o, path, v, sizeof(v));
		fprintf(out, " %s=%s", masks[i], v);
	}
	fputc('\n', out);
	format_zones(o, out);
	keyed(o, "/proc/meminfo", "MemTotal", v, sizeof(v));
	fprintf(out, "MemTotal: %s\n", v);
	keyed(o, "/proc/vmstat", "nr_memmap_pages", v, sizeof(v));
	keyed(o, "/proc/vmstat", "nr_memmap_boot_pages", w, sizeof(w));
	fprintf(out, "vmstat: nr_memmap_pages=%s nr_memmap_boot_pages=%s\n", v, w);
	fprintf(out, "dmesg:\n");
	for (const char *p = o->dmesg, *end = o->dmesg ? o->dmesg + o->dmesg_len : NULL; p && p < end;) {
		const char *e = line_end(p, end);
		if (e > p && (!boot || boot_line_kept(p, (size_t)(e - p))))
			format_log_line(o, p, (size_t)(e - p), out);
		p = e < end ? e + 1 : e;
	}
	free(o);
	return 0;
}
