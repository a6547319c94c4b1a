// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c - the simulated /sys/devices/system/{memory,node} and /proc files,
 * addressed by path. Kernel twins: drivers/base/memory.c, drivers/base/node.c,
 * fs/proc/meminfo.c, mm/vmstat.c, kernel/resource.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ioport.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mmzone.h"
#include "sim/node.h"
#include "strbuf.h"
#include "sim/trace.h"
#include "arch/ptdump.h"

#define PATH_MAX_LEN 256

enum fs_what {
	INNER_DIR, MEM_DIR, MEM_BLOCK_SIZE, MEM_AUTO_ONLINE, MEM_OFFLINE_STORE, BLOCK_DIR, BLOCK_ATTR, BLOCK_NODE_LINK,
	NODE_ROOT, NODE_MASK, NODE_DIR, NODE_ATTR, NODE_MEM_LINK, NODE_CPU_LINK, NODE_HUGEPAGES, NODE_MF_DIR,
	NODE_MF_ATTR, DEV_UEVENT, DEV_POWER_DIR, DEV_POWER_ATTR, DEV_SUBSYSTEM_LINK, PROC_FILE, DEBUG_PTDUMP,
	DEBUG_INJECT, MODULE_PARAM,
};

struct fs_node {
	enum fs_what what;
	struct memory_block *mem;
	int nid;
	unsigned cpu;            /* NODE_CPU_LINK */
	const char *bus;         /* DEV_*: the device's bus, NULL for a subsystem's root device */
	char dev[64];            /* DEV_*: the device's kobject path ("/devices/system/node/node0") */
	char name[32];           /* attribute, mask or proc file name */
	const struct inner_dir *dir;   /* INNER_DIR */
};

/* The directories above the files: what a mount of the whole tree (mhpsim mount) walks through. */
struct inner_dir {
	const char *path;              /* absolute, without its leading '/' ("" is the root) */
	const char *const *children;
	bool inject;                   /* only while memory-notifier-error-inject is loaded */
};

static const char *const root_children[] = { "proc", "sys", NULL };
static const char *const sys_children[] = { "devices", "kernel", "module", NULL };
static const char *const devices_children[] = { "system", NULL };
static const char *const system_children[] = { "memory", "node", NULL };
static const char *const kernel_children[] = { "debug", NULL };
static const char *const debug_children[] = { "kernel_page_tables", NULL };
static const char *const debug_inject_children[] = { "kernel_page_tables", "notifier-error-inject", NULL };
static const char *const inject_children[] = { "memory", NULL };
static const char *const inject_memory_children[] = { "actions", NULL };
static const char *const actions_children[] = { "MEM_GOING_OFFLINE", "MEM_GOING_ONLINE", NULL };
static const char *const action_children[] = { "error", NULL };
static const char *const module_children[] = { "memory_hotplug", NULL };
static const char *const memory_hotplug_children[] = { "parameters", NULL };

static const char *const block_attrs[] = {
	"online", "phys_device", "phys_index", "removable", "state", "valid_zones", NULL
};
static const char *const node_masks[] = {
	"has_cpu", "has_generic_initiator", "has_memory", "has_normal_memory", "online", "possible", NULL
};
/* A node device's own files (drivers/base/node.c; compact is mm/compaction.c's, write only). */
static const char *const node_attrs[] = {
	"compact", "cpulist", "cpumap", "distance", "meminfo", "numastat", "vmstat", NULL
};
/* The memory root's write-only files (drivers/base/memory.c, CONFIG_MEMORY_FAILURE; probe with CONFIG_ARCH_MEMORY_PROBE). */
static const char *const mem_offline_stores[] = { "hard_offline_page", "soft_offline_page", NULL };

/* CONFIG_MEMORY_FAILURE: the offline stores above and a node's memory_failure/ exist only with it. */
static bool memory_failure(const struct mhp_machine *m)
{
	return !m->arch->no_memory_failure;
}

/*
 * A device's power/ directory (drivers/base/power/sysfs.c) as 6.12 shows it
 * for the memory and node devices, none of which uses runtime PM: fixed
 * text, or the errno a read gets.
 */
static const struct power_attr {
	const char *name;
	unsigned mode;
	const char *text;
	int err;
} power_attrs[] = {
	{ "async", 0644, "disabled\n", 0 },
	{ "autosuspend_delay_ms", 0644, NULL, -EIO },   /* no autosuspend: show and store both say EIO */
	{ "control", 0644, "auto\n", 0 },
	{ "runtime_active_kids", 0444, "0\n", 0 },
	{ "runtime_active_time", 0444, "0\n", 0 },
	{ "runtime_enabled", 0444, "disabled\n", 0 },
	{ "runtime_status", 0444, "unsupported\n", 0 },
	{ "runtime_suspended_time", 0444, "0\n", 0 },
	{ "runtime_usage", 0444, "0\n", 0 },
};

static const struct power_attr *power_attr(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(power_attrs); i++)
		if (strcmp(power_attrs[i].name, name) == 0)
			return &power_attrs[i];
	return NULL;
}
static const char *const module_params[] = {
	"auto_movable_numa_aware", "auto_movable_ratio", "memmap_on_memory", "online_policy", NULL
};
static const char *const proc_files[] = { "iomem", "meminfo", "vmstat", "zoneinfo", NULL };

