// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.c - events: one per meaningful action, narrated, as JSON, and hashed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/machine.h"
#include "strbuf.h"
#include "sim/trace.h"

struct mhp_trace_field TF_S(const char *key, const char *s)
{
	return (struct mhp_trace_field){ .key = key, .str = s ? s : "" };
}

int mhp_trace_format_json(const struct mhp_trace_event *ev, char *buf, size_t cap)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	sb_printf(&sb, "{\"seq\":%llu,\"type\":", (unsigned long long)ev->seq);
	sb_put_json_string(&sb, ev->type);
	for (unsigned i = 0; i < ev->nfields; i++) {
		const struct mhp_trace_field *f = &ev->fields[i];
		sb_printf(&sb, ",");
		sb_put_json_string(&sb, f->key);
		sb_printf(&sb, ":");
		if (f->str)
			sb_put_json_string(&sb, f->str);
		else if (f->hex)
			sb_printf(&sb, "\"0x%llx\"", (unsigned long long)f->num);   /* 0 too: always 0x */
		else
			sb_printf(&sb, "%llu", (unsigned long long)f->num);
	}
	sb_printf(&sb, ",\"text\":");
	sb_put_json_string(&sb, ev->text);
	sb_printf(&sb, "}");
	return (int)sb.len;
}

/* Folds a string into h eight bytes at a time: every event pays it, most with no one listening. */
static uint64_t hash_word(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* Whole words are single loads; only the last, shorter one (the NUL's) is copied by its length. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	size_t n = strlen(s) + 1, i = 0;
	uint64_t w;
	for (; n - i > 8; i += 8) {
		memcpy(&w, s + i, 8);
		h = hash_word(h, w);
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	return hash_word(h, w);
}

/*
 * Folds an event into the trace hash: type, each field (key and value), and
 * the text's format (not the text: it is rendered only for a sink, so a run
 * without one, a fuzzer's or a benchmark's, hashes the same and pays nothing).
 */
static uint64_t hash_event(uint64_t h, const char *type, const struct mhp_trace_field *f, unsigned n,
			   const char *fmt)
{
	h = hash_str(h, type);
	for (unsigned i = 0; i < n; i++) {
		h = hash_str(h, f[i].key);
		if (f[i].str)
			h = hash_str(h, f[i].str);
		else
			h = (h ^ f[i].num) * 0xbf58476d1ce4e5b9ull, h ^= h >> 31;
	}
	return hash_str(h, fmt);
}

/* The event itself is made only for a sink: most runs (a fuzzer's, a benchmark's) have none and only hash it. */
__attribute__((format(printf, 5, 0)))
static void trace_emitv(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f, unsigned n,
			const char *fmt, va_list ap)
{
	MHP_ASSERT(n <= MHP_TRACE_MAX_FIELDS);
	uint64_t seq = m->trace.seq++;
	m->trace.hash = hash_event(m->trace.hash, type, f, n, fmt);
	if (!m->trace.sink)
		return;
	char text[512];
	struct mhp_trace_event ev = { .seq = seq, .type = type, .text = text, .nfields = n };
	memcpy(ev.fields, f, n * sizeof(*f));
	vsnprintf(text, sizeof(text), fmt, ap);
	m->trace.sink(&ev, m->trace.ctx);
}

void trace_emit(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f,
		unsigned n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	trace_emitv(m, type, f, n, fmt, ap);
	va_end(ap);
}

void mhp_trace_emit(struct mhp_machine *m, const char *type, const struct mhp_trace_field *f, unsigned n,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	trace_emitv(m, type, f, n, fmt, ap);
	va_end(ap);
}

const char *mhp_trace_kernel_function(const struct mhp_trace_event *ev)
{
	static const struct { const char *type, *fn; } map[] = {
		{ "add_memory", "add_memory_resource() mm/memory_hotplug.c" },
		{ "resource_add", "register_memory_resource() mm/memory_hotplug.c" },
		{ "resource_release", "release_mem_region_adjustable() kernel/resource.c" },
		{ "resource_kept", "release_mem_region_adjustable() kernel/resource.c" },
		{ "section_add", "sparse_add_section() mm/sparse.c" },
		{ "section_remove", "sparse_remove_section() mm/sparse.c" },
		{ "vmemmap_populate", "vmemmap_populate() arch/arm64/mm/mmu.c" },
		{ "linear_map", "__create_pgd_mapping() arch/arm64/mm/mmu.c" },
		{ "pgtable_alloc", "__pgd_pgtable_alloc() arch/arm64/mm/mmu.c" },   /* hot-add's: no constructor */
		{ "pgtable_free", "free_hotplug_pgtable_page() arch/arm64/mm/mmu.c" },
		{ "unmap", "unmap_hotplug_range() arch/arm64/mm/mmu.c" },
		{ "kernel_warn", "free_hotplug_page_range() arch/arm64/mm/mmu.c" },
		{ "tlb_flush", "flush_tlb_all() arch/arm64/include/asm/tlbflush.h" },
		{ "block_add", "add_memory_block() drivers/base/memory.c" },
		{ "block_remove", "remove_memory_block_devices() drivers/base/memory.c" },
		{ "block_state", "memory_block_change_state() drivers/base/memory.c" },
		{ "sysfs_write", "state_store() drivers/base/memory.c" },
		{ "online_pages", "online_pages() mm/memory_hotplug.c" },
		{ "offline_pages", "offline_pages() mm/memory_hotplug.c" },
		{ "zone_span_grow", "move_pfn_range_to_zone() mm/memory_hotplug.c" },
		{ "zone_span_shrink", "remove_pfn_range_from_zone() mm/memory_hotplug.c" },
		{ "node_online", "node_set_online() include/linux/nodemask.h" },
		{ "node_offline", "try_offline_node() mm/memory_hotplug.c" },
		{ "memory_notify", "memory_notify() drivers/base/memory.c" },
		{ "isolate", "start_isolate_page_range() mm/page_isolation.c" },
		{ "isolate_failed", "has_unmovable_pages() mm/page_isolation.c" },
		{ "undo_isolate", "undo_isolate_page_range() mm/page_isolation.c" },
		{ "migrate", "do_migrate_range() mm/memory_hotplug.c" },
		{ "remove_memory", "try_remove_memory() mm/memory_hotplug.c" },
		{ "memremap_pages", "devm_memremap_pages() mm/memremap.c" },
		{ "memunmap_pages", "memunmap_pages() mm/memremap.c" },
		{ "printk", "printk() kernel/printk/printk.c" },
		{ "modprobe", "register_memory_notifier() drivers/base/memory.c" },
		{ "bad_free", "free_pages() mm/page_alloc.c" },
		{ "virtio_mem", "virtio_mem_run_wq() drivers/virtio/virtio_mem.c" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].type, ev->type) == 0)
			return map[i].fn;
	return NULL;
}

const char *mhp_machine_trace_function(const struct mhp_machine *m, const struct mhp_trace_event *ev)
{
	const char *fn = NULL;
	if (m && m->arch && m->arch->trace_function && m->arch->trace_function(ev->type, &fn))
		return fn;
	return mhp_trace_kernel_function(ev);
}

void mhp_trace_set_sink(struct mhp_machine *m, mhp_trace_sink sink, void *ctx)
{
	m->trace.sink = sink;
	m->trace.ctx = ctx;
}

uint64_t mhp_trace_hash(const struct mhp_machine *m)
{
	return m->trace.hash;
}
