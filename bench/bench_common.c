// SPDX-License-Identifier: GPL-2.0-only
/* bench_common.c - see bench_common.h. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mhpsim/mhpsim.h>

#include "bench_common.h"

uint64_t bench_block_size(unsigned granule_kib)
{
	return granule_kib == 64 ? 512 * MiB : 128 * MiB;   /* arm64's SECTION_SIZE_BITS: 29 with 64K, else 27 */
}

/* The memmap (64 bytes a page) and the PTEs of the hot range, the boot range's own, and slack. */
uint64_t bench_boot_ram(unsigned granule_kib, uint64_t hot_size)
{
	uint64_t page = granule_kib * KiB, need = hot_size / page * 64 + hot_size / page * 8 + 2 * GiB;
	uint64_t ram = 4 * GiB;
	while (ram < need + need / 4)
		ram *= 2;
	return ram;
}

/* Loads a model from its text and boots it, with a host budget above what the largest cycle holds. */
static struct mhp_machine *boot_text(const char *text, unsigned granule_kib, uint64_t hot_size)
{
	struct mhp_err err = { 0 };
	struct mhp_model *model = NULL;
	struct mhp_machine *m = NULL;
	/* The scale cycles measure what a page-granular TiB costs the host: a budget above it (about 2.2 GB today). */
	struct mhp_boot_args args = { .max_memory = 8ull << 30 };
	if (mhp_model_load_buffer(text, strlen(text), "bench-model", &model, &err) ||
	    mhp_machine_boot(model, &args, &m, &err))
		fprintf(stderr, "bench machine (%uK, %llu MiB hot): %s\n", granule_kib,
			(unsigned long long)(hot_size / MiB), err.msg);
	mhp_model_free(model);
	return m;
}

struct mhp_machine *bench_machine(unsigned granule_kib, uint64_t hot_size, bool block_map)
{
	uint64_t page = granule_kib * KiB, ram = bench_boot_ram(granule_kib, hot_size);
	/* The boot memmap and boot page tables come from pools at the top of boot RAM, sized for 4K pages. */
	uint64_t memmap_pool = ram / page * 64 + 16 * MiB, pt_pool = ram / page * 8 + 16 * MiB;
	uint64_t top = 0x40000000ull + ram;
	char text[2048];
	snprintf(text, sizeof(text),
		 "model: bench-arm64-%uk\n"
		 "description: a synthetic machine sized for the benchmarks\n"
		 "granule: %uK\nva_bits: 48\npa_bits: 48\n"
		 "kconfig:\n  default_online_type: offline\n"
		 "cmdline: \"%s\"\n"
		 "nodes:\n  - id: 0\n    cpus: true\n    memory:\n      - { start: 0x40000000, size: %lluM }\n"
		 "hotplug:\n  - { start: %#llx, size: %lluM, node: 0, driver: dax_kmem }\n"
		 "reserved:\n"
		 "  - { start: 0x40000000, size: 2M, name: \"device tree (FDT)\" }\n"
		 "  - { start: 0x40200000, size: 48M, name: \"kernel image\" }\n"
		 "  - { start: %#llx, size: %lluM, name: \"memblock: page tables\", pool: pgtable }\n"
		 "  - { start: %#llx, size: %lluM, name: \"memblock: boot memmap\", pool: memmap }\n"
		 "simplifications:\n  - \"Sized for the benchmarks; boot reservations are fixed ranges, not measured.\"\n",
		 granule_kib, granule_kib, block_map ? "rodata=on kfence.sample_interval=100" : "",
		 (unsigned long long)(ram / MiB), (unsigned long long)BENCH_HOT_START, (unsigned long long)(hot_size / MiB),
		 (unsigned long long)(top - memmap_pool - pt_pool), (unsigned long long)(pt_pool / MiB),
		 (unsigned long long)(top - memmap_pool), (unsigned long long)(memmap_pool / MiB));
	return boot_text(text, granule_kib, hot_size);
}

/* What a 4K machine of another arch than arm64 needs said: its keys, where RAM starts, its boot reservations. */
struct bench_arch {
	const char *name, *keys, *block_keys;
	uint64_t ram_start;
	const char *reserved;
};

