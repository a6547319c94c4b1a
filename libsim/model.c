// SPDX-License-Identifier: GPL-2.0-only
/*
 * model.c - platform models (models/NAME.yaml): what the firmware and Kconfig fix.
 * What a granule, VA and PA size allow is the arch's (arch_ops.granules;
 * arm64: asm/{sparsemem,pgtable-hwdef,memory}.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel.h"
#include "sim/memory.h"
#include "sim/model.h"
#include "arch/arch.h"
#include "yamltree.h"

static const char *const online_type_words[] = {
	"offline", "online", "online_kernel", "online_movable", NULL
};

struct model_ctx {
	struct ydoc *doc;
	struct mhp_model *model;
	struct mhp_err *err;
};

/* One {start, size, ...} entry of a range list. */
static int parse_range(struct model_ctx *c, struct ynode *n, const char *what,
		       const char *const *keys, struct model_range *r)
{
	struct ynode *v;
	int ret = yexpect(c->doc, n, Y_MAP, what, c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, what, keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, what, "start", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "start", &r->start, c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, what, "size", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "size", &r->size, c->err);
	if (ret)
		return ret;
	if (r->size == 0 || r->start + r->size < r->start)
		return yerr(c->doc, n, c->err, "%s: size must be non-zero and the range must not wrap", what);
	r->line = n->line;
	r->col = n->col;
	r->nid = 0;
	if ((v = ymap_get(n, "node"))) {
		uint64_t nid;
		ret = yget_u64(c->doc, v, "node", 0, MAX_NUMNODES - 1, &nid, c->err);
		if (ret)
			return ret;
		r->nid = (int)nid;
	}
	if ((v = ymap_get(n, "name"))) {
		ret = yget_str(c->doc, v, "name", r->name, sizeof(r->name), c->err);
		if (ret)
			return ret;
	}
	if ((v = ymap_get(n, "driver"))) {
		static const char *const drivers[] = { "acpi", "virtio_mem", "dax_kmem", NULL };
		int d;
		ret = yget_enum(c->doc, v, "driver", drivers, &d, c->err);
		if (ret)
			return ret;
		snprintf(r->name, sizeof(r->name), "%s", drivers[d]);
		r->block_size = 2ull << 20;   /* virtio-mem-pci's default block-size */
	}
	if ((v = ymap_get(n, "block_size"))) {
		if ((ret = yget_size(c->doc, v, "block_size", &r->block_size, c->err)))
			return ret;
		if (strcmp(r->name, "virtio_mem") != 0 || !r->block_size || (r->block_size & (r->block_size - 1)) ||
		    r->block_size > r->size || r->size % r->block_size)
			return yerr(c->doc, v, c->err, "block_size: a virtio_mem device's block size: a power of two that "
				    "divides its region");
	}
	if ((v = ymap_get(n, "requested_size"))) {
		if ((ret = yget_size(c->doc, v, "requested_size", &r->requested_size, c->err)))
			return ret;
		/* QEMU refuses a requested-size that is not whole blocks of the device or exceeds its memory. */
		if (strcmp(r->name, "virtio_mem") != 0 || r->requested_size > r->size || r->requested_size % r->block_size)
			return yerr(c->doc, v, c->err, "requested_size: a virtio_mem device's size plugged at boot: a multiple "
				    "of its block size, at most its region");
	}
	if ((v = ymap_get(n, "pool"))) {
		static const char *const pools[] = { "none", "pgtable", "memmap", NULL };
		if ((ret = yget_enum(c->doc, v, "pool", pools, &r->pool, c->err)))
			return ret;
	}
	if ((v = ymap_get(n, "firmware")) && (ret = yget_bool(c->doc, v, "firmware", &r->firmware, c->err)))
		return ret;
	if ((v = ymap_get(n, "cma")))
		return yget_bool(c->doc, v, "cma", &r->cma, c->err);
	return 0;
}

static int parse_range_list(struct model_ctx *c, struct ynode *list, const char *what,
			    const char *const *keys, struct model_range *out, unsigned *nr, int nid)
{
	int ret = yexpect(c->doc, list, Y_SEQ, what, c->err);
	if (ret)
		return ret;
	for (unsigned i = 0; i < list->n; i++) {
		if (*nr >= MODEL_MAX_RANGES)
			return yerr(c->doc, list->items[i], c->err, "%s: more than %u ranges", what,
				    MODEL_MAX_RANGES);
		struct model_range *r = &out[*nr];
		ret = parse_range(c, list->items[i], what, keys, r);
		if (ret)
			return ret;
		if (nid >= 0)
			r->nid = nid;
		(*nr)++;
	}
	return 0;
}

/*
 * A node's cpus: how many CPUs it has (QEMU's -smp with -numa), numbered on
 * from the nodes before it; true and false, older models' words, are one
 * CPU and none. A node without the key has one.
 */
static int parse_cpus(struct model_ctx *c, const struct ynode *v, unsigned *nr)
{
	bool any;
	uint64_t count;
	*nr = 1;
	if (!v)
		return 0;
	if (v->kind == Y_SCALAR && (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0)) {
		int ret = yget_bool(c->doc, v, "cpus", &any, c->err);
		*nr = any ? 1 : 0;
		return ret;
	}
	int ret = yget_u64(c->doc, v, "cpus", 0, NR_CPUS, &count, c->err);
	*nr = (unsigned)count;
	return ret;
}