#define INJECT_DIR "sys/kernel/debug/notifier-error-inject/memory"
static const struct inner_dir inner_dirs[] = {
	{ "", root_children, false },
	{ "proc", proc_files, false },
	{ "sys", sys_children, false },
	{ "sys/devices", devices_children, false },
	{ "sys/devices/system", system_children, false },
	{ "sys/kernel", kernel_children, false },
	{ "sys/kernel/debug", debug_children, false },
	{ "sys/kernel/debug", debug_inject_children, true },
	{ "sys/kernel/debug/notifier-error-inject", inject_children, true },
	{ INJECT_DIR, inject_memory_children, true },
	{ INJECT_DIR "/actions", actions_children, true },
	{ INJECT_DIR "/actions/MEM_GOING_OFFLINE", action_children, true },
	{ INJECT_DIR "/actions/MEM_GOING_ONLINE", action_children, true },
	{ "sys/module", module_children, false },
	{ "sys/module/memory_hotplug", memory_hotplug_children, false },
	{ "sys/module/memory_hotplug/parameters", module_params, false },
};

/* An absolute path made of comp[0..n) that names one of the directories above the files. */
static const struct inner_dir *inner_dir(const struct mhp_machine *m, char **comp, int n)
{
	char joined[PATH_MAX_LEN];
	size_t len = 0;
	for (int i = 0; i < n; i++) {   /* the components came from a path shorter than the buffer: they fit */
		size_t cl = strlen(comp[i]);
		MHP_ASSERT(len + (i > 0) + cl < sizeof(joined));
		if (i)
			joined[len++] = '/';
		memcpy(joined + len, comp[i], cl);
		len += cl;
	}
	joined[len] = '\0';
	const struct inner_dir *found = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(inner_dirs); i++)   /* a module's variant follows the plain one */
		if (strcmp(inner_dirs[i].path, joined) == 0 && (!inner_dirs[i].inject || m->inject_loaded))
			found = &inner_dirs[i];
	return found;
}

