/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench_common.h - what every benchmark shares: the machine it boots, the
 * clock (timing lives in the benchmarks only: the library has none), medians,
 * children whose peak memory is their own, and the JSON records of results.
 */
#ifndef MHPSIM_BENCH_COMMON_H
#define MHPSIM_BENCH_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

struct mhp_machine;

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)

/* Where every benchmark machine's hot-pluggable region starts: past any boot RAM they get. */
#define BENCH_HOT_START TiB

/*
 * Boots a synthetic machine for benchmarks: granule_kib pages (4, 16 or 64),
 * boot RAM sized to hold the memmap and page tables of hot_size more, a
 * hot-pluggable region of hot_size at BENCH_HOT_START, and a linear map that
 * is page-granular (rodata=full, Debian's default) or, with block_map, built
 * from blocks (rodata=on with a KFENCE early pool: can_set_direct_map() false).
 * NULL, after saying why, on error.
 */
struct mhp_machine *bench_machine(unsigned granule_kib, uint64_t hot_size, bool block_map);
/*
 * The x86-64 twin (4-level paging, 4K pages, boot RAM at 0): "page" is a 4K
 * direct map (debug_pagealloc), "block" 2M and 1G leaves (a CPU with pdpe1gb).
 */
struct mhp_machine *bench_machine_x86(uint64_t hot_size, bool block_map);
/* The RISC-V twin, Sv48 (4 levels): RAM at 2 GiB as on QEMU's virt machine. */
struct mhp_machine *bench_machine_riscv(uint64_t hot_size, bool block_map);

/* The boot RAM bench_machine() gives: room for the memmap (64 bytes a page) and the PTEs of hot_size, and slack. */
uint64_t bench_boot_ram(unsigned granule_kib, uint64_t hot_size);

/* The smallest range hot-plug can add with this granule: a memory block. */
uint64_t bench_block_size(unsigned granule_kib);

double bench_now(void);
/* Sorts v in place and returns its median. */
double bench_median(double *v, size_t n);

/*
 * Runs fn(arg, out) in a child process and copies its out (size bytes) back;
 * *peak_rss_kib is the child's own peak resident memory. -1 if the child failed.
 */
int bench_child(void (*fn)(void *arg, void *out), void *arg, void *out, size_t size, long *peak_rss_kib);

/* "4K", "16K", "64K"; and sizes as "128M", "64G", "1T". */
const char *bench_granule_name(unsigned granule_kib);
const char *bench_size_name(uint64_t bytes, char buf[16]);

#endif
