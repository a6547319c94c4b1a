// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_ops.c - structure-aware libFuzzer harness over a booted machine.
 *
 * Covers: the hot(un)plug paths driven through the public API on
 * models/qemu-virt-arm64-4k.yaml - add_memory / remove_memory (the 1 GiB
 * hot-plug region in 128 MiB blocks, boot memory, misaligned and raw
 * out-of-range ranges), online/offline through memoryN/state and
 * memoryN/online, auto_online_blocks and the memory_hotplug module
 * parameters, workload allocations of every kind and their frees, allocation
 * fault injection, and the three teardown strategies.
 *
 * Input: one header byte (the teardown strategy), then up to FUZZ_MAX_OPS
 * operations, each an opcode byte and its operands (see the op_* decoders;
 * fuzz/make_corpus.py writes the same format). A fresh machine is booted for
 * every input, so runs are independent and deterministic.
 *
 * Checks: after each operation every invariant, with the memory walks limited
 * to the range it touched (for workload operations, where their pages lie);
 * the whole machine at the end of some inputs (fuzz_check_end). A violated
 * invariant aborts: it is a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mhpsim/testing.h>

#include "fuzz_common.h"

#define FUZZ_MAX_OPS 64
#define MIB (1ull << 20)
#define BLOCK (128 * MIB)
#define BOOT_BASE 0x40000000ull     /* memory8..memory15 */
#define HP_BASE 0x80000000ull       /* memory16..memory23 */
#define HP_BLOCKS 8u
#define FIRST_BLOCK 8u
#define NR_BLOCK_IDS 18u            /* memory8..memory25: the last two do not exist */
#define PAGE_SHIFT 12               /* 4K pages */
#define HUGE_SIZE (2 * MIB)
#define PA_LIMIT (1ull << 48)       /* pa_bits: 48 */
#define RAW_SIZE_MAX (2ull << 30)
#define TAG_SPACE 8192u             /* small, so that frees find what allocs tagged */

enum op { OP_ADD, OP_REMOVE, OP_BLOCK_WRITE, OP_AUTO_ONLINE, OP_PARAM, OP_ALLOC, OP_FREE,
	  OP_FAIL_ALLOC, NR_OPS };

static const char *const resource_names[] = {
	"System RAM", "System RAM (virtio_mem)", "System RAM (kmem)", "not a driver",
};
static const char *const online_values[] = {
	"online", "online_kernel", "online_movable", "offline", "1", "0",
};
static const char *const kinds[] = {
	"anon", "file", "kernel", "pgtable", "hugetlb", "pinned", "bogus",
};
static const char *const teardowns[] = { "arm64", "x86-whatif", "generic", "arm64" };

struct param_write {
	const char *name;
	const char *value;
};
static const struct param_write params[] = {
	{ "online_policy", "contig-zones" }, { "online_policy", "auto-movable" },
	{ "auto_movable_ratio", "0" }, { "auto_movable_ratio", "301" }, { "auto_movable_ratio", "3000" },
	{ "auto_movable_numa_aware", "N" }, { "auto_movable_numa_aware", "Y" },
	{ "memmap_on_memory", "Y" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static struct mhp_model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	model = fuzz_load_model(fuzz_models_dir((*argv)[0]), "qemu-virt-arm64-4k");
	return 0;
}

/* Mostly whole blocks of the hot-plug region, sometimes boot memory, sometimes raw bytes. */
static struct fuzz_range decode_range(struct fuzz_in *in)
{
	uint8_t sel = fuzz_u8(in);
	uint8_t count = fuzz_u8(in);
	struct fuzz_range r;
	if ((sel & 0x0f) == 0) {
		/*
		 * Any start; a size of at most RAW_SIZE_MAX, as a bigger one inside the
		 * physical address space takes seconds and gigabytes to fail with
		 * -ENOMEM; or, for sel 0xf0, one beyond it, which may wrap.
		 */
		r.lo = fuzz_u64(in);
		uint64_t size = fuzz_u64(in);
		r.hi = r.lo + (sel == 0xf0 ? size | PA_LIMIT : size % (RAW_SIZE_MAX + 1));
		return r;
	}
	if ((sel & 0x0f) == 2) {
		/* Near the region and misaligned by a few pages, or sizes that are not whole blocks. */
		r.lo = HP_BASE + (uint64_t)(((int64_t)(sel >> 4) - 8) * 4096 * (count & 3));
		r.hi = r.lo + (uint64_t)count * 4 * MIB;
		return r;
	}
	unsigned first = (sel >> 4) % HP_BLOCKS;
	uint64_t base = (sel & 0x0f) == 1 ? BOOT_BASE : HP_BASE;
	/* Usually inside the region; one in eight may run past its end. */
	unsigned n = 1 + count % ((count & 0x80) ? HP_BLOCKS : HP_BLOCKS - first);
	r.lo = base + first * BLOCK;
	r.hi = r.lo + n * BLOCK;
	return r;
}

/* Mostly node 0; sometimes another node, absent or out of range. */
static int decode_nid(struct fuzz_in *in)
{
	static const int odd[] = { -1, 1, 2, 3, 63, 64, 1024, -2147483647 - 1 };
	uint8_t b = fuzz_u8(in);
	return b < 0xf0 ? 0 : odd[b % ARRAY_LEN(odd)];
}

/* Allocation counts: usually small, sometimes thousands (enough to fill memory). */
static uint64_t decode_count(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);
	return b < 192 ? (uint64_t)b + 1 : (uint64_t)(b - 191) * 256;
}

/* The checks walk every section of the range: nothing beyond the physical address space. */
static struct fuzz_range clip(struct fuzz_range r)
{
	if (r.lo >= r.hi || r.hi > PA_LIMIT)
		r.lo = r.hi = 0;
	return r;
}