/* a then b into dst (cap bytes), cut short as snprintf() would: a path resolves on every write, so no format parsing. */
static void str_join(char *dst, size_t cap, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	MHP_ASSERT(cap > 0);
	la = la < cap - 1 ? la : cap - 1;
	lb = lb < cap - 1 - la ? lb : cap - 1 - la;
	memmove(dst, a, la);
	memmove(dst + la, b, lb);
	dst[la + lb] = '\0';
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Parses "<prefix><decimal>" exactly as the kernel names devices (no leading zeros). */
static bool parse_numbered(const char *s, const char *prefix, uint64_t max, uint64_t *out)
{
	size_t pl = strlen(prefix);
	if (strncmp(s, prefix, pl) != 0)
		return false;
	s += pl;
	if (!*s || (s[0] == '0' && s[1]) || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
		return false;
	uint64_t v = strtoull(s, NULL, 10);
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool node_registered(const struct mhp_machine *m, uint64_t nid)
{
	return nid < MAX_NUMNODES && m->nodes[nid].online;
}

/*
 * The entries every device directory has (drivers/base/core.c): uevent,
 * power/ and its files, and for a device on a bus (bus not NULL) the
 * subsystem link. dev is the device's kobject path. -ENOENT when comp names
 * none of them.
 */
static int resolve_device_files(char **comp, int n, const char *bus, const char *dev, struct fs_node *fn)
{
	fn->bus = bus;
	str_join(fn->dev, sizeof(fn->dev), "", dev);
	if (n == 1 && strcmp(comp[0], "uevent") == 0) {
		fn->what = DEV_UEVENT;
		return 0;
	}
	if (n == 1 && bus && strcmp(comp[0], "subsystem") == 0) {
		fn->what = DEV_SUBSYSTEM_LINK;
		return 0;
	}
	if (n >= 1 && strcmp(comp[0], "power") == 0) {
		if (n == 1) {
			fn->what = DEV_POWER_DIR;
			return 0;
		}
		if (n == 2 && power_attr(comp[1])) {
			fn->what = DEV_POWER_ATTR;
			str_join(fn->name, sizeof(fn->name), "", comp[1]);
			return 0;
		}
	}
	return -ENOENT;
}

/* Resolves components below devices/system/memory (or bus/memory/devices). */
static int resolve_memory(struct mhp_machine *m, char **comp, int n, struct fs_node *fn)
{
	uint64_t id, nid;
	if (n == 0) {
		fn->what = MEM_DIR;
		return 0;
	}
	if (n == 1 && strcmp(comp[0], "block_size_bytes") == 0) {
		fn->what = MEM_BLOCK_SIZE;
		return 0;
	}
	if (n == 1 && strcmp(comp[0], "auto_online_blocks") == 0) {
		fn->what = MEM_AUTO_ONLINE;
		return 0;
	}
	if (n == 1 && ((memory_failure(m) && in_list(mem_offline_stores, comp[0])) || (m->memory_probe && strcmp(comp[0], "probe") == 0))) {
		fn->what = MEM_OFFLINE_STORE;
		str_join(fn->name, sizeof(fn->name), "", comp[0]);
		return 0;
	}
	if (resolve_device_files(comp, n, NULL, "/devices/system/memory", fn) == 0)
		return 0;
	if (!parse_numbered(comp[0], "memory", UINT64_MAX, &id) || !(fn->mem = find_memory_block_by_id(m, id)))
		return -ENOENT;
	if (n == 1) {
		fn->what = BLOCK_DIR;
		return 0;
	}
	char dev[64];
	str_join(dev, sizeof(dev), "/devices/system/memory/", comp[0]);
	if (resolve_device_files(comp + 1, n - 1, "memory", dev, fn) == 0)
		return 0;
	if (n == 2 && in_list(block_attrs, comp[1])) {
		fn->what = BLOCK_ATTR;
		str_join(fn->name, sizeof(fn->name), "", comp[1]);
		return 0;
	}
	if (n == 2 && parse_numbered(comp[1], "node", MAX_NUMNODES, &nid) && fn->mem->nid == (int)nid) {
		fn->what = BLOCK_NODE_LINK;
		fn->nid = (int)nid;
		return 0;
	}
	return -ENOENT;
}

/* Whether cpu is one of node nid's (the model numbers CPUs across its nodes in the order it lists them). */
static bool node_has_cpu(const struct mhp_machine *m, int nid, uint64_t cpu)
{
	uint64_t first = 0;
	for (unsigned i = 0; i < m->model.nr_nodes; i++) {
		uint64_t n = m->model.nodes[i].nr_cpus;
		if (m->model.nodes[i].nid == nid)
			return cpu >= first && cpu < first + n;
		first += n;
	}
	return false;
}

/* A node device's own entries below nodeN: its files, CPU links, hugepages/ and memory_failure/. */
static int resolve_node_files(const struct mhp_machine *m, char **comp, int n, struct fs_node *fn)
{
	uint64_t cpu;
	if (n == 1 && in_list(node_attrs, comp[0]))
		fn->what = NODE_ATTR;
	else if (n == 1 && parse_numbered(comp[0], "cpu", NR_CPUS - 1, &cpu) && node_has_cpu(m, fn->nid, cpu))
		fn->what = NODE_CPU_LINK, fn->cpu = (unsigned)cpu;
	else if (n == 1 && strcmp(comp[0], "hugepages") == 0)
		fn->what = NODE_HUGEPAGES;
	else if (n == 1 && memory_failure(m) && strcmp(comp[0], "memory_failure") == 0)
		fn->what = NODE_MF_DIR;
	else if (n == 2 && memory_failure(m) && strcmp(comp[0], "memory_failure") == 0 &&
		 in_list(node_memory_failure_files(), comp[1]))
		fn->what = NODE_MF_ATTR;
	else
		return -ENOENT;
	str_join(fn->name, sizeof(fn->name), "", comp[n - 1]);
	return 0;
}

static int resolve_node(struct mhp_machine *m, char **comp, int n, struct fs_node *fn)
{
	uint64_t nid, id;
	if (n == 0) {
		fn->what = NODE_ROOT;
		return 0;
	}
	if (n == 1 && in_list(node_masks, comp[0])) {
		fn->what = NODE_MASK;
		str_join(fn->name, sizeof(fn->name), "", comp[0]);
		return 0;
	}
	if (resolve_device_files(comp, n, NULL, "/devices/system/node", fn) == 0)
		return 0;
	if (!parse_numbered(comp[0], "node", MAX_NUMNODES, &nid) || !node_registered(m, nid))
		return -ENOENT;
	fn->nid = (int)nid;
	if (n == 1) {
		fn->what = NODE_DIR;
		return 0;
	}
	char dev[64];
	str_join(dev, sizeof(dev), "/devices/system/node/", comp[0]);
	if (resolve_device_files(comp + 1, n - 1, "node", dev, fn) == 0)
		return 0;
	if (n == 2 && parse_numbered(comp[1], "memory", UINT64_MAX, &id) &&
	    (fn->mem = find_memory_block_by_id(m, id)) && fn->mem->nid == (int)nid) {
		fn->what = NODE_MEM_LINK;
		return 0;
	}
	return resolve_node_files(m, comp + 1, n - 1, fn);
}

/* Splits a path into components; "/sys/" may be omitted, "." and ".." are refused. */
static int resolve(struct mhp_machine *m, const char *path, struct fs_node *fn)
{
	char buf[PATH_MAX_LEN], *comp[8];
	int n = 0;
	memset(fn, 0, sizeof(*fn));
	if (!path || strlen(path) >= sizeof(buf))
		return -ENOENT;
	memcpy(buf, path, strlen(path) + 1);
	char *save = NULL;
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (n == (int)ARRAY_SIZE(comp) || strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
			return -ENOENT;
		comp[n++] = c;
	}
	if (path[0] == '/' && (fn->dir = inner_dir(m, comp, n))) {
		fn->what = INNER_DIR;
		return 0;
	}
	if (n >= 2 && strcmp(comp[0], "proc") == 0 && path[0] == '/') {
		if (n != 2 || !in_list(proc_files, comp[1]))
			return -ENOENT;
		fn->what = PROC_FILE;
		str_join(fn->name, sizeof(fn->name), "", comp[1]);
		return 0;
	}
	int skip = n > 0 && strcmp(comp[0], "sys") == 0 ? 1 : 0;
	char **c = comp + skip;
	int k = n - skip;
	if (k == 4 && strcmp(c[0], "module") == 0 && strcmp(c[1], "memory_hotplug") == 0 &&
	    strcmp(c[2], "parameters") == 0 && in_list(module_params, c[3])) {
		fn->what = MODULE_PARAM;
		str_join(fn->name, sizeof(fn->name), "", c[3]);
		return 0;
	}
	if (k == 3 && strcmp(c[0], "kernel") == 0 && strcmp(c[1], "debug") == 0 &&
	    strcmp(c[2], "kernel_page_tables") == 0) {
		fn->what = DEBUG_PTDUMP;   /* arm64 CONFIG_PTDUMP_DEBUGFS, mode 0400 */
		return 0;
	}
	if (k == 7 && strcmp(c[0], "kernel") == 0 && strcmp(c[1], "debug") == 0 &&
	    strcmp(c[2], "notifier-error-inject") == 0 && strcmp(c[3], "memory") == 0 &&
	    strcmp(c[4], "actions") == 0 && strcmp(c[6], "error") == 0 && inject_error_slot(m, c[5])) {
		fn->what = DEBUG_INJECT;
		str_join(fn->name, sizeof(fn->name), "", c[5]);
		return 0;
	}
	if (k >= 3 && strcmp(c[0], "devices") == 0 && strcmp(c[1], "system") == 0 && strcmp(c[2], "memory") == 0)
		return resolve_memory(m, c + 3, k - 3, fn);
	if (k >= 3 && strcmp(c[0], "bus") == 0 && strcmp(c[1], "memory") == 0 && strcmp(c[2], "devices") == 0 &&
	    k >= 4)
		return resolve_memory(m, c + 3, k - 3, fn);
	if (k >= 3 && strcmp(c[0], "devices") == 0 && strcmp(c[1], "system") == 0 && strcmp(c[2], "node") == 0)
		return resolve_node(m, c + 3, k - 3, fn);
	return -ENOENT;
}

static bool fs_is_link(enum fs_what w)
{
	return w == BLOCK_NODE_LINK || w == NODE_MEM_LINK || w == NODE_CPU_LINK || w == DEV_SUBSYSTEM_LINK;
}

static bool fs_is_dir(enum fs_what w)
{
	return w == INNER_DIR || w == MEM_DIR || w == BLOCK_DIR || w == NODE_ROOT || w == NODE_DIR ||
	       w == NODE_HUGEPAGES || w == NODE_MF_DIR || w == DEV_POWER_DIR;
}

/* Where a link leads, as an absolute path (mhp_sysfs_readlink gives it relative to the link). */
static void link_target(const struct fs_node *fn, char *buf, size_t cap)
{
	if (fn->what == BLOCK_NODE_LINK)
		snprintf(buf, cap, "/sys/devices/system/node/node%d", fn->nid);
	else if (fn->what == NODE_MEM_LINK)
		snprintf(buf, cap, "/sys/devices/system/memory/memory%llu", (unsigned long long)fn->mem->id);
	else if (fn->what == NODE_CPU_LINK)
		snprintf(buf, cap, "/sys/devices/system/cpu/cpu%u", fn->cpu);
	else
		snprintf(buf, cap, "/sys/bus/%s", fn->bus);
}

/* Appends "/" and name to path (cap bytes); -ENAMETOOLONG when it does not fit. */
static int path_push(char *path, size_t cap, const char *name)
{
	size_t len = strlen(path);
	if (len + 1 + strlen(name) >= cap)
		return -ENAMETOOLONG;
	snprintf(path + len, cap - len, "/%s", name);
	return 0;
}

/*
 * Models the VFS's path walk (fs/namei.c: link_path_walk) over the simulated
 * tree: "." and ".." by the directories walked through, links followed where
 * they lead (the last one only when follow, or before a trailing '/'), and a
 * file with more after it, or before a trailing '/', is ENOTDIR. out gets
 * the absolute path walked to. A path without "/sys/" or "/" in front is
 * taken below /sys, as the rest of the library takes it.
 */
static int walk_path(struct mhp_machine *m, const char *path, bool follow, char *out, size_t cap)
{
	char todo[2 * PATH_MAX_LEN];
	if (!path || strlen(path) >= PATH_MAX_LEN)
		return -ENAMETOOLONG;
	snprintf(todo, sizeof(todo), "%s%s", path[0] == '/' ? "" : strncmp(path, "sys/", 4) == 0 ? "/" : "/sys/", path);
	for (int hops = 0; hops <= 8; hops++) {   /* fs/namei.c: MAXSYMLINKS */
		char buf[sizeof(todo)], *comp[32], *save = NULL;
		struct fs_node fn;
		bool dir_wanted = todo[strlen(todo) - 1] == '/';
		int n = 0, i, ret;
		memcpy(buf, todo, sizeof(buf));
		for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
			if (n == (int)ARRAY_SIZE(comp))
				return -ENAMETOOLONG;
			comp[n++] = c;
		}
		out[0] = '\0';
		for (i = 0; i < n; i++) {
			if (strcmp(comp[i], ".") == 0)
				continue;
			if (strcmp(comp[i], "..") == 0) {
				char *slash = strrchr(out, '/');
				if (slash)
					*slash = '\0';   /* at the root, ".." is the root */
				continue;
			}
			if ((ret = path_push(out, cap, comp[i])) || (ret = resolve(m, out, &fn)))
				return ret;
			bool last = i == n - 1;
			if (fs_is_link(fn.what) && (!last || follow || dir_wanted))
				break;   /* walk on from where it leads */
			if (!fs_is_dir(fn.what) && !fs_is_link(fn.what) && (!last || dir_wanted))
				return -ENOTDIR;
		}
		if (i == n) {
			if (!out[0])
				snprintf(out, cap, "/");
			return 0;
		}
		char target[PATH_MAX_LEN];   /* fn is the link the walk stopped at */
		link_target(&fn, target, sizeof(target));
		str_join(todo, sizeof(todo), "", target);
		for (int k = i + 1; k < n; k++)
			if (path_push(todo, sizeof(todo), comp[k]))
				return -ENAMETOOLONG;
		if (dir_wanted && strlen(todo) + 1 < sizeof(todo))
			strcat(todo, "/");
	}
	return -ELOOP;
}

/*
 * A path as the kernel's walk would find it. The usual path (no ".", "..",
 * trailing '/' or link on the way) resolves at once; any other is walked
 * component by component (walk_path).
 */
static int resolve_path(struct mhp_machine *m, const char *path, bool follow, struct fs_node *fn)
{
	size_t len = path ? strlen(path) : 0;
	if (len && !strstr(path, "/.") && path[0] != '.' && path[len - 1] != '/' && resolve(m, path, fn) == 0 && (!follow || !fs_is_link(fn->what)))
		return 0;
	char walked[PATH_MAX_LEN];
	int ret = walk_path(m, path, follow, walked, sizeof(walked));
	return ret ? ret : resolve(m, walked, fn);
}

/* Models node_read_has_*() from node_states: N_MEMORY and N_NORMAL_MEMORY follow present pages. */
static void node_mask_show(const struct mhp_machine *m, const char *name, struct strbuf *sb)
{
	bool set[MAX_NUMNODES];
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		const struct pglist_data *p = &m->nodes[nid];
		uint64_t normal = 0;
		for (int zid = 0; zid <= ZONE_NORMAL; zid++)
			normal += p->zones[zid].present_pages;
		if (strcmp(name, "possible") == 0)
			set[nid] = p->possible;
		else if (strcmp(name, "online") == 0)
			set[nid] = p->online;
		else if (strcmp(name, "has_cpu") == 0)
			set[nid] = p->online && p->has_cpu;
		else if (strcmp(name, "has_memory") == 0)
			set[nid] = p->node_present_pages != 0;
		else if (strcmp(name, "has_generic_initiator") == 0)
			set[nid] = false;   /* N_GENERIC_INITIATOR: ACPI SRAT's, never on a device-tree boot */
		else
			set[nid] = normal != 0;
	}
	sb_put_bitmap_list(sb, set, MAX_NUMNODES);
	sb_printf(sb, "\n");
}

/* Models show_val_kb(): a 16-column label, 8-column value, " kB". */
static void meminfo_line(const struct mhp_machine *m, struct strbuf *sb, const char *label, uint64_t pages)
{
	sb_printf(sb, "%-16s%8llu kB\n", label, (unsigned long long)(pages << (m->page_shift - 10)));
}

/* /proc/meminfo: the lines the model keeps, in the kernel's order and format. */
static void meminfo_show(const struct mhp_machine *m, struct strbuf *sb)
{
	uint64_t free = 0, cma = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			free += m->nodes[nid].zones[zid].free_pages;
			cma += m->nodes[nid].zones[zid].cma_pages;
		}
	meminfo_line(m, sb, "MemTotal:", m->totalram_pages);
	meminfo_line(m, sb, "MemFree:", free);
	meminfo_line(m, sb, "PageTables:", nr_page_table_pages(m));
	meminfo_line(m, sb, "CmaTotal:", cma);
	meminfo_line(m, sb, "CmaFree:", cma);   /* nothing is allocated from CMA yet */
	if (m->arch->report_meminfo)
		m->arch->report_meminfo(m, sb);
}

