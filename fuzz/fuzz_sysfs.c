// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_sysfs.c - libFuzzer harness for the simulated sysfs, procfs and debugfs.
 *
 * Covers: path resolution in libsim/sysfs.c (absolute, relative to /sys,
 * /sys/bus/memory/devices, links, directories, junk paths) and every store
 * behind it - memoryN/state and memoryN/online (online and offline with any
 * bytes), auto_online_blocks, /sys/module/memory_hotplug/parameters/..., the
 * notifier-error-inject debugfs files - with arbitrary values, each followed
 * by a read (with buffers of every size, to catch overruns), a listing and a
 * readlink of the same path, on models/qemu-virt-arm64-4k.yaml.
 *
 * Input: one header byte (bit 0: hot-add the 1 GiB virtio-mem region first,
 * bit 1: load memory-notifier-error-inject), then up to FUZZ_MAX_RECORDS
 * records: a path selector byte (a table of real files, or a raw path from
 * the input), a value byte (length, or a word from a table), the value bytes.
 * Invariants are checked after every write and at the end (fuzz_common.h);
 * a violation aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define FUZZ_MAX_RECORDS 32
#define BLOCK_SHIFT 27             /* 128 MiB memory blocks */
#define FIRST_BLOCK 8u             /* memory8: the first boot block */
#define NR_BLOCK_IDS 17u           /* memory8..memory24: memory24 never exists */
#define SEL_FIXED 0xe0             /* selectors below pick a block file */
#define SEL_RAW 0xfc               /* selectors from here on read a raw path */
#define RAW_PATH_MAX 300
#define READ_MAX (64u << 10)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* state and online twice: the files that change the machine come up most. */
static const char *const block_files[] = {
	"state", "online", "state", "online", "valid_zones", "removable", "phys_index", "phys_device", "node0",
};

static const char *const fixed_paths[] = {
	"/sys/devices/system/memory/auto_online_blocks",
	"/sys/devices/system/memory/block_size_bytes",
	"/sys/devices/system/memory",
	"/sys/module/memory_hotplug/parameters/online_policy",
	"/sys/module/memory_hotplug/parameters/auto_movable_ratio",
	"/sys/module/memory_hotplug/parameters/auto_movable_numa_aware",
	"/sys/module/memory_hotplug/parameters/memmap_on_memory",
	"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error",
	"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error",
	"/sys/kernel/debug/kernel_page_tables",
	"/sys/devices/system/node/has_memory",
	"/sys/devices/system/node/node0/memory16",
	"/proc/meminfo", "/proc/zoneinfo", "/proc/vmstat", "/proc/iomem",
	"devices/system/memory/memory16/state",
	"/sys/bus/memory/devices/memory17/online",
};

static const char *const words[] = {
	"online", "online_kernel", "online_movable", "offline", "1", "0", "contig-zones", "auto-movable",
	"Y", "N", "-12", "-16", "0x10", "301", "", " online", "offline\n\n",
};

static struct mhp_model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	model = fuzz_load_model(fuzz_models_dir((*argv)[0]), "qemu-virt-arm64-4k");
	return 0;
}

static void setup(struct mhp_machine *m, uint8_t header)
{
	struct mhp_err err = { 0 };
	if ((header & 1) && mhp_add_memory(m, 0, 0x80000000ull, 1ull << 30, "System RAM (virtio_mem)", &err))
		abort();   /* the model has this region: a refusal is a bug */
	if ((header & 2) && mhp_modprobe(m, "memory-notifier-error-inject", header >> 2, false, &err))
		abort();
}

/* The path of a record, and the block it is about (range empty if none). */
static void decode_path(struct fuzz_in *in, char *path, size_t cap, struct fuzz_range *r)
{
	uint8_t sel = fuzz_u8(in);
	r->lo = r->hi = 0;
	if (sel < SEL_FIXED) {
		unsigned id = FIRST_BLOCK + sel % NR_BLOCK_IDS;
		snprintf(path, cap, "/sys/devices/system/memory/memory%u/%s", id,
			 block_files[(sel / NR_BLOCK_IDS) % ARRAY_LEN(block_files)]);
		r->lo = (uint64_t)id << BLOCK_SHIFT;
		r->hi = (uint64_t)(id + 1) << BLOCK_SHIFT;
	} else if (sel < SEL_RAW) {
		snprintf(path, cap, "%s", fixed_paths[(sel - SEL_FIXED) % ARRAY_LEN(fixed_paths)]);
	} else {
		/* Raw bytes up to the first NUL: what a path string can hold. */
		size_t len = fuzz_u8(in) % (cap - 1), i;
		for (i = 0; i < len; i++)
			path[i] = (char)fuzz_u8(in);
		path[i] = '\0';
	}
}

/* The value: a word from the table (maybe with echo's newline), or raw bytes. */
static size_t decode_value(struct fuzz_in *in, uint8_t *value, size_t cap)
{
	uint8_t v = fuzz_u8(in);
	if (v & 0x80) {
		const char *w = words[(v & 0x3f) % ARRAY_LEN(words)];
		return (size_t)snprintf((char *)value, cap, "%s%s", w, (v & 0x40) ? "\n" : "");
	}
	size_t len = (v & 0x7f) < cap ? (v & 0x7f) : cap, i;
	for (i = 0; i < len && !fuzz_done(in); i++)
		value[i] = fuzz_u8(in);
	return i;
}

/*
 * Reads, lists and readlinks path into heap buffers of exactly the size
 * asked for, so an overrun of even one byte is an ASan report.
 */
static void read_back(struct mhp_machine *m, const char *path, size_t cap)
{
	char *buf = malloc(cap ? cap : 1);
	if (!buf)
		abort();
	ssize_t n = mhp_sysfs_read(m, path, buf, cap);
	if (n >= 0 && cap && strlen(buf) > (size_t)n)
		abort();   /* the text is longer than the length returned */
	mhp_sysfs_list(m, path, buf, cap);
	mhp_sysfs_readlink(m, path, buf, cap);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char path[RAW_PATH_MAX];
	uint8_t value[128];
	struct mhp_machine *m = fuzz_boot(model);
	fuzz_trace(m);
	setup(m, fuzz_u8(&in));
	for (unsigned i = 0; i < FUZZ_MAX_RECORDS && !fuzz_done(&in); i++) {
		struct fuzz_range r;
		decode_path(&in, path, sizeof(path), &r);
		size_t len = decode_value(&in, value, sizeof(value));
		/* An exact-size copy: a store that reads past len trips ASan. */
		char *exact = malloc(len ? len : 1);
		if (!exact)
			abort();
		memcpy(exact, value, len);
		int ret = mhp_sysfs_write(m, path, exact, len);
		free(exact);
		fuzz_log("record %u: %zu bytes to %s -> %s\n", i + 1, len, path, ret ? mhp_errno_name(ret) : "ok");
		fuzz_check_op(m, r, "a sysfs write");
		uint8_t c = fuzz_u8(&in);
		read_back(m, path, c < 0xf0 ? READ_MAX : c & 0x0f);
	}
	fuzz_check_end(m, data, size);
	mhp_machine_free(m);
	return 0;
}
