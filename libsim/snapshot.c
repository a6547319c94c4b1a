// SPDX-License-Identifier: GPL-2.0-only
/*
 * snapshot.c - the whole machine saved to bytes and loaded back.
 *
 * No kernel twin: this is how a failure found after a long run is handed
 * over. One visitor walks every field of the machine in a fixed order; saving
 * writes each field little-endian, loading reads it back into the same place,
 * so the two directions cannot drift apart. Geometry is not stored: it is
 * derived again from the model. Counters that follow from other state (table
 * use counts, present sections, tag counts) are recomputed, not trusted.
 *
 * File: "MHPSIMSS" | u32 version | u32 extra_len | u64 payload_len |
 *       extra | payload | u64 FNV-1a of everything before it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/ioport.h"
#include "sim/kernel.h"
#include "sim/machine.h"
#include "sim/memory.h"
#include "sim/memory_hotplug.h"
#include "sim/mmzone.h"
#include "sim/model.h"
#include "sim/mutant.h"
#include "sim/page.h"
#include "sim/page_alloc.h"
#include "sim/printk.h"
#include "sim/snapshot.h"
#include "sim/sparse.h"
#include "sim/touched.h"
#include "sim/workload.h"
#include "drivers/virtio_mem.h"

#define SNAPSHOT_MAGIC "MHPSIMSS"
#define SNAPSHOT_VERSION 15u   /* 2: touched ranges; 3: teardown descriptor and leaf-flush counts; 4: virtio-mem; 5: arch;
				 6: watermarks, the kernel's own allocations (mm/slab.c), CPUs per node, the kernel
				 image's sections and the initrd; 7: a page's short-term references, virtio-mem's
				 requested size at boot; 8: the boot's memblock calls; 9: the model's CPU features,
				 the direct map's counts by level, gbpages, after_bootmem, a failed add's leftovers;
				 10: CONFIG_ARCH_MEMORY_PROBE (the model's and the machine's); 11: pages freed while
				 cached (the TLB's hazard count); 12: firmware-reserved ranges; 13: fault
				 injection's interval; 14: page-table constructors (a table's and the
				 destructors out of pair), walker races, mhpsim.bootmem, mhpsim.strict_tlb; 15:
				 mhpsim.strict_bug, ZONE_DEVICE ranges */
#define SNAPSHOT_HEADER 24u
#define SNAPSHOT_MAX_BYTES (1ull << 34)   /* 16 GiB: far above any model we ship */
#define SNAPSHOT_MAX_EXTRA 4096u

struct ser {
	bool load;
	uint8_t *buf;
	size_t len, cap, pos;     /* save: len used of cap; load: pos read of len */
	int err;                  /* first error: -ENOMEM on save, -EBADMSG on load */
	char what[160];           /* what was wrong, on load */
};

static void ser_fail(struct ser *s, const char *what)
{
	if (!s->err) {
		s->err = s->load ? -EBADMSG : -ENOMEM;
		snprintf(s->what, sizeof(s->what), "%s at offset %zu", what, s->pos);
	}
}

/* Load: may n more elements of size sz follow? Bounds every allocation by the file. */
static bool ser_room(struct ser *s, uint64_t n, size_t sz)
{
	if (s->err)
		return false;
	if (s->load && (sz && n > (s->len - s->pos) / sz)) {
		ser_fail(s, "truncated state");
		return false;
	}
	return true;
}

