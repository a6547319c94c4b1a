// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory.c - memory block devices and their sysfs files.
 * Kernel twin: drivers/base/memory.c (and device_online/offline of drivers/base/core.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mmzone.h"
#include "sim/mutant.h"
#include "sim/page_alloc.h"
#include "sim/sparse.h"
#include "strbuf.h"
#include "sim/touched.h"
#include "sim/trace.h"

static size_t block_search(const struct mhp_machine *m, uint64_t id, bool *found)
{
	size_t lo;
	PARTITION_POINT(lo, m->nr_blocks, k, m->blocks[k]->id < id);
	*found = lo < m->nr_blocks && m->blocks[lo]->id == id;
	return lo;
}

/* Models find_memory_block_by_id(). */
struct memory_block *find_memory_block_by_id(const struct mhp_machine *m, uint64_t id)
{
	bool found;
	size_t i = block_search(m, id, &found);
	return found ? m->blocks[i] : NULL;
}

uint64_t memory_block_start_pfn(const struct mhp_machine *m, const struct memory_block *mem)
{
	return section_nr_to_pfn(m, mem->start_section_nr);
}

/* The zone a boot block lies in, or NO_ZONE if it spans several (early_node_zone_for_memory_block). */
static int early_node_zone_for_memory_block(const struct mhp_machine *m, const struct memory_block *mem, int nid)
{
	int match = NO_ZONE;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *z = &m->nodes[nid].zones[zid];
		if (!populated_zone(z) || !zone_intersects(z, memory_block_start_pfn(m, mem), m->pages_per_block))
			continue;
		if (match != NO_ZONE)
			return NO_ZONE;
		match = zid;
	}
	return match;
}

/* Models add_memory_block(): a boot block is online, a hot-added one offline. */
static int add_memory_block(struct mhp_machine *m, uint64_t id, int nid, bool early, uint64_t nr_vmemmap_pages)
{
	bool found;
	size_t i = block_search(m, id, &found);
	if (found)
		return -EEXIST;
	if (should_fail(m, &m->failslab, "slab allocation (struct memory_block)"))
		return -ENOMEM;   /* kzalloc() */
	if (m->nr_blocks >= MAX_MEMORY_BLOCKS)
		return -ENOMEM;
	if (m->nr_blocks == m->cap_blocks) {
		size_t ncap = m->cap_blocks ? m->cap_blocks * 2 : 64;
		struct memory_block **blocks = realloc(m->blocks, ncap * sizeof(*blocks));
		if (!blocks)
			return -ENOMEM;
		m->blocks = blocks;
		m->cap_blocks = ncap;
	}
	struct memory_block *mem = calloc(1, sizeof(*mem));
	if (!mem)
		return -ENOMEM;
	mem->id = id;
	mem->start_section_nr = id * m->sections_per_block;
	mem->state = early ? MEM_ONLINE : MEM_OFFLINE;
	mem->dev_offline = !early;
	mem->online_type = MMOP_OFFLINE;
	mem->early = early;
	mem->nr_vmemmap_pages = nr_vmemmap_pages;
	mem->nid = nid;    /* linked to its node right after creation */
	mem->zone = early ? early_node_zone_for_memory_block(m, mem, nid) : NO_ZONE;
	memmove(&m->blocks[i + 1], &m->blocks[i], (m->nr_blocks - i) * sizeof(*m->blocks));
	m->blocks[i] = mem;
	m->nr_blocks++;
	memory_block_slab_add(m);

	struct mhp_trace_field f[] = { TF_U("block", id), TF_U("nid", (uint64_t)nid),
				       TF_S("state", early ? "online" : "offline") };
	TRACE(m, "block_add", f, "memory%llu appears in sysfs (%s), linked to node%d",
	      (unsigned long long)id, early ? "online" : "offline", nid);
	return 0;
}

/* Models create_memory_block_devices(); on failure the blocks it made are removed. */
int create_memory_block_devices(struct mhp_machine *m, uint64_t start, uint64_t size, int nid, bool early,
				uint64_t nr_vmemmap_pages)
{
	uint64_t first = start / m->model.block_size, end = (start + size) / m->model.block_size;
	for (uint64_t id = first; id < end; id++) {
		int ret = add_memory_block(m, id, nid, early, nr_vmemmap_pages);
		if (ret) {
			if (id > first)
				remove_memory_block_devices(m, start, (id - first) * m->model.block_size);
			return ret;
		}
	}
	return 0;
}