static struct fuzz_range block_range(unsigned id)
{
	struct fuzz_range r = { (uint64_t)id * BLOCK, (uint64_t)(id + 1) * BLOCK };
	return r;
}

static int sysfs_write_str(struct mhp_machine *m, const char *path, const char *value, int newline)
{
	char buf[64];
	int len = snprintf(buf, sizeof(buf), "%s%s", value, newline ? "\n" : "");
	return mhp_sysfs_write(m, path, buf, (size_t)len);
}

static int op_add(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	struct mhp_err err = { 0 };
	*r = decode_range(in);
	int nid = decode_nid(in);
	uint8_t b = fuzz_u8(in);
	const char *name = resource_names[b % ARRAY_LEN(resource_names)];
	unsigned flags = (b & 0x80) ? MHP_MEMMAP_ON_MEMORY : 0;
	return mhp_add_memory_flags(m, nid, r->lo, r->hi - r->lo, name, flags, &err);
}

static int op_remove(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	struct mhp_err err = { 0 };
	*r = decode_range(in);
	return mhp_remove_memory(m, r->lo, r->hi - r->lo, &err);
}

/* memoryN/state or memoryN/online, with one of the values the kernel knows. */
static int op_block_write(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	char path[80];
	unsigned id = FIRST_BLOCK + fuzz_u8(in) % NR_BLOCK_IDS;
	uint8_t b = fuzz_u8(in);
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%u/%s", id, (b & 1) ? "online" : "state");
	*r = block_range(id);
	return sysfs_write_str(m, path, online_values[((b >> 1) & 0x3f) % ARRAY_LEN(online_values)], b & 0x80);
}

static int op_auto_online(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	uint8_t b = fuzz_u8(in);
	(void)r;
	return sysfs_write_str(m, "/sys/devices/system/memory/auto_online_blocks",
			online_values[(b & 0x7f) % ARRAY_LEN(online_values)], b & 0x80);
}

static int op_param(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	char path[96];
	const struct param_write *p = &params[fuzz_u8(in) % ARRAY_LEN(params)];
	snprintf(path, sizeof(path), "/sys/module/memory_hotplug/parameters/%s", p->name);
	(void)r;
	return sysfs_write_str(m, path, p->value, 1);
}

/* Adds the pages that hold tags [tag, tag + nr) now to r: where a workload operation acts. */
static void tags_range(const struct mhp_machine *m, uint32_t tag, uint64_t nr, struct fuzz_range *r)
{
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t pfn;
		if (mhp_workload_where(m, tag + (uint32_t)i, &pfn))
			continue;
		/* A hugetlb page is 512 pages: take its whole 2 MiB. */
		uint64_t lo = (pfn << PAGE_SHIFT) & ~(HUGE_SIZE - 1), hi = lo + HUGE_SIZE;
		if (r->lo >= r->hi || lo < r->lo)
			r->lo = lo;
		if (hi > r->hi)
			r->hi = hi;
	}
}

static int op_alloc(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	struct mhp_err err = { 0 };
	const char *kind = kinds[fuzz_u8(in) % ARRAY_LEN(kinds)];
	int nid = decode_nid(in);
	uint32_t tag = 1 + fuzz_u16(in) % TAG_SPACE;
	uint64_t nr = decode_count(in);
	int ret = mhp_workload_alloc(m, kind, nid, nr, tag, &err);
	tags_range(m, tag, nr, r);
	return ret;
}

static int op_free(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	struct mhp_err err = { 0 };
	uint32_t tag = 1 + fuzz_u16(in) % TAG_SPACE;
	uint64_t nr = decode_count(in);
	tags_range(m, tag, nr, r);
	return mhp_workload_free(m, tag, nr, &err);
}

static int op_fail_alloc(struct mhp_machine *m, struct fuzz_in *in, struct fuzz_range *r)
{
	unsigned nth = fuzz_u8(in) % 32;
	(void)r;
	mhp_machine_fail_alloc(m, nth, 1 + fuzz_u8(in) % 4);
	return 0;
}

static int (*const ops[NR_OPS])(struct mhp_machine *, struct fuzz_in *, struct fuzz_range *) = {
	[OP_ADD] = op_add, [OP_REMOVE] = op_remove, [OP_BLOCK_WRITE] = op_block_write,
	[OP_AUTO_ONLINE] = op_auto_online, [OP_PARAM] = op_param, [OP_ALLOC] = op_alloc,
	[OP_FREE] = op_free, [OP_FAIL_ALLOC] = op_fail_alloc,
};
static const char *const op_names[NR_OPS] = {
	"add_memory", "remove_memory", "memoryN write", "auto_online_blocks write",
	"module parameter write", "workload alloc", "workload free", "fail_alloc",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	/* Booting costs less than loading a snapshot, which checks every invariant. */
	struct mhp_machine *m = fuzz_boot(model);
	fuzz_trace(m);
	if (mhp_machine_set_teardown(m, teardowns[fuzz_u8(&in) % ARRAY_LEN(teardowns)]))
		abort();
	for (unsigned i = 0; i < FUZZ_MAX_OPS && !fuzz_done(&in); i++) {
		enum op op = (enum op)(fuzz_u8(&in) % NR_OPS);
		struct fuzz_range r = { 0, 0 };
		int ret = ops[op](m, &in, &r);
		fuzz_log("op %u: %s -> %s\n", i + 1, op_names[op], ret ? mhp_errno_name(ret) : "ok");
		r = clip(r);
		fuzz_check_op(m, r, op_names[op]);
	}
	fuzz_check_end(m, data, size);
	mhp_machine_free(m);
	return 0;
}