/* /proc/zoneinfo: per zone of each online node, the lines the model keeps. */
static void zoneinfo_show(const struct mhp_machine *m, struct strbuf *sb)
{
	static const char *const wmark_names[NR_WMARK] = { "min", "low", "high", "promo" };
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!m->nodes[nid].online)
			continue;
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &m->nodes[nid].zones[zid];
			if (!arch_has_zone(m->arch, zid))
				continue;
			sb_printf(sb, "Node %d, zone %8s\n", nid, zone_name(zid));
			sb_printf(sb, "  pages free     %llu\n", (unsigned long long)z->free_pages);
			for (int w = 0; w < NR_WMARK; w++)
				sb_printf(sb, "        %-8s %llu\n", wmark_names[w], (unsigned long long)z->_watermark[w]);
			sb_printf(sb, "        spanned  %llu\n", (unsigned long long)z->spanned_pages);
			sb_printf(sb, "        present  %llu\n", (unsigned long long)z->present_pages);
			sb_printf(sb, "        managed  %llu\n", (unsigned long long)z->managed_pages);
			sb_printf(sb, "        cma      %llu\n", (unsigned long long)z->cma_pages);
			if (populated_zone(z))
				sb_printf(sb, "  start_pfn:           %llu\n", (unsigned long long)z->zone_start_pfn);
		}
	}
}

