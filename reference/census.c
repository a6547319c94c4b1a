// SPDX-License-Identifier: GPL-2.0-only
/*
 * census - the reference lane's page census, run inside the guest.
 *
 * For every memory block in /sys/devices/system/memory it reads the block's
 * pages from /proc/kpageflags and /proc/kpagecount and prints how many are
 * of each kind, then one letter per pageblock saying what the pageblock holds.
 * Built for the guest by reference/setup.sh with the kernel tree's nolibc
 * (tools/include/nolibc): a few kilobytes, so the initramfs, and what the boot
 * reserves for it, stays the size the model is fitted to. It uses only what
 * nolibc and glibc both have, so it also builds on the host.
 * reference/driver.py stores its output beside each golden. The simulator
 * prints its census with this same code (harness/census.c includes this file
 * with CENSUS_NO_MAIN and reads the model's pages), so the two sides cannot
 * classify differently.
 *
 * Kinds, first match wins (flag numbers from include/uapi/linux/kernel-page-flags.h,
 * KPF_RESERVED from include/linux/kernel-page-flags.h; fs/proc/page.c sets them):
 *   nopage    no struct page (KPF_NOPAGE)
 *   offline   PageOffline: virtio-mem's fake-offline subblocks (KPF_OFFLINE)
 *   buddy     a free page in the buddy allocator, head or tail (KPF_BUDDY)
 *   slab      a slab folio's page (KPF_SLAB)
 *   pgtable   a page-table page with its constructor run (KPF_PGTABLE)
 *   reserved  PG_reserved (KPF_RESERVED)
 *   anon      an LRU page of an anonymous mapping (KPF_LRU + KPF_ANON)
 *   file      any other LRU page: page cache and shmem/tmpfs (KPF_LRU)
 *   unflagged none of these: a kernel allocation no flag marks (vmemmap,
 *             vmalloc, percpu, kernel stacks, page tables without a
 *             constructor) or a free page on a per-cpu list (pcp pages are
 *             not PageBuddy): the census cannot tell the two apart
 * and, across kinds, mapped: /proc/kpagecount (the map count) above 0.
 * Pageblock letters: U holds slab, pgtable or reserved pages; K unflagged
 * pages and no U; M movable pages (anon, file) only, besides free ones;
 * O offline pages besides free ones; F all free; - anything else.
 */
#ifndef NOLIBC
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#endif

enum { K_NOPAGE, K_OFFLINE, K_BUDDY, K_SLAB, K_PGTABLE, K_RESERVED, K_ANON, K_FILE, K_UNFLAGGED, K_MAPPED, NR_K };
static const char *const names[NR_K] = { "nopage", "offline", "buddy", "slab", "pgtable", "reserved",
					 "anon", "file", "unflagged", "mapped" };

#define BIT(n) (1ull << (n))
#define CHUNK 4096
#define MAX_BLOCK 4096            /* memory block numbers probed: 512 GiB of 128 MiB blocks */
#define MAX_PAGEBLOCKS 4096       /* letters per block: a 2 GiB block of 512K pageblocks */

static uint64_t fl[CHUNK], cnt[CHUNK];
static char map[MAX_PAGEBLOCKS + 1];

/* Where the census reads pages: the kernel's /proc files, or the model. */
struct census_source {
	/* flags and map counts of len pages from pfn: 0, or -1 when they cannot be read */
	int (*read)(void *ctx, uint64_t pfn, uint64_t len, uint64_t *flags, uint64_t *counts);
	int (*exists)(void *ctx, long block);      /* 1: memory block N exists */
	void *ctx;
	FILE *out;
};

static int kind_of(uint64_t f)
{
	static const struct { int bit, kind; } order[] = {
		{ 20, K_NOPAGE }, { 23, K_OFFLINE }, { 10, K_BUDDY }, { 7, K_SLAB }, { 26, K_PGTABLE }, { 32, K_RESERVED },
	};
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (f & BIT(order[i].bit))
			return order[i].kind;
	if (f & BIT(5))
		return (f & BIT(12)) ? K_ANON : K_FILE;
	return K_UNFLAGGED;
}

static char block_letter(const uint64_t *n)
{
	if (n[K_SLAB] + n[K_PGTABLE] + n[K_RESERVED])
		return 'U';
	if (n[K_UNFLAGGED])
		return 'K';
	if (n[K_ANON] + n[K_FILE])
		return 'M';
	if (n[K_OFFLINE])
		return 'O';
	return n[K_BUDDY] && !n[K_NOPAGE] ? 'F' : '-';
}

/* One block: its counts and its pageblock letters. */
static void census_block(const struct census_source *src, long nr, uint64_t start, uint64_t pages, uint64_t pb_pages)
{
	uint64_t n[NR_K] = { 0 }, pb[NR_K] = { 0 };
	int letters = 0;
	for (uint64_t done = 0; done < pages; done += CHUNK) {
		uint64_t len = pages - done < CHUNK ? pages - done : CHUNK;
		if (src->read(src->ctx, start + done, len, fl, cnt)) {
			fprintf(src->out, "census memory%ld: read failed\n", nr);
			return;
		}
		for (uint64_t i = 0; i < len; i++) {
			int k = kind_of(fl[i]);
			n[k]++;
			pb[k]++;
			n[K_MAPPED] += cnt[i] > 0;
			if ((done + i + 1) % pb_pages == 0) {
				if (letters < MAX_PAGEBLOCKS)
					map[letters++] = block_letter(pb);
				memset(pb, 0, sizeof(pb));
			}
		}
	}
	map[letters] = 0;
	fprintf(src->out, "census memory%ld:", nr);
	for (int k = 0; k < NR_K; k++)
		if (n[k])
			fprintf(src->out, " %s=%llu", names[k], (unsigned long long)n[k]);
	fprintf(src->out, "\npageblocks memory%ld: %s\n", nr, map);
}

