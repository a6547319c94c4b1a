// SPDX-License-Identifier: GPL-2.0-only
/* helpers.c - shared test fixtures. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

const char *src_path(const char *rel)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf), "%s/%s", MHPSIM_SOURCE_DIR, rel);
	return buf;
}

struct mhp_machine *boot_model_args(const char *name, const struct mhp_boot_args *args)
{
	char rel[256];
	struct mhp_err err = { 0 };
	struct mhp_model *model = NULL;
	struct mhp_machine *m = NULL;
	snprintf(rel, sizeof(rel), "models/%s.yaml", name);
	if (mhp_model_load(src_path(rel), &model, &err))
		fail_msg("model: %s", err.msg);
	int ret = mhp_machine_boot(model, args, &m, &err);
	mhp_model_free(model);
	if (ret)
		fail_msg("boot: %s", err.msg);
	return m;
}

static const char *const observed_files[] = { "/proc/iomem", "/proc/meminfo", "/proc/zoneinfo", "/proc/vmstat",
					       "/sys/kernel/debug/kernel_page_tables",
					       "/sys/devices/system/memory/block_size_bytes" };

char *observable_state(struct mhp_machine *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(observed_files) / sizeof(observed_files[0]); i++)
		fprintf(f, "== %s\n%s", observed_files[i], sysfs_read(m, observed_files[i]));
	fprintf(f, "== page tables\n%llu\n", (unsigned long long)mhp_pgtable_count(m));
	fclose(f);
	return text;
}

/* The part of an observable_state() text under "== name". */
static const char *observed_part(const char *text, const char *name, size_t *len)
{
	char head[128];
	snprintf(head, sizeof(head), "== %s\n", name);
	const char *p = strstr(text, head), *end = p ? strstr(p + 1, "\n== ") : NULL;
	*len = p ? (size_t)((end ? end : p + strlen(p)) - p) : 0;
	return p;
}

void observable_diff(const char *a, const char *b, char *out, size_t cap)
{
	static const char *const parts[] = { "/proc/iomem", "/proc/meminfo", "/proc/zoneinfo", "/proc/vmstat",
					     "/sys/kernel/debug/kernel_page_tables",
					     "/sys/devices/system/memory/block_size_bytes", "page tables" };
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t la, lb;
		const char *pa = observed_part(a, parts[i], &la), *pb = observed_part(b, parts[i], &lb);
		if (la != lb || (la && memcmp(pa, pb, la) != 0)) {
			size_t n = strlen(out);
			snprintf(out + n, cap - n, "%s%s", n ? ", " : "", strrchr(parts[i], '/') ? strrchr(parts[i], '/') + 1 : parts[i]);
		}
	}
}

struct mhp_machine *boot_model(const char *name, const char *cmdline)
{
	/* Unit tests check one mechanism at a time: the kernel's own allocations stay off (test_slab turns them on). */
	struct mhp_boot_args args = { .cmdline = cmdline, .no_kernel_allocations = 1 };
	return boot_model_args(name, &args);
}

const char *sysfs_read(struct mhp_machine *m, const char *path)
{
	static char buf[1 << 16];
	ssize_t n = mhp_sysfs_read(m, path, buf, sizeof(buf));
	if (n < 0)
		fail_msg("read %s: %s", path, mhp_errno_name((int)n));
	return buf;
}

int sysfs_write(struct mhp_machine *m, const char *path, const char *value)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%s\n", value);
	return mhp_sysfs_write(m, path, buf, (size_t)n);
}

void add_virtio_mem(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	struct mhp_err err = { 0 };
	if (mhp_add_memory(m, 0, start, size, "System RAM (virtio_mem)", &err))
		fail_msg("add_memory: %s", err.msg);
}

uint64_t zoneinfo_value(struct mhp_machine *m, const char *zone, const char *key)
{
	char header[64];
	snprintf(header, sizeof(header), "Node 0, zone %8s\n", zone);
	const char *text = sysfs_read(m, "/proc/zoneinfo");
	const char *p = strstr(text, header);
	if (!p)
		fail_msg("no zone %s", zone);
	const char *end = strstr(p + 1, "Node ");
	for (p += strlen(header); p && (!end || p < end); p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *k = p + strspn(p, " ");
		if (strncmp(k, key, strlen(key)) == 0)
			return strtoull(k + strlen(key) + strspn(k + strlen(key), ": "), NULL, 10);
	}
	fail_msg("zone %s shows no %s", zone, key);
	return 0;
}

const char *last_log(struct mhp_machine *m)
{
	uint64_t n = mhp_log_count(m);
	return n ? mhp_log_line(m, n - 1, NULL) : "";
}

/* Tests name files relative to the source tree, wherever they are started from. */
__attribute__((constructor)) static void enter_source_dir(void)
{
	if (chdir(MHPSIM_SOURCE_DIR) != 0)
		abort();
}
