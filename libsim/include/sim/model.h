/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * model.h - a model file (models/NAME.yaml): the machine before it boots.
 */
#ifndef MHPSIM_SIM_MODEL_H
#define MHPSIM_SIM_MODEL_H

#include "sim/kernel.h"

struct model_range {
	uint64_t start, size;
	int nid;
	char name[96];      /* reserved: what holds it; hotplug: driver */
	bool cma;           /* reserved: a CMA area (managed, but unmovable to isolation) */
	bool firmware;      /* reserved: not RAM to the firmware's map (e820 reserved): no "System RAM" resource */
	int pool;           /* reserved: boot allocations of this kind come from here (POOL_*) */
	uint64_t block_size;   /* hotplug by virtio_mem: the device's block-size (QEMU's default 2 MiB) */
	uint64_t requested_size;   /* hotplug by virtio_mem: its requested-size on QEMU's command line (0: none) */
	unsigned line, col; /* where the model file gives it */
};

enum { POOL_NONE, POOL_PGTABLE, POOL_MEMMAP };

/* A /proc/iomem entry the platform or the boot makes, which the model does not (the model file's iomem). */
#define MODEL_MAX_IOMEM 64
struct model_iomem {
	uint64_t start, end;        /* end inclusive */
	unsigned depth;             /* its nesting, as r_show() indents it */
	char name[48];
};

/*
 * One memblock call of the boot, in the kernel's order (the model file's
 * memblock, from a memblock=debug log of the reference kernel): an
 * allocation, repeated count times, or the free of the last allocation
 * made by the function it names (of all but its first size bytes, when
 * size is set: sparse_buffer_fini()). libsim/mm/memblock.c replays them.
 */
#define MODEL_MAX_MEMBLOCK 96
struct model_memblock_op {
	uint64_t size, align;       /* size 0 with cmdline set: strlen(command line) + 1; a free's size: what it keeps */
	uint64_t min, max;          /* the physical window; max 0: none (MEMBLOCK_ALLOC_ACCESSIBLE) */
	unsigned count;
	int nid;                    /* the node whose memory it must come from; -1: any (NUMA_NO_NODE) */
	char by[48];                /* the kernel function that allocates, or whose allocation is freed */
	int pool;                   /* POOL_*: the model's boot page tables or memmap come from its pages */
	bool cma, cmdline, free;
	unsigned line, col;
};

/* The causes' sizes, fitted to the reference lane's page census (the model file's kernel_allocations). */
#define KALLOC_MAX_TRANSIENT 1024   /* step_transient: pages a step may hold */

/* (libsim/mm/slab.c) */
struct kalloc_params {
	bool on;
	uint64_t block_unmovable;     /* bytes: a memory block's device, kobject and kernfs nodes */
	uint64_t block_reclaimable;   /* bytes: dentries and inodes of a block's sysfs files, once looked up */
	uint64_t step_transient;      /* pages: page tables and stacks of a step's processes, freed when they exit */
	uint64_t step_unmovable;      /* bytes: unmovable slab a step's processes leave (task, pid, file, seq_file...) */
	uint64_t step_reclaimable;    /* bytes: reclaimable slab they leave (dentries and inodes of /proc and /sys) */
	char recording[160];          /* the recordings the sizes were fitted to */
};

/*
 * The kernel image as mem_init_print_info() reports it: section sizes in
 * bytes, constants of one kernel build (the model file says which), and
 * where its init sections lie (free_initmem() frees them after boot).
 */
struct model_kernel {
	bool present;                   /* the model file gives the sizes: the banner is printed */
	uint64_t code, rwdata, rodata, bss;
	struct model_range init;        /* __init_begin..__init_end */
};

struct mhp_model {
	char name[64];
	char arch[16];                  /* arch_find(): "arm64" unless the model file says */
	char path[512];
	unsigned page_shift;            /* 12, 14, 16 */
	unsigned va_bits, pa_bits;
	unsigned section_size_bits;     /* SECTION_SIZE_BITS */
	uint64_t block_size;            /* memory_block_size_bytes() */
	uint64_t fw_dma_limit;          /* DT/ACPI DMA limit; UINT64_MAX if none */
	uint64_t memstart_align;
	int default_online_type;        /* CONFIG_MHP_DEFAULT_ONLINE_TYPE_* */
	bool memory_probe;              /* CONFIG_ARCH_MEMORY_PROBE */
	char cmdline[512];              /* default kernel command line */
	unsigned nr_nodes;
	unsigned nr_cpus;               /* possible CPUs, numbered across the nodes in the order listed */
	struct { int nid; bool has_cpu; unsigned nr_cpus; } nodes[MAX_NUMNODES];
	unsigned nr_ram, nr_hotplug, nr_reserved;
	struct model_range ram[MODEL_MAX_RANGES];
	struct model_range hotplug[MODEL_MAX_RANGES];
	struct model_range reserved[MODEL_MAX_RANGES];
	struct model_kernel kernel;
	struct model_range initrd;      /* the boot loader's initrd, in bytes; size 0: none */
	unsigned nr_simplifications;
	char simplifications[MODEL_MAX_SIMPLIFICATIONS][256];
	struct kalloc_params kalloc;    /* kernel_allocations: the kernel's own allocations by cause */
	unsigned nr_iomem;
	struct model_iomem iomem[MODEL_MAX_IOMEM];
	unsigned nr_memblock;
	struct model_memblock_op memblock[MODEL_MAX_MEMBLOCK];
	uint32_t cpu_features;          /* bit i: the arch's cpu_feature_words[i] (x86: pdpe1gb) */
};

bool model_geometry_valid(const struct mhp_model *mo);
/* At most MODEL_MAX_SYSTEM_RAM pieces: each firmware hole splits at most one. */
#define MODEL_MAX_SYSTEM_RAM (2 * MODEL_MAX_RANGES)
unsigned model_system_ram(const struct mhp_model *mo, uint64_t (*r)[2], unsigned cap);
bool model_firmware_hole(const struct mhp_model *mo, uint64_t pa);

#endif