/* Models remove_memory_block_devices(): the range's blocks are neighbours in the array, so one move closes the gap. */
void remove_memory_block_devices(struct mhp_machine *m, uint64_t start, uint64_t size)
{
	bool found;
	uint64_t end = (start + size) / m->model.block_size;
	size_t first = block_search(m, start / m->model.block_size, &found), i = first;
	for (; i < m->nr_blocks && m->blocks[i]->id < end; i++) {
		uint64_t id = m->blocks[i]->id;
		MHP_ASSERT(m->blocks[i]->state == MEM_OFFLINE);
		memory_block_slab_free(m, m->blocks[i]);
		free(m->blocks[i]);
		struct mhp_trace_field f[] = { TF_U("block", id) };
		TRACE(m, "block_remove", f, "memory%llu disappears from sysfs", (unsigned long long)id);
	}
	memmove(&m->blocks[first], &m->blocks[i], (m->nr_blocks - i) * sizeof(*m->blocks));
	m->nr_blocks -= i - first;
}

void memory_blocks_free(struct mhp_machine *m)
{
	for (size_t i = 0; i < m->nr_blocks; i++)
		free(m->blocks[i]);
	free(m->blocks);
	m->blocks = NULL;
	m->nr_blocks = m->cap_blocks = 0;
}

/* Models memory_block_online(): the block's own memmap pages (memmap_on_memory) join the zone first. */
static int memory_block_online(struct mhp_machine *m, struct memory_block *mem)
{
	uint64_t start_pfn = memory_block_start_pfn(m, mem), nr_pages = m->pages_per_block;
	uint64_t nr_vmemmap = mem->nr_vmemmap_pages;
	int zid = zone_for_pfn_range(m, mem->online_type, mem->nid, start_pfn, nr_pages);

	int ret = memory_notify(m, MEM_PREPARE_ONLINE, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap);
	if (ret)
		return ret;
	if (nr_vmemmap)
		mhp_init_memmap_on_memory(m, start_pfn, nr_vmemmap, mem->nid, zid);
	ret = online_pages(m, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap, mem->nid, zid);
	if (ret) {
		if (nr_vmemmap)
			mhp_deinit_memmap_on_memory(m, start_pfn, nr_vmemmap, mem->nid, zid);
		memory_notify(m, MEM_FINISH_OFFLINE, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap);
		return ret;
	}
	if (nr_vmemmap)
		adjust_present_page_count(m, start_pfn, mem->nid, zid, (int64_t)nr_vmemmap);
	mem->zone = zid;
	if (m->mutant == MUTANT_ONLINE_BLOCK_WRONG_ZONE)
		mem->zone = zid == ZONE_MOVABLE ? ZONE_NORMAL : ZONE_MOVABLE;
	return 0;
}

/* Models memory_block_offline(): a block that spans zones cannot go; its memmap pages are unaccounted first. */
static int memory_block_offline(struct mhp_machine *m, struct memory_block *mem)
{
	uint64_t start_pfn = memory_block_start_pfn(m, mem), nr_pages = m->pages_per_block;
	uint64_t nr_vmemmap = mem->nr_vmemmap_pages;
	int zid = mem->zone;
	if (zid == NO_ZONE)
		return -EINVAL;
	if (nr_vmemmap)
		adjust_present_page_count(m, start_pfn, mem->nid, zid, -(int64_t)nr_vmemmap);
	int ret = offline_pages(m, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap, mem->nid, zid);
	if (ret) {
		if (nr_vmemmap)
			adjust_present_page_count(m, start_pfn, mem->nid, zid, (int64_t)nr_vmemmap);
		return ret;
	}
	if (nr_vmemmap)
		mhp_deinit_memmap_on_memory(m, start_pfn, nr_vmemmap, mem->nid, zid);
	mem->zone = NO_ZONE;
	memory_notify(m, MEM_FINISH_OFFLINE, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap);
	return 0;
}

/* Models memory_block_change_state(): going-offline is visible while offline runs. */
static int memory_block_change_state(struct mhp_machine *m, struct memory_block *mem, int to, int from)
{
	if (mem->state != from)
		return -EINVAL;
	uint64_t start = PFN_PHYS(m, memory_block_start_pfn(m, mem));
	touch_range(m, TOUCHED_SECTIONS, start, start + m->model.block_size);
	touch_range(m, TOUCHED_PAGES, start, start + m->model.block_size);
	if (to == MEM_OFFLINE)
		mem->state = MEM_GOING_OFFLINE;
	int ret = to == MEM_ONLINE ? memory_block_online(m, mem) : memory_block_offline(m, mem);
	mem->state = ret ? from : to;

	struct mhp_trace_field f[] = { TF_U("block", mem->id), TF_S("to", to == MEM_ONLINE ? "online" : "offline"),
				       TF_S("result", ret ? mhp_errno_name(ret) : "ok") };
	TRACE(m, "block_state", f, "memory%llu %s: %s", (unsigned long long)mem->id,
	      to == MEM_ONLINE ? "online" : "offline", ret ? mhp_errno_name(ret) : "done");
	return ret;
}