static void vmstat_show(const struct mhp_machine *m, struct strbuf *sb)
{
	uint64_t free = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			free += m->nodes[nid].zones[zid].free_pages;
	sb_printf(sb, "nr_free_pages %llu\n", (unsigned long long)free);
	sb_printf(sb, "nr_page_table_pages %llu\n", (unsigned long long)nr_page_table_pages(m));
	sb_printf(sb, "nr_memmap_pages %llu\n", (unsigned long long)m->nr_memmap_pages);
	sb_printf(sb, "nr_memmap_boot_pages %llu\n", (unsigned long long)m->nr_memmap_boot_pages);
}

static int proc_show(const struct mhp_machine *m, const char *name, struct strbuf *sb)
{
	if (strcmp(name, "meminfo") == 0)
		meminfo_show(m, sb);
	else if (strcmp(name, "zoneinfo") == 0)
		zoneinfo_show(m, sb);
	else if (strcmp(name, "vmstat") == 0)
		vmstat_show(m, sb);
	else
		iomem_show(m, sb);
	return 0;
}

ssize_t mhp_sysfs_read(struct mhp_machine *m, const char *path, char *buf, size_t cap)
{
	struct fs_node fn;
	struct strbuf sb;
	int ret = resolve_path(m, path, true, &fn);
	if (ret)
		return ret;
	sb_init(&sb, buf, cap);
	switch (fn.what) {
	case MEM_BLOCK_SIZE:
		sb_printf(&sb, "%llx\n", (unsigned long long)m->model.block_size);
		break;
	case MEM_AUTO_ONLINE:
		sb_printf(&sb, "%s\n", online_type_name(m->default_online_type));
		break;
	case BLOCK_ATTR:
		return memory_block_sysfs_read(m, fn.mem, fn.name, buf, cap);
	case NODE_MASK:
		node_mask_show(m, fn.name, &sb);
		break;
	case PROC_FILE:
		proc_show(m, fn.name, &sb);
		break;
	case DEBUG_PTDUMP:
		ptdump_show(m, &sb);
		break;
	case DEBUG_INJECT:
		sb_printf(&sb, "%d\n", *inject_error_slot(m, fn.name));
		break;
	case MODULE_PARAM:
		memory_hotplug_param_show(m, fn.name, &sb);
		break;
	case NODE_ATTR:
		ret = node_attr_show(m, fn.nid, fn.name, &sb);
		break;
	case NODE_MF_ATTR:
		ret = node_memory_failure_show(fn.name, &sb);
		break;
	case DEV_POWER_ATTR:
		ret = power_attr(fn.name)->err;
		sb_printf(&sb, "%s", ret ? "" : power_attr(fn.name)->text);
		break;
	case DEV_UEVENT:
		break;            /* these devices add no variables to their uevents */
	case MEM_OFFLINE_STORE:
		return -EACCES;   /* write only */
	case BLOCK_NODE_LINK:
	case NODE_MEM_LINK:
	case NODE_CPU_LINK:
	case DEV_SUBSYSTEM_LINK:
	case INNER_DIR:
	case MEM_DIR:
	case BLOCK_DIR:
	case NODE_ROOT:
	case NODE_DIR:
	case NODE_HUGEPAGES:
	case NODE_MF_DIR:
	case DEV_POWER_DIR:
		return -EISDIR;   /* the links point at directories */
	}
	return ret ? ret : (ssize_t)sb.len;
}