/* The census of every memory block that exists. */
static void census(const struct census_source *src, uint64_t pages, uint64_t pb_pages)
{
	fprintf(src->out, "census: blocks of %llu pages, pageblocks of %llu pages\n", (unsigned long long)pages,
		(unsigned long long)pb_pages);
	for (long b = 0; b < MAX_BLOCK; b++)
		if (src->exists(src->ctx, b))
			census_block(src, b, (uint64_t)b * pages, pages, pb_pages);
}

#ifndef CENSUS_NO_MAIN
/* The whole of a small text file, or 0 bytes. */
static int read_small(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY), n = 0;
	if (fd >= 0) {
		n = (int)read(fd, buf, (size_t)size - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? n : 0;
}

static uint64_t parse_num(const char *s, unsigned base)
{
	uint64_t v = 0;
	for (;; s++) {
		unsigned d = (*s >= '0' && *s <= '9') ? (unsigned)(*s - '0')
			   : (*s >= 'a' && *s <= 'f') ? (unsigned)(*s - 'a' + 10) : 99;
		if (d >= base)
			return v;
		v = v * base + d;
	}
}

static int proc_fd[2] = { -1, -1 };

static int read_at(int fd, uint64_t *buf, uint64_t len, uint64_t pfn)
{
	if (lseek(fd, (off_t)(pfn * 8), SEEK_SET) != (off_t)(pfn * 8))
		return -1;
	return read(fd, buf, len * 8) == (ssize_t)(len * 8) ? 0 : -1;
}

/* /proc/kpageflags and /proc/kpagecount, 8 bytes a page. */
static int read_proc(void *ctx, uint64_t pfn, uint64_t len, uint64_t *flags, uint64_t *counts)
{
	(void)ctx;
	return read_at(proc_fd[0], flags, len, pfn) || read_at(proc_fd[1], counts, len, pfn) ? -1 : 0;
}

/* /sys/devices/system/memory/memoryB exists (nolibc has no snprintf: the path by hand). */
static int proc_block_exists(void *ctx, long b)
{
	const char *pre = "/sys/devices/system/memory/memory", *post = "/phys_index";
	char path[96], text[32], digits[24], *out = path;
	int n = 0;
	(void)ctx;
	do
		digits[n++] = (char)('0' + b % 10);
	while ((b /= 10) && n < 23);
	while (*pre)
		*out++ = *pre++;
	while (n)
		*out++ = digits[--n];
	while (*post)
		*out++ = *post++;
	*out = 0;
	return read_small(path, text, sizeof(text)) > 0;
}

/* census -r B: block B's pages as runs of equal (flags, count), for a closer look by hand. */
static int runs(uint64_t start, uint64_t pages)
{
	uint64_t run_f = 0, run_c = 0, run_at = start, n = 0;
	for (uint64_t done = 0; done < pages; done += CHUNK) {
		uint64_t len = pages - done < CHUNK ? pages - done : CHUNK;
		if (read_proc(NULL, start + done, len, fl, cnt))
			return 1;
		for (uint64_t i = 0; i < len; i++) {
			if (n && fl[i] == run_f && cnt[i] == run_c) {
				n++;
				continue;
			}
			if (n)
				printf("%llx +%llu flags=%llx count=%llu\n", (unsigned long long)run_at, (unsigned long long)n,
				       (unsigned long long)run_f, (unsigned long long)run_c);
			run_f = fl[i], run_c = cnt[i], run_at = start + done + i, n = 1;
		}
	}
	printf("%llx +%llu flags=%llx count=%llu\n", (unsigned long long)run_at, (unsigned long long)n,
	       (unsigned long long)run_f, (unsigned long long)run_c);
	return 0;
}

int main(int argc, char **argv)
{
	char text[256];
	uint64_t page = (uint64_t)getpagesize();
	read_small("/sys/devices/system/memory/block_size_bytes", text, sizeof(text));
	uint64_t pages = parse_num(text, 16) / page;
	/* pageblock_order as the kernel reports it: the first line of /proc/pagetypeinfo. */
	read_small("/proc/pagetypeinfo", text, sizeof(text));
	uint64_t pb_pages = strncmp(text, "Page block order: ", 18) ? 0 : 1ull << parse_num(text + 18, 10);
	proc_fd[0] = open("/proc/kpageflags", O_RDONLY);
	proc_fd[1] = open("/proc/kpagecount", O_RDONLY);
	if (!pages || !pb_pages || proc_fd[0] < 0 || proc_fd[1] < 0) {
		printf("census: cannot read /proc/kpageflags, /proc/kpagecount, pagetypeinfo or block_size_bytes\n");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return runs(parse_num(argv[2], 10) * pages, pages);
	struct census_source src = { read_proc, proc_block_exists, NULL, stdout };
	census(&src, pages, pb_pages);
	return 0;
}
#endif