static int parse_nodes(struct model_ctx *c, struct ynode *list)
{
	static const char *const node_keys[] = { "id", "cpus", "memory", NULL };
	static const char *const ram_keys[] = { "start", "size", NULL };
	struct mhp_model *mo = c->model;
	int ret = yexpect(c->doc, list, Y_SEQ, "nodes", c->err);
	if (ret)
		return ret;
	if (list->n == 0 || list->n > MAX_NUMNODES)
		return yerr(c->doc, list, c->err, "nodes: expected 1 to %u nodes", MAX_NUMNODES);
	for (unsigned i = 0; i < list->n; i++) {
		struct ynode *n = list->items[i], *v;
		uint64_t id;
		ret = yexpect(c->doc, n, Y_MAP, "node", c->err);
		if (!ret)
			ret = ymap_check_keys(c->doc, n, "node", node_keys, c->err);
		if (!ret)
			ret = ymap_need(c->doc, n, "node", "id", &v, c->err);
		if (!ret)
			ret = yget_u64(c->doc, v, "id", 0, MAX_NUMNODES - 1, &id, c->err);
		if (ret)
			return ret;
		for (unsigned j = 0; j < mo->nr_nodes; j++)
			if (mo->nodes[j].nid == (int)id)
				return yerr(c->doc, v, c->err, "node %llu listed twice", (unsigned long long)id);
		mo->nodes[mo->nr_nodes].nid = (int)id;
		if ((ret = parse_cpus(c, ymap_get(n, "cpus"), &mo->nodes[mo->nr_nodes].nr_cpus)))
			return ret;
		mo->nodes[mo->nr_nodes].has_cpu = mo->nodes[mo->nr_nodes].nr_cpus != 0;
		mo->nr_cpus += mo->nodes[mo->nr_nodes].nr_cpus;
		if (mo->nr_cpus > NR_CPUS)
			return yerr(c->doc, n, c->err, "cpus: more than %u in all (NR_CPUS)", NR_CPUS);
		mo->nr_nodes++;
		if ((v = ymap_get(n, "memory"))) {
			ret = parse_range_list(c, v, "memory", ram_keys, mo->ram, &mo->nr_ram, (int)id);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static bool model_has_node(const struct mhp_model *mo, int nid)
{
	for (unsigned i = 0; i < mo->nr_nodes; i++)
		if (mo->nodes[i].nid == nid)
			return true;
	return false;
}

static bool ranges_overlap(const struct model_range *a, const struct model_range *b)
{
	return a->start < b->start + b->size && b->start < a->start + a->size;
}

static bool range_within_ram(const struct mhp_model *mo, const struct model_range *r)
{
	for (unsigned i = 0; i < mo->nr_ram; i++)
		if (r->start >= mo->ram[i].start &&
		    r->start + r->size <= mo->ram[i].start + mo->ram[i].size)
			return true;
	return false;
}

static int range_err(struct model_ctx *c, const struct model_range *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int range_err(struct model_ctx *c, const struct model_range *r, const char *fmt, ...)
{
	char what[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return yerr_at(c->doc, r->line, r->col, c->err, "%s", what);
}

/* Boot RAM and hotplug ranges: section aligned, inside the PA width, on a listed node. */
static int validate_range(struct model_ctx *c, const struct model_range *r, const char *what)
{
	const struct mhp_model *mo = c->model;
	uint64_t section = 1ull << mo->section_size_bits;
	uint64_t pa_limit = 1ull << mo->pa_bits;

	if (!is_aligned(r->start, section) || !is_aligned(r->size, section))
		return range_err(c, r, "%s range %#llx+%#llx is not aligned to the %llu MiB section size", what,
				 (unsigned long long)r->start, (unsigned long long)r->size,
				 (unsigned long long)(section >> 20));
	if (r->start >= pa_limit || r->size > pa_limit - r->start)
		return range_err(c, r, "%s range %#llx+%#llx exceeds %u PA bits", what,
				 (unsigned long long)r->start, (unsigned long long)r->size, mo->pa_bits);
	if (!model_has_node(mo, r->nid))
		return range_err(c, r, "%s range %#llx names node %d, which is not in 'nodes'", what,
				 (unsigned long long)r->start, r->nid);
	return 0;
}

/* The i-th of boot RAM then hotplug ranges. */
static const struct model_range *ram_or_hotplug(const struct mhp_model *mo, unsigned i)
{
	return i < mo->nr_ram ? &mo->ram[i] : &mo->hotplug[i - mo->nr_ram];
}

static int validate_reserved(struct model_ctx *c, unsigned i)
{
	const struct mhp_model *mo = c->model;
	const struct model_range *r = &mo->reserved[i];
	uint64_t page = 1ull << mo->page_shift;
	/* e820's ranges are bytes: a firmware hole may cut a page (memblock then reserves all of it). */
	if (!r->firmware && (!is_aligned(r->start, page) || !is_aligned(r->size, page)))
		return range_err(c, r, "reserved range %#llx+%#llx is not aligned to the %llu KiB page size "
				 "(only a firmware: true range may be)",
				 (unsigned long long)r->start, (unsigned long long)r->size,
				 (unsigned long long)(page >> 10));
	if (!range_within_ram(mo, r))
		return range_err(c, r, "reserved range %#llx+%#llx is not inside one boot memory range",
				 (unsigned long long)r->start, (unsigned long long)r->size);
	for (unsigned j = 0; j < i; j++)
		if (ranges_overlap(r, &mo->reserved[j]))
			return range_err(c, r, "reserved range %#llx+%#llx overlaps the one at line %u",
					 (unsigned long long)r->start, (unsigned long long)r->size,
					 mo->reserved[j].line);
	return 0;
}

/* The pages a range of bytes touches: reserve_initrd_mem() rounds the initrd out to whole pages. */
static struct model_range pages_of(const struct mhp_model *mo, const struct model_range *r)
{
	uint64_t page = 1ull << mo->page_shift;
	struct model_range p = *r;
	p.start = r->start & ~(page - 1);
	p.size = ((r->start + r->size + page - 1) & ~(page - 1)) - p.start;
	return p;
}

/*
 * A reservation that boot frees (the init sections, the initrd): its pages
 * inside one boot memory range, clear of the reserved ranges and of other.
 */
static int validate_freed_at_boot(struct model_ctx *c, const struct model_range *r, const char *what,
				  const struct model_range *other)
{
	const struct mhp_model *mo = c->model;
	struct model_range p = pages_of(mo, r);
	if (!range_within_ram(mo, &p))
		return range_err(c, r, "%s %#llx+%#llx is not inside one boot memory range", what,
				 (unsigned long long)r->start, (unsigned long long)r->size);
	for (unsigned j = 0; j < mo->nr_reserved; j++)
		if (ranges_overlap(&p, &mo->reserved[j]))
			return range_err(c, r, "%s %#llx+%#llx overlaps the reserved range at line %u", what,
					 (unsigned long long)r->start, (unsigned long long)r->size, mo->reserved[j].line);
	if (other && other->size && ranges_overlap(&p, other))
		return range_err(c, r, "%s %#llx+%#llx overlaps the one at line %u", what,
				 (unsigned long long)r->start, (unsigned long long)r->size, other->line);
	return 0;
}

/* Checks ranges against each other and the model's geometry; errors point at the range. */
static int validate_ranges(struct model_ctx *c, struct ynode *at)
{
	const struct mhp_model *mo = c->model;
	uint64_t boot_sections = 0;
	int ret;

	if (mo->nr_ram == 0)
		return yerr(c->doc, at, c->err, "model has no boot memory; expected 'memory' under a node");
	for (unsigned i = 0; i < mo->nr_ram + mo->nr_hotplug; i++) {
		const struct model_range *a = ram_or_hotplug(mo, i);
		if ((ret = validate_range(c, a, i < mo->nr_ram ? "boot memory" : "hotplug")))
			return ret;
		if (i < mo->nr_ram)
			boot_sections += a->size >> mo->section_size_bits;
		for (unsigned j = 0; j < i; j++) {
			const struct model_range *b = ram_or_hotplug(mo, j);
			if (ranges_overlap(a, b))
				return range_err(c, a, "range %#llx+%#llx overlaps the one at line %u",
						 (unsigned long long)a->start, (unsigned long long)a->size, b->line);
		}
	}
	if (boot_sections > MODEL_MAX_BOOT_SECTIONS)
		return yerr(c->doc, at, c->err, "boot memory of %llu sections exceeds the model limit of %u",
			    (unsigned long long)boot_sections, MODEL_MAX_BOOT_SECTIONS);
	for (unsigned i = 0; i < mo->nr_reserved; i++)
		if ((ret = validate_reserved(c, i)))
			return ret;
	if (mo->kernel.present && (ret = validate_freed_at_boot(c, &mo->kernel.init, "kernel init sections", NULL)))
		return ret;
	if (mo->initrd.size)
		return validate_freed_at_boot(c, &mo->initrd, "initrd", mo->kernel.present ? &mo->kernel.init : NULL);
	return 0;
}

/* The arch's granule called word, or NULL. */
static const struct arch_granule *find_granule(const struct arch_ops *a, const char *word)
{
	for (const struct arch_granule *g = a->granules; g->word; g++)
		if (strcmp(g->word, word) == 0)
			return g;
	return NULL;
}

static int parse_granule(struct model_ctx *c, struct ynode *root, const struct arch_ops *a,
			 const struct arch_granule **out)
{
	const char *words[8];
	unsigned n = 0;
	for (const struct arch_granule *g = a->granules; g->word && n + 1 < ARRAY_SIZE(words); g++)
		words[n++] = g->word;
	words[n] = NULL;
	struct ynode *v;
	int k, ret = ymap_need(c->doc, root, "model", "granule", &v, c->err);
	if (!ret)
		ret = yget_enum(c->doc, v, "granule", words, &k, c->err);
	if (!ret)
		*out = find_granule(a, words[k]);
	return ret;
}

/* granule, va_bits, pa_bits: what the model's arch allows (its arch_granule rows). */
static int parse_geometry(struct model_ctx *c, struct ynode *root)
{
	struct mhp_model *mo = c->model;
	const struct arch_ops *a = arch_find(mo->arch);
	const struct arch_granule *g;
	struct ynode *v;
	int ret = parse_granule(c, root, a, &g);
	if (ret)
		return ret;
	mo->page_shift = g->page_shift;
	mo->section_size_bits = g->section_size_bits;
	mo->memstart_align = g->memstart_align;

	int va, pa;
	ret = ymap_need(c->doc, root, "model", "va_bits", &v, c->err);
	if (!ret)
		ret = yget_enum(c->doc, v, "va_bits", g->va_words, &va, c->err);
	if (ret)
		return ret;
	mo->va_bits = (unsigned)atoi(g->va_words[va]);
	ret = ymap_need(c->doc, root, "model", "pa_bits", &v, c->err);
	if (!ret)
		ret = yget_enum(c->doc, v, "pa_bits", a->pa_words, &pa, c->err);
	if (ret)
		return ret;
	mo->pa_bits = (unsigned)atoi(a->pa_words[pa]);
	const char *why = a->geometry_refused(mo);
	if (why)
		return yerr(c->doc, v, c->err, "pa_bits: %s", why);

	mo->fw_dma_limit = UINT64_MAX;
	if ((v = ymap_get(root, "firmware_dma_limit")))
		return yget_size(c->doc, v, "firmware_dma_limit", &mo->fw_dma_limit, c->err);
	return 0;
}

/* cpu_features: the CPU's flags the arch reads (x86: pdpe1gb), from its list of words. */
static int parse_cpu_features(struct model_ctx *c, struct ynode *list)
{
	const struct arch_ops *a = arch_find(c->model->arch);
	int ret = yexpect(c->doc, list, Y_SEQ, "cpu_features", c->err);
	for (unsigned i = 0; !ret && i < list->n; i++) {
		int k;
		if (!a->cpu_feature_words) {
			char word[32];
			ret = yget_str(c->doc, list->items[i], "cpu_features", word, sizeof(word), c->err);
			return ret ? ret : yerr(c->doc, list->items[i], c->err, "cpu_features: %s knows no CPU features; "
						"found '%s'", a->name, word);
		}
		ret = yget_enum(c->doc, list->items[i], "cpu_features", a->cpu_feature_words, &k, c->err);
		if (!ret)
			c->model->cpu_features |= 1u << k;
	}
	return ret;
}

/* memory_block_size_bytes(), as the arch derives it from the boot RAM the nodes list. */
static int set_block_size(struct model_ctx *c, struct ynode *nodes)
{
	const char *why = NULL;
	c->model->block_size = arch_find(c->model->arch)->memory_block_size(c->model, &why);
	if (!c->model->block_size)
		return yerr(c->doc, nodes, c->err, "nodes: %s", why);
	return 0;
}

/* iomem: lines as /proc/iomem prints them ("  START-END : NAME", two spaces a level). */
static int parse_iomem(struct model_ctx *c, struct ynode *list)
{
	struct mhp_model *mo = c->model;
	int ret = yexpect(c->doc, list, Y_SEQ, "iomem", c->err);
	for (unsigned i = 0; !ret && i < list->n; i++) {
		char line[128];
		struct model_iomem *e = &mo->iomem[mo->nr_iomem];
		if (mo->nr_iomem >= MODEL_MAX_IOMEM)
			return yerr(c->doc, list->items[i], c->err, "iomem: more than %u entries", MODEL_MAX_IOMEM);
		if ((ret = yget_str(c->doc, list->items[i], "iomem", line, sizeof(line), c->err)))
			break;
		size_t sp = strspn(line, " ");
		unsigned long long a, b;
		int name_at = 0;
		if (sp % 2 || sscanf(line + sp, "%llx-%llx : %n", &a, &b, &name_at) != 2 || !name_at || a > b ||
		    strlen(line + sp + name_at) >= sizeof(e->name))
			return yerr(c->doc, list->items[i], c->err,
				    "iomem: expected \"START-END : NAME\" in hex, indented two spaces a level; found '%s'", line);
		*e = (struct model_iomem){ .start = a, .end = b, .depth = (unsigned)sp / 2 };
		snprintf(e->name, sizeof(e->name), "%s", line + sp + name_at);
		mo->nr_iomem++;
	}
	return ret;
}

static int parse_text_list(struct model_ctx *c, struct ynode *list)
{
	struct mhp_model *mo = c->model;
	int ret = yexpect(c->doc, list, Y_SEQ, "simplifications", c->err);
	if (ret)
		return ret;
	for (unsigned i = 0; i < list->n; i++) {
		if (mo->nr_simplifications >= MODEL_MAX_SIMPLIFICATIONS)
			return yerr(c->doc, list->items[i], c->err, "simplifications: more than %u entries",
				    MODEL_MAX_SIMPLIFICATIONS);
		ret = yget_str(c->doc, list->items[i], "simplification",
			       mo->simplifications[mo->nr_simplifications],
			       sizeof(mo->simplifications[0]), c->err);
		if (ret)
			return ret;
		mo->nr_simplifications++;
	}
	return 0;
}

/* arch: which architecture's arch/ code the machine runs (arm64 when not said). */
static int parse_arch(struct model_ctx *c, const struct ynode *root)
{
	const struct ynode *v = ymap_get(root, "arch");
	snprintf(c->model->arch, sizeof(c->model->arch), "arm64");
	if (!v)
		return 0;
	int ret = yget_str(c->doc, v, "arch", c->model->arch, sizeof(c->model->arch), c->err);
	if (ret || arch_find(c->model->arch))
		return ret;
	char names[128];
	arch_names(names, sizeof(names));
	return yerr(c->doc, v, c->err, "arch: expected one of: %s; found '%s'", names, c->model->arch);
}

/* kernel_allocations: the sizes of the kernel's own allocations by cause (libsim/mm/slab.c). */
static int parse_kalloc(struct model_ctx *c, const struct ynode *v)
{
	static const char *const keys[] = { "block_unmovable", "block_reclaimable", "step_transient", "step_unmovable",
					    "step_reclaimable", "recording", NULL };
	struct kalloc_params *k = &c->model->kalloc;
	struct ynode *t;
	int ret = yexpect(c->doc, v, Y_MAP, "kernel_allocations", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, v, "kernel_allocations", keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, v, "kernel_allocations", "recording", &t, c->err);
	if (!ret)
		ret = yget_str(c->doc, t, "recording", k->recording, sizeof(k->recording), c->err);
	if (!ret && (t = ymap_get(v, "block_unmovable")))
		ret = yget_u64(c->doc, t, "block_unmovable", 0, 1 << 20, &k->block_unmovable, c->err);
	if (!ret && (t = ymap_get(v, "block_reclaimable")))
		ret = yget_u64(c->doc, t, "block_reclaimable", 0, 1 << 20, &k->block_reclaimable, c->err);
	if (!ret && (t = ymap_get(v, "step_unmovable")))
		ret = yget_u64(c->doc, t, "step_unmovable", 0, 1 << 22, &k->step_unmovable, c->err);
	if (!ret && (t = ymap_get(v, "step_reclaimable")))
		ret = yget_u64(c->doc, t, "step_reclaimable", 0, 1 << 22, &k->step_reclaimable, c->err);
	if (!ret && (t = ymap_get(v, "step_transient")))
		ret = yget_u64(c->doc, t, "step_transient", 0, KALLOC_MAX_TRANSIENT, &k->step_transient, c->err);
	k->on = !ret;
	return ret;
}

/*
 * kernel: the section sizes mem_init_print_info() prints, and the init
 * sections as a range: free_initmem() frees them, so they must be whole pages.
 */
static int parse_kernel(struct model_ctx *c, struct ynode *n)
{
	static const char *const keys[] = { "code", "rwdata", "rodata", "bss", "init", NULL };
	static const char *const init_keys[] = { "start", "size", NULL };
	struct model_kernel *k = &c->model->kernel;
	const char *const sizes[] = { "code", "rwdata", "rodata", "bss" };
	uint64_t *fields[] = { &k->code, &k->rwdata, &k->rodata, &k->bss };
	struct ynode *v;
	int ret = yexpect(c->doc, n, Y_MAP, "kernel", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, "kernel", keys, c->err);
	for (size_t i = 0; i < ARRAY_SIZE(sizes) && !ret; i++)
		if (!(ret = ymap_need(c->doc, n, "kernel", sizes[i], &v, c->err)))
			ret = yget_size(c->doc, v, sizes[i], fields[i], c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, "kernel", "init", &v, c->err);
	if (!ret)
		ret = parse_range(c, v, "init", init_keys, &k->init);
	if (ret)
		return ret;
	uint64_t page = 1ull << c->model->page_shift;
	if (!is_aligned(k->init.start | k->init.size, page))
		return yerr(c->doc, v, c->err, "init: the init sections are freed page by page: start and size must be "
			    "aligned to the %llu KiB page size", (unsigned long long)(page >> 10));
	k->present = true;
	return 0;
}

/* One memblock call: an allocation {size, align[, count, min, max, pool, cma], by}, or {free: BY}. */
/* A memblock call's node: one the model gives boot memory (memblock looks only there). */
static int parse_memblock_nid(struct model_ctx *c, struct ynode *v, int *nid)
{
	uint64_t id;
	int ret = yget_u64(c->doc, v, "nid", 0, MAX_NUMNODES - 1, &id, c->err);
	for (unsigned i = 0; !ret && i < c->model->nr_ram; i++)
		if (c->model->ram[i].nid == (int)id) {
			*nid = (int)id;
			return 0;
		}
	return ret ? ret : yerr(c->doc, v, c->err, "nid: node %llu has no boot memory in this model",
				(unsigned long long)id);
}

static int parse_memblock_op(struct model_ctx *c, struct ynode *n, struct model_memblock_op *op)
{
	static const char *const keys[] = { "size", "align", "count", "nid", "min", "max", "by", "pool", "cma", "free",
					    "keep", NULL };
	static const char *const pools[] = { "none", "pgtable", "memmap", NULL };
	struct ynode *v;
	uint64_t count = 1;
	int ret = yexpect(c->doc, n, Y_MAP, "memblock", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, n, "memblock", keys, c->err);
	if (ret)
		return ret;
	op->line = n->line;
	op->col = n->col;
	op->nid = -1;
	if ((v = ymap_get(n, "free"))) {
		struct ynode *keep = ymap_get(n, "keep");
		op->free = true;
		if (n->n != 1 + (keep != NULL))
			return yerr(c->doc, n, c->err, "memblock: a free names the function whose allocation it frees, "
				    "and at most the bytes it keeps (keep)");
		ret = yget_str(c->doc, v, "free", op->by, sizeof(op->by), c->err);
		if (!ret && keep)
			ret = yget_size(c->doc, keep, "keep", &op->size, c->err);
		if (!ret && keep && op->size == 0)
			ret = yerr(c->doc, keep, c->err, "keep: the bytes at the start of the allocation that stay, not 0 "
				   "(leave keep out to free it all)");
		return ret;
	}
	if (ymap_get(n, "keep"))
		return yerr(c->doc, n, c->err, "memblock: keep belongs to a free");
	if (!(ret = ymap_need(c->doc, n, "memblock", "by", &v, c->err)))
		ret = yget_str(c->doc, v, "by", op->by, sizeof(op->by), c->err);
	if (!ret)
		ret = ymap_need(c->doc, n, "memblock", "size", &v, c->err);
	if (!ret && v->kind == Y_SCALAR && strcmp(v->str, "cmdline") == 0)
		op->cmdline = true;
	else if (!ret)
		ret = yget_size(c->doc, v, "size", &op->size, c->err);
	if (!ret && !op->cmdline && (op->size == 0 || op->size > (1ull << 32)))
		ret = yerr(c->doc, v, c->err, "size: bytes, 1 to 4G, or cmdline (the command line's length + 1)");
	if (!ret)
		ret = ymap_need(c->doc, n, "memblock", "align", &v, c->err);
	if (!ret)
		ret = yget_size(c->doc, v, "align", &op->align, c->err);
	if (!ret && (op->align == 0 || (op->align & (op->align - 1)) || op->align > (1ull << 30)))
		ret = yerr(c->doc, v, c->err, "align: a power of two, at most 1G");
	if (!ret && (v = ymap_get(n, "count")))
		ret = yget_u64(c->doc, v, "count", 1, 4096, &count, c->err);
	if (!ret && (v = ymap_get(n, "nid")))
		ret = parse_memblock_nid(c, v, &op->nid);
	if (!ret && (v = ymap_get(n, "min")))
		ret = yget_size(c->doc, v, "min", &op->min, c->err);
	if (!ret && (v = ymap_get(n, "max")))
		ret = yget_size(c->doc, v, "max", &op->max, c->err);
	if (!ret && (v = ymap_get(n, "pool")))
		ret = yget_enum(c->doc, v, "pool", pools, &op->pool, c->err);
	if (!ret && (v = ymap_get(n, "cma")))
		ret = yget_bool(c->doc, v, "cma", &op->cma, c->err);
	if (!ret && op->max && op->max <= op->min)
		ret = yerr(c->doc, n, c->err, "memblock: max must lie above min");
	op->count = (unsigned)count;
	return ret;
}

/* Whether the calls before call i, by the function that call i frees, still hold an allocation. */
static bool memblock_held_by(const struct mhp_model *mo, unsigned i)
{
	int64_t held = 0;
	for (unsigned k = 0; k < i; k++)
		if (strcmp(mo->memblock[k].by, mo->memblock[i].by) == 0)
			held += mo->memblock[k].free ? -1 : (int64_t)mo->memblock[k].count;
	return held > 0;
}

/* A free must find an allocation of its function still held, and keep less than that allocation's size. */
static int check_memblock_free(struct model_ctx *c, struct ynode *n, unsigned i)
{
	const struct mhp_model *mo = c->model;
	const struct model_memblock_op *op = &mo->memblock[i];
	if (!op->free)
		return 0;
	if (!memblock_held_by(mo, i))
		return yerr(c->doc, n, c->err, "memblock: free of %s, but no call before it by %s holds memory", op->by,
			    op->by);
	unsigned k = i;
	while (k-- > 0 && (mo->memblock[k].free || strcmp(mo->memblock[k].by, op->by) != 0))
		;
	if (op->size && !mo->memblock[k].cmdline && op->size >= mo->memblock[k].size)
		return yerr(c->doc, n, c->err, "keep: %llu bytes of an allocation of %llu: keep less, or free it all",
			    (unsigned long long)op->size, (unsigned long long)mo->memblock[k].size);
	return 0;
}

static int parse_memblock(struct model_ctx *c, struct ynode *list)
{
	struct mhp_model *mo = c->model;
	int ret = yexpect(c->doc, list, Y_SEQ, "memblock", c->err);
	for (unsigned i = 0; i < list->n && !ret; i++) {
		if (mo->nr_memblock >= MODEL_MAX_MEMBLOCK)
			return yerr(c->doc, list->items[i], c->err, "memblock: more than %u calls", MODEL_MAX_MEMBLOCK);
		ret = parse_memblock_op(c, list->items[i], &mo->memblock[mo->nr_memblock++]);
		if (!ret)
			ret = check_memblock_free(c, list->items[i], mo->nr_memblock - 1);
	}
	return ret;
}

static int parse_model(struct model_ctx *c)
{
	static const char *const top_keys[] = {
		"model", "description", "arch", "granule", "va_bits", "pa_bits", "firmware_dma_limit",
		"kconfig", "cmdline", "nodes", "hotplug", "reserved", "kernel", "initrd", "simplifications",
		"kernel_allocations", "iomem", "memblock", "cpu_features", NULL
	};
	static const char *const kconfig_keys[] = { "default_online_type", "memory_probe", NULL };
	static const char *const hotplug_keys[] = { "start", "size", "node", "driver", "block_size", "requested_size",
						    NULL };
	static const char *const reserved_keys[] = { "start", "size", "name", "cma", "pool", "firmware", NULL };
	static const char *const initrd_keys[] = { "start", "size", NULL };
	struct ynode *root = c->doc->root, *v;
	struct mhp_model *mo = c->model;

	int ret = yexpect(c->doc, root, Y_MAP, "model file", c->err);
	if (!ret)
		ret = ymap_check_keys(c->doc, root, "model", top_keys, c->err);
	if (!ret)
		ret = ymap_need(c->doc, root, "model", "model", &v, c->err);
	if (!ret)
		ret = yget_str(c->doc, v, "model", mo->name, sizeof(mo->name), c->err);
	if (!ret)
		ret = parse_arch(c, root);
	if (!ret)
		ret = parse_geometry(c, root);
	if (ret)
		return ret;
	mo->default_online_type = MMOP_OFFLINE;   /* upstream's Kconfig default */
	if ((v = ymap_get(root, "kconfig"))) {
		struct ynode *t;
		ret = yexpect(c->doc, v, Y_MAP, "kconfig", c->err);
		if (!ret)
			ret = ymap_check_keys(c->doc, v, "kconfig", kconfig_keys, c->err);
		if (!ret && (t = ymap_get(v, "default_online_type")))
			ret = yget_enum(c->doc, t, "default_online_type", online_type_words,
					&mo->default_online_type, c->err);
		if (!ret && (t = ymap_get(v, "memory_probe")))
			ret = yget_bool(c->doc, t, "memory_probe", &mo->memory_probe, c->err);
		if (ret)
			return ret;
	}
	if ((v = ymap_get(root, "cmdline")) &&
	    (ret = yget_str(c->doc, v, "cmdline", mo->cmdline, sizeof(mo->cmdline), c->err)))
		return ret;
	if (!ret)
		ret = ymap_need(c->doc, root, "model", "nodes", &v, c->err);
	if (!ret)
		ret = parse_nodes(c, v);
	if (!ret && (v = ymap_get(root, "hotplug")))
		ret = parse_range_list(c, v, "hotplug", hotplug_keys, mo->hotplug, &mo->nr_hotplug, -1);
	if (!ret && (v = ymap_get(root, "reserved")))
		ret = parse_range_list(c, v, "reserved", reserved_keys, mo->reserved, &mo->nr_reserved, -1);
	if (!ret && (v = ymap_get(root, "kernel")))
		ret = parse_kernel(c, v);
	if (!ret && (v = ymap_get(root, "initrd")))
		ret = parse_range(c, v, "initrd", initrd_keys, &mo->initrd);
	if (!ret && (v = ymap_get(root, "simplifications")))
		ret = parse_text_list(c, v);
	if (!ret && (v = ymap_get(root, "kernel_allocations")))
		ret = parse_kalloc(c, v);
	if (!ret && (v = ymap_get(root, "iomem")))
		ret = parse_iomem(c, v);
	if (!ret && (v = ymap_get(root, "memblock")))
		ret = parse_memblock(c, v);
	if (!ret && (v = ymap_get(root, "cpu_features")))
		ret = parse_cpu_features(c, v);
	if (!ret)
		ret = validate_ranges(c, ymap_get(root, "nodes"));
	if (!ret)
		ret = set_block_size(c, ymap_get(root, "nodes"));
	return ret;
}

/* Parses a loaded document into a model; name stands for the file in what it keeps. */
static int model_from_doc(struct ydoc *doc, const char *name, struct mhp_model **out, struct mhp_err *err)
{
	struct mhp_model *mo = calloc(1, sizeof(*mo));
	if (!mo) {
		ydoc_free(doc);
		return mhp_err_set(err, -ENOMEM, "out of memory");
	}
	snprintf(mo->path, sizeof(mo->path), "%s", name);
	struct model_ctx c = { .doc = doc, .model = mo, .err = err };
	int ret = parse_model(&c);
	ydoc_free(doc);
	if (ret) {
		free(mo);
		return ret;
	}
	*out = mo;
	return 0;
}

int mhp_model_load(const char *path, struct mhp_model **out, struct mhp_err *err)
{
	struct ydoc doc;
	*out = NULL;
	int ret = ydoc_load(path, &doc, err);
	return ret ? ret : model_from_doc(&doc, path, out, err);
}

int mhp_model_load_named(const char *name, const char *models_dir, struct mhp_model **out, struct mhp_err *err)
{
	char path[MODELS_DIR_LEN + 80];
	*out = NULL;
	if (!name || !*name || strlen(name) > 63 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name))
		return mhp_err_set(err, -EINVAL, "'%s' is not a model name (letters, digits, - and _)", name ? name : "");
	int ret = models_find(name, models_dir, NULL, path, sizeof(path), err);
	return ret ? ret : mhp_model_load(path, out, err);
}

int mhp_model_load_buffer(const void *buf, size_t len, const char *name, struct mhp_model **out, struct mhp_err *err)
{
	struct ydoc doc;
	*out = NULL;
	name = name ? name : "<model>";
	int ret = ydoc_load_buffer(buf, len, name, &doc, err);
	return ret ? ret : model_from_doc(&doc, name, out, err);
}

void mhp_model_free(struct mhp_model *model)
{
	free(model);
}

const char *mhp_model_name(const struct mhp_model *model)
{
	return model->name;
}

const char *mhp_model_teardown(const struct mhp_model *model)
{
	const struct arch_ops *a = arch_find(model->arch);
	return a ? a->teardown_name(0) : NULL;
}

const char *mhp_model_path(const struct mhp_model *model)
{
	return model->path;
}

static bool word_listed(const char *const *words, unsigned v)
{
	for (; *words; words++)
		if ((unsigned)atoi(*words) == v)
			return true;
	return false;
}

static bool ranges_valid(const struct mhp_model *mo, const struct model_range *r, unsigned n, bool aligned)
{
	for (unsigned i = 0; i < n; i++) {
		/* e820's holes are bytes (validate_reserved) */
		uint64_t align = aligned ? 1ull << mo->section_size_bits : r[i].firmware ? 1 : 1ull << mo->page_shift;
		if (!is_aligned(r[i].start | r[i].size, align) || r[i].start >= 1ull << mo->pa_bits ||
		    r[i].size > (1ull << mo->pa_bits) - r[i].start || (aligned && !model_has_node(mo, r[i].nid)))
			return false;
	}
	return true;
}

/*
 * The firmware's RAM (e820's or the DT's memory less what it reserves): the
 * RAM ranges without the reserved ranges marked firmware, in r[0..n).
 */
unsigned model_system_ram(const struct mhp_model *mo, uint64_t (*r)[2], unsigned cap)
{
	unsigned n = 0;
	for (unsigned i = 0; i < mo->nr_ram; i++) {
		uint64_t at = mo->ram[i].start, end = at + mo->ram[i].size;
		for (unsigned guard = 0; at < end; guard++) {
			MHP_ASSERT(guard <= mo->nr_reserved);
			uint64_t hole = end, resume = end;   /* the first firmware hole at or after at */
			for (unsigned j = 0; j < mo->nr_reserved; j++) {
				const struct model_range *f = &mo->reserved[j];
				uint64_t f_start = f->start > at ? f->start : at;
				if (f->firmware && f->start + f->size > at && f_start < hole)
					hole = f_start, resume = f->start + f->size;
			}
			if (hole > at) {
				if (n == cap)
					return n;   /* only ranges a parsed model cannot have (overlapping RAM) get here */
				r[n][0] = at, r[n][1] = hole, n++;
			}
			at = resume;
		}
	}
	return n;
}

/* Whether pa lies in a range the firmware's map reserves (not RAM to the kernel: never in its direct map). */
bool model_firmware_hole(const struct mhp_model *mo, uint64_t pa)
{
	for (unsigned i = 0; i < mo->nr_reserved; i++)
		if (mo->reserved[i].firmware && pa - mo->reserved[i].start < mo->reserved[i].size)
			return true;
	return false;
}

/* The geometry a parsed model can have; a snapshot's model must pass this too. */
bool model_geometry_valid(const struct mhp_model *mo)
{
	if (mo->nr_nodes < 1 || mo->nr_nodes > MAX_NUMNODES || mo->nr_ram > MODEL_MAX_RANGES ||
	    mo->nr_hotplug > MODEL_MAX_RANGES || mo->nr_reserved > MODEL_MAX_RANGES ||
	    mo->nr_simplifications > MODEL_MAX_SIMPLIFICATIONS)
		return false;
	unsigned cpus = 0;
	for (unsigned i = 0; i < mo->nr_nodes; i++) {
		if (mo->nodes[i].nid < 0 || mo->nodes[i].nid >= MAX_NUMNODES ||
		    mo->nodes[i].has_cpu != (mo->nodes[i].nr_cpus != 0))
			return false;
		cpus += mo->nodes[i].nr_cpus;
	}
	if (cpus != mo->nr_cpus || cpus > NR_CPUS)
		return false;
	const struct arch_ops *a = arch_find(mo->arch);
	const char *why = NULL;
	for (const struct arch_granule *g = a ? a->granules : NULL; g && g->word; g++)
		if (mo->page_shift == g->page_shift)
			return mo->section_size_bits == g->section_size_bits && mo->memstart_align == g->memstart_align &&
			       word_listed(g->va_words, mo->va_bits) && word_listed(a->pa_words, mo->pa_bits) &&
			       !a->geometry_refused(mo) && ranges_valid(mo, mo->ram, mo->nr_ram, true) &&
			       ranges_valid(mo, mo->hotplug, mo->nr_hotplug, true) &&
			       ranges_valid(mo, mo->reserved, mo->nr_reserved, false) &&
			       (!mo->kernel.present || ranges_valid(mo, &mo->kernel.init, 1, false)) &&
			       mo->initrd.start <= (1ull << mo->pa_bits) && mo->initrd.size <= (1ull << mo->pa_bits) - mo->initrd.start &&
			       mo->block_size == a->memory_block_size(mo, &why);
	return false;
}
