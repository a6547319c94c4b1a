// SPDX-License-Identifier: GPL-2.0-only
/*
 * draw.c - SVG pictures of a machine (mhpsim/draw.h): the memory map, the
 * page-table tree of a range, zone spans over time. No kernel twin: these
 * draw what /sys/devices/system/memory, kernel_page_tables and /proc/zoneinfo
 * say, for a reader. Every picture is bounded: runs of alike things are
 * drawn once with their count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/draw.h>

#include "inspect.h"
#include "util.h"

static const char *const zone_fill[INSPECT_NR_ZONES] = { "#9ec3e6", "#b5e0dc", "#a8d8a0", "#f9c48e", "#d9c2e0" };
#define FILL_OFFLINE "#d9d9d9"
#define FILL_ABSENT "#ffffff"

static void svg_open(FILE *out, unsigned w, unsigned h, const char *title)
{
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		     "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		w, h, w, h);
	fprintf(out, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
	for (const char *p = title ? title : ""; *p; p++)   /* the title is the caller's: escape it */
		fputs(*p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;" : (char[2]){ *p, 0 }, out);
	fprintf(out, "</text>\n");
}

static void legend_box(FILE *out, unsigned x, unsigned y, const char *fill, bool dashed, const char *label)
{
	fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"10\" fill=\"%s\" stroke=\"#333\"%s/>"
		     "<text x=\"%u\" y=\"%u\">%s</text>\n",
		x, y, fill, dashed ? " stroke-dasharray=\"3 2\"" : "", x + 18, y + 9, label);
}

/* ---- the memory map ------------------------------------------------------------ */

/* One cell of the map: a run of alike memory blocks. */
struct cell {
	uint64_t first, last;   /* block ids */
	int nid, zone;          /* zone INSPECT_NO_ZONE: offline; INSPECT_NR_ZONES: several */
	int state;              /* INSPECT_MEM_*, or -1: not added */
	bool boot;
};

#define MAP_MAX_CELLS 256

#define CELL_W 76   /* "100% plugged" and "memory1023" fit in it at 11 px */
#define CELL_H 44
#define CELLS_PER_ROW 12

static bool cell_alike(const struct cell *a, const struct cell *b)
{
	return a->nid == b->nid && a->zone == b->zone && a->state == b->state && a->boot == b->boot &&
	       a->last + 1 == b->first;
}

static void cell_push(struct cell *cells, unsigned *n, unsigned *dropped, const struct cell *c, bool merge)
{
	if (merge && *n && cell_alike(&cells[*n - 1], c)) {
		cells[*n - 1].last = c->last;
		return;
	}
	if (*n == MAP_MAX_CELLS) {
		(*dropped)++;
		return;
	}
	cells[(*n)++] = *c;
}

/* Block i as a cell of its own; false past the last block. */
static bool block_cell(const struct mhp_machine *m, uint64_t i, struct cell *c)
{
	struct inspect_memory_block b;
	if (!inspect_memory_block(m, i, &b))
		return false;
	*c = (struct cell){ b.id, b.id, b.nid, b.zone, b.state, b.early };
	return true;
}

/* The cells in block order: present blocks, and the hot-pluggable blocks not added; alike runs merged or not. */
static unsigned map_cells(const struct mhp_machine *m, struct cell *cells, unsigned *dropped, bool merge)
{
	const struct mhp_model *mo = inspect_machine_model(m);
	struct inspect_model im;
	struct inspect_geometry g;
	inspect_model(mo, &im);
	inspect_geometry(m, &g);
	unsigned n = 0;
	uint64_t bi = 0, bs = g.block_size;
	struct cell b;   /* block bi, while have */
	bool have = block_cell(m, bi, &b);
	/* Walk the present blocks, slotting the absent hot-pluggable ones in between by id. */
	for (unsigned r = 0; r <= im.nr_hotplug; r++) {
		struct inspect_range hp = { 0 };
		bool more = inspect_model_range(mo, INSPECT_HOTPLUG, r, &hp);
		uint64_t lo = more ? hp.start / bs : UINT64_MAX;
		uint64_t hi = more ? (hp.start + hp.size) / bs : 0;
		for (; have && b.first < lo; have = block_cell(m, ++bi, &b))
			cell_push(cells, &n, dropped, &b, merge);
		for (uint64_t id = lo; id < hi;) {
			if (have && b.first == id) {
				cell_push(cells, &n, dropped, &b, merge);
				have = block_cell(m, ++bi, &b);
				id++;
				continue;
			}
			/* A run of absent blocks up to the next present one: one push (one a block unmerged). */
			uint64_t end = have && b.first < hi ? b.first : hi;
			if (!merge && end - id > MAP_MAX_CELLS) {
				(*dropped)++;   /* too many to draw one by one: the caller merges */
				return n;
			}
			for (uint64_t k = id; k < end; k += merge ? end - id : 1) {
				struct cell c = { k, merge ? end - 1 : k, hp.nid, INSPECT_NO_ZONE, -1, false };
				cell_push(cells, &n, dropped, &c, merge);
			}
			id = end;
		}
	}
	return n;
}


