/*
 * test_faults.c - every page allocation an operation makes, failed in turn
 * (SQLite's fault sweep): run the operation once to count them, then from
 * the same saved machine fail the 1st, the 2nd, ... the Nth. After each, the
 * invariants hold, the operation returns 0 (a fallback took over) or its
 * error, and what a reader sees is either as before the call or differs in
 * parts the table names. The table is docs/faults.md: this test holds it
 * current (MHPSIM_UPDATE_DOCS=1 rewrites it).
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
	return ret ? ret : info.plugged == block ? 0 : -EAGAIN;   /* a plug the driver only retries later */
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
	return mhp_virtio_mem_set_requested(m, 0, &err);
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

/* The sweep of one operation on one model, as table rows: runs of points with the same outcome share a row. */
static void sweep(FILE *out, const char *model, const struct sweep_op *op)
{
	struct mhp_machine *m = boot_model(model, "memhp_default_state=offline");
	uint64_t block = strtoull(sysfs_read(m, "/sys/devices/system/memory/block_size_bytes"), NULL, 16);
	struct mhp_err err = { 0 };
	void *buf;
	size_t len;
	op->prepare(m, block);
	assert_int_equal(mhp_machine_save_buffer(m, &buf, &len, &err), 0);
	mhp_machine_free(m);
	char *before, *unfailed;
	{
		struct mhp_machine *c = load(buf, len, NULL);
		before = observable_state(c);
		mhp_machine_fail_alloc(c, 1u << 30, 1);   /* armed, never reached: it counts what the call allocates */
		assert_int_equal(op->run(c, block), 0);
		unfailed = observable_state(c);
		uint64_t n = (uint64_t)((1 << 30) - 1 - c->fail_alloc_after);
		assert_true(n < MAX_POINTS);
		fprintf(out, "\n### %s, %s: %llu page allocations\n\n", op->name, model, (unsigned long long)n);
		mhp_machine_free(c);
		if (!n) {
			fprintf(out, "Nothing to fail.\n");
			free(before);
			free(unfailed);
			free(buf);
			return;
		}
		fprintf(out, "| allocation failed | met first by | returns | what a reader sees |\n");
		fprintf(out, "|---|---|---|---|\n");
		struct outcome prev = { "" };
		uint64_t from = 1;
		for (uint64_t k = 1; k <= n + 1; k++) {
			struct outcome o = { "" };
			if (k <= n) {
				struct reaction r = { 0 };
				struct mhp_machine *t = load(buf, len, &r);
				mhp_machine_fail_alloc(t, (unsigned)k, 1);
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
		struct mhp_machine *m = boot_model(model, "memhp_default_state=offline");
		uint64_t block = strtoull(sysfs_read(m, "/sys/devices/system/memory/block_size_bytes"), NULL, 16);
		struct mhp_err err = { 0 };
		f->prepare(m, block);
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

static void test_every_allocation_failed_in_turn(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (size_t j = 0; j < sizeof(models) / sizeof(models[0]); j++)
			sweep(out, models[j], &ops[i]);
	for (size_t j = 0; j < sizeof(models) / sizeof(models[0]); j++)
		sweep_notifiers(out, models[j]);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allocation_failed_in_turn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