static void ser_raw(struct ser *s, void *p, size_t n)
{
	if (s->err || !n)
		return;
	if (s->load) {
		if (!ser_room(s, n, 1)) {
			memset(p, 0, n);
			return;
		}
		memcpy(p, s->buf + s->pos, n);
		s->pos += n;
		return;
	}
	if (s->len + n > s->cap) {
		size_t ncap = s->cap ? s->cap : 1 << 16;
		while (ncap < s->len + n)
			ncap *= 2;
		uint8_t *b = realloc(s->buf, ncap);
		if (!b)
			return ser_fail(s, "out of memory");
		s->buf = b;
		s->cap = ncap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

/* Fixed-width little-endian integers (the hosts we run on are little-endian; asserted below). */
static void ser_u64(struct ser *s, uint64_t *v) { ser_raw(s, v, 8); }
static void ser_i64(struct ser *s, int64_t *v) { ser_raw(s, v, 8); }
static void ser_u32(struct ser *s, unsigned *v) { ser_raw(s, v, 4); }
static void ser_i32(struct ser *s, int *v) { ser_raw(s, v, 4); }
static void ser_i16(struct ser *s, int16_t *v) { ser_raw(s, v, 2); }
static void ser_u8(struct ser *s, uint8_t *v) { ser_raw(s, v, 1); }
static void ser_i8(struct ser *s, int8_t *v) { ser_raw(s, v, 1); }

static void ser_bool(struct ser *s, bool *v)
{
	uint8_t b = *v;
	ser_u8(s, &b);
	if (s->load && b > 1)
		ser_fail(s, "bad boolean");
	*v = b == 1;
}

#define SER(s, x) _Generic(&(x), \
	uint64_t *: ser_u64, int64_t *: ser_i64, unsigned *: ser_u32, int *: ser_i32, \
	int16_t *: ser_i16, uint8_t *: ser_u8, int8_t *: ser_i8, bool *: ser_bool)(s, &(x))

/* A NUL-terminated string in a fixed buffer: its length, then its bytes. */
static void ser_str(struct ser *s, char *str, size_t cap)
{
	unsigned n = s->load ? 0 : (unsigned)strnlen(str, cap - 1);
	SER(s, n);
	if (s->load && n >= cap)
		return ser_fail(s, "string too long");
	ser_raw(s, str, n);
	if (s->load)
		memset(str + n, 0, cap - n);
}

/* Load: an integer field must lie in [lo, hi]. */
static void ser_range(struct ser *s, int64_t v, int64_t lo, int64_t hi, const char *what)
{
	if (s->load && (v < lo || v > hi))
		ser_fail(s, what);
}

/*
 * One kind's touched ranges. A snapshot holds up to TOUCHED_SNAPSHOT_MAX,
 * what earlier versions kept; a load folds more than the machine keeps now
 * into its list (touch_range_slow(): the two closest merge), so it walks a
 * little more, never less. Ranges must be sorted, disjoint and not empty.
 */
#define TOUCHED_SNAPSHOT_MAX 32
_Static_assert(TOUCHED_MAX <= TOUCHED_SNAPSHOT_MAX, "a snapshot holds every range a machine keeps");
static void ser_touched(struct ser *s, struct touched *t, int k)
{
	uint64_t r[TOUCHED_SNAPSHOT_MAX][2];
	uint32_t n = t->n[k];
	SER(s, n);
	ser_range(s, n, 0, TOUCHED_SNAPSHOT_MAX, "too many touched ranges");
	for (uint32_t i = 0; i < n && !s->err; i++) {
		r[i][0] = s->load ? 0 : t->range[k][i][0];
		r[i][1] = s->load ? 0 : t->range[k][i][1];
		SER(s, r[i][0]);
		SER(s, r[i][1]);
		if (s->load && (r[i][0] >= r[i][1] || (i && r[i][0] <= r[i - 1][1])))
			ser_fail(s, "touched ranges out of order");
	}
	if (!s->load || s->err)
		return;
	t->n[k] = 0;
	for (uint32_t i = 0; i < n; i++)
		touch_range_slow(t, k, r[i][0], r[i][1]);
}

/* ---- the model ------------------------------------------------------------------- */

static void ser_model_range(struct ser *s, struct model_range *r)
{
	SER(s, r->start);
	SER(s, r->size);
	SER(s, r->nid);
	ser_str(s, r->name, sizeof(r->name));
	SER(s, r->cma);
	SER(s, r->firmware);
	SER(s, r->pool);
	SER(s, r->block_size);
	SER(s, r->requested_size);
	SER(s, r->line);
	SER(s, r->col);
}

static void ser_ranges(struct ser *s, struct model_range *r, unsigned *n)
{
	SER(s, *n);
	ser_range(s, *n, 0, MODEL_MAX_RANGES, "too many model ranges");
	for (unsigned i = 0; i < *n && !s->err; i++)
		ser_model_range(s, &r[i]);
}

static void ser_kalloc(struct ser *s, struct kalloc_params *k)
{
	SER(s, k->on);
	SER(s, k->block_unmovable);
	SER(s, k->block_reclaimable);
	SER(s, k->step_transient);
	SER(s, k->step_unmovable);
	SER(s, k->step_reclaimable);
	ser_range(s, k->step_transient, 0, KALLOC_MAX_TRANSIENT, "bad kernel_allocations step_transient");
	ser_str(s, k->recording, sizeof(k->recording));
}

static void ser_memblock(struct ser *s, struct mhp_model *mo)
{
	SER(s, mo->nr_memblock);
	ser_range(s, mo->nr_memblock, 0, MODEL_MAX_MEMBLOCK, "too many memblock calls");
	for (unsigned i = 0; i < mo->nr_memblock && !s->err; i++) {
		struct model_memblock_op *op = &mo->memblock[i];
		SER(s, op->size);
		SER(s, op->align);
		SER(s, op->min);
		SER(s, op->max);
		SER(s, op->count);
		SER(s, op->nid);
		ser_str(s, op->by, sizeof(op->by));
		SER(s, op->pool);
		SER(s, op->cma);
		SER(s, op->cmdline);
		SER(s, op->free);
		SER(s, op->line);
		SER(s, op->col);
	}
}

static void ser_model(struct ser *s, struct mhp_model *mo)
{
	ser_str(s, mo->name, sizeof(mo->name));
	ser_str(s, mo->path, sizeof(mo->path));
	ser_str(s, mo->arch, sizeof(mo->arch));
	SER(s, mo->page_shift);
	SER(s, mo->va_bits);
	SER(s, mo->pa_bits);
	SER(s, mo->section_size_bits);
	SER(s, mo->block_size);
	SER(s, mo->fw_dma_limit);
	SER(s, mo->memstart_align);
	SER(s, mo->default_online_type);
	ser_str(s, mo->cmdline, sizeof(mo->cmdline));
	SER(s, mo->nr_nodes);
	ser_range(s, mo->nr_nodes, 1, MAX_NUMNODES, "bad node count");
	SER(s, mo->nr_cpus);
	for (unsigned i = 0; i < mo->nr_nodes && !s->err; i++) {
		SER(s, mo->nodes[i].nid);
		SER(s, mo->nodes[i].has_cpu);
		SER(s, mo->nodes[i].nr_cpus);
	}
	ser_ranges(s, mo->ram, &mo->nr_ram);
	ser_ranges(s, mo->hotplug, &mo->nr_hotplug);
	ser_ranges(s, mo->reserved, &mo->nr_reserved);
	SER(s, mo->kernel.present);
	SER(s, mo->kernel.code);
	SER(s, mo->kernel.rwdata);
	SER(s, mo->kernel.rodata);
	SER(s, mo->kernel.bss);
	ser_model_range(s, &mo->kernel.init);
	ser_model_range(s, &mo->initrd);
	SER(s, mo->nr_simplifications);
	ser_range(s, mo->nr_simplifications, 0, MODEL_MAX_SIMPLIFICATIONS, "too many simplifications");
	for (unsigned i = 0; i < mo->nr_simplifications && !s->err; i++)
		ser_str(s, mo->simplifications[i], sizeof(mo->simplifications[i]));
	ser_kalloc(s, &mo->kalloc);
	SER(s, mo->nr_iomem);
	ser_range(s, mo->nr_iomem, 0, MODEL_MAX_IOMEM, "too many iomem entries");
	for (unsigned i = 0; i < mo->nr_iomem && !s->err; i++) {
		SER(s, mo->iomem[i].start);
		SER(s, mo->iomem[i].end);
		SER(s, mo->iomem[i].depth);
		ser_str(s, mo->iomem[i].name, sizeof(mo->iomem[i].name));
	}
	ser_memblock(s, mo);
	SER(s, mo->cpu_features);
	SER(s, mo->memory_probe);
	if (s->load && !s->err && !model_geometry_valid(mo))
		ser_fail(s, "the model's geometry is not one mhpsim builds");
}

/* ---- sparse ---------------------------------------------------------------------- */

/* A per-section array that exists or not: a presence byte, then n elements of sz bytes. */
static bool ser_array_present(struct ser *s, void **p, uint64_t n, size_t sz)
{
	bool present = *p != NULL;
	SER(s, present);
	if (!s->load || !present || !ser_room(s, n, sz))
		return present && !s->err;
	*p = calloc(n, sz);
	if (!*p) {
		ser_fail(s, "out of memory");
		return false;
	}
	return true;
}

static void ser_section(struct ser *s, struct mhp_machine *m, struct mem_section *ms)
{
	SER(s, ms->flags);
	SER(s, ms->nid);
	ser_range(s, ms->nid, -1, MAX_NUMNODES - 1, "bad section node");
	SER(s, ms->zone);
	ser_range(s, ms->zone, NO_ZONE, MAX_NR_ZONES - 1, "bad section zone");
	SER(s, ms->nr_alloc);
	for (int i = 0; i < 4; i++)
		SER(s, ms->subsection_map[i]);
	/*
	 * The runs are saved as the page array they stand for (the format has
	 * one form: present while anything is allocated), and taken back as
	 * runs on load.
	 */
	struct page_state *pages = NULL;
	if (!s->load && ms->nr_alloc) {
		if (!(pages = malloc(m->pages_per_section * sizeof(*pages))))
			return ser_fail(s, "out of memory");
		section_fill(ms, 0, m->pages_per_section, pages);
	}
	bool has_pages = ser_array_present(s, (void **)&pages, m->pages_per_section, sizeof(*pages));
	/* The array at once: its layout is the format's (tag, kind, refs, order, head: 8 bytes a page). */
	_Static_assert(sizeof(struct page_state) == 8 && offsetof(struct page_state, kind) == 4 &&
		       offsetof(struct page_state, refs) == 5 && offsetof(struct page_state, order) == 6 &&
		       offsetof(struct page_state, head) == 7, "struct page_state is the snapshot's page record");
	if (has_pages)
		ser_raw(s, pages, m->pages_per_section * sizeof(*pages));
	for (uint64_t i = 0; has_pages && i < m->pages_per_section && !s->err; i++) {
		ser_range(s, pages[i].kind, 0, NR_PAGE_KINDS - 1, "bad page kind");
		ser_range(s, pages[i].order, 0, m->max_page_order, "bad page order");
	}
	/* The count the page layer keeps must be what the states say (no array: nothing allocated). */
	int adopted = s->load && !s->err && has_pages ? section_adopt(m, ms, pages) : 0;
	free(pages);
	if (adopted == -EINVAL)
		ser_fail(s, "a free page carries a page state");
	else if (adopted || (s->load && !s->err && !has_pages && ms->nr_alloc))
		ser_fail(s, "a section's count of allocated pages does not match its page states");
	uint64_t nr_pb = m->pages_per_section >> m->pageblock_order;
	if (ser_array_present(s, (void **)&ms->pb_mt, nr_pb, 1))
		for (uint64_t i = 0; i < nr_pb && !s->err; i++) {
			SER(s, ms->pb_mt[i]);
			ser_range(s, ms->pb_mt[i], 0, MIGRATE_TYPES - 1, "bad migratetype");
		}
	if (s->load && !s->err)
		m->nr_isolated_pageblocks += section_isolated_pageblocks(m, ms);
}

static void ser_sparse(struct ser *s, struct mhp_machine *m)
{
	struct sparse_table *t = &m->sparse;
	uint64_t per = m->page_size / 16, nr_roots = t->nr_roots;
	SER(s, nr_roots);
	if (s->load && ser_room(s, nr_roots, per)) {
		t->roots = calloc(nr_roots ? nr_roots : 1, sizeof(*t->roots));
		if (!t->roots)
			return ser_fail(s, "out of memory");
		t->cap_roots = nr_roots ? nr_roots : 1;
	}
	for (uint64_t r = 0; r < nr_roots && !s->err; r++) {
		struct section_root *root = &t->roots[r];
		SER(s, root->root_nr);
		if (s->load) {
			if (r && root->root_nr <= t->roots[r - 1].root_nr)
				return ser_fail(s, "section roots out of order");
			if (!(root->sections = calloc(per, sizeof(*root->sections))))
				return ser_fail(s, "out of memory");
			t->nr_roots = r + 1;   /* from here on, sparse_free() releases it */
		}
		for (uint64_t k = 0; k < per && !s->err; k++) {
			ser_section(s, m, &root->sections[k]);
			if (s->load && present_section(&root->sections[k])) {
				root->nr_present++;
				t->nr_present++;
			}
		}
	}
}

/* ---- zones, blocks, resources ----------------------------------------------------- */

static void ser_free_list(struct ser *s, struct free_list *fl)
{
	SER(s, fl->n);
	if (s->load) {
		if (!ser_room(s, fl->n, 8))
			return;
		fl->cap = fl->n;
		fl->head = 0;
		if (fl->n && !(fl->pfn = calloc(fl->n, sizeof(*fl->pfn))))
			return ser_fail(s, "out of memory");
	}
	for (uint32_t i = 0; i < fl->n && !s->err; i++)
		SER(s, fl->pfn[i]);
}

static void ser_zone(struct ser *s, struct mhp_machine *m, struct zone *z)
{
	SER(s, z->zone_start_pfn);
	SER(s, z->spanned_pages);
	SER(s, z->present_pages);
	SER(s, z->present_early_pages);
	SER(s, z->managed_pages);
	SER(s, z->cma_pages);
	SER(s, z->free_pages);
	for (int w = 0; w < NR_WMARK; w++)
		SER(s, z->_watermark[w]);
	for (unsigned o = 0; o <= m->max_page_order; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			ser_free_list(s, &z->free_area[o][mt]);
			if (s->load && z->free_area[o][mt].n)
				z->nonempty[mt] |= (uint16_t)(1u << o);
		}
	}
}