/* Models auto_online_blocks_store(): sysfs_streq against the online types. */
static int auto_online_blocks_store(struct mhp_machine *m, const char *value, size_t len)
{
	int type = parse_online_type(value, len);
	if (type < 0)
		return -EINVAL;
	m->default_online_type = type;
	return 0;
}

/* uuid_is_valid(): 36 characters, hyphens at 8, 13, 18 and 23, hex digits elsewhere. */
static bool uuid_valid(const char *s)
{
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* action_arg_word_end(): letters and digits up to delim or the end; their count, 0 if none or another character. */
static size_t arg_word(const char *s, size_t len, char delim)
{
	size_t n = 0;
	while (n < len && s[n] != delim)
		if (!isalnum((unsigned char)s[n++]))
			return 0;
	return n;
}

/* kobject_action_args(): a UUID, then " KEY=VALUE" pairs of letters and digits. */
static bool synth_uevent_args_valid(const char *s, size_t len)
{
	if (len < 36 || !uuid_valid(s))
		return false;
	for (size_t i = 36; i < len;) {
		size_t key = s[i] == ' ' ? arg_word(s + i + 1, len - i - 1, '=') : 0;
		if (!key || i + 1 + key >= len)
			return false;
		i += 1 + key + 1;   /* the space, the key, the '=' */
		size_t val = arg_word(s + i, len - i, ' ');
		if (!val)
			return false;
		i += val;
	}
	return true;
}

/*
 * Models uevent_store() -> kobject_synth_uevent(): a kobject action, then
 * optional arguments. A bad one is EINVAL with the kernel's two log lines; a
 * good one sends an event no one in the model listens to: a success that
 * changes nothing.
 */
static int uevent_store(struct mhp_machine *m, const struct fs_node *fn, const char *value, size_t len)
{
	static const char *const actions[] = { "add", "remove", "change", "move", "online", "offline", "bind",
					       "unbind", NULL };
	const char *msg = NULL;
	char word[16];
	if (len && (value[len - 1] == '\n' || value[len - 1] == '\0'))
		len--;
	const char *space = memchr(value, ' ', len);
	size_t wl = space ? (size_t)(space - value) : len;
	snprintf(word, sizeof(word), "%.*s", (int)(wl < sizeof(word) ? wl : sizeof(word) - 1), value);
	if (!len || wl >= sizeof(word) || !in_list(actions, word))
		msg = "unknown uevent action string";
	else if (space && !synth_uevent_args_valid(space + 1, len - wl - 1))
		msg = "incorrect uevent action arguments";
	if (!msg)
		return 0;
	pr_err(m, "synth uevent: %s: %s", fn->dev, msg);
	/* dev_err(): "<bus> <device>: ", the bus empty for a subsystem's root device. */
	pr_err(m, "%s %s: uevent: failed to send synthetic uevent: %d", fn->bus ? fn->bus : "",
	       strrchr(fn->dev, '/') + 1, -EINVAL);
	return -EINVAL;
}

/* debugfs_create_errno()'s write: kstrtoint, clamped to [-MAX_ERRNO, 0]. */
static int inject_error_store(int *slot, const char *value, size_t len)
{
	char buf[24];
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, value, len);
	buf[len] = '\0';
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	char *end;
	long v = strtol(buf, &end, 0);
	if (end == buf || *end)
		return -EINVAL;
	*slot = v < -4095 ? -4095 : v > 0 ? 0 : (int)v;
	return 0;
}

/* Whether what path names would be created in an existing directory: its parent resolves to one. */
static bool parent_is_dir(struct mhp_machine *m, const char *path)
{
	char parent[PATH_MAX_LEN];
	const char *slash = path ? strrchr(path, '/') : NULL;
	struct fs_node fn;
	if (!slash || slash == path || (size_t)(slash - path) >= sizeof(parent) || !slash[1])
		return false;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	return resolve_path(m, parent, true, &fn) == 0 && fs_is_dir(fn.what);
}

