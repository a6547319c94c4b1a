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
 * reference/driver.py stores its output beside each golden.
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

static int read_at(int fd, uint64_t *buf, uint64_t len, uint64_t pfn)
{
	if (lseek(fd, (off_t)(pfn * 8), SEEK_SET) != (off_t)(pfn * 8))
		return -1;
	return read(fd, buf, len * 8) == (ssize_t)(len * 8) ? 0 : -1;
}

/* One block: its counts and its pageblock letters. */
static void census_block(int flags_fd, int count_fd, long nr, uint64_t start, uint64_t pages, uint64_t pb_pages)
{
	uint64_t n[NR_K] = { 0 }, pb[NR_K] = { 0 };
	int letters = 0;
	for (uint64_t done = 0; done < pages; done += CHUNK) {
		uint64_t len = pages - done < CHUNK ? pages - done : CHUNK;
		if (read_at(flags_fd, fl, len, start + done) || read_at(count_fd, cnt, len, start + done)) {
			printf("census memory%ld: read failed\n", nr);
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
	printf("census memory%ld:", nr);
	for (int k = 0; k < NR_K; k++)
		if (n[k])
			printf(" %s=%llu", names[k], (unsigned long long)n[k]);
	printf("\npageblocks memory%ld: %s\n", nr, map);
}

/* .../memoryB/phys_index (nolibc has no snprintf). */
static void block_path(char *out, long b)
{
	const char *pre = "/sys/devices/system/memory/memory", *post = "/phys_index";
	char digits[24];
	int n = 0;
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
}

/* census -r B: block B's pages as runs of equal (flags, count), for a closer look by hand. */
static int runs(int flags_fd, int count_fd, uint64_t start, uint64_t pages)
{
	uint64_t run_f = 0, run_c = 0, run_at = start, n = 0;
	for (uint64_t done = 0; done < pages; done += CHUNK) {
		uint64_t len = pages - done < CHUNK ? pages - done : CHUNK;
		if (read_at(flags_fd, fl, len, start + done) || read_at(count_fd, cnt, len, start + done))
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
	char text[256], path[96];
	uint64_t page = (uint64_t)getpagesize();
	read_small("/sys/devices/system/memory/block_size_bytes", text, sizeof(text));
	uint64_t pages = parse_num(text, 16) / page;
	/* pageblock_order as the kernel reports it: the first line of /proc/pagetypeinfo. */
	read_small("/proc/pagetypeinfo", text, sizeof(text));
	uint64_t pb_pages = strncmp(text, "Page block order: ", 18) ? 0 : 1ull << parse_num(text + 18, 10);
	int flags_fd = open("/proc/kpageflags", O_RDONLY), count_fd = open("/proc/kpagecount", O_RDONLY);
	if (!pages || !pb_pages || flags_fd < 0 || count_fd < 0) {
		printf("census: cannot read /proc/kpageflags, /proc/kpagecount, pagetypeinfo or block_size_bytes\n");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return runs(flags_fd, count_fd, parse_num(argv[2], 10) * pages, pages);
	printf("census: blocks of %llu pages, pageblocks of %llu pages\n", (unsigned long long)pages,
	       (unsigned long long)pb_pages);
	for (long b = 0; b < MAX_BLOCK; b++) {
		block_path(path, b);
		if (read_small(path, text, sizeof(text)))
			census_block(flags_fd, count_fd, b, (uint64_t)b * pages, pages, pb_pages);
	}
	return 0;
}