int mhp_draw_memory_map(const struct mhp_machine *m, const char *title, FILE *out)
{
	struct cell *cells = malloc(MAP_MAX_CELLS * sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	/* Every block its own cell when they fit a few rows; else runs of alike blocks merged. */
	unsigned dropped = 0, n = map_cells(m, cells, &dropped, false);
	if (dropped || n > 4 * CELLS_PER_ROW) {
		dropped = 0;
		n = map_cells(m, cells, &dropped, true);
	}
	unsigned rows = 0;
	for (unsigned i = 0; i < n; i++)   /* a new row per node, and every CELLS_PER_ROW cells */
		rows += i == 0 || cells[i].nid != cells[i - 1].nid || (i % CELLS_PER_ROW) == 0;
	unsigned w = 40 + CELLS_PER_ROW * (CELL_W + 6), h = 60 + rows * (CELL_H + 24) + 50;
	svg_open(out, w, h, title);
	unsigned row = 0, col = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		if (i && (c->nid != cells[i - 1].nid || col == CELLS_PER_ROW))
			row++, col = 0;
		unsigned x = 20 + col * (CELL_W + 6), y = 40 + row * (CELL_H + 24);
		/* A row's label: where a node's memory starts; a row that only wraps the one before says so. */
		bool wrapped = col == 0 && i && c->nid == cells[i - 1].nid;
		if (col == 0 && !wrapped)
			fprintf(out, "<text x=\"%u\" y=\"%u\" fill=\"#555\">node %d, %#llx</text>\n", x, y + 10, c->nid,
				(unsigned long long)(c->first * g.block_size));
		else if (wrapped)
			fprintf(out, "<text x=\"%u\" y=\"%u\" fill=\"#555\">node %d, continued</text>\n", x, y + 10, c->nid);
		const char *fill = c->state < 0 ? FILL_ABSENT : c->zone == INSPECT_NO_ZONE ? FILL_OFFLINE
			: c->zone == INSPECT_NR_ZONES ? "#bab0ac" : zone_fill[c->zone];
		fprintf(out, "<g><title>memory%llu", (unsigned long long)c->first);
		if (c->last > c->first)
			fprintf(out, "..memory%llu (%llu blocks)", (unsigned long long)c->last,
				(unsigned long long)(c->last - c->first + 1));
		fprintf(out, ": %s</title>", c->state < 0 ? "not added" : c->state == INSPECT_MEM_ONLINE ? "online" : "offline");
		fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" stroke=\"#333\"%s/>", x, y + 16,
			CELL_W, CELL_H, fill, c->state < 0 ? " stroke-dasharray=\"4 3\"" : "");
		/* A block of one's own with fake-offline pages (virtio-mem's unplugged subblocks): the plugged share. */
		uint64_t per = g.block_size >> g.page_shift;
		uint64_t off = c->first == c->last ? inspect_offline_pages(m, c->first * per, per) : 0;
		unsigned plugged_w = (unsigned)((per - off) * CELL_W / per);
		if (off)
			fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"white\" fill-opacity=\"0.75\" "
				     "stroke=\"#333\" stroke-dasharray=\"2 2\"/>", x + plugged_w, y + 16, CELL_W - plugged_w, CELL_H);
		fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">%s%llu</text>", x + CELL_W / 2, y + 31,
			c->state < 0 ? "" : "memory", (unsigned long long)c->first);
		if (c->last > c->first)   /* how many: in the title, the box is too narrow for both */
			fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">..%llu</text>", x + CELL_W / 2,
				y + 44, (unsigned long long)c->last);
		else if (off)
			fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">%llu%% plugged</text>", x + CELL_W / 2, y + 44,
				(unsigned long long)((per - off) * 100 / per));
		else if (c->state >= 0)
			fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">%s</text>", x + CELL_W / 2, y + 44,
				c->state == INSPECT_MEM_ONLINE ? "online" : "offline");
		if (c->boot)
			fprintf(out, "<text x=\"%u\" y=\"%u\" font-size=\"9\" fill=\"#555\">boot</text>", x + 2, y + 57);
		fprintf(out, "</g>\n");
		col++;
	}
	unsigned ly = h - 40, lx = 20;
	for (int z = 0; z < INSPECT_NR_ZONES; z++)
		if (z != INSPECT_ZONE_DMA32 && z != INSPECT_ZONE_DEVICE)
			legend_box(out, lx, ly, zone_fill[z], false, inspect_zone_name(z)), lx += 90;
	legend_box(out, lx, ly, FILL_OFFLINE, false, "offline"), lx += 90;
	legend_box(out, lx, ly, FILL_ABSENT, true, "not added (hot-pluggable)");
	if (dropped)
		fprintf(out, "<text x=\"20\" y=\"%u\">... and %u more runs of blocks, not drawn</text>\n", ly + 25, dropped);
	fprintf(out, "</svg>\n");
	free(cells);
	return 0;
}