static void ser_nodes(struct ser *s, struct mhp_machine *m)
{
	for (int nid = 0; nid < MAX_NUMNODES && !s->err; nid++) {
		struct pglist_data *p = &m->nodes[nid];
		SER(s, p->online);
		SER(s, p->has_cpu);
		SER(s, p->possible);
		SER(s, p->node_start_pfn);
		SER(s, p->node_spanned_pages);
		SER(s, p->node_present_pages);
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			ser_zone(s, m, &p->zones[zid]);
		SER(s, m->zone_movable_pfn[nid]);
	}
}

static void ser_blocks(struct ser *s, struct mhp_machine *m)
{
	uint64_t n = m->nr_blocks;
	SER(s, n);
	ser_range(s, (int64_t)(n & INT64_MAX), 0, MAX_MEMORY_BLOCKS, "too many memory blocks");
	if (s->load && ser_room(s, n, 40)) {
		if (!(m->blocks = calloc(n ? n : 1, sizeof(*m->blocks))))
			return ser_fail(s, "out of memory");
		m->cap_blocks = n ? n : 1;
	}
	for (uint64_t i = 0; i < n && !s->err; i++) {
		if (s->load) {
			if (!(m->blocks[i] = calloc(1, sizeof(**m->blocks))))
				return ser_fail(s, "out of memory");
			m->nr_blocks = i + 1;
		}
		struct memory_block *b = m->blocks[i];
		SER(s, b->id);
		SER(s, b->start_section_nr);
		SER(s, b->state);
		ser_range(s, b->state, MEM_ONLINE, MEM_FINISH_OFFLINE, "bad block state");
		SER(s, b->online_type);
		ser_range(s, b->online_type, MMOP_OFFLINE, MMOP_ONLINE_MOVABLE, "bad online type");
		SER(s, b->nid);
		ser_range(s, b->nid, -1, MAX_NUMNODES - 1, "bad block node");
		SER(s, b->zone);
		ser_range(s, b->zone, NO_ZONE, MAX_NR_ZONES - 1, "bad block zone");
		SER(s, b->dev_offline);
		SER(s, b->early);
		SER(s, b->nr_vmemmap_pages);
		SER(s, b->looked_up);
		if (s->load && i && b->id <= m->blocks[i - 1]->id)
			ser_fail(s, "memory blocks out of order");
	}
}

