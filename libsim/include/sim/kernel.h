/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.h - what every file of the model uses: bounds, ARRAY_SIZE, errors, the hash.
 * Kernel twin in spirit: include/linux/kernel.h.
 */
#ifndef MHPSIM_SIM_KERNEL_H
#define MHPSIM_SIM_KERNEL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <mhpsim/mhpsim.h>
#include <mhpsim/testing.h>
#include "bug.h"
#include "util.h"

#define MAX_NUMNODES 16             /* Debian arm64: NODES_SHIFT 4 */
#define NUMA_NO_NODE (-1)
#define NR_CPUS 512                 /* Debian arm64: CONFIG_NR_CPUS */
#define MODEL_MAX_RANGES 64         /* boot RAM, hotplug and reserved ranges per model */
#define MODEL_MAX_SIMPLIFICATIONS 32
#define LOG_RING_LINES 4096         /* printk ring: oldest lines fall out */
#define LOG_LINE_MAX 240
#define MAX_MEMORY_BLOCKS (1u << 24) /* bound on blocks a machine may hold */
#define MAX_RESOURCES 4096
#define MODEL_MAX_BOOT_SECTIONS (1u << 20) /* 128 TiB of boot RAM with 128 MiB sections */


static inline bool is_aligned(uint64_t x, uint64_t a) { return (x & (a - 1)) == 0; }

#endif