/* ---- the page-table tree ------------------------------------------------------- */

struct pt_node {
	uint64_t pfn, va;       /* the table's page; the first address it translates */
	uint32_t used;
	uint8_t depth;
	bool boot;
};

#define CAPTURE_MAX 65536

struct mhp_pt_capture {
	struct pt_node *v;
	size_t n;
	unsigned levels;
	char names[INSPECT_PT_MAX_DEPTH][8];
	uint64_t va_start, va_end;
};

/* A table of the walk into the capture; -E2BIG past CAPTURE_MAX stops the walk. */
static int capture_table(const struct inspect_pt_table *t, void *arg)
{
	struct mhp_pt_capture *c = arg;
	if (c->n == CAPTURE_MAX)
		return -E2BIG;
	c->v[c->n++] = (struct pt_node){ t->pfn, t->va, t->used, (uint8_t)t->depth, t->boot };
	return 0;
}

static int node_cmp(const void *a, const void *b)
{
	const struct pt_node *x = a, *y = b;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	if (x->va != y->va)
		return x->va < y->va ? -1 : 1;
	return (x->pfn > y->pfn) - (x->pfn < y->pfn);
}

uint64_t mhp_linear_map_va(const struct mhp_machine *m, uint64_t pa)
{
	return inspect_linear_va(m, pa);
}

void mhp_draw_linear_span(const struct mhp_machine *m, uint64_t *lo, uint64_t *hi)
{
	const struct mhp_model *mo = inspect_machine_model(m);
	struct inspect_range r;
	uint64_t a = UINT64_MAX, b = 0;
	for (int k = INSPECT_RAM; k <= INSPECT_HOTPLUG; k++)
		for (unsigned i = 0; inspect_model_range(mo, (enum inspect_range_kind)k, i, &r); i++) {
			a = r.start < a ? r.start : a;
			b = r.start + r.size > b ? r.start + r.size : b;
		}
	*lo = a < b ? inspect_linear_va(m, a) : 0;
	*hi = a < b ? inspect_linear_va(m, b) : 0;
}

