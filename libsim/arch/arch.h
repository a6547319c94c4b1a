/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arch.h - what the generic model asks of an architecture: the boot page
 * tables, arch_add_memory()/arch_remove_memory(), the vmemmap, the mappable
 * range and the arch's own memory notifier. One ops table per architecture
 * (arch/<name>/arch.c), chosen by the model file's "arch:" key. Nothing
 * outside arch/ names an architecture.
 */
#ifndef MHPSIM_ARCH_H
#define MHPSIM_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct mhp_machine;
struct mhp_err;
struct mhp_model;
struct strbuf;
struct ptdump_fmt;

/* A page size an arch offers and what follows from it (the model file's granule:). */
struct arch_granule {
	const char *word;               /* "4K"; NULL ends the list */
	unsigned page_shift, section_size_bits;
	uint64_t memstart_align;        /* arm64's ARM64_MEMSTART_ALIGN; 0 where the linear map starts at PA 0 */
	const char *const *va_words;    /* the VA sizes the arch allows with it */
};

struct arch_ops {
	const char *name;
	/* What a model file may say of its geometry: granules, PA sizes, and which combinations are refused. */
	const struct arch_granule *granules;
	const char *const *pa_words;
	const char *(*geometry_refused)(const struct mhp_model *mo);   /* why, or NULL */
	/* CONFIG_NUMA_KEEP_MEMINFO (x86 selects it with MEMORY_HOTPLUG): memory_add_physaddr_to_nid() reads boot RAM. */
	bool numa_keep_meminfo;
	/* The CPU features a model may list (cpu_features:), NULL-terminated; NULL: none. */
	const char *const *cpu_feature_words;
	/* memory_block_size_bytes() of the model's boot RAM; 0 and *why when the model cannot run it. */
	uint64_t (*memory_block_size)(const struct mhp_model *mo, const char **why);
	/* memstart_addr and arch_get_mappable_range() from the model's RAM. */
	void (*memory_layout_init)(struct mhp_machine *m);
	/* The page-table geometry of the model's granule and VA size (also on snapshot load). */
	int (*pgtable_init)(struct mhp_machine *m, struct mhp_err *err);
	/* paging_init(): the boot linear map, then the boot memmap, all from memblock. */
	int (*paging_init)(struct mhp_machine *m, struct mhp_err *err);
	int (*boot_vmemmap)(struct mhp_machine *m, struct mhp_err *err);
	int (*arch_add_memory)(struct mhp_machine *m, int nid, uint64_t start, uint64_t size, struct mhp_err *err);
	void (*arch_remove_memory)(struct mhp_machine *m, uint64_t start, uint64_t size);
	/* The linear map's teardown alone, as arch_remove_memory() does it last (benchmarks). */
	void (*remove_linear_map)(struct mhp_machine *m, uint64_t start, uint64_t size);
	int (*vmemmap_populate)(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages, int nid, bool boot);
	void (*vmemmap_free)(struct mhp_machine *m, uint64_t pfn, uint64_t nr_pages);
	/*
	 * The kernel function an event of this arch's code mirrors, where it is
	 * not arm64's: true and *fn set (NULL: none of the kernel's), or false to
	 * take the common table (mhp_trace_kernel_function). NULL: always false.
	 */
	bool (*trace_function)(const char *type, const char **fn);
	/* How /sys/kernel/debug/kernel_page_tables reads (arch/ptdump.h). */
	const struct ptdump_fmt *ptdump;
	/* A load through the TLB: of the linear map of a pa, of the struct page of a pfn, or of a VA (enum mhp_touch). */
	int (*touch)(struct mhp_machine *m, int kind, uint64_t addr);
	/* zone_sizes_init(): the highest pfn of each zone at boot. */
	void (*zone_sizes_init)(const struct mhp_machine *m, uint64_t dram_start, uint64_t dram_end, uint64_t *max_zone_pfn);
	/* A command-line word only this arch reads; -ENOENT for any other. */
	int (*early_param)(struct mhp_machine *m, const char *word, const char *value, struct mhp_err *err);
	/* Its teardown strategies, in registry order (a snapshot saves the index): NULL past the last. */
	const char *(*teardown_name)(unsigned i);
	bool (*teardown_built)(unsigned i);
	/* The name strategy i had before a rename (NULL: none): an error can say what it is called now. NULL: never renamed. */
	const char *(*teardown_formerly)(unsigned i);
	/* free_initmem(): the kernel image's init sections back to the buddy at the end of boot. */
	void (*free_initmem)(struct mhp_machine *m);
	/* arch_report_meminfo(): the arch's lines at the end of /proc/meminfo, or NULL. */
	void (*report_meminfo)(const struct mhp_machine *m, struct strbuf *sb);
	/* Debian's configuration has no CONFIG_MEMORY_FAILURE (riscv64): no hard/soft_offline_page, no memory_failure/. */
	bool no_memory_failure;
	/* Before 59305202c67f the arch's own ptdump_show() took the hotplug lock (arm64, RISC-V; x86's never did). */
	bool ptdump_show_locked;
	/* The zones its configuration builds (bit per enum zone_type): 0 for all of them. */
	unsigned zones;
	/* A memory notifier the arch registers at boot (arm64: boot memory stays), or NULL. */
	int (*bootmem_notifier)(struct mhp_machine *m, int action, uint64_t start_pfn, uint64_t nr_pages);
};

/* The architecture called name, or NULL. */
const struct arch_ops *arch_find(const char *name);
/* "a, b or c": the names, for error messages. */
void arch_names(char *buf, unsigned cap);
/* The architecture of a model that names none, and of calls that have no machine. */
const struct arch_ops *arch_default(void);
/* An arch's teardown strategies' names, in registry order: how many (fewer than cap). */
#define ARCH_MAX_TEARDOWNS 16
unsigned arch_teardown_names(const struct arch_ops *a, const char **names, unsigned cap);
/* Every arch's strategy names, in arch order, each once: the i-th, or NULL past the last. */
const char *arch_any_teardown_name(unsigned i);
/* The first arch that has a strategy called name, or NULL. */
const struct arch_ops *arch_of_teardown(const char *name);
/* The teardown strategy called name (-1: none), and how many an arch has. */
int arch_teardown_find(const struct arch_ops *a, const char *name);
unsigned arch_nr_teardowns(const struct arch_ops *a);

/* An event type and the kernel function behind it in an arch's code (NULL: none of the kernel's). */
struct arch_trace_fn {
	const char *type, *fn;
};
/* arch_ops.trace_function over a table: true and *fn when type is in map[0..n). */
bool arch_trace_fn_find(const struct arch_trace_fn *map, unsigned n, const char *type, const char **fn);

/* Whether the arch's kernel has zone zid at all (/proc/zoneinfo and the boot log list only those). */
bool arch_has_zone(const struct arch_ops *a, int zid);

extern const struct arch_ops arch_arm64, arch_x86_64, arch_riscv64;

#endif