static void ser_resources(struct ser *s, struct mhp_machine *m)
{
	uint64_t n = m->nr_resources;
	SER(s, n);
	ser_range(s, (int64_t)(n & INT64_MAX), 0, MAX_RESOURCES, "too many resources");
	if (s->load && !s->err) {
		if (!(m->resources = calloc(n ? n : 1, sizeof(*m->resources))))
			return ser_fail(s, "out of memory");
		m->cap_resources = n ? n : 1;
		m->nr_resources = n;
	}
	for (uint64_t i = 0; i < n && !s->err; i++) {
		struct resource *r = &m->resources[i];
		SER(s, r->start);
		SER(s, r->end);
		ser_str(s, r->name, sizeof(r->name));
		SER(s, r->driver_managed);
		SER(s, r->mergeable);
		if (s->load && (r->end < r->start || (i && r->start <= m->resources[i - 1].end)))
			ser_fail(s, "resources overlap or out of order");
	}
}

/* ---- page tables and TLB ------------------------------------------------------------ */

/* The store keeps its slot layout: lookups and walks in slot order stay the same. */
static void ser_table(struct ser *s, struct mhp_machine *m, struct pt_table **tp)
{
	struct pt_table hdr = { 0 }, *t = s->load ? &hdr : *tp;
	SER(s, t->pfn);
	SER(s, t->depth);
	ser_range(s, t->depth, 0, m->pt_geom.levels - 1, "bad table depth");
	SER(s, t->boot);
	SER(s, t->ctor);
	uint64_t n = s->err ? 0 : m->pt_geom.ptrs[t->depth];
	if (s->load) {
		if (s->err || !ser_room(s, n, 8))
			return;
		if (!(t = pt_table_new(m, hdr.pfn, hdr.depth, hdr.boot)))
			return ser_fail(s, "out of memory");
		t->ctor = hdr.ctor;
		*tp = t;
	}
	/* Every entry, in either form, a chunk at a time: little-endian, as SER writes each. */
	uint64_t chunk[512];
	for (uint64_t i = 0; i < n && !s->err; i += 512) {
		uint64_t k = n - i < 512 ? n - i : 512;
		if (!s->load)
			pt_copy(t, i, k, chunk);
		ser_raw(s, chunk, k * sizeof(chunk[0]));
		if (s->load && !s->err)
			pt_fill(m, t, i, k, chunk);
	}
}