int mhp_sysfs_write(struct mhp_machine *m, const char *path, const char *value, size_t len)
{
	struct fs_node fn;
	int ret = resolve_path(m, path, true, &fn);
	char shown[64];
	size_t shown_len = len < 60 ? len : 60;
	if (shown_len && value[shown_len - 1] == '\n')
		shown_len--;   /* echo's newline is not part of what the reader cares about */
	snprintf(shown, sizeof(shown), "%.*s", (int)shown_len, value);
	struct mhp_trace_field f[] = { TF_S("path", path), TF_S("value", shown) };
	TRACE(m, "sysfs_write", f, "echo '%s' > %s", shown, path);
	if (ret == -ENOENT && parent_is_dir(m, path))
		return -EACCES;   /* echo's open(O_CREAT): a sysfs directory has no create (lookup_open) */
	if (ret)
		return ret;
	switch (fn.what) {
	case MEM_AUTO_ONLINE:
		return auto_online_blocks_store(m, value, len);
	case DEBUG_INJECT:
		return inject_error_store(inject_error_slot(m, fn.name), value, len);
	case MODULE_PARAM:
		return memory_hotplug_param_set(m, fn.name, value, len);
	case BLOCK_ATTR:
		return memory_block_sysfs_write(m, fn.mem, fn.name, value, len);
	case MEM_OFFLINE_STORE:
		if (strcmp(fn.name, "probe") == 0)
			return probe_store(m, value, len);
		return strcmp(fn.name, "soft_offline_page") == 0 ? soft_offline_page_store(m, value, len)
								 : hard_offline_page_store(m, value, len);
	case DEV_UEVENT:
		return uevent_store(m, &fn, value, len);
	case DEV_POWER_ATTR:
		if (!(power_attr(fn.name)->mode & 0200))
			return -EACCES;
		/* autosuspend_delay_ms says EIO; async and control would change PM state the model does not keep. */
		return power_attr(fn.name)->err ? power_attr(fn.name)->err : -EOPNOTSUPP;
	case NODE_ATTR:
		/* compact: compact_node() is not modelled (no compaction); the rest are 0444. */
		return strcmp(fn.name, "compact") == 0 ? -EOPNOTSUPP : -EACCES;
	case INNER_DIR:
	case MEM_DIR:
	case BLOCK_DIR:
	case NODE_ROOT:
	case NODE_DIR:
	case NODE_HUGEPAGES:
	case NODE_MF_DIR:
	case DEV_POWER_DIR:
	case BLOCK_NODE_LINK:
	case NODE_MEM_LINK:
	case NODE_CPU_LINK:
	case DEV_SUBSYSTEM_LINK:
		return -EISDIR;
	default:
		return -EACCES;   /* a 0444 file: the open for writing is refused */
	}
}

/* Collects names, sorts them (C locale) and prints one per line. */
struct name_list {
	char (*names)[32];
	size_t n, cap;
};

/* Adds a name: prefix alone, or prefix followed by a number ("memory8"). */
static int name_add(struct name_list *l, const char *prefix, unsigned long long v, bool numbered)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		char (*names)[32] = realloc(l->names, ncap * sizeof(*names));
		if (!names)
			return -ENOMEM;
		l->names = names;
		l->cap = ncap;
	}
	if (numbered)
		snprintf(l->names[l->n++], 32, "%s%llu", prefix, v);
	else
		snprintf(l->names[l->n++], 32, "%s", prefix);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int names_add(struct name_list *l, const char *const *names)
{
	int ret = 0;
	for (size_t i = 0; names[i]; i++)
		ret |= name_add(l, names[i], 0, false);
	return ret;
}

/* What every device directory lists: power, uevent, and subsystem for a device on a bus. */
static int device_files_add(struct name_list *l, bool on_bus)
{
	int ret = name_add(l, "power", 0, false) | name_add(l, "uevent", 0, false);
	return on_bus ? ret | name_add(l, "subsystem", 0, false) : ret;
}

/* nodeN: its files, CPU links, memory links, hugepages/ and memory_failure/ (register_node()). */
static int node_dir_list(const struct mhp_machine *m, int nid, struct name_list *l)
{
	int ret = names_add(l, node_attrs) | device_files_add(l, true) | name_add(l, "hugepages", 0, false);
	if (memory_failure(m))
		ret |= name_add(l, "memory_failure", 0, false);
	for (unsigned cpu = 0; cpu < m->model.nr_cpus; cpu++)
		if (node_has_cpu(m, nid, cpu))
			ret |= name_add(l, "cpu", cpu, true);
	for (size_t i = 0; i < m->nr_blocks && !ret; i++)
		if (m->blocks[i]->nid == nid)
			ret = name_add(l, "memory", (unsigned long long)m->blocks[i]->id, true);
	return ret;
}

