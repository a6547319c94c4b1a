/*
 * inspect.h - the harness's one window into a machine: read-only views,
 * copied out into plain structs, so that nothing above the library depends
 * on how the model keeps its state. The harness (harness/) sees this,
 * include/mhpsim/ and lib/; never libsim/include/sim/ (the build enforces it).
 */
#ifndef MHPSIM_INSPECT_H
#define MHPSIM_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>

#define INSPECT_MAX_NODES 16       /* MAX_NUMNODES of the model */
#define INSPECT_NR_ZONES 5         /* DMA, DMA32, Normal, Movable, Device */
#define INSPECT_NO_ZONE (-1)
#define INSPECT_ZONE_MOVABLE 3

/* ---- draw (harness/draw.c) ----------------------------------------------------------- */

/* (its views follow here) */

/* ---- the model ------------------------------------------------------------ */

struct inspect_model {
	const char *name, *arch, *cmdline;
	unsigned page_shift, va_bits, pa_bits;
	uint64_t block_size, section_size;
	unsigned nr_nodes, nr_ram, nr_hotplug, nr_reserved;
};

enum inspect_range_kind { INSPECT_RAM, INSPECT_HOTPLUG, INSPECT_RESERVED };

struct inspect_range {
	uint64_t start, size;
	uint64_t block_size;       /* hotplug by virtio_mem: the device's block-size (0: QEMU's default) */
	int nid;
	const char *name;          /* reserved: what holds it; hotplug: its driver */
	bool cma;
};

void inspect_model(const struct mhp_model *mo, struct inspect_model *out);
/* The i-th range of a kind; false past the last. */
bool inspect_model_range(const struct mhp_model *mo, enum inspect_range_kind kind, unsigned i,
			 struct inspect_range *out);
/* The model a machine runs (a snapshot's own); NULL when out of memory. Free with mhp_model_free(). */
struct mhp_model *inspect_model_dup(const struct mhp_machine *m);
const struct mhp_model *inspect_machine_model(const struct mhp_machine *m);

/* A snapshot file's bytes, bounded as the loader bounds them (for mhp_machine_load_buffer()). */
int inspect_snapshot_read_file(const char *path, uint8_t **buf, size_t *len, struct mhp_err *err);

/* ---- geometry, pages and zones ---------------------------------------------- */

struct inspect_geometry {
	unsigned page_shift, pageblock_order, pt_levels;
	uint64_t page_size, block_size, pages_per_section, pages_per_block, max_pfn;
};
void inspect_geometry(const struct mhp_machine *m, struct inspect_geometry *out);

/* Where a pfn lies: present or not, its node and zone (INSPECT_NO_ZONE offline). */
struct inspect_pfn {
	bool present, online, early;
	int nid, zone;
};
void inspect_pfn(const struct mhp_machine *m, uint64_t pfn, struct inspect_pfn *out);
const char *inspect_zone_name(int zid);

/* ---- page tables ----------------------------------------------------------------- */

/* Live tables at a depth (0 is the PGD), and the kernel's name of that level. */
uint64_t inspect_pt_tables_at(const struct mhp_machine *m, unsigned depth);
const char *inspect_pt_level_name(const struct mhp_machine *m, unsigned depth);

/* ---- fuzz and differential (harness/fuzz.c, harness/differential.c) ------------------ */

/* (their views follow here) */


#endif