static void ser_pt_store(struct ser *s, struct mhp_machine *m)
{
	struct pt_store *st = &m->pt;
	SER(s, st->cap);
	SER(s, st->count);
	SER(s, st->pgd_pfn);
	SER(s, st->nr_freed);
	SER(s, st->nr_allocated);
	SER(s, st->nr_reads);
	SER(s, st->nr_writes);
	if (s->load) {
		uint64_t cap = st->cap;
		st->cap = 0;   /* until the slots exist, pt_store_free() has nothing to walk */
		if (cap & (cap - 1) || cap > 4 * st->count + 1024 || st->count * 2 > cap || !ser_room(s, st->count, 16))
			return ser_fail(s, "bad page-table store size");
		if (!(st->slots = calloc(cap ? cap : 1, sizeof(*st->slots))))
			return ser_fail(s, "out of memory");
		st->cap = cap;
	}
	uint64_t slot = 0;
	for (uint64_t i = 0; i < st->count && !s->err; i++, slot++) {
		while (!s->load && !st->slots[slot])
			slot++;
		SER(s, slot);
		if (s->load) {
			if (slot >= st->cap || st->slots[slot])
				return ser_fail(s, "bad page-table slot");
		}
		ser_table(s, m, &st->slots[slot]);
		if (s->err)
			return;
		if (s->load)
			st->digest += pt_table_mix(m, st->slots[slot]);
	}
	/* Only with every slot filled: a probe run that wraps past the last slot starts after the tables it holds. */
	for (uint64_t i = 0; s->load && !s->err && i < st->cap; i++)
		if (st->slots[i] && pt_lookup(m, st->slots[i]->pfn) != st->slots[i])
			return ser_fail(s, "page-table slot does not match its pfn");
	if (s->load && !s->err && (!pt_pgd(m) || pt_pgd(m)->depth != 0))
		ser_fail(s, "no PGD");
}

static void ser_tlb(struct ser *s, struct tlb *tlb)
{
	for (unsigned i = 0; i < TLB_ENTRIES; i++) {
		struct tlb_entry *e = &tlb->e[i];
		SER(s, e->va);
		SER(s, e->span);
		SER(s, e->target);
		SER(s, e->depth);
		ser_range(s, e->depth, 0, PT_MAX_DEPTH - 1, "bad TLB entry depth");
		SER(s, e->leaf);
		SER(s, e->valid);
		if (s->load && e->valid) {
			unsigned word;
			uint64_t mask;
			tlb->nr_valid++;
			tlb_filter_bit(e, &word, &mask);   /* the filter, rebuilt from the entries */
			tlb->maybe[word] |= mask;
		}
	}
	SER(s, tlb->next);
	ser_range(s, tlb->next, 0, TLB_ENTRIES - 1, "bad TLB index");
	SER(s, tlb->nr_flush_range);
	SER(s, tlb->nr_flush_leaf);
	SER(s, tlb->nr_flush_pgtable);
	SER(s, tlb->nr_flush_all);
	SER(s, tlb->nr_freed_while_cached);
}

/* ---- workload tags, log, and the rest --------------------------------------------- */

static void save_tag(uint32_t tag, uint64_t pfn, void *arg)
{
	struct ser *s = arg;
	SER(s, tag);
	SER(s, pfn);
}

/* Live tags as (tag, pfn) pairs in ascending tag order; loading rebuilds the map. */
static void ser_tags(struct ser *s, struct mhp_machine *m)
{
	uint64_t count = m->tags.count;
	SER(s, count);
	if (!s->load)
		return tags_for_each(&m->tags, save_tag, s);
	if (!ser_room(s, count, sizeof(uint32_t) + sizeof(uint64_t)))
		return;
	uint32_t prev = 0;
	for (uint64_t i = 0; i < count && !s->err; i++) {
		uint32_t tag = 0;
		uint64_t pfn = 0;
		SER(s, tag);
		SER(s, pfn);
		if (s->err)
			break;
		if (tag <= prev || pfn == UINT64_MAX)
			return ser_fail(s, "tags out of order");
		if (tag_insert(&m->tags, tag, pfn))
			return ser_fail(s, "out of memory");
		prev = tag;
	}
}