static int list_dir(struct mhp_machine *m, const struct fs_node *fn, struct name_list *l)
{
	int ret = 0;
	switch (fn->what) {
	case INNER_DIR:
		for (size_t i = 0; fn->dir->children[i]; i++)
			ret |= name_add(l, fn->dir->children[i], 0, false);
		return ret;
	case MEM_DIR:
		if (m->memory_probe)
			ret |= name_add(l, "probe", 0, false);
		if (memory_failure(m))
			ret |= names_add(l, mem_offline_stores);
		ret |= name_add(l, "auto_online_blocks", 0, false);
		ret |= name_add(l, "block_size_bytes", 0, false);
		ret |= device_files_add(l, false);
		for (size_t i = 0; i < m->nr_blocks && !ret; i++)
			ret = name_add(l, "memory", (unsigned long long)m->blocks[i]->id, true);
		return ret;
	case BLOCK_DIR:
		ret |= names_add(l, block_attrs);
		ret |= device_files_add(l, true);
		if (fn->mem->nid >= 0)
			ret |= name_add(l, "node", (unsigned long long)fn->mem->nid, true);
		return ret;
	case NODE_ROOT:
		ret |= names_add(l, node_masks);
		ret |= device_files_add(l, false);
		for (int nid = 0; nid < MAX_NUMNODES; nid++)
			if (node_registered(m, (uint64_t)nid))
				ret |= name_add(l, "node", (unsigned long long)nid, true);
		return ret;
	case NODE_DIR:
		return node_dir_list(m, fn->nid, l);
	case NODE_MF_DIR:
		return names_add(l, node_memory_failure_files());
	case DEV_POWER_DIR:
		for (size_t i = 0; i < ARRAY_SIZE(power_attrs); i++)
			ret |= name_add(l, power_attrs[i].name, 0, false);
		return ret;
	case NODE_HUGEPAGES:
		return -EOPNOTSUPP;   /* the model keeps no hugetlb pools: no hstate directories to show */
	default:
		return -ENOTDIR;
	}
}

ssize_t mhp_sysfs_list(struct mhp_machine *m, const char *path, char *buf, size_t cap)
{
	struct fs_node fn;
	struct name_list l = { 0 };
	int ret = resolve_path(m, path, true, &fn);
	if (ret)
		return ret;
	ret = list_dir(m, &fn, &l);
	if (ret) {
		free(l.names);
		return ret;
	}
	qsort(l.names, l.n, sizeof(*l.names), cmp_names);
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	for (size_t i = 0; i < l.n; i++)
		sb_printf(&sb, "%s\n", l.names[i]);
	free(l.names);
	return (ssize_t)sb.len;
}

int mhp_sysfs_stat(struct mhp_machine *m, const char *path, struct mhp_sysfs_stat *st)
{
	struct fs_node fn;
	int ret = resolve_path(m, path, false, &fn);
	if (ret)
		return ret;
	*st = (struct mhp_sysfs_stat){ .type = MHP_SYSFS_FILE, .mode = 0444, .size = 4096 };
	switch (fn.what) {
	case INNER_DIR:
	case MEM_DIR:
	case BLOCK_DIR:
	case NODE_ROOT:
	case NODE_DIR:
	case NODE_HUGEPAGES:
	case NODE_MF_DIR:
	case DEV_POWER_DIR:
		*st = (struct mhp_sysfs_stat){ .type = MHP_SYSFS_DIR, .mode = 0755 };
		break;
	case BLOCK_NODE_LINK:
	case NODE_MEM_LINK:
	case NODE_CPU_LINK:
	case DEV_SUBSYSTEM_LINK:
		*st = (struct mhp_sysfs_stat){ .type = MHP_SYSFS_LINK, .mode = 0777 };
		break;
	case MEM_OFFLINE_STORE:
		st->mode = 0200;   /* DEVICE_ATTR_WO */
		break;
	case NODE_ATTR:
		st->mode = strcmp(fn.name, "compact") == 0 ? 0200 : 0444;
		break;
	case DEV_UEVENT:
		st->mode = 0644;
		break;
	case DEV_POWER_ATTR:
		st->mode = power_attr(fn.name)->mode;
		break;
	case MEM_AUTO_ONLINE:
		st->mode = 0644;   /* DEVICE_ATTR_RW */
		break;
	case BLOCK_ATTR:
		st->mode = strcmp(fn.name, "state") == 0 || strcmp(fn.name, "online") == 0 ? 0644 : 0444;
		break;
	case MODULE_PARAM:
		st->mode = strcmp(fn.name, "memmap_on_memory") == 0 ? 0444 : 0644;
		break;
	case PROC_FILE:
		st->size = 0;      /* procfs: generated on read, no size */
		break;
	case DEBUG_PTDUMP:
		*st = (struct mhp_sysfs_stat){ .type = MHP_SYSFS_FILE, .mode = 0400 };
		break;
	case DEBUG_INJECT:
		*st = (struct mhp_sysfs_stat){ .type = MHP_SYSFS_FILE, .mode = 0600 };   /* debugfs_create_errno */
		break;
	case MEM_BLOCK_SIZE:
	case NODE_MASK:
	case NODE_MF_ATTR:
		break;
	}
	return 0;
}

ssize_t mhp_sysfs_readlink(struct mhp_machine *m, const char *path, char *buf, size_t cap)
{
	struct fs_node fn;
	struct strbuf sb;
	int ret = resolve_path(m, path, false, &fn);
	if (ret)
		return ret;
	sb_init(&sb, buf, cap);
	if (fn.what == BLOCK_NODE_LINK)
		sb_printf(&sb, "../../node/node%d", fn.nid);
	else if (fn.what == NODE_MEM_LINK)
		sb_printf(&sb, "../../memory/memory%llu", (unsigned long long)fn.mem->id);
	else if (fn.what == NODE_CPU_LINK)
		sb_printf(&sb, "../../cpu/cpu%u", fn.cpu);
	else if (fn.what == DEV_SUBSYSTEM_LINK)
		sb_printf(&sb, "../../../../bus/%s", fn.bus);
	else
		return -EINVAL;
	return (ssize_t)sb.len;
}