/* Models memory_subsys_online(): an unset online type means MMOP_ONLINE. */
static int memory_subsys_online(struct mhp_machine *m, struct memory_block *mem)
{
	if (mem->state == MEM_ONLINE)
		return 0;
	if (mem->online_type == MMOP_OFFLINE)
		mem->online_type = MMOP_ONLINE;
	int ret = memory_block_change_state(m, mem, MEM_ONLINE, MEM_OFFLINE);
	mem->online_type = MMOP_OFFLINE;
	return ret;
}

/* Models device_online(): 1 if the device is already online. */
int device_online(struct mhp_machine *m, struct memory_block *mem)
{
	if (!mem->dev_offline)
		return 1;
	int ret = memory_subsys_online(m, mem);
	if (!ret)
		mem->dev_offline = false;
	return ret;
}

/* Models device_offline() -> memory_subsys_offline(). */
int device_offline(struct mhp_machine *m, struct memory_block *mem)
{
	if (mem->dev_offline)
		return 1;
	int ret = mem->state == MEM_OFFLINE ? 0 : memory_block_change_state(m, mem, MEM_OFFLINE, MEM_ONLINE);
	if (!ret)
		mem->dev_offline = true;
	return ret;
}

static const char *state_text(int state)
{
	switch (state) {
	case MEM_ONLINE: return "online";
	case MEM_OFFLINE: return "offline";
	case MEM_GOING_OFFLINE: return "going-offline";
	}
	return "ERROR-UNKNOWN";
}

/* Models valid_zones_show(): an offline block lists its default zone and the allowed others. */
static void valid_zones_show(const struct mhp_machine *m, const struct memory_block *mem, struct strbuf *sb)
{
	if (mem->state == MEM_ONLINE) {
		sb_printf(sb, "%s\n", mem->zone == NO_ZONE ? "none" : zone_name(mem->zone));
		return;
	}
	uint64_t start_pfn = memory_block_start_pfn(m, mem);
	int def = zone_for_pfn_range(m, MMOP_ONLINE, mem->nid, start_pfn, m->pages_per_block);
	sb_printf(sb, "%s", zone_name(def));
	static const int others[] = { MMOP_ONLINE_KERNEL, MMOP_ONLINE_MOVABLE };
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		int z = zone_for_pfn_range(m, others[i], mem->nid, start_pfn, m->pages_per_block);
		if (z != def)
			sb_printf(sb, " %s", zone_name(z));
	}
	sb_printf(sb, "\n");
}

int memory_block_sysfs_read(struct mhp_machine *m, struct memory_block *mem, const char *attr,
			    char *buf, size_t cap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	if (strcmp(attr, "state") == 0)
		sb_printf(&sb, "%s\n", state_text(mem->state));
	else if (strcmp(attr, "online") == 0)
		sb_printf(&sb, "%d\n", !mem->dev_offline);
	else if (strcmp(attr, "phys_index") == 0)
		sb_printf(&sb, "%08llx\n", (unsigned long long)(mem->start_section_nr / m->sections_per_block));
	else if (strcmp(attr, "phys_device") == 0)
		sb_printf(&sb, "0\n");      /* no arch override in 6.12 */
	else if (strcmp(attr, "removable") == 0)
		sb_printf(&sb, "1\n");      /* constant since 5.x with MEMORY_HOTREMOVE */
	else if (strcmp(attr, "valid_zones") == 0)
		valid_zones_show(m, mem, &sb);
	else
		return -ENOENT;
	return (int)sb.len;
}