static void ser_log(struct ser *s, struct mhp_machine *m)
{
	SER(s, m->log.next);
	uint64_t first = m->log.next > LOG_RING_LINES ? m->log.next - LOG_RING_LINES : 0;
	for (uint64_t seq = first; seq < m->log.next && !s->err; seq++) {
		struct log_line *l = &m->log.lines[seq % LOG_RING_LINES];
		SER(s, l->level);
		ser_str(s, l->text, sizeof(l->text));
	}
}

/* Scalars of the machine that are not geometry. */
static void ser_params(struct ser *s, struct mhp_machine *m)
{
	SER(s, m->default_online_type);
	ser_range(s, m->default_online_type, MMOP_OFFLINE, MMOP_ONLINE_MOVABLE, "bad default online type");
	SER(s, m->online_policy);
	ser_range(s, m->online_policy, ONLINE_POLICY_CONTIG_ZONES, ONLINE_POLICY_AUTO_MOVABLE, "bad online policy");
	SER(s, m->auto_movable_ratio);
	SER(s, m->required_kernelcore);
	SER(s, m->required_movablecore);
	SER(s, m->kernelcore_percent);
	SER(s, m->movablecore_percent);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		SER(s, m->arch_zone_lo[z]);
		SER(s, m->arch_zone_hi[z]);
	}
	SER(s, m->auto_movable_numa_aware);
	SER(s, m->movable_node);
	SER(s, m->memmap_mode);
	ser_range(s, m->memmap_mode, MEMMAP_ON_MEMORY_DISABLE, MEMMAP_ON_MEMORY_FORCE, "bad memmap_on_memory");
	SER(s, m->max_pfn);
	SER(s, m->min_free_kbytes);
	SER(s, m->policy_zone);
	ser_range(s, m->policy_zone, ZONE_DMA, ZONE_NORMAL, "bad policy zone");
	SER(s, m->totalram_pages);
	SER(s, m->nr_memmap_pages);
	SER(s, m->nr_memmap_boot_pages);
	ser_kalloc(s, &m->kalloc);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int c = 0; c < NR_SLAB_CLASSES; c++) {
			SER(s, m->kmem[nid].bytes[c]);
			SER(s, m->kmem[nid].pages[c]);
		}
	SER(s, m->can_set_direct_map);
	SER(s, m->rodata_full);
	SER(s, m->kfence_early);
	SER(s, m->debug_pagealloc);
	for (unsigned i = 0; i < ARRAY_SIZE(m->direct_pages_count); i++)
		SER(s, m->direct_pages_count[i]);
	SER(s, m->direct_gbpages);
	SER(s, m->memory_probe);
	SER(s, m->direct_gbpages_param);
	SER(s, m->after_bootmem);
	SER(s, m->nr_pgmaps);
	ser_range(s, m->nr_pgmaps, 0, MAX_PGMAPS, "too many ZONE_DEVICE ranges");
	for (unsigned i = 0; i < m->nr_pgmaps && !s->err; i++) {
		SER(s, m->pgmaps[i].start);
		SER(s, m->pgmaps[i].end);
		SER(s, m->pgmaps[i].nid);
		if (s->load && (m->pgmaps[i].end <= m->pgmaps[i].start || m->pgmaps[i].nid < 0 ||
				m->pgmaps[i].nid >= MAX_NUMNODES || (i && m->pgmaps[i].start < m->pgmaps[i - 1].end)))
			ser_fail(s, "bad ZONE_DEVICE range");
	}
	SER(s, m->nr_linear_left);
	ser_range(s, m->nr_linear_left, 0, LINEAR_LEFT_MAX, "too many linear-map leftovers");
	for (unsigned i = 0; i < m->nr_linear_left && !s->err; i++) {
		SER(s, m->linear_left[i].start);
		SER(s, m->linear_left[i].end);
		if (m->linear_left[i].start >= m->linear_left[i].end ||
		    (i && m->linear_left[i].start <= m->linear_left[i - 1].end))
			ser_fail(s, "linear-map leftovers out of order");
	}
	SER(s, m->teardown);
	ser_range(s, m->teardown, 0, (int)arch_nr_teardowns(m->arch) - 1, "bad teardown strategy");
	SER(s, m->nr_pgtable_pages);
	SER(s, m->nr_bad_frees);
	SER(s, m->nr_bad_dtors);
	SER(s, m->nr_walker_uaf);
	SER(s, m->bootmem_remove);
	SER(s, m->strict_tlb);
	SER(s, m->strict_bug);
	ser_range(s, m->bootmem_remove, BOOTMEM_VETO, BOOTMEM_RESERVED, "bad mhpsim.bootmem");
	ser_str(s, m->walker_uaf, sizeof(m->walker_uaf));
	SER(s, m->offline_retry_budget);
	SER(s, m->nr_notifiers);
	ser_range(s, m->nr_notifiers, 0, ARRAY_SIZE(m->notifiers), "too many notifiers");
	for (unsigned i = 0; i < m->nr_notifiers && !s->err; i++) {
		SER(s, m->notifiers[i].id);
		ser_range(s, m->notifiers[i].id, 0, NR_NOTIFIERS - 1, "bad notifier");
		SER(s, m->notifiers[i].priority);
	}
	SER(s, m->inject_loaded);
	SER(s, m->inject_going_online);
	SER(s, m->inject_going_offline);
	SER(s, m->nr_migrated);
	SER(s, m->fail_page_alloc.after);
	SER(s, m->fail_page_alloc.times);
	SER(s, m->fail_page_alloc.interval);
	SER(s, m->failslab.after);
	SER(s, m->failslab.times);
	SER(s, m->failslab.interval);
	for (int k = 0; k < NR_TOUCHED && !s->err; k++)
		ser_touched(s, &m->touched, k);
	ser_str(s, m->tlb_stale, sizeof(m->tlb_stale));
	for (int i = 0; i < MODEL_MAX_RANGES; i++)
		SER(s, m->pool_used[i]);
	SER(s, m->trace.seq);
	SER(s, m->trace.hash);
	SER(s, m->prng);
	int mutant = (int)m->mutant;
	SER(s, mutant);
	ser_range(s, mutant, MUTANT_NONE, NR_MUTANTS - 1, "bad mutant");
	m->mutant = (enum mutant)mutant;
}