int mhp_pt_capture(const struct mhp_machine *m, uint64_t va_start, uint64_t va_end, struct mhp_pt_capture **out,
		   struct mhp_err *err)
{
	*out = NULL;
	if (va_end <= va_start)
		return mhp_err_set(err, -EINVAL, "an empty range [%#llx-%#llx)", (unsigned long long)va_start,
				   (unsigned long long)va_end);
	struct mhp_pt_capture *c = calloc(1, sizeof(*c));
	if (!c || !(c->v = malloc(CAPTURE_MAX * sizeof(*c->v)))) {
		free(c);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	c->levels = g.pt_levels;
	c->va_start = va_start;
	c->va_end = va_end;
	for (unsigned d = 0; d < c->levels; d++)
		snprintf(c->names[d], sizeof(c->names[d]), "%s", inspect_pt_level_name(m, d));
	int full = inspect_pt_walk(m, va_start, va_end, &(const struct inspect_pt_walk_ops){ .table = capture_table }, c);
	qsort(c->v, c->n, sizeof(*c->v), node_cmp);   /* by level, then address: what drawing merges */
	if (full) {
		mhp_pt_capture_free(c);
		return mhp_err_set(err, -E2BIG, "more than %u tables under [%#llx-%#llx): draw a smaller range", CAPTURE_MAX,
				   (unsigned long long)va_start, (unsigned long long)va_end);
	}
	*out = c;
	return 0;
}

void mhp_pt_capture_free(struct mhp_pt_capture *c)
{
	if (c)
		free(c->v);
	free(c);
}

/* A table of the picture: in both captures, freed (before only) or allocated (after only). */
enum { PT_KEPT, PT_FREED, PT_NEW };

struct pt_box {
	struct pt_node t;
	int status;
	unsigned count;   /* >1: a run of alike tables drawn as one box */
	unsigned x;
};


#define BOX_W 112   /* "freed, had 512 used" and "pfn 0xfffffffff" fit in it */
#define BOX_H 34
#define RUN_SHOWN 1   /* a run longer than 3 tables: the first, "... N more", the last */

#define LEVEL_MAX_BOXES 12

static void box_push(struct pt_box *out, unsigned *n, const struct pt_box *x)
{
	if (*n < LEVEL_MAX_BOXES)
		out[(*n)++] = *x;
	else   /* past the row's room: the last box counts the rest */
		out[*n - 1].count += x->count;
}

/* A run of tables of one status: the first RUN_SHOWN, one box for the middle, the last. */
static void emit_run(const struct pt_box *run, unsigned len, struct pt_box *out, unsigned *n)
{
	for (unsigned k = 0; k < len; k++) {
		if (len > RUN_SHOWN + 2 && k == RUN_SHOWN) {
			struct pt_box fold = run[k];
			fold.count = len - RUN_SHOWN - 1;
			box_push(out, n, &fold);
			k = len - 2;
			continue;
		}
		box_push(out, n, &run[k]);
	}
}

/* One level's boxes: every table of before and after with its status, in address order, runs folded. */
static unsigned level_boxes(const struct mhp_pt_capture *b, const struct mhp_pt_capture *a, unsigned depth,
			    struct pt_box *out)
{
	size_t i = 0, j = 0, cap = b->n + a->n, len = 0;
	struct pt_box *all = malloc((cap ? cap : 1) * sizeof(*all));
	if (!all)
		return 0;
	while (i < b->n && b->v[i].depth < depth)
		i++;
	while (j < a->n && a->v[j].depth < depth)
		j++;
	while ((i < b->n && b->v[i].depth == depth) || (j < a->n && a->v[j].depth == depth)) {
		bool bi = i < b->n && b->v[i].depth == depth, aj = j < a->n && a->v[j].depth == depth;
		int c = bi && aj ? node_cmp(&b->v[i], &a->v[j]) : bi ? -1 : 1;
		struct pt_box x = { .t = c > 0 ? a->v[j] : c == 0 ? a->v[j] : b->v[i], .count = 1 };
		x.status = c == 0 ? PT_KEPT : c < 0 ? PT_FREED : PT_NEW;
		all[len++] = x;
		i += c <= 0;
		j += c >= 0;
	}
	unsigned n = 0;
	for (size_t s = 0; s < len;) {
		size_t e = s + 1;
		while (e < len && all[e].status == all[s].status)
			e++;
		emit_run(&all[s], (unsigned)(e - s), out, &n);
		s = e;
	}
	free(all);
	return n;
}

static const char *const pt_fill[] = { [PT_KEPT] = "#e8eef7", [PT_FREED] = "#f4c7c3", [PT_NEW] = "#cfe8cf" };

int mhp_draw_pgtables(const struct mhp_pt_capture *before, const struct mhp_pt_capture *after, const char *title,
		      FILE *out)
{
	if (before->levels != after->levels)
		return -EINVAL;
	unsigned levels = before->levels;
	struct pt_box *rows = calloc(INSPECT_PT_MAX_DEPTH * LEVEL_MAX_BOXES, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	unsigned nrow[INSPECT_PT_MAX_DEPTH] = { 0 }, maxn = 1;
	for (unsigned d = 0; d < levels; d++) {
		nrow[d] = level_boxes(before, after, d, &rows[d * LEVEL_MAX_BOXES]);
		maxn = nrow[d] > maxn ? nrow[d] : maxn;
	}
	unsigned w = 120 + maxn * (BOX_W + 8), h = 70 + levels * (BOX_H + 50) + 30;
	svg_open(out, w, h, title);
	for (unsigned d = 0; d < levels; d++) {
		unsigned y = 50 + d * (BOX_H + 50);
		fprintf(out, "<text x=\"10\" y=\"%u\" font-weight=\"bold\">%s</text>\n", y + BOX_H / 2 + 4, before->names[d]);
		for (unsigned k = 0; k < nrow[d]; k++) {
			struct pt_box *x = &rows[d * LEVEL_MAX_BOXES + k];
			x->x = 100 + k * (BOX_W + 8);
			/* An edge to the parent: the box of the level above whose range holds this table. */
			for (unsigned p = 0; d > 0 && p < nrow[d - 1]; p++) {
				const struct pt_box *pb = &rows[(d - 1) * LEVEL_MAX_BOXES + p];
				bool last = p + 1 == nrow[d - 1] || rows[(d - 1) * LEVEL_MAX_BOXES + p + 1].t.va > x->t.va;
				if (pb->t.va <= x->t.va && last) {
					fprintf(out, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#888\"/>\n",
						pb->x + BOX_W / 2, y - 50 + BOX_H, x->x + BOX_W / 2, y);
					break;
				}
			}
			fprintf(out, "<g><title>%s table at pfn %#llx for %#llx: %u entries in use%s</title>", before->names[d],
				(unsigned long long)x->t.pfn, (unsigned long long)x->t.va, x->t.used,
				x->status == PT_FREED ? " before it was freed" : "");
			fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" stroke=\"#333\"%s/>", x->x,
				y, BOX_W, BOX_H, pt_fill[x->status], x->status == PT_FREED ? " stroke-dasharray=\"4 3\"" : "");
			if (x->count > 1)
				fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">... %u more</text>", x->x + BOX_W / 2,
					y + 20, x->count);
			else
				fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">pfn %#llx</text>"
					     "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" font-size=\"9\">%s%s%u used</text>",
					x->x + BOX_W / 2, y + 14, (unsigned long long)x->t.pfn, x->x + BOX_W / 2, y + 27,
					x->t.boot ? "boot, " : "", x->status == PT_FREED ? "freed, had " : "", x->t.used);
			fprintf(out, "</g>\n");
		}
	}
	unsigned ly = h - 26;
	legend_box(out, 20, ly, pt_fill[PT_KEPT], false, "kept");
	legend_box(out, 110, ly, pt_fill[PT_FREED], true, "freed");
	legend_box(out, 200, ly, pt_fill[PT_NEW], false, "allocated");
	fprintf(out, "<text x=\"300\" y=\"%u\" fill=\"#555\">[%#llx-%#llx)</text>\n</svg>\n", ly + 9,
		(unsigned long long)before->va_start, (unsigned long long)before->va_end);
	free(rows);
	return 0;
}