/*
 * The x86-64 and RISC-V twins (4K pages, 4 levels: x86's 4-level paging,
 * Sv48): the same pools and hot region. "page": debug_pagealloc, a 4K
 * linear map as arm64's page-granular one; "block": 2M leaves, and 1G ones
 * (x86 with pdpe1gb).
 */
static struct mhp_machine *bench_machine_4k(const struct bench_arch *a, uint64_t hot_size, bool block_map)
{
	uint64_t ram = bench_boot_ram(4, hot_size), top = a->ram_start + ram;
	uint64_t memmap_pool = ram / (4 * KiB) * 64 + 16 * MiB, pt_pool = ram / (4 * KiB) * 8 + 16 * MiB;
	char text[2048];
	snprintf(text, sizeof(text),
		 "model: bench-%s\n"
		 "description: a synthetic %s machine sized for the benchmarks\n"
		 "%s%s"
		 "kconfig:\n  default_online_type: offline\n"
		 "cmdline: \"%s\"\n"
		 "nodes:\n  - id: 0\n    cpus: true\n    memory:\n      - { start: %#llx, size: %lluM }\n"
		 "hotplug:\n  - { start: %#llx, size: %lluM, node: 0, driver: dax_kmem }\n"
		 "reserved:\n%s"
		 "  - { start: %#llx, size: %lluM, name: \"memblock: page tables\", pool: pgtable }\n"
		 "  - { start: %#llx, size: %lluM, name: \"memblock: boot memmap\", pool: memmap }\n"
		 "simplifications:\n  - \"Sized for the benchmarks; boot reservations are fixed ranges, not measured.\"\n",
		 a->name, a->name, a->keys, block_map ? a->block_keys : "", block_map ? "" : "debug_pagealloc=on",
		 (unsigned long long)a->ram_start, (unsigned long long)(ram / MiB), (unsigned long long)BENCH_HOT_START,
		 (unsigned long long)(hot_size / MiB), a->reserved, (unsigned long long)(top - memmap_pool - pt_pool),
		 (unsigned long long)(pt_pool / MiB), (unsigned long long)(top - memmap_pool),
		 (unsigned long long)(memmap_pool / MiB));
	return boot_text(text, 4, hot_size);
}

struct mhp_machine *bench_machine_x86(uint64_t hot_size, bool block_map)
{
	static const struct bench_arch x86 = {
		"x86_64", "arch: x86_64\ngranule: 4K\nva_bits: 48\npa_bits: 46\n", "cpu_features: [pdpe1gb]\n", 0,
		"  - { start: 0, size: 4K, name: \"e820 reserved: page 0\" }\n"
		"  - { start: 0x1000000, size: 48M, name: \"kernel image\" }\n",
	};
	return bench_machine_4k(&x86, hot_size, block_map);
}

struct mhp_machine *bench_machine_riscv(uint64_t hot_size, bool block_map)
{
	static const struct bench_arch riscv = {
		"riscv64", "arch: riscv64\ngranule: 4K\nva_bits: 48\npa_bits: 56\n", "", 0x80000000ull,
		"  - { start: 0x80200000, size: 32M, name: \"kernel image\" }\n",
	};
	return bench_machine_4k(&riscv, hot_size, block_map);
}

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_child(void (*fn)(void *arg, void *out), void *arg, void *out, size_t size, long *peak_rss_kib)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		memset(out, 0, size);
		fn(arg, out);
		_exit(write(fds[1], out, size) == (ssize_t)size ? 0 : 1);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], out, size);
	close(fds[0]);
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0 || n != (ssize_t)size || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	*peak_rss_kib = ru.ru_maxrss;
	return 0;
}

const char *bench_granule_name(unsigned granule_kib)
{
	return granule_kib == 4 ? "4K" : granule_kib == 16 ? "16K" : "64K";
}

const char *bench_size_name(uint64_t bytes, char buf[16])
{
	if (bytes >= TiB && bytes % TiB == 0)
		snprintf(buf, 16, "%lluT", (unsigned long long)(bytes / TiB));
	else if (bytes >= GiB && bytes % GiB == 0)
		snprintf(buf, 16, "%lluG", (unsigned long long)(bytes / GiB));
	else
		snprintf(buf, 16, "%lluM", (unsigned long long)(bytes / MiB));
	return buf;
}