/* The virtio-mem device and driver, if the model has one (the probe made it at boot). */
static void ser_virtio_mem(struct ser *s, struct mhp_machine *m)
{
	bool present = m->vmem != NULL;
	SER(s, present);
	if (!present || s->err)
		return;
	struct virtio_mem *vm = m->vmem;
	if (s->load && !(vm = m->vmem = calloc(1, sizeof(*vm))))
		return ser_fail(s, "out of memory");
	SER(s, vm->nid);
	SER(s, vm->addr);
	SER(s, vm->region_size);
	SER(s, vm->device_block_size);
	SER(s, vm->requested);
	SER(s, vm->plugged);
	SER(s, vm->sbm);
	SER(s, vm->sb_size);
	SER(s, vm->sbs_per_mb);
	ser_range(s, vm->sbs_per_mb, 1, 64, "bad virtio-mem subblocks per block");
	SER(s, vm->block);
	SER(s, vm->first_id);
	SER(s, vm->next_id);
	SER(s, vm->last_id);
	SER(s, vm->offline_size);
	SER(s, vm->offline_threshold);
	SER(s, vm->have_unplugged_mb);
	SER(s, vm->last_rc);
	SER(s, vm->broken);
	uint64_t n = vm->last_id + 1 - vm->first_id;
	if (s->err || vm->last_id < vm->first_id || n > VIRTIO_MEM_MAX_BLOCKS || vm->next_id < vm->first_id ||
	    vm->next_id > vm->last_id + 1 || !vm->block || !ser_room(s, n, 9))
		return ser_fail(s, "bad virtio-mem device");
	if (s->load && (!(vm->state = calloc(n, 1)) || !(vm->sbs = calloc(n, sizeof(*vm->sbs)))))
		return ser_fail(s, "out of memory");
	for (uint64_t i = 0; i < n && !s->err; i++) {
		SER(s, vm->state[i]);
		SER(s, vm->sbs[i]);
	}
	if (s->load)
		virtio_mem_attach(m);
}

/* Everything after the model, in one order for both directions. */
static void ser_machine(struct ser *s, struct mhp_machine *m)
{
	ser_params(s, m);
	ser_sparse(s, m);
	ser_nodes(s, m);
	ser_blocks(s, m);
	ser_resources(s, m);
	ser_pt_store(s, m);
	ser_tlb(s, &m->tlb);
	ser_tags(s, m);
	ser_log(s, m);
	ser_virtio_mem(s, m);
}

/* ---- encoding and decoding ---------------------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get_u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

int snapshot_encode(const struct mhp_machine *m, const void *extra, size_t extra_len, uint8_t **buf, size_t *len,
		    struct mhp_err *err)
{
	_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "snapshots are little-endian");
	MHP_ASSERT(extra_len <= SNAPSHOT_MAX_EXTRA);
	MHP_ASSERT(!m->altmap);   /* only between operations */
	struct ser s = { .load = false };
	uint8_t header[SNAPSHOT_HEADER] = { 0 };
	ser_raw(&s, header, sizeof(header));
	ser_raw(&s, (void *)extra, extra_len);
	size_t payload = s.len;
	ser_model(&s, (struct mhp_model *)&m->model);
	ser_machine(&s, (struct mhp_machine *)m);
	if (!s.err) {
		memcpy(s.buf, SNAPSHOT_MAGIC, 8);
		put_u32(s.buf + 8, SNAPSHOT_VERSION);
		put_u32(s.buf + 12, (uint32_t)extra_len);
		put_u64(s.buf + 16, s.len - payload);
		uint64_t sum = fnv1a64(FNV1A64_INIT, s.buf, s.len);
		ser_u64(&s, &sum);
	}
	if (s.err) {
		free(s.buf);
		return mhp_err_set(err, -ENOMEM, "out of memory saving a snapshot");
	}
	*buf = s.buf;
	*len = s.len;
	return 0;
}