/* ---- zone spans over the steps ---------------------------------------------------- */

struct zone_sample {
	unsigned step, sample;
	uint8_t nid, zid;
	uint64_t start, spanned, present;
};

#define HISTORY_MAX_SAMPLES 4096
#define HISTORY_MAX_ENTRIES 65536

struct mhp_zone_history {
	struct zone_sample *v;
	size_t n, cap;
	unsigned samples, page_shift;
	unsigned steps[HISTORY_MAX_SAMPLES];
};

struct mhp_zone_history *mhp_zone_history_new(void)
{
	return calloc(1, sizeof(struct mhp_zone_history));
}

void mhp_zone_history_free(struct mhp_zone_history *h)
{
	if (h)
		free(h->v);
	free(h);
}

int mhp_zone_history_add(struct mhp_zone_history *h, const struct mhp_machine *m, unsigned step)
{
	if (h->samples == HISTORY_MAX_SAMPLES)
		return -ENOSPC;
	struct inspect_geometry g;
	inspect_geometry(m, &g);
	h->page_shift = g.page_shift;
	for (int nid = 0; nid < INSPECT_MAX_NODES; nid++) {
		for (int zid = 0; zid < INSPECT_NR_ZONES; zid++) {
			struct inspect_zone z;
			if (!inspect_zone(m, nid, zid, &z) || !z.spanned)
				continue;
			if (h->n == HISTORY_MAX_ENTRIES)
				return -ENOSPC;
			if (h->n == h->cap) {
				size_t cap = h->cap ? h->cap * 2 : 64;
				struct zone_sample *v = realloc(h->v, cap * sizeof(*v));
				if (!v)
					return -ENOMEM;
				h->v = v;
				h->cap = cap;
			}
			h->v[h->n++] = (struct zone_sample){ step, h->samples, (uint8_t)nid, (uint8_t)zid, z.start_pfn,
							     z.spanned, z.present };
		}
	}
	h->steps[h->samples++] = step;
	return 0;
}

