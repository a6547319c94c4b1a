// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_faults.c - every page allocation an operation makes, failed in turn
 * (SQLite's fault sweep): run the operation once to count them, then from
 * the same saved machine fail the 1st, the 2nd, ... the Nth. After each, the
 * invariants hold, the operation returns 0 (a fallback took over) or its
 * error, and what a reader sees is either as before the call or differs in
 * parts the table names. Then the faults that persist or recur (fault-inject's
 * times and interval) through each operation's own retries, each ending in a
 * bounded outcome, and the same request completing once the fault is gone.
 * The tables are docs/faults.md: this test holds them current
 * (MHPSIM_UPDATE_DOCS=1 rewrites them).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"

#define MAX_POINTS 4096

/* Where the machine's virtio-mem region starts: the memory each operation adds. */
static uint64_t hot(struct mhp_machine *m)
{
	struct mhp_virtio_mem_info info;
	assert_int_equal(mhp_virtio_mem_info(m, &info), 0);
	return info.addr;
}

/* An operation under the sweep, on a machine prepare() made. */
struct sweep_op {
	const char *name;
	void (*prepare)(struct mhp_machine *m, uint64_t block);
	int (*run)(struct mhp_machine *m, uint64_t block);
};

static void nothing(struct mhp_machine *m, uint64_t block)
{
	(void)m, (void)block;
}

static void added(struct mhp_machine *m, uint64_t block)
{
	add_virtio_mem(m, hot(m), block);
}

/* The state file of the block at the region's start (memory16 on arm64 with 128 MiB blocks, memory32 on x86). */
static int write_state(struct mhp_machine *m, uint64_t block, const char *value)
{
	char path[96];
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state", (unsigned long long)(hot(m) / block));
	return sysfs_write(m, path, value);
}

static void added_movable_with_pages(struct mhp_machine *m, uint64_t block)
{
	struct mhp_err err = { 0 };
	added(m, block);
	assert_int_equal(write_state(m, block, "online_movable"), 0);
	if (mhp_workload_alloc(m, "anon", 0, 300, 1, &err))   /* ZONE_MOVABLE first: they land in the block */
		fail_msg("%s", err.msg);
}

static int add_block(struct mhp_machine *m, uint64_t block)
{
	struct mhp_err err = { 0 };
	return mhp_add_memory(m, 0, hot(m), block, "System RAM (virtio_mem)", &err);
}

static int online_movable(struct mhp_machine *m, uint64_t block)
{
	return write_state(m, block, "online_movable");
}

static int offline(struct mhp_machine *m, uint64_t block)
{
	return write_state(m, block, "offline");
}

/* The virtio-mem device asked for one block: its driver adds it and plugs it (the host's qom-set). */
static int plug_block(struct mhp_machine *m, uint64_t block)
{
	struct mhp_err err = { 0 };
	int ret = mhp_virtio_mem_set_requested(m, block, &err);
	struct mhp_virtio_mem_info info;
	assert_int_equal(mhp_virtio_mem_info(m, &info), 0);
	/* a plug the driver only retries later; EIO for a driver that stopped (dev_err "marking device broken") */
	return ret ? ret : info.plugged == block ? 0 : info.broken ? -EIO : -EAGAIN;
}

static void plugged(struct mhp_machine *m, uint64_t block)
{
	assert_int_equal(plug_block(m, block), 0);
}

/* The device asked for nothing: the driver offlines (the block is offline) and removes it. */
static int unplug_all(struct mhp_machine *m, uint64_t block)
{
	(void)block;
	struct mhp_err err = { 0 };
	int ret = mhp_virtio_mem_set_requested(m, 0, &err);
	struct mhp_virtio_mem_info info;
	assert_int_equal(mhp_virtio_mem_info(m, &info), 0);
	return ret ? ret : info.plugged == 0 ? 0 : -EAGAIN;   /* an unplug the driver only retries later */
}

static int remove_block(struct mhp_machine *m, uint64_t block)
{
	struct mhp_err err = { 0 };
	return mhp_remove_memory(m, hot(m), block, &err);
}

static const struct sweep_op ops[] = {
	{ "add_memory (one block)", nothing, add_block },
	{ "online_movable", added, online_movable },
	{ "offline (300 pages to migrate)", added_movable_with_pages, offline },
	{ "remove_memory (one offline block)", added, remove_block },
	{ "virtio-mem plug (one block)", nothing, plug_block },
	{ "virtio-mem unplug (one offline block)", plugged, unplug_all },
};

/* The first event after the injected failure that names a kernel function: the code that met the failure. */
struct reaction {
	const struct mhp_machine *m;   /* its functions' names are its arch's */
	bool injected;
	char met_by[96];
};

static void watch(const struct mhp_trace_event *ev, void *ctx)
{
	struct reaction *r = ctx;
	const char *fn = mhp_machine_trace_function(r->m, ev);
	if (strcmp(ev->type, "fault_injected") == 0)
		r->injected = true;
	else if (r->injected && fn && !r->met_by[0])
		snprintf(r->met_by, sizeof(r->met_by), "%.*s", (int)strcspn(fn, " "), fn);
}

static struct mhp_machine *load(const void *buf, size_t len, struct reaction *r)
{
	struct mhp_machine *m;
	struct mhp_err err = { 0 };
	if (mhp_machine_load_buffer(buf, len, "sweep", r ? watch : NULL, r, &m, &err))
		fail_msg("%s", err.msg);
	if (r)
		r->m = m;
	return m;
}

/* One point's outcome, as the table gives it. */
struct outcome {
	char text[512];
};

/*
 * A failed call is held to the machine before it (what the kernel undid),
 * one that went on (a fallback, a retry) to the call that met no fault.
 */
static void describe(struct outcome *o, int ret, const struct reaction *r, const char *diff)
{
	const char *same = ret ? "as before the call" : "as without the fault";
	snprintf(o->text, sizeof(o->text), "| %s | %s | %s%s |", r->met_by[0] ? r->met_by : "-",
		 ret ? mhp_errno_name(ret) : "0", diff[0] ? "differs in: " : same, diff);
}

/* A machine of the model, new memory left offline, made ready for an operation; its block size in *block. */
static struct mhp_machine *prepared(const char *model, void (*prepare)(struct mhp_machine *m, uint64_t block),
				    uint64_t *block)
{
	struct mhp_machine *m = boot_model(model, "memhp_default_state=offline");
	*block = strtoull(sysfs_read(m, "/sys/devices/system/memory/block_size_bytes"), NULL, 16);
	prepare(m, *block);
	return m;
}

/* m saved, for each point to start from. */
static void saved(struct mhp_machine *m, void **buf, size_t *len)
{
	struct mhp_err err = { 0 };
	assert_int_equal(mhp_machine_save_buffer(m, buf, len, &err), 0);
}

/* A class of fault point: page allocations (fail_page_alloc) or slab objects (failslab). */
struct fault_class {
	const char *points, *header;   /* "page allocations", "allocation failed" */
	void (*arm)(struct mhp_machine *m, unsigned nth, unsigned count);
	int64_t (*countdown)(const struct mhp_machine *m);
};

static int64_t page_countdown(const struct mhp_machine *m)
{
	return m->fail_page_alloc.after;
}

static void arm_slab(struct mhp_machine *m, unsigned nth, unsigned count)
{
	mhp_machine_failslab(m, nth, 1, count);
}

static int64_t slab_countdown(const struct mhp_machine *m)
{
	return m->failslab.after;
}

static const struct fault_class page_faults = { "page allocations", "allocation failed", mhp_machine_fail_alloc,
						page_countdown };
static const struct fault_class slab_faults = { "slab allocations", "slab allocation failed", arm_slab,
						slab_countdown };

/*
 * The sweep of one operation on one model, as table rows: runs of points with
 * the same outcome share a row. Returns the points; with terse, an operation
 * with none gets no section.
 */
static uint64_t sweep(FILE *out, const char *model, const struct sweep_op *op, const struct fault_class *fc, bool terse)
{
	uint64_t block;
	struct mhp_machine *m = prepared(model, op->prepare, &block);
	struct mhp_err err = { 0 };
	void *buf;
	size_t len;
	saved(m, &buf, &len);
	mhp_machine_free(m);
	char *before, *unfailed;
	uint64_t n;
	{
		struct mhp_machine *c = load(buf, len, NULL);
		before = observable_state(c);
		fc->arm(c, 1u << 30, 1);   /* armed, never reached: it counts what the call allocates */
		assert_int_equal(op->run(c, block), 0);
		unfailed = observable_state(c);
		n = (uint64_t)((1 << 30) - 1 - fc->countdown(c));
		assert_true(n < MAX_POINTS);
		mhp_machine_free(c);
		if (n || !terse)
			fprintf(out, "\n### %s, %s: %llu %s\n\n", op->name, model, (unsigned long long)n, fc->points);
		if (!n) {
			if (!terse)
				fprintf(out, "Nothing to fail.\n");
			free(before);
			free(unfailed);
			free(buf);
			return 0;
		}
		fprintf(out, "| %s | met first by | returns | what a reader sees |\n", fc->header);
		fprintf(out, "|---|---|---|---|\n");
		struct outcome prev = { "" };
		uint64_t from = 1;
		for (uint64_t k = 1; k <= n + 1; k++) {
			struct outcome o = { "" };
			if (k <= n) {
				struct reaction r = { 0 };
				struct mhp_machine *t = load(buf, len, &r);
				fc->arm(t, (unsigned)k, 1);
				int ret = op->run(t, block);
				assert_true(r.injected);
				if (mhp_check_all(t, &err))
					fail_msg("%s on %s, allocation %llu failed: %s", op->name, model, (unsigned long long)k,
						 err.msg);
				char *after = observable_state(t), diff[256];
				observable_diff(ret ? before : unfailed, after, diff, sizeof(diff));
				describe(&o, ret, &r, diff);
				free(after);
				mhp_machine_free(t);
			}
			if (k > 1 && (k > n || strcmp(o.text, prev.text) != 0)) {
				if (from == k - 1)
					fprintf(out, "| %llu %s\n", (unsigned long long)from, prev.text);
				else
					fprintf(out, "| %llu-%llu %s\n", (unsigned long long)from, (unsigned long long)k - 1,
						prev.text);
				from = k;
			}
			prev = o;
		}
	}
	free(before);
	free(unfailed);
	free(buf);
	return n;
}

static const char *const models[] = { "qemu-virt-arm64-4k", "qemu-virt-arm64-16k", "qemu-virt-arm64-64k",
				       "qemu-q35-x86_64" };

/* A notifier that refuses: the action memory-notifier-error-inject fails, the operation under it, the errno. */
struct refusal {
	const char *action, *op;
	void (*prepare)(struct mhp_machine *m, uint64_t block);
	int (*run)(struct mhp_machine *m, uint64_t block);
};

static const struct refusal refusals[] = {
	{ "MEM_GOING_ONLINE", "online_movable", added, online_movable },
	{ "MEM_GOING_OFFLINE", "offline (300 pages to migrate)", added_movable_with_pages, offline },
};

/*
 * Each notifier action that may refuse, refused by the injection module
 * with -EBUSY: the operation returns it (memory_notify()'s
 * notifier_to_errno()), and its error path leaves what it found.
 */
static void sweep_notifiers(FILE *out, const char *model)
{
	fprintf(out, "\n### notifier refusals, %s\n\n", model);
	fprintf(out, "| action refused | during | returns | what a reader sees |\n|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *f = &refusals[i];
		uint64_t block;
		struct mhp_machine *m = prepared(model, f->prepare, &block);
		struct mhp_err err = { 0 };
		assert_int_equal(mhp_modprobe(m, "memory-notifier-error-inject", 0, false, &err), 0);
		char path[160];
		snprintf(path, sizeof(path), "/sys/kernel/debug/notifier-error-inject/memory/actions/%s/error", f->action);
		assert_int_equal(sysfs_write(m, path, "-16"), 0);
		char *before = observable_state(m), diff[256];
		int ret = f->run(m, block);
		if (mhp_check_all(m, &err))
			fail_msg("%s refused on %s: %s", f->action, model, err.msg);
		char *after = observable_state(m);
		observable_diff(before, after, diff, sizeof(diff));
		fprintf(out, "| %s | %s | %s | %s%s |\n", f->action, f->op, ret ? mhp_errno_name(ret) : "0",
			diff[0] ? "differs in: " : "as before the call", diff);
		free(before);
		free(after);
		mhp_machine_free(m);
	}
}

/* An online movable block with 300 pages in use, plugged by the driver: what its unplug must migrate. */
static void plugged_movable_with_pages(struct mhp_machine *m, uint64_t block)
{
	struct mhp_err err = { 0 };
	plugged(m, block);
	assert_int_equal(write_state(m, block, "online_movable"), 0);
	if (mhp_workload_alloc(m, "anon", 0, 300, 1, &err))
		fail_msg("%s", err.msg);
}

/* A fault that persists or recurs (fault-inject's interval and times), through the operation's own retries. */
struct recurring {
	const char *op, *fault;
	void (*prepare)(struct mhp_machine *m, uint64_t block);
	int (*run)(struct mhp_machine *m, uint64_t block);
	unsigned interval, times;
	unsigned tries;   /* the operation run this often under the fault: the driver's retry timer firing */
};

static const struct recurring recurring[] = {
	{ "offline (300 pages to migrate)", "every allocation, for good", added_movable_with_pages, offline, 1,
	  MHP_FAIL_ALLOC_UNLIMITED, 1 },
	{ "offline (300 pages to migrate)", "one in 2, for good", added_movable_with_pages, offline, 2,
	  MHP_FAIL_ALLOC_UNLIMITED, 1 },
	{ "virtio-mem plug (one block)", "every allocation, for good", nothing, plug_block, 1, MHP_FAIL_ALLOC_UNLIMITED,
	  3 },
	{ "virtio-mem plug (one block)", "one in 2, for good", nothing, plug_block, 2, MHP_FAIL_ALLOC_UNLIMITED, 3 },
	{ "virtio-mem plug (one block)", "one in 64, for good", nothing, plug_block, 64, MHP_FAIL_ALLOC_UNLIMITED, 3 },
	{ "virtio-mem unplug (online movable, 300 pages)", "every allocation, for good", plugged_movable_with_pages,
	  unplug_all, 1, MHP_FAIL_ALLOC_UNLIMITED, 3 },
};

static void count_injected(const struct mhp_trace_event *ev, void *ctx)
{
	if (strcmp(ev->type, "fault_injected") == 0)
		(*(uint64_t *)ctx)++;
}

/* The returns of the tries, "ENOMEM x3" for a run of one. */
static void append_ret(char *buf, size_t cap, int ret, unsigned *run, int *last, bool flush)
{
	if (*run && (flush || ret != *last)) {
		size_t n = strlen(buf);
		if (*run == 1)
			snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", *last ? mhp_errno_name(*last) : "0");
		else
			snprintf(buf + n, cap - n, "%s%s x%u", n ? ", " : "", *last ? mhp_errno_name(*last) : "0", *run);
		*run = 0;
	}
	if (!flush)
		*last = ret, (*run)++;
}

/*
 * Each recurring fault on one model: the operation's tries under it (each
 * bounded: an errno or a result, never a hang), the invariants after each,
 * what a reader then sees against the machine before; then the fault gone,
 * one more try, which must complete as if the fault had never been.
 */
static void sweep_recurring(FILE *out, const char *model)
{
	fprintf(out, "\n### persistent and repeated faults, %s\n\n", model);
	fprintf(out, "| operation | page allocations failing | tries: returns | failed | what a reader sees | "
		     "the fault gone, one more try |\n|---|---|---|---:|---|---|\n");
	for (size_t i = 0; i < sizeof(recurring) / sizeof(recurring[0]); i++) {
		const struct recurring *c = &recurring[i];
		uint64_t block;
		struct mhp_machine *m = prepared(model, c->prepare, &block);
		struct mhp_err err = { 0 };
		void *buf;
		size_t len;
		saved(m, &buf, &len);
		char *before = observable_state(m), *unfailed, *after, diff[256], rets[128] = "";
		assert_int_equal(c->run(m, block), 0);
		unfailed = observable_state(m);
		mhp_machine_free(m);
		uint64_t failed = 0;
		if (mhp_machine_load_buffer(buf, len, "recurring", count_injected, &failed, &m, &err))
			fail_msg("%s", err.msg);
		mhp_machine_fail_alloc_every(m, 1, c->interval, c->times);
		unsigned run = 0;
		int last = 0, ret = 0;
		for (unsigned t = 0; t < c->tries; t++) {
			ret = c->run(m, block);
			if (mhp_check_all(m, &err))
				fail_msg("%s under %s on %s, try %u: %s", c->op, c->fault, model, t + 1, err.msg);
			append_ret(rets, sizeof(rets), ret, &run, &last, false);
		}
		append_ret(rets, sizeof(rets), 0, &run, &last, true);
		after = observable_state(m);
		char from_before[256];
		observable_diff(before, after, from_before, sizeof(from_before));
		observable_diff(unfailed, after, diff, sizeof(diff));
		char plugged[48] = "";
		struct mhp_virtio_mem_info info;
		if (strncmp(c->op, "virtio-mem", 10) == 0 && mhp_virtio_mem_info(m, &info) == 0)
			snprintf(plugged, sizeof(plugged), " (plugged: %llu MiB)", (unsigned long long)(info.plugged >> 20));
		fprintf(out, "| %s | %s | %s | %llu | %s%s%s |", c->op, c->fault, rets, (unsigned long long)failed,
			!from_before[0] ? "as before the call" : !diff[0] ? "as without the fault" : "differs from before in: ",
			from_before[0] && diff[0] ? from_before : "", plugged);
		free(after);
		if (ret) {   /* the retry once the fault is gone: it must complete as if there had been none */
			mhp_machine_fail_alloc(m, 0, 0);
			ret = c->run(m, block);
			if (mhp_check_all(m, &err))
				fail_msg("%s on %s, the fault gone: %s", c->op, model, err.msg);
			after = observable_state(m);
			observable_diff(unfailed, after, diff, sizeof(diff));
			fprintf(out, " %s, %s%s |\n", ret ? mhp_errno_name(ret) : "0",
				diff[0] ? "differs in: " : "as without the fault", diff);
			free(after);
		} else {
			fprintf(out, " - |\n");
		}
		free(before);
		free(unfailed);
		free(buf);
		mhp_machine_free(m);
	}
}

static void test_every_allocation_failed_in_turn(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (size_t j = 0; j < sizeof(models) / sizeof(models[0]); j++)
			sweep(out, models[j], &ops[i], &page_faults, false);
	char none[512] = "";
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		uint64_t points = 0;
		for (size_t j = 0; j < sizeof(models) / sizeof(models[0]); j++)
			points += sweep(out, models[j], &ops[i], &slab_faults, true);
		if (!points)
			snprintf(none + strlen(none), sizeof(none) - strlen(none), "%s%s", none[0] ? ", " : "", ops[i].name);
	}
	fprintf(out, "\n### slab allocations of the other operations\n\nNone on any machine: %s.\n", none);
	for (size_t j = 0; j < sizeof(models) / sizeof(models[0]); j++)
		sweep_notifiers(out, models[j]);
	for (size_t j = 0; j < sizeof(models) / sizeof(models[0]); j++)
		sweep_recurring(out, models[j]);
	fclose(out);
	const char *path = src_path("docs/faults.md");
	FILE *f = fopen(path, "rb");
	static char doc[1 << 18];
	size_t n = f ? fread(doc, 1, sizeof(doc) - 1, f) : 0;
	if (f)
		fclose(f);
	doc[n] = '\0';
	const char *marker = "<!-- generated by tests/test_faults.c -->\n", *table = strstr(doc, marker);
	if (getenv("MHPSIM_UPDATE_DOCS") && table) {
		f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(doc, 1, (size_t)(table - doc) + strlen(marker), f);
		fputs(text, f);
		fclose(f);
	} else if (!table || strcmp(table + strlen(marker), text) != 0) {
		fail_msg("docs/faults.md is not current: MHPSIM_UPDATE_DOCS=1 %s rewrites it; the sweep now gives:\n%s",
			 "build/tests/test_faults", text);
	}
	free(text);
}