static int check_header(const uint8_t *buf, size_t len, const char *name, size_t *extra_len, struct mhp_err *err)
{
	if (len < 8 || memcmp(buf, SNAPSHOT_MAGIC, 8) != 0)
		return mhp_err_set(err, -EBADMSG, "%s: not an mhpsim snapshot (no %s header)", name, SNAPSHOT_MAGIC);
	if (len < SNAPSHOT_HEADER + 8)
		return mhp_err_set(err, -EBADMSG, "%s: truncated: %zu bytes, shorter than a snapshot header", name, len);
	if (get_u32(buf + 8) != SNAPSHOT_VERSION)
		return mhp_err_set(err, -EBADMSG, "%s: snapshot format version %u; this mhpsim reads version %u", name,
				   get_u32(buf + 8), SNAPSHOT_VERSION);
	uint64_t extra = get_u32(buf + 12), payload = get_u64(buf + 16);
	uint64_t want = SNAPSHOT_HEADER + extra + 8;
	if (extra > SNAPSHOT_MAX_EXTRA || payload > SNAPSHOT_MAX_BYTES)
		return mhp_err_set(err, -EBADMSG, "%s: corrupt header (sizes out of range)", name);
	want += payload;
	if (len < want)
		return mhp_err_set(err, -EBADMSG, "%s: truncated: the header promises %llu bytes, the file holds %zu",
				   name, (unsigned long long)want, len);
	if (len > want)
		return mhp_err_set(err, -EBADMSG, "%s: %zu unexpected bytes after the end of the snapshot", name,
				   len - (size_t)want);
	uint64_t stored = get_u64(buf + len - 8), sum = fnv1a64(FNV1A64_INIT, buf, len - 8);
	if (stored != sum)
		return mhp_err_set(err, -EBADMSG, "%s: corrupt: checksum %#llx does not match the contents (%#llx)", name,
				   (unsigned long long)stored, (unsigned long long)sum);
	*extra_len = (size_t)extra;
	return 0;
}

int snapshot_decode(const uint8_t *buf, size_t len, const char *name, mhp_trace_sink sink, void *ctx,
		    struct mhp_machine **out, void *extra, size_t extra_cap, size_t *extra_len, struct mhp_err *err)
{
	size_t xlen = 0;
	*out = NULL;
	int ret = check_header(buf, len, name, &xlen, err);
	if (ret)
		return ret;
	if (xlen > extra_cap)
		return mhp_err_set(err, -EBADMSG, "%s: holds %zu bytes of caller state, expected at most %zu", name, xlen,
				   extra_cap);
	memcpy(extra, buf + SNAPSHOT_HEADER, xlen);
	if (extra_len)
		*extra_len = xlen;
	struct ser s = { .load = true, .buf = (uint8_t *)buf, .len = len - 8, .pos = SNAPSHOT_HEADER + xlen };
	static const struct mhp_model empty;
	struct mhp_machine *m = machine_alloc(&empty, sink, ctx);
	if (!m)
		return mhp_err_set(err, -ENOMEM, "out of memory");
	ser_model(&s, &m->model);
	if (!s.err && !(m->arch = arch_find(m->model.arch)))
		ser_fail(&s, "an architecture this mhpsim does not have");
	if (!s.err) {
		derive_geometry(m);
		m->arch->memory_layout_init(m);
		struct mhp_err gerr;
		if (m->arch->pgtable_init(m, &gerr))
			ser_fail(&s, "the model's page-table geometry");
	}
	if (!s.err)
		ser_machine(&s, m);
	if (!s.err && s.pos != s.len)
		ser_fail(&s, "unexpected bytes after the state");
	struct mhp_err cerr;
	if (!s.err && mhp_check_all(m, &cerr))
		ret = mhp_err_set(err, -EBADMSG, "%s: inconsistent state: %s", name, cerr.msg);
	else if (s.err)
		ret = mhp_err_set(err, s.err, "%s: corrupt: %s", name, s.what);
	if (ret) {
		mhp_machine_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

/* ---- public API ----------------------------------------------------------------- */

int mhp_machine_save_buffer(const struct mhp_machine *m, void **buf, size_t *len, struct mhp_err *err)
{
	return snapshot_encode(m, NULL, 0, (uint8_t **)buf, len, err);
}

int mhp_machine_load_buffer(const void *buf, size_t len, const char *name, mhp_trace_sink sink, void *ctx,
			    struct mhp_machine **out, struct mhp_err *err)
{
	uint8_t extra[SNAPSHOT_MAX_EXTRA];
	return snapshot_decode(buf, len, name ? name : "snapshot", sink, ctx, out, extra, sizeof(extra), NULL, err);
}

int snapshot_write_file(const char *path, const uint8_t *buf, size_t len, struct mhp_err *err)
{
	return write_file(path, buf, len, err);
}

int snapshot_read_file(const char *path, uint8_t **buf, size_t *len, struct mhp_err *err)
{
	return read_file_bounded(path, SNAPSHOT_MAX_BYTES, "a snapshot", buf, len, err);
}

int mhp_machine_save(const struct mhp_machine *m, const char *path, struct mhp_err *err)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = snapshot_encode(m, NULL, 0, &buf, &len, err);
	if (!ret)
		ret = snapshot_write_file(path, buf, len, err);
	free(buf);
	return ret;
}

int mhp_machine_load(const char *path, mhp_trace_sink sink, void *ctx, struct mhp_machine **out, struct mhp_err *err)
{
	uint8_t *buf;
	size_t len;
	*out = NULL;
	int ret = snapshot_read_file(path, &buf, &len, err);
	if (ret)
		return ret;
	ret = mhp_machine_load_buffer(buf, len, path, sink, ctx, out, err);
	free(buf);
	return ret;
}