/* Models kstrtobool(): the first character decides; "on"/"off" need two. */
int kstrtobool(const char *s, size_t len, bool *res)
{
	if (!len)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (len > 1 && (s[1] == 'n' || s[1] == 'N')) {
			*res = true;
			return 0;
		}
		if (len > 1 && (s[1] == 'f' || s[1] == 'F')) {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/*
 * Models kstrtoull(s, 0): an optional '+', then hex after "0x", octal after
 * a leading 0, decimal otherwise; one trailing newline; nothing else.
 */
int kstrtoull(const char *s, size_t len, uint64_t *res)
{
	size_t i = len && s[0] == '+' ? 1 : 0;
	unsigned base = 10;
	if (len && s[len - 1] == '\n')
		len--;
	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && i + 2 < len &&
	    isxdigit((unsigned char)s[i + 2]))
		base = 16, i += 2;
	else if (i < len && s[i] == '0')
		base = 8;
	if (i >= len)
		return -EINVAL;
	uint64_t v = 0;
	for (; i < len; i++) {
		int c = tolower((unsigned char)s[i]);
		unsigned d = isdigit(c) ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99;
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*res = v;
	return 0;
}

/* pfn_to_online_page(): a valid pfn in an online section, or nothing. */
static bool pfn_online(const struct mhp_machine *m, uint64_t pfn)
{
	return pfn_valid(m, pfn) && online_section(__pfn_to_section(m, pfn));
}

/*
 * Models soft_offline_page_store(): a physical address; soft_offline_page()
 * refuses a pfn with no memmap (ENXIO) or not online (EIO). Moving an online
 * page away and taking it out of use is not modelled: EOPNOTSUPP.
 */
int soft_offline_page_store(struct mhp_machine *m, const char *value, size_t len)
{
	uint64_t pa;
	if (kstrtoull(value, len, &pa))
		return -EINVAL;
	uint64_t pfn = PHYS_PFN(m, pa);
	if (!pfn_valid(m, pfn))
		return -ENXIO;
	return pfn_online(m, pfn) ? -EOPNOTSUPP : -EIO;
}

/*
 * Models hard_offline_page_store(): memory_failure() on the page at a
 * physical address. A pfn that is not an online page is "outside kernel
 * control" (ENXIO); poisoning a page is not modelled: EOPNOTSUPP.
 */
int hard_offline_page_store(struct mhp_machine *m, const char *value, size_t len)
{
	uint64_t pa;
	if (kstrtoull(value, len, &pa))
		return -EINVAL;
	uint64_t pfn = PHYS_PFN(m, pa);
	if (pfn_online(m, pfn))
		return -EOPNOTSUPP;
	pr_err(m, "Memory failure: %#llx: memory outside kernel control", (unsigned long long)pfn);
	return -ENXIO;
}

/*
 * Models memory_add_physaddr_to_nid(): with x86's NUMA_KEEP_MEMINFO, the
 * node of the boot RAM holding pa, else the first RAM block's; elsewhere
 * (mm/numa.c) node 0, said once.
 */
static int memory_add_physaddr_to_nid(struct mhp_machine *m, uint64_t pa)
{
	const struct mhp_model *mo = &m->model;
	if (!m->arch->numa_keep_meminfo) {
		pr_info(m, "Unknown online node for memory at 0x%llx, assuming node 0", (unsigned long long)pa);
		return 0;
	}
	for (unsigned i = 0; i < mo->nr_ram; i++)
		if (pa >= mo->ram[i].start && pa - mo->ram[i].start < mo->ram[i].size)
			return mo->ram[i].nid;
	return mo->ram[0].nid;
}

/*
 * Models probe_store() (CONFIG_ARCH_MEMORY_PROBE): kstrtoull's errno for a
 * bad number, EINVAL for an address not on a block boundary, then
 * __add_memory() of one block as "System RAM", whose errno it returns
 * (EEXIST over a busy resource, E2BIG past the pluggable range).
 */
int probe_store(struct mhp_machine *m, const char *value, size_t len)
{
	uint64_t pa;
	int ret = kstrtoull(value, len, &pa);
	if (ret)
		return ret;
	if (pa & (m->model.block_size - 1))
		return -EINVAL;
	struct mhp_err err = { 0 };
	return mhp_add_memory(m, memory_add_physaddr_to_nid(m, pa), pa, m->model.block_size, "System RAM", &err);
}

/* Models state_store(): writing the current state yields 1 from device_*, i.e. EINVAL. */
static int state_store(struct mhp_machine *m, struct memory_block *mem, const char *value, size_t len)
{
	int type = parse_online_type(value, len);
	if (type < 0)
		return -EINVAL;
	int ret;
	if (type == MMOP_OFFLINE) {
		ret = device_offline(m, mem);
	} else {
		mem->online_type = type;
		ret = device_online(m, mem);
	}
	if (ret < 0)
		return ret;
	return ret ? -EINVAL : 0;
}

/* Models online_store(): here an already-reached state is a success. */
static int online_store(struct mhp_machine *m, struct memory_block *mem, const char *value, size_t len)
{
	bool val;
	if (kstrtobool(value, len, &val))
		return -EINVAL;
	int ret = val ? device_online(m, mem) : device_offline(m, mem);
	return ret < 0 ? ret : 0;
}

int memory_block_sysfs_write(struct mhp_machine *m, struct memory_block *mem, const char *attr,
			     const char *value, size_t len)
{
	if (strcmp(attr, "state") == 0)
		return state_store(m, mem, value, len);
	if (strcmp(attr, "online") == 0)
		return online_store(m, mem, value, len);
	return -EACCES;
}

int memory_block_zone(const struct mhp_machine *m, const struct memory_block *mem)
{
	if (mem->state != MEM_ONLINE)
		return NO_ZONE;
	if (mem->zone != NO_ZONE)
		return mem->zone;
	const struct mem_section *ms = __nr_to_section(m, mem->start_section_nr);
	return ms && ms->zone != NO_ZONE ? ms->zone : MAX_NR_ZONES;
}