/* fault-inject's interval and times: which allocations fail, one page at a time. */
static void test_fail_alloc_every(void **state)
{
	(void)state;
	struct mhp_machine *m = boot_model("qemu-virt-arm64-4k", NULL);
	struct mhp_err err = { 0 };
	char failed[64] = "";
	mhp_machine_fail_alloc_every(m, 3, 4, 2);   /* the 3rd, then the 7th, then no more */
	for (unsigned i = 1; i <= 12; i++)
		if (mhp_workload_alloc(m, "anon", 0, 1, i, &err))
			snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed), " %u", i);
	assert_string_equal(failed, " 3 7");
	failed[0] = '\0';
	mhp_machine_fail_alloc_every(m, 1, 5, MHP_FAIL_ALLOC_UNLIMITED);   /* the 1st, 6th, 11th, ... for good */
	for (unsigned i = 1; i <= 16; i++)
		if (mhp_workload_alloc(m, "anon", 0, 1, 100 + i, &err))
			snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed), " %u", i);
	assert_string_equal(failed, " 1 6 11 16");
	mhp_machine_fail_alloc(m, 0, 0);   /* off */
	assert_int_equal(mhp_workload_alloc(m, "anon", 0, 1, 200, &err), 0);
	mhp_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_alloc_every),
		cmocka_unit_test(test_every_allocation_failed_in_turn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