int mhp_draw_zone_history(const struct mhp_zone_history *h, const char *title, FILE *out)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < h->n; i++) {
		lo = h->v[i].start < lo ? h->v[i].start : lo;
		hi = h->v[i].start + h->v[i].spanned > hi ? h->v[i].start + h->v[i].spanned : hi;
	}
	unsigned cols = h->samples ? h->samples : 1, colw = cols > 40 ? 800 / cols : 20;
	colw = colw ? colw : 1;
	unsigned w = 140 + cols * colw + 160, plot_h = 320, h_px = plot_h + 110;
	svg_open(out, w, h_px, title);
	if (lo >= hi) {
		fprintf(out, "<text x=\"20\" y=\"60\">no zone spans anything</text>\n</svg>\n");
		return 0;
	}
	double scale = (double)plot_h / (double)(hi - lo);
	unsigned top = 40, left = 120;
	/* The address axis: physical addresses at a few pfns. */
	for (unsigned k = 0; k <= 4; k++) {
		uint64_t pfn = lo + (hi - lo) * k / 4;
		unsigned y = top + plot_h - (unsigned)((double)(pfn - lo) * scale);
		fprintf(out, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#eee\"/>"
			     "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">%#llx</text>\n",
			left, y, left + cols * colw, y, left - 6, y + 4, (unsigned long long)(pfn << h->page_shift));
	}
	bool used[INSPECT_MAX_NODES][INSPECT_NR_ZONES] = { { false } };
	for (size_t i = 0; i < h->n; i++) {
		const struct zone_sample *s = &h->v[i];
		unsigned x = left + s->sample * colw;
		unsigned y1 = top + plot_h - (unsigned)((double)(s->start + s->spanned - lo) * scale);
		unsigned y0 = top + plot_h - (unsigned)((double)(s->start - lo) * scale);
		used[s->nid][s->zid] = true;
		fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" fill-opacity=\"%s\" stroke=\"%s\">"
			     "<title>step %u: node %u %s spans pfn %#llx + %llu, %llu present</title></rect>\n",
			x + (colw > 4 ? 1 : 0), y1, colw > 4 ? colw - 2 : colw, y0 > y1 ? y0 - y1 : 1, zone_fill[s->zid],
			s->nid ? "0.45" : "0.8", zone_fill[s->zid], s->step, s->nid, inspect_zone_name(s->zid),
			(unsigned long long)s->start, (unsigned long long)s->spanned, (unsigned long long)s->present);
	}
	for (unsigned k = 0; k < cols; k += cols > 20 ? cols / 10 : 1)
		fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">%u</text>\n", left + k * colw + colw / 2,
			top + plot_h + 16, h->steps[k]);
	fprintf(out, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">step (0: boot)</text>\n", left + cols * colw / 2,
		top + plot_h + 34);
	unsigned ly = top, lx = left + cols * colw + 20;
	for (int nid = 0; nid < INSPECT_MAX_NODES; nid++)
		for (int zid = 0; zid < INSPECT_NR_ZONES; zid++)
			if (used[nid][zid]) {
				char label[32];
				snprintf(label, sizeof(label), "node %d %s", nid, inspect_zone_name(zid));
				legend_box(out, lx, ly, zone_fill[zid], false, label);
				ly += 18;
			}
	fprintf(out, "</svg>\n");
	return 0;
}
